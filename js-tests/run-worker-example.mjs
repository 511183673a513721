// Runs a Worker example under miniflare (workerd) on 127.0.0.1, as `wrangler dev` would:
// bundles it with the `workerd` condition, gives the package's .wasm to workerd as a
// compiled module, passes the secrets as bindings, and prints `listening on <url>`.
// Usage: node run-worker-example.mjs <entry.mjs>   (env: PAYHOOK_TOOLS, R2_SECRET, ...)
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const tools = createRequire(join(process.env.PAYHOOK_TOOLS ?? process.cwd(), 'noop.js'));
const esbuild = tools('esbuild');
const { Miniflare } = tools('miniflare');

const entry = process.argv[2];
const bundle = await esbuild.build({
  entryPoints: [entry],
  bundle: true,
  write: false,
  format: 'esm',
  platform: 'neutral',
  conditions: ['workerd', 'worker', 'browser'],
  mainFields: ['module', 'main'],
  external: ['*.wasm'],
  logLevel: 'warning',
});
const wasm = readFileSync(join(process.cwd(), 'node_modules', 'payhook', 'payhook_bg.wasm'));
const mf = new Miniflare({
  host: '127.0.0.1',
  port: 0,
  compatibilityDate: '2026-04-01',
  modules: [
    { type: 'ESModule', path: 'worker.mjs', contents: bundle.outputFiles[0].text },
    { type: 'CompiledWasm', path: 'payhook_bg.wasm', contents: wasm },
  ],
  bindings: { R2_SECRET: process.env.R2_SECRET ?? '', BELVO_AUTHORIZATION: process.env.BELVO_AUTHORIZATION ?? '' },
});
const url = await mf.ready;
console.log(`listening on ${url.origin}`);
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => mf.dispose().then(() => process.exit(0)));
