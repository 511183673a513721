// Types of payhook/hono: a receiver as a Hono handler. Tested with Hono 4.13.23 and
// @hono/node-server 2.1.11. Structural types: no Hono import.
import type { Accepted, HandleContext, PeerInput, Receiver } from './index.js';

/** What the handler uses of Hono's context. */
export interface HonoContextLike {
  req: { raw: Request };
  env?: any;
}

export interface WebhookOptions<E, C> extends Pick<HandleContext<E>, 'onError' | 'onStale'> {
  /** The socket peer (default: `c.env.incoming`, @hono/node-server's request; none on Workers). */
  peer?: (c: C) => PeerInput;
}

/**
 * `app.post('/webhooks/r2', webhook(r2, onEvent))`: `receiver.handle(c.req.raw, …)`. A body
 * already read (a JSON validator first) is answered 500 `body_not_raw` as JSON.
 */
export declare function webhook<E, Tx, C extends HonoContextLike = HonoContextLike>(
  receiver: Receiver<E, Tx>,
  handler: (event: E, result: Accepted<E, Response>, tx: Tx) => unknown,
  options?: WebhookOptions<E, C>,
): (c: C) => Promise<Response>;
