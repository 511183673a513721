// r2Receiver and belvoReceiver: one call per delivery in every runtime. The checks run in
// the wasm core in one call; this file only reads a Request's body the way each runtime
// gives it, and builds the result and response.
import { PayhookError, invalid, refuse } from './error.js';
import { CONFIG_KEYS, EMPTY, checkKeys, measure, read } from './input.js';

/**
 * The receivers over the guarded core (recover.js).
 * @param {{ CoreReceiver: Function }} glue
 */
export function bindReceivers(glue) {
  /** A Fetch API Request (Workers, Deno, Bun, Node 18+, Hono), told apart from plain parts. */
  const isRequest = (input) => {
    try {
      return typeof input?.arrayBuffer === 'function' && typeof input?.headers?.get === 'function';
    } catch {
      return false;
    }
  };

  /**
   * Reads a Request's body once, as measure() gives it: the bytes, or the size of a body over
   * the limit. A declared Content-Length over the limit is refused from the header, without
   * reading or allocating anything; a stream stops at the first chunk past the limit.
   */
  async function readBody(request, maxBytes) {
    const length = request.headers.get('content-length');
    const declared = length === null ? NaN : Number(length);
    if (declared > maxBytes) return [EMPTY, declared];
    if (request.body === null) return [EMPTY, 0];
    if (Number.isSafeInteger(declared)) {
      // A declared length within the limit: the HTTP layer delimits the body by it, so one
      // arrayBuffer() (about 15 µs less than a stream reader in workerd) reads it whole.
      return measure(await request.arrayBuffer(), maxBytes);
    }
    const reader = request.body.getReader();
    const chunks = [];
    let size = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel();
        return [EMPTY, size];
      }
      chunks.push(value);
    }
    const body = new Uint8Array(size);
    let offset = 0;
    for (const chunk of chunks) {
      body.set(chunk, offset);
      offset += chunk.byteLength;
    }
    return [body, 0];
  }

  /** The result object, and the response as a Fetch Response or as plain parts. */
  function result(provider, outcome, asFetch) {
    const headers = { 'content-type': outcome.contentType };
    const response = asFetch
      ? new Response(outcome.body, { status: outcome.status, headers })
      : { status: outcome.status, headers, body: outcome.body };
    if (!outcome.ok) {
      const error = new PayhookError(outcome.code, outcome.status, outcome.message);
      if (outcome.issues) Object.assign(error, { issues: outcome.issues, issueCount: outcome.issueCount });
      return { ok: false, provider, error, response };
    }
    const accepted = { ok: true, provider, event: outcome.event, dedupKey: outcome.dedupKey, response };
    if (outcome.clientIp !== undefined) accepted.clientIp = { ip: outcome.clientIp, source: outcome.clientIpSource };
    if (outcome.secretIndex !== undefined) {
      accepted.secretIndex = outcome.secretIndex;
      accepted.encoding = outcome.encoding;
    }
    if (outcome.acceptedIndex !== undefined) {
      accepted.acceptedIndex = outcome.acceptedIndex;
      accepted.scheme = outcome.scheme;
    }
    return accepted;
  }

  /** The core's answer for a refusal `code`, in the shape of the delivery's response. */
  function answer(core, code, asFetch) {
    const { status, contentType, body } = core.answer(code);
    const headers = { 'content-type': contentType };
    return asFetch ? new Response(body, { status, headers }) : { status, headers, body };
  }

  /**
   * The options each receiver takes: an own key outside these (a typo such as `allowList`,
   * or Belvo's `authorization` given to R2) is refused, never ignored. So is a `null` value
   * (the core refuses those it reads; leave an option out to leave it out).
   */
  const OWN_OPTIONS = ['now', 'dedup', 'leaseMs']; // read here; the others make the core
  const OPTIONS = {
    r2: [...CONFIG_KEYS.filter((key) => key !== 'authorization'), ...OWN_OPTIONS],
    belvo: [...CONFIG_KEYS.filter((key) => key !== 'secrets' && key !== 'replayWindowMs'), ...OWN_OPTIONS],
  };
  /** The second argument of receive/handle: `{ peer }` (and for handle, `onError`, `onStale`). */
  function contextOf(context, allowed) {
    if (context === undefined || context === null) return {};
    if (typeof context !== 'object') {
      throw invalid('the context must be { peer }: pass the peer as { peer: req }, { peer: info }, …');
    }
    checkKeys(context, allowed, 'context');
    return { peer: read(context, 'peer', 'context'), onError: read(context, 'onError', 'context'), onStale: read(context, 'onStale', 'context') };
  }
  /** A callback from the context, or `otherwise` when none was given. */
  const callback = (f, what, otherwise) => {
    if (f !== undefined && typeof f !== 'function') throw invalid(`${what} must be a function`);
    return f ?? otherwise;
  };

  /** The oldest and newest plausible clock readings: a clock in seconds, or none, is a mistake. */
  const CLOCK_RANGE = [Date.UTC(2001, 0, 1), Date.UTC(2100, 0, 1)];

  function receiver(provider, options) {
    if (typeof options === 'object' && options !== null) checkKeys(options, OPTIONS[provider], 'options');
    const core = new glue.CoreReceiver(provider, options);
    const store = read(options, 'dedup', 'options');
    const [leaseOption, clockOption] = [read(options, 'leaseMs', 'options'), read(options, 'now', 'options')];
    const leaseMs = leaseOption === undefined ? 60_000 : leaseOption;
    const clock = clockOption === undefined ? Date.now : clockOption;
    const isMethod = (m) => {
      try {
        return typeof store?.[m] === 'function';
      } catch {
        return false; // unreadable (a revoked Proxy…): not a store
      }
    };
    if (store !== undefined && !['claim', 'complete', 'release', 'status'].every(isMethod)) {
      throw invalid('dedup must be a store: memoryStore(), redisStore(client), …');
    }
    // A store with transaction(key, retentionMs, leaseMs, work) (postgresStore) records the key
    // in the same transaction as the handler's writes: handle() uses that instead of claims.
    const transactional = store !== undefined && isMethod('transaction');
    if (typeof leaseMs !== 'number' || !(leaseMs > 0 && leaseMs <= 2 ** 31)) {
      throw invalid('leaseMs must be a number of milliseconds, more than 0');
    }
    if (typeof clock !== 'function') throw invalid('now must be a function returning milliseconds since the epoch');
    const retentionMs = core.dedupRetentionMs;
    const maxBytes = core.maxBytes;
    /** The time of a delivery, from the caller's clock (the core reads none). */
    function now() {
      let time;
      try {
        time = clock();
      } catch (cause) {
        throw invalid('now() threw', { cause });
      }
      if (typeof time !== 'number' || !(time >= CLOCK_RANGE[0] && time <= CLOCK_RANGE[1])) {
        throw invalid('now() must return milliseconds since the epoch (a time between 2001 and 2100)');
      }
      return time;
    }

    /** The checks, one wasm call; a Request's body read once, as bytes. */
    function check(input, peer) {
      if (isRequest(input)) {
        if (read(input, 'bodyUsed', 'request')) {
          // The commonest webhook bug: a framework already parsed the body, so the bytes
          // that were signed are gone. Say so, rather than report a bad signature.
          return Promise.reject(refuse('body_not_raw',
            'the request body was already read: pass the Request before anything reads it (a body parser, a JSON validator), or { body: rawBytes, headers, peer }'));
        }
        return readBody(input, maxBytes).then(
          (body) => result(provider, core.receive(body, input.headers, peer, now()), true),
          (cause) => {
            // A body stream that errors (the client went away) or a Request-like object that
            // throws: a PayhookError like every other unusable input (a refusal of the body
            // itself, such as body_not_raw, stays what it is).
            if (cause instanceof PayhookError) throw cause;
            throw invalid('the request body could not be read', { cause });
          },
        );
      }
      if (input === null || typeof input !== 'object') {
        throw invalid('receive() takes a Fetch Request or { body, headers, peer }');
      }
      // A peer in the context counts for plain parts too: given in both places, they must agree.
      const own = read(input, 'peer', 'input');
      if (peer !== undefined && own !== undefined && own !== peer) {
        throw invalid('the peer was given twice, differently: in the parts and in the context');
      }
      const body = measure(read(input, 'body', 'input'), maxBytes, own !== undefined ? own : peer);
      return result(provider, core.receive(body, read(input, 'headers', 'input'), own !== undefined ? own : peer, now()), false);
    }

    /** A store's claim, read once and checked: `{ status: 'new', token }` or `{ status: 'duplicate' | 'in_progress' }`. */
    async function claimOf(key) {
      const claim = await store.claim(key, leaseMs);
      const [status, token] = [read(claim, 'status', 'claim'), read(claim, 'token', 'claim')];
      if (status === 'duplicate' || status === 'in_progress') return { status };
      if (status === 'new' && typeof token === 'string' && token !== '') return { status, token };
      throw invalid("the dedup store's claim() must resolve to { status: 'new', token } or { status: 'duplicate' | 'in_progress' }");
    }

    /**
     * handle() with a transactional store: `handler(event, result, tx)` runs inside the
     * store's transaction, which records the key and commits with the handler's writes through
     * `tx`, or rolls both back when the handler throws (500, so the provider retries), or
     * when its writes cannot be committed (500 too). A failure of the store before the handler
     * runs (connecting, locking) rejects, as a failed claim does.
     */
    async function handleInTransaction(r, handler, onError, asFetch) {
      let thrown; // { error } when the handler threw
      let ran = false; // the handler returned: what fails now is recording or committing its writes
      let outcome;
      try {
        outcome = await store.transaction(r.dedupKey, retentionMs, leaseMs, async (tx) => {
          try {
            const value = await handler(r.event, r, tx);
            ran = true;
            return value;
          } catch (error) {
            thrown = { error };
            throw error;
          }
        });
      } catch (error) {
        // After the handler ran, a failure to record the key or to commit is the handler's as
        // much as the store's (a statement of its that failed and was caught, a deferred
        // constraint): nothing committed, or if the connection died at COMMIT the retry finds
        // out which. Either way the provider must retry: 500.
        if (!thrown && !ran) throw error;
        onError(thrown ? thrown.error : error);
        return answer(core, 'handler_failed', asFetch);
      }
      const status = read(outcome, 'status', 'the transaction outcome');
      // 'done' only once the handler returned: a store that swallowed what it threw, or did
      // not wait for it, would have the failure (or an event never handled) acknowledged.
      if (status === 'done' && !ran) {
        if (!thrown) throw invalid("the dedup store's transaction() resolved 'done' before the handler returned");
        onError(thrown.error);
        return answer(core, 'handler_failed', asFetch);
      }
      if (status === 'done' || status === 'duplicate') return r.response;
      if (status === 'in_progress') return answer(core, 'delivery_in_progress', asFetch);
      throw invalid("the dedup store's transaction() must resolve to { status: 'done' | 'duplicate' | 'in_progress' }");
    }

    return Object.freeze({
      provider,
      /** The largest body accepted, in bytes: what framework plumbing reads at the most. */
      maxBytes,
      /**
       * A Fetch Request (with `{ peer }` from the runtime where there is one) resolves to the
       * result; plain parts `{ body, headers, peer }` give it synchronously, unless a dedup
       * store is configured: then the result (with `duplicate`) always comes as a Promise.
       */
      receive(input, context) {
        const run = () => check(input, contextOf(context, ['peer']).peer);
        if (!store) return run();
        // Always a Promise, as documented: input it refuses rejects it, never throws past a .catch().
        return new Promise((resolve) => resolve(run())).then(async (r) => {
          if (r.ok) r.duplicate = (await store.status(r.dedupKey)) === 'duplicate';
          return r;
        });
      },
      /**
       * Checks the delivery and runs `await handler(event, result, tx)` once per event (`tx`:
       * a transactional store's transaction, else undefined): a repeat
       * gets the provider's success answer without running it, a repeat while another
       * receiver is still handling it gets a retryable 409, and a handler that throws
       * releases the claim and gets a 500, so the provider's retry is processed. Each claim
       * has its own token: a handler whose lease ran out cannot complete or release the
       * claim of the retry that took over. Resolves to the response to send.
       */
      async handle(input, handler, context) {
        if (typeof handler !== 'function') {
          throw invalid('handle(input, handler): the handler must be a function');
        }
        const given = contextOf(context, ['peer', 'onError', 'onStale']);
        const onError = callback(given.onError, 'onError', logFailure);
        const onStale = callback(given.onStale, 'onStale', warnStale);
        const r = await check(input, given.peer);
        const asFetch = isRequest(input);
        if (!r.ok) {
          // The one refusal answered with success: say so, never silently.
          if (r.error.code === 'event_stale') onStale(r.error, r);
          return r.response;
        }
        if (transactional) return handleInTransaction(r, handler, onError, asFetch);
        // Read before the handler, which gets `r` and may change it: the claim is completed or
        // released under the key it was taken for.
        const key = r.dedupKey;
        const claim = store ? await claimOf(key) : { status: 'new' };
        if (claim.status === 'duplicate') return r.response;
        if (claim.status === 'in_progress') return answer(core, 'delivery_in_progress', asFetch);
        try {
          await handler(r.event, r);
        } catch (error) {
          try {
            if (store) await store.release(key, claim.token);
          } finally {
            onError(error); // also when releasing failed: handle() then rejects with the store's error
          }
          return answer(core, 'handler_failed', asFetch);
        }
        if (store) {
          try {
            await store.complete(key, claim.token, retentionMs);
          } catch (error) {
            // The handler's effects are done: a failure answer would have the provider retry,
            // and the retry run the handler again once the lease ran out. So the success
            // answer, and the store's failure goes to onError.
            onError(error);
          }
        }
        return r.response;
      },
    });
  }

  const logFailure = (error) => console.error('payhook: the handler failed, or the dedup store after it', error);
  const warnStale = () => console.warn('payhook: an R2 event outside the replay window was acknowledged and not handled (event_stale)');

  return {
    /** A receiver for R2 deliveries: `{ secrets, allowlist?, trust?, strict?, maxBytes?, replayWindowMs?, now?, dedup?, leaseMs? }`; other keys are refused. */
    r2Receiver: (options) => receiver('r2', options),
    /** A receiver for Belvo deliveries: `{ authorization?, allowlist?, trust?, strict?, maxBytes?, now?, dedup?, leaseMs? }`. */
    belvoReceiver: (options) => receiver('belvo', options),
  };
}
