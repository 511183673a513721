// Next.js behind a reverse proxy on the same host. A route handler never sees the socket,
// and `next start` only sets X-Forwarded-For to the peer when the request has none, so the
// peer is lost exactly when it matters. This custom server keeps it: each request runs
// inside an AsyncLocalStorage holding its socket, which lib/webhooks.js reads.
import { AsyncLocalStorage } from 'node:async_hooks';
import { createServer } from 'node:http';
import next from 'next';

const peers = (globalThis[Symbol.for('payhook.peers')] = new AsyncLocalStorage());
const app = next({ dev: false, hostname: '127.0.0.1' });
const handle = app.getRequestHandler();
await app.prepare();
const server = createServer((req, res) => peers.run(req.socket, () => handle(req, res)));
server.listen(Number(process.env.PORT ?? 8080), '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${server.address().port}`);
});
