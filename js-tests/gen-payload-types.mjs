#!/usr/bin/env node
// Drift check between the Rust payload models and npm/payloads.d.ts.
//
//   node js-tests/gen-payload-types.mjs <out.ts>
//
// Run in a scratch project where the packed package is installed and `vectors/` sits beside
// `js-tests/`; then compile <out.ts> with `tsc --strict --noEmit` (see scripts/test.sh). This
// script parses every fixture (and a few synthetic bodies) with the *installed* package and
// writes a TypeScript file that must compile against the package's declared types:
//
// 1. Each parsed value assigned to `R2Event` / `BelvoWebhook` as users see them: field
//    types, required fields, null vs absent, and the discriminants pick the right member.
// 2. Each parsed value again, with the members Rust keeps as extras removed, assigned to the
//    same type with every index signature removed (`Closed<>`): a field Rust models but the
//    declarations do not (added or renamed in Rust) is an excess property there. Which keys
//    Rust models is asked of the package itself: a key is modelled when replacing its value
//    with `true` makes validation report an issue at exactly that path.
// 3. The declared fields are exactly the modelled fields the values hold (`KnownPaths`), per
//    group (R2 known/unknown, Belvo payment/aggregation/unknown): a field the declarations
//    keep after Rust dropped it fails here.
// 4. The known R2 event types, Belvo types and codes, `seen` values, issue codes and payload
//    error codes the package produces are exactly the declared unions, both ways; every
//    declared known type is also probed against the package in strict mode.
// 5. `validate…` results (all of vectors/payloads_invalid.json) as `Validation<>`, thrown
//    errors as `PayhookError` with the same `code` and `issues`, `deliveryPolicy` results as
//    `DeliveryPolicy` with no key more or less.
//
// Checks that can fail before TypeScript runs (fixture lists, probes) are printed and make
// the script exit 1, after the file is written.

import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import * as payhook from 'payhook';

const out = process.argv[2];
if (!out) {
  console.error('usage: node js-tests/gen-payload-types.mjs <out.ts>');
  process.exit(2);
}

const here = dirname(fileURLToPath(import.meta.url));
const vectors = join(here, '..', 'vectors');
const require = createRequire(import.meta.url);
const packageDir = dirname(require.resolve('payhook/package.json'));
const declarations = readFileSync(join(packageDir, 'payloads.d.ts'), 'utf8');

const failures = [];
const fail = (message) => failures.push(message);
const encoder = new TextEncoder();

const parse = { r2: payhook.parseR2Event, belvo: payhook.parseBelvoWebhook };
const validate = { r2: payhook.validateR2Event, belvo: payhook.validateBelvoWebhook };
const rootType = { r2: 'R2Event', belvo: 'BelvoWebhook' };
const unknownType = { r2: 'UnknownR2Event', belvo: 'UnknownBelvoWebhook' };

// --- helpers -----------------------------------------------------------------------------------

const pointer = (path) => path.map((k) => `/${String(k).replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');
const isObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
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
function setAt(value, path, replacement) {
  let node = value;
  for (const key of path.slice(0, -1)) node = node[key];
  node[path.at(-1)] = replacement;
}

/**
 * Whether Rust models the member at `path` of `raw`: replacing its value with `true`, or with
 * `[]` (for a field that would take a boolean), is an issue at exactly that path. Extras are
 * kept whatever they hold.
 */
function modelled(provider, raw, path) {
  return [true, []].some((probe) => {
    const body = structuredClone(raw);
    setAt(body, path, probe);
    const result = validate[provider](JSON.stringify(body));
    return result.issues.some((issue) => issue.path === pointer(path));
  });
}

/**
 * Whether payhook itself writes the member at `path` (`seen`, R2's top-level `event_type`):
 * it is still in the parsed value when the body does not have it.
 */
function added(provider, raw, path) {
  const body = structuredClone(raw);
  let node = body;
  for (const key of path.slice(0, -1)) node = node[key];
  delete node[path.at(-1)];
  const result = validate[provider](JSON.stringify(body));
  let value = result.value;
  for (const key of path) value = isObject(value) ? value[key] : undefined;
  return value !== undefined;
}

/**
 * The parsed value less what Rust keeps as extras: each member that came from the body is
 * kept only if Rust models it or writes it itself (a body's own `seen` is dropped and
 * replaced). `body` is the whole raw body, `raw` the part of it at `path`, beside `parsed`.
 */
function prune(provider, body, raw, parsed, path = []) {
  const pruned = {};
  for (const [key, value] of Object.entries(parsed)) {
    const fromBody = isObject(raw) && Object.hasOwn(raw, key);
    if (fromBody && !modelled(provider, body, [...path, key]) && !added(provider, body, [...path, key])) continue;
    pruned[key] = isObject(value) ? prune(provider, body, fromBody ? raw[key] : undefined, value, [...path, key]) : value;
  }
  return pruned;
}

/** Every member path of a value, `a.b.c`, not descending into arrays. */
function paths(value, prefix = '', into = new Set()) {
  for (const [key, child] of Object.entries(value)) {
    const path = prefix ? `${prefix}.${key}` : key;
    into.add(path);
    if (isObject(child)) paths(child, path, into);
  }
  return into;
}

/** The string literals of an exported type alias in the declarations, following aliases. */
function declaredUnion(name, seen = new Set()) {
  if (seen.has(name)) return new Set();
  seen.add(name);
  const text = declarations.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
  const match = text.match(new RegExp(`export type ${name}\\s*=([^;]*);`));
  if (!match) {
    fail(`payloads.d.ts declares no \`export type ${name}\``);
    return new Set();
  }
  const values = new Set([...match[1].matchAll(/'([^']*)'/g)].map((m) => m[1]));
  for (const ref of match[1].matchAll(/\b([A-Z][A-Za-z0-9]*)\b/g)) {
    if (new RegExp(`export type ${ref[1]}\\s*=`).test(text)) {
      for (const v of declaredUnion(ref[1], seen)) values.add(v);
    }
  }
  return values;
}

// --- fixtures ----------------------------------------------------------------------------------

const values = []; // { name, provider, group, type, json, closed }
const seenValues = new Set();
const groupPaths = new Map(); // group -> Set of paths

function record(provider, name, group, raw, parsed, type) {
  const closed = prune(provider, raw, raw, parsed);
  for (const s of parsed.seen) seenValues.add(s);
  const set = groupPaths.get(group) ?? new Set();
  for (const p of paths(closed)) set.add(`${group}:${p}`);
  groupPaths.set(group, set);
  values.push({ name: identifier(provider, name), type, json: parsed, closed });
  const key = payhook.dedupKey(parsed);
  if (!key.startsWith(`${provider}:`)) fail(`${provider}/${name}: dedupKey gave ${key}`);
}

const r2Known = new Set();
const belvo = { types: new Set(), codes: new Set(), paymentTypes: new Set(), paymentCodes: new Set(), aggregationCodes: new Set() };

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
      record('r2', name, 'r2', raw, parsed, 'R2Event');
    } else {
      const [type, code] = name.split('.');
      if (parsed.webhook_type !== type || parsed.webhook_code !== code) {
        fail(`belvo/${name}: parsed as ${parsed.webhook_type}.${parsed.webhook_code}`);
      }
      belvo.types.add(type);
      belvo.codes.add(code);
      const payment = typeof parsed.object_id === 'string';
      const aggregation = typeof parsed.link_id === 'string';
      if (payment === aggregation) fail(`belvo/${name}: neither a payment nor an aggregation webhook`);
      if (payment) {
        belvo.paymentTypes.add(type);
        belvo.paymentCodes.add(code);
      } else {
        belvo.aggregationCodes.add(code);
      }
      record('belvo', name, payment ? 'belvo.payment' : 'belvo.aggregation', raw, parsed, 'BelvoWebhook');
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
  record(provider, `synthetic_${name}`, group, raw, parsed, unknown ? `Unbrand<${unknownType[provider]}>` : rootType[provider]);
}

// --- probes: every declared known type is known to the package ---------------------------------

const declaredR2 = declaredUnion('KnownR2EventType');
const declaredBelvoTypes = declaredUnion('KnownBelvoWebhookType');
const declaredPaymentTypes = declaredUnion('PaymentWebhookType');
const declaredPaymentCodes = declaredUnion('PaymentWebhookCode');
const declaredAggregationCodes = declaredUnion('AggregationWebhookCode');
const strictlyUnknown = (provider, body) =>
  validate[provider](JSON.stringify(body), { strict: true }).code === 'unknown_event_type';
for (const type of declaredR2) {
  if (strictlyUnknown('r2', { event: { event_time: 1, event_type: type, event_metadata: {} } })) {
    fail(`payloads.d.ts declares R2 event type ${type}, which the package refuses in strict mode`);
  }
}
const belvoProbe = (type, code) => ({ webhook_id: 'aadf41a1fc8e4f79a49f7f04027ac999', webhook_type: type, webhook_code: code, data: {} });
for (const type of declaredPaymentTypes) {
  for (const code of declaredPaymentCodes) {
    if (strictlyUnknown('belvo', belvoProbe(type, code))) fail(`payloads.d.ts declares payment webhook ${type}/${code}; the package refuses it in strict mode`);
  }
}
for (const code of declaredAggregationCodes) {
  if (strictlyUnknown('belvo', belvoProbe('ACCOUNTS', code))) fail(`payloads.d.ts declares aggregation code ${code}; the package refuses it in strict mode`);
}
const compare = (what, runtime, declared) => {
  const missing = [...runtime].filter((v) => !declared.has(v));
  const extra = [...declared].filter((v) => !runtime.has(v));
  if (missing.length) fail(`${what}: the package has ${missing.join(', ')}, payloads.d.ts does not`);
  if (extra.length) fail(`${what}: payloads.d.ts has ${extra.join(', ')}, the package's fixtures do not`);
};
compare('KnownR2EventType', r2Known, declaredR2);
compare('KnownBelvoWebhookType', belvo.types, declaredBelvoTypes);
compare('PaymentWebhookType', belvo.paymentTypes, declaredPaymentTypes);
compare('PaymentWebhookCode', belvo.paymentCodes, declaredPaymentCodes);
compare('AggregationWebhookCode', belvo.aggregationCodes, declaredAggregationCodes);

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
  '  AggregationWebhook, AggregationWebhookCode, BelvoWebhook, DeliveryPolicy, IssueCode, KnownBelvoWebhookType,',
  '  KnownR2Event, KnownR2EventType, PaymentWebhook, PaymentWebhookCode, PaymentWebhookType, PayloadErrorCode,',
  '  R2Event, Seen, UnknownBelvoWebhook, UnknownBelvoWebhookCode, UnknownBelvoWebhookType, UnknownR2Event,',
  '  UnknownR2EventType, Validation,',
  "} from 'payhook';",
  '',
  '/** `true`, or an object naming what is left over: a failed check prints the leftovers. */',
  'type NoneOf<T> = [T] extends [never] ? true : { leftOver: T };',
  '/** The keys that are not index signatures. */',
  'type KnownKeys<T> = keyof { [K in keyof T as string extends K ? never : number extends K ? never : K]: 0 };',
  '/** The type with every index signature removed, recursively: extras become excess properties. */',
  'type Closed<T> = T extends readonly (infer U)[]',
  '  ? Closed<U>[]',
  '  : T extends object',
  '    ? { [K in keyof T as string extends K ? never : number extends K ? never : K]: Closed<T[K]> }',
  '    : T;',
  '/** The opaque unknown discriminants as the plain strings they are at run time. */',
  'type Unbrand<T> = T extends UnknownR2EventType | UnknownBelvoWebhookType | UnknownBelvoWebhookCode',
  '  ? string',
  '  : T extends object',
  '    ? { [K in keyof T]: Unbrand<T[K]> }',
  '    : T;',
  '/** Every declared member path (`a.b.c`), not descending into arrays or index signatures. */',
  'type KnownPaths<T, P extends string = ""> = T extends readonly unknown[]',
  '  ? never',
  '  : T extends object',
  '    ? { [K in KnownKeys<T> & string]: `${P}${K}` | KnownPaths<NonNullable<T[K]>, `${P}${K}.`> }[KnownKeys<T> & string]',
  '    : never;',
  '/** The group of a member, as the generator labels parsed values. */',
  'type Group<E> = E extends UnknownR2Event ? "r2?"',
  '  : E extends KnownR2Event ? "r2"',
  '  : E extends UnknownBelvoWebhook ? "belvo?"',
  '  : E extends AggregationWebhook<AggregationWebhookCode, unknown> ? "belvo.aggregation"',
  '  : E extends PaymentWebhook<PaymentWebhookType, string> ? "belvo.payment"',
  '  : "ungrouped";',
  'type MemberPaths<E> = E extends unknown ? `${Group<E>}:${KnownPaths<E>}` : never;',
  'type DeclaredPaths = MemberPaths<R2Event | BelvoWebhook>;',
  '',
);

emit('// 1. Every parsed value, as users see it.');
for (const v of values) emit(`export const ${v.name}: ${v.type} = ${json(v.json)};`, '');
emit('// 2. Every parsed value less the extras, against the declarations less their index signatures.');
for (const v of values) emit(`export const ${v.name}__closed: Closed<${v.type}> = ${json(v.closed)};`, '');

emit('// 3. The declared member paths are exactly those Rust models and the values hold.');
const allPaths = new Set([...groupPaths.values()].flatMap((s) => [...s]));
emit(`type RuntimePaths = ${union(allPaths)};`);
emit('export const pathsOnlyInRust: NoneOf<Exclude<RuntimePaths, DeclaredPaths>> = true;');
emit('export const pathsOnlyInDeclarations: NoneOf<Exclude<DeclaredPaths, RuntimePaths>> = true;', '');

emit('// 4. The unions are exactly what the package produces.');
const both = (name, runtime, declared) => {
  emit(`type Runtime${name} = ${union(runtime)};`);
  emit(`export const ${name}OnlyInRust: NoneOf<Exclude<Runtime${name}, ${declared}>> = true;`);
  emit(`export const ${name}OnlyInDeclarations: NoneOf<Exclude<${declared}, Runtime${name}>> = true;`);
};
both('R2EventTypes', r2Known, 'KnownR2EventType');
both('BelvoTypes', belvo.types, 'KnownBelvoWebhookType');
both('PaymentTypes', belvo.paymentTypes, 'PaymentWebhookType');
both('PaymentCodes', belvo.paymentCodes, 'PaymentWebhookCode');
both('AggregationCodes', belvo.aggregationCodes, 'AggregationWebhookCode');
both('Seen', seenValues, 'Seen');
both('IssueCodes', issueCodes, 'IssueCode');
both('PayloadErrorCodes', errorCodes, 'PayloadErrorCode');
emit('');

emit('// 5. Validation results and delivery policies.');
for (const v of validations) emit(`export const ${v.name}: Validation<${rootType[v.provider]}> = ${json(v.json)};`, '');
for (const provider of ['r2', 'belvo']) {
  emit(`export const policy_${provider}: DeliveryPolicy = ${json(payhook.deliveryPolicy(provider))};`, '');
}

writeFileSync(out, `${lines.join('\n')}\n`);
console.log(`gen-payload-types: ${values.length} parsed values, ${validations.length} validations, ${allPaths.size} paths -> ${out}`);
if (failures.length) {
  for (const f of failures) console.error(`FAIL ${f}`);
  process.exit(1);
}
