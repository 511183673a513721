// Types of payhook/fastify: a plugin serving one receiver with a scoped raw-Buffer
// content-type parser. Tested with Fastify 5.12.8. Structural types: no Fastify import.
import type { IncomingHttpHeaders } from 'node:http';
import type { Accepted, HandleContext, PlainResponse, Receiver } from './index.js';

/** What the plugin uses of a Fastify instance. */
export interface FastifyLike {
  removeAllContentTypeParsers(): void;
  addContentTypeParser(contentType: string, options: { parseAs: 'buffer'; bodyLimit?: number }, parser: (request: unknown, body: Buffer, done: (error: Error | null, body?: unknown) => void) => void): void;
  post(path: string, handler: (request: any, reply: any) => unknown): unknown;
}

export interface WebhookPluginOptions<E, Tx> extends Pick<HandleContext<E>, 'onError' | 'onStale'> {
  path: string;
  receiver: Receiver<E, Tx>;
  handler: (event: E, result: Accepted<E, PlainResponse>, tx: Tx) => unknown;
}

/** `app.register(webhook, { path: '/webhooks/r2', receiver: r2, handler: onEvent })`. */
export declare function webhook<E, Tx>(fastify: FastifyLike, options: WebhookPluginOptions<E, Tx>): Promise<void>;

/** In the calling plugin's scope, every body arrives as a Buffer. */
export declare function keepRawBody(fastify: FastifyLike, options?: { maxBytes?: number }): void;

/** What the route handler reads of Fastify's request, and uses of its reply. */
export interface FastifyRequestLike {
  body?: unknown;
  headers: IncomingHttpHeaders;
  socket: { remoteAddress?: string };
}
export interface FastifyReplyLike {
  code(status: number): FastifyReplyLike;
  headers(headers: Record<string, string>): FastifyReplyLike;
  send(body: string): FastifyReplyLike;
}

/**
 * A route handler passing `request.body` to `receiver.handle()`: the Buffer inside a
 * keepRawBody scope; outside it, Fastify's parsed JSON, refused as `body_not_raw`.
 */
export declare function route<E, Tx>(
  receiver: Receiver<E, Tx>,
  handler: (event: E, result: Accepted<E, PlainResponse>, tx: Tx) => unknown,
  options?: Pick<HandleContext<E>, 'onError' | 'onStale'>,
): (request: FastifyRequestLike, reply: FastifyReplyLike) => Promise<FastifyReplyLike>;
