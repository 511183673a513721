// Starts the receiver and sends it real R2 and Belvo deliveries over HTTP on 127.0.0.1,
// then prints what it answered. The secrets are random per run and never printed.
import { randomBytes } from 'node:crypto';
import { fixture, signR2 } from 'payhook';
import { startReceiver } from './receiver.mjs';

const random = () => randomBytes(24).toString('hex');
const basic = (user, password) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

// An R2 financing_created event and a Belvo PAYMENT_INTENTS status update, as the bytes sent.
const r2Body = JSON.stringify({
  event: { event_time: 1348177752, event_type: 'financing_created', event_metadata: {} },
  financing: {
    financing_id: 'fa5c8a0b0f492d768749333ad6fcc214c111e967', disbursed_amount: 12200,
    total_repayment_amount: 14606, repayment_rate: 17.36, currency: 'COP', created_at: 1570471067,
    status: 'ACTIVE', due_date: 1570471067, external_merchant_id: '5509723654647999613',
    financing_kind: 'REFILL', fixed_fee: 177.9,
  },
});
const belvoBody = JSON.stringify({
  webhook_id: '3b9a69f7-0f0a-455b-832d-49ad6fd4905c', webhook_type: 'PAYMENT_INTENTS',
  webhook_code: 'STATUS_UPDATE', object_id: 'd2e40773-19f6-48d1-93c3-3590ec0c74df',
  external_id: 'c3c51aaf-aaa3-400c-926d-87ab62e195fd',
  data: {
    status: 'FAILED', metadata: { internal_reference_id: 'GGq12345w2' }, failure_code: 'consent_expired',
    failure_message: 'The payment consent was not accepted in time.', end_to_end_id: 'E432158152024081610416f2b595b056',
  },
});
// R2 during a secret rotation: the receiver accepts the new secret and, for now, the old one.
// An unpadded base64url value with neither '-' nor '_' is plain base64 as well (payhook then
// reports 'base64'), so draw the new secret until its base64url signature shows that alphabet.
let r2New;
do r2New = random(); while (!/[-_]/.test(signR2(r2Body, r2New, { encoding: 'base64url' })));
const r2Old = random();
// Belvo: the webhook was registered with a Bearer token, or with Basic user:password.
const belvoToken = random();
const belvoUser = 'payhook-demo';
const belvoPassword = random();

// The same event as R2's other page writes it (event_time as a string, other key order):
// other bytes, so another signature, but the same event and so the same dedup key.
const r2Restyled = JSON.stringify({ financing: JSON.parse(r2Body).financing, event: { ...JSON.parse(r2Body).event, event_time: '1348177752' } }, null, 2);
const r2Returned = JSON.stringify(fixture('r2', 'collection_returned'));
const r2NoEvent = JSON.stringify({ financing: JSON.parse(r2Body).financing });
const tampered = r2Body.replace('"disbursed_amount":12200', '"disbursed_amount":92200');
const oversized = r2Body.replace('"event_metadata":{}', `"event_metadata":{"note":"${'x'.repeat(2 << 20)}"}`);

// The receiver runs as if behind nginx on this host: the proxy at 127.0.0.1 reports each
// sender in X-Forwarded-For, and only R2's and Belvo's published addresses are let in.
const R2_PROD = '54.215.38.39';
const BELVO = '3.130.254.46';
const trust = { proxies: ['127.0.0.1', '::1'] };

// What R2 sends: its User-Agent, JSON, and the HMAC of the body in Content-Sha256.
const r2 = (what, { body = r2Body, signature = signR2(body, r2New), from = R2_PROD } = {}, expect) => ({
  provider: 'R2', path: '/webhooks/r2', what, body, expect, from,
  headers: {
    'user-agent': 'R2 API', 'content-type': 'application/json', 'x-forwarded-for': from,
    ...(signature != null && { 'content-sha256': signature }),
  },
});
const belvo = (what, authorization, expect, from = BELVO) => ({
  provider: 'Belvo', path: '/webhooks/belvo', what, body: belvoBody, expect, from,
  headers: { 'content-type': 'application/json', 'x-forwarded-for': from, ...(authorization != null && { authorization }) },
});
const accepted = (why) => ({ status: 200, why });
const rejected = (status, why) => ({ status, why });

const deliveries = [
  r2('valid, base64-hex (the default)', {}, accepted('base64-hex, secret #0')),
  r2('valid, hex', { signature: signR2(r2Body, r2New, { encoding: 'hex' }) }, accepted('hex, secret #0')),
  r2('valid, base64', { signature: signR2(r2Body, r2New, { encoding: 'base64' }) }, accepted('base64, secret #0')),
  r2('valid, base64url', { signature: signR2(r2Body, r2New, { encoding: 'base64url' }) }, accepted('base64url, secret #0')),
  r2("valid, base64-hex with one '=' dropped", { signature: signR2(r2Body, r2New).replace(/=$/, '') }, accepted('base64-hex, secret #0')),
  r2('signed with the old secret (rotation)', { signature: signR2(r2Body, r2Old) }, accepted('base64-hex, secret #1')),
  r2('tampered body (amount changed)', { body: tampered, signature: signR2(r2Body, r2New) }, rejected(401, 'signature_mismatch')),
  r2('signed with a wrong secret', { signature: signR2(r2Body, random()) }, rejected(401, 'signature_mismatch')),
  r2('no Content-Sha256 header', { signature: null }, rejected(401, 'signature_missing')),
  r2("garbage header 'not-a-signature'", { signature: 'not-a-signature' }, rejected(400, 'signature_malformed')),
  r2('validly signed, but a 2 MiB body', { body: oversized }, rejected(413, 'payload_too_large')),
  r2("validly signed, from an address not on R2's list", { from: '203.0.113.66' }, rejected(403, 'ip_not_allowed')),
  r2("R2's address forged left of the real sender", { from: `${R2_PROD}, 203.0.113.66` }, rejected(403, 'ip_not_allowed')),
  r2('from R2 DEV, which R2_ALLOWLIST includes', { from: '54.151.119.16' }, accepted('base64-hex, secret #0')),
  r2('same event, event_time as a string, re-indented', { body: r2Restyled }, accepted('base64-hex, secret #0')),
  r2('another event: collection_returned', { body: r2Returned }, accepted('base64-hex, secret #0')),
  r2('validly signed, but no event object', { body: r2NoEvent }, rejected(422, 'payload_invalid')),
  belvo('right Bearer token', `Bearer ${belvoToken}`, accepted('bearer, accepted #0')),
  belvo("right token, lower-case 'bearer'", `bearer ${belvoToken}`, accepted('bearer, accepted #0')),
  belvo('right Basic user:password', basic(belvoUser, belvoPassword), accepted('basic, accepted #1')),
  belvo('wrong Bearer token', `Bearer ${random()}`, rejected(401, 'authorization_mismatch')),
  belvo('wrong Basic password', basic(belvoUser, random()), rejected(401, 'authorization_mismatch')),
  belvo('no Authorization header', null, rejected(401, 'authorization_missing')),
  belvo("'Bearer' with no token", 'Bearer', rejected(400, 'authorization_malformed')),
  belvo("right token, but from R2's address", `Bearer ${belvoToken}`, rejected(403, 'ip_not_allowed'), R2_PROD),
];

// Sends one delivery and says what the receiver answered: its status, and why.
async function deliver(url, { path, headers, body }) {
  try {
    const res = await fetch(url + path, { method: 'POST', headers, body, signal: AbortSignal.timeout(10_000) });
    const text = await res.text();
    const parsed = res.ok && {
      event: res.headers.get('x-payhook-event'),
      dedup: res.headers.get('x-payhook-duplicate') === 'true' ? 'duplicate' : 'new',
      key: res.headers.get('x-payhook-dedup-key'),
    };
    return { ...verdict(res, path, text), ...parsed };
  } catch (err) {
    return { status: 'ERR', why: err.cause?.code ?? err.name };
  }
}

// The receiver's status, and why: how it verified the delivery, or the error code.
function verdict(res, path, text) {
  if (res.ok && path === '/webhooks/r2') {
    if (text !== 'R2 API Event Received') return { status: res.status, why: 'unexpected body' };
    return { status: res.status, why: `${res.headers.get('x-payhook-encoding')}, secret #${res.headers.get('x-payhook-secret-index')}` };
  }
  if (res.ok) {
    return { status: res.status, why: `${res.headers.get('x-payhook-scheme')}, accepted #${res.headers.get('x-payhook-accepted-index')}` };
  }
  let error;
  try { ({ error } = JSON.parse(text)); } catch { /* not JSON: reported below */ }
  return { status: res.status, why: error ?? 'no error code' };
}

// A stuck server or request must not hang the demo.
setTimeout(() => {
  console.error('demo: timed out');
  process.exit(1);
}, 60_000).unref();

const receiver = await startReceiver({
  trust,
  r2Secrets: [r2New, r2Old],
  belvoAccepted: [`Bearer ${belvoToken}`, basic(belvoUser, belvoPassword)],
});
const rows = [];
const keys = new Map(); // dedup key -> deliveries accepted with it
try {
  console.log(`demo: receiver on ${receiver.url}, as if behind a proxy at 127.0.0.1 (R2 secrets: new and old;`);
  console.log('      Belvo accepts a Bearer and a Basic value; each route admits only its provider\'s addresses)\n');
  for (const delivery of deliveries) {
    const got = await deliver(receiver.url, delivery);
    const { expect } = delivery;
    const ok = got.status === expect.status && got.why === expect.why;
    if (got.key) keys.set(got.key, (keys.get(got.key) ?? 0) + 1);
    rows.push([
      delivery.provider, delivery.what, delivery.from, String(got.status),
      got.status === 200 ? 'accepted' : 'rejected', got.why, got.event ?? '', got.dedup ?? '',
      ok ? 'yes' : `NO: expected ${expect.status} ${expect.why}`,
    ]);
  }
} finally {
  await receiver.close();
}

const table = [['provider', 'delivery', 'from (X-Forwarded-For)', 'http', 'verdict', 'why', 'event', 'dedup', 'as expected'], ...rows];
const widths = table[0].map((_, i) => Math.max(...table.map((row) => row[i].length)));
const line = (row) => row.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd();
console.log(line(table[0]));
console.log(line(widths.map((w) => '-'.repeat(w))));
rows.forEach((row) => console.log(line(row)));

console.log('\ndedup keys of the accepted deliveries (one event each, however often it arrived):');
for (const [key, n] of keys) console.log(`  ${key}  ${n} deliver${n === 1 ? 'y' : 'ies'}`);

const good = rows.filter((row) => row.at(-1) === 'yes').length;
console.log(`\ndemo: ${rows.length} deliveries, ${good} as expected`);
process.exitCode = good === rows.length ? 0 : 1;
