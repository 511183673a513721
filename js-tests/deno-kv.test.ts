// The Deno KV dedup store against a local KV file: claim semantics, two connections standing
// for two processes, 50 concurrent deliveries with one handler run, a failing handler, and a
// claim whose holder died. Run: deno test --unstable-kv --allow-read --allow-write ...
import * as payhook from 'payhook';
import type { Claim } from 'payhook';
import { freshR2 } from './suites/helpers.mjs';

const { denoKvStore, r2Receiver, signR2 } = payhook;

const SECRET = 'deno-r2-secret';
const path = await Deno.makeTempFile({ suffix: '.kv' });
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
