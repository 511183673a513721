// payhook/h3: a receiver as an h3 handler that gives it the request unread. Tested with h3
// 2.0.8 on Node (examples/h3). It imports nothing from h3.
import { contextOf, isPayhookError, plumbingError, refusal, toResponse } from './framework-common.js';

/**
 * `app.post('/webhooks/r2', webhook(r2, onEvent))`: `receiver.handle(event.req, …)` with
 * `event.req.ip` (the socket peer) as the peer, the body read once, as bytes. A request whose
 * body was already read (`readBody(event)` before it) is refused as body_not_raw, answered
 * as JSON `{"error": code, "message"}` with its status, like any PayhookError the receiver
 * throws. Options: `peer: (event) => PeerInput`, `onError`, `onStale`.
 */
export function webhook(receiver, handler, options = {}) {
  const peer = options.peer ?? ((event) => event.req.ip);
  return async function payhookWebhook(event) {
    try {
      let socketPeer;
      try {
        socketPeer = peer(event);
      } catch (cause) {
        // A peer that cannot be read is never taken as absent (which some trust modes allow).
        throw plumbingError('argument_invalid', 500, 'payhook/h3: the peer could not be read (peer() threw)', cause);
      }
      return await receiver.handle(event.req, handler, contextOf(options, { peer: socketPeer }));
    } catch (error) {
      if (!isPayhookError(error)) throw error;
      return toResponse(refusal(error));
    }
  };
}
