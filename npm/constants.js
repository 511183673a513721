// Constants that live in wasm memory, so they can only be made once the module is
// instantiated: each entry calls makeConstants(Allowlist) right after init. Importers see them
// through ES live bindings, before any of their own code runs. They are the package's
// Allowlist wrappers (recover.js), so they stay the same objects and keep working if the
// module is ever re-instantiated.

/** R2's published source addresses (both environments; 2024-01-22 snapshot). */
export let R2_ALLOWLIST;
/** Belvo's published source addresses. */
export let BELVO_ALLOWLIST;

/** @param {{ r2(): any, belvo(): any }} Allowlist the package's Allowlist (api.js) */
export function makeConstants(Allowlist) {
  R2_ALLOWLIST = Allowlist.r2();
  BELVO_ALLOWLIST = Allowlist.belvo();
}
