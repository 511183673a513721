// Node's CommonJS entries, built from the ES module sources: node.cjs (the package) and
// tools.cjs (payhook/tools), each one esbuild bundle. The ES module entries for Node
// (node.js, tools-node.js) re-export these, so `import` and `require` share one instance,
// and CommonJS loaders that cannot require() an ES module (Jest, Node before 20.19) work.
// What must be one object across both bundles stays outside them, required by both: the
// error class and its status table (error.cjs) and each wasm glue (payhook.cjs,
// payhook_tools.cjs, whose initSync() also hands tests the running instance's exports).
//   node scripts/bundle-cjs.mjs PKG_DIR
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { build } from 'esbuild';

const pkg = process.argv[2];
const shared = { './error.js': './error.cjs', './payhook.js': './payhook.cjs', './payhook_tools.js': './payhook_tools.cjs' };
const external = {
  name: 'shared-cjs',
  setup(b) {
    b.onResolve({ filter: /^\.\/(error|payhook|payhook_tools)\.js$/ }, (args) => ({ path: shared[args.path], external: true }));
  },
};
const common = { bundle: true, format: 'cjs', platform: 'node', target: 'node20', logLevel: 'warning' };
// The shared modules themselves, each on its own.
for (const [from, to] of Object.entries(shared)) {
  await build({ ...common, bundle: false, entryPoints: [`${pkg}/${from}`], outfile: `${pkg}/${to}`, logOverride: { 'empty-import-meta': 'silent' } });
}
for (const [entry, out] of [['node-cjs.js', 'node.cjs'], ['tools-cjs.js', 'tools.cjs']]) {
  await build({ ...common, entryPoints: [`${pkg}/${entry}`], outfile: `${pkg}/${out}`, plugins: [external] });
}
// The framework plumbing (payhook/express, /fastify, /hono, /h3): no package state and no
// imports but framework-common.js, so each CommonJS file is a bundle of its own; import and
// require may load both copies harmlessly (a PayhookError is recognised by its shape).
for (const name of ['express', 'fastify', 'hono', 'h3']) {
  await build({ ...common, entryPoints: [`${pkg}/${name}.js`], outfile: `${pkg}/${name}.cjs` });
}

// The ES module entries for Node: each requires its bundle and re-exports its names, written
// here from the bundle's own exports. Not `export * from './node.cjs'`: importing CommonJS
// from an ES module makes Node parse it for names (cjs-module-lexer), which cost a fresh
// process about 25 ms (measured: import('payhook') ~70 ms against require's ~30 ms).
const require = createRequire(import.meta.url);
for (const [cjs, esm, what] of [['node.cjs', 'node.js', 'the package'], ['tools.cjs', 'tools-node.js', 'payhook/tools']]) {
  const names = Object.keys(require(resolve(pkg, cjs))).sort();
  writeFileSync(`${pkg}/${esm}`, `// Node and Bun, ES modules: ${what} as its CommonJS entry (${cjs}) made it, so \`import\`
// and \`require\` share one instance. Written by scripts/bundle-cjs.mjs from ${cjs}'s exports.
import { createRequire } from 'node:module';

const entry = createRequire(import.meta.url)('./${cjs}');
export const {
  ${names.join(', ')},
} = entry;
`);
}
