// Allowlist matching: payhook's Allowlist.contains on lists of 10 and 10,000 rules, beside
// what JS code commonly does (ipaddr.js, parse once, then a linear scan of the ranges with
// match()). Run by scripts/bench.sh against the packed package. Prints ns per lookup and
// ratios from the same run; it asserts nothing about speed.
import ipaddr from 'ipaddr.js';
import { Allowlist } from 'payhook';

// Every fourth /24 from 20.0.0.0, so lookups hit and miss across the whole list.
const rules = (n) => Array.from({ length: n }, (_, i) => `20.${(i * 4) >> 8}.${(i * 4) & 255}.0/24`);
// Candidates: a spread of hits and misses, as Node reports IPv4 peers.
const candidates = Array.from({ length: 1024 }, (_, i) => `::ffff:20.${(i * 37) & 63}.${(i * 91) & 255}.${i & 255}`);

function time(label, lookup) {
  let sink = 0;
  for (let i = 0; i < 20_000; i++) sink += lookup(candidates[i & 1023]) ? 1 : 0; // warm up
  let iterations = 0;
  const start = process.hrtime.bigint();
  let elapsed = 0n;
  while (elapsed < 400_000_000n) {
    for (let i = 0; i < 1024; i++) sink += lookup(candidates[i]) ? 1 : 0;
    iterations += 1024;
    elapsed = process.hrtime.bigint() - start;
  }
  const ns = Number(elapsed) / iterations;
  return { label, ns, sink };
}

const results = {};
for (const n of [10, 10_000]) {
  const list = new Allowlist(rules(n));
  const ranges = rules(n).map((cidr) => ipaddr.parseCIDR(cidr));
  results[`payhook ${n}`] = time(`payhook Allowlist.contains, ${n} rules`, (ip) => list.contains(ip));
  results[`ipaddr ${n}`] = time(`ipaddr.js linear match(), ${n} rules`, (ip) => {
    const addr = ipaddr.process(ip); // ::ffff:a.b.c.d -> IPv4, as payhook does
    return ranges.some(([net, bits]) => addr.kind() === net.kind() && addr.match(net, bits));
  });
}

console.log('allowlist lookup                              ns/lookup');
for (const r of Object.values(results)) console.log(`${r.label.padEnd(44)} ${r.ns.toFixed(0).padStart(9)}`);
const ratio = (a, b) => (results[a].ns / results[b].ns).toFixed(2);
console.log(`\npayhook, 10,000 rules vs 10 rules:       ${ratio('payhook 10000', 'payhook 10')}x the time`);
console.log(`ipaddr.js, 10,000 rules vs 10 rules:     ${ratio('ipaddr 10000', 'ipaddr 10')}x the time`);
console.log(`ipaddr.js vs payhook at 10 rules:        ${ratio('ipaddr 10', 'payhook 10')}x the time`);
console.log(`ipaddr.js vs payhook at 10,000 rules:    ${ratio('ipaddr 10000', 'payhook 10000')}x the time`);
