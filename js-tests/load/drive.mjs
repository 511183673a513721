// Sends pre-built deliveries with autocannon and checks the answer to each one. autocannon
// builds each request in `setupRequest` from a shared cursor, so every delivery is sent once;
// with pipelining 1 a connection has one request in flight, so the connection's context
// says which delivery an answer belongs to.
import { request as httpRequest } from 'node:http';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const toolsDir = process.env.PAYHOOK_LOAD_TOOLS;
if (!toolsDir) throw new Error('set PAYHOOK_LOAD_TOOLS to the directory autocannon is installed in (scripts/load.sh does)');
const autocannon = createRequire(join(toolsDir, 'package.json'))('autocannon');

/** Answers checked against the deliveries' expected verdicts, per kind. */
export class Verdicts {
  constructor(deliveries) {
    this.deliveries = deliveries;
    this.answers = new Uint8Array(deliveries.length); // how many answers each delivery got
    this.kinds = new Map(); // kind -> { sent, wrong, example }
  }

  /** Records one answer; a wrong status or a wrong body (error code, success text) is wrong. */
  answer(index, status, body) {
    const { kind, expect } = this.deliveries[index];
    this.answers[index]++;
    const stats = this.kind(kind);
    stats.sent++;
    let error;
    try {
      error = expect.error === undefined ? undefined : JSON.parse(body).error;
    } catch {
      error = '(not JSON)';
    }
    const right = status === expect.status && (expect.error === undefined ? body === expect.text : error === expect.error);
    if (!right) {
      stats.wrong++;
      stats.example ??= `delivery ${index}: expected ${expect.status} ${expect.error ?? expect.text}, got ${status} ${body.slice(0, 120)}`;
    }
  }

  kind(kind) {
    if (!this.kinds.has(kind)) this.kinds.set(kind, { sent: 0, wrong: 0, example: undefined });
    return this.kinds.get(kind);
  }

  /** { wrong, unanswered, repeated, lost: "kind n, ..." (the unanswered by kind) }. */
  summary() {
    let unanswered = 0;
    let repeated = 0;
    const lost = new Map();
    this.answers.forEach((n, i) => {
      if (n === 0) {
        unanswered++;
        const { kind } = this.deliveries[i];
        lost.set(kind, (lost.get(kind) ?? 0) + 1);
      }
      if (n > 1) repeated++;
    });
    const wrong = [...this.kinds.values()].reduce((n, k) => n + k.wrong, 0);
    return { wrong, unanswered, repeated, lost: [...lost].map(([k, n]) => `${k} ${n}`).join(', ') };
  }
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

/** Several drive() runs as one: { rate (req/s), p50, p99 (ms), errors, timeouts }. */
export function combine(runs) {
  const latencies = runs.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const seconds = runs.reduce((n, r) => n + r.seconds, 0);
  const sum = (key) => runs.reduce((n, r) => n + r[key], 0);
  return { rate: latencies.length / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99), errors: sum('errors'), timeouts: sum('timeouts') };
}

/**
 * Sends the deliveries at `indices` to `url` over `connections` keep-alive connections and
 * records each answer in `verdicts`. Resolves to { seconds, latencies (ms, per answer, as
 * autocannon's client measured them), errors, timeouts }.
 */
export async function drive({ url, verdicts, indices, connections = 16 }) {
  const { deliveries } = verdicts;
  let cursor = 0;
  const latencies = [];
  const started = performance.now();
  const run = autocannon({
    url,
    connections: Math.min(connections, indices.length),
    pipelining: 1,
    amount: indices.length,
    timeout: 30,
    requests: [{
      method: 'POST',
      setupRequest(request, context) {
        // autocannon sends exactly `amount` requests; past the end would be a driver bug.
        const index = indices[Math.min(cursor++, indices.length - 1)];
        context.index = index;
        const { path, headers, body } = deliveries[index];
        return { ...request, path, headers: { ...headers }, body };
      },
      onResponse(status, body, context) {
        verdicts.answer(context.index, status, body);
      },
    }],
  });
  run.on('response', (_client, _status, _bytes, ms) => latencies.push(ms));
  const result = await run;
  return { seconds: (performance.now() - started) / 1000, latencies, errors: result.errors, timeouts: result.timeouts };
}

/**
 * Sends the deliveries at `indices` one at a time, each on its own connection (Connection:
 * close), and records each answer. For bodies a receiver may refuse unread: workerd then
 * resets the keep-alive connection after its answer, and autocannon, which reuses it, would
 * lose the next request sent on it.
 */
export async function sendAlone({ url, verdicts, indices }) {
  for (const index of indices) {
    const { path, headers, body } = verdicts.deliveries[index];
    // workerd may reset the connection while the refused body is still being sent, before
    // the 413 is read (about 1 in 300); a sender retries, and so does this, up to 3 times.
    let answer;
    for (let attempt = 0; attempt < 3 && !(answer && !answer.error); attempt++) {
      answer = await post(url, path, headers, body);
    }
    if (!answer.error) verdicts.answer(index, answer.status, answer.text);
  }
}

/** One POST on a connection of its own: `{ status, text }` or `{ error }`. */
function post(url, path, headers, body) {
  return new Promise((resolve, reject) => {
    const req = httpRequest(new URL(path, url), { method: 'POST', agent: false, headers: { ...headers, connection: 'close' } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => { text += chunk; });
      res.on('end', () => resolve({ status: res.statusCode, text }));
    });
    req.on('error', reject);
    req.end(body);
  }).catch((error) => ({ error }));
}
