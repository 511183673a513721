// R2 and Belvo webhooks on a Cloudflare Worker. There is no socket peer on Workers:
// Cloudflare sets CF-Connecting-IP, which `trust: 'cloudflare'` reads.
import { BELVO_ALLOWLIST, belvoReceiver, memoryStore, R2_ALLOWLIST, r2Receiver } from 'payhook';

let receivers; // made once per isolate, from the first request's secrets
const dedup = memoryStore(); // per isolate; durableObjectStore makes it global

export default {
  async fetch(request, env) {
    receivers ??= {
      '/webhooks/r2': r2Receiver({ secrets: [env.R2_SECRET ?? ''], allowlist: R2_ALLOWLIST, trust: 'cloudflare', dedup }),
      '/webhooks/belvo': belvoReceiver({ authorization: env.BELVO_AUTHORIZATION ?? '', allowlist: BELVO_ALLOWLIST, trust: 'cloudflare', dedup }),
    };
    const receiver = receivers[new URL(request.url).pathname];
    if (!receiver || request.method !== 'POST') return new Response(null, { status: 404 });
    // handle() runs the handler before it answers, so a handler that throws gets a 500 and
    // the provider retries. ctx.waitUntil would answer first, but work that fails after the
    // answer is never retried: for slow work, send the event to a Queue in the handler.
    return receiver.handle(request, handle);
  },
};

async function handle(event, result) {
  console.log(`handled ${result.dedupKey}`); // your code here, once per event
}
