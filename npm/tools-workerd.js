// payhook/tools in Cloudflare Workers: the bundler turns this import into a compiled module.
import module from './payhook_tools_bg.wasm';
import { start } from './tools-core.js';
import { initSync } from './payhook_tools.js';

initSync({ module });
start();

export * from './tools.js';
