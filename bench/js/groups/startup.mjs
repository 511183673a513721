// Size and start: the .wasm raw and gzip, the packed tarball, the time to load payhook in a
// fresh Node process (import('payhook'), and compile + instantiate alone), and wasm linear
// memory over many deliveries (in a child process that holds the module's exports).
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { now, stats } from '../lib/harness.mjs';

const require = createRequire(import.meta.url);
const packageDir = dirname(require.resolve('payhook/package.json'));

export function sizes({ tarball }) {
  const wasm = readFileSync(join(packageDir, 'payhook_bg.wasm'));
  const js = ['node.js', 'node.cjs', 'error.cjs', 'payhook.cjs']
    .reduce((n, f) => n + statSync(join(packageDir, f)).size, 0);
  return {
    wasmRaw: wasm.length,
    wasmGzip: gzipSync(wasm, { level: 9 }).length,
    wasmBrotli: brotliCompressSync(wasm).length,
    jsEsmRaw: js,
    tarball: tarball ? statSync(tarball).size : null,
  };
}

/** Runs a module script in a fresh Node process from the bench directory; its stdout as JSON. */
function fresh(code, cwd) {
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', code], { cwd, encoding: 'utf8' });
  return JSON.parse(out);
}

export function nodeStart({ runs = 15, cwd }) {
  const glue = new URL(`file://${join(packageDir, 'payhook.js')}`).href;
  const wasmPath = join(packageDir, 'payhook_bg.wasm');
  const importCode = `const t = performance.now(); await import('payhook'); console.log(JSON.stringify(performance.now() - t));`;
  const initCode = `import { readFileSync } from 'node:fs';
    const { initSync } = await import(${JSON.stringify(glue)});
    const t0 = performance.now(); const bytes = readFileSync(${JSON.stringify(wasmPath)});
    const t1 = performance.now(); const module = new WebAssembly.Module(bytes);
    const t2 = performance.now(); initSync({ module });
    const t3 = performance.now();
    console.log(JSON.stringify({ read: t1 - t0, compile: t2 - t1, instantiate: t3 - t2 }));`;
  const imports = [];
  const parts = { read: [], compile: [], instantiate: [] };
  const wall = { payhook: [], empty: [] };
  for (let r = 0; r < runs; r++) {
    imports.push(fresh(importCode, cwd));
    const p = fresh(initCode, cwd);
    for (const k of Object.keys(parts)) parts[k].push(p[k]);
    for (const [name, code] of [['payhook', `await import('payhook');`], ['empty', `await import('node:fs');`]]) {
      const t = now();
      spawnSync(process.execPath, ['--input-type=module', '-e', code], { cwd });
      wall[name].push(now() - t);
    }
  }
  return {
    runs,
    importPayhook: stats(imports),
    read: stats(parts.read),
    compile: stats(parts.compile),
    instantiate: stats(parts.instantiate),
    processWithPayhook: stats(wall.payhook),
    processEmpty: stats(wall.empty),
  };
}

/**
 * Linear memory over many whole deliveries (the Node delivery of the benchmark), in a child
 * process: wasm memory and RSS at checkpoints. Stops at `deliveries` or after `maxSeconds`.
 */
export function memory({ deliveries = 1_000_000, maxSeconds = 75, cwd }) {
  const dir = JSON.stringify(packageDir);
  const code = `
    import { readFileSync } from 'node:fs';
    const dir = ${dir};
    const { r2Receiver, signR2, R2_ALLOWLIST } = await import('file://' + dir + '/node.js');
    // The package's own instance: the glue Node's entries share hands out its exports.
    const { createRequire } = await import('node:module');
    const glue = createRequire(import.meta.url)(dir + '/payhook.cjs');
    const exports = glue.initSync({ module: readFileSync(dir + '/payhook_bg.wasm') });
    const { r2Body, SECRET } = await import(${JSON.stringify(new URL('../lib/inputs.mjs', import.meta.url).href)});
    const body = r2Body(1024);
    const headers = { 'content-sha256': signR2(body, SECRET), 'x-forwarded-for': '54.215.38.39', 'content-type': 'application/json' };
    const peer = { socket: { remoteAddress: '::ffff:10.0.0.2' } };
    const receiver = r2Receiver({ secrets: [SECRET], allowlist: R2_ALLOWLIST, trust: { hops: 1 } });
    const points = [];
    const mark = (n) => points.push({ deliveries: n, wasmBytes: exports.memory.buffer.byteLength, rssBytes: process.memoryUsage().rss });
    const start = performance.now();
    let n = 0, ok = 0;
    mark(0);
    const checkpoints = new Set([1, 1000, 10000, 100000, 250000, 500000, 750000, 1000000]);
    while (n < ${deliveries} && performance.now() - start < ${maxSeconds * 1000}) {
      if (receiver.receive({ body, headers, peer }).ok) ok++;
      n++;
      if (checkpoints.has(n)) mark(n);
    }
    if (!checkpoints.has(n)) mark(n);
    console.log(JSON.stringify({ target: ${deliveries}, done: n, accepted: ok, seconds: (performance.now() - start) / 1000, points }));`;
  return fresh(code, cwd);
}
