// The public API, the same from every ESM entry. node.cjs lists the same names.
export {
  Allowlist, checkBelvoAuthorization, clientIp, dedupKey, deliveryPolicy, errorCodes, fixture, fixtureNames,
  inspectDelivery, parseBelvoWebhook, parseCapture, parseR2Event, parseR2IpDocument, signR2, validateBelvoWebhook,
  validateR2Event, verifyR2Signature,
} from './payhook.js';
export { BELVO_ALLOWLIST, R2_ALLOWLIST } from './constants.js';
export { PayhookError } from './error.js';

import * as glue from './payhook.js';
import { PayhookError } from './error.js';
import { bindReceivers } from './receiver.js';
import { bindStores } from './stores.js';

export { PayhookDedupObject } from './stores.js';

export const { r2Receiver, belvoReceiver } = bindReceivers(glue, PayhookError);
export const { memoryStore, redisStore, durableObjectStore, denoKvStore } = bindStores(glue, PayhookError);
