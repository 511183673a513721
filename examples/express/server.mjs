// R2 and Belvo webhooks on Express 5, behind a reverse proxy on the same host.
import express from 'express';
import { BELVO_ALLOWLIST, belvoReceiver, memoryStore, R2_ALLOWLIST, r2Receiver } from 'payhook';
import { webhook } from 'payhook/express';

const trust = { proxies: ['127.0.0.1', '::1'] }; // nginx in front sets X-Forwarded-For
const dedup = memoryStore(); // handled events: bounded, per process; several processes need redisStore
const r2 = r2Receiver({ secrets: [process.env.R2_SECRET ?? ''], allowlist: R2_ALLOWLIST, trust, dedup });
const belvo = belvoReceiver({ authorization: process.env.BELVO_AUTHORIZATION ?? '', allowlist: BELVO_ALLOWLIST, trust, dedup });

// Runs once per event; a repeat gets the success answer without it, and a handler that
// throws gets a 500, so the provider retries.
const onEvent = (event, result) => {
  console.log(`handled ${result.dedupKey}`); // your code here
};

const app = express();
// webhook() reads the raw bytes itself (the signature covers them) and sends the answer.
// Mount the webhook routes before any app-wide express.json(): once a JSON parser has read
// the stream, the bytes are gone.
app.post('/webhooks/r2', webhook(r2, onEvent));
app.post('/webhooks/belvo', webhook(belvo, onEvent));

// The trap, kept here so the test can show payhook's refusal: express.json() ran first, so
// req.body is a parsed object. The receiver answers 500 body_not_raw, naming the fix.
app.post('/webhooks/r2-parsed', express.json(), webhook(r2, onEvent));

app.use(express.json()); // the rest of your app may parse JSON as usual

const server = app.listen(Number(process.env.PORT ?? 8080), '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${server.address().port}`);
});
