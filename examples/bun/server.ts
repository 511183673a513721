// R2 and Belvo webhooks on Bun.serve, behind a reverse proxy on the same host.
import { BELVO_ALLOWLIST, type BelvoWebhook, belvoReceiver, memoryStore, R2_ALLOWLIST, type R2Event, r2Receiver, type Receiver } from 'payhook';

const trust = { proxies: ['127.0.0.1', '::1'] }; // the proxy in front sets X-Forwarded-For
const dedup = memoryStore(); // handled events: bounded, per process; several processes need redisStore
// One type for both receivers: handle() cannot be called on a union of the two.
const receivers: Record<string, Receiver<R2Event | BelvoWebhook>> = {
  '/webhooks/r2': r2Receiver({ secrets: [Bun.env.R2_SECRET ?? ''], allowlist: R2_ALLOWLIST, trust, dedup }),
  '/webhooks/belvo': belvoReceiver({ authorization: Bun.env.BELVO_AUTHORIZATION ?? '', allowlist: BELVO_ALLOWLIST, trust, dedup }),
};

const server = Bun.serve({
  hostname: '127.0.0.1',
  port: Number(Bun.env.PORT ?? 8080),
  fetch(request, server) {
    const receiver = receivers[new URL(request.url).pathname];
    if (!receiver || request.method !== 'POST') return new Response(null, { status: 404 });
    // The handler runs once per event; a repeat gets the success answer without it, and a
    // handler that throws gets a 500, so the provider retries.
    return receiver.handle(request, (event, result) => {
      console.log(`handled ${result.dedupKey}`); // your code here
    }, { peer: server.requestIP(request) });
  },
});
console.log(`listening on http://127.0.0.1:${server.port}`);
