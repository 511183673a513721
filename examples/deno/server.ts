// R2 and Belvo webhooks on Deno.serve, behind a reverse proxy on the same host.
import { BELVO_ALLOWLIST, belvoReceiver, R2_ALLOWLIST, r2Receiver } from 'payhook';

const trust = { proxies: ['127.0.0.1', '::1'] }; // the proxy in front sets X-Forwarded-For
const receivers = {
  '/webhooks/r2': r2Receiver({ secrets: [Deno.env.get('R2_SECRET') ?? ''], allowlist: R2_ALLOWLIST, trust }),
  '/webhooks/belvo': belvoReceiver({ authorization: Deno.env.get('BELVO_AUTHORIZATION') ?? '', allowlist: BELVO_ALLOWLIST, trust }),
};
const seen = new Set<string>(); // dedup keys; on Deno Deploy use a shared store instead

Deno.serve({
  hostname: '127.0.0.1',
  port: Number(Deno.env.get('PORT') ?? 8080),
  onListen: ({ port }) => console.log(`listening on http://127.0.0.1:${port}`),
}, async (request, info) => {
  const receiver = receivers[new URL(request.url).pathname as keyof typeof receivers];
  if (!receiver || request.method !== 'POST') return new Response(null, { status: 404 });
  const result = await receiver.receive(request, { peer: info }); // info.remoteAddr is the peer
  if (result.ok && !seen.has(result.dedupKey)) {
    seen.add(result.dedupKey);
    console.log(`handled ${result.dedupKey}`); // your code here, once per event
  }
  return result.response;
});
