#!/usr/bin/env node
// The parsed values against npm/payloads.d.ts, which tools/gen-shapes generates from
// the same Rust models the parser is declared with (so the declared members, enumerations and
// event types cannot drift from the parser's: nothing here compares them).
//
//   node js-tests/gen-payload-types.mjs <out.ts>
//
// Run in a scratch project where the packed package is installed and `vectors/` sits beside
// `js-tests/`; then compile <out.ts> with `tsc --strict --noEmit` (see scripts/test.sh). This
// script parses every fixture (and a few synthetic bodies) with the *installed* package and
// writes a TypeScript file that must compile against the package's declared types: what the
// package returns at run time is what the generated types say (numbers where the body had
// digit strings, absent where it had `null`, `seen`, the discriminants picking the member).
//
// 1. Each parsed value assigned to `R2Event` / `BelvoWebhook`.
// 2. The issue codes and payload error codes the package produces are exactly the declared
//    unions (`IssueCode` and `PayloadErrorCode` are hand-written, not generated).
// 3. `validate…` results (all of vectors/payloads_invalid.json) as `Validation<>`, thrown
//    errors as `PayhookError` with the same `code` and `issues`, `deliveryPolicy` results as
//    `DeliveryPolicy` with no key more or less.
//
// Checks that can fail before TypeScript runs (fixture lists, strict parses) are printed and
// make the script exit 1, after the file is written.

import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import * as api from 'payhook';
import * as toolsApi from 'payhook/tools';
// The package's API and payhook/tools' (fixtures, inspection, captures) as one.
const payhook = { ...api, ...toolsApi };

const out = process.argv[2];
if (!out) {
  console.error('usage: node js-tests/gen-payload-types.mjs <out.ts>');
  process.exit(2);
}

const here = dirname(fileURLToPath(import.meta.url));
const vectors = join(here, '..', 'vectors');

const failures = [];
const fail = (message) => failures.push(message);
const encoder = new TextEncoder();

const parse = { r2: payhook.parseR2Event, belvo: payhook.parseBelvoWebhook };
const validate = { r2: payhook.validateR2Event, belvo: payhook.validateBelvoWebhook };
const rootType = { r2: 'R2Event', belvo: 'BelvoWebhook' };
const unknownType = { r2: 'UnknownR2Event', belvo: 'UnknownBelvoWebhook' };

const tsString = (s) => JSON.stringify(s);
const union = (values) => (values.size === 0 ? 'never' : [...values].sort().map(tsString).join(' | '));
const identifiers = new Set();
function identifier(...parts) {
  const base = parts.join('__').replace(/[^A-Za-z0-9_]/g, '_');
  let name = base;
  for (let i = 2; identifiers.has(name); i++) name = `${base}_${i}`;
  identifiers.add(name);
  return name;
}

// --- fixtures ----------------------------------------------------------------------------------

const values = []; // { name, type, json }

function record(provider, name, parsed, type) {
  values.push({ name: identifier(provider, name), type, json: parsed });
  const key = payhook.dedupKey(parsed);
  if (!key.startsWith(`${provider}:`)) fail(`${provider}/${name}: dedupKey gave ${key}`);
}

const r2Known = new Set();
const belvo = { paymentTypes: new Set(), paymentCodes: new Set(), aggregationCodes: new Set() };

for (const provider of ['r2', 'belvo']) {
  const dir = join(vectors, 'fixtures', provider);
  const files = readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)).sort();
  const names = [...payhook.fixtureNames(provider)].sort();
  if (!isDeepStrictEqual(files, names)) {
    fail(`${provider}: fixtureNames() ${JSON.stringify(names)} differs from vectors/fixtures/${provider}/ ${JSON.stringify(files)}`);
  }
  for (const name of files) {
    const text = readFileSync(join(dir, `${name}.json`), 'utf8');
    const raw = JSON.parse(text);
    if (names.includes(name) && !isDeepStrictEqual(payhook.fixture(provider, name), raw)) {
      fail(`${provider}/${name}: fixture() differs from the file`);
    }
    let parsed;
    try {
      parsed = parse[provider](encoder.encode(text));
      // Documented payloads parse in strict mode too (no unknown type, no unknown field).
      const strict = parse[provider](text, { strict: true });
      if (!isDeepStrictEqual(strict, parsed)) fail(`${provider}/${name}: strict and lenient results differ`);
    } catch (error) {
      fail(`${provider}/${name}: does not parse: ${error.code} ${error.message}`);
      continue;
    }
    if (provider === 'r2') {
      const type = name.split('.')[0];
      if (parsed.event_type !== type) fail(`r2/${name}: parsed as ${parsed.event_type}`);
      r2Known.add(parsed.event_type);
      record('r2', name, parsed, 'R2Event');
    } else {
      const [type, code] = name.split('.');
      if (parsed.webhook_type !== type || parsed.webhook_code !== code) {
        fail(`belvo/${name}: parsed as ${parsed.webhook_type}.${parsed.webhook_code}`);
      }
      const payment = typeof parsed.object_id === 'string';
      const aggregation = typeof parsed.link_id === 'string';
      if (payment === aggregation) fail(`belvo/${name}: neither a payment nor an aggregation webhook`);
      if (payment) {
        belvo.paymentTypes.add(type);
        belvo.paymentCodes.add(code);
      } else {
        belvo.aggregationCodes.add(code);
      }
      record('belvo', name, parsed, 'BelvoWebhook');
    }
  }
}

// --- synthetic bodies: what no fixture shows --------------------------------------------------

const r2Fixture = (name) => payhook.fixture('r2', name);
const synthetic = [
  // A `payment` object, and every leniency: a timestamp as a string, an unknown currency,
  // an unknown field, a reserved top-level member.
  ['r2', 'leniencies', (() => {
    const body = r2Fixture('financing_created');
    body.payment = { payment_id: 'pay_1', amount: 10 };
    body.financing.created_at = String(body.financing.created_at);
    body.financing.currency = 'ARS';
    body.financing.note = 'kept';
    body.seen = ['dropped'];
    return body;
  })()],
  // An undocumented type: the unknown member, with `event_metadata` absent.
  ['r2', 'unknown', { event: { event_time: '1700000000', event_type: 'financing_restructured' }, financing: { financing_id: 'f1' } }],
  ['r2', 'unknown_with_reason', { event: { event_time: 1700000000, event_type: 'financing_frozen', event_metadata: { reason: 'audit' } } }],
  // Belvo: an undocumented code, a payment code on an aggregation-only type, an undocumented type.
  ['belvo', 'unknown_code', { ...payhook.fixture('belvo', 'CHARGES.STATUS_UPDATE'), webhook_code: 'OBJECT_DELETED' }],
  ['belvo', 'unknown_pair', { ...payhook.fixture('belvo', 'BANK_ACCOUNTS.OBJECT_CREATED'), webhook_type: 'ACCOUNTS', webhook_code: 'STATUS_UPDATE' }],
  ['belvo', 'unknown_type', { ...payhook.fixture('belvo', 'BANK_ACCOUNTS.OBJECT_CREATED'), webhook_type: 'LOANS', external_id: null }],
];
for (const [provider, name, raw] of synthetic) {
  const parsed = parse[provider](JSON.stringify(raw));
  let group;
  if (provider === 'r2') {
    group = r2Known.has(parsed.event_type) ? 'r2' : 'r2?';
  } else if (belvo.aggregationCodes.has(parsed.webhook_code)) {
    group = 'belvo.aggregation';
  } else if (belvo.paymentCodes.has(parsed.webhook_code) && belvo.paymentTypes.has(parsed.webhook_type)) {
    group = 'belvo.payment';
  } else {
    group = 'belvo?';
  }
  const unknown = group.endsWith('?');
  if (unknown !== name.startsWith('unknown')) fail(`synthetic ${provider}/${name}: parsed into group ${group}`);
  record(provider, `synthetic_${name}`, parsed, unknown ? `Unbrand<${unknownType[provider]}>` : rootType[provider]);
}

// --- validation results and thrown errors ----------------------------------------------------

const validations = []; // { name, provider, json }
const issueCodes = new Set();
const errorCodes = new Set();
function checkInvalid(provider, name, body, options) {
  const result = validate[provider](body, options);
  validations.push({ name: identifier('invalid', provider, name), provider, json: result });
  for (const issue of result.issues) issueCodes.add(issue.code);
  if (result.code !== null) errorCodes.add(result.code);
  if (result.ok) return fail(`invalid ${provider}/${name}: validated`);
  try {
    parse[provider](body, options);
    fail(`invalid ${provider}/${name}: parsed`);
  } catch (error) {
    if (!(error instanceof payhook.PayhookError) || error.code !== result.code || !isDeepStrictEqual(error.issues, result.issues)) {
      fail(`invalid ${provider}/${name}: thrown ${error.code} ${JSON.stringify(error.issues)} differs from the validation`);
    }
  }
}
const cases = JSON.parse(readFileSync(join(vectors, 'payloads_invalid.json'), 'utf8')).cases;
for (const c of cases) {
  checkInvalid(c.provider, c.name, c.body ?? JSON.stringify(c.json), { strict: c.strict });
}
// Body-level codes the vectors do not hold as JSON text.
checkInvalid('r2', 'invalid utf-8', new Uint8Array([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]));
checkInvalid('belvo', 'too large', '{"webhook_id":"x"}', { maxBytes: 4 });
for (const provider of ['r2', 'belvo']) {
  const name = payhook.fixtureNames(provider)[0];
  validations.push({ name: identifier('valid', provider, name), provider, json: validate[provider](JSON.stringify(payhook.fixture(provider, name))) });
}

// --- write ---------------------------------------------------------------------------------------

const json = (v) => JSON.stringify(v, null, 2);
const lines = [];
const emit = (...l) => lines.push(...l);
emit(
  '// Generated by js-tests/gen-payload-types.mjs from the installed payhook package: do not edit.',
  '// It must compile with `tsc --strict --noEmit`: every value below is what the package returned.',
  '/* eslint-disable */',
  "import type {",
  '  BelvoWebhook, DeliveryPolicy, IssueCode, PayloadErrorCode, R2Event, UnknownBelvoWebhook,',
  '  UnknownBelvoWebhookCode, UnknownBelvoWebhookType, UnknownR2Event, UnknownR2EventType, Validation,',
  "} from 'payhook';",
  '',
  '/** `true`, or an object naming what is left over: a failed check prints the leftovers. */',
  'type NoneOf<T> = [T] extends [never] ? true : { leftOver: T };',
  '/** The opaque unknown discriminants as the plain strings they are at run time. */',
  'type Unbrand<T> = T extends UnknownR2EventType | UnknownBelvoWebhookType | UnknownBelvoWebhookCode',
  '  ? string',
  '  : T extends object',
  '    ? { [K in keyof T]: Unbrand<T[K]> }',
  '    : T;',
  '',
);

emit('// 1. Every parsed value, as users see it.');
for (const v of values) emit(`export const ${v.name}: ${v.type} = ${json(v.json)};`, '');

emit('// 2. The hand-written unions are exactly what the package produces.');
const both = (name, runtime, declared) => {
  emit(`type Runtime${name} = ${union(runtime)};`);
  emit(`export const ${name}OnlyInRust: NoneOf<Exclude<Runtime${name}, ${declared}>> = true;`);
  emit(`export const ${name}OnlyInDeclarations: NoneOf<Exclude<${declared}, Runtime${name}>> = true;`);
};
both('IssueCodes', issueCodes, 'IssueCode');
both('PayloadErrorCodes', errorCodes, 'PayloadErrorCode');
emit('');

emit('// 3. Validation results and delivery policies.');
for (const v of validations) emit(`export const ${v.name}: Validation<${rootType[v.provider]}> = ${json(v.json)};`, '');
for (const provider of ['r2', 'belvo']) {
  emit(`export const policy_${provider}: DeliveryPolicy = ${json(payhook.deliveryPolicy(provider))};`, '');
}

writeFileSync(out, `${lines.join('\n')}\n`);
console.log(`gen-payload-types: ${values.length} parsed values, ${validations.length} validations -> ${out}`);
if (failures.length) {
  for (const f of failures) console.error(`FAIL ${f}`);
  process.exit(1);
}
