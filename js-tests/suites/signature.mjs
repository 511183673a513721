// R2 signatures: the shared vectors (vectors/r2_signature.json), the bad-input table for
// verifyR2Signature and signR2, every body type, and signR2 against WebCrypto's HMAC.
import { bytesToBase64, bytesToBase64Url, bytesToHex, hexToBytes, hmacSha256, stillWorks, thrownCode, verdict } from './helpers.mjs';

export default function define({ payhook, test, assert, vectors, label }) {
  const { signR2, verifyR2Signature } = payhook;
  // Buffer where the runtime has one (Node, Bun): a Buffer body must work like its bytes.
  const NodeBuffer = typeof globalThis.Buffer === 'function' ? globalThis.Buffer : undefined;

  for (const c of vectors.r2_signature.cases) {
    test(`${label} r2 vector: ${c.name}`, () => {
      const bytes = c.body_hex === undefined ? new TextEncoder().encode(c.body) : hexToBytes(c.body_hex);
      // As a Uint8Array, as a Buffer (where there is one), and as a string where the body is text.
      const forms = [bytes];
      if (NodeBuffer) forms.push(NodeBuffer.from(bytes));
      if (c.body !== undefined) forms.push(c.body);
      for (const form of forms) {
        const got = verdict(payhook, assert, () => verifyR2Signature(form, c.header, c.secrets), 'secretIndex', 'encoding');
        assert.deepEqual(got, c.expect);
      }
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
    ['body a parsed object', () => verifyR2Signature({ event: {} }, okHeader, 'k'), 'body_not_raw'],
    ['header a number', () => verifyR2Signature('{}', 42, 'k'), 'argument_invalid'],
    ['header an object', () => verifyR2Signature('{}', {}, 'k'), 'argument_invalid'],
    ['sign with an empty secret', () => signR2('{}', ''), 'secret_invalid'],
    ['sign with an unknown encoding', () => signR2('{}', 'k', { encoding: 'base32' }), 'argument_invalid'],
    ['sign with options a string', () => signR2('{}', 'k', 'hex'), 'argument_invalid'],
    ['sign a number', () => signR2(1, 'k'), 'argument_invalid'],
  ];
  for (const [name, fn, code] of badInput) {
    test(`${label} bad input: ${name} -> ${code}`, () => {
      assert.equal(thrownCode(payhook, assert, fn), code);
      stillWorks(payhook, assert);
    });
  }

  test(`${label} every body type signs and verifies alike`, () => {
    const text = '{"nota":"pago ✅ 💸"}';
    const bytes = new TextEncoder().encode(text);
    const bodies = [text, bytes, bytes.buffer, new DataView(bytes.buffer)];
    if (NodeBuffer) bodies.push(NodeBuffer.from(bytes));
    for (const encoding of ['hex', 'base64', 'base64url', 'base64-hex']) {
      const header = signR2(bytes, 'k', { encoding });
      for (const body of bodies) {
        assert.deepEqual(verifyR2Signature(body, header, ['old', 'k']), { secretIndex: 1, encoding });
      }
    }
  });

  test(`${label} every secret form verifies against WebCrypto's HMAC, alone and in a rotation list`, async () => {
    // The secrets reach wasm joined in one reused buffer (npm/input.js withJoinedSecrets): a
    // long one grows it, a short one after it must not pick up what the long one left, and
    // a view's own bytes are taken, not its buffer's.
    const body = new TextEncoder().encode('{"event":{"event_type":"financing_paid"}}');
    const encoder = new TextEncoder();
    const framed = new Uint8Array(40).fill(0x41);
    framed.set(encoder.encode('in-a-frame'), 7);
    const secrets = [
      ['ASCII', 'jwt-secret'],
      ['outside ASCII', 'clé-ñ-✅-💸'],
      ['1,300 characters, 3 bytes each (3,900 of the 4,096 a secret may have)', '✅'.repeat(1300)],
      ['one byte after the long one', 'k'],
      ['bytes', encoder.encode('as-bytes')],
      ['a view into a larger buffer', framed.subarray(7, 17)],
    ];
    for (const [name, secret] of secrets) {
      const key = typeof secret === 'string' ? secret : secret.slice();
      const header = bytesToHex(await hmacSha256(key, body));
      const others = ['wrong', encoder.encode('also-wrong'), '✅'.repeat(300)];
      assert.deepEqual(verifyR2Signature(body, header, secret), { secretIndex: 0, encoding: 'hex' }, name);
      assert.deepEqual(verifyR2Signature(body, header, [...others, secret]), { secretIndex: 3, encoding: 'hex' }, `${name}, last of four`);
      assert.equal(thrownCode(payhook, assert, () => verifyR2Signature(body, header, others)), 'signature_mismatch', `${name}: not among the others`);
    }
  });

  test(`${label} signR2 matches WebCrypto HMAC-SHA256 in every encoding`, async () => {
    const body = new TextEncoder().encode('{"event":{"event_type":"financing_paid"}}');
    const raw = await hmacSha256('jwt-secret', body);
    const hex = bytesToHex(raw);
    assert.equal(signR2(body, 'jwt-secret', { encoding: 'hex' }), hex);
    assert.equal(signR2(body, 'jwt-secret', { encoding: 'base64' }), bytesToBase64(raw));
    assert.equal(signR2(body, 'jwt-secret', { encoding: 'base64url' }), bytesToBase64Url(raw));
    assert.equal(signR2(body, 'jwt-secret', { encoding: 'base64-hex' }), btoa(hex));
    assert.equal(signR2(body, 'jwt-secret'), btoa(hex));
  });
}
