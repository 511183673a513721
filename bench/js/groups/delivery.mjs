// The whole delivery, 1 KiB R2 event behind one proxy: address (X-Forwarded-For, one hop,
// R2's allowlist) + signature (R2's base64-hex Content-Sha256) + parse + validate + dedup key.
// payhook's r2Receiver(...).receive({ body, headers, peer }) beside the stack a Node receiver
// is built from today: proxy-addr + ipaddr.js, node:crypto, JSON.parse + zod, and a SHA-256
// of the canonical JSON for the key; and the same stack with WebCrypto for both hashes.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import proxyaddr from 'proxy-addr';
import { R2_ALLOWLIST, r2Receiver, signR2 } from 'payhook';
import { check, compare } from '../lib/harness.mjs';
import { SECRET, base64HexToTag, base64url, canonicalJson, ipaddrMatcher, r2Body, zodR2 } from '../lib/inputs.mjs';
import { PROXIED_HEADERS, nodeRequest } from './address.mjs';

const decoder = new TextDecoder();
const encoder = new TextEncoder();
const hopsOne = (addr, i) => i < 1;
const refuse = (status, error) => ({ ok: false, status, error });

/** The idiomatic Node stack: one function per delivery, synchronous. */
export function nodeStack({ secret, allowlist }) {
  const allowed = ipaddrMatcher(allowlist);
  return (req, body) => {
    const ip = proxyaddr(req, hopsOne);
    if (!allowed(ip)) return refuse(403, 'ip_not_allowed');
    const header = req.headers['content-sha256'];
    if (typeof header !== 'string') return refuse(401, 'signature_missing');
    const got = Buffer.from(header, 'base64'); // R2 sends base64 of the hex text
    const expected = Buffer.from(createHmac('sha256', secret).update(body).digest('hex'));
    if (got.length !== expected.length || !timingSafeEqual(got, expected)) return refuse(401, 'signature_mismatch');
    let parsed;
    try {
      parsed = zodR2(decoder.decode(body));
    } catch {
      return refuse(400, 'payload_not_json');
    }
    if (!parsed.success) return refuse(422, 'payload_invalid');
    const event = parsed.data;
    const hash = createHash('sha256').update(canonicalJson(event)).digest('base64url').slice(0, 22);
    return { ok: true, status: 200, event, dedupKey: `r2:${event.event.event_type}:${hash}`, clientIp: ip };
  };
}

/** The same with WebCrypto (key imported once): two awaits per delivery. */
export async function webCryptoStack({ secret, allowlist }) {
  const allowed = ipaddrMatcher(allowlist);
  const key = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
  return async (req, body) => {
    const ip = proxyaddr(req, hopsOne);
    if (!allowed(ip)) return refuse(403, 'ip_not_allowed');
    const header = req.headers['content-sha256'];
    const tag = typeof header === 'string' ? base64HexToTag(header) : null;
    if (tag === null) return refuse(401, 'signature_malformed');
    if (!(await crypto.subtle.verify('HMAC', key, tag, body))) return refuse(401, 'signature_mismatch');
    let parsed;
    try {
      parsed = zodR2(decoder.decode(body));
    } catch {
      return refuse(400, 'payload_not_json');
    }
    if (!parsed.success) return refuse(422, 'payload_invalid');
    const event = parsed.data;
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(canonicalJson(event))));
    return { ok: true, status: 200, event, dedupKey: `r2:${event.event.event_type}:${base64url(digest).slice(0, 22)}`, clientIp: ip };
  };
}

export async function delivery({ quick = false } = {}) {
  const body = r2Body(1024);
  const req = nodeRequest({ ...PROXIED_HEADERS, 'content-sha256': signR2(body, SECRET) });
  const allowlist = R2_ALLOWLIST.entries();
  const receiver = r2Receiver({ secrets: [SECRET], allowlist: R2_ALLOWLIST, trust: { hops: 1 } });
  const node = nodeStack({ secret: SECRET, allowlist });
  const web = await webCryptoStack({ secret: SECRET, allowlist });
  const impls = [
    { impl: 'payhook r2Receiver.receive({ body, headers, peer })', payhook: true, fn: () => receiver.receive({ body, headers: req.headers, peer: req }) },
    { impl: 'proxy-addr + ipaddr.js + node:crypto + JSON.parse + zod + sha256 key', short: 'idiomatic Node stack (node:crypto)', fn: () => node(req, body) },
    { impl: 'the same with WebCrypto (verify + digest awaited)', short: 'the same stack with WebCrypto', async: true, fn: () => web(req, body) },
  ];
  const keys = new Set();
  await check(impls, (got) => got?.ok === true && keys.add(got.dedupKey));
  const rows = await compare(impls, { rounds: quick ? 7 : 41 });
  return {
    id: 'delivery',
    title: 'Whole delivery in Node (1 KiB R2 event)',
    note: `address (X-Forwarded-For, 1 hop, R2's allowlist) + signature (base64-hex) + parse + validate + dedup key. ${keys.size === 1 ? 'All three stacks derive the same dedup key.' : `Dedup keys differ between stacks: ${[...keys].join(' / ')}.`} The idiomatic stacks accept only R2's base64-hex encoding; payhook tells all four apart. Node's WebCrypto runs on the libuv thread pool: two thread hops per delivery, slow and load-sensitive on a busy machine.`,
    comparisons: [{ id: 'delivery-node', title: 'whole delivery, Node, 1 KiB R2 event', short: 'Node, 1 KiB R2', bytes: body.length, rows }],
  };
}
