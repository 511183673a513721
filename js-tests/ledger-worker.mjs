// A Worker for the "exactly-once effects in your own Durable Object" test: the pattern the
// README shows, with no payhook store. The Worker verifies each R2 delivery and forwards the
// parsed event to the Durable Object that owns its financing (one object per financing_id).
// There, one storage transaction checks the event's dedup key, records it with its expiry,
// and makes the handler's own writes: all commit, or none do. An alarm deletes expired keys.
// Bundled and run under miniflare by durable-object.test.mjs, which counts everything in the
// objects' storage through GET /ledger.
import { deliveryPolicy, r2Receiver } from 'payhook';

const RETENTION_MS = deliveryPolicy('r2').dedupRetentionMs; // the replay window + 5 min
let receiver;

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const ledger = (name) => env.LEDGER.get(env.LEDGER.idFromName(name));
    if (url.pathname === '/ledger') {
      // The test's read endpoint: what one financing's object holds.
      return ledger(url.searchParams.get('financing')).fetch('https://ledger/counts');
    }
    receiver ??= r2Receiver({ secrets: [env.R2_SECRET] });
    const result = await receiver.receive(request);
    if (!result.ok) return result.response; // refused, or stale: never reaches the object
    // Test knobs: how the handler fails (/throw, /abort, /abort-after-commit), and a short retention (?retentionMs).
    const fail = url.pathname.slice(1) || undefined;
    const retentionMs = Number(url.searchParams.get('retentionMs') ?? RETENTION_MS);
    // The object that owns what the event changes, chosen from the signed content alone, so
    // every copy and every retry of the event reaches the same object and its dedup keys.
    const owner = ledger(result.event.financing.financing_id);
    try {
      const answer = await owner.fetch('https://ledger/record', {
        method: 'POST', body: JSON.stringify({ event: result.event, key: result.dedupKey, fail, retentionMs }),
      });
      if (answer.ok) return result.response; // processed now, or a duplicate: R2's 200 either way
    } catch {
      // The object threw, was reset, or could not be reached: committed or not, a retry settles it.
    }
    return Response.json({ error: 'handler_failed' }, { status: 500 });
  },
};

/** One object per financing: its events, its state, and the dedup keys of its events. */
export class FinancingLedger {
  constructor(ctx) {
    this.ctx = ctx;
  }

  async fetch(request) {
    const { pathname } = new URL(request.url);
    if (pathname === '/counts') return Response.json(await this.counts());
    const { event, key, fail, retentionMs } = await request.json();
    const outcome = await this.ctx.storage.transaction(async (txn) => {
      const now = Date.now();
      const seen = await txn.get(`dedup:${key}`);
      if (seen !== undefined && seen > now) return 'duplicate';
      const expiresAt = now + retentionMs;
      await txn.put(`dedup:${key}`, expiresAt);
      // The handler's own writes: the event, and the financing's state read and updated.
      const state = (await txn.get('financing')) ?? { events: 0, repayable: 0 };
      await txn.put(`event:${key}`, event);
      await txn.put('financing', { events: state.events + 1, repayable: state.repayable + event.financing.total_repayment_amount });
      if (fail === 'throw') throw new Error('downstream down'); // rolls back all of the above
      if (fail === 'abort') this.ctx.abort('crash mid-handler'); // the object dies before the commit
      const alarm = await txn.getAlarm();
      if (alarm === null || alarm > expiresAt) await txn.setAlarm(expiresAt);
      return 'processed';
    });
    if (fail === 'abort-after-commit') {
      await this.ctx.storage.sync(); // the transaction is on disk
      this.ctx.abort('crash before answering'); // and the object dies before the answer
    }
    return Response.json({ outcome });
  }

  /** Deletes expired dedup keys (never the events), and wakes again for the next one. */
  async alarm() {
    const now = Date.now();
    let next = null;
    for (const [name, expiresAt] of await this.ctx.storage.list({ prefix: 'dedup:' })) {
      if (expiresAt <= now) await this.ctx.storage.delete(name);
      else next = Math.min(next ?? expiresAt, expiresAt);
    }
    if (next !== null) await this.ctx.storage.setAlarm(next);
  }

  /** Everything in this object's storage, counted. */
  async counts() {
    const all = await this.ctx.storage.list();
    const count = (prefix) => [...all.keys()].filter((name) => name.startsWith(prefix)).length;
    return {
      keys: count('dedup:'), events: count('event:'), financing: all.get('financing') ?? null,
      other: all.size - count('dedup:') - count('event:') - (all.has('financing') ? 1 : 0),
      alarm: await this.ctx.storage.getAlarm(),
    };
  }
}
