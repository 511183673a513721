// Helpers shared by the portable suites. No IO and no `node:` imports: they run in every runtime.

/**
 * An R2 event as R2 would send it now. The bundled fixtures carry event_times from 2012–2024,
 * which a receiver's replay window refuses (event_stale, acknowledged and never handled), so
 * every test that delivers an R2 event to a receiver builds it here: `fixture('r2', name)`
 * (or a copy of the event object given instead of a name) with `extra` top-level members
 * merged over it, then `event.event_time` stamped with `nowMs` (default: the current time)
 * in Unix seconds, spelled as the event spelled it (a string of digits stays a string).
 * Returns the event object: `JSON.stringify` it for a body.
 */
export function freshR2(payhook, nameOrEvent, extra = {}, nowMs = Date.now()) {
  const base = typeof nameOrEvent === 'string' ? payhook.fixture('r2', nameOrEvent) : structuredClone(nameOrEvent);
  const event = { ...base, ...extra };
  const seconds = Math.floor(nowMs / 1000);
  const time = event.event?.event_time;
  event.event = { ...event.event, event_time: typeof time === 'string' ? String(seconds) : seconds };
  return event;
}

/** The code of what fn throws, after checking it is a proper PayhookError. */
export function thrownCode(payhook, assert, fn) {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof Error, `an Error, got ${String(error)}`);
    assert.ok(error instanceof payhook.PayhookError, `a PayhookError, got ${error.name}: ${error.message}`);
    assert.equal(error.name, 'PayhookError');
    assert.equal(typeof error.status, 'number');
    assert.ok(error.message.length > 10, 'a helpful message');
    return error.code;
  }
  return 'no error thrown';
}

/** Runs fn and gives its result or the code it threw, in the vectors' terms. */
export function verdict(payhook, assert, fn, indexKey, labelKey) {
  let result;
  try {
    result = fn();
  } catch {
    return { error: thrownCode(payhook, assert, fn) };
  }
  return { [indexKey === 'secretIndex' ? 'secret_index' : 'accepted_index']: result[indexKey], [labelKey]: result[labelKey] };
}

/** A signature made and checked right after a bad call: the instance still works. */
export function stillWorks(payhook, assert) {
  const header = payhook.signR2('{}', 'k');
  assert.deepEqual(payhook.verifyR2Signature('{}', header, 'k'), { secretIndex: 0, encoding: 'base64-hex' });
}

/** JSON text with keys sorted at every level, as serde_json writes a Value. */
export function sortedJson(value) {
  if (Array.isArray(value)) return `[${value.map(sortedJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${sortedJson(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function hexToBytes(hex) {
  if (hex.length % 2 !== 0 || /[^0-9a-fA-F]/.test(hex)) throw new Error(`bad hex: ${hex.slice(0, 40)}`);
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return bytes;
}

export function bytesToHex(bytes) {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function bytesToBase64(bytes) {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

export function bytesToBase64Url(bytes) {
  return bytesToBase64(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** HMAC-SHA256 through WebCrypto, which every runtime here has as globalThis.crypto.subtle. */
export async function hmacSha256(secret, body) {
  const enc = new TextEncoder();
  const key = await crypto.subtle.importKey('raw', typeof secret === 'string' ? enc.encode(secret) : secret, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return new Uint8Array(await crypto.subtle.sign('HMAC', key, typeof body === 'string' ? enc.encode(body) : body));
}
