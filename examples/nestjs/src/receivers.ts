// The receivers, made once per process, and the code that runs once per event.
import { BELVO_ALLOWLIST, belvoReceiver, memoryStore, R2_ALLOWLIST, r2Receiver, type Accepted } from 'payhook';

const trust = { proxies: ['127.0.0.1', '::1'] }; // nginx in front sets X-Forwarded-For
const dedup = memoryStore(); // handled events: bounded, per process; several processes need redisStore
export const r2 = r2Receiver({ secrets: [process.env.R2_SECRET ?? ''], allowlist: R2_ALLOWLIST, trust, dedup });
export const belvo = belvoReceiver({ authorization: process.env.BELVO_AUTHORIZATION ?? '', allowlist: BELVO_ALLOWLIST, trust, dedup });

// Runs once per event; a repeat gets the success answer without it, and a handler that
// throws gets a 500, so the provider retries.
export function onEvent(event: unknown, result: Accepted<unknown, unknown>): void {
  console.log(`handled ${result.dedupKey}`); // your code here
}
