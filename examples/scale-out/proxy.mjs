// A round-robin reverse proxy on 127.0.0.1 in front of the receiver processes: it passes each
// request to the next one and appends the sender's address to X-Forwarded-For, as nginx does.
// Usage: UPSTREAMS=http://127.0.0.1:8081,http://127.0.0.1:8082 node proxy.mjs
import { createServer, request } from 'node:http';

const upstreams = (process.env.UPSTREAMS ?? '').split(',').filter(Boolean).map((u) => new URL(u));
let next = 0;
const server = createServer((req, res) => {
  const upstream = upstreams[next++ % upstreams.length];
  const forwarded = [req.headers['x-forwarded-for'], req.socket.remoteAddress].filter(Boolean).join(', ');
  const proxied = request({
    host: upstream.hostname,
    port: upstream.port,
    method: req.method,
    path: req.url,
    headers: { ...req.headers, 'x-forwarded-for': forwarded },
  }, (answer) => {
    res.writeHead(answer.statusCode, answer.headers);
    answer.pipe(res);
  });
  proxied.on('error', () => res.writeHead(502).end());
  req.pipe(proxied);
});
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${server.address().port}`);
});
