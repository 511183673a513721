// The Deno KV dedup store against a local KV file: claim semantics, two connections standing
// for two processes, 50 concurrent deliveries with one handler run, a failing handler, and a
// claim whose holder died. Run: deno test --unstable-kv --allow-read --allow-write ...
import { denoKvStore, fixture, r2Receiver, signR2 } from 'payhook';

const SECRET = 'deno-r2-secret';
const path = await Deno.makeTempFile({ suffix: '.kv' });
const equal = (a: unknown, b: unknown, what = '') => {
  if (JSON.stringify(a) !== JSON.stringify(b)) throw new Error(`${what}: expected ${JSON.stringify(b)}, got ${JSON.stringify(a)}`);
};
const delivery = (name: string) => {
  const body = JSON.stringify(fixture('r2', name));
  return { body, headers: { 'content-sha256': signR2(body, SECRET) } };
};

Deno.test('Deno KV: claim, in progress, complete, duplicate, release, lease, two connections', async () => {
  const kv1 = await Deno.openKv(path);
  const kv2 = await Deno.openKv(path);
  try {
    const a = denoKvStore(kv1, { prefix: ['t1'] });
    const b = denoKvStore(kv2, { prefix: ['t1'] });
    equal(await a.claim('k', 10_000), 'new', 'first claim');
    equal(await b.claim('k', 10_000), 'in_progress', 'second connection');
    await b.release('k');
    equal(await b.status('k'), 'in_progress', 'another connection cannot release it');
    await a.release('k');
    equal(await b.claim('k', 10_000), 'new', 'released');
    await b.complete('k', 60_000);
    equal([await a.claim('k', 10_000), await a.status('k')], ['duplicate', 'duplicate'], 'completed');
    equal(await a.claim('short', 50), 'new', 'short lease');
    await new Promise((resolve) => setTimeout(resolve, 80));
    equal(await b.claim('short', 50), 'new', 'expired lease');
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
    equal(await denoKvStore(kv, { prefix: ['t3'] }).claim(key, 200), 'new', 'dead claim');
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
