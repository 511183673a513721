// Bun: `import 'payhook'` resolves through the `bun` condition (node.js, which reads the wasm
// with node:fs). Bun has node:crypto, node:util and createRequire, so node-only runs too.
// Usage (from the scratch project): bun js-tests/runners/bun.mjs
import * as payhook from 'payhook';
import * as tools from 'payhook/tools';
import nodeOnly from '../suites/node-only.mjs';
import secretsNode from '../suites/secrets-node.mjs';
import { runAll } from './core.mjs';
import { loadVectors } from './vectors-fs.mjs';

if (typeof Bun === 'undefined') throw new Error('bun.mjs is the Bun runner: run it with bun');
const result = await runAll({ runtime: process.argv[2] ?? 'bun', payhook, tools, vectors: loadVectors(), extra: [['node-only', nodeOnly], ['secrets-node', secretsNode]] });
process.exitCode = result.failed === 0 && result.passed > 0 ? 0 : 1;
