// R2 and Belvo webhooks on plain node:http, behind a reverse proxy on the same host.
import { createServer } from 'node:http';
import { BELVO_ALLOWLIST, belvoReceiver, memoryStore, R2_ALLOWLIST, r2Receiver } from 'payhook';

const trust = { proxies: ['127.0.0.1', '::1'] }; // nginx in front sets X-Forwarded-For
const dedup = memoryStore(); // handled events: bounded, per process; several processes need redisStore
const receivers = {
  '/webhooks/r2': r2Receiver({ secrets: [process.env.R2_SECRET ?? ''], allowlist: R2_ALLOWLIST, trust, dedup }),
  '/webhooks/belvo': belvoReceiver({ authorization: process.env.BELVO_AUTHORIZATION ?? '', allowlist: BELVO_ALLOWLIST, trust, dedup }),
};

const server = createServer(async (req, res) => {
  const receiver = receivers[req.url];
  if (!receiver || req.method !== 'POST') return res.writeHead(404).end();
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk); // the raw bytes: the signature covers them
  const delivery = { body: Buffer.concat(chunks), headers: req.headers, peer: req };
  // The handler runs once per event; a repeat gets the success answer without it, and a
  // handler that throws gets a 500, so the provider retries.
  const { status, headers, body } = await receiver.handle(delivery, (event, result) => {
    console.log(`handled ${result.dedupKey}`); // your code here
  });
  res.writeHead(status, headers).end(body);
});
server.listen(Number(process.env.PORT ?? 8080), '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${server.address().port}`);
});
