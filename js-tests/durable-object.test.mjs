// The Durable Object dedup store under miniflare (workerd): 50 concurrent deliveries of one
// event run the handler once; a handler that throws releases its claim; a claim whose holder
// died expires after its lease.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { dedupKey, fixture, parseR2Event, signR2 } from 'payhook';
import { bundle, scratch, tools } from './runners/tools.mjs';

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

const delivery = (name) => {
  const body = JSON.stringify(fixture('r2', name));
  return { body, headers: { 'content-sha256': signR2(body, SECRET) }, key: dedupKey(parseR2Event(body)) };
};
const post = (path, d) => mf.dispatchFetch(`http://localhost${path}`, { method: 'POST', body: d.body, headers: d.headers });
const runs = async () => (await mf.dispatchFetch('http://localhost/runs')).json();

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
  assert.equal(await crashed.json(), 'new');
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
