// Runs a Worker example under miniflare (workerd) on 127.0.0.1, as `wrangler dev` would:
// bundled with the `workerd` condition and the package's .wasm given to workerd as a
// compiled module (js-tests/runners/tools.mjs), secrets as bindings; prints `listening on <url>`.
// Usage: node run-worker-example.mjs <entry.mjs>   (env: PAYHOOK_TOOLS, R2_SECRET, ...)
// PAYHOOK_INSPECTOR_PORT opens workerd's inspector there, as `wrangler dev` does (the load
// test forces a GC through it before reading memory).
import { join } from 'node:path';
import { bundle, scratch, tools } from './runners/tools.mjs';

const entry = process.argv[2];
const outdir = join(scratch, 'out', 'worker-example');
const { outfile, wasm } = await bundle({ entry, outdir, outName: 'worker.mjs', platform: 'neutral', conditions: ['workerd', 'worker'] });
const { Miniflare } = tools()('miniflare');
const mf = new Miniflare({
  host: '127.0.0.1',
  port: 0,
  compatibilityDate: '2026-04-01',
  cf: false,
  modulesRoot: outdir,
  modules: [{ type: 'ESModule', path: outfile }, ...wasm.map((path) => ({ type: 'CompiledWasm', path }))],
  bindings: { R2_SECRET: process.env.R2_SECRET ?? '', BELVO_AUTHORIZATION: process.env.BELVO_AUTHORIZATION ?? '' },
  ...(process.env.PAYHOOK_INSPECTOR_PORT ? { inspectorPort: Number(process.env.PAYHOOK_INSPECTOR_PORT) } : {}),
});
const url = await mf.ready;
console.log(`listening on ${url.origin}`);
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => mf.dispose().then(() => process.exit(0)));
