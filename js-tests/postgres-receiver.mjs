// A receiver process for js-tests/postgres.test.mjs: node:http, its own pg pool, postgresStore,
// and a handler that writes one row through `tx`. PAUSE_AT names the point where it stops and
// says so on stdout, for the test to SIGKILL it there: before-write (in the handler, before
// its INSERT), after-write (after the INSERT, before COMMIT), after-commit (handle() resolved:
// key and row committed, the answer not sent).
import { createServer } from 'node:http';
import pg from 'pg';
import { r2Receiver } from 'payhook';
import { postgresStore } from 'payhook';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 4 });
const receiver = r2Receiver({ secrets: [process.env.R2_SECRET], dedup: postgresStore(pool, { table: process.env.TABLE }) });
const pause = async (point, key) => {
  if (process.env.PAUSE_AT !== point) return;
  console.log(`paused ${point} ${key}`);
  await new Promise(() => {}); // until SIGKILL
};

const server = createServer(async (req, res) => {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  let key;
  const answer = await receiver.handle({ body: Buffer.concat(chunks), headers: req.headers }, async (event, result, tx) => {
    key = result.dedupKey;
    await pause('before-write', key);
    await tx.query('INSERT INTO crash_effects (key, pid) VALUES ($1, $2)', [key, process.pid]);
    console.log(`handled ${key}`);
    await pause('after-write', key);
  }, { onError: (e) => console.log(`failed ${e}`) });
  if (key) await pause('after-commit', key);
  res.writeHead(answer.status, answer.headers).end(answer.body);
});
server.listen(0, '127.0.0.1', () => console.log(`listening on http://127.0.0.1:${server.address().port}`));
