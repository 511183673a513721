// Payload types of the payhook package: what `parseR2Event` and `parseBelvoWebhook` return,
// in the providers' own JSON shape (snake_case, as sent) plus payhook's `seen` list.
//
// Written by hand from the Rust models (`src/providers/{mod,r2,belvo}.rs`, serialised with
// `serde_wasm_bindgen`'s JSON-compatible serializer) and kept honest by two checks run
// against the installed package:
// - `js-tests/gen-payload-types.mjs` parses every fixture (and a few synthetic bodies) with
//   the package and writes a TypeScript file that assigns each result to these types, once
//   as users see them and once with every index signature removed (so a field Rust adds or
//   renames fails), asserts that the declared fields are exactly the fields Rust models, and
//   that the known event types, Belvo types and codes, `seen` values and issue codes are
//   exactly those the package produces;
// - `js-tests/payload-types.test.ts` compiles exhaustive handlers and misuse.
//
// # Unknown types and exhaustive switches
//
// Unknown event types parse (lenient mode) as an explicit "unknown" member whose discriminant
// is, at run time, any string. TypeScript cannot express "a string other than these", and a
// member whose discriminant is `string` (or `string & {}`, or a `string & { brand }`
// intersection) either stays in every `case` or stops the union from being discriminated at
// all. So the unknown members' discriminants are typed with an opaque *enum literal*
// (`UnknownR2EventType`, `UnknownBelvoWebhookType`, `UnknownBelvoWebhookCode`): a unit type
// that is a subtype of `string` but is comparable to no string literal. The effect:
//
//   switch (event.event_type) {
//     case 'financing_created': event.financing.disbursed_amount; break; // narrowed
//     ...every known type...
//     default: {
//       const unknown: UnknownR2Event = event;      // compiles only if every known type has
//       log(`new R2 type ${unknown.event_type}`);   // a case: the exhaustiveness check
//     }
//   }
//
// The enum is a type only: never use it as a value (`Undocumented.R2EventType` does not exist
// at run time). To compare an unknown type with a string, widen it first
// (`const type: string = event.event_type`). The parser guarantees the brand: a documented
// `event_type` always parses as its own member, never as the unknown one.
//
// Belvo has two discriminants. Switch on `webhook_code` first: each aggregation code
// (`historical_update`, …) is its own member whatever the type; the payment codes
// (`OBJECT_CREATED`, `STATUS_UPDATE`) leave the payment members, to switch on by
// `webhook_type`, plus the unknown pairs with a payment code (`ACCOUNTS`/`STATUS_UPDATE`).

import type { Body } from './index.js';

// ---------------------------------------------------------------------------------------------
// Shared

/**
 * Opaque discriminants of the unknown members. Type-only: there is no such object at run
 * time. Each stands for "any string that is not a documented value".
 */
declare enum Undocumented {
  R2EventType = '(an undocumented R2 event_type)',
  BelvoWebhookType = '(an undocumented Belvo webhook_type)',
  BelvoWebhookCode = '(an undocumented Belvo webhook_code)',
}

/** A JSON object kept whole (user `metadata`, undocumented objects, …). */
export interface JsonObject {
  [key: string]: unknown;
}

/** A money amount or a rate, as the JSON number it was (integer or decimal). */
export type Amount = number;

/** Unix time in seconds. R2 sends some as strings of digits: they arrive as numbers. */
export type UnixSeconds = number;

/** Every issue code the validator emits (`Issue.code`). */
export type IssueCode =
  // the payload's fields (`payload_invalid`, `unknown_event_type`)
  | 'missing'
  | 'wrong_type'
  | 'invalid_value'
  | 'unknown_field'
  | 'unknown_event_type'
  | 'duplicate_key'
  // the body itself (`payload_not_json`, `payload_too_large`); `wrong_type` too, at `""`,
  // when the top level is not an object
  | 'too_large'
  | 'bom'
  | 'invalid_utf8'
  | 'empty'
  | 'too_deep'
  | 'number_out_of_range'
  | 'syntax';

/** One problem found in a payload. */
export interface Issue {
  /** Where: a JSON Pointer (RFC 6901) into the body; `""` is the whole body. */
  path: string;
  /** What, as a stable snake_case code. */
  code: IssueCode;
  /** A human-readable explanation. */
  message: string;
  /** What was expected, when that can be said briefly. */
  expected?: string;
  /** What was found (a JSON type, or a value cut to 64 characters). */
  found?: string;
}

/** The error codes a payload can be refused with (a subset of `ErrorCode`). */
export type PayloadErrorCode = 'payload_invalid' | 'payload_not_json' | 'payload_too_large' | 'unknown_event_type';

/** How to parse a body. */
export interface PayloadOptions {
  /**
   * Refuse undocumented event types (`unknown_event_type`) and flag unknown fields
   * (`unknown_field`). Off by default: providers add types and fields without notice.
   */
  strict?: boolean;
  /** The largest body accepted, in bytes (default 1 MiB: 1048576). */
  maxBytes?: number;
}

/** Strict mode: the result never holds an unknown member. */
export interface StrictPayloadOptions extends PayloadOptions {
  strict: true;
}

/** A payload that passed: `value` is set, `issues` empty. */
export interface ValidationOk<T> {
  ok: true;
  value: T;
  issues: [];
  code: null;
}

/** A payload that did not: every issue found, and the code `parse…` would throw with. */
export interface ValidationFailed {
  ok: false;
  value: null;
  issues: Issue[];
  code: PayloadErrorCode;
}

/** What `validateR2Event` and `validateBelvoWebhook` return; narrow on `ok`. */
export type Validation<T> = ValidationOk<T> | ValidationFailed;

/** Which side of a documented contradiction (or which leniency) a payload used. */
export type Seen =
  /** R2 `event_time` was a string of digits (the walkthrough's form). */
  | 'event_time_as_string'
  /** R2 `event_time` was an integer (the callbacks page's form). */
  | 'event_time_as_integer'
  /** Another R2 time (`created_at`, `due_date`, `collected_at`) was a string of digits. */
  | 'timestamp_as_string'
  /** R2 `event_metadata` was absent (it is then `{}`). */
  | 'event_metadata_absent'
  /** Belvo `webhook_id` was 32 hex digits. */
  | 'webhook_id_hex'
  /** Belvo `webhook_id` was a dashed UUID. */
  | 'webhook_id_uuid'
  /** Belvo `external_id` was absent (older documents). */
  | 'external_id_absent'
  /** Belvo `external_id` was `null` (it is then absent from the parsed value). */
  | 'external_id_null'
  /** Belvo `external_id` was a string. */
  | 'external_id_present'
  /** A Belvo `failure_code` was upper case (`INSUFFICIENT_FUNDS`). */
  | 'failure_code_upper_case'
  /** A Belvo `failure_code` was lower case (`consent_expired`). */
  | 'failure_code_lower_case'
  /** A Belvo type/code pair the documents do not list together, parsed by its parts. */
  | 'undocumented_pair'
  /** An enumeration (status, currency, kind, …) had a value outside the documented list. */
  | 'unknown_value'
  /** Fields outside the model were present and kept (lenient mode). */
  | 'unknown_fields'
  /** A top-level member named like one payhook adds (`seen`, R2 `event_type`) was dropped. */
  | 'reserved_field_dropped';

/** A provider's delivery rules, in milliseconds. */
export interface DeliveryPolicy {
  /** The status to answer with (200). */
  ackStatus: number;
  /** Any status from `ackStatus` to this one counts (R2: 200 only; Belvo: 299). */
  ackMaxStatus: number;
  /** Text the answer's body must contain (R2: `R2 API Event Received`; Belvo: `''`, any). */
  ackBody: string;
  /** How long the provider waits for the answer (R2: 30 s; Belvo: 5 s). */
  ackWithinMs: number;
  /** The delay before each retry, after the previous attempt. */
  retryDelaysMs: number[];
  /** How long one attempt may take before it counts as failed. */
  attemptTimeoutMs: number;
  /** From the first attempt to the end of the last retry. */
  retryWindowMs: number;
  /** How long to remember a dedup key: the retry window plus one day. */
  dedupRetentionMs: number;
}

/** The providers payhook knows. */
export type Provider = 'r2' | 'belvo';

// ---------------------------------------------------------------------------------------------
// R2

/** A financing's currency; others may come. */
export type Currency = 'COP' | 'MXN' | 'CLP' | (string & {});
/** `financing_kind`. */
export type FinancingKind = 'REGULAR' | 'REFILL' | (string & {});
/** A financing's `status`. */
export type FinancingStatus = 'INITIALIZED' | 'ACTIVE' | 'PAID' | (string & {});
/** `collection_kind`, on `direct_payment_created`. */
export type CollectionKind = 'DIRECT' | 'REFILL' | (string & {});

/** The event types that carry a `financing` object. */
export type FinancingEventType =
  | 'financing_created'
  | 'financing_paused'
  | 'financing_resumed'
  | 'financing_paid'
  | 'financing_active'
  | 'financing_canceled'
  | 'financing_interest_charged'
  | 'financing_paid_by_insurance'
  | 'financing_paused_by_insurance'
  | 'financing_write_off';

/** The event types that carry a `collection` object. */
export type CollectionEventType =
  | 'direct_payment_created'
  | 'collection_created'
  | 'collection_rejected'
  | 'collection_returned'
  | 'collection_returned_by_insurance'
  | 'direct_payment_created_by_insurance';

/** Every documented R2 `event_type`. */
export type KnownR2EventType = FinancingEventType | CollectionEventType | 'retention_created' | 'application_created';

/** An `event_type` outside `KnownR2EventType` (opaque: see the top of this file). */
export type UnknownR2EventType = Undocumented.R2EventType;

/** `event.event_metadata`. Always present in a parsed event (`{}` when it was absent). */
export interface EventMetadata {
  /** Why it happened (`CAP reached` on a pause, the reason of a rejection). */
  reason?: string;
  /** Members outside the model. */
  [key: string]: unknown;
}

/** The `event` object every R2 payload carries. */
export interface Envelope<T extends string = KnownR2EventType | UnknownR2EventType> {
  /** Unix seconds. Sent as a string (walkthrough) or an integer (callbacks page). */
  event_time: UnixSeconds;
  /** As sent. */
  event_type: T;
  event_metadata: EventMetadata;
  /** Members outside the model. */
  [key: string]: unknown;
}

/** The `financing` object. */
export interface Financing {
  financing_id: string;
  disbursed_amount?: Amount;
  total_repayment_amount?: Amount;
  /** A percentage (`17.36`) or a fraction (`0.14`): the documents disagree; kept as sent. */
  repayment_rate?: Amount;
  currency?: Currency;
  created_at?: UnixSeconds;
  status?: FinancingStatus;
  due_date?: UnixSeconds;
  external_merchant_id?: string;
  financing_kind?: FinancingKind;
  fixed_fee?: Amount;
  /** The partner's own data, kept whole. */
  metadata?: JsonObject;
  /** Kept whole. */
  custom_fields?: unknown[];
  requester_email_address?: string;
  /** Members outside the model. */
  [key: string]: unknown;
}

/** The `collection` object as modelled: `collection_id` is absent on `collection_rejected`. */
export interface Collection {
  collection_id?: string;
  financing_id: string;
  partner_collection_id?: string;
  /** Negative on `collection_returned` (a refund). */
  repayment_amount?: Amount;
  collected_at?: UnixSeconds;
  created_at?: UnixSeconds;
  remaining_balance?: Amount;
  /** On `direct_payment_created`. */
  original_repayment_amount?: Amount;
  /** On `direct_payment_created`. */
  collection_kind?: CollectionKind;
  /** Required on `collection_returned`. */
  related_collection_id?: string;
  /** Members outside the model. */
  [key: string]: unknown;
}

/** A collection that was created: every collection event but `collection_rejected`. */
export interface CreatedCollection extends Collection {
  collection_id: string;
}

/** The collection of `collection_returned`: it names the collection it refunds. */
export interface ReturnedCollection extends CreatedCollection {
  related_collection_id: string;
}

/** The retention object: undocumented, only its id is typed, every member kept. */
export interface Retention {
  retention_id?: string;
  [key: string]: unknown;
}

/** The `application` object: undocumented, only its id is typed, every member kept. */
export interface Application {
  application_id?: string;
  [key: string]: unknown;
}

/** The `payment` object some payloads may carry: undocumented, every member kept. */
export interface Payment {
  payment_id?: string;
  [key: string]: unknown;
}

/** What every known R2 event has. `event_type` is payhook's copy of `event.event_type`. */
export interface R2EventBase<T extends KnownR2EventType> {
  event_type: T;
  event: Envelope<T>;
  /** A `payment` object, if the event carries one. */
  payment?: Payment;
  /** Which documented variants this payload used. */
  seen: Seen[];
  /** Top-level members outside the model. */
  [key: string]: unknown;
}

/** A payload with a `financing` object. */
export interface FinancingEvent<T extends FinancingEventType = FinancingEventType> extends R2EventBase<T> {
  financing: Financing;
}

/** A payload with a `collection` object. */
export interface CollectionEvent<
  T extends CollectionEventType = CollectionEventType,
  C extends Collection = Collection,
> extends R2EventBase<T> {
  collection: C;
}

/** Collections totalled over a period, under `retention`. */
export interface RetentionEvent extends R2EventBase<'retention_created'> {
  retention: Retention;
}

/** An application was created. */
export interface ApplicationEvent extends R2EventBase<'application_created'> {
  application: Application;
}

/** A new financing was created. */
export type FinancingCreated = FinancingEvent<'financing_created'>;
/** Charges on the financing stopped (`event_metadata.reason`: `CAP reached`, …). */
export type FinancingPaused = FinancingEvent<'financing_paused'>;
/** Charges resumed. */
export type FinancingResumed = FinancingEvent<'financing_resumed'>;
/** The financing was repaid. */
export type FinancingPaid = FinancingEvent<'financing_paid'>;
/** A paid financing was re-activated (not deployed to production). */
export type FinancingActive = FinancingEvent<'financing_active'>;
/** The financing was canceled (not deployed to production). */
export type FinancingCanceled = FinancingEvent<'financing_canceled'>;
/** Changelog: interest was charged on the financing. */
export type FinancingInterestCharged = FinancingEvent<'financing_interest_charged'>;
/** Changelog: the insurer repaid the financing. */
export type FinancingPaidByInsurance = FinancingEvent<'financing_paid_by_insurance'>;
/** Changelog: charges paused by the insurer. */
export type FinancingPausedByInsurance = FinancingEvent<'financing_paused_by_insurance'>;
/** Changelog: the financing was written off. */
export type FinancingWriteOff = FinancingEvent<'financing_write_off'>;
/** A direct payment was reported to R2. */
export type DirectPaymentCreated = CollectionEvent<'direct_payment_created', CreatedCollection>;
/** A collection was created (not deployed to production). */
export type CollectionCreated = CollectionEvent<'collection_created', CreatedCollection>;
/** A collection was not created (no `collection_id`); `event_metadata.reason` says why. */
export type CollectionRejected = CollectionEvent<'collection_rejected', Collection>;
/** A collection was refunded in whole or part: negative `repayment_amount`. */
export type CollectionReturned = CollectionEvent<'collection_returned', ReturnedCollection>;
/** Changelog: a collection returned by the insurer. */
export type CollectionReturnedByInsurance = CollectionEvent<'collection_returned_by_insurance', CreatedCollection>;
/** Changelog: a direct payment made by the insurer. */
export type DirectPaymentCreatedByInsurance = CollectionEvent<'direct_payment_created_by_insurance', CreatedCollection>;
/** Collections totalled over a period (not deployed to production). */
export type RetentionCreated = RetentionEvent;
/** An application was created (the walkthrough's second example). */
export type ApplicationCreated = ApplicationEvent;

/**
 * An event type payhook does not know (lenient mode only): the envelope, and every other
 * top-level member as sent.
 */
export interface UnknownR2Event {
  /** The type as sent: any string outside `KnownR2EventType`. */
  event_type: UnknownR2EventType;
  event: Envelope<UnknownR2EventType>;
  /** Which documented variants this payload used. */
  seen: Seen[];
  /** Every other top-level member, as sent. */
  [key: string]: unknown;
}

/** An R2 event of a documented type. */
export type KnownR2Event =
  | FinancingCreated
  | FinancingPaused
  | FinancingResumed
  | FinancingPaid
  | FinancingActive
  | FinancingCanceled
  | DirectPaymentCreated
  | CollectionCreated
  | CollectionRejected
  | CollectionReturned
  | RetentionCreated
  | ApplicationCreated
  | CollectionReturnedByInsurance
  | DirectPaymentCreatedByInsurance
  | FinancingInterestCharged
  | FinancingPaidByInsurance
  | FinancingPausedByInsurance
  | FinancingWriteOff;

/** A parsed R2 event: discriminated by `event_type` (see the top of this file). */
export type R2Event = KnownR2Event | UnknownR2Event;

/** The member of one documented type: `R2EventOf<'financing_paid'>`. */
export type R2EventOf<T extends KnownR2EventType> = Extract<KnownR2Event, { event_type: T }>;

// ---------------------------------------------------------------------------------------------
// Belvo

/** The `webhook_type`s of payment webhooks (with code `OBJECT_CREATED` or `STATUS_UPDATE`). */
export type PaymentWebhookType =
  | 'BANK_ACCOUNTS'
  | 'PAYMENT_INTENTS'
  | 'TRANSACTIONS'
  | 'CHARGES'
  | 'ENROLLMENTS'
  | 'PAYMENT_AUTHORIZATIONS'
  | 'CUSTOMERS';

/** Every documented `webhook_type` (`TRANSACTIONS` is both payments and aggregation). */
export type KnownBelvoWebhookType = PaymentWebhookType | 'ACCOUNTS' | 'BILLS' | 'LINKS' | 'CONSENTS';

/** A documented `webhook_type` or any other string. */
export type BelvoWebhookType = KnownBelvoWebhookType | (string & {});

/** A `webhook_type` outside `KnownBelvoWebhookType` (opaque: see the top of this file). */
export type UnknownBelvoWebhookType = Undocumented.BelvoWebhookType;

/** The payment codes (upper case). */
export type PaymentWebhookCode = 'OBJECT_CREATED' | 'STATUS_UPDATE';

/** The aggregation and enrichment codes (lower case): each is its own member. */
export type AggregationWebhookCode =
  | 'historical_update'
  | 'new_accounts_available'
  | 'new_transactions_available'
  | 'transactions_updated'
  | 'transactions_deleted'
  | 'invalid_credentials'
  | 'token_required'
  | 'consent_expired'
  | 'openfinance_consent_expired';

/** Every documented `webhook_code`. */
export type KnownBelvoWebhookCode = PaymentWebhookCode | AggregationWebhookCode;

/** A `webhook_code` outside `KnownBelvoWebhookCode` (opaque: see the top of this file). */
export type UnknownBelvoWebhookCode = Undocumented.BelvoWebhookCode;

/** A payment intent's `status`. */
export type PaymentIntentStatus =
  | 'REQUIRES_PAYMENT_METHOD'
  | 'REQUIRES_ACTION'
  | 'PROCESSING'
  | 'SCHEDULED'
  | 'SCHEDULE_FINISHED'
  | 'SUCCEEDED'
  | 'CANCELED'
  | 'FAILED'
  | (string & {});

/** A charge's `status`. */
export type ChargeStatus = 'CREATED' | 'PENDING' | 'SCHEDULED' | 'SUCCEEDED' | 'CANCELED' | 'FAILED' | (string & {});

/** `process_type` of aggregation webhooks. */
export type ProcessType = 'historical_update' | 'recurrent_update' | (string & {});

/**
 * A `failure_code`, kept as sent: Belvo writes some upper case (`INSUFFICIENT_FUNDS`) and
 * some lower (`consent_expired`), so compare case-insensitively.
 */
export type FailureCode = string;

/** `data` of a payment webhook: every field optional. */
export interface PaymentData<S extends string = string> {
  status?: S;
  /** When the payment failed. */
  failure_code?: FailureCode;
  /** When the payment failed: human-readable. */
  failure_message?: string;
  /** The payment's id in Brazil's payment system (Pix). */
  end_to_end_id?: string;
  /** The `metadata` given when the payment was created, kept whole. */
  metadata?: JsonObject;
  /** Members outside the model. */
  [key: string]: unknown;
}

/** What every Belvo webhook has. */
export interface BelvoWebhookBase {
  /**
   * The registered webhook's id, the same for every delivery to it (not a delivery id):
   * 32 hex digits or a dashed UUID.
   */
  webhook_id: string;
  /** Which documented variants this payload used. */
  seen: Seen[];
  /** Top-level members outside the model. */
  [key: string]: unknown;
}

/** A payment initiation webhook. */
export interface PaymentWebhook<T extends PaymentWebhookType = PaymentWebhookType, S extends string = string>
  extends BelvoWebhookBase {
  webhook_type: T;
  /** The documented code of the type, or the other payment code (`undocumented_pair`). */
  webhook_code: PaymentWebhookCode;
  /** The charge, payment intent, transaction, … this is about. */
  object_id: string;
  /** Absent when it was `null` or absent (`seen` says which). */
  external_id?: string;
  data: PaymentData<S>;
}

/** An aggregation or enrichment webhook; `D` is the code's `data`. */
export interface AggregationWebhook<C extends AggregationWebhookCode = AggregationWebhookCode, D = unknown>
  extends BelvoWebhookBase {
  /** Any type: the code decides the member (`undocumented_pair` when not the documented one). */
  webhook_type: BelvoWebhookType;
  webhook_code: C;
  /** The link the data belongs to. */
  link_id: string;
  /** The request that triggered the update. */
  request_id?: string;
  process_type?: ProcessType;
  /** Absent when it was `null` or absent (`seen` says which). */
  external_id?: string;
  data: D;
}

/** `data` of `historical_update`: which counts depend on the type. */
export interface HistoricalUpdateData {
  total_accounts?: number;
  total_transactions?: number;
  total_inflow_transactions?: number;
  total_outflow_transactions?: number;
  /** A date, as sent (`2023-01-31`). */
  first_transaction_date?: string;
  /** A date, as sent. */
  last_transaction_date?: string;
  total_bills?: number;
  /** Other counts (`total_owners`, …). */
  [key: string]: unknown;
}

/** `data` of `new_accounts_available`. */
export interface NewAccountsData {
  /** How many accounts were found. */
  new_accounts?: number;
  /** Members outside the model. */
  [key: string]: unknown;
}

/** `data` of the transaction-change codes: undocumented, kept whole. */
export type OpenData = JsonObject;

/** `data` of `invalid_credentials` and `token_required`. */
export interface LinkErrorData {
  error_code?: string;
  error_message?: string;
  /** The link's new status. */
  status?: string;
  /** Members outside the model. */
  [key: string]: unknown;
}

/** `data` of `consent_expired` and `openfinance_consent_expired`. */
export interface ConsentData {
  consent_id?: string;
  /** What the user must do. */
  action?: string;
  institution?: string;
  /** Members outside the model. */
  [key: string]: unknown;
}

/** BANK_ACCOUNTS / OBJECT_CREATED (Colombia). */
export type BankAccountsWebhook = PaymentWebhook<'BANK_ACCOUNTS'>;
/** PAYMENT_INTENTS / STATUS_UPDATE. */
export type PaymentIntentsWebhook = PaymentWebhook<'PAYMENT_INTENTS', PaymentIntentStatus>;
/** TRANSACTIONS / OBJECT_CREATED (and the seeds' STATUS_UPDATE). */
export type TransactionsWebhook = PaymentWebhook<'TRANSACTIONS'>;
/** CHARGES / STATUS_UPDATE (Brazil). */
export type ChargesWebhook = PaymentWebhook<'CHARGES', ChargeStatus>;
/** ENROLLMENTS (newer). */
export type EnrollmentsWebhook = PaymentWebhook<'ENROLLMENTS'>;
/** PAYMENT_AUTHORIZATIONS (newer). */
export type PaymentAuthorizationsWebhook = PaymentWebhook<'PAYMENT_AUTHORIZATIONS'>;
/** CUSTOMERS (newer). */
export type CustomersWebhook = PaymentWebhook<'CUSTOMERS'>;
/** `historical_update`, any aggregation type. */
export type HistoricalUpdateWebhook = AggregationWebhook<'historical_update', HistoricalUpdateData>;
/** ACCOUNTS / `new_accounts_available`. */
export type NewAccountsAvailableWebhook = AggregationWebhook<'new_accounts_available', NewAccountsData>;
/** TRANSACTIONS / `new_transactions_available`. */
export type NewTransactionsAvailableWebhook = AggregationWebhook<'new_transactions_available', OpenData>;
/** TRANSACTIONS / `transactions_updated`. */
export type TransactionsUpdatedWebhook = AggregationWebhook<'transactions_updated', OpenData>;
/** TRANSACTIONS / `transactions_deleted`. */
export type TransactionsDeletedWebhook = AggregationWebhook<'transactions_deleted', OpenData>;
/** LINKS / `invalid_credentials`. */
export type InvalidCredentialsWebhook = AggregationWebhook<'invalid_credentials', LinkErrorData>;
/** LINKS / `token_required`. */
export type TokenRequiredWebhook = AggregationWebhook<'token_required', LinkErrorData>;
/** CONSENTS / `consent_expired`. */
export type ConsentExpiredWebhook = AggregationWebhook<'consent_expired', ConsentData>;
/** CONSENTS / `openfinance_consent_expired`. */
export type OpenfinanceConsentExpiredWebhook = AggregationWebhook<'openfinance_consent_expired', ConsentData>;

/** The shape of an unknown Belvo webhook: the envelope, and the rest as sent. */
export interface UnknownWebhookShape<T extends string, C extends string> extends BelvoWebhookBase {
  webhook_type: T;
  webhook_code: C;
}

/**
 * A type and code payhook does not know (lenient mode only): a payment code with a type
 * that has no payment webhooks (`ACCOUNTS`/`STATUS_UPDATE`) or an undocumented type, or an
 * undocumented code with any type. Every other top-level member is kept as sent (an
 * `external_id: null` stays `null` here).
 */
export type UnknownBelvoWebhook =
  | UnknownWebhookShape<Exclude<KnownBelvoWebhookType, PaymentWebhookType> | UnknownBelvoWebhookType, PaymentWebhookCode>
  | UnknownWebhookShape<KnownBelvoWebhookType | UnknownBelvoWebhookType, UnknownBelvoWebhookCode>;

/** A Belvo webhook of a documented type and code. */
export type KnownBelvoWebhook =
  | BankAccountsWebhook
  | PaymentIntentsWebhook
  | TransactionsWebhook
  | ChargesWebhook
  | EnrollmentsWebhook
  | PaymentAuthorizationsWebhook
  | CustomersWebhook
  | HistoricalUpdateWebhook
  | NewAccountsAvailableWebhook
  | NewTransactionsAvailableWebhook
  | TransactionsUpdatedWebhook
  | TransactionsDeletedWebhook
  | InvalidCredentialsWebhook
  | TokenRequiredWebhook
  | ConsentExpiredWebhook
  | OpenfinanceConsentExpiredWebhook;

/**
 * A parsed Belvo webhook, discriminated by `webhook_code` (aggregation) and then
 * `webhook_type` (payments): see the top of this file.
 */
export type BelvoWebhook = KnownBelvoWebhook | UnknownBelvoWebhook;

// ---------------------------------------------------------------------------------------------
// Functions

/**
 * Parses and validates an R2 callback body: the raw bytes, after the signature check.
 * Undocumented event types parse as `UnknownR2Event` unless `strict` is set.
 * @throws {PayhookError} `payload_invalid` (every problem in `issues`), `payload_not_json`,
 *   `payload_too_large`, `unknown_event_type` (strict mode), `argument_invalid` (a body or
 *   options of the wrong type)
 */
export declare function parseR2Event(body: Body, options: StrictPayloadOptions): KnownR2Event;
export declare function parseR2Event(body: Body, options?: PayloadOptions): R2Event;

/**
 * Like `parseR2Event`, but returns every issue instead of throwing for a bad payload.
 * @throws {PayhookError} `argument_invalid` only (a body or options of the wrong type)
 */
export declare function validateR2Event(body: Body, options: StrictPayloadOptions): Validation<KnownR2Event>;
export declare function validateR2Event(body: Body, options?: PayloadOptions): Validation<R2Event>;

/**
 * Parses and validates a Belvo webhook body, after the `Authorization` check. Undocumented
 * type/code pairs parse as `UnknownBelvoWebhook` unless `strict` is set.
 * @throws {PayhookError} `payload_invalid` (every problem in `issues`), `payload_not_json`,
 *   `payload_too_large`, `unknown_event_type` (strict mode), `argument_invalid` (a body or
 *   options of the wrong type)
 */
export declare function parseBelvoWebhook(body: Body, options: StrictPayloadOptions): KnownBelvoWebhook;
export declare function parseBelvoWebhook(body: Body, options?: PayloadOptions): BelvoWebhook;

/**
 * Like `parseBelvoWebhook`, but returns every issue instead of throwing for a bad payload.
 * @throws {PayhookError} `argument_invalid` only (a body or options of the wrong type)
 */
export declare function validateBelvoWebhook(body: Body, options: StrictPayloadOptions): Validation<KnownBelvoWebhook>;
export declare function validateBelvoWebhook(body: Body, options?: PayloadOptions): Validation<BelvoWebhook>;

/**
 * A short key, the same for every delivery of one event and different between events:
 * `<provider>:<kind>:<22 chars>` (`r2:financing_paid:Xq3…`, `belvo:CHARGES.STATUS_UPDATE:…`),
 * derived from the content (neither provider sends a delivery id; Belvo's `webhook_id` is
 * left out). Remember it for `deliveryPolicy(provider).dedupRetentionMs`.
 * @throws {PayhookError} `argument_invalid` for a value that is not a parsed event
 */
export declare function dedupKey(event: R2Event | BelvoWebhook): string;

/**
 * A valid payload of that type, as a plain object in the provider's raw shape (before
 * parsing): `fixture('r2', 'financing_created')`, `fixture('belvo', 'CHARGES.STATUS_UPDATE')`.
 * @throws {PayhookError} `argument_invalid` for an unknown provider or name
 */
export declare function fixture(provider: Provider, name: string): JsonObject;

/** The names `fixture` accepts for a provider (none for an unknown provider). */
export declare function fixtureNames(provider: Provider): string[];

/**
 * How to answer a provider's deliveries, its retry schedule, and how long to remember
 * dedup keys.
 * @throws {PayhookError} `argument_invalid` for an unknown provider
 */
export declare function deliveryPolicy(provider: Provider): DeliveryPolicy;

// `PayhookError`s thrown for a payload carry every issue found.
// Only the declarations marked `export` are exported (`Undocumented` stays private).
export {};
