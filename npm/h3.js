// payhook/h3: a receiver as an h3 handler that gives it the request unread. Tested with h3
// 2.0.8 on Node (examples/h3). It imports nothing from h3.
import { fetchWebhook } from './framework-common.js';

/**
 * `app.post('/webhooks/r2', webhook(r2, onEvent))`: `receiver.handle(event.req, …)` with
 * `event.req.ip` (the socket peer) as the peer, the body read once, as bytes. A request whose
 * body was already read (`readBody(event)` before it) is refused as body_not_raw, answered
 * as JSON `{"error": code, "message"}` with its status, like any PayhookError the receiver
 * throws. Options: `peer: (event) => PeerInput`, `onError`, `onStale`.
 */
export const webhook = fetchWebhook('h3', (event) => event.req, (event) => event.req.ip);
