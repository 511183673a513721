// The Deno KV dedup store against a local KV file: claim semantics, two connections standing
// for two processes, 50 concurrent deliveries with one handler run, a failing handler, and a
// claim whose holder died. Then its transaction (handle()'s `tx`, a Deno.AtomicOperation):
// every effect counted in KV, not in the process. Run: deno test --unstable-kv --allow-read
// --allow-write ... (with --allow-run too, a second Deno process is SIGKILLed mid-handler;
// this file is also that process's script: `deno run ... deno-kv.test.ts kv-child ...`).
import * as api from 'payhook';
import * as toolsApi from 'payhook/tools';
// The package's API and payhook/tools' (fixtures, inspection, captures) as one.
const payhook = { ...api, ...toolsApi };
import type { Claim } from 'payhook';
import { freshR2 } from './suites/helpers.mjs';

const { denoKvStore, r2Receiver, signR2 } = payhook;

const SECRET = 'deno-r2-secret';
const child = Deno.args[0] === 'kv-child';
const path = child ? '' : await Deno.makeTempFile({ suffix: '.kv' });
const equal = (a: unknown, b: unknown, what = '') => {
  if (JSON.stringify(a) !== JSON.stringify(b)) throw new Error(`${what}: expected ${JSON.stringify(b)}, got ${JSON.stringify(a)}`);
};
/** A 'new' claim's token (and that it is one). */
const isNew = (claim: Claim, what: string): string => {
  if (claim.status !== 'new' || typeof claim.token !== 'string' || claim.token === '') {
    throw new Error(`${what}: expected a new claim with a token, got ${JSON.stringify(claim)}`);
  }
  return claim.token;
};
// Sent now: a receiver refuses the bundled fixtures' 2012-2024 event_times as event_stale.
const delivery = (name: string) => {
  const body = JSON.stringify(freshR2(payhook, name));
  return { body, headers: { 'content-sha256': signR2(body, SECRET) } };
};

Deno.test('Deno KV: claim, in progress, complete, duplicate, release, lease, two connections', async () => {
  const kv1 = await Deno.openKv(path);
  const kv2 = await Deno.openKv(path);
  try {
    const a = denoKvStore(kv1, { prefix: ['t1'] });
    const b = denoKvStore(kv2, { prefix: ['t1'] });
    const first = isNew(await a.claim('k', 10_000), 'first claim');
    equal(await b.claim('k', 10_000), { status: 'in_progress' }, 'second connection');
    equal(await b.release('k', 'not-the-claims-token'), false, 'another token releases nothing');
    equal(await b.complete('k', 'not-the-claims-token', 60_000), false, 'nor completes it');
    equal(await b.status('k'), 'in_progress', 'still claimed');
    equal(await b.release('k', first), true, "the claim's own token releases it, from any connection");
    equal(await a.release('k', first), false, 'once');
    const second = isNew(await b.claim('k', 10_000), 'released');
    equal(second !== first, true, 'each claim has its own token');
    equal(await a.complete('k', first, 60_000), false, "a released claim's token completes nothing");
    equal(await b.complete('k', second, 60_000), true, 'completed');
    equal([await a.claim('k', 10_000), await a.status('k')], [{ status: 'duplicate' }, 'duplicate'], 'completed');
    equal(await a.release('k', second), false, 'a completed claim cannot be released');
    const expired = isNew(await a.claim('short', 50), 'short lease');
    await new Promise((resolve) => setTimeout(resolve, 80));
    const taken = isNew(await b.claim('short', 10_000), 'expired lease');
    equal(await a.complete('short', expired, 60_000), false, "the expired claim cannot complete the new one");
    equal(await a.release('short', expired), false, 'nor release it');
    equal(await b.complete('short', taken, 60_000), true, 'its holder completes it');
    equal(await a.status('short'), 'duplicate', 'done');
  } finally {
    kv1.close();
    kv2.close();
  }
});

Deno.test('Deno KV: 50 concurrent deliveries over two connections run the handler once', async () => {
  const kv1 = await Deno.openKv(path);
  const kv2 = await Deno.openKv(path);
  try {
    const receivers = [kv1, kv2].map((kv) => r2Receiver({ secrets: [SECRET], dedup: denoKvStore(kv, { prefix: ['t2'] }) }));
    let runs = 0;
    const d = delivery('financing_created');
    const statuses = await Promise.all(Array.from({ length: 50 }, (_, i) =>
      receivers[i % 2].handle(d, async () => { runs += 1; await new Promise((r) => setTimeout(r, 20)); }).then((r) => r.status)));
    equal(runs, 1, 'handler runs');
    equal(statuses.every((s) => s === 200 || s === 409), true, 'statuses');
    equal((await receivers[1].handle(d, () => { runs += 1; })).status, 200, 'repeat');
    equal(runs, 1, 'still once');
  } finally {
    kv1.close();
    kv2.close();
  }
});

Deno.test('Deno KV: a failing handler releases; a dead claim expires after its lease', async () => {
  const kv = await Deno.openKv(path);
  try {
    const store = denoKvStore(kv, { prefix: ['t3'] });
    const receiver = r2Receiver({ secrets: [SECRET], dedup: store, leaseMs: 200 });
    const d = delivery('financing_paid');
    equal((await receiver.handle(d, () => { throw new Error('down'); }, { onError() {} })).status, 500, 'failure');
    let runs = 0;
    equal((await receiver.handle(d, () => { runs += 1; })).status, 200, 'retry');
    equal(runs, 1, 'retried once');
    const dead = delivery('financing_canceled');
    const key = payhookKey(dead.body);
    isNew(await denoKvStore(kv, { prefix: ['t3'] }).claim(key, 200), 'dead claim');
    equal((await receiver.handle(dead, () => { runs += 1; })).status, 409, 'held');
    await new Promise((resolve) => setTimeout(resolve, 250));
    equal((await receiver.handle(dead, () => { runs += 1; })).status, 200, 'after the lease');
    equal(runs, 2, 'processed once');
  } finally {
    kv.close();
  }
});

import { dedupKey, parseR2Event } from 'payhook';
function payhookKey(body: string): string {
  return dedupKey(parseR2Event(body));
}

// --- transaction: the handler's mutations on tx commit with the key, or not at all ---------

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** A fresh R2 delivery, distinct per `id`. */
const distinct = (id: string, name = 'financing_created') => {
  const base = payhook.fixture('r2', name) as { financing: Record<string, unknown> };
  const body = JSON.stringify(freshR2(payhook, name, { financing: { ...base.financing, financing_id: `kv-${id}` } }));
  return { body, headers: { 'content-sha256': signR2(body, SECRET) }, key: payhookKey(body) };
};
const parts = (d: { body: string; headers: Record<string, string> }) => ({ body: d.body, headers: d.headers });
/** The entries under a prefix, counted in KV. */
const countIn = async (kv: Deno.Kv, prefix: Deno.KvKey) => {
  let n = 0;
  for await (const _ of kv.list({ prefix })) n += 1;
  return n;
};
/** A handler that writes one entry per run (a fresh key each time, so a second write would show). */
const writer = (prefix: Deno.KvKey) => (_event: unknown, result: { dedupKey: string }, tx: Deno.AtomicOperation) => {
  tx.set([...prefix, result.dedupKey, crypto.randomUUID()], Date.now());
};

Deno.test('Deno KV transaction: tx is the Deno.AtomicOperation; 50 concurrent copies over two connections write once', async () => {
  const kv1 = await Deno.openKv(path);
  const kv2 = await Deno.openKv(path);
  try {
    const receivers = [kv1, kv2].map((kv) => r2Receiver({ secrets: [SECRET], dedup: denoKvStore(kv, { prefix: ['t4'] }) }));
    const d = distinct('fifty');
    let runs = 0;
    const handler = async (_event: unknown, result: { dedupKey: string }, tx: Deno.AtomicOperation) => {
      const op: Deno.AtomicOperation = tx; // the type, inferred from Deno.Kv
      // @ts-expect-error: not any
      const wrong: number = tx;
      void wrong;
      runs += 1;
      await sleep(20);
      op.set(['t4-effects', result.dedupKey, crypto.randomUUID()], runs).sum(['t4-sum'], 1n);
    };
    const statuses = await Promise.all(Array.from({ length: 50 }, (_, i) => receivers[i % 2].handle(parts(d), handler).then((r) => r.status)));
    equal(statuses.every((s) => s === 200 || s === 409), true, `each copy 200 or 409: ${statuses}`);
    equal(statuses.includes(200), true, 'one copy handled it');
    equal(await countIn(kv1, ['t4-effects']), 1, 'the handler wrote once, in KV');
    equal(String((await kv2.get<Deno.KvU64>(['t4-sum'])).value?.value), '1', 'sum once');
    equal(runs, 1, 'concurrent copies got 409 from the claim, the handler ran once');
    equal((await receivers[1].handle(parts(d), handler)).status, 200, 'a later copy is a duplicate');
    equal([runs, await countIn(kv2, ['t4-effects'])], [1, 1], 'not run, nothing written');
    equal(await denoKvStore(kv1, { prefix: ['t4'] }).status(d.key), 'duplicate', 'the key recorded');
    console.log(`# 50 copies: ${statuses.filter((s) => s === 200).length} x 200, ${statuses.filter((s) => s === 409).length} x 409`);
  } finally {
    kv1.close();
    kv2.close();
  }
});

Deno.test('Deno KV transaction: 200 distinct events, each sent twice at once: 200 writes', async () => {
  const kv1 = await Deno.openKv(path);
  const kv2 = await Deno.openKv(path);
  try {
    const receivers = [kv1, kv2].map((kv) => r2Receiver({ secrets: [SECRET], dedup: denoKvStore(kv, { prefix: ['t5'] }) }));
    const handler = writer(['t5-effects']);
    const ds = Array.from({ length: 200 }, (_, i) => distinct(`many-${i}`));
    let pending = [...ds, ...ds].map((d, i) => ({ d, via: i % 2 })).sort(() => Math.random() - 0.5);
    const seen: Record<number, number> = {};
    for (let round = 0; pending.length > 0 && round < 50; round++) {
      const statuses = await Promise.all(pending.map(({ d, via }) => receivers[via].handle(parts(d), handler).then((a) => a.status)));
      for (const s of statuses) seen[s] = (seen[s] ?? 0) + 1;
      pending = pending.filter((_, i) => statuses[i] === 409); // the provider's retry
      if (pending.length) await sleep(20);
    }
    equal(pending.length, 0, 'all answered');
    equal(Object.keys(seen).every((s) => s === '200' || s === '409'), true, `only 200 and 409: ${JSON.stringify(seen)}`);
    equal(seen[200], 400, 'every copy answered 200 in the end');
    equal(await countIn(kv1, ['t5-effects']), 200, '200 writes');
    for (const d of ds) {
      if ((await countIn(kv2, ['t5-effects', d.key])) !== 1) throw new Error(`${d.key}: not exactly one write`);
    }
    console.log(`# 400 sends: ${seen[409] ?? 0} x 409 retried`);
  } finally {
    kv1.close();
    kv2.close();
  }
});

Deno.test('Deno KV transaction: a failing handler writes nothing, the key is not recorded, the retry is processed once', async () => {
  const kv = await Deno.openKv(path);
  try {
    const store = denoKvStore(kv, { prefix: ['t6'] });
    const receiver = r2Receiver({ secrets: [SECRET], dedup: store });
    const errors: unknown[] = [];
    const onError = (e: unknown) => { errors.push(e); };
    const cases: [string, (event: unknown, result: { dedupKey: string }, tx: Deno.AtomicOperation) => unknown][] = [
      ['throws after writing', (_e, r, tx) => { tx.set(['t6-effects', r.dedupKey, 'a'], 1); throw new Error('down'); }],
      ['commits tx itself', async (_e, r, tx) => { tx.set(['t6-effects', r.dedupKey, 'b'], 1); await tx.commit(); }],
      ['commits tx itself, and catches the refusal', async (_e, r, tx) => { tx.set(['t6-effects', r.dedupKey, 'c'], 1); await tx.commit().catch(() => {}); }],
      ['adds a check that fails', async (_e, r, tx) => { tx.check({ key: ['t6-absent'], versionstamp: '00000000000000010000' }).set(['t6-effects', r.dedupKey, 'd'], 1); }],
      ['adds a mutation KV refuses', (_e, r, tx) => { tx.set(['t6-effects', r.dedupKey, 'e'], new Uint8Array(70_000)); }],
    ];
    for (const [i, [what, handler]] of cases.entries()) {
      const d = distinct(`fail-${i}`, 'financing_paid');
      equal((await receiver.handle(parts(d), handler, { onError })).status, 500, `${what}: 500`);
      equal(errors.length, i + 1, `${what}: onError`);
      equal(await countIn(kv, ['t6-effects', d.key]), 0, `${what}: nothing written`);
      equal(await store.status(d.key), 'new', `${what}: the key not recorded (its claim released)`);
      let runs = 0;
      const retry = await receiver.handle(parts(d), (e: unknown, r: { dedupKey: string }, tx: Deno.AtomicOperation) => { runs += 1; writer(['t6-effects'])(e, r, tx); });
      equal([retry.status, runs, await countIn(kv, ['t6-effects', d.key])], [200, 1, 1], `${what}: the retry processed once`);
      equal((await receiver.handle(parts(d), () => { runs += 1; })).status, 200, `${what}: then a duplicate`);
      equal(runs, 1, `${what}: not run again`);
    }
  } finally {
    kv.close();
  }
});

Deno.test('Deno KV transaction: a handler that outlives its lease loses to the copy that took over; its writes are dropped', async () => {
  const kv1 = await Deno.openKv(path);
  const kv2 = await Deno.openKv(path);
  try {
    const slow = r2Receiver({ secrets: [SECRET], dedup: denoKvStore(kv1, { prefix: ['t7'] }), leaseMs: 100 });
    const fast = r2Receiver({ secrets: [SECRET], dedup: denoKvStore(kv2, { prefix: ['t7'] }) });
    const d = distinct('lease');
    const late = slow.handle(parts(d), async (_e, r, tx) => { tx.set(['t7-effects', r.dedupKey, 'slow'], 1); await sleep(300); });
    await sleep(150);
    equal((await fast.handle(parts(d), writer(['t7-effects']))).status, 200, 'the retry after the lease');
    equal((await late).status, 200, "the late copy answers the winner's outcome (a duplicate)");
    equal(await countIn(kv1, ['t7-effects', d.key]), 1, 'one write: the late handler\'s was dropped');
    equal((await kv1.get(['t7-effects', d.key, 'slow'])).versionstamp, null, 'not the slow one');
  } finally {
    kv1.close();
    kv2.close();
  }
});

/** The SIGKILL crash tests' second process: handles one delivery on the KV file, says where it is, and waits to be killed. */
if (child) {
  const [, file, body, signature, point] = Deno.args;
  const kv = await Deno.openKv(file);
  const receiver = r2Receiver({ secrets: [SECRET], dedup: denoKvStore(kv, { prefix: ['t8'] }), leaseMs: 500 });
  setInterval(() => {}, 1000); // alive until killed
  await receiver.handle({ body, headers: { 'content-sha256': signature } }, async (_e, r, tx) => {
    tx.set(['t8-effects', r.dedupKey, 'child'], 1);
    if (point === 'before-commit') {
      console.log('in-handler');
      await new Promise(() => {}); // killed here: the op built, never committed
    }
  });
  console.log('committed'); // killed here: committed, not answered
}

const canRun = !child && (await Deno.permissions.query({ name: 'run' })).state === 'granted';
/** Runs this file as a second Deno process on the KV file, and SIGKILLs it once it prints `until`. */
async function killChildAt(d: { body: string; headers: Record<string, string> }, point: string, until: string) {
  const proc = new Deno.Command(Deno.execPath(), {
    args: ['run', '--unstable-kv', '--allow-read', '--allow-write', '--node-modules-dir=manual', new URL(import.meta.url).pathname,
      'kv-child', path, d.body, d.headers['content-sha256'], point],
    stdout: 'piped', stderr: 'inherit',
  }).spawn();
  const reader = proc.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let out = '';
  while (!out.includes(until)) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`the child exited before ${until}: ${out}`);
    out += value;
  }
  proc.kill('SIGKILL');
  const status = await proc.status;
  reader.releaseLock();
  await proc.stdout.cancel().catch(() => {});
  equal(status.signal, 'SIGKILL', 'killed');
}

Deno.test({
  name: 'Deno KV transaction: a second process SIGKILLed mid-handler, before the commit: nothing written, the retry processed once',
  ignore: !canRun, // needs --allow-run; the next test simulates it in this process
  async fn() {
    const kv = await Deno.openKv(path);
    try {
      const d = distinct('sigkill-before');
      await killChildAt(d, 'before-commit', 'in-handler');
      equal(await countIn(kv, ['t8-effects', d.key]), 0, 'nothing written');
      const receiver = r2Receiver({ secrets: [SECRET], dedup: denoKvStore(kv, { prefix: ['t8'] }) });
      let runs = 0;
      const handler = (e: unknown, r: { dedupKey: string }, tx: Deno.AtomicOperation) => { runs += 1; writer(['t8-effects'])(e, r, tx); };
      equal((await receiver.handle(parts(d), handler)).status, 409, "the dead process's claim holds until its lease");
      await sleep(600);
      equal((await receiver.handle(parts(d), handler)).status, 200, 'after the lease');
      equal([runs, await countIn(kv, ['t8-effects', d.key])], [1, 1], 'processed once');
      equal((await receiver.handle(parts(d), handler)).status, 200, 'then a duplicate');
      equal(runs, 1, 'not run again');
    } finally {
      kv.close();
    }
  },
});

Deno.test({
  name: 'Deno KV transaction: a second process SIGKILLed after the commit, before answering: the retry is a duplicate',
  ignore: !canRun,
  async fn() {
    const kv = await Deno.openKv(path);
    try {
      const d = distinct('sigkill-after');
      await killChildAt(d, 'after-commit', 'committed');
      equal(await countIn(kv, ['t8-effects', d.key]), 1, 'written once');
      let runs = 0;
      const receiver = r2Receiver({ secrets: [SECRET], dedup: denoKvStore(kv, { prefix: ['t8'] }) });
      equal((await receiver.handle(parts(d), () => { runs += 1; })).status, 200, 'a duplicate');
      equal([runs, await countIn(kv, ['t8-effects', d.key])], [0, 1], 'not run, nothing more written');
    } finally {
      kv.close();
    }
  },
});

Deno.test('Deno KV transaction: a receiver that dies before the commit (simulated in this process): nothing written, the retry processed once', async () => {
  // Its own connection, closed mid-handler as a dead process's would be: the op was built but
  // never committed, and that handler never resumes.
  const dying = await Deno.openKv(path);
  const kv = await Deno.openKv(path);
  try {
    const d = distinct('dies');
    let inHandler: () => void = () => {};
    const reached = new Promise<void>((resolve) => { inHandler = resolve; });
    void r2Receiver({ secrets: [SECRET], dedup: denoKvStore(dying, { prefix: ['t9'] }), leaseMs: 200 }).handle(parts(d), async (_e, r, tx) => {
      tx.set(['t9-effects', r.dedupKey, 'dead'], 1);
      inHandler();
      await new Promise(() => {});
    });
    await reached;
    dying.close();
    equal(await countIn(kv, ['t9-effects', d.key]), 0, 'nothing written');
    const receiver = r2Receiver({ secrets: [SECRET], dedup: denoKvStore(kv, { prefix: ['t9'] }) });
    let runs = 0;
    const handler = (e: unknown, r: { dedupKey: string }, tx: Deno.AtomicOperation) => { runs += 1; writer(['t9-effects'])(e, r, tx); };
    equal((await receiver.handle(parts(d), handler)).status, 409, 'the claim holds until its lease');
    await sleep(250);
    equal((await receiver.handle(parts(d), handler)).status, 200, 'after the lease');
    equal((await receiver.handle(parts(d), handler)).status, 200, 'then a duplicate');
    equal([runs, await countIn(kv, ['t9-effects', d.key])], [1, 1], 'processed once, one write');
  } finally {
    kv.close();
  }
});
