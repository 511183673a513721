// Load (issue 9, item 6): the node:http example and the Worker example (under miniflare, as
// `wrangler dev` runs it) on 127.0.0.1, each sent PAYHOOK_LOAD_DELIVERIES signed deliveries,
// valid and invalid mixed (js-tests/load/deliveries.mjs), by autocannon. Every answer is
// checked against its expected verdict, every accepted event must be handled exactly once,
// and the receiver's memory must not grow grossly after warm-up: RSS, JS heap and wasm
// memory, each read after a full GC forced through the receiver's inspector. Throughput and
// latency are reported, never asserted. Run by scripts/load.sh from a scratch project with the
// packed payhook installed; writes the table to PAYHOOK_LOAD_RESULTS.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startServer } from './lib/process.mjs';
import { BELVO_AUTHORIZATION, buildDeliveries, R2_SECRET } from './load/deliveries.mjs';
import { combine, drive, sendAlone, Verdicts } from './load/drive.mjs';
import { connect } from './load/inspector.mjs';
import { rss } from './load/memory.mjs';

const here = fileURLToPath(new URL('..', import.meta.url));
const COUNT = Number(process.env.PAYHOOK_LOAD_DELIVERIES) || 5_000;
const CONNECTIONS = Number(process.env.PAYHOOK_LOAD_CONNECTIONS) || 16;
const WARMUP = Math.min(2_000, Math.max(200, Math.floor(COUNT / 10)));
const MiB = 1024 * 1024;
/**
 * Gross growth only, over the second half of the measured deliveries: by then workerd has
 * grown to its steady size (after GC about 180 MiB from 90 MiB, over the first 50,000
 * deliveries; 250,000 showed it flat after that). After a full GC nothing should grow but
 * the examples' memoryStore of handled keys (in wasm memory, bounded: 100,000 keys, 32 MiB).
 */
const GROWTH_BOUND = 50 * MiB;

/** A free loopback port (for workerd's inspector, which miniflare wants as a number). */
const freePort = () => new Promise((resolve) => {
  const server = createServer().listen(0, '127.0.0.1', () => {
    const { port } = server.address();
    server.close(() => resolve(port));
  });
});

/**
 * How each target is started, which process is the receiver (`process`: a descendant's name),
 * and its inspectors, the example's first: Node prints its websocket on stderr; miniflare
 * lists workerd's isolates on /json, the example's being `core:user:` and miniflare's router
 * in front of it `core:entry` (collected too, so that its garbage does not count as growth).
 */
const targets = [
  {
    name: 'node-http',
    kind: 'node',
    start: async () => ({ args: ['--inspect=127.0.0.1:0', 'examples/node-http/server.mjs'], env: {} }),
    inspectors: async (stderr) => [stderr().match(/Debugger listening on (ws:\/\/\S+)/)?.[1]],
  },
  {
    name: 'worker/miniflare',
    kind: 'worker',
    start: async () => {
      const port = await freePort();
      return { args: ['js-tests/run-worker-example.mjs', 'examples/worker/src/index.mjs'], env: { PAYHOOK_INSPECTOR_PORT: String(port) }, port };
    },
    process: 'workerd',
    inspectors: async (_stderr, { port }) => {
      const list = await (await fetch(`http://127.0.0.1:${port}/json`)).json();
      return ['core:user:', 'core:entry'].map((id) => list.find((isolate) => isolate.id === id)?.webSocketDebuggerUrl);
    },
  },
];
const rows = [];

/** Counts `handled <key>` lines on a child's stdout, whole lines only. */
function countHandled(stdout) {
  const keys = new Map();
  let rest = '';
  stdout.on('data', (data) => {
    const lines = (rest + data).split('\n');
    rest = lines.pop();
    for (const line of lines) {
      const key = line.match(/handled (\S+)/)?.[1];
      if (key) keys.set(key, (keys.get(key) ?? 0) + 1);
    }
  });
  return keys;
}

/** Waits until `check()` is true or `ms` pass (a Worker's log reaches stdout through miniflare). */
async function settle(check, ms) {
  for (const end = Date.now() + ms; !check() && Date.now() < end;) await new Promise((r) => setTimeout(r, 50));
}

const mib = (bytes) => (bytes / MiB).toFixed(1);

for (const target of targets) {
  test(`load ${target.name}: ${COUNT} deliveries, every verdict right`, { timeout: 120_000 + COUNT * 10 }, async (t) => {
    const { deliveries, handled: expected } = buildDeliveries(COUNT, target.kind);
    const verdicts = new Verdicts(deliveries);
    const how = await target.start();
    const running = startServer(process.execPath, how.args, {
      cwd: here,
      env: { PORT: '0', R2_SECRET, BELVO_AUTHORIZATION, NO_COLOR: '1', ...how.env },
    });
    const handled = countHandled(running.child.stdout);
    let stderr = '';
    running.child.stderr.on('data', (d) => { stderr += d; });
    let inspectors = [];
    try {
      const url = await running.url;
      const wsUrls = await target.inspectors(() => stderr, how);
      assert.ok(wsUrls.every(Boolean), `${target.name}: inspectors not found`);
      const poke = () => fetch(`${url}/load-poke`).then((r) => r.arrayBuffer());
      inspectors = await Promise.all(wsUrls.map((wsUrl) => connect(wsUrl, poke)));
      /** The example's JS heap and wasm, and the receiver process's RSS, all after full GCs. */
      const memory = async () => {
        const [example] = await Promise.all(inspectors.map((inspector) => inspector.measure()));
        return { ...example, rss: rss(running.child.pid, target.process) };
      };

      // Deliveries [0, WARMUP) warm up; the rest are measured, in two halves with memory read
      // between them. The few sent alone go on their own connections meanwhile.
      const range = (from, to) => Array.from({ length: to - from }, (_, i) => from + i);
      const send = async (indices) => (await Promise.all([
        drive({ url, verdicts, indices: indices.filter((i) => !deliveries[i].alone), connections: CONNECTIONS }),
        sendAlone({ url, verdicts, indices: indices.filter((i) => deliveries[i].alone) }),
      ]))[0];
      const half = Math.floor((WARMUP + COUNT) / 2);
      await send(range(0, WARMUP));
      const start = await memory();
      const first = await send(range(WARMUP, half));
      const middle = await memory();
      const second = await send(range(half, COUNT));
      await settle(() => handled.size >= expected.size, 5_000);
      const end = await memory();
      const load = combine([first, second]);

      const { wrong, unanswered, repeated, lost } = verdicts.summary();
      const handledTwice = [...handled.values()].filter((n) => n > 1).length;
      const notHandled = [...expected].filter((key) => !handled.has(key)).length;
      rows.push({ target: target.name, wrong, unanswered, ...load, memory: [start, middle, end] });
      for (const [kind, s] of [...verdicts.kinds].sort()) t.diagnostic(`${kind}: ${s.sent} answered, ${s.wrong} wrong${s.example ? ` (${s.example})` : ''}`);
      t.diagnostic(`${load.rate.toFixed(0)} req/s, p50 ${load.p50.toFixed(2)} ms, p99 ${load.p99.toFixed(2)} ms over ${COUNT - WARMUP} deliveries after ${WARMUP} of warm-up; autocannon errors ${load.errors}, timeouts ${load.timeouts}`);
      const trend = (what) => [start, middle, end].map((m) => mib(m[what])).join(' -> ');
      t.diagnostic(`after GC, after warm-up -> half-way -> end: RSS ${trend('rss')} MiB, JS heap ${trend('heap')} MiB, wasm ${trend('wasm')} MiB`);
      t.diagnostic(`handled ${handled.size} of ${expected.size} accepted events`);

      assert.equal(wrong, 0, `wrong verdicts: ${[...verdicts.kinds].filter(([, s]) => s.wrong).map(([k, s]) => `${k} ${s.wrong}: ${s.example}`).join('; ')}`);
      assert.equal(unanswered, 0, `deliveries with no answer (a connection dropped mid-request): ${lost}`);
      assert.equal(repeated, 0, 'deliveries answered more than once (a driver bug)');
      assert.equal(notHandled, 0, 'accepted events the example never handled');
      assert.equal(handledTwice, 0, 'events the example handled more than once');
      assert.equal(handled.size, expected.size, 'handled events that were never accepted');
      for (const what of ['rss', 'heap', 'wasm']) {
        const growth = end[what] - middle[what];
        assert.ok(growth < GROWTH_BOUND, `${what} grew by ${mib(growth)} MiB over the second half (bound ${mib(GROWTH_BOUND)} MiB)`);
      }
    } finally {
      for (const inspector of inspectors) inspector.close();
      running.child.kill();
      await new Promise((resolve) => (running.child.exitCode !== null ? resolve() : running.child.once('exit', resolve)));
    }
  });
}

after(() => {
  const lines = [
    '| target | deliveries | wrong verdicts | unanswered | req/s | p50 ms | p99 ms | RSS MiB (after warm-up -> half-way -> end) | JS heap MiB | wasm MiB |',
    '|---|---:|---:|---:|---:|---:|---:|---|---|---|',
    ...rows.map((r) => `| ${r.target} | ${COUNT} | ${r.wrong} | ${r.unanswered} | ${r.rate.toFixed(0)} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ${['rss', 'heap', 'wasm'].map((what) => r.memory.map((m) => mib(m[what])).join(' -> ')).join(' | ')} |`),
  ];
  const file = process.env.PAYHOOK_LOAD_RESULTS; // scripts/load.sh prints it after the TAP
  if (file) {
    mkdirSync(dirname(file), { recursive: true });
    const note = `${new Date().toISOString()}: ${CONNECTIONS} connections, pipelining 1; the first ${WARMUP} deliveries warm up (their verdicts are checked, but they are not in req/s or latency); memory (RSS of the receiver process, the example's JS heap and wasm memory) is read after warm-up, half-way and at the end, each time after a full GC.`;
    writeFileSync(file, `# payhook load results\n\n${note}\n\n${lines.join('\n')}\n`);
  } else {
    for (const line of lines) console.log(line);
  }
});
