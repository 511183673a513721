// Signature check, R2's Content-Sha256 (HMAC-SHA256 of the raw body), on bodies of 256 B to
// 1 MiB: payhook beside node:crypto, WebCrypto, @noble/hashes and the pure-JS HMAC that the
// standardwebhooks package uses (fast-sha256, with its own timingSafeEqual). Every
// implementation gets the same bytes and the same hex header, and must say "valid" before it
// is timed.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createRequire } from 'node:module';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { hexToBytes as nobleHexToBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { r2Receiver, signR2, verifyR2Signature } from 'payhook';
import { check, compare } from '../lib/harness.mjs';
import { SECRET, equalBytes, hexToBytes, r2Body } from '../lib/inputs.mjs';

// standardwebhooks signs with fast-sha256's hmac and compares with its own timingSafeEqual:
// load both from where standardwebhooks itself resolves them.
const fromStandardWebhooks = createRequire(createRequire(import.meta.url).resolve('standardwebhooks'));
const fastSha256 = fromStandardWebhooks('fast-sha256');
const { timingSafeEqual: swTimingSafeEqual } = fromStandardWebhooks('./timing_safe_equal.js');

export const SIZES = [256, 1024, 16 * 1024, 1024 * 1024];
const label = (n) => (n >= 1 << 20 ? `${n >> 20} MiB` : n >= 1024 ? `${n >> 10} KiB` : `${n} B`);

export async function signature({ quick = false } = {}) {
  const secretBytes = utf8ToBytes(SECRET);
  const webKey = await crypto.subtle.importKey('raw', secretBytes, { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
  const receiver = r2Receiver({ secrets: [SECRET] });
  const comparisons = [];
  for (const size of SIZES) {
    const body = r2Body(size);
    const header = signR2(body, SECRET, { encoding: 'hex' });
    const headers = { 'content-sha256': header };
    const impls = [
      { impl: 'payhook verifyR2Signature', payhook: true, fn: () => verifyR2Signature(body, header, SECRET) },
      { impl: 'payhook r2Receiver.receive (keys cached; + parse, validate, dedup key)', payhook: true, secondary: true, fn: () => receiver.receive({ body, headers }) },
      {
        impl: 'node:crypto createHmac + timingSafeEqual',
        short: 'node:crypto',
        fn: () => {
          const tag = Buffer.from(header, 'hex');
          const mac = createHmac('sha256', SECRET).update(body).digest();
          return tag.length === mac.length && timingSafeEqual(mac, tag);
        },
      },
      { impl: 'WebCrypto subtle.verify (key imported once)', short: 'WebCrypto', async: true, fn: () => crypto.subtle.verify('HMAC', webKey, hexToBytes(header), body) },
      { impl: '@noble/hashes hmac + constant-time compare', short: '@noble/hashes', fn: () => equalBytes(hmac(sha256, secretBytes, body), nobleHexToBytes(header)) },
      { impl: 'standardwebhooks (fast-sha256 hmac + its timingSafeEqual)', short: 'standardwebhooks (fast-sha256)', fn: () => swTimingSafeEqual(fastSha256.hmac(secretBytes, body), hexToBytes(header)) },
    ];
    await check(impls, (got) => got === true || got?.secretIndex === 0 || got?.ok === true);
    const big = size >= 1 << 20;
    const rows = await compare(impls, big ? { sampleMs: 8, rounds: quick ? 5 : 15 } : { rounds: quick ? 7 : 31 });
    comparisons.push({ id: `signature-${size}`, title: `signature check, ${label(size)} body`, short: `signature, ${label(size)}`, bytes: size, rows });
  }
  return {
    id: 'signature',
    title: 'Signature check (R2 Content-Sha256, hex header)',
    note: 'payhook verifyR2Signature takes the secret each call (keys derived per call); the receiver row caches keys but also parses, validates and derives the dedup key. WebCrypto is awaited per call; Node runs each WebCrypto operation on the libuv thread pool, so on a busy machine its latency depends on scheduling (see its p10–p90).',
    comparisons,
  };
}
