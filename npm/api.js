// The public API, the same from every entry (Node's CommonJS entry loads this same module).
// Inspection, captures and fixtures are payhook/tools' (tools.js), in a module of their own.
// Every call into wasm goes through recover.js, which reads the arguments (input.js) and
// re-instantiates the module if it ever traps.
import { core } from './core.js';
import { bindReceivers } from './receiver.js';
import { bindStores } from './stores.js';

export const {
  Allowlist, checkBelvoAuthorization, clientIp, dedupKey, deliveryPolicy, errorCodes, parseBelvoWebhook,
  parseR2Event, parseR2IpDocument, signR2, validateBelvoWebhook, validateR2Event, verifyR2Signature,
} = core;
export { BELVO_ALLOWLIST, R2_ALLOWLIST } from './constants.js';
export { PayhookError } from './error.js';
export { PayhookDedupObject } from './stores.js';

export const { r2Receiver, belvoReceiver } = bindReceivers(core);
export const { memoryStore, redisStore, durableObjectStore, denoKvStore, postgresStore } = bindStores(core);
