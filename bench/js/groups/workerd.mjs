// The whole delivery inside workerd (miniflare), and workerd's start-up with and without
// payhook. workerd's clock does not advance while code runs, so each request handles N
// deliveries and the wall time is taken in Node around dispatchFetch; an empty request
// (n=0) sampled in the same round is subtracted, and the rest divided by N.
import { copyFileSync, mkdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { now, stats } from '../lib/harness.mjs';

process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= 'false';
process.env.WRANGLER_SEND_METRICS ??= 'false';
process.env.MINIFLARE_WORKERD_PATH ??= '';
if (process.env.MINIFLARE_WORKERD_PATH === '') delete process.env.MINIFLARE_WORKERD_PATH;

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));

/**
 * Bundles a Worker as wrangler would: conditions workerd/worker, the .wasm as a compiled module beside it.
 * alias: esbuild's, e.g. { payhook: 'payhook-before' } to bundle another installed copy of the package.
 */
export async function bundle(entry, outdir, alias = undefined) {
  const esbuild = require('esbuild');
  mkdirSync(outdir, { recursive: true });
  const wasm = [];
  const outfile = join(outdir, `${basename(entry, '.mjs')}.bundle.mjs`);
  await esbuild.build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    conditions: ['workerd', 'worker'],
    mainFields: ['module', 'main'],
    target: 'es2022',
    logLevel: 'warning',
    ...(alias ? { alias, absWorkingDir: join(here, '..') } : {}), // an alias resolves from the working directory
    plugins: [{
      name: 'wasm-external',
      setup(build) {
        build.onResolve({ filter: /\.wasm$/ }, (args) => {
          const source = resolve(args.resolveDir, args.path);
          const copy = join(outdir, basename(source));
          copyFileSync(source, copy);
          if (!wasm.includes(copy)) wasm.push(copy);
          return { path: `./${basename(source)}`, external: true };
        });
      },
    }],
  });
  return { outdir, outfile, wasm };
}

export function miniflare({ outdir, outfile, wasm }) {
  const { Miniflare } = require('miniflare');
  return new Miniflare({
    modulesRoot: outdir,
    modules: [{ type: 'ESModule', path: outfile }, ...wasm.map((path) => ({ type: 'CompiledWasm', path }))],
    compatibilityDate: '2025-09-01',
    cf: false,
  });
}

export async function get(mf, query) {
  const response = await mf.dispatchFetch(`http://localhost/?${query}`);
  const text = await response.text();
  if (!response.ok) throw new Error(`the Worker answered ${response.status}: ${text.slice(0, 500)}`);
  return JSON.parse(text);
}

export async function workerd({ quick = false, outdir }) {
  const built = await bundle(join(here, '..', 'workerd', 'worker.mjs'), join(outdir, 'workerd'));
  const mf = miniflare(built);
  try {
    const impls = [
      { impl: 'payhook r2Receiver.receive(request)', id: 'payhook', payhook: true },
      { impl: 'CF-Connecting-IP + ipaddr.js + WebCrypto + JSON.parse + zod + SHA-256 key', short: 'idiomatic Worker (WebCrypto)', id: 'webcrypto' },
      { impl: 'floor: new Request + arrayBuffer() + new Response, no checks', id: 'request', reference: true },
      { impl: 'payhook r2Receiver.receive({ body, headers })', id: 'payhook-parts', payhook: true, parts: true },
      { impl: 'the idiomatic checks on the same bytes and Headers', short: 'idiomatic Worker checks', id: 'webcrypto-parts', parts: true },
    ];
    // Correctness first: every delivery accepted; payhook and the idiomatic key agree.
    const keys = new Set();
    for (const impl of impls) {
      const r = await get(mf, `impl=${impl.id}&n=3`);
      if (r.accepted !== 3) throw new Error(`${impl.impl}: accepted ${r.accepted} of 3 in workerd`);
      if (r.dedupKey) keys.add(r.dedupKey);
    }
    // Warm up, then size N so one request takes about 60 ms.
    const targetMs = quick ? 20 : 30;
    for (const impl of impls) {
      await get(mf, `impl=${impl.id}&n=300`);
      const t = now();
      await get(mf, `impl=${impl.id}&n=300`);
      const per = (now() - t) / 300;
      impl.n = Math.max(50, Math.round(targetMs / per));
      impl.samples = [];
    }
    const empty = [];
    const rounds = quick ? 5 : 21;
    for (let r = 0; r < rounds; r++) {
      let t = now();
      await get(mf, 'impl=none&n=0');
      const base = now() - t;
      empty.push(base);
      for (let k = 0; k < impls.length; k++) {
        const impl = impls[(r + k) % impls.length];
        t = now();
        const res = await get(mf, `impl=${impl.id}&n=${impl.n}`);
        const ms = now() - t;
        if (res.accepted !== impl.n) throw new Error(`${impl.impl}: accepted ${res.accepted} of ${impl.n}`);
        impl.samples.push(((ms - base) * 1e6) / impl.n);
      }
    }
    const rows = (parts) => impls.filter((impl) => Boolean(impl.parts) === parts).map((impl) => {
      const s = stats(impl.samples);
      return { impl: impl.impl, short: impl.short ?? impl.impl, payhook: Boolean(impl.payhook), reference: Boolean(impl.reference), median: s.median, p10: s.p10, p90: s.p90, mad: s.mad, samples: s.n, batch: impl.n, reruns: 0, opsPerSec: 1e9 / s.median };
    });
    const emptyStats = stats(empty);
    return {
      id: 'workerd',
      title: 'Whole delivery in workerd (miniflare, 1 KiB R2 event)',
      note: `N deliveries per dispatchFetch, timed in Node, minus an empty request in the same round (median ${emptyStats.median.toFixed(2)} ms). Address from CF-Connecting-IP (trust 'cloudflare'). ${keys.size === 1 ? 'payhook and the idiomatic Worker derive the same dedup key.' : `Dedup keys: ${[...keys].join(' / ')}.`} The floor row is what any Worker pays to receive the request and answer it.`,
      comparisons: [
        { id: 'delivery-workerd', title: 'whole delivery, workerd, 1 KiB R2 event, from a Request', short: 'workerd, from a Request', bytes: 1024, rows: rows(false) },
        { id: 'delivery-workerd-parts', title: 'whole delivery, workerd, the checks alone (body bytes + Headers)', short: 'workerd, checks alone', bytes: 1024, rows: rows(true) },
      ],
    };
  } finally {
    await mf.dispose();
  }
}

/** miniflare start + first request, with and without payhook, alternating, median of `runs`. */
export async function workerdStart({ runs = 5, outdir }) {
  const withPayhook = await bundle(join(here, '..', 'workerd', 'start-payhook.mjs'), join(outdir, 'start-payhook'));
  const without = await bundle(join(here, '..', 'workerd', 'start-empty.mjs'), join(outdir, 'start-empty'));
  const times = { payhook: [], empty: [] };
  for (let r = 0; r < runs; r++) {
    for (const [name, built] of r % 2 ? [['empty', without], ['payhook', withPayhook]] : [['payhook', withPayhook], ['empty', without]]) {
      const t = now();
      const mf = miniflare(built);
      const response = await mf.dispatchFetch('http://localhost/');
      const text = await response.text();
      times[name].push(now() - t);
      await mf.dispose();
      if (text !== '2') throw new Error(`start worker ${name} answered ${text}`);
    }
  }
  return { payhook: stats(times.payhook), empty: stats(times.empty), runs };
}
