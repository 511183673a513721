// R2 and Belvo webhooks on Express 5, behind a reverse proxy on the same host.
import express from 'express';
import { BELVO_ALLOWLIST, belvoReceiver, memoryStore, R2_ALLOWLIST, r2Receiver } from 'payhook';

const trust = { proxies: ['127.0.0.1', '::1'] };
const dedup = memoryStore(); // handled events: bounded, per process; several processes need redisStore
const r2 = r2Receiver({ secrets: [process.env.R2_SECRET ?? ''], allowlist: R2_ALLOWLIST, trust, dedup });
const belvo = belvoReceiver({ authorization: process.env.BELVO_AUTHORIZATION ?? '', allowlist: BELVO_ALLOWLIST, trust, dedup });

// express.raw keeps the exact bytes: express.json() would re-serialise them and break the
// signature. Mount it on the webhook routes only, before any JSON parser sees them.
const raw = express.raw({ type: () => true, limit: '1mb' });
const app = express();
for (const [path, receiver] of [['/webhooks/r2', r2], ['/webhooks/belvo', belvo]]) {
  app.post(path, raw, async (req, res) => {
    // The handler runs once per event; a repeat gets the success answer without it, and a
    // handler that throws gets a 500, so the provider retries.
    const { status, headers, body } = await receiver.handle({ body: req.body, headers: req.headers, peer: req }, (event, result) => {
      console.log(`handled ${result.dedupKey}`); // your code here
    });
    res.status(status).set(headers).send(body);
  });
}
const server = app.listen(Number(process.env.PORT ?? 8080), '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${server.address().port}`);
});
