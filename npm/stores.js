// Dedup stores: where a receiver remembers which events it has processed. Every store has
// the same four async methods:
//   claim(key, leaseMs)        -> 'new' | 'duplicate' | 'in_progress' ('new' claims it)
//   complete(key, retentionMs) -> marks it done, remembered for the retention
//   release(key)               -> gives a failed handler's claim back (the retry is processed)
//   status(key)                -> what claim would answer, without claiming
// A claim never completed expires after its lease, so a process that dies mid-handler does
// not lose the event. Like receiver.js this file imports nothing: it is bound to a glue.

/** Claim, complete and release as one atomic Lua script each (Redis runs scripts alone). */
const CLAIM = `local v = redis.call('GET', KEYS[1])
if not v then redis.call('SET', KEYS[1], 'claimed:' .. ARGV[1], 'PX', ARGV[2]) return 'new' end
if v == 'done' then return 'duplicate' end
return 'in_progress'`;
const COMPLETE = `if redis.call('GET', KEYS[1]) == 'claimed:' .. ARGV[1] then
  redis.call('SET', KEYS[1], 'done', 'PX', ARGV[2]) return 1 end
return 0`;
const RELEASE = `if redis.call('GET', KEYS[1]) == 'claimed:' .. ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/** A claim's state as the Durable Object and Deno KV stores keep it. */
const live = (entry, now) => (entry && entry.expiresAt > now ? entry : undefined);
const statusOf = (entry) => (!entry ? 'new' : entry.state === 'done' ? 'duplicate' : 'in_progress');

/**
 * The Durable Object that holds one dedup key (Cloudflare Workers). Export it from your
 * Worker and bind it (`[[durable_objects.bindings]] name = "DEDUP", class_name =
 * "PayhookDedupObject"`). One object per key, so no object is hot; a Durable Object runs one
 * request at a time over strongly consistent storage, which is what a claim needs (Workers
 * KV is eventually consistent: two isolates could both see "new"). An alarm deletes the
 * entry when it expires.
 */
export class PayhookDedupObject {
  constructor(state) {
    this.storage = state.storage;
  }

  async fetch(request) {
    const { op, ms, token } = await request.json();
    const now = Date.now();
    const entry = live(await this.storage.get('entry'), now);
    const put = async (value) => {
      await this.storage.put('entry', value);
      await this.storage.setAlarm(value.expiresAt);
    };
    let answer;
    if (op === 'claim') {
      answer = statusOf(entry);
      if (answer === 'new') await put({ state: 'claimed', token, expiresAt: now + ms });
    } else if (op === 'complete' || op === 'release') {
      const ours = entry?.state === 'claimed' && entry.token === token;
      if (ours && op === 'complete') await put({ state: 'done', expiresAt: now + ms });
      if (ours && op === 'release') await this.storage.deleteAll();
      answer = ours;
    } else {
      answer = statusOf(entry);
    }
    return Response.json(answer);
  }

  async alarm() {
    const entry = await this.storage.get('entry');
    if (!live(entry, Date.now())) await this.storage.deleteAll();
    else await this.storage.setAlarm(entry.expiresAt);
  }
}

export function bindStores(glue, PayhookError) {
  /** Store arguments are checked here, before they reach wasm or a database. */
  const key = (value) => {
    if (typeof value !== 'string' || value.length === 0 || value.length > 1024) {
      throw new PayhookError('argument_invalid', 500, 'a dedup key must be a non-empty string (dedupKey(event))');
    }
    return value;
  };
  /** A store whose every call has its key and durations checked first. */
  const checked = ({ kind, claim, complete, release, status }) => Object.freeze({
    kind,
    claim: async (k, leaseMs) => claim(key(k), ms(leaseMs, 'leaseMs')),
    complete: async (k, retentionMs) => complete(key(k), ms(retentionMs, 'retentionMs')),
    release: async (k) => release(key(k)),
    status: async (k) => status(key(k)),
  });
  const ms = (value, what) => {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new PayhookError('argument_invalid', 500, `${what} must be a number of milliseconds`);
    }
    return value;
  };

  /**
   * In this process only, bounded (entries and bytes) with expiry; its logic is in the wasm
   * core, the clock (`now`, milliseconds) is passed in.
   */
  function memoryStore(options) {
    let maxEntries, maxBytes, now;
    try {
      ({ maxEntries = 100_000, maxBytes = 32 * 1024 * 1024, now = Date.now } = options ?? {});
    } catch {
      throw new PayhookError('argument_invalid', 500, 'memoryStore(options): the options could not be read');
    }
    if (typeof now !== 'function') throw new PayhookError('argument_invalid', 500, 'memoryStore({ now }) must be a function');
    const set = new glue.CoreSeenSet(ms(maxEntries, 'maxEntries'), ms(maxBytes, 'maxBytes'));
    const clock = () => {
      let time;
      try {
        time = now();
      } catch (cause) {
        throw new PayhookError('argument_invalid', 500, 'memoryStore({ now }): now() threw', { cause });
      }
      return ms(time, 'now()');
    };
    return Object.freeze({
      kind: 'memory',
      async claim(k, leaseMs) { return set.claim(key(k), clock(), ms(leaseMs, 'leaseMs')); },
      async complete(k, retentionMs) { set.complete(key(k), clock(), ms(retentionMs, 'retentionMs')); },
      async release(k) { set.release(key(k)); },
      async status(k) { return set.status(key(k), clock()); },
      /** Keys remembered, and bytes accounted for (for monitoring the bound). */
      get size() { return set.size; },
      get bytes() { return set.bytes; },
    });
  }

  /**
   * Shared by every process that uses the same Redis: a node-redis (v4, v5) or an ioredis
   * client, already connected. Each claim carries a random token, so a handler whose lease
   * expired cannot complete or release a claim that another process has since taken.
   */
  function redisStore(client, { prefix = 'payhook:dedup:' } = {}) {
    const send = typeof client?.call === 'function'
      ? (args) => client.call(...args) // ioredis
      : typeof client?.sendCommand === 'function'
        ? (args) => client.sendCommand(args.map(String)) // node-redis
        : null;
    if (!send) throw new TypeError('redisStore needs a node-redis or ioredis client');
    const tokens = new Map(); // key -> the token of the claim this process holds
    const evalScript = (script, key, ...args) => send(['EVAL', script, 1, prefix + key, ...args]);
    return checked({
      kind: 'redis',
      async claim(key, leaseMs) {
        const token = crypto.randomUUID();
        const status = String(await evalScript(CLAIM, key, token, Math.max(1, Math.round(leaseMs))));
        if (status === 'new') tokens.set(key, token);
        return status;
      },
      async complete(key, retentionMs) {
        const token = tokens.get(key);
        tokens.delete(key);
        if (token) await evalScript(COMPLETE, key, token, Math.max(1, Math.round(retentionMs)));
      },
      async release(key) {
        const token = tokens.get(key);
        tokens.delete(key);
        if (token) await evalScript(RELEASE, key, token);
      },
      async status(key) {
        const v = await send(['GET', prefix + key]);
        return v === null || v === undefined ? 'new' : String(v) === 'done' ? 'duplicate' : 'in_progress';
      },
    });
  }

  /**
   * Shared by every Worker isolate, through a Durable Object namespace bound to
   * `PayhookDedupObject` (`env.DEDUP`): one object per dedup key.
   */
  function durableObjectStore(namespace) {
    if (typeof namespace?.idFromName !== 'function') {
      throw new TypeError('durableObjectStore needs a Durable Object namespace binding (env.DEDUP)');
    }
    const tokens = new Map();
    const call = async (key, op, ms, token) => {
      const stub = namespace.get(namespace.idFromName(key));
      const response = await stub.fetch('https://payhook.dedup/', { method: 'POST', body: JSON.stringify({ op, ms, token }) });
      return response.json();
    };
    return checked({
      kind: 'durable-object',
      async claim(key, leaseMs) {
        const token = crypto.randomUUID();
        const status = await call(key, 'claim', leaseMs, token);
        if (status === 'new') tokens.set(key, token);
        return status;
      },
      async complete(key, retentionMs) {
        const token = tokens.get(key);
        tokens.delete(key);
        if (token) await call(key, 'complete', retentionMs, token);
      },
      async release(key) {
        const token = tokens.get(key);
        tokens.delete(key);
        if (token) await call(key, 'release', 0, token);
      },
      status: (key) => call(key, 'status'),
    });
  }

  /**
   * Shared by every Deno process or Deno Deploy isolate using the same KV database
   * (`await Deno.openKv()`): claims are atomic check-and-set operations on the entry's
   * versionstamp; entries carry their own expiry (KV's `expireIn` deletes them later).
   */
  function denoKvStore(kv, { prefix = ['payhook', 'dedup'] } = {}) {
    if (typeof kv?.atomic !== 'function') throw new TypeError('denoKvStore needs a Deno.Kv (await Deno.openKv())');
    const tokens = new Map();
    const at = (key) => [...prefix, key];
    /**
     * Commits an atomic operation. A local KV file is SQLite: several connections writing at
     * once get "database is locked", which is transient, so it is retried with jitter.
     */
    const commit = async (build) => {
      for (let attempt = 0; ; attempt++) {
        try {
          return await build().commit();
        } catch (error) {
          if (attempt >= 200 || !/database is locked/i.test(String(error?.message))) throw error;
          await new Promise((resolve) => setTimeout(resolve, 1 + Math.random() * 8));
        }
      }
    };
    /** Replaces the entry if it is still our claim; false when it is not. */
    const ifOurs = async (key, change) => {
      const token = tokens.get(key);
      tokens.delete(key);
      for (;;) {
        const current = await kv.get(at(key));
        const entry = live(current.value, Date.now());
        if (!token || entry?.state !== 'claimed' || entry.token !== token) return false;
        if ((await commit(() => change(kv.atomic().check(current)))).ok) return true;
      }
    };
    return checked({
      kind: 'deno-kv',
      async claim(key, leaseMs) {
        for (;;) {
          const current = await kv.get(at(key));
          const now = Date.now();
          const status = statusOf(live(current.value, now));
          if (status !== 'new') return status;
          const token = crypto.randomUUID();
          const value = { state: 'claimed', token, expiresAt: now + leaseMs };
          const committed = await commit(() => kv.atomic().check(current).set(at(key), value, { expireIn: leaseMs }));
          if (committed.ok) {
            tokens.set(key, token);
            return 'new';
          }
          // Another process wrote in between: read again.
        }
      },
      async complete(key, retentionMs) {
        await ifOurs(key, (op) => op.set(at(key), { state: 'done', expiresAt: Date.now() + retentionMs }, { expireIn: retentionMs }));
      },
      async release(key) {
        await ifOurs(key, (op) => op.delete(at(key)));
      },
      async status(key) {
        return statusOf(live((await kv.get(at(key))).value, Date.now()));
      },
    });
  }

  return { memoryStore, redisStore, durableObjectStore, denoKvStore };
}
