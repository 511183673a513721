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
    ['Allowlist', 'BELVO_ALLOWLIST', 'PayhookError', 'R2_ALLOWLIST', 'belvoReceiver', 'checkBelvoAuthorization',
      'clientIp', 'dedupKey', 'deliveryPolicy', 'errorCodes', 'fixture', 'fixtureNames', 'parseBelvoWebhook',
      'parseR2Event', 'parseR2IpDocument', 'r2Receiver', 'signR2', 'validateBelvoWebhook', 'validateR2Event',
      'verifyR2Signature']);
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

test('[cjs] an Allowlist from either copy works with the other', async () => {
  const esm = await import('payhook');
  const mixed = payhook.R2_ALLOWLIST.union(esm.BELVO_ALLOWLIST);
  assert.equal(mixed.size, 5);
  assert.ok(new esm.Allowlist(payhook.BELVO_ALLOWLIST).contains('3.130.254.46'));
  const found = esm.clientIp({ peer: '10.0.0.2', headers: { 'x-forwarded-for': '3.130.254.46' }, trust: { proxies: new payhook.Allowlist(['10.0.0.0/8']) } });
  assert.deepEqual(found, { ip: '3.130.254.46', source: 'x-forwarded-for' });
});

test('[cjs] the CommonJS receivers work and throw the same PayhookError', () => {
  const body = JSON.stringify(payhook.fixture('r2', 'financing_paid'));
  const r = payhook.r2Receiver({ secrets: ['k'] });
  assert.equal(r.receive({ body, headers: { 'content-sha256': payhook.signR2(body, 'k') } }).ok, true);
  const refused = r.receive({ body, headers: {} });
  assert.ok(refused.error instanceof payhook.PayhookError);
  assert.equal(refused.error.code, 'signature_missing');
});
