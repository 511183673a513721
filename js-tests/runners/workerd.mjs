// workerd (Cloudflare Workers) through miniflare: bundle worker-entry.mjs with esbuild and the
// conditions wrangler uses (workerd, worker), hand the .wasm to miniflare as a CompiledWasm
// module, dispatch one request, print the suites' results. Run with the machine's Node from
// the scratch project: PAYHOOK_TOOLS=... node js-tests/runners/workerd.mjs
import { join } from 'node:path';
import { bundle, report, scratch, tools } from './tools.mjs';
import { notStarted } from './core.mjs';

process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= 'false';
process.env.WRANGLER_SEND_METRICS ??= 'false';

const runtime = 'workerd';
let mf;
try {
  const outdir = join(scratch, 'out', 'workerd');
  const { outfile, wasm } = await bundle({
    entry: 'js-tests/runners/worker-entry.mjs',
    outdir,
    outName: 'worker.mjs',
    platform: 'neutral',
    conditions: ['workerd', 'worker'],
  });
  const { Miniflare } = tools()('miniflare');
  mf = new Miniflare({
    modulesRoot: outdir,
    modules: [
      { type: 'ESModule', path: outfile },
      ...wasm.map((path) => ({ type: 'CompiledWasm', path })),
    ],
    compatibilityDate: '2025-09-01',
    cf: false, // placeholder request.cf: never fetch Cloudflare's (there is no network)
  });
  const response = await mf.dispatchFetch('http://localhost/');
  const text = await response.text();
  if (!response.ok) throw new Error(`the Worker answered ${response.status}: ${text.slice(0, 2000)}`);
  report(JSON.parse(text));
} catch (error) {
  report(notStarted(runtime, error));
} finally {
  await mf?.dispose();
}
