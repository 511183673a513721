// Types of payhook/h3: a receiver as an h3 handler. Tested with h3 2.0.8. Structural types:
// no h3 import.
import type { Accepted, HandleContext, PeerInput, Receiver } from './index.js';

/** What the handler uses of h3's event: `event.req`, a Fetch Request (with srvx's `ip`). */
export interface H3EventLike {
  req: Request & { ip?: string };
}

export interface WebhookOptions<E, V> extends Pick<HandleContext<E>, 'onError' | 'onStale'> {
  /** The socket peer (default: `event.req.ip`). */
  peer?: (event: V) => PeerInput;
}

/**
 * `app.post('/webhooks/r2', webhook(r2, onEvent))`: `receiver.handle(event.req, …)`. A body
 * already read (`readBody(event)` first) is answered 500 `body_not_raw` as JSON.
 */
export declare function webhook<E, Tx, V extends H3EventLike = H3EventLike>(
  receiver: Receiver<E, Tx>,
  handler: (event: E, result: Accepted<E, Response>, tx: Tx) => unknown,
  options?: WebhookOptions<E, V>,
): (event: V) => Promise<Response>;
