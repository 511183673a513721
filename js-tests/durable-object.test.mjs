// The Durable Object dedup store under miniflare (workerd): 50 concurrent deliveries of one
// event run the handler once; a handler that throws releases its claim; a claim whose holder
// died expires after its lease.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { dedupKey, fixture, parseR2Event, signR2 } from 'payhook';

process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= 'false';
process.env.WRANGLER_SEND_METRICS ??= 'false';
const tools = createRequire(join(process.env.PAYHOOK_TOOLS ?? '(PAYHOOK_TOOLS is not set)', 'noop.js'));
const here = fileURLToPath(new URL('.', import.meta.url));
const SECRET = 'workers-r2-secret';
let mf;

before(async () => {
  const esbuild = tools('esbuild');
  const { Miniflare } = tools('miniflare');
  const built = await esbuild.build({
    entryPoints: [join(here, 'dedup-worker.mjs')], bundle: true, write: false, format: 'esm', platform: 'neutral',
    conditions: ['workerd', 'worker'], mainFields: ['module', 'main'], external: ['*.wasm'], logLevel: 'warning',
  });
  const { readFileSync } = await import('node:fs');
  const wasm = readFileSync(join(here, '..', 'node_modules', 'payhook', 'payhook_bg.wasm'));
  mf = new Miniflare({
    compatibilityDate: '2025-09-01',
    cf: false,
    modules: [
      { type: 'ESModule', path: 'worker.mjs', contents: built.outputFiles[0].text },
      { type: 'CompiledWasm', path: 'payhook_bg.wasm', contents: wasm },
    ],
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
