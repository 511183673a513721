// Every runnable example under examples/, started as its own process on 127.0.0.1 and sent
// real HTTP deliveries: valid, a duplicate of it, tampered, from a wrong address, and a
// valid Belvo one. Checks what each answers, and that the duplicate is handled only once.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { fixture, signR2 } from 'payhook';

const here = fileURLToPath(new URL('..', import.meta.url));
const R2_SECRET = 'examples-r2-secret';
const BELVO_AUTHORIZATION = 'Bearer examples-belvo-token';
const R2_PROD = '54.215.38.39';
const BELVO = '3.130.254.46';

/** The examples run by Node; other runtimes join through the runtime matrix. */
export const examples = [
  { name: 'node:http', command: process.execPath, args: ['examples/node-http/server.mjs'] },
  { name: 'Express', command: process.execPath, args: ['examples/express/server.mjs'] },
  { name: 'Hono on Node', command: process.execPath, args: ['examples/hono/node.mjs'] },
];

/** Starts an example; resolves once it prints its address. */
function start({ command, args }) {
  const child = spawn(command, args, {
    cwd: here,
    env: { ...process.env, PORT: '0', R2_SECRET, BELVO_AUTHORIZATION },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines = [];
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const url = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no address within 20 s: ${stderr}`)), 20_000);
    child.stdout.on('data', (d) => {
      for (const line of String(d).split('\n').filter(Boolean)) {
        lines.push(line);
        const found = line.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
        if (found) {
          clearTimeout(timer);
          resolve(found[1]);
        }
      }
    });
    child.on('exit', (code) => reject(new Error(`exited with ${code}: ${stderr}`)));
  });
  return { child, url, lines };
}

async function post(url, body, headers) {
  const res = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
  return { status: res.status, text: await res.text() };
}

for (const example of examples) {
  test(`example ${example.name}: real deliveries`, async () => {
    const running = start(example);
    try {
      const base = await running.url;
      const body = JSON.stringify(fixture('r2', 'financing_created'));
      const r2 = (b, signature, from) => post(`${base}/webhooks/r2`, b, { 'content-sha256': signature, 'x-forwarded-for': from, 'user-agent': 'R2 API' });

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
      const belvo = await post(`${base}/webhooks/belvo`, belvoBody, { authorization: BELVO_AUTHORIZATION, 'x-forwarded-for': BELVO });
      assert.equal(belvo.status, 200);
      const wrong = await post(`${base}/webhooks/belvo`, belvoBody, { authorization: 'Bearer guess', 'x-forwarded-for': BELVO });
      assert.equal(wrong.status, 401);

      const handled = running.lines.filter((l) => l.startsWith('handled '));
      assert.equal(handled.length, 2, `one R2 event and one Belvo event handled, once each: ${handled.join(', ')}`);
    } finally {
      running.child.kill();
    }
  });
}
