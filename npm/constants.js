// Constants that live in wasm memory, so they can only be made once the module is
// instantiated: each entry calls makeConstants() right after init. Importers see them
// through ES live bindings, before any of their own code runs.
import { Allowlist } from './payhook.js';

/** R2's published source addresses (both environments; 2024-01-22 snapshot). */
export let R2_ALLOWLIST;
/** Belvo's published source addresses. */
export let BELVO_ALLOWLIST;

export function makeConstants() {
  R2_ALLOWLIST = Allowlist.r2();
  BELVO_ALLOWLIST = Allowlist.belvo();
}
