// Deno: a source-phase import gives the compiled WebAssembly.Module with no permission at
// all (fetching a file: URL would need --allow-read).
import source module from './payhook_bg.wasm';
import { Allowlist } from './api.js';
import { makeConstants } from './constants.js';
import { initSync } from './payhook.js';
import { runtimeHasSockets } from './recover.js';

initSync({ module });
makeConstants(Allowlist);
// Requests here come over the runtime's own sockets: one without a peer is refused.
runtimeHasSockets();

export * from './api.js';
