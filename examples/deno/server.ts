// R2 and Belvo webhooks on Deno.serve, behind a reverse proxy on the same host.
import { BELVO_ALLOWLIST, type BelvoWebhook, belvoReceiver, memoryStore, R2_ALLOWLIST, type R2Event, r2Receiver, type Receiver } from 'payhook';

const trust = { proxies: ['127.0.0.1', '::1'] }; // the proxy in front sets X-Forwarded-For
const dedup = memoryStore(); // handled events: bounded, per process; Deno Deploy or several processes need denoKvStore
// One type for both receivers: handle() cannot be called on a union of the two.
const receivers: Record<string, Receiver<R2Event | BelvoWebhook>> = {
  '/webhooks/r2': r2Receiver({ secrets: [Deno.env.get('R2_SECRET') ?? ''], allowlist: R2_ALLOWLIST, trust, dedup }),
  '/webhooks/belvo': belvoReceiver({ authorization: Deno.env.get('BELVO_AUTHORIZATION') ?? '', allowlist: BELVO_ALLOWLIST, trust, dedup }),
};

Deno.serve({
  hostname: '127.0.0.1',
  port: Number(Deno.env.get('PORT') ?? 8080),
  onListen: ({ port }) => console.log(`listening on http://127.0.0.1:${port}`),
}, (request, info) => {
  const receiver = receivers[new URL(request.url).pathname];
  if (!receiver || request.method !== 'POST') return new Response(null, { status: 404 });
  // The handler runs once per event; a repeat gets the success answer without it, and a
  // handler that throws gets a 500, so the provider retries. info.remoteAddr is the peer.
  return receiver.handle(request, (event, result) => {
    console.log(`handled ${result.dedupKey}`); // your code here
  }, { peer: info });
});
