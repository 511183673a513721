// payhook/tools in Deno: a source-phase import, no permission needed.
import source module from './payhook_tools_bg.wasm';
import { start } from './tools-core.js';
import { initSync } from './payhook_tools.js';

initSync({ module });
start();

export * from './tools.js';
