// The Worker that runs the portable suites inside workerd. Bundled by workerd.mjs with esbuild
// (conditions workerd, worker): `import 'payhook'` resolves to the package's workerd.js, whose
// `import module from './payhook_bg.wasm'` stays an import of a CompiledWasm module, as wrangler
// does it. Named imports (named-imports.mjs), as a Worker's code would have them. GET / runs
// everything and answers the results as JSON.
import { payhook, tools } from './named-imports.mjs';
import { runAll } from './core.mjs';
import { vectors } from './vectors-json.mjs';

export default {
  async fetch() {
    const result = await runAll({ runtime: 'workerd', payhook, tools, vectors, log: () => {} });
    return Response.json(result);
  },
};
