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

// The shapes the fast paths take, read with the engine's own typed-array accessors so that
// nothing the caller defines (an own `length`, a subclass) can make them lie.
const typedArray = Object.getPrototypeOf(Uint8Array.prototype);
const accessor = (name) => Object.getOwnPropertyDescriptor(typedArray, name).get;
const [bufferOf, offsetOf, lengthOf] = [accessor('buffer'), accessor('byteOffset'), accessor('byteLength')];

/** A fresh Uint8Array over a Uint8Array's (or Buffer's) bytes, or null for anything else. */
function byteView(value) {
  try {
    if (!(value instanceof Uint8Array)) return null;
    return new Uint8Array(bufferOf.call(value), offsetOf.call(value), lengthOf.call(value));
  } catch {
    return null; // a Proxy, not really a typed array, or detached: the core says what is wrong
  }
}

/** The header names the core reads, lowercase, in the order receiveParts takes them. */
const HEADER_NAMES = ['content-sha256', 'authorization', 'cf-connecting-ip', 'x-forwarded-for', 'forwarded'];
const HEADER_LENGTHS = new Set(HEADER_NAMES.map((name) => name.length));

/**
 * The five header values as strings (undefined when absent), looked up as the core does
 * (src/wasm/input.rs, RequestHeaders): Fetch Headers through get(), a plain object by every
 * key matched without regard to ASCII case, repeated keys joined with ', '. null when a
 * value is not a string or anything throws: then the core reads them and says what is wrong.
 */
function headerStrings(headers) {
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
    return null;
  }
}

/** The peer's address (null: none), read as the core does; undefined: let the core read it. */
function peerAddress(peer) {
  if (peer === undefined || peer === null) return null;
  if (typeof peer === 'string') return peer;
  try {
    for (const path of PEER_PATHS) {
      let value = peer;
      for (const key of path) value = typeof value === 'object' && value !== null ? value[key] : undefined;
      if (typeof value === 'string') return value;
    }
  } catch {}
  return undefined;
}
const PEER_PATHS = [['socket', 'remoteAddress'], ['remoteAddress'], ['remoteAddr', 'hostname'], ['address']];

/**
 * `{ peer, headers, trust }` (clientIp, Allowlist.check) in the common shapes, as the
 * arguments of clientIpParts/checkParts: the peer's address, the three forwarding header
 * values, and `trust` as given (the core reads it). null: let the core read the request.
 */
function requestParts(request) {
  if (typeof request !== 'object' || request === null) return null;
  let peer, headers, trust;
  try {
    ({ peer, headers, trust } = request);
  } catch {
    return null;
  }
  const parts = deliveryParts(headers, peer);
  return parts && [parts[5], parts[2], parts[3], parts[4], trust];
}

/**
 * The five header values (headerStrings) and then the peer's address (peerAddress), in the
 * order of receiveParts' arguments after the body; null: let the core read them.
 */
function deliveryParts(headers, peer) {
  const found = headerStrings(headers);
  const address = found && peerAddress(peer);
  if (!found || address === undefined) return null;
  found.push(address);
  return found;
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
  function run(method, a, b, c, d) {
    enter();
    try {
      return method(a, b, c, d);
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
    const parts = requestParts(request);
    return parts ? raw.checkParts(...parts) : raw.check(request);
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
  const receive = (core, body, headers, peer) => {
    // The common shapes are read here, in JS, and passed as a byte view and strings: about a
    // dozen fewer calls between wasm and JS per delivery. Anything else, the core reads.
    const bytes = byteView(body);
    const parts = bytes && deliveryParts(headers, peer);
    if (!parts) return live(core.handle).receive(body, headers, peer);
    return live(core.handle).receiveParts(bytes, ...parts);
  };
  const claim = (set, key, now, leaseMs) => live(set.handle).claim(key, now, leaseMs);
  const status = (set, key, now) => live(set.handle).status(key, now);
  const complete = (set, key, now, retentionMs) => live(set.handle).complete(key, now, retentionMs);
  const release = (set, key) => live(set.handle).release(key);
  const setSize = (set) => live(set.handle).size;
  const setBytes = (set) => live(set.handle).bytes;

  class CoreReceiver {
    constructor(provider, options) {
      const handle = run((p, o) => own(new glue.CoreReceiver(p, o)), provider, options);
      const saved = copyOptions(options, RECEIVER_OPTIONS);
      handle.remake = () => new glue.CoreReceiver(provider, saved);
      Object.defineProperty(this, 'handle', { value: handle });
    }

    get maxBytes() {
      return run(maxBytes, this);
    }

    receive(body, headers, peer) {
      return run(receive, this, body, headers, peer);
    }
  }

  class CoreSeenSet {
    constructor(entries, bytes) {
      const make = () => new glue.CoreSeenSet(entries, bytes);
      Object.defineProperty(this, 'handle', { value: run(() => own(make(), make)) });
    }

    claim(key, now, leaseMs) {
      return run(claim, this, key, now, leaseMs);
    }

    status(key, now) {
      return run(status, this, key, now);
    }

    complete(key, now, retentionMs) {
      return run(complete, this, key, now, retentionMs);
    }

    release(key) {
      return run(release, this, key);
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
   * `configure` and `payload_options`), and from its `trust` object (src/wasm/input.rs, `trust`).
   */
  const RECEIVER_OPTIONS = ['secrets', 'authorization', 'allowlist', 'trust', 'strict', 'maxBytes'];
  const TRUST_OPTIONS = ['proxies', 'hops', 'header'];

  /**
   * A copy of what the core read from `object`'s `keys`, for remaking a receiver: arrays and
   * bytes copied, an Allowlist (of either copy of the package) as its entries (so a remake
   * calls no JS), the `trust` object copied the same way. Read as the core reads: a throwing
   * getter is `undefined`. Anything not listed reads through to the original object, so an
   * option the core learns later is not lost, only not copied.
   */
  function copyOptions(object, keys) {
    const copy = Object.create(object);
    for (const key of keys) {
      let value;
      try {
        value = object[key];
      } catch {}
      Object.defineProperty(copy, key, { value: copied(value), enumerable: true });
    }
    return copy;
  }
  function copied(value) {
    if (typeof value !== 'object' || value === null) return value;
    try {
      if (Array.isArray(value)) return Array.from(value, copied);
      if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength).slice();
      if (value instanceof ArrayBuffer) return value.slice(0);
      if (typeof value.entries === 'function') {
        const entries = value.entries();
        return Array.isArray(entries) ? Array.from(entries) : value;
      }
      return copyOptions(value, TRUST_OPTIONS);
    } catch {
      return value; // unreadable now: the core reads it again as it did at first
    }
  }

  // The functions: every lower-case function the glue exports (not its init functions).
  const core = { Allowlist, CoreReceiver, CoreSeenSet };
  for (const [name, f] of Object.entries(glue)) {
    if (typeof f === 'function' && /^[a-z]/.test(name) && name !== 'default' && name !== 'initSync') core[name] = guard(f);
  }
  // verifyR2Signature with bytes, a header string and one secret string (the common call):
  // passed as they are, without the core asking JS about each argument.
  const verifyAny = glue.verifyR2Signature;
  const verifyParts = glue.verifyR2SignatureParts;
  // clientIp({ peer, headers, trust }) with a peer and headers in the common shapes: the same.
  const clientIpAny = glue.clientIp;
  const clientIpParts = glue.clientIpParts;
  core.clientIp = guard({
    clientIp(request) {
      const parts = requestParts(request);
      return parts ? clientIpParts(...parts) : clientIpAny(request);
    },
  }.clientIp);
  core.verifyR2Signature = guard({
    verifyR2Signature(body, header, secrets) {
      const bytes = typeof header === 'string' && typeof secrets === 'string' && secrets !== '' && byteView(body);
      return bytes ? verifyParts(bytes, header, secrets) : verifyAny(body, header, secrets);
    },
  }.verifyR2Signature);
  // parseR2IpDocument's result holds an Allowlist: the package's own, not the glue's.
  const parseDocument = glue.parseR2IpDocument;
  core.parseR2IpDocument = guard({
    parseR2IpDocument(json, options) {
      const document = parseDocument(json, options);
      document.allowlist = wrapList(canonical(document.allowlist));
      return document;
    },
  }.parseR2IpDocument);
  return core;
}
