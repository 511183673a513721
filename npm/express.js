// payhook/express: a receiver as an Express route handler that keeps the raw bytes. Tested
// with Express 5.3.0 and with NestJS 12.5.1 on @nestjs/platform-express 12.5.1
// (examples/express, examples/nestjs). It imports nothing from Express: it reads Node's
// request and writes Node's response, so it also works on plain node:http and Connect.
import { DEFAULT_MAX_BYTES, contextOf, isPayhookError, limitOf, refusal } from './framework-common.js';

const isBytes = (value) => value instanceof Uint8Array || typeof value === 'string';

/**
 * The request's raw body: NestJS's `req.rawBody` (`rawBody: true`), a body `express.raw()` or
 * `express.text()` left, or the unread stream read here (up to `maxBytes` + 1 bytes: a longer
 * one is refused by the receiver as payload_too_large). A body a parser already consumed
 * (`express.json()` before this route) is passed on as it is, and refused as body_not_raw,
 * the message naming the fix.
 */
export function readRawBody(req, maxBytes = DEFAULT_MAX_BYTES) {
  limitOf(maxBytes, 'payhook/express readRawBody');
  if (isBytes(req.rawBody)) return Promise.resolve(req.rawBody);
  if (isBytes(req.body)) return Promise.resolve(req.body);
  if (req.body !== undefined || req._body === true || req.readableEnded) return Promise.resolve(req.body);
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    let done = false;
    const finish = (value) => {
      if (!done) {
        done = true;
        resolve(value);
      }
    };
    req.on('data', (chunk) => {
      if (done) return; // past the limit: drained, not kept
      size += chunk.length;
      chunks.push(chunk);
      if (size > maxBytes) finish(Buffer.concat(chunks)); // refused as payload_too_large
    });
    req.on('end', () => finish(Buffer.concat(chunks)));
    req.on('error', (error) => done || ((done = true), reject(error)));
    req.on('close', () => done || ((done = true), reject(new Error('the request closed before its body was read'))));
  });
}

/**
 * `app.post('/webhooks/r2', webhook(r2, onEvent))`: reads the raw bytes (see readRawBody),
 * runs `receiver.handle()` with the request as the peer, and sends its answer. A PayhookError
 * the receiver throws (body_not_raw when a body parser ran first) is answered as JSON
 * `{"error": code, "message"}` with its status; any other error goes to `next`.
 * At most the receiver's `maxBytes` (and one more byte, so that a longer body is refused as
 * payload_too_large) is read. Options: `onError`, `onStale`.
 */
export function webhook(receiver, handler, options = {}) {
  const maxBytes = limitOf(receiver?.maxBytes, 'payhook/express webhook(receiver, handler)');
  const context = contextOf(options);
  return async function payhookWebhook(req, res, next) {
    let answer;
    try {
      const body = await readRawBody(req, maxBytes);
      answer = await receiver.handle({ body, headers: req.headers, peer: req }, handler, context);
    } catch (error) {
      if (!isPayhookError(error)) {
        if (typeof next === 'function') return next(error);
        throw error;
      }
      answer = refusal(error);
    }
    res.writeHead(answer.status, answer.headers).end(answer.body);
  };
}

/**
 * An Express error handler answering a PayhookError thrown by your own route code
 * (`app.use(payhookErrors())`, after the routes); other errors go on to `next`.
 */
export function payhookErrors() {
  return function payhookErrorHandler(error, req, res, next) {
    if (!isPayhookError(error) || res.headersSent) return next(error);
    const answer = refusal(error);
    res.writeHead(answer.status, answer.headers).end(answer.body);
  };
}
