// The Hono app on Node, behind a reverse proxy on the same host.
import { serve } from '@hono/node-server';
import { webhooks } from './app.mjs';

const seen = new Set(); // dedup keys; several processes need a shared store instead
const app = webhooks({
  r2Secret: process.env.R2_SECRET,
  belvoAuthorization: process.env.BELVO_AUTHORIZATION,
  trust: { proxies: ['127.0.0.1', '::1'] },
  peer: (c) => c.env.incoming.socket.remoteAddress,
  handle: (event, key) => {
    if (seen.has(key)) return;
    seen.add(key);
    console.log(`handled ${key}`); // your code here, once per event
  },
});
serve({ fetch: app.fetch, port: Number(process.env.PORT ?? 8080), hostname: '127.0.0.1' }, (info) => {
  console.log(`listening on http://127.0.0.1:${info.port}`);
});
