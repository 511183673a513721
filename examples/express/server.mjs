// R2 and Belvo webhooks on Express 5, behind a reverse proxy on the same host.
import express from 'express';
import { BELVO_ALLOWLIST, belvoReceiver, R2_ALLOWLIST, r2Receiver } from 'payhook';

const trust = { proxies: ['127.0.0.1', '::1'] };
const r2 = r2Receiver({ secrets: [process.env.R2_SECRET ?? ''], allowlist: R2_ALLOWLIST, trust });
const belvo = belvoReceiver({ authorization: process.env.BELVO_AUTHORIZATION ?? '', allowlist: BELVO_ALLOWLIST, trust });
const seen = new Set(); // dedup keys; several processes need a shared store instead

// express.raw keeps the exact bytes: express.json() would re-serialise them and break the
// signature. Mount it on the webhook routes only, before any JSON parser sees them.
const raw = express.raw({ type: () => true, limit: '1mb' });
const app = express();
for (const [path, receiver] of [['/webhooks/r2', r2], ['/webhooks/belvo', belvo]]) {
  app.post(path, raw, (req, res) => {
    const result = receiver.receive({ body: req.body, headers: req.headers, peer: req });
    if (result.ok && !seen.has(result.dedupKey)) {
      seen.add(result.dedupKey);
      console.log(`handled ${result.dedupKey}`); // your code here, once per event
    }
    res.status(result.response.status).set(result.response.headers).send(result.response.body);
  });
}
const server = app.listen(Number(process.env.PORT ?? 8080), '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${server.address().port}`);
});
