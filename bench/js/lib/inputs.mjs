// What every benchmark feeds in, and the idiomatic code it compares payhook with. Runtime-
// neutral (no node: imports): the workerd Worker bundles this same file.
import { z } from 'zod';
import ipaddr from 'ipaddr.js';

export const SECRET = 'r2-jwt-secret-bench-5f1c9a7e3b2d4c6a8e0f';
const encoder = new TextEncoder();

/**
 * A realistic R2 event, sent now: financing_created as R2's callbacks page shows it, with the partner's
 * `metadata` and `custom_fields` filled in, pretty-printed as R2 sends it, and a note in
 * `metadata` sized so the body is exactly `size` bytes (1 KiB for the payload and delivery
 * benchmarks; 256 B to 1 MiB for the signature ones).
 */
export function r2Body(size = 1024) {
  const event = {
    // Sent now: a receiver refuses an event_time outside its replay window (14 days) as
    // event_stale, and a benchmark must time the path a genuine delivery takes.
    event: { event_time: Math.floor(Date.now() / 1000), event_type: 'financing_created', event_metadata: {} },
    financing: {
      financing_id: 'fa5c8a0b0f492d768749333ad6fcc214c111e967',
      metadata: { note: '' },
    },
  };
  if (size >= 1024) {
    Object.assign(event.financing, {
      disbursed_amount: 12200,
      total_repayment_amount: 14606,
      repayment_rate: 17.36,
      currency: 'COP',
      created_at: 1570471067,
      status: 'ACTIVE',
      due_date: 1570471067,
      external_merchant_id: '5509723654647999613',
      financing_kind: 'REFILL',
      fixed_fee: 177.9,
      requester_email_address: 'finanzas@tienda-ejemplo.co',
      custom_fields: [
        { name: 'sales_rep', value: 'Ana María Gómez' },
        { name: 'region', value: 'Antioquia' },
      ],
    });
    Object.assign(event.financing.metadata, { partner_reference: 'ORD-2024-000123', store_id: 'st_8812', channel: 'marketplace' });
  }
  const base = JSON.stringify(event, null, 2);
  const pad = size - encoder.encode(base).length;
  if (pad < 0) throw new Error(`an R2 body cannot be as small as ${size} bytes`);
  event.financing.metadata.note = 'x'.repeat(pad);
  const body = encoder.encode(JSON.stringify(event, null, 2));
  if (body.length !== size) throw new Error(`r2Body(${size}) made ${body.length} bytes`);
  return body;
}

// ---------------------------------------------------------------- signature helpers

export function hexToBytes(hex) {
  const out = new Uint8Array(hex.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.substr(i * 2, 2), 16);
  return out;
}

export function bytesToHex(bytes) {
  let s = '';
  for (const b of bytes) s += (b < 16 ? '0' : '') + b.toString(16);
  return s;
}

/** Constant-time comparison, as one writes it by hand around a pure-JS HMAC. */
export function equalBytes(a, b) {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}

/** R2's base64-hex header (base64 of the hex text) decoded to the 32-byte tag, portably. */
export function base64HexToTag(header) {
  const hex = atob(header.length % 4 === 0 ? header : header + '='.repeat(4 - (header.length % 4)));
  return hex.length === 64 ? hexToBytes(hex) : null;
}

// ---------------------------------------------------------------- address helpers

/** ipaddr.js, parsed once: a linear scan with match(), as JS receivers do it today. */
export function ipaddrMatcher(cidrs) {
  const ranges = cidrs.map((cidr) => (cidr.includes('/') ? ipaddr.parseCIDR(cidr) : [ipaddr.parse(cidr), ipaddr.parse(cidr).kind() === 'ipv4' ? 32 : 128]));
  return (ip) => {
    const addr = ipaddr.process(ip); // ::ffff:a.b.c.d -> IPv4, as payhook does
    const kind = addr.kind();
    for (const [net, bits] of ranges) if (kind === net.kind() && addr.match(net, bits)) return true;
    return false;
  };
}

// ---------------------------------------------------------------- zod schemas

// The same rules payhook's lenient validator checks (src/providers/r2.rs, belvo.rs, walk.rs):
// ids are non-empty strings, amounts numbers, times Unix seconds as an integer or a string of
// digits, null reads as absent for optional members, unknown members are kept. payhook also
// refuses duplicate keys, a BOM and over-deep or over-long bodies, and records what it saw;
// these schemas do not.
const id = z.string().min(1);
const unixTime = z.union([z.number().int(), z.string().regex(/^[0-9]+$/)]);
const amount = z.number();
const opt = (schema) => schema.nullish();
const openObject = z.record(z.string(), z.unknown());

const envelope = z.looseObject({
  event_time: unixTime,
  event_type: id,
  event_metadata: opt(z.looseObject({ reason: opt(z.string()) })),
});
const financing = z.looseObject({
  financing_id: id,
  disbursed_amount: opt(amount),
  total_repayment_amount: opt(amount),
  repayment_rate: opt(amount),
  currency: opt(z.string()),
  created_at: opt(unixTime),
  status: opt(z.string()),
  due_date: opt(unixTime),
  external_merchant_id: opt(id),
  financing_kind: opt(z.string()),
  fixed_fee: opt(amount),
  metadata: opt(openObject),
  custom_fields: opt(z.array(z.unknown())),
  requester_email_address: opt(z.string()),
});
const collection = (type) =>
  z.looseObject({
    collection_id: type === 'collection_rejected' ? opt(id) : id,
    financing_id: id,
    partner_collection_id: opt(id),
    repayment_amount: opt(amount),
    collected_at: opt(unixTime),
    created_at: opt(unixTime),
    remaining_balance: opt(amount),
    original_repayment_amount: opt(amount),
    collection_kind: opt(z.string()),
    related_collection_id: type === 'collection_returned' ? id : opt(id),
  });
const payment = z.looseObject({ payment_id: opt(id) });
const openWithId = (key) => z.looseObject({ [key]: opt(id) });

const R2_OBJECTS = {
  financing: ['financing_created', 'financing_paused', 'financing_resumed', 'financing_paid', 'financing_active', 'financing_canceled',
    'financing_interest_charged', 'financing_paid_by_insurance', 'financing_paused_by_insurance', 'financing_write_off'],
  collection: ['direct_payment_created', 'collection_created', 'collection_rejected', 'collection_returned',
    'collection_returned_by_insurance', 'direct_payment_created_by_insurance'],
  retention: ['retention_created'],
  application: ['application_created'],
};
/** One zod schema per documented event type (zod's discriminated unions cannot look into `event`). */
export const r2Schemas = {};
for (const [key, types] of Object.entries(R2_OBJECTS)) {
  for (const type of types) {
    const object = key === 'financing' ? financing : key === 'collection' ? collection(type) : openWithId(`${key}_id`);
    r2Schemas[type] = z.looseObject({ event: envelope, [key]: object, payment: opt(payment) });
  }
}
const r2Unknown = z.looseObject({ event: envelope });

/** JSON.parse + zod, the way a JS receiver validates an R2 body today. */
export function zodR2(text) {
  const json = JSON.parse(text);
  const schema = r2Schemas[json?.event?.event_type] ?? r2Unknown;
  return schema.safeParse(json);
}

const count = z.number().int().nonnegative();
const belvoCommon = {
  webhook_id: z.string(),
  webhook_type: id,
  webhook_code: id,
};
const paymentData = z.looseObject({
  status: opt(z.string()),
  failure_code: opt(z.string()),
  failure_message: opt(z.string()),
  end_to_end_id: opt(id),
  metadata: opt(openObject),
});
const aggregationData = z.looseObject({
  total_accounts: opt(count),
  total_transactions: opt(count),
  total_inflow_transactions: opt(count),
  total_outflow_transactions: opt(count),
  first_transaction_date: opt(z.string()),
  last_transaction_date: opt(z.string()),
  total_bills: opt(count),
  new_accounts: opt(count),
  new_transactions: opt(count),
  error_code: opt(z.string()),
  error_message: opt(z.string()),
  consent_id: opt(id),
  action: opt(z.string()),
  institution: opt(z.string()),
});
const belvoPayment = z.looseObject({ ...belvoCommon, object_id: id, external_id: z.string().nullish(), data: paymentData });
const belvoAggregation = z.looseObject({ ...belvoCommon, link_id: id, request_id: opt(id), process_type: opt(z.string()), external_id: z.string().nullish(), data: aggregationData });
const belvoUnknown = z.looseObject({ ...belvoCommon, data: openObject });
const AGGREGATION_CODES = new Set(['historical_update', 'new_accounts_available', 'new_transactions_available', 'transactions_updated',
  'transactions_deleted', 'invalid_credentials', 'token_required', 'consent_expired', 'openfinance_consent_expired']);
const PAYMENT_TYPES = new Set(['BANK_ACCOUNTS', 'PAYMENT_INTENTS', 'TRANSACTIONS', 'CHARGES', 'ENROLLMENTS', 'PAYMENT_AUTHORIZATIONS', 'CUSTOMERS']);

/** JSON.parse + zod for a Belvo body. */
export function zodBelvo(text) {
  const json = JSON.parse(text);
  const schema = AGGREGATION_CODES.has(json?.webhook_code) ? belvoAggregation : PAYMENT_TYPES.has(json?.webhook_type) ? belvoPayment : belvoUnknown;
  return schema.safeParse(json);
}

// ---------------------------------------------------------------- dedup key

/** Canonical JSON: keys sorted by code point, no whitespace (what payhook's key hashes). */
export function canonicalJson(value) {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function base64url(bytes) {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
