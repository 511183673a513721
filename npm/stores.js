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
// mid-handler does not lose the event. A store may also have
//   transaction(key, retentionMs, leaseMs, work) -> { status: 'done', value } | { status:
//                                        'duplicate' } | { status: 'in_progress' }
// (postgresStore, denoKvStore): work(tx) runs in a transaction that records the key, so its
// writes and the key commit together; handle() uses it when it is there.
import { invalid } from './error.js';
import { checkKeys, listOf, read } from './input.js';

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

export function bindStores(glue) {
  /** Store arguments are checked here, before they reach wasm or a database. */
  const key = (value) => {
    // Not well-formed UTF-16 (a lone surrogate) would reach wasm and databases as U+FFFD, so
    // two different keys would be one.
    if (typeof value !== 'string' || value.length === 0 || value.length > 1024 || !value.isWellFormed()) {
      throw invalid('a dedup key must be a non-empty string (dedupKey(event))');
    }
    return value;
  };
  const token = (value) => {
    if (typeof value !== 'string' || value.length === 0 || value.length > 128) {
      throw invalid('a claim token must be the token claim() handed out');
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
  const ms = (value, what) => {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw invalid(`${what} must be a number of milliseconds`);
    }
    return value;
  };

  /**
   * In this process only, bounded (entries and bytes) with expiry; its logic is in the wasm
   * core, the clock (`now`, milliseconds) is passed in.
   */
  function memoryStore(options) {
    if (options !== undefined && (typeof options !== 'object' || options === null)) throw invalid('memoryStore(options): options must be an object');
    if (options !== undefined) checkKeys(options, ['maxEntries', 'maxBytes', 'now'], 'memoryStore option');
    const [maxEntries = 100_000, maxBytes = 32 * 1024 * 1024, now = Date.now] = ['maxEntries', 'maxBytes', 'now'].map((k) => read(options, k, 'memoryStore options'));
    if (typeof now !== 'function') throw invalid('memoryStore({ now }) must be a function');
    // A bound that cannot hold one entry would quietly remember nothing: refused.
    if (!Number.isSafeInteger(maxEntries) || maxEntries < 1) {
      throw invalid('memoryStore({ maxEntries }) must be a whole number, at least 1');
    }
    if (!Number.isSafeInteger(maxBytes) || maxBytes < 1024) {
      throw invalid('memoryStore({ maxBytes }) must be a whole number of bytes, at least 1024');
    }
    const set = new glue.CoreSeenSet(maxEntries, maxBytes);
    const clock = () => {
      let time;
      try {
        time = now();
      } catch (cause) {
        throw invalid('memoryStore({ now }): now() threw', { cause });
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
    const prefix = prefixOf(read(options, 'prefix', 'redisStore'), 'payhook:dedup:', 'string');
    const call = read(client, 'call', 'redisStore');
    const sendCommand = read(client, 'sendCommand', 'redisStore');
    const send = typeof call === 'function'
      ? (args) => call.apply(client, args) // ioredis
      : typeof sendCommand === 'function'
        ? (args) => sendCommand.call(client, args.map(String)) // node-redis
        : null;
    if (!send) throw invalid('redisStore needs a node-redis or ioredis client');
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
    if (typeof read(namespace, 'idFromName', 'durableObjectStore') !== 'function') {
      throw invalid('durableObjectStore needs a Durable Object namespace binding (env.DEDUP)');
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
   * Besides the four claim methods it has `transaction(key, retentionMs, leaseMs, work)`,
   * which handle() uses: the key is claimed for `leaseMs` (so concurrent copies answer
   * in_progress and do not run the handler), then `work(op)` adds its mutations to one
   * `Deno.AtomicOperation`, which also checks that the claim is still this one and marks the
   * key done: the handler's mutations and the key commit together, or neither does.
   */
  function denoKvStore(kv, options) {
    const prefix = prefixOf(read(options, 'prefix', 'denoKvStore'), ['payhook', 'dedup'], 'array');
    if (typeof read(kv, 'atomic', 'denoKvStore') !== 'function') {
      throw invalid('denoKvStore needs a Deno.Kv (await Deno.openKv())');
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
    /** A claim: `{ status: 'new', token, versionstamp }` (of the claim's entry) or the status to answer. */
    const take = async (key, leaseMs) => {
      for (;;) {
        const current = await kv.get(at(key));
        const now = Date.now();
        const status = statusOf(live(current.value, now));
        if (status !== 'new') return { status };
        const token = crypto.randomUUID();
        const value = { state: 'claimed', token, expiresAt: now + leaseMs };
        const committed = await commit(() => kv.atomic().check(current).set(at(key), value, { expireIn: leaseMs }));
        if (committed.ok) return { status: 'new', token, versionstamp: committed.versionstamp };
        // Another process wrote in between: read again.
      }
    };
    const store = checked({
      kind: 'deno-kv',
      async claim(key, leaseMs) {
        const { status, token } = await take(key, leaseMs);
        return claimed(status, token);
      },
      complete: (key, token, retentionMs) =>
        ifOurs(key, token, (op) => op.set(at(key), { state: 'done', expiresAt: Date.now() + retentionMs }, { expireIn: retentionMs })),
      release: (key, token) => ifOurs(key, token, (op) => op.delete(at(key))),
      async status(key) {
        return statusOf(live((await kv.get(at(key))).value, Date.now()));
      },
    });
    return Object.freeze({
      ...store,
      /**
       * Claims the key for `leaseMs`, then runs `work(op)` with a `Deno.AtomicOperation` that
       * checks the claim's versionstamp and, after work, marks the key done for
       * `retentionMs`; one commit applies both. Resolves to `{ status: 'done', value }` once
       * it committed; to `{ status: 'duplicate' }` or `{ status: 'in_progress' }` without
       * running work (the key done, or claimed by another copy), or after it, when the claim
       * was lost meanwhile (the lease ran out and another copy took the key over: its commit
       * decides, and work's mutations are dropped). Rejects, the claim released and nothing
       * written, when work throws, commits `op` itself, or the commit fails (a check of
       * work's own that failed, a mutation KV refuses).
       */
      async transaction(k, retentionMs, leaseMs, work) {
        key(k);
        ms(retentionMs, 'retentionMs');
        ms(leaseMs, 'leaseMs');
        if (typeof work !== 'function') throw invalid('transaction(key, retentionMs, leaseMs, work): work must be a function');
        const claim = await take(k, leaseMs);
        if (claim.status !== 'new') return { status: claim.status };
        const op = kv.atomic().check({ key: at(k), versionstamp: claim.versionstamp });
        // The op is committed here, once: one the handler committed itself would apply its
        // mutations without the key, and again with it.
        const commitOp = op.commit.bind(op);
        let selfCommit = false;
        Object.defineProperty(op, 'commit', {
          value: () => {
            selfCommit = true;
            return Promise.reject(invalid('the handler must not commit tx: handle() commits it with the key'));
          },
        });
        let committed;
        try {
          const value = await work(op);
          if (selfCommit) throw invalid('the handler tried to commit tx itself: nothing was written');
          const expiresAt = Date.now() + retentionMs;
          op.set(at(k), { state: 'done', expiresAt }, { expireIn: retentionMs });
          committed = await commit(() => ({ commit: commitOp }));
          if (committed.ok) return { status: 'done', value };
        } catch (error) {
          await store.release(k, claim.token).catch(() => {}); // else it expires after its lease
          throw error;
        }
        // A check failed: the claim's (it is no longer this one) or one of work's own.
        const current = await kv.get(at(k));
        if (current.versionstamp !== claim.versionstamp) {
          const status = statusOf(live(current.value, Date.now()));
          return { status: status === 'duplicate' ? 'duplicate' : 'in_progress' };
        }
        await store.release(k, claim.token).catch(() => {});
        throw invalid("the commit failed a check the handler added to tx: nothing was written");
      },
    });
  }

  /**
   * Shared by every process using the same PostgreSQL, through node-postgres (a `pg.Pool`).
   * Besides the four claim methods it has `transaction(key, retentionMs, leaseMs, work)`,
   * which handle() uses: the key is recorded in the same transaction as the handler's own
   * writes (`work(client)`), so both commit or neither does. Per key, a non-blocking advisory
   * lock (`pg_try_advisory_xact_lock`) decides who handles it: a copy that finds it taken
   * answers in_progress at once, so concurrent copies never queue on a row lock or fill the
   * pool. Expiry uses the database's clock, the one clock every process sharing the table
   * agrees on; each call deletes at most 100 expired rows on the way (no cron).
   */
  function postgresStore(pool, options) {
    if (options !== undefined && (options === null || typeof options !== 'object')) {
      throw invalid('postgresStore(pool, options): options must be an object');
    }
    let names;
    try {
      names = options === undefined ? [] : Object.keys(options);
    } catch {
      throw invalid('postgresStore(pool, options): the options could not be read');
    }
    for (const name of names) {
      if (!['table', 'createTable'].includes(name)) {
        throw invalid('postgresStore: unknown option (not echoed); use table, createTable');
      }
    }
    const tableOption = read(options, 'table', 'postgresStore');
    const createOption = read(options, 'createTable', 'postgresStore');
    const table = tableOption === undefined ? 'payhook_dedup' : tableOption;
    // Lower-case identifiers only, optionally schema-qualified: interpolated into SQL as they
    // are, so nothing else may pass (the index name adds 11 characters to the table's).
    if (typeof table !== 'string' || !/^([a-z_][a-z0-9_]{0,62}\.)?[a-z_][a-z0-9_]{0,51}$/.test(table)) {
      throw invalid('postgresStore({ table }) must be a lower-case SQL identifier ([a-z_][a-z0-9_]*), optionally schema.table');
    }
    if (createOption !== undefined && typeof createOption !== 'boolean') {
      throw invalid('postgresStore({ createTable }) must be true or false');
    }
    const create = createOption !== false;
    if (typeof read(pool, 'connect', 'postgresStore') !== 'function') {
      throw invalid('postgresStore needs a node-postgres pool (new pg.Pool(…))');
    }
    const sql = postgresSql(table);
    /** A 64-bit advisory lock id for a key, from md5 of the table and key (in SQL), parameter $n. */
    const lockIdOf = (n) => `('x' || substr(md5($${n}::text), 1, 16))::bit(64)::bigint`;
    const lockId = lockIdOf(1);
    const lockKey = (key) => `${table}:${key}`; // a table name has no colon: unambiguous
    let created = create ? null : Promise.resolve();

    /**
     * Runs fn(client) on one pooled client, the table made first if need be and expired keys
     * swept. The client is released in every path, and destroyed after any error (the
     * connection may be what failed). One client at a time: never a second while holding one,
     * so concurrent calls cannot deadlock the pool.
     */
    async function withClient(fn) {
      const client = await pool.connect();
      // A connection that breaks while checked out makes the client emit 'error'; its
      // queries reject with the same failure, which is where it is handled.
      const ignore = () => {};
      client.on?.('error', ignore);
      let failed = false;
      try {
        if (!created) {
          created = createTable(client).catch((error) => {
            created = null; // the next call tries again
            throw error;
          });
        }
        await created;
        // Expired keys, a bounded number per call; rows another session is deleting are skipped.
        await client.query(sql.sweep);
        return await fn(client);
      } catch (error) {
        failed = true;
        throw error;
      } finally {
        client.off?.('error', ignore);
        client.release(failed ? true : undefined);
      }
    }
    async function createTable(client) {
      // CREATE TABLE IF NOT EXISTS is not safe against itself: two sessions can both find no
      // table and one then fails on pg_type's unique index. A transaction-level advisory lock
      // makes the processes that start together create it one after the other.
      await client.query('BEGIN');
      try {
        await client.query(`SELECT pg_advisory_xact_lock(${lockId})`, [`payhook create ${table}`]);
        await client.query(sql.create);
        await client.query('COMMIT');
      } catch (error) {
        await rollback(client, error);
      }
    }
    /** ROLLBACK after `error`, then rethrows it (the client is destroyed after, by withClient). */
    async function rollback(client, error) {
      try {
        await client.query('ROLLBACK');
      } catch {
        // The connection is gone: so is the transaction, which the server rolls back.
      }
      throw error;
    }
    /**
     * In a transaction holding the key's lock: undefined and the row's state, or the status
     * to answer when the key is taken (locked by a transaction, or a live row).
     */
    async function lockAndRead(client, key) {
      const locked = await client.query(`SELECT pg_try_advisory_xact_lock(${lockId}) AS got`, [lockKey(key)]);
      // A boolean or nothing: a type parser that keeps booleans as text ('f') would be a lock
      // taken by every copy, each then running the handler.
      const got = locked?.rows?.[0]?.got;
      if (typeof got !== 'boolean') throw invalid('postgresStore: pg_try_advisory_xact_lock answered no boolean (a type parser for bool on the pool?)');
      if (!got) return 'in_progress';
      const row = await client.query(sql.read, [key]);
      const state = row.rows[0]?.state;
      return state === 'done' ? 'duplicate' : state === 'claimed' ? 'in_progress' : undefined;
    }
    /** COMMIT that really committed (a transaction aborted by a failed statement rolls back instead). */
    async function commit(client) {
      const done = await client.query('COMMIT');
      if (done?.command === 'ROLLBACK') {
        throw invalid('the transaction was aborted by a failed statement and rolled back');
      }
    }

    const store = checked({
      kind: 'postgres',
      claim: (k, leaseMs) => withClient(async (client) => {
        await client.query('BEGIN');
        try {
          const taken = await lockAndRead(client, k);
          if (taken) {
            await client.query('ROLLBACK');
            return claimed(taken);
          }
          const t = crypto.randomUUID();
          await client.query(sql.upsert, [k, 'claimed', t, Math.max(1, Math.round(leaseMs))]);
          await commit(client);
          return claimed('new', t);
        } catch (error) {
          return rollback(client, error);
        }
      }),
      complete: (k, t, retentionMs) => withClient(async (client) =>
        (await client.query(sql.complete, [k, t, Math.max(1, Math.round(retentionMs))])).rowCount === 1),
      release: (k, t) => withClient(async (client) => (await client.query(sql.release, [k, t])).rowCount === 1),
      async status(k) {
        const { rows } = await withClient((client) => client.query(sql.status.replace('$LOCK', lockIdOf(2)), [k, lockKey(k)]));
        if (rows[0].locked) return 'in_progress';
        return rows[0].state === 'done' ? 'duplicate' : rows[0].state === 'claimed' ? 'in_progress' : 'new';
      },
    });
    return Object.freeze({
      ...store,
      table,
      /**
       * Runs `work(client)` in a transaction that also records the key: resolves to
       * `{ status: 'done', value }` once both committed, to `{ status: 'duplicate' }` or
       * `{ status: 'in_progress' }` without running it, and rejects with what work threw
       * after rolling both back. The key is kept for `retentionMs` from when it is recorded,
       * right after work and before COMMIT, by the database's clock. `leaseMs` is not needed here: the lock lasts as long as the
       * transaction, and a process that dies ends it with its connection.
       */
      transaction: async (k, retentionMs, leaseMs, work) => {
        key(k);
        ms(retentionMs, 'retentionMs');
        ms(leaseMs, 'leaseMs');
        if (typeof work !== 'function') throw invalid('transaction(key, retentionMs, leaseMs, work): work must be a function');
        return withClient(async (client) => {
          await client.query('BEGIN');
          try {
            const taken = await lockAndRead(client, k);
            if (taken) {
              await client.query('ROLLBACK');
              return { status: taken };
            }
            const xid = (await client.query('SELECT txid_current()::text AS xid')).rows[0].xid;
            const value = await work(client);
            // Recorded after the handler's writes: if one of them failed inside the handler,
            // the aborted transaction refuses this statement, and nothing commits. And only in
            // the transaction that ran the handler: one that issued its own COMMIT or ROLLBACK
            // would have the key recorded apart from its writes.
            const recorded = await client.query(sql.record, [k, Math.max(1, Math.round(retentionMs)), xid]);
            if (recorded.rowCount !== 1) {
              throw invalid('the handler ended the transaction itself (COMMIT or ROLLBACK through tx): the key was not recorded; use SAVEPOINTs inside tx');
            }
            await commit(client);
            return { status: 'done', value };
          } catch (error) {
            return rollback(client, error);
          }
        });
      },
    });
  }

  /** A store's key prefix: the default when absent, else a value of the right kind. */
  function prefixOf(value, fallback, kind) {
    if (value === undefined) return fallback;
    const ok = kind === 'string' ? typeof value === 'string' : Array.isArray(value);
    if (!ok) throw invalid(`prefix must be ${kind === 'string' ? 'a string' : 'an array of key parts'}`);
    // A Deno KV key is at most 2 KiB: no prefix has more parts (a sparse array of 2^32 - 1
    // holes was copied whole, for 6 s).
    return kind === 'string' ? value : listOf(value, 'prefix', 'argument_invalid', 64);
  }

  return { memoryStore, redisStore, durableObjectStore, denoKvStore, postgresStore };
}

/**
 * The SQL of postgresStore for a table (a checked identifier). Times are the database's
 * (clock_timestamp(): the time of the statement, not of the transaction's start), so
 * processes whose clocks disagree still agree on what has expired.
 */
export function postgresSql(table) {
  const index = `${table.split('.').pop()}_expires_at`;
  return {
    create: `CREATE TABLE IF NOT EXISTS ${table} (
  key text PRIMARY KEY,
  state text NOT NULL CHECK (state IN ('claimed', 'done')),
  token text,
  expires_at timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS ${index} ON ${table} (expires_at)`,
    sweep: `DELETE FROM ${table} WHERE ctid IN (SELECT ctid FROM ${table} WHERE expires_at < clock_timestamp() LIMIT 100 FOR UPDATE SKIP LOCKED)`,
    read: `SELECT state FROM ${table} WHERE key = $1 AND expires_at > clock_timestamp()`,
    upsert: `INSERT INTO ${table} (key, state, token, expires_at) VALUES ($1, $2, $3, clock_timestamp() + $4 * interval '1 millisecond')
ON CONFLICT (key) DO UPDATE SET state = EXCLUDED.state, token = EXCLUDED.token, expires_at = EXCLUDED.expires_at`,
    // The key as handled, only if still in the transaction `$3` (txid_current() at BEGIN).
    record: `INSERT INTO ${table} (key, state, token, expires_at)
SELECT $1, 'done', NULL, clock_timestamp() + $2 * interval '1 millisecond' WHERE txid_current() = $3::bigint
ON CONFLICT (key) DO UPDATE SET state = 'done', token = NULL, expires_at = EXCLUDED.expires_at`,
    complete: `UPDATE ${table} SET state = 'done', token = NULL, expires_at = clock_timestamp() + $3 * interval '1 millisecond'
WHERE key = $1 AND state = 'claimed' AND token = $2 AND expires_at > clock_timestamp()`,
    release: `DELETE FROM ${table} WHERE key = $1 AND state = 'claimed' AND token = $2 AND expires_at > clock_timestamp()`,
    // Whether a transaction holds the key's lock, read from pg_locks without taking it (a
    // bigint advisory lock is classid = its high 32 bits, objid = its low 32 bits, objsubid 1).
    status: `WITH l AS (SELECT $LOCK AS id)
SELECT EXISTS (SELECT 1 FROM pg_locks, l WHERE locktype = 'advisory' AND objsubid = 1 AND granted
  AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
  AND classid = ((l.id >> 32) & 4294967295)::oid AND objid = (l.id & 4294967295)::oid) AS locked,
  (SELECT state FROM ${table} WHERE key = $1::text AND expires_at > clock_timestamp()) AS state`,
  };
}

