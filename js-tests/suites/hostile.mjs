// Hostile input (issue 9, item 3): every export called with wrong types in every argument
// position, then a seeded random-input loop. Each call must return a correct result or throw
// (or reject with) a PayhookError whose `code` is in errorCodes(): never another error type.
// A `RuntimeError` (unreachable, memory access out of bounds) means the wasm trapped; a plain
// TypeError/Error from inside the glue means a JS exception unwound through wasm frames, which
// leaks the wasm shadow stack (about 2,000 of them make the instance unusable for good).
// After every call a known-good call must still work. Portable: no `node:` imports. The classes
// are the package's wrappers (npm/recover.js): a wrong `this` is a PayhookError too.
//
// The random loop prints its seed; set globalThis.PAYHOOK_HOSTILE_SEED (a number) before the
// suite is defined to replay one. It makes 100,000 calls in every runtime (a few seconds);
// globalThis.PAYHOOK_HOSTILE_CALLS sets another count.

import { freshR2 } from './helpers.mjs';

const SECRET = 'hostile-suite-secret';
const TOKEN = 'Bearer hostile-suite-token';
const TEN_MB = 10 * 1024 * 1024;

/** mulberry32: a tiny seeded PRNG, so a failing run can be replayed from its seed. */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Detaches an ArrayBuffer the ways runtimes allow; false when this one allows none. */
function detach(buffer) {
  try {
    if (typeof buffer.transfer === 'function') {
      buffer.transfer();
      return true;
    }
  } catch {}
  try {
    structuredClone(buffer, { transfer: [buffer] });
    return buffer.byteLength === 0;
  } catch {
    return false;
  }
}

const boom = () => {
  throw new Error('hostile getter');
};

/**
 * The hostile values, each made fresh per call (detached buffers cannot be reused). Names are
 * what failure messages show. `big` ones are made at most once per position.
 */
export function hostileValues() {
  const values = [
    ['null', () => null],
    ['undefined', () => undefined],
    ['NaN', () => NaN],
    ['-0', () => -0],
    ['Infinity', () => Infinity],
    ['-Infinity', () => -Infinity],
    ['2**53+1', () => 2 ** 53 + 1],
    ['-1', () => -1],
    ['1.5', () => 1.5],
    ['true', () => true],
    ['false', () => false],
    ['Symbol()', () => Symbol('hostile')],
    ['a function', () => function hostile() {}],
    ['an arrow function', () => () => 'x'],
    ['a class', () => class Hostile {}],
    ['{}', () => ({})],
    ['Object.create(null)', () => Object.create(null)],
    ['[]', () => []],
    ['[[]]', () => [[]]],
    ['[[[[]]]]', () => [[[[]]]]],
    ['[null]', () => [null]],
    ['[1, {}]', () => [1, {}]],
    ['a sparse array', () => new Array(3)],
    ['{ length: 5 }', () => ({ length: 5 })],
    ['{ length: 2**32 }', () => ({ length: 2 ** 32 })],
    ['an object whose toString throws', () => ({ toString: boom, valueOf: boom })],
    ['an object whose Symbol.toPrimitive throws', () => ({ [Symbol.toPrimitive]: boom })],
    ['an object with throwing getters', () => Object.defineProperties({}, Object.fromEntries(
      ['body', 'headers', 'peer', 'trust', 'secrets', 'authorization', 'allowlist', 'provider', 'strict', 'maxBytes',
        'encoding', 'regions', 'dedup', 'leaseMs', 'now', 'maxEntries', 'proxies', 'hops', 'header', 'event', 'get', 'entries',
        'socket', 'remoteAddress', 'remoteAddr', 'address', 'length', 'then', 'arrayBuffer', 'toJSON']
        .map((k) => [k, { get: boom, enumerable: true }])))],
    ['a transparent Proxy', () => new Proxy({}, {})],
    ['a Proxy whose every trap throws', () => new Proxy({}, {
      get: boom, has: boom, ownKeys: boom, getOwnPropertyDescriptor: boom, getPrototypeOf: boom, set: boom, defineProperty: boom,
    })],
    ['a Proxy of an array whose get throws', () => new Proxy(['a'], { get: boom })],
    ['a revoked Proxy', () => {
      const { proxy, revoke } = Proxy.revocable({}, {});
      revoke();
      return proxy;
    }],
    ['a lone high surrogate', () => '\uD800'],
    ['a lone low surrogate inside text', () => 'a\uDC00b'],
    ['an empty string', () => ''],
    ['a NUL string', () => '\0'],
    ['a 64 KB string', () => 'a'.repeat(65_536)],
    ['a 64 KB string of lone surrogates and non-ASCII', () => '\uDC00é'.repeat(32_768)],
    ['a 10 MB string', () => 'a'.repeat(TEN_MB), true],
    ['a 10 MB string of lone surrogates and non-ASCII', () => '\uD800é'.repeat(TEN_MB / 2), true],
    ['an empty ArrayBuffer', () => new ArrayBuffer(0)],
    ['Float64Array [NaN]', () => new Float64Array([NaN])],
    ['a Uint8Array whose length getter throws', () => Object.defineProperty(new Uint8Array(4), 'length', { get: boom })],
    ['a Uint8Array whose length lies (2**32-1)', () => Object.defineProperty(new Uint8Array(4), 'length', { value: 2 ** 32 - 1 })],
    ['a Uint8Array whose length lies (4096)', () => Object.defineProperty(new Uint8Array(4), 'length', { value: 4096 })],
    ['BigInt 1n', () => 1n],
    ['BigInt 2n**64n', () => 2n ** 64n],
    ['a Date', () => new Date(0)],
    ['a RegExp', () => /x/],
    ['a Map', () => new Map([['a', 'b']])],
    ['a Promise', () => Promise.resolve('x')],
    ['an Error', () => new Error('x')],
  ];
  const detached = new ArrayBuffer(8);
  if (detach(detached)) {
    values.push(['a detached ArrayBuffer', () => {
      const b = new ArrayBuffer(8);
      detach(b);
      return b;
    }]);
    for (const View of [Uint8Array, Int16Array, DataView]) {
      values.push([`a ${View.name} over a detached buffer`, () => {
        const b = new ArrayBuffer(8);
        const v = new View(b);
        detach(b);
        return v;
      }]);
    }
  }
  if (typeof SharedArrayBuffer === 'function') {
    values.push(['a SharedArrayBuffer', () => new SharedArrayBuffer(8)]);
    values.push(['a Uint8Array over a SharedArrayBuffer', () => new Uint8Array(new SharedArrayBuffer(8))]);
  }
  return values.map(([name, make, big = false]) => ({ name, make, big }));
}

export default function define({ payhook, test, assert, label }) {
  const P = payhook;
  const codes = new Set(P.errorCodes().map((e) => e.code));
  // 100,000 everywhere (about 3 s in Node, Deno, Bun, workerd and Chromium alike);
  // globalThis.PAYHOOK_HOSTILE_CALLS (a number) changes it, for a longer run or a slower runtime.
  const randomCalls = Number.isInteger(globalThis.PAYHOOK_HOSTILE_CALLS) ? globalThis.PAYHOOK_HOSTILE_CALLS : 100_000;
  const seed = Number.isInteger(globalThis.PAYHOOK_HOSTILE_SEED) ? globalThis.PAYHOOK_HOSTILE_SEED : (Date.now() ^ 0x5eed) >>> 0;

  // Sent now: the bundled fixture's 2012 event_time is outside the replay window.
  const r2Body = JSON.stringify(freshR2(P, 'financing_created'));
  const belvoBody = JSON.stringify(P.fixture('belvo', 'PAYMENT_INTENTS.STATUS_UPDATE'));
  const sig = P.signR2(r2Body, SECRET);
  const goodSig = P.signR2('{}', 'k');

  /** A PayhookError as promised: the package's class, a known code, a numeric status. */
  const isPayhookError = (e) => e instanceof P.PayhookError && typeof e.code === 'string' && codes.has(e.code) && typeof e.status === 'number';
  const show = (v) => (typeof assert.show === 'function' ? assert.show(v) : String(v));
  /**
   * What was thrown, tagged with where it came from: `trap` (the wasm trapped), `through wasm`
   * (a JS exception unwound wasm frames: each one leaks the wasm shadow stack), `JS layer`.
   */
  const describe = (e) => {
    try {
      const stack = typeof e?.stack === 'string' ? e.stack : '';
      const where = e instanceof WebAssembly.RuntimeError ? 'trap' : /wasm:\/\/|wasm-function|\.wasm/.test(stack) ? 'through wasm' : 'JS layer';
      return `${e?.constructor?.name ?? typeof e}${e?.code ? ` [${e.code}]` : ''} (${where}): ${String(e?.message ?? e).slice(0, 160)}`;
    } catch {
      return 'an unprintable throw';
    }
  };
  /** Runs fn (awaiting a thenable): { ok, value } or { error }. */
  async function attempt(fn) {
    try {
      let value = fn();
      if (value !== null && (typeof value === 'object' || typeof value === 'function') && typeof value.then === 'function') value = await value;
      return { ok: true, value };
    } catch (error) {
      return { ok: false, error };
    }
  }
  /** The known-good call: a signature made and checked. Null when fine, the failure otherwise. */
  function brokenAfter() {
    try {
      const got = P.verifyR2Signature('{}', goodSig, 'k');
      return got.secretIndex === 0 && got.encoding === 'base64-hex' ? null : `a wrong result ${JSON.stringify(got)}`;
    } catch (error) {
      return describe(error);
    }
  }

  const al = () => new P.Allowlist(['10.0.0.0/8', '2001:db8::/32']);
  const r2 = P.r2Receiver({ secrets: [SECRET], allowlist: ['127.0.0.1'], trust: { proxies: ['127.0.0.1'] } });
  const belvo = P.belvoReceiver({ authorization: TOKEN });
  const store = P.memoryStore({ maxEntries: 100 });
  const r2Parts = () => ({ body: r2Body, headers: { 'content-sha256': sig }, peer: '127.0.0.1' });
  const sizeGetter = Object.getOwnPropertyDescriptor(P.Allowlist.prototype, 'size').get;
  const inspectInput = () => ({ provider: 'r2', body: r2Body, headers: { 'content-sha256': sig }, peer: '127.0.0.1', secrets: [SECRET] });

  /**
   * Every entry point and argument position: [name, (h) => call with h in that position].
   * Nested positions (an option, a field of a delivery) count as positions too.
   */
  const positions = [
    ['signR2(body)', (h) => P.signR2(h, 'k')],
    ['signR2(secret)', (h) => P.signR2('{}', h)],
    ['signR2(options)', (h) => P.signR2('{}', 'k', h)],
    ['signR2(options.encoding)', (h) => P.signR2('{}', 'k', { encoding: h })],
    ['verifyR2Signature(body)', (h) => P.verifyR2Signature(h, sig, SECRET)],
    ['verifyR2Signature(header)', (h) => P.verifyR2Signature(r2Body, h, SECRET)],
    ['verifyR2Signature(secrets)', (h) => P.verifyR2Signature(r2Body, sig, h)],
    ['verifyR2Signature(secrets[1])', (h) => P.verifyR2Signature(r2Body, sig, ['other', h])],
    ['verifyR2Signature(header[0])', (h) => P.verifyR2Signature(r2Body, [h], SECRET)],
    ['checkBelvoAuthorization(header)', (h) => P.checkBelvoAuthorization(h, TOKEN)],
    ['checkBelvoAuthorization(accepted)', (h) => P.checkBelvoAuthorization(TOKEN, h)],
    ['checkBelvoAuthorization(accepted[0])', (h) => P.checkBelvoAuthorization(TOKEN, [h])],
    ['clientIp(request)', (h) => P.clientIp(h)],
    ['clientIp(request.peer)', (h) => P.clientIp({ peer: h })],
    ['clientIp(request.peer.socket)', (h) => P.clientIp({ peer: { socket: h } })],
    ['clientIp(request.headers)', (h) => P.clientIp({ peer: '127.0.0.1', headers: h, trust: { hops: 1 } })],
    ['clientIp(request.headers[x-forwarded-for])', (h) => P.clientIp({ peer: '127.0.0.1', headers: { 'x-forwarded-for': h }, trust: { hops: 1 } })],
    ['clientIp(request.headers.get)', (h) => P.clientIp({ peer: '127.0.0.1', headers: { get: () => h }, trust: 'cloudflare' })],
    ['clientIp(request.trust)', (h) => P.clientIp({ peer: '127.0.0.1', headers: { 'x-forwarded-for': '1.2.3.4' }, trust: h })],
    ['clientIp(request.trust.proxies)', (h) => P.clientIp({ peer: '127.0.0.1', headers: { 'x-forwarded-for': '1.2.3.4' }, trust: { proxies: h } })],
    ['clientIp(request.trust.hops)', (h) => P.clientIp({ peer: '127.0.0.1', headers: { 'x-forwarded-for': '1.2.3.4' }, trust: { hops: h } })],
    ['clientIp(request.trust.header)', (h) => P.clientIp({ peer: '127.0.0.1', headers: { 'x-forwarded-for': '1.2.3.4' }, trust: { hops: 1, header: h } })],
    ['new Allowlist(entries)', (h) => new P.Allowlist(h)],
    ['new Allowlist([entry])', (h) => new P.Allowlist([h])],
    ['Allowlist.r2(environment)', (h) => P.Allowlist.r2(h)],
    ['Allowlist.belvo(extra)', (h) => P.Allowlist.belvo(h)],
    ['Allowlist.cloudflare(extra)', (h) => P.Allowlist.cloudflare(h)],
    ['allowlist.contains(ip)', (h) => al().contains(h)],
    ['allowlist.check(request)', (h) => al().check(h)],
    ['allowlist.check(request.peer)', (h) => al().check({ peer: h })],
    ['allowlist.union(other)', (h) => al().union(h)],
    ['allowlist.entries(extra)', (h) => al().entries(h)],
    ['allowlist.toJSON(extra)', (h) => al().toJSON(h)],
    ['Allowlist.prototype.contains with this', (h) => P.Allowlist.prototype.contains.call(h, '10.0.0.1')],
    ['Allowlist.prototype.entries with this', (h) => P.Allowlist.prototype.entries.call(h)],
    ['Allowlist.prototype.size with this', (h) => sizeGetter.call(h)],
    ['parseR2IpDocument(json)', (h) => P.parseR2IpDocument(h)],
    ['parseR2IpDocument(options)', (h) => P.parseR2IpDocument('{"creationDate":"2024-01-22","ips":{"us":["54.215.38.39/32"]}}', h)],
    ['parseR2IpDocument(options.regions)', (h) => P.parseR2IpDocument('{"creationDate":"2024-01-22","ips":{"us":["54.215.38.39/32"]}}', { regions: h })],
    ['parseR2Event(body)', (h) => P.parseR2Event(h)],
    ['parseR2Event(options)', (h) => P.parseR2Event(r2Body, h)],
    ['parseR2Event(options.strict)', (h) => P.parseR2Event(r2Body, { strict: h })],
    ['parseR2Event(options.maxBytes)', (h) => P.parseR2Event(r2Body, { maxBytes: h })],
    ['validateR2Event(body)', (h) => P.validateR2Event(h)],
    ['validateR2Event(options)', (h) => P.validateR2Event(r2Body, h)],
    ['parseBelvoWebhook(body)', (h) => P.parseBelvoWebhook(h)],
    ['parseBelvoWebhook(options)', (h) => P.parseBelvoWebhook(belvoBody, h)],
    ['validateBelvoWebhook(body)', (h) => P.validateBelvoWebhook(h)],
    ['validateBelvoWebhook(options.maxBytes)', (h) => P.validateBelvoWebhook(belvoBody, { maxBytes: h })],
    ['dedupKey(event)', (h) => P.dedupKey(h)],
    ['dedupKey(event.event)', (h) => P.dedupKey({ event: h })],
    ['fixture(provider)', (h) => P.fixture(h, 'financing_created')],
    ['fixture(name)', (h) => P.fixture('r2', h)],
    ['fixtureNames(provider)', (h) => P.fixtureNames(h)],
    ['deliveryPolicy(provider)', (h) => P.deliveryPolicy(h)],
    ['errorCodes(extra)', (h) => P.errorCodes(h)],
    ['inspectDelivery(input)', (h) => P.inspectDelivery(h)],
    ...['provider', 'body', 'headers', 'peer', 'secrets', 'authorization', 'allowlist', 'trust', 'strict', 'maxBytes', 'now', 'replayWindowMs']
      .map((key) => [`inspectDelivery(input.${key})`, (h) => P.inspectDelivery({ ...inspectInput(), [key]: h })]),
    ['inspectDelivery(input.authorization) for Belvo', (h) => P.inspectDelivery({ provider: 'belvo', body: belvoBody, headers: { authorization: TOKEN }, authorization: h })],
    ['parseCapture(text)', (h) => P.parseCapture(h)],
    ['r2Receiver(options)', (h) => P.r2Receiver(h)],
    ...['secrets', 'allowlist', 'trust', 'strict', 'maxBytes', 'replayWindowMs', 'now', 'dedup', 'leaseMs']
      .map((key) => [`r2Receiver(options.${key})`, (h) => P.r2Receiver({ secrets: [SECRET], [key]: h })]),
    // The clock is called on each delivery: whatever it is or returns, a result or a PayhookError.
    ['receiver.receive() with options.now', (h) => P.r2Receiver({ secrets: [SECRET], now: h }).receive(r2Parts())],
    ['receiver.receive() with options.now returning it', (h) => P.r2Receiver({ secrets: [SECRET], now: () => h }).receive(r2Parts())],
    ['belvoReceiver(options)', (h) => P.belvoReceiver(h)],
    ['belvoReceiver(options.authorization)', (h) => P.belvoReceiver({ authorization: h })],
    ['receiver.receive(input)', (h) => r2.receive(h)],
    ['receiver.receive(input.body)', (h) => r2.receive({ ...r2Parts(), body: h })],
    ['receiver.receive(input.headers)', (h) => r2.receive({ ...r2Parts(), headers: h })],
    ['receiver.receive(input.headers[content-sha256])', (h) => r2.receive({ ...r2Parts(), headers: { 'content-sha256': h } })],
    ['receiver.receive(input.peer)', (h) => r2.receive({ ...r2Parts(), peer: h })],
    ['receiver.receive(context)', (h) => r2.receive(r2Parts(), h)],
    ['belvo.receive(input.headers.authorization)', (h) => belvo.receive({ body: belvoBody, headers: { authorization: h } })],
    ['receiver.handle(input)', (h) => r2.handle(h, () => {})],
    ['receiver.handle(handler)', (h) => r2.handle(r2Parts(), h, { onError: () => {} })],
    ['receiver.handle(context)', (h) => r2.handle(r2Parts(), () => {}, h)],
    ['memoryStore(options)', (h) => P.memoryStore(h)],
    ...['maxEntries', 'maxBytes', 'now'].map((key) => [`memoryStore(options.${key})`, (h) => P.memoryStore({ [key]: h }).claim('k', 1_000)]),
    ['memoryStore().claim(key)', (h) => store.claim(h, 1_000)],
    ['memoryStore().claim(leaseMs)', (h) => store.claim('hostile-lease', h)],
    ['memoryStore().complete(key)', (h) => store.complete(h, '1', 1_000)],
    ['memoryStore().complete(token)', (h) => store.complete('hostile-token', h, 1_000)],
    ['memoryStore().complete(retentionMs)', (h) => store.complete('hostile-retention', '1', h)],
    ['memoryStore().release(key)', (h) => store.release(h, '1')],
    ['memoryStore().release(token)', (h) => store.release('hostile-token', h)],
    ['memoryStore().status(key)', (h) => store.status(h)],
  ];

  /** Runs one call, checks its outcome and the instance after it; returns a violation or null. */
  async function checkOne(what, fn) {
    const got = await attempt(fn);
    let violation = null;
    if (!got.ok && !isPayhookError(got.error)) violation = `${what} threw ${describe(got.error)}`;
    const broken = brokenAfter();
    if (broken) return { violation: `${violation ?? `${what} returned`}; afterwards the known-good call fails: ${broken}`, fatal: true };
    return violation ? { violation } : null;
  }

  // The 10 MB values go only where bodies, headers and text are read (elsewhere the 64 KB ones
  // cover the same paths in less time).
  const takesText = new Set(['signR2(body)', 'verifyR2Signature(body)', 'verifyR2Signature(header)', 'checkBelvoAuthorization(header)',
    'clientIp(request.headers[x-forwarded-for])', 'allowlist.contains(ip)', 'parseR2IpDocument(json)', 'parseR2Event(body)', 'parseBelvoWebhook(body)',
    'inspectDelivery(input.body)', 'parseCapture(text)', 'receiver.receive(input.body)', 'memoryStore().claim(key)']);
  /** Error messages name what was wrong; they must not grow with the input (log volume, echo). */
  const MAX_MESSAGE = 1_024;

  /** Violations grouped by position and error, so 50 values failing alike read as one line. */
  function grouped(violations) {
    const groups = new Map();
    for (const { where, value, error } of violations) {
      const k = `${where}: ${error}`;
      if (!groups.has(k)) groups.set(k, { where, error, values: [] });
      groups.get(k).values.push(value);
    }
    return [...groups.values()].map((g) => `${g.where} = ${g.values.length > 6 ? `${g.values.slice(0, 6).join(' | ')} | …${g.values.length - 6} more` : g.values.join(' | ')}\n        -> ${g.error}`);
  }

  // One test per entry point, every hostile value in every one of its positions.
  const byEntry = new Map();
  for (const [name, call] of positions) {
    const entry = name.replace(/\(.*$/, '').replace(/ with this$/, '');
    if (!byEntry.has(entry)) byEntry.set(entry, []);
    byEntry.get(entry).push([name, call]);
  }
  for (const [entry, calls] of byEntry) {
    test(`${label} hostile: ${entry} with wrong types in every position gives a result or a PayhookError`, async () => {
      const violations = [];
      let count = 0;
      for (const [name, call] of calls) {
        for (const value of hostileValues()) {
          if (value.big && !takesText.has(name)) continue;
          count++;
          const got = await attempt(() => call(value.make()));
          if (!got.ok && !isPayhookError(got.error)) violations.push({ where: name, value: value.name, error: describe(got.error) });
          else if (!got.ok && got.error.message.length > MAX_MESSAGE) {
            violations.push({ where: name, value: value.name, error: `PayhookError [${got.error.code}] whose message echoes the input: ${got.error.message.length} chars` });
          }
          const broken = brokenAfter();
          if (broken) {
            assert.fail(`the instance is unusable after ${name} with ${value.name} (call ${count}): the known-good call fails with ${broken}\n    ${grouped(violations).join('\n    ')}`);
          }
        }
      }
      if (violations.length) assert.fail(`${violations.length} of ${count} calls broke the rule:\n    ${grouped(violations).join('\n    ')}`);
    });
  }

  test(`${label} hostile: a Request-shaped input and a used Request give a result or a PayhookError`, async () => {
    const violations = [];
    const inputs = [
      ['a Request with a 10 MB body', () => new Request('http://127.0.0.1/', { method: 'POST', body: 'a'.repeat(TEN_MB), headers: { 'content-sha256': sig } })],
      ['a Request with a lying content-length', () => new Request('http://127.0.0.1/', { method: 'POST', body: r2Body, headers: { 'content-sha256': sig, 'content-length': '-1' } })],
      ['a Request whose body stream errors', () => new Request('http://127.0.0.1/', { method: 'POST', body: new ReadableStream({ pull(c) { c.error(new Error('stream boom')); } }), duplex: 'half' })],
      ['a fake Request whose arrayBuffer throws', () => ({ arrayBuffer: boom, headers: { get: boom }, body: null, bodyUsed: false })],
      ['a fake Request whose headers.get throws', () => ({ arrayBuffer: async () => new ArrayBuffer(0), headers: { get: boom }, body: null, bodyUsed: false })],
    ];
    for (const [name, make] of inputs) {
      for (const [how, call] of [['receive', (x) => r2.receive(x)], ['handle', (x) => r2.handle(x, () => {})], ['belvo.receive', (x) => belvo.receive(x)]]) {
        const found = await checkOne(`${how}(${name})`, () => call(make()));
        if (found) violations.push(found.violation);
        if (found?.fatal) break;
      }
    }
    if (violations.length) assert.fail(`${violations.length} calls broke the rule:\n    ${violations.join('\n    ')}`);
  });

  // A body given as bytes is a view of the caller's buffer: caller code that runs after it
  // was measured (a getter in a header or the secrets, a receiver's clock, a Request-like
  // object's headers.get) can detach or shrink that buffer. The call must still give a
  // result or a PayhookError, never the glue's TypeError from copying a detached or
  // out-of-bounds view.
  test(`${label} hostile: a getter that detaches or shrinks the body's buffer gives a result or a PayhookError`, async () => {
    const text = new TextEncoder().encode(r2Body);
    const spoilers = [];
    if (detach(new ArrayBuffer(8))) spoilers.push(['detached', () => new ArrayBuffer(text.length), (b) => detach(b)]);
    try {
      if (new ArrayBuffer(1, { maxByteLength: 2 }).resizable) spoilers.push(['shrunk', () => new ArrayBuffer(text.length, { maxByteLength: text.length }), (b) => b.resize(1)]);
    } catch {}
    /** An array whose one element is `value`, read through a getter that runs `then` first. */
    const spoiling = (value, then) => Object.defineProperty([], 0, { get: () => (then(), value), enumerable: true });
    const parts = (body, spoil) => ({ body, headers: { 'content-sha256': spoiling(sig, spoil) }, peer: '127.0.0.1' });
    /** A Request-shaped input whose headers.get spoils the buffer arrayBuffer() gave. */
    const request = (body, spoil) => {
      let given = false;
      const get = (name) => (given && spoil(), { 'content-sha256': sig, 'content-length': String(body.length) }[name] ?? null);
      return { arrayBuffer: async () => ((given = true), body.buffer), headers: { get }, body: {}, bodyUsed: false };
    };
    const calls = [
      ['verifyR2Signature(body, header, [getter])', (body, spoil) => P.verifyR2Signature(body, sig, spoiling(SECRET, spoil))],
      ['verifyR2Signature(body, [getter], secrets)', (body, spoil) => P.verifyR2Signature(body, spoiling(sig, spoil), SECRET)],
      ['receiver.receive({ body, headers: [getter] })', (body, spoil) => r2.receive(parts(body, spoil))],
      ['receiver.receive({ body }) with a now() that spoils', (body, spoil) => P.r2Receiver({ secrets: [SECRET], now: () => (spoil(), Date.now()) }).receive(parts(body, () => {}))],
      ['receiver.receive(a Request-shaped input whose headers.get spoils)', (body, spoil) => r2.receive(request(body, spoil))],
      ['inspectDelivery({ body, headers: [getter] })', (body, spoil) => P.inspectDelivery({ provider: 'r2', ...parts(body, spoil), secrets: [SECRET] })],
    ];
    const violations = [];
    for (const [how, make, spoil] of spoilers) {
      for (const [name, call] of calls) {
        const buffer = make();
        new Uint8Array(buffer).set(text);
        const found = await checkOne(`${name} with the body's buffer ${how}`, () => call(new Uint8Array(buffer), () => spoil(buffer)));
        if (found) violations.push(found.violation);
      }
    }
    if (!spoilers.length) console.log(`# ${label}: no buffer can be detached or resized here`);
    if (violations.length) assert.fail(`${violations.length} calls broke the rule:\n    ${violations.join('\n    ')}`);
  });

  // A caller deep in recursion: payhook called with the JS stack nearly exhausted, at every
  // depth on the way back up, from several frame sizes, so that some calls overflow the stack
  // inside wasm (a RangeError that unwinds wasm frames). Such calls can break an unguarded
  // instance for good (js-tests/memory.test.mjs proves it in Node, where it also proves the
  // package replaces its instance); here, in every runtime, whatever the engine does with them,
  // everything made before must keep working (npm/recover.js). The calls that overflowed may
  // throw the engine's RangeError: the caller's stack was exhausted. Synchronous calls only (a
  // promise made there could not even get its rejection handler). No eval, so it runs in workerd.
  test(`${label} hostile: calls made with the JS stack nearly exhausted leave the package working (constants, receivers, Allowlists and memoryStores made before)`, async () => {
    // The catch blocks count what was thrown without a call (a call there would overflow too).
    const thrown = {};
    const divers = [
      (call) => function d(n) { try { d(n + 1); } catch {} try { call(); } catch (e) { const k = e?.constructor?.name; thrown[k] = (thrown[k] | 0) + 1; } },
      (call) => function d(n, a) { try { d(n + 1, a); } catch {} try { call(); } catch (e) { const k = e?.constructor?.name; thrown[k] = (thrown[k] | 0) + 1; } },
      (call) => function d(n, a, b) { try { d(n + 1, a, b); } catch {} try { call(); } catch (e) { const k = e?.constructor?.name; thrown[k] = (thrown[k] | 0) + 1; } },
      (call) => function d(n, a, b, c) { try { d(n + 1, a, b, c); } catch {} try { call(); } catch (e) { const k = e?.constructor?.name; thrown[k] = (thrown[k] | 0) + 1; } },
      (call) => function d(n, a, b, c, e, f) { try { d(n + 1, a, b, c, e, f); } catch {} try { call(); } catch (x) { const k = x?.constructor?.name; thrown[k] = (thrown[k] | 0) + 1; } },
      (call) => function d(n, a, b, c, e, f, g, h, i) { try { d(n + 1, a, b, c, e, f, g, h, i); } catch {} try { call(); } catch (x) { const k = x?.constructor?.name; thrown[k] = (thrown[k] | 0) + 1; } },
    ];
    const list = new P.Allowlist(['10.0.0.0/8', '2001:db8::/32']).union(['192.0.2.0/24']);
    const options = { secrets: [SECRET], allowlist: ['127.0.0.1'] };
    const receiver = P.r2Receiver(options);
    options.secrets = ['changed after the receiver was made'];
    const memory = P.memoryStore({ now: () => 0 });
    const delivery = () => receiver.receive(r2Parts());
    const verify = () => P.verifyR2Signature(r2Body, sig, SECRET);
    // verifyR2Signature from every frame size, then the other calls from two, stopping early if
    // verifyR2Signature fails. About 0.5 s in V8, 3 s in Bun (JavaScriptCore's stack is deeper).
    const started = Date.now();
    let dives = 0;
    const failing = () => {
      try {
        return verify().secretIndex !== 0;
      } catch {
        return true;
      }
    };
    for (let i = 0; i < divers.length && !failing(); i++, dives++) divers[i](verify)(0, 1, 2, 3, 4, 5, 6, 7, 8);
    const others = [() => list.contains('10.1.2.3'), () => P.R2_ALLOWLIST.contains('54.215.38.39'), delivery, () => P.clientIp({ peer: '127.0.0.1' })];
    for (const call of others) for (const diver of [divers[0], divers[5]]) if (!failing()) diver(call)(0, 1, 2, 3, 4, 5, 6, 7, 8), dives++;

    const broken = [];
    const expect = (what, fn, want) => {
      try {
        const got = fn();
        if (got !== want) broken.push(`${what} gave ${show(got)}, not ${show(want)}`);
      } catch (error) {
        broken.push(`${what} threw ${describe(error)}`);
      }
    };
    expect('verifyR2Signature', () => verify().secretIndex, 0);
    expect('R2_ALLOWLIST.contains', () => P.R2_ALLOWLIST.contains('54.215.38.39'), true);
    expect('BELVO_ALLOWLIST.contains', () => P.BELVO_ALLOWLIST.contains('3.130.254.46'), true);
    expect('an Allowlist made before', () => list.entries().join(' '), '10.0.0.0/8 192.0.2.0/24 2001:db8::/32');
    expect('a receiver made before', () => delivery().ok, true);
    expect('a receiver made before, another peer', () => receiver.receive({ ...r2Parts(), peer: '10.9.9.9' }).error?.code, 'ip_not_allowed');
    expect('a new receiver', () => P.r2Receiver({ secrets: [SECRET] }).receive(r2Parts()).ok, true);
    try {
      const claimed = await memory.claim('after', 1e9);
      if (claimed?.status !== 'new' || typeof claimed.token !== 'string') broken.push(`a memoryStore made before claimed a new key as ${show(claimed)}`);
      else if ((await memory.complete('after', claimed.token, 1e9)) !== true) broken.push('a memoryStore made before did not complete its claim');
    } catch (error) {
      broken.push(`a memoryStore made before threw ${describe(error)}`);
    }
    console.log(`# hostile stack exhaustion (${label}): ${dives} dives in ${Date.now() - started} ms; thrown ${JSON.stringify(thrown)}`);
    if (!(thrown.RangeError > 0)) broken.push(`no call overflowed the stack (thrown: ${JSON.stringify(thrown)}): the test did not test`);
    if (broken.length) assert.fail(`after the dives (thrown: ${JSON.stringify(thrown)}):\n    ${broken.join('\n    ')}`);
  });

  // The seeded random loop: random bytes, strings, mutated valid inputs and random objects,
  // spread over the entry points, with an oracle for each result.
  /** The seeded random loop; `exotic` is how often a hostile value replaces a plain one. */
  async function randomLoop(randomCalls, exotic, seed, what) {
    const rand = mulberry32(seed);
    const int = (n) => Math.floor(rand() * n);
    const pick = (list) => list[int(list.length)];
    const enc = new TextEncoder();
    const hostile = hostileValues().filter((v) => !v.big);
    const alphabet = 'abcdefABCDEF0123456789+/=-_:., \t\r\n"{}[]%\\\u00e9\uD800\u0000';
    const randomString = (max = 64) => {
      let s = '';
      const n = int(max);
      for (let i = 0; i < n; i++) s += rand() < 0.8 ? alphabet[int(alphabet.length)] : String.fromCharCode(int(0x10000));
      return s;
    };
    const randomBytes = (max = 256) => {
      const b = new Uint8Array(int(max));
      for (let i = 0; i < b.length; i++) b[i] = int(256);
      return b;
    };
    const mutate = (text) => {
      if (!text.length) return randomString(8);
      const chars = [...text];
      const edits = 1 + int(3);
      for (let e = 0; e < edits; e++) {
        const at = int(chars.length + 1);
        const op = int(4);
        if (op === 0) chars.splice(at, 1);
        else if (op === 1) chars.splice(at, 0, alphabet[int(alphabet.length)]);
        else if (op === 2) chars[Math.min(at, chars.length - 1)] = String.fromCharCode(int(0x80));
        else chars.splice(at, int(8));
      }
      return chars.join('');
    };
    const randomJson = (depth = 0) => {
      const k = int(depth > 3 ? 5 : 8);
      if (k === 0) return null;
      if (k === 1) return rand() < 0.5;
      if (k === 2) return pick([0, -0, 1e308, -1, 2 ** 53 + 1, 1.5, 170141183460469231731687303715884105727]);
      if (k === 3) return randomString(16);
      if (k === 4) return pick(['financing_created', 'PAYMENT_INTENTS', 'STATUS_UPDATE', '2024-01-22T00:00:00Z', 'fa5c8a0b']);
      if (k === 5) return Array.from({ length: int(4) }, () => randomJson(depth + 1));
      return Object.fromEntries(Array.from({ length: int(5) }, () => [pick(['event', 'event_type', 'event_time', 'event_metadata', 'financing', 'id', 'webhook_type', 'webhook_code', 'data', 'external_id', randomString(6)]), randomJson(depth + 1)]));
    };
    const mutateObject = (value, withHostile = false) => {
      const copy = JSON.parse(JSON.stringify(value));
      const walk = (node, depth) => {
        if (node === null || typeof node !== 'object') return;
        const keys = Object.keys(node);
        if (!keys.length) return;
        const key = pick(keys);
        if (rand() < 0.3 || depth > 4) node[key] = withHostile && rand() < exotic ? pick(hostile).make() : randomJson(2);
        else walk(node[key], depth + 1);
      };
      walk(copy, 0);
      return copy;
    };
    // R2's sent now (inside the replay window), so a signed mutation can reach every check.
    const fixtures = Object.fromEntries(['r2', 'belvo'].map((p) => [p, P.fixtureNames(p).map((n) => (p === 'r2' ? freshR2(P, n) : P.fixture(p, n)))]));
    const body = () => {
      const k = int(6);
      if (k === 0) return randomBytes();
      if (k === 1) return randomString(256);
      if (k === 2) return mutate(r2Body);
      if (k === 3) return JSON.stringify(mutateObject(pick(fixtures.r2)));
      if (k === 4) return JSON.stringify(mutateObject(pick(fixtures.belvo)));
      return enc.encode(JSON.stringify(randomJson()));
    };
    const anything = () => (rand() < exotic ? pick(hostile).make() : rand() < 0.5 ? randomString(32) : randomJson());
    const randomIpv4 = () => Array.from({ length: 4 }, () => int(256)).join('.');
    const randomIpv6 = () => Array.from({ length: 8 }, () => int(0x10000).toString(16)).join(':');
    const headerLike = () => pick([() => randomString(40), () => mutate(sig), () => mutate(P.signR2(r2Body, SECRET, { encoding: pick(['hex', 'base64', 'base64url']) })), () => [randomString(10), randomString(10)], anything])();

    // Each op makes its inputs (plain test code), then `call` makes the package calls (only
    // they may throw, and only PayhookErrors), then `check` judges the result (null: correct).
    const tagOf = (b, secret) => hexToBytes(P.signR2(b, secret, { encoding: 'hex' }));
    const list = new P.Allowlist(['10.0.0.0/8', '192.168.1.0/24', '54.215.38.39', '2001:db8::/32']);
    const model = new Map(); // key -> { state: 'claimed', token } | { state: 'done' }
    const handedOut = new Set(); // every token a claim handed out (each claim its own)
    const handedOutList = [];
    const modelStore = P.memoryStore({ maxEntries: 1_000, now: () => 0 });
    const ops = [
      ['signR2 round trip', () => {
        const b = rand() < 0.5 ? randomBytes() : randomString(128);
        const secret = rand() < 0.9 ? randomString(32) || 'k' : randomBytes(40);
        const encoding = pick(['hex', 'base64', 'base64url', 'base64-hex', undefined]);
        return {
          call: () => {
            const header = P.signR2(b, secret, { encoding });
            return { header, found: P.verifyR2Signature(b, header, ['wrong', secret]) };
          },
          check: ({ header, found }) => {
            const want = encoding ?? 'base64-hex';
            // Unpadded base64url without '-' or '_' is also plain base64: either name is right.
            const sameText = want === 'base64url' && found.encoding === 'base64' && !/[-_]/.test(header);
            return found.secretIndex === (secret === 'wrong' ? 0 : 1) && (found.encoding === want || sameText) ? null : `verify(sign(${want})) gave ${JSON.stringify(found)}`;
          },
        };
      }],
      ['verifyR2Signature random header', () => {
        const b = body();
        const header = headerLike();
        return {
          call: () => ({ found: P.verifyR2Signature(b, header, SECRET), tag: tagOf(b, SECRET) }),
          // Accepted: the header must decode to the true tag of this body.
          check: ({ found, tag }) => {
            const decoded = typeof header === 'string' ? decodeTag(header, found.encoding) : null;
            return decoded && equalBytes(decoded, tag) ? null : `accepted a header that is not the tag: ${show(header)} as ${found.encoding}`;
          },
        };
      }],
      ['checkBelvoAuthorization random header', () => {
        const header = pick([() => randomString(40), () => mutate(TOKEN), () => mutate('Basic YmVsdm86czNjcjN0'), anything])();
        return {
          call: () => P.checkBelvoAuthorization(header, [TOKEN, 'Basic YmVsdm86czNjcjN0']),
          check: (found) => {
            const expected = found.acceptedIndex === 0 ? ['bearer', 'hostile-suite-token'] : ['basic', 'belvo:s3cr3t'];
            const m = typeof header === 'string' && header.trim().match(/^(\S+)\s+([\s\S]*)$/);
            if (!m || m[1].toLowerCase() !== expected[0]) return `accepted ${show(header)}`;
            const credential = expected[0] === 'basic' ? safeAtob(m[2].trim()) : m[2].trim();
            return credential === expected[1] ? null : `accepted ${show(header)} for ${expected[1]}`;
          },
        };
      }],
      ['Allowlist.contains', () => {
        const k = int(3);
        const ip = k === 0 ? randomIpv4() : k === 1 ? randomIpv6() : pick([() => mutate('10.1.2.3'), () => mutate('2001:db8::1'), () => randomString(20), anything])();
        return {
          call: () => list.contains(ip),
          check: (got) => {
            if (typeof got !== 'boolean') return `contains gave ${typeof got}`;
            if (k === 0) return got === ipv4Listed(ip) ? null : `contains(${ip}) = ${got}`;
            if (k === 1) return got === /^2001:db8:/.test(ip) ? null : `contains(${ip}) = ${got}`;
            return null;
          },
        };
      }],
      ['clientIp', () => {
        const trust = pick(['none', 'cloudflare', { hops: int(4) }, { proxies: ['127.0.0.1', '10.0.0.0/8'] }, { hops: 1, header: 'forwarded' }, anything()]);
        const peer = pick([randomIpv4, randomIpv6, () => mutate('127.0.0.1'), () => '127.0.0.1', anything])();
        const headers = { 'x-forwarded-for': headerLike(), forwarded: `for=${randomIpv4()};proto=https, ${randomString(20)}`, 'cf-connecting-ip': pick([randomIpv4, () => randomString(16)])() };
        return {
          call: () => {
            const got = P.clientIp({ peer, headers, trust });
            let wellFormed = true;
            try {
              new P.Allowlist([got.ip]);
            } catch (error) {
              if (!isPayhookError(error)) throw error;
              wellFormed = false;
            }
            return { got, wellFormed };
          },
          check: ({ got, wellFormed }) => {
            if (typeof got?.ip !== 'string' || !['peer', 'x-forwarded-for', 'forwarded', 'cf-connecting-ip'].includes(got.source)) return `clientIp gave ${show(got)}`;
            if (trust === 'none' && got.source !== 'peer') return `trust none read ${got.source}`;
            return wellFormed ? null : `clientIp gave a malformed address ${show(got.ip)}`;
          },
        };
      }],
      ['parseR2Event agrees with validateR2Event', () => payloadAgreement(P.parseR2Event, P.validateR2Event, body(), rand() < 0.3)],
      ['parseBelvoWebhook agrees with validateBelvoWebhook', () => payloadAgreement(P.parseBelvoWebhook, P.validateBelvoWebhook, body(), rand() < 0.3)],
      ['dedupKey', () => {
        const provider = pick(['r2', 'belvo']);
        const event = rand() < 0.5 ? mutateObject(pick(fixtures[provider]), true) : anything();
        return {
          call: () => [P.dedupKey(event), P.dedupKey(event)],
          check: ([a, b]) => (typeof a === 'string' && a === b ? null : `dedupKey not a stable string: ${show(a)} ${show(b)}`),
        };
      }],
      ['parseR2IpDocument', () => {
        const doc = rand() < 0.5 ? mutate('{"creationDate":"2024-01-22T00:00:00Z","ips":{"us":["54.215.38.39/32","10.0.0.0/8"],"eu":["2001:db8::/32"]}}') : JSON.stringify(randomJson());
        const options = rand() < 0.5 ? { regions: [pick(['us', 'eu', randomString(3)])] } : undefined;
        return {
          call: () => P.parseR2IpDocument(doc, options),
          check: (got) => (got.allowlist instanceof P.Allowlist && Array.isArray(got.regions) && typeof got.creationDate === 'string' ? null : `parseR2IpDocument gave ${show(got)}`),
        };
      }],
      ['parseCapture', () => {
        const text = pick([() => mutate(`curl -X POST 'https://x.test/r2' -H 'Content-Sha256: ${sig}' -d '${r2Body}'`), () => mutate(`POST /r2 HTTP/1.1\nContent-Sha256: ${sig}\n\n${r2Body}`), () => randomString(200), anything])();
        return {
          call: () => P.parseCapture(text),
          check: (got) => (typeof got.body === 'string' && typeof got.url === 'string' && got.headers && typeof got.headers === 'object' ? null : `parseCapture gave ${show(got)}`),
        };
      }],
      ['inspectDelivery agrees with the receiver', () => {
        const b = body();
        const headers = rand() < 0.5 ? { 'content-sha256': rand() < 0.3 ? P.signR2(b, SECRET) : headerLike(), 'x-forwarded-for': randomIpv4() } : anything();
        const peer = pick(['127.0.0.1', randomIpv4(), anything()]);
        return {
          call: () => {
            const inspected = P.inspectDelivery({ provider: 'r2', body: b, headers, peer, secrets: [SECRET], allowlist: ['127.0.0.1'], trust: { proxies: ['127.0.0.1'] } });
            try {
              return { inspected, received: r2.receive({ body: b, headers, peer }) };
            } catch (error) {
              if (!isPayhookError(error)) throw error;
              return { inspected, thrown: error };
            }
          },
          check: ({ inspected, received, thrown }) => {
            if (thrown) return inspected.verdict === 'refused' ? null : `inspect accepted what receive threw ${thrown.code} for`;
            if ((inspected.verdict === 'accepted') !== received.ok) return `inspect ${inspected.verdict}, receive ok=${received.ok}`;
            if (inspected.error?.code !== received.error?.code) return `inspect ${inspected.error?.code}, receive ${received.error?.code}`;
            if (received.ok) return received.response.status === 200 ? null : `accepted with ${received.response.status}`;
            return isPayhookError(received.error) && received.response.status === received.error.status && JSON.parse(received.response.body).error === received.error.code ? null : 'the refusal answer disagrees with the error';
          },
        };
      }],
      ['belvo.receive', () => {
        const parts = { body: body(), headers: { authorization: pick([() => mutate(TOKEN), () => TOKEN, () => randomString(30)])() }, peer: anything() };
        return {
          call: () => belvo.receive(parts),
          check: (got) => {
            if (got.ok) return got.acceptedIndex === 0 && parts.headers.authorization.trim().replace(/^bearer/i, 'Bearer').replace(/\s+/, ' ') === TOKEN && got.response.status === 200 ? null : `accepted ${show(parts.headers.authorization)}`;
            return isPayhookError(got.error) && got.response.status === got.error.status ? null : 'a refusal without a PayhookError';
          },
        };
      }],
      ['memoryStore model', () => {
        // Well-formed keys: lone surrogates collapse to U+FFFD on the way in (see the report).
        const key = `k${int(50)}`;
        const op = pick(['claim', 'claim', 'status', 'complete', 'release']);
        const before = model.get(key);
        const want = before?.state === 'done' ? 'duplicate' : before?.state === 'claimed' ? 'in_progress' : 'new';
        // complete and release mostly with the claim's own token; else with one handed out to
        // another claim (spent or live elsewhere) or never handed out: those must hold nothing.
        const token = before?.state === 'claimed' && rand() < 0.7 ? before.token
          : handedOutList.length && rand() < 0.7 ? pick(handedOutList) : `never-${int(1e6)}`;
        const holds = before?.state === 'claimed' && token === before.token;
        return {
          call: async () => {
            if (op === 'claim') return modelStore.claim(key, 1e12);
            if (op === 'status') return modelStore.status(key);
            if (op === 'complete') return modelStore.complete(key, token, 1e12);
            return modelStore.release(key, token);
          },
          check: (got) => {
            if (op === 'claim') {
              if (want !== 'new') return got?.status === want && got.token === undefined ? null : `claim(${key}) = ${show(got)}, the model says ${want}`;
              if (got?.status !== 'new' || typeof got.token !== 'string' || got.token === '') return `claim(${key}) = ${show(got)}, the model says new (with a token)`;
              if (handedOut.has(got.token)) return `claim(${key}) handed out token ${got.token} a second time`;
              handedOut.add(got.token);
              handedOutList.push(got.token);
              model.set(key, { state: 'claimed', token: got.token });
              return null;
            }
            if (op === 'status') return got === want ? null : `status(${key}) = ${show(got)}, the model says ${want}`;
            if (got !== holds) return `${op}(${key}, ${token}) = ${show(got)}, the model says ${holds} (${want})`;
            if (holds && op === 'complete') model.set(key, { state: 'done' });
            if (holds && op === 'release') model.delete(key);
            return null;
          },
        };
      }],
      ['anything anywhere', () => {
        const fn = pick([P.signR2, P.verifyR2Signature, P.checkBelvoAuthorization, P.clientIp, P.parseR2IpDocument, P.parseR2Event, P.validateR2Event,
          P.parseBelvoWebhook, P.validateBelvoWebhook, P.dedupKey, P.fixture, P.fixtureNames, P.deliveryPolicy, P.inspectDelivery, P.parseCapture,
          P.r2Receiver, P.belvoReceiver, (...a) => r2.receive(...a), (...a) => new P.Allowlist(...a), (...a) => list.contains(...a), (...a) => list.union(...a)]);
        const args = Array.from({ length: int(4) }, anything);
        return { call: () => fn(...args), check: () => null };
      }],
    ];

    function payloadAgreement(parse, validate, b, strict) {
      return {
        call: () => {
          let parsed;
          let thrown;
          try {
            parsed = parse(b, { strict });
          } catch (error) {
            if (!isPayhookError(error)) throw error;
            thrown = error;
          }
          const v = validate(b, { strict });
          return { parsed, thrown, v, keys: thrown || !v.ok ? null : [P.dedupKey(parsed), P.dedupKey(v.value)] };
        },
        check: ({ parsed, thrown, v, keys }) => {
          if (thrown) return !v.ok && v.code === thrown.code ? null : `parse threw ${thrown.code}, validate gave ok=${v.ok} code=${v.code}`;
          if (!v.ok) return `parse accepted, validate refused with ${v.code}`;
          if (parsed === null || typeof parsed !== 'object') return `parse gave ${typeof parsed}`;
          return keys[0] === keys[1] ? null : 'parse and validate give different events';
        },
      };
    }
    function ipv4Listed(ip) {
      const [a, b, c] = ip.split('.').map(Number);
      return a === 10 || (a === 192 && b === 168 && c === 1) || ip === '54.215.38.39';
    }

    const tally = new Map();
    const violations = [];
    const started = Date.now();
    for (let i = 0; i < randomCalls; i++) {
      const [name, op] = ops[int(ops.length)];
      const t = tally.get(name) ?? { calls: 0, results: 0, errors: 0 };
      tally.set(name, t);
      t.calls++;
      const { call, check: judge } = op(); // a throw here is a bug of this suite: it fails the test
      let wrong = null;
      const got = await attempt(call);
      if (got.ok) {
        wrong = judge(got.value);
        if (wrong) wrong = `${name}: wrong result: ${wrong}`;
        else t.results++;
      } else if (isPayhookError(got.error)) {
        t.errors++;
      } else {
        wrong = `${name}: threw ${describe(got.error)}`;
      }
      if (wrong) violations.push(`call ${i}: ${wrong}`);
      if (wrong || i % 100 === 0) {
        const broken = brokenAfter();
        if (broken) assert.fail(`seed ${seed}: the instance is unusable after call ${i} (${name}): ${broken}\n  violations so far:\n    ${violations.slice(0, 40).join('\n    ')}`);
      }
      if (violations.length >= 200) break;
    }
    const summary = [...tally].map(([n, t]) => `${n} ${t.calls}`).join(', ');
    console.log(`# hostile random loop (${what}): seed ${seed}, ${randomCalls} calls in ${Date.now() - started} ms (${summary})`);
    if (violations.length) assert.fail(`seed ${seed}: ${violations.length} violations (replay with globalThis.PAYHOOK_HOSTILE_SEED = ${seed}):\n    ${violations.slice(0, 60).join('\n    ')}`);
  }

  // What a sender can put on the wire: bytes, text, JSON, header strings. Must pass.
  const wireCalls = Math.round(randomCalls * 0.75);
  test(`${label} hostile: ${wireCalls.toLocaleString('en')} seeded random wire inputs (seed ${seed}) give correct results or PayhookErrors`, () => randomLoop(wireCalls, 0, seed, 'wire'));
  // The same, with the hostile JS values of the matrix mixed in (a programmer's mistakes).
  const exoticCalls = randomCalls - wireCalls;
  test(`${label} hostile: ${exoticCalls.toLocaleString('en')} seeded random calls with hostile values (seed ${seed + 1}) give correct results or PayhookErrors`, () => randomLoop(exoticCalls, 0.2, seed + 1, 'hostile values'));
}

function hexToBytes(hex) {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

function equalBytes(a, b) {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function safeAtob(text) {
  try {
    const clean = text.replace(/-/g, '+').replace(/_/g, '/').replace(/=+$/, '');
    return atob(clean + '='.repeat((4 - (clean.length % 4)) % 4));
  } catch {
    return null;
  }
}

/** The tag bytes a header claims, decoded leniently in the encoding the core reported. */
function decodeTag(header, encoding) {
  const text = header.trim();
  if (encoding === 'hex') return /^[0-9a-fA-F]{64}$/.test(text) ? hexToBytes(text) : null;
  const binary = safeAtob(text);
  if (binary === null) return null;
  if (encoding === 'base64-hex') return /^[0-9a-fA-F]{64}$/.test(binary) ? hexToBytes(binary) : null;
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}
