// The package through named imports, as application code usually writes it. The bundled
// entries (worker-entry.mjs, the esbuild browser bundle) use this instead of
// `import * as payhook`: a namespace import keeps every module of the package in a bundle,
// while named imports let the bundler tree-shake, which is where a wrong `sideEffects`
// in package.json drops the entry file and its wasm init. Keep in step with exportNames and
// toolsNames in ../suites/load.mjs.
import {
  Allowlist, BELVO_ALLOWLIST, PayhookDedupObject, PayhookError, R2_ALLOWLIST, belvoReceiver, checkBelvoAuthorization, clientIp,
  dedupKey, deliveryPolicy, denoKvStore, durableObjectStore, errorCodes, memoryStore, parseBelvoWebhook,
  parseR2Event, parseR2IpDocument, postgresStore, r2Receiver, redisStore, signR2, validateBelvoWebhook, validateR2Event, verifyR2Signature,
} from 'payhook';
import { fixture, fixtureNames, inspectDelivery, parseCapture } from 'payhook/tools';

export const payhook = {
  Allowlist, BELVO_ALLOWLIST, PayhookDedupObject, PayhookError, R2_ALLOWLIST, belvoReceiver, checkBelvoAuthorization, clientIp,
  dedupKey, deliveryPolicy, denoKvStore, durableObjectStore, errorCodes, memoryStore, parseBelvoWebhook,
  parseR2Event, parseR2IpDocument, postgresStore, r2Receiver, redisStore, signR2, validateBelvoWebhook, validateR2Event, verifyR2Signature,
};
export const tools = { fixture, fixtureNames, inspectDelivery, parseCapture };
