// Cloudflare Workers: they refuse to compile wasm from bytes at run time, so the bundler
// (wrangler) turns this import into a compiled WebAssembly.Module.
import module from './payhook_bg.wasm';
import { Allowlist } from './api.js';
import { makeConstants } from './constants.js';
import { initSync } from './payhook.js';

initSync({ module });
makeConstants(Allowlist);

export * from './api.js';
