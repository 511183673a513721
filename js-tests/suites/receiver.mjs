// The receivers: one call per delivery, from a Fetch Request or from plain parts, in the
// order address -> signature or Authorization -> payload, with the answer to send.
// Runtime-neutral: `define` gets the package, a test registrar and an assert module.
import { freshR2 } from './helpers.mjs';

const SECRET = 'r2-partner-jwt-secret';
const OLD_SECRET = 'r2-previous-secret';
const R2_PROD = '54.215.38.39';
const BELVO = '3.130.254.46';

export default function define({ payhook, test, assert, label }) {
  const { r2Receiver, belvoReceiver, signR2, fixture, dedupKey, parseR2Event, R2_ALLOWLIST, BELVO_ALLOWLIST, PayhookError } = payhook;
  // Sent now: the bundled fixture's 2012 event_time is outside the replay window.
  const r2Body = JSON.stringify(freshR2(payhook, 'financing_created'));
  const belvoBody = JSON.stringify(fixture('belvo', 'PAYMENT_INTENTS.STATUS_UPDATE'));
  const behindProxy = { proxies: ['127.0.0.1', '::1'] };
  const r2 = r2Receiver({ secrets: [OLD_SECRET, SECRET], allowlist: R2_ALLOWLIST, trust: behindProxy });
  const r2Headers = (body, extra = {}) => ({ 'content-sha256': signR2(body, SECRET), 'x-forwarded-for': R2_PROD, ...extra });
  const parts = (body, headers) => ({ body, headers, peer: '127.0.0.1' });
  const request = (body, headers) => new Request('http://127.0.0.1/webhooks', { method: 'POST', body, headers });
  const refusal = (got) => [got.ok, got.error?.code, got.response.status];

  test(`${label} receiver: a valid R2 delivery from plain parts`, () => {
    const got = r2.receive(parts(r2Body, r2Headers(r2Body)));
    assert.equal(got.ok, true);
    assert.equal(got.provider, 'r2');
    assert.equal(got.event.event_type, 'financing_created');
    assert.equal(got.dedupKey, dedupKey(parseR2Event(r2Body)));
    assert.deepEqual([got.secretIndex, got.encoding], [1, 'base64-hex']);
    assert.deepEqual(got.clientIp, { ip: R2_PROD, source: 'x-forwarded-for' });
    assert.deepEqual(got.response, { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'R2 API Event Received' });
  });

  // An accepted delivery crosses from the core as a tab-separated line (the key, the address,
  // the indexes) then the event's JSON: nothing a body holds may end a field or the line.
  for (const [eventType, start] of [
    ['financing_created', 'r2:financing_created:'],
    ['a\tb', 'r2:unknown:'],
    ['\n', 'r2:unknown:'],
    ['x:y', 'r2:unknown:'],
    ['{', 'r2:unknown:'],
    ['é\u2028', 'r2:unknown:'],
  ]) {
    test(`${label} receiver: an accepted delivery's line and event, event_type ${JSON.stringify(eventType)}`, () => {
      const sent = freshR2(payhook, 'financing_created', { '\t\n': '\t\n\r\u2028{', '': { '\n': [1, '\t'] } });
      sent.event.event_type = eventType;
      const body = JSON.stringify(sent);
      const got = r2.receive(parts(body, r2Headers(body)));
      assert.equal(got.ok, true);
      assert.ok(got.dedupKey.startsWith(start) && got.dedupKey.length === start.length + 22, got.dedupKey);
      assert.equal(got.dedupKey, dedupKey(parseR2Event(body)));
      assert.deepEqual(got.event, parseR2Event(body));
      assert.deepEqual([got.event.event.event_type, got.event['\t\n'], got.event['']], [eventType, sent['\t\n'], sent['']]);
      assert.deepEqual([got.secretIndex, got.encoding, got.clientIp], [1, 'base64-hex', { ip: R2_PROD, source: 'x-forwarded-for' }]);
      assert.deepEqual(Object.keys(got).sort(), ['clientIp', 'dedupKey', 'encoding', 'event', 'ok', 'provider', 'response', 'secretIndex']);
    });
  }

  test(`${label} receiver: a valid R2 delivery as a Fetch Request gets a Fetch Response`, async () => {
    const got = await r2.receive(request(r2Body, r2Headers(r2Body)), { peer: '127.0.0.1' });
    assert.equal(got.ok, true);
    assert.ok(got.response instanceof Response);
    assert.equal(got.response.status, 200);
    assert.equal(await got.response.text(), 'R2 API Event Received');
  });

  test(`${label} receiver: a streamed Request body is read once, as bytes`, async () => {
    const bytes = new TextEncoder().encode(r2Body);
    const stream = new ReadableStream({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 7) controller.enqueue(bytes.slice(i, i + 7));
        controller.close();
      },
    });
    const req = new Request('http://127.0.0.1/', { method: 'POST', body: stream, headers: r2Headers(r2Body), duplex: 'half' });
    const got = await r2.receive(req, { peer: '127.0.0.1' });
    assert.equal(got.ok, true);
  });

  const refused = [
    ['tampered body', () => r2.receive(parts(r2Body.replace('12200', '12201'), r2Headers(r2Body))), 'signature_mismatch', 401],
    ['no signature', () => r2.receive(parts(r2Body, { 'x-forwarded-for': R2_PROD })), 'signature_missing', 401],
    ['garbage signature', () => r2.receive(parts(r2Body, r2Headers(r2Body, { 'content-sha256': 'nope' }))), 'signature_malformed', 400],
    ['an address not on the list, checked before the signature', () => r2.receive(parts(r2Body, r2Headers(r2Body, { 'x-forwarded-for': '203.0.113.9', 'content-sha256': 'nope' }))), 'ip_not_allowed', 403],
    ['a forged leftmost address', () => r2.receive(parts(r2Body, r2Headers(r2Body, { 'x-forwarded-for': `${R2_PROD}, 203.0.113.9` }))), 'ip_not_allowed', 403],
    ['a direct hit that skips the proxy', () => r2.receive({ body: r2Body, headers: r2Headers(r2Body), peer: '203.0.113.9' }), 'ip_not_allowed', 403],
    ['signed, but not an R2 event', () => { const body = '{"financing":{}}'; return r2.receive(parts(body, r2Headers(body))); }, 'payload_invalid', 422],
    ['signed, but not JSON', () => { const body = 'hello'; return r2.receive(parts(body, r2Headers(body))); }, 'payload_not_json', 400],
  ];
  for (const [name, receive, code, status] of refused) {
    test(`${label} receiver refuses: ${name} -> ${code}`, () => {
      const got = receive();
      assert.deepEqual(refusal(got), [false, code, status]);
      assert.ok(got.error instanceof PayhookError);
      const body = JSON.parse(got.response.body);
      assert.equal(body.error, code);
      assert.ok(!got.response.body.includes(SECRET) && !got.response.body.includes(signR2(r2Body, SECRET)), 'no secret or expected signature in the answer');
    });
  }

  test(`${label} receiver: a payload refusal carries every issue`, () => {
    const body = JSON.stringify({ event: { event_time: 'soon', event_type: 7 } });
    const got = r2.receive(parts(body, r2Headers(body)));
    assert.deepEqual(got.error.issues.map((i) => i.path), ['/event/event_time', '/event/event_type']);
    assert.deepEqual(JSON.parse(got.response.body).issues.map((i) => i.code), got.error.issues.map((i) => i.code));
  });

  test(`${label} receiver: bodies over the limit are refused before hashing`, async () => {
    const small = r2Receiver({ secrets: [SECRET], maxBytes: 64 });
    assert.deepEqual(refusal(small.receive({ body: r2Body, headers: r2Headers(r2Body) })), [false, 'payload_too_large', 413]);
    const declared = await small.receive(request(r2Body, r2Headers(r2Body)));
    assert.deepEqual(refusal(declared), [false, 'payload_too_large', 413]);
    const endless = new ReadableStream({ pull(controller) { controller.enqueue(new Uint8Array(32)); } });
    const streamed = await small.receive(new Request('http://127.0.0.1/', { method: 'POST', body: endless, duplex: 'half' }));
    assert.deepEqual(refusal(streamed), [false, 'payload_too_large', 413]);
  });

  test(`${label} receiver: strict mode refuses an unknown event type`, () => {
    const strict = r2Receiver({ secrets: [SECRET], strict: true });
    const body = JSON.stringify(freshR2(payhook, { event: { event_time: 1, event_type: 'financing_restructured', event_metadata: {} } }));
    assert.deepEqual(refusal(strict.receive({ body, headers: r2Headers(body) })), [false, 'unknown_event_type', 422]);
    assert.equal(r2Receiver({ secrets: [SECRET] }).receive({ body, headers: r2Headers(body) }).ok, true);
  });

  test(`${label} receiver: a body already read by a framework is named as the problem`, async () => {
    const req = request(r2Body, r2Headers(r2Body));
    await req.text();
    let thrown;
    try {
      await r2.receive(req, { peer: '127.0.0.1' });
    } catch (error) {
      thrown = error;
    }
    assert.ok(thrown instanceof PayhookError);
    assert.equal(thrown.code, 'body_not_raw');
    assert.match(thrown.message, /already read/);
  });

  const belvo = belvoReceiver({ authorization: ['Bearer hv7alD71j0dzXf09iKfg7u', 'Basic YmVsdm86czNjcjN0'], allowlist: BELVO_ALLOWLIST });
  const belvoParts = (headers) => ({ body: belvoBody, headers, peer: BELVO });

  test(`${label} receiver: Belvo with Bearer and with Basic`, async () => {
    const bearer = belvo.receive(belvoParts({ authorization: 'bearer hv7alD71j0dzXf09iKfg7u' }));
    assert.deepEqual([bearer.ok, bearer.acceptedIndex, bearer.scheme, bearer.response.status], [true, 0, 'bearer', 200]);
    assert.equal(bearer.event.webhook_type, 'PAYMENT_INTENTS');
    const basic = await belvo.receive(request(belvoBody, { authorization: 'Basic YmVsdm86czNjcjN0' }), { peer: { remoteAddr: { hostname: BELVO } } });
    assert.deepEqual([basic.ok, basic.acceptedIndex, basic.scheme], [true, 1, 'basic']);
    assert.equal(basic.dedupKey, bearer.dedupKey);
  });

  test(`${label} receiver: Belvo refusals`, () => {
    assert.deepEqual(refusal(belvo.receive(belvoParts({ authorization: 'Bearer guess' }))), [false, 'authorization_mismatch', 401]);
    assert.deepEqual(refusal(belvo.receive(belvoParts({}))), [false, 'authorization_missing', 401]);
    assert.deepEqual(refusal(belvo.receive({ body: belvoBody, headers: { authorization: 'Bearer hv7alD71j0dzXf09iKfg7u' }, peer: R2_PROD })), [false, 'ip_not_allowed', 403]);
    const onlyAddress = belvoReceiver({ allowlist: BELVO_ALLOWLIST });
    assert.equal(onlyAddress.receive(belvoParts({})).ok, true);
  });

  const misconfigured = [
    ['no secrets', () => r2Receiver({ secrets: [] }), 'secret_invalid'],
    ['an empty secret', () => r2Receiver({ secrets: [SECRET, ''] }), 'secret_invalid'],
    ['no options', () => r2Receiver(), 'argument_invalid'],
    ['Belvo with nothing to check', () => belvoReceiver({}), 'secret_invalid'],
    ['a bad authorization value', () => belvoReceiver({ authorization: 'Token x' }), 'secret_invalid'],
    ['a bad allowlist entry', () => r2Receiver({ secrets: [SECRET], allowlist: ['10.0.0.1/8'] }), 'allowlist_malformed'],
    ['an unknown trust', () => r2Receiver({ secrets: [SECRET], trust: 'all' }), 'argument_invalid'],
    ['a negative maxBytes', () => r2Receiver({ secrets: [SECRET], maxBytes: -5 }), 'argument_invalid'],
    ['receive(null)', () => r2.receive(null), 'argument_invalid'],
    ['receive without a body', () => r2.receive({ headers: {} }), 'argument_invalid'],
  ];
  for (const [name, make, code] of misconfigured) {
    test(`${label} receiver configuration: ${name} -> ${code}`, () => {
      let thrown;
      try {
        make();
      } catch (error) {
        thrown = error;
      }
      assert.ok(thrown instanceof PayhookError, 'a PayhookError is thrown');
      assert.equal(thrown.code, code);
    });
  }

  test(`${label} receiver: the allowlist error names its entry under /allowlist`, () => {
    try {
      r2Receiver({ secrets: [SECRET], allowlist: [R2_PROD, 'nope'] });
      assert.fail('expected a throw');
    } catch (error) {
      assert.equal(error.path, '/allowlist/1');
    }
  });

  // The package reads every shape in JS and hands the core a byte view and strings
  // (npm/input.js): a body given as an ArrayBuffer or as a view must come out the same.
  const same = (got) => JSON.stringify(got, (key, value) => (value instanceof Error ? { code: value.code, status: value.status, issues: value.issues } : value));
  const signed = r2Headers(r2Body);
  const shapes = [
    ['lowercase plain headers', signed, '127.0.0.1'],
    ['mixed-case keys', { 'Content-SHA256': signed['content-sha256'], 'X-Forwarded-For': R2_PROD }, '127.0.0.1'],
    ['one header under two spellings, joined', { ...signed, 'X-FORWARDED-FOR': '127.0.0.1' }, '127.0.0.1'],
    ['Fetch Headers', new Headers(signed), '127.0.0.1'],
    ['an array value', { ...signed, 'x-forwarded-for': [R2_PROD] }, '127.0.0.1'],
    ['a number value', { ...signed, forwarded: 7 }, '127.0.0.1'],
    ['null and undefined values', { ...signed, authorization: null, forwarded: undefined }, '127.0.0.1'],
    ['an empty signature', { ...signed, 'content-sha256': '' }, '127.0.0.1'],
    ['a Node request as peer', signed, { socket: { remoteAddress: '::ffff:127.0.0.1' } }],
    ['a socket as peer', signed, { remoteAddress: '127.0.0.1' }],
    ["Deno's info as peer", signed, { remoteAddr: { hostname: '127.0.0.1' } }],
    ["Bun's requestIP as peer", signed, { address: '::1' }],
    ['a request whose socket is gone', signed, { socket: {} }],
    ['no peer', signed, undefined],
    ['a number as peer', signed, 42],
    ['headers that are a string', 'content-sha256: x', '127.0.0.1'],
    ['no headers', undefined, '127.0.0.1'],
  ];
  const bytes = new TextEncoder().encode(` ${r2Body}`).subarray(1); // a view with an offset
  for (const [name, headers, peer] of shapes) {
    test(`${label} receiver: the JS-read and core-read paths agree: ${name}`, () => {
      const run = (body) => {
        try {
          return same(r2.receive({ body, headers, peer }));
        } catch (error) {
          return `throws ${error.code}`;
        }
      };
      assert.equal(run(bytes), run(bytes.slice().buffer));
    });
  }

  test(`${label} verifyR2Signature: the JS-read and core-read paths agree`, () => {
    const { verifyR2Signature } = payhook;
    const run = (body, header, secret) => {
      try {
        return JSON.stringify(verifyR2Signature(body, header, secret));
      } catch (error) {
        return `throws ${error.code}`;
      }
    };
    const header = signR2(bytes, SECRET);
    for (const [h, secret] of [[header, SECRET], [header, 'wrong'], ['', SECRET], ['nope', SECRET], [header.toLowerCase(), SECRET], [header, '']]) {
      assert.equal(run(bytes, h, secret), run(bytes.slice().buffer, h, secret));
    }
    assert.equal(run(bytes, header, SECRET), JSON.stringify({ secretIndex: 0, encoding: 'base64-hex' }));
  });
}
