// The public API, the same from every ESM entry. node.cjs lists the same names.
export {
  Allowlist, checkBelvoAuthorization, clientIp, errorCodes, parseR2IpDocument, signR2, verifyR2Signature,
} from './payhook.js';
export { BELVO_ALLOWLIST, R2_ALLOWLIST } from './constants.js';
export { PayhookError } from './error.js';
