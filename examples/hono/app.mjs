// One Hono app for R2 and Belvo webhooks, the same on Node and on Cloudflare Workers: the
// entry file says how to find the socket peer and whom to trust.
import { Hono } from 'hono';
import { BELVO_ALLOWLIST, belvoReceiver, R2_ALLOWLIST, r2Receiver } from 'payhook';

export function webhooks({ r2Secret, belvoAuthorization, trust, peer = () => undefined, handle }) {
  const r2 = r2Receiver({ secrets: [r2Secret ?? ''], allowlist: R2_ALLOWLIST, trust });
  const belvo = belvoReceiver({ authorization: belvoAuthorization ?? '', allowlist: BELVO_ALLOWLIST, trust });
  const app = new Hono();
  for (const [path, receiver] of [['/webhooks/r2', r2], ['/webhooks/belvo', belvo]]) {
    app.post(path, async (c) => {
      // c.req.raw is the Fetch Request, body unread: payhook reads it once, as bytes.
      const result = await receiver.receive(c.req.raw, { peer: peer(c) });
      if (result.ok) await handle(result.event, result.dedupKey);
      return result.response;
    });
  }
  return app;
}
