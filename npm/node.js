// Node and Bun, ESM: compile the wasm from the file beside this one, synchronously
// (Node's fetch cannot read file: URLs).
import { readFileSync } from 'node:fs';
import { Allowlist } from './api.js';
import { makeConstants } from './constants.js';
import { initSync } from './payhook.js';
import { runtimeHasSockets } from './recover.js';

initSync({ module: readFileSync(new URL('./payhook_bg.wasm', import.meta.url)) });
makeConstants(Allowlist);
// Requests here come over the runtime's own sockets: one without a peer is refused.
runtimeHasSockets();

export * from './api.js';
