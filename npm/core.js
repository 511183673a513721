// The package's one guarded core over the wasm glue (recover.js), and what each entry calls
// once the module is instantiated. Not public: api.js exports the public names.
import * as glue from './payhook.js';
import { makeConstants } from './constants.js';
import { bindCore } from './recover.js';

export const core = bindCore(glue);

/** The statuses of the codes the package raises itself, and the constants. */
export function start() {
  core.start();
  makeConstants(core.Allowlist);
}
