// inspectDelivery (every check, each run even when another fails) and parseCapture (a pasted
// raw HTTP request or curl command): what the validator page and `payhook verify` build on.
import { freshR2 } from './helpers.mjs';

const SECRET = 'r2-partner-jwt-secret';
const R2_PROD = '54.215.38.39';

export default function define({ payhook, test, assert, label }) {
  const { inspectDelivery, parseCapture, signR2, fixture, r2Receiver, R2_ALLOWLIST, PayhookError } = payhook;
  // Sent now: the bundled fixture's 2012 event_time is outside the replay window.
  const body = JSON.stringify(freshR2(payhook, 'financing_created'));
  const base = { provider: 'r2', secrets: [SECRET], allowlist: R2_ALLOWLIST, trust: { proxies: ['127.0.0.1'] }, peer: '127.0.0.1' };
  // The same checks as a receiver's options (a receiver refuses keys it does not know).
  const { provider: _provider, peer: _peer, ...receiverOptions } = base;
  const headers = (extra = {}) => ({ 'content-sha256': signR2(body, SECRET), 'x-forwarded-for': R2_PROD, ...extra });

  test(`${label} inspect: a valid delivery, every check passed`, () => {
    const r = inspectDelivery({ ...base, body, headers: headers() });
    assert.equal(r.verdict, 'accepted');
    assert.equal(r.error, null);
    assert.deepEqual(r.checks.address, { checked: true, ok: true, ip: R2_PROD, source: 'x-forwarded-for' });
    assert.deepEqual(r.checks.authenticity, { checked: true, ok: true, kind: 'signature', secretIndex: 0, encoding: 'base64-hex' });
    assert.equal(r.checks.payload.ok, true);
    assert.deepEqual(r.checks.freshness, { checked: true, ok: true });
    assert.match(r.checks.payload.summary, /^financing_created · financing fa5c8a0b/);
    assert.equal(r.dedupKey, payhook.dedupKey(r.checks.payload.event));
    assert.deepEqual(r.response, { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'R2 API Event Received' });
  });

  test(`${label} inspect: everything wrong at once is reported at once, in the receiver's order`, () => {
    const broken = JSON.stringify({ event: { event_time: 'x', event_type: 3 } });
    const r = inspectDelivery({ ...base, body: broken, headers: headers({ 'x-forwarded-for': '203.0.113.5' }) });
    assert.equal(r.verdict, 'refused');
    assert.deepEqual([r.error.code, r.error.status], ['ip_not_allowed', 403]);
    assert.deepEqual([r.checks.address.ok, r.checks.address.ip, r.checks.address.code], [false, '203.0.113.5', 'ip_not_allowed']);
    assert.deepEqual([r.checks.authenticity.ok, r.checks.authenticity.code], [false, 'signature_mismatch']);
    assert.deepEqual(r.checks.payload.issues.map((i) => i.path), ['/event/event_time', '/event/event_type']);
    assert.equal(r.dedupKey, null);
    assert.equal(r.response.status, 403);
  });

  test(`${label} inspect agrees with the receiver on every outcome`, () => {
    const receiver = r2Receiver(receiverOptions);
    const deliveries = [
      headers(),
      headers({ 'content-sha256': 'nope' }),
      headers({ 'x-forwarded-for': '6.6.6.6' }),
      headers({ 'content-sha256': signR2('{}', SECRET) }),
      {},
    ];
    for (const h of deliveries) {
      const inspected = inspectDelivery({ ...base, body, headers: h });
      const received = receiver.receive({ body, headers: h, peer: '127.0.0.1' });
      assert.equal(inspected.verdict === 'accepted', received.ok);
      assert.equal(inspected.error?.code, received.error?.code);
      assert.deepEqual(inspected.response, received.response);
    }
  });

  test(`${label} inspect: a stale delivery is reported under checks.freshness, acknowledged with 200`, () => {
    // The bundled fixture as it is: signed, valid, but its event_time (2012) is long past.
    const stale = JSON.stringify(fixture('r2', 'financing_created'));
    const signed = { 'content-sha256': signR2(stale, SECRET), 'x-forwarded-for': R2_PROD };
    const eventMs = JSON.parse(stale).event.event_time * 1000;
    const r = inspectDelivery({ ...base, body: stale, headers: signed });
    assert.equal(r.verdict, 'refused');
    assert.deepEqual([r.error.code, r.error.status], ['event_stale', 200]);
    assert.deepEqual([r.checks.address.ok, r.checks.authenticity.ok, r.checks.payload.ok], [true, true, true], 'every other check passed');
    assert.deepEqual([r.checks.freshness.checked, r.checks.freshness.ok, r.checks.freshness.code], [true, false, 'event_stale']);
    assert.equal(typeof r.checks.freshness.message, 'string');
    assert.ok(r.checks.freshness.message.length > 10, 'a helpful message');
    assert.deepEqual(r.response, { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'R2 API Event Received' },
      'acknowledged as R2 expects, so it stops retrying');
    // The receiver, on the same clock, agrees.
    const received = r2Receiver(receiverOptions).receive({ body: stale, headers: signed, peer: '127.0.0.1' });
    assert.deepEqual([received.ok, received.error?.code, received.error?.status], [false, 'event_stale', 200]);
    assert.deepEqual(received.response, r.response);
    // The window's edges, on a clock given as `now` (ms): 14 days old by default, 5 minutes ahead.
    const at = (now, extra = {}) => inspectDelivery({ ...base, body: stale, headers: signed, now, ...extra });
    const day = 86_400_000;
    assert.deepEqual([at(eventMs).verdict, at(eventMs).checks.freshness], ['accepted', { checked: true, ok: true }]);
    assert.equal(at(eventMs + 14 * day).verdict, 'accepted', 'exactly 14 days old');
    assert.equal(at(eventMs + 14 * day + 1_000).error?.code, 'event_stale', 'a second older');
    assert.equal(at(eventMs + 14 * day + 1_000, { replayWindowMs: 30 * day }).verdict, 'accepted', 'a longer replayWindowMs');
    assert.equal(at(eventMs - 300_000).verdict, 'accepted', '5 minutes ahead (clock skew)');
    assert.equal(at(eventMs - 301_000).checks.freshness.code, 'event_stale', 'further ahead');
    // Belvo sends no time: nothing to check.
    const belvo = inspectDelivery({ provider: 'belvo', body: JSON.stringify(fixture('belvo', 'CHARGES.STATUS_UPDATE')), headers: { authorization: 'Bearer x' }, authorization: 'Bearer x' });
    assert.deepEqual([belvo.verdict, belvo.checks.freshness.checked], ['accepted', false]);
  });

  test(`${label} inspect: without secrets or authorization the check is reported, not skipped`, () => {
    const r2 = inspectDelivery({ provider: 'r2', body, headers: headers() });
    assert.deepEqual([r2.checks.authenticity.ok, r2.checks.authenticity.code, r2.checks.address.checked], [false, 'secret_invalid', false]);
    const belvoBody = JSON.stringify(fixture('belvo', 'CHARGES.STATUS_UPDATE'));
    const belvo = inspectDelivery({ provider: 'belvo', body: belvoBody, headers: { authorization: 'Bearer x' } });
    assert.deepEqual([belvo.checks.authenticity.checked, belvo.verdict, belvo.error.code], [false, 'refused', 'secret_invalid'], 'a receiver with nothing to check refuses to start');
    const addressOnly = inspectDelivery({ provider: 'belvo', body: belvoBody, allowlist: ['3.130.254.46'], peer: '3.130.254.46' });
    assert.deepEqual([addressOnly.checks.authenticity.checked, addressOnly.verdict], [false, 'accepted']);
    assert.equal(inspectDelivery({ provider: 'r2', body, headers: headers(), secrets: [] }).checks.authenticity.code, 'secret_invalid');
    assert.match(belvo.checks.payload.summary, /^CHARGES\.STATUS_UPDATE · object /);
    const checked = inspectDelivery({ provider: 'belvo', body: belvoBody, headers: { authorization: 'Bearer x' }, authorization: 'Bearer y' });
    assert.deepEqual([checked.verdict, checked.checks.authenticity.code], ['refused', 'authorization_mismatch']);
  });

  test(`${label} parseCapture: a raw HTTP request, LF or CRLF, body byte for byte`, () => {
    const raw = `POST /webhooks/r2 HTTP/1.1\nHost: example.test\nContent-Type: application/json\nContent-Sha256: ${signR2(body, SECRET)}\nX-Forwarded-For: ${R2_PROD}\n\n${body}`;
    for (const text of [raw, raw.replaceAll('\n', '\r\n').replace(`\r\n\r\n${body.replaceAll('\n', '\r\n')}`, `\r\n\r\n${body}`)]) {
      const c = parseCapture(text);
      assert.deepEqual([c.format, c.method, c.url], ['http', 'POST', '/webhooks/r2']);
      assert.equal(c.body, body);
      assert.equal(inspectDelivery({ ...base, body: c.body, headers: c.headers }).verdict, 'accepted');
    }
  });

  test(`${label} parseCapture: curl as browsers and docs write it`, () => {
    const sig = signR2(body, SECRET);
    const quoted = body.replaceAll("'", "'\\''");
    const forms = [
      `curl -X POST 'https://example.test/webhooks/r2' -H 'Content-Type: application/json' -H 'Content-Sha256: ${sig}' -H 'X-Forwarded-For: ${R2_PROD}' -d '${quoted}'`,
      `curl 'https://example.test/webhooks/r2' \\\n  -H "Content-Sha256: ${sig}" \\\n  -H 'X-Forwarded-For: ${R2_PROD}' \\\n  --data-raw $'${body.replaceAll("'", "\\'")}' \\\n  --compressed`,
      `curl -sS --url https://example.test/webhooks/r2 --header "Content-Sha256: ${sig}" --header "X-Forwarded-For: ${R2_PROD}" --data-binary "${body.replaceAll('"', '\\"')}"`,
    ];
    for (const text of forms) {
      const c = parseCapture(text);
      assert.deepEqual([c.format, c.method, c.url], ['curl', 'POST', 'https://example.test/webhooks/r2']);
      assert.equal(c.body, body);
      assert.equal(inspectDelivery({ ...base, body: c.body, headers: c.headers }).verdict, 'accepted');
    }
    const basic = parseCapture("curl -u belvo:s3cr3t -d '{}' https://example.test/webhooks/belvo");
    assert.equal(basic.headers.authorization, 'Basic YmVsdm86czNjcjN0');
  });

  const malformed = [
    ['empty text', ''],
    ['prose', 'the webhook failed yesterday'],
    ['curl with an unclosed quote', "curl -d '{} https://x.test"],
    ['curl reading the body from a file', 'curl -d @body.json https://x.test'],
    ['curl with an unknown option', 'curl --upload-file x https://x.test'],
    ['curl without a URL', "curl -d '{}'"],
    ['a header line without a colon', 'POST / HTTP/1.1\nHost x\n\n{}'],
  ];
  for (const [name, text] of malformed) {
    test(`${label} parseCapture refuses ${name}`, () => {
      try {
        parseCapture(text);
        assert.fail('expected a throw');
      } catch (error) {
        assert.ok(error instanceof PayhookError);
        assert.equal(error.code, 'capture_malformed');
      }
    });
  }
}
