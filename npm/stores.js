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

export function bindStores(glue) {
  /**
   * In this process only, bounded (entries and bytes) with expiry; its logic is in the wasm
   * core, the clock (`now`, milliseconds) is passed in.
   */
  function memoryStore({ maxEntries = 100_000, maxBytes = 32 * 1024 * 1024, now = Date.now } = {}) {
    const set = new glue.CoreSeenSet(maxEntries, maxBytes);
    return Object.freeze({
      kind: 'memory',
      async claim(key, leaseMs) { return set.claim(key, now(), leaseMs); },
      async complete(key, retentionMs) { set.complete(key, now(), retentionMs); },
      async release(key) { set.release(key); },
      async status(key) { return set.status(key, now()); },
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
    return Object.freeze({
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

  return { memoryStore, redisStore };
}
