// Browsers (and any runtime without a more specific condition): fetch and compile the wasm
// beside this file, once, at import time.
import { Allowlist } from './api.js';
import { makeConstants } from './constants.js';
import init from './payhook.js';

await init({ module_or_path: new URL('./payhook_bg.wasm', import.meta.url) });
makeConstants(Allowlist);

export * from './api.js';
