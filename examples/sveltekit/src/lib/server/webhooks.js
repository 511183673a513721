// The receivers, made once per server process, and the code that handles an event.
import { BELVO_ALLOWLIST, belvoReceiver, memoryStore, R2_ALLOWLIST, r2Receiver } from 'payhook';
import { env } from '$env/dynamic/private';

// Made at the first request, not at import: `vite build` imports every +server.js to
// analyse it, without the secrets, and a receiver refuses to start without them.
let receivers;
export function webhooks() {
  if (receivers) return receivers;
  const trust = { proxies: ['127.0.0.1', '::1'] }; // nginx in front sets X-Forwarded-For
  const dedup = memoryStore(); // handled events: bounded, per process; several processes need redisStore
  return (receivers = {
    r2: r2Receiver({ secrets: [env.R2_SECRET ?? ''], allowlist: R2_ALLOWLIST, trust, dedup }),
    belvo: belvoReceiver({ authorization: env.BELVO_AUTHORIZATION ?? '', allowlist: BELVO_ALLOWLIST, trust, dedup }),
  });
}

// Your code: runs once per event; a repeat gets the success answer without it.
export function onEvent(event, result) {
  console.log(`handled ${result.dedupKey}`);
}
