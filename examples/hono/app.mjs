// One Hono app for R2 and Belvo webhooks, the same on Node and on Cloudflare Workers: the
// entry file says whom to trust and where handled events are remembered (`dedup`).
import { Hono } from 'hono';
import { validator } from 'hono/validator';
import { BELVO_ALLOWLIST, belvoReceiver, R2_ALLOWLIST, r2Receiver } from 'payhook';
import { webhook } from 'payhook/hono';

export function webhooks({ r2Secret, belvoAuthorization, trust, dedup, onEvent, parsedRoute = false }) {
  const r2 = r2Receiver({ secrets: [r2Secret ?? ''], allowlist: R2_ALLOWLIST, trust, dedup });
  const belvo = belvoReceiver({ authorization: belvoAuthorization ?? '', allowlist: BELVO_ALLOWLIST, trust, dedup });
  const app = new Hono();
  // webhook() hands the receiver c.req.raw, body unread: payhook reads it once, as bytes. The
  // peer is the socket's on Node (c.env.incoming), none on Workers. onEvent runs once per
  // event, before the answer; if it throws, the answer is a 500 and the provider retries.
  app.post('/webhooks/r2', webhook(r2, onEvent));
  app.post('/webhooks/belvo', webhook(belvo, onEvent));
  if (parsedRoute) {
    // The trap, kept so the test can show payhook's refusal: a JSON validator read the body
    // before the handler, so the signed bytes are gone. The receiver answers 500 body_not_raw.
    app.post('/webhooks/r2-parsed', validator('json', (value) => value), webhook(r2, onEvent));
  }
  return app;
}
