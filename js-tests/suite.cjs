'use strict';
// The JS suite, run against the packed package: the shared vectors and the bad-input table.
// ESM (esm.test.mjs) and CommonJS (cjs.test.cjs) both call define() with what they
// imported, so both module systems run every case.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

const vectors = (name) => JSON.parse(readFileSync(join(__dirname, '..', 'vectors', name), 'utf8')).cases;

/** The code of what fn throws, after checking it is a proper PayhookError. */
function thrownCode(payhook, fn) {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof Error, 'an Error');
    assert.ok(error instanceof payhook.PayhookError, 'a PayhookError');
    assert.equal(error.name, 'PayhookError');
    assert.equal(typeof error.status, 'number');
    assert.ok(error.message.length > 10, 'a helpful message');
    return error.code;
  }
  return 'no error thrown';
}

/** Runs fn and gives its result or the code it threw, in the vectors' terms. */
function verdict(payhook, fn, indexKey, labelKey) {
  let result;
  try {
    result = fn();
  } catch {
    return { error: thrownCode(payhook, fn) };
  }
  return { [indexKey === 'secretIndex' ? 'secret_index' : 'accepted_index']: result[indexKey], [labelKey]: result[labelKey] };
}

function define(payhook, label) {
  const { signR2, verifyR2Signature, checkBelvoAuthorization, errorCodes, PayhookError } = payhook;
  const stillWorks = () => {
    const header = signR2('{}', 'k');
    assert.deepEqual(verifyR2Signature('{}', header, 'k'), { secretIndex: 0, encoding: 'base64-hex' });
  };

  for (const c of vectors('r2_signature.json')) {
    test(`${label} r2 vector: ${c.name}`, () => {
      const body = c.body_hex === undefined ? Buffer.from(c.body, 'utf8') : Buffer.from(c.body_hex, 'hex');
      // As a Uint8Array (not Buffer), as a Buffer, and as a string where the body is text.
      const forms = [new Uint8Array(body), body];
      if (c.body !== undefined) forms.push(c.body);
      for (const form of forms) {
        const got = verdict(payhook, () => verifyR2Signature(form, c.header, c.secrets), 'secretIndex', 'encoding');
        assert.deepEqual(got, c.expect);
      }
    });
  }

  for (const c of vectors('belvo_authorization.json')) {
    test(`${label} belvo vector: ${c.name}`, () => {
      const got = verdict(payhook, () => checkBelvoAuthorization(c.header, c.accepted), 'acceptedIndex', 'scheme');
      assert.deepEqual(got, c.expect);
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
    ['body a parsed object', () => verifyR2Signature({ event: {} }, okHeader, 'k'), 'argument_invalid'],
    ['header a number', () => verifyR2Signature('{}', 42, 'k'), 'argument_invalid'],
    ['header an object', () => verifyR2Signature('{}', {}, 'k'), 'argument_invalid'],
    ['sign with an empty secret', () => signR2('{}', ''), 'secret_invalid'],
    ['sign with an unknown encoding', () => signR2('{}', 'k', { encoding: 'base32' }), 'argument_invalid'],
    ['sign with options a string', () => signR2('{}', 'k', 'hex'), 'argument_invalid'],
    ['sign a number', () => signR2(1, 'k'), 'argument_invalid'],
    ['authorization 10 MB', () => checkBelvoAuthorization(`Bearer ${big}`, 'Bearer a'), 'authorization_mismatch'],
    ['authorization a number', () => checkBelvoAuthorization(7, 'Bearer a'), 'argument_invalid'],
    ['authorization non-ASCII', () => checkBelvoAuthorization('Bearer señal', 'Bearer a'), 'authorization_malformed'],
    ['accepted empty list', () => checkBelvoAuthorization('Bearer a', []), 'secret_invalid'],
    ['accepted null', () => checkBelvoAuthorization('Bearer a', null), 'secret_invalid'],
    ['accepted a number in the list', () => checkBelvoAuthorization('Bearer a', ['Bearer a', 5]), 'secret_invalid'],
  ];
  for (const [name, fn, code] of badInput) {
    test(`${label} bad input: ${name} -> ${code}`, () => {
      assert.equal(thrownCode(payhook, fn), code);
      stillWorks();
    });
  }

  test(`${label} every body type signs and verifies alike`, () => {
    const text = '{"nota":"pago ✅ 💸"}';
    const bytes = new TextEncoder().encode(text);
    for (const encoding of ['hex', 'base64', 'base64url', 'base64-hex']) {
      const header = signR2(bytes, 'k', { encoding });
      for (const body of [text, bytes, Buffer.from(bytes), bytes.buffer, new DataView(bytes.buffer)]) {
        assert.deepEqual(verifyR2Signature(body, header, ['old', 'k']), { secretIndex: 1, encoding });
      }
    }
  });

  test(`${label} signR2 matches node:crypto in every encoding`, () => {
    const { createHmac } = require('node:crypto');
    const body = Buffer.from('{"event":{"event_type":"financing_paid"}}');
    const raw = createHmac('sha256', 'jwt-secret').update(body).digest();
    const hex = raw.toString('hex');
    assert.equal(signR2(body, 'jwt-secret', { encoding: 'hex' }), hex);
    assert.equal(signR2(body, 'jwt-secret', { encoding: 'base64' }), raw.toString('base64'));
    assert.equal(signR2(body, 'jwt-secret', { encoding: 'base64url' }), raw.toString('base64url'));
    assert.equal(signR2(body, 'jwt-secret', { encoding: 'base64-hex' }), Buffer.from(hex).toString('base64'));
    assert.equal(signR2(body, 'jwt-secret'), Buffer.from(hex).toString('base64'));
  });

  test(`${label} errors never carry the secret, the token or the expected signature`, () => {
    const secret = 'partner-jwt-secret-value';
    const expected = signR2('{"a":1}', secret);
    for (const fn of [
      () => verifyR2Signature('{"a":2}', expected, secret),
      () => verifyR2Signature('{"a":1}', `${expected}x`, secret),
      () => checkBelvoAuthorization('Bearer wrong-guess', `Bearer ${secret}`),
    ]) {
      try {
        fn();
        assert.fail('expected a throw');
      } catch (error) {
        const shown = `${error.message} ${error.stack} ${JSON.stringify(error)} ${require('node:util').inspect(error)}`;
        for (const leak of [secret, expected, 'wrong-guess']) assert.ok(!shown.includes(leak), `leaked ${leak}`);
      }
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

  defineSourceIp(payhook, label);
  definePayloads(payhook, label);

  test(`${label} errorCodes() matches the ErrorCode type of index.d.ts`, () => {
    const dts = readFileSync(require.resolve('payhook/package.json').replace('package.json', 'index.d.ts'), 'utf8');
    const union = dts.match(/export type ErrorCode =([^;]*);/)[1].match(/'([a-z_]+)'/g).map((s) => s.slice(1, -1));
    const codes = errorCodes();
    assert.deepEqual(codes.map((e) => e.code), union);
    for (const e of codes) assert.ok(e.status >= 400 && e.status < 600 && e.message.length > 0, e.code);
  });
}

/** The source-IP vectors (vectors/client_ip.json) through Allowlist, clientIp and parseR2IpDocument. */
function defineSourceIp(payhook, label) {
  const { Allowlist, clientIp, parseR2IpDocument, R2_ALLOWLIST, BELVO_ALLOWLIST } = payhook;
  const file = JSON.parse(readFileSync(join(__dirname, '..', 'vectors', 'client_ip.json'), 'utf8'));
  const lists = {
    r2: () => R2_ALLOWLIST,
    'r2-production': () => Allowlist.r2('production'),
    'r2-development': () => Allowlist.r2('development'),
    belvo: () => BELVO_ALLOWLIST,
  };
  const outcome = (fn, ok) => {
    try {
      return ok(fn());
    } catch (error) {
      if (!(error instanceof payhook.PayhookError)) throw error;
      return error;
    }
  };

  for (const c of file.membership) {
    test(`${label} allowlist membership: ${c.name}`, () => {
      const list = new Allowlist(c.list);
      const got = outcome(() => list.contains(c.ip), (v) => v);
      assert.deepEqual(typeof got === 'boolean' ? got : got.code, c.expect);
    });
  }

  for (const c of file.lists) {
    test(`${label} allowlist parsing: ${c.name}`, () => {
      const got = outcome(() => new Allowlist(c.entries), (list) => ({ entries: list.entries() }));
      assert.deepEqual(got instanceof Error ? { error: got.code, path: got.path } : got, c.expect);
    });
  }

  for (const c of file.r2_documents) {
    test(`${label} R2 address document: ${c.name}`, () => {
      const got = outcome(() => parseR2IpDocument(c.document, { regions: c.regions ?? undefined }), (doc) => ({
        creation_date: doc.creationDate,
        created_at: doc.createdAt === null ? null : doc.createdAt / 1000,
        entries: doc.allowlist.entries(),
      }));
      assert.deepEqual(got instanceof Error ? { error: got.code, path: got.path } : got, c.expect);
    });
  }

  // Each case with headers as a plain object (Node) and as a Fetch Headers, and the peer as
  // a string and as Node's request shape.
  for (const c of file.client_ip) {
    test(`${label} client address: ${c.name}`, () => {
      const list = lists[c.allowlist] ? lists[c.allowlist]() : new Allowlist(c.allowlist);
      const fetchHeaders = new Headers();
      for (const [name, value] of Object.entries(c.headers)) {
        for (const line of [].concat(value)) fetchHeaders.append(name, line);
      }
      const peers = [c.peer, c.peer === null ? undefined : { socket: { remoteAddress: c.peer } }];
      for (const headers of [c.headers, fetchHeaders]) {
        for (const peer of peers) {
          const request = { peer, headers, trust: c.trust };
          const got = outcome(() => list.check(request), (found) => found);
          if (got instanceof Error && got.code === 'ip_not_allowed') {
            const found = clientIp(request);
            assert.deepEqual({ error: got.code, ...found }, c.expect);
          } else {
            assert.deepEqual(got instanceof Error ? { error: got.code } : got, c.expect);
          }
        }
      }
    });
  }

  test(`${label} allowlists: constants, union, JSON, size`, () => {
    assert.deepEqual(R2_ALLOWLIST.entries(), ['54.151.119.16/32', '54.215.38.39/32']);
    assert.deepEqual(Allowlist.r2('production').entries(), ['54.215.38.39/32']);
    assert.equal(BELVO_ALLOWLIST.size, 3);
    const both = R2_ALLOWLIST.union(BELVO_ALLOWLIST).union(['10.0.0.0/8']);
    assert.equal(both.size, 6);
    assert.ok(both.contains('10.1.2.3') && both.contains('::ffff:54.215.38.39') && !both.contains('11.0.0.0'));
    assert.equal(JSON.stringify(Allowlist.belvo()), '["3.130.254.46/32","18.220.61.186/32","18.223.45.212/32"]');
    assert.ok(new Allowlist(BELVO_ALLOWLIST).contains('18.220.61.186'));
    assert.ok(Allowlist.cloudflare().contains('104.16.0.1'));
  });

  test(`${label} peers from every runtime's shape`, () => {
    const trust = 'none';
    for (const peer of [
      '3.130.254.46',
      { socket: { remoteAddress: '::ffff:3.130.254.46' } }, // Node request
      { remoteAddress: '3.130.254.46' }, // Node socket
      { remoteAddr: { hostname: '3.130.254.46', port: 443, transport: 'tcp' } }, // Deno info
      { address: '3.130.254.46', family: 'IPv4', port: 443 }, // Bun requestIP()
    ]) {
      assert.deepEqual(clientIp({ peer, trust }), { ip: '3.130.254.46', source: 'peer' });
    }
    assert.equal(outcome(() => clientIp({ peer: { socket: {} }, trust }), (v) => v).code, 'ip_unknown');
  });

  const wrong = [
    ['request not an object', () => clientIp('1.2.3.4'), 'argument_invalid'],
    ['peer a number', () => clientIp({ peer: 42 }), 'argument_invalid'],
    ['peer an unrelated object', () => clientIp({ peer: { ip: '1.2.3.4' } }), 'argument_invalid'],
    ['unknown trust', () => clientIp({ peer: '1.2.3.4', trust: 'everyone' }), 'argument_invalid'],
    ['trust with both proxies and hops', () => clientIp({ peer: '1.2.3.4', trust: { proxies: [], hops: 1 } }), 'argument_invalid'],
    ['negative hops', () => clientIp({ peer: '1.2.3.4', trust: { hops: -1 } }), 'argument_invalid'],
    ['fractional hops', () => clientIp({ peer: '1.2.3.4', trust: { hops: 1.5 } }), 'argument_invalid'],
    ['unknown trust header', () => clientIp({ peer: '1.2.3.4', trust: { hops: 1, header: 'x-real-ip' } }), 'argument_invalid'],
    ['bad proxy entry', () => clientIp({ peer: '1.2.3.4', trust: { proxies: ['10.0.0.1/8'] } }), 'allowlist_malformed'],
    ['headers a string', () => clientIp({ peer: '1.2.3.4', headers: 'x-forwarded-for: 1.2.3.4', trust: { hops: 1 } }), 'argument_invalid'],
    ['header value a number', () => clientIp({ peer: '1.2.3.4', headers: { 'x-forwarded-for': 7 }, trust: { hops: 1 } }), 'argument_invalid'],
    ['allowlist entries not an array', () => new Allowlist('1.2.3.4'), 'allowlist_malformed'],
    ['allowlist entry a number', () => new Allowlist([1234]), 'allowlist_malformed'],
    ['contains a number', () => BELVO_ALLOWLIST.contains(3), 'ip_malformed'],
    ['document not a string', () => parseR2IpDocument({ ips: {} }), 'allowlist_malformed'],
    ['unknown R2 environment', () => Allowlist.r2('staging'), 'argument_invalid'],
    ['10 MB X-Forwarded-For', () => clientIp({ peer: '10.0.0.1', headers: { 'x-forwarded-for': '1'.repeat(10 << 20) }, trust: { hops: 1 } }), 'header_malformed'],
  ];
  for (const [name, fn, code] of wrong) {
    test(`${label} bad input: ${name} -> ${code}`, () => {
      assert.equal(thrownCode(payhook, fn), code);
      assert.ok(BELVO_ALLOWLIST.contains('3.130.254.46'), 'the instance still works');
    });
  }

  test(`${label} an allowlist_malformed error names the entry`, () => {
    try {
      new Allowlist(['10.0.0.0/8', 'nope']);
      assert.fail('expected a throw');
    } catch (error) {
      assert.equal(error.path, '/1');
      assert.match(error.message, /at \/1/);
    }
    try {
      clientIp({ peer: '1.2.3.4', trust: { proxies: ['10.0.0.0/8', '::ffff:1.0.0.0/8'] } });
      assert.fail('expected a throw');
    } catch (error) {
      assert.equal(error.path, '/trust/proxies/1');
    }
  });
}

/** JSON text with keys sorted at every level, as serde_json writes a Value. */
function sortedJson(value) {
  if (Array.isArray(value)) return `[${value.map(sortedJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${sortedJson(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Payloads: every fixture, the broken-payload table, dedup keys, hostile bodies. */
function definePayloads(payhook, label) {
  const { parseR2Event, validateR2Event, parseBelvoWebhook, validateBelvoWebhook, dedupKey, fixture, fixtureNames, deliveryPolicy } = payhook;
  const parse = { r2: parseR2Event, belvo: parseBelvoWebhook };
  const validate = { r2: validateR2Event, belvo: validateBelvoWebhook };
  const keys = JSON.parse(readFileSync(join(__dirname, '..', 'vectors', 'dedup_keys.json'), 'utf8'));

  for (const provider of ['r2', 'belvo']) {
    for (const name of fixtureNames(provider)) {
      test(`${label} fixture ${provider}/${name}: parses, validates, keeps its dedup key`, () => {
        const raw = fixture(provider, name);
        const body = JSON.stringify(raw);
        const lenient = parse[provider](body);
        const strict = parse[provider](new TextEncoder().encode(body), { strict: true });
        assert.deepEqual(strict, lenient);
        assert.deepEqual(validate[provider](body), { ok: true, value: lenient, issues: [], code: null });
        // The Rust core's key, the same from the parsed event and from a re-formatted body.
        assert.equal(dedupKey(lenient), keys[`${provider}/${name}`]);
        const reformatted = JSON.stringify(JSON.parse(sortedJson(raw)), null, 2);
        assert.equal(dedupKey(parse[provider](reformatted)), keys[`${provider}/${name}`]);
        if (provider === 'r2') assert.equal(lenient.event_type, raw.event.event_type);
        else assert.deepEqual([lenient.webhook_type, lenient.webhook_code], [raw.webhook_type, raw.webhook_code]);
      });
    }
  }

  test(`${label} every pinned dedup key has a fixture`, () => {
    const names = ['r2', 'belvo'].flatMap((p) => fixtureNames(p).map((n) => `${p}/${n}`));
    assert.deepEqual(names.sort(), Object.keys(keys).sort());
  });

  const invalid = JSON.parse(readFileSync(join(__dirname, '..', 'vectors', 'payloads_invalid.json'), 'utf8')).cases;
  for (const c of invalid) {
    test(`${label} broken payload (${c.provider}): ${c.name}`, () => {
      const body = c.body ?? sortedJson(c.json);
      const options = { strict: c.strict };
      let thrown;
      try {
        parse[c.provider](body, options);
      } catch (error) {
        thrown = error;
      }
      assert.ok(thrown instanceof payhook.PayhookError, 'parse throws a PayhookError');
      assert.equal(thrown.code, c.error);
      assert.deepEqual(thrown.issues.map((i) => [i.path, i.code]), c.issues);
      assert.match(thrown.message, thrown.issues[0].code === 'duplicate_key' ? /duplicate/ : /./);
      const report = validate[c.provider](body, options);
      assert.deepEqual(report, { ok: false, value: null, issues: thrown.issues, code: c.error });
    });
  }

  test(`${label} an unknown event type: lenient keeps it, strict refuses it`, () => {
    const body = JSON.stringify({ event: { event_time: '1712345678', event_type: 'financing_restructured', event_metadata: {} }, restructuring: { id: 'r1' } });
    const event = parseR2Event(body);
    assert.equal(event.event_type, 'financing_restructured');
    assert.equal(event.event.event_time, 1712345678);
    assert.equal(thrownCode(payhook, () => parseR2Event(body, { strict: true })), 'unknown_event_type');
  });

  test(`${label} delivery policies`, () => {
    const r2 = deliveryPolicy('r2');
    assert.deepEqual([r2.ackStatus, r2.ackBody], [200, 'R2 API Event Received']);
    assert.deepEqual(r2.retryDelaysMs.map((ms) => ms / 60_000), [5, 15, 45, 135, 405, 1215]);
    assert.ok(r2.dedupRetentionMs > (30 * 60 + 20) * 60_000, 'R2 keys outlive its 30 h 20 min of retries');
    const belvo = deliveryPolicy('belvo');
    assert.deepEqual([belvo.ackStatus, belvo.ackMaxStatus, belvo.ackWithinMs, belvo.retryDelaysMs], [200, 299, 5000, [60_000, 60_000, 60_000]]);
    assert.ok(belvo.dedupRetentionMs >= belvo.retryWindowMs);
  });

  const deep = '['.repeat(100_000) + ']'.repeat(100_000);
  const hostile = [
    ['empty body', () => parseR2Event(''), 'payload_not_json'],
    ['a BOM', () => parseR2Event('\uFEFF{}'), 'payload_not_json'],
    ['not an object', () => parseBelvoWebhook('[1,2]'), 'payload_not_json'],
    ['invalid UTF-8', () => parseR2Event(Uint8Array.of(0x7b, 0xff, 0x7d)), 'payload_not_json'],
    ['nesting 100,000 deep', () => parseR2Event(deep), 'payload_not_json'],
    ['objects nested 100,000 deep', () => parseBelvoWebhook('{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000)), 'payload_not_json'],
    ['a 400-digit number', () => parseR2Event(`{"event":{"event_time":${'9'.repeat(400)}}}`), 'payload_not_json'],
    ['over the default 1 MiB', () => parseR2Event(new Uint8Array((1 << 20) + 1).fill(0x20)), 'payload_too_large'],
    ['over a configured limit', () => parseR2Event(JSON.stringify(fixture('r2', 'financing_created')), { maxBytes: 100 }), 'payload_too_large'],
    ['duplicate keys', () => parseBelvoWebhook('{"webhook_id":"a","webhook_id":"b"}'), 'payload_invalid'],
    ['body null', () => parseR2Event(null), 'argument_invalid'],
    ['a parsed object as the body', () => parseR2Event({ event: {} }), 'argument_invalid'],
    ['options not an object', () => parseR2Event('{}', 'strict'), 'argument_invalid'],
    ['strict not a boolean', () => parseR2Event('{}', { strict: 'yes' }), 'argument_invalid'],
    ['maxBytes negative', () => parseR2Event('{}', { maxBytes: -1 }), 'argument_invalid'],
    ['dedupKey of a string', () => dedupKey('r2:financing_created'), 'argument_invalid'],
    ['dedupKey of an unrelated object', () => dedupKey({ id: 1 }), 'argument_invalid'],
    ['an unknown fixture', () => fixture('r2', 'financing_exploded'), 'argument_invalid'],
    ['an unknown provider', () => deliveryPolicy('stripe'), 'argument_invalid'],
  ];
  for (const [name, fn, code] of hostile) {
    test(`${label} hostile payload: ${name} -> ${code}`, () => {
      assert.equal(thrownCode(payhook, fn), code);
      assert.equal(parseR2Event(JSON.stringify(fixture('r2', 'financing_paid'))).event_type, 'financing_paid', 'the instance still works');
    });
  }
}

module.exports = { define };
