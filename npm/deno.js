// Deno: a source-phase import gives the compiled WebAssembly.Module with no permission at
// all (fetching a file: URL would need --allow-read).
import source module from './payhook_bg.wasm';
import { start } from './core.js';
import { runtimeHasSockets } from './input.js';
import { initSync } from './payhook.js';

initSync({ module });
start();
// Requests here come over the runtime's own sockets: one without a peer is refused.
runtimeHasSockets();

export * from './api.js';
