// Checks that need Node's own modules: node:crypto, Buffer, util.inspect, reading the installed
// index.d.ts, and ESM/CommonJS parity through createRequire. Run by the Node runners (ESM and
// CJS) and by Bun, which has these modules too. Not run in Deno (it would need --allow-read),
// workerd or browsers; the portable suites cover the same ground there.
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { inspect } from 'node:util';
import { exportNames, toolsNames } from './load.mjs';

const require = createRequire(import.meta.url);

export default function define({ payhook, test, assert, label }) {
  const { signR2, verifyR2Signature, checkBelvoAuthorization, errorCodes } = payhook;

  test(`${label} signR2 matches node:crypto in every encoding`, () => {
    const body = Buffer.from('{"event":{"event_type":"financing_paid"}}');
    const raw = createHmac('sha256', 'jwt-secret').update(body).digest();
    const hex = raw.toString('hex');
    assert.equal(signR2(body, 'jwt-secret', { encoding: 'hex' }), hex);
    assert.equal(signR2(body, 'jwt-secret', { encoding: 'base64' }), raw.toString('base64'));
    assert.equal(signR2(body, 'jwt-secret', { encoding: 'base64url' }), raw.toString('base64url'));
    assert.equal(signR2(body, 'jwt-secret', { encoding: 'base64-hex' }), Buffer.from(hex).toString('base64'));
    assert.equal(signR2(body, 'jwt-secret'), Buffer.from(hex).toString('base64'));
  });

  test(`${label} a Buffer view into a larger buffer verifies as its own bytes`, () => {
    // Buffers are views into shared pools: only the view's own bytes may be read.
    const pool = Buffer.from('xxxx{"pooled":true}yyyy');
    const body = pool.subarray(4, pool.length - 4);
    assert.ok(body.byteOffset >= 4 && body.buffer.byteLength > body.length);
    const header = signR2(body, 'k');
    assert.deepEqual(verifyR2Signature(body, header, 'k'), { secretIndex: 0, encoding: 'base64-hex' });
    assert.deepEqual(verifyR2Signature(body.toString(), header, 'k'), { secretIndex: 0, encoding: 'base64-hex' });
  });

  test(`${label} errors never show a secret through util.inspect`, () => {
    const secret = 'partner-jwt-secret-value';
    const expected = signR2('{"a":1}', secret);
    for (const fn of [
      () => verifyR2Signature('{"a":2}', expected, secret),
      () => verifyR2Signature('{"a":1}', `${expected}x`, secret),
      () => checkBelvoAuthorization('Bearer wrong-guess', `Bearer ${secret}`),
    ]) {
      const error = assert.throws(fn);
      const shown = `${inspect(error)} ${inspect(error, { showHidden: true, depth: 5 })}`;
      for (const leak of [secret, expected, 'wrong-guess']) assert.ok(!shown.includes(leak), `leaked ${leak}`);
    }
  });

  test(`${label} errorCodes() matches the ErrorCode type of index.d.ts`, () => {
    const dts = readFileSync(require.resolve('payhook/package.json').replace('package.json', 'index.d.ts'), 'utf8');
    const union = dts.match(/export type ErrorCode =([^;]*);/)[1].match(/'([a-z_]+)'/g).map((s) => s.slice(1, -1));
    const codes = errorCodes();
    assert.deepEqual(codes.map((e) => e.code), union);
    for (const e of codes) {
      // 4xx/5xx, except a stale event: acknowledged with 200 (tests/vectors.rs does the same).
      const acknowledged = e.code === 'event_stale' && e.status === 200;
      assert.ok(((e.status >= 400 && e.status < 600) || acknowledged) && e.message.length > 0, e.code);
    }
  });

  test(`${label} ESM and CommonJS are one instance: the same names, the same objects`, async () => {
    const esm = await import('payhook');
    const cjs = require('payhook');
    const names = (m) => Object.keys(m).filter((k) => k !== 'default' && k !== '__esModule' && k !== 'module.exports').sort();
    assert.deepEqual(names(esm), names(cjs));
    assert.deepEqual(names(cjs), exportNames);
    for (const name of exportNames) assert.equal(cjs[name], esm[name], `${name}: one object, whichever way it was loaded`);
    const [esmTools, cjsTools] = [await import('payhook/tools'), require('payhook/tools')];
    assert.deepEqual(names(cjsTools), toolsNames);
    for (const name of toolsNames) assert.equal(cjsTools[name], esmTools[name], `payhook/tools ${name}: one object`);
    for (const [thrower, catcher] of [[esm, cjs], [cjs, esm], [payhook, esm], [payhook, cjs]]) {
      const error = assert.throws(() => thrower.verifyR2Signature('{}', null, 'k'));
      assert.ok(error instanceof catcher.PayhookError);
      assert.equal(error.code, 'signature_missing');
    }
  });

  test(`${label} an Allowlist from either copy works with the other`, async () => {
    const esm = await import('payhook');
    const cjs = require('payhook');
    const mixed = cjs.R2_ALLOWLIST.union(esm.BELVO_ALLOWLIST);
    assert.equal(mixed.size, 5);
    assert.ok(new esm.Allowlist(cjs.BELVO_ALLOWLIST).contains('3.130.254.46'));
    const found = esm.clientIp({ peer: '10.0.0.2', headers: { 'x-forwarded-for': '3.130.254.46' }, trust: { proxies: new cjs.Allowlist(['10.0.0.0/8']) } });
    assert.deepEqual(found, { ip: '3.130.254.46', source: 'x-forwarded-for' });
  });
}
