// Fail closed at the JavaScript boundary (issue 13): each rule of the README's Security
// table, tested where JavaScript input becomes core input. Every test here failed on the
// package before the fix. Portable: no IO, no `node:` imports; the Node-only cases (a real
// socket reset, a 4 GiB body and wasm memory) are in js-tests/fail-closed.test.mjs.

const SECRET = 'fail-closed-secret';
const TOKEN = 'Bearer fail-closed-token';
const BELVO = '3.130.254.46';
const R2_PROD = '54.215.38.39';
const DAY = 86_400_000;
/** Workers and browsers serve no sockets: there, and only there, a request has no peer. */
const socketless = globalThis.navigator?.userAgent === 'Cloudflare-Workers' || typeof document !== 'undefined';

export default function define({ payhook, test, assert, label }) {
  const { r2Receiver, belvoReceiver, signR2, fixture, clientIp, memoryStore, inspectDelivery, parseR2Event, validateR2Event,
    parseBelvoWebhook, validateBelvoWebhook, parseR2IpDocument, deliveryPolicy, redisStore, denoKvStore, durableObjectStore,
    Allowlist, BELVO_ALLOWLIST, R2_ALLOWLIST, PayhookError } = payhook;

  /** The code of a thrown or rejected PayhookError (anything else fails the test). */
  const codeOf = async (fn) => {
    try {
      await fn();
    } catch (error) {
      assert.ok(error instanceof PayhookError, `a PayhookError, got ${error?.name}: ${error?.message}`);
      return error.code;
    }
    return 'no error';
  };
  const throwing = (keys) => {
    const object = {};
    for (const key of [].concat(keys)) Object.defineProperty(object, key, { get() { throw new Error('hostile getter'); }, enumerable: true });
    return object;
  };
  /** An R2 event signed now (or at `time`, Unix seconds), from the given address. */
  const r2Delivery = (time = Math.floor(Date.now() / 1000), from = R2_PROD) => {
    const event = fixture('r2', 'financing_created');
    event.event.event_time = time;
    const body = JSON.stringify(event);
    return { body, headers: { 'content-sha256': signR2(body, SECRET), 'x-forwarded-for': from } };
  };
  const belvoBody = JSON.stringify(fixture('belvo', 'PAYMENT_INTENTS.STATUS_UPDATE'));

  // --- 1. A peer without an address is not "no peer" ------------------------------------------
  const unknownPeers = [
    ['an empty string', ''],
    ['null (Bun requestIP() without an address)', null],
    ['a reset Node request (socket without an address)', { socket: {} }],
    ['a destroyed Node socket', { remoteAddress: undefined, destroyed: true }],
    ['Deno info without a hostname', { remoteAddr: { transport: 'unix', path: '/tmp/s' } }],
    ['Bun requestIP() without an address', { address: undefined }],
  ];
  const trusts = [['cloudflare', 'cloudflare'], ['hops 1', { hops: 1 }], ['hops 1, forwarded', { hops: 1, header: 'forwarded' }], ['none', 'none'], ['proxies', { proxies: ['10.0.0.0/8'] }]];
  const forged = { 'cf-connecting-ip': BELVO, 'x-forwarded-for': BELVO, forwarded: `for=${BELVO}` };

  test(`${label} fail-closed: a peer given without an address is ip_unknown under every trust (clientIp, check, receive)`, async () => {
    for (const [trustName, trust] of trusts) {
      const belvo = belvoReceiver({ authorization: TOKEN, allowlist: BELVO_ALLOWLIST, trust });
      for (const [peerName, peer] of unknownPeers) {
        const at = `${trustName}, ${peerName}`;
        assert.equal(await codeOf(() => clientIp({ peer, headers: forged, trust })), 'ip_unknown', `clientIp: ${at}`);
        assert.equal(await codeOf(() => BELVO_ALLOWLIST.check({ peer, headers: forged, trust })), 'ip_unknown', `check: ${at}`);
        const got = belvo.receive({ body: belvoBody, headers: { ...forged, authorization: TOKEN }, peer });
        assert.deepEqual([got.ok, got.error?.code], [false, 'ip_unknown'], `receive: ${at}`);
        const inContext = belvo.receive({ body: belvoBody, headers: { ...forged, authorization: TOKEN } }, { peer });
        assert.deepEqual([inContext.ok, inContext.error?.code], [false, 'ip_unknown'], `receive, peer in the context: ${at}`);
      }
    }
  });

  test(`${label} fail-closed: no peer at all counts as "no socket" only where the runtime has none (Workers, browsers)`, async () => {
    const belvo = belvoReceiver({ allowlist: BELVO_ALLOWLIST, trust: 'cloudflare' });
    const request = () => new Request('http://127.0.0.1/', { method: 'POST', body: belvoBody, headers: forged });
    for (const trust of ['cloudflare', { hops: 1 }, { hops: 1, header: 'forwarded' }]) {
      const got = await codeOf(() => clientIp({ headers: forged, trust }));
      assert.equal(got, socketless ? 'no error' : 'ip_unknown', `clientIp, ${JSON.stringify(trust)}`);
    }
    const handled = [];
    const response = await belvo.handle(request(), (event) => handled.push(event));
    assert.deepEqual([response.status, handled.length], socketless ? [200, 1] : [403, 0], 'the README example without a peer');
  });

  test(`${label} fail-closed: a context that is not { peer } is refused, never ignored`, async () => {
    const belvo = belvoReceiver({ authorization: TOKEN, allowlist: BELVO_ALLOWLIST, trust: 'cloudflare' });
    const parts = { body: belvoBody, headers: { authorization: TOKEN, 'cf-connecting-ip': BELVO } };
    const cases = [
      ['a string', '6.6.6.6'],
      ['a Node request passed as the context', { socket: { remoteAddress: '6.6.6.6' } }],
      ["Deno's info passed as the context", { remoteAddr: { hostname: '6.6.6.6', port: 1, transport: 'tcp' }, completed: Promise.resolve() }],
      ['a misspelt key', { Peer: '6.6.6.6' }],
    ];
    for (const [name, context] of cases) {
      assert.equal(await codeOf(() => belvo.receive(parts, context)), 'argument_invalid', `receive: ${name}`);
      assert.equal(await codeOf(() => belvo.handle(parts, () => {}, context)), 'argument_invalid', `handle: ${name}`);
    }
    assert.equal(await codeOf(() => belvo.handle(parts, () => {}, { peer: BELVO, onError: 'log' })), 'argument_invalid', 'onError not a function');
  });

  test(`${label} fail-closed: a misspelt or null option is refused, never ignored`, async () => {
    const cases = [
      ['allowList', () => r2Receiver({ secrets: SECRET, allowList: R2_ALLOWLIST })],
      ["Belvo's authorization given to R2", () => r2Receiver({ secrets: SECRET, authorization: TOKEN })],
      ["R2's secrets given to Belvo", () => belvoReceiver({ authorization: TOKEN, secrets: SECRET })],
      ['trust.Header', () => belvoReceiver({ authorization: TOKEN, allowlist: BELVO_ALLOWLIST, trust: { hops: 1, Header: 'forwarded' } })],
      ['clientIp trust.Header', () => clientIp({ peer: '10.0.0.1', trust: { hops: 1, Header: 'forwarded' } })],
      ['allowlist: null', () => r2Receiver({ secrets: SECRET, allowlist: null })],
      ['authorization: null', () => belvoReceiver({ authorization: null, allowlist: BELVO_ALLOWLIST })],
      ['trust: null', () => belvoReceiver({ authorization: TOKEN, trust: null })],
      ['leaseMs: null', () => r2Receiver({ secrets: SECRET, leaseMs: null })],
      ['now: null', () => r2Receiver({ secrets: SECRET, now: null })],
      ['memoryStore maxEntries 0', () => memoryStore({ maxEntries: 0 })],
      ['memoryStore maxEntries 0.5', () => memoryStore({ maxEntries: 0.5 })],
      ['memoryStore maxBytes 100', () => memoryStore({ maxBytes: 100 })],
      ['memoryStore maxentries', () => memoryStore({ maxentries: 10 })],
      ['memoryStore options null', () => memoryStore(null)],
      ['payload maxbytes', () => parseR2Event(r2Delivery().body, { maxbytes: 10 })],
      ['payload Strict', () => validateBelvoWebhook('{}', { Strict: true })],
      ['clientIp header (for headers)', () => clientIp({ peer: '10.0.0.1', header: { 'x-forwarded-for': '1.2.3.4' }, trust: { hops: 1 } })],
      ['Allowlist.check Trust', () => R2_ALLOWLIST.check({ peer: '10.0.0.1', Trust: { hops: 1 } })],
      ['a memoryStore key with a lone surrogate', () => memoryStore().claim('r2:a\uD800', 1000)],
    ];
    for (const [name, call] of cases) assert.equal(await codeOf(call), 'argument_invalid', name);
  });

  test(`${label} fail-closed: a clock in seconds, or none, is refused at the first delivery, never read as "every event is stale"`, async () => {
    for (const [name, clock] of [['seconds', () => Math.floor(Date.now() / 1000)], ['zero', () => 0], ['far future', () => 1e300], ['negative', () => -1]]) {
      const receiver = r2Receiver({ secrets: SECRET, now: clock });
      assert.equal(await codeOf(() => receiver.receive(r2Delivery())), 'argument_invalid', name);
    }
  });

  test(`${label} fail-closed: handle() reports a stale event it acknowledged, through onStale`, async () => {
    const receiver = r2Receiver({ secrets: SECRET });
    const stale = [];
    let ran = false;
    const response = await receiver.handle(r2Delivery(Math.floor(Date.now() / 1000) - 30 * 86_400), () => { ran = true; }, { onStale: (error) => stale.push(error.code) });
    assert.deepEqual([response.status, ran, stale], [200, false, ['event_stale']]);
  });

  test(`${label} fail-closed: a full memoryStore never forgets a claim in progress, so a copy never runs beside it`, async () => {
    const store = memoryStore({ maxEntries: 50 });
    const receiver = r2Receiver({ secrets: SECRET, dedup: store });
    const now = Math.floor(Date.now() / 1000);
    for (let i = 0; i < 50; i++) await receiver.handle(r2Delivery(now - 1 - i), () => {});
    let runs = 0;
    let release;
    const gate = new Promise((resolve) => { release = resolve; });
    const a = r2Delivery(now);
    const first = receiver.handle(a, async () => { runs++; await gate; });
    await new Promise((resolve) => setTimeout(resolve, 10));
    for (let i = 0; i < 60; i++) await receiver.handle(r2Delivery(now - 100 - i), () => {});
    const copy = await receiver.handle(a, () => { runs++; });
    release();
    await first;
    const later = await receiver.handle(a, () => { runs++; });
    assert.deepEqual([copy.status, later.status, runs], [409, 200, 1]);
  });

  test(`${label} fail-closed: verifyR2Signature refuses a secret with a lone surrogate in every form`, async () => {
    const body = r2Delivery().body;
    const header = signR2(body, 'key\uFFFD');
    for (const secrets of ['key\uD800', ['key\uD800']]) {
      assert.equal(await codeOf(() => payhook.verifyR2Signature(body, header, secrets)), 'secret_invalid', JSON.stringify(secrets));
    }
  });

  test(`${label} fail-closed: a body a framework parsed or read is body_not_raw, and the message names the fix`, async () => {
    const r2 = r2Receiver({ secrets: SECRET });
    const { body, headers } = r2Delivery();
    const parsed = JSON.parse(body);
    const messageOf = async (fn) => {
      try {
        await fn();
      } catch (error) {
        assert.equal(error.code, 'body_not_raw', `${error.code}: ${error.message}`);
        assert.equal(error.status, 500);
        return error.message;
      }
      assert.fail('expected body_not_raw');
    };
    const socket = { remoteAddress: '127.0.0.1' };
    // What each framework hands a handler after its JSON body parser ran, and the fix it needs.
    const cases = [
      ['no framework shown', '127.0.0.1', /raw bytes/],
      ['Express (req.app)', { socket, app: { use() {} }, body: parsed }, /express\.raw/],
      ['NestJS (req.rawBody)', { socket, app: { use() {} }, rawBody: new Uint8Array(0), body: parsed }, /req\.rawBody/],
      ['Fastify (request.raw, request.server)', { socket, raw: {}, server: {}, body: parsed }, /parseAs: 'buffer'/],
    ];
    for (const [what, peer, fix] of cases) {
      assert.match(await messageOf(() => r2.receive({ body: parsed, headers, peer })), fix, what);
      // The same peer given in the context names the same fix.
      assert.match(await messageOf(() => r2.receive({ body: parsed, headers }, { peer })), fix, `${what}, in the context`);
    }
    // An array, and the other entry points that take a body.
    await messageOf(() => r2.receive({ body: [parsed], headers, peer: '127.0.0.1' }));
    for (const fn of [parseR2Event, validateR2Event, parseBelvoWebhook, validateBelvoWebhook]) await messageOf(() => fn(parsed));
    await messageOf(() => payhook.verifyR2Signature(parsed, headers['content-sha256'], SECRET));
    await messageOf(() => inspectDelivery({ provider: 'r2', body: parsed, headers, secrets: SECRET }));
    // A Request whose body something already read.
    const request = new Request('http://127.0.0.1/', { method: 'POST', body, headers });
    await request.text();
    assert.match(await messageOf(() => r2.receive(request, { peer: socketless ? undefined : '127.0.0.1' })), /before anything reads it/);
    // A Request-like whose arrayBuffer() gives what a parser made.
    const parsedRequest = { headers: new Headers({ ...headers, 'content-length': String(body.length) }), body: {}, bodyUsed: false, arrayBuffer: async () => parsed };
    assert.equal(await codeOf(() => r2.receive(parsedRequest, { peer: socketless ? undefined : '127.0.0.1' })), 'body_not_raw');
    // What is neither bytes nor a parsed body stays argument_invalid.
    for (const odd of [new Map(), 42, null, undefined]) {
      assert.equal(await codeOf(() => r2.receive({ body: odd, headers, peer: '127.0.0.1' })), 'argument_invalid', typeof odd);
    }
    // Headers given as a function are no headers.
    const fn = Object.assign(() => {}, headers);
    assert.equal(await codeOf(() => r2.receive({ body, headers: fn, peer: '127.0.0.1' })), 'argument_invalid', 'headers as a function');
    // A refusal the package finds itself reads like the core's: the code's message, then the detail.
    const known = new Map(payhook.errorCodes().map((e) => [e.code, e.message]));
    for (const fn of [() => r2.receive({ body: parsed, headers, peer: '127.0.0.1' }), () => r2Receiver({ secrets: 7 }), () => clientIp({ peer: 7 })]) {
      try {
        await fn();
        assert.fail('expected a refusal');
      } catch (error) {
        assert.ok(error.message.startsWith(`${known.get(error.code)}: `), `${error.code}: ${error.message}`);
      }
    }
  });

  test(`${label} fail-closed: a store's claim is read once, and a Request whose bodyUsed throws is argument_invalid`, async () => {
    let reads = 0;
    const flipping = {
      claim: async () => ({ get status() { return reads++ === 0 ? 'duplicate' : 'new'; }, token: 't' }),
      complete: async () => true, release: async () => true, status: async () => 'new',
    };
    let ran = false;
    const receiver = r2Receiver({ secrets: SECRET, dedup: flipping });
    const response = await receiver.handle(r2Delivery(), () => { ran = true; });
    assert.deepEqual([response.status, ran, reads], [200, false, 1]);
    const odd = { headers: new Headers(), arrayBuffer() {}, get bodyUsed() { throw new Error('boom'); } };
    assert.equal(await codeOf(() => r2Receiver({ secrets: SECRET }).receive(odd)), 'argument_invalid');
  });

  test(`${label} fail-closed: a peer in the context counts for plain parts, and two different peers are refused`, async () => {
    const belvo = belvoReceiver({ authorization: TOKEN, allowlist: BELVO_ALLOWLIST, trust: 'cloudflare' });
    const headers = { authorization: TOKEN, 'cf-connecting-ip': BELVO };
    const direct = belvo.receive({ body: belvoBody, headers }, { peer: '6.6.6.6' });
    assert.deepEqual([direct.ok, direct.error?.code], [false, 'ip_not_allowed'], 'a direct client is not believed for its header');
    assert.equal(belvo.receive({ body: belvoBody, headers }, { peer: BELVO }).ok, true);
    assert.equal(await codeOf(() => belvo.receive({ body: belvoBody, headers, peer: BELVO }, { peer: '6.6.6.6' })), 'argument_invalid');
    assert.equal(belvo.receive({ body: belvoBody, headers, peer: BELVO }, { peer: BELVO }).ok, true, 'the same peer twice is fine');
    const handled = [];
    const response = await belvo.handle({ body: belvoBody, headers }, (event) => handled.push(event), { peer: '6.6.6.6' });
    assert.deepEqual([response.status, handled.length], [403, 0]);
  });

  test(`${label} fail-closed: a peer or headers that throw when read are argument_invalid, never "absent"`, async () => {
    const belvo = belvoReceiver({ authorization: TOKEN, allowlist: BELVO_ALLOWLIST, trust: 'cloudflare' });
    const cases = [
      ['peer.socket', () => belvo.receive({ body: belvoBody, headers: forged, peer: throwing('socket') })],
      ['peer.remoteAddress', () => belvo.receive({ body: belvoBody, headers: forged, peer: throwing(['remoteAddress']) })],
      ['a header value', () => belvo.receive({ body: belvoBody, headers: throwing('cf-connecting-ip'), peer: '10.0.0.1' })],
      ['Headers.get', () => belvo.receive({ body: belvoBody, headers: { get() { throw new Error('no'); } }, peer: '10.0.0.1' })],
      ['clientIp peer', () => clientIp({ peer: throwing('socket'), headers: forged, trust: 'cloudflare' })],
      ['clientIp request', () => clientIp(throwing('peer'))],
    ];
    for (const [name, call] of cases) assert.equal(await codeOf(call), 'argument_invalid', name);
  });

  // --- 2. Options that cannot be read must not switch a check off ------------------------------
  test(`${label} fail-closed: every option whose getter throws is argument_invalid`, async () => {
    const r2 = { secrets: SECRET, allowlist: R2_ALLOWLIST };
    const belvo = { authorization: TOKEN, allowlist: BELVO_ALLOWLIST };
    const hostile = (base, key) => Object.defineProperty({ ...base }, key, { get() { throw new Error('hostile getter'); }, enumerable: true });
    const cases = [];
    for (const key of ['secrets', 'allowlist', 'trust', 'strict', 'maxBytes', 'replayWindowMs', 'dedup', 'leaseMs', 'now']) {
      cases.push([`r2Receiver ${key}`, () => r2Receiver(hostile(r2, key))]);
    }
    for (const key of ['authorization', 'allowlist', 'trust', 'strict', 'maxBytes', 'dedup', 'leaseMs']) {
      cases.push([`belvoReceiver ${key}`, () => belvoReceiver(hostile(belvo, key))]);
    }
    for (const key of ['proxies', 'hops', 'header']) {
      cases.push([`trust.${key}`, () => belvoReceiver({ ...belvo, trust: hostile({ hops: 1 }, key) })]);
      cases.push([`clientIp trust.${key}`, () => clientIp({ peer: '10.0.0.1', trust: hostile({ hops: 1 }, key) })]);
    }
    const hostileArray = (value) => Object.defineProperty([value], 0, { get() { throw new Error('hostile getter'); } });
    cases.push(['an allowlist element', () => belvoReceiver({ ...belvo, allowlist: hostileArray(BELVO) })]);
    cases.push(['a secrets element', () => r2Receiver({ ...r2, secrets: hostileArray(SECRET) })]);
    cases.push(['a trust.proxies element', () => clientIp({ peer: '10.0.0.1', trust: { proxies: hostileArray('10.0.0.0/8') } })]);
    const body = r2Delivery().body;
    for (const [name, f] of [['parseR2Event', parseR2Event], ['validateR2Event', validateR2Event], ['parseBelvoWebhook', parseBelvoWebhook], ['validateBelvoWebhook', validateBelvoWebhook]]) {
      for (const key of ['strict', 'maxBytes']) cases.push([`${name} ${key}`, () => f(body, hostile({}, key))]);
    }
    for (const key of ['provider', 'body', 'headers', 'peer', 'secrets', 'allowlist', 'trust', 'strict', 'maxBytes', 'now', 'replayWindowMs']) {
      cases.push([`inspectDelivery ${key}`, () => inspectDelivery(hostile({ provider: 'r2', body, headers: {}, secrets: SECRET }, key))]);
    }
    for (const key of ['regions', 'allowEverything']) {
      cases.push([`parseR2IpDocument ${key}`, () => parseR2IpDocument('{"creationDate":"2024-01-22-14-11-43","ips":{"us":["54.215.38.39/32"]}}', hostile({}, key))]);
    }
    cases.push(['memoryStore options', () => memoryStore(hostile({}, 'maxEntries'))]);
    cases.push(['redisStore prefix', () => redisStore({ sendCommand() {} }, hostile({}, 'prefix'))]);
    cases.push(['redisStore client', () => redisStore(hostile({}, 'call'))]);
    cases.push(['denoKvStore prefix', () => denoKvStore({ atomic() {} }, hostile({}, 'prefix'))]);
    cases.push(['durableObjectStore namespace', () => durableObjectStore(hostile({}, 'idFromName'))]);
    const receiver = r2Receiver(r2);
    const delivery = r2Delivery();
    cases.push(['receive context', () => receiver.receive(delivery, hostile({}, 'peer'))]);
    cases.push(['receive parts', () => receiver.receive(hostile(delivery, 'body'))]);
    cases.push(['handle context', () => receiver.handle(delivery, () => {}, hostile({}, 'onError'))]);
    for (const [name, call] of cases) assert.equal(await codeOf(call), 'argument_invalid', name);
  });

  test(`${label} fail-closed: an option is read once, so a getter cannot switch a check off on a second read`, () => {
    let reads = 0;
    const options = { secrets: SECRET, get allowlist() { reads++; return reads === 1 ? R2_ALLOWLIST : undefined; } };
    const receiver = r2Receiver(options);
    assert.equal(reads, 1);
    const got = receiver.receive({ ...r2Delivery(undefined, '203.0.113.9'), peer: '203.0.113.9' });
    assert.deepEqual([got.ok, got.error?.code], [false, 'ip_not_allowed']);
  });

  test(`${label} fail-closed: options that can only be a mistake are refused when the receiver is built`, async () => {
    const cases = [
      ['leaseMs 0', () => r2Receiver({ secrets: SECRET, leaseMs: 0 }), 'argument_invalid'],
      ['leaseMs a string', () => r2Receiver({ secrets: SECRET, leaseMs: '60000' }), 'argument_invalid'],
      ['now not a function', () => r2Receiver({ secrets: SECRET, now: 5 }), 'argument_invalid'],
      ['a replay window of an hour, shorter than R2 retries', () => r2Receiver({ secrets: SECRET, replayWindowMs: 3_600_000 }), 'argument_invalid'],
      ['a replay window of 91 days', () => r2Receiver({ secrets: SECRET, replayWindowMs: 91 * DAY }), 'argument_invalid'],
      ['a replay window as a string', () => r2Receiver({ secrets: SECRET, replayWindowMs: '14d' }), 'argument_invalid'],
      ['Basic Og== (empty user and password)', () => belvoReceiver({ authorization: 'Basic Og==' }), 'secret_invalid'],
      ['a secret with a lone surrogate', () => r2Receiver({ secrets: 'abc\uD800' }), 'secret_invalid'],
      ['one of the secrets with a lone surrogate', () => r2Receiver({ secrets: ['good-secret', '\uDC00x'] }), 'secret_invalid'],
      ['a token with a lone surrogate', () => belvoReceiver({ authorization: 'Bearer tok\uD800' }), 'secret_invalid'],
    ];
    for (const [name, call, code] of cases) assert.equal(await codeOf(call), code, name);
    // Lone surrogates would have collapsed to U+FFFD: two different secrets, one key.
    const a = r2Receiver({ secrets: 'k\uFFFD' });
    const body = r2Delivery().body;
    assert.equal(a.receive({ body, headers: { 'content-sha256': signR2(body, 'k\uFFFD') } }).ok, true);
  });

  // --- 3. Check the size before copying -------------------------------------------------------
  test(`${label} fail-closed: an oversized body is refused with payload_too_large by every entry point`, async () => {
    const big = new Uint8Array(2 * 1024 * 1024 + 1);
    const bigText = 'x'.repeat(1024 * 1024 + 1);
    const r2 = r2Receiver({ secrets: SECRET });
    for (const body of [big, big.buffer, new DataView(big.buffer), new Uint16Array(big.buffer, 0, 1024 * 1024), bigText]) {
      const got = r2.receive({ body, headers: { 'content-sha256': 'x' } });
      assert.deepEqual([got.ok, got.error?.code, got.response.status], [false, 'payload_too_large', 413]);
      for (const f of [parseR2Event, parseBelvoWebhook]) assert.equal(await codeOf(() => f(body)), 'payload_too_large');
      for (const f of [validateR2Event, validateBelvoWebhook]) assert.deepEqual([f(body).ok, f(body).code], [false, 'payload_too_large']);
      const report = inspectDelivery({ provider: 'r2', body, headers: {}, secrets: SECRET });
      assert.deepEqual([report.verdict, report.error.code, report.checks.payload.code], ['refused', 'payload_too_large', 'payload_too_large']);
    }
    // A non-ASCII string whose UTF-8 is over the limit, though its length is not.
    assert.equal(await codeOf(() => parseR2Event('é'.repeat(600_000))), 'payload_too_large');
    // The limit is the caller's: maxBytes 10 refuses 11 bytes.
    assert.equal(await codeOf(() => parseR2Event('{"a":"1234"}', { maxBytes: 10 })), 'payload_too_large');
    // The address is still checked first: a big body from a stranger is a 403.
    const listed = r2Receiver({ secrets: SECRET, allowlist: R2_ALLOWLIST });
    assert.equal(listed.receive({ body: big, headers: {}, peer: '203.0.113.9' }).response.status, 403);
  });

  test(`${label} fail-closed: a Request that declares an oversized Content-Length is answered 413 from the header, unread`, async () => {
    const r2 = r2Receiver({ secrets: SECRET });
    const touched = [];
    const unread = {
      headers: new Headers({ 'content-length': String(50 * 1024 * 1024), 'content-sha256': 'x' }),
      get body() { touched.push('body'); return new ReadableStream(); },
      get bodyUsed() { return false; },
      arrayBuffer() { touched.push('arrayBuffer'); throw new Error('read'); },
    };
    const got = await r2.receive(unread);
    assert.deepEqual([got.ok, got.error?.code, got.response.status, touched], [false, 'payload_too_large', 413, []]);
    // A stream without a declared length stops at the first chunk past the limit.
    let pulled = 0;
    const endless = new ReadableStream({ pull(controller) { pulled++; controller.enqueue(new Uint8Array(64 * 1024)); } });
    const streamed = await r2.receive(new Request('http://127.0.0.1/', { method: 'POST', body: endless, duplex: 'half' }));
    assert.deepEqual([streamed.error?.code, streamed.response.status], ['payload_too_large', 413]);
    assert.ok(pulled <= 20, `read ${pulled} chunks of 64 KiB for a 1 MiB limit`);
  });

  // --- 5. A stale handler cannot undo a newer claim -------------------------------------------
  test(`${label} fail-closed: a handler whose lease ran out cannot release or complete the retry's claim`, async () => {
    const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
    for (const outcome of ['fails', 'succeeds']) {
      const store = memoryStore();
      const receiver = r2Receiver({ secrets: SECRET, dedup: store, leaseMs: 200 });
      const delivery = r2Delivery();
      let runs = 0;
      let releaseB;
      const bHolds = new Promise((resolve) => { releaseB = resolve; });
      // A: slow, past its 200 ms lease. B (the retry) claims at 250 ms and is still running when
      // A ends at 300 ms. C arrives while B runs: it must see B's claim (409), not a claim A undid.
      const a = receiver.handle(delivery, async () => { runs++; await sleep(300); if (outcome === 'fails') throw new Error('A failed'); }, { onError() {} });
      await sleep(250);
      const b = receiver.handle(delivery, async () => { runs++; await bHolds; });
      await a;
      const c = await receiver.handle(delivery, () => { runs++; });
      assert.equal(c.status, 409, `${outcome}: B still holds the claim`);
      releaseB();
      assert.equal((await b).status, 200);
      const d = await receiver.handle(delivery, () => { runs++; });
      assert.deepEqual([d.status, runs], [200, 2], `${outcome}: A and B ran, nothing after B completed`);
      assert.equal(await store.status((await receiver.receive(delivery)).dedupKey), 'duplicate');
    }
  });

  test(`${label} fail-closed: a handler that changes result.dedupKey still completes or releases its own claim`, async () => {
    for (const outcome of ['fails', 'succeeds']) {
      const store = memoryStore();
      const receiver = r2Receiver({ secrets: SECRET, dedup: store });
      const delivery = r2Delivery();
      const key = (await receiver.receive(delivery)).dedupKey;
      const response = await receiver.handle(delivery, (event, result) => {
        result.dedupKey = 'r2:another:key';
        if (outcome === 'fails') throw new Error('handler failed');
      }, { onError() {} });
      assert.equal(response.status, outcome === 'fails' ? 500 : 200);
      assert.equal(await store.status(key), outcome === 'fails' ? 'new' : 'duplicate', `${outcome}: the claim was left held`);
    }
  });

  test(`${label} fail-closed: a transaction() that resolves 'done' before the handler returned is no success`, async () => {
    const claims = { claim: async () => ({ status: 'in_progress' }), complete: async () => true, release: async () => true, status: async () => 'new' };
    const withTransaction = (transaction) => r2Receiver({ secrets: SECRET, dedup: { ...claims, transaction } });
    let runs = 0;
    const errors = [];
    const handler = (fail) => async () => {
      runs++;
      if (fail) throw new Error('handler failed');
    };
    // Never ran the handler: refused, never acknowledged.
    const skipped = withTransaction(async () => ({ status: 'done' }));
    assert.equal(await codeOf(() => skipped.handle(r2Delivery(), handler(false))), 'argument_invalid');
    // Swallowed what the handler threw: 500 and onError, as when it rolls back.
    const swallowing = withTransaction(async (key, retentionMs, leaseMs, work) => {
      await work({}).catch(() => {});
      return { status: 'done' };
    });
    const failed = await swallowing.handle(r2Delivery(), handler(true), { onError: (error) => errors.push(error.message) });
    assert.deepEqual([failed.status, errors], [500, ['handler failed']]);
    // Ran it again after a failure (a retried transaction) and it returned: done.
    let attempt = 0;
    const retrying = withTransaction(async (key, retentionMs, leaseMs, work) => {
      await work({}).catch(() => {});
      return { status: 'done', value: await work({}) };
    });
    const retried = await retrying.handle(r2Delivery(), () => handler(attempt++ === 0)(), { onError() {} });
    assert.deepEqual([retried.status, runs], [200, 3]);
  });

  test(`${label} fail-closed: a postgresStore whose pool answers the key's lock as text ('t', 'f') runs no handler`, async () => {
    // A fake node-postgres pool: one advisory lock, answered through a bool type parser that
    // keeps the text; the key recorded at COMMIT.
    const fakePool = (asText) => {
      let holder = null;
      const done = new Set();
      const answer = (got) => (asText ? (got ? 't' : 'f') : got);
      return {
        connect: async () => {
          const client = {
            release() {},
            async query(text, params) {
              if (text.includes('pg_try_advisory_xact_lock')) {
                const got = holder === null || holder === client;
                if (got) holder = client;
                return { rows: [{ got: answer(got) }] };
              }
              if (text.startsWith('SELECT state')) return { rows: done.has(params[0]) ? [{ state: 'done' }] : [] };
              if (text.startsWith('SELECT txid_current')) return { rows: [{ xid: '7' }] };
              if (text.startsWith('INSERT') && text.includes("'done'")) {
                done.add(params[0]);
                return { rowCount: 1 };
              }
              if (text === 'COMMIT' || text === 'ROLLBACK') {
                if (holder === client) holder = null;
                return { command: text };
              }
              return { rows: [], rowCount: 0 };
            },
          };
          return client;
        },
      };
    };
    for (const asText of [false, true]) {
      const receiver = r2Receiver({ secrets: SECRET, dedup: payhook.postgresStore(fakePool(asText), { createTable: false }) });
      const delivery = r2Delivery();
      let runs = 0;
      const handler = () => new Promise((resolve) => { runs++; setTimeout(resolve, 20); });
      const codes = await Promise.all([0, 1].map(() => receiver.handle(delivery, handler).then((r) => r.status, (e) => e.code)));
      assert.deepEqual([codes.sort(), runs], asText ? [['argument_invalid', 'argument_invalid'], 0] : [[200, 409], 1]);
    }
  });

  test(`${label} fail-closed: a store whose complete() fails after the handler returned: the success answer, never a retry that runs it again`, async () => {
    const memory = memoryStore();
    const down = new Error('store unreachable');
    const store = { claim: memory.claim, release: memory.release, status: memory.status, complete: async () => { throw down; } };
    const receiver = r2Receiver({ secrets: SECRET, dedup: store });
    const errors = [];
    let runs = 0;
    const response = await receiver.handle(r2Delivery(), () => { runs++; }, { onError: (error) => errors.push(error) });
    assert.equal(response.status, 200, 'a failure answer has the provider retry, and the retry run the handler again');
    assert.deepEqual([runs, errors], [1, [down]]);
  });

  test(`${label} fail-closed: a store whose release() fails after the handler threw: onError still gets what the handler threw`, async () => {
    // The handler's error was lost: handle() rejected with the store's, and onError never ran.
    const memory = memoryStore();
    const down = new Error('store unreachable');
    const thrown = new Error('handler failed');
    const store = { claim: memory.claim, complete: memory.complete, status: memory.status, release: async () => { throw down; } };
    const receiver = r2Receiver({ secrets: SECRET, dedup: store });
    const errors = [];
    let rejected;
    try {
      await receiver.handle(r2Delivery(), () => { throw thrown; }, { onError: (error) => errors.push(error) });
    } catch (error) {
      rejected = error;
    }
    assert.deepEqual([errors, rejected], [[thrown], down], 'onError gets the handler\'s error; handle() rejects with the store\'s, so the provider retries');
  });

  test(`${label} fail-closed: with a store, receive() refuses unusable input as a rejected Promise, never a throw`, async () => {
    const receiver = r2Receiver({ secrets: SECRET, dedup: memoryStore() });
    for (const [input, context] of [[null, undefined], [r2Delivery(), 'peer']]) {
      let pending;
      try {
        pending = receiver.receive(input, context);
      } catch (error) {
        assert.fail(`threw ${error?.code}: receiver.receive(input).catch(…) would not catch it`);
      }
      assert.equal(await codeOf(() => pending), 'argument_invalid');
    }
  });

  test(`${label} fail-closed: a store's complete and release need the claim's own token`, async () => {
    const store = memoryStore();
    const claim = await store.claim('k', 60_000);
    assert.equal(claim.status, 'new');
    assert.equal(typeof claim.token, 'string');
    assert.equal(await codeOf(() => store.complete('k', undefined, 1000)), 'argument_invalid');
    assert.equal(await store.release('k', `${claim.token}x`), false);
    assert.equal(await store.complete('k', 'another', 1000), false);
    assert.deepEqual(await store.claim('k', 60_000), { status: 'in_progress' });
    assert.equal(await store.complete('k', claim.token, 1000), true);
    assert.deepEqual(await store.claim('k', 60_000), { status: 'duplicate' });
    // A store whose claim() does not hand out a token is refused, never run without one.
    const old = { claim: async () => 'new', complete: async () => {}, release: async () => {}, status: async () => 'new' };
    const receiver = r2Receiver({ secrets: SECRET, dedup: old });
    let ran = false;
    assert.equal(await codeOf(() => receiver.handle(r2Delivery(), () => { ran = true; })), 'argument_invalid');
    assert.equal(ran, false);
  });

  // --- 6. Replays ------------------------------------------------------------------------------
  test(`${label} fail-closed: an R2 event outside the replay window is acknowledged and never handled`, async () => {
    const now = Date.UTC(2026, 11, 3);
    const at = (ms) => Math.floor((now - ms) / 1000);
    const store = memoryStore({ now: () => now });
    const receiver = r2Receiver({ secrets: SECRET, dedup: store, now: () => now });
    const cases = [
      ['just now', at(0), true],
      ['the last automatic retry, 30 h 20 min later', at(30 * 3600_000 + 20 * 60_000), true],
      ['a manual resend 13 days later', at(13 * DAY), true],
      ['15 days old', at(15 * DAY), false],
      ['a year old', at(365 * DAY), false],
      ['4 minutes ahead (clock skew)', at(-4 * 60_000), true],
      ['an hour ahead', at(-3600_000), false],
      ['near the end of time', 2 ** 53 - 1, false],
    ];
    for (const [name, time, fresh] of cases) {
      const delivery = r2Delivery(time);
      const got = await receiver.receive(delivery);
      if (fresh) {
        assert.equal(got.ok, true, name);
        continue;
      }
      assert.deepEqual([got.ok, got.error?.code, got.error?.status], [false, 'event_stale', 200], name);
      assert.deepEqual([got.response.status, got.response.body], [200, 'R2 API Event Received'], `${name}: R2 is told it arrived, so it stops retrying`);
      let ran = false;
      const response = await receiver.handle(delivery, () => { ran = true; });
      assert.deepEqual([response.status, response.body, ran], [200, 'R2 API Event Received', false], name);
      const report = inspectDelivery({ provider: 'r2', ...delivery, secrets: SECRET, now });
      assert.deepEqual([report.verdict, report.error.code, report.checks.freshness.ok, report.response.status], ['refused', 'event_stale', false, 200], name);
    }
    // Configurable: a 30-day window takes the 15-day-old event.
    const month = r2Receiver({ secrets: SECRET, now: () => now, replayWindowMs: 30 * DAY });
    assert.equal(month.receive(r2Delivery(at(15 * DAY))).ok, true);
  });

  test(`${label} fail-closed: the dedup retention covers the replay window; Belvo's follows its retries`, () => {
    const r2 = deliveryPolicy('r2');
    assert.ok(r2.dedupRetentionMs >= 14 * DAY, `R2 retention ${r2.dedupRetentionMs}`);
    const belvo = deliveryPolicy('belvo');
    assert.ok(belvo.dedupRetentionMs >= belvo.retryWindowMs && belvo.dedupRetentionMs <= 2 * 3600_000,
      `Belvo retention ${belvo.dedupRetentionMs} ms: past its retries, and well under a day, so a genuine repeat later that day is new`);
  });

  // --- 7. Bounded answers ----------------------------------------------------------------------
  test(`${label} fail-closed: a refusal lists at most 100 issues, and counts them all`, () => {
    const event = fixture('belvo', 'PAYMENT_INTENTS.STATUS_UPDATE');
    for (let i = 0; i < 20_000; i++) event[`unknown_${i}`] = i;
    const body = JSON.stringify(event);
    const belvo = belvoReceiver({ authorization: TOKEN, strict: true });
    const got = belvo.receive({ body, headers: { authorization: TOKEN } });
    assert.deepEqual([got.ok, got.error.code, got.error.issues.length, got.error.issueCount], [false, 'payload_invalid', 100, 20_000]);
    assert.ok(got.response.body.length < 32 * 1024, `answer of ${got.response.body.length} bytes`);
    assert.equal(JSON.parse(got.response.body).issueCount, 20_000);
  });

  // --- 8. Configuration that can only be a mistake ---------------------------------------------
  test(`${label} fail-closed: an R2 address document with duplicate keys or allow-everything ranges is refused`, async () => {
    const doc = (ips) => `{"creationDate":"2024-01-22-14-11-43","ips":${ips}}`;
    const cases = [
      ['a duplicate region', doc('{"us":["54.215.38.39/32"],"us":["0.0.0.0/0"]}')],
      ['0.0.0.0/0', doc('{"us":["0.0.0.0/0"]}')],
      ['::/0', doc('{"us":["::/0"]}')],
      ['a /1', doc('{"us":["128.0.0.0/1"]}')],
    ];
    for (const [name, json] of cases) assert.equal(await codeOf(() => parseR2IpDocument(json)), 'allowlist_malformed', name);
    // Options that cannot be read as meant would widen the list to every region: refused.
    const two = doc('{"us":["54.215.38.39/32"],"eu":["3.3.3.3/32"]}');
    assert.deepEqual(parseR2IpDocument(two, { regions: ['us'] }).allowlist.entries(), ['54.215.38.39/32']);
    for (const options of ['us', true, ['us'], { region: 'us' }, { regions: null }, null]) {
      assert.equal(await codeOf(() => parseR2IpDocument(two, options)), 'argument_invalid', JSON.stringify(options));
    }
    assert.ok(parseR2IpDocument(doc('{"us":["0.0.0.0/0"]}'), { allowEverything: true }).allowlist.contains('6.6.6.6'), 'unless asked');
    assert.ok(new Allowlist(['10.0.0.0/8']).contains('10.1.2.3'));
  });

  // --- Secrets over the core's limits (MAX_SECRET_BYTES, MAX_SECRETS) -------------------------
  test(`${label} fail-closed: secrets and accepted values over the limits (4096 bytes, 16 of them) are secret_invalid, in every entry point`, async () => {
    const { verifyR2Signature, checkBelvoAuthorization } = payhook;
    const body = '{}';
    const atLimit = 's'.repeat(4096);
    const sixteen = Array.from({ length: 16 }, (_, i) => `${SECRET}-${i}`);
    // At the limits: taken.
    assert.equal(verifyR2Signature(body, signR2(body, atLimit), atLimit).secretIndex, 0, '4096 bytes');
    assert.equal(verifyR2Signature(body, signR2(body, SECRET), [...sixteen.slice(1), SECRET]).secretIndex, 15, '16 secrets');
    assert.equal(checkBelvoAuthorization(TOKEN, [...sixteen.slice(1).map((t) => `Bearer ${t}`), TOKEN]).acceptedIndex, 15);
    assert.ok(r2Receiver({ secrets: [atLimit] }) && belvoReceiver({ authorization: `Bearer ${'t'.repeat(4089)}` }));
    // Over them: refused, whether JavaScript can tell before copying (UTF-16 length, count) or
    // only the core can, on the bytes (a string of 2049 units is 4098 bytes of UTF-8).
    const tooLong = [['4097 ASCII characters', 's'.repeat(4097)], ['2049 two-byte characters', 'é'.repeat(2049)],
      ['4097 bytes', new Uint8Array(4097).fill(0x73)], ['8 MiB', 's'.repeat(8 << 20)]];
    const calls = (secret) => [
      ['signR2', () => signR2(body, secret)],
      ['verifyR2Signature', () => verifyR2Signature(body, 'x', secret)],
      ['verifyR2Signature, in a list', () => verifyR2Signature(body, 'x', [SECRET, secret])],
      ['r2Receiver', () => r2Receiver({ secrets: [SECRET, secret] })],
      ['inspectDelivery', () => inspectDelivery({ provider: 'r2', body, headers: {}, secrets: [secret] })],
      ...(typeof secret === 'string' ? [
        ['belvoReceiver', () => belvoReceiver({ authorization: [TOKEN, `Bearer ${secret}`] })],
        ['checkBelvoAuthorization', () => checkBelvoAuthorization(TOKEN, [TOKEN, `Bearer ${secret}`])],
      ] : []),
    ];
    for (const [name, secret] of tooLong) {
      for (const [call, f] of calls(secret)) assert.equal(await codeOf(f), 'secret_invalid', `${call}: ${name}`);
    }
    const seventeen = [...sixteen, SECRET];
    for (const [call, f] of [
      ['verifyR2Signature', () => verifyR2Signature(body, signR2(body, SECRET), seventeen)],
      ['r2Receiver', () => r2Receiver({ secrets: seventeen })],
      ['belvoReceiver', () => belvoReceiver({ authorization: seventeen.map((t) => `Bearer ${t}`) })],
      ['checkBelvoAuthorization', () => checkBelvoAuthorization(TOKEN, seventeen.map((t) => `Bearer ${t}`))],
    ]) {
      assert.equal(await codeOf(f), 'secret_invalid', `${call}: 17 values`);
    }
    // And nothing is left broken: the same calls with good secrets still work.
    assert.equal(verifyR2Signature(body, signR2(body, SECRET), SECRET).secretIndex, 0);
    assert.equal(checkBelvoAuthorization(TOKEN, TOKEN).acceptedIndex, 0);
  });

  // --- Header values over the core's limit (MAX_HEADER_BYTES) ----------------------------------
  test(`${label} fail-closed: a header value over 8 KiB is refused whatever it holds, and at most a byte past it is copied into wasm`, async () => {
    const { verifyR2Signature, checkBelvoAuthorization } = payhook;
    const body = '{}';
    // Padding each value may hold: whitespace around a signature or token, and on the left of
    // a forwarding header, entries never read (commas: Headers trims whitespace).
    const pad = (value, length, filler = ' ') => filler.repeat(length - value.length) + value;
    const signature = signR2(body, SECRET);
    // At the limit: read as ever (the whitespace around a value is trimmed).
    assert.equal(verifyR2Signature(body, pad(signature, 8192), SECRET).secretIndex, 0);
    assert.equal(checkBelvoAuthorization(pad(TOKEN, 8192), TOKEN).acceptedIndex, 0);
    assert.equal(clientIp({ peer: '10.0.0.1', headers: new Headers({ 'x-forwarded-for': pad('6.6.6.6', 8192, ',') }), trust: { hops: 1 } }).ip, '6.6.6.6');
    // One byte past it, or 16 MB, or many lines that join past it: refused (before, the padded
    // values were accepted, and every byte was copied into wasm memory first).
    for (const length of [8193, 8 << 20]) {
      const at = `${length} bytes`;
      assert.equal(await codeOf(() => verifyR2Signature(body, pad(signature, length), SECRET)), 'signature_malformed', at);
      assert.equal(await codeOf(() => checkBelvoAuthorization(pad(TOKEN, length), TOKEN)), 'authorization_malformed', at);
      for (const [name, trust] of [['x-forwarded-for', { hops: 1 }], ['forwarded', { hops: 1, header: 'forwarded' }]]) {
        const headers = { [name]: pad(name === 'forwarded' ? 'for=6.6.6.6' : '6.6.6.6', length, ',') };
        assert.equal(await codeOf(() => clientIp({ peer: '10.0.0.1', headers, trust })), 'header_malformed', `${name}, ${at}`);
        assert.equal(await codeOf(() => new Allowlist(['6.6.6.6']).check({ peer: '10.0.0.1', headers: new Headers(headers), trust })), 'header_malformed', `check, ${name}, ${at}`);
      }
      assert.equal(await codeOf(() => clientIp({ peer: pad('6.6.6.6', length) })), 'ip_malformed', at);
      assert.equal(await codeOf(() => R2_ALLOWLIST.contains(pad('6.6.6.6', length))), 'ip_malformed', at);
      const r2 = r2Receiver({ secrets: SECRET, allowlist: new Allowlist(['6.6.6.6']), trust: { hops: 1 } });
      const received = r2.receive({ body, headers: { 'content-sha256': pad(signature, length), 'x-forwarded-for': '6.6.6.6' }, peer: '10.0.0.1' });
      assert.equal(received.error.code, 'signature_malformed', `receive, ${at}`);
      const belvo = belvoReceiver({ authorization: TOKEN });
      assert.equal(belvo.receive({ body: belvoBody, headers: { authorization: pad(TOKEN, length) } }).error.code, 'authorization_malformed', `belvo, ${at}`);
    }
    const lines = Array.from({ length: 1000 }, () => '10.0.0.1');
    assert.equal(await codeOf(() => clientIp({ peer: '10.0.0.1', headers: { 'x-forwarded-for': [...lines, '6.6.6.6'] }, trust: { hops: 1 } })), 'header_malformed', '1001 lines');
    assert.equal(await codeOf(() => verifyR2Signature(body, [' '.repeat(8000), signature], SECRET)), 'signature_malformed', 'two lines');
    // Without trust a forwarding header is not read, so its size does not matter.
    assert.equal(clientIp({ peer: '10.0.0.1', headers: { 'x-forwarded-for': pad('6.6.6.6', 8 << 20, ',') } }).ip, '10.0.0.1');
    // And nothing is left broken.
    assert.equal(verifyR2Signature(body, signature, SECRET).secretIndex, 0);
    assert.equal(checkBelvoAuthorization(TOKEN, TOKEN).acceptedIndex, 0);
  });

  test(`${label} fail-closed: an array of 2^32 - 1 holes (free to make) is refused at once, never copied whole`, async () => {
    // Each was copied whole before anything was checked: 5-10 s and 1.7 GB of JS heap per
    // call, then a RangeError reported as a getter that threw (argument_invalid).
    const { verifyR2Signature, checkBelvoAuthorization } = payhook;
    const holes = () => {
      const list = [];
      list.length = 2 ** 32 - 1;
      return list;
    };
    const cases = [
      ['secrets', () => verifyR2Signature('{}', 'a'.repeat(64), holes()), 'secret_invalid'],
      ['accepted values', () => checkBelvoAuthorization(TOKEN, holes()), 'secret_invalid'],
      ['header lines', () => verifyR2Signature('{}', holes(), SECRET), 'argument_invalid'],
      ['allowlist entries', () => new Allowlist(holes()), 'allowlist_malformed'],
      ['union', () => R2_ALLOWLIST.union(holes()), 'allowlist_malformed'],
      ['trust.proxies', () => clientIp({ peer: '10.0.0.1', trust: { proxies: holes() } }), 'allowlist_malformed'],
      ['a receiver\'s allowlist', () => belvoReceiver({ authorization: TOKEN, allowlist: holes() }), 'allowlist_malformed'],
      ['regions', () => parseR2IpDocument('{}', { regions: holes() }), 'argument_invalid'],
      ['a denoKvStore prefix', () => payhook.denoKvStore({ atomic() {} }, { prefix: holes() }), 'argument_invalid'],
    ];
    for (const [what, call, code] of cases) {
      const start = Date.now();
      assert.equal(await codeOf(call), code, what);
      assert.ok(Date.now() - start < 2000, `${what}: ${Date.now() - start} ms`);
    }
    // Header lines past what the core reads are not read: the header is too long whatever they hold.
    assert.equal(await codeOf(() => verifyR2Signature('{}', [...Array(9000).fill('a'), 1], SECRET)), 'signature_malformed');
  });

  // --- The largest body the package reads (MAX_BODY_BYTES, 32 MiB) -----------------------------
  test(`${label} fail-closed: a maxBytes over 32 MiB is argument_invalid, in receivers and payload functions`, async () => {
    const max = 32 * 1024 * 1024;
    // At the limit: taken.
    assert.equal(r2Receiver({ secrets: SECRET, maxBytes: max }).maxBytes, max);
    assert.equal(belvoReceiver({ authorization: TOKEN, maxBytes: max }).maxBytes, max);
    assert.equal(parseR2Event(JSON.stringify(fixture('r2', 'financing_created')), { maxBytes: max }).event_type, 'financing_created');
    // Past it: reading a payload takes up to about 45 times its size in wasm memory, which
    // ends at 4 GiB (before, up to 1e9 was taken, and a 960 MB body trapped the instance).
    for (const maxBytes of [max + 1, 1e9]) {
      assert.equal(await codeOf(() => r2Receiver({ secrets: SECRET, maxBytes })), 'argument_invalid', `r2Receiver, ${maxBytes}`);
      assert.equal(await codeOf(() => belvoReceiver({ authorization: TOKEN, maxBytes })), 'argument_invalid', `belvoReceiver, ${maxBytes}`);
      for (const f of [parseR2Event, validateR2Event, parseBelvoWebhook, validateBelvoWebhook]) {
        assert.equal(await codeOf(() => f('{}', { maxBytes })), 'argument_invalid', `${f.name}, ${maxBytes}`);
      }
      assert.equal(await codeOf(() => inspectDelivery({ provider: 'r2', body: '{}', headers: {}, secrets: SECRET, maxBytes })), 'argument_invalid', `inspectDelivery, ${maxBytes}`);
    }
  });
}
