// payhook/hono: a receiver as a Hono handler that gives it the request unread. Tested with
// Hono 4.13.23 on Node (@hono/node-server 2.1.11, examples/hono). It imports nothing from Hono.
import { fetchWebhook } from './framework-common.js';

/**
 * `app.post('/webhooks/r2', webhook(r2, onEvent))`: `receiver.handle(c.req.raw, …)`, the body
 * read once, as bytes. A request something already read (a `validator('json')` or
 * `c.req.json()` before it) is refused as body_not_raw, answered as JSON `{"error": code,
 * "message"}` with its status, like any PayhookError the receiver throws.
 * Options: `peer: (c) => PeerInput` (default: on Node, @hono/node-server's incoming request,
 * `c.env.incoming`; on Workers none: give the receiver `trust: 'cloudflare'`), `onError`,
 * `onStale`.
 */
export const webhook = fetchWebhook('hono', (c) => c.req.raw, (c) => c.env?.incoming);
