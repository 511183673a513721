// r2Receiver and belvoReceiver: one call per delivery in every runtime. The checks run in
// the wasm core in one call; this file only reads the input the way each runtime gives it
// and builds the result and response. It imports nothing, so the CommonJS entry can use a
// compiled copy (receiver.cjs) bound to its own glue.

/**
 * Binds the receivers to a wasm glue module and the PayhookError class.
 * @param {{ CoreReceiver: Function }} glue
 * @param {typeof Error} PayhookError
 */
export function bindReceivers(glue, PayhookError) {
  /** A Fetch API Request (Workers, Deno, Bun, Node 18+, Hono), told apart from plain parts. */
  const isRequest = (input) => {
    try {
      return typeof input?.arrayBuffer === 'function' && typeof input?.headers?.get === 'function';
    } catch {
      return false;
    }
  };

  /** Reads a Request's body once, as bytes, stopping one byte past the limit. */
  async function readBody(request, maxBytes) {
    const length = request.headers.get('content-length');
    const declared = Number(length);
    if (declared > maxBytes || request.body === null) {
      // Over the limit as declared: the core refuses it from the first maxBytes + 1 bytes.
      return declared > maxBytes ? new Uint8Array(maxBytes + 1) : new Uint8Array(0);
    }
    if (length !== null && Number.isSafeInteger(declared)) {
      // A declared length within the limit: the HTTP layer delimits the body by it, so one
      // arrayBuffer() (about 15 µs less than a stream reader in workerd) reads it whole; the
      // core still refuses a body that turns out longer than the limit.
      return new Uint8Array(await request.arrayBuffer());
    }
    const reader = request.body.getReader();
    const chunks = [];
    let size = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel();
        break;
      }
    }
    const body = new Uint8Array(size);
    let offset = 0;
    for (const chunk of chunks) {
      body.set(chunk, offset);
      offset += chunk.byteLength;
    }
    return body;
  }

  /** The result object, and the response as a Fetch Response or as plain parts. */
  function result(provider, outcome, asFetch) {
    const headers = { 'content-type': outcome.contentType };
    const response = asFetch
      ? new Response(outcome.body, { status: outcome.status, headers })
      : { status: outcome.status, headers, body: outcome.body };
    if (!outcome.ok) {
      const error = new PayhookError(outcome.code, outcome.status, outcome.message);
      if (outcome.issues) error.issues = outcome.issues;
      return { ok: false, provider, error, response };
    }
    const accepted = { ok: true, provider, event: outcome.event, dedupKey: outcome.dedupKey, response };
    if (outcome.clientIp !== undefined) accepted.clientIp = { ip: outcome.clientIp, source: outcome.clientIpSource };
    if (outcome.secretIndex !== undefined) Object.assign(accepted, { secretIndex: outcome.secretIndex, encoding: outcome.encoding });
    if (outcome.acceptedIndex !== undefined) Object.assign(accepted, { acceptedIndex: outcome.acceptedIndex, scheme: outcome.scheme });
    return accepted;
  }

  /** An optional option, read so that a throwing getter is a PayhookError. */
  function read(object, key) {
    try {
      return object?.[key];
    } catch {
      throw new PayhookError('argument_invalid', 500, `the ${key} option could not be read`);
    }
  }

  /** A refusal answer built from the error list, in the shape of the delivery's response. */
  let errors; // the error table, read from the wasm core once, when first needed
  function answer(code, asFetch) {
    errors ??= new Map(glue.errorCodes().map((e) => [e.code, e]));
    const { status, message } = errors.get(code);
    const headers = { 'content-type': 'application/json' };
    const body = JSON.stringify({ error: code, message });
    return asFetch ? new Response(body, { status, headers }) : { status, headers, body };
  }

  function receiver(provider, options) {
    const core = new glue.CoreReceiver(provider, options);
    let store, leaseOption;
    try {
      ({ dedup: store, leaseMs: leaseOption } = options);
    } catch {
      throw new PayhookError('argument_invalid', 500, 'the receiver options could not be read');
    }
    const isMethod = (m) => {
      try {
        return typeof store?.[m] === 'function';
      } catch {
        return false; // unreadable (a revoked Proxy…): not a store
      }
    };
    if (store !== undefined && !['claim', 'complete', 'release', 'status'].every(isMethod)) {
      throw new PayhookError('argument_invalid', 500, 'dedup must be a store: memoryStore(), redisStore(client), …');
    }
    const leaseMs = leaseOption ?? 60_000;
    const retentionMs = glue.deliveryPolicy(provider).dedupRetentionMs;

    /** The checks, one wasm call; a Request's body read once, as bytes. */
    function check(input, peer) {
      if (isRequest(input)) {
        if (input.bodyUsed) {
          // The commonest webhook bug: a framework already parsed the body, so the bytes
          // that were signed are gone. Say so, rather than report a bad signature.
          return Promise.reject(new PayhookError('argument_invalid', 500,
            'the request body was already read (by a body parser?): pass the request before anything reads it, or { body: rawBytes, headers, peer }'));
        }
        return readBody(input, core.maxBytes).then(
          (body) => result(provider, core.receive(body, input.headers, peer), true),
          (cause) => {
            // A body stream that errors (the client went away) or a Request-like object that
            // throws: a PayhookError like every other unusable input.
            throw new PayhookError('argument_invalid', 500, 'the request body could not be read', { cause });
          },
        );
      }
      if (input === null || typeof input !== 'object') {
        throw new PayhookError('argument_invalid', 500, 'receive() takes a Fetch Request or { body, headers, peer }');
      }
      return result(provider, core.receive(read(input, 'body'), read(input, 'headers'), read(input, 'peer')), false);
    }

    return Object.freeze({
      provider,
      /**
       * A Fetch Request (with `{ peer }` from the runtime where there is one) resolves to the
       * result; plain parts `{ body, headers, peer }` give it synchronously, unless a dedup
       * store is configured: then the result (with `duplicate`) always comes as a Promise.
       */
      receive(input, context) {
        const checked = check(input, read(context, 'peer'));
        if (!store) return checked;
        return Promise.resolve(checked).then(async (r) => {
          if (r.ok) r.duplicate = (await store.status(r.dedupKey)) === 'duplicate';
          return r;
        });
      },
      /**
       * Checks the delivery and runs `await handler(event, result)` once per event: a repeat
       * gets the provider's success answer without running it, a repeat while another
       * receiver is still handling it gets a retryable 409, and a handler that throws
       * releases the claim and gets a 500, so the provider's retry is processed. Resolves
       * to the response to send.
       */
      async handle(input, handler, context) {
        if (typeof handler !== 'function') {
          throw new PayhookError('argument_invalid', 500, 'handle(input, handler): the handler must be a function');
        }
        const onError = read(context, 'onError');
        const r = await check(input, read(context, 'peer'));
        const asFetch = isRequest(input);
        if (!r.ok) return r.response;
        const claim = store ? await store.claim(r.dedupKey, leaseMs) : 'new';
        if (claim === 'duplicate') return r.response;
        if (claim === 'in_progress') return answer('delivery_in_progress', asFetch);
        try {
          await handler(r.event, r);
        } catch (error) {
          if (store) await store.release(r.dedupKey);
          (onError ?? ((e) => console.error('payhook: the handler failed', e)))(error);
          return answer('handler_failed', asFetch);
        }
        if (store) await store.complete(r.dedupKey, retentionMs);
        return r.response;
      },
    });
  }

  return {
    /** A receiver for R2 deliveries: `{ secrets, allowlist?, trust?, strict?, maxBytes?, dedup?, leaseMs? }`. */
    r2Receiver: (options) => receiver('r2', options),
    /** A receiver for Belvo deliveries: `{ authorization?, allowlist?, trust?, strict?, maxBytes?, dedup?, leaseMs? }`. */
    belvoReceiver: (options) => receiver('belvo', options),
  };
}
