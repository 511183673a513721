// Cloudflare Workers: they refuse to compile wasm from bytes at run time, so the bundler
// (wrangler) turns this import into a compiled WebAssembly.Module.
import module from './payhook_bg.wasm';
import { start } from './core.js';
import { initSync } from './payhook.js';

initSync({ module });
start();

export * from './api.js';
