// The Durable Object dedup store under miniflare (workerd): claims with their own tokens, which
// alone complete or release them; 50 concurrent deliveries of one event run the handler once;
// a handler that throws releases its claim; a claim whose holder died expires after its lease.
// Then the pattern for exactly-once effects in the user's own Durable Object (ledger-worker.mjs):
// the dedup key and the handler's writes in one storage transaction, counted in the storage.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import * as api from 'payhook';
import * as toolsApi from 'payhook/tools';
import { bundle, scratch, tools } from './runners/tools.mjs';
import { freshR2 } from './suites/helpers.mjs';
// The package's API and payhook/tools' (fixtures, inspection, captures) as one.
const payhook = { ...api, ...toolsApi };

const { dedupKey, parseR2Event, signR2 } = payhook;

process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= 'false';
process.env.WRANGLER_SEND_METRICS ??= 'false';
const SECRET = 'workers-r2-secret';
let mf;
let ledgerMf;

before(async () => {
  // Bundled as wrangler does: the workerd condition, the .wasm as a compiled module.
  const outdir = join(scratch, 'out', 'dedup-worker');
  const { outfile, wasm } = await bundle({
    entry: 'js-tests/dedup-worker.mjs', outdir, outName: 'worker.mjs', platform: 'neutral', conditions: ['workerd', 'worker'],
  });
  const { Miniflare } = tools()('miniflare');
  mf = new Miniflare({
    compatibilityDate: '2025-09-01',
    cf: false,
    modulesRoot: outdir,
    modules: [{ type: 'ESModule', path: outfile }, ...wasm.map((path) => ({ type: 'CompiledWasm', path }))],
    bindings: { R2_SECRET: SECRET },
    durableObjects: { DEDUP: 'PayhookDedupObject' },
  });
  await mf.ready;

  const ledgerDir = join(scratch, 'out', 'ledger-worker');
  const ledger = await bundle({
    entry: 'js-tests/ledger-worker.mjs', outdir: ledgerDir, outName: 'worker.mjs', platform: 'neutral', conditions: ['workerd', 'worker'],
  });
  ledgerMf = new Miniflare({
    compatibilityDate: '2025-09-01',
    cf: false,
    modulesRoot: ledgerDir,
    modules: [{ type: 'ESModule', path: ledger.outfile }, ...ledger.wasm.map((path) => ({ type: 'CompiledWasm', path }))],
    bindings: { R2_SECRET: SECRET },
    durableObjects: { LEDGER: 'FinancingLedger' },
  });
  await ledgerMf.ready;
});

after(async () => {
  await mf?.dispose();
  await ledgerMf?.dispose();
});

// Sent now: a receiver refuses the bundled fixtures' 2012-2024 event_times as event_stale.
const delivery = (name) => {
  const body = JSON.stringify(freshR2(payhook, name));
  return { body, headers: { 'content-sha256': signR2(body, SECRET) }, key: dedupKey(parseR2Event(body)) };
};
const post = (path, d) => mf.dispatchFetch(`http://localhost${path}`, { method: 'POST', body: d.body, headers: d.headers });
const runs = async () => (await mf.dispatchFetch('http://localhost/runs')).json();

/** One durableObjectStore call inside the Worker: `{ value }` or `{ error: code }`. */
const store = async (op, key, token, ms) => (await mf.dispatchFetch('http://localhost/store', {
  method: 'POST', body: JSON.stringify({ op, key, token, ms }),
})).json();
const isNew = ({ value }, what) => {
  assert.equal(value?.status, 'new', what);
  assert.ok(typeof value.token === 'string' && value.token.length > 0, `${what}: a token`);
  return value.token;
};

test('Durable Objects store: claim, in progress, complete, duplicate, release, lease, each claim its own token', async () => {
  const key = `k-${Date.now()}`;
  const first = isNew(await store('claim', key, undefined, 10_000), 'first claim');
  assert.deepEqual(await store('claim', key, undefined, 10_000), { value: { status: 'in_progress' } });
  assert.deepEqual(await store('release', key, 'not-the-claims-token'), { value: false }, 'another token releases nothing');
  assert.deepEqual(await store('complete', key, 'not-the-claims-token', 60_000), { value: false }, 'nor completes it');
  assert.deepEqual(await store('status', key), { value: 'in_progress' });
  assert.deepEqual(await store('release', key, first), { value: true }, "the claim's own token releases it");
  assert.deepEqual(await store('release', key, first), { value: false }, 'once');
  const second = isNew(await store('claim', key, undefined, 10_000), 'claimed again');
  assert.notEqual(second, first);
  assert.deepEqual(await store('complete', key, first, 60_000), { value: false }, "a released claim's token completes nothing");
  assert.deepEqual(await store('complete', key, second, 60_000), { value: true });
  assert.deepEqual(await store('claim', key, undefined, 10_000), { value: { status: 'duplicate' } });
  assert.deepEqual(await store('status', key), { value: 'duplicate' });
  assert.deepEqual(await store('release', key, second), { value: false }, 'a completed claim cannot be released');
  // A lease that runs out frees the event; the expired claim's token then holds nothing.
  const expired = isNew(await store('claim', `${key}-short`, undefined, 50), 'a short lease');
  await new Promise((resolve) => setTimeout(resolve, 80));
  const taken = isNew(await store('claim', `${key}-short`, undefined, 10_000), 'after the lease');
  assert.deepEqual(await store('complete', `${key}-short`, expired, 60_000), { value: false });
  assert.deepEqual(await store('release', `${key}-short`, expired), { value: false });
  assert.deepEqual(await store('status', `${key}-short`), { value: 'in_progress' });
  assert.deepEqual(await store('complete', `${key}-short`, taken, 60_000), { value: true });
  assert.deepEqual(await store('status', `${key}-short`), { value: 'duplicate' });
  // Arguments are checked before they reach the object.
  assert.deepEqual(await store('complete', key, undefined, 60_000), { error: 'argument_invalid' }, 'complete needs a token');
  assert.deepEqual(await store('release', key, ''), { error: 'argument_invalid' }, 'release needs a token');
});

test('Durable Objects: 50 concurrent deliveries of one event, one handler run', async () => {
  const d = delivery('financing_created');
  const before = await runs();
  const statuses = await Promise.all(Array.from({ length: 50 }, () => post('/', d).then(async (r) => { await r.text(); return r.status; })));
  assert.ok(statuses.every((s) => s === 200 || s === 409), statuses.join(','));
  assert.equal((await runs()) - before, 1);
  const again = await post('/', d);
  assert.deepEqual([again.status, await again.text()], [200, 'R2 API Event Received']);
  assert.equal((await runs()) - before, 1, 'a repeat after completion is acknowledged, not handled');
});

test('Durable Objects: a handler that throws releases the claim; the retry is processed', async () => {
  const d = delivery('financing_paid');
  const failed = await post('/throw', d);
  assert.equal(failed.status, 500);
  assert.equal((await failed.json()).error, 'handler_failed');
  const before = await runs();
  const retried = await post('/', d);
  assert.equal(retried.status, 200);
  await retried.text();
  assert.equal((await runs()) - before, 1);
});

test('Durable Objects: a claim whose holder died expires after its lease', async () => {
  const d = delivery('financing_canceled');
  const crashed = await mf.dispatchFetch('http://localhost/crash', { method: 'POST', body: d.key });
  isNew({ value: await crashed.json() }, 'the crashed process claimed it');
  const held = await post('/', d);
  assert.equal(held.status, 409);
  await held.text();
  await new Promise((resolve) => setTimeout(resolve, 350));
  const before = await runs();
  const retried = await post('/', d);
  assert.equal(retried.status, 200);
  await retried.text();
  assert.equal((await runs()) - before, 1);
});

// --- Exactly-once effects in your own Durable Object (ledger-worker.mjs) ---------------------

let financings = 0;
/** A fresh financing id, so each test counts its own objects. */
const newFinancing = () => `fin-${process.pid}-${Date.now()}-${(financings += 1)}`;
/** A signed, fresh financing_created event for that financing; `amount` makes events distinct. */
const financingEvent = (financingId, amount = 14606) => {
  const base = payhook.fixture('r2', 'financing_created');
  const body = JSON.stringify(freshR2(payhook, base, { financing: { ...base.financing, financing_id: financingId, total_repayment_amount: amount } }));
  return { body, headers: { 'content-sha256': signR2(body, SECRET) } };
};
const deliver = async (d, path = '/') => {
  const response = await ledgerMf.dispatchFetch(`http://localhost${path}`, { method: 'POST', body: d.body, headers: d.headers });
  return { status: response.status, body: await response.text() };
};
/** Everything one financing's object holds: { keys, events, financing, other, alarm }. */
const ledger = async (financingId) => (await ledgerMf.dispatchFetch(`http://localhost/ledger?financing=${encodeURIComponent(financingId)}`)).json();
const ACK = { status: 200, body: 'R2 API Event Received' };

test('own Durable Object: 50 concurrent copies of one event, one record, each copy answered 200', async () => {
  const id = newFinancing();
  const d = financingEvent(id);
  const answers = await Promise.all(Array.from({ length: 50 }, () => deliver(d)));
  assert.deepEqual(answers.filter((a) => a.status !== 200 || a.body !== ACK.body), [], 'every copy gets R2\'s success answer');
  const held = await ledger(id);
  assert.deepEqual({ keys: held.keys, events: held.events, financing: held.financing, other: held.other },
    { keys: 1, events: 1, financing: { events: 1, repayable: 14606 }, other: 0 });
  assert.ok(held.alarm > Date.now() + 14 * 24 * 3600 * 1000, 'the key expires after the dedup retention, by an alarm');
  assert.deepEqual(await deliver(d), ACK, 'a later copy: a duplicate, acknowledged');
  assert.equal((await ledger(id)).events, 1);
});

test('own Durable Object: 200 distinct events each sent twice, 200 records', async () => {
  const ids = Array.from({ length: 20 }, newFinancing);
  const events = ids.flatMap((id) => Array.from({ length: 10 }, (_, i) => financingEvent(id, 1000 + i)));
  assert.equal(events.length, 200);
  const copies = [...events, ...events].sort(() => Math.random() - 0.5);
  const answers = await Promise.all(copies.map((d) => deliver(d)));
  assert.equal(answers.filter((a) => a.status === 200 && a.body === ACK.body).length, 400, 'every copy acknowledged');
  const held = await Promise.all(ids.map(ledger));
  const total = (field) => held.reduce((n, h) => n + h[field], 0);
  assert.equal(total('events'), 200, 'events recorded');
  assert.equal(total('keys'), 200, 'dedup keys');
  assert.equal(total('other'), 0);
  for (const h of held) assert.deepEqual(h.financing, { events: 10, repayable: 10 * 1000 + 45 }, 'each financing updated once per event');
});

test('own Durable Object: a handler that throws inside the transaction writes nothing, records no key; the retry is processed once', async () => {
  const id = newFinancing();
  const d = financingEvent(id);
  assert.deepEqual(await deliver(d, '/throw'), { status: 500, body: '{"error":"handler_failed"}' });
  assert.deepEqual(await ledger(id), { keys: 0, events: 0, financing: null, other: 0, alarm: null }, 'nothing written');
  assert.deepEqual(await deliver(d), ACK, 'the retry');
  assert.deepEqual(await deliver(d), ACK, 'and its repeat');
  const held = await ledger(id);
  assert.deepEqual([held.keys, held.events, held.financing], [1, 1, { events: 1, repayable: 14606 }]);
});

test('own Durable Object: an object that dies before the commit leaves nothing; the retry is processed once', async () => {
  const id = newFinancing();
  const d = financingEvent(id);
  assert.equal((await deliver(d, '/abort')).status, 500, 'the Worker answers 500, so R2 retries');
  assert.deepEqual(await ledger(id), { keys: 0, events: 0, financing: null, other: 0, alarm: null }, 'nothing written');
  assert.deepEqual(await deliver(d), ACK);
  assert.deepEqual(await deliver(d), ACK);
  const held = await ledger(id);
  assert.deepEqual([held.keys, held.events, held.financing], [1, 1, { events: 1, repayable: 14606 }]);
});

test('own Durable Object: an object that dies after the commit, before the answer: the retry is a duplicate', async () => {
  const id = newFinancing();
  const d = financingEvent(id);
  assert.equal((await deliver(d, '/abort-after-commit')).status, 500, 'no answer from the object: 500, so R2 retries');
  const committed = await ledger(id);
  assert.deepEqual([committed.keys, committed.events, committed.financing], [1, 1, { events: 1, repayable: 14606 }], 'committed before it died');
  assert.deepEqual(await deliver(d), ACK, 'the retry: a duplicate, acknowledged');
  const held = await ledger(id);
  assert.deepEqual([held.keys, held.events, held.financing], [1, 1, { events: 1, repayable: 14606 }], 'not written again');
});

test('own Durable Object: the alarm deletes expired keys and keeps the records', async () => {
  const id = newFinancing();
  assert.deepEqual(await deliver(financingEvent(id, 1), '/?retentionMs=200'), ACK);
  assert.deepEqual(await deliver(financingEvent(id, 2), '/?retentionMs=60000'), ACK);
  const before = await ledger(id);
  assert.deepEqual([before.keys, before.events], [2, 2]);
  assert.ok(before.alarm !== null && before.alarm <= Date.now() + 200, 'the alarm is set for the first key to expire');
  let after;
  for (let i = 0; i < 40; i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    after = await ledger(id);
    if (after.keys === 1) break;
  }
  assert.deepEqual([after.keys, after.events], [1, 2], 'the expired key went, the events stay');
  assert.ok(after.alarm !== null && after.alarm > Date.now() + 50_000, 'the alarm moved to the next key');
});
