// Deno and browsers: fetch and compile the wasm beside this file, once, at import time.
import init from './payhook.js';

await init({ module_or_path: new URL('./payhook_bg.wasm', import.meta.url) });

export * from './api.js';
