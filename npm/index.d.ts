// Types of the payhook package; the payload models are in payloads.d.ts. The error codes are
// checked against the Rust list by the test suites (tests/docs.rs and js-tests), so they
// cannot drift.

/** Every error code, from the one list in `src/error.rs`. */
export type ErrorCode =
  | 'signature_missing'
  | 'signature_malformed'
  | 'signature_mismatch'
  | 'secret_invalid'
  | 'authorization_missing'
  | 'authorization_malformed'
  | 'authorization_mismatch'
  | 'ip_malformed'
  | 'ip_not_allowed'
  | 'ip_unknown'
  | 'header_malformed'
  | 'allowlist_malformed'
  | 'delivery_in_progress'
  | 'handler_failed'
  | 'capture_malformed'
  | 'argument_invalid'
  | 'body_not_raw'
  | 'payload_not_json'
  | 'payload_too_large'
  | 'payload_invalid'
  | 'unknown_event_type'
  | 'event_stale';

/**
 * Every failure is thrown as a PayhookError: a real `Error` with a stable `code` and the
 * HTTP `status` a receiver should answer with. Its message never holds a secret, a token
 * or the expected signature. `import` and `require` load one instance of the package, so
 * `instanceof PayhookError` is the one test a handler needs.
 */
export declare class PayhookError extends Error {
  readonly name: 'PayhookError';
  readonly code: ErrorCode;
  readonly status: number;
  /** For `allowlist_malformed`: the JSON Pointer of the bad entry. */
  readonly path?: string;
  /** For `payload_*` and `unknown_event_type` errors: the problems found (from a receiver, the first 100). */
  readonly issues?: import('./payloads.js').Issue[];
  /** From a receiver: how many problems were found in all (`issues` lists the first 100). */
  readonly issueCount?: number;
  constructor(code: ErrorCode, status: number, message: string, options?: ErrorOptions);
}

/** A raw request body: exactly the bytes received. Strings are taken as UTF-8. */
export type Body = Uint8Array | ArrayBuffer | ArrayBufferView | string;

/** A secret: R2's `jwtSecret` as a string (UTF-8) or raw bytes. */
export type Secret = string | Uint8Array | ArrayBuffer | ArrayBufferView;

/**
 * A header value as runtimes give it: Fetch `headers.get()` returns a string or `null`;
 * Node's `req.headers[name]` a string, an array of lines, or `undefined`.
 */
export type HeaderValue = string | readonly string[] | null | undefined;

/** How a `Content-Sha256` value encodes the HMAC-SHA256 tag. */
export type R2SignatureEncoding = 'hex' | 'base64' | 'base64url' | 'base64-hex';

export interface R2SignatureMatch {
  /** Index of the secret that matched, in the list given. */
  secretIndex: number;
  /** The encoding the sender used. */
  encoding: R2SignatureEncoding;
}

export interface SignR2Options {
  /**
   * `base64-hex` (the default: what R2's own example value is), `base64`, `base64url`
   * (unpadded) or `hex` (what `openssl dgst -sha256 -hmac` prints).
   */
  encoding?: R2SignatureEncoding;
}

/** The `Content-Sha256` header R2 would send with this body. */
export declare function signR2(body: Body, secret: Secret, options?: SignR2Options): string;

/**
 * Checks R2's `Content-Sha256` header against the raw body, trying every secret (rotation)
 * in constant time. Accepts hex, base64 (either alphabet, any padding) and base64 of hex.
 * Up to 16 secrets of up to 4,096 bytes each; more, or longer, is `secret_invalid`.
 * @throws {PayhookError} `secret_invalid`, `signature_missing`, `signature_malformed`,
 *   `signature_mismatch`, `argument_invalid`
 */
export declare function verifyR2Signature(
  body: Body,
  header: HeaderValue,
  secrets: Secret | readonly Secret[],
): R2SignatureMatch;

export interface BelvoAuthorizationMatch {
  /** Index of the accepted value that matched, in the list given. */
  acceptedIndex: number;
  /** The scheme the header used. */
  scheme: 'bearer' | 'basic';
}

/**
 * Checks Belvo's `Authorization` header against the values registered with the webhook
 * (`"Bearer <token>"` or `"Basic <base64 of user:password>"`), in constant time. Scheme
 * names are case-insensitive; Basic is compared as user and password.
 * @throws {PayhookError} `secret_invalid`, `authorization_missing`,
 *   `authorization_malformed`, `authorization_mismatch`, `argument_invalid`
 */
export declare function checkBelvoAuthorization(
  header: HeaderValue,
  accepted: string | readonly string[],
): BelvoAuthorizationMatch;

export interface ErrorInfo {
  code: ErrorCode;
  status: number;
  message: string;
}

/** Every error code with its HTTP status and message. */
export declare function errorCodes(): ErrorInfo[];

/** Where the client address was read. */
export type ClientIpSource = 'peer' | 'x-forwarded-for' | 'forwarded' | 'cf-connecting-ip';

/** The client address (IPv4-mapped IPv6 is given as IPv4) and where it was read. */
export interface ClientIp {
  ip: string;
  source: ClientIpSource;
}

/** The header trusted proxies write the client address into. */
export type ForwardingHeaderName = 'x-forwarded-for' | 'forwarded' | 'cf-connecting-ip';

/**
 * Who may tell the receiver the client address:
 * - `'none'` (default): the socket peer is the client; forwarding headers are ignored.
 * - `'cloudflare'`: `CF-Connecting-IP`, when the peer is a Cloudflare edge address or
 *   there is no peer (Workers).
 * - `{ proxies }`: walk the header from the right past these proxies' addresses.
 * - `{ hops }`: exactly this many proxies in front; the client is that many entries from
 *   the right.
 */
export type Trust =
  | 'none'
  | 'cloudflare'
  | { proxies: readonly string[] | Allowlist; header?: ForwardingHeaderName }
  | { hops: number; header?: ForwardingHeaderName };

/** Header values as a Fetch `Headers`, or a plain object such as Node's `req.headers`. */
export type HeadersInput =
  | { get(name: string): string | null }
  | Readonly<Record<string, string | readonly string[] | undefined>>;

/**
 * The socket peer: an address string, Node's request or socket, Deno's handler info, Bun's
 * `server.requestIP(req)`, or `null`/`undefined` where there is none (Workers).
 */
export type PeerInput =
  | string
  | null
  | undefined
  | { socket: { remoteAddress?: string } }
  | { remoteAddress?: string }
  | { remoteAddr: { hostname: string } }
  | { address: string };

export interface ClientIpRequest {
  peer?: PeerInput;
  headers?: HeadersInput;
  trust?: Trust;
}

/**
 * A set of IP addresses and CIDR networks, IPv4 and IPv6, matched in O(log n). Parsing is
 * strict: no leading zeros, octal, hex or shortened IPv4; a network with host bits set is
 * refused. `::ffff:a.b.c.d` is the IPv4 address `a.b.c.d`. Lives in wasm memory and is freed
 * by the garbage collector.
 */
export declare class Allowlist {
  /** @throws {PayhookError} `allowlist_malformed`, with `path` naming the bad entry (`/3`). */
  constructor(entries: readonly string[] | Allowlist);
  /** R2's published addresses (2024-01-22 snapshot): both environments, or one. */
  static r2(environment?: 'production' | 'development'): Allowlist;
  /** Belvo's published addresses. */
  static belvo(): Allowlist;
  /** Cloudflare's edge ranges. */
  static cloudflare(): Allowlist;
  /** @throws {PayhookError} `ip_malformed` for a string that is not an address. */
  contains(ip: string): boolean;
  /**
   * Resolves the request's client address and checks it.
   * @throws {PayhookError} `ip_not_allowed`, `ip_unknown`, `ip_malformed`, `header_malformed`
   */
  check(request: ClientIpRequest): ClientIp;
  /** A new list with the entries of both. */
  union(other: readonly string[] | Allowlist): Allowlist;
  /** The networks, canonical and sorted (`54.215.38.39/32`). */
  entries(): string[];
  toJSON(): string[];
  readonly size: number;
}

/** R2's published source addresses, both environments (2024-01-22 snapshot). */
export declare const R2_ALLOWLIST: Allowlist;
/** Belvo's published source addresses. */
export declare const BELVO_ALLOWLIST: Allowlist;

/**
 * The client address of a request, without IO, from the peer, the headers and what you
 * trust.
 * @throws {PayhookError} `ip_unknown`, `ip_malformed`, `header_malformed`, `argument_invalid`
 */
export declare function clientIp(request: ClientIpRequest): ClientIp;

export interface R2IpDocument {
  /** `creationDate` as written. */
  creationDate: string;
  /** `creationDate` in milliseconds since the epoch (UTC), or `null` in another form. */
  createdAt: number | null;
  /** The document's regions. */
  regions: string[];
  /** The addresses of the regions asked for (all by default). */
  allowlist: Allowlist;
}

export interface R2IpDocumentOptions {
  /** The regions whose addresses go into `allowlist` (default: all). */
  regions?: readonly string[];
  /**
   * Accept entries wider than /8 (IPv4) or /16 (IPv6), `0.0.0.0/0` and `::/0` among them
   * (default `false`: such a document is `allowlist_malformed`, since an allowlist that lets
   * everyone in is a mistake unless you say otherwise, in a test setup say).
   */
  allowEverything?: boolean;
}

/**
 * Parses R2's published address document
 * (`{"creationDate": "...", "ips": {"us": ["54.215.38.39/32"]}}`).
 * @throws {PayhookError} `allowlist_malformed`, with `path` (`/ips/us/1`); `argument_invalid`
 *   for options of the wrong type
 */
export declare function parseR2IpDocument(json: string, options?: R2IpDocumentOptions): R2IpDocument;

export * from './payloads.js';

/** What a receiver checks; made once, used for every delivery. */
export interface ReceiverOptions {
  /** Source addresses allowed (none checked when absent): `R2_ALLOWLIST`, `BELVO_ALLOWLIST`, or your own. */
  allowlist?: Allowlist | readonly string[];
  /** Who may report the client address (default `'none'`). */
  trust?: Trust;
  /** Refuse unknown event types and flag unknown fields. */
  strict?: boolean;
  /** The largest body accepted, in bytes (default 1 MiB, at most 32 MiB); larger is `payload_too_large` (413). */
  maxBytes?: number;
  /** Where processed events are remembered, for `handle()` and `receive().duplicate`. */
  dedup?: DedupStore;
  /** How long a claim holds while a handler runs (default 60 s): a crashed handler's event is retried after it. */
  leaseMs?: number;
}

/** What a store answers for a dedup key. */
export type ClaimStatus = 'new' | 'duplicate' | 'in_progress';

/**
 * What `claim` resolves to: a new claim carries its own token, which alone completes or
 * releases it.
 */
export type Claim = { status: 'new'; token: string } | { status: 'duplicate' } | { status: 'in_progress' };

/**
 * Where a receiver remembers processed events. `claim` takes a key for `leaseMs` unless it is
 * done or claimed, under a token of its own; `complete` marks it done for `retentionMs` (the
 * provider's dedup retention); `release` gives a failed handler's claim back; both act only
 * while that token still holds the claim, and resolve to whether it did (a handler whose
 * lease ran out cannot undo the claim of the retry that took over). `status` answers like
 * `claim` without claiming.
 */
export interface DedupStore {
  readonly kind: string;
  claim(key: string, leaseMs: number): Promise<Claim>;
  complete(key: string, token: string, retentionMs: number): Promise<boolean>;
  release(key: string, token: string): Promise<boolean>;
  status(key: string): Promise<ClaimStatus>;
}

/** What a transactional store's `transaction` resolves to: `done` once the work and the key committed together. */
export type TransactionOutcome<T> = { status: 'done'; value: T } | { status: 'duplicate' } | { status: 'in_progress' };

/**
 * A store that records the key in the same transaction as the handler's own writes
 * (`postgresStore`). `handle()` uses `transaction` instead of claims
 * and passes `tx` to the handler as its third argument: the key and the writes made through
 * `tx` commit together, or roll back together when the handler throws.
 */
export interface TransactionalStore<Tx> extends DedupStore {
  transaction<T>(key: string, retentionMs: number, leaseMs: number, work: (tx: Tx) => Promise<T> | T): Promise<TransactionOutcome<T>>;
}

export interface MemoryStoreOptions {
  /** At most this many keys (default 100,000); past it, those closest to expiry are forgotten. */
  maxEntries?: number;
  /** About this many bytes (default 32 MiB). */
  maxBytes?: number;
  /** The clock, in milliseconds (default `Date.now`). */
  now?: () => number;
}

/** A memory store: a DedupStore that reports what it holds (for monitoring the bound). */
export interface MemoryStore extends DedupStore {
  readonly kind: 'memory';
  /** Keys remembered (expired ones included until they are swept). */
  readonly size: number;
  /** Bytes accounted for. */
  readonly bytes: number;
}

/** One process's memory, bounded, with expiry: for a single receiver process. */
export declare function memoryStore(options?: MemoryStoreOptions): MemoryStore;

/** A Redis client as node-redis (`sendCommand`) or ioredis (`call`) provides it. */
export type RedisClient = { sendCommand(args: string[]): Promise<unknown> } | { call(...args: (string | number)[]): Promise<unknown> };

/** Shared by every process using the same Redis (atomic Lua claims with a per-claim token). */
export declare function redisStore(client: RedisClient, options?: { prefix?: string }): DedupStore;

/** A Durable Object namespace binding, as Workers give it (`env.DEDUP`). */
export interface DurableObjectNamespaceLike {
  idFromName(name: string): unknown;
  get(id: any): { fetch(input: string, init?: RequestInit): Promise<Response> };
}

/**
 * Shared by every Worker isolate: one Durable Object per dedup key. Bind `PayhookDedupObject`
 * (exported from your Worker) and pass the binding.
 */
export declare function durableObjectStore(namespace: DurableObjectNamespaceLike): DedupStore;

/**
 * The Durable Object class that holds one dedup key: `export { PayhookDedupObject } from
 * 'payhook'` in your Worker, and bind it in wrangler.toml.
 */
export declare class PayhookDedupObject {
  constructor(state: { storage: unknown }, env?: unknown);
  fetch(request: Request): Promise<Response>;
  alarm(): Promise<void>;
}

/** What the store needs of a KV atomic operation (`Deno.AtomicOperation` has it). */
export interface DenoAtomicLike {
  check(...checks: { key: any; versionstamp: string | null }[]): unknown;
  set(key: any, value: unknown, options?: { expireIn?: number }): unknown;
  delete(key: any): unknown;
  commit(): Promise<{ ok: boolean; versionstamp?: string }>;
}

/** A Deno KV database, as `await Deno.openKv()` gives it. */
export interface DenoKvLike {
  get(key: any): Promise<{ value: unknown; versionstamp: string | null }>;
  atomic(): DenoAtomicLike;
}

/**
 * A transactional dedup store on Deno KV. `handle()` claims the key for `leaseMs` (concurrent
 * copies get 409 and do not run the handler), then passes the handler, as `tx`, the atomic
 * operation (`Deno.AtomicOperation`) that checks the claim and marks the key done: the
 * handler's mutations on it (`set`, `delete`, `sum`, `enqueue`, its own `check`s) commit with
 * the key, or not at all. Do not `commit()` it yourself (500, nothing written).
 */
export interface DenoKvStore<Op> extends TransactionalStore<Op> {
  readonly kind: 'deno-kv';
}

/** Shared by every Deno process or Deno Deploy isolate on the same KV (atomic checks); `tx` is the KV's atomic operation type. */
export declare function denoKvStore<K extends DenoKvLike>(kv: K, options?: { prefix?: readonly (string | number | bigint | boolean)[] }): DenoKvStore<ReturnType<K['atomic']>>;

export interface R2ReceiverOptions extends ReceiverOptions {
  /** R2's `jwtSecret`; several during a rotation (up to 16, of up to 4,096 bytes each). */
  secrets: Secret | readonly Secret[];
  /**
   * How old a signed `event.event_time` may be, in milliseconds (default 14 days; from R2's
   * retry window, 30 h 23 min 30 s, to 90 days, else `argument_invalid`). An older event, or
   * one more than 5 minutes in the future, is `event_stale`: answered 200 (so R2 stops
   * retrying) and never handled.
   */
  replayWindowMs?: number;
  /**
   * The receiver's clock, in milliseconds since the epoch (default `Date.now`), read once per
   * delivery; a reading outside 2001–2100 (a clock in seconds, say) is `argument_invalid`.
   */
  now?: () => number;
}

export interface BelvoReceiverOptions extends ReceiverOptions {
  /** The `Authorization` value(s) registered with Belvo (up to 16, of up to 4,096 bytes each). Without one, `allowlist` is required. */
  authorization?: string | readonly string[];
  /** The receiver's clock, in milliseconds since the epoch (default `Date.now`). Belvo sends no event time. */
  now?: () => number;
}

/** The answer to send, as plain parts (for `node:http`, Express). */
export interface PlainResponse {
  status: number;
  headers: { 'content-type': string };
  body: string;
}

/** A delivery as plain parts: the raw body, the headers, and the socket peer. */
export interface DeliveryParts {
  body: Body;
  headers?: HeadersInput;
  peer?: PeerInput;
}

interface Received<R> {
  provider: 'r2' | 'belvo';
  /** What to send back: a Fetch `Response` for a Request, plain parts otherwise. */
  response: R;
}

export interface Accepted<E, R> extends Received<R> {
  ok: true;
  event: E;
  /** The event's content-derived key: a retry of the same event has the same one. */
  dedupKey: string;
  /** When an allowlist was checked. */
  clientIp?: ClientIp;
  /** R2: the secret that signed the body, and the header's encoding. */
  secretIndex?: number;
  encoding?: R2SignatureEncoding;
  /** Belvo: the `Authorization` value matched. */
  acceptedIndex?: number;
  scheme?: 'bearer' | 'basic';
  /** With a `dedup` store: whether this event was already handled. */
  duplicate?: boolean;
}

export interface Refused<R> extends Received<R> {
  ok: false;
  error: PayhookError;
}

export type Result<E, R> = Accepted<E, R> | Refused<R>;

export interface HandleContext<E> {
  /** The socket peer, for a Request in Deno or Bun. */
  peer?: PeerInput;
  /** Called with what the handler threw, or the store's complete() after it returned (default: console.error). */
  onError?: (error: unknown) => void;
  /**
   * Called when a stale R2 event (`event_stale`) was acknowledged with the success answer and
   * not handled (default: a console.warn), so that it is never silent.
   */
  onStale?: (error: PayhookError, result: Refused<Response | PlainResponse>) => void;
}

/**
 * A receiver's events are `E`; `Tx` is what its dedup store hands the handler as the third
 * argument: the transaction's client for a transactional store, else `undefined`.
 */
export interface Receiver<E, Tx = undefined> {
  readonly provider: 'r2' | 'belvo';
  /** The largest body accepted, in bytes (the `maxBytes` option; 1 MiB by default). */
  readonly maxBytes: number;
  /**
   * Checks the delivery and runs `handler` once per event (with a `dedup` store): a repeat
   * gets the provider's success answer without running it, a repeat that another receiver
   * is still handling gets 409 `delivery_in_progress`, and a handler that throws releases
   * its claim and gets 500 `handler_failed`, so the provider's retry is processed. A stale
   * R2 event (`event_stale`) gets the success answer and never runs it. With a transactional
   * store (`postgresStore`) the handler gets `tx` as its third argument: its writes through
   * `tx` commit with the event's key, or roll back with it when the handler throws.
   */
  handle(request: Request, handler: (event: E, result: Accepted<E, Response>, tx: Tx) => unknown, context?: HandleContext<E>): Promise<Response>;
  handle(parts: DeliveryParts, handler: (event: E, result: Accepted<E, PlainResponse>, tx: Tx) => unknown, context?: HandleContext<E>): Promise<PlainResponse>;
  /**
   * Checks one delivery: address, then signature or `Authorization`, then the payload, then
   * (R2) the signed `event_time` against the replay window.
   * A Fetch Request resolves (its body is read once, as bytes); pass the socket peer where
   * the runtime has one (Deno's `info`, Bun's `server.requestIP(req)`).
   * @throws {PayhookError} `argument_invalid` when the input is not a delivery, or its body
   *   was already read by something else.
   */
  receive(request: Request, context?: { peer?: PeerInput }): Promise<Result<E, Response>>;
  /** Plain parts give the result synchronously. */
  receive(parts: DeliveryParts): Result<E, PlainResponse>;
}

/**
 * A receiver for R2 deliveries.
 * @throws {PayhookError} `secret_invalid`, `allowlist_malformed`, `argument_invalid`
 */
export declare function r2Receiver<Tx = undefined>(options: R2ReceiverOptions & { dedup?: DedupStore | TransactionalStore<Tx> }): Receiver<import('./payloads.js').R2Event, Tx>;

/**
 * A receiver for Belvo deliveries: needs `authorization`, `allowlist`, or both.
 * @throws {PayhookError} `secret_invalid`, `allowlist_malformed`, `argument_invalid`
 */
export declare function belvoReceiver<Tx = undefined>(options: BelvoReceiverOptions & { dedup?: DedupStore | TransactionalStore<Tx> }): Receiver<import('./payloads.js').BelvoWebhook, Tx>;

export * from './postgres.js';
