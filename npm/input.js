// Reading the caller's input: the one module that turns each accepted shape into the plain
// values the wasm core takes (bytes, strings, numbers, and a plain configuration object).
// Every value is read once, here; the core reads no JS object, and decides everything about
// the values (a bad address, an empty secret, an unknown trust name are its refusals).
// A read that throws (a getter, a revoked Proxy) is a coded refusal, never an option or a
// check quietly switched off.
import { PayhookError, invalid, refuse } from './error.js';

// Byte views are read with the engine's own accessors, so nothing the caller defines (an own
// `length`, a subclass) can make them lie, and views from another realm work too.
const intrinsic = (proto, name) => Object.getOwnPropertyDescriptor(proto, name).get;
const typedArray = Object.getPrototypeOf(Uint8Array.prototype);
const [bufferOf, offsetOf, lengthOf] = ['buffer', 'byteOffset', 'byteLength'].map((n) => intrinsic(typedArray, n));
const [viewBuffer, viewOffset, viewLength] = ['buffer', 'byteOffset', 'byteLength'].map((n) => intrinsic(DataView.prototype, n));
const arrayBufferLength = intrinsic(ArrayBuffer.prototype, 'byteLength');
const tagOf = Object.prototype.toString;
export const EMPTY = new Uint8Array(0);
const encoder = new TextEncoder();

/**
 * A Uint8Array over the bytes of any typed array, DataView or ArrayBuffer (no copy); null
 * otherwise. Cheap tests first: a thrown exception costs microseconds, so none is thrown for
 * the common shapes, bytes or not.
 */
function bytesOf(value) {
  if (typeof value !== 'object' || value === null) return null;
  try {
    if (ArrayBuffer.isView(value)) {
      try {
        return new Uint8Array(bufferOf.call(value), offsetOf.call(value), lengthOf.call(value));
      } catch {
        return new Uint8Array(viewBuffer.call(value), viewOffset.call(value), viewLength.call(value));
      }
    }
    // An explicit length: a view of a resizable buffer must not grow after it was measured.
    if (tagOf.call(value) === '[object ArrayBuffer]') return new Uint8Array(value, 0, arrayBufferLength.call(value));
  } catch {}
  return null; // a Proxy, a detached buffer, or not bytes at all
}

/** Array.isArray, false for what cannot be asked (a revoked Proxy throws). */
function isArray(value) {
  try {
    return Array.isArray(value);
  } catch {
    return false;
  }
}

function typeName(value) {
  try {
    return value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
  } catch {
    return typeof value; // a revoked Proxy
  }
}

/**
 * body_not_raw: a framework parsed the body (or read it) before payhook, so the signed bytes
 * are gone. The message names the fix, for the framework `request` shows where it can tell.
 */
function notRaw(request) {
  let fix = 'pass the raw bytes (a Buffer, Uint8Array, ArrayBuffer or string), read before any body parser, or the Fetch Request itself (Hono: c.req.raw, h3: event.req, Next.js, SvelteKit and React Router: request), never the result of request.json()';
  try {
    if (typeof request === 'object' && request !== null) {
      if (request.rawBody !== undefined) {
        fix = 'pass req.rawBody (NestJS keeps the raw bytes there with rawBody: true, unless a custom body parser replaced its own), not req.body; or serve the route with payhook/express webhook()';
      } else if (typeof request.app?.use === 'function') {
        fix = "Express: serve the route with payhook/express webhook(receiver, handler), or use express.raw({ type: 'application/json' }) on this route, before any app-wide express.json(), and pass req.body (a Buffer)";
      } else if (typeof request.raw === 'object' && typeof request.server === 'object') {
        fix = "Fastify: register payhook/fastify's webhook plugin for the route, or add a content-type parser for application/json with { parseAs: 'buffer' } in this route's scope, and pass request.body";
      }
    }
  } catch {} // a request that cannot be read names no framework
  return refuse('body_not_raw', `the body was already parsed (a plain object or array): ${fix}`);
}

/** A plain object or array: what a JSON body parser leaves where the bytes were. */
function parsed(value) {
  if (isArray(value)) return true;
  try {
    const proto = Object.getPrototypeOf(value);
    return proto === Object.prototype || proto === null;
  } catch {
    return false;
  }
}

/**
 * A body measured before anything is copied into wasm: `[bytes, 0]`, or `[EMPTY, size]` when
 * it is longer than `maxBytes` (the core refuses it as payload_too_large in its turn, and
 * wasm memory never holds it). A string is UTF-8; it is never shorter in UTF-8 than in
 * UTF-16 code units, so a long one is refused without being encoded. A parsed body is
 * body_not_raw, its fix named for the framework `request` (a receiver's peer) shows.
 */
export function measure(value, maxBytes, request) {
  let bytes;
  if (typeof value === 'string') {
    if (value.length > maxBytes) return [EMPTY, value.length];
    bytes = encoder.encode(value);
  } else {
    bytes = bytesOf(value);
  }
  if (bytes === null && typeof value === 'object' && value !== null && parsed(value)) throw notRaw(request);
  if (bytes === null) throw invalid(`body must be a Uint8Array, ArrayBuffer or string, not ${typeName(value)}`);
  return bytes.byteLength > maxBytes ? [EMPTY, bytes.byteLength] : [bytes, 0];
}

/**
 * A body with no limit of its own (signR2, verifyR2Signature): bytes within the largest the
 * core reads at all (MAX_BODY_BYTES), or payload_too_large before anything is copied. Wasm
 * memory ends at 4 GiB: a 3 GiB body trapped the instance, a 4 GiB one was a RangeError.
 */
export function wholeBody(value) {
  const [bytes, size] = measure(value, maxBodyBytes);
  if (size > 0) throw refuse('payload_too_large', `the body is over ${maxBodyBytes} bytes, the most payhook reads`);
  return bytes;
}

/** Whether `size` bytes (a string's UTF-16 units: never more) are more than wholeBody takes. */
export const overBody = (size) => size > maxBodyBytes;

/**
 * Bytes `measure` gave, as they are when they are copied into wasm. A view of the caller's
 * buffer that caller code run since (a getter, a clock, a Request-like object's
 * `headers.get`) detached or shrank out of its range holds nothing: it is EMPTY, which the
 * core refuses like any empty body, rather than a view the glue's copy throws a TypeError on.
 */
export function stillHeld(bytes) {
  return lengthOf.call(bytes) === 0 ? EMPTY : bytes;
}

/**
 * A string that is not well-formed UTF-16 (a lone surrogate) would reach wasm with each lone
 * surrogate replaced by U+FFFD, so two different secrets could compare equal: refused.
 */
function wellFormed(text, what) {
  if (!text.isWellFormed()) {
    throw refuse('secret_invalid', `${what} holds a lone surrogate (not well-formed UTF-16): two different values would compare equal`);
  }
  return text;
}

/**
 * The core's limits on inputs, told at start-up (recover.js `start`): the most bytes of a
 * secret (or Belvo accepted value), the most of them at once, and the most bytes of a header
 * value, and of a body no `maxBytes` limits. Until then, no secret or body is taken.
 */
let [maxSecretBytes, maxSecrets, maxHeaderBytes, maxBodyBytes] = [0, 0, 0, 0];
export function knowLimits(limits) {
  [maxSecretBytes, maxSecrets, maxHeaderBytes, maxBodyBytes] = limits;
}

/**
 * A header value, a peer's address, an address to look up or a name (a provider, an
 * encoding, a trust, an R2 environment, a fixture), as it is copied into wasm: one longer
 * than the core reads (MAX_HEADER_BYTES; a string's UTF-16 units are never more than its
 * UTF-8 bytes) is cut to one unit past it. The core refuses a value over the limit whatever
 * it holds (an address or a name is far shorter), so the verdict is the same, and wasm memory
 * never holds hundreds of megabytes of it (a 500-million-character trust name took 3.3 GB).
 */
export const capped = (text) => (typeof text === 'string' && text.length > maxHeaderBytes ? text.slice(0, maxHeaderBytes + 1) : text);

/**
 * A secret of `size` (a string's UTF-16 units, never more than its UTF-8 bytes), refused
 * before anything is encoded or copied into wasm when the core would refuse it anyway; the
 * core checks again, on the bytes. (The count of a list is listOf's, with `maxSecrets`.)
 */
function withinLimits(what, size) {
  if (size > maxSecretBytes) throw refuse('secret_invalid', `${what} is longer than ${maxSecretBytes} bytes`);
}

/** One secret as given, checked: a well-formed string, or a view of its bytes (not a copy). */
function secretPart(value, what) {
  if (typeof value === 'string') {
    withinLimits(what, value.length);
    return wellFormed(value, what);
  }
  const bytes = bytesOf(value);
  if (bytes === null) throw refuse('secret_invalid', `${what} must be a string or Uint8Array, not ${typeName(value)}`);
  withinLimits(what, bytes.byteLength);
  return bytes;
}

/** A secret part's bytes, a copy (a string as UTF-8). */
const partBytes = (part) => (typeof part === 'string' ? encoder.encode(part) : part.slice());

/** One secret's bytes, a copy (a string as UTF-8); the core refuses an empty one. */
export function secretOf(value, what) {
  return partBytes(secretPart(value, what));
}

/**
 * The elements of an array, copied once: its length read once, and no more than `most + 1`
 * elements read (a sparse array of 2^32 - 1 holes, free to make, took 10 s and 1.7 GB of JS
 * heap to copy whole, and was then a RangeError); the caller refuses a list that long, or
 * needs no more. A read that throws is argument_invalid.
 */
function elements(value, what, most) {
  try {
    return Array.from({ length: Math.min(value.length, most + 1) }, (_, i) => value[i]);
  } catch {
    throw invalid(`${what} could not be read (a getter threw)`);
  }
}

/**
 * The most strings of a list that crosses into wasm at once (allowlist entries, regions):
 * each crosses as a slot of the engine's externref table, which V8 caps at 10 million (an
 * Allowlist of 9 million entries trapped the instance).
 */
const MOST_LISTED = 1 << 20;

/** An array's elements as `elements` reads them, at most `most` of them, or `code`. */
export function listOf(value, what, code, most = MOST_LISTED) {
  const list = elements(value, what, most);
  if (list.length > most) throw refuse(code, `${what}: more than ${most} given`);
  return list;
}

/**
 * A list of strings that crosses into wasm at once (allowlist entries, regions), refused with
 * `code` when longer in all than the largest body payhook reads: 600,000 entries of 8,193
 * characters (one string repeated: 5 MB of JS heap) took 4 GiB of wasm memory in 93 s, and
 * trapped.
 */
function withinTotal(list, what, code) {
  let size = 0;
  for (const text of list) size += text.length;
  if (overBody(size)) throw refuse(code, `${what}: longer in all than ${maxBodyBytes} characters`);
  return list;
}

/**
 * One secret or an array of them (rotation), each as secretPart gives it; an array is copied
 * once and held to the count the core takes.
 */
function secretParts(value, what) {
  if (!isArray(value)) return [secretPart(value, what)];
  return listOf(value, what, 'secret_invalid', maxSecrets).map((s, i) => secretPart(s, `${what}[${i}]`));
}

/** One secret or an array of them (rotation), each as bytes. */
export function secretsOf(value, what = 'secrets') {
  return secretParts(value, what).map(partBytes);
}

/** Where withJoinedSecrets and withUtf8 write: reused (and zeroed after secrets). */
let scratch = new Uint8Array(256);
/** The most withUtf8 keeps in it: longer text is encoded into buffers of its own. */
const SCRATCH_KEPT = 1 << 16;

/**
 * Writes `parts` (strings as UTF-8, bytes as they are) one after another into the scratch
 * buffer, grown to `most` bytes when smaller: the length of each, and where the last ends.
 * Encoding straight into a kept buffer allocates nothing (a `TextEncoder.encode` per call
 * allocated an ArrayBuffer: a fifth of a signature check's JS).
 */
function writeParts(parts, most) {
  if (scratch.length < most) scratch = new Uint8Array(Math.max(most, 2 * scratch.length));
  const lengths = [];
  let at = 0;
  for (const part of parts) {
    const length = typeof part === 'string' ? encoder.encodeInto(part, at === 0 ? scratch : scratch.subarray(at)).written : part.byteLength;
    if (typeof part !== 'string') scratch.set(part, at);
    lengths.push(length);
    at += length;
  }
  return [lengths, at];
}

/** A string's UTF-8 is at most 3 bytes per UTF-16 unit. */
const mostBytes = (parts) => parts.reduce((n, p) => n + (typeof p === 'string' ? 3 * p.length : p.byteLength), 0);

/**
 * `use(joined, lengths)` with secretsOf's bytes as the core takes them: joined in one buffer,
 * and their lengths, in the scratch buffer, which is zeroed afterwards, so no secret stays in
 * it.
 */
export function withJoinedSecrets(value, use) {
  const parts = secretParts(value, 'secrets');
  const [lengths, at] = writeParts(parts, mostBytes(parts));
  try {
    return use(scratch.subarray(0, at), lengths);
  } finally {
    scratch.fill(0, 0, at);
  }
}

/**
 * `use(a, b)` with the UTF-8 of two strings ('' for anything else), in the scratch buffer
 * when they fit in what it keeps (dedupKey's two texts: two `TextEncoder.encode`s were a
 * sixth of its time), else in buffers of their own.
 */
export function withUtf8(a, b, use) {
  const parts = [stringOr(a), stringOr(b)];
  const most = mostBytes(parts);
  if (most > SCRATCH_KEPT) return use(encoder.encode(parts[0]), encoder.encode(parts[1]));
  const [[length], at] = writeParts(parts, most);
  return use(scratch.subarray(0, length), scratch.subarray(length, at));
}

/** Belvo's accepted `Authorization` values: stringsOf, within the core's limits on secrets. */
export function acceptedOf(value, what) {
  const many = isArray(value);
  const values = stringsOf(value, what, 'secret_invalid', maxSecrets);
  values.forEach((v, i) => withinLimits(many ? `${what}[${i}]` : what, v.length));
  return values;
}

/** One string or an array of at most `most` strings, each well-formed. */
export function stringsOf(value, what, code, most = MOST_LISTED) {
  const wrong = (v, at) => refuse(code, `${at} must be a string or an array of strings, not ${typeName(v)}`);
  if (!isArray(value) && typeof value !== 'string') throw wrong(value, what);
  const list = typeof value === 'string' ? [wellFormed(value, what)] : listOf(value, what, code, most).map((v, i) => {
    if (typeof v !== 'string') throw wrong(v, `${what}[${i}]`);
    return wellFormed(v, `${what}[${i}]`);
  });
  return withinTotal(list, what, code);
}

/**
 * An allowlist's entries: an array of strings, or anything with an `entries()` method that
 * returns one (an Allowlist).
 */
export function entriesOf(value, what) {
  const wrong = (v) => refuse('allowlist_malformed', `${what} must be an Allowlist or an array of address strings, not ${typeName(v)}`);
  let list = value;
  try {
    if (!isArray(value) && typeof value?.entries === 'function') list = value.entries();
  } catch {
    throw wrong(value);
  }
  if (!isArray(list)) throw wrong(value);
  const entries = listOf(list, what, 'allowlist_malformed').map((v) => {
    if (typeof v !== 'string') throw wrong(v);
    return capped(v); // no address or network is that long: refused the same, copied no further
  });
  return withinTotal(entries, what, 'allowlist_malformed');
}

/** `object[key]` (undefined for no object), read once; a throw is argument_invalid naming it. */
export function read(object, key, what) {
  try {
    return object?.[key];
  } catch {
    throw invalid(`${what}.${key} could not be read (a getter threw)`);
  }
}

/**
 * Refuses an own key of `object` outside `allowed`: a typo (`allowList`, `Header`) would
 * leave a default in force, so it is never ignored.
 */
export function checkKeys(object, allowed, what) {
  let keys;
  try {
    keys = Object.keys(object);
  } catch {
    throw invalid(`${what} could not be read`);
  }
  for (const key of keys) {
    if (!allowed.includes(key)) throw invalid(`unknown ${what} key (not echoed); use ${allowed.join(', ')}`);
  }
}

const TRUST_KEYS = ['proxies', 'hops', 'header'];

/**
 * `trust` as the core takes it: `{ named }` for a string, `{ proxies, hops, header }` as
 * given otherwise (a value of the wrong type handed on as one the core refuses: hops -1, an
 * empty header name), undefined for none. A misspelt key (`Header`) is refused.
 */
export function trustOf(value) {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return { named: capped(value) };
  if (typeof value !== 'object') throw invalid(`trust must be a string or an object, not ${typeName(value)}`);
  checkKeys(value, TRUST_KEYS, 'trust');
  const [proxies, hops, header] = TRUST_KEYS.map((key) => read(value, key, 'trust'));
  const plain = {};
  if (proxies !== undefined) plain.proxies = entriesOf(proxies, 'trust.proxies');
  if (hops !== undefined) plain.hops = numberOf(hops);
  if (header !== undefined) plain.header = typeof header === 'string' ? capped(header) : '';
  return plain;
}

/**
 * A number option as the core takes it (in JSON, where NaN and Infinity would become null,
 * that is absent): a finite number, or -1 for anything else, which the core refuses.
 */
const numberOf = (value) => (value === undefined ? undefined : typeof value === 'number' && Number.isFinite(value) ? value : -1);

/** `strict`: a boolean. */
function strictOf(value, what) {
  if (value !== undefined && typeof value !== 'boolean') throw invalid(`${what}.strict must be a boolean`);
  return value;
}

/** The payload options `{ strict, maxBytes }` as `[strict, maxBytes]`. */
export function payloadOptions(options) {
  if (options === undefined || options === null) return [undefined, undefined];
  if (typeof options !== 'object') throw invalid('options must be an object');
  checkKeys(options, ['strict', 'maxBytes'], 'options');
  return [strictOf(read(options, 'strict', 'options'), 'options'), numberOf(read(options, 'maxBytes', 'options'))];
}

/** The options that make a receiver's core (receiver.js adds its own). */
export const CONFIG_KEYS = ['secrets', 'authorization', 'allowlist', 'trust', 'strict', 'maxBytes', 'replayWindowMs'];

/**
 * A receiver's configuration (or an inspection's, where `null` means "not configured" and
 * secrets may be missing), read once from the caller's options into a plain object, which
 * crosses as JSON text: what the core is made from, and remade from after a recovery. Secrets
 * are arrays of byte values. A receiver's options leave an option
 * out to leave it out: `null` is refused, never read as absent.
 */
export function receiverConfig(provider, options, inspecting, what = 'options') {
  if (typeof options !== 'object' || options === null) throw invalid('the receiver needs an options object');
  const config = { provider: typeof provider === 'string' ? capped(provider) : '' };
  for (const key of CONFIG_KEYS) {
    let value = read(options, key, what);
    if (value === null) {
      if (!inspecting) throw invalid(`${what}.${key} is null: leave it out instead`);
      value = undefined;
    }
    if (value === undefined) continue;
    if (key === 'secrets') {
      if (provider === 'r2') config.secrets = secretsOf(value).map((bytes) => Array.from(bytes));
    } else if (key === 'authorization') {
      if (provider === 'belvo') config.authorization = acceptedOf(value, 'authorization');
    } else if (key === 'allowlist') config.allowlist = entriesOf(value, 'allowlist');
    else if (key === 'trust') config.trust = trustOf(value);
    else if (key === 'strict') config.strict = strictOf(value, what);
    else config[key] = numberOf(value);
  }
  return config;
}

/** The header names the core reads, lowercase, in the order the core's calls take them. */
const HEADER_NAMES = ['content-sha256', 'authorization', 'cf-connecting-ip', 'x-forwarded-for', 'forwarded'];
const HEADER_LENGTHS = new Set(HEADER_NAMES.map((name) => name.length));
const NAMES_SHOWN = ['Content-Sha256', 'Authorization', 'CF-Connecting-IP', 'X-Forwarded-For', 'Forwarded'];

/**
 * A header value as the runtimes give it: a string, `null`/`undefined` when absent (Fetch
 * `Headers.get`), or an array of lines (Node), joined with `, ` as HTTP folds them.
 */
export function headerLine(value, name) {
  if (value === undefined || value === null || typeof value === 'string') return capped(value ?? undefined);
  if (isArray(value)) {
    // More lines than the core reads bytes join past it whatever they hold: not read.
    const lines = elements(value, `the ${name} header`, maxHeaderBytes);
    if (lines.every((line) => typeof line === 'string')) return joined(lines);
  }
  throw invalid(`the ${name} header must be a string, null or an array of strings, not ${typeName(value)}`);
}

/**
 * Lines joined with ', ', capped: built no further than a unit past the limit (a join of
 * lines longer together than the engine's longest string threw a RangeError).
 */
function joined(lines) {
  let text = capped(lines[0] ?? '');
  for (let i = 1; i < lines.length && text.length <= maxHeaderBytes; i++) text += `, ${capped(lines[i])}`;
  return capped(text);
}

/**
 * The five header values (absent: undefined), looked up as a runtime gives them: Fetch
 * Headers (or anything with `get`) by name, a plain object (Node's `req.headers`) by every
 * key matched without regard to ASCII case, repeated keys joined with ', '. Only those from
 * index `from` on are taken (the address check reads the forwarding headers alone, whatever
 * the others hold).
 */
export function headerValues(headers, from = 0) {
  const found = [undefined, undefined, undefined, undefined, undefined];
  if (headers === undefined || headers === null) return found;
  if (typeof headers !== 'object') {
    throw invalid(`headers must be a Headers object or a plain object, not ${typeName(headers)}`);
  }
  // Index and value of each header found, as pairs; read inside the try (getters are caller
  // code), checked after it.
  const pairs = [];
  try {
    if (typeof headers.get === 'function') {
      for (let i = from; i < HEADER_NAMES.length; i++) pairs.push(i, headers.get(HEADER_NAMES[i]));
    } else {
      for (const key of Object.keys(headers)) {
        // Most keys are other headers: their length rules them out cheaply. The names are
        // ASCII without a 'k', so toLowerCase matches exactly as ASCII-only case folding
        // does (the Kelvin sign is the one non-ASCII letter it maps to ASCII).
        if (!HEADER_LENGTHS.has(key.length)) continue;
        const i = HEADER_NAMES.indexOf(key.toLowerCase());
        if (i >= from) pairs.push(i, headers[key]);
      }
    }
  } catch (error) {
    if (error instanceof PayhookError) throw error;
    throw invalid('the headers could not be read (a getter threw)');
  }
  for (let k = 0; k < pairs.length; k += 2) {
    const i = pairs[k];
    const line = headerLine(pairs[k + 1], NAMES_SHOWN[i]);
    if (line !== undefined) found[i] = found[i] === undefined ? line : capped(`${found[i]}, ${line}`);
  }
  return found;
}

/**
 * Whether this runtime serves requests over its own sockets (Node, Deno, Bun: their entries
 * say so), so that a request always has a peer. Where it has none (Workers, browsers), a
 * missing peer means "no socket"; here it means the caller forgot it, and is refused.
 */
let sockets = false;
export function runtimeHasSockets() {
  sockets = true;
}
const PEER_PATHS = [['socket', 'remoteAddress'], ['remoteAddress'], ['remoteAddr', 'hostname'], ['address']];

/**
 * The peer's address as the core takes it: `undefined` only when none was passed on a
 * runtime without sockets (Workers, browsers); `''` for a peer that was given but has no
 * address (`null`, `''`, a reset socket, Bun's requestIP() returning null), or none passed
 * on a runtime with sockets, which the core refuses as ip_unknown under every trust.
 * Anything that is no peer at all is argument_invalid.
 */
export function peerAddress(peer, noSocket = !sockets) {
  if (peer === undefined) return noSocket ? undefined : '';
  if (peer === null) return '';
  if (typeof peer === 'string') return capped(peer);
  let shaped = false;
  if (typeof peer === 'object') {
    try {
      for (const path of PEER_PATHS) {
        if (path[0] in peer) shaped = true;
        let value = peer;
        for (const key of path) value = typeof value === 'object' && value !== null ? value[key] : undefined;
        if (typeof value === 'string') return capped(value);
      }
    } catch {
      throw invalid('the peer could not be read (a getter threw)');
    }
  }
  if (shaped) return '';
  throw invalid(`peer must be an address string, a Node request or socket, Deno's info or Bun's requestIP(), not ${typeName(peer)}`);
}

/**
 * `{ peer, headers, trust }` (clientIp, Allowlist.check) as the core's arguments: the peer's
 * address, the three forwarding header values, and the trust as JSON text.
 */
export function requestParts(request) {
  if (typeof request !== 'object' || request === null) throw invalid('expected { peer, headers, trust }');
  checkKeys(request, ['peer', 'headers', 'trust'], 'request');
  const [peer, headers, trust] = ['peer', 'headers', 'trust'].map((key) => read(request, key, 'request'));
  const address = peerAddress(peer);
  const found = headerValues(headers, 2);
  const plain = trustOf(trust);
  return [address, found[2], found[3], found[4], plain === undefined ? undefined : JSON.stringify(plain)];
}

/** A string argument, or '' for anything else (which the core refuses with its own message). */
export const stringOr = (value) => (typeof value === 'string' ? value : '');

/** A name argument (a provider, a fixture's name): stringOr's string, capped. */
export const nameOf = (value) => capped(stringOr(value));
