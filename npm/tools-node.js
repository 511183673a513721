// payhook/tools in Node and Bun: its module compiled from the file beside this one.
import { readFileSync } from 'node:fs';
import { start } from './tools-core.js';
import { initSync } from './payhook_tools.js';

initSync({ module: readFileSync(new URL('./payhook_tools_bg.wasm', import.meta.url)) });
start();

export * from './tools.js';
