// payhook validator: every input change re-runs `inspectDelivery` (debounced) and shows each
// check, each payload issue (highlighted in the body), the event, its dedup key and the
// response a receiver would send. Nothing is stored and nothing is sent anywhere.
import { issueRanges, segment } from './pointer.js';

const $ = (id) => document.getElementById(id);
const live = $('live');

let payhook;
try {
  // The receiver's API and the tools' (inspection, captures, fixtures: their own module).
  const [api, tools] = await Promise.all([import('payhook'), import('payhook/tools')]);
  payhook = { ...api, ...tools };
} catch (error) {
  live.dataset.pending = 'false';
  live.replaceChildren(
    h('div', { class: 'fatal', role: 'alert' },
      h('strong', {}, 'payhook could not be loaded. '),
      `Tried ${window.__payhookUrl}: ${error?.message ?? error}. Serve this page from a directory that has `,
      h('code', {}, 'node_modules/payhook'),
      ' beside it, or name the package’s web.js with ',
      h('code', {}, '?payhook=/path/to/node_modules/payhook/web.js'), '.'),
  );
  throw error;
}
const { inspectDelivery, parseCapture, signR2, fixture, fixtureNames, clientIp, checkBelvoAuthorization, Allowlist, R2_ALLOWLIST, BELVO_ALLOWLIST } = payhook;

// ---------------------------------------------------------------------------------------------
// Small helpers

/** Builds an element; children are nodes or text (never parsed as HTML). */
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) el.addEventListener(name.slice(2), value);
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

/** Non-empty trimmed lines with their 1-based line numbers. */
function lines(text) {
  const out = [];
  text.split('\n').forEach((raw, index) => {
    const value = raw.trim();
    if (value) out.push({ value, line: index + 1 });
  });
  return out;
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** `Name: value` lines as a plain headers object (lowercase names; repeats joined by ", "). */
function parseHeaders(text) {
  const headers = {};
  const bad = [];
  let count = 0;
  text.split('\n').forEach((raw, index) => {
    const line = raw.replace(/\r$/, '');
    if (!line.trim()) return;
    const colon = line.indexOf(':');
    const name = colon > 0 ? line.slice(0, colon).trim() : '';
    if (!TOKEN.test(name)) {
      bad.push(index + 1);
      return;
    }
    const key = name.toLowerCase();
    const value = line.slice(colon + 1).trim();
    headers[key] = key in headers ? `${headers[key]}, ${value}` : value;
    count++;
  });
  return { headers, bad, count };
}

const titleCase = (name) => name.replace(/(^|-)([a-z])/g, (_, dash, c) => dash + c.toUpperCase());
const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;
const utf8Length = (text) => new TextEncoder().encode(text).length;

const REASONS = { 200: 'OK', 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 413: 'Content Too Large', 415: 'Unsupported Media Type', 422: 'Unprocessable Content', 500: 'Internal Server Error' };
const ENCODINGS = { hex: 'hex', base64: 'base64', base64url: 'base64url', 'base64-hex': 'base64 of hex' };
const SOURCES = { peer: 'the socket peer', 'x-forwarded-for': 'X-Forwarded-For', forwarded: 'Forwarded', 'cf-connecting-ip': 'CF-Connecting-IP' };

// ---------------------------------------------------------------------------------------------
// Form state

const form = {
  provider: () => document.querySelector('input[name="provider"]:checked').value,
  capture: $('capture'),
  fixture: $('fixture'),
  body: $('body'),
  backdrop: $('body-backdrop'),
  headers: $('headers'),
  encoding: $('encoding'),
  secrets: $('secrets'),
  authorization: $('authorization'),
  allowlist: $('allowlist'),
  custom: $('custom'),
  peer: $('peer'),
  trust: $('trust'),
  trustHeader: $('trust-header'),
  proxies: $('proxies'),
  hops: $('hops'),
  strict: $('strict'),
};

function setStatus(id, text, kind = '') {
  const el = $(id);
  el.textContent = text;
  el.className = `status ${kind}`.trim();
}

function autogrow(textarea) {
  textarea.style.height = 'auto';
  const border = textarea.offsetHeight - textarea.clientHeight;
  textarea.style.height = `${textarea.scrollHeight + border}px`;
}

function syncProvider() {
  const provider = form.provider();
  const r2 = provider === 'r2';
  $('secrets-field').hidden = !r2;
  $('authorization-field').hidden = r2;
  $('sign-row').hidden = !r2;
  $('h-secrets-text').textContent = r2 ? 'Secrets' : 'Authorization';
  form.headers.placeholder = r2 ? 'Content-Sha256: …' : 'Authorization: Bearer …';
  const names = fixtureNames(provider);
  form.fixture.replaceChildren(...names.map((name) => h('option', { value: name }, name)));
  const preferred = r2 ? 'financing_paid' : 'CHARGES.STATUS_UPDATE';
  if (names.includes(preferred)) form.fixture.value = preferred;
}

function syncAddress() {
  const allowlist = form.allowlist.value;
  $('custom-field').hidden = allowlist !== 'custom';
  const published = { r2: R2_ALLOWLIST, 'r2-production': Allowlist.r2('production'), belvo: BELVO_ALLOWLIST }[allowlist];
  $('allowlist-hint').textContent = published
    ? `${published.entries().join(', ')} (payhook’s snapshot).`
    : allowlist === 'custom' ? 'Your own networks, below.' : 'Any address is accepted.';
  const trust = form.trust.value;
  $('proxies-field').hidden = trust !== 'proxies';
  $('hops-field').hidden = trust !== 'hops';
  $('trust-header-field').hidden = trust !== 'proxies' && trust !== 'hops';
  $('trust-hint').textContent = {
    none: 'Forwarding headers are ignored: they are easy to forge.',
    cloudflare: 'CF-Connecting-IP, when the peer is a Cloudflare edge address or there is no peer.',
    proxies: 'The client is the first address, from the right, that is not one of your proxies.',
    hops: 'The client is that many entries from the right of the header.',
  }[trust];
}

/** Each line that is not one address or network, as "line N". */
function badNetworkLines(entries) {
  const bad = [];
  for (const { value, line } of entries) {
    try {
      new Allowlist([value]);
    } catch {
      bad.push(line);
    }
  }
  return bad;
}

/**
 * The inspection input from the form, and the setup problems a receiver would refuse to start
 * with (each also shown by its field). Bad entries are left out, so the other checks still run.
 */
function readForm() {
  const provider = form.provider();
  const setup = [];
  const { headers, bad: badHeaders, count } = parseHeaders(form.headers.value);
  setStatus('headers-status', badHeaders.length ? `Ignored ${badHeaders.length === 1 ? 'line' : 'lines'} ${badHeaders.join(', ')}: not a “Name: value” header.` : '', 'warn');
  form.headers.classList.toggle('invalid', badHeaders.length > 0);

  // Judged as a receiver would judge it now: R2's signed event_time against its replay window.
  const input = { provider, body: form.body.value, headers, strict: form.strict.checked, now: Date.now() };
  let secretLines = [];
  let acceptedLines = [];
  if (provider === 'r2') {
    secretLines = lines(form.secrets.value);
    if (secretLines.length) input.secrets = secretLines.map((s) => s.value);
  } else {
    const entries = lines(form.authorization.value);
    const bad = [];
    for (const entry of entries) {
      try {
        checkBelvoAuthorization(entry.value, [entry.value]);
        acceptedLines.push(entry);
      } catch (error) {
        if (error?.code === 'secret_invalid') bad.push(entry.line);
        else acceptedLines.push(entry);
      }
    }
    form.authorization.classList.toggle('invalid', bad.length > 0);
    const message = bad.length ? `Line ${bad.join(', ')}: not “Bearer <token>” or “Basic <base64 of user:password>”.` : '';
    setStatus('authorization-status', message, 'bad');
    if (bad.length) setup.push({ field: 'authorization', code: 'secret_invalid', message: `Accepted Authorization values: ${message}` });
    if (acceptedLines.length) input.authorization = acceptedLines.map((a) => a.value);
  }

  const choice = form.allowlist.value;
  let customBad = [];
  if (choice === 'r2') input.allowlist = R2_ALLOWLIST;
  else if (choice === 'r2-production') input.allowlist = Allowlist.r2('production');
  else if (choice === 'belvo') input.allowlist = BELVO_ALLOWLIST;
  else if (choice === 'custom') {
    const entries = lines(form.custom.value);
    customBad = badNetworkLines(entries);
    const good = entries.filter((e) => !customBad.includes(e.line)).map((e) => e.value);
    input.allowlist = good;
    if (customBad.length) setup.push({ field: 'custom', code: 'allowlist_malformed', message: `Custom networks: line ${customBad.join(', ')} is not an address or a CIDR network (strict form, no host bits set).` });
    else if (!entries.length) setup.push({ field: 'custom', code: 'allowlist_malformed', message: 'Custom networks: the list is empty, so every address would be refused.' });
  }
  setStatus('custom-status', customBad.length ? `Line ${customBad.join(', ')}: not an address or CIDR network.` : '', 'bad');
  form.custom.classList.toggle('invalid', customBad.length > 0);

  const peer = form.peer.value.trim();
  if (peer) input.peer = peer;

  const trust = form.trust.value;
  let proxiesBad = [];
  if (trust === 'cloudflare') input.trust = 'cloudflare';
  else if (trust === 'proxies') {
    const entries = lines(form.proxies.value);
    proxiesBad = badNetworkLines(entries);
    input.trust = { proxies: entries.filter((e) => !proxiesBad.includes(e.line)).map((e) => e.value), header: form.trustHeader.value };
    if (proxiesBad.length) setup.push({ field: 'proxies', code: 'allowlist_malformed', message: `Trusted proxies: line ${proxiesBad.join(', ')} is not an address or a CIDR network.` });
  } else if (trust === 'hops') {
    const hops = Number(form.hops.value);
    if (Number.isInteger(hops) && hops >= 1) input.trust = { hops, header: form.trustHeader.value };
    else setup.push({ field: 'hops', code: 'argument_invalid', message: 'Proxies in front: a whole number from 1.' });
  }
  setStatus('proxies-status', proxiesBad.length ? `Line ${proxiesBad.join(', ')}: not an address or CIDR network.` : '', 'bad');
  form.proxies.classList.toggle('invalid', proxiesBad.length > 0);

  if (provider === 'belvo' && !input.authorization && !input.allowlist) {
    setup.push({ field: 'authorization', code: 'secret_invalid', message: 'A Belvo receiver needs an accepted Authorization value, an allowlist, or both: with neither it refuses to start.' });
  }
  return { input, setup, secretLines, acceptedLines, headerCount: count };
}

// ---------------------------------------------------------------------------------------------
// Body highlights

let currentIssues = [];
let activeIssue = null;

function renderBackdrop() {
  const text = form.body.value;
  const ranges = [];
  currentIssues.forEach((issue, id) => {
    for (const range of issue.ranges) ranges.push({ ...range, id });
  });
  const nodes = [];
  for (const part of segment(text, ranges)) {
    const slice = text.slice(part.start, part.end);
    if (!part.ids.length) {
      nodes.push(slice);
      continue;
    }
    const exact = part.ids.some((id) => currentIssues[id].ranges.some((r) => r.exact && r.start <= part.start && r.end >= part.end));
    nodes.push(h('mark', {
      class: `${exact ? '' : 'missing'} ${part.ids.includes(activeIssue) ? 'active' : ''}`.trim() || null,
      'data-issue': part.ids.join(' '),
    }, slice));
  }
  // A trailing line break needs a character after it to take up its line.
  nodes.push('\u200b');
  form.backdrop.replaceChildren(...nodes);
  form.backdrop.scrollTop = form.body.scrollTop;
}

function showIssue(id) {
  activeIssue = id;
  renderBackdrop();
  const range = currentIssues[id]?.ranges[0];
  if (!range) return;
  form.body.focus({ preventScroll: true });
  form.body.setSelectionRange(range.start, range.end);
  const mark = form.backdrop.querySelector(`mark[data-issue~="${id}"]`);
  (mark ?? form.body).scrollIntoView({ block: 'center', behavior: 'smooth' });
}

// ---------------------------------------------------------------------------------------------
// Results

function checkItem(id, state, name, stateText, text, facts = [], extra = null, code = null) {
  const mark = { ok: '✓', fail: '✗', skip: '–' }[state];
  return h('li', { id, class: `is-${state}`, 'data-state': state, 'data-code': code ?? undefined },
    h('span', { class: 'mark', 'aria-hidden': 'true' }, mark),
    h('div', { class: 'check-name' }, name, h('span', { class: 'state' }, stateText)),
    h('div', { class: 'check-text' }, ...[].concat(text)),
    facts.length ? h('div', { class: 'facts' }, facts.map(([k, v]) => h('span', { class: 'fact' }, `${k} `, h('b', {}, v)))) : null,
    extra,
  );
}

const codeChip = (code) => h('span', { class: 'code' }, code);

function addressItem(result, input) {
  const a = result.checks.address;
  if (!a.checked) {
    let text = 'Not checked: no allowlist is set.';
    const facts = [];
    if (input.peer || input.trust) {
      try {
        const found = clientIp({ peer: input.peer, headers: input.headers, trust: input.trust });
        text = `Not checked: no allowlist is set. The client address would be ${found.ip}.`;
        facts.push(['from', SOURCES[found.source] ?? found.source]);
      } catch (error) {
        text = [`Not checked: no allowlist is set. The client address cannot be read: ${error.message} `, codeChip(error.code)];
      }
    }
    return checkItem('check-address', 'skip', 'Source address', 'not checked', text, facts);
  }
  const facts = a.ip ? [['address', a.ip], ['from', SOURCES[a.source] ?? a.source]] : [];
  if (a.ok) return checkItem('check-address', 'ok', 'Source address', 'allowed', `${a.ip}, read from ${SOURCES[a.source] ?? a.source}, is on the allowlist.`, facts);
  const help = {
    ip_unknown: input.peer ? ' The forwarding header you trust is absent.' : ' Enter the socket peer, or trust the header your proxy sets.',
  }[a.code] ?? '';
  return checkItem('check-address', 'fail', 'Source address', 'refused', [`${capitalise(a.message)}.${help} `, codeChip(a.code)], facts, null, a.code);
}

function authenticityItem(result, form) {
  const c = result.checks.authenticity;
  if (c.kind === 'signature') {
    const name = 'Signature (Content-Sha256)';
    if (c.ok) {
      const line = form.secretLines[c.secretIndex]?.line;
      return checkItem('check-authenticity', 'ok', name, 'valid',
        `Matches secret #${c.secretIndex + 1}${line ? ` (line ${line})` : ''}, encoded as ${ENCODINGS[c.encoding] ?? c.encoding}.`,
        [['encoding', ENCODINGS[c.encoding] ?? c.encoding], ['secret', `#${c.secretIndex + 1}`]]);
    }
    const help = {
      secret_invalid: ' Enter the jwtSecret in step 3.',
      signature_missing: ' Add a Content-Sha256 header, or sign the body (step 2).',
      signature_mismatch: ' The body changed after signing, or it was signed with another secret (or other line breaks).',
    }[c.code] ?? '';
    return checkItem('check-authenticity', 'fail', name, c.code === 'secret_invalid' ? 'not checked' : 'invalid', [`${capitalise(c.message)}.${help} `, codeChip(c.code)], [], null, c.code);
  }
  const name = 'Authorization header';
  if (!c.checked) return checkItem('check-authenticity', 'skip', name, 'not checked', 'No accepted Authorization value is set: only the allowlist vouches for the sender.');
  if (c.ok) {
    const line = form.acceptedLines[c.acceptedIndex]?.line;
    return checkItem('check-authenticity', 'ok', name, 'valid',
      `Matches accepted value #${c.acceptedIndex + 1}${line ? ` (line ${line})` : ''}, ${c.scheme === 'basic' ? 'Basic' : 'Bearer'} scheme.`,
      [['scheme', c.scheme === 'basic' ? 'Basic' : 'Bearer'], ['value', `#${c.acceptedIndex + 1}`]]);
  }
  return checkItem('check-authenticity', 'fail', name, 'invalid', [`${capitalise(c.message)}. `, codeChip(c.code)], [], null, c.code);
}

function payloadItem(result, text) {
  const p = result.checks.payload;
  if (p.ok) return checkItem('check-payload', 'ok', 'Payload', 'valid', `A documented ${p.event?.event_type ?? `${p.event?.webhook_type}.${p.event?.webhook_code}`} payload${p.seen.includes('unknown_fields') ? ', with fields outside the model (kept)' : ''}.`);
  const list = h('ol', { class: 'issues', id: 'issues' }, currentIssues.map((issue, id) => {
    const found = issue.ranges.some((r) => r.exact);
    const detail = [issue.expected && `expected ${issue.expected}`, issue.found && `found ${issue.found}`].filter(Boolean).join(' · ');
    return h('li', {
      class: 'issue', 'data-path': issue.path, 'data-code': issue.code, 'data-issue': id,
      onmouseenter: () => { activeIssue = id; renderBackdrop(); },
      onmouseleave: () => { activeIssue = null; renderBackdrop(); },
    },
    h('div', { class: 'issue-head' },
      h('span', { class: 'path' }, issue.path === '' ? '(the whole body)' : issue.path),
      codeChip(issue.code),
      issue.ranges.length ? h('button', { type: 'button', class: 'btn small', onclick: () => showIssue(id), 'aria-label': `Show ${issue.path || 'the problem'} in the body` }, found ? 'Show in body' : 'Show where') : null),
    h('div', {}, capitalise(issue.message)),
    detail ? h('div', { class: 'detail' }, detail) : null);
  }));
  const count = currentIssues.length;
  return checkItem('check-payload', 'fail', 'Payload', count ? plural(count, 'issue') : 'invalid', [`${capitalise(p.message)}. `, codeChip(p.code)], [], list, p.code);
}

/** R2's signed event_time against the replay window (Belvo sends no time: no item). */
function freshnessItem(result) {
  const f = result.checks.freshness;
  if (result.provider !== 'r2' || !f) return null;
  const name = 'Event time';
  if (!f.checked) return checkItem('check-freshness', 'skip', name, 'not checked', 'Not checked: the payload has no valid event_time.');
  const time = result.checks.payload.ok ? Number(result.checks.payload.event?.event?.event_time) : NaN;
  const facts = Number.isFinite(time) ? [['event_time', new Date(time * 1000).toISOString().replace('.000Z', 'Z')], ['age', age(Date.now() / 1000 - time)]] : [];
  if (f.ok) return checkItem('check-freshness', 'ok', name, 'fresh', 'Signed within the replay window a receiver allows (14 days by default, and up to 5 minutes ahead).', facts);
  return checkItem('check-freshness', 'fail', name, 'stale',
    [`${capitalise(f.message)}. A receiver answers 200, so R2 stops retrying, and never runs the handler: an old capture replayed. `, codeChip(f.code)], facts, null, f.code);
}

/** An event's age in words: "3 days", "2 h 5 min", "4 min ahead". */
function age(seconds) {
  const ahead = seconds < 0;
  const s = Math.abs(Math.round(seconds));
  const days = Math.floor(s / 86_400);
  const hours = Math.floor((s % 86_400) / 3_600);
  const minutes = Math.floor((s % 3_600) / 60);
  const text = days >= 2 ? `${days.toLocaleString('en')} days` : days || hours ? `${days * 24 + hours} h ${minutes} min` : minutes ? `${minutes} min` : `${s} s`;
  return ahead ? `${text} ahead` : text;
}

const capitalise = (s) => (s ? s[0].toUpperCase() + s.slice(1) : s);

function responseBlock(response) {
  const ok = response.status >= 200 && response.status < 300;
  let body = response.body;
  if (response.headers['content-type'].startsWith('application/json')) {
    try {
      body = JSON.stringify(JSON.parse(body), null, 2);
    } catch { /* as sent */ }
  }
  return h('pre', { class: 'response', id: 'response', 'data-status': response.status, tabindex: '0', 'aria-label': 'The response' },
    h('span', { class: ok ? 'st-ok' : 'st-bad' }, `HTTP/1.1 ${response.status} ${REASONS[response.status] ?? ''}`.trim()), '\n',
    h('span', { class: 'hd' }, `content-type: ${response.headers['content-type']}`), '\n\n',
    body);
}

let lastAnnouncement = '';

function render(result, read, text) {
  const { setup } = read;
  const verdict = setup.length ? 'setup' : result.verdict;
  const why = setup.length
    ? 'The receiver would refuse to start with this setup. The checks below ran without the bad entries.'
    : result.verdict === 'accepted'
      ? `Answers ${result.response.status}: the event is handled once per dedup key.`
      : `Answers ${result.response.status} ${result.error.code}: ${result.error.message}.`;
  const title = { accepted: 'Accepted', refused: 'Refused', setup: 'Setup problem' }[verdict];
  const icon = { accepted: '✓', refused: '✗', setup: '!' }[verdict];
  const checkLine = [
    `Address ${stateWord(result.checks.address)}`,
    `${result.checks.authenticity.kind} ${stateWord(result.checks.authenticity)}`,
    `payload ${result.checks.payload.ok ? 'valid' : `invalid (${result.checks.payload.issues.length} issues)`}`,
    result.provider === 'r2' && result.checks.freshness ? `event time ${stateWord(result.checks.freshness)}` : null,
  ].filter(Boolean).join(', ');

  const banner = h('div', { class: `verdict ${verdict}`, id: 'verdict', 'data-verdict': verdict, 'data-status': result.response.status, 'data-code': result.error?.code },
    h('span', { class: 'icon', 'aria-hidden': 'true' }, icon),
    h('div', { class: 'title' }, title),
    h('div', { class: 'why' }, why),
    h('span', { class: 'sr-only' }, ` ${checkLine}.`));

  const announcement = `${title}. ${why} ${checkLine}`;
  if (announcement !== lastAnnouncement) {
    live.replaceChildren(banner);
    lastAnnouncement = announcement;
  } else {
    live.firstChild.replaceWith(banner);
  }

  const details = [];
  if (setup.length) {
    details.push(h('div', { class: 'note', id: 'setup', role: 'note' }, h('strong', {}, 'Fix the setup:'),
      h('ul', {}, setup.map((s) => h('li', { 'data-code': s.code }, s.message)))));
  }
  details.push(h('div', { class: 'panel' }, h('h3', {}, 'Checks, in the receiver’s order'),
    h('ol', { class: 'checks' }, addressItem(result, read.input), authenticityItem(result, read), payloadItem(result, text), freshnessItem(result))));

  const event = result.checks.payload.ok ? result.checks.payload.event : null;
  const kv = [];
  if (result.checks.payload.ok) {
    kv.push(h('dt', {}, 'Summary'), h('dd', { id: 'summary' }, result.checks.payload.summary));
  }
  if (result.dedupKey) {
    kv.push(h('dt', {}, 'Dedup key'), h('dd', {}, h('div', { class: 'copy-row' }, h('code', { id: 'dedup-key' }, result.dedupKey),
      h('button', { type: 'button', class: 'btn small', onclick: (e) => copy(result.dedupKey, e.currentTarget) }, 'Copy'))));
  }
  if (result.checks.payload.ok && result.checks.payload.seen.length) {
    kv.push(h('dt', {}, 'Variants seen'), h('dd', {}, h('div', { class: 'badges' }, result.checks.payload.seen.map((s) => h('span', { class: 'badge' }, s)))));
  }
  if (kv.length) {
    details.push(h('div', { class: 'panel', id: 'event-panel' }, h('h3', {}, 'Event'), h('dl', { class: 'kv' }, kv),
      event ? h('details', { class: 'event' }, h('summary', {}, 'Parsed event (JSON)'), h('pre', { tabindex: '0' }, JSON.stringify(event, null, 2))) : null));
  }
  details.push(h('div', { class: 'panel' }, h('h3', {}, 'The response a receiver sends'), responseBlock(result.response)));
  $('details').replaceChildren(...details);

  const chip = $('sticky-verdict');
  chip.hidden = false;
  chip.className = `sticky-verdict ${verdict}`;
  chip.querySelector('.text').textContent = `${title} · ${result.response.status}${result.error ? ` ${result.error.code}` : ''}`;
}

const stateWord = (check) => (check.checked === false ? 'not checked' : check.ok ? 'valid' : `failed (${check.code})`);

async function copy(text, button) {
  try {
    await navigator.clipboard.writeText(text);
    button.textContent = 'Copied';
  } catch {
    button.textContent = 'Select and copy';
  }
  setTimeout(() => { button.textContent = 'Copy'; }, 1500);
}

function renderEmpty() {
  currentIssues = [];
  renderBackdrop();
  lastAnnouncement = '';
  live.replaceChildren(h('div', { class: 'verdict empty', id: 'verdict', 'data-verdict': 'empty' },
    h('span', { class: 'icon', 'aria-hidden': 'true' }, '…'),
    h('div', { class: 'title' }, 'Waiting for a delivery'),
    h('div', { class: 'why' }, 'Paste a capture, or load a fixture and sign it, to see the verdict here.')));
  $('details').replaceChildren(h('div', { class: 'panel' }, h('h3', {}, 'How it works'),
    h('ol', { class: 'steps' },
      h('li', {}, 'Choose R2 or Belvo.'),
      h('li', {}, 'Paste a raw HTTP request or a curl command, or a body and its headers.'),
      h('li', {}, 'Enter the secrets (R2) or the accepted Authorization values (Belvo).'),
      h('li', {}, 'Optionally the sender’s address and an allowlist.')),
    h('p', { class: 'hint' }, 'Each check runs even when another fails, so you see every reason at once.')));
  $('sticky-verdict').hidden = true;
}

// ---------------------------------------------------------------------------------------------
// Recompute

function recompute() {
  const text = form.body.value;
  $('body-meta').textContent = text ? `${utf8Length(text).toLocaleString('en')} bytes` : '';
  if (!text && !form.headers.value.trim()) {
    readForm();
    renderEmpty();
    return;
  }
  const read = readForm();
  let result;
  try {
    result = inspectDelivery(read.input);
  } catch (error) {
    currentIssues = [];
    renderBackdrop();
    live.replaceChildren(h('div', { class: 'verdict setup', id: 'verdict', 'data-verdict': 'setup', 'data-code': error?.code },
      h('span', { class: 'icon', 'aria-hidden': 'true' }, '!'),
      h('div', { class: 'title' }, 'Setup problem'),
      h('div', { class: 'why' }, `${error?.message ?? error} `, error?.code ? codeChip(error.code) : '')));
    $('details').replaceChildren();
    lastAnnouncement = '';
    return;
  }
  const issues = result.checks.payload.ok ? [] : result.checks.payload.issues;
  currentIssues = issues.map((issue) => ({ ...issue, ranges: issueRanges(text, issue) }));
  if (activeIssue !== null && activeIssue >= currentIssues.length) activeIssue = null;
  renderBackdrop();
  render(result, read, text);
}

let timer = null;
function schedule() {
  live.dataset.pending = 'true';
  clearTimeout(timer);
  timer = setTimeout(() => {
    timer = null;
    try {
      recompute();
    } finally {
      live.dataset.pending = 'false';
    }
  }, 150);
}

// ---------------------------------------------------------------------------------------------
// Capture, fixtures, signing

let lastCapture = '';
function applyCapture() {
  const text = form.capture.value;
  if (text === lastCapture) return;
  lastCapture = text;
  form.capture.classList.remove('invalid');
  if (!text.trim()) {
    setStatus('capture-status', '');
    return;
  }
  try {
    const capture = parseCapture(text);
    form.body.value = capture.body;
    form.headers.value = Object.entries(capture.headers).map(([name, value]) => `${titleCase(name)}: ${value}`).join('\n');
    bodyChanged();
    autogrow(form.headers);
    const what = capture.format === 'curl' ? 'a curl command' : 'a raw HTTP request';
    setStatus('capture-status', `Read ${what} (${capture.method} ${capture.url}): filled the body (${plural(utf8Length(capture.body), 'byte')}) and ${plural(Object.keys(capture.headers).length, 'header')}.`, 'ok');
  } catch (error) {
    form.capture.classList.add('invalid');
    setStatus('capture-status', `${capitalise(error.message)} (${error.code}).`, 'bad');
  }
}

function bodyChanged() {
  activeIssue = null;
  currentIssues = [];
  autogrow(form.body);
  renderBackdrop();
}

/**
 * A fixture as the provider would send it now. The bundled R2 fixtures carry event_times
 * from 2012–2024, which a receiver refuses as event_stale, so event.event_time is stamped
 * with the current time (unix seconds, spelled as the fixture spells it), as `payhook
 * fixture` does. Belvo sends no time.
 */
function freshFixture(provider, name) {
  const event = fixture(provider, name);
  if (provider === 'r2' && event.event && typeof event.event === 'object') {
    const seconds = Math.floor(Date.now() / 1000);
    event.event.event_time = typeof event.event.event_time === 'string' ? String(seconds) : seconds;
  }
  return event;
}

function loadFixture() {
  const provider = form.provider();
  const name = form.fixture.value;
  form.body.value = JSON.stringify(freshFixture(provider, name), null, 2);
  bodyChanged();
  setStatus('sign-status', '');
  schedule();
}

function setHeader(name, value) {
  const kept = form.headers.value.split('\n').filter((line) => line.trim() && line.split(':')[0].trim().toLowerCase() !== name.toLowerCase());
  form.headers.value = [...kept, `${name}: ${value}`].join('\n');
  autogrow(form.headers);
}

function sign() {
  const secrets = lines(form.secrets.value);
  if (!secrets.length) {
    setStatus('sign-status', 'Enter a secret in step 3 first.', 'bad');
    form.secrets.focus();
    return;
  }
  const encoding = form.encoding.value;
  try {
    setHeader('Content-Sha256', signR2(form.body.value, secrets[0].value, { encoding }));
    setStatus('sign-status', `Signed with secret #1 (line ${secrets[0].line}), ${ENCODINGS[encoding]}: Content-Sha256 is set in the headers.`, 'ok');
  } catch (error) {
    setStatus('sign-status', `${capitalise(error.message)} (${error.code}).`, 'bad');
  }
  schedule();
}

// ---------------------------------------------------------------------------------------------
// Wiring

const details = h('div', { id: 'details' });
$('results').append(details);

for (const radio of document.querySelectorAll('input[name="provider"]')) {
  radio.addEventListener('change', () => {
    syncProvider();
    schedule();
  });
}
form.capture.addEventListener('input', () => {
  autogrow(form.capture);
  live.dataset.pending = 'true';
  clearTimeout(timer);
  timer = setTimeout(() => {
    timer = null;
    try {
      applyCapture();
      recompute();
    } finally {
      live.dataset.pending = 'false';
    }
  }, 150);
});
form.body.addEventListener('input', () => {
  bodyChanged();
  schedule();
});
form.body.addEventListener('scroll', () => { form.backdrop.scrollTop = form.body.scrollTop; });
for (const el of [form.headers, form.secrets, form.authorization, form.custom, form.proxies]) {
  el.addEventListener('input', () => {
    autogrow(el);
    schedule();
  });
}
for (const el of [form.peer, form.hops]) el.addEventListener('input', schedule);
for (const el of [form.allowlist, form.trust, form.trustHeader]) {
  el.addEventListener('change', () => {
    syncAddress();
    schedule();
  });
}
form.strict.addEventListener('change', schedule);
$('load-fixture').addEventListener('click', loadFixture);
$('sign').addEventListener('click', sign);
$('clear').addEventListener('click', () => {
  for (const el of [form.capture, form.body, form.headers, form.secrets, form.authorization, form.custom, form.proxies, form.peer]) el.value = '';
  form.allowlist.value = 'none';
  form.trust.value = 'none';
  form.strict.checked = false;
  lastCapture = '';
  for (const id of ['capture-status', 'sign-status']) setStatus(id, '');
  syncAddress();
  bodyChanged();
  for (const el of [form.capture, form.headers, form.secrets, form.authorization]) autogrow(el);
  schedule();
  form.capture.focus();
});
$('form').addEventListener('submit', (event) => event.preventDefault());
let resizeTimer = null;
window.addEventListener('resize', () => {
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(() => autogrow(form.body), 100);
});

syncProvider();
syncAddress();
$('loading').remove();
bodyChanged();
recompute();
live.dataset.pending = 'false';
document.documentElement.dataset.ready = 'true';
