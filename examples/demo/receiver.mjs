// A webhook receiver for R2 and Belvo on node:http, using payhook. Copy it freely.
import { createServer } from 'node:http';
import { BELVO_ALLOWLIST, belvoReceiver, memoryStore, R2_ALLOWLIST, r2Receiver, validateBelvoWebhook, validateR2Event } from 'payhook';

// Webhook payloads are a few KiB: refuse anything bigger rather than buffer it.
const MAX_BODY = 1024 * 1024;

/**
 * Starts the receiver on 127.0.0.1 (port 0 picks a free port); resolves to
 * { url, close, handled }. `trust` says who may report the client address (see the README):
 * behind nginx on the same host that is `{ proxies: ['127.0.0.1', '::1'] }`. `handled` maps
 * each dedup key to how many times its event was handled (once, however often it arrived).
 *
 * For the demo, `/webhooks/r2/flaky` is the R2 route of a receiver whose database is down for
 * its first `flaky` requests: it answers them 503, so R2 retries.
 */
export async function startReceiver({ r2Secrets, belvoAccepted, trust = 'none', port = 0, flaky = 0 }) {
  // Neither provider sends a delivery id, and both retry: the receivers remember each
  // event's content-derived key, so handle() runs the handler once per event and acknowledges
  // a repeat without it. Bounded, per process; several processes need redisStore.
  const dedup = memoryStore();
  // Made once: the HMAC keys, allowlists and trust are compiled, then used for every delivery.
  const r2 = r2Receiver({ secrets: r2Secrets, allowlist: R2_ALLOWLIST, trust, maxBytes: MAX_BODY, dedup });
  const receivers = {
    '/webhooks/r2': r2,
    '/webhooks/r2/flaky': r2,
    '/webhooks/belvo': belvoReceiver({ authorization: belvoAccepted, allowlist: BELVO_ALLOWLIST, trust, maxBytes: MAX_BODY, dedup }),
  };
  const handled = new Map();
  let flakyLeft = flaky;
  const server = createServer(async (req, res) => {
    try {
      const path = req.url.split('?')[0];
      const receiver = receivers[path];
      if (!receiver) return sendJson(res, 404, { error: 'not_found' });
      if (req.method !== 'POST') return sendJson(res, 405, { error: 'method_not_allowed' }, { allow: 'POST' });
      if (path === '/webhooks/r2/flaky' && flakyLeft > 0) {
        // Failing before the delivery is checked or remembered: R2 will send it again.
        flakyLeft -= 1;
        req.resume();
        return sendJson(res, 503, { error: 'database_unavailable' });
      }
      const raw = await readBody(req, MAX_BODY);
      const delivery = { body: raw, headers: req.headers, peer: req };
      let duplicate = true; // until the handler runs
      // One call checks the sender's address, then the signature or Authorization, then the
      // payload; the handler then runs once per event (if it throws, the answer is a 500 and
      // the provider retries). It resolves to the provider's exact success answer, or an error's.
      const { status, headers, body } = await receiver.handle(delivery, (event, result) => {
        // Handle the event here (or queue it and answer fast).
        duplicate = false;
        handled.set(result.dedupKey, (handled.get(result.dedupKey) ?? 0) + 1);
      });
      // Past the limit the rest of the body is never read, so the connection cannot be reused.
      if (raw.length > MAX_BODY) headers.connection = 'close';
      const extra = status === 200 ? await demoHeaders(receiver, delivery, duplicate) : {};
      res.writeHead(status, { ...headers, ...extra }).end(body);
    } catch (err) {
      console.error(err); // Details go to the log, never to the caller.
      sendJson(res, 500, { error: 'internal_error' });
    }
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    handled,
    close: () => new Promise((resolve, reject) => server.close((err) => (err ? reject(err) : resolve()))),
  };
}

/**
 * What the demo's table shows about an accepted delivery, from a second check of it (the
 * handler does not run for a duplicate); a real receiver needs none of it.
 */
async function demoHeaders(receiver, delivery, duplicate) {
  const result = await receiver.receive(delivery);
  // A 200 that is no acceptance: an R2 event older than the replay window (event_stale) is
  // acknowledged, so R2 stops retrying, and never handled.
  if (!result.ok) return { 'x-payhook-refused': result.error.code };
  const { event } = result;
  const raw = delivery.body;
  // Lenient receivers accept undocumented event types as "unknown"; strict parsing says which.
  const validate = result.provider === 'r2' ? validateR2Event : validateBelvoWebhook;
  const known = !validate(raw, { strict: true }).issues.some((issue) => issue.code === 'unknown_event_type');
  return {
    'x-payhook-event': event.event_type ?? `${event.webhook_type}.${event.webhook_code}`,
    'x-payhook-known-type': String(known),
    'x-payhook-dedup-key': result.dedupKey,
    'x-payhook-duplicate': String(duplicate),
    'x-payhook-client-ip': result.clientIp?.ip ?? '',
    ...(result.provider === 'r2'
      ? { 'x-payhook-encoding': result.encoding, 'x-payhook-secret-index': String(result.secretIndex) }
      : { 'x-payhook-scheme': result.scheme, 'x-payhook-accepted-index': String(result.acceptedIndex) }),
  };
}

// The raw body as received: never re-serialised, since the signature covers these bytes.
// Reading stops one byte past the limit; payhook then answers 413.
function readBody(req, limit) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    const onData = (chunk) => {
      chunks.push(chunk);
      size += chunk.length;
      if (size > limit) {
        req.off('data', onData).pause(); // Stop reading; the answer closes the connection.
        resolve(Buffer.concat(chunks));
      }
    };
    req.on('data', onData).on('end', () => resolve(Buffer.concat(chunks))).on('error', reject);
  });
}

function sendJson(res, status, payload, headers = {}) {
  if (res.headersSent) return res.destroy();
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(payload));
}
