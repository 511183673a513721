// R2 and Belvo webhooks on plain node:http, behind a reverse proxy on the same host.
import { createServer } from 'node:http';
import { BELVO_ALLOWLIST, belvoReceiver, R2_ALLOWLIST, r2Receiver } from 'payhook';

const trust = { proxies: ['127.0.0.1', '::1'] }; // nginx in front sets X-Forwarded-For
const receivers = {
  '/webhooks/r2': r2Receiver({ secrets: [process.env.R2_SECRET ?? ''], allowlist: R2_ALLOWLIST, trust }),
  '/webhooks/belvo': belvoReceiver({ authorization: process.env.BELVO_AUTHORIZATION ?? '', allowlist: BELVO_ALLOWLIST, trust }),
};
const seen = new Set(); // dedup keys; several processes need a shared store instead

const server = createServer(async (req, res) => {
  const receiver = receivers[req.url];
  if (!receiver || req.method !== 'POST') return res.writeHead(404).end();
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk); // the raw bytes: the signature covers them
  const result = receiver.receive({ body: Buffer.concat(chunks), headers: req.headers, peer: req });
  if (result.ok && !seen.has(result.dedupKey)) {
    seen.add(result.dedupKey);
    console.log(`handled ${result.dedupKey}`); // your code here, once per event
  }
  const { status, headers, body } = result.response;
  res.writeHead(status, headers).end(body);
});
server.listen(Number(process.env.PORT ?? 8080), '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${server.address().port}`);
});
