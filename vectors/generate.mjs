#!/usr/bin/env node
// Regenerates r2_signature.json and belvo_authorization.json.
//
// Every R2 tag comes from `openssl dgst -sha256 -hmac` (as R2's walkthrough shows it), never
// from payhook: the vectors check payhook against an independent implementation. The other
// encodings are re-encodings of openssl's output. Run: node vectors/generate.mjs
// (`--check` compares with the committed files instead of writing them).
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

const here = new URL('.', import.meta.url);

/** openssl's HMAC-SHA256 of body under secret, as the lowercase hex it prints. */
function opensslHex(body, secret) {
  const out = execFileSync(
    'openssl',
    ['dgst', '-sha256', '-mac', 'HMAC', '-macopt', `hexkey:${Buffer.from(secret).toString('hex')}`],
    { input: body },
  ).toString();
  const hex = out.trim().split(/\s+/).pop();
  if (!/^[0-9a-f]{64}$/.test(hex)) throw new Error(`unexpected openssl output: ${out}`);
  return hex;
}

/** The `Content-Sha256` value in each documented encoding, from openssl's hex. */
function encodings(body, secret) {
  const hex = opensslHex(body, secret);
  const raw = Buffer.from(hex, 'hex');
  const b64 = raw.toString('base64');
  const b64hex = Buffer.from(hex).toString('base64');
  return {
    hex,
    HEX: hex.toUpperCase(),
    base64: b64,
    base64_unpadded: b64.replace(/=+$/, ''),
    base64url: raw.toString('base64url'),
    base64url_padded: raw.toString('base64url') + '=',
    base64_hex: b64hex,
    base64_hex_one_short: b64hex.slice(0, -1),
    base64_hex_unpadded: b64hex.replace(/=+$/, ''),
    base64_hex_url: Buffer.from(hex).toString('base64url'),
    base64_hex_upper: Buffer.from(hex.toUpperCase()).toString('base64'),
  };
}

const encodingOf = {
  hex: 'hex', HEX: 'hex', base64: 'base64', base64_unpadded: 'base64', base64url: 'base64url',
  base64url_padded: 'base64url', base64_hex: 'base64-hex', base64_hex_one_short: 'base64-hex',
  base64_hex_unpadded: 'base64-hex', base64_hex_url: 'base64-hex', base64_hex_upper: 'base64-hex',
};

// A FinancingEvent as R2's callbacks page shows it, made into valid JSON.
const financing = Buffer.from(JSON.stringify({
  event: { event_time: 1348177752, event_type: 'financing_created', event_metadata: {} },
  financing: {
    financing_id: 'fa5c8a0b0f492d768749333ad6fcc214c111e967', disbursed_amount: 12200,
    total_repayment_amount: 14606, repayment_rate: 17.36, currency: 'COP', created_at: 1570471067,
    status: 'ACTIVE', due_date: 1570471067, external_merchant_id: '5509723654647999613',
    financing_kind: 'REFILL', fixed_fee: 177.9,
  },
}));
const secret = 'r2-partner-jwt-secret';
const oldSecret = 'r2-partner-previous-secret';

/** A body as the vectors store it: UTF-8 text when it is, hex otherwise. */
const bodyField = (bytes) => {
  const text = bytes.toString('utf8');
  return Buffer.from(text, 'utf8').equals(bytes) ? { body: text } : { body_hex: bytes.toString('hex') };
};

const r2 = [];
const ok = (name, body, header, secrets, secretIndex, encoding) =>
  r2.push({ name, ...bodyField(body), header, secrets, expect: { secret_index: secretIndex, encoding } });
const fail = (name, body, header, secrets, error) =>
  r2.push({ name, ...bodyField(body), header, secrets, expect: { error } });

// Every documented encoding of one real delivery.
const sig = encodings(financing, secret);
for (const [form, header] of Object.entries(sig)) {
  ok(`financing_created signed as ${form}`, financing, header, [secret], 0, encodingOf[form]);
}
ok('surrounding spaces and tabs are tolerated', financing, ` \t${sig.hex} \t`, [secret], 0, 'hex');
ok('a trailing CRLF is tolerated', financing, `${sig.base64}\r\n`, [secret], 0, 'base64');

// Rotation: the result names the secret that matched.
ok('rotation: new secret second', financing, sig.base64, [oldSecret, secret], 1, 'base64');
ok('rotation: new secret first', financing, sig.base64, [secret, oldSecret], 0, 'base64');
ok('rotation: same secret twice reports the first', financing, sig.hex, [secret, secret], 0, 'hex');

// Bodies of every kind: the signature covers bytes, whatever they are.
const bodies = {
  'an empty body': Buffer.alloc(0),
  'an emoji body': Buffer.from('{"note":"pago recibido ✅ 💸","currency":"COP"}'),
  'a non-UTF-8 body': Buffer.from([0xff, 0xfe, 0x00, 0x80, 0x7b, 0x7d, 0xc3, 0x28]),
  'a body with a BOM': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), financing]),
};
for (const [what, body] of Object.entries(bodies)) {
  const s = encodings(body, secret);
  ok(`${what} (hex)`, body, s.hex, [secret], 0, 'hex');
  ok(`${what} (base64-hex)`, body, s.base64_hex, [secret], 0, 'base64-hex');
}
const unicodeSecret = 'clave-secreta-ñ-🔑';
ok('a non-ASCII secret', financing, encodings(financing, unicodeSecret).base64, [unicodeSecret], 0, 'base64');

// Tampering: any change to the bytes breaks the signature.
const text = financing.toString();
const tampered = {
  'one digit of an amount changed': text.replace('12200', '12201'),
  'a trailing newline added': `${text}\n`,
  're-serialised with indentation': JSON.stringify(JSON.parse(text), null, 2),
  'keys reordered': JSON.stringify({ financing: JSON.parse(text).financing, event: JSON.parse(text).event }),
  'truncated by one byte': text.slice(0, -1),
};
for (const [what, body] of Object.entries(tampered)) {
  fail(`tampered body: ${what}`, Buffer.from(body), sig.base64_hex, [secret], 'signature_mismatch');
}
fail('wrong secret', financing, sig.hex, ['another-partner-secret'], 'signature_mismatch');
fail('secret differs in case', financing, sig.hex, [secret.toUpperCase()], 'signature_mismatch');
fail('secret with a trailing newline', financing, sig.hex, [`${secret}\n`], 'signature_mismatch');
fail('signature of another body', financing, encodings(Buffer.from('{}'), secret).hex, [secret], 'signature_mismatch');
fail('R2 example value from the callbacks page (base64 of hex, one = short)', financing,
  'Y2Y2MzVhOTdiZDVhZmVhNWRiYWJmMmRiZGRhOGQzYWE3OGU1NWIxNDkzMzgzNzdjMWI5M2Y1OGEzYzEyNzZjMg=',
  [secret], 'signature_mismatch');
const flipped = sig.hex.slice(0, -1) + (sig.hex.endsWith('0') ? '1' : '0');
fail('last hex digit flipped', financing, flipped, [secret], 'signature_mismatch');

// Missing and malformed headers.
fail('header absent', financing, null, [secret], 'signature_missing');
fail('header empty', financing, '', [secret], 'signature_missing');
fail('header only whitespace', financing, ' \t ', [secret], 'signature_missing');
const malformed = {
  'hex one digit short': sig.hex.slice(0, -1),
  'hex one digit long': `${sig.hex}0`,
  'hex with a non-hex digit': `g${sig.hex.slice(1)}`,
  'hex with a space inside': `${sig.hex.slice(0, 32)} ${sig.hex.slice(33)}`,
  'base64 truncated': sig.base64.slice(0, 40),
  'base64 with a character outside both alphabets': `*${sig.base64.slice(1)}`,
  'base64 over-padded': `${sig.base64}=`,
  'base64 mixing both alphabets': `-+${sig.base64.slice(2)}`,
  'base64 with non-zero trailing bits': `${sig.base64_unpadded.slice(0, -1)}${sig.base64_unpadded.endsWith('B') ? 'C' : 'B'}`,
  'base64-hex truncated': sig.base64_hex.slice(0, 80),
  'base64 of 64 non-hex characters': Buffer.from('z'.repeat(64)).toString('base64'),
  'a GitHub-style sha256= prefix': `sha256=${sig.hex}`,
  'two headers folded into one': `${sig.hex}, ${sig.hex}`,
  'garbage': 'not a signature',
  'non-ASCII': 'é'.repeat(32),
  'a JWT instead of a signature': 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJyMiJ9.c2ln',
};
for (const [what, header] of Object.entries(malformed)) {
  fail(`malformed header: ${what}`, financing, header, [secret], 'signature_malformed');
}

// Configuration errors come first, whatever the request holds.
fail('no secrets', financing, sig.hex, [], 'secret_invalid');
fail('an empty secret', financing, sig.hex, [''], 'secret_invalid');
fail('an empty secret beside a good one', financing, sig.hex, [secret, ''], 'secret_invalid');
fail('no secrets and no header', financing, null, [], 'secret_invalid');

// Belvo: the Authorization value registered with the webhook, checked as sent.
const basic = (user, password) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const bearer = 'Bearer hv7alD71j0dzXf09iKfg7u';
const belvo = [];
const accept = (name, header, accepted, acceptedIndex, scheme) =>
  belvo.push({ name, header, accepted, expect: { accepted_index: acceptedIndex, scheme } });
const refuse = (name, header, accepted, error) => belvo.push({ name, header, accepted, expect: { error } });

accept('Bearer, exact', bearer, [bearer], 0, 'bearer');
accept('Bearer, scheme in lower case', 'bearer hv7alD71j0dzXf09iKfg7u', [bearer], 0, 'bearer');
accept('Bearer, scheme in upper case', 'BEARER hv7alD71j0dzXf09iKfg7u', [bearer], 0, 'bearer');
accept('Bearer, several spaces after the scheme', 'Bearer    hv7alD71j0dzXf09iKfg7u', [bearer], 0, 'bearer');
accept('Bearer, surrounding whitespace', ' \tBearer hv7alD71j0dzXf09iKfg7u\t ', [bearer], 0, 'bearer');
accept('Bearer, token68 padding and symbols', 'Bearer abc-._~+/def==', ['Bearer abc-._~+/def=='], 0, 'bearer');
accept('Basic, exact', basic('belvo', 's3cr3t'), [basic('belvo', 's3cr3t')], 0, 'basic');
accept('Basic, scheme in lower case', basic('belvo', 's3cr3t').replace('Basic', 'basic'), [basic('belvo', 's3cr3t')], 0, 'basic');
accept('Basic, password containing colons', basic('belvo', 'pa:ss:word'), [basic('belvo', 'pa:ss:word')], 0, 'basic');
accept('Basic, empty password', basic('belvo', ''), [basic('belvo', '')], 0, 'basic');
accept('Basic, unpadded base64 of the same credentials', basic('ab', 'cd').replace(/=+$/, ''), [basic('ab', 'cd')], 0, 'basic');
accept('Basic, non-ASCII password (UTF-8)', basic('belvo', 'contraseña'), [basic('belvo', 'contraseña')], 0, 'basic');
accept('rotation: second accepted value', bearer, ['Bearer old-token', bearer], 1, 'bearer');
accept('rotation: Basic beside Bearer', basic('belvo', 's3cr3t'), [bearer, basic('belvo', 's3cr3t')], 1, 'basic');

refuse('header absent', null, [bearer], 'authorization_missing');
refuse('header empty', '', [bearer], 'authorization_missing');
refuse('header only whitespace', '   ', [bearer], 'authorization_missing');
refuse('wrong token', 'Bearer hv7alD71j0dzXf09iKfg7v', [bearer], 'authorization_mismatch');
refuse('token differs in case', 'Bearer HV7ALD71J0DZXF09IKFG7U', [bearer], 'authorization_mismatch');
refuse('token is a prefix of the accepted one', 'Bearer hv7alD71j0dz', [bearer], 'authorization_mismatch');
refuse('token extends the accepted one', 'Bearer hv7alD71j0dzXf09iKfg7uX', [bearer], 'authorization_mismatch');
refuse('right token under the Basic scheme', 'Basic hv7alD71j0dzXf09iKfg7u', [bearer], 'authorization_malformed');
refuse('wrong scheme: Token', 'Token hv7alD71j0dzXf09iKfg7u', [bearer], 'authorization_mismatch');
refuse('wrong scheme: Digest', 'Digest username="belvo"', [bearer], 'authorization_mismatch');
refuse('Basic credentials where Bearer is accepted', basic('belvo', 's3cr3t'), [bearer], 'authorization_mismatch');
refuse('Basic, wrong password', basic('belvo', 'guess'), [basic('belvo', 's3cr3t')], 'authorization_mismatch');
refuse('Basic, wrong user', basic('other', 's3cr3t'), [basic('belvo', 's3cr3t')], 'authorization_mismatch');
refuse('Basic, user and password swapped', basic('s3cr3t', 'belvo'), [basic('belvo', 's3cr3t')], 'authorization_mismatch');
accept('Basic, the same bytes split at the first colon', basic('belvo:s3', 'cr3t'), [basic('belvo', 's3:cr3t')], 0, 'basic');
refuse('Basic, bad base64', 'Basic ***', [basic('belvo', 's3cr3t')], 'authorization_malformed');
refuse('Basic, base64 without a colon', `Basic ${Buffer.from('belvos3cr3t').toString('base64')}`, [basic('belvo', 's3cr3t')], 'authorization_malformed');
refuse('the bare token without a scheme', 'hv7alD71j0dzXf09iKfg7u', [bearer], 'authorization_malformed');
refuse('the scheme without a token', 'Bearer', [bearer], 'authorization_malformed');
refuse('the scheme and spaces without a token', 'Bearer   ', [bearer], 'authorization_malformed');
refuse('a space inside the token', 'Bearer hv7alD71j0dz Xf09iKfg7u', [bearer], 'authorization_malformed');
refuse('two headers folded into one', `${bearer}, ${bearer}`, [bearer], 'authorization_malformed');
refuse('non-ASCII token', 'Bearer contraseña', [bearer], 'authorization_malformed');
refuse('control character in the token', 'Bearer hv7al\u0001D71', [bearer], 'authorization_malformed');
refuse('no accepted values', bearer, [], 'secret_invalid');
refuse('an empty accepted value', bearer, [''], 'secret_invalid');
refuse('an accepted value with an unknown scheme', bearer, ['Token abc'], 'secret_invalid');
refuse('an accepted value without a scheme', bearer, ['hv7alD71j0dzXf09iKfg7u'], 'secret_invalid');
refuse('an accepted Basic value without a colon', bearer, [`Basic ${Buffer.from('nocolon').toString('base64')}`], 'secret_invalid');
// A registered credential must hold some secret: `Basic Og==` (":") holds none, and would
// accept anyone who sends it. One empty half is kept: an API key as the user with no
// password (`-u key:`) and a token as the password with no user (`-u :token`) are common.
refuse('the scheme alone as an accepted value', bearer, ['Bearer'], 'secret_invalid');
refuse('an accepted Bearer value with only spaces for a token', bearer, ['Bearer   '], 'secret_invalid');
refuse('an accepted Basic value with neither user nor password', basic('', ''), [basic('', '')], 'secret_invalid');
refuse('an accepted Basic value with neither user nor password, unpadded', 'Basic Og', ['Basic Og'], 'secret_invalid');
refuse('an accepted Basic value with neither user nor password, beside a good one', bearer, [bearer, basic('', '')], 'secret_invalid');
refuse('an empty Basic credential sent where Basic is accepted', basic('', ''), [basic('belvo', 's3cr3t')], 'authorization_mismatch');
accept('Basic, empty user with a password', basic('', 's3cr3t'), [basic('', 's3cr3t')], 0, 'basic');

const files = {
  'r2_signature.json': {
    about: 'R2 Content-Sha256 vectors: HMAC-SHA256 tags from `openssl dgst -sha256 -hmac`, in every documented encoding. Generated by vectors/generate.mjs; do not edit by hand.',
    cases: r2,
  },
  'belvo_authorization.json': {
    about: 'Belvo Authorization header vectors: header, accepted values -> verdict. Generated by vectors/generate.mjs; do not edit by hand.',
    cases: belvo,
  },
};

let stale = 0;
for (const [name, content] of Object.entries(files)) {
  const path = new URL(name, here);
  const json = `${JSON.stringify(content, null, 1)}\n`;
  if (process.argv.includes('--check')) {
    if (readFileSync(path, 'utf8') !== json) {
      console.error(`${name} is stale: run node vectors/generate.mjs`);
      stale += 1;
    }
  } else {
    writeFileSync(path, json);
    console.log(`${name}: ${content.cases.length} cases`);
  }
}
process.exit(stale ? 1 : 0);
