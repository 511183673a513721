'use strict';
// The JS suite, run against the packed package: the shared vectors and the bad-input table.
// ESM (esm.test.mjs) and CommonJS (cjs.test.cjs) both call define() with what they
// imported, so both module systems run every case.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

const vectors = (name) => JSON.parse(readFileSync(join(__dirname, '..', 'vectors', name), 'utf8')).cases;

/** The code of what fn throws, after checking it is a proper PayhookError. */
function thrownCode(payhook, fn) {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof Error, 'an Error');
    assert.ok(error instanceof payhook.PayhookError, 'a PayhookError');
    assert.equal(error.name, 'PayhookError');
    assert.equal(typeof error.status, 'number');
    assert.ok(error.message.length > 10, 'a helpful message');
    return error.code;
  }
  return 'no error thrown';
}

/** Runs fn and gives its result or the code it threw, in the vectors' terms. */
function verdict(payhook, fn, indexKey, labelKey) {
  let result;
  try {
    result = fn();
  } catch {
    return { error: thrownCode(payhook, fn) };
  }
  return { [indexKey === 'secretIndex' ? 'secret_index' : 'accepted_index']: result[indexKey], [labelKey]: result[labelKey] };
}

function define(payhook, label) {
  const { signR2, verifyR2Signature, checkBelvoAuthorization, errorCodes, PayhookError } = payhook;
  const stillWorks = () => {
    const header = signR2('{}', 'k');
    assert.deepEqual(verifyR2Signature('{}', header, 'k'), { secretIndex: 0, encoding: 'base64-hex' });
  };

  for (const c of vectors('r2_signature.json')) {
    test(`${label} r2 vector: ${c.name}`, () => {
      const body = c.body_hex === undefined ? Buffer.from(c.body, 'utf8') : Buffer.from(c.body_hex, 'hex');
      // As a Uint8Array (not Buffer), as a Buffer, and as a string where the body is text.
      const forms = [new Uint8Array(body), body];
      if (c.body !== undefined) forms.push(c.body);
      for (const form of forms) {
        const got = verdict(payhook, () => verifyR2Signature(form, c.header, c.secrets), 'secretIndex', 'encoding');
        assert.deepEqual(got, c.expect);
      }
    });
  }

  for (const c of vectors('belvo_authorization.json')) {
    test(`${label} belvo vector: ${c.name}`, () => {
      const got = verdict(payhook, () => checkBelvoAuthorization(c.header, c.accepted), 'acceptedIndex', 'scheme');
      assert.deepEqual(got, c.expect);
    });
  }

  const big = 'a'.repeat(10 * 1024 * 1024);
  const body8mb = new Uint8Array(8 * 1024 * 1024).fill(0xff);
  const okHeader = signR2('{}', 'k');
  const badInput = [
    ['empty header', () => verifyR2Signature('{}', '', 'k'), 'signature_missing'],
    ['undefined header (absent in Node)', () => verifyR2Signature('{}', undefined, 'k'), 'signature_missing'],
    ['null header (absent in Fetch)', () => verifyR2Signature('{}', null, 'k'), 'signature_missing'],
    ['10 MB header', () => verifyR2Signature('{}', big, 'k'), 'signature_malformed'],
    ['non-ASCII header', () => verifyR2Signature('{}', 'ñ'.repeat(44), 'k'), 'signature_malformed'],
    ['two header lines', () => verifyR2Signature('{}', [okHeader, okHeader], 'k'), 'signature_malformed'],
    ['0-byte body, wrong signature', () => verifyR2Signature(new Uint8Array(0), okHeader, 'k'), 'signature_mismatch'],
    ['8 MB body, tag of another body', () => verifyR2Signature(body8mb, okHeader, 'k'), 'signature_mismatch'],
    ['non-UTF-8 body, tag of another body', () => verifyR2Signature(Uint8Array.of(0xff, 0xc3, 0x28), okHeader, 'k'), 'signature_mismatch'],
    ['secret list empty', () => verifyR2Signature('{}', okHeader, []), 'secret_invalid'],
    ['secret of 0 bytes', () => verifyR2Signature('{}', okHeader, ''), 'secret_invalid'],
    ['secret of 0 bytes as Uint8Array', () => verifyR2Signature('{}', okHeader, [new Uint8Array(0)]), 'secret_invalid'],
    ['secrets null', () => verifyR2Signature('{}', okHeader, null), 'secret_invalid'],
    ['secrets a number', () => verifyR2Signature('{}', okHeader, 42), 'secret_invalid'],
    ['secrets an object', () => verifyR2Signature('{}', okHeader, { secret: 'k' }), 'secret_invalid'],
    ['body null', () => verifyR2Signature(null, okHeader, 'k'), 'argument_invalid'],
    ['body undefined', () => verifyR2Signature(undefined, okHeader, 'k'), 'argument_invalid'],
    ['body a number', () => verifyR2Signature(42, okHeader, 'k'), 'argument_invalid'],
    ['body a parsed object', () => verifyR2Signature({ event: {} }, okHeader, 'k'), 'argument_invalid'],
    ['header a number', () => verifyR2Signature('{}', 42, 'k'), 'argument_invalid'],
    ['header an object', () => verifyR2Signature('{}', {}, 'k'), 'argument_invalid'],
    ['sign with an empty secret', () => signR2('{}', ''), 'secret_invalid'],
    ['sign with an unknown encoding', () => signR2('{}', 'k', { encoding: 'base32' }), 'argument_invalid'],
    ['sign with options a string', () => signR2('{}', 'k', 'hex'), 'argument_invalid'],
    ['sign a number', () => signR2(1, 'k'), 'argument_invalid'],
    ['authorization 10 MB', () => checkBelvoAuthorization(`Bearer ${big}`, 'Bearer a'), 'authorization_mismatch'],
    ['authorization a number', () => checkBelvoAuthorization(7, 'Bearer a'), 'argument_invalid'],
    ['authorization non-ASCII', () => checkBelvoAuthorization('Bearer señal', 'Bearer a'), 'authorization_malformed'],
    ['accepted empty list', () => checkBelvoAuthorization('Bearer a', []), 'secret_invalid'],
    ['accepted null', () => checkBelvoAuthorization('Bearer a', null), 'secret_invalid'],
    ['accepted a number in the list', () => checkBelvoAuthorization('Bearer a', ['Bearer a', 5]), 'secret_invalid'],
  ];
  for (const [name, fn, code] of badInput) {
    test(`${label} bad input: ${name} -> ${code}`, () => {
      assert.equal(thrownCode(payhook, fn), code);
      stillWorks();
    });
  }

  test(`${label} every body type signs and verifies alike`, () => {
    const text = '{"nota":"pago ✅ 💸"}';
    const bytes = new TextEncoder().encode(text);
    for (const encoding of ['hex', 'base64', 'base64url', 'base64-hex']) {
      const header = signR2(bytes, 'k', { encoding });
      for (const body of [text, bytes, Buffer.from(bytes), bytes.buffer, new DataView(bytes.buffer)]) {
        assert.deepEqual(verifyR2Signature(body, header, ['old', 'k']), { secretIndex: 1, encoding });
      }
    }
  });

  test(`${label} signR2 matches node:crypto in every encoding`, () => {
    const { createHmac } = require('node:crypto');
    const body = Buffer.from('{"event":{"event_type":"financing_paid"}}');
    const raw = createHmac('sha256', 'jwt-secret').update(body).digest();
    const hex = raw.toString('hex');
    assert.equal(signR2(body, 'jwt-secret', { encoding: 'hex' }), hex);
    assert.equal(signR2(body, 'jwt-secret', { encoding: 'base64' }), raw.toString('base64'));
    assert.equal(signR2(body, 'jwt-secret', { encoding: 'base64url' }), raw.toString('base64url'));
    assert.equal(signR2(body, 'jwt-secret', { encoding: 'base64-hex' }), Buffer.from(hex).toString('base64'));
    assert.equal(signR2(body, 'jwt-secret'), Buffer.from(hex).toString('base64'));
  });

  test(`${label} errors never carry the secret, the token or the expected signature`, () => {
    const secret = 'partner-jwt-secret-value';
    const expected = signR2('{"a":1}', secret);
    for (const fn of [
      () => verifyR2Signature('{"a":2}', expected, secret),
      () => verifyR2Signature('{"a":1}', `${expected}x`, secret),
      () => checkBelvoAuthorization('Bearer wrong-guess', `Bearer ${secret}`),
    ]) {
      try {
        fn();
        assert.fail('expected a throw');
      } catch (error) {
        const shown = `${error.message} ${error.stack} ${JSON.stringify(error)} ${require('node:util').inspect(error)}`;
        for (const leak of [secret, expected, 'wrong-guess']) assert.ok(!shown.includes(leak), `leaked ${leak}`);
      }
    }
  });

  test(`${label} PayhookError is a real Error subclass users can throw too`, () => {
    const mine = new PayhookError('signature_mismatch', 401, 'mine');
    assert.ok(mine instanceof PayhookError && mine instanceof Error);
    assert.deepEqual([mine.name, mine.code, mine.status, mine.message], ['PayhookError', 'signature_mismatch', 401, 'mine']);
    assert.ok(!(new Error('plain') instanceof PayhookError));
    assert.ok(!({ name: 'PayhookError', code: 'x' } instanceof PayhookError));
    class Sub extends PayhookError {}
    assert.ok(new Sub('signature_missing', 401, 'sub') instanceof Sub);
    assert.ok(!(mine instanceof Sub));
  });

  test(`${label} errorCodes() matches the ErrorCode type of index.d.ts`, () => {
    const dts = readFileSync(require.resolve('payhook/package.json').replace('package.json', 'index.d.ts'), 'utf8');
    const union = dts.match(/export type ErrorCode =([^;]*);/)[1].match(/'([a-z_]+)'/g).map((s) => s.slice(1, -1));
    const codes = errorCodes();
    assert.deepEqual(codes.map((e) => e.code), union);
    for (const e of codes) assert.ok(e.status >= 400 && e.status < 600 && e.message.length > 0, e.code);
  });
}

module.exports = { define };
