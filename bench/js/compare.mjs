// Issue 14's target rows for two builds of the package, BEFORE and AFTER, measured in one run:
// every Node row samples both packages (and the alternative they are compared with) in the
// same interleaved rounds of lib/harness.mjs, so load from other work on the machine lands on
// both alike; start-up alternates fresh processes of the one and the other; workerd runs both
// Workers side by side, request for request; Chromium (when playwright-core is found) loads both
// bundles into one page.
//   node compare.mjs [--before DIR] [--after DIR] [--before-tarball F] [--after-tarball F]
//                    [--quick] [--only size,node,start,workerd,chromium] [--command TEXT]
// DIR: an installed package directory (default node_modules/payhook-before and
// node_modules/payhook, where scripts/bench.sh --before installs them). Each package is loaded
// by path, through the file its package.json exports to Node's `import` ('.' → node → default).
// Writes compare.json and compare.md (the "Issue 14: before and after" section) beside it.
// Asserts nothing about speed; fails if any implementation does not accept the delivery.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash, createHmac } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, release } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { check, compare, cpu, fmtNs, load, now, stats } from './lib/harness.mjs';
import { SECRET, r2Body, zodR2 } from './lib/inputs.mjs';
import { PROXIED_HEADERS, nodeRequest } from './groups/address.mjs';
import { nodeStack } from './groups/delivery.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const quick = args.includes('--quick');
const only = option('only', null)?.split(',');
const want = (name) => !only || only.includes(name);
const outdir = join(here, 'out', 'compare');
mkdirSync(outdir, { recursive: true });

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

/** An installed package: its directory, the file Node's `import` loads, its tarball's hash. */
function pkg(label, dir, tarball) {
  const root = resolve(dir);
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  let entry = manifest.exports?.['.'] ?? manifest.exports;
  for (const condition of ['node', 'import', 'default']) if (entry && typeof entry === 'object') entry = entry[condition] ?? entry.default ?? entry;
  if (typeof entry !== 'string') entry = manifest.module ?? 'node.js';
  const file = join(root, entry);
  return {
    label,
    dir: root,
    entry: file,
    url: pathToFileURL(file).href,
    version: manifest.version,
    tarball: tarball ? resolve(tarball) : null,
    tarballSha256: tarball ? sha256(readFileSync(tarball)) : null,
    tarballBytes: tarball ? statSync(tarball).size : null,
  };
}
const packages = [
  pkg('before', option('before', join(here, 'node_modules', 'payhook-before')), option('before-tarball', null)),
  pkg('after', option('after', join(here, 'node_modules', 'payhook')), option('after-tarball', null)),
];
const [before, after] = packages;
if (before.dir === after.dir) throw new Error(`before and after are the same directory: ${before.dir}`);

const results = {
  machine: { node: process.version, nproc: availableParallelism(), cpu, os: `${process.platform} ${release()}`, date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC', loadStart: load() },
  command: option('command', null),
  quick,
  packages,
};

const step = async (name, fn) => {
  if (!want(name)) return;
  const t = performance.now();
  try {
    results[name] = await fn();
  } catch (error) {
    // A row that cannot be measured is reported as such; a wrong answer is not: it throws on.
    if (error.wrongAnswer) throw error;
    results[name] = { error: String(error.stack ?? error).slice(0, 2000) };
    console.error(`# ${name} failed: ${results[name].error}`);
  }
  console.log(`# ${name}: ${((performance.now() - t) / 1000).toFixed(1)} s`);
};
const wrong = (message) => Object.assign(new Error(message), { wrongAnswer: true });

/** Runs a module script in a fresh Node process from this directory; its last stdout line as JSON. */
function fresh(code) {
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', code], { cwd: here, encoding: 'utf8', maxBuffer: 1 << 24 });
  return JSON.parse(out.trim().split('\n').pop());
}

// ---------------------------------------------------------------- size

/**
 * The wasm that `import 'payhook'` compiles in Node, observed rather than assumed: a fresh
 * process wraps WebAssembly.Module / compile / instantiate, imports the entry, and reports
 * every module's bytes by hash; each is matched to a .wasm file of the package.
 */
function compiledWasm(p) {
  const code = `
    import { createHash } from 'node:crypto';
    const seen = [];
    const note = (b) => { const u = b instanceof ArrayBuffer ? new Uint8Array(b) : ArrayBuffer.isView(b) ? new Uint8Array(b.buffer, b.byteOffset, b.byteLength) : null; if (u) seen.push({ sha256: createHash('sha256').update(u).digest('hex'), bytes: u.length }); };
    const W = WebAssembly, M = W.Module;
    function Module(bytes) { note(bytes); return new M(bytes); }
    Module.prototype = M.prototype;
    Object.setPrototypeOf(Module, M);
    W.Module = Module;
    for (const name of ['compile', 'instantiate']) { const f = W[name]; W[name] = function (source, ...rest) { if (!(source instanceof M)) note(source); return f.call(this, source, ...rest); }; }
    for (const name of ['compileStreaming', 'instantiateStreaming']) { const f = W[name]; if (f) W[name] = function (...a) { seen.push({ streaming: name }); return f.apply(this, a); }; }
    const m = await import(${JSON.stringify(p.url)});
    if (typeof m.r2Receiver !== 'function') throw new Error('no r2Receiver');
    console.log(JSON.stringify(seen));`;
  const seen = fresh(code);
  const files = readdirSync(p.dir).filter((f) => f.endsWith('.wasm')).map((f) => {
    const bytes = readFileSync(join(p.dir, f));
    return { file: f, sha256: sha256(bytes), raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
  });
  const compiled = seen.map((s) => {
    if (s.streaming) throw new Error(`${p.label}: the entry used WebAssembly.${s.streaming}: bytes not observed`);
    const f = files.find((x) => x.sha256 === s.sha256);
    if (!f) throw new Error(`${p.label}: compiled a wasm module of ${s.bytes} B that is no .wasm file of the package`);
    return f;
  });
  if (!compiled.length) throw new Error(`${p.label}: import compiled no wasm module that could be observed`);
  return {
    compiled,
    notCompiled: files.filter((f) => !compiled.includes(f)).map((f) => f.file),
    raw: compiled.reduce((n, f) => n + f.raw, 0),
    gzip: compiled.reduce((n, f) => n + f.gzip, 0),
  };
}

// ---------------------------------------------------------------- Node rows

async function nodeRows() {
  const body = r2Body(1024);
  const text = new TextDecoder().decode(body);
  const sig = Buffer.from(createHmac('sha256', SECRET).update(body).digest('hex')).toString('base64'); // R2's base64-hex
  const req = nodeRequest({ ...PROXIED_HEADERS, 'content-sha256': sig });
  const decoder = new TextDecoder();
  const impls = [];
  const mods = {};
  for (const p of packages) {
    const m = await import(p.url);
    mods[p.label] = m;
    if (m.signR2(body, SECRET) !== sig) throw wrong(`${p.label}: signR2 disagrees with node:crypto's base64-hex`);
    const receiver = m.r2Receiver({ secrets: [SECRET], allowlist: m.R2_ALLOWLIST, trust: { hops: 1 } });
    const list = m.R2_ALLOWLIST;
    const ip = req.headers['x-forwarded-for'];
    impls.push(
      { impl: `${p.label}: r2Receiver(...).receive({ body, headers, peer })`, row: 'receive', pkg: p.label, payhook: true, fn: () => receiver.receive({ body, headers: req.headers, peer: req }) },
      { impl: `${p.label}: floor, verifyR2Signature + JSON.parse of the body`, row: 'floor', pkg: p.label, payhook: true, fn: () => (m.verifyR2Signature(body, sig, SECRET) ? JSON.parse(decoder.decode(body)) : null) },
      { impl: `${p.label}: parseR2Event(body)`, row: 'parse', pkg: p.label, payhook: true, fn: () => m.parseR2Event(body) },
      {
        impl: `${p.label}: composed, R2_ALLOWLIST.contains + verifyR2Signature + parseR2Event + dedupKey`,
        row: 'composed',
        pkg: p.label,
        payhook: true,
        fn: () => {
          if (!list.contains(ip)) return { ok: false, error: 'ip_not_allowed' };
          if (!m.verifyR2Signature(body, sig, SECRET)) return { ok: false, error: 'signature_mismatch' };
          const event = m.parseR2Event(body);
          return { ok: true, event, dedupKey: m.dedupKey(event) };
        },
      },
    );
  }
  const node = nodeStack({ secret: SECRET, allowlist: mods.after.R2_ALLOWLIST.entries() });
  impls.push(
    { impl: 'idiomatic Node stack: proxy-addr + ipaddr.js + node:crypto HMAC + timingSafeEqual + JSON.parse + zod + SHA-256 key + answer', row: 'node', fn: () => node(req, body) },
    { impl: 'JSON.parse + zod safeParse (from the bytes)', row: 'zod', fn: () => zodR2(decoder.decode(body)) },
  );
  // Every implementation must do the work before it is timed: deliveries accepted (ok: true,
  // so not event_stale), one dedup key across all, parses that succeed.
  const keys = new Set();
  for (const impl of impls) {
    const got = await impl.fn(0);
    const ok = impl.row === 'receive' || impl.row === 'node' || impl.row === 'composed' ? got?.ok === true && typeof got.dedupKey === 'string'
      : impl.row === 'zod' ? got?.success === true
      : got !== null && typeof got === 'object';
    if (!ok) throw wrong(`${impl.impl}: wrong answer before timing: ${JSON.stringify(got)?.slice(0, 300)}`);
    if (got.dedupKey) keys.add(got.dedupKey);
  }
  if (keys.size !== 1) throw wrong(`dedup keys differ: ${[...keys].join(' / ')}`);
  await check(impls, () => true);
  const rows = await compare(impls, { rounds: quick ? 7 : 61 });
  rows.forEach((r, i) => Object.assign(r, { row: impls[i].row, pkg: impls[i].pkg ?? null }));
  const dedupKey = [...keys][0];
  const bodyEventTime = JSON.parse(text).event.event_time;
  return { bytes: body.length, dedupKey, eventTime: bodyEventTime, rows };
}

// ---------------------------------------------------------------- fresh process

/** Median over fresh `node` processes, alternating the packages: import, compile, first delivery. */
function startRows({ runs }) {
  const inputs = pathToFileURL(join(here, 'lib', 'inputs.mjs')).href;
  const script = (p) => `
    import { createHmac } from 'node:crypto';
    const { r2Body, SECRET } = await import(${JSON.stringify(inputs)});
    const body = r2Body(1024);
    const headers = { 'content-sha256': Buffer.from(createHmac('sha256', SECRET).update(body).digest('hex')).toString('base64'), 'x-forwarded-for': '54.215.38.39', 'content-type': 'application/json' };
    const peer = { socket: { remoteAddress: '::ffff:10.0.0.2' } };
    const t0 = performance.now();
    const { r2Receiver, R2_ALLOWLIST } = await import(${JSON.stringify(p.url)});
    const t1 = performance.now();
    const out = r2Receiver({ secrets: [SECRET], allowlist: R2_ALLOWLIST, trust: { hops: 1 } }).receive({ body, headers, peer });
    const t2 = performance.now();
    console.log(JSON.stringify({ ok: out.ok, error: out.error ?? null, importMs: t1 - t0, firstMs: t2 - t0 }));`;
  const samples = Object.fromEntries(packages.map((p) => [p.label, { importMs: [], firstMs: [], wallMs: [] }]));
  for (let r = 0; r < runs; r++) {
    for (const p of r % 2 ? [...packages].reverse() : packages) {
      const t = now();
      const out = fresh(script(p));
      const wall = now() - t;
      if (out.ok !== true) throw wrong(`${p.label}: first delivery in a fresh process refused: ${out.error}`);
      samples[p.label].importMs.push(out.importMs);
      samples[p.label].firstMs.push(out.firstMs);
      samples[p.label].wallMs.push(wall);
    }
  }
  // The same process without payhook, for the wall-clock baseline.
  const empty = [];
  for (let r = 0; r < Math.max(3, runs >> 1); r++) {
    const t = now();
    spawnSync(process.execPath, ['--input-type=module', '-e', `await import(${JSON.stringify(inputs)});`], { cwd: here });
    empty.push(now() - t);
  }
  return {
    runs,
    ...Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, { importMs: stats(v.importMs), firstMs: stats(v.firstMs), wallMs: stats(v.wallMs) }])),
    emptyWallMs: stats(empty),
  };
}

// ---------------------------------------------------------------- workerd

/**
 * bench/js/workerd/worker.mjs bundled twice (esbuild alias payhook → each package), run in two
 * miniflare instances side by side; each round times, for both, an empty request and N
 * deliveries by payhook and by the WebCrypto Worker (from a Request), in rotating order.
 */
async function workerdRows() {
  const { bundle, miniflare, get } = await import('./groups/workerd.mjs');
  const instances = [];
  try {
    for (const p of packages) {
      const name = basename(p.dir);
      const built = await bundle(join(here, 'workerd', 'worker.mjs'), join(outdir, `workerd-${p.label}`), name === 'payhook' ? undefined : { payhook: name });
      const wasm = built.wasm.map((f) => sha256(readFileSync(f)));
      const own = readdirSync(p.dir).filter((f) => f.endsWith('.wasm')).map((f) => sha256(readFileSync(join(p.dir, f))));
      if (!wasm.every((h) => own.includes(h))) throw new Error(`${p.label}: the Worker bundle carries wasm that is not this package's`);
      instances.push({ p, mf: miniflare(built), wasmFiles: built.wasm.map((f) => basename(f)) });
    }
    const impls = [];
    for (const inst of instances) {
      for (const id of ['payhook', 'webcrypto']) impls.push({ inst, id, impl: `${inst.p.label}: ${id === 'payhook' ? 'payhook r2Receiver.receive(request)' : 'WebCrypto Worker (CF-Connecting-IP + ipaddr.js + WebCrypto + JSON.parse + zod + SHA-256 key)'}`, samples: [] });
    }
    // Each Worker makes its own body (event_time at its start): payhook and the WebCrypto Worker
    // in one instance must agree on the key.
    for (const inst of instances) {
      const keys = new Set();
      for (const impl of impls.filter((i) => i.inst === inst)) {
        const r = await get(inst.mf, `impl=${impl.id}&n=3`);
        if (r.accepted !== 3) throw wrong(`workerd ${impl.impl}: accepted ${r.accepted} of 3`);
        keys.add(r.dedupKey);
      }
      if (keys.size !== 1) throw wrong(`workerd ${inst.p.label}: dedup keys differ: ${[...keys].join(' / ')}`);
    }
    const targetMs = quick ? 20 : 30;
    for (const impl of impls) {
      await get(impl.inst.mf, `impl=${impl.id}&n=300`);
      const t = now();
      await get(impl.inst.mf, `impl=${impl.id}&n=300`);
      impl.n = Math.max(50, Math.round(targetMs / ((now() - t) / 300)));
    }
    const rounds = quick ? 5 : 25;
    for (let r = 0; r < rounds; r++) {
      const base = new Map();
      for (const inst of instances) {
        const t = now();
        await get(inst.mf, 'impl=none&n=0');
        base.set(inst, now() - t);
      }
      for (let k = 0; k < impls.length; k++) {
        const impl = impls[(r + k) % impls.length];
        const t = now();
        const res = await get(impl.inst.mf, `impl=${impl.id}&n=${impl.n}`);
        const ms = now() - t;
        if (res.accepted !== impl.n) throw wrong(`workerd ${impl.impl}: accepted ${res.accepted} of ${impl.n}`);
        impl.samples.push(((ms - base.get(impl.inst)) * 1e6) / impl.n);
      }
    }
    return {
      rounds,
      wasm: Object.fromEntries(instances.map((i) => [i.p.label, i.wasmFiles])),
      rows: impls.map((impl) => ({ impl: impl.impl, pkg: impl.inst.p.label, row: impl.id, ...stats(impl.samples), perRequest: impl.n })),
    };
  } finally {
    for (const inst of instances) await inst.mf.dispose();
  }
}

// ---------------------------------------------------------------- Chromium

/** playwright-core, if one is installed here or where the runtime matrix keeps it. */
async function playwright() {
  const candidates = [process.env.PLAYWRIGHT_CORE, join(here, 'node_modules', 'playwright-core'), join(here, '..', 'runtime-tools', 'tools', 'node_modules', 'playwright-core')].filter(Boolean);
  for (const dir of candidates) {
    if (existsSync(join(dir, 'package.json'))) return (await import(pathToFileURL(join(dir, 'index.mjs')).href)).default ?? (await import(pathToFileURL(join(dir, 'index.js')).href));
  }
  throw new Error(`no playwright-core (looked in ${candidates.join(', ')}; PLAYWRIGHT_CORE=dir to point at one)`);
}

/**
 * One page, both packages: each bundled by esbuild for the browser (alias payhook → the
 * package) with its payhook_bg.wasm beside its bundle; the page exposes run(which, n), which
 * handles n deliveries ({ body, headers } with CF-Connecting-IP, as a Worker would) and returns
 * the milliseconds; Node alternates the packages, N per call sized to ~30 ms (Chromium's clock
 * is coarse).
 */
async function chromiumRows() {
  const { createServer } = await import('node:http');
  const { extname } = await import('node:path');
  const { createRequire } = await import('node:module');
  const esbuild = createRequire(import.meta.url)('esbuild');
  const pw = await playwright();
  const root = join(outdir, 'chromium');
  mkdirSync(root, { recursive: true });
  const entry = join(root, 'entry.mjs');
  writeFileSync(entry, `import { R2_ALLOWLIST, r2Receiver, signR2 } from 'payhook';
import { SECRET, r2Body } from ${JSON.stringify(join(here, 'lib', 'inputs.mjs'))};
const body = r2Body(1024);
const headers = new Headers({ 'content-type': 'application/json', 'content-sha256': signR2(body, SECRET), 'cf-connecting-ip': '54.215.38.39' });
const receiver = r2Receiver({ secrets: [SECRET], allowlist: R2_ALLOWLIST, trust: 'cloudflare' });
export function run(n) {
  let accepted = 0, key = null;
  const t = performance.now();
  for (let i = 0; i < n; i++) { const out = receiver.receive({ body, headers }); if (out.ok) accepted++; key = out.dedupKey; }
  return { ms: performance.now() - t, accepted, key };
}
`);
  const { copyFileSync } = await import('node:fs');
  for (const p of packages) {
    const name = basename(p.dir);
    mkdirSync(join(root, p.label), { recursive: true });
    await esbuild.build({ entryPoints: [entry], outfile: join(root, p.label, 'bundle.mjs'), bundle: true, format: 'esm', platform: 'browser', target: 'es2022', logLevel: 'warning', absWorkingDir: here, ...(name === 'payhook' ? {} : { alias: { payhook: name } }), conditions: ['browser'] });
    const code = readFileSync(join(root, p.label, 'bundle.mjs'), 'utf8');
    for (const f of readdirSync(p.dir).filter((x) => x.endsWith('.wasm'))) if (code.includes(f)) copyFileSync(join(p.dir, f), join(root, p.label, f));
  }
  writeFileSync(join(root, 'index.html'), `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><script type="module">
import * as before from './before/bundle.mjs'; import * as after from './after/bundle.mjs';
window.run = (which, n) => (which === 'before' ? before : after).run(n);
window.ready = true;
</script>`);
  const types = { '.html': 'text/html', '.mjs': 'text/javascript', '.js': 'text/javascript', '.wasm': 'application/wasm' };
  const server = createServer((req, res) => {
    const file = resolve(root, `.${decodeURIComponent(new URL(req.url, 'http://x').pathname)}`);
    if (!file.startsWith(root) || !existsSync(file) || !statSync(file).isFile()) return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const browser = await pw.chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
  try {
    const page = await browser.newPage();
    const problems = [];
    page.on('pageerror', (e) => problems.push(String(e.stack ?? e)));
    await page.goto(`http://127.0.0.1:${server.address().port}/index.html`);
    await page.waitForFunction('window.ready === true', null, { timeout: 30_000 }).catch((e) => { throw new Error(`${e.message}; ${problems.join('; ')}`); });
    const version = browser.version();
    const impls = packages.map((p) => ({ pkg: p.label, samples: [] }));
    for (const impl of impls) {
      const r = await page.evaluate(([w, n]) => window.run(w, n), [impl.pkg, 3]);
      if (r.accepted !== 3 || typeof r.key !== 'string') throw wrong(`Chromium ${impl.pkg}: accepted ${r.accepted} of 3`);
      await page.evaluate(([w, n]) => window.run(w, n), [impl.pkg, 2000]);
      const c = await page.evaluate(([w, n]) => window.run(w, n), [impl.pkg, 1000]);
      impl.n = Math.max(100, Math.round((quick ? 20 : 30) / (c.ms / 1000)));
    }
    const rounds = quick ? 7 : 41;
    for (let r = 0; r < rounds; r++) {
      for (const impl of r % 2 ? [...impls].reverse() : impls) {
        const res = await page.evaluate(([w, n]) => window.run(w, n), [impl.pkg, impl.n]);
        if (res.accepted !== impl.n) throw wrong(`Chromium ${impl.pkg}: accepted ${res.accepted} of ${impl.n}`);
        impl.samples.push((res.ms * 1e6) / impl.n);
      }
    }
    return { version, rounds, rows: impls.map((i) => ({ impl: `${i.pkg}: r2Receiver.receive({ body, headers }) in a page`, pkg: i.pkg, ...stats(i.samples), perCall: i.n })) };
  } finally {
    await browser.close();
    server.close();
  }
}

// ---------------------------------------------------------------- run

await step('size', async () => Object.fromEntries(packages.map((p) => [p.label, compiledWasm(p)])));
await step('node', nodeRows);
await step('start', () => startRows({ runs: quick ? 5 : 31 }));
await step('workerd', workerdRows);
await step('chromium', chromiumRows);
results.machine.loadEnd = load();

// ---------------------------------------------------------------- report

const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
const find = (rows, row, p) => rows?.find((r) => r.row === row && (p === undefined || r.pkg === p));
const spread = (r) => `${fmtNs(r.p10)}–${fmtNs(r.p90)}`;

/** The target rows, one per figure: { figure, must, goal, before, after, met }. */
function table(res) {
  const out = [];
  const size = res.size;
  out.push({
    figure: 'wasm compiled by `import \'payhook\'` in Node, gzip -9',
    must: '≤ 96 KiB', goal: '≤ 64 KiB',
    cell: (l) => (size?.[l] ? `**${kib(size[l].gzip)}** (${size[l].gzip.toLocaleString('en')} B; raw ${size[l].raw.toLocaleString('en')} B; ${size[l].compiled.map((f) => f.file).join(' + ')})` : null),
    met: size?.after ? [size.after.gzip <= 96 * 1024, size.after.gzip <= 64 * 1024] : null,
  });
  const rows = res.node?.rows;
  const x = (l, num, den) => {
    const a = find(rows, num[0], num[1] ? l : undefined);
    const b = find(rows, den[0], den[1] ? l : undefined);
    return a && b ? { x: a.median / b.median, a, b } : null;
  };
  const speed = (l) => x(l, ['node'], ['receive', true]);
  out.push({
    figure: 'whole 1 KiB R2 delivery via `receive`, vs the idiomatic Node stack: speed ratio (stack time ÷ payhook time; > 1: payhook faster)',
    must: '≥ 1.0×', goal: '≥ 1.3×',
    cell: (l) => { const r = speed(l); return r && `**${r.x.toFixed(2)}×** (payhook ${fmtNs(r.b.median)}, stack ${fmtNs(r.a.median)})`; },
    met: speed('after') ? [speed('after').x >= 1.0, speed('after').x >= 1.3] : null,
  });
  const floor = (l) => x(l, ['receive', true], ['floor', true]);
  out.push({
    figure: 'the same delivery vs the floor (payhook\'s verifyR2Signature + `JSON.parse` of the body): payhook time ÷ floor time',
    must: '≤ 2.0×', goal: '≤ 1.5×',
    cell: (l) => { const r = floor(l); return r && `**${r.x.toFixed(2)}×** (${fmtNs(r.a.median)} vs ${fmtNs(r.b.median)})`; },
    met: floor('after') ? [floor('after').x <= 2.0, floor('after').x <= 1.5] : null,
  });
  const parse = (l) => x(l, ['parse', true], ['zod']);
  out.push({
    figure: '`parseR2Event` vs `JSON.parse` + zod: time ratio',
    must: '≤ 2.0×', goal: '≤ 1.5×',
    cell: (l) => { const r = parse(l); return r && `**${r.x.toFixed(2)}×** (${fmtNs(r.a.median)} vs ${fmtNs(r.b.median)})`; },
    met: parse('after') ? [parse('after').x <= 2.0, parse('after').x <= 1.5] : null,
  });
  const composed = (l) => x(l, ['composed', true], ['receive', true]);
  const composedNode = (l) => x(l, ['node'], ['composed', true]);
  out.push({
    figure: 'building blocks composed (`R2_ALLOWLIST.contains` + `verifyR2Signature` + `parseR2Event` + `dedupKey`) vs the receiver: time ratio',
    must: '≤ 1.5×', goal: '≤ 1.2×',
    cell: (l) => { const r = composed(l); const s = composedNode(l); return r && `**${r.x.toFixed(2)}×** (${fmtNs(r.a.median)} vs ${fmtNs(r.b.median)}; vs the Node stack ${s.x.toFixed(2)}× its speed)`; },
    met: composed('after') ? [composed('after').x <= 1.5, composed('after').x <= 1.2] : null,
  });
  const st = res.start;
  out.push({
    figure: `fresh process: \`import\` (compile, instantiate) + first delivery, median of ${st?.runs ?? '?'} \`node\` processes per package`,
    must: 'report it', goal: '< 10 ms',
    cell: (l) => st?.[l] && `**${st[l].firstMs.median.toFixed(1)} ms** (p10–p90 ${st[l].firstMs.p10.toFixed(1)}–${st[l].firstMs.p90.toFixed(1)}; import alone ${st[l].importMs.median.toFixed(1)} ms; whole process ${st[l].wallMs.median.toFixed(0)} ms vs ${st.emptyWallMs.median.toFixed(0)} ms without payhook)`,
    met: st?.after ? [true, st.after.firstMs.median < 10] : null,
  });
  const wd = res.workerd?.rows;
  const wdRow = (l) => { const p = find(wd, 'payhook', l); const w = find(wd, 'webcrypto', l); return p && w ? { p, w, x: w.median / p.median } : null; };
  out.push({
    figure: 'workerd (miniflare): whole delivery from a Request, payhook time; speed ratio vs a WebCrypto Worker in the same workerd',
    must: 'no slower than before', goal: '',
    cell: (l) => { const r = wdRow(l); return r && `**${fmtNs(r.p.median)}** (p10–p90 ${spread(r.p)}); ${r.x.toFixed(2)}× the WebCrypto Worker's speed (${fmtNs(r.w.median)})`; },
    met: wdRow('after') && wdRow('before') ? [wdRow('after').p.median <= wdRow('before').p.median, null] : null,
  });
  const ch = res.chromium?.rows;
  out.push({
    figure: `Chromium${res.chromium?.version ? ` ${res.chromium.version}` : ''}: \`receive({ body, headers })\` in a page, both packages in one page`,
    must: 'no slower than before', goal: '',
    cell: (l) => { const r = find(ch, undefined, l) ?? ch?.find((y) => y.pkg === l); return r && `**${fmtNs(r.median)}** (p10–p90 ${spread(r)})`; },
    met: ch ? [ch.find((r) => r.pkg === 'after').median <= ch.find((r) => r.pkg === 'before').median, null] : null,
  });
  return out;
}

function markdown(res) {
  const m = res.machine;
  const L = [];
  L.push('## Issue 14: before and after', '');
  L.push(`Measured ${m.date} on ${m.cpu}, ${m.nproc} cores (${m.os}), Node ${m.node}; load average ${m.loadStart} at the start, ${m.loadEnd} at the end${res.quick ? '; **quick run** (few rounds: a smoke test, not the numbers)' : ''}. Both packages measured in this one run, interleaved: every Node row samples before and after (and the alternative) in the same rotating rounds of bench/js/lib/harness.mjs; fresh processes alternate; workerd runs both Workers side by side; Chromium loads both into one page.`, '');
  for (const p of res.packages) L.push(`- **${p.label}**: \`${p.tarball ? basename(p.tarball) : p.dir}\`${p.tarballSha256 ? `, sha256 \`${p.tarballSha256}\` (${p.tarballBytes.toLocaleString('en')} B)` : ''}; loaded by path through \`${p.entry.slice(p.dir.length + 1)}\``);
  if (res.command) L.push(`- command: \`${res.command}\``);
  L.push('', '| figure | must | goal | before | after | after meets must / goal |', '|---|---|---|---|---|---|');
  const yes = (v) => (v === null || v === undefined ? '—' : v ? 'yes' : '**no**');
  for (const t of table(res)) {
    const b = t.cell('before') ?? 'not measured';
    const a = t.cell('after') ?? 'not measured';
    L.push(`| ${t.figure} | ${t.must} | ${t.goal || '—'} | ${b} | ${a} | ${t.met ? `${yes(t.met[0])} / ${yes(t.met[1])}` : 'not measured'} |`);
  }
  const missing = ['size', 'node', 'start', 'workerd', 'chromium'].filter((k) => !res[k] || res[k].error);
  if (missing.length) {
    L.push('', 'Not measured in this run:');
    for (const k of missing) L.push(`- ${k}: ${res[k]?.error ? res[k].error.split('\n')[0] : 'left out (--only)'}`);
  }
  if (res.node?.rows) {
    L.push('', `Node rows, one interleaved comparison (1 KiB R2 event, X-Forwarded-For behind one proxy, trust { hops: 1 }, R2's allowlist; every implementation accepted it before timing, same dedup key \`${res.node.dedupKey}\`):`, '');
    L.push('| implementation | median | p10–p90 | samples |', '|---|---:|---:|---:|');
    for (const r of res.node.rows) L.push(`| ${r.impl} | ${fmtNs(r.median)} | ${spread(r)} | ${r.samples} |`);
  }
  if (res.workerd?.rows) {
    L.push('', `workerd (miniflare), ${res.workerd.rounds} rounds, N deliveries per request minus an empty request to the same instance in the same round:`, '');
    L.push('| implementation | median | p10–p90 | deliveries per request |', '|---|---:|---:|---:|');
    for (const r of res.workerd.rows) L.push(`| ${r.impl} | ${fmtNs(r.median)} | ${spread(r)} | ${r.perRequest} |`);
  }
  L.push('', 'The full tables below this section are the after package alone (bench/js/run.mjs).');
  L.push('', '<!-- end of the issue 14 section: scripts/bench.sh --before replaces everything above this line -->', '');
  return L.join('\n');
}

const md = markdown(results);
writeFileSync(join(here, 'compare.json'), `${JSON.stringify(results, null, 2)}\n`);
writeFileSync(join(here, 'compare.md'), md);
console.log(`\n${md}`);
console.log(`# wrote ${join(here, 'compare.json')}, ${join(here, 'compare.md')}`);
