#!/usr/bin/env node
// payhook's command line: fixtures, signatures, real deliveries and a verifier, over the same
// wasm core the receivers run. Node built-ins only; the public API comes from ./node.js.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { parseArgs } from 'node:util';
// A namespace import, so that a build without the newer functions (inspectDelivery,
// parseCapture) still runs every other command.
import * as payhook from './node.js';
import * as tools from './tools-node.js';

const PROVIDERS = ['r2', 'belvo'];
const ENCODINGS = ['base64-hex', 'base64', 'base64url', 'hex'];
const NAME = { r2: 'R2', belvo: 'Belvo' };

// ---------------------------------------------------------------------------------------------
// Help

const HELP = {
  main: `payhook: R2 and Belvo webhooks from the command line

Usage: payhook <command> [options]

Commands:
  fixture <provider> [name]      print a valid event (without a name: list the names)
  sign r2 --secret S [file|-]    print the Content-Sha256 header R2 would send for a body
  send <url> <provider> <type|file>
                                 deliver real HTTP POSTs as the provider would, with its
                                 retry schedule (compressed by --speed)
  verify <provider> --capture file|-
                                 check a captured request: address, signature or
                                 Authorization, payload; say what a receiver would answer
  help [command]                 this text, or a command's

Providers: r2, belvo.

Options for every command:
  --help, -h      the command's help
  --json          machine-readable output on stdout
  --version       payhook's version

Exit codes: 0 success (delivered, accepted); 1 not delivered or refused; 2 usage error or
input that could not be read. Run 'payhook <command> --help' for a command's options.`,

  fixture: `Usage: payhook fixture <provider> [name] [options]

Prints a valid event of that type as JSON (2-space indented). Without a name, lists the
names for the provider (R2: event types; Belvo: TYPE.code).

An R2 event is stamped as sent now: its event.event_time is the current time (unix seconds,
an integer), since a receiver refuses an event older than its replay window (14 days by
default) as event_stale. --time (or --set event.event_time=…) gives another time.

Options:
  --set path=value   set a value by dotted path (repeatable); the value is parsed as JSON
                     when it parses, else taken as a string:
                     --set financing.disbursed_amount=5000 --set event.event_time=1712345678
  --time <seconds>   R2: event.event_time (unix seconds; default: now)
  --id <id>          R2: the event object's id (financing_id, collection_id, retention_id,
                     application_id; collection_rejected: collection.financing_id);
                     Belvo: object_id (link_id for aggregation webhooks)
  --status <status>  Belvo: data.status; R2: financing.status (financing events)
  --json             the list of names as a JSON array (an event is JSON already)
  --help, -h         this text

The shortcuts are applied first, then each --set in order.

Examples:
  payhook fixture r2
  payhook fixture r2 financing_created --id fa5c8a0b --set financing.disbursed_amount=5000
  payhook fixture r2 financing_paid --time 1712345678
  payhook fixture belvo CHARGES.STATUS_UPDATE --status SUCCEEDED`,

  sign: `Usage: payhook sign r2 --secret <secret> [--encoding <encoding>] [file|-]

Prints the Content-Sha256 value R2 would send with this body: HMAC-SHA256 keyed with the
secret (R2's jwtSecret), over the bytes exactly as read from the file, or from stdin with
'-' or no file. (Belvo signs nothing: it sends back the Authorization value you registered.)

Options:
  --secret <secret>      R2's jwtSecret (required)
  --encoding <encoding>  base64-hex (default: the form of R2's own example value), base64,
                         base64url (unpadded) or hex (what 'openssl dgst -sha256 -hmac' prints)
  --json                 {"header","value","encoding","bytes"}
  --help, -h             this text

Examples:
  payhook sign r2 --secret "$R2_SECRET" body.json
  payhook fixture r2 financing_paid | payhook sign r2 --secret "$R2_SECRET" --encoding hex`,

  send: `Usage: payhook send <url> <provider> <type|file> [options]

Delivers a real HTTP POST as the provider would, and retries a failed attempt on the
provider's schedule:
  R2     User-Agent: R2 API, Content-Type: application/json, Content-Sha256 (with --secret);
         satisfied by status 200 with a body containing 'R2 API Event Received' within 30 s;
         retries after 5 min, 15 min, 45 min, 2 h 15 min, 6 h 45 min, 20 h 15 min.
  Belvo  Content-Type: application/json, Authorization (with --authorization);
         satisfied by any 2xx within 5 s; retries 3 times, 60 s apart.
An attempt fails on a network error, no answer in time, or an answer that does not satisfy
the provider. The body is a fixture (compact JSON; see 'payhook fixture <provider>'), or the
bytes of a file exactly as read ('-' is stdin). An R2 fixture is sent as R2 would send it
now: its event.event_time is the current time (unix seconds), unless --time gives one; a
file is sent as it is. Every attempt and every --times delivery sends the same bytes.

Options:
  --secret <secret>          R2: sign the body (without it no Content-Sha256 is sent)
  --encoding <encoding>      R2: the signature's encoding (base64-hex, base64, base64url, hex)
  --authorization <value>    Belvo: the Authorization header ('Bearer <token>', 'Basic …')
  --header 'Name: value'     add or replace a header (repeatable); 'Name:' removes one
  --times <n>                send the same delivery n times, as a re-delivery would (1)
  --speed <factor>           divide every retry delay by this (1; 10000 makes 5 min 30 ms)
  --timeout <ms>             how long to wait for an answer (the provider's: R2 30000, Belvo 5000)
  --set path=value, --time <s>, --id <id>, --status <s>
                             change the event, as for 'payhook fixture' (a file is then
                             parsed and sent re-serialised); --time: R2's event.event_time
                             in unix seconds (a fixture's default: now)
  --json                     the whole report as JSON
  --help, -h                 this text

Exits 0 when every delivery was delivered, 1 when one was given up.

Examples:
  payhook send http://127.0.0.1:8080/webhooks/r2 r2 financing_created --secret "$R2_SECRET"
  payhook send "$URL" belvo PAYMENT_INTENTS.STATUS_UPDATE --authorization "Bearer $TOKEN" --times 2
  payhook send "$URL" r2 body.json --secret "$R2_SECRET" --speed 10000`,

  verify: `Usage: payhook verify <provider> (--capture file|- | --body file --header 'Name: value'...) [options]

Checks a captured delivery the way a receiver would, running every check (it does not stop
at the first failure): the sender's address, R2's signature or Belvo's Authorization, the
payload (each problem with its JSON path) and, for R2, whether the signed event_time is
within a receiver's replay window now (an older capture is refused as event_stale, answered
200); prints the event summary, the dedup key and the response a receiver would send.

Input:
  --capture <file|->         a raw HTTP request, or a curl command (-H, -d/--data*, -u, -A)
  --body <file|->            the raw body (bytes as read), with the headers given by --header
  --header 'Name: value'     a header (repeatable); with --capture, adds or replaces one

Checks:
  --secret <secret>          R2: a jwtSecret (repeatable: rotation)
  --authorization <value>    Belvo: an accepted Authorization value (repeatable)
  --allowlist <list>         r2, r2-production, belvo, or cidr,cidr,…
  --trust <trust>            none (default), cloudflare, proxies:cidr,cidr, or hops:N
  --peer <ip>                the socket peer the request came from
  --strict                   refuse unknown event types and flag unknown fields
  --json                     the report as JSON
  --help, -h                 this text

Exits 0 when a receiver would accept the delivery, 1 when it would refuse it.

Examples:
  payhook verify r2 --capture request.txt --secret "$R2_SECRET" --allowlist r2 --peer 54.215.38.39
  payhook verify belvo --body body.json --header 'Authorization: Bearer t0k3n' --authorization 'Bearer t0k3n'`,
};

// ---------------------------------------------------------------------------------------------
// Errors and argument parsing

/** A mistake on the command line: a one-line message, a hint, exit code 2. */
class UsageError extends Error {}
/** Input that could not be read (a missing file): exit code 2, no hint. */
class InputError extends Error {}

const isPayhookError = (err) => err instanceof payhook.PayhookError || err?.name === 'PayhookError';

/** Parses a command's arguments; every unknown flag or missing value is a UsageError. */
function parse(args, options) {
  try {
    return parseArgs({
      args,
      options: { ...options, help: { type: 'boolean', short: 'h' }, json: { type: 'boolean' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (err) {
    const flag = /'(-{1,2}[^' ]+)/.exec(err.message)?.[1] ?? '';
    switch (err.code) {
      case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
        throw new UsageError(`unknown option ${flag}`);
      case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
        if (/ambiguous/.test(err.message)) {
          throw new UsageError(`${flag} needs a value (for one starting with '-', write ${flag}=-…)`);
        }
        throw new UsageError(/argument missing/.test(err.message) ? `${flag} needs a value` : `${flag} takes no value`);
      default:
        throw new UsageError(err.message.split('\n')[0]);
    }
  }
}

const stringOpt = { type: 'string' };
const manyOpt = { type: 'string', multiple: true };
const EDIT_OPTIONS = { set: manyOpt, time: stringOpt, id: stringOpt, status: stringOpt };

function provider(value, command) {
  if (value === undefined) throw new UsageError(`missing <provider> (r2 or belvo)`);
  const name = value.toLowerCase();
  if (!PROVIDERS.includes(name)) throw new UsageError(`unknown provider '${value}' (r2 or belvo)`);
  return name;
}

function noMorePositionals(positionals, count) {
  if (positionals.length > count) throw new UsageError(`unexpected argument '${positionals[count]}'`);
}

/** A file's bytes, or stdin's with '-', exactly as read. */
async function readInput(path) {
  if (path === '-') {
    if (process.stdin.isTTY) throw new UsageError('stdin is a terminal: give a file, or pipe the body in');
    const chunks = [];
    try {
      for await (const chunk of process.stdin) chunks.push(chunk);
    } catch (err) {
      throw new InputError(`cannot read stdin: ${err.code ?? err.message}`);
    }
    return Buffer.concat(chunks);
  }
  try {
    return readFileSync(path);
  } catch (err) {
    throw new InputError(`cannot read ${path}: ${err.code === 'ENOENT' ? 'no such file' : err.code ?? err.message}`);
  }
}

/**
 * Input as UTF-8 text. Over V8's longest string (512 MiB) decoding throws: input that could
 * not be read (exit 2), never an uncaught error (exit 1, "refused", and a stack trace).
 */
function textOf(bytes, path) {
  try {
    return bytes.toString('utf8');
  } catch (err) {
    throw new InputError(`cannot read ${path === '-' ? 'stdin' : path} as text: ${err.code ?? err.message}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Events: fixtures and edits

/** A dotted path into the JSON; numeric segments index arrays. Creates objects on the way. */
function setPath(root, path, value) {
  const keys = path.split('.');
  if (keys.some((key) => key === '')) throw new UsageError(`--set: bad path '${path}'`);
  let node = root;
  for (const [i, key] of keys.entries()) {
    if (node === null || typeof node !== 'object') {
      throw new UsageError(`--set ${path}: '${keys.slice(0, i).join('.')}' is not an object`);
    }
    if (i === keys.length - 1) node[key] = value;
    else {
      if (!(key in node)) node[key] = {};
      node = node[key];
    }
  }
}

function parseSetValue(text) {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Applies --time, --id, --status, then each --set, to a raw event object (in place). */
function editEvent(event, name, values) {
  const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
  if (values.time !== undefined) {
    if (name !== 'r2') throw new UsageError('--time applies to R2 events (event.event_time)');
    if (!/^\d+$/.test(values.time)) throw new UsageError(`--time takes unix seconds, not '${values.time}'`);
    if (!isObject(event.event)) throw new UsageError('--time: this event has no event object');
    event.event.event_time = Number(values.time);
  }
  if (values.id !== undefined) {
    if (name === 'belvo') {
      if ('object_id' in event || !('link_id' in event)) event.object_id = values.id;
      else event.link_id = values.id;
    } else {
      const key = Object.keys(event).find((k) => k !== 'event' && isObject(event[k]));
      if (!key) throw new UsageError('--id: this R2 event has no object besides event');
      const object = event[key];
      const field = `${key}_id` in object ? `${key}_id` : Object.keys(object).find((k) => k.endsWith('_id')) ?? `${key}_id`;
      object[field] = values.id;
    }
  }
  if (values.status !== undefined) {
    if (name === 'belvo') {
      if (!isObject(event.data)) event.data = {};
      event.data.status = values.status;
    } else {
      if (!isObject(event.financing)) throw new UsageError('--status applies to Belvo webhooks and R2 financing events');
      event.financing.status = values.status;
    }
  }
  for (const assignment of values.set ?? []) {
    const eq = assignment.indexOf('=');
    if (eq <= 0) throw new UsageError(`--set takes path=value, not '${assignment}'`);
    setPath(event, assignment.slice(0, eq), parseSetValue(assignment.slice(eq + 1)));
  }
  return event;
}

const edits = (values) => ['set', 'time', 'id', 'status'].some((k) => values[k] !== undefined);

function fixtureOf(name, type) {
  if (!tools.fixtureNames(name).includes(type)) {
    throw new UsageError(`no ${NAME[name]} fixture '${type}' ('payhook fixture ${name}' lists them)`);
  }
  return tools.fixture(name, type);
}

/**
 * A fixture as the provider would send it now, then edited. The bundled R2 fixtures carry
 * event_times from 2012-2024, which a receiver refuses as event_stale (its replay window), so
 * event.event_time is stamped with the current time (unix seconds, an integer) unless --time
 * gives one; --set event.event_time=… still wins, being applied last. Belvo sends no time.
 */
function fixtureEvent(name, type, values) {
  const event = fixtureOf(name, type);
  const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
  if (name === 'r2' && values.time === undefined && isObject(event.event)) {
    event.event.event_time = Math.floor(Date.now() / 1000);
  }
  return editEvent(event, name, values);
}

function cmdFixture(args) {
  const { values, positionals } = parse(args, EDIT_OPTIONS);
  if (values.help) return help('fixture');
  const name = provider(positionals[0]);
  noMorePositionals(positionals, 2);
  if (positionals[1] === undefined) {
    if (edits(values)) throw new UsageError('--set, --time, --id and --status need a fixture name');
    const names = tools.fixtureNames(name);
    print(values.json ? JSON.stringify(names, null, 2) : names.join('\n'));
    return 0;
  }
  const event = fixtureEvent(name, positionals[1], values);
  print(JSON.stringify(event, null, 2));
  return 0;
}

// ---------------------------------------------------------------------------------------------
// sign

function encodingOf(value) {
  if (value === undefined) return undefined;
  if (!ENCODINGS.includes(value)) throw new UsageError(`unknown encoding '${value}' (${ENCODINGS.join(', ')})`);
  return value;
}

async function cmdSign(args) {
  const { values, positionals } = parse(args, { secret: stringOpt, encoding: stringOpt });
  if (values.help) return help('sign');
  const name = provider(positionals[0]);
  if (name === 'belvo') throw new UsageError("Belvo signs nothing: it sends the Authorization value you registered");
  noMorePositionals(positionals, 2);
  if (values.secret === undefined) throw new UsageError('missing --secret');
  const encoding = encodingOf(values.encoding) ?? 'base64-hex';
  const body = await readInput(positionals[1] ?? '-');
  const value = payhook.signR2(body, values.secret, { encoding });
  print(values.json ? JSON.stringify({ header: 'Content-Sha256', value, encoding, bytes: body.length }, null, 2) : value);
  return 0;
}

// ---------------------------------------------------------------------------------------------
// send

/** `Name: value` lines into [name, value] pairs; an empty value removes the header. */
function headerPairs(lines = []) {
  return lines.map((line) => {
    const colon = line.indexOf(':');
    const name = colon > 0 ? line.slice(0, colon).trim() : '';
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) throw new UsageError(`--header takes 'Name: value', not '${line}'`);
    return [name, line.slice(colon + 1).trim()];
  });
}

/** Sets a header in an object keyed by display name, replacing any other case of the name. */
function putHeader(headers, name, value) {
  for (const key of Object.keys(headers)) if (key.toLowerCase() === name.toLowerCase()) delete headers[key];
  if (value !== '') headers[name] = value;
}

/** Never print a credential: the scheme stays, the rest is masked. */
function redact(name, value) {
  if (name.toLowerCase() !== 'authorization') return value;
  const [scheme, ...rest] = value.split(' ');
  return rest.length ? `${scheme} ****` : '****';
}

/**
 * A URL as printed: credentials in it (`https://user:pass@host/`, which Node's request and
 * curl send as Basic authorization) masked, as an Authorization header is.
 */
function redactUrl(text) {
  let url;
  try {
    url = new URL(text);
  } catch {
    return text; // a path (a raw request's origin form): no credentials
  }
  if (url.username === '' && url.password === '') return text;
  url.username = '****';
  url.password = '';
  return url.href;
}

function duration(ms) {
  if (ms < 1000) return `${Number.isInteger(ms) ? ms : Number(ms.toFixed(ms < 10 ? 2 : 1))} ms`;
  if (ms < 60_000) return `${Number((ms / 1000).toFixed(1))} s`;
  const h = Math.floor(ms / 3_600_000);
  const min = Math.round((ms % 3_600_000) / 60_000);
  return [h && `${h} h`, min && `${min} min`].filter(Boolean).join(' ') || '0 min';
}

function positiveNumber(flag, text, integer) {
  const n = Number(text);
  if (text === undefined) return undefined;
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) {
    throw new UsageError(`${flag} takes a ${integer ? 'positive integer' : 'positive number'}, not '${text}'`);
  }
  return n;
}

/**
 * One POST. Resolves (never rejects) to what came back: status, headers, body, elapsed ms,
 * or an error ('timeout', 'ECONNREFUSED', …).
 */
function post(url, headers, body, timeoutMs) {
  return new Promise((resolve) => {
    const started = performance.now();
    const elapsed = () => Math.round((performance.now() - started) * 10) / 10;
    let response = null;
    let settled = false;
    const chunks = [];
    let size = 0;
    const finish = (error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString('utf8');
      if (response && (!error || error === 'aborted-after-answer')) {
        resolve({ status: response.statusCode, headers: response.headers, body: text, elapsedMs: elapsed(), error: null });
      } else {
        resolve({ status: null, headers: {}, body: '', elapsedMs: elapsed(), error });
      }
    };
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(url, { method: 'POST', headers, agent: false });
    const timer = setTimeout(() => {
      finish('timeout');
      req.destroy();
    }, timeoutMs);
    req.on('response', (res) => {
      response = res;
      res.on('data', (chunk) => {
        if (size < 65_536) chunks.push(chunk);
        size += chunk.length;
      });
      res.on('end', () => finish(null));
      res.on('error', () => finish('aborted-after-answer'));
      res.on('aborted', () => finish('aborted-after-answer'));
    });
    // A receiver may answer (413) and close before reading the whole body: the answer counts.
    req.on('error', (err) => (response ? finish('aborted-after-answer') : finish(err.code ?? err.message)));
    req.end(body);
  });
}

/** Whether an answer satisfies the provider, and why not. */
function judge(name, policy, timeoutMs, got) {
  const ackBody = policy.ackBody;
  if (got.error) {
    const reason = got.error === 'timeout' ? `no answer within ${timeoutMs} ms` : `no answer: ${got.error}`;
    return { satisfied: false, exactBody: null, reason };
  }
  const statusOk = got.status >= policy.ackStatus && got.status <= policy.ackMaxStatus;
  const bodyOk = ackBody === '' || got.body.includes(ackBody);
  const exactBody = ackBody === '' ? null : got.body === ackBody;
  const wanted = policy.ackStatus === policy.ackMaxStatus ? `${policy.ackStatus}` : `${policy.ackStatus}-${policy.ackMaxStatus}`;
  let reason;
  if (!statusOk) reason = `status ${got.status}: ${NAME[name]} needs ${wanted}`;
  else if (!bodyOk) reason = `the body lacks '${ackBody}'`;
  else if (ackBody) reason = exactBody ? `status ${got.status}, body exactly '${ackBody}'` : `status ${got.status}, body contains '${ackBody}' (not exactly)`;
  else reason = `status ${got.status}`;
  return { satisfied: statusOk && bodyOk, exactBody, reason };
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function cmdSend(args) {
  const { values, positionals } = parse(args, {
    secret: stringOpt, authorization: stringOpt, encoding: stringOpt, times: stringOpt, speed: stringOpt,
    timeout: stringOpt, header: manyOpt, ...EDIT_OPTIONS,
  });
  if (values.help) return help('send');
  if (positionals.length < 3) {
    throw new UsageError(`missing ${['<url>', '<provider>', '<type|file>'].slice(positionals.length).join(' ')}`);
  }
  noMorePositionals(positionals, 3);
  const [target, providerArg, source] = positionals;
  let url;
  try {
    url = new URL(target);
  } catch {
    throw new UsageError(`not a URL: '${target}'`);
  }
  if (!['http:', 'https:'].includes(url.protocol)) throw new UsageError(`not an http(s) URL: '${target}'`);
  const name = provider(providerArg);
  if (name === 'belvo' && values.secret !== undefined) throw new UsageError('--secret is for R2 (Belvo signs nothing; use --authorization)');
  if (name === 'belvo' && values.encoding !== undefined) throw new UsageError('--encoding is for R2');
  if (name === 'r2' && values.authorization !== undefined) throw new UsageError('--authorization is for Belvo (R2 signs with --secret)');
  if (values.encoding !== undefined && values.secret === undefined) throw new UsageError('--encoding needs --secret');
  const encoding = encodingOf(values.encoding) ?? 'base64-hex';
  const times = positiveNumber('--times', values.times, true) ?? 1;
  const speed = positiveNumber('--speed', values.speed, false) ?? 1;
  const policy = payhook.deliveryPolicy(name);
  const timeoutMs = positiveNumber('--timeout', values.timeout, false) ?? policy.ackWithinMs;
  const extra = headerPairs(values.header);

  // The body: a fixture as compact JSON, or a file's bytes exactly (re-serialised if edited).
  let body;
  let origin;
  if (tools.fixtureNames(name).includes(source)) {
    body = Buffer.from(JSON.stringify(fixtureEvent(name, source, values)));
    origin = { fixture: source };
  } else if (source === '-' || (existsSync(source) && statSync(source).isFile())) {
    body = await readInput(source);
    origin = { file: source };
    if (edits(values)) {
      let event;
      try {
        event = JSON.parse(body.toString('utf8'));
      } catch {
        throw new InputError(`${source} is not JSON, so --set, --time, --id and --status cannot change it`);
      }
      body = Buffer.from(JSON.stringify(editEvent(event, name, values)));
    }
  } else {
    throw new UsageError(`'${source}' is neither a ${NAME[name]} fixture nor a file ('payhook fixture ${name}' lists the fixtures)`);
  }

  // The headers the provider sends, then the user's additions and removals.
  const headers = {};
  if (name === 'r2') {
    headers['User-Agent'] = 'R2 API';
    headers['Content-Type'] = 'application/json';
    if (values.secret !== undefined) headers['Content-Sha256'] = payhook.signR2(body, values.secret, { encoding });
  } else {
    headers['Content-Type'] = 'application/json';
    if (values.authorization !== undefined) headers.Authorization = values.authorization;
  }
  for (const [header, value] of extra) putHeader(headers, header, value);
  headers['Content-Length'] = String(body.length);
  const shown = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, redact(k, v)]));

  const waits = policy.retryDelaysMs.map((ms) => ms / speed);
  const report = {
    command: 'send', url: redactUrl(url.href), provider: name, source: origin, bytes: body.length, headers: shown,
    policy: {
      ackStatus: policy.ackStatus, ackMaxStatus: policy.ackMaxStatus, ackBody: policy.ackBody,
      ackWithinMs: policy.ackWithinMs, retryDelaysMs: policy.retryDelaysMs,
    },
    timeoutMs, speed, waitsMs: waits, deliveries: [], delivered: false,
  };
  const text = !values.json;
  if (text) {
    print(`payhook send: ${NAME[name]} ${origin.fixture ?? origin.file} (${body.length} bytes) to ${report.url}`);
    for (const [k, v] of Object.entries(shown)) print(`  ${k}: ${v}`);
    const schedule = policy.retryDelaysMs.map(duration).join(', ');
    print(`  ${NAME[name]} retries a failed attempt after ${schedule}${speed === 1 ? '' : `; at --speed ${speed}: ${waits.map(duration).join(', ')}`}`);
  }

  for (let n = 1; n <= times; n++) {
    const delivery = { delivery: n, attempts: [], delivered: false };
    report.deliveries.push(delivery);
    if (text && times > 1) print(`delivery ${n} of ${times}`);
    for (let attempt = 1; ; attempt++) {
      const waitedMs = attempt === 1 ? 0 : waits[attempt - 2];
      if (waitedMs) {
        if (text) print(`    waiting ${duration(waitedMs)}${speed === 1 ? '' : ` (${duration(policy.retryDelaysMs[attempt - 2])} / ${speed})`}`);
        await sleep(waitedMs);
      }
      const got = await post(url, headers, body, timeoutMs);
      const verdict = judge(name, policy, timeoutMs, got);
      const answer = got.body.slice(0, 200);
      delivery.attempts.push({
        attempt, waitedMs, status: got.status, body: answer, headers: got.headers, elapsedMs: got.elapsedMs,
        error: got.error, ...verdict,
      });
      if (text) {
        // The answer on one line, as received (control characters escaped).
        const shownBody = got.error ? '' : answer.replace(/[\x00-\x1f\x7f]/g, (c) => JSON.stringify(c).slice(1, -1)) + (got.body.length > 200 ? '…' : '');
        print(`  attempt ${attempt}  ${got.status ?? got.error}  ${duration(got.elapsedMs)}  ${shownBody}`.trimEnd());
        print(`    ${verdict.satisfied ? '✓ satisfies' : '✗ does not satisfy'} ${NAME[name]}: ${verdict.reason}`);
      }
      if (verdict.satisfied) {
        delivery.delivered = true;
        break;
      }
      if (attempt > waits.length) break;
    }
    const tries = delivery.attempts.length;
    if (text) {
      print(delivery.delivered
        ? `  delivered${tries > 1 ? ` after ${tries} attempts` : ''}`
        : `  given up after ${tries} attempt${tries > 1 ? 's' : ''} (${NAME[name]}'s schedule is exhausted)`);
    }
  }
  report.delivered = report.deliveries.every((d) => d.delivered);
  if (values.json) print(JSON.stringify(report, null, 2));
  else if (times > 1) print(`${report.deliveries.filter((d) => d.delivered).length} of ${times} deliveries delivered`);
  return report.delivered ? 0 : 1;
}

// ---------------------------------------------------------------------------------------------
// verify

function allowlistOf(value) {
  if (value === undefined) return undefined;
  switch (value) {
    case 'r2': return payhook.R2_ALLOWLIST;
    case 'r2-production': return payhook.Allowlist.r2('production');
    case 'r2-development': return payhook.Allowlist.r2('development');
    case 'belvo': return payhook.BELVO_ALLOWLIST;
    default: {
      const entries = value.split(',').map((s) => s.trim()).filter(Boolean);
      if (!entries.length) throw new UsageError(`--allowlist takes r2, r2-production, belvo or cidr,cidr, not '${value}'`);
      return new payhook.Allowlist(entries);
    }
  }
}

function trustOf(value) {
  if (value === undefined || value === 'none') return 'none';
  if (value === 'cloudflare') return 'cloudflare';
  const proxies = /^proxies:(.+)$/.exec(value);
  if (proxies) return { proxies: proxies[1].split(',').map((s) => s.trim()).filter(Boolean) };
  const hops = /^hops:(\d+)$/.exec(value);
  if (hops) return { hops: Number(hops[1]) };
  throw new UsageError(`--trust takes none, cloudflare, proxies:cidr,cidr or hops:N, not '${value}'`);
}

async function cmdVerify(args) {
  const { values, positionals } = parse(args, {
    capture: stringOpt, body: stringOpt, header: manyOpt, secret: manyOpt, authorization: manyOpt,
    allowlist: stringOpt, trust: stringOpt, peer: stringOpt, strict: { type: 'boolean' },
  });
  if (values.help) return help('verify');
  const name = provider(positionals[0]);
  noMorePositionals(positionals, 1);
  if ((values.capture === undefined) === (values.body === undefined)) {
    throw new UsageError(values.capture === undefined ? 'missing --capture or --body' : '--capture and --body exclude each other');
  }
  if (name === 'belvo' && values.secret) throw new UsageError('--secret is for R2 (Belvo: --authorization)');
  if (name === 'r2' && values.authorization) throw new UsageError('--authorization is for Belvo (R2: --secret)');
  if (values.capture === '-' && values.body === '-') throw new UsageError('only one input can come from stdin');
  const extra = headerPairs(values.header);
  const trust = trustOf(values.trust);
  const allowlist = allowlistOf(values.allowlist);

  let body;
  const headers = {};
  let capture = null;
  if (values.capture !== undefined) {
    capture = tools.parseCapture(textOf(await readInput(values.capture), values.capture));
    body = capture.body;
    for (const [k, v] of Object.entries(capture.headers)) headers[k.toLowerCase()] = v;
  } else {
    body = await readInput(values.body);
  }
  // Repeated --header lines of one name join as one field, in order (X-Forwarded-For hops).
  const given = new Set();
  for (const [k, v] of extra) {
    const key = k.toLowerCase();
    if (v === '') delete headers[key];
    else headers[key] = given.has(key) ? `${headers[key]}, ${v}` : v;
    given.add(key);
  }

  const input = { provider: name, body, headers, trust };
  if (values.peer !== undefined) input.peer = values.peer;
  if (values.secret) input.secrets = values.secret;
  if (values.authorization) input.authorization = values.authorization;
  if (allowlist) input.allowlist = allowlist;
  if (values.strict) input.strict = true;
  const report = tools.inspectDelivery(input);

  if (values.json) {
    const out = { command: 'verify', ...(capture && { capture: { format: capture.format, method: capture.method, url: redactUrl(capture.url) } }), ...report };
    print(JSON.stringify(out, null, 2));
  } else {
    printReport(name, { ...report, givenSecrets: Boolean(values.secret || values.authorization) }, capture, body);
  }
  return report.verdict === 'accepted' ? 0 : 1;
}

/** The report of inspectDelivery, for people: each check, then what a receiver would answer. */
function printReport(name, report, capture, body) {
  const bytes = typeof body === 'string' ? Buffer.byteLength(body) : body.length;
  if (capture) print(`${capture.format === 'curl' ? 'curl command' : 'raw HTTP request'}: ${capture.method} ${redactUrl(capture.url)} (${bytes} bytes)`);
  else print(`body: ${bytes} bytes`);
  const { address, authenticity, payload } = report.checks;
  const row = (check, label, text) => print(`${check.checked === false ? '–' : check.ok ? '✓' : '✗'} ${label.padEnd(14)} ${text}`);
  const failure = (check) => `${check.code}: ${check.message}`;

  if (address.checked === false) row(address, 'address', 'not checked (no --allowlist)');
  else if (address.ok) row(address, 'address', `${address.ip} (from ${address.source}) is on the allowlist`);
  else row(address, 'address', `${failure(address)}${address.ip ? ` (client ${address.ip}, from ${address.source})` : ''}`);

  const label = authenticity.kind ?? (name === 'r2' ? 'signature' : 'authorization');
  if (authenticity.checked === false) row(authenticity, label, `not checked (no ${name === 'r2' ? '--secret' : '--authorization'})`);
  else if (authenticity.ok) {
    row(authenticity, label, name === 'r2'
      ? `valid: ${authenticity.encoding} encoding, secret #${authenticity.secretIndex}`
      : `valid: ${authenticity.scheme}, accepted value #${authenticity.acceptedIndex}`);
  } else {
    const hint = authenticity.code === 'secret_invalid' && !report.givenSecrets ? ` (give ${name === 'r2' ? '--secret' : '--authorization'})` : '';
    row(authenticity, label, failure(authenticity) + hint);
  }

  if (payload.ok) row(payload, 'payload', `valid: ${payload.summary}`);
  else row(payload, 'payload', failure(payload));
  for (const issue of payload.issues ?? []) {
    const more = [issue.expected && `expected ${issue.expected}`, issue.found && `found ${issue.found}`].filter(Boolean).join(', ');
    print(`    ${issue.path || '""'}  ${issue.code}: ${issue.message}${more ? ` (${more})` : ''}`);
  }
  if (payload.seen?.length) print(`    seen: ${payload.seen.join(', ')}`);

  // R2's signed event_time against the replay window, as of now (Belvo sends no time).
  const { freshness } = report.checks;
  if (name === 'r2' && freshness) {
    if (freshness.checked === false) row(freshness, 'freshness', 'not checked (no valid event_time)');
    else row(freshness, 'freshness', freshness.ok ? 'event_time within the replay window' : failure(freshness));
  }

  const key = report.dedupKey === null ? '(none: the payload is not valid)'
    : `${report.dedupKey}${report.verdict === 'accepted' ? '' : ' (the payload\'s; a receiver records none for a refused delivery)'}`;
  print(`  ${'dedup key'.padEnd(14)} ${key}`);
  const { status, headers = {}, body: answer } = report.response;
  print(`  ${'response'.padEnd(14)} ${status} ${headers['content-type'] ?? ''}`.trimEnd());
  print(`  ${''.padEnd(14)} ${answer}`);
  print(report.verdict === 'accepted'
    ? `accepted: a receiver would answer ${status}`
    : `refused: ${report.error?.code} (${report.error?.status ?? status}): ${report.error?.message}`);
}

// ---------------------------------------------------------------------------------------------
// Main

function print(text) {
  process.stdout.write(`${text}\n`);
}

function help(command) {
  print(HELP[command]);
  return 0;
}

function version() {
  const { version: v } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
  return v;
}

const COMMANDS = { fixture: cmdFixture, sign: cmdSign, send: cmdSend, verify: cmdVerify };

async function main(argv) {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h') return help('main');
  if (command === '--version' || command === '-v') {
    print(version());
    return 0;
  }
  if (command === 'help') {
    if (rest[0] === undefined) return help('main');
    if (!COMMANDS[rest[0]]) throw new UsageError(`unknown command '${rest[0]}'`);
    return help(rest[0]);
  }
  if (!COMMANDS[command]) {
    // An option's name only, as parse() reports it: `--secret=…` before the command is no echo of the secret.
    throw new UsageError(command.startsWith('-') ? `unknown option ${command.split('=')[0]}` : `unknown command '${command}'`);
  }
  try {
    return await COMMANDS[command](rest);
  } catch (err) {
    if (err instanceof UsageError) err.command = command;
    throw err;
  }
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (err) {
  if (err instanceof UsageError) {
    const hint = err.command ? `payhook ${err.command} --help` : 'payhook --help';
    process.stderr.write(`payhook${err.command ? ` ${err.command}` : ''}: ${err.message} (see '${hint}')\n`);
    process.exitCode = 2;
  } else if (err instanceof InputError) {
    process.stderr.write(`payhook: ${err.message}\n`);
    process.exitCode = 2;
  } else if (isPayhookError(err)) {
    // A PayhookError here comes from the arguments (an empty secret, a bad allowlist entry, a
    // malformed capture): no verdict could be reached.
    process.stderr.write(`error ${err.code}: ${err.message}\n`);
    process.exitCode = 2;
  } else {
    throw err;
  }
}
