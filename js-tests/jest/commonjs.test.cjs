// Run by Jest (js-tests/jest.test.mjs): Jest loads test files and their requires through its
// own CommonJS runtime, which cannot require() an ES module. The package's CommonJS entries
// must load there, and give the same objects as each other.
const payhook = require('payhook');
const tools = require('payhook/tools');

test('require(payhook) and require(payhook/tools) load under Jest', () => {
  const body = JSON.stringify(tools.fixture('r2', 'financing_created'));
  const signature = payhook.signR2(body, 'jest-secret');
  expect(payhook.verifyR2Signature(body, signature, 'jest-secret').secretIndex).toBe(0);
  expect(() => payhook.verifyR2Signature(body, 'nope', 'jest-secret')).toThrow(payhook.PayhookError);
  expect(() => tools.parseCapture(5)).toThrow(payhook.PayhookError);
});
