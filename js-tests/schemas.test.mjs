// The JSON Schemas shipped in the package (`payhook/schemas/*.schema.json`), compiled with
// Ajv (draft 2020-12, strict mode):
//   - every fixture in vectors/fixtures validates, and is routed to a documented branch;
//   - every broken payload fails, with an error at the path payhook reports;
//   - payloads payhook accepts leniently (unknown types, unknown fields, null optionals) pass;
//   - when payhook itself is installed, its lenient verdict on every case is the schema's.
//     The schemas are generated from the models the parser is declared with
//     (tools/gen-shapes), so members, requiredness and routes agree by construction;
//     these cases check how each kind of member is spelt in JSON Schema (a non-empty id,
//     unix seconds up to 2^53 - 1, a webhook id, …) against how the parser checks it.
//
// Run from a scratch project holding `js-tests/`, `vectors/` and `node_modules/payhook`.
// Before the package exists: PAYHOOK_SCHEMAS_DIR=/path/to/schemas node --test js-tests/schemas.test.mjs
// (payhook is then optional: the cross-checks are skipped when it cannot be imported).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const vectors = join(root, 'vectors');
const devSchemas = process.env.PAYHOOK_SCHEMAS_DIR;

let payhook = null;
let payhookMissing = null;
try {
  payhook = await import('payhook');
} catch (error) {
  // In the package's own run payhook must load; only a development run may go without it.
  if (!devSchemas) throw error;
  payhookMissing = `payhook not importable (${error.code ?? error.message}): cross-check skipped`;
}

function schemaDir() {
  if (devSchemas) return devSchemas;
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('payhook/package.json')), 'schemas');
}

const FILES = { r2: 'r2-event.schema.json', belvo: 'belvo-webhook.schema.json' };
const schemas = {};
const validators = {};
const routed = {};
let compileError = null;
const ajv = new Ajv2020({ strict: true, allErrors: true });
try {
  for (const [provider, file] of Object.entries(FILES)) {
    schemas[provider] = JSON.parse(readFileSync(join(schemaDir(), file), 'utf8'));
    validators[provider] = ajv.compile(schemas[provider]);
    // The root `if`: true when the payload names a documented type (not the `else` branch).
    routed[provider] = ajv.getSchema(`${schemas[provider].$id}#/if`);
  }
} catch (error) {
  compileError = error;
}

function validatorFor(provider) {
  if (compileError) throw compileError;
  return validators[provider];
}

/** Ajv's errors, one a line, for assertion messages. */
function explain(errors) {
  return (errors ?? [])
    .map((e) => `  ${e.instancePath || '(root)'} ${e.keyword}: ${e.message} ${JSON.stringify(e.params)}`)
    .join('\n');
}

const escape = (key) => key.replaceAll('~', '~0').replaceAll('/', '~1');

/** The JSON Pointers Ajv's errors are about, `required` ones pointing at the missing member. */
function errorPaths(errors) {
  return new Set(
    (errors ?? []).map((e) =>
      e.keyword === 'required' ? `${e.instancePath}/${escape(e.params.missingProperty)}` : e.instancePath,
    ),
  );
}

/** payhook's lenient report on a body: `{ ok, value, issues }`. */
function payhookReport(provider, body) {
  return provider === 'r2' ? payhook.validateR2Event(body) : payhook.validateBelvoWebhook(body);
}

test('both schemas compile under Ajv 2020 in strict mode', () => {
  if (compileError) throw compileError;
  for (const [provider, file] of Object.entries(FILES)) {
    const schema = schemas[provider];
    assert.equal(schema.$schema, 'https://json-schema.org/draft/2020-12/schema', file);
    assert.equal(schema.$id, `https://payhook.dev/schemas/${file}`, file);
    assert.equal(typeof schema.title, 'string', file);
    assert.equal(typeof validators[provider], 'function', file);
    assert.equal(typeof routed[provider], 'function', `${file}: no root if`);
  }
});

// --- every fixture validates -----------------------------------------------------------------

for (const provider of ['r2', 'belvo']) {
  const dir = join(vectors, 'fixtures', provider);
  const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  test(`${provider}: there are fixtures to check`, () => {
    assert.ok(files.length >= (provider === 'r2' ? 18 : 16), `only ${files.length} fixtures in ${dir}`);
  });
  for (const file of files) {
    test(`${provider} fixture ${file} validates`, () => {
      const validate = validatorFor(provider);
      const body = readFileSync(join(dir, file), 'utf8');
      const value = JSON.parse(body);
      assert.ok(validate(value), `${provider}/${file} fails its schema:\n${explain(validate.errors)}`);
      // The documented branch, not the fallback for unknown types.
      assert.ok(routed[provider](value), `${provider}/${file} falls through to the schema's unknown-type branch`);
      const [type, code] = file.split('.');
      if (provider === 'r2') assert.equal(value.event.event_type, type, `${file}: name and event_type differ`);
      else assert.deepEqual([value.webhook_type, value.webhook_code], [type, code], `${file}: name and pair differ`);
      if (payhook) {
        const report = payhookReport(provider, body);
        assert.ok(report.ok, `payhook refuses ${file}: ${JSON.stringify(report.issues)}`);
      }
    });
  }
}

// --- broken and lenient payloads ---------------------------------------------------------------

// Issue codes JSON Schema can see, and those only strict mode raises (the schema is lenient).
const SCHEMA_CODES = new Set(['missing', 'wrong_type', 'invalid_value']);
const STRICT_ONLY = new Set(['unknown_field', 'unknown_event_type']);

/** The cases of vectors/payloads_invalid.json that JSON Schema can judge. */
function vectorCases() {
  const { cases } = JSON.parse(readFileSync(join(vectors, 'payloads_invalid.json'), 'utf8'));
  const out = [];
  for (const c of cases) {
    const codes = c.issues.map(([, code]) => code);
    const paths = c.issues.filter(([, code]) => SCHEMA_CODES.has(code)).map(([path]) => path);
    let valid;
    if (codes.some((code) => SCHEMA_CODES.has(code))) valid = false;
    else if (codes.every((code) => STRICT_ONLY.has(code))) valid = true;
    else continue; // duplicate keys, BOM, syntax, size, depth: below JSON Schema's level
    const body = c.body ?? JSON.stringify(c.json);
    let value;
    try {
      value = c.body === undefined ? c.json : JSON.parse(c.body);
    } catch {
      continue;
    }
    out.push({ provider: c.provider, name: `vectors: ${c.name}`, body, value, valid, paths: valid ? [] : paths });
  }
  return out;
}

const envelope = (event_type, extra = {}) => ({ event_time: 1712345678, event_type, event_metadata: {}, ...extra });
const HEX = 'aadf41a1fc8e4f79a49f7f04027ac999';
const UUID = '3b9a69f7-0f0a-455b-832d-49ad6fd4905c';
const payment = (extra = {}) => ({
  webhook_id: HEX,
  webhook_type: 'PAYMENT_INTENTS',
  webhook_code: 'STATUS_UPDATE',
  object_id: 'd2e40773-19f6-48d1-93c3-3590ec0c74df',
  external_id: null,
  data: { status: 'SUCCEEDED' },
  ...extra,
});
const aggregation = (extra = {}) => ({
  webhook_id: HEX,
  webhook_type: 'ACCOUNTS',
  webhook_code: 'historical_update',
  link_id: '30cb4806-6e00-48a4-91c9-ca55968576c8',
  data: { total_accounts: 5 },
  ...extra,
});
const without = (object, ...keys) => Object.fromEntries(Object.entries(object).filter(([k]) => !keys.includes(k)));

// Beyond the shared vectors: the forms the schema must get exactly right. `paths` lists where
// the schema must report a problem (JSON Pointers, as payhook reports them).
const EXTRA = [
  // R2: event_time
  ['r2', 'event_time string one over i64', { event: envelope('financing_paid', { event_time: '9223372036854775808' }), financing: { financing_id: 'f1' } }, ['/event/event_time']],
  // payhook reads times from 0 to 2^53 - 1, which JavaScript holds exactly (one event, one key).
  ['r2', 'event_time string i64 max', { event: envelope('financing_paid', { event_time: '9223372036854775807' }), financing: { financing_id: 'f1' } }, ['/event/event_time']],
  ['r2', 'event_time string 2^53 - 1', { event: envelope('financing_paid', { event_time: '9007199254740991' }), financing: { financing_id: 'f1' } }, true],
  ['r2', 'event_time string 2^53', { event: envelope('financing_paid', { event_time: '9007199254740992' }), financing: { financing_id: 'f1' } }, ['/event/event_time']],
  ['r2', 'event_time string 2^53 - 1 with leading zeros', { event: envelope('financing_paid', { event_time: '0009007199254740991' }), financing: { financing_id: 'f1' } }, true],
  ['r2', 'event_time integer 2^53 - 1', { event: envelope('financing_paid', { event_time: 9007199254740991 }), financing: { financing_id: 'f1' } }, true],
  ['r2', 'event_time integer 2^53', { event: envelope('financing_paid', { event_time: 9007199254740992 }), financing: { financing_id: 'f1' } }, ['/event/event_time']],
  ['r2', 'created_at integer 2^53', { event: envelope('financing_paid'), financing: { financing_id: 'f1', created_at: 9007199254740992 } }, ['/financing/created_at']],
  ['r2', 'event_time string with leading zeros past 19 digits', { event: envelope('financing_paid', { event_time: '0000000000001348177752' }), financing: { financing_id: 'f1' } }, true],
  ['r2', 'event_time string in exponent form', { event: envelope('financing_paid', { event_time: '1.3e9' }), financing: { financing_id: 'f1' } }, ['/event/event_time']],
  ['r2', 'event_time string with a space', { event: envelope('financing_paid', { event_time: ' 1348177752' }), financing: { financing_id: 'f1' } }, ['/event/event_time']],
  ['r2', 'event_time negative integer', { event: envelope('financing_paid', { event_time: -5 }), financing: { financing_id: 'f1' } }, ['/event/event_time']],
  ['r2', 'event_time zero', { event: envelope('financing_paid', { event_time: 0 }), financing: { financing_id: 'f1' } }, true],
  // R2: envelope and objects
  ['r2', 'event null', { event: null, financing: { financing_id: 'f1' } }, ['/event']],
  ['r2', 'event_type null', { event: envelope(null), financing: { financing_id: 'f1' } }, ['/event/event_type']],
  ['r2', 'event_metadata absent', { event: without(envelope('financing_paid'), 'event_metadata'), financing: { financing_id: 'f1' } }, true],
  ['r2', 'financing_id null', { event: envelope('financing_paid'), financing: { financing_id: null } }, ['/financing/financing_id']],
  ['r2', 'financing null', { event: envelope('financing_created'), financing: null }, ['/financing']],
  ['r2', 'external_merchant_id empty', { event: envelope('financing_paid'), financing: { financing_id: 'f1', external_merchant_id: '' } }, ['/financing/external_merchant_id']],
  ['r2', 'requester_email_address a number', { event: envelope('financing_created'), financing: { financing_id: 'f1', requester_email_address: 7 } }, ['/financing/requester_email_address']],
  ['r2', 'every optional member null', {
    event: envelope('financing_created', { event_metadata: null }),
    financing: {
      financing_id: 'f1', disbursed_amount: null, total_repayment_amount: null, repayment_rate: null, currency: null, created_at: null,
      status: null, due_date: null, external_merchant_id: null, financing_kind: null, fixed_fee: null, metadata: null, custom_fields: null,
      requester_email_address: null,
    },
    payment: null,
  }, true],
  ['r2', 'unknown currency, status and kind; negative fee; digit-string dates', {
    event: envelope('financing_created'),
    financing: { financing_id: 'f1', currency: 'USD', status: 'DEFAULTED', financing_kind: 'BRIDGE', fixed_fee: -1.5, created_at: '1570471067', due_date: '1570471067' },
  }, true],
  ['r2', 'unknown members everywhere', {
    event: envelope('financing_paid', { source: 'api', event_metadata: { note: 'x' } }),
    financing: { financing_id: 'f1', interest: 1 },
    partner: { any: ['thing'] },
  }, true],
  ['r2', 'reserved top-level event_type and seen (dropped, lenient)', { event: envelope('financing_paid'), financing: { financing_id: 'f1' }, event_type: 'x', seen: 5 }, true],
  ['r2', 'collection_created: collection_id null', { event: envelope('collection_created'), collection: { collection_id: null, financing_id: 'f1' } }, ['/collection/collection_id']],
  ['r2', 'collection_rejected: collection_id null', { event: envelope('collection_rejected'), collection: { collection_id: null, financing_id: 'f1' } }, true],
  ['r2', 'collection_returned: related_collection_id null', { event: envelope('collection_returned'), collection: { collection_id: 'c2', financing_id: 'f1', related_collection_id: null } }, ['/collection/related_collection_id']],
  ['r2', 'collection_returned: both ids missing', { event: envelope('collection_returned'), collection: { financing_id: 'f1', repayment_amount: -5 } }, ['/collection/collection_id', '/collection/related_collection_id']],
  ['r2', 'collection_returned_by_insurance: no related_collection_id', { event: envelope('collection_returned_by_insurance'), collection: { collection_id: 'c2', financing_id: 'f1' } }, true],
  ['r2', 'direct_payment_created: unknown collection_kind', { event: envelope('direct_payment_created'), collection: { collection_id: 'c1', financing_id: 'f1', collection_kind: 'CARD' } }, true],
  ['r2', 'retention_id a number', { event: envelope('retention_created'), retention: { retention_id: 5 } }, ['/retention/retention_id']],
  ['r2', 'retention without an id', { event: envelope('retention_created'), retention: { total_amount: 5 } }, true],
  ['r2', 'application without an id', { event: envelope('application_created'), application: {} }, true],
  ['r2', 'payment_id empty', { event: envelope('financing_paid'), financing: { financing_id: 'f1' }, payment: { payment_id: '' } }, ['/payment/payment_id']],
  ['r2', 'unknown event type, no object', { event: envelope('loan_created') }, true],
  ['r2', 'unknown event type: payment not checked', { event: envelope('loan_created'), payment: 'p1', financing: 5 }, true],
  ['r2', 'unknown event type: envelope still checked', { event: without(envelope('loan_created'), 'event_time') }, ['/event/event_time']],
  ['r2', 'top-level object with nothing in it', {}, ['/event']],
  // Belvo: webhook_id
  ['belvo', 'webhook_id upper-case hex', payment({ webhook_id: HEX.toUpperCase() }), true],
  ['belvo', 'webhook_id upper-case UUID', payment({ webhook_id: UUID.toUpperCase() }), true],
  ['belvo', 'webhook_id dashes misplaced', payment({ webhook_id: '3b9a69f70-f0a-455b-832d-49ad6fd4905c' }), ['/webhook_id']],
  ['belvo', 'webhook_id in braces', payment({ webhook_id: `{${UUID}}` }), ['/webhook_id']],
  ['belvo', 'webhook_id with a trailing newline', payment({ webhook_id: `${HEX}\n` }), ['/webhook_id']],
  ['belvo', 'webhook_id 32 chars, not hex', payment({ webhook_id: 'gadf41a1fc8e4f79a49f7f04027ac999' }), ['/webhook_id']],
  ['belvo', 'webhook_id UUID without dashes but 36 long', payment({ webhook_id: `${HEX}abcd` }), ['/webhook_id']],
  ['belvo', 'webhook_id empty', payment({ webhook_id: '' }), ['/webhook_id']],
  ['belvo', 'webhook_id null', payment({ webhook_id: null }), ['/webhook_id']],
  ['belvo', 'webhook_id bad on an unknown type too', { webhook_id: 'nope', webhook_type: 'LOANS', webhook_code: 'OBJECT_CREATED' }, ['/webhook_id']],
  // Belvo: discriminants
  ['belvo', 'webhook_type empty', payment({ webhook_type: '' }), ['/webhook_type']],
  ['belvo', 'webhook_code null', payment({ webhook_code: null }), ['/webhook_code']],
  ['belvo', 'unknown type: only the core is checked', { webhook_id: UUID, webhook_type: 'LOANS', webhook_code: 'OBJECT_CREATED', data: [] }, true],
  ['belvo', 'payment code with an aggregation type is unknown', { webhook_id: HEX, webhook_type: 'ACCOUNTS', webhook_code: 'STATUS_UPDATE' }, true],
  ['belvo', 'payment type with an unknown code is unknown', { webhook_id: HEX, webhook_type: 'CHARGES', webhook_code: 'OBJECT_DELETED' }, true],
  ['belvo', 'undocumented pair CHARGES / OBJECT_CREATED still needs object_id', without(payment({ webhook_type: 'CHARGES', webhook_code: 'OBJECT_CREATED' }), 'object_id'), ['/object_id']],
  ['belvo', 'newer type ENROLLMENTS / STATUS_UPDATE needs data', without(payment({ webhook_type: 'ENROLLMENTS' }), 'data'), ['/data']],
  // Belvo: payment webhooks
  ['belvo', 'external_id absent', without(payment(), 'external_id'), true],
  ['belvo', 'external_id a string', payment({ external_id: 'c3c51aaf-aaa3-400c-926d-87ab62e195fd' }), true],
  ['belvo', 'object_id empty', payment({ object_id: '' }), ['/object_id']],
  ['belvo', 'object_id null', payment({ object_id: null }), ['/object_id']],
  ['belvo', 'data null', payment({ data: null }), ['/data']],
  ['belvo', 'every optional data member null', payment({ data: { status: null, failure_code: null, failure_message: null, end_to_end_id: null, metadata: null } }), true],
  ['belvo', 'unknown status and failure codes in both cases', payment({ webhook_type: 'CHARGES', data: { status: 'REVERSED', failure_code: 'consent_expired' } }), true],
  ['belvo', 'upper-case failure_code', payment({ data: { status: 'FAILED', failure_code: 'INSUFFICIENT_FUNDS', extra: { x: 1 } } }), true],
  ['belvo', 'failure_message a number', payment({ data: { failure_message: 5 } }), ['/data/failure_message']],
  ['belvo', 'status an array on CHARGES', payment({ webhook_type: 'CHARGES', data: { status: ['FAILED'] } }), ['/data/status']],
  // Belvo: aggregation webhooks
  ['belvo', 'aggregation: link_id null', aggregation({ link_id: null }), ['/link_id']],
  ['belvo', 'aggregation: data missing', without(aggregation(), 'data'), ['/data']],
  ['belvo', 'aggregation: request_id, process_type, external_id null', aggregation({ request_id: null, process_type: null, external_id: null }), true],
  ['belvo', 'aggregation: unknown process_type', aggregation({ process_type: 'manual_update' }), true],
  ['belvo', 'historical_update of an unknown type still needs link_id', without(aggregation({ webhook_type: 'OWNERS' }), 'link_id'), ['/link_id']],
  ['belvo', 'historical_update: other counts kept', aggregation({ webhook_type: 'OWNERS', data: { total_owners: 'many' } }), true],
  ['belvo', 'historical_update: date a number', aggregation({ webhook_type: 'TRANSACTIONS', data: { first_transaction_date: 20230131 } }), ['/data/first_transaction_date']],
  ['belvo', 'total_bills fractional', aggregation({ webhook_type: 'BILLS', data: { total_bills: 2.5 } }), ['/data/total_bills']],
  ['belvo', 'new_accounts negative', aggregation({ webhook_code: 'new_accounts_available', data: { new_accounts: -1 } }), ['/data/new_accounts']],
  ['belvo', 'total_accounts 2^53 - 1', aggregation({ data: { total_accounts: 9007199254740991 } }), true],
  ['belvo', 'total_accounts 2^53, past what JavaScript holds exactly', aggregation({ data: { total_accounts: 9007199254740992 } }), ['/data/total_accounts']],
  ['belvo', 'transactions_deleted: data kept whole', aggregation({ webhook_type: 'TRANSACTIONS', webhook_code: 'transactions_deleted', data: { ids: ['t1'], total: 'x' } }), true],
  ['belvo', 'token_required without link_id', without(aggregation({ webhook_type: 'LINKS', webhook_code: 'token_required', data: {} }), 'link_id'), ['/link_id']],
  ['belvo', 'invalid_credentials: status a boolean', aggregation({ webhook_type: 'LINKS', webhook_code: 'invalid_credentials', data: { status: false } }), ['/data/status']],
  ['belvo', 'consent_expired: institution a number', aggregation({ webhook_type: 'CONSENTS', webhook_code: 'consent_expired', data: { institution: 1 } }), ['/data/institution']],
  ['belvo', 'openfinance_consent_expired: consent_id null', aggregation({ webhook_type: 'CONSENTS', webhook_code: 'openfinance_consent_expired', data: { consent_id: null } }), true],
].map(([provider, name, value, expected]) => ({
  provider,
  name,
  value,
  body: JSON.stringify(value),
  valid: expected === true,
  paths: expected === true ? [] : expected,
}));

const CASES = [...vectorCases(), ...EXTRA];

test('the tables hold enough cases of each kind', () => {
  const failing = CASES.filter((c) => !c.valid);
  assert.ok(failing.length >= 15, `only ${failing.length} payloads that must fail`);
  for (const provider of ['r2', 'belvo']) {
    assert.ok(failing.some((c) => c.provider === provider), `no failing ${provider} case`);
    assert.ok(CASES.some((c) => c.valid && c.provider === provider), `no lenient ${provider} case`);
  }
  assert.equal(new Set(CASES.map((c) => `${c.provider} ${c.name}`)).size, CASES.length, 'case names repeat');
});

for (const c of CASES) {
  test(`${c.provider} ${c.valid ? 'accepts' : 'rejects'}: ${c.name}`, () => {
    const validate = validatorFor(c.provider);
    const ok = validate(c.value);
    if (c.valid) {
      assert.ok(ok, `the schema refuses a payload payhook accepts:\n${explain(validate.errors)}`);
    } else {
      assert.equal(ok, false, `the schema accepts a payload payhook refuses (${c.paths.join(', ')})`);
      const found = errorPaths(validate.errors);
      for (const path of c.paths) {
        assert.ok(found.has(path), `no schema error at ${JSON.stringify(path)}; errors:\n${explain(validate.errors)}`);
      }
    }
  });
}

// payhook's lenient verdict on every case. Payloads holding integers above 2^53 (an i64
// `event_time`, a u64 count: refused, as past 2^53 - 1) must give a report too, never a
// conversion error.
const verdicts = [];
const threw = [];
if (payhook) {
  for (const c of CASES) {
    try {
      const report = payhookReport(c.provider, c.body);
      verdicts.push({ c, ok: report.ok, issues: report.issues });
    } catch (error) {
      threw.push(`${c.provider} ${c.name}: ${error.code ?? ''} ${error.message}`);
    }
  }
}

test('payhook and the schemas agree on every case', { skip: payhook ? false : payhookMissing }, () => {
  const disagree = verdicts
    .filter(({ c, ok }) => ok !== c.valid)
    .map(({ c, ok, issues }) => `${c.provider} ${c.name}: schema valid=${c.valid}, payhook ok=${ok} ${JSON.stringify(issues)}`);
  assert.deepEqual(disagree, []);
  assert.ok(verdicts.length + threw.length === CASES.length);
});

test('payhook returns a report for every case (integers above 2^53 included)', {
  skip: payhook ? false : payhookMissing,
}, () => {
  assert.deepEqual(threw, []);
});
