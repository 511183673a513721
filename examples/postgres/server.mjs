// R2 and Belvo webhooks on node:http, each event recorded in PostgreSQL exactly once: the
// handler's rows and the event's dedup key commit in one transaction (`tx`), or neither does.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import pg from 'pg';
import { BELVO_ALLOWLIST, belvoReceiver, R2_ALLOWLIST, r2Receiver } from 'payhook';
import { postgresStore } from 'payhook';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 8 });
await pool.query(readFileSync(new URL('./schema.sql', import.meta.url), 'utf8'));

const trust = { proxies: ['127.0.0.1', '::1'] }; // nginx in front sets X-Forwarded-For
const dedup = postgresStore(pool, { createTable: false }); // schema.sql made its table
const receivers = {
  '/webhooks/r2': r2Receiver({ secrets: [process.env.R2_SECRET ?? ''], allowlist: R2_ALLOWLIST, trust, dedup }),
  '/webhooks/belvo': belvoReceiver({ authorization: process.env.BELVO_AUTHORIZATION ?? '', allowlist: BELVO_ALLOWLIST, trust, dedup }),
};

/** R2: a row per event about a financing, written through the delivery's transaction. */
async function onR2(event, result, tx) {
  if (!event.financing) return; // collections and other events: yours to record the same way
  const { financing_id, status, disbursed_amount } = event.financing;
  await tx.query(
    `INSERT INTO r2_financings (dedup_key, financing_id, event_type, status, disbursed_amount, event_time)
     VALUES ($1, $2, $3, $4, $5, to_timestamp($6))`,
    [result.dedupKey, financing_id, event.event.event_type, status ?? null, disbursed_amount ?? null, Number(event.event.event_time)],
  );
}

/** Belvo: a row per payment intent webhook. */
async function onBelvo(event, result, tx) {
  if (event.webhook_type !== 'PAYMENT_INTENTS') return;
  await tx.query(
    `INSERT INTO belvo_payment_intents (dedup_key, payment_intent_id, webhook_code, status, failure_code)
     VALUES ($1, $2, $3, $4, $5)`,
    [result.dedupKey, event.object_id, event.webhook_code, event.data?.status ?? null, event.data?.failure_code ?? null],
  );
}

const server = createServer(async (req, res) => {
  const receiver = receivers[req.url];
  if (!receiver || req.method !== 'POST') return res.writeHead(404).end();
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk); // the raw bytes: the signature covers them
  const delivery = { body: Buffer.concat(chunks), headers: req.headers, peer: req };
  try {
    // Once per event: a repeat gets the success answer without the handler, a copy that
    // arrives while another is being handled gets 409, and a handler that throws rolls its
    // rows back and gets 500: the provider retries either.
    const { status, headers, body } = await receiver.handle(delivery, async (event, result, tx) => {
      await (receiver.provider === 'r2' ? onR2 : onBelvo)(event, result, tx);
      console.log(`handled ${result.dedupKey}`);
    });
    res.writeHead(status, headers).end(body);
  } catch (error) {
    // The database was unreachable before the handler ran: nothing recorded, the provider retries.
    console.error('payhook: the dedup store failed', error);
    res.writeHead(503, { 'content-type': 'application/json' }).end('{"error":"store_unavailable"}');
  }
});
server.listen(Number(process.env.PORT ?? 8080), '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${server.address().port}`);
});
