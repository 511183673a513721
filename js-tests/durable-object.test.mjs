// The Durable Object dedup store under miniflare (workerd): claims with their own tokens, which
// alone complete or release them; 50 concurrent deliveries of one event run the handler once;
// a handler that throws releases its claim; a claim whose holder died expires after its lease.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import * as payhook from 'payhook';
import { bundle, scratch, tools } from './runners/tools.mjs';
import { freshR2 } from './suites/helpers.mjs';

const { dedupKey, parseR2Event, signR2 } = payhook;

process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= 'false';
process.env.WRANGLER_SEND_METRICS ??= 'false';
const SECRET = 'workers-r2-secret';
let mf;

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
});

after(() => mf?.dispose());

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
