// What the framework plumbing (express.js, fastify.js, hono.js, h3.js) shares: telling a
// PayhookError from other errors, and answering one. It imports nothing: a PayhookError is
// recognised by its shape, so an error thrown by the CommonJS entry and one thrown by the ES
// module entry are answered alike, and no framework code is loaded.

/** The default largest body the plumbing reads, the receivers' default `maxBytes` (1 MiB). */
export const DEFAULT_MAX_BYTES = 1024 * 1024;

/**
 * A body limit given to the plumbing: a whole number of bytes, or a TypeError (a limit that
 * cannot be read never becomes "no limit").
 */
export function limitOf(maxBytes, where) {
  if (Number.isSafeInteger(maxBytes) && maxBytes >= 0) return maxBytes;
  throw new TypeError(`${where}: maxBytes must be a whole number of bytes`);
}

/** A PayhookError, from either entry of the package. */
export function isPayhookError(error) {
  return error instanceof Error && error.name === 'PayhookError' && typeof error.code === 'string';
}

/**
 * The answer to a PayhookError a receiver threw (body_not_raw, argument_invalid: a mistake in
 * the server, never a secret in the message), shaped like the core's refusals:
 * `{"error": code, "message": …}` with the error's status (500 when it has none).
 */
export function refusal(error) {
  return {
    status: typeof error.status === 'number' ? error.status : 500,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ error: error.code, message: error.message }),
  };
}

/**
 * A PayhookError made by the plumbing (which imports nothing, not even the package's class):
 * the same shape, so isPayhookError() and refusal() treat it as the receiver's own.
 */
export function plumbingError(code, status, message, cause) {
  const error = new Error(message, cause === undefined ? undefined : { cause });
  return Object.assign(error, { name: 'PayhookError', code, status });
}

/**
 * body_not_raw for a string where the body should be: text a body parser decoded
 * (`express.text()`, Fastify's text/plain parser, a `rawBody` made with `toString()`).
 * Decoding drops a BOM, follows the declared charset and replaces invalid bytes, so different
 * bytes can give the signed text: a string is never taken as the raw body here.
 */
export const decodedBody = (where) =>
  plumbingError('body_not_raw', 500,
    `${where}: the body is a string a body parser decoded (express.text(), Fastify's text/plain parser, a rawBody made with toString()), not the bytes that were signed: keep the bytes (no text parser before this route; express.raw() leaves a Buffer)`);

/**
 * What the plumbing hands the framework for an error that is not a PayhookError (a bug, a
 * failing store, an onError that throws): an Error of its own whose message says nothing of
 * the original, which is its `cause`. The frameworks' default handlers send a message to the
 * client (Fastify's always, Express's in development, with the stack): never the original's.
 * Its status is 500: h3 answers with the status of an error, or else of its cause, and a
 * store's error carrying `status: 200` was a 2xx (Belvo's acknowledgement, the event lost).
 */
export const bugOf = (error, where) =>
  Object.assign(new Error(`${where}: the webhook route failed (the original error is this error's cause)`, { cause: error }), { status: 500 });

/**
 * A Node request's headers with every line kept: `headersDistinct` (Node 18.3+; Fastify's
 * request has it on `request.raw`), where `headers` keeps only the first of two
 * `Authorization` lines. A repeated header is then joined, as Fetch's Headers join it, and
 * refused as ambiguous, never read as its first line. A getter that throws is
 * argument_invalid.
 */
export function nodeHeaders(req, where) {
  try {
    const distinct = req.headersDistinct ?? req.raw?.headersDistinct;
    return typeof distinct === 'object' && distinct !== null ? distinct : req.headers;
  } catch (cause) {
    throw unreadable(where, cause);
  }
}

/** argument_invalid for a request whose properties cannot be read (a getter or Proxy trap that throws). */
export const unreadable = (where, cause) =>
  plumbingError('argument_invalid', 500, `${where}: the request could not be read (a getter threw)`, cause);

/** `{ onError, onStale }` from the plumbing's options, as handle() takes them. */
export function contextOf(options, extra = {}) {
  const context = { ...extra };
  if (options?.onError !== undefined) context.onError = options.onError;
  if (options?.onStale !== undefined) context.onStale = options.onStale;
  return context;
}

/** A Response for plain parts (Fetch frameworks). */
export const toResponse = ({ status, headers, body }) => new Response(body, { status, headers });

/**
 * The `webhook(receiver, handler, options)` of a Fetch framework (Hono, h3): a handler that
 * runs `receiver.handle(requestOf(ctx), …)` with `options.peer(ctx)` (else `defaultPeer(ctx)`)
 * as the peer, and answers a PayhookError (body_not_raw when something read the body first)
 * as JSON `{"error": code, "message"}` with its status; any other error reaches the framework
 * as bugOf's. A peer that cannot be read is argument_invalid, never taken as absent (which
 * some trust modes allow).
 */
export function fetchWebhook(name, requestOf, defaultPeer) {
  return function webhook(receiver, handler, options = {}) {
    const peer = options.peer ?? defaultPeer;
    return async function payhookWebhook(ctx) {
      try {
        let socketPeer;
        try {
          socketPeer = peer(ctx);
        } catch (cause) {
          throw plumbingError('argument_invalid', 500, `payhook/${name}: the peer could not be read (peer() threw)`, cause);
        }
        return await receiver.handle(requestOf(ctx), handler, contextOf(options, { peer: socketPeer }));
      } catch (error) {
        // Never the original: the framework answers from its fields (Hono: `getResponse()`,
        // h3: `status`), which made a store's failure a 2xx, Belvo's acknowledgement.
        if (!isPayhookError(error)) throw bugOf(error, `payhook/${name}`);
        return toResponse(refusal(error));
      }
    };
  };
}
