// The Redis dedup store against a real redis-server (Debian's, started here on a free
// loopback port and stopped after), through both clients people use (node-redis, ioredis),
// and the scale-out example: several receiver processes behind a round-robin proxy.
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import * as api from 'payhook';
import * as toolsApi from 'payhook/tools';
import { createClient } from 'redis';
import { LISTENING, startServer } from './lib/process.mjs';
import { freshR2 } from './suites/helpers.mjs';

// The package's API and payhook/tools' (fixtures) as one.
const payhook = { ...api, ...toolsApi };
const { parseR2Event, dedupKey, r2Receiver, redisStore, signR2 } = payhook;

const here = fileURLToPath(new URL('..', import.meta.url));
const SECRET = 'scale-out-r2-secret';
const children = [];
let redisUrl;
let nodeRedis;
let ioredis;

const freePort = () => new Promise((resolve) => {
  const probe = createServer().listen(0, '127.0.0.1', () => {
    const { port } = probe.address();
    probe.close(() => resolve(port));
  });
});

/** Starts a process (stopped after the suite); `url` resolves once it says it is ready. */
function start(command, args, env = {}, ready = LISTENING) {
  const server = startServer(command, args, { cwd: here, env, ready });
  children.push(server.child);
  return server;
}

before(async () => {
  const port = await freePort();
  const server = start('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {}, /Ready to accept connections/);
  await server.url;
  redisUrl = `redis://127.0.0.1:${port}`;
  nodeRedis = createClient({ url: redisUrl });
  await nodeRedis.connect();
  ioredis = new Redis(redisUrl);
});

after(async () => {
  await nodeRedis?.quit();
  ioredis?.disconnect();
  for (const child of children) child.kill();
});

// Sent now: a receiver refuses the bundled fixtures' 2012-2024 event_times as event_stale.
const delivery = (name) => {
  const body = JSON.stringify(freshR2(payhook, name));
  return { body, headers: { 'content-sha256': signR2(body, SECRET) }, key: dedupKey(parseR2Event(body)) };
};

for (const [name, client] of [['node-redis', () => nodeRedis], ['ioredis', () => ioredis]]) {
  test(`redisStore with ${name}: claim, in progress, complete, duplicate, release, lease`, async () => {
    const prefix = `test:${name}:${Date.now()}:`;
    const a = redisStore(client(), { prefix });
    const b = redisStore(client(), { prefix }); // another process
    const isNew = (claim, what) => {
      assert.equal(claim?.status, 'new', what);
      assert.ok(typeof claim.token === 'string' && claim.token.length > 0, `${what}: a token`);
      return claim.token;
    };
    const first = isNew(await a.claim('k', 10_000), 'first claim');
    assert.deepEqual(await b.claim('k', 10_000), { status: 'in_progress' });
    assert.equal(await b.release('k', 'not-the-claims-token'), false, 'another token releases nothing');
    assert.equal(await b.complete('k', 'not-the-claims-token', 60_000), false, 'nor completes it');
    assert.equal(await b.status('k'), 'in_progress');
    assert.equal(await a.release('k', first), true, 'the claim\'s own token releases it');
    assert.equal(await a.release('k', first), false, 'once');
    assert.equal(await b.status('k'), 'new');
    const second = isNew(await b.claim('k', 10_000), 'claimed again');
    assert.notEqual(second, first, 'each claim has its own token');
    assert.equal(await b.complete('k', first, 60_000), false, 'a released claim\'s token completes nothing');
    assert.equal(await b.complete('k', second, 60_000), true);
    assert.deepEqual([await a.claim('k', 10_000), await a.status('k')], [{ status: 'duplicate' }, 'duplicate']);
    assert.equal(await a.release('k', second), false, 'a completed claim cannot be released');
    assert.equal(await a.status('k'), 'duplicate');
    const expired = isNew(await a.claim('short', 50), 'a short lease');
    await new Promise((resolve) => setTimeout(resolve, 80));
    const taken = isNew(await b.claim('short', 10_000), 'a lease that ran out frees the event');
    // a's lease expired and b holds it: a cannot complete or release it.
    assert.equal(await a.complete('short', expired, 60_000), false);
    assert.equal(await a.release('short', expired), false);
    assert.equal(await a.status('short'), 'in_progress');
    assert.equal(await b.complete('short', taken, 60_000), true);
    assert.equal(await a.status('short'), 'duplicate');
  });
}

test('several processes behind a round-robin proxy: 50 concurrent deliveries, one handler run', async () => {
  const env = { REDIS_URL: redisUrl, R2_SECRET: SECRET, PORT: '0' };
  const receivers = [0, 1, 2].map(() => start(process.execPath, ['examples/scale-out/receiver.mjs'], env));
  const upstreams = await Promise.all(receivers.map((r) => r.url));
  const proxy = start(process.execPath, ['examples/scale-out/proxy.mjs'], { UPSTREAMS: upstreams.join(','), PORT: '0' });
  const url = await proxy.url;
  const d = delivery('financing_created');
  const send = () => fetch(url, { method: 'POST', body: d.body, headers: { ...d.headers, 'x-forwarded-for': '54.215.38.39' } }).then((r) => r.status);
  const statuses = await Promise.all(Array.from({ length: 50 }, send));
  assert.ok(statuses.every((s) => s === 200 || s === 409), statuses.join(','));
  assert.equal(statuses.filter((s) => s === 200).length >= 1, true);
  await new Promise((resolve) => setTimeout(resolve, 200));
  assert.equal(await send(), 200, 'a retry after it was handled is acknowledged');
  const handled = receivers.flatMap((r) => r.lines.filter((l) => l.startsWith(`handled ${d.key}`)));
  assert.equal(handled.length, 1, handled.join('\n'));
});

test('a process killed between claim and complete: the retry after the lease is processed once', async () => {
  const env = { REDIS_URL: redisUrl, R2_SECRET: SECRET, PORT: '0', LEASE_MS: '600' };
  const doomed = start(process.execPath, ['examples/scale-out/receiver.mjs'], { ...env, WORK_MS: '60000' });
  const survivor = start(process.execPath, ['examples/scale-out/receiver.mjs'], { ...env, WORK_MS: '10' });
  const [doomedUrl, survivorUrl] = await Promise.all([doomed.url, survivor.url]);
  const d = delivery('financing_paused');
  const send = (url) => fetch(url, { method: 'POST', body: d.body, headers: { ...d.headers, 'x-forwarded-for': '54.215.38.39' } });
  send(doomedUrl).catch(() => {}); // it claims the event, then dies mid-handler
  for (let i = 0; i < 100 && !doomed.lines.some((l) => l.startsWith('handling ')); i++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  assert.ok(doomed.lines.some((l) => l.startsWith(`handling ${d.key}`)), 'the first process started handling');
  doomed.child.kill('SIGKILL');
  assert.equal((await send(survivorUrl)).status, 409, 'the dead claim still holds');
  await new Promise((resolve) => setTimeout(resolve, 700));
  assert.equal((await send(survivorUrl)).status, 200, "R2's retry after the lease");
  assert.equal((await send(survivorUrl)).status, 200, 'and a later repeat');
  const handled = [...doomed.lines, ...survivor.lines].filter((l) => l.startsWith(`handled ${d.key}`));
  assert.equal(handled.length, 1, handled.join('\n'));
});

test('a handler that throws releases the claim: the retry is processed', async () => {
  const receiver = r2Receiver({ secrets: [SECRET], dedup: redisStore(ioredis, { prefix: `throw:${Date.now()}:` }) });
  const d = delivery('financing_resumed');
  const failed = await receiver.handle(d, () => { throw new Error('downstream down'); }, { onError: () => {} });
  assert.equal(failed.status, 500);
  let runs = 0;
  assert.equal((await receiver.handle(d, () => { runs += 1; })).status, 200);
  assert.equal(runs, 1);
});
