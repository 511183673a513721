// Secret hygiene (issue 9, item 4): every failure path run with distinctive secrets, tokens and
// passwords; no error (message, String(), JSON.stringify, stack, own properties, issues), result
// object, response body or inspection report may contain the secret, the token, the Basic
// password (plain or base64), or the expected signature in any encoding. What the sender put
// in the header (a wrong guess) is not echoed either. Portable: no `node:` imports
// (secrets-node.mjs adds util.inspect and captured console output).
import { freshR2 } from './helpers.mjs';

export const R2_SECRET = 'R2sec-Zq8Vx3LmN0pQ';
export const OLD_SECRET = 'R2old-Hk2Wc9TyB4sD';
export const BEARER = 'BvTok-Qw7Er5Ty1Ui9';
export const BASIC_USER = 'belvo-user-Jm3';
export const BASIC_PASSWORD = 'BvPwd-Xk9Lp2Zr6Nc';
export const GUESS = 'Guess-Fh4Dk8Sa2Gj';

function base64(text) {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

/** Everything a logger or a caller could show of a value, without node:util. */
export function exposed(value) {
  const parts = [];
  const add = (f) => {
    try {
      const v = f();
      if (v !== undefined) parts.push(String(v));
    } catch {}
  };
  add(() => String(value));
  add(() => JSON.stringify(value));
  if (value && typeof value === 'object') {
    add(() => value.message);
    add(() => value.stack);
    add(() => value.toString());
    for (const key of Object.getOwnPropertyNames(value)) add(() => `${key}=${typeof value[key] === 'object' ? JSON.stringify(value[key]) : String(value[key])}`);
    if (value.error) parts.push(exposed(value.error));
    if (value.response && typeof value.response.body === 'string') parts.push(value.response.body);
  }
  return parts.join('\n');
}

/** The strings that must never show: secrets, their expected signatures, tokens, passwords. */
export function leaksFor(payhook, bodies) {
  const leaks = new Map([
    ['the R2 secret', R2_SECRET],
    ['the previous R2 secret', OLD_SECRET],
    ['the Bearer token', BEARER],
    ['the Basic password', BASIC_PASSWORD],
    ['the Basic credentials in base64', base64(`${BASIC_USER}:${BASIC_PASSWORD}`)],
    ['the Basic password in base64', base64(BASIC_PASSWORD)],
    ['the wrong guess the sender sent', GUESS],
  ]);
  for (const body of bodies) {
    for (const secret of [R2_SECRET, OLD_SECRET]) {
      for (const encoding of ['hex', 'base64', 'base64url', 'base64-hex']) {
        const sig = payhook.signR2(body, secret, { encoding });
        leaks.set(`the expected ${encoding} signature (${secret === R2_SECRET ? 'secret' : 'previous secret'}, body ${body.length} bytes)`, sig);
        // Its padding-free core too: a message could quote it trimmed.
        leaks.set(`the expected ${encoding} signature without padding (${secret}, ${body.length})`, sig.replace(/=+$/, ''));
        if (encoding === 'hex') leaks.set(`the expected hex signature in upper case (${secret}, ${body.length})`, sig.toUpperCase());
      }
    }
  }
  return leaks;
}

export default function define({ payhook, test, assert, label }) {
  const P = payhook;
  // Sent now (the bundled fixtures' event_times are outside the replay window), so a
  // delivery with the right signature reaches the handler.
  const r2Body = JSON.stringify(freshR2(P, 'financing_created'));
  const otherBody = JSON.stringify(freshR2(P, 'financing_paid'));
  const staleBody = JSON.stringify(freshR2(P, 'financing_created', {}, Date.now() - 15 * 86_400_000));
  const belvoBody = JSON.stringify(P.fixture('belvo', 'PAYMENT_INTENTS.STATUS_UPDATE'));
  const leaks = leaksFor(P, [r2Body, otherBody, '{}']);
  const expectedSig = P.signR2(r2Body, R2_SECRET);
  const basic = `Basic ${base64(`${BASIC_USER}:${BASIC_PASSWORD}`)}`;
  const accepted = [`Bearer ${BEARER}`, basic];

  /** Every leak found, across a test: it fails once at its end, listing them all. */
  let found = [];
  function clean(what, value) {
    const text = exposed(value);
    const names = [...leaks].filter(([, leak]) => text.includes(leak)).map(([name]) => name);
    if (names.length) {
      const line = text.split('\n').find((l) => [...leaks.values()].some((leak) => l.includes(leak))) ?? '';
      found.push(`${what} shows ${names.join(', ')}: ${line.slice(0, 300)}`);
    }
  }
  function verdict() {
    const all = found;
    found = [];
    if (all.length) assert.fail(`${all.length} leaks:\n    ${all.join('\n    ')}`);
  }
  /** Runs fn; what it throws (or returns) must be clean; returns it. */
  function run(what, fn) {
    let outcome;
    try {
      outcome = fn();
    } catch (error) {
      assert.ok(error instanceof P.PayhookError, `${what}: a PayhookError, got ${error?.name}: ${error?.message}`);
      clean(`${what}: the error`, error);
      return error;
    }
    clean(`${what}: the result`, outcome);
    return outcome;
  }

  test(`${label} secrets: R2 signature failures never show the secret or the expected signature`, () => {
    const cases = [
      ['a tampered body', () => P.verifyR2Signature(otherBody, expectedSig, R2_SECRET)],
      ['a wrong secret', () => P.verifyR2Signature(r2Body, P.signR2(r2Body, GUESS), R2_SECRET)],
      ['two secrets, neither right', () => P.verifyR2Signature(r2Body, P.signR2(r2Body, GUESS), [OLD_SECRET, R2_SECRET])],
      ['the expected signature with a character more', () => P.verifyR2Signature(r2Body, `${expectedSig}A`, R2_SECRET)],
      ['the expected signature a character short', () => P.verifyR2Signature(r2Body, expectedSig.replace(/=+$/, '').slice(0, -1), R2_SECRET)],
      ['the hex signature of another body', () => P.verifyR2Signature(r2Body, P.signR2(otherBody, R2_SECRET, { encoding: 'hex' }), R2_SECRET)],
      ['a header that is the guess itself', () => P.verifyR2Signature(r2Body, GUESS, R2_SECRET)],
      ['a header of two values', () => P.verifyR2Signature(r2Body, [GUESS, expectedSig], R2_SECRET)],
      ['no header', () => P.verifyR2Signature(r2Body, null, R2_SECRET)],
      ['a header 10,000 characters long', () => P.verifyR2Signature(r2Body, GUESS.repeat(600), R2_SECRET)],
      ['an empty secret beside the real one', () => P.verifyR2Signature(r2Body, expectedSig, [R2_SECRET, ''])],
      ['a secret of the wrong type', () => P.verifyR2Signature(r2Body, expectedSig, [R2_SECRET, { secret: R2_SECRET }])],
      ['secrets as an object', () => P.verifyR2Signature(r2Body, expectedSig, { secrets: [R2_SECRET] })],
      ['a body of the wrong type', () => P.verifyR2Signature({ body: r2Body, secret: R2_SECRET }, expectedSig, R2_SECRET)],
      ['signR2 with an unknown encoding', () => P.signR2(r2Body, R2_SECRET, { encoding: 'base32' })],
      ['signR2 with the secret as the encoding (a mix-up)', () => P.signR2(r2Body, OLD_SECRET, { encoding: R2_SECRET })],
      ['signR2 with an empty secret', () => P.signR2(r2Body, '')],
    ];
    for (const [name, fn] of cases) run(name, fn);
    verdict();
  });

  test(`${label} secrets: Belvo Authorization failures never show the token or the Basic password`, () => {
    const cases = [
      ['a wrong Bearer token', () => P.checkBelvoAuthorization(`Bearer ${GUESS}`, accepted)],
      ['the token with a character more', () => P.checkBelvoAuthorization(`Bearer ${BEARER}x`, accepted)],
      ['the token a character short', () => P.checkBelvoAuthorization(`Bearer ${BEARER.slice(0, -1)}`, accepted)],
      ['the token under the Basic scheme', () => P.checkBelvoAuthorization(`Basic ${BEARER}`, accepted)],
      ['the Basic credentials under the Bearer scheme', () => P.checkBelvoAuthorization(`Bearer ${base64(`${BASIC_USER}:${BASIC_PASSWORD}`)}`, [`Bearer ${BEARER}`])],
      ['Basic with a wrong password', () => P.checkBelvoAuthorization(`Basic ${base64(`${BASIC_USER}:${GUESS}`)}`, accepted)],
      ['Basic with the right password and a wrong user', () => P.checkBelvoAuthorization(`Basic ${base64(`${GUESS}:${BASIC_PASSWORD}`)}`, [basic])],
      ['Basic that is not base64', () => P.checkBelvoAuthorization(`Basic ${GUESS}!!`, accepted)],
      ['Basic without a colon', () => P.checkBelvoAuthorization(`Basic ${base64(GUESS)}`, accepted)],
      ['an unknown scheme', () => P.checkBelvoAuthorization(`Token ${GUESS}`, accepted)],
      ['a scheme alone', () => P.checkBelvoAuthorization('Bearer', accepted)],
      ['no header', () => P.checkBelvoAuthorization(undefined, accepted)],
      ['a header of two values', () => P.checkBelvoAuthorization([`Bearer ${GUESS}`, `Bearer ${BEARER}`], accepted)],
      ['an accepted value without a scheme', () => P.checkBelvoAuthorization(`Bearer ${GUESS}`, [BEARER])],
      ['an accepted value with an unknown scheme', () => P.checkBelvoAuthorization(`Bearer ${GUESS}`, [`Token ${BEARER}`])],
      ['an accepted Basic value that is not base64', () => P.checkBelvoAuthorization(`Bearer ${GUESS}`, [`Basic ${BASIC_PASSWORD}!`])],
      ['an accepted list with a number', () => P.checkBelvoAuthorization(`Bearer ${GUESS}`, [`Bearer ${BEARER}`, 42])],
      ['accepted as an object', () => P.checkBelvoAuthorization(`Bearer ${GUESS}`, { token: BEARER })],
    ];
    for (const [name, fn] of cases) run(name, fn);
    verdict();
  });

  test(`${label} secrets: misconfigured receivers never show what they were given`, () => {
    const cases = [
      ['an empty secret beside the real one', () => P.r2Receiver({ secrets: [R2_SECRET, ''] })],
      ['a secret of the wrong type', () => P.r2Receiver({ secrets: [R2_SECRET, { value: OLD_SECRET }] })],
      ['the secret given as trust (a mix-up)', () => P.r2Receiver({ secrets: [OLD_SECRET], trust: R2_SECRET })],
      ['the secret given as trust.header', () => P.r2Receiver({ secrets: [OLD_SECRET], trust: { hops: 1, header: R2_SECRET } })],
      ['the secret given as an allowlist entry', () => P.r2Receiver({ secrets: [OLD_SECRET], allowlist: [R2_SECRET] })],
      ['the secret given as a proxy', () => P.r2Receiver({ secrets: [OLD_SECRET], trust: { proxies: [R2_SECRET] } })],
      ['the secret given as maxBytes', () => P.r2Receiver({ secrets: [OLD_SECRET], maxBytes: R2_SECRET })],
      ['the token given as an R2 secret list of one wrong type', () => P.r2Receiver({ secrets: [[BEARER]] })],
      ['Belvo with an accepted value without a scheme', () => P.belvoReceiver({ authorization: BEARER })],
      ['Belvo with an unknown scheme', () => P.belvoReceiver({ authorization: `Token ${BEARER}` })],
      ['Belvo with Basic that is not base64', () => P.belvoReceiver({ authorization: `Basic ${BASIC_PASSWORD}` })],
      ['Belvo with the token as trust', () => P.belvoReceiver({ authorization: `Bearer ${OLD_SECRET}`, trust: BEARER })],
      ['Belvo with the token in a nested list', () => P.belvoReceiver({ authorization: [[`Bearer ${BEARER}`]] })],
      ['the secret as the dedup store', () => P.r2Receiver({ secrets: [OLD_SECRET], dedup: R2_SECRET })],
    ];
    for (const [name, fn] of cases) {
      const got = run(name, fn);
      assert.ok(got instanceof P.PayhookError, `${name}: refused to start`);
    }
    verdict();
  });

  test(`${label} secrets: receiver refusals (result, error, response) never show a secret`, async () => {
    const r2 = P.r2Receiver({ secrets: [OLD_SECRET, R2_SECRET], allowlist: ['127.0.0.1', '10.0.0.0/8'] });
    const belvo = P.belvoReceiver({ authorization: accepted, allowlist: ['127.0.0.1'] });
    const deliveries = [
      ['r2: tampered', r2, { body: otherBody, headers: { 'content-sha256': expectedSig }, peer: '127.0.0.1' }],
      ['r2: the guess as the signature', r2, { body: r2Body, headers: { 'content-sha256': GUESS }, peer: '127.0.0.1' }],
      ['r2: a wrong secret', r2, { body: r2Body, headers: { 'content-sha256': P.signR2(r2Body, GUESS, { encoding: 'hex' }) }, peer: '127.0.0.1' }],
      ['r2: a signature a character short', r2, { body: r2Body, headers: { 'content-sha256': expectedSig.replace(/=+$/, '').slice(0, -1) }, peer: '127.0.0.1' }],
      ['r2: no signature', r2, { body: r2Body, headers: {}, peer: '127.0.0.1' }],
      ['r2: from a wrong address', r2, { body: r2Body, headers: { 'content-sha256': expectedSig }, peer: '203.0.113.7' }],
      ['r2: signed, not JSON', r2, { body: 'not json', headers: { 'content-sha256': P.signR2('not json', R2_SECRET) }, peer: '127.0.0.1' }],
      ['r2: signed, but sent 15 days ago', r2, { body: staleBody, headers: { 'content-sha256': P.signR2(staleBody, R2_SECRET) }, peer: '127.0.0.1' }],
      ['belvo: a wrong token', belvo, { body: belvoBody, headers: { authorization: `Bearer ${GUESS}` }, peer: '127.0.0.1' }],
      ['belvo: Basic with a wrong password', belvo, { body: belvoBody, headers: { authorization: `Basic ${base64(`${BASIC_USER}:${GUESS}`)}` }, peer: '127.0.0.1' }],
      ['belvo: a malformed header', belvo, { body: belvoBody, headers: { authorization: `Bearer` }, peer: '127.0.0.1' }],
      ['belvo: no header', belvo, { body: belvoBody, headers: {}, peer: '127.0.0.1' }],
    ];
    for (const [name, receiver, parts] of deliveries) {
      const got = receiver.receive(parts);
      assert.equal(got.ok, false, `${name}: refused`);
      clean(`${name}: the result`, got);
      const fetched = await receiver.receive(new Request('http://127.0.0.1/', { method: 'POST', body: parts.body, headers: parts.headers }), { peer: parts.peer });
      assert.equal(fetched.ok, false);
      clean(`${name}: the Fetch result`, { ...fetched, response: undefined });
      clean(`${name}: the Fetch response body`, await fetched.response.text());
      const handled = await receiver.handle(parts, () => assert.fail('the handler ran'), {
        onStale: (error, result) => { clean(`${name}: the error onStale gets`, error); clean(`${name}: the result onStale gets`, result); },
      });
      clean(`${name}: the handle() answer`, handled);
    }
    verdict();
  });

  test(`${label} secrets: a handler that throws with a secret in its error is answered without it`, async () => {
    const r2 = P.r2Receiver({ secrets: [R2_SECRET], dedup: P.memoryStore() });
    const seen = [];
    const answer = await r2.handle({ body: r2Body, headers: { 'content-sha256': expectedSig } }, () => {
      throw new Error(`database refused password ${R2_SECRET}`);
    }, { onError: (e) => seen.push(e) });
    assert.equal(answer.status, 500);
    clean('the handler_failed answer', answer);
    assert.equal(seen.length, 1, 'the error goes to onError, where the application decides what to log');
    verdict();
  });

  test(`${label} secrets: inspectDelivery reports never show a secret, token or expected signature`, () => {
    const reports = [
      ['r2, wrong secrets', { provider: 'r2', body: r2Body, headers: { 'content-sha256': expectedSig }, secrets: [GUESS, OLD_SECRET] }],
      ['r2, a tampered body', { provider: 'r2', body: otherBody, headers: { 'content-sha256': expectedSig }, secrets: [R2_SECRET] }],
      ['r2, the guess as the signature', { provider: 'r2', body: r2Body, headers: { 'content-sha256': GUESS }, secrets: [R2_SECRET] }],
      ['r2, no signature', { provider: 'r2', body: r2Body, headers: {}, secrets: [R2_SECRET, OLD_SECRET] }],
      ['r2, an empty secret in the list', { provider: 'r2', body: r2Body, headers: { 'content-sha256': expectedSig }, secrets: [R2_SECRET, ''] }],
      ['r2, signed, but sent 15 days ago', { provider: 'r2', body: staleBody, headers: { 'content-sha256': P.signR2(staleBody, R2_SECRET) }, secrets: [OLD_SECRET, R2_SECRET] }],
      ['r2, everything wrong', { provider: 'r2', body: '{"event":{}}', headers: { 'content-sha256': expectedSig, 'x-forwarded-for': '6.6.6.6' }, secrets: [R2_SECRET], allowlist: ['127.0.0.1'], trust: { hops: 1 }, peer: '127.0.0.1' }],
      ['belvo, a wrong token', { provider: 'belvo', body: belvoBody, headers: { authorization: `Bearer ${GUESS}` }, authorization: accepted }],
      ['belvo, Basic with a wrong password', { provider: 'belvo', body: belvoBody, headers: { authorization: `Basic ${base64(`${BASIC_USER}:${GUESS}`)}` }, authorization: accepted }],
      ['belvo, a malformed accepted value', { provider: 'belvo', body: belvoBody, headers: { authorization: `Bearer ${GUESS}` }, authorization: [`Basic ${BASIC_PASSWORD}`] }],
      ['belvo, the right token under another scheme', { provider: 'belvo', body: belvoBody, headers: { authorization: `Basic ${BEARER}` }, authorization: accepted }],
    ];
    for (const [name, input] of reports) {
      let report;
      try {
        report = P.inspectDelivery(input);
      } catch (error) {
        assert.ok(error instanceof P.PayhookError, `${name}: a PayhookError`);
        clean(`${name}: the error`, error);
        continue;
      }
      assert.equal(report.verdict, 'refused', `${name}: refused`);
      clean(`${name}: the report`, report);
    }
    verdict();
  });

  test(`${label} secrets: the leak check itself finds a leak (it is not vacuous)`, () => {
    clean('a planted error', new P.PayhookError('signature_mismatch', 401, `expected ${expectedSig}`));
    assert.equal(found.length, 1);
    found = [];
  });
}
