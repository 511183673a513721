// The same Hono app on Cloudflare Workers: no socket peer, Cloudflare sets CF-Connecting-IP.
import { memoryStore } from 'payhook';
import { webhooks } from './app.mjs';

let app; // made once per isolate, from the first request's secrets
const dedup = memoryStore(); // per isolate; durableObjectStore makes it global

export default {
  fetch(request, env, ctx) {
    app ??= webhooks({
      r2Secret: env.R2_SECRET,
      belvoAuthorization: env.BELVO_AUTHORIZATION,
      trust: 'cloudflare',
      dedup,
      onEvent: (event, result) => {
        console.log(`handled ${result.dedupKey}`); // your code here, once per event, before the answer
      },
    });
    return app.fetch(request, env, ctx);
  },
};
