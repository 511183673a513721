// One of several R2 receiver processes that share Redis: however the deliveries (and R2's
// retries) are spread over the processes, the handler runs once per event.
import { createServer } from 'node:http';
import { createClient } from 'redis';
import { r2Receiver, redisStore, R2_ALLOWLIST } from 'payhook';

const redis = createClient({ url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' });
await redis.connect();
const receiver = r2Receiver({
  secrets: [process.env.R2_SECRET ?? ''],
  allowlist: R2_ALLOWLIST,
  trust: { proxies: ['127.0.0.1', '::1'] }, // the round-robin proxy in front sets X-Forwarded-For
  dedup: redisStore(redis),
  leaseMs: Number(process.env.LEASE_MS ?? 60_000), // how long a dead process's claim blocks a retry
});
const workMs = Number(process.env.WORK_MS ?? 50); // stands for your handler's work

const server = createServer(async (req, res) => {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const delivery = { body: Buffer.concat(chunks), headers: req.headers, peer: req };
  const { status, headers, body } = await receiver.handle(delivery, async (event, result) => {
    console.log(`handling ${result.dedupKey} in ${process.pid}`);
    await new Promise((resolve) => setTimeout(resolve, workMs)); // your work here
    console.log(`handled ${result.dedupKey} in ${process.pid}`);
  });
  res.writeHead(status, headers).end(body);
});
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${server.address().port}`);
});
