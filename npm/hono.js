// payhook/hono: a receiver as a Hono handler that gives it the request unread. Tested with
// Hono 4.13.23 on Node (@hono/node-server 2.1.11, examples/hono). It imports nothing from Hono.
import { contextOf, isPayhookError, plumbingError, refusal, toResponse } from './framework-common.js';

/**
 * The socket peer: on Node (@hono/node-server) the incoming request, `c.env.incoming`; on
 * Workers none (give the receiver `trust: 'cloudflare'`). Elsewhere pass `peer: (c) => …`.
 */
const nodePeer = (c) => c.env?.incoming;

/**
 * `app.post('/webhooks/r2', webhook(r2, onEvent))`: `receiver.handle(c.req.raw, …)`, the body
 * read once, as bytes. A request something already read (a `validator('json')` or
 * `c.req.json()` before it) is refused as body_not_raw, answered as JSON `{"error": code,
 * "message"}` with its status, like any PayhookError the receiver throws.
 * Options: `peer: (c) => PeerInput` (default: Node's `c.env.incoming`), `onError`, `onStale`.
 */
export function webhook(receiver, handler, options = {}) {
  const peer = options.peer ?? nodePeer;
  return async function payhookWebhook(c) {
    try {
      let socketPeer;
      try {
        socketPeer = peer(c);
      } catch (cause) {
        // A peer that cannot be read is never taken as absent (which some trust modes allow).
        throw plumbingError('argument_invalid', 500, 'payhook/hono: the peer could not be read (peer() threw)', cause);
      }
      return await receiver.handle(c.req.raw, handler, contextOf(options, { peer: socketPeer }));
    } catch (error) {
      if (!isPayhookError(error)) throw error;
      return toResponse(refusal(error));
    }
  };
}
