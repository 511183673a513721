// Every framework example as a user gets it (issue 16): each examples/*/payhook-example.json
// marks a project of its own. The suite copies it into target/frameworks/<dir>, installs its
// package.json plus the packed tarball, runs `npm run build` where it builds, starts
// `npm start` on 127.0.0.1 (PORT=0) and sends it real deliveries with the package's CLI
// (`payhook send`): a valid R2 event twice (the duplicate is answered like the first and not
// handled again), one signed with a wrong secret, one from outside the allowlist, a right and
// a wrong Belvo token, and, where the framework lets a user destroy the raw body, the same
// event to /webhooks/r2-parsed, which must be refused as body_not_raw. Then it counts the
// `handled` lines. An example that fails to install, build or start fails; none is skipped.
// Rust examples ("rust": true) are built with `cargo build --release` in place and run.
//
//   PAYHOOK_TARBALL=…/payhook-0.1.0.tgz node --test js-tests/frameworks.test.mjs
//   env: PAYHOOK_ROOT (the repository; default: this file's parent's parent),
//        PAYHOOK_EXAMPLES_CACHE (installs, by a hash of package.json; default ~/.cache/payhook-examples),
//        PAYHOOK_EXAMPLES=fastify,h3 (only these example directories),
//        PAYHOOK_EXAMPLES_JOBS (installs and builds at once; default 2)
// Installs are cached: the example's dependencies (without payhook) are installed once into the
// cache; each run copies them into the scratch project and installs the tarball over them.
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startServer } from './lib/process.mjs';

const here = fileURLToPath(new URL('..', import.meta.url));
const root = resolve(process.env.PAYHOOK_ROOT ?? here);
const tarball = process.env.PAYHOOK_TARBALL ? resolve(process.env.PAYHOOK_TARBALL) : undefined;
const cacheRoot = process.env.PAYHOOK_EXAMPLES_CACHE ?? join(homedir(), '.cache', 'payhook-examples');
const scratchRoot = join(root, 'target', 'frameworks');
const jobs = Number(process.env.PAYHOOK_EXAMPLES_JOBS ?? 2);
const only = process.env.PAYHOOK_EXAMPLES ? process.env.PAYHOOK_EXAMPLES.split(',') : undefined;

const R2_SECRET = 'frameworks-r2-secret';
const BELVO_AUTHORIZATION = 'Bearer frameworks-belvo-token';
const R2_SENDER = '54.215.38.39'; // in R2_ALLOWLIST
const BELVO_SENDER = '3.130.254.46'; // in BELVO_ALLOWLIST
const STRANGER = '203.0.113.7'; // in neither

/** What a scratch copy leaves out: installs and build output, made fresh in the copy. */
const SKIP = new Set(['node_modules', 'dist', 'build', '.next', '.svelte-kit', '.react-router', 'target', '.output', '.nitro', 'package-lock.json']);

/** Every example that says how it is tested, in directory order. */
const examples = readdirSync(join(root, 'examples'), { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(root, 'examples', d.name, 'payhook-example.json')))
  .filter((d) => !only || only.includes(d.name))
  .map((d) => {
    const dir = join(root, 'examples', d.name);
    const meta = JSON.parse(readFileSync(join(dir, 'payhook-example.json'), 'utf8'));
    return { dir: d.name, source: dir, ...meta };
  });
/** What payhook-example.json must say; a malformed one fails its example's test. */
const contract = (example) => {
  assert.equal(typeof example.name, 'string', 'payhook-example.json: "name"');
  assert.equal(typeof example.framework, 'string', 'payhook-example.json: "framework" (name@version)');
  for (const key of ['build', 'parsedRoute', 'rust']) {
    assert.equal(typeof (example[key] ?? false), 'boolean', `payhook-example.json: "${key}" is true or false`);
  }
};

const timings = {};
const ms = (start) => Math.round(performance.now() - start);

/** Runs a command; resolves with its output, rejects with it (and the exit code) on failure. */
function run(command, args, { cwd, env = {}, timeoutMs = 15 * 60_000 } = {}) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { out += d; });
    const timer = setTimeout(() => { try { process.kill(-child.pid, 'SIGKILL'); } catch {} }, timeoutMs);
    child.on('error', (error) => { clearTimeout(timer); reject(error); });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolvePromise(out);
      else reject(new Error(`${command} ${args.join(' ')} (in ${cwd}) exited with ${code ?? signal}:\n${out.slice(-4000)}`));
    });
  });
}

/** At most `jobs` installs and builds at once (the machine has 2 cores). */
let running = 0;
const waiting = [];
async function slot(work) {
  if (running >= jobs) await new Promise((r) => waiting.push(r));
  running++;
  try {
    return await work();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

const npm = (args, cwd) => run('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], {
  cwd, env: { npm_config_update_notifier: 'false', NEXT_TELEMETRY_DISABLED: '1' },
});

/**
 * The example's dependencies without payhook, installed once into the cache, keyed by a hash
 * of its package.json (and the Node major, for native modules). Returns the cache directory.
 */
async function cachedDependencies(example, manifest) {
  const key = createHash('sha256').update(JSON.stringify(manifest)).update(process.versions.node.split('.')[0]).digest('hex').slice(0, 16);
  const dir = join(cacheRoot, `${example.dir}-${key}`);
  if (existsSync(join(dir, '.complete'))) return { dir, cold: false };
  const building = `${dir}.tmp-${process.pid}`;
  rmSync(building, { recursive: true, force: true });
  mkdirSync(building, { recursive: true });
  const withoutPayhook = structuredClone(manifest);
  delete withoutPayhook.dependencies?.payhook;
  writeFileSync(join(building, 'package.json'), `${JSON.stringify(withoutPayhook, null, 2)}\n`);
  await npm(['install'], building);
  writeFileSync(join(building, '.complete'), `${new Date().toISOString()}\n`);
  rmSync(dir, { recursive: true, force: true });
  renameSync(building, dir); // whole or not at all: an interrupted install is never used
  return { dir, cold: true };
}

/** Copies, installs and builds a JS example in target/frameworks/<dir>; returns the project path. */
async function prepareJs(example) {
  if (!tarball || !existsSync(tarball)) throw new Error(`PAYHOOK_TARBALL must name the packed package (got ${tarball})`);
  const project = join(scratchRoot, example.dir);
  const manifest = JSON.parse(readFileSync(join(example.source, 'package.json'), 'utf8'));
  assert.equal(manifest.private, true, 'package.json: "private": true');
  assert.ok(manifest.dependencies?.payhook, 'package.json depends on payhook');
  assert.equal(typeof manifest.scripts?.start, 'string', 'package.json has scripts.start');
  if (example.build) assert.equal(typeof manifest.scripts?.build, 'string', 'package.json has scripts.build');
  for (const [name, version] of Object.entries({ ...manifest.dependencies, ...manifest.devDependencies })) {
    if (name !== 'payhook') assert.match(version, /^\d+\.\d+\.\d+(-[\w.]+)?$/, `${name} is pinned exactly (${version})`);
  }
  let start = performance.now();
  const deps = await cachedDependencies(example, manifest);
  const depsMs = ms(start);
  start = performance.now();
  rmSync(project, { recursive: true, force: true });
  mkdirSync(scratchRoot, { recursive: true });
  cpSync(example.source, project, { recursive: true, filter: (src) => !SKIP.has(src.split('/').pop()) || src === example.source });
  if (existsSync(join(deps.dir, 'node_modules'))) { // none when payhook is the only dependency
    await run('cp', ['-a', join(deps.dir, 'node_modules'), join(project, 'node_modules')], { cwd: project });
  }
  if (existsSync(join(deps.dir, 'package-lock.json'))) cpSync(join(deps.dir, 'package-lock.json'), join(project, 'package-lock.json'));
  await npm(['install', '--prefer-offline', tarball], project);
  const installMs = depsMs + ms(start);
  timings[example.dir] = { framework: example.framework, install: deps.cold ? 'cold' : 'cached', installMs };
  if (example.build) {
    start = performance.now();
    await npm(['run', 'build'], project);
    timings[example.dir].buildMs = ms(start);
  }
  return { project, command: 'npm', args: ['start'] };
}

/**
 * Builds a Rust example in place (its path dependency is the repository's crate), into a
 * target directory kept beside the npm installs' cache: a clean clone then rebuilds the
 * payhook crate, not axum and tokio.
 */
async function prepareRust(example) {
  const targetDir = join(cacheRoot, 'rust-target');
  const start = performance.now();
  await run('cargo', ['build', '--release', '--quiet', '--manifest-path', join(example.source, 'Cargo.toml')], {
    cwd: example.source, env: { CARGO_TARGET_DIR: targetDir },
  });
  const cargo = readFileSync(join(example.source, 'Cargo.toml'), 'utf8');
  const bin = example.bin ?? cargo.match(/^\[package\][^[]*?^name\s*=\s*"([^"]+)"/m)[1];
  timings[example.dir] = { framework: example.framework, buildMs: ms(start) };
  return { project: example.source, command: join(targetDir, 'release', bin), args: [] };
}

// Every preparation starts now, `jobs` at a time, in order; each test awaits its own.
const prepared = new Map();
for (const example of examples) {
  const promise = slot(async () => {
    contract(example);
    return example.rust ? prepareRust(example) : prepareJs(example);
  });
  promise.catch(() => {}); // reported by the example's test
  prepared.set(example.dir, promise);
}

/** The package's CLI, from the tarball this suite installed beside it (or the first example's). */
function cli() {
  for (const candidate of [join(here, 'node_modules', 'payhook', 'cli.js'), ...examples.map((e) => join(scratchRoot, e.dir, 'node_modules', 'payhook', 'cli.js'))]) {
    if (existsSync(candidate)) return candidate;
  }
  throw new Error('no installed payhook CLI found');
}

/** `payhook send … --json`: the report (attempts' status and body); a refusal exits 1, which is expected. */
function send(url, provider, args) {
  return new Promise((resolvePromise, reject) => {
    // --speed: a refused delivery is retried on the provider's schedule, compressed to about a second.
    execFile(process.execPath, [cli(), 'send', url, provider, ...args, '--json', '--speed', '1000000', '--timeout', '15000'],
      { timeout: 60_000 }, (error, stdout, stderr) => {
        try {
          resolvePromise(JSON.parse(stdout));
        } catch {
          reject(new Error(`payhook send gave no report (${error?.message}): ${stdout}${stderr}`));
        }
      });
  });
}
const firstAnswers = (report) => report.deliveries.map((d) => ({ status: d.attempts[0].status, body: d.attempts[0].body }));
/** A refusal's `{ error, message }`; the CLI's report keeps an answer's first 200 characters. */
const errorOf = (answer) => {
  try {
    return JSON.parse(answer.body);
  } catch {
    const cut = String(answer.body).match(/^\{"error":"([a-z_]+)","message":"(.*)$/s);
    return cut ? { error: cut[1], message: cut[2] } : { error: `(not JSON) ${answer.body}` };
  }
};

for (const example of examples) {
  test(`${example.name} (${example.framework}): installed, built, started, real deliveries`, { timeout: 20 * 60_000 }, async (t) => {
    const { project, command, args } = await prepared.get(example.dir);
    const started = performance.now();
    const server = startServer(command, args, {
      cwd: project,
      group: true,
      timeoutMs: 60_000,
      env: { PORT: '0', R2_SECRET, BELVO_AUTHORIZATION, NODE_ENV: 'production', NO_COLOR: '1', NEXT_TELEMETRY_DISABLED: '1' },
    });
    try {
      const base = await server.url;
      timings[example.dir].startMs = ms(started);
      const r2 = (path, extra) => send(`${base}${path}`, 'r2', ['financing_created', ...extra]);
      const from = (ip) => ['--header', `X-Forwarded-For: ${ip}`];

      await t.test('a valid R2 delivery and its duplicate: 200 R2 API Event Received, both', async () => {
        const report = await r2('/webhooks/r2', ['--secret', R2_SECRET, ...from(R2_SENDER), '--times', '2']);
        assert.deepEqual(firstAnswers(report), [
          { status: 200, body: 'R2 API Event Received' },
          { status: 200, body: 'R2 API Event Received' },
        ]);
      });
      await t.test('signed with a wrong secret: 401 signature_mismatch', async () => {
        const [answer] = firstAnswers(await r2('/webhooks/r2', ['--secret', 'not-the-secret', ...from(R2_SENDER)]));
        assert.equal(answer.status, 401, answer.body);
        assert.equal(errorOf(answer).error, 'signature_mismatch');
      });
      await t.test('a sender outside the allowlist: 403 ip_not_allowed', async () => {
        const [answer] = firstAnswers(await r2('/webhooks/r2', ['--secret', R2_SECRET, ...from(STRANGER)]));
        assert.equal(answer.status, 403, answer.body);
        assert.equal(errorOf(answer).error, 'ip_not_allowed');
      });
      await t.test('Belvo: the right token 200, a wrong one 401', async () => {
        const belvo = (authorization) => send(`${base}/webhooks/belvo`, 'belvo', ['PAYMENT_INTENTS.STATUS_UPDATE', '--authorization', authorization, ...from(BELVO_SENDER)]);
        const [right] = firstAnswers(await belvo(BELVO_AUTHORIZATION));
        assert.equal(right.status, 200, right.body);
        const [wrong] = firstAnswers(await belvo('Bearer a-guess'));
        assert.equal(wrong.status, 401, wrong.body);
        assert.match(errorOf(wrong).error, /^authorization_/);
      });
      if (example.parsedRoute) {
        await t.test('the raw-body mistake (/webhooks/r2-parsed): 500 body_not_raw, naming the fix', async () => {
          const [answer] = firstAnswers(await r2('/webhooks/r2-parsed', ['--secret', R2_SECRET, ...from(R2_SENDER)]));
          assert.equal(answer.status, 500, answer.body);
          const refusal = errorOf(answer);
          assert.equal(refusal.error, 'body_not_raw', answer.body);
          assert.match(refusal.message ?? '', /raw|parse|read/i, 'the message says what to do');
          t.diagnostic(`${example.dir} r2-parsed: ${answer.body}`);
        });
      }
      await t.test('handled once per event: one R2 event, one Belvo event', async () => {
        await new Promise((r) => setTimeout(r, 300)); // let the last line arrive
        const handled = server.lines.filter((line) => /^handled \S+/.test(line.trim()));
        assert.equal(handled.length, 2, `handled lines: ${handled.join(' | ')}\n${server.lines.join('\n')}\n${server.stderr()}`);
        assert.notEqual(handled[0], handled[1], 'two different dedup keys');
      });
    } finally {
      server.stop();
      await new Promise((r) => { if (server.child.exitCode !== null) r(); else { server.child.once('exit', r); setTimeout(r, 5000).unref(); } });
      const line = Object.entries(timings[example.dir] ?? {}).map(([k, v]) => `${k}=${v}`).join(' ');
      t.diagnostic(`${example.dir}: ${line}`);
    }
  });
}

// The times, for the report: target/frameworks/timings.json and a table in timings.md.
process.on('exit', () => {
  if (!examples.length) return;
  mkdirSync(scratchRoot, { recursive: true });
  writeFileSync(join(scratchRoot, 'timings.json'), `${JSON.stringify(timings, null, 2)}\n`);
  const s = (value) => (value === undefined ? '-' : `${(value / 1000).toFixed(1)} s`);
  const rows = Object.entries(timings).map(([dir, t]) => `| ${dir} | ${t.framework} | ${t.install ?? '-'} | ${s(t.installMs)} | ${s(t.buildMs)} | ${s(t.startMs)} |`);
  writeFileSync(join(scratchRoot, 'timings.md'), ['| example | framework | install | install time | build | start |', '|---|---|---|---|---|---|', ...rows, ''].join('\n'));
});

test('at least one framework example is found', () => {
  assert.ok(examples.length > 0, 'no examples/*/payhook-example.json');
});

test('the plumbing subpaths: the same names from import and require, and none loaded by the main entry', async () => {
  // A project with the tarball installed: this suite's scratch project, or the first JS example's.
  let project = existsSync(join(here, 'node_modules', 'payhook')) ? here : undefined;
  for (const example of examples.filter((e) => !e.rust)) {
    if (project) break;
    project = (await prepared.get(example.dir).catch(() => ({}))).project;
  }
  assert.ok(project, 'no project with payhook installed');
  const script = `
    const names = {};
    for (const name of ['express', 'fastify', 'hono', 'h3']) {
      const cjs = Object.keys(require('payhook/' + name)).sort();
      const esm = Object.keys(await import('payhook/' + name)).sort();
      if (cjs.join() !== esm.join()) throw new Error(name + ': require ' + cjs + ' but import ' + esm);
      names[name] = esm;
    }
    console.log(JSON.stringify(names));`;
  const run = (code, type) => new Promise((resolvePromise, reject) => execFile(process.execPath, ['--input-type=' + type, '-e', code], { cwd: project },
    (error, stdout, stderr) => (error ? reject(new Error(`${error.message}${stderr}`)) : resolvePromise(stdout))));
  const names = JSON.parse(await run(`import { createRequire } from 'node:module'; const require = createRequire(process.cwd() + '/'); ${script}`, 'module'));
  assert.deepEqual(names, {
    express: ['payhookErrors', 'readRawBody', 'webhook'],
    fastify: ['keepRawBody', 'route', 'webhook'],
    hono: ['webhook'],
    h3: ['webhook'],
  });
  const loaded = await run(`require('payhook'); console.log(Object.keys(require.cache).filter((f) => /payhook[\\\\/](express|fastify|hono|h3|framework-common)\\./.test(f)).join())`, 'commonjs');
  assert.equal(loaded.trim(), '', 'require("payhook") loads no framework plumbing');
});

test('payhook/express reads at most the receiver\'s maxBytes, and refuses a limit it cannot read', async () => {
  const { webhook } = await import('payhook/express');
  const { r2Receiver } = await import('payhook');
  const { createServer } = await import('node:http');
  const r2 = r2Receiver({ secrets: ['limit-secret'], maxBytes: 64 });
  assert.equal(r2.maxBytes, 64);
  const server = createServer(webhook(r2, () => assert.fail('no event is handled')));
  await new Promise((resolvePromise) => server.listen(0, '127.0.0.1', resolvePromise));
  try {
    const url = `http://127.0.0.1:${server.address().port}/`;
    // Chunked, so no Content-Length tells the size: the plumbing stops reading past the limit.
    const body = new ReadableStream({ start(c) { c.enqueue(new Uint8Array(1 << 20).fill(32)); c.close(); } });
    const res = await fetch(url, { method: 'POST', body, duplex: 'half' });
    assert.equal(res.status, 413);
    assert.equal((await res.json()).error, 'payload_too_large');
  } finally {
    server.close();
  }
  for (const maxBytes of [NaN, -1, 1.5, '64', undefined]) {
    assert.throws(() => webhook({ handle() {}, maxBytes }, () => {}), TypeError, String(maxBytes));
  }
});
