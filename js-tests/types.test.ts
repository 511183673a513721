// Compiled by `tsc --strict --noEmit` against the installed package: the types a user
// writes against must accept real handler code and reject misuse.
import { checkBelvoAuthorization, errorCodes, PayhookError, signR2, verifyR2Signature } from 'payhook';
import type { ErrorCode, R2SignatureEncoding, R2SignatureMatch } from 'payhook';

declare const raw: Uint8Array;
declare const headers: Headers;

const header: string = signR2(raw, 'secret', { encoding: 'hex' });
const found: R2SignatureMatch = verifyR2Signature(raw, headers.get('content-sha256'), ['old', 'new']);
const index: number = found.secretIndex;
const encoding: R2SignatureEncoding = found.encoding;
const belvo = checkBelvoAuthorization(headers.get('authorization'), ['Bearer t', 'Basic dTpw']);
const scheme: 'bearer' | 'basic' = belvo.scheme;

try {
  verifyR2Signature('{}', ['a'], new Uint8Array([1]));
} catch (error) {
  if (error instanceof PayhookError) {
    const code: ErrorCode = error.code;
    const status: number = error.status;
    switch (code) {
      case 'signature_missing':
      case 'signature_malformed':
      case 'signature_mismatch':
      case 'secret_invalid':
      case 'authorization_missing':
      case 'authorization_malformed':
      case 'authorization_mismatch':
      case 'argument_invalid':
        break;
      default: {
        const exhaustive: never = code;
        throw new Error(`unhandled ${exhaustive} ${status}`);
      }
    }
  }
}

// @ts-expect-error: the encoding is a closed set
signR2(raw, 'k', { encoding: 'base32' });
// @ts-expect-error: a parsed body is not the raw body
verifyR2Signature({ event: {} }, header, 'k');

export const used = [index, encoding, scheme, errorCodes().length];
