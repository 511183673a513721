// Node, ESM: `import 'payhook'` resolves through the `node` -> `default` condition (node.js).
// Usage (from the scratch project): node js-tests/runners/node-esm.mjs [runtime-name]
import * as payhook from 'payhook';
import * as tools from 'payhook/tools';
import nodeOnly from '../suites/node-only.mjs';
import secretsNode from '../suites/secrets-node.mjs';
import { runAll } from './core.mjs';
import { loadVectors } from './vectors-fs.mjs';

const runtime = process.argv[2] ?? `node${process.versions.node.split('.')[0]}-esm`;
const result = await runAll({ runtime, payhook, tools, vectors: loadVectors(), extra: [['node-only', nodeOnly], ['secrets-node', secretsNode]] });
process.exitCode = result.failed === 0 && result.passed > 0 ? 0 : 1;
