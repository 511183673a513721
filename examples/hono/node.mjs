// The Hono app on Node, behind a reverse proxy on the same host.
import { serve } from '@hono/node-server';
import { memoryStore } from 'payhook';
import { webhooks } from './app.mjs';

const app = webhooks({
  r2Secret: process.env.R2_SECRET,
  belvoAuthorization: process.env.BELVO_AUTHORIZATION,
  trust: { proxies: ['127.0.0.1', '::1'] }, // nginx in front sets X-Forwarded-For
  dedup: memoryStore(), // bounded, per process; several processes need redisStore
  onEvent: (event, result) => {
    console.log(`handled ${result.dedupKey}`); // your code here, once per event
  },
  parsedRoute: true, // the trap route the test sends to; leave it out of your app
});
serve({ fetch: app.fetch, port: Number(process.env.PORT ?? 8080), hostname: '127.0.0.1' }, (info) => {
  console.log(`listening on http://127.0.0.1:${info.port}`);
});
