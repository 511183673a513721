// Source addresses: the shared vectors (vectors/client_ip.json) through Allowlist, clientIp and
// parseR2IpDocument, the built-in allowlists, every runtime's peer shape, and bad input.
import { thrownCode } from './helpers.mjs';

/** Workers and browsers serve no sockets: there, and only there, a request has no peer. */
const socketless = globalThis.navigator?.userAgent === 'Cloudflare-Workers' || typeof document !== 'undefined';

export default function define({ payhook, test, assert, vectors, label }) {
  const { Allowlist, clientIp, parseR2IpDocument, R2_ALLOWLIST, BELVO_ALLOWLIST } = payhook;
  const file = vectors.client_ip;
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
      // allowEverything only where the case opts in: absent, the default (refuse) applies.
      const options = { regions: c.regions ?? undefined };
      if (c.allow_everything !== undefined) options.allowEverything = c.allow_everything;
      const got = outcome(() => parseR2IpDocument(c.document, options), (doc) => ({
        creation_date: doc.creationDate,
        created_at: doc.createdAt === null ? null : doc.createdAt / 1000,
        entries: doc.allowlist.entries(),
      }));
      assert.deepEqual(got instanceof Error ? { error: got.code, path: got.path } : got, c.expect);
    });
  }

  // Each case with headers as a plain object (Node) and as a Fetch Headers, and the peer as
  // a string and as Node's request shape (its socket's address, or none after a reset).
  for (const c of file.client_ip) {
    test(`${label} client address: ${c.name}`, () => {
      const list = lists[c.allowlist] ? lists[c.allowlist]() : new Allowlist(c.allowlist);
      const fetchHeaders = new Headers();
      for (const [name, value] of Object.entries(c.headers)) {
        for (const line of [].concat(value)) fetchHeaders.append(name, line);
      }
      // No "peer" in the case: the runtime has no socket (Workers), so none is passed. Where
      // the runtime has sockets (Node, Deno, Bun) a missing peer is a forgotten one: refused
      // as ip_unknown under every trust, whatever the headers say.
      const peers = c.peer === undefined ? [undefined] : [c.peer, { socket: { remoteAddress: c.peer } }];
      const expect = c.peer === undefined && !socketless ? { error: 'ip_unknown' } : c.expect;
      for (const headers of [c.headers, fetchHeaders]) {
        for (const peer of peers) {
          const request = { peer, headers, trust: c.trust };
          const got = outcome(() => list.check(request), (found) => found);
          if (got instanceof Error && got.code === 'ip_not_allowed') {
            const found = clientIp(request);
            assert.deepEqual({ error: got.code, ...found }, expect);
          } else {
            assert.deepEqual(got instanceof Error ? { error: got.code } : got, expect);
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
      assert.equal(thrownCode(payhook, assert, fn), code);
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

  // The package reads a request once and hands the core strings (npm/input.js). A header the
  // address check does not read, given a value that is not a string, changes nothing.
  test(`${label} clientIp and Allowlist.check: a header they do not read changes nothing, whatever it holds`, () => {
    const list = new Allowlist(['54.215.38.39/32', '10.0.0.0/8']);
    const run = (f) => {
      try {
        return JSON.stringify(f());
      } catch (error) {
        return `throws ${error.code}`;
      }
    };
    const requests = [
      { peer: '10.0.0.1', headers: { 'x-forwarded-for': '54.215.38.39' }, trust: { hops: 1 } },
      { peer: '10.0.0.1', headers: { 'X-Forwarded-For': '1.2.3.4', 'x-forwarded-for': '54.215.38.39' }, trust: { proxies: ['10.0.0.0/8'] } },
      { peer: { socket: { remoteAddress: '::ffff:10.0.0.1' } }, headers: { forwarded: 'for=54.215.38.39' }, trust: { hops: 1, header: 'forwarded' } },
      { headers: { 'cf-connecting-ip': '54.215.38.39' }, trust: 'cloudflare' },
      { peer: '10.0.0.1', headers: { 'x-forwarded-for': 'unknown' }, trust: { hops: 1 } },
      { peer: '10.0.0.1', headers: { 'x-forwarded-for': 'garbage!' }, trust: { hops: 1 } },
      { peer: '203.0.113.9', headers: {}, trust: 'none' },
      { peer: '10.0.0.1', headers: {}, trust: 'sometimes' },
      { peer: { socket: {} }, headers: {}, trust: 'none' },
    ];
    // Nor is it read at all: a getter that throws there is never called, in a plain object or
    // behind a Headers-like object's get.
    const unread = () => {
      throw new Error('an unread header was read');
    };
    const forwarding = ['cf-connecting-ip', 'x-forwarded-for', 'forwarded'];
    for (const request of requests) {
      const viaCore = { ...request, headers: { ...request.headers, 'content-sha256': 1 } };
      const viaGetter = { ...request, headers: Object.defineProperties({ ...request.headers }, { 'content-sha256': { get: unread, enumerable: true }, Authorization: { get: unread, enumerable: true } }) };
      const headers = new Headers();
      for (const [name, value] of Object.entries(request.headers)) headers.append(name, value);
      const viaHeaders = { ...request, headers };
      const viaGet = { ...request, headers: { get: (name) => (forwarding.includes(name) ? headers.get(name) : unread()) } };
      for (const check of [clientIp, (r) => list.check(r)]) {
        assert.equal(run(() => check(request)), run(() => check(viaCore)));
        assert.equal(run(() => check(request)), run(() => check(viaGetter)));
        assert.equal(run(() => check(viaHeaders)), run(() => check(viaGet)));
      }
    }
  });
}
