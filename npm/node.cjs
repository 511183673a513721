'use strict';
// Node, CommonJS: wasm-bindgen's nodejs glue loads the same payhook_bg.wasm synchronously.
// Functions that take an Allowlist read it through its entries(), so one made by the ESM
// copy works here too. Every call into wasm goes through recover.cjs (compiled from
// recover.js), which re-instantiates the module if it ever traps.
const { PayhookError } = require('./error.cjs');
const recover = require('./recover.cjs');
const wasm = recover.bindCore(require('./payhook_node.cjs'), PayhookError);
// Requests here come over Node's own sockets: one without a peer is refused.
recover.runtimeHasSockets();
const { r2Receiver, belvoReceiver } = require('./receiver.cjs').bindReceivers(wasm, PayhookError);
const stores = require('./stores.cjs');
const { memoryStore, redisStore, durableObjectStore, denoKvStore, postgresStore } = stores.bindStores(wasm, PayhookError);

module.exports = {
  Allowlist: wasm.Allowlist,
  BELVO_ALLOWLIST: wasm.Allowlist.belvo(),
  PayhookDedupObject: stores.PayhookDedupObject,
  PayhookError,
  R2_ALLOWLIST: wasm.Allowlist.r2(),
  belvoReceiver,
  checkBelvoAuthorization: wasm.checkBelvoAuthorization,
  clientIp: wasm.clientIp,
  dedupKey: wasm.dedupKey,
  denoKvStore,
  deliveryPolicy: wasm.deliveryPolicy,
  durableObjectStore,
  errorCodes: wasm.errorCodes,
  fixture: wasm.fixture,
  fixtureNames: wasm.fixtureNames,
  inspectDelivery: wasm.inspectDelivery,
  memoryStore,
  parseBelvoWebhook: wasm.parseBelvoWebhook,
  parseCapture: wasm.parseCapture,
  parseR2Event: wasm.parseR2Event,
  parseR2IpDocument: wasm.parseR2IpDocument,
  postgresStore,
  r2Receiver,
  redisStore,
  signR2: wasm.signR2,
  validateBelvoWebhook: wasm.validateBelvoWebhook,
  validateR2Event: wasm.validateR2Event,
  verifyR2Signature: wasm.verifyR2Signature,
};
