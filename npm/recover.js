// The wasm core as the package hands it out: every call into wasm guarded, and everything that
// lives in wasm memory able to make itself again after the instance is replaced. Like
// receiver.js it imports nothing: the ESM entries bind it to the web glue (api.js), the
// CommonJS entry a compiled copy (recover.cjs) to the nodejs glue.
//
// Why: an exception that unwinds through wasm frames leaves the instance in an unknown state.
// A trap (WebAssembly.RuntimeError) or a stack overflow inside wasm (a RangeError, when payhook
// is called with the JS stack nearly exhausted) skips the code that restores the shadow stack
// pointer, may leave an object borrowed and the allocator half-way through an update; after a
// few of them every call traps. The binding never lets an input do that (its imports catch,
// and no input can make the core panic), but if it ever happens the package must not stay
// broken until the process restarts.
//
// How:
// - Every call into wasm runs between enter() and leave(). A throw that is not a PayhookError
//   marks the instance poisoned. When the outermost call ends (a call can re-enter wasm
//   through a JS callback, such as an Allowlist's entries()), the glue's __wbg_reset_state()
//   (wasm-bindgen --experimental-reset-state-function, see scripts/build.sh) makes a fresh
//   instance from the same compiled module, synchronously, and `epoch` counts up. The call
//   during which the instance was poisoned throws the error that poisoned it (a bug to
//   report, never retried); the next call runs on the fresh instance. If the reset itself
//   fails (the stack is still nearly exhausted), the next call retries it first. Which throws
//   came from inside wasm cannot be told apart cheaply, so a stack overflow anywhere in a call
//   counts (a spurious replacement costs a millisecond and a memoryStore's contents).
// - The guard costs a counter, a try/finally and a flag test, and allocates nothing: 5-15 ns a
//   call in Node (measured on Allowlist.contains; lost in the noise of verifyR2Signature).
// - Objects whose state lives in wasm memory are wrappers holding the wasm-bindgen object
//   (`raw`), the epoch it was made in, and how to make it again; a wrapper used in a later
//   epoch remakes its object first. So values users hold keep working after a recovery:
//   R2_ALLOWLIST, BELVO_ALLOWLIST (the same objects: the live bindings never change), every
//   Allowlist (remade from its canonical entries, or from Allowlist.r2()/belvo()/cloudflare()),
//   every receiver (its CoreReceiver remade from a copy of the options it was made with, so a
//   later change to the caller's options object changes nothing, before or after a recovery),
//   and every memoryStore (its CoreSeenSet remade empty: the keys it remembered are lost, as on
//   a restart; a shared store keeps them).
// - The wrappers check their `this` (a private field), so misuse such as
//   `Allowlist.prototype.contains.call({})` is a PayhookError (argument_invalid), not a null
//   pointer passed to wasm.

// Reading the caller's input. Every value is read once, here or in the core, never both: a
// getter that answers differently on a second read cannot make the two disagree, and a read
// that throws is a coded refusal, never an option or a check quietly switched off.

// Byte views are read with the engine's own accessors, so nothing the caller defines (an own
// `length`, a subclass) can make them lie, and views from another realm work too.
const intrinsic = (proto, name) => Object.getOwnPropertyDescriptor(proto, name).get;
const typedArray = Object.getPrototypeOf(Uint8Array.prototype);
const [bufferOf, offsetOf, lengthOf] = ['buffer', 'byteOffset', 'byteLength'].map((n) => intrinsic(typedArray, n));
const [viewBuffer, viewOffset, viewLength] = ['buffer', 'byteOffset', 'byteLength'].map((n) => intrinsic(DataView.prototype, n));
const arrayBufferLength = intrinsic(ArrayBuffer.prototype, 'byteLength');
const EMPTY = new Uint8Array(0);
const encoder = new TextEncoder();

const tagOf = Object.prototype.toString;

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

/**
 * A body measured before anything is copied into wasm: `[bytes, 0]`, or `[EMPTY, size]` when
 * it is longer than `maxBytes` (the core refuses it as payload_too_large in its turn, and
 * wasm memory never holds it). A string is UTF-8; it is never shorter in UTF-8 than in
 * UTF-16 code units, so a long one is refused without being encoded.
 */
function measure(value, maxBytes, PayhookError) {
  let bytes;
  if (typeof value === 'string') {
    if (value.length > maxBytes) return [EMPTY, value.length];
    bytes = encoder.encode(value);
  } else {
    bytes = bytesOf(value);
  }
  if (bytes === null) {
    throw new PayhookError('argument_invalid', 500, `body must be a Uint8Array, ArrayBuffer or string, not ${typeName(value)}`);
  }
  return bytes.byteLength > maxBytes ? [EMPTY, bytes.byteLength] : [bytes, 0];
}

function typeName(value) {
  try {
    return value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
  } catch {
    return typeof value; // a revoked Proxy
  }
}

/** The header names the core reads, lowercase, in the order receiveParts takes them. */
const HEADER_NAMES = ['content-sha256', 'authorization', 'cf-connecting-ip', 'x-forwarded-for', 'forwarded'];
const HEADER_LENGTHS = new Set(HEADER_NAMES.map((name) => name.length));

/**
 * The five header values as strings (undefined when absent), looked up as the core does
 * (src/wasm/input.rs, RequestHeaders): Fetch Headers through get(), a plain object by every
 * key matched without regard to ASCII case, repeated keys joined with ', '. null when a
 * value is not a string: then the core reads them and says what is wrong. A read that
 * throws is argument_invalid.
 */
function headerStrings(headers, PayhookError) {
  const found = [undefined, undefined, undefined, undefined, undefined];
  if (headers === undefined || headers === null) return found;
  try {
    if (typeof headers.get === 'function') {
      if (typeof headers !== 'object') return null;
      for (let i = 0; i < 5; i++) {
        const value = headers.get(HEADER_NAMES[i]);
        if (typeof value === 'string') found[i] = value;
        else if (value !== null && value !== undefined) return null;
      }
      return found;
    }
    if (typeof headers !== 'object') return null;
    for (const key of Object.keys(headers)) {
      if (!HEADER_LENGTHS.has(key.length)) continue;
      // The names are ASCII without a 'k', so toLowerCase matches exactly as ASCII-only
      // case folding does (the Kelvin sign is the one non-ASCII letter it maps to ASCII).
      const i = HEADER_NAMES.indexOf(key.toLowerCase());
      if (i < 0) continue;
      const value = headers[key];
      if (value === undefined || value === null) continue;
      if (typeof value !== 'string') return null;
      found[i] = found[i] === undefined ? value : `${found[i]}, ${value}`;
    }
    return found;
  } catch {
    throw new PayhookError('argument_invalid', 500, 'the headers could not be read (a getter threw)');
  }
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
 * The peer's address as the core takes it (src/wasm/input.rs, `peer`): `undefined` only when
 * none was passed on a runtime without sockets (Workers, browsers); `''` for a peer that was
 * given but has no address (`null`, `''`, a reset socket, Bun's requestIP() returning null),
 * or none passed on a runtime with sockets, which the core refuses as ip_unknown under every
 * trust. Read once, here: anything that is no peer at all is argument_invalid.
 */
function peerAddress(peer, PayhookError) {
  if (peer === undefined) return sockets ? '' : undefined;
  if (peer === null) return '';
  if (typeof peer === 'string') return peer;
  let shaped = false;
  if (typeof peer === 'object') {
    try {
      for (const path of PEER_PATHS) {
        if (path[0] in peer) shaped = true;
        let value = peer;
        for (const key of path) value = typeof value === 'object' && value !== null ? value[key] : undefined;
        if (typeof value === 'string') return value;
      }
    } catch {
      throw new PayhookError('argument_invalid', 500, 'the peer could not be read (a getter threw)');
    }
  }
  if (shaped) return '';
  throw new PayhookError('argument_invalid', 500,
    `peer must be an address string, a Node request or socket, Deno's info or Bun's requestIP(), not ${typeName(peer)}`);
}

/**
 * `{ peer, headers, trust }` (clientIp, Allowlist.check), read once: `[parts]`, the arguments
 * of clientIpParts/checkParts (the peer's address, the three forwarding header values, and
 * `trust` as given: the core reads it), or `[null, request]`, a request for the core to read,
 * its peer resolved here when it could be, so both paths apply the same peer rules.
 */
function requestParts(request, PayhookError) {
  if (typeof request !== 'object' || request === null) return [null, request];
  let peer, headers, trust;
  try {
    ({ peer, headers, trust } = request);
  } catch {
    throw new PayhookError('argument_invalid', 500, 'the request could not be read (a getter threw)');
  }
  const address = peerAddress(peer, PayhookError);
  const found = headerStrings(headers, PayhookError);
  if (found) return [[address, found[2], found[3], found[4], trust]];
  return [null, { peer: address, headers, trust }];
}


/**
 * The guarded core over one wasm-bindgen glue: the public functions, the `Allowlist` class,
 * and the `CoreReceiver` and `CoreSeenSet` the receivers and memoryStore are built on.
 * @param {Record<string, any>} glue
 * @param {typeof Error} PayhookError
 */
export function bindCore(glue, PayhookError) {
  const reset = glue.__wbg_reset_state;
  if (typeof reset !== 'function') {
    throw new Error('payhook: the wasm glue was built without --experimental-reset-state-function');
  }

  let epoch = 0; // instances replaced so far
  let depth = 0; // calls into wasm under way (more than one when a JS callback re-enters)
  let poisoned = false;
  let trapped; // the error that poisoned the instance

  function recover() {
    reset();
    epoch++;
    poisoned = false;
    trapped = undefined;
  }
  function enter() {
    if (poisoned) {
      // Re-entered from a callback of a call that already broke the instance: it cannot be
      // replaced under a running call, and must not be used.
      if (depth !== 0) throw trapped;
      recover();
    }
    depth++;
  }
  /** After the outermost call during which the instance was poisoned: replace it, throw. */
  function leave() {
    const error = trapped;
    try {
      recover();
    } catch {
      // The stack is still nearly exhausted: the next call's enter() retries.
    }
    throw error; // a result computed on a poisoned instance is not returned
  }
  /**
   * Every call into wasm: `method(a, b, c, d)` between enter() and leave(). The catch and
   * finally make no call before the bookkeeping is done (a stack overflow can strike at any
   * call), and allocate nothing.
   */
  function run(method, a, b, c, d, e) {
    enter();
    try {
      return method(a, b, c, d, e);
    } catch (error) {
      if (!poisoned && error?.name !== 'PayhookError') {
        poisoned = true;
        trapped = error;
      }
      throw error;
    } finally {
      if (--depth === 0 && poisoned) leave();
    }
  }

  /** A wasm-owned object: the wasm-bindgen object, its epoch, and how to make it again. */
  const own = (raw, remake) => ({ raw, at: epoch, remake });
  /** The handle's object in the current instance, remade if the instance was replaced. */
  function live(handle) {
    if (handle.at !== epoch) {
      handle.raw = handle.remake();
      handle.at = epoch;
    }
    return handle.raw;
  }

  /** A glue function, guarded; same name and length. */
  function guard(f) {
    const guarded = f.length <= 4 ? (a, b, c, d) => run(f, a, b, c, d) : (...args) => run(() => f(...args));
    Object.defineProperties(guarded, { name: { value: f.name }, length: { value: f.length } });
    return guarded;
  }

  const Raw = glue.Allowlist;
  const MADE = Symbol('made');
  let made; // the handle Allowlist.#of hands to the constructor
  let isAllowlist; // (value) => whether value is an Allowlist of this copy of the package
  let listOf; // (value, what) => the live glue Allowlist behind value, or a PayhookError
  let wrapList; // (handle) => a new Allowlist around the handle

  /** A handle remade from the list's canonical entries (they parse back to the same list). */
  function canonical(raw) {
    const entries = raw.entries();
    return own(raw, () => new Raw(entries));
  }
  const newList = (entries) => canonical(new Raw(entries));
  const r2List = (environment) => wrapList(own(Raw.r2(environment), () => Raw.r2(environment)));
  const belvoList = () => wrapList(own(Raw.belvo(), () => Raw.belvo()));
  const cloudflareList = () => wrapList(own(Raw.cloudflare(), () => Raw.cloudflare()));
  const contains = (list, ip) => listOf(list, 'contains').contains(ip);
  const check = (list, request) => {
    const raw = listOf(list, 'check');
    const [parts, forCore] = plainTrust(requestParts(request, PayhookError));
    return parts ? raw.checkParts(...parts) : raw.check(forCore);
  };
  const union = (list, other) => wrapList(canonical(listOf(list, 'union').union(other)));
  const entries = (list) => listOf(list, 'entries').entries();
  const toJSON = (list) => listOf(list, 'toJSON').toJSON();
  const size = (list) => listOf(list, 'size').size;

  /** A set of IP addresses and CIDR networks, IPv4 and IPv6, compiled in wasm memory. */
  class Allowlist {
    #handle;

    /** `new Allowlist(['54.215.38.39', '10.0.0.0/8', '2001:db8::/32'])`, or another Allowlist. */
    constructor(entries) {
      if (entries === MADE && made) {
        this.#handle = made;
        made = undefined;
      } else {
        this.#handle = run(newList, entries);
      }
    }

    /** R2's published addresses (2024-01-22 snapshot): both environments, or one. */
    static r2(environment) {
      return run(r2List, environment);
    }

    /** Belvo's published addresses. */
    static belvo() {
      return run(belvoList);
    }

    /** Cloudflare's edge ranges. */
    static cloudflare() {
      return run(cloudflareList);
    }

    /** Whether `ip` is on the list; throws `ip_malformed` for a string that is not an address. */
    contains(ip) {
      return run(contains, this, ip);
    }

    /** Resolves the request's client address and checks it: `{ ip, source }` or `ip_not_allowed`. */
    check(request) {
      return run(check, this, request);
    }

    /** A new list with the entries of both (`other`: an Allowlist or an array of strings). */
    union(other) {
      return run(union, this, other);
    }

    /** The networks, canonical and sorted (`54.215.38.39/32`). */
    entries() {
      return run(entries, this);
    }

    /** `JSON.stringify(list)` gives its entries. */
    toJSON() {
      return run(toJSON, this);
    }

    /** How many networks the list holds. */
    get size() {
      return run(size, this);
    }

    get [Symbol.toStringTag]() {
      return 'Allowlist';
    }

    /** What Node's util.inspect (and so console.log) shows: `Allowlist(3) [ '3.130.254.46/32', … ]`. */
    [Symbol.for('nodejs.util.inspect.custom')](depth, options, inspect) {
      if (!isAllowlist(this)) return this;
      const list = this.entries();
      return `Allowlist(${list.length}) ${typeof inspect === 'function' ? inspect(list, options) : JSON.stringify(list)}`;
    }

    static {
      // For the functions above; not part of the class users see.
      isAllowlist = (value) => typeof value === 'object' && value !== null && #handle in value;
      listOf = (value, what) => {
        if (!isAllowlist(value)) {
          throw new PayhookError('argument_invalid', 500, `Allowlist.prototype.${what} was called on something that is not an Allowlist`);
        }
        return live(value.#handle);
      };
      wrapList = (handle) => {
        made = handle;
        return new Allowlist(MADE);
      };
    }
  }

  // The receiver core, one per r2Receiver/belvoReceiver (receiver.js), and memoryStore's
  // seen-set (stores.js checks every argument before it gets here): `this` is always one.
  const maxBytes = (core) => live(core.handle).maxBytes;
  const retention = (core) => live(core.handle).dedupRetentionMs;
  const receive = (core, [bytes, oversized], headers, peer, now) => {
    // The peer and the common header shapes are read here, in JS, and passed as strings:
    // about a dozen fewer calls between wasm and JS per delivery. Other headers, the core
    // reads (and says what is wrong with them).
    const address = peerAddress(peer, PayhookError);
    const found = headerStrings(headers, PayhookError);
    if (!found) return live(core.handle).receive(bytes, oversized, headers, address, now);
    return live(core.handle).receiveParts(bytes, oversized, ...found, address, now);
  };
  const claim = (set, key, token, now, leaseMs) => live(set.handle).claim(key, token, now, leaseMs);
  const status = (set, key, now) => live(set.handle).status(key, now);
  const complete = (set, key, token, now, retentionMs) => live(set.handle).complete(key, token, now, retentionMs);
  const release = (set, key, token, now) => live(set.handle).release(key, token, now);
  const setSize = (set) => live(set.handle).size;
  const setBytes = (set) => live(set.handle).bytes;

  class CoreReceiver {
    /** The core reads a snapshot of the options, taken once: the same one remakes it. */
    constructor(provider, options) {
      const saved = snapshot(options, RECEIVER_OPTIONS, 'options');
      const handle = run((p, o) => own(new glue.CoreReceiver(p, o)), provider, saved);
      handle.remake = () => new glue.CoreReceiver(provider, saved);
      Object.defineProperty(this, 'handle', { value: handle });
    }

    get maxBytes() {
      return run(maxBytes, this);
    }

    get dedupRetentionMs() {
      return run(retention, this);
    }

    /** `body` as measure() gives it; `now` in milliseconds since the epoch. */
    receive(body, headers, peer, now) {
      return run(receive, this, body, headers, peer, now);
    }
  }

  class CoreSeenSet {
    constructor(entries, bytes) {
      const make = () => new glue.CoreSeenSet(entries, bytes);
      Object.defineProperty(this, 'handle', { value: run(() => own(make(), make)) });
    }

    claim(key, token, now, leaseMs) {
      return run(claim, this, key, token, now, leaseMs);
    }

    status(key, now) {
      return run(status, this, key, now);
    }

    complete(key, token, now, retentionMs) {
      return run(complete, this, key, token, now, retentionMs);
    }

    release(key, token, now) {
      return run(release, this, key, token, now);
    }

    get size() {
      return run(setSize, this);
    }

    get bytes() {
      return run(setBytes, this);
    }
  }

  /**
   * The options the core reads from a receiver's options object (src/wasm/receiver.rs,
   * `configure`, `replay_window` and `payload_options`), and from its `trust` object
   * (src/wasm/input.rs, `trust`).
   */
  const RECEIVER_OPTIONS = ['secrets', 'authorization', 'allowlist', 'trust', 'strict', 'maxBytes', 'replayWindowMs'];
  const TRUST_OPTIONS = ['proxies', 'hops', 'header'];
  const PAYLOAD_OPTIONS = ['strict', 'maxBytes'];
  const INSPECT_INPUT = ['provider', 'body', 'headers', 'peer', 'now', ...RECEIVER_OPTIONS];

  /**
   * A plain copy of `object`'s `keys`, read once: what the core reads instead of the caller's
   * object (so a getter cannot answer the core one thing and a remake another), and what a
   * receiver is remade from after a recovery. Arrays and bytes are copied, an Allowlist (of
   * either copy of the package) becomes its entries, `trust` is copied the same way. A read
   * that throws is argument_invalid: an option that cannot be read is never taken as absent.
   * Anything that is not an object is handed on as it is, for the core to refuse.
   */
  function snapshot(object, keys, what) {
    if (typeof object !== 'object' || object === null) return object;
    const copy = {};
    for (const key of keys) {
      try {
        const value = object[key];
        if (value !== undefined) copy[key] = key === 'body' || key === 'headers' || key === 'peer' ? value : copied(value, key, what);
      } catch (error) {
        if (error instanceof PayhookError) throw error;
        throw new PayhookError('argument_invalid', 500, `${what}.${key} could not be read (a getter threw)`);
      }
    }
    return copy;
  }
  function copied(value, key, what) {
    if (typeof value !== 'object' || value === null) return value;
    if (isAllowlist(value)) return value.entries();
    if (Array.isArray(value)) return Array.from(value, (v) => copied(v, key, what));
    const bytes = bytesOf(value);
    if (bytes) return bytes.slice();
    if (typeof value.entries === 'function') {
      const entries = value.entries(); // an Allowlist from the other copy of the package
      if (Array.isArray(entries)) return Array.from(entries);
    }
    // Its own keys are copied too, so that the core refuses a misspelt one (`Header`) rather
    // than this copy dropping it and leaving the default in force.
    if (key === 'trust') return snapshot(value, [...new Set([...TRUST_OPTIONS, ...Object.keys(value)])], `${what}.trust`);
    return value;
  }

  /** requestParts' result with its `trust` read once into a plain copy (see copied()). */
  function plainTrust([parts, forCore]) {
    const read = (trust) => snapshot({ trust }, ['trust'], 'request').trust;
    if (parts) parts[4] = read(parts[4]);
    else if (typeof forCore === 'object' && forCore !== null) forCore.trust = read(forCore.trust);
    return [parts, forCore];
  }

  /** The payload limit when `maxBytes` is absent; an invalid one measures every body as too large, and the core refuses the option before it looks at the body. */
  let defaultMaxBytes;
  function limitOf(options) {
    const max = options?.maxBytes;
    if (max === undefined) return (defaultMaxBytes ??= glue.defaultMaxBytes());
    return typeof max === 'number' && max >= 0 ? max : 0;
  }
  /** A measured body as the payload exports take it: the bytes, or the size of one too large to copy. */
  const payloadBody = (body, options) => {
    const [bytes, oversized] = measure(body, limitOf(options), PayhookError);
    return oversized > 0 ? oversized : bytes;
  };

  // The functions: every lower-case function the glue exports (not its init functions).
  const core = { Allowlist, CoreReceiver, CoreSeenSet };
  for (const [name, f] of Object.entries(glue)) {
    if (typeof f === 'function' && /^[a-z]/.test(name) && name !== 'default' && name !== 'initSync') core[name] = guard(f);
  }
  // The payload functions: options read once, the body measured before it is copied.
  for (const name of ['parseR2Event', 'validateR2Event', 'parseBelvoWebhook', 'validateBelvoWebhook']) {
    const f = glue[name];
    core[name] = guard({
      [name](body, options) {
        const saved = snapshot(options, PAYLOAD_OPTIONS, 'options');
        return f(payloadBody(body, saved), saved);
      },
    }[name]);
  }
  // inspectDelivery: its input read once, the body measured, the clock read here.
  const inspect = glue.inspectDelivery;
  core.inspectDelivery = guard({
    inspectDelivery(input) {
      const saved = snapshot(input, INSPECT_INPUT, 'input');
      if (typeof saved === 'object' && saved !== null) {
        const [bytes, oversized] = measure(saved.body, limitOf(saved), PayhookError);
        // An inspection describes a delivery: no peer given means none, on any runtime.
        const peer = saved.peer === undefined ? undefined : peerAddress(saved.peer, PayhookError);
        Object.assign(saved, { body: bytes, oversized, peer, now: saved.now ?? Date.now() });
      }
      return inspect(saved);
    },
  }.inspectDelivery);
  /** The body as a receiver hands it to CoreReceiver.receive. */
  core.measure = (body, maxBytes) => measure(body, maxBytes, PayhookError);
  // verifyR2Signature with bytes, a header string and one secret string (the common call):
  // passed as they are, without the core asking JS about each argument.
  const verifyAny = glue.verifyR2Signature;
  const verifyParts = glue.verifyR2SignatureParts;
  // clientIp({ peer, headers, trust }) with a peer and headers in the common shapes: the same.
  const clientIpAny = glue.clientIp;
  const clientIpParts = glue.clientIpParts;
  core.clientIp = guard({
    clientIp(request) {
      const [parts, forCore] = plainTrust(requestParts(request, PayhookError));
      return parts ? clientIpParts(...parts) : clientIpAny(forCore);
    },
  }.clientIp);
  core.verifyR2Signature = guard({
    verifyR2Signature(body, header, secrets) {
      // A lone surrogate in the secret goes through the core, which refuses it.
      const plain = typeof secrets === 'string' && secrets !== '' && secrets.isWellFormed?.() === true;
      const bytes = typeof header === 'string' && plain && bytesOf(body);
      return bytes ? verifyParts(bytes, header, secrets) : verifyAny(body, header, secrets);
    },
  }.verifyR2Signature);
  // parseR2IpDocument's result holds an Allowlist: the package's own, not the glue's.
  const parseDocument = glue.parseR2IpDocument;
  core.parseR2IpDocument = guard({
    parseR2IpDocument(json, options) {
      const document = parseDocument(json, snapshot(options, ['regions', 'allowEverything'], 'options'));
      document.allowlist = wrapList(canonical(document.allowlist));
      return document;
    },
  }.parseR2IpDocument);
  return core;
}
