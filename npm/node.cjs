'use strict';
// Node, CommonJS: wasm-bindgen's nodejs glue loads the same payhook_bg.wasm synchronously.
// Functions that take an Allowlist read it through its entries(), so one made by the ESM
// copy works here too.
const wasm = require('./payhook_node.cjs');
const { PayhookError } = require('./error.cjs');

module.exports = {
  Allowlist: wasm.Allowlist,
  BELVO_ALLOWLIST: wasm.Allowlist.belvo(),
  PayhookError,
  R2_ALLOWLIST: wasm.Allowlist.r2(),
  checkBelvoAuthorization: wasm.checkBelvoAuthorization,
  clientIp: wasm.clientIp,
  errorCodes: wasm.errorCodes,
  parseR2IpDocument: wasm.parseR2IpDocument,
  signR2: wasm.signR2,
  verifyR2Signature: wasm.verifyR2Signature,
};
