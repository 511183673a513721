// Types of payhook/tools: inspection, captures and fixtures, in a wasm module of their own
// that a receiver never loads (the validator page and the CLI use it).
import type {
  Body, ClientIpSource, ErrorCode, HeadersInput, PeerInput, PlainResponse, R2SignatureEncoding, ReceiverOptions,
  Secret,
} from './index.js';
import type { BelvoWebhook, Issue, JsonObject, Provider, R2Event } from './payloads.js';

export interface InspectionInput extends ReceiverOptions {
  provider: 'r2' | 'belvo';
  body: Body;
  headers?: HeadersInput;
  peer?: PeerInput;
  /** R2: the secrets to try (none: the signature check fails with `secret_invalid`, as a receiver would refuse to start). */
  secrets?: Secret | readonly Secret[];
  /** Belvo: the accepted `Authorization` values (none: not checked; with no allowlist either, the verdict is `secret_invalid`). */
  authorization?: string | readonly string[];
  /** R2: the replay window, as for `r2Receiver` (default 14 days). */
  replayWindowMs?: number;
  /** When the delivery is judged, in milliseconds since the epoch (default `Date.now()`). */
  now?: number;
}

export interface CheckFailure {
  code: ErrorCode;
  message: string;
}

export interface Inspection {
  provider: 'r2' | 'belvo';
  /** What a receiver would do: the first failing check in its order decides. */
  verdict: 'accepted' | 'refused';
  error: (CheckFailure & { status: number }) | null;
  /** Every check, each run even when another failed. */
  checks: {
    address: { checked: boolean; ok: boolean | null; ip?: string; source?: ClientIpSource } & Partial<CheckFailure>;
    authenticity: {
      checked: boolean;
      ok: boolean | null;
      kind: 'signature' | 'authorization';
      secretIndex?: number;
      encoding?: R2SignatureEncoding;
      acceptedIndex?: number;
      scheme?: 'bearer' | 'basic';
    } & Partial<CheckFailure>;
    payload:
      | { ok: true; issues: []; event: R2Event | BelvoWebhook; summary: string; seen: string[] }
      | ({ ok: false; issues: Issue[] } & CheckFailure);
    /**
     * R2: the signed `event_time` against the replay window at `now` (`event_stale` when
     * outside it). Not checked for Belvo (it sends no time) or without a valid event_time.
     */
    freshness: { checked: boolean; ok: boolean | null } & Partial<CheckFailure>;
  };
  dedupKey: string | null;
  /** The answer a receiver would send. */
  response: PlainResponse;
}

/**
 * Every check of one delivery, each run even when another fails: why a delivery was (or
 * would be) refused. What the validator page and `payhook verify` show.
 * @throws {PayhookError} `argument_invalid`, `secret_invalid`, `allowlist_malformed`
 */
export declare function inspectDelivery(input: InspectionInput): Inspection;

export interface Capture {
  format: 'http' | 'curl';
  method: string;
  url: string;
  /** Lowercase names; repeated headers joined with `, `. */
  headers: Record<string, string>;
  body: string;
}

/**
 * A pasted raw HTTP request or `curl` command (bash quoting, `$'…'`, `-H`, `-d`/`--data*`,
 * `-u`, `-A`) as its parts.
 * @throws {PayhookError} `capture_malformed`
 */
export declare function parseCapture(text: string): Capture;

/**
 * A valid payload of that type, as a plain object in the provider's raw shape (before
 * parsing): `fixture('r2', 'financing_created')`, `fixture('belvo', 'CHARGES.STATUS_UPDATE')`.
 * @throws {PayhookError} `argument_invalid` for an unknown provider or name
 */
export declare function fixture(provider: Provider, name: string): JsonObject;

/** The names `fixture` accepts for a provider (none for an unknown provider). */
export declare function fixtureNames(provider: Provider): string[];
