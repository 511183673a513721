// payhook/fastify: a Fastify plugin serving one receiver on one route, with a content-type
// parser scoped to the plugin that keeps the body as a Buffer (Fastify's own JSON parser, in
// every other route, is untouched). Tested with Fastify 5.12.8 (examples/fastify). It imports
// nothing from Fastify: Fastify hands the plugin its instance.
import { DEFAULT_MAX_BYTES, bugOf, contextOf, decodedBody, isPayhookError, limitOf, nodeHeaders, refusal } from './framework-common.js';

const EMPTY = new Uint8Array(0);

/**
 * `app.register(webhook, { path: '/webhooks/r2', receiver: r2, handler: onEvent })`.
 * Options: `path`, `receiver`, `handler` (runs once per event), `onError`, `onStale`. The
 * route's body limit is the receiver's `maxBytes` (a longer body gets Fastify's own 413).
 */
export async function webhook(fastify, options) {
  const { path, receiver, handler } = options;
  if (typeof path !== 'string' || typeof receiver?.handle !== 'function' || typeof handler !== 'function') {
    throw new TypeError('payhook/fastify: register(webhook, { path, receiver, handler })');
  }
  // The receiver's own limit, as payhook/express reads it: one it does not state (a wrapper
  // without maxBytes) is refused, never replaced by the default.
  keepRawBody(fastify, { maxBytes: limitOf(receiver.maxBytes, 'payhook/fastify webhook: the receiver') });
  fastify.post(path, route(receiver, handler, options));
}

/**
 * In this plugin's scope (its `register` callback), every body arrives as a Buffer: the
 * inherited parsers (JSON, text) are removed and a catch-all `{ parseAs: 'buffer' }` added.
 */
export function keepRawBody(fastify, { maxBytes = DEFAULT_MAX_BYTES } = {}) {
  limitOf(maxBytes, 'payhook/fastify keepRawBody');
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: maxBytes }, (request, body, done) => done(null, body));
}

/**
 * A route handler: `receiver.handle()` with `request.body` (the Buffer keepRawBody keeps) and
 * the request as the peer. Outside a keepRawBody scope `request.body` is Fastify's parsed
 * JSON, and the receiver refuses it as body_not_raw, naming the fix; a string (Fastify's
 * text/plain parser: decoded text, not the bytes) is refused as body_not_raw too. A
 * PayhookError is answered as JSON `{"error": code, "message"}` with its status.
 */
export function route(receiver, handler, options = {}) {
  const context = contextOf(options);
  return async function payhookRoute(request, reply) {
    let answer;
    try {
      if (typeof request.body === 'string') throw decodedBody('payhook/fastify');
      answer = await receiver.handle({ body: request.body ?? EMPTY, headers: nodeHeaders(request, 'payhook/fastify'), peer: request }, handler, context);
    } catch (error) {
      // Fastify's default error handler sends a 500's message: the original is only the cause.
      if (!isPayhookError(error)) throw bugOf(error, 'payhook/fastify');
      answer = refusal(error);
    }
    return reply.code(answer.status).headers(answer.headers).send(answer.body);
  };
}
