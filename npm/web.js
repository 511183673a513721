// Browsers (and any runtime without a more specific condition): fetch and compile the wasm
// beside this file, once, at import time.
import { start } from './core.js';
import init from './payhook.js';

await init({ module_or_path: new URL('./payhook_bg.wasm', import.meta.url) });
start();

export * from './api.js';
