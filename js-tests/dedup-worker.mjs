// A Worker for the Durable Object store test: a receiver with durableObjectStore, counting
// how often its handler runs, and the store's own calls (claim, complete, release, status)
// for the test to drive. Bundled and run under miniflare by durable-object.test.mjs.
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
    if (pathname === '/store') {
      // One store call, as { op, key, token, ms }: what it resolves to, or the error it throws.
      const { op, key, token, ms } = await request.json();
      const store = durableObjectStore(env.DEDUP);
      const args = { claim: [key, ms], complete: [key, token, ms], release: [key, token], status: [key] }[op];
      try {
        return Response.json({ value: await store[op](...args) });
      } catch (error) {
        return Response.json({ error: error?.code ?? String(error) });
      }
    }
    if (pathname === '/throw') return receiver.handle(request, () => { throw new Error('downstream down'); }, { onError() {} });
    return receiver.handle(request, async () => {
      runs += 1;
      await new Promise((resolve) => setTimeout(resolve, 20));
    });
  },
};
