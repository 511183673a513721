// Types of payhook/express: a receiver as an Express route handler that keeps the raw bytes.
// Tested with Express 5.3.0 and NestJS 12.5.1 (@nestjs/platform-express 12.5.1). No Express
// types are needed: the handler takes Node's request and response.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Accepted, HandleContext, PlainResponse, Receiver } from './index.js';

/** Node's request as Express and NestJS leave it: maybe a parsed `body`, maybe NestJS's `rawBody`. */
export type WebhookRequest = IncomingMessage & { body?: unknown; rawBody?: Uint8Array | string };

export interface WebhookOptions<E> extends Pick<HandleContext<E>, 'onError' | 'onStale'> {
}

/**
 * The raw body: NestJS's `req.rawBody`, a Buffer `express.raw()` left, or the unread stream
 * (up to `maxBytes` + 1 bytes; the rest is not read). A body a parser consumed first is
 * returned as it is, and the receiver refuses it as `body_not_raw`; a string (`express.text()`:
 * decoded text, not the bytes) rejects with `body_not_raw`. A request that cannot be read, or
 * that closes before its body is read, rejects with `argument_invalid`.
 */
export declare function readRawBody(req: WebhookRequest, maxBytes?: number): Promise<unknown>;

/**
 * `app.post('/webhooks/r2', webhook(r2, onEvent))`: reads the raw bytes, runs
 * `receiver.handle()` with the request as the peer, and sends its answer. A PayhookError
 * (`body_not_raw` when `express.json()` ran first) is answered as JSON
 * `{"error": code, "message"}` with its status; other errors go to `next` as the `cause` of
 * an error whose message says nothing of theirs, or without `next`
 * (plain `node:http`) are logged and answered 500 with an empty body. A request not read to
 * its end (a body over the limit) has its connection closed after the answer.
 */
export declare function webhook<E, Tx>(
  receiver: Receiver<E, Tx>,
  handler: (event: E, result: Accepted<E, PlainResponse>, tx: Tx) => unknown,
  options?: WebhookOptions<E>,
): (req: WebhookRequest, res: ServerResponse, next?: (error?: unknown) => void) => Promise<void>;

/** An Express error handler answering a PayhookError thrown by your own route code. */
export declare function payhookErrors(): (error: unknown, req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void;
