// R2 and Belvo webhooks on Fastify 5, behind a reverse proxy on the same host.
import Fastify from 'fastify';
import { BELVO_ALLOWLIST, belvoReceiver, memoryStore, R2_ALLOWLIST, r2Receiver } from 'payhook';
import { route, webhook } from 'payhook/fastify';

const trust = { proxies: ['127.0.0.1', '::1'] }; // nginx in front sets X-Forwarded-For
const dedup = memoryStore(); // handled events: bounded, per process; several processes need redisStore
const r2 = r2Receiver({ secrets: [process.env.R2_SECRET ?? ''], allowlist: R2_ALLOWLIST, trust, dedup });
const belvo = belvoReceiver({ authorization: process.env.BELVO_AUTHORIZATION ?? '', allowlist: BELVO_ALLOWLIST, trust, dedup });

// Runs once per event; a repeat gets the success answer without it, and a handler that
// throws gets a 500, so the provider retries.
const onEvent = (event, result) => {
  console.log(`handled ${result.dedupKey}`); // your code here
};

const app = Fastify();
// Each webhook is a plugin with its own scope: there, a content-type parser keeps the body as
// a Buffer; Fastify's JSON parser stays in charge of every other route.
app.register(webhook, { path: '/webhooks/r2', receiver: r2, handler: onEvent });
app.register(webhook, { path: '/webhooks/belvo', receiver: belvo, handler: onEvent });

// The trap, kept here so the test can show payhook's refusal: a route outside the plugin's
// scope gets Fastify's parsed JSON. The receiver answers 500 body_not_raw, naming the fix.
app.post('/webhooks/r2-parsed', route(r2, onEvent));

const address = await app.listen({ port: Number(process.env.PORT ?? 8080), host: '127.0.0.1' });
console.log(`listening on ${address}`);
