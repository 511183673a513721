// PayhookError: a real Error subclass, errors that never leak secrets, the errorCodes() table.

export default function define({ payhook, test, assert, label }) {
  const { signR2, verifyR2Signature, checkBelvoAuthorization, errorCodes, PayhookError } = payhook;

  test(`${label} errors never carry the secret, the token or the expected signature`, () => {
    const secret = 'partner-jwt-secret-value';
    const expected = signR2('{"a":1}', secret);
    for (const fn of [
      () => verifyR2Signature('{"a":2}', expected, secret),
      () => verifyR2Signature('{"a":1}', `${expected}x`, secret),
      () => checkBelvoAuthorization('Bearer wrong-guess', `Bearer ${secret}`),
    ]) {
      const error = assert.throws(fn);
      // Everything a logger could show, without node:util (the node-only suite adds inspect()).
      const fields = Object.getOwnPropertyNames(error).map((k) => {
        try {
          return `${k}=${typeof error[k] === 'object' ? JSON.stringify(error[k]) : String(error[k])}`;
        } catch {
          return k;
        }
      });
      const shown = `${error.message} ${error.stack} ${JSON.stringify(error)} ${String(error)} ${fields.join(' ')}`;
      for (const leak of [secret, expected, 'wrong-guess']) assert.ok(!shown.includes(leak), `leaked ${leak}`);
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

  test(`${label} errorCodes() lists each code once, with an HTTP status and a message`, () => {
    const codes = errorCodes();
    assert.ok(Array.isArray(codes) && codes.length > 10, 'a table of codes');
    assert.equal(new Set(codes.map((e) => e.code)).size, codes.length, 'no code twice');
    for (const e of codes) {
      assert.match(e.code, /^[a-z_]+$/);
      assert.ok(Number.isInteger(e.status) && e.message.length > 0, e.code);
      // A refusal is a 4xx or 5xx; the one exception is a stale event, which is acknowledged
      // with 200 (the provider must stop retrying) and never handled.
      const acknowledged = e.code === 'event_stale' && e.status === 200;
      assert.ok((e.status >= 400 && e.status < 600) || acknowledged, `${e.code}: status ${e.status}`);
    }
    assert.equal(codes.find((e) => e.code === 'event_stale')?.status, 200, 'event_stale is listed, answered 200');
    for (const code of ['signature_missing', 'signature_mismatch', 'secret_invalid', 'argument_invalid', 'ip_not_allowed', 'payload_not_json']) {
      assert.ok(codes.some((e) => e.code === code), `has ${code}`);
    }
  });
}
