// The Worker the workerd benchmark runs (bundled by bench/js/groups/workerd.mjs with the
// conditions wrangler uses). GET /?impl=payhook|webcrypto|request&n=N handles N deliveries of
// the same 1 KiB R2 event, each a fresh Request as the runtime would hand it, and answers
// how many were accepted; impl=payhook-parts|webcrypto-parts runs the checks alone, on the
// body bytes and a Headers made once. workerd's clock stands still while code runs, so the timing is done
// from outside, in Node, around dispatchFetch.
import { R2_ALLOWLIST, r2Receiver, signR2 } from 'payhook';
import { SECRET, base64HexToTag, base64url, canonicalJson, ipaddrMatcher, r2Body, zodR2 } from '../lib/inputs.mjs';

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const body = r2Body(1024);
const headers = {
  'content-type': 'application/json',
  'content-length': String(body.length),
  'user-agent': 'R2-Webhooks/1.0',
  'content-sha256': signR2(body, SECRET),
  'cf-connecting-ip': '54.215.38.39',
  'x-forwarded-proto': 'https',
};
const fetchHeaders = new Headers(headers);
const receiver = r2Receiver({ secrets: [SECRET], allowlist: R2_ALLOWLIST, trust: 'cloudflare' });
const allowed = ipaddrMatcher(R2_ALLOWLIST.entries());
const keyPromise = crypto.subtle.importKey('raw', encoder.encode(SECRET), { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
const answer = (status, text) => new Response(text, { status, headers: { 'content-type': status === 200 ? 'text/plain' : 'application/json' } });

/** The idiomatic Worker: CF-Connecting-IP + ipaddr.js, WebCrypto, JSON.parse + zod, a SHA-256 key. */
async function idiomatic(request, key) {
  return idiomaticParts(request.headers, new Uint8Array(await request.arrayBuffer()), key);
}

/** The same checks on a body already read and the request's Headers. */
async function idiomaticParts(headers, bytes, key) {
  const ip = headers.get('cf-connecting-ip');
  if (ip === null || !allowed(ip)) return { ok: false, response: answer(403, '{"error":"ip_not_allowed"}') };
  const tag = base64HexToTag(headers.get('content-sha256') ?? '');
  if (tag === null) return { ok: false, response: answer(401, '{"error":"signature_malformed"}') };
  if (!(await crypto.subtle.verify('HMAC', key, tag, bytes))) return { ok: false, response: answer(401, '{"error":"signature_mismatch"}') };
  let parsed;
  try {
    parsed = zodR2(decoder.decode(bytes));
  } catch {
    return { ok: false, response: answer(400, '{"error":"payload_not_json"}') };
  }
  if (!parsed.success) return { ok: false, response: answer(422, '{"error":"payload_invalid"}') };
  const event = parsed.data;
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(canonicalJson(event))));
  return { ok: true, event, dedupKey: `r2:${event.event.event_type}:${base64url(digest).slice(0, 22)}`, response: answer(200, 'R2 API Event Received') };
}

export default {
  async fetch(request) {
    const url = new URL(request.url);
    const impl = url.searchParams.get('impl');
    const n = Number(url.searchParams.get('n') ?? 0);
    const key = await keyPromise;
    let accepted = 0;
    let dedupKey = null;
    for (let i = 0; i < n; i++) {
      if (impl === 'payhook-parts' || impl === 'webcrypto-parts') {
        // The checks alone: the body bytes and a Fetch Headers, as after reading the request.
        const result = impl === 'payhook-parts' ? receiver.receive({ body, headers: fetchHeaders }) : await idiomaticParts(fetchHeaders, body, key);
        if (result.ok && result.response.status === 200) accepted += 1;
        dedupKey = result.dedupKey ?? null;
        continue;
      }
      const delivery = new Request('https://hooks.example.com/webhooks/r2', { method: 'POST', headers, body });
      let result;
      if (impl === 'payhook') result = await receiver.receive(delivery);
      else if (impl === 'webcrypto') result = await idiomatic(delivery, key);
      else result = { ok: (await delivery.arrayBuffer()).byteLength === body.length, response: answer(200, 'R2 API Event Received') };
      if (result.ok && result.response.status === 200) accepted += 1;
      dedupKey = result.dedupKey ?? null;
    }
    return Response.json({ impl, n, accepted, dedupKey });
  },
};
