// Node and Bun: compile the wasm from the file beside this one, synchronously (Node's fetch
// cannot read file: URLs). Node's CommonJS entry (node.cjs) loads this same module, so a
// process has one instance of the package whichever way it is loaded.
import { readFileSync } from 'node:fs';
import { start } from './core.js';
import { runtimeHasSockets } from './input.js';
import { initSync } from './payhook.js';

initSync({ module: readFileSync(new URL('./payhook_bg.wasm', import.meta.url)) });
start();
// Requests here come over the runtime's own sockets: one without a peer is refused.
runtimeHasSockets();

export * from './api.js';
