// The validator page (examples/validator) in Chromium, and its JSON Pointer -> range mapper in
// Node. Run from a scratch project laid out as
//   <scratch>/js-tests/validator.test.mjs, <scratch>/examples/validator/…,
//   <scratch>/node_modules/payhook/… (the packed package), <scratch>/vectors/…
// with PAYHOOK_TOOLS naming a directory whose node_modules holds playwright-core:
//   PAYHOOK_TOOLS=/path/to/tools node --test js-tests/validator.test.mjs
// Screenshots go to <scratch>/screenshots/validator-*.png, and are copied to
// $PAYHOOK_SCREENSHOTS when it is set. CHROMIUM overrides /usr/bin/chromium.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, cpSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { launchChromium, serveStatic } from './lib/chromium.mjs';
import { tools } from './runners/tools.mjs';
import { freshR2 } from './suites/helpers.mjs';

const scratch = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const pageDir = join(scratch, 'examples', 'validator');
const pointer = await import(pathToFileURL(join(pageDir, 'pointer.js')).href);
const entry = (file) => import(pathToFileURL(join(scratch, 'node_modules', 'payhook', file)).href);
// The package's API and payhook/tools' (fixtures, inspection, captures) as one.
const payhook = { ...(await entry('node.js')), ...(await entry('tools-node.js')) };

// ---------------------------------------------------------------------------------------------
// The mapper, in Node (it is a plain module: no DOM)

const at = (text, range) => (range ? text.slice(range.start, range.end) : undefined);

describe('pointer -> range mapper', () => {
  const text = `{
  "event": {"event_type": "financing_paid", "event_time": 1715024078},
  "financing": {
    "financing_id": "fa5c",
    "disbursed_amount": "12200",
    "metadata": {"a/b": [true, null, {"m~n": -1.5e3}], "": "empty key"},
    "tags": ["x", "y\\"z"]
  }
}`;

  test('parses pointers with escapes, and refuses what is not one', () => {
    assert.deepEqual(pointer.parsePointer(''), []);
    assert.deepEqual(pointer.parsePointer('/a~1b/m~0n/0'), ['a/b', 'm~n', '0']);
    assert.deepEqual(pointer.parsePointer('/'), ['']);
    assert.equal(pointer.parsePointer('a/b'), null);
    assert.equal(pointer.parsePointer('/a~2'), null);
    assert.equal(pointer.parsePointer(undefined), null);
  });

  test('maps each pointer to the exact text of its value', () => {
    const cases = {
      '': text,
      '/event/event_type': '"financing_paid"',
      '/event/event_time': '1715024078',
      '/financing/disbursed_amount': '"12200"',
      '/financing/metadata/a~1b': '[true, null, {"m~n": -1.5e3}]',
      '/financing/metadata/a~1b/0': 'true',
      '/financing/metadata/a~1b/1': 'null',
      '/financing/metadata/a~1b/2/m~0n': '-1.5e3',
      '/financing/metadata/': '"empty key"',
      '/financing/tags/1': '"y\\"z"',
    };
    for (const [path, expected] of Object.entries(cases)) {
      const where = pointer.locatePointer(text, path);
      assert.equal(where?.found, true, path);
      assert.equal(at(text, where), expected, path);
    }
    const member = pointer.locatePointer(text, '/financing/financing_id');
    assert.equal(text.slice(member.keyStart, member.keyEnd), '"financing_id"');
  });

  test('a missing member or index resolves to its nearest ancestor', () => {
    const missing = pointer.locatePointer(text, '/financing/status');
    assert.equal(missing.found, false);
    assert.equal(missing.resolved, 1);
    assert.equal(text.slice(missing.keyStart, missing.keyEnd), '"financing"');
    const past = pointer.locatePointer(text, '/financing/tags/2');
    assert.equal(past.found, false);
    assert.equal(at(text, past), '["x", "y\\"z"]');
    assert.equal(pointer.locatePointer(text, '/financing/tags/01').found, false, 'no leading zeros');
    assert.equal(pointer.locatePointer(text, '/event/event_type/x').found, false, 'into a string');
  });

  test('duplicate keys: the last is the value, every occurrence is listed', () => {
    const dup = '{"a": 1, "b": {"id": "first", "id": "second"}, "a": [2]}';
    const a = pointer.locatePointer(dup, '/a');
    assert.equal(at(dup, a), '[2]');
    assert.equal(a.occurrences.length, 2);
    assert.equal(at(dup, pointer.locatePointer(dup, '/b/id')), '"second"');
    const ranges = pointer.issueRanges(dup, { path: '/b/id', code: 'duplicate_key', message: 'this key appears more than once' });
    assert.deepEqual(ranges.map((r) => at(dup, r)), ['"id": "second"']);
  });

  test('invalid JSON never throws, and keeps what came before the break', () => {
    const broken = '{"a": {"b": [1, 2, "three"], "c": tru';
    const { root, error } = pointer.scanJson(broken);
    assert.equal(root.complete, false);
    assert.ok(error.offset > 0);
    assert.equal(at(broken, pointer.locatePointer(broken, '/a/b/2')), '"three"');
    assert.equal(pointer.locatePointer(broken, '/a/c').found, false);
    for (const bad of ['', '   ', '{', '[', '"', '{"a"', '{"a":', '{"a" 1}', '}', 'nul', '{"x": "a\nb"}', '\ufeff{"a":1}', '{"a":1} trailing', '[1,]', '{,}', '\\', '{"a\\', '-', '01']) {
      assert.doesNotThrow(() => pointer.locatePointer(bad, '/a'), JSON.stringify(bad));
      assert.doesNotThrow(() => pointer.issueRanges(bad, { path: '/a/b', code: 'missing', message: '' }), JSON.stringify(bad));
      assert.doesNotThrow(() => pointer.issueRanges(bad, { path: '', code: 'syntax', message: 'x at line 1 column 3' }), JSON.stringify(bad));
    }
    assert.equal(pointer.locatePointer('', '/a'), null);
    assert.equal(at('\ufeff{"a":1}', pointer.locatePointer('\ufeff{"a":1}', '/a')), '1');
  });

  test('deep nesting is cut off instead of overflowing the stack', () => {
    const deep = '['.repeat(200_000) + ']'.repeat(200_000);
    assert.doesNotThrow(() => pointer.locatePointer(deep, '/0/0/0'));
    assert.equal(at(deep, pointer.locatePointer(deep, '/0/0')).startsWith('['), true);
  });

  test('syntax errors map serde_json line/column (UTF-8 bytes) to a character', () => {
    const body = '{"a":\n "é€😀" x}';
    const result = payhook.inspectDelivery({ provider: 'r2', body });
    const issue = result.checks.payload.issues[0];
    assert.equal(issue.code, 'syntax');
    const [range] = pointer.issueRanges(body, issue);
    assert.equal(at(body, range), 'x');
  });

  test('every issue payhook reports for the invalid-payload vectors maps to a range', () => {
    const vectors = JSON.parse(readFileSync(join(scratch, 'vectors', 'payloads_invalid.json'), 'utf8'));
    let exact = 0;
    let checked = 0;
    for (const c of vectors.cases) {
      // Raw text as given, or the JSON value pretty-printed (as the page's fixture menu does).
      const body = typeof c.body === 'string' ? c.body : c.json !== undefined ? JSON.stringify(c.json, null, 2) : undefined;
      const provider = c.provider;
      if (body === undefined || !['r2', 'belvo'].includes(provider)) continue;
      let result;
      try {
        result = payhook.inspectDelivery({ provider, body, strict: Boolean(c.strict) });
      } catch {
        continue;
      }
      for (const issue of result.checks.payload.issues ?? []) {
        checked++;
        const ranges = pointer.issueRanges(body, issue);
        for (const r of ranges) assert.ok(r.start >= 0 && r.end <= body.length && r.start < r.end, `${c.name ?? ''} ${issue.path}`);
        if (issue.path && issue.code !== 'missing' && body.trim().startsWith('{')) {
          const where = pointer.locatePointer(body, issue.path);
          if (where?.found) {
            exact++;
            // The text at the range is the value JSON.parse sees there (when the body parses).
            let parsed;
            try { parsed = JSON.parse(body); } catch { parsed = undefined; }
            if (parsed !== undefined && issue.code !== 'duplicate_key') {
              const value = pointer.parsePointer(issue.path).reduce((v, k) => v?.[k], parsed);
              assert.deepEqual(JSON.parse(at(body, where)), value, `${c.name ?? ''} ${issue.path}`);
            }
          }
        }
      }
    }
    assert.ok(checked > 10, `only ${checked} issues in the vectors`);
    assert.ok(exact > 5, `only ${exact} exact ranges`);
  });

  test('segments split overlapping ranges without losing text', () => {
    const parts = pointer.segment('abcdefgh', [{ start: 1, end: 5, id: 0 }, { start: 3, end: 7, id: 1 }, { start: 9, end: 12, id: 2 }]);
    assert.equal(parts.map((p) => 'abcdefgh'.slice(p.start, p.end)).join(''), 'abcdefgh');
    assert.deepEqual(parts.map((p) => p.ids), [[], [0], [0, 1], [1], []]);
  });
});

// ---------------------------------------------------------------------------------------------
// The page, in Chromium

const shots = join(scratch, 'screenshots');
const SECRET = 'whsec-r2-7c1e5b0a';
const OLD_SECRET = 'whsec-r2-old-4410';

describe('validator page in Chromium', () => {
  let browser;
  let server;
  let origin;
  let page;
  const requests = [];
  const problems = [];

  before(async () => {
    rmSync(shots, { recursive: true, force: true });
    mkdirSync(shots, { recursive: true });
    server = await serveStatic(scratch);
    origin = `http://127.0.0.1:${server.address().port}`;
    browser = await launchChromium(tools()('playwright-core'));
    page = await openPage({ width: 1280, height: 900 });
  });

  after(async () => {
    await browser?.close();
    server?.close();
    if (process.env.PAYHOOK_SCREENSHOTS) {
      mkdirSync(process.env.PAYHOOK_SCREENSHOTS, { recursive: true });
      for (const file of readdirSync(shots)) copyFileSync(join(shots, file), join(process.env.PAYHOOK_SCREENSHOTS, file));
    }
  });

  async function openPage(viewport, url = `${origin}/examples/validator/index.html`, log = requests) {
    const p = await browser.newPage({ viewport });
    p.on('request', (request) => log.push(request.url()));
    p.on('pageerror', (error) => problems.push(`page error: ${error.stack ?? error}`));
    p.on('console', (message) => {
      if (['error', 'warning'].includes(message.type())) problems.push(`console ${message.type()}: ${message.text()}`);
    });
    p.on('response', (response) => {
      if (response.status() >= 400) problems.push(`HTTP ${response.status()} for ${response.url()}`);
    });
    p.on('requestfailed', (request) => problems.push(`request failed: ${request.url()} ${request.failure()?.errorText}`));
    await p.goto(url);
    await p.waitForFunction(() => document.documentElement.dataset.ready === 'true' || document.querySelector('.fatal'), null, { timeout: 60_000 });
    const fatal = await p.$eval('#live', (el) => el.querySelector('.fatal')?.textContent ?? null);
    assert.equal(fatal, null, `the page did not start: ${fatal}`);
    return p;
  }

  const settle = (p = page) => p.waitForFunction(() => document.getElementById('live').dataset.pending === 'false');

  async function fill(selector, value, p = page) {
    await p.fill(selector, value);
    await settle(p);
  }

  async function reset(provider = 'r2', p = page) {
    await p.click('#clear');
    await p.check(`#provider-${provider}`);
    await settle(p);
  }

  async function loadFixture(name, p = page) {
    await p.selectOption('#fixture', name);
    await p.click('#load-fixture');
    await settle(p);
  }

  /** What the page shows, read from the DOM. */
  const read = (p = page) => p.evaluate(() => {
    const check = (id) => {
      const el = document.getElementById(id);
      return el && { state: el.dataset.state, code: el.dataset.code ?? null, text: el.textContent.replace(/\s+/g, ' ').trim(), facts: [...el.querySelectorAll('.fact')].map((f) => f.textContent.trim()) };
    };
    const verdict = document.getElementById('verdict');
    return {
      verdict: verdict?.dataset.verdict,
      status: verdict?.dataset.status ? Number(verdict.dataset.status) : null,
      code: verdict?.dataset.code ?? null,
      address: check('check-address'),
      authenticity: check('check-authenticity'),
      payload: check('check-payload'),
      freshness: check('check-freshness'),
      summary: document.getElementById('summary')?.textContent ?? null,
      dedupKey: document.getElementById('dedup-key')?.textContent ?? null,
      response: document.getElementById('response')?.textContent ?? null,
      issues: [...document.querySelectorAll('#issues .issue')].map((li) => ({
        path: li.dataset.path,
        code: li.dataset.code,
        shown: li.querySelector('.path').textContent,
        highlighted: [...document.querySelectorAll('#body-backdrop mark')]
          .filter((m) => m.dataset.issue.split(' ').includes(li.dataset.issue))
          .map((m) => m.textContent).join(''),
        missingMark: [...document.querySelectorAll('#body-backdrop mark.missing')].some((m) => m.dataset.issue.split(' ').includes(li.dataset.issue)),
      })),
      setup: [...document.querySelectorAll('#setup li')].map((li) => li.dataset.code),
      backdropMatchesBody: document.getElementById('body-backdrop').textContent.replace(/\u200b$/, '') === document.getElementById('body').value,
    };
  });

  /** The same delivery through the package in Node: what the page must show. */
  const expected = (input) => payhook.inspectDelivery(input);

  test('loads only its own files, and is labelled and live', async () => {
    const own = [`${origin}/examples/validator/`, `${origin}/node_modules/payhook/`];
    const foreign = requests.filter((url) => !own.some((prefix) => url.startsWith(prefix)));
    assert.deepEqual(foreign, [], 'requests outside the page’s own files');
    assert.ok(requests.some((url) => url.endsWith('/payhook_bg.wasm')), 'the package fetched its wasm');
    const a11y = await page.evaluate(() => ({
      live: document.getElementById('live').getAttribute('aria-live'),
      unlabelled: [...document.querySelectorAll('input, select, textarea')]
        .filter((el) => el.type !== 'hidden' && el.labels.length === 0 && !el.getAttribute('aria-label'))
        .map((el) => el.id || el.name),
      lang: document.documentElement.lang,
    }));
    assert.equal(a11y.live, 'polite');
    assert.deepEqual(a11y.unlabelled, []);
    assert.equal(a11y.lang, 'en');
    const r = await read();
    assert.equal(r.verdict, 'empty');
    await screenshots('empty');
  });

  test('keyboard: Tab reaches the provider, the capture box and the fixture menu in order, with a visible focus', async () => {
    await page.evaluate(() => document.activeElement?.blur());
    const order = [];
    for (let i = 0; i < 5; i++) {
      await page.keyboard.press('Tab');
      order.push(await page.evaluate(() => {
        const el = document.activeElement;
        const style = getComputedStyle(el.matches('.segmented input') ? el.nextElementSibling : el);
        return { id: el.id || el.className, outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2 };
      }));
    }
    assert.deepEqual(order.map((o) => o.id), ['skip', 'provider-r2', 'capture', 'fixture', 'load-fixture']);
    assert.ok(order.every((o) => o.outline), JSON.stringify(order));
  });

  test('R2: a fixture signed with the Sign button is accepted, with encoding, secret, dedup key and response', async () => {
    await reset('r2');
    await loadFixture('financing_paid');
    await fill('#secrets', SECRET);
    await page.selectOption('#encoding', 'hex');
    await page.click('#sign');
    await settle();
    await page.selectOption('#allowlist', 'r2');
    await fill('#peer', '54.215.38.39');
    const body = await page.inputValue('#body');
    // The fixture as sent now: only event_time differs from the bundled one (2024).
    const time = JSON.parse(body).event.event_time;
    assert.ok(Number.isInteger(time) && Math.abs(Date.now() / 1000 - time) < 120, `event_time ${time} is now`);
    assert.equal(body, JSON.stringify(freshR2(payhook, 'financing_paid', {}, time * 1000), null, 2));
    const headers = await page.inputValue('#headers');
    assert.equal(headers, `Content-Sha256: ${payhook.signR2(body, SECRET, { encoding: 'hex' })}`);
    const want = expected({ provider: 'r2', body, headers: { 'content-sha256': payhook.signR2(body, SECRET, { encoding: 'hex' }) }, secrets: [SECRET], peer: '54.215.38.39', allowlist: payhook.R2_ALLOWLIST });
    assert.equal(want.verdict, 'accepted');
    let r = await read();
    assert.equal(r.verdict, 'accepted');
    assert.equal(r.status, 200);
    assert.equal(r.address.state, 'ok');
    assert.match(r.address.text, /54\.215\.38\.39, read from the socket peer, is on the allowlist/);
    assert.equal(r.authenticity.state, 'ok');
    assert.deepEqual(r.authenticity.facts, ['encoding hex', 'secret #1']);
    assert.equal(r.payload.state, 'ok');
    assert.match(r.payload.text, /A documented financing_paid payload\.$/);
    assert.equal(r.freshness.state, 'ok');
    assert.equal(r.freshness.facts[0], `event_time ${new Date(time * 1000).toISOString().replace('.000Z', 'Z')}`);
    assert.equal(r.summary, want.checks.payload.summary);
    assert.equal(r.dedupKey, want.dedupKey);
    assert.match(r.dedupKey, /^r2:financing_paid:/);
    assert.equal(r.response, 'HTTP/1.1 200 OK\ncontent-type: text/plain; charset=utf-8\n\nR2 API Event Received');
    assert.ok(r.backdropMatchesBody);

    // A rotation: the signing secret is now the second line.
    await fill('#secrets', `${OLD_SECRET}\n\n${SECRET}`);
    r = await read();
    assert.equal(r.verdict, 'accepted');
    assert.deepEqual(r.authenticity.facts, ['encoding hex', 'secret #2']);
    assert.match(r.authenticity.text, /Matches secret #2 \(line 3\), encoded as hex/);

    // Each encoding the Sign button offers verifies, and is named.
    for (const [encoding, label] of [['base64-hex', 'base64 of hex'], ['base64', 'base64'], ['base64url', 'base64url']]) {
      await fill('#secrets', SECRET);
      await page.selectOption('#encoding', encoding);
      await page.click('#sign');
      await settle();
      r = await read();
      assert.equal(r.verdict, 'accepted', encoding);
      // The body carries the time it was loaded, so its signature varies: an unpadded
      // base64url value with neither '-' nor '_' (about 1 in 4) is plain base64 as well, and
      // is named so.
      const value = (await page.inputValue('#headers')).replace(/^Content-Sha256: /, '');
      const named = encoding === 'base64url' && !/[-_]/.test(value) ? 'base64' : label;
      assert.deepEqual(r.authenticity.facts, [`encoding ${named}`, 'secret #1'], `${encoding}: ${value}`);
      assert.equal((await page.inputValue('#headers')).split('\n').length, 1, 'signing replaces the header');
    }
    await screenshots('accepted');
  });

  test('R2: a tampered body is refused with signature_mismatch (401), the payload still valid', async () => {
    const body = await page.inputValue('#body');
    await fill('#body', body.replace('"disbursed_amount": 12200', '"disbursed_amount": 12201'));
    const r = await read();
    assert.equal(r.verdict, 'refused');
    assert.equal(r.status, 401);
    assert.equal(r.code, 'signature_mismatch');
    assert.equal(r.authenticity.state, 'fail');
    assert.equal(r.authenticity.code, 'signature_mismatch');
    assert.equal(r.address.state, 'ok');
    assert.equal(r.payload.state, 'ok');
    assert.match(r.response, /^HTTP\/1\.1 401 Unauthorized\ncontent-type: application\/json\n\n/);
    assert.equal(JSON.parse(r.response.split('\n\n')[1]).error, 'signature_mismatch');
    await fill('#body', body);
    assert.equal((await read()).verdict, 'accepted');
  });

  test('R2: a wrong secret is refused with signature_mismatch; no secret at all is named', async () => {
    await fill('#secrets', 'not-the-secret');
    let r = await read();
    assert.equal(r.verdict, 'refused');
    assert.equal(r.code, 'signature_mismatch');
    await fill('#secrets', '');
    r = await read();
    assert.equal(r.authenticity.code, 'secret_invalid');
    assert.match(r.authenticity.text, /Enter the jwtSecret/);
  });

  test('R2: a pasted curl command fills the body and headers, and verifies', async () => {
    await reset('r2');
    const body = JSON.stringify(freshR2(payhook, 'collection_created'));
    const sig = payhook.signR2(body, SECRET, { encoding: 'base64' });
    const curl = `curl -X POST 'https://merchant.example/webhooks/r2' \\\n  -H 'Content-Type: application/json' \\\n  -H 'Content-Sha256: ${sig}' \\\n  --data-raw '${body}'`;
    await fill('#secrets', `${OLD_SECRET}\n${SECRET}`);
    await fill('#capture', curl);
    assert.equal(await page.inputValue('#body'), body);
    assert.match(await page.inputValue('#headers'), new RegExp(`^Content-Sha256: ${sig.replace(/[+/=]/g, '\\$&')}$`, 'm'));
    assert.match(await page.textContent('#capture-status'), /Read a curl command \(POST https:\/\/merchant\.example\/webhooks\/r2\)/);
    const r = await read();
    const want = expected({ provider: 'r2', body, headers: { 'content-sha256': sig }, secrets: [OLD_SECRET, SECRET] });
    assert.equal(r.verdict, 'accepted');
    assert.deepEqual(r.authenticity.facts, ['encoding base64', 'secret #2']);
    assert.equal(r.dedupKey, want.dedupKey);
    assert.equal(r.address.state, 'skip');

    await fill('#capture', 'curl https://x.example -H \'unterminated');
    assert.match(await page.textContent('#capture-status'), /capture_malformed/);
  });

  test('R2: a pasted raw HTTP request from an address off the allowlist is refused with 403', async () => {
    await reset('r2');
    const body = JSON.stringify(freshR2(payhook, 'financing_created'), null, 2);
    const sig = payhook.signR2(body, SECRET);
    const raw = `POST /webhooks/r2 HTTP/1.1\nHost: merchant.example\nContent-Type: application/json\nCF-Connecting-IP: 203.0.113.9\nContent-Sha256: ${sig}\nContent-Length: ${Buffer.byteLength(body)}\n\n${body}`;
    await fill('#secrets', SECRET);
    await page.selectOption('#allowlist', 'r2');
    await page.selectOption('#trust', 'cloudflare');
    await fill('#capture', raw);
    assert.match(await page.textContent('#capture-status'), /Read a raw HTTP request \(POST \/webhooks\/r2\)/);
    const r = await read();
    const want = expected({ provider: 'r2', body, headers: { 'content-sha256': sig, 'cf-connecting-ip': '203.0.113.9' }, secrets: [SECRET], trust: 'cloudflare', allowlist: payhook.R2_ALLOWLIST });
    assert.equal(want.error.code, 'ip_not_allowed');
    assert.equal(r.verdict, 'refused');
    assert.equal(r.status, 403);
    assert.equal(r.code, 'ip_not_allowed');
    assert.equal(r.address.state, 'fail');
    assert.deepEqual(r.address.facts, ['address 203.0.113.9', 'from CF-Connecting-IP']);
    assert.equal(r.authenticity.state, 'ok', 'every check runs: the signature is still reported valid');
    assert.equal(r.payload.state, 'ok');
    assert.match(r.response, /^HTTP\/1\.1 403 Forbidden/);

    // The same request behind a trusted proxy from R2's own address is accepted.
    await page.selectOption('#trust', 'proxies');
    await fill('#proxies', '10.0.0.0/8');
    await fill('#peer', '10.1.2.3');
    await fill('#headers', `${await page.inputValue('#headers')}\nX-Forwarded-For: 54.151.119.16`);
    const ok = await read();
    assert.equal(ok.verdict, 'accepted');
    assert.deepEqual(ok.address.facts, ['address 54.151.119.16', 'from X-Forwarded-For']);
    // A bad proxy line is a setup problem, named by its line.
    await fill('#proxies', '10.0.0.0/8\n10.0.0.1/8');
    const setup = await read();
    assert.equal(setup.verdict, 'setup');
    assert.deepEqual(setup.setup, ['allowlist_malformed']);
    assert.match(await page.textContent('#proxies-status'), /Line 2/);
  });

  test('R2: a stale capture (signed in 2012) is refused as event_stale, answered 200, every other check valid', async () => {
    await reset('r2');
    // The bundled fixture as it is: a genuine delivery, captured long ago and pasted now.
    const body = JSON.stringify(payhook.fixture('r2', 'financing_created'));
    const sig = payhook.signR2(body, SECRET);
    await fill('#secrets', SECRET);
    await page.selectOption('#allowlist', 'r2');
    await fill('#peer', '54.215.38.39');
    await fill('#capture', `POST /webhooks/r2 HTTP/1.1\nHost: merchant.example\nContent-Type: application/json\nContent-Sha256: ${sig}\n\n${body}`);
    const want = expected({ provider: 'r2', body, headers: { 'content-sha256': sig }, secrets: [SECRET], peer: '54.215.38.39', allowlist: payhook.R2_ALLOWLIST });
    assert.deepEqual([want.verdict, want.error.code, want.response.status], ['refused', 'event_stale', 200]);
    const r = await read();
    assert.equal(r.verdict, 'refused');
    assert.equal(r.status, 200, 'acknowledged, so R2 stops retrying');
    assert.equal(r.code, 'event_stale');
    assert.deepEqual([r.address.state, r.authenticity.state, r.payload.state], ['ok', 'ok', 'ok'], 'every other check passed');
    assert.equal(r.freshness.state, 'fail');
    assert.equal(r.freshness.code, 'event_stale');
    assert.match(r.freshness.text, /never runs the handler/);
    assert.equal(r.freshness.facts[0], 'event_time 2012-09-20T21:49:12Z');
    assert.match(r.freshness.facts[1], /^age [\d,]+ days$/);
    assert.equal(r.dedupKey, want.dedupKey);
    assert.equal(r.response, 'HTTP/1.1 200 OK\ncontent-type: text/plain; charset=utf-8\n\nR2 API Event Received');
    assert.equal(await page.textContent('#sticky-verdict .text'), 'Refused · 200 event_stale');
    await screenshots('stale');
  });

  test('R2: payload issues are listed with their paths and highlighted in the body', async () => {
    await reset('r2');
    await loadFixture('financing_paid');
    const fixtureBody = await page.inputValue('#body');
    const body = fixtureBody
      .replace('"disbursed_amount": 12200', '"disbursed_amount": "12200"')
      .replace(/\n\s*"financing_id": "[^"]*",/, '');
    assert.notEqual(body, fixtureBody);
    await fill('#body', body);
    await fill('#secrets', SECRET);
    await page.selectOption('#encoding', 'base64-hex');
    await page.click('#sign');
    await settle();
    await page.selectOption('#allowlist', 'r2');
    await fill('#peer', '54.151.119.16');
    const want = expected({ provider: 'r2', body, headers: { 'content-sha256': payhook.signR2(body, SECRET) }, secrets: [SECRET], peer: '54.151.119.16', allowlist: payhook.R2_ALLOWLIST });
    const r = await read();
    assert.equal(r.verdict, 'refused');
    assert.equal(r.code, 'payload_invalid');
    assert.equal(r.status, want.response.status);
    assert.equal(r.authenticity.state, 'ok');
    assert.equal(r.payload.state, 'fail');
    assert.deepEqual(r.issues.map((i) => [i.path, i.code]), want.checks.payload.issues.map((i) => [i.path, i.code]));
    const wrongType = r.issues.find((i) => i.path === '/financing/disbursed_amount');
    assert.equal(wrongType.code, 'wrong_type');
    assert.equal(wrongType.shown, '/financing/disbursed_amount');
    assert.equal(wrongType.highlighted, '"12200"', 'the highlighted text is the value at the path');
    const missing = r.issues.find((i) => i.path === '/financing/financing_id');
    assert.equal(missing.code, 'missing');
    assert.equal(missing.highlighted, '"financing"', 'a missing member marks the object it belongs in');
    assert.ok(missing.missingMark);
    assert.ok(r.backdropMatchesBody);
    await screenshots('issues');

    // "Show in body" selects the value in the text box.
    await page.click('#issues .issue[data-path="/financing/disbursed_amount"] button');
    const selection = await page.evaluate(() => {
      const el = document.getElementById('body');
      return { focused: document.activeElement === el, text: el.value.slice(el.selectionStart, el.selectionEnd), active: document.querySelector('#body-backdrop mark.active')?.textContent };
    });
    assert.deepEqual(selection, { focused: true, text: '"12200"', active: '"12200"' });

    // Duplicate keys and broken JSON: reported, highlighted, nothing crashes.
    await fill('#body', '{"event": {"event_type": "financing_paid", "event_time": 1, "event_type": "financing_paid"}, "financing": {"financing_id": "a"}}');
    const dup = await read();
    const dupIssue = dup.issues.find((i) => i.code === 'duplicate_key');
    assert.equal(dupIssue.path, '/event/event_type');
    assert.equal(dupIssue.highlighted, '"event_type": "financing_paid"');
    await fill('#body', '{"event": {"event_type": "financing_paid",\n  "event_time": 1 x');
    const broken = await read();
    assert.equal(broken.code === 'payload_not_json' || broken.payload.code === 'payload_not_json', true);
    assert.equal(broken.issues[0].shown, '(the whole body)');
    assert.equal(broken.issues[0].highlighted, 'x', 'the syntax error points at the bad character');
    await fill('#body', '[1, 2');
    assert.equal((await read()).payload.state, 'fail');
  });

  test('strict mode flags an undocumented event type', async () => {
    await reset('r2');
    await loadFixture('financing_paid');
    const body = (await page.inputValue('#body')).replace('"event_type": "financing_paid"', '"event_type": "financing_exploded"');
    await fill('#body', body);
    assert.equal((await read()).payload.state, 'ok', 'lenient: an unknown type parses');
    await page.check('#strict');
    await settle();
    const r = await read();
    assert.equal(r.payload.state, 'fail');
    assert.equal(r.payload.code, 'unknown_event_type');
    assert.equal(r.issues.find((i) => i.code === 'unknown_event_type')?.highlighted, '"financing_exploded"');
  });

  test('Belvo: the right Bearer token is accepted, a wrong one refused, a malformed one is a setup problem', async () => {
    await reset('belvo');
    assert.equal(await page.isHidden('#sign-row'), true, 'no signing for Belvo');
    const names = await page.$$eval('#fixture option', (options) => options.map((o) => o.value));
    assert.deepEqual(names, payhook.fixtureNames('belvo'));
    await loadFixture('CHARGES.STATUS_UPDATE');
    // inspectDelivery accepts this (nothing to check it against); belvoReceiver would not start.
    let r = await read();
    assert.equal(r.verdict, 'setup');
    assert.deepEqual(r.setup, ['secret_invalid']);
    assert.equal(r.authenticity.state, 'skip');
    await fill('#authorization', 'Bearer tok-old-111\nBearer tok-live-222');
    await fill('#headers', 'Content-Type: application/json\nAuthorization: Bearer tok-live-222');
    await page.selectOption('#allowlist', 'belvo');
    await fill('#peer', '18.220.61.186');
    const body = await page.inputValue('#body');
    const want = expected({ provider: 'belvo', body, headers: { authorization: 'Bearer tok-live-222' }, authorization: ['Bearer tok-old-111', 'Bearer tok-live-222'] });
    r = await read();
    assert.equal(r.verdict, 'accepted');
    assert.equal(r.authenticity.state, 'ok');
    assert.deepEqual(r.authenticity.facts, ['scheme Bearer', 'value #2']);
    assert.equal(r.address.state, 'ok');
    assert.equal(r.dedupKey, want.dedupKey);
    assert.match(r.dedupKey, /^belvo:CHARGES\.STATUS_UPDATE:/);
    assert.equal(r.freshness, null, 'Belvo sends no time: no event-time check');
    assert.equal(r.response, `HTTP/1.1 200 OK\ncontent-type: application/json\n\n${JSON.stringify(JSON.parse(want.response.body), null, 2)}`);
    await screenshots('belvo');

    await fill('#headers', 'Authorization: Bearer tok-stolen-999');
    r = await read();
    assert.equal(r.verdict, 'refused');
    assert.equal(r.status, 401);
    assert.equal(r.code, 'authorization_mismatch');
    assert.equal(r.authenticity.code, 'authorization_mismatch');

    await fill('#headers', '');
    r = await read();
    assert.equal(r.code, 'authorization_missing');

    await fill('#authorization', 'Bearer tok-live-222\ntok-without-scheme');
    r = await read();
    assert.equal(r.verdict, 'setup');
    assert.deepEqual(r.setup, ['secret_invalid']);
    assert.match(await page.textContent('#authorization-status'), /Line 2/);
  });

  test('at phone width: one column, nothing wider than the screen, the verdict chip in view', async () => {
    const phone = await openPage({ width: 375, height: 800 });
    await reset('r2', phone);
    await loadFixture('financing_paid', phone);
    await fill('#secrets', SECRET, phone);
    await phone.click('#sign');
    await settle(phone);
    await phone.selectOption('#allowlist', 'r2');
    await fill('#peer', '54.215.38.39', phone);
    const layout = await phone.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      chip: document.querySelector('#sticky-verdict .text').textContent,
      chipVisible: getComputedStyle(document.getElementById('sticky-verdict')).display !== 'none',
    }));
    assert.equal(layout.scrollWidth, 375, 'no horizontal scrolling');
    assert.ok(layout.chipVisible);
    assert.equal(layout.chip, 'Accepted · 200');
    assert.equal((await read(phone)).verdict, 'accepted');
    await phone.evaluate(() => window.scrollTo(0, 0));
    await phone.screenshot({ path: join(shots, 'validator-phone.png') });
    await phone.screenshot({ path: join(shots, 'validator-phone-full.png'), fullPage: true });
    // The issues state, scrolled to the result.
    const body = (await phone.inputValue('#body')).replace('"disbursed_amount": 12200', '"disbursed_amount": "12200"');
    await fill('#body', body, phone);
    await phone.locator('#results').scrollIntoViewIfNeeded();
    await phone.screenshot({ path: join(shots, 'validator-phone-issues.png') });
    await phone.close();
  });

  test('served from a directory with node_modules/payhook beside the page', async () => {
    const dir = join(scratch, 'out', 'validator-standalone');
    rmSync(dir, { recursive: true, force: true });
    cpSync(pageDir, dir, { recursive: true });
    cpSync(join(scratch, 'node_modules', 'payhook'), join(dir, 'node_modules', 'payhook'), { recursive: true });
    const alone = await serveStatic(dir);
    const base = `http://127.0.0.1:${alone.address().port}`;
    const log = [];
    try {
      const p = await openPage({ width: 1000, height: 700 }, `${base}/`, log);
      await loadFixture('financing_created', p);
      await fill('#secrets', SECRET, p);
      await p.click('#sign');
      await settle(p);
      assert.equal((await read(p)).verdict, 'accepted');
      // ?payhook= may not point at another origin: the default stays.
      await p.goto(`${base}/?payhook=${encodeURIComponent('https://cdn.example/payhook/web.js')}`);
      await p.waitForFunction(() => document.documentElement.dataset.ready === 'true');
      await p.close();
      assert.deepEqual(log.filter((url) => !url.startsWith(`${base}/`)), []);
      assert.ok(log.includes(`${base}/node_modules/payhook/web.js`));
    } finally {
      alone.close();
    }
  });

  test('no request left the page, and it logged no error', async () => {
    const own = [`${origin}/examples/validator/`, `${origin}/node_modules/payhook/`];
    const foreign = requests.filter((url) => !own.some((prefix) => url.startsWith(prefix)));
    assert.deepEqual(foreign, []);
    assert.deepEqual(problems, []);
  });

  async function screenshots(name) {
    await page.mouse.move(0, 0);
    await page.evaluate(() => { document.activeElement?.blur(); window.scrollTo(0, 0); });
    await page.screenshot({ path: join(shots, `validator-desktop-${name}.png`) });
    await page.screenshot({ path: join(shots, `validator-desktop-${name}-full.png`), fullPage: true });
    if (name === 'issues') copyFileSync(join(shots, `validator-desktop-${name}.png`), join(shots, 'validator-desktop.png'));
  }
});
