// Address check: payhook's Allowlist (sorted ranges, O(log n)) on lists of 3 and 10,000 rules
// beside ipaddr.js parsed once and matched linearly, and the X-Forwarded-For walk with one
// trusted proxy: payhook clientIp({ trust: { hops: 1 } }) beside proxy-addr (what Express's
// `trust proxy = 1` runs). Candidates are Node-style peers (::ffff:a.b.c.d), hits and misses.
import proxyaddr from 'proxy-addr';
import { Allowlist, clientIp } from 'payhook';
import { check, compare } from '../lib/harness.mjs';
import { ipaddrMatcher } from '../lib/inputs.mjs';

// Every fourth /24 from 20.0.0.0, so lookups hit and miss across the whole list.
export const rules = (n) => Array.from({ length: n }, (_, i) => `20.${(i * 4) >> 8}.${(i * 4) & 255}.0/24`);
const candidates = Array.from({ length: 1024 }, (_, i) => `::ffff:20.${(i * 37) & 63}.${(i * 91) & 255}.${i & 255}`);

/** A Node request as the receivers see it behind one proxy (nginx on 10.0.0.2). */
export function nodeRequest(headers) {
  return { socket: { remoteAddress: '::ffff:10.0.0.2' }, headers };
}
export const PROXIED_HEADERS = {
  host: 'hooks.example.com',
  'user-agent': 'R2-Webhooks/1.0',
  'content-type': 'application/json',
  'content-length': '1024',
  'accept-encoding': 'gzip',
  'x-forwarded-for': '54.215.38.39',
  'x-forwarded-proto': 'https',
  'x-real-ip': '54.215.38.39',
  connection: 'close',
};
const hopsOne = (addr, i) => i < 1; // Express compiles `trust proxy = 1` to this

export async function address({ quick = false } = {}) {
  const rounds = quick ? 7 : 31;
  const comparisons = [];
  for (const n of [3, 10_000]) {
    const list = new Allowlist(rules(n));
    const match = ipaddrMatcher(rules(n));
    const impls = [
      { impl: 'payhook Allowlist.contains', payhook: true, fn: (i) => list.contains(candidates[i & 1023]) },
      { impl: 'ipaddr.js parse once, linear match()', short: 'ipaddr.js, linear', fn: (i) => match(candidates[i & 1023]) },
    ];
    for (let i = 0; i < 1024; i++) {
      if (impls[0].fn(i) !== impls[1].fn(i)) throw new Error(`allowlist answers differ for ${candidates[i]}`);
    }
    comparisons.push({ id: `contains-${n}`, title: `Allowlist.contains, ${n.toLocaleString('en')} rules`, short: `contains, ${n.toLocaleString('en')} rules`, rows: await compare(impls, { rounds }) });
  }

  const req = nodeRequest({ ...PROXIED_HEADERS, 'x-forwarded-for': '198.51.100.23, 54.215.38.39' });
  const trust = { hops: 1 };
  const walk = [
    { impl: 'payhook clientIp({ trust: { hops: 1 } })', payhook: true, fn: () => clientIp({ peer: req, headers: req.headers, trust }) },
    { impl: 'proxy-addr (trust = 1 hop)', short: 'proxy-addr', fn: () => proxyaddr(req, hopsOne) },
  ];
  await check(walk, (got) => (got?.ip ?? got) === '54.215.38.39');
  comparisons.push({ id: 'client-ip', title: 'client address behind one proxy (X-Forwarded-For)', short: 'X-Forwarded-For walk', rows: await compare(walk, { rounds }) });

  for (const n of [3, 10_000]) {
    const cidrs = [...rules(n - 1), '54.215.38.39/32'];
    const list = new Allowlist(cidrs);
    const match = ipaddrMatcher(cidrs);
    const impls = [
      { impl: 'payhook Allowlist.check({ peer, headers, trust: { hops: 1 } })', payhook: true, fn: () => list.check({ peer: req, headers: req.headers, trust }) },
      { impl: 'proxy-addr + ipaddr.js linear match()', short: 'proxy-addr + ipaddr.js', fn: () => match(proxyaddr(req, hopsOne)) },
    ];
    await check(impls, (got) => got === true || got?.ip === '54.215.38.39');
    comparisons.push({ id: `check-${n}`, title: `client address + allowlist, ${n.toLocaleString('en')} rules (hit on the last rule)`, short: `walk + allowlist, ${n.toLocaleString('en')} rules`, rows: await compare(impls, { rounds }) });
  }
  return {
    id: 'address',
    title: 'Address check',
    note: 'ipaddr.js is parsed once and scanned linearly; the header walk compares with proxy-addr 2.0.8, as Express uses it. Headers are a Node req.headers object of 9 entries.',
    comparisons,
  };
}
