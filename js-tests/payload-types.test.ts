// Compiled by `tsc --strict --noEmit` against the installed package (see
// js-tests/gen-payload-types.mjs for the fixture-driven half of the check): handlers that
// switch exhaustively over every documented R2 event type and Belvo type/code must compile,
// each branch reading a field only its member has; misuse must not (`@ts-expect-error`).
//
// The pattern: `switch` on the discriminant, one `case` per documented value, and in
// `default` assign the value to the unknown member's type. That assignment is the
// exhaustiveness check: it compiles only when every documented member has been handled,
// because the unknown members' discriminants are opaque (see npm/payloads.d.ts).
import {
  dedupKey, deliveryPolicy, parseBelvoWebhook, parseR2Event, PayhookError,
  validateBelvoWebhook, validateR2Event,
} from 'payhook';
import { fixture, fixtureNames } from 'payhook/tools';
import type {
  BelvoWebhook, Body, ChargeStatus, Currency, DeliveryPolicy, ErrorCode, Issue, IssueCode, JsonObject,
  KnownBelvoWebhook, KnownR2Event, KnownR2EventType, PaymentIntentStatus, R2Event, R2EventOf, Seen,
  UnknownBelvoWebhook, UnknownR2Event, Validation,
} from 'payhook';

declare const raw: Uint8Array;
declare const buffer: ArrayBuffer;
declare const request: Request;
declare function log(line: string): void;

// --- R2 ----------------------------------------------------------------------------------------

/** Every documented type gets its own branch; `default` gets only the unknown member. */
function handleR2(event: R2Event): string {
  switch (event.event_type) {
    case 'financing_created': {
      const amount: number | undefined = event.financing.disbursed_amount;
      const currency: Currency | undefined = event.financing.currency;
      // @ts-expect-error a financing event has no `collection` (it is `unknown`, an extra)
      const wrong: string = event.collection.collection_id;
      return `created ${amount} ${currency} ${wrong}`;
    }
    case 'financing_paused':
    case 'financing_paused_by_insurance':
      return `paused ${event.financing.financing_id}: ${event.event.event_metadata.reason ?? '?'}`;
    case 'financing_resumed':
      return `resumed ${event.financing.status ?? ''}`;
    case 'financing_paid':
    case 'financing_paid_by_insurance':
      return `paid ${event.financing.total_repayment_amount ?? 0}`;
    case 'financing_active':
      return `active ${event.financing.due_date ?? 0}`;
    case 'financing_canceled':
      return `canceled ${event.financing.financing_kind ?? ''}`;
    case 'financing_interest_charged':
      return `interest ${event.financing.repayment_rate ?? 0} ${event.financing.fixed_fee ?? 0}`;
    case 'financing_write_off': {
      // @ts-expect-error `repayment_amount` is a collection field: on a financing it is `unknown`
      const wrong: number = event.financing.repayment_amount;
      return `written off ${event.financing.financing_id} ${wrong}`;
    }
    case 'direct_payment_created':
    case 'direct_payment_created_by_insurance': {
      const id: string = event.collection.collection_id;
      return `direct ${id} ${event.collection.original_repayment_amount ?? 0} ${event.collection.collection_kind ?? ''}`;
    }
    case 'collection_created': {
      const id: string = event.collection.collection_id;
      return `collected ${id} ${event.collection.collected_at ?? 0}`;
    }
    case 'collection_rejected': {
      // @ts-expect-error a rejected collection has no `collection_id` (it is optional here)
      const id: string = event.collection.collection_id;
      return `rejected ${id} ${event.event.event_metadata.reason ?? ''}`;
    }
    case 'collection_returned': {
      const related: string = event.collection.related_collection_id;
      return `returned ${related} ${event.collection.repayment_amount ?? 0}`;
    }
    case 'collection_returned_by_insurance': {
      const related: string | undefined = event.collection.related_collection_id;
      // @ts-expect-error `related_collection_id` is only required on `collection_returned`
      const required: string = event.collection.related_collection_id;
      return `returned by insurance ${related} ${required}`;
    }
    case 'retention_created':
      return `retention ${event.retention.retention_id ?? ''}`;
    case 'application_created':
      return `application ${event.application.application_id ?? ''}`;
    default: {
      const unknown: UnknownR2Event = event;
      const type: string = unknown.event_type;
      // @ts-expect-error an unknown type is none of the documented ones: compare it as a string
      if (unknown.event_type === 'financing_created') log('unreachable');
      return `unknown ${type} at ${unknown.event.event_time}`;
    }
  }
}

/** Forgetting a documented type is a compile error in `default`. */
function forgetsOne(event: R2Event): string {
  switch (event.event_type) {
    case 'financing_created':
    case 'financing_paused':
    case 'financing_resumed':
    case 'financing_paid':
    case 'financing_active':
    case 'financing_canceled':
    case 'financing_interest_charged':
    case 'financing_paid_by_insurance':
    case 'financing_paused_by_insurance':
      return event.financing.financing_id;
    case 'direct_payment_created':
    case 'collection_created':
    case 'collection_rejected':
    case 'collection_returned':
    case 'collection_returned_by_insurance':
    case 'direct_payment_created_by_insurance':
      return event.collection.financing_id;
    case 'retention_created':
    case 'application_created':
      return event.event_type;
    default: {
      // @ts-expect-error `financing_write_off` is not handled, so it reaches `default`
      const unknown: UnknownR2Event = event;
      return unknown.event_type;
    }
  }
}

/** Strict mode returns only documented members: `never` is the exhaustiveness check. */
function handleStrictR2(body: Body): KnownR2EventType {
  const event: KnownR2Event = parseR2Event(body, { strict: true });
  switch (event.event_type) {
    case 'financing_created':
    case 'financing_paused':
    case 'financing_resumed':
    case 'financing_paid':
    case 'financing_active':
    case 'financing_canceled':
    case 'financing_interest_charged':
    case 'financing_paid_by_insurance':
    case 'financing_paused_by_insurance':
    case 'financing_write_off':
    case 'direct_payment_created':
    case 'collection_created':
    case 'collection_rejected':
    case 'collection_returned':
    case 'collection_returned_by_insurance':
    case 'direct_payment_created_by_insurance':
    case 'retention_created':
    case 'application_created':
      return event.event_type;
    default: {
      const none: never = event;
      return none;
    }
  }
}

// --- Belvo ---------------------------------------------------------------------------------------

/** Switch on the code first (aggregation members), then on the type (payment members). */
function handleBelvo(hook: BelvoWebhook): string {
  switch (hook.webhook_code) {
    case 'historical_update':
      return `history ${hook.link_id} ${hook.data.total_accounts ?? hook.data.total_transactions ?? hook.data.total_bills ?? 0}`;
    case 'new_accounts_available':
      return `accounts ${hook.data.new_accounts ?? 0} ${hook.process_type ?? ''}`;
    case 'new_transactions_available':
    case 'transactions_updated':
    case 'transactions_deleted': {
      const data: JsonObject = hook.data;
      return `transactions ${hook.request_id ?? ''} ${Object.keys(data).length}`;
    }
    case 'invalid_credentials':
    case 'token_required':
      return `link ${hook.link_id}: ${hook.data.error_code ?? ''} ${hook.data.error_message ?? ''}`;
    case 'consent_expired':
    case 'openfinance_consent_expired': {
      // @ts-expect-error an aggregation webhook has no `object_id` (it is `unknown`, an extra)
      const wrong: string = hook.object_id;
      return `consent ${hook.data.consent_id ?? ''} ${hook.data.institution ?? ''} ${wrong}`;
    }
    case 'OBJECT_CREATED':
    case 'STATUS_UPDATE':
      switch (hook.webhook_type) {
        case 'PAYMENT_INTENTS': {
          const status: PaymentIntentStatus | undefined = hook.data.status;
          return `intent ${hook.object_id} ${status ?? ''} ${hook.data.failure_code ?? ''}`;
        }
        case 'CHARGES': {
          const status: ChargeStatus | undefined = hook.data.status;
          // @ts-expect-error `link_id` belongs to aggregation webhooks
          const wrong: string = hook.link_id;
          return `charge ${hook.object_id} ${status ?? ''} ${hook.data.end_to_end_id ?? ''} ${wrong}`;
        }
        case 'TRANSACTIONS':
        case 'BANK_ACCOUNTS':
        case 'ENROLLMENTS':
        case 'PAYMENT_AUTHORIZATIONS':
        case 'CUSTOMERS':
          return `${hook.webhook_type} ${hook.object_id} ${hook.external_id ?? '-'} ${hook.data.status ?? ''}`;
        default: {
          // A payment code with a type that has no payment webhooks (ACCOUNTS/STATUS_UPDATE).
          const unknown: UnknownBelvoWebhook = hook;
          const type: string = unknown.webhook_type;
          return `unknown pair ${type}`;
        }
      }
    default: {
      const unknown: UnknownBelvoWebhook = hook;
      const code: string = unknown.webhook_code;
      return `unknown code ${code} ${unknown.webhook_id}`;
    }
  }
}

/** Forgetting a payment type is a compile error in the inner `default`. */
function forgetsCharges(hook: BelvoWebhook): string {
  if (hook.webhook_code !== 'OBJECT_CREATED' && hook.webhook_code !== 'STATUS_UPDATE') return '';
  switch (hook.webhook_type) {
    case 'PAYMENT_INTENTS':
    case 'TRANSACTIONS':
    case 'BANK_ACCOUNTS':
    case 'ENROLLMENTS':
    case 'PAYMENT_AUTHORIZATIONS':
    case 'CUSTOMERS':
      return hook.object_id;
    default: {
      // @ts-expect-error `CHARGES` is not handled, so it reaches `default`
      const unknown: UnknownBelvoWebhook = hook;
      return unknown.webhook_type;
    }
  }
}

function handleStrictBelvo(body: Body): string {
  const hook: KnownBelvoWebhook = parseBelvoWebhook(body, { strict: true });
  // @ts-expect-error strict mode never returns an unknown member
  const unknown: UnknownBelvoWebhook = hook;
  return `${hook.webhook_type}.${hook.webhook_code} ${unknown.webhook_id}`;
}

// --- the rest of the API ---------------------------------------------------------------------------

async function receive(): Promise<Response> {
  const body = new Uint8Array(await request.arrayBuffer());
  const result: Validation<R2Event> = validateR2Event(body, { maxBytes: 65536 });
  if (!result.ok) {
    const issues: Issue[] = result.issues;
    const code: 'payload_invalid' | 'payload_not_json' | 'payload_too_large' | 'unknown_event_type' = result.code;
    // @ts-expect-error `value` is `null` when the payload was refused
    log(result.value.event_type);
    return new Response(`${code}: ${issues.map((i) => `${i.path} ${i.code} ${i.expected ?? ''} ${i.found ?? ''}`).join(', ')}`, { status: 422 });
  }
  const event: R2Event = result.value;
  const seen: Seen[] = event.seen;
  const key: string = dedupKey(event);
  const policy: DeliveryPolicy = deliveryPolicy('r2');
  log(`${handleR2(event)} ${key} ${seen.join(',')} ${policy.dedupRetentionMs}`);
  return new Response(policy.ackBody, { status: policy.ackStatus });
}

function receiveBelvo(text: string): string {
  try {
    const hook = parseBelvoWebhook(text);
    const policy = deliveryPolicy('belvo');
    return `${handleBelvo(hook)} ${dedupKey(hook)} ${policy.retryDelaysMs.length}`;
  } catch (error) {
    if (error instanceof PayhookError) {
      const code: ErrorCode = error.code;
      const issues: Issue[] = error.issues ?? [];
      const first: IssueCode | undefined = issues[0]?.code;
      return `${code} ${first ?? ''}`;
    }
    throw error;
  }
}

const strict: Validation<KnownBelvoWebhook> = validateBelvoWebhook('{}', { strict: true });
const paid: R2EventOf<'financing_paid'> | undefined = undefined;
const sample: JsonObject = fixture('r2', 'financing_created');
const names: string[] = fixtureNames('belvo');
const parsedSample: R2Event = parseR2Event(JSON.stringify(sample));
const fromBuffer: R2Event = parseR2Event(buffer);
const fromView: BelvoWebhook = parseBelvoWebhook(new DataView(buffer));

// @ts-expect-error a body is bytes or a string, not a number
parseR2Event(42);
// @ts-expect-error a body is bytes or a string, not an already-parsed object
parseBelvoWebhook(sample);
// @ts-expect-error options are `{ strict?, maxBytes? }`
validateR2Event('{}', { strict: 'yes' });
// @ts-expect-error only parsed events have a dedup key
dedupKey(sample);
// @ts-expect-error the providers are 'r2' and 'belvo'
deliveryPolicy('stripe');
// @ts-expect-error the providers are 'r2' and 'belvo'
fixture('stripe', 'financing_created');
// @ts-expect-error an unknown event cannot be built from a documented type's name
const fake: UnknownR2Event = { event_type: 'financing_created', event: { event_time: 1, event_type: 'financing_created', event_metadata: {} }, seen: [] };
// @ts-expect-error issue codes are a closed list
const badCode: IssueCode = 'nope';
// @ts-expect-error `seen` values are a closed list
const badSeen: Seen = 'event_time_as_float';

export {
  handleR2, forgetsOne, handleStrictR2, handleBelvo, forgetsCharges, handleStrictBelvo, receive, receiveBelvo, strict,
  paid, names, parsedSample, fromBuffer, fromView, fake, badCode, badSeen,
};
