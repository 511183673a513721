// Node's CommonJS entries, built from the ES module sources: node.cjs (the package) and
// tools.cjs (payhook/tools), each one esbuild bundle. The ES module entries for Node
// (node.js, tools-node.js) re-export these, so `import` and `require` share one instance,
// and CommonJS loaders that cannot require() an ES module (Jest, Node before 20.19) work.
// What must be one object across both bundles stays outside them, required by both: the
// error class and its status table (error.cjs) and each wasm glue (payhook.cjs,
// payhook_tools.cjs, whose initSync() also hands tests the running instance's exports).
//   node scripts/bundle-cjs.mjs PKG_DIR
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
