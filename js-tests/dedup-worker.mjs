// A Worker for the Durable Object store test: a receiver with durableObjectStore, counting
// how often its handler runs. Bundled and run under miniflare by durable-object.test.mjs.
import { durableObjectStore, PayhookDedupObject, r2Receiver } from 'payhook';

export { PayhookDedupObject };

let runs = 0;
let receiver;

export default {
  async fetch(request, env) {
    const { pathname } = new URL(request.url);
    receiver ??= r2Receiver({ secrets: [env.R2_SECRET], dedup: durableObjectStore(env.DEDUP), leaseMs: 300 });
    if (pathname === '/runs') return Response.json(runs);
    if (pathname === '/crash') {
      // A process that claims the event and dies before completing it.
      const body = await request.text();
      return Response.json(await durableObjectStore(env.DEDUP).claim(body, 300));
    }
    if (pathname === '/throw') return receiver.handle(request, () => { throw new Error('downstream down'); }, { onError() {} });
    return receiver.handle(request, async () => {
      runs += 1;
      await new Promise((resolve) => setTimeout(resolve, 20));
    });
  },
};
