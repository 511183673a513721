// Starts the receiver (receiver.mjs) and has the `payhook send` command deliver real R2 and
// Belvo webhooks to it over HTTP on 127.0.0.1, exactly as the providers would: their headers,
// their signatures, and their retry schedules (sped up). Prints what happened to each delivery
// and exits 0 only when every verdict is the expected one. The secrets are random per run and
// never printed.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deliveryPolicy, signR2 } from 'payhook';
import { fixture } from 'payhook/tools';
import { startReceiver } from './receiver.mjs';

const random = () => randomBytes(24).toString('hex');
const basic = (user, password) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

// The installed CLI: node_modules/.bin/payhook, as `npx payhook` runs it.
const bin = fileURLToPath(new URL('./node_modules/.bin/payhook', import.meta.url));
const cli = existsSync(bin)
  ? [bin]
  : [process.execPath, join(dirname(createRequire(import.meta.url).resolve('payhook/package.json')), 'cli.js')];

// Bodies, as the bytes sent: an R2 financing_created event and a Belvo PAYMENT_INTENTS status
// update (the providers' own samples), and the variants the rows below need. R2 signs the
// event's time (event_time, unix seconds) and a receiver refuses one outside its replay window
// (14 days by default), so the R2 bodies are stamped as sent now; fixtures named on the
// command line are stamped by `payhook send` itself.
const files = mkdtempSync(join(tmpdir(), 'payhook-demo-'));
const bodyFile = (name, text) => {
  const path = join(files, name);
  writeFileSync(path, text);
  return path;
};
const now = Math.floor(Date.now() / 1000);
const r2Event = {
  event: { event_time: now, event_type: 'financing_created', event_metadata: {} },
  financing: {
    financing_id: 'fa5c8a0b0f492d768749333ad6fcc214c111e967', disbursed_amount: 12200,
    total_repayment_amount: 14606, repayment_rate: 17.36, currency: 'COP', created_at: 1570471067,
    status: 'ACTIVE', due_date: 1570471067, external_merchant_id: '5509723654647999613',
    financing_kind: 'REFILL', fixed_fee: 177.9,
  },
};
const r2Body = JSON.stringify(r2Event);
const r2File = bodyFile('financing_created.json', r2Body);
// The same event as R2's other page writes it (event_time as a string, other key order,
// indented): other bytes, so another signature, but the same event and so the same dedup key.
const restyledFile = bodyFile('restyled.json', JSON.stringify({ financing: r2Event.financing, event: { ...r2Event.event, event_time: String(now) } }, null, 2));
const tamperedFile = bodyFile('tampered.json', r2Body.replace('"disbursed_amount":12200', '"disbursed_amount":92200'));
const oversizedFile = bodyFile('oversized.json', r2Body.replace('"event_metadata":{}', `"event_metadata":{"note":"${'x'.repeat(2 << 20)}"}`));
const noEventFile = bodyFile('no-event.json', JSON.stringify({ financing: r2Event.financing }));
// A genuine delivery captured and replayed 15 days later: validly signed, but past the window.
const replayedFile = bodyFile('replayed.json', JSON.stringify({ ...r2Event, event: { ...r2Event.event, event_time: now - 15 * 86_400 } }));
// An event type R2 may add tomorrow: accepted leniently, parsed as an unknown event.
const unknownR2File = bodyFile('unknown-type.json', JSON.stringify({
  event: { event_time: now, event_type: 'financing_restructured', event_metadata: {} },
  financing: { financing_id: 'fa5c8a0b0f492d768749333ad6fcc214c111e967', new_due_date: 1733011200 },
}));
const unknownBelvoFile = bodyFile('unknown-belvo.json', JSON.stringify({
  ...fixture('belvo', 'PAYMENT_INTENTS.STATUS_UPDATE'), webhook_type: 'PIX_KEYS', webhook_code: 'STATUS_UPDATE',
}));

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

// The receiver runs as if behind nginx on this host: the proxy at 127.0.0.1 reports each
// sender in X-Forwarded-For, and only R2's and Belvo's published addresses are let in.
const R2_PROD = '54.215.38.39';
const BELVO = '3.130.254.46';
const trust = { proxies: ['127.0.0.1', '::1'] };

// Retries: a refused delivery goes through the provider's whole schedule (R2: 30 h 20 min)
// in about 0.1 s; the flaky route's retries run at 1/10000 so their waits can be seen.
const REFUSED_SPEED = 1_000_000;
const FLAKY_SPEED = 10_000;

/** One `payhook send` row: what to send, and the verdict expected for each delivery. */
const r2 = (what, source, { args = [], from = R2_PROD, path = '/webhooks/r2', expect, speed = REFUSED_SPEED }) => ({
  provider: 'R2', what, from, path, expect,
  args: ['r2', source, ...args, '--header', `X-Forwarded-For: ${from}`, '--speed', String(speed)],
});
const belvo = (what, source, { args = [], from = BELVO, expect }) => ({
  provider: 'Belvo', what, from, path: '/webhooks/belvo', expect,
  args: ['belvo', source, ...args, '--header', `X-Forwarded-For: ${from}`, '--speed', String(REFUSED_SPEED)],
});
const sign = (args = []) => ['--secret', r2New, ...args];
const signature = (value) => ['--header', `Content-Sha256: ${value}`];
/** Accepted on the first attempt; `dedup` says whether the event was new or a duplicate. */
const accepted = (why, dedup, event) => [{ status: 200, why, dedup, attempts: 1, delivered: true, event }];
/** Refused on every attempt of the provider's schedule, then given up. */
const refused = (provider, status, why) => [{ status, why, attempts: 1 + deliveryPolicy(provider).retryDelaysMs.length, delivered: false }];

const sends = [
  r2('valid, base64-hex (the default)', r2File, { args: sign(), expect: accepted('base64-hex, secret #0', 'new') }),
  r2('valid, hex', r2File, { args: sign(['--encoding', 'hex']), expect: accepted('hex, secret #0', 'duplicate') }),
  r2('valid, base64', r2File, { args: sign(['--encoding', 'base64']), expect: accepted('base64, secret #0', 'duplicate') }),
  r2('valid, base64url', r2File, { args: sign(['--encoding', 'base64url']), expect: accepted('base64url, secret #0', 'duplicate') }),
  r2("valid, base64-hex with one '=' dropped", r2File, { args: signature(signR2(r2Body, r2New).replace(/=$/, '')), expect: accepted('base64-hex, secret #0', 'duplicate') }),
  r2('signed with the old secret (rotation)', r2File, { args: ['--secret', r2Old], expect: accepted('base64-hex, secret #1', 'duplicate') }),
  r2('tampered body (amount changed)', tamperedFile, { args: signature(signR2(r2Body, r2New)), expect: refused('r2', 401, 'signature_mismatch') }),
  r2('signed with a wrong secret', r2File, { args: ['--secret', random()], expect: refused('r2', 401, 'signature_mismatch') }),
  r2('no Content-Sha256 header', r2File, { expect: refused('r2', 401, 'signature_missing') }),
  r2("garbage header 'not-a-signature'", r2File, { args: signature('not-a-signature'), expect: refused('r2', 400, 'signature_malformed') }),
  r2('validly signed, but a 2 MiB body', oversizedFile, { args: sign(), expect: refused('r2', 413, 'payload_too_large') }),
  r2("validly signed, from an address not on R2's list", r2File, { args: sign(), from: '203.0.113.66', expect: refused('r2', 403, 'ip_not_allowed') }),
  r2("R2's address forged left of the real sender", r2File, { args: sign(), from: `${R2_PROD}, 203.0.113.66`, expect: refused('r2', 403, 'ip_not_allowed') }),
  r2('from R2 DEV, which R2_ALLOWLIST includes', r2File, { args: sign(), from: '54.151.119.16', expect: accepted('base64-hex, secret #0', 'duplicate') }),
  r2('same event, event_time as a string, re-indented', restyledFile, { args: sign(), expect: accepted('base64-hex, secret #0', 'duplicate') }),
  r2('validly signed, but no event object', noEventFile, { args: sign(), expect: refused('r2', 422, 'payload_invalid') }),
  // Acknowledged with R2's success answer, so R2 stops retrying, but never handled.
  r2('validly signed, but sent 15 days ago (a replay)', replayedFile, {
    args: sign(), expect: [{ status: 200, why: 'event_stale', attempts: 1, delivered: true, dedup: undefined, event: undefined }],
  }),
  r2('an event type payhook does not know', unknownR2File, { args: sign(), expect: accepted('base64-hex, secret #0', 'new', 'financing_restructured (unknown)') }),
  r2('collection_returned, re-delivered (--times 2)', 'collection_returned', {
    args: sign(['--times', '2']), expect: [...accepted('base64-hex, secret #0', 'new'), ...accepted('base64-hex, secret #0', 'duplicate')],
  }),
  r2('financing_paid to a receiver down twice', 'financing_paid', {
    args: sign(), path: '/webhooks/r2/flaky', speed: FLAKY_SPEED,
    expect: [{ status: 200, why: 'base64-hex, secret #0', dedup: 'new', attempts: 3, delivered: true, statuses: '503 503 200' }],
  }),
  belvo('right Bearer token', 'PAYMENT_INTENTS.STATUS_UPDATE', { args: ['--authorization', `Bearer ${belvoToken}`], expect: accepted('bearer, accepted #0', 'new') }),
  belvo("right token, lower-case 'bearer'", 'PAYMENT_INTENTS.STATUS_UPDATE', { args: ['--authorization', `bearer ${belvoToken}`], expect: accepted('bearer, accepted #0', 'duplicate') }),
  belvo('right Basic user:password', 'PAYMENT_INTENTS.STATUS_UPDATE', { args: ['--authorization', basic(belvoUser, belvoPassword)], expect: accepted('basic, accepted #1', 'duplicate') }),
  belvo('wrong Bearer token', 'PAYMENT_INTENTS.STATUS_UPDATE', { args: ['--authorization', `Bearer ${random()}`], expect: refused('belvo', 401, 'authorization_mismatch') }),
  belvo('wrong Basic password', 'PAYMENT_INTENTS.STATUS_UPDATE', { args: ['--authorization', basic(belvoUser, random())], expect: refused('belvo', 401, 'authorization_mismatch') }),
  belvo('no Authorization header', 'PAYMENT_INTENTS.STATUS_UPDATE', { expect: refused('belvo', 401, 'authorization_missing') }),
  belvo("'Bearer' with no token", 'PAYMENT_INTENTS.STATUS_UPDATE', { args: ['--authorization', 'Bearer'], expect: refused('belvo', 400, 'authorization_malformed') }),
  belvo("right token, but from R2's address", 'PAYMENT_INTENTS.STATUS_UPDATE', { args: ['--authorization', `Bearer ${belvoToken}`], from: R2_PROD, expect: refused('belvo', 403, 'ip_not_allowed') }),
  belvo('CHARGES succeeded, re-delivered (--times 2)', 'CHARGES.STATUS_UPDATE', {
    args: ['--authorization', `Bearer ${belvoToken}`, '--status', 'SUCCEEDED', '--times', '2'],
    expect: [...accepted('bearer, accepted #0', 'new'), ...accepted('bearer, accepted #0', 'duplicate')],
  }),
  belvo('a type/code pair payhook does not know', unknownBelvoFile, {
    args: ['--authorization', `Bearer ${belvoToken}`], expect: accepted('bearer, accepted #0', 'new', 'PIX_KEYS.STATUS_UPDATE (unknown)'),
  }),
];

/** Runs `payhook send <url> … --json`; resolves to its exit code and report. */
function payhookSend(url, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(cli[0], [...cli.slice(1), 'send', url, ...args, '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (code) => {
      try {
        resolve({ code, report: JSON.parse(stdout) });
      } catch {
        reject(new Error(`payhook send exited with ${code}: ${stderr.trim()}`));
      }
    });
  });
}

/** What the receiver made of one delivery (its last attempt): status, why, event, dedup. */
function outcome(delivery) {
  const last = delivery.attempts.at(-1);
  const headers = last.headers ?? {};
  const got = { status: last.status ?? last.error, attempts: delivery.attempts.length, delivered: delivery.delivered };
  got.statuses = delivery.attempts.map((a) => a.status ?? a.error).join(' ');
  if (last.status === 200 && headers['x-payhook-refused']) {
    got.why = headers['x-payhook-refused']; // acknowledged (R2 stops retrying), not handled
  } else if (last.status === 200 && headers['x-payhook-event']) {
    got.why = headers['x-payhook-encoding']
      ? `${headers['x-payhook-encoding']}, secret #${headers['x-payhook-secret-index']}`
      : `${headers['x-payhook-scheme']}, accepted #${headers['x-payhook-accepted-index']}`;
    got.event = `${headers['x-payhook-event']}${headers['x-payhook-known-type'] === 'false' ? ' (unknown)' : ''}`;
    got.dedup = headers['x-payhook-duplicate'] === 'true' ? 'duplicate' : 'new';
    got.key = headers['x-payhook-dedup-key'];
    if (last.exactBody === false) got.why += ', body not exact';
  } else {
    try {
      got.why = JSON.parse(last.body).error ?? 'no error code';
    } catch {
      // `payhook send` reports the first 200 characters of an answer: a long refusal (a
      // payload's issues) is cut, but its code comes first.
      got.why = /^\{"error":"([a-z_]+)"/.exec(last.body ?? '')?.[1] ?? last.error ?? 'no error code';
    }
  }
  return got;
}

/** Every expected field (and the event, when one is expected) must match. */
function matches(got, expect) {
  return Object.entries(expect).every(([key, value]) => value === undefined || got[key] === value)
    && (expect.status !== 200 || expect.event !== undefined || !got.event?.endsWith('(unknown)'))
    // An acknowledged stale event was not accepted: no event, no dedup key.
    && (expect.why !== 'event_stale' || (got.event === undefined && got.key === undefined));
}

// A stuck server or request must not hang the demo.
setTimeout(() => {
  console.error('demo: timed out');
  process.exit(1);
}, 120_000).unref();

const receiver = await startReceiver({
  trust,
  flaky: 2,
  r2Secrets: [r2New, r2Old],
  belvoAccepted: [`Bearer ${belvoToken}`, basic(belvoUser, belvoPassword)],
});
const rows = [];
const keys = new Map(); // dedup key -> deliveries accepted with it
let flakyReport;
try {
  console.log(`demo: receiver on ${receiver.url}, as if behind a proxy at 127.0.0.1 (R2 secrets: new and old;`);
  console.log("      Belvo accepts a Bearer and a Basic value; each route admits only its provider's addresses).");
  console.log(`      Every delivery below is \`payhook send ${receiver.url}/webhooks/… <provider> <type|file> … --json\`.\n`);
  for (const send of sends) {
    const { report } = await payhookSend(receiver.url + send.path, send.args);
    if (send.path.endsWith('/flaky')) flakyReport = report;
    report.deliveries.forEach((delivery, i) => {
      const got = outcome(delivery);
      const expect = send.expect[i] ?? { missing: true };
      const ok = send.expect.length === report.deliveries.length && matches(got, expect);
      if (got.key) keys.set(got.key, (keys.get(got.key) ?? 0) + 1);
      // What the sender saw: how many attempts, and whether it delivered or gave up.
      const varied = new Set(got.statuses.split(' ')).size > 1;
      const sender = `${got.attempts}${varied ? ` (${got.statuses})` : ''}, ${got.delivered ? 'delivered' : 'gave up'}`;
      rows.push([
        send.provider, report.deliveries.length > 1 ? `${send.what} #${i + 1}` : send.what, send.from,
        String(got.status), got.status !== 200 ? 'refused' : got.event ? 'accepted' : 'acknowledged', got.why, got.event ?? '', got.dedup ?? '', sender,
        ok ? 'yes' : `NO: expected ${expect.status} ${expect.why}${expect.dedup ? ` ${expect.dedup}` : ''}, ${expect.attempts} attempt(s)`,
      ]);
    });
  }
} finally {
  await receiver.close();
  rmSync(files, { recursive: true, force: true });
}

const table = [['provider', 'delivery', 'from (X-Forwarded-For)', 'http', 'verdict', 'why', 'event', 'dedup', 'sender: attempts', 'as expected'], ...rows];
const widths = table[0].map((_, i) => Math.max(...table.map((row) => row[i].length)));
const line = (row) => row.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd();
console.log(line(table[0]));
console.log(line(widths.map((w) => '-'.repeat(w))));
rows.forEach((row) => console.log(line(row)));

// The retry schedule at work: R2's real waits, and the compressed ones the flaky route saw.
const policy = deliveryPolicy('r2');
const human = (ms) => {
  const h = Math.floor(ms / 3_600_000);
  const min = Math.round((ms % 3_600_000) / 60_000);
  return [h && `${h} h`, min && `${min} min`].filter(Boolean).join(' ');
};
console.log(`\nR2 retries a failed delivery after ${policy.retryDelaysMs.map(human).join(', ')} (then gives up).`);
console.log(`Refused deliveries above ran that schedule at --speed ${REFUSED_SPEED}; the receiver that was down twice, at --speed ${FLAKY_SPEED}:`);
for (const a of flakyReport?.deliveries[0].attempts ?? []) {
  const wait = a.waitedMs ? `after ${a.waitedMs} ms (R2: ${human(a.waitedMs * FLAKY_SPEED)}), ` : '';
  console.log(`  attempt ${a.attempt}: ${wait}${a.status} ${a.body}  ${a.satisfied ? 'delivered' : 'R2 will retry'}`);
}

console.log('\ndedup keys of the accepted deliveries (each event handled once, however often it arrived):');
const keyWidth = Math.max(...[...keys.keys()].map((key) => key.length));
for (const [key, n] of keys) {
  console.log(`  ${key.padEnd(keyWidth)}  ${n} deliver${n === 1 ? 'y' : 'ies'}, handled ${receiver.handled.get(key) ?? 0}x`);
}

// Every accepted event handled once, and nothing else handled (a stale event never is).
const handledOnce = [...keys.keys()].every((key) => receiver.handled.get(key) === 1) && receiver.handled.size === keys.size;
const good = rows.filter((row) => row.at(-1) === 'yes').length;
if (!handledOnce) console.log('\ndemo: NO: an event was handled more or less than once');
console.log(`\ndemo: ${rows.length} deliveries, ${good} as expected`);
process.exitCode = good === rows.length && handledOnce ? 0 : 1;
