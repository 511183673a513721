'use strict';
// Node, CommonJS: wasm-bindgen's nodejs glue loads the same payhook_bg.wasm synchronously.
const wasm = require('./payhook_node.cjs');
const { PayhookError } = require('./error.cjs');

module.exports = {
  checkBelvoAuthorization: wasm.checkBelvoAuthorization,
  errorCodes: wasm.errorCodes,
  signR2: wasm.signR2,
  verifyR2Signature: wasm.verifyR2Signature,
  PayhookError,
};
