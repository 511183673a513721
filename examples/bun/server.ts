// R2 and Belvo webhooks on Bun.serve, behind a reverse proxy on the same host.
import { BELVO_ALLOWLIST, belvoReceiver, R2_ALLOWLIST, r2Receiver } from 'payhook';

const trust = { proxies: ['127.0.0.1', '::1'] }; // the proxy in front sets X-Forwarded-For
const receivers = {
  '/webhooks/r2': r2Receiver({ secrets: [Bun.env.R2_SECRET ?? ''], allowlist: R2_ALLOWLIST, trust }),
  '/webhooks/belvo': belvoReceiver({ authorization: Bun.env.BELVO_AUTHORIZATION ?? '', allowlist: BELVO_ALLOWLIST, trust }),
};
const seen = new Set<string>(); // dedup keys; several processes need a shared store instead

const server = Bun.serve({
  hostname: '127.0.0.1',
  port: Number(Bun.env.PORT ?? 8080),
  async fetch(request, server) {
    const receiver = receivers[new URL(request.url).pathname as keyof typeof receivers];
    if (!receiver || request.method !== 'POST') return new Response(null, { status: 404 });
    const result = await receiver.receive(request, { peer: server.requestIP(request) });
    if (result.ok && !seen.has(result.dedupKey)) {
      seen.add(result.dedupKey);
      console.log(`handled ${result.dedupKey}`); // your code here, once per event
    }
    return result.response;
  },
});
console.log(`listening on http://127.0.0.1:${server.port}`);
