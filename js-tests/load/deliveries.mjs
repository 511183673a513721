// The load test's deliveries: a fixed, seeded mix of valid and invalid R2 and Belvo
// deliveries, each built before the run with the verdict the receiver must give it, so every
// single answer under load can be checked (not just counted).
import * as api from 'payhook';
import * as toolsApi from 'payhook/tools';
import { freshR2 } from '../suites/helpers.mjs';
// The package's API and payhook/tools' (fixtures, inspection, captures) as one.
const payhook = { ...api, ...toolsApi };

const { dedupKey, fixture, parseBelvoWebhook, parseR2Event, signR2 } = payhook;

export const R2_SECRET = 'load-r2-secret';
export const BELVO_AUTHORIZATION = 'Bearer load-belvo-token';
const R2_PROD = '54.215.38.39'; // on R2_ALLOWLIST
const BELVO = '3.130.254.46'; // on BELVO_ALLOWLIST
const STRANGER = '203.0.113.7'; // TEST-NET-3: on no allowlist
const ENCODINGS = ['base64', 'hex', 'base64url', 'base64-hex'];
const R2_OK = { status: 200, text: 'R2 API Event Received' };
const BELVO_OK = { status: 200, text: '{"received":true}' };
const refused = (status, error) => ({ status, error });

/**
 * Each kind: its weight in the mix, and how to build one delivery of it. `from(ip)` is the
 * target's forwarding header (X-Forwarded-For behind the Node example's trusted proxy,
 * CF-Connecting-IP on Workers); `next` gives unique events; `pick` an earlier valid one.
 * A duplicate of an accepted event gets the same success answer (the example dedups only
 * its handling), so it expects 200 and is counted in `handled` once.
 */
const KINDS = {
  'r2 valid': [30, ({ next, from }, i) => r2(next.r2(), from(R2_PROD), { encoding: ENCODINGS[i % 4] }, R2_OK)],
  'r2 duplicate': [8, ({ pick, from }, i) => r2(pick('r2'), from(R2_PROD), { encoding: ENCODINGS[(i + 1) % 4] }, R2_OK)],
  'r2 tampered body': [8, ({ next, from }) => {
    const body = next.r2(false);
    return { ...r2(body, from(R2_PROD), {}, refused(401, 'signature_mismatch')), body: body.replace('"disbursed_amount":12200', '"disbursed_amount":99999') };
  }],
  'r2 wrong secret': [6, ({ next, from }) => r2(next.r2(false), from(R2_PROD), { secret: 'not-the-secret' }, refused(401, 'signature_mismatch'))],
  'r2 malformed signature': [4, ({ next, from }) => r2(next.r2(false), from(R2_PROD), { header: 'sha256=not-a-mac' }, refused(400, 'signature_malformed'))],
  'r2 missing signature': [4, ({ next, from }) => r2(next.r2(false), from(R2_PROD), { header: null }, refused(401, 'signature_missing'))],
  'r2 wrong source': [6, ({ next, from }) => r2(next.r2(false), from(STRANGER), {}, refused(403, 'ip_not_allowed'))],
  // Node: an allowlisted address forged on the left of X-Forwarded-For, the real one on the
  // right. Workers: the same forged in X-Forwarded-For, which `trust: 'cloudflare'` ignores.
  'r2 forged forwarding': [3, ({ next, from, worker }) => r2(next.r2(false),
    worker ? { ...from(STRANGER), 'x-forwarded-for': R2_PROD } : from(`${R2_PROD}, ${STRANGER}`), {}, refused(403, 'ip_not_allowed'))],
  'r2 malformed forwarding': [2, ({ next, from }) => r2(next.r2(false), from('not-an-ip'), {}, refused(400, 'header_malformed'))],
  // Validly signed, but sent 15 days ago (a replayed capture): acknowledged with R2's success
  // answer, so R2 stops retrying, and never handled (it is not among the accepted events).
  'r2 stale': [2, ({ next, from }) => r2(next.r2(false, true), from(R2_PROD), {}, R2_OK)],
  'r2 invalid payload': [4, ({ from }, i) => r2(JSON.stringify({ event: { event_type: 'financing_created', event_time: i } }), from(R2_PROD), {}, refused(422, 'payload_invalid'))],
  'r2 not json': [2, ({ from }, i) => r2(`not json ${i}`, from(R2_PROD), {}, refused(400, 'payload_not_json'))],
  // Sent alone, on its own connection (load/drive.mjs sendAlone says why).
  'r2 oversize': [0.3, ({ from, oversize }) => ({ ...r2(oversize, from(R2_PROD), {}, refused(413, 'payload_too_large')), alone: true })],
  'belvo valid': [12, ({ next, from }) => belvo(next.belvo(), from(BELVO), BELVO_AUTHORIZATION, BELVO_OK)],
  'belvo duplicate': [3, ({ pick, from }) => belvo(pick('belvo'), from(BELVO), BELVO_AUTHORIZATION, BELVO_OK)],
  'belvo wrong token': [4, ({ next, from }) => belvo(next.belvo(false), from(BELVO), 'Bearer guessed-token', refused(401, 'authorization_mismatch'))],
  'belvo missing token': [2, ({ next, from }) => belvo(next.belvo(false), from(BELVO), null, refused(401, 'authorization_missing'))],
  'belvo wrong source': [2, ({ next, from }) => belvo(next.belvo(false), from(STRANGER), BELVO_AUTHORIZATION, refused(403, 'ip_not_allowed'))],
};

function r2(body, forwarded, { encoding = 'base64', secret = R2_SECRET, header } = {}, expect) {
  const signature = header === undefined ? signR2(body, secret, { encoding }) : header;
  const headers = { 'content-type': 'application/json', 'user-agent': 'R2 API', ...forwarded };
  if (signature !== null) headers['content-sha256'] = signature;
  return { path: '/webhooks/r2', headers, body, expect };
}

function belvo(body, forwarded, authorization, expect) {
  const headers = { 'content-type': 'application/json', ...forwarded };
  if (authorization !== null) headers.authorization = authorization;
  return { path: '/webhooks/belvo', headers, body, expect };
}

/** A small seeded PRNG (mulberry32): the same mix on every run. */
function random(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * `count` deliveries for one target ('node' or 'worker'): [{ kind, path, headers, body,
 * expect: { status, text } | { status, error }, alone? }], and `handled`: the dedup keys of the
 * accepted events, each of which the example must handle exactly once.
 */
export function buildDeliveries(count, target, seed = 9) {
  const worker = target === 'worker';
  const from = (ip) => (worker ? { 'cf-connecting-ip': ip } : { 'x-forwarded-for': ip });
  // R2 events as sent now (a receiver refuses the fixture's 2012 event_time as event_stale),
  // and a template 15 days older for the stale kind.
  const sentAt = Date.now();
  const r2Template = freshR2(payhook, 'financing_created', {}, sentAt);
  const staleTemplate = freshR2(payhook, 'financing_created', {}, sentAt - 15 * 86_400_000);
  const belvoTemplate = fixture('belvo', 'PAYMENT_INTENTS.STATUS_UPDATE');
  const accepted = { r2: [], belvo: [] };
  let serial = 0;
  // Every event is unique (its id carries a serial number); `record` keeps the accepted ones
  // for duplicates.
  const next = {
    r2(record = true, stale = false) {
      const event = structuredClone(stale ? staleTemplate : r2Template);
      event.financing.financing_id = (++serial).toString(16).padStart(40, '0');
      const body = JSON.stringify(event);
      if (record) accepted.r2.push(body);
      return body;
    },
    belvo(record = true) {
      const event = structuredClone(belvoTemplate);
      event.object_id = `00000000-0000-4000-8000-${(++serial).toString(16).padStart(12, '0')}`;
      const body = JSON.stringify(event);
      if (record) accepted.belvo.push(body);
      return body;
    },
  };
  const rand = random(seed);
  // A duplicate before any valid event of its provider is a valid event instead.
  const pick = (provider) => {
    const list = accepted[provider];
    return list.length ? list[Math.floor(rand() * list.length)] : next[provider]();
  };
  const oversize = Buffer.alloc(1024 * 1024 + 1, 0x20); // 1 MiB + 1: the default maxBytes is 1 MiB
  const context = { next, pick, from, worker, oversize };

  const kinds = Object.entries(KINDS);
  const total = kinds.reduce((sum, [, [weight]]) => sum + weight, 0);
  const deliveries = [];
  for (let i = 0; i < count; i++) {
    let roll = rand() * total;
    const [kind, [, build]] = kinds.find(([, [weight]]) => (roll -= weight) < 0) ?? kinds[0];
    deliveries.push({ kind, ...build(context, i) });
  }
  const handled = new Set([
    ...accepted.r2.map((body) => dedupKey(parseR2Event(body))),
    ...accepted.belvo.map((body) => dedupKey(parseBelvoWebhook(body))),
  ]);
  return { deliveries, handled };
}
