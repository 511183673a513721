// The public API, the same from every ESM entry. node.cjs lists the same names.
export { checkBelvoAuthorization, errorCodes, signR2, verifyR2Signature } from './payhook.js';
export { PayhookError } from './error.js';
