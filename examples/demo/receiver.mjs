// A webhook receiver for R2 and Belvo, using only node:http and payhook. Copy it freely.
import { createServer } from 'node:http';
import {
  BELVO_ALLOWLIST, checkBelvoAuthorization, dedupKey, parseBelvoWebhook, parseR2Event, PayhookError, R2_ALLOWLIST,
  verifyR2Signature,
} from 'payhook';

// Webhook payloads are a few KiB: refuse anything bigger rather than buffer it.
const MAX_BODY = 1024 * 1024;

class BodyTooLarge extends Error {}

// Each provider's route: whose addresses may call it, and how a delivery is verified.
const routes = {
  // R2 signs the exact bytes it sends, so verify those bytes before any JSON.parse.
  '/webhooks/r2': { allowlist: R2_ALLOWLIST, handle(req, body, { r2Secrets }) {
    const { secretIndex, encoding } = verifyR2Signature(body, req.headers['content-sha256'], r2Secrets);
    // Verified: now parse. A payload that breaks the documented shape throws payload_invalid.
    const event = parseR2Event(body);
    return {
      status: 200,
      // Which encoding and secret matched, for the demo's table; drop these if you like.
      headers: { 'content-type': 'text/plain', 'x-payhook-encoding': encoding, 'x-payhook-secret-index': String(secretIndex) },
      body: 'R2 API Event Received', // R2 expects exactly this body.
      event,
    };
  } },
  // Belvo does not sign bodies: it sends back the Authorization value you registered.
  '/webhooks/belvo': { allowlist: BELVO_ALLOWLIST, handle(req, body, { belvoAccepted }) {
    const { acceptedIndex, scheme } = checkBelvoAuthorization(req.headers.authorization, belvoAccepted);
    const event = parseBelvoWebhook(body);
    return {
      status: 200,
      headers: { 'content-type': 'application/json', 'x-payhook-scheme': scheme, 'x-payhook-accepted-index': String(acceptedIndex) },
      body: JSON.stringify({ received: true }),
      event,
    };
  } },
};

/**
 * Starts the receiver on 127.0.0.1 (port 0 picks a free port); resolves to { url, close }.
 * `trust` says who may report the client address (see the README): behind nginx on the same
 * host that is `{ proxies: ['127.0.0.1', '::1'] }`.
 */
export async function startReceiver({ r2Secrets, belvoAccepted, trust = 'none', port = 0 }) {
  const config = { r2Secrets, belvoAccepted };
  // Neither provider sends a delivery id, and both retry: remember each event's
  // content-derived key, and acknowledge a repeat without handling it twice. (In memory
  // here; a shared store for many processes is a later payhook feature.)
  const seen = new Set();
  const server = createServer(async (req, res) => {
    try {
      const route = routes[req.url.split('?')[0]];
      if (!route) return sendJson(res, 404, { error: 'not_found' });
      if (req.method !== 'POST') return sendJson(res, 405, { error: 'method_not_allowed' }, { allow: 'POST' });
      // The sender's address first: refused before a byte of the body is read.
      const { ip } = route.allowlist.check({ peer: req, headers: req.headers, trust });
      const answer = route.handle(req, await readBody(req), config);
      const key = dedupKey(answer.event);
      const duplicate = seen.has(key);
      seen.add(key);
      if (!duplicate) {
        // Handle answer.event here, once per event (or queue it and answer fast).
      }
      // For the demo's table.
      Object.assign(answer.headers, {
        'x-payhook-client-ip': ip, 'x-payhook-event': kind(answer.event), 'x-payhook-dedup-key': key,
        'x-payhook-duplicate': String(duplicate),
      });
      res.writeHead(answer.status, answer.headers).end(answer.body);
    } catch (err) {
      if (err instanceof PayhookError) {
        // Codes and messages are safe to show: they never hold a secret or a signature.
        sendJson(res, err.status, { error: err.code, message: err.message });
      } else if (err instanceof BodyTooLarge) {
        // Close the connection rather than read the rest of the body.
        sendJson(res, 413, { error: 'body_too_large', message: 'the body is larger than 1 MiB' }, { connection: 'close' });
      } else {
        console.error(err); // Details go to the log, never to the caller.
        sendJson(res, 500, { error: 'internal_error' });
      }
    }
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((resolve, reject) => server.close((err) => (err ? reject(err) : resolve()))),
  };
}

/** `financing_created`, or `PAYMENT_INTENTS.STATUS_UPDATE` for Belvo. */
function kind(event) {
  return event.event_type ?? `${event.webhook_type}.${event.webhook_code}`;
}

// The raw body as received: never re-serialised, since the signature covers these bytes.
function readBody(req) {
  return new Promise((resolve, reject) => {
    // Trust a declared length to refuse early; count the bytes anyway (chunked bodies).
    if (Number(req.headers['content-length']) > MAX_BODY) return reject(new BodyTooLarge());
    const chunks = [];
    let size = 0;
    const onData = (chunk) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        req.off('data', onData).pause(); // Stop reading; the 413 closes the connection.
        reject(new BodyTooLarge());
      } else {
        chunks.push(chunk);
      }
    };
    req.on('data', onData).on('end', () => resolve(Buffer.concat(chunks))).on('error', reject);
  });
}

function sendJson(res, status, payload, headers = {}) {
  if (res.headersSent) return res.destroy();
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(payload));
}
