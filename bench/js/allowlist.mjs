// Allowlist matching on its own: payhook's Allowlist.contains and Allowlist.check on lists of
// 3 and 10,000 rules beside ipaddr.js (parsed once, linear match()) and proxy-addr, the
// address group of run.mjs. Run from target/bench after scripts/bench.sh has installed it:
//   node target/bench/allowlist.mjs
// Prints ns per lookup and ratios from the same run; asserts nothing about speed.
import { address } from './groups/address.mjs';
import { fmtNs } from './lib/harness.mjs';
import { ratio, verdict } from './lib/report.mjs';

const group = await address({ quick: process.argv.includes('--quick') });
console.log(`${group.title}: ${group.note}`);
for (const c of group.comparisons) {
  console.log(`\n${c.title}`);
  for (const r of c.rows) {
    const x = ratio(c, r);
    console.log(`  ${r.impl.padEnd(66)} ${fmtNs(r.median).padStart(9)}  p10–p90 ${fmtNs(r.p10)}–${fmtNs(r.p90)}${x === null ? '' : `  ${verdict(x)}`}`);
  }
}
