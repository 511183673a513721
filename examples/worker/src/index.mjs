// R2 and Belvo webhooks on a Cloudflare Worker. There is no socket peer on Workers:
// Cloudflare sets CF-Connecting-IP, which `trust: 'cloudflare'` reads.
import { BELVO_ALLOWLIST, belvoReceiver, R2_ALLOWLIST, r2Receiver } from 'payhook';

let receivers; // made once per isolate, from the first request's secrets
const seen = new Set(); // per isolate only: a Durable Object store makes dedup global

export default {
  async fetch(request, env, ctx) {
    receivers ??= {
      '/webhooks/r2': r2Receiver({ secrets: [env.R2_SECRET ?? ''], allowlist: R2_ALLOWLIST, trust: 'cloudflare' }),
      '/webhooks/belvo': belvoReceiver({ authorization: env.BELVO_AUTHORIZATION ?? '', allowlist: BELVO_ALLOWLIST, trust: 'cloudflare' }),
    };
    const receiver = receivers[new URL(request.url).pathname];
    if (!receiver || request.method !== 'POST') return new Response(null, { status: 404 });
    const result = await receiver.receive(request);
    if (result.ok && !seen.has(result.dedupKey)) {
      seen.add(result.dedupKey);
      ctx.waitUntil(handle(result.event, result.dedupKey)); // answer now, work after
    }
    return result.response;
  },
};

async function handle(event, dedupKey) {
  console.log(`handled ${dedupKey}`); // your code here, once per event
}
