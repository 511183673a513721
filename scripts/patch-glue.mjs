// Rewrites how wasm-bindgen 0.2.130's glue (built with --experimental-reset-state-function)
// hands objects to its FinalizationRegistry: a number instead of an object.
//
// Why: that glue registers every wasm-owned object with a held value `{ ptr, instance }`, and
// in Node 20 and 22 (V8 11.3, 12.4) a loop making Allowlists and reading their entries
// crashed the whole process in V8's deoptimizer ("Fatal error: unreachable code") in about 1
// run in 3 once finalizers had run; with a number as the held value, 0 runs in 12. Node 24
// did not crash either way. The number is `ptr + instance * 2^32`: a small integer for the
// first instance (the usual case), and the finalizer still frees only pointers of the
// current instance, so an object from before a re-instantiation (npm/recover.js) never frees
// memory of the new one.
//
// Usage: node scripts/patch-glue.mjs FILE...   Fails if the glue does not have the expected
// shape (a new wasm-bindgen must be checked again).
import { readFileSync, writeFileSync } from 'node:fs';

const SPAN = 4294967296; // 2^32: wasm32 pointers are below it

for (const file of process.argv.slice(2)) {
  let text = readFileSync(file, 'utf8');
  let registers = 0;
  let registries = 0;
  text = text.replace(
    /(\w+Finalization)\.register\((this|obj), \{ ptr(?:: ([^,]+))?, instance: __wbg_instance_id \}, (this|obj)\);/g,
    (_, registry, target, ptr, token) => {
      registers++;
      return `${registry}.register(${target}, ((${ptr ?? 'ptr'}) >>> 0) + __wbg_instance_id * ${SPAN}, ${token});`;
    },
  );
  text = text.replace(
    /new FinalizationRegistry\(\(\{ ptr, instance \}\) => \{\n\s*if \(instance === __wbg_instance_id\) (wasm\.__wbg_\w+_free)\(ptr, 1\);\n\}\);/g,
    (_, free) => {
      registries++;
      return `new FinalizationRegistry((held) => {\n    if (Math.floor(held / ${SPAN}) === __wbg_instance_id) ${free}(held % ${SPAN}, 1);\n});`;
    },
  );
  if (registers === 0 || registries === 0 || /instance: __wbg_instance_id \}/.test(text)) {
    console.error(`patch-glue: ${file} does not have the expected FinalizationRegistry calls (${registers} registers, ${registries} registries)`);
    process.exit(1);
  }
  writeFileSync(file, text);
}
