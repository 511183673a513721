// payhook/tools in Node and Bun: its CommonJS entry, bundled to tools.cjs by
// scripts/bundle-cjs.mjs (tools-node.js re-exports it).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { start } from './tools-core.js';
import { initSync } from './payhook_tools.js';

initSync({ module: readFileSync(join(__dirname, 'payhook_tools_bg.wasm')) });
start();

export * from './tools.js';
