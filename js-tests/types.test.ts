// Compiled by `tsc --strict --noEmit` against the installed package: the types a user
// writes against must accept real handler code and reject misuse.
import {
  Allowlist, BELVO_ALLOWLIST, belvoReceiver, checkBelvoAuthorization, clientIp, errorCodes, parseR2IpDocument,
  PayhookError, R2_ALLOWLIST, r2Receiver, signR2, verifyR2Signature,
} from 'payhook';
import type { ClientIp, ErrorCode, R2SignatureEncoding, R2SignatureMatch, Trust } from 'payhook';

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
      case 'ip_malformed':
      case 'ip_not_allowed':
      case 'ip_unknown':
      case 'header_malformed':
      case 'allowlist_malformed':
      case 'delivery_in_progress':
      case 'handler_failed':
      case 'capture_malformed':
      case 'argument_invalid':
      case 'payload_not_json':
      case 'payload_too_large':
      case 'payload_invalid':
      case 'unknown_event_type':
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

// Source addresses: a Node request, a Fetch request on Workers, and a document refresh.
declare const req: { socket: { remoteAddress?: string }; headers: Record<string, string | string[] | undefined> };
const fromNode: ClientIp = R2_ALLOWLIST.check({ peer: req, headers: req.headers, trust: { proxies: ['10.0.0.0/8'] } });
const onWorkers: ClientIp = clientIp({ headers, trust: 'cloudflare' });
const doc = parseR2IpDocument('{}', { regions: ['us'] });
const fresh: Allowlist = doc.allowlist.union(BELVO_ALLOWLIST);
const ageMs: number | null = doc.createdAt;
const hops: Trust = { hops: 2, header: 'forwarded' };
// @ts-expect-error: trust is a closed set of spellings
clientIp({ trust: 'everyone' });

// Receivers: a Fetch handler and a node:http handler.
const receiver = r2Receiver({ secrets: ['old', 'new'], allowlist: R2_ALLOWLIST, trust: 'cloudflare' });
export async function onFetch(request: Request): Promise<Response> {
  const result = await receiver.receive(request);
  if (result.ok) {
    const key: string = result.dedupKey;
    const type: string = result.event.event_type;
    void [key, type];
  } else {
    const code: ErrorCode = result.error.code;
    void code;
  }
  return result.response;
}
declare const nodeBody: Uint8Array;
const plain = belvoReceiver({ authorization: 'Bearer t' }).receive({ body: nodeBody, headers: req.headers, peer: req });
const status: number = plain.response.status;
// @ts-expect-error: a Belvo receiver needs authorization or an allowlist, both optional in type but secrets are not Belvo's
belvoReceiver({ secrets: ['x'] });

export const used = [status, index, encoding, scheme, errorCodes().length, fromNode, onWorkers, fresh, ageMs, hops];
