// Node and Bun: the package's CommonJS entry, bundled to node.cjs by scripts/bundle-cjs.mjs
// (node.js, the ES module entry, re-exports it: one instance however it is loaded). The wasm
// is compiled from the file beside it, synchronously.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { start } from './core.js';
import { runtimeHasSockets } from './input.js';
import { initSync } from './payhook.js';

initSync({ module: readFileSync(join(__dirname, 'payhook_bg.wasm')) });
start();
// Requests here come over the runtime's own sockets: one without a peer is refused.
runtimeHasSockets();

export * from './api.js';
