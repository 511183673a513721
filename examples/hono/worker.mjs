// The same Hono app on Cloudflare Workers: no socket peer, Cloudflare sets CF-Connecting-IP.
import { webhooks } from './app.mjs';

let app; // made once per isolate, from the first request's secrets
const seen = new Set(); // per isolate only: a Durable Object store makes dedup global

export default {
  fetch(request, env, ctx) {
    app ??= webhooks({
      r2Secret: env.R2_SECRET,
      belvoAuthorization: env.BELVO_AUTHORIZATION,
      trust: 'cloudflare',
      handle: (event, key) => {
        if (seen.has(key)) return;
        seen.add(key);
        console.log(`handled ${key}`); // your code here, once per event
      },
    });
    return app.fetch(request, env, ctx);
  },
};
