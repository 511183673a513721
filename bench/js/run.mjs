// Runs every benchmark in one process (one run, so the ratios compare like with like) and
// writes results.json and results.md beside it, and the chart to docs/bench.svg.
//   node run.mjs [--repo DIR] [--tarball FILE] [--svg FILE] [--native FILE] [--quick] [--only a,b]
// --native: the native Rust bench's 1 MiB number (bench/native/core.rs, PAYHOOK_NATIVE_JSON), for
// the wasm ÷ native-portable row; scripts/bench.sh writes it to native.json here.
// scripts/bench.sh installs payhook and the alternatives (bench/js/package.json) and runs this
// from target/bench. Nothing here asserts anything about speed.
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { availableParallelism, release } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpu, fmtNs, fmtOps, load } from './lib/harness.mjs';
import { markdown, ratio, svg, targets, verdict, wasmNative, wasmNativeLine } from './lib/report.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const repo = resolve(option('repo', join(here, '..', '..')));
const quick = args.includes('--quick');
const only = option('only', null)?.split(',');
const want = (name) => !only || only.includes(name);
const tarball = option('tarball', null);
const svgPath = option('svg', join(repo, 'docs', 'bench.svg'));
const nativePath = option('native', join(here, 'native.json'));

const manifest = JSON.parse(readFileSync(join(here, 'package.json'), 'utf8'));
const installed = (name) => JSON.parse(readFileSync(join(here, 'node_modules', name, 'package.json'), 'utf8')).version;
const results = {
  machine: { node: process.version, nproc: availableParallelism(), cpu, os: `${process.platform} ${release()}`, date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC', loadStart: load() },
  versions: {
    payhook: installed('payhook'),
    alternatives: Object.fromEntries(Object.keys(manifest.dependencies).filter((n) => !n.startsWith('payhook')).map((n) => [n, installed(n)])),
  },
  groups: [],
  startup: {},
  native: existsSync(nativePath) ? JSON.parse(readFileSync(nativePath, 'utf8')) : null,
};
// Which build was measured: the tarball and the .wasm, by hash.
const sha256 = (file) => createHash('sha256').update(readFileSync(file)).digest('hex');
results.package = {
  tarball,
  tarballSha256: tarball ? sha256(tarball) : null,
  tarballModified: tarball ? statSync(tarball).mtime.toISOString() : null,
  wasmSha256: sha256(join(here, 'node_modules', 'payhook', 'payhook_bg.wasm')),
};

function print(group) {
  console.log(`\n== ${group.title}`);
  for (const c of group.comparisons ?? [{ title: '', rows: group.rows }]) {
    if (c.title) console.log(`-- ${c.title}`);
    for (const r of c.rows) {
      const x = group.comparisons ? ratio(c, r) : null;
      console.log(`${(r.payhook ? '* ' : '  ') + r.impl.slice(0, 78).padEnd(80)} ${fmtNs(r.median).padStart(9)}  ${`${fmtNs(r.p10)}–${fmtNs(r.p90)}`.padEnd(20)} ${fmtOps(r.opsPerSec).padStart(7)}/s  ${x === null ? '' : `${x.toFixed(2)}  ${r.reference ? 'reference' : verdict(x)}`}`);
    }
  }
}

const started = performance.now();
const step = async (name, fn) => {
  if (!want(name)) return undefined;
  const t = performance.now();
  const out = await fn();
  console.log(`# ${name}: ${((performance.now() - t) / 1000).toFixed(1)} s`);
  return out;
};
const fixtures = join(repo, 'vectors', 'fixtures');
for (const [name, file] of [['signature', 'signature'], ['address', 'address'], ['payload', 'payload'], ['delivery', 'delivery'], ['workerd', 'workerd']]) {
  const group = await step(name, async () => (await import(`./groups/${file}.mjs`))[name]({ quick, fixtures, outdir: join(here, 'out') }));
  if (group) {
    results.groups.push(group);
    print(group);
    const x = name === 'signature' && wasmNative(results);
    if (x) console.log(`-- ${wasmNativeLine(x)} (native: ${x.backend}, load ${results.native.loadavg})`);
  }
}
results.breakdown = await step('breakdown', async () => (await import('./groups/breakdown.mjs')).breakdown({ quick }));
if (results.breakdown) print(results.breakdown);

await step('startup', async () => {
  const { sizes, nodeStart } = await import('./groups/startup.mjs');
  results.startup.sizes = sizes({ tarball });
  results.startup.node = nodeStart({ runs: quick ? 5 : 15, cwd: here });
  console.log(JSON.stringify(results.startup, null, 1));
});
await step('workerd-start', async () => {
  const { workerdStart } = await import('./groups/workerd.mjs');
  results.startup.workerd = await workerdStart({ runs: quick ? 3 : 7, outdir: join(here, 'out') });
  console.log(`workerd start + first request: with payhook ${results.startup.workerd.payhook.median.toFixed(1)} ms, without ${results.startup.workerd.empty.median.toFixed(1)} ms`);
});
await step('memory', async () => {
  const { memory } = await import('./groups/startup.mjs');
  results.startup.memory = memory({ deliveries: quick ? 20_000 : 1_000_000, maxSeconds: Number(process.env.BENCH_MEMORY_SECONDS ?? 70), cwd: here });
  console.log(JSON.stringify(results.startup.memory));
});

results.machine.loadEnd = load();
results.machine.seconds = Math.round((performance.now() - started) / 1000);
results.targets = targets(results);
const md = markdown(results);
writeFileSync(join(here, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
writeFileSync(join(here, 'results.md'), md);
if (results.groups.length) writeFileSync(svgPath, svg(results));
console.log(`\n${md}`);
console.log(`# wrote ${join(here, 'results.json')}, ${join(here, 'results.md')}${results.groups.length ? `, ${svgPath}` : ''} in ${results.machine.seconds} s`);
