// One Hono app for R2 and Belvo webhooks, the same on Node and on Cloudflare Workers: the
// entry file says how to find the socket peer, whom to trust, and where handled events are
// remembered (`dedup`).
import { Hono } from 'hono';
import { BELVO_ALLOWLIST, belvoReceiver, R2_ALLOWLIST, r2Receiver } from 'payhook';

export function webhooks({ r2Secret, belvoAuthorization, trust, dedup, peer = () => undefined, onEvent }) {
  const r2 = r2Receiver({ secrets: [r2Secret ?? ''], allowlist: R2_ALLOWLIST, trust, dedup });
  const belvo = belvoReceiver({ authorization: belvoAuthorization ?? '', allowlist: BELVO_ALLOWLIST, trust, dedup });
  const app = new Hono();
  for (const [path, receiver] of [['/webhooks/r2', r2], ['/webhooks/belvo', belvo]]) {
    // c.req.raw is the Fetch Request, body unread: payhook reads it once, as bytes. onEvent
    // runs once per event, before the answer; if it throws, the answer is a 500 and the
    // provider retries.
    app.post(path, (c) => receiver.handle(c.req.raw, onEvent, { peer: peer(c) }));
  }
  return app;
}
