// The runnable examples outside Node's frameworks (Deno, Bun, Workers), each started as its
// own process on 127.0.0.1 and sent real HTTP deliveries: valid, a duplicate of it, tampered,
// from a wrong address, and a valid Belvo one. Checks what each answers, and that the
// duplicate is handled only once. The Node examples (node:http, Express, Hono on Node,
// Fastify, h3, NestJS, …) are projects of their own, installed with the tarball and tested by
// frameworks.test.mjs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import * as api from 'payhook';
import * as toolsApi from 'payhook/tools';
import { startServer } from './lib/process.mjs';
import { freshR2 } from './suites/helpers.mjs';
// The package's API and payhook/tools' (fixtures, inspection, captures) as one.
const payhook = { ...api, ...toolsApi };

const { fixture, signR2 } = payhook;

const here = fileURLToPath(new URL('..', import.meta.url));
const R2_SECRET = 'examples-r2-secret';
const BELVO_AUTHORIZATION = 'Bearer examples-belvo-token';
const R2_PROD = '54.215.38.39';
const BELVO = '3.130.254.46';

// Deno, Bun, miniflare and esbuild come from the runtime tools (scripts/runtimes.sh installs
// them into PAYHOOK_TOOLS). A runtime that is missing fails its example; none is skipped.
const tools = process.env.PAYHOOK_TOOLS ?? '(PAYHOOK_TOOLS is not set)';
const worker = (entry) => [`${here}js-tests/run-worker-example.mjs`, entry];

/** Every example, by how it is started; the Worker ones as `wrangler dev` would, in workerd. */
export const examples = [
  { name: 'Deno.serve', command: `${tools}/node_modules/deno/deno`, args: ['run', '--allow-net=127.0.0.1', '--allow-env', 'examples/deno/server.ts'] },
  { name: 'Bun.serve', command: `${tools}/node_modules/bun/bin/bun.exe`, args: ['examples/bun/server.ts'] },
  { name: 'Cloudflare Worker', command: process.execPath, args: worker('examples/worker/src/index.mjs'), cloudflare: true },
  { name: 'Hono on Workers', command: process.execPath, args: worker('examples/hono/worker.mjs'), cloudflare: true },
];

/** Starts an example; `url` resolves once it prints its address. */
const start = ({ command, args }) => startServer(command, args, {
  cwd: here,
  env: { PORT: '0', R2_SECRET, BELVO_AUTHORIZATION, NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1' },
});

async function post(url, body, headers) {
  const res = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
  return { status: res.status, text: await res.text() };
}

for (const example of examples) {
  test(`example ${example.name}: real deliveries`, async () => {
    const running = start(example);
    try {
      const base = await running.url;
      // Sent now: every example's receiver refuses the bundled fixture's 2012 event_time.
      const body = JSON.stringify(freshR2(payhook, 'financing_created'));
      // Behind a proxy on 127.0.0.1 the sender is in X-Forwarded-For; on Workers Cloudflare
      // sets CF-Connecting-IP.
      const from = (ip) => (example.cloudflare ? { 'cf-connecting-ip': ip } : { 'x-forwarded-for': ip });
      const r2 = (b, signature, ip) => post(`${base}/webhooks/r2`, b, { 'content-sha256': signature, 'user-agent': 'R2 API', ...from(ip) });

      const valid = await r2(body, signR2(body, R2_SECRET), R2_PROD);
      assert.deepEqual(valid, { status: 200, text: 'R2 API Event Received' });
      const again = await r2(body, signR2(body, R2_SECRET, { encoding: 'hex' }), R2_PROD);
      assert.deepEqual(again, { status: 200, text: 'R2 API Event Received' }, 'a duplicate is acknowledged');
      const tampered = await r2(body.replace('12200', '99999'), signR2(body, R2_SECRET), R2_PROD);
      assert.equal(tampered.status, 401);
      assert.equal(JSON.parse(tampered.text).error, 'signature_mismatch');
      const stranger = await r2(body, signR2(body, R2_SECRET), '203.0.113.7');
      assert.equal(stranger.status, 403);
      assert.equal(JSON.parse(stranger.text).error, 'ip_not_allowed');

      const belvoBody = JSON.stringify(fixture('belvo', 'PAYMENT_INTENTS.STATUS_UPDATE'));
      const belvo = await post(`${base}/webhooks/belvo`, belvoBody, { authorization: BELVO_AUTHORIZATION, ...from(BELVO) });
      assert.equal(belvo.status, 200);
      const wrong = await post(`${base}/webhooks/belvo`, belvoBody, { authorization: 'Bearer guess', ...from(BELVO) });
      assert.equal(wrong.status, 401);

      // Let a Worker's log reach stdout (through miniflare).
      await new Promise((resolve) => setTimeout(resolve, 300));
      const handled = running.lines.filter((l) => l.includes('handled '));
      assert.equal(handled.length, 2, `one R2 event and one Belvo event handled, once each: ${handled.join(', ')}`);
    } finally {
      running.child.kill();
    }
  });
}
