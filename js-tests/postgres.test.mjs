// postgresStore against a real PostgreSQL: Debian's, started here by initdb
// and pg_ctl in a temp dir, on a free 127.0.0.1 port, and stopped after. Everything is
// counted in the database: the handlers' rows, the dedup keys, locks and open transactions.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import * as api from 'payhook';
import * as toolsApi from 'payhook/tools';
import { postgresStore } from 'payhook';
import { LISTENING, startServer } from './lib/process.mjs';
import { freshR2 } from './suites/helpers.mjs';
// The package's API and payhook/tools' (fixtures, inspection, captures) as one.
const payhook = { ...api, ...toolsApi };

const { PayhookError, dedupKey, deliveryPolicy, parseR2Event, r2Receiver, signR2 } = payhook;

const here = fileURLToPath(new URL('..', import.meta.url));
const SECRET = 'postgres-r2-secret';
const children = [];
let dir;
let ctl;
let databaseUrl;
let pool;

const freePort = () => new Promise((resolve) => {
  const probe = createServer().listen(0, '127.0.0.1', () => {
    const { port } = probe.address();
    probe.close(() => resolve(port));
  });
});

/**
 * Debian's server binaries (/usr/lib/postgresql/VERSION/bin; Debian puts no initdb or pg_ctl
 * on PATH), the newest version there. They refuse to run as root: as root, through runuser.
 */
function postgresTool(name) {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', name))) : [];
  versions.sort((a, b) => Number(b) - Number(a));
  if (versions.length === 0) throw new Error(`no ${name} under ${root}: install Debian's postgresql (scripts/test.sh does)`);
  const bin = join(root, versions[0], 'bin', name);
  return (args) => (process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args]);
}
const run = ([command, args]) => execFileSync(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'payhook-pg-'));
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']));
    const gid = Number(execFileSync('id', ['-g', 'postgres']));
    chownSync(dir, uid, gid);
  }
  const data = join(dir, 'data');
  run(postgresTool('initdb')(['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-sync']));
  const port = await freePort();
  ctl = postgresTool('pg_ctl');
  // fsync off: the server is never the one killed here, and it starts and stops in seconds.
  run(ctl(['-D', data, '-l', join(dir, 'log'), '-w', 'start', '-o',
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`]));
  databaseUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
  pool = new pg.Pool({ connectionString: databaseUrl, max: 8 });
  await pool.query('CREATE TABLE effects (key text NOT NULL, note text)');
  await pool.query('CREATE TABLE crash_effects (key text NOT NULL, pid int NOT NULL)');
});

after(async () => {
  for (const child of children) child.kill('SIGKILL');
  await pool?.end();
  if (ctl) {
    try {
      run(ctl(['-D', join(dir, 'data'), '-m', 'immediate', '-w', 'stop']));
    } catch (error) {
      console.error(`pg_ctl stop: ${error.stderr ?? error}`);
    }
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const count = async (sql, values = []) => Number((await pool.query(sql, values)).rows[0].count);
const effects = (key) => count('SELECT count(*) FROM effects WHERE key = $1', [key]);
const keys = (table, key) => count(`SELECT count(*) FROM ${table} WHERE key = $1`, [key]);

/** A fresh R2 delivery, distinct per `id`; sent now (fixtures' event_times are stale). */
function delivery(id, name = 'financing_created') {
  const base = payhook.fixture('r2', name);
  const body = JSON.stringify(freshR2(payhook, name, { financing: { ...base.financing, financing_id: `pg-${id}` } }));
  return { body, headers: { 'content-sha256': signR2(body, SECRET) }, key: dedupKey(parseR2Event(body)) };
}
const parts = (d) => ({ body: d.body, headers: d.headers });
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

test('postgresStore refuses what it cannot use, with coded errors', () => {
  const code = (fn) => {
    try {
      fn();
    } catch (error) {
      assert.ok(error instanceof PayhookError, String(error));
      return error.code;
    }
    return 'no error';
  };
  assert.equal(code(() => postgresStore({})), 'argument_invalid', 'no connect()');
  assert.equal(code(() => postgresStore(null)), 'argument_invalid');
  assert.equal(code(() => postgresStore(pool, { tabel: 'x' })), 'argument_invalid', 'an unknown option');
  assert.equal(code(() => postgresStore(pool, 'payhook_dedup')), 'argument_invalid');
  for (const table of ['', 'Dedup', 'a-b', 'x; DROP TABLE effects', '"q"', 'a.b.c', '1abc', 'a'.repeat(60)]) {
    assert.equal(code(() => postgresStore(pool, { table })), 'argument_invalid', table);
  }
  assert.equal(code(() => postgresStore(pool, { createTable: 'yes' })), 'argument_invalid');
  const hostile = { get table() { throw new Error('getter'); } };
  assert.equal(code(() => postgresStore(pool, hostile)), 'argument_invalid', 'a throwing getter');
  assert.equal(postgresStore(pool, { table: 'public.payhook_x' }).table, 'public.payhook_x');
  assert.equal(postgresStore(pool).table, 'payhook_dedup');
});

test('the claim methods: claim, in progress, tokens, complete, duplicate, release, lease; status sees a transaction', async () => {
  const a = postgresStore(pool, { table: 'claims' });
  const otherPool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  const b = postgresStore(otherPool, { table: 'claims' }); // another process
  const first = await a.claim('k', 10_000);
  assert.equal(first.status, 'new');
  assert.ok(first.token.length > 0);
  assert.deepEqual(await b.claim('k', 10_000), { status: 'in_progress' });
  assert.equal(await b.release('k', 'not-the-token'), false);
  assert.equal(await b.complete('k', 'not-the-token', 60_000), false);
  assert.equal(await b.status('k'), 'in_progress');
  assert.equal(await a.release('k', first.token), true);
  assert.equal(await a.release('k', first.token), false, 'once');
  assert.equal(await b.status('k'), 'new');
  const second = await b.claim('k', 10_000);
  assert.notEqual(second.token, first.token);
  assert.equal(await b.complete('k', first.token, 60_000), false);
  assert.equal(await b.complete('k', second.token, 60_000), true);
  assert.deepEqual([await a.claim('k', 10_000), await a.status('k')], [{ status: 'duplicate' }, 'duplicate']);
  assert.deepEqual(await a.transaction('k', 60_000, 10_000, () => assert.fail('a duplicate runs nothing')), { status: 'duplicate' });
  const expired = await a.claim('short', 50);
  await sleep(80);
  const taken = await b.claim('short', 10_000);
  assert.equal(taken.status, 'new', 'a lease that ran out frees the key');
  assert.equal(await a.complete('short', expired.token, 60_000), false);
  assert.equal(await a.release('short', expired.token), false);
  assert.deepEqual(await a.transaction('short', 60_000, 10_000, () => assert.fail('a live claim runs nothing')), { status: 'in_progress' });
  assert.equal(await b.complete('short', taken.token, 60_000), true);
  // A transaction in progress: its row is not visible yet, its lock is.
  let inside;
  const held = new Promise((resolve) => { inside = resolve; });
  let finish;
  const running = a.transaction('tx', 60_000, 10_000, async () => {
    inside();
    await new Promise((resolve) => { finish = resolve; });
    return 'value';
  });
  await held;
  assert.equal(await b.status('tx'), 'in_progress');
  assert.deepEqual(await b.claim('tx', 10_000), { status: 'in_progress' });
  assert.deepEqual(await b.transaction('tx', 60_000, 10_000, () => assert.fail('runs once')), { status: 'in_progress' });
  finish();
  assert.deepEqual(await running, { status: 'done', value: 'value' });
  assert.equal(await b.status('tx'), 'duplicate');
  assert.equal(await count("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"), 0, 'no advisory lock left');
  await otherPool.end();
});

test('50 concurrent copies of one event through a pool of 8: one write, each copy 200 or 409, no deadlock', async () => {
  const store = postgresStore(pool);
  const receiver = r2Receiver({ secrets: [SECRET], dedup: store });
  const d = delivery('fifty');
  let runs = 0;
  const handler = async (event, result, tx) => {
    runs += 1;
    await tx.query('INSERT INTO effects (key, note) VALUES ($1, $2)', [result.dedupKey, 'fifty']);
    await tx.query('SELECT pg_sleep(0.05)'); // hold the transaction open while the copies arrive
  };
  const started = Date.now();
  const answers = await Promise.all(Array.from({ length: 50 }, () => receiver.handle(parts(d), handler)));
  const elapsed = Date.now() - started;
  const statuses = answers.map((a) => a.status);
  assert.ok(statuses.every((s) => s === 200 || s === 409), statuses.join(','));
  assert.ok(statuses.includes(200));
  assert.equal(await effects(d.key), 1, 'the handler wrote once');
  assert.equal(await keys('payhook_dedup', d.key), 1);
  assert.equal(runs, 1);
  assert.equal((await receiver.handle(parts(d), handler)).status, 200, 'a later copy is a duplicate');
  assert.equal(await effects(d.key), 1);
  assert.ok(pool.totalCount <= 8 && pool.waitingCount === 0, `pool: ${pool.totalCount} clients, ${pool.waitingCount} waiting`);
  assert.equal(await count("SELECT count(*) FROM pg_stat_activity WHERE state LIKE 'idle in transaction%'"), 0);
  assert.equal(await count("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"), 0);
  const row = (await pool.query("SELECT state, expires_at - now() > $2 * interval '1 millisecond' AS kept FROM payhook_dedup WHERE key = $1",
    [d.key, deliveryPolicy('r2').dedupRetentionMs - 60_000])).rows[0];
  assert.deepEqual(row, { state: 'done', kept: true }, 'kept for the dedup retention (the replay window plus 5 min)');
  console.log(`# 50 copies: ${statuses.filter((s) => s === 200).length} x 200, ${statuses.filter((s) => s === 409).length} x 409, ${elapsed} ms`);
});

test('200 distinct events, each sent twice at once: 200 handler rows, 200 keys', async () => {
  const receiver = r2Receiver({ secrets: [SECRET], dedup: postgresStore(pool, { table: 'two_hundred' }) });
  const handler = (event, result, tx) => tx.query('INSERT INTO effects (key, note) VALUES ($1, $2)', [result.dedupKey, 'two-hundred']);
  const ds = Array.from({ length: 200 }, (_, i) => delivery(`many-${i}`));
  const sends = [...ds, ...ds].sort(() => Math.random() - 0.5);
  let pending = sends;
  const seen = { 200: 0, 409: 0 };
  for (let round = 0; pending.length > 0 && round < 50; round++) {
    const statuses = await Promise.all(pending.map((d) => receiver.handle(parts(d), handler).then((a) => a.status)));
    for (const s of statuses) seen[s] = (seen[s] ?? 0) + 1;
    pending = pending.filter((_, i) => statuses[i] === 409); // the provider's retry
    if (pending.length) await sleep(20);
  }
  assert.equal(pending.length, 0);
  assert.equal(seen[200], 400, 'every copy answered 200 in the end');
  assert.equal(await count("SELECT count(*) FROM effects WHERE note = 'two-hundred'"), 200);
  assert.equal(await count("SELECT count(DISTINCT key) FROM effects WHERE note = 'two-hundred'"), 200);
  assert.equal(await count('SELECT count(*) FROM two_hundred'), 200);
  console.log(`# 400 sends: ${seen[409]} x 409 retried`);
});

test('a handler that throws: its write rolled back, the key not recorded, the retry processed once', async () => {
  const store = postgresStore(pool);
  const receiver = r2Receiver({ secrets: [SECRET], dedup: store });
  const d = delivery('throws');
  const errors = [];
  const failed = await receiver.handle(parts(d), async (event, result, tx) => {
    await tx.query('INSERT INTO effects (key, note) VALUES ($1, $2)', [result.dedupKey, 'throws']);
    throw new Error('downstream down');
  }, { onError: (e) => errors.push(e.message) });
  assert.equal(failed.status, 500);
  assert.equal(JSON.parse(failed.body).error, 'handler_failed');
  assert.deepEqual(errors, ['downstream down']);
  assert.equal(await effects(d.key), 0, 'rolled back');
  assert.equal(await keys('payhook_dedup', d.key), 0, 'no key');
  assert.equal(await store.status(d.key), 'new');
  // A handler that swallows a failed statement: the transaction is aborted, nothing commits.
  const swallowed = await receiver.handle(parts(d), async (event, result, tx) => {
    await tx.query('INSERT INTO effects (key, note) VALUES ($1, $2)', [result.dedupKey, 'throws']);
    await tx.query('SELECT 1/0').catch(() => {});
  }, { onError: (e) => errors.push(e.message) });
  assert.equal(swallowed.status, 500, 'the key cannot be recorded in an aborted transaction');
  assert.match(errors[1], /current transaction is aborted/);
  assert.equal(await effects(d.key), 0);
  assert.equal(await keys('payhook_dedup', d.key), 0);
  // A handler that ends the transaction itself: its writes are its own, the key is not recorded.
  const ended = await receiver.handle(parts(d), async (event, result, tx) => {
    await tx.query('ROLLBACK');
  }, { onError: (e) => errors.push(e.message) });
  assert.equal(ended.status, 500);
  assert.match(errors[2], /ended the transaction itself/);
  assert.equal(await keys('payhook_dedup', d.key), 0);
  let runs = 0;
  const ok = await receiver.handle(parts(d), async (event, result, tx) => {
    runs += 1;
    await tx.query('INSERT INTO effects (key, note) VALUES ($1, $2)', [result.dedupKey, 'retry']);
  });
  assert.equal(ok.status, 200);
  assert.equal((await receiver.handle(parts(d), () => { runs += 1; })).status, 200);
  assert.equal(runs, 1);
  assert.equal(await effects(d.key), 1);
  assert.equal(await keys('payhook_dedup', d.key), 1);
  // receive() reports the duplicate through status().
  assert.equal((await receiver.receive(parts(d))).duplicate, true);
  assert.equal(pool.waitingCount, 0);
});

test('a connection killed mid-handler: 500, the client destroyed, not reused, the process unharmed; the retry processed once', async () => {
  const local = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  const receiver = r2Receiver({ secrets: [SECRET], dedup: postgresStore(local) });
  const d = delivery('terminated');
  const errors = [];
  const answer = await receiver.handle(parts(d), async (event, result, tx) => {
    await tx.query('INSERT INTO effects (key, note) VALUES ($1, $2)', [result.dedupKey, 'terminated']);
    const { rows } = await tx.query('SELECT pg_backend_pid() AS pid');
    await pool.query('SELECT pg_terminate_backend($1)', [rows[0].pid]); // from another connection
    await tx.query('SELECT 1');
  }, { onError: (e) => errors.push(e.message) });
  assert.equal(answer.status, 500);
  assert.equal(errors.length, 1);
  assert.equal(await effects(d.key), 0, 'the server rolled it back');
  assert.equal(await keys('payhook_dedup', d.key), 0);
  assert.equal(local.totalCount, 0, 'the broken client was destroyed, not put back');
  let runs = 0;
  const retry = await receiver.handle(parts(d), async (event, result, tx) => {
    runs += 1;
    await tx.query('INSERT INTO effects (key, note) VALUES ($1, $2)', [result.dedupKey, 'terminated']);
  });
  assert.equal(retry.status, 200);
  assert.equal(runs, 1);
  assert.equal(await effects(d.key), 1);
  assert.equal(local.waitingCount, 0);
  await local.end();
});

test('expired keys are deleted on the way, at most 100 per call; live keys stay', async () => {
  const store = postgresStore(pool, { table: 'expiry' });
  await store.status('create-it');
  await pool.query("INSERT INTO expiry (key, state, expires_at) SELECT 'old-' || i, 'done', now() - interval '1 minute' FROM generate_series(1, 250) i");
  await pool.query("INSERT INTO expiry (key, state, expires_at) VALUES ('live', 'done', now() + interval '1 hour')");
  const expired = () => count('SELECT count(*) FROM expiry WHERE expires_at < now()');
  assert.equal(await expired(), 250);
  assert.equal(await store.status('old-1'), 'new', 'an expired key is new');
  const afterOne = await expired();
  assert.ok(afterOne >= 150 && afterOne < 250, `one call deleted ${250 - afterOne}`);
  assert.equal(afterOne, 150, 'exactly 100 per call');
  await store.status('x');
  await store.transaction('y', 60_000, 10_000, () => {});
  assert.equal(await expired(), 0);
  assert.equal(await store.status('live'), 'duplicate');
  assert.equal(await count('SELECT count(*) FROM expiry'), 2, 'live and y');
});

/**
 * Several processes, each with its own pool, released at the same instant: each waits on a
 * shared advisory lock that this process holds exclusively, until all of them wait, and then
 * lets go. `script` runs `await barrier(pool)` just before the step under test.
 */
const BARRIER = `const barrier = async (pool) => {
  await pool.query('SELECT pg_advisory_lock_shared(4242)');
  await pool.query('SELECT pg_advisory_unlock_shared(4242)');
};`;
async function startTogether(script, tables, processes) {
  const holder = await pool.connect();
  await holder.query('SELECT pg_advisory_lock(4242)');
  let runs;
  try {
    runs = tables.flatMap((table) => Array.from({ length: processes }, () => new Promise((resolve) => {
      const child = spawn(process.execPath, ['--input-type=module', '-e', `${BARRIER}\n${script}`], {
        cwd: here, env: { ...process.env, DATABASE_URL: databaseUrl, TABLE: table }, stdio: ['ignore', 'pipe', 'pipe'],
      });
      children.push(child);
      let output = '';
      child.stdout.on('data', (d) => { output += d; });
      child.stderr.on('data', (d) => { output += d; });
      child.on('exit', (code) => resolve({ code, output }));
    })));
    const waiting = () => count("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = 4242 AND NOT granted");
    for (let i = 0; i < 500 && (await waiting()) < runs.length; i++) await sleep(20);
    assert.equal(await waiting(), runs.length, 'every process at the barrier');
  } finally {
    await holder.query('SELECT pg_advisory_unlock(4242)');
    holder.release();
  }
  return Promise.all(runs);
}

test('the table made on first use by 6 processes at once, in 4 rounds: no process fails', async () => {
  const tables = ['race_a', 'race_b', 'race_c', 'race_d'];
  const script = `
    import pg from 'pg';
    import { postgresStore } from 'payhook';
    const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 1 });
    const store = postgresStore(pool, { table: process.env.TABLE });
    await barrier(pool);
    console.log(await store.status('k'));
    await pool.end();`;
  const results = await startTogether(script, tables, 6);
  const failed = results.filter((r) => r.code !== 0 || r.output.trim() !== 'new');
  assert.deepEqual(failed, [], 'every process made or found the table');
  assert.equal(await count("SELECT count(*) FROM pg_tables WHERE tablename LIKE 'race\\_%'"), 4);
  // The control: the same race without the lock, which is why the store takes one. Not
  // asserted (a race), reported.
  const bare = await startTogether(`
    import pg from 'pg';
    const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 1 });
    await barrier(pool);
    try { await pool.query('CREATE TABLE IF NOT EXISTS ' + process.env.TABLE + ' (key text PRIMARY KEY)'); console.log('ok'); }
    catch (e) { console.log('failed: ' + e.message); }
    await pool.end();`, ['bare_a', 'bare_b', 'bare_c', 'bare_d'], 6);
  const bareFailures = bare.filter((r) => r.output.includes('failed'));
  console.log(`# without the lock: ${bareFailures.length} of ${bare.length} processes failed${bareFailures[0] ? `: ${bareFailures[0].output.trim()}` : ''}`);
});

test('two receiver processes, SIGKILL at each point, then the retry to the other one', async () => {
  const env = { DATABASE_URL: databaseUrl, R2_SECRET: SECRET, TABLE: 'crash_dedup' };
  const startReceiver = (extra = {}) => {
    const server = startServer(process.execPath, ['js-tests/postgres-receiver.mjs'], { cwd: here, env: { ...env, ...extra }, ready: LISTENING });
    children.push(server.child);
    return server;
  };
  const other = startReceiver();
  const otherUrl = await other.url;
  const send = (url, d) => fetch(url, { method: 'POST', body: d.body, headers: d.headers });
  const rows = async (key) => ({
    writes: await count('SELECT count(*) FROM crash_effects WHERE key = $1', [key]),
    keys: await count('SELECT count(*) FROM crash_dedup WHERE key = $1', [key]),
  });
  const matrix = [];
  for (const [point, expectHandlerOnRetry] of [['before-write', true], ['after-write', true], ['after-commit', false]]) {
    const d = delivery(`crash-${point}`);
    const doomed = startReceiver({ PAUSE_AT: point });
    const doomedUrl = await doomed.url;
    send(doomedUrl, d).catch(() => {}); // its connection dies with it
    for (let i = 0; i < 250 && !doomed.lines.some((l) => l.startsWith(`paused ${point}`)); i++) await sleep(20);
    assert.ok(doomed.lines.some((l) => l.startsWith(`paused ${point} ${d.key}`)), `${point}: the process got there`);
    const atKill = await rows(d.key);
    const openAtKill = await count("SELECT count(*) FROM pg_stat_activity WHERE state LIKE 'idle in transaction%'");
    doomed.child.kill('SIGKILL');
    await new Promise((resolve) => (doomed.child.exitCode !== null || doomed.child.signalCode !== null ? resolve() : doomed.child.once('exit', resolve)));
    const afterKill = await rows(d.key);
    // The retry: 409 while the server has not yet ended the dead session's transaction.
    let status;
    let conflicts = 0;
    for (let i = 0; i < 100; i++) {
      status = (await send(otherUrl, d)).status;
      if (status !== 409) break;
      conflicts += 1;
      await sleep(20);
    }
    const afterRetry = await rows(d.key);
    const retryRuns = other.lines.filter((l) => l === `handled ${d.key}`).length;
    const byOther = await count('SELECT count(*) FROM crash_effects WHERE key = $1 AND pid = $2', [d.key, other.child.pid]);
    matrix.push({ point, atKill, openAtKill, afterKill, status, conflicts, afterRetry, retryRuns, byOther });
    console.log(`# crash ${point}: while paused (committed rows only) writes=${atKill.writes} keys=${atKill.keys}, open transactions ${openAtKill}; after SIGKILL writes=${afterKill.writes} keys=${afterKill.keys}; retry to the other process ${status} (after ${conflicts} x 409), handler ran there ${retryRuns} time(s); then writes=${afterRetry.writes} keys=${afterRetry.keys}`);
    assert.equal(status, 200);
    assert.deepEqual(afterRetry, { writes: 1, keys: 1 }, `${point}: exactly once`);
    assert.equal(openAtKill, expectHandlerOnRetry ? 1 : 0, `${point}: the killed process's transaction was open`);
    if (expectHandlerOnRetry) {
      assert.deepEqual(afterKill, { writes: 0, keys: 0 }, `${point}: the killed transaction left nothing`);
      assert.equal(byOther, 1, `${point}: the retry wrote the row`);
      assert.equal(retryRuns, 1);
    } else {
      assert.deepEqual(afterKill, { writes: 1, keys: 1 }, 'committed before the kill');
      assert.equal(byOther, 0, 'the retry is a duplicate: the handler did not run');
      assert.equal(retryRuns, 0);
    }
    assert.equal((await send(otherUrl, d)).status, 200, 'a later repeat');
    assert.deepEqual(await rows(d.key), { writes: 1, keys: 1 });
  }
  assert.equal(await count("SELECT count(*) FROM pg_stat_activity WHERE state LIKE 'idle in transaction%'"), 0, 'no transaction left open');
  assert.equal(matrix.length, 3);
});

test('examples/postgres: real deliveries, each event one row in its own table, committed with its key', async () => {
  const server = startServer(process.execPath, ['examples/postgres/server.mjs'], {
    cwd: here,
    env: { PORT: '0', DATABASE_URL: databaseUrl, R2_SECRET: SECRET, BELVO_AUTHORIZATION: 'Bearer example-token' },
  });
  children.push(server.child);
  const base = await server.url;
  const post = async (path, body, headers) => {
    const res = await fetch(`${base}${path}`, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
    return { status: res.status, text: await res.text() };
  };
  const d = delivery('example');
  const r2 = (body, signature, ip) => post('/webhooks/r2', body, { 'content-sha256': signature, 'x-forwarded-for': ip });
  assert.deepEqual(await r2(d.body, d.headers['content-sha256'], '54.215.38.39'), { status: 200, text: 'R2 API Event Received' });
  assert.deepEqual(await r2(d.body, signR2(d.body, SECRET, { encoding: 'hex' }), '54.215.38.39'), { status: 200, text: 'R2 API Event Received' });
  assert.equal((await r2(d.body.replace('12200', '99999'), d.headers['content-sha256'], '54.215.38.39')).status, 401);
  assert.equal((await r2(d.body, d.headers['content-sha256'], '203.0.113.7')).status, 403);
  const belvoBody = JSON.stringify(payhook.fixture('belvo', 'PAYMENT_INTENTS.STATUS_UPDATE'));
  const belvo = (authorization) => post('/webhooks/belvo', belvoBody, { authorization, 'x-forwarded-for': '3.130.254.46' });
  assert.equal((await belvo('Bearer example-token')).status, 200);
  assert.equal((await belvo('Bearer example-token')).status, 200, 'a duplicate');
  assert.equal((await belvo('Bearer guess')).status, 401);
  const handled = server.lines.filter((l) => l.startsWith('handled '));
  assert.equal(handled.length, 2, handled.join(', '));
  const financing = await pool.query('SELECT financing_id, event_type, status, disbursed_amount::float AS amount FROM r2_financings');
  assert.deepEqual(financing.rows, [{ financing_id: 'pg-example', event_type: 'financing_created', status: 'ACTIVE', amount: 12200 }]);
  const intents = await pool.query('SELECT payment_intent_id, webhook_code, status, failure_code FROM belvo_payment_intents');
  assert.deepEqual(intents.rows, [{ payment_intent_id: 'd2e40773-19f6-48d1-93c3-3590ec0c74df', webhook_code: 'STATUS_UPDATE', status: 'FAILED', failure_code: 'consent_expired' }]);
  assert.equal(await count('SELECT count(*) FROM payhook_dedup WHERE key = ANY($1)', [[d.key, dedupKey(payhook.parseBelvoWebhook(belvoBody))]]), 2);
  server.child.kill();
});
