'use strict';
// The suite through `require('payhook')` (the package's CommonJS entry), plus the checks
// that both module systems expose the same API and recognise each other's errors.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const payhook = require('payhook');
const { define } = require('./suite.cjs');

define(payhook, '[cjs]');

test('[cjs] ESM and CommonJS export the same names, and share PayhookError', async () => {
  const esm = await import('payhook');
  assert.deepEqual(Object.keys(esm).sort(), Object.keys(payhook).sort());
  assert.deepEqual(Object.keys(payhook).sort(),
    ['Allowlist', 'BELVO_ALLOWLIST', 'PayhookError', 'R2_ALLOWLIST', 'checkBelvoAuthorization', 'clientIp',
      'errorCodes', 'parseR2IpDocument', 'signR2', 'verifyR2Signature']);
  for (const [thrower, catcher] of [[esm, payhook], [payhook, esm]]) {
    try {
      thrower.verifyR2Signature('{}', null, 'k');
      assert.fail('expected a throw');
    } catch (error) {
      assert.ok(error instanceof catcher.PayhookError);
      assert.equal(error.code, 'signature_missing');
    }
  }
});
