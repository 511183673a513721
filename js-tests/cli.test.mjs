// The `payhook` command line (npm/cli.js, the package's bin), run as a process the way a user
// runs it: from a scratch project with the packed package installed, so the CLI is
// node_modules/payhook/cli.js. Real HTTP: `send` delivers to the node:http example and to
// small servers made here; `verify` reads raw HTTP and curl captures.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import * as api from 'payhook';
import * as toolsApi from 'payhook/tools';
import { startServer } from './lib/process.mjs';
import { freshR2 } from './suites/helpers.mjs';
// The package's API and payhook/tools' (fixtures, inspection, captures) as one.
const payhook = { ...api, ...toolsApi };

const { deliveryPolicy, dedupKey, fixture, fixtureNames, parseBelvoWebhook, parseR2Event, signR2, verifyR2Signature } = payhook;
const here = fileURLToPath(new URL('..', import.meta.url));
const packageDir = dirname(createRequire(import.meta.url).resolve('payhook/package.json'));
const CLI = join(packageDir, 'cli.js');
const scratch = mkdtempSync(join(tmpdir(), 'payhook-cli-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

const R2_SECRET = 'cli-test-r2-secret';
const BELVO_AUTHORIZATION = 'Bearer cli-test-belvo-token';
const R2_PROD = '54.215.38.39';
const BELVO = '3.130.254.46';
const FAST = '1000000'; // --speed: R2's whole schedule (30 h 20 min) in about 0.1 s
const nowSeconds = () => Math.floor(Date.now() / 1000);

/** Runs the CLI; resolves to { code, stdout, stderr } (never rejects on a non-zero exit). */
function run(args, { input, timeoutMs = 30_000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: scratch, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => { child.kill(); reject(new Error(`payhook ${args.join(' ')}: no exit within ${timeoutMs} ms`)); }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => { clearTimeout(timer); resolve({ code, stdout, stderr }); });
    child.stdin.end(input ?? '');
  });
}

const json = (result) => JSON.parse(result.stdout);
const file = (name, content) => {
  const path = join(scratch, name);
  writeFileSync(path, content);
  return path;
};

/** A usage error: exit 2, one line on stderr pointing at --help, nothing on stdout, no stack. */
function assertUsage(result, pattern) {
  assert.equal(result.code, 2, `exit code (stderr: ${result.stderr})`);
  assert.equal(result.stdout, '');
  const lines = result.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, `one line: ${result.stderr}`);
  assert.match(lines[0], /--help/);
  if (pattern) assert.match(lines[0], pattern);
}

describe('help, version and misuse', () => {
  test('payhook --help lists every command; no arguments and `help` show it too', async () => {
    for (const args of [['--help'], ['-h'], [], ['help']]) {
      const result = await run(args);
      assert.equal(result.code, 0);
      for (const command of ['fixture', 'sign', 'send', 'verify']) assert.match(result.stdout, new RegExp(`\\n  ${command} `));
    }
  });

  test('every command has --help (and `payhook help <command>`)', async () => {
    for (const command of ['fixture', 'sign', 'send', 'verify']) {
      for (const args of [[command, '--help'], [command, '-h'], ['help', command], [command, 'r2', '--help']]) {
        const result = await run(args);
        assert.equal(result.code, 0, args.join(' '));
        assert.match(result.stdout, new RegExp(`^Usage: payhook ${command} `), args.join(' '));
        assert.match(result.stdout, /--json/);
      }
    }
  });

  test('--version is the package version', async () => {
    const { version } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
    assert.deepEqual(await run(['--version']), { code: 0, stdout: `${version}\n`, stderr: '' });
  });

  const misuse = [
    [['frobnicate'], /unknown command 'frobnicate'/],
    [['--frob'], /unknown option --frob/],
    [['help', 'frob'], /unknown command/],
    [['fixture'], /missing <provider>/],
    [['fixture', 'stripe'], /unknown provider 'stripe'/],
    [['fixture', 'r2', 'no_such_type'], /no R2 fixture 'no_such_type'/],
    [['fixture', 'r2', 'financing_created', '--frob'], /unknown option --frob/],
    [['fixture', 'r2', 'financing_created', 'extra'], /unexpected argument 'extra'/],
    [['fixture', 'r2', 'financing_created', '--set', 'no-equals'], /--set takes path=value/],
    [['fixture', 'r2', 'financing_created', '--time', 'yesterday'], /--time takes unix seconds/],
    [['fixture', 'r2', 'financing_created', '--time'], /--time needs a value/],
    [['fixture', 'belvo', 'CHARGES.STATUS_UPDATE', '--time', '1712345678'], /--time applies to R2/],
    [['fixture', 'r2', 'collection_created', '--status', 'PAID'], /--status applies to/],
    [['fixture', 'r2', '--id', 'x'], /need a fixture name/],
    [['sign', 'r2', 'body.json'], /missing --secret/],
    [['sign', 'r2', '--secret'], /--secret needs a value/],
    [['sign', 'r2', '--secret', 's', '--encoding', 'base32'], /unknown encoding 'base32'/],
    [['sign', 'belvo', '--secret', 's'], /Belvo signs nothing/],
    [['sign', 'r2', '--secret', 's', '--frob'], /unknown option --frob/],
    [['send'], /missing <url> <provider> <type\|file>/],
    [['send', 'http://127.0.0.1:9/'], /missing <provider> <type\|file>/],
    [['send', 'not a url', 'r2', 'financing_created'], /not a URL/],
    [['send', 'ftp://127.0.0.1/', 'r2', 'financing_created'], /not an http\(s\) URL/],
    [['send', 'http://127.0.0.1:9/', 'r2', 'no_such_type_or_file'], /neither a R2 fixture nor a file/],
    [['send', 'http://127.0.0.1:9/', 'r2', 'financing_created', '--times', '0'], /--times takes a positive integer/],
    [['send', 'http://127.0.0.1:9/', 'r2', 'financing_created', '--speed', 'fast'], /--speed takes a positive number/],
    [['send', 'http://127.0.0.1:9/', 'r2', 'financing_created', '--header', 'no colon'], /--header takes 'Name: value'/],
    [['send', 'http://127.0.0.1:9/', 'belvo', 'CHARGES.STATUS_UPDATE', '--secret', 's'], /--secret is for R2/],
    [['send', 'http://127.0.0.1:9/', 'r2', 'financing_created', '--authorization', 'Bearer x'], /--authorization is for Belvo/],
    [['send', 'http://127.0.0.1:9/', 'r2', 'financing_created', '--encoding', 'hex'], /--encoding needs --secret/],
    [['send', 'http://127.0.0.1:9/', 'r2', 'financing_created', '--frob'], /unknown option --frob/],
    [['verify'], /missing <provider>/],
    [['verify', 'r2'], /missing --capture or --body/],
    [['verify', 'r2', '--capture', 'a', '--body', 'b'], /exclude each other/],
    [['verify', 'r2', '--capture', 'a', '--trust', 'everyone'], /--trust takes/],
    [['verify', 'belvo', '--capture', 'a', '--secret', 's'], /--secret is for R2/],
    [['verify', 'r2', '--capture', 'a', '--frob'], /unknown option --frob/],
  ];
  for (const [args, pattern] of misuse) {
    test(`usage error: payhook ${args.join(' ')}`, async () => assertUsage(await run(args), pattern));
  }

  test('a PayhookError is one line `error <code>: <message>`, exit 2, no stack trace', async () => {
    const body = file('empty-secret.json', '{}');
    const result = await run(['sign', 'r2', '--secret', '', body]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /^error secret_invalid: .+\n$/);
    assert.doesNotMatch(result.stderr, /\n\s+at /);
  });

  test('an unreadable file is one line, exit 2', async () => {
    const result = await run(['sign', 'r2', '--secret', 's', join(scratch, 'missing.json')]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /^payhook: cannot read .*missing\.json: no such file\n$/);
  });
});

describe('fixture', () => {
  test('without a name it lists fixtureNames (and --json as an array)', async () => {
    for (const provider of ['r2', 'belvo']) {
      const text = await run(['fixture', provider]);
      assert.equal(text.code, 0);
      assert.deepEqual(text.stdout.trimEnd().split('\n'), fixtureNames(provider));
      assert.deepEqual(json(await run(['fixture', provider, '--json'])), fixtureNames(provider));
    }
  });

  test('every fixture prints 2-space indented JSON that parses as a valid event (R2 sent now)', async () => {
    for (const [provider, parse] of [['r2', parseR2Event], ['belvo', parseBelvoWebhook]]) {
      for (const name of fixtureNames(provider)) {
        const before = nowSeconds();
        const result = await run(['fixture', provider, name]);
        const after = nowSeconds();
        assert.equal(result.code, 0, `${provider} ${name}: ${result.stderr}`);
        const value = JSON.parse(result.stdout);
        assert.equal(result.stdout, `${JSON.stringify(value, null, 2)}\n`);
        if (provider === 'r2') {
          // The bundled event, stamped with the time it was printed (unix seconds, an integer).
          const time = value.event.event_time;
          assert.ok(Number.isInteger(time) && time >= before && time <= after, `${name}: event_time ${time} is now`);
          const bundled = fixture(provider, name);
          assert.deepEqual(value, { ...bundled, event: { ...bundled.event, event_time: time } });
        } else {
          assert.deepEqual(value, fixture(provider, name), 'Belvo sends no time: the fixture as bundled');
        }
        parse(result.stdout, { strict: true });
      }
    }
  });

  test('R2 fixtures are stamped with the current time; --time and --set event.event_time win', async () => {
    const before = nowSeconds();
    const stamped = JSON.parse((await run(['fixture', 'r2', 'financing_paid'])).stdout);
    // A fixture whose event_time is a string of digits (the walkthrough's spelling) too.
    const spelled = JSON.parse((await run(['fixture', 'r2', 'application_created'])).stdout);
    const after = nowSeconds();
    for (const event of [stamped, spelled]) {
      assert.ok(Number.isInteger(event.event.event_time), `an integer, not ${JSON.stringify(event.event.event_time)}`);
      assert.ok(event.event.event_time >= before && event.event.event_time <= after, `event_time ${event.event.event_time} is now`);
    }
    // A receiver with the default replay window accepts it; the bundled fixture it refuses.
    const receiver = payhook.r2Receiver({ secrets: [R2_SECRET] });
    const deliver = (body) => receiver.receive({ body, headers: { 'content-sha256': signR2(body, R2_SECRET) } });
    assert.equal(deliver(JSON.stringify(stamped)).ok, true);
    assert.equal(deliver(JSON.stringify(fixture('r2', 'financing_paid'))).error?.code, 'event_stale');
    const pinned = JSON.parse((await run(['fixture', 'r2', 'financing_paid', '--time', '1712345678'])).stdout);
    assert.deepEqual(pinned, { ...fixture('r2', 'financing_paid'), event: { ...fixture('r2', 'financing_paid').event, event_time: 1712345678 } }, '--time wins');
    const set = JSON.parse((await run(['fixture', 'r2', 'financing_paid', '--set', 'event.event_time="1700000000"'])).stdout);
    assert.equal(set.event.event_time, '1700000000', '--set wins, as given');
    const both = JSON.parse((await run(['fixture', 'r2', 'financing_paid', '--time', '1712345678', '--set', 'event.event_time=1700000000'])).stdout);
    assert.equal(both.event.event_time, 1700000000, '--set is applied after --time');
    const help = await run(['fixture', '--help']);
    assert.match(help.stdout.replace(/\s+/g, ' '), /event\.event_time is the current time/);
    assert.match((await run(['send', '--help'])).stdout.replace(/\s+/g, ' '), /event\.event_time is the current time \(unix seconds\), unless --time gives one; a file is sent as it is/);
  });

  test('--set: dotted paths, values as JSON when they parse, else strings', async () => {
    const result = await run(['fixture', 'r2', 'financing_created',
      '--set', 'financing.disbursed_amount=5000', '--set', 'event.event_time=1712345678',
      '--set', 'financing.external_merchant_id=007', '--set', 'financing.metadata.order={"id":7}',
      '--set', 'financing.currency="MXN"', '--set', 'financing.requester_email_address=a=b@example.com']);
    assert.equal(result.code, 0, result.stderr);
    const event = parseR2Event(result.stdout);
    assert.equal(event.financing.disbursed_amount, 5000);
    assert.equal(event.event.event_time, 1712345678);
    assert.equal(event.financing.external_merchant_id, '007');
    assert.deepEqual(event.financing.metadata, { order: { id: 7 } });
    assert.equal(event.financing.currency, 'MXN');
    assert.equal(event.financing.requester_email_address, 'a=b@example.com', 'only the first = splits');
    assert.notEqual(dedupKey(event), dedupKey(parseR2Event(JSON.stringify(fixture('r2', 'financing_created')))));
  });

  test('--time, --id, --status (R2): event_time, the object id, financing status; the dedup key follows', async () => {
    const base = parseR2Event(JSON.stringify(fixture('r2', 'financing_paid')));
    const edited = parseR2Event((await run(['fixture', 'r2', 'financing_paid', '--time', '1712345678', '--id', 'fin_42', '--status', 'PAID'])).stdout);
    assert.equal(edited.event.event_time, 1712345678);
    assert.equal(edited.financing.financing_id, 'fin_42');
    assert.equal(edited.financing.status, 'PAID');
    assert.notEqual(dedupKey(edited), dedupKey(base));
    // --id names the event's own object: a collection's collection_id.
    const collection = parseR2Event((await run(['fixture', 'r2', 'collection_returned', '--id', 'col_9'])).stdout);
    assert.equal(collection.collection.collection_id, 'col_9');
    assert.equal(collection.collection.financing_id, fixture('r2', 'collection_returned').collection.financing_id);
    // The same edits give the same event, and so the same key.
    const again = parseR2Event((await run(['fixture', 'r2', 'financing_paid', '--id', 'fin_42', '--status', 'PAID', '--time', '1712345678'])).stdout);
    assert.equal(dedupKey(again), dedupKey(edited));
  });

  test('--id, --status (Belvo): object_id, data.status; --set wins over a shortcut', async () => {
    const hook = parseBelvoWebhook((await run(['fixture', 'belvo', 'CHARGES.STATUS_UPDATE', '--id', 'chg_1', '--status', 'SUCCEEDED'])).stdout);
    assert.equal(hook.object_id, 'chg_1');
    assert.equal(hook.data.status, 'SUCCEEDED');
    const link = parseBelvoWebhook((await run(['fixture', 'belvo', 'LINKS.invalid_credentials', '--id', 'link_1'])).stdout);
    assert.equal(link.link_id, 'link_1', 'aggregation webhooks have a link_id, not an object_id');
    const both = JSON.parse((await run(['fixture', 'belvo', 'CHARGES.STATUS_UPDATE', '--status', 'FAILED', '--set', 'data.status=CANCELED'])).stdout);
    assert.equal(both.data.status, 'CANCELED');
  });
});

describe('sign', () => {
  // Bytes exactly as read: CRLF, a trailing newline and invalid UTF-8 included.
  const bytes = Buffer.concat([Buffer.from('{"event":{"event_type":"x"}}\r\n'), Buffer.from([0xff, 0xfe, 0x0a])]);
  const path = file('sign-body.bin', bytes);

  for (const encoding of [undefined, 'base64-hex', 'base64', 'base64url', 'hex']) {
    test(`equals signR2 for a file and for stdin (${encoding ?? 'default encoding'})`, async () => {
      const expected = signR2(bytes, R2_SECRET, encoding && { encoding });
      const flags = encoding ? ['--encoding', encoding] : [];
      for (const [args, input] of [[[path], undefined], [['-'], bytes], [[], bytes]]) {
        const result = await run(['sign', 'r2', '--secret', R2_SECRET, ...flags, ...args], { input });
        assert.deepEqual(result, { code: 0, stdout: `${expected}\n`, stderr: '' }, `args ${args}`);
      }
    });
  }

  test('--json: header, value, encoding, bytes; the value verifies', async () => {
    const out = json(await run(['sign', 'r2', '--secret', R2_SECRET, '--encoding', 'hex', '--json', path]));
    assert.deepEqual(out, { header: 'Content-Sha256', value: signR2(bytes, R2_SECRET, { encoding: 'hex' }), encoding: 'hex', bytes: bytes.length });
    assert.deepEqual(verifyR2Signature(bytes, out.value, [R2_SECRET]), { secretIndex: 0, encoding: 'hex' });
  });

  test('a fixture piped into sign', async () => {
    const body = (await run(['fixture', 'r2', 'financing_paid'])).stdout;
    const result = await run(['sign', 'r2', '--secret', R2_SECRET], { input: body });
    assert.equal(result.stdout, `${signR2(body, R2_SECRET)}\n`);
  });
});

/** Starts examples/node-http/server.mjs; `url` resolves once it prints its address. */
const startExample = () => startServer(process.execPath, ['examples/node-http/server.mjs'], {
  cwd: here,
  env: { PORT: '0', R2_SECRET, BELVO_AUTHORIZATION },
});

/** A server made here: `answer(req, body, n)` returns [status, body] or null to never answer. */
async function tinyServer(answer) {
  const requests = [];
  const server = createServer(async (req, res) => {
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    const body = Buffer.concat(chunks);
    requests.push({ at: performance.now(), method: req.method, url: req.url, headers: req.headers, body });
    const reply = answer(req, body, requests.length);
    if (reply) res.writeHead(reply[0], { 'content-type': 'text/plain' }).end(reply[1]);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/hook`,
    requests,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); }),
  };
}

describe('send', () => {
  let example;
  let base;
  before(async () => {
    example = startExample();
    base = await example.url;
  });
  after(() => example.child.kill());

  const r2Args = (...more) => ['send', `${base}/webhooks/r2`, 'r2', ...more, '--header', `X-Forwarded-For: ${R2_PROD}`];
  const belvoArgs = (...more) => ['send', `${base}/webhooks/belvo`, 'belvo', ...more, '--header', `X-Forwarded-For: ${BELVO}`];

  test('R2: a signed fixture to the node:http example is delivered (exit 0), text report', async () => {
    const result = await run(r2Args('financing_paid', '--secret', R2_SECRET, '--id', 'fin_send_text'));
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /User-Agent: R2 API/);
    assert.match(result.stdout, /Content-Sha256: \S{88}/);
    assert.match(result.stdout, /attempt 1 {2}200 {2}.* ms {2}R2 API Event Received\n/);
    assert.match(result.stdout, /✓ satisfies R2: status 200, body exactly 'R2 API Event Received'/);
    assert.match(result.stdout, /\n {2}delivered\n$/);
  });

  test('R2 --json: the report shape', async () => {
    // --time pins event_time (to now: inside the example's replay window), so the bytes are known.
    const time = nowSeconds();
    const result = await run(r2Args('financing_paid', '--secret', R2_SECRET, '--encoding', 'hex', '--id', 'fin_send_json', '--time', String(time), '--json'));
    assert.equal(result.code, 0, result.stderr);
    const report = json(result);
    const policy = deliveryPolicy('r2');
    assert.equal(report.command, 'send');
    assert.equal(report.provider, 'r2');
    assert.equal(report.url, `${base}/webhooks/r2`);
    assert.deepEqual(report.source, { fixture: 'financing_paid' });
    const event = freshR2(payhook, 'financing_paid', {}, time * 1000);
    const body = JSON.stringify({ ...event, financing: { ...event.financing, financing_id: 'fin_send_json' } });
    assert.equal(report.bytes, Buffer.byteLength(body));
    assert.deepEqual(report.headers, {
      'User-Agent': 'R2 API', 'Content-Type': 'application/json', 'Content-Sha256': signR2(body, R2_SECRET, { encoding: 'hex' }),
      'X-Forwarded-For': R2_PROD, 'Content-Length': String(Buffer.byteLength(body)),
    });
    assert.deepEqual(report.policy.retryDelaysMs, policy.retryDelaysMs);
    assert.equal(report.timeoutMs, policy.ackWithinMs);
    assert.equal(report.speed, 1);
    assert.deepEqual(report.waitsMs, policy.retryDelaysMs);
    assert.equal(report.delivered, true);
    assert.equal(report.deliveries.length, 1);
    const [attempt] = report.deliveries[0].attempts;
    assert.deepEqual(
      { ...attempt, headers: undefined, elapsedMs: undefined },
      { attempt: 1, waitedMs: 0, status: 200, body: 'R2 API Event Received', headers: undefined, elapsedMs: undefined, error: null, satisfied: true, exactBody: true, reason: "status 200, body exactly 'R2 API Event Received'" },
    );
    assert.equal(typeof attempt.elapsedMs, 'number');
    assert.equal(typeof attempt.headers, 'object');
  });

  test('R2 with a wrong secret: refused, retried on the whole schedule at --speed, exit 1', async () => {
    const result = await run(r2Args('financing_paid', '--secret', 'not-the-secret', '--speed', FAST, '--json'));
    assert.equal(result.code, 1, result.stderr);
    const report = json(result);
    const delays = deliveryPolicy('r2').retryDelaysMs;
    assert.equal(report.delivered, false);
    const { attempts } = report.deliveries[0];
    assert.equal(attempts.length, 1 + delays.length);
    assert.deepEqual(attempts.map((a) => a.waitedMs), [0, ...delays.map((ms) => ms / Number(FAST))]);
    for (const a of attempts) {
      assert.equal(a.status, 401);
      assert.equal(a.satisfied, false);
      assert.match(a.body, /signature_mismatch/);
      assert.equal(a.reason, 'status 401: R2 needs 200');
    }
    const text = await run(r2Args('financing_paid', '--secret', 'not-the-secret', '--speed', FAST));
    assert.equal(text.code, 1);
    assert.match(text.stdout, /waiting 0\.3 ms \(5 min \/ 1000000\)/);
    assert.match(text.stdout, /given up after 7 attempts/);
  });

  test('Belvo with a wrong token: 1 + 3 attempts, exit 1; with the right one: delivered', async () => {
    const wrong = await run(belvoArgs('CHARGES.STATUS_UPDATE', '--authorization', 'Bearer wrong', '--speed', FAST, '--json'));
    assert.equal(wrong.code, 1);
    const { attempts } = json(wrong).deliveries[0];
    assert.equal(attempts.length, 1 + deliveryPolicy('belvo').retryDelaysMs.length);
    assert.ok(attempts.every((a) => a.status === 401 && /authorization_mismatch/.test(a.body)));
    assert.equal(json(wrong).headers.Authorization, 'Bearer ****', 'the token is never printed');

    const right = await run(belvoArgs('CHARGES.STATUS_UPDATE', '--authorization', BELVO_AUTHORIZATION, '--json'));
    assert.equal(right.code, 0, right.stdout);
    assert.deepEqual(json(right).deliveries[0].attempts.map((a) => [a.status, a.satisfied, a.exactBody]), [[200, true, null]]);
  });

  test('R2 from an address not on the list: 403 on every attempt', async () => {
    const result = await run(['send', `${base}/webhooks/r2`, 'r2', 'financing_paid', '--secret', R2_SECRET,
      '--header', 'X-Forwarded-For: 203.0.113.9', '--speed', FAST, '--json']);
    assert.equal(result.code, 1);
    assert.ok(json(result).deliveries[0].attempts.every((a) => a.status === 403 && /ip_not_allowed/.test(a.body)));
  });

  test('--times 3: three deliveries of one event, all acknowledged, handled once', async () => {
    const id = `fin_times_${process.pid}`;
    const time = nowSeconds(); // pinned, so the test knows the event's dedup key
    const result = await run(r2Args('financing_created', '--secret', R2_SECRET, '--id', id, '--time', String(time), '--times', '3', '--json'));
    assert.equal(result.code, 0, result.stdout);
    const report = json(result);
    assert.deepEqual(report.deliveries.map((d) => [d.delivery, d.delivered, d.attempts.length, d.attempts[0].status]), [[1, true, 1, 200], [2, true, 1, 200], [3, true, 1, 200]]);
    const sent = freshR2(payhook, 'financing_created', {}, time * 1000);
    const event = parseR2Event(JSON.stringify({ ...sent, financing: { ...sent.financing, financing_id: id } }));
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(example.lines.filter((line) => line === `handled ${dedupKey(event)}`).length, 1);
  });

  test('a file body is sent byte for byte, signed over those bytes', async () => {
    const bytes = `${JSON.stringify(fixture('r2', 'financing_paid'), null, 4)}\n`;
    const server = await tinyServer(() => [200, 'R2 API Event Received']);
    try {
      const result = await run(['send', server.url, 'r2', file('send-body.json', bytes), '--secret', R2_SECRET, '--encoding', 'base64']);
      assert.equal(result.code, 0, result.stdout);
      const [req] = server.requests;
      assert.equal(req.method, 'POST');
      assert.equal(req.url, '/hook');
      assert.equal(req.body.toString(), bytes);
      assert.equal(req.headers['user-agent'], 'R2 API');
      assert.equal(req.headers['content-type'], 'application/json');
      assert.equal(req.headers['content-length'], String(Buffer.byteLength(bytes)));
      assert.deepEqual(verifyR2Signature(req.body, req.headers['content-sha256'], [R2_SECRET]), { secretIndex: 0, encoding: 'base64' });
      assert.equal(req.headers.authorization, undefined);
    } finally {
      await server.close();
    }
  });

  test('an R2 fixture is sent with event_time now, --time wins, a file is sent as it is', async () => {
    const server = await tinyServer(() => [200, 'R2 API Event Received']);
    try {
      const before = nowSeconds();
      assert.equal((await run(['send', server.url, 'r2', 'financing_paid', '--secret', R2_SECRET])).code, 0);
      const after = nowSeconds();
      assert.equal((await run(['send', server.url, 'r2', 'financing_paid', '--secret', R2_SECRET, '--time', '1712345678'])).code, 0);
      const old = `${JSON.stringify(fixture('r2', 'financing_paid'))}\n`;
      assert.equal((await run(['send', server.url, 'r2', file('send-old.json', old), '--secret', R2_SECRET])).code, 0);
      const [now, pinned, asIs] = server.requests.map((r) => r.body.toString());
      const time = JSON.parse(now).event.event_time;
      assert.ok(Number.isInteger(time) && time >= before && time <= after, `event_time ${time} is now`);
      assert.equal(now, JSON.stringify(freshR2(payhook, 'financing_paid', {}, time * 1000)), 'the fixture, compact, with only event_time changed');
      assert.equal(JSON.parse(pinned).event.event_time, 1712345678);
      assert.equal(asIs, old, 'a file is never stamped');
    } finally {
      await server.close();
    }
  });

  test('a flaky receiver: fails twice, then answers; 3 attempts on the sped-up schedule, delivered', async () => {
    const server = await tinyServer((req, body, n) => (n <= 2 ? [503, 'database down'] : [200, 'R2 API Event Received']));
    try {
      const speed = 10_000;
      const result = await run(['send', server.url, 'r2', 'financing_paid', '--secret', R2_SECRET, '--speed', String(speed), '--json']);
      assert.equal(result.code, 0, result.stdout);
      const { deliveries: [delivery], waitsMs } = json(result);
      assert.deepEqual(delivery.attempts.map((a) => [a.attempt, a.status, a.body, a.satisfied]), [
        [1, 503, 'database down', false], [2, 503, 'database down', false], [3, 200, 'R2 API Event Received', true],
      ]);
      assert.deepEqual(waitsMs.slice(0, 2), [30, 90]);
      assert.equal(delivery.attempts[0].reason, 'status 503: R2 needs 200');
      assert.equal(server.requests.length, 3);
      const gaps = [server.requests[1].at - server.requests[0].at, server.requests[2].at - server.requests[1].at];
      assert.ok(gaps[0] >= 29 && gaps[1] >= 89, `waited ${gaps}`);
      assert.ok(server.requests.every((r) => r.body.equals(server.requests[0].body)), 'each retry sends the same bytes');
    } finally {
      await server.close();
    }
  });

  test('what satisfies R2: exactly 200 and the ack text; the CLI says when it is not exact', async () => {
    const answers = [[200, 'OK'], [200, 'R2 API Event Received\n'], [201, 'R2 API Event Received']];
    const server = await tinyServer((req) => answers[Number(new URL(req.url, 'http://x').searchParams.get('a'))]);
    try {
      const outcome = async (a) => {
        const result = await run(['send', `${server.url}?a=${a}`, 'r2', 'financing_paid', '--speed', FAST, '--json']);
        const { attempts } = json(result).deliveries[0];
        return [result.code, attempts.length, attempts[0].satisfied, attempts[0].exactBody, attempts[0].reason];
      };
      assert.deepEqual(await outcome(0), [1, 7, false, false, "the body lacks 'R2 API Event Received'"]);
      assert.deepEqual(await outcome(1), [0, 1, true, false, "status 200, body contains 'R2 API Event Received' (not exactly)"]);
      assert.deepEqual(await outcome(2), [1, 7, false, true, 'status 201: R2 needs 200']);
    } finally {
      await server.close();
    }
  });

  test('what satisfies Belvo: any 2xx', async () => {
    const server = await tinyServer(() => [204, '']);
    try {
      const result = await run(['send', server.url, 'belvo', 'CHARGES.STATUS_UPDATE', '--json']);
      assert.equal(result.code, 0);
      assert.equal(json(result).deliveries[0].attempts[0].status, 204);
      assert.equal(server.requests[0].headers['user-agent'], undefined, 'Belvo documents no User-Agent');
    } finally {
      await server.close();
    }
  });

  test('no answer in time is a failed attempt; so is a refused connection', async () => {
    const server = await tinyServer(() => null);
    try {
      const result = await run(['send', server.url, 'belvo', 'CHARGES.STATUS_UPDATE', '--timeout', '150', '--speed', FAST, '--json']);
      assert.equal(result.code, 1);
      const { attempts } = json(result).deliveries[0];
      assert.equal(attempts.length, 4);
      assert.ok(attempts.every((a) => a.error === 'timeout' && a.status === null && a.reason === 'no answer within 150 ms'));
    } finally {
      await server.close();
    }
    const closed = await tinyServer(() => null);
    const { url } = closed;
    await closed.close();
    const refused = await run(['send', url, 'belvo', 'CHARGES.STATUS_UPDATE', '--speed', FAST, '--json']);
    assert.equal(refused.code, 1);
    assert.ok(json(refused).deliveries[0].attempts.every((a) => a.error === 'ECONNREFUSED'));
  });

  test("--header replaces a provider header, and 'Name:' removes one", async () => {
    const server = await tinyServer(() => [200, 'R2 API Event Received']);
    try {
      await run(['send', server.url, 'r2', 'financing_paid', '--secret', R2_SECRET,
        '--header', 'content-sha256: forged', '--header', 'User-Agent:', '--header', 'X-Extra: 1']);
      const [req] = server.requests;
      assert.equal(req.headers['content-sha256'], 'forged');
      assert.equal(req.headers['user-agent'], undefined);
      assert.equal(req.headers['x-extra'], '1');
    } finally {
      await server.close();
    }
  });
});

// ---------------------------------------------------------------------------------------------
// verify: needs inspectDelivery and parseCapture in the package.


describe('verify', () => {
  // Sent now: a receiver refuses the bundled fixture's 2012 event_time as event_stale.
  const body = JSON.stringify(freshR2(payhook, 'financing_created'));
  const tampered = body.replace('12200', '92200');
  const signature = signR2(body, R2_SECRET);
  const raw = (b, sig = signature) => [
    'POST /webhooks/r2 HTTP/1.1', 'Host: example.com', 'User-Agent: R2 API', 'Content-Type: application/json',
    `Content-Sha256: ${sig}`, `Content-Length: ${Buffer.byteLength(b)}`, '', b,
  ].join('\r\n');
  const curl = (b, sig = signature) => `curl -X POST 'https://example.com/webhooks/r2' \\\n  -H 'User-Agent: R2 API' \\\n  -H 'Content-Type: application/json' \\\n  -H 'Content-Sha256: ${sig}' \\\n  --data-raw '${b}'\n`;
  const checks = ['--secret', R2_SECRET, '--allowlist', 'r2', '--peer', R2_PROD];

  for (const [form, make] of [['raw HTTP', raw], ['curl', curl]]) {
    test(`${form}: a valid capture is accepted (exit 0), text and --json`, async () => {
      const path = file(`valid-${form}.txt`, make(body));
      const text = await run(['verify', 'r2', '--capture', path, ...checks]);
      assert.equal(text.code, 0, text.stdout + text.stderr);
      assert.match(text.stdout, /✓ address/);
      assert.match(text.stdout, /✓ signature/);
      assert.match(text.stdout, /✓ payload/);
      assert.match(text.stdout, /✓ freshness +event_time within the replay window/);
      assert.match(text.stdout, /r2:financing_created:/);
      assert.match(text.stdout, /R2 API Event Received/);
      assert.match(text.stdout, /\naccepted/);

      const report = json(await run(['verify', 'r2', '--capture', path, ...checks, '--json']));
      assert.equal(report.verdict, 'accepted');
      assert.equal(report.error, null);
      assert.equal(report.capture.format, form === 'curl' ? 'curl' : 'http');
      assert.equal(report.dedupKey, dedupKey(parseR2Event(body)));
      assert.equal(report.response.status, 200);
      assert.equal(report.response.body, 'R2 API Event Received');
      assert.equal(report.checks.authenticity.ok, true);
      assert.equal(report.checks.payload.ok, true);
      assert.deepEqual(report.checks.freshness, { checked: true, ok: true });
    });

    test(`${form}: a tampered capture is refused (exit 1) with signature_mismatch`, async () => {
      const path = file(`tampered-${form}.txt`, make(tampered));
      const text = await run(['verify', 'r2', '--capture', path, ...checks]);
      assert.equal(text.code, 1, text.stdout + text.stderr);
      assert.match(text.stdout, /✗ signature .*signature_mismatch/);
      assert.match(text.stdout, /\nrefused: signature_mismatch \(401\)/);
      const report = json(await run(['verify', 'r2', '--capture', path, ...checks, '--json']));
      assert.equal(report.verdict, 'refused');
      assert.equal(report.error.code, 'signature_mismatch');
      assert.equal(report.response.status, 401);
      assert.equal(report.checks.authenticity.ok, false);
      assert.equal(report.checks.payload.ok, true, 'every check runs: the payload is still parsed');
    });
  }

  test('a stale capture (the bundled fixture, sent in 2012): refused as event_stale, answered 200, exit 1', async () => {
    const old = JSON.stringify(fixture('r2', 'financing_created'));
    const path = file('stale.txt', raw(old, signR2(old, R2_SECRET)));
    const report = json(await run(['verify', 'r2', '--capture', path, ...checks, '--json']));
    assert.equal(report.verdict, 'refused');
    assert.deepEqual([report.error.code, report.error.status], ['event_stale', 200]);
    assert.deepEqual([report.checks.address.ok, report.checks.authenticity.ok, report.checks.payload.ok], [true, true, true]);
    assert.deepEqual([report.checks.freshness.checked, report.checks.freshness.ok, report.checks.freshness.code], [true, false, 'event_stale']);
    assert.deepEqual([report.response.status, report.response.body], [200, 'R2 API Event Received'], 'acknowledged, so R2 stops retrying');
    const text = await run(['verify', 'r2', '--capture', path, ...checks]);
    assert.equal(text.code, 1, text.stdout + text.stderr);
    assert.match(text.stdout, /✓ signature/);
    assert.match(text.stdout, /✗ freshness +event_stale: /);
    assert.match(text.stdout, /\nrefused: event_stale \(200\)/);
  });

  test('every check runs: a wrong address and an invalid payload are both reported', async () => {
    const bad = JSON.stringify({ financing: fixture('r2', 'financing_created').financing });
    const path = file('bad.txt', raw(bad, signR2(bad, R2_SECRET)));
    const report = json(await run(['verify', 'r2', '--capture', path, '--secret', R2_SECRET, '--allowlist', 'r2', '--peer', '203.0.113.5', '--json']));
    assert.equal(report.verdict, 'refused');
    assert.equal(report.checks.address.ok, false);
    assert.equal(report.checks.authenticity.ok, true);
    assert.equal(report.checks.payload.ok, false);
    assert.ok(report.checks.payload.issues.some((i) => i.path === '/event'));
    const text = await run(['verify', 'r2', '--capture', path, '--secret', R2_SECRET, '--allowlist', 'r2', '--peer', '203.0.113.5']);
    assert.equal(text.code, 1);
    assert.match(text.stdout, /✗ address/);
    assert.match(text.stdout, /\n {4}\/event /);
    assert.match(text.stdout, /– freshness +not checked/, 'no event_time to check');
  });

  test('--body with --header, Belvo, stdin', async () => {
    const hook = JSON.stringify(fixture('belvo', 'PAYMENT_INTENTS.STATUS_UPDATE'));
    const args = (sent) => ['verify', 'belvo', '--body', '-', '--header', `Authorization: ${sent}`, '--authorization', BELVO_AUTHORIZATION];
    const ok = await run(args(BELVO_AUTHORIZATION), { input: hook });
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    assert.match(ok.stdout, /✓ authorization +valid: bearer, accepted value #0/);
    assert.doesNotMatch(ok.stdout, /freshness/, 'Belvo sends no time: no freshness row');
    const wrong = await run(args('Bearer nope'), { input: hook });
    assert.equal(wrong.code, 1, wrong.stdout);
    assert.match(wrong.stdout, /authorization_mismatch/);
  });

  test('Belvo curl with -u user:pass (Basic), behind a trusted proxy', async () => {
    const hook = JSON.stringify(fixture('belvo', 'CHARGES.STATUS_UPDATE'));
    const command = `curl https://example.com/webhooks/belvo -u 'belvo:s3cr3t' -H 'X-Forwarded-For: ${BELVO}' -H $'Content-Type: application/json' --data-binary '${hook}'`;
    const path = file('belvo-curl.txt', command);
    const accepted = ['belvo:s3cr3t', 'other:pw'].map((up) => `Basic ${Buffer.from(up).toString('base64')}`);
    const args = ['verify', 'belvo', '--capture', path, '--authorization', accepted[1], '--authorization', accepted[0],
      '--allowlist', 'belvo', '--trust', 'proxies:127.0.0.1,::1', '--peer', '127.0.0.1'];
    const ok = await run([...args, '--json']);
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    const report = json(ok);
    assert.deepEqual([report.checks.address.ip, report.checks.address.source], [BELVO, 'x-forwarded-for']);
    assert.deepEqual([report.checks.authenticity.scheme, report.checks.authenticity.acceptedIndex], ['basic', 1]);
    const text = await run(args);
    assert.match(text.stdout, /^curl command: POST https:\/\/example.com\/webhooks\/belvo/);
    assert.match(text.stdout, /✓ address +3\.130\.254\.46 \(from x-forwarded-for\) is on the allowlist/);
    // The same capture from an address not on Belvo's list.
    // The same capture straight from another host: that peer is no trusted proxy, so it is
    // the client, whatever X-Forwarded-For says.
    const direct = await run([...args.slice(0, -1), '203.0.113.7', '--json']);
    assert.equal(direct.code, 1);
    assert.deepEqual([json(direct).checks.address.ip, json(direct).error.code], ['203.0.113.7', 'ip_not_allowed']);
  });

  test('a malformed capture: error capture_malformed, exit 2', async () => {
    const result = await run(['verify', 'r2', '--capture', file('garbage.txt', 'this is not a request'), '--secret', R2_SECRET]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /^error capture_malformed: /);
  });
});

describe('credentials in the output', () => {
  const PASSWORD = 'cli-url-password';
  test('send never prints a password given in the URL (Node sends it as Basic authorization)', async () => {
    // Port 9 on loopback: nothing listens, every attempt is refused at once.
    const url = `http://alice:${PASSWORD}@127.0.0.1:9/webhooks/belvo`;
    for (const extra of [[], ['--json']]) {
      const result = await run(['send', url, 'belvo', 'LINKS.token_required', '--speed', FAST, '--timeout', '500', ...extra]);
      assert.equal(result.code, 1, result.stderr);
      assert.doesNotMatch(result.stdout + result.stderr, new RegExp(PASSWORD));
      assert.match(result.stdout, /http:\/\/\*\*\*\*@127\.0\.0\.1:9\/webhooks\/belvo/);
    }
  });

  test('an option given before the command is named, its value never echoed', async () => {
    // parse() names `--secrte` alone for `--secrte=…`; before the command it was echoed whole.
    assertUsage(await run([`--secret=${PASSWORD}`, 'sign', 'r2']), /unknown option --secret \(/);
  });

  test("verify never prints a password in a capture's URL", async () => {
    const capture = file('credentials.curl', `curl -X POST 'https://alice:${PASSWORD}@example.com/webhooks/belvo' -d '{}'`);
    for (const extra of [[], ['--json']]) {
      const result = await run(['verify', 'belvo', '--capture', capture, '--authorization', BELVO_AUTHORIZATION, ...extra]);
      assert.equal(result.code, 1, result.stderr);
      assert.doesNotMatch(result.stdout + result.stderr, new RegExp(PASSWORD));
      assert.match(result.stdout, /https:\/\/\*\*\*\*@example\.com\/webhooks\/belvo/);
    }
  });
});

describe('input too long to read', () => {
  test('a capture over the longest string V8 makes is input that could not be read (exit 2), never an uncaught error', async () => {
    // Sparse, 512 MiB: read whole (as any capture is), then decoding it threw
    // ERR_STRING_TOO_LONG uncaught: exit 1 ("refused") and a stack trace.
    const path = join(scratch, 'huge-capture.txt');
    const { truncateSync } = await import('node:fs');
    writeFileSync(path, '');
    truncateSync(path, 0x1fffffe8 + 1);
    try {
      const result = await run(['verify', 'r2', '--capture', path, '--secret', R2_SECRET], { timeoutMs: 120_000 });
      assert.equal(result.code, 2, result.stderr);
      assert.equal(result.stdout, '');
      assert.match(result.stderr, /^payhook: cannot read .*huge-capture\.txt as text: ERR_STRING_TOO_LONG\n$/);
    } finally {
      rmSync(path);
    }
  });
});
