// Dedup stores: where a receiver remembers which events it has processed. Every store has
// the same four async methods:
//   claim(key, leaseMs)               -> { status: 'new', token } | { status: 'duplicate' }
//                                        | { status: 'in_progress' } ('new' claims it)
//   complete(key, token, retentionMs) -> marks it done, remembered for the retention
//   release(key, token)               -> gives a failed handler's claim back (the retry is
//                                        processed)
//   status(key)                       -> what claim would answer, without claiming
// complete and release act only while the claim under that token still holds, and resolve
// to whether it did: a handler whose lease ran out cannot undo the claim of the retry that
// took over. A claim never completed expires after its lease, so a process that dies
// mid-handler does not lose the event. Like receiver.js this file imports nothing: it is
// bound to a glue.

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
  const token = (value) => {
    if (typeof value !== 'string' || value.length === 0 || value.length > 128) {
      throw new PayhookError('argument_invalid', 500, 'a claim token must be the token claim() handed out');
    }
    return value;
  };
  /** What claim resolves to. */
  const claimed = (status, t) => (status === 'new' ? { status, token: t } : { status });
  /** A store whose every call has its key, token and durations checked first. */
  const checked = ({ kind, claim, complete, release, status }) => Object.freeze({
    kind,
    claim: async (k, leaseMs) => claim(key(k), ms(leaseMs, 'leaseMs')),
    complete: async (k, t, retentionMs) => complete(key(k), token(t), ms(retentionMs, 'retentionMs')),
    release: async (k, t) => release(key(k), token(t)),
    status: async (k) => status(key(k)),
  });
  /** An option of a store, read once; a getter that throws is argument_invalid. */
  const option = (object, name, what) => {
    try {
      return object?.[name];
    } catch {
      throw new PayhookError('argument_invalid', 500, `${what}: ${name} could not be read (a getter threw)`);
    }
  };
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
    // A bound that cannot hold one entry would quietly remember nothing: refused.
    if (!Number.isSafeInteger(maxEntries) || maxEntries < 1) {
      throw new PayhookError('argument_invalid', 500, 'memoryStore({ maxEntries }) must be a whole number, at least 1');
    }
    if (!Number.isSafeInteger(maxBytes) || maxBytes < 1024) {
      throw new PayhookError('argument_invalid', 500, 'memoryStore({ maxBytes }) must be a whole number of bytes, at least 1024');
    }
    const set = new glue.CoreSeenSet(maxEntries, maxBytes);
    const clock = () => {
      let time;
      try {
        time = now();
      } catch (cause) {
        throw new PayhookError('argument_invalid', 500, 'memoryStore({ now }): now() threw', { cause });
      }
      return ms(time, 'now()');
    };
    let claims = 0; // a claim's token: unique in this store
    return Object.freeze({
      kind: 'memory',
      async claim(k, leaseMs) {
        const t = `${++claims}`;
        return claimed(set.claim(key(k), t, clock(), ms(leaseMs, 'leaseMs')), t);
      },
      async complete(k, t, retentionMs) { return set.complete(key(k), token(t), clock(), ms(retentionMs, 'retentionMs')); },
      async release(k, t) { return set.release(key(k), token(t), clock()); },
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
  function redisStore(client, options) {
    const prefix = prefixOf(option(options, 'prefix', 'redisStore'), 'payhook:dedup:', 'string');
    const call = option(client, 'call', 'redisStore');
    const sendCommand = option(client, 'sendCommand', 'redisStore');
    const send = typeof call === 'function'
      ? (args) => call.apply(client, args) // ioredis
      : typeof sendCommand === 'function'
        ? (args) => sendCommand.call(client, args.map(String)) // node-redis
        : null;
    if (!send) throw new PayhookError('argument_invalid', 500, 'redisStore needs a node-redis or ioredis client');
    const evalScript = (script, key, ...args) => send(['EVAL', script, 1, prefix + key, ...args]);
    return checked({
      kind: 'redis',
      async claim(key, leaseMs) {
        const t = crypto.randomUUID();
        return claimed(String(await evalScript(CLAIM, key, t, Math.max(1, Math.round(leaseMs)))), t);
      },
      async complete(key, t, retentionMs) {
        return Number(await evalScript(COMPLETE, key, t, Math.max(1, Math.round(retentionMs)))) === 1;
      },
      async release(key, t) {
        return Number(await evalScript(RELEASE, key, t)) === 1;
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
    if (typeof option(namespace, 'idFromName', 'durableObjectStore') !== 'function') {
      throw new PayhookError('argument_invalid', 500, 'durableObjectStore needs a Durable Object namespace binding (env.DEDUP)');
    }
    const call = async (key, op, ms, token) => {
      const stub = namespace.get(namespace.idFromName(key));
      const response = await stub.fetch('https://payhook.dedup/', { method: 'POST', body: JSON.stringify({ op, ms, token }) });
      return response.json();
    };
    return checked({
      kind: 'durable-object',
      async claim(key, leaseMs) {
        const t = crypto.randomUUID();
        return claimed(await call(key, 'claim', leaseMs, t), t);
      },
      complete: async (key, t, retentionMs) => (await call(key, 'complete', retentionMs, t)) === true,
      release: async (key, t) => (await call(key, 'release', 0, t)) === true,
      status: (key) => call(key, 'status'),
    });
  }

  /**
   * Shared by every Deno process or Deno Deploy isolate using the same KV database
   * (`await Deno.openKv()`): claims are atomic check-and-set operations on the entry's
   * versionstamp; entries carry their own expiry (KV's `expireIn` deletes them later).
   */
  function denoKvStore(kv, options) {
    const prefix = prefixOf(option(options, 'prefix', 'denoKvStore'), ['payhook', 'dedup'], 'array');
    if (typeof option(kv, 'atomic', 'denoKvStore') !== 'function') {
      throw new PayhookError('argument_invalid', 500, 'denoKvStore needs a Deno.Kv (await Deno.openKv())');
    }
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
    /** Replaces the entry if it is still the claim under `token`; false when it is not. */
    const ifOurs = async (key, token, change) => {
      for (;;) {
        const current = await kv.get(at(key));
        const entry = live(current.value, Date.now());
        if (entry?.state !== 'claimed' || entry.token !== token) return false;
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
          if (status !== 'new') return claimed(status);
          const token = crypto.randomUUID();
          const value = { state: 'claimed', token, expiresAt: now + leaseMs };
          const committed = await commit(() => kv.atomic().check(current).set(at(key), value, { expireIn: leaseMs }));
          if (committed.ok) return claimed('new', token);
          // Another process wrote in between: read again.
        }
      },
      complete: (key, token, retentionMs) =>
        ifOurs(key, token, (op) => op.set(at(key), { state: 'done', expiresAt: Date.now() + retentionMs }, { expireIn: retentionMs })),
      release: (key, token) => ifOurs(key, token, (op) => op.delete(at(key))),
      async status(key) {
        return statusOf(live((await kv.get(at(key))).value, Date.now()));
      },
    });
  }

  /** A store's key prefix: the default when absent, else a value of the right kind. */
  function prefixOf(value, fallback, kind) {
    if (value === undefined) return fallback;
    const ok = kind === 'string' ? typeof value === 'string' : Array.isArray(value);
    if (!ok) throw new PayhookError('argument_invalid', 500, `prefix must be ${kind === 'string' ? 'a string' : 'an array of key parts'}`);
    return kind === 'string' ? value : Array.from(value);
  }

  return { memoryStore, redisStore, durableObjectStore, denoKvStore };
}
