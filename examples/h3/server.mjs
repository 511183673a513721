// R2 and Belvo webhooks on h3 2, behind a reverse proxy on the same host.
import { H3, readBody, serve } from 'h3';
import { BELVO_ALLOWLIST, belvoReceiver, memoryStore, R2_ALLOWLIST, r2Receiver } from 'payhook';
import { webhook } from 'payhook/h3';

const trust = { proxies: ['127.0.0.1', '::1'] }; // nginx in front sets X-Forwarded-For
const dedup = memoryStore(); // handled events: bounded, per process; several processes need redisStore
const r2 = r2Receiver({ secrets: [process.env.R2_SECRET ?? ''], allowlist: R2_ALLOWLIST, trust, dedup });
const belvo = belvoReceiver({ authorization: process.env.BELVO_AUTHORIZATION ?? '', allowlist: BELVO_ALLOWLIST, trust, dedup });

// Runs once per event; a repeat gets the success answer without it, and a handler that
// throws gets a 500, so the provider retries.
const onEvent = (event, result) => {
  console.log(`handled ${result.dedupKey}`); // your code here
};

const app = new H3();
// webhook() passes event.req (a Fetch Request) unread: the receiver reads the bytes once.
app.post('/webhooks/r2', webhook(r2, onEvent));
app.post('/webhooks/belvo', webhook(belvo, onEvent));

// The trap, kept here so the test can show payhook's refusal: readBody() parsed the body
// first, so the signed bytes are gone. The receiver answers 500 body_not_raw.
const r2Hook = webhook(r2, onEvent);
app.post('/webhooks/r2-parsed', async (event) => {
  await readBody(event);
  return r2Hook(event);
});

const server = serve(app, { port: Number(process.env.PORT ?? 8080), hostname: '127.0.0.1', silent: true });
await server.ready();
console.log(`listening on http://127.0.0.1:${new URL(server.url).port}`);
