// Secret hygiene, the Node-only part (issue 9, item 4): what util.inspect shows of errors,
// results and reports, and everything written to the console (console.* and process.stdout /
// stderr, captured) while every failure path runs, in the ESM and the CommonJS copy. Run by
// the Node runners (and Bun), beside node-only.mjs; the portable part is secrets.mjs.
import { createRequire } from 'node:module';
import { inspect } from 'node:util';
import { BASIC_PASSWORD, BASIC_USER, BEARER, GUESS, OLD_SECRET, R2_SECRET, leaksFor } from './secrets.mjs';
import { freshR2 } from './helpers.mjs';

const require = createRequire(import.meta.url);
const b64 = (text) => Buffer.from(text).toString('base64');

/** Runs fn with console.* and process.stdout/stderr captured; returns [result or error, text]. */
async function captured(fn) {
  const lines = [];
  const methods = ['log', 'error', 'warn', 'info', 'debug', 'trace', 'dir'];
  const saved = methods.map((m) => console[m]);
  const writes = [process.stdout.write, process.stderr.write];
  for (const m of methods) console[m] = (...args) => lines.push(args.map((a) => (typeof a === 'string' ? a : inspect(a, { depth: 6, showHidden: true }))).join(' '));
  process.stdout.write = process.stderr.write = (chunk) => {
    lines.push(String(chunk));
    return true;
  };
  let outcome;
  try {
    outcome = await fn();
  } catch (error) {
    outcome = error;
  } finally {
    methods.forEach((m, i) => { console[m] = saved[i]; });
    [process.stdout.write, process.stderr.write] = writes;
  }
  return [outcome, lines.join('\n')];
}

export default function define({ payhook, test, assert, label }) {
  const copies = [['ESM', payhook], ['CommonJS', { ...require('payhook'), ...require('payhook/tools') }]];
  for (const [copy, P] of copies) {
    // Sent now, so the failing handler below really runs (a stale event is never handled).
    const r2Body = JSON.stringify(freshR2(P, 'financing_created'));
    const belvoBody = JSON.stringify(P.fixture('belvo', 'PAYMENT_INTENTS.STATUS_UPDATE'));
    const leaks = leaksFor(P, [r2Body, '{}']);
    const expectedSig = P.signR2(r2Body, R2_SECRET);
    const accepted = [`Bearer ${BEARER}`, `Basic ${b64(`${BASIC_USER}:${BASIC_PASSWORD}`)}`];
    const r2 = P.r2Receiver({ secrets: [OLD_SECRET, R2_SECRET], allowlist: ['127.0.0.1'] });
    const belvo = P.belvoReceiver({ authorization: accepted });

    const paths = [
      ['verify: a tampered body', () => P.verifyR2Signature('{}', expectedSig, R2_SECRET)],
      ['verify: a wrong secret', () => P.verifyR2Signature(r2Body, P.signR2(r2Body, GUESS), [OLD_SECRET, R2_SECRET])],
      ['verify: the guess as the header', () => P.verifyR2Signature(r2Body, GUESS, R2_SECRET)],
      ['verify: a secret of the wrong type', () => P.verifyR2Signature(r2Body, expectedSig, [R2_SECRET, { secret: R2_SECRET }])],
      ['belvo: a wrong token', () => P.checkBelvoAuthorization(`Bearer ${GUESS}`, accepted)],
      ['belvo: Basic with a wrong password', () => P.checkBelvoAuthorization(`Basic ${b64(`${BASIC_USER}:${GUESS}`)}`, accepted)],
      ['belvo: a malformed accepted value', () => P.checkBelvoAuthorization(`Bearer ${GUESS}`, [`Basic ${BASIC_PASSWORD}!`])],
      ['receiver: a refused R2 delivery', () => r2.receive({ body: r2Body, headers: { 'content-sha256': GUESS }, peer: '127.0.0.1' })],
      ['receiver: a refused Belvo delivery', () => belvo.receive({ body: belvoBody, headers: { authorization: `Bearer ${GUESS}` } })],
      ['receiver: a refused Fetch delivery', () => r2.receive(new Request('http://127.0.0.1/', { method: 'POST', body: '{}', headers: { 'content-sha256': expectedSig } }), { peer: '127.0.0.1' })],
      ['receiver: handle() with a default onError and a failing handler', () => P.r2Receiver({ secrets: [R2_SECRET] }).handle({ body: r2Body, headers: { 'content-sha256': expectedSig } }, () => { throw new Error('the database is down'); })],
      ['receiver: misconfigured', () => P.r2Receiver({ secrets: [R2_SECRET, ''] })],
      ['belvoReceiver: misconfigured', () => P.belvoReceiver({ authorization: `Token ${BEARER}` })],
      ['inspectDelivery: wrong secrets', () => P.inspectDelivery({ provider: 'r2', body: r2Body, headers: { 'content-sha256': expectedSig }, secrets: [GUESS, OLD_SECRET] })],
      ['inspectDelivery: a wrong token', () => P.inspectDelivery({ provider: 'belvo', body: belvoBody, headers: { authorization: `Bearer ${GUESS}` }, authorization: accepted })],
    ];

    test(`${label} secrets (${copy}): util.inspect and the console never show a secret on any failure path`, async () => {
      const found = [];
      for (const [name, fn] of paths) {
        const [outcome, console] = await captured(fn);
        const shown = [
          console,
          inspect(outcome, { depth: 8 }),
          inspect(outcome, { depth: 8, showHidden: true, getters: true }),
          outcome?.error ? inspect(outcome.error, { showHidden: true }) : '',
          outcome instanceof Response ? await outcome.clone().text() : '',
          outcome?.response instanceof Response ? await outcome.response.clone().text() : '',
        ].join('\n');
        const names = [...leaks].filter(([, leak]) => shown.includes(leak)).map(([n]) => n);
        if (names.length) found.push(`${name}: shows ${names.join(', ')}`);
      }
      assert.deepEqual(found, []);
    });
  }

  test(`${label} secrets (node): the capture sees console output (it is not vacuous)`, async () => {
    const [, text] = await captured(() => console.error(new Error(R2_SECRET)));
    assert.ok(text.includes(R2_SECRET));
  });
}
