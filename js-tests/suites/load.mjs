// The package loaded the way this runtime loads it: every public export is there and defined,
// the constants made, the wasm instantiated. Defined first, so a half-loaded package (say, a
// bundler that dropped the entry's wasm init) shows up as one clear failure.

/**
 * The public API, sorted: index.d.ts, node.cjs and api.js list the same names. When it grows,
 * add the name here AND to ../runners/named-imports.mjs (the node-only suite checks this list
 * against what `import` and `require` really give).
 */
export const exportNames = [
  'Allowlist', 'BELVO_ALLOWLIST', 'PayhookDedupObject', 'PayhookError', 'R2_ALLOWLIST', 'belvoReceiver', 'checkBelvoAuthorization',
  'clientIp', 'dedupKey', 'deliveryPolicy', 'denoKvStore', 'durableObjectStore', 'errorCodes', 'fixture', 'fixtureNames', 'inspectDelivery', 'memoryStore',
  'parseBelvoWebhook', 'parseCapture', 'parseR2Event', 'parseR2IpDocument', 'postgresStore', 'r2Receiver', 'redisStore', 'signR2',
  'validateBelvoWebhook', 'validateR2Event', 'verifyR2Signature',
];

export default function define({ payhook, test, assert, label }) {
  test(`${label} the package loaded: every export defined, constants made, the wasm initialised`, () => {
    const missing = exportNames.filter((name) => payhook[name] === undefined);
    assert.deepEqual(missing, [], `undefined exports: ${missing.join(', ')}`);
    assert.ok(payhook.R2_ALLOWLIST instanceof payhook.Allowlist, 'R2_ALLOWLIST is an Allowlist');
    assert.ok(payhook.BELVO_ALLOWLIST instanceof payhook.Allowlist, 'BELVO_ALLOWLIST is an Allowlist');
    let hex;
    try {
      hex = payhook.signR2('{}', 'k', { encoding: 'hex' });
    } catch (error) {
      assert.fail(`the wasm is not usable: ${error?.name}: ${error?.message}`);
    }
    assert.match(hex, /^[0-9a-f]{64}$/);
  });
}
