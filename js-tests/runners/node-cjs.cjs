'use strict';
// Node, CommonJS: `require('payhook')` resolves through the `node` -> `require` condition
// (node.cjs). The suites are ESM, loaded with import(); they get the required copy.
// Usage (from the scratch project): node js-tests/runners/node-cjs.cjs [runtime-name]
const payhook = require('payhook');
const tools = require('payhook/tools');

const runtime = process.argv[2] || `node${process.versions.node.split('.')[0]}-cjs`;

(async () => {
  const { runAll } = await import('./core.mjs');
  const { loadVectors } = await import('./vectors-fs.mjs');
  const { default: nodeOnly } = await import('../suites/node-only.mjs');
  const { default: secretsNode } = await import('../suites/secrets-node.mjs');
  const result = await runAll({ runtime, payhook, tools, vectors: loadVectors(), extra: [['node-only', nodeOnly], ['secrets-node', secretsNode]] });
  process.exitCode = result.failed === 0 && result.passed > 0 ? 0 : 1;
})().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
