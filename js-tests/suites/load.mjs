// The package loaded the way this runtime loads it: every public export is there and defined,
// the constants made, the wasm instantiated. Defined first, so a half-loaded package (say, a
// bundler that dropped the entry's wasm init) shows up as one clear failure.

/**
 * The public API of `payhook`, sorted: index.d.ts and api.js list the same names. When it
 * grows, add the name here AND to ../runners/named-imports.mjs (the node-only suite checks
 * this list against what `import` and `require` really give).
 */
export const exportNames = [
  'Allowlist', 'BELVO_ALLOWLIST', 'PayhookDedupObject', 'PayhookError', 'R2_ALLOWLIST', 'belvoReceiver', 'checkBelvoAuthorization',
  'clientIp', 'dedupKey', 'deliveryPolicy', 'denoKvStore', 'durableObjectStore', 'errorCodes', 'memoryStore',
  'parseBelvoWebhook', 'parseR2Event', 'parseR2IpDocument', 'postgresStore', 'r2Receiver', 'redisStore', 'signR2',
  'validateBelvoWebhook', 'validateR2Event', 'verifyR2Signature',
];

/** The public API of `payhook/tools` (tools.d.ts, tools.js), sorted. */
export const toolsNames = ['fixture', 'fixtureNames', 'inspectDelivery', 'parseCapture'];

export default function define({ payhook, entries, test, assert, label }) {
  test(`${label} the package loaded: every export defined, constants made, the wasm initialised`, () => {
    const names = (namespace) => Object.keys(namespace).filter((k) => k !== 'default' && k !== '__esModule' && k !== 'module.exports').sort();
    assert.deepEqual(names(entries.payhook), exportNames, 'payhook exports exactly its API');
    assert.deepEqual(names(entries.tools), toolsNames, 'payhook/tools exports exactly its API');
    const missing = [...exportNames, ...toolsNames].filter((name) => payhook[name] === undefined);
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
    assert.deepEqual(Object.keys(payhook.fixture('r2', 'financing_created')).sort(), ['event', 'financing'], 'the tools module is usable');
  });
}
