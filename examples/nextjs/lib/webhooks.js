// The receivers, made once per server process, and the socket peer of each request.
import { BELVO_ALLOWLIST, belvoReceiver, memoryStore, R2_ALLOWLIST, r2Receiver } from 'payhook';

// Made at the first request, not at import: `next build` imports every route module to
// collect its configuration, without the secrets, and a receiver refuses to start without them.
let receivers;
export function webhooks() {
  if (receivers) return receivers;
  const trust = { proxies: ['127.0.0.1', '::1'] }; // nginx in front sets X-Forwarded-For
  const dedup = memoryStore(); // handled events: bounded, per process; several processes need redisStore
  return (receivers = {
    r2: r2Receiver({ secrets: [process.env.R2_SECRET ?? ''], allowlist: R2_ALLOWLIST, trust, dedup }),
    belvo: belvoReceiver({ authorization: process.env.BELVO_AUTHORIZATION ?? '', allowlist: BELVO_ALLOWLIST, trust, dedup }),
  });
}

// The socket server.mjs keeps for this request. Without it (plain `next start`) there is no
// peer: null makes the receiver answer 403 ip_unknown, never trust X-Forwarded-For blindly.
export const peer = () => globalThis[Symbol.for('payhook.peers')]?.getStore() ?? null;

// Your code: runs once per event; a repeat gets the success answer without it.
export function onEvent(event, result) {
  console.log(`handled ${result.dedupKey}`);
}
