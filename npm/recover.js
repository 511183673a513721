// The wasm core as the package hands it out: every call into wasm guarded, its arguments read
// by input.js, its results (JSON text) parsed, its errors made PayhookErrors, and everything
// that lives in wasm memory able to make itself again after the instance is replaced.
//
// Why: an exception that unwinds through wasm frames leaves the instance in an unknown state.
// A trap (WebAssembly.RuntimeError) or a stack overflow inside wasm (a RangeError, when payhook
// is called with the JS stack nearly exhausted) skips the code that restores the shadow stack
// pointer, may leave an object borrowed and the allocator half-way through an update; after a
// few of them every call traps. The binding never lets an input do that (it takes bytes,
// strings and numbers only, reads no JS object, and no input can make the core panic), but if
// it ever happens the package must not stay broken until the process restarts.
//
// How:
// - Every call into wasm runs between enter() and leave(). A throw that is not a PayhookError
//   (nor the JSON text the core throws for one) marks the instance poisoned. When the
//   outermost call ends (calls nest: a public function runs its glue calls inside its own
//   guard), the glue's __wbg_reset_state()
//   (wasm-bindgen --experimental-reset-state-function, see scripts/build.sh) makes a fresh
//   instance from the same compiled module, synchronously, and `epoch` counts up. The call
//   during which the instance was poisoned throws the error that poisoned it (a bug to
//   report, never retried); the next call runs on the fresh instance. If the reset itself
//   fails (the stack is still nearly exhausted), the next call retries it first. Which throws
//   came from inside wasm cannot be told apart cheaply, so a stack overflow anywhere in a call
//   counts (a spurious replacement costs a millisecond and a memoryStore's contents).
// - The guard costs a counter, a try/finally and a flag test, and allocates nothing: 5-15 ns a
//   call in Node (measured on Allowlist.contains; lost in the noise of verifyR2Signature).
// - Objects whose state lives in wasm memory are wrappers holding its handle (a number,
//   `raw`), the epoch it was made in, and how to make it again; a wrapper used in a later
//   epoch remakes its object first. So values users hold keep working after a recovery:
//   R2_ALLOWLIST, BELVO_ALLOWLIST (the same objects: the live bindings never change), every
//   Allowlist (remade from its canonical entries, or from Allowlist.r2()/belvo()/cloudflare()),
//   every receiver (its CoreReceiver remade from the plain configuration input.js read once, so
//   a later change to the caller's options object changes nothing, before or after a recovery),
//   and every memoryStore (its CoreSeenSet remade empty: the keys it remembered are lost, as on
//   a restart; a shared store keeps them).
// - The wrappers check their `this` (a private field), so misuse such as
//   `Allowlist.prototype.contains.call({})` is a PayhookError (argument_invalid), not a null
//   handle passed to wasm.

import { PayhookError, coreError, invalid, knowErrors, refuse } from './error.js';
import {
  acceptedOf, capped, checkKeys, entriesOf, headerLine, headerValues, measure, overBody, payloadOptions, peerAddress, read,
  knowLimits, receiverConfig, requestParts, nameOf, secretOf, stillHeld, stringsOf,
  wholeBody, withJoinedSecrets, withUtf8,
} from './input.js';

/**
 * The guard over one wasm-bindgen glue (the package's module, or payhook/tools'): `run` makes
 * every call, `own`/`live` keep wasm-owned objects alive across a recovery, `exported` makes
 * a public function, `start` learns the error statuses and the limits on inputs once the module is instantiated.
 * @param {Record<string, any>} glue
 */
export function guard(glue) {
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
   * Every call: `method(a, b, c, d, e)` between enter() and leave(). What the core throws is
   * JSON text, made a PayhookError here; a PayhookError from reading the input is the
   * caller's; anything else poisons the instance. The catch and finally make no call before
   * the bookkeeping is done (a stack overflow can strike at any call), and allocate nothing.
   */
  function run(method, a, b, c, d, e) {
    enter();
    try {
      return method(a, b, c, d, e);
    } catch (error) {
      if (typeof error === 'string') throw coreError(error);
      if (!poisoned && !(error instanceof PayhookError)) {
        poisoned = true;
        trapped = error;
      }
      throw error;
    } finally {
      if (--depth === 0 && poisoned) leave();
    }
  }

  /**
   * A wasm-owned object: its handle (a number the core hands out), its epoch, how to make it
   * again, and how to free it. Freed when the wrapper holding it is garbage collected, by
   * this registry; the held value is a number (handle + epoch * 2^32: V8 in Node 20 and 22
   * crashed in its deoptimizer with object held values), and a handle of an earlier
   * instance is never freed in the current one.
   */
  const SPAN = 2 ** 32;
  const registries = new Map();
  function registryOf(free) {
    let registry = registries.get(free);
    if (!registry) {
      registry = new FinalizationRegistry((held) => {
        if (Math.floor(held / SPAN) !== epoch) return;
        try {
          run(free, held % SPAN);
        } catch {} // a finalizer has no caller to tell; the next call recovers
      });
      registries.set(free, registry);
    }
    return registry;
  }
  const track = (handle) => registryOf(handle.free).register(handle, handle.raw + handle.at * SPAN, handle);
  function own(raw, remake, free) {
    const handle = { raw, at: epoch, remake, free };
    track(handle);
    return handle;
  }
  /** The handle's number in the current instance, remade if the instance was replaced. */
  function live(handle) {
    if (handle.at !== epoch) {
      registryOf(handle.free).unregister(handle);
      handle.raw = handle.remake();
      handle.at = epoch;
      track(handle);
    }
    return handle.raw;
  }

  /** A public function: `f` run guarded, with the public name and arity. */
  function exported(name, f, length = f.length) {
    const guarded = (a, b, c) => run(f, a, b, c);
    Object.defineProperties(guarded, { name: { value: name }, length: { value: length } });
    return guarded;
  }
  /** Once the module is instantiated: the statuses of the codes the package raises itself. */
  const start = () => run(() => {
    knowErrors(JSON.parse(glue.errorCodes()));
    knowLimits(glue.inputLimits());
  });
  /**
   * The body limit `maxBytes` gives, or the core's refusal of it, before any body is measured;
   * the default is asked for once, so a call without `maxBytes` costs no extra call into wasm.
   */
  let defaultLimit;
  const limitOf = (max) => (max === undefined ? (defaultLimit ??= glue.bodyLimit(undefined)) : glue.bodyLimit(max));
  return { run, own, live, exported, start, limitOf };
}

/**
 * The guarded core over the package's glue: the public functions, the `Allowlist` class,
 * and the `CoreReceiver` and `CoreSeenSet` the receivers and memoryStore are built on.
 * @param {Record<string, any>} glue
 */
export function bindCore(glue) {
  const { run, own, live, exported, start, limitOf } = guard(glue);
  const MADE = Symbol('made');
  let made; // the handle Allowlist's constructor takes instead of entries
  let isAllowlist; // (value) => whether value is an Allowlist
  let listOf; // (value, what) => the live handle number behind value, or a PayhookError
  let wrapList; // (handle) => a new Allowlist around the handle

  /** A list's handle, remade from its canonical entries (they parse back to the same list). */
  function canonical(id) {
    const entries = glue.allowlistEntries(id);
    return own(id, () => glue.allowlistNew(entries), glue.allowlistFree);
  }
  /** A list's handle, remade by the same call. */
  const remade = (make) => own(make(), make, glue.allowlistFree);
  const newList = (entries) => canonical(glue.allowlistNew(entriesOf(entries, 'entries')));
  const r2List = (environment) => {
    const name = environment === undefined || environment === null ? undefined : environment;
    if (name !== undefined && typeof name !== 'string') throw invalid('the R2 environment must be a string');
    return wrapList(remade(() => glue.allowlistR2(capped(name))));
  };
  const belvoList = () => wrapList(remade(glue.allowlistBelvo));
  const cloudflareList = () => wrapList(remade(glue.allowlistCloudflare));
  const contains = (list, ip) => {
    const id = listOf(list, 'contains');
    if (typeof ip !== 'string') throw refuse('ip_malformed', 'the address must be a string');
    return glue.allowlistContains(id, capped(ip));
  };
  const check = (list, request) => {
    const id = listOf(list, 'check');
    return JSON.parse(glue.allowlistCheck(id, ...requestParts(request)));
  };
  const union = (list, other) => wrapList(canonical(glue.allowlistUnion(listOf(list, 'union'), entriesOf(other, 'other'))));
  const entries = (list) => glue.allowlistEntries(listOf(list, 'entries'));
  const size = (list) => glue.allowlistSize(listOf(list, 'size'));

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
      return run(entries, this);
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
          throw invalid(`Allowlist.prototype.${what} was called on something that is not an Allowlist`);
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
  const limits = (core) => glue.receiverLimits(live(core.handle));
  const receive = (core, [bytes, oversized], headers, peer, now) => {
    const [signature, authorization, cf, xff, forwarded] = headerValues(headers);
    const address = peerAddress(peer);
    const out = glue.receiverReceive(live(core.handle), stillHeld(bytes), oversized, signature, authorization, cf, xff, forwarded, address, now);
    return out.charCodeAt(0) === 0x7b ? JSON.parse(out) : accepted(core, out); // a refusal is `{…}`
  };
  /**
   * An accepted delivery's outcome from the core's text (bindings/js/src/receiver.rs,
   * `accepted_text`): a line of the dedup key, the client's address and its source, the
   * secret's index and the encoding, the accepted value's index and the scheme (tab-separated,
   * empty where they do not apply), then the event's JSON; the receiver's accepted answer.
   */
  const accepted = (core, out) => {
    let at = 0;
    const next = (separator) => {
      const end = out.indexOf(separator, at);
      const text = out.slice(at, end);
      at = end + 1;
      return text;
    };
    const dedupKey = next('\t');
    const ip = next('\t');
    const source = next('\t');
    const secretIndex = next('\t');
    const encoding = next('\t');
    const acceptedIndex = next('\t');
    const scheme = next('\n');
    const { status, contentType, body } = (core.accepted ??= answer(core, undefined));
    const or = (text, value) => (text === '' ? undefined : value);
    return {
      ok: true, status, contentType, body, event: JSON.parse(out.slice(at)), dedupKey,
      clientIp: or(ip, ip), clientIpSource: or(ip, source),
      secretIndex: or(secretIndex, Number(secretIndex)), encoding: or(secretIndex, encoding),
      acceptedIndex: or(acceptedIndex, Number(acceptedIndex)), scheme: or(acceptedIndex, scheme),
    };
  };
  const answer = (core, code) => JSON.parse(glue.receiverAnswer(live(core.handle), code));
  const claim = (set, key, token, now, leaseMs) => glue.seenSetClaim(live(set.handle), key, token, now, leaseMs);
  const status = (set, key, now) => glue.seenSetStatus(live(set.handle), key, now);
  const complete = (set, key, token, now, retentionMs) => glue.seenSetComplete(live(set.handle), key, token, now, retentionMs);
  const release = (set, key, token, now) => glue.seenSetRelease(live(set.handle), key, token, now);
  const setSize = (set) => glue.seenSetSize(live(set.handle));

  class CoreReceiver {
    /** Made from the caller's options, read once into a configuration that also remakes it. */
    constructor(provider, options) {
      const handle = run(() => {
        const config = JSON.stringify(receiverConfig(provider, options, false));
        const make = () => glue.receiverNew(config);
        return own(make(), make, glue.receiverFree);
      });
      Object.defineProperty(this, 'handle', { value: handle });
      this.accepted = undefined; // the accepted answer, asked for once (receive)
    }

    get maxBytes() {
      return run(limits, this)[0];
    }

    get dedupRetentionMs() {
      return run(limits, this)[1];
    }

    /** `body` as measure() gives it; `now` in milliseconds since the epoch. */
    receive(body, headers, peer, now) {
      return run(receive, this, body, headers, peer, now);
    }

    /** The answer for a refusal `code`: `{ status, contentType, body }`. */
    answer(code) {
      return run(answer, this, code);
    }
  }

  class CoreSeenSet {
    constructor(entries, bytes) {
      const make = () => glue.seenSetNew(entries, bytes);
      Object.defineProperty(this, 'handle', { value: run(() => own(make(), make, glue.seenSetFree)) });
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
      return run(setSize, this)[0];
    }

    get bytes() {
      return run(setSize, this)[1];
    }
  }

  /**
   * What the core gave for an event a parse function made: the start of its dedup key
   * (`r2:financing_paid`), a newline, the JSON text the event was made from (in ASCII: every
   * other character as a `\u` escape). While `JSON.stringify(event)` still gives that text,
   * dedupKey takes the key from the text without the core reading it back as a payload (the
   * same key: the core's tests and fuzz target `payload` hold the two ways together); once
   * the event changes, it reads it back. The core compares the two texts, escapes and all.
   * The event holds it in a private field, stamped on by a class whose base constructor
   * returns the event: JSON.stringify, Object.keys, Reflect.ownKeys, spreads, structuredClone
   * and deep-equality checks do not see it, no copy carries it, and a Proxy of an event has
   * none (private names do not pass through proxies). Not a WeakMap: its entries cost every
   * garbage collection (parseR2Event measured up to 14.5 µs with one); not a symbol property
   * made non-enumerable: defineProperty took 0.33 µs of parseR2Event's 9.9 µs, the field none.
   * Only a parse function stamps one, so a text the core did not write is never taken.
   */
  class Stamp {
    constructor(event) {
      return event;
    }
  }
  class Parsed extends Stamp {
    #out;
    constructor(event, out) {
      super(event);
      this.#out = out;
    }
    static out(value) {
      return typeof value === 'object' && value !== null && #out in value ? value.#out : undefined;
    }
  }
  /** A payload function: the options read once, the body measured before it is copied. */
  const payload = (provider, validate) => (body, options) => {
    const [strict, max] = payloadOptions(options);
    const [bytes, oversized] = measure(body, limitOf(max));
    const out = glue.payload(provider, validate, bytes, oversized, strict, max);
    if (validate) return JSON.parse(out);
    const event = JSON.parse(out.slice(out.indexOf('\n') + 1));
    new Parsed(event, out); // stamps the event with its text
    return event;
  };
  /** `index\tname` (bindings/js/src/verify.rs `matched`): which value matched, and how. */
  const matched = (out) => {
    const tab = out.indexOf('\t');
    return [Number(out.slice(0, tab)), out.slice(tab + 1)];
  };

  const functions = {
    signR2(body, secret, options) {
      let encoding;
      if (options !== undefined && options !== null) {
        if (typeof options !== 'object') throw invalid(`options must be an object, not ${typeof options}`);
        encoding = read(options, 'encoding', 'options');
        if (encoding !== undefined && encoding !== null && typeof encoding !== 'string') throw invalid('options.encoding must be a string');
      }
      return glue.signR2(wholeBody(body), secretOf(secret, 'secret'), capped(encoding ?? undefined));
    },
    verifyR2Signature(body, header, secrets) {
      const bytes = wholeBody(body);
      const line = headerLine(header, 'Content-Sha256') ?? '';
      const [secretIndex, encoding] = matched(withJoinedSecrets(secrets, (joined, lengths) => glue.verifyR2Signature(stillHeld(bytes), line, joined, lengths)));
      return { secretIndex, encoding };
    },
    checkBelvoAuthorization(header, accepted) {
      const values = acceptedOf(accepted, 'accepted');
      const [acceptedIndex, scheme] = matched(glue.checkBelvoAuthorization(headerLine(header, 'Authorization') ?? '', values));
      return { acceptedIndex, scheme };
    },
    clientIp(request) {
      return JSON.parse(glue.clientIp(...requestParts(request)));
    },
    dedupKey(event) {
      let text;
      try {
        text = JSON.stringify(event);
      } catch {}
      const parsed = text === undefined ? undefined : Parsed.out(event); // a Proxy has none
      // An event read back as a payload takes many times its size in wasm memory: one longer
      // in JSON than a body may be is refused before it is encoded or copied (one with 1.5 GB
      // of text in a member ran wasm memory out, and trapped).
      // So is a parsed event whose JSON became longer than the text it was parsed from (which
      // holds the same characters, some escaped): it changed, and is read back. (One with 500
      // million characters added to a member was encoded and copied to be compared, and trapped.)
      const tooLong = () => invalid('dedupKey takes an event from parseR2Event or parseBelvoWebhook: this one is longer in JSON than the largest body payhook reads');
      const cut = parsed === undefined ? -1 : parsed.indexOf('\n'); // the key's start, then the text
      const heldLength = cut < 0 ? 0 : parsed.length - cut - 1;
      if (text !== undefined && text.length > heldLength && overBody(text.length)) throw tooLong();
      return withUtf8(cut < 0 ? '' : parsed.slice(cut + 1), text, (held, utf8) => {
        const key = cut < 0 ? undefined : glue.dedupKeyOfParsed(parsed.slice(0, cut), held, utf8);
        if (key !== undefined) return key;
        if (overBody(utf8.byteLength)) throw tooLong();
        return glue.dedupKey(utf8); // not JSON: the core says what dedupKey takes
      });
    },
    deliveryPolicy(provider) {
      return JSON.parse(glue.deliveryPolicy(nameOf(provider)));
    },
    errorCodes() {
      return JSON.parse(glue.errorCodes());
    },
    parseR2IpDocument(json, options) {
      if (typeof json !== 'string') throw refuse('allowlist_malformed', 'the document must be a JSON string');
      // Read, it takes up to about 47 times its size in wasm memory, as a payload does: one
      // of 480 million characters ran wasm memory out and trapped after 9 s.
      if (overBody(json.length)) throw refuse('allowlist_malformed', 'the document is longer than the largest body payhook reads');
      let regions, allowEverything;
      if (options !== undefined) {
        // Options that cannot be read as meant would widen the list to every region: refused.
        if (typeof options !== 'object' || options === null) {
          throw invalid('options must be { regions, allowEverything }');
        }
        checkKeys(options, ['regions', 'allowEverything'], 'options');
        [regions, allowEverything] = ['regions', 'allowEverything'].map((key) => read(options, key, 'options'));
      }
      if (regions === null) throw invalid('options.regions is null: leave it out for every region');
      regions = regions === undefined ? undefined : stringsOf(regions, 'regions', 'argument_invalid');
      if (allowEverything !== undefined && typeof allowEverything !== 'boolean') throw invalid('options.allowEverything must be a boolean');
      const { entries, ...document } = JSON.parse(glue.parseR2IpDocument(json, regions, allowEverything === true));
      return { ...document, allowlist: wrapList(remade(() => glue.allowlistNew(entries))) };
    },
    parseR2Event: payload('r2', false),
    validateR2Event: payload('r2', true),
    parseBelvoWebhook: payload('belvo', false),
    validateBelvoWebhook: payload('belvo', true),
  };

  const core = { Allowlist, CoreReceiver, CoreSeenSet };
  for (const [name, f] of Object.entries(functions)) core[name] = exported(name, f, name.startsWith('parse') || name.startsWith('validate') ? 2 : f.length);
  core.start = start;
  return core;
}
