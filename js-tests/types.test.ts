// Compiled by `tsc --strict --noEmit` against the installed package: the types a user
// writes against must accept real handler code and reject misuse.
import {
  Allowlist, BELVO_ALLOWLIST, belvoReceiver, checkBelvoAuthorization, clientIp, errorCodes, memoryStore,
  parseR2IpDocument, PayhookError, R2_ALLOWLIST, r2Receiver, signR2, verifyR2Signature,
} from 'payhook';
import type {
  Claim, ClaimStatus, ClientIp, DedupStore, ErrorCode, R2SignatureEncoding, R2SignatureMatch, TransactionOutcome, Trust,
} from 'payhook';
import { inspectDelivery } from 'payhook/tools';
import type { Inspection } from 'payhook/tools';
import { postgresStore } from 'payhook';
import type { PostgresStore } from 'payhook';
import { denoKvStore } from 'payhook';
import type { DenoKvStore } from 'payhook';
import pg from 'pg';

declare const raw: Uint8Array;
declare const headers: Headers;

const header: string = signR2(raw, 'secret', { encoding: 'hex' });
const found: R2SignatureMatch = verifyR2Signature(raw, headers.get('content-sha256'), ['old', 'new']);
const index: number = found.secretIndex;
const encoding: R2SignatureEncoding = found.encoding;
const belvo = checkBelvoAuthorization(headers.get('authorization'), ['Bearer t', 'Basic dTpw']);
const scheme: 'bearer' | 'basic' = belvo.scheme;

try {
  verifyR2Signature('{}', ['a'], new Uint8Array([1]));
} catch (error) {
  if (error instanceof PayhookError) {
    const code: ErrorCode = error.code;
    const status: number = error.status;
    switch (code) {
      case 'signature_missing':
      case 'signature_malformed':
      case 'signature_mismatch':
      case 'secret_invalid':
      case 'authorization_missing':
      case 'authorization_malformed':
      case 'authorization_mismatch':
      case 'ip_malformed':
      case 'ip_not_allowed':
      case 'ip_unknown':
      case 'header_malformed':
      case 'allowlist_malformed':
      case 'delivery_in_progress':
      case 'handler_failed':
      case 'capture_malformed':
      case 'argument_invalid':
      case 'body_not_raw':
      case 'payload_not_json':
      case 'payload_too_large':
      case 'payload_invalid':
      case 'unknown_event_type':
      case 'event_stale':
        break;
      default: {
        const exhaustive: never = code;
        throw new Error(`unhandled ${exhaustive} ${status}`);
      }
    }
  }
}

// @ts-expect-error: the encoding is a closed set
signR2(raw, 'k', { encoding: 'base32' });
// @ts-expect-error: a parsed body is not the raw body
verifyR2Signature({ event: {} }, header, 'k');

// Source addresses: a Node request, a Fetch request on Workers, and a document refresh.
declare const req: { socket: { remoteAddress?: string }; headers: Record<string, string | string[] | undefined> };
const fromNode: ClientIp = R2_ALLOWLIST.check({ peer: req, headers: req.headers, trust: { proxies: ['10.0.0.0/8'] } });
const onWorkers: ClientIp = clientIp({ headers, trust: 'cloudflare' });
const doc = parseR2IpDocument('{}', { regions: ['us'] });
const everything = parseR2IpDocument('{}', { allowEverything: true }).allowlist;
// @ts-expect-error: allowEverything is a boolean, not a truthy string
parseR2IpDocument('{}', { allowEverything: 'yes' });
const fresh: Allowlist = doc.allowlist.union(BELVO_ALLOWLIST);
const ageMs: number | null = doc.createdAt;
const hops: Trust = { hops: 2, header: 'forwarded' };
// @ts-expect-error: trust is a closed set of spellings
clientIp({ trust: 'everyone' });

// Receivers: a Fetch handler and a node:http handler.
const receiver = r2Receiver({ secrets: ['old', 'new'], allowlist: R2_ALLOWLIST, trust: 'cloudflare' });
export async function onFetch(request: Request): Promise<Response> {
  const result = await receiver.receive(request);
  if (result.ok) {
    const key: string = result.dedupKey;
    const type: string = result.event.event_type;
    void [key, type];
  } else {
    const code: ErrorCode = result.error.code;
    void code;
  }
  return result.response;
}
declare const nodeBody: Uint8Array;
const plain = belvoReceiver({ authorization: 'Bearer t' }).receive({ body: nodeBody, headers: req.headers, peer: req });
const status: number = plain.response.status;
// @ts-expect-error: a Belvo receiver needs authorization or an allowlist, both optional in type but secrets are not Belvo's
belvoReceiver({ secrets: ['x'] });

// The replay window and the clock: a receiver's `now` is a function, an inspection's a time.
const windowed = r2Receiver({ secrets: ['k'], replayWindowMs: 30 * 86_400_000, now: () => Date.now() });
const belvoClock = belvoReceiver({ authorization: 'Bearer t', now: Date.now });
export const onStale = (request: Request): Promise<Response> => windowed.handle(request, () => {}, {
  onStale: (error, result) => { const code: ErrorCode = error.code; void [code, result.response.status]; },
});
// @ts-expect-error: a receiver's now is a clock (a function), not a time
r2Receiver({ secrets: ['k'], now: Date.now() });
// @ts-expect-error: Belvo sends no event time: there is no replay window to set
belvoReceiver({ authorization: 'Bearer t', replayWindowMs: 86_400_000 });
const inspected: Inspection = inspectDelivery({ provider: 'r2', body: raw, secrets: ['k'], now: Date.now(), replayWindowMs: 2 * 86_400_000 });
const freshness: { checked: boolean; ok: boolean | null; code?: ErrorCode; message?: string } = inspected.checks.freshness;
// @ts-expect-error: an inspection's now is a time in milliseconds, not a clock
inspectDelivery({ provider: 'r2', body: raw, now: () => Date.now() });

// Dedup stores: claims carry a token, which alone completes or releases them.
const store = memoryStore({ maxEntries: 1_000, now: () => Date.now() });
export async function claimAndComplete(key: string): Promise<boolean> {
  const claim: Claim = await store.claim(key, 60_000);
  if (claim.status !== 'new') {
    const status: 'duplicate' | 'in_progress' = claim.status;
    // @ts-expect-error: only a new claim has a token
    void claim.token;
    return status === 'duplicate';
  }
  const token: string = claim.token;
  const released: boolean = await store.release(key, token);
  // @ts-expect-error: complete needs the claim's token
  await store.complete(key, 60_000);
  // @ts-expect-error: release needs the claim's token
  await store.release(key);
  const now: ClaimStatus = await store.status(key);
  return released && now === 'new' && (await store.complete(key, token, 86_400_000)) && store.size >= 0 && store.bytes >= 0;
}
// A store of your own, to the interface.
const tokens = new Map<string, string>();
const custom: DedupStore = {
  kind: 'custom',
  async claim(key, leaseMs) {
    if (tokens.has(key)) return { status: 'in_progress' };
    const token = `${key}:${leaseMs}:${Math.random()}`;
    tokens.set(key, token);
    return { status: 'new', token };
  },
  async complete(key, token) { return tokens.get(key) === token; },
  async release(key, token) { return tokens.get(key) === token && tokens.delete(key); },
  async status(key) { return tokens.has(key) ? 'in_progress' : 'new'; },
};
const withCustom = r2Receiver({ secrets: ['k'], dedup: custom });
const oldStyle = {
  kind: 'old',
  claim: async (key: string, leaseMs: number): Promise<ClaimStatus> => (key && leaseMs ? 'new' : 'duplicate'),
  complete: async (key: string, retentionMs: number): Promise<void> => { void [key, retentionMs]; },
  release: async (key: string): Promise<void> => { void key; },
  status: async (key: string): Promise<ClaimStatus> => (key ? 'new' : 'duplicate'),
};
// @ts-expect-error: a store whose claim answers a bare status (no token) is the old interface
r2Receiver({ secrets: ['k'], dedup: oldStyle });
// @ts-expect-error: a new claim without its token
const tokenless: Claim = { status: 'new' };

// postgresStore: the handler's third argument is the pool's client type (pg.PoolClient with
// @types/pg), the transaction its writes commit with; with other stores it is undefined.
const pgPool = new pg.Pool({ max: 8 });
const pgStore = postgresStore(pgPool, { table: 'payhook_dedup', createTable: true });
const typed: PostgresStore<pg.PoolClient> = pgStore;
const withPostgres = r2Receiver({ secrets: ['k'], dedup: pgStore });
export const onPostgres = (request: Request): Promise<Response> => withPostgres.handle(request, async (event, result, tx) => {
  const client: pg.PoolClient = tx;
  // @ts-expect-error: tx is the pool's client type, inferred from the pool (not any)
  const wrong: number = tx;
  void wrong;
  await client.query('INSERT INTO financings (dedup_key, financing_id) VALUES ($1, $2)', [result.dedupKey, event.event.event_type]);
});
export const belvoPostgres = belvoReceiver({ authorization: 'Bearer t', dedup: postgresStore(pgPool) });
export const onBelvoPostgres = (request: Request) => belvoPostgres.handle(request, async (event, result, tx) => {
  await tx.query('SELECT 1');
});
export const noTx = (request: Request) => r2Receiver({ secrets: ['k'], dedup: store }).handle(request, (event, result, tx) => {
  const none: undefined = tx;
  void none;
});
export async function manualTransaction(): Promise<number> {
  const outcome: TransactionOutcome<number> = await pgStore.transaction('k', 86_400_000, 60_000, async (tx) => (await tx.query('SELECT 1')).rowCount ?? 0);
  return outcome.status === 'done' ? outcome.value : 0;
}
// @ts-expect-error: the table is a name, not a number
postgresStore(pgPool, { table: 1 });
// @ts-expect-error: an unknown option
postgresStore(pgPool, { tableName: 'x' });
// @ts-expect-error: a pool, not a connection string
postgresStore('postgres://localhost/db');
// @ts-expect-error: without a transactional store, no transaction client
r2Receiver({ secrets: ['k'], dedup: store }).handle(new Request('http://x'), async (event, result, tx) => { await tx.query('SELECT 1'); });

// denoKvStore: the handler's third argument is the KV's atomic operation type
// (Deno.AtomicOperation for a Deno.Kv), inferred from the KV: here a stand-in, as tsc has no
// Deno types (js-tests/deno-kv.test.ts checks it against the real Deno.AtomicOperation).
class FakeAtomic {
  check(...checks: { key: unknown[]; versionstamp: string | null }[]): this { void checks; return this; }
  set(key: unknown[], value: unknown, options?: { expireIn?: number }): this { void [key, value, options]; return this; }
  delete(key: unknown[]): this { void key; return this; }
  sum(key: unknown[], n: bigint): this { void [key, n]; return this; }
  async commit(): Promise<{ ok: true; versionstamp: string } | { ok: false }> { return { ok: false }; }
}
declare const fakeKv: { get(key: unknown[]): Promise<{ key: unknown[]; value: unknown; versionstamp: string | null }>; atomic(): FakeAtomic };
const kvStore = denoKvStore(fakeKv, { prefix: ['app', 'dedup'] });
const kvTyped: DenoKvStore<FakeAtomic> = kvStore;
export const onDenoKv = (request: Request) => r2Receiver({ secrets: ['k'], dedup: kvStore }).handle(request, (event, result, tx) => {
  const op: FakeAtomic = tx;
  op.sum(['count', result.dedupKey], 1n).set(['financing', event.event.event_type], result.dedupKey);
  // @ts-expect-error: tx is the KV's atomic operation type, inferred from the KV (not any)
  const wrong: number = tx;
  void wrong;
});
// @ts-expect-error: a KV without atomic()
denoKvStore({ get: fakeKv.get });

export const used = [status, index, encoding, scheme, errorCodes().length, fromNode, onWorkers, fresh, ageMs, hops, everything,
  windowed, belvoClock, freshness, withCustom, tokenless, typed, kvTyped];

// The framework plumbing (payhook/express, /fastify, /hono, /h3): typed without the
// frameworks' own types, and accepted where the framework takes a handler (Hono's, here).
import { createServer } from 'node:http';
import { Hono } from 'hono';
import { webhook as expressWebhook, payhookErrors, readRawBody } from 'payhook/express';
import { keepRawBody, route, webhook as fastifyWebhook } from 'payhook/fastify';
import type { FastifyLike } from 'payhook/fastify';
import { webhook as honoWebhook } from 'payhook/hono';
import { webhook as h3Webhook } from 'payhook/h3';
declare const fastify: FastifyLike;
{
  const r2 = r2Receiver({ secrets: ['s'], allowlist: R2_ALLOWLIST, dedup: memoryStore() });
  const onEvent = (event: import('payhook').R2Event, result: { dedupKey: string }) => console.log(event.event.event_type, result.dedupKey);
  createServer(expressWebhook(r2, onEvent, { onError: (error: unknown) => console.error(error) }));
  const errors: (error: unknown, req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse, next: () => void) => void = payhookErrors();
  const bytes: Promise<unknown> = readRawBody({} as import('payhook/express').WebhookRequest);
  const app = new Hono<{ Bindings: { incoming: import('node:http').IncomingMessage } }>();
  app.post('/webhooks/r2', honoWebhook(r2, onEvent));
  app.post('/webhooks/r2-peer', honoWebhook(r2, onEvent, { peer: (c) => c.env.incoming }));
  const registered: Promise<void> = fastifyWebhook(fastify, { path: '/webhooks/r2', receiver: r2, handler: onEvent });
  keepRawBody(fastify, { maxBytes: 1 << 20 });
  fastify.post('/webhooks/r2', route(r2, onEvent));
  const h3Handler: (event: { req: Request & { ip?: string } }) => Promise<Response> = h3Webhook(r2, onEvent);
  // @ts-expect-error the handler is required
  expressWebhook(r2);
  // @ts-expect-error a receiver, not its options
  honoWebhook({ secrets: ['s'] }, onEvent);
  void [errors, bytes, registered, h3Handler];
}
