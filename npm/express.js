// payhook/express: a receiver as an Express route handler that keeps the raw bytes. Tested
// with Express 5.3.0 and with NestJS 12.5.1 on @nestjs/platform-express 12.5.1
// (examples/express, examples/nestjs). It imports nothing from Express: it reads Node's
// request and writes Node's response, so it also works on plain node:http and Connect.
import {
  DEFAULT_MAX_BYTES, bugOf, contextOf, decodedBody, isPayhookError, limitOf, nodeHeaders, plumbingError, refusal, unreadable,
} from './framework-common.js';

/**
 * The request's raw body: NestJS's `req.rawBody` (`rawBody: true`), a Buffer `express.raw()`
 * left, or the unread stream read here (up to `maxBytes` + 1 bytes: a longer one is refused
 * by the receiver as payload_too_large, and the rest is not read; a `Content-Length` over
 * `maxBytes` is refused so without reading anything). A body a parser already
 * consumed (`express.json()` before this route) is passed on as it is, and refused as
 * body_not_raw, the message naming the fix; so is a string (`express.text()`: decoded text,
 * not the bytes), and a stream giving strings (`req.setEncoding()`). A request that cannot be
 * read, or whose stream fails or closes first (the client went away), rejects with
 * argument_invalid.
 */
export function readRawBody(req, maxBytes = DEFAULT_MAX_BYTES) {
  limitOf(maxBytes, 'payhook/express readRawBody');
  let rawBody, body, consumed, declared;
  try {
    rawBody = req.rawBody;
    body = req.body;
    consumed = body !== undefined || req._body === true || req.readableEnded;
    declared = Number(req.headers?.['content-length'] ?? NaN);
  } catch (cause) {
    return Promise.reject(unreadable('payhook/express', cause));
  }
  if (rawBody instanceof Uint8Array) return Promise.resolve(rawBody);
  if (body instanceof Uint8Array) return Promise.resolve(body);
  if (typeof rawBody === 'string' || typeof body === 'string') return Promise.reject(decodedBody('payhook/express'));
  if (consumed) return Promise.resolve(body);
  // A declared length over the limit: refused from the header, as the receivers refuse a
  // Request's, without waiting for a body that may never come. The stand-in is never filled
  // (pages untouched) nor copied: the receiver measures it and answers payload_too_large.
  if (declared > maxBytes) {
    try {
      return Promise.resolve(new Uint8Array(maxBytes + 1));
    } catch {
      // A limit too large to stand in for (readRawBody called with one of its own): read the
      // stream, which stops past the limit all the same.
    }
  }
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
    const fail = (cause) => {
      if (!done) {
        done = true;
        reject(plumbingError('argument_invalid', 500, 'payhook/express: the request body could not be read (the client went away, or its stream failed)', cause));
      }
    };
    const onData = (chunk) => {
      if (done) return;
      if (!(chunk instanceof Uint8Array)) {
        // Text (something called req.setEncoding()) or objects (an object-mode stream): never
        // the signed bytes, and Buffer.concat threw on them in the stream's 'end', uncaught.
        if (typeof chunk !== 'string') return fail(new TypeError('the request stream gave a chunk that is not bytes'));
        done = true;
        return reject(decodedBody('payhook/express'));
      }
      size += chunk.length;
      chunks.push(chunk);
      if (size > maxBytes) {
        // Past the limit: stop reading (webhook() closes the connection after its 413), and
        // let the receiver refuse it as payload_too_large.
        req.removeListener('data', onData);
        req.pause();
        finish(Buffer.concat(chunks));
      }
    };
    try {
      req.on('data', onData);
      req.on('end', () => finish(Buffer.concat(chunks)));
      req.on('error', fail);
      const closed = () => fail(new Error('the request closed before its body was read'));
      req.on('close', closed);
      // Destroyed already (the client went away while a middleware before this one awaited):
      // its 'close' came before these listeners, and the promise was never settled.
      if (req.destroyed === true) closed();
    } catch (cause) {
      if (!done) {
        done = true;
        reject(unreadable('payhook/express', cause));
      }
    }
  });
}

/** Whether the whole request was read (false after a body over the limit, or unknowable). */
const complete = (req) => {
  try {
    return req.complete !== false;
  } catch {
    return false;
  }
};

/**
 * `app.post('/webhooks/r2', webhook(r2, onEvent))`: reads the raw bytes (see readRawBody),
 * runs `receiver.handle()` with the request as the peer, and sends its answer. A PayhookError
 * (body_not_raw when a body parser ran first) is answered as JSON `{"error": code, "message"}`
 * with its status; any other error goes to `next` as the cause of an error of the plumbing's
 * (whose message, unlike the original's, Express may show), or without `next` (plain `node:http`) is
 * logged and answered 500 with an empty body (never its message, never an unhandled
 * rejection). At most the receiver's `maxBytes` (and one more byte, so that a longer body is
 * refused as payload_too_large) is read; the connection of a request not read to its end is
 * closed after the answer. Options: `onError`, `onStale`.
 */
export function webhook(receiver, handler, options = {}) {
  const maxBytes = limitOf(receiver?.maxBytes, 'payhook/express webhook(receiver, handler)');
  const context = contextOf(options);
  return async function payhookWebhook(req, res, next) {
    let answer;
    try {
      const body = await readRawBody(req, maxBytes);
      answer = await receiver.handle({ body, headers: nodeHeaders(req, 'payhook/express'), peer: req }, handler, context);
    } catch (error) {
      if (!isPayhookError(error)) {
        if (typeof next === 'function') return next(bugOf(error, 'payhook/express'));
        console.error('payhook/express: the webhook route failed', error);
        answer = { status: 500, headers: {}, body: '' };
      } else {
        answer = refusal(error);
      }
    }
    if (res.headersSent) return;
    const headers = complete(req) ? answer.headers : { ...answer.headers, connection: 'close' };
    res.writeHead(answer.status, headers).end(answer.body);
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
