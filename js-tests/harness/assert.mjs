// A small assertion module that runs anywhere: Node, Deno, Bun, workerd, browsers.
// No `node:` imports. The names follow node:assert/strict so the suites read the same.

export class AssertionError extends Error {
  constructor(message, details = {}) {
    super(message);
    this.name = 'AssertionError';
    Object.assign(this, details);
  }
}

/** A short, safe rendering of a value for failure messages (long strings are cut). */
export function show(value, depth = 0) {
  if (typeof value === 'string') return JSON.stringify(value.length > 200 ? `${value.slice(0, 200)}…(${value.length} chars)` : value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'function') return `[Function ${value.name || 'anonymous'}]`;
  if (typeof value === 'symbol' || value === undefined || value === null || typeof value !== 'object') return String(value);
  if (depth > 4) return Array.isArray(value) ? '[…]' : '{…}';
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  if (ArrayBuffer.isView(value)) return `${value.constructor.name}(${value.byteLength})`;
  if (value instanceof ArrayBuffer) return `ArrayBuffer(${value.byteLength})`;
  if (Array.isArray(value)) {
    const items = value.slice(0, 20).map((v) => show(v, depth + 1));
    if (value.length > 20) items.push(`…${value.length - 20} more`);
    return `[${items.join(', ')}]`;
  }
  const keys = Object.keys(value);
  const parts = keys.slice(0, 30).map((k) => `${/^[A-Za-z_$][\w$]*$/.test(k) ? k : JSON.stringify(k)}: ${show(value[k], depth + 1)}`);
  if (keys.length > 30) parts.push(`…${keys.length - 30} more`);
  const tag = Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null ? '' : `${value.constructor?.name ?? ''} `;
  return `${tag}{${parts.join(', ')}}`;
}

function raise(message, fallback, details) {
  if (message instanceof Error) throw message;
  throw new AssertionError(message ?? fallback, details);
}

export function ok(value, message) {
  if (!value) raise(message, `expected a truthy value, got ${show(value)}`, { actual: value, expected: true });
}

/** Object.is equality, like node:assert/strict's equal (strictEqual). */
export function equal(actual, expected, message) {
  if (!Object.is(actual, expected)) raise(message, `expected ${show(expected)}, got ${show(actual)}`, { actual, expected });
}

export function notEqual(actual, expected, message) {
  if (Object.is(actual, expected)) raise(message, `expected something other than ${show(expected)}`, { actual, expected });
}

/**
 * Structural equality for plain data, like node:assert/strict's deepEqual: same prototype,
 * same own enumerable keys, Object.is on primitives; arrays, plain objects, typed arrays,
 * ArrayBuffers, Dates, RegExps, Maps and Sets. Returns the path of the first difference or null.
 */
export function difference(actual, expected, path = '', seen = new Map()) {
  if (Object.is(actual, expected)) return null;
  if (typeof actual !== 'object' || typeof expected !== 'object' || actual === null || expected === null) {
    return `${path || '(root)'}: expected ${show(expected)}, got ${show(actual)}`;
  }
  if (Object.getPrototypeOf(actual) !== Object.getPrototypeOf(expected)) {
    return `${path || '(root)'}: expected a ${expected.constructor?.name ?? 'null-prototype object'}, got a ${actual.constructor?.name ?? 'null-prototype object'}`;
  }
  if (seen.get(actual) === expected) return null;
  seen.set(actual, expected);
  const where = path || '(root)';
  if (actual instanceof Date) return Object.is(actual.getTime(), expected.getTime()) ? null : `${where}: dates differ`;
  if (actual instanceof RegExp) return String(actual) === String(expected) ? null : `${where}: regexps differ`;
  if (actual instanceof Error && (actual.message !== expected.message || actual.name !== expected.name)) return `${where}: errors differ`;
  if (ArrayBuffer.isView(actual) || actual instanceof ArrayBuffer) {
    const a = new Uint8Array(actual.buffer ?? actual, actual.byteOffset ?? 0, actual.byteLength);
    const b = new Uint8Array(expected.buffer ?? expected, expected.byteOffset ?? 0, expected.byteLength);
    if (a.length !== b.length) return `${where}: byte lengths ${a.length} and ${b.length}`;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return `${where}[${i}]: expected ${b[i]}, got ${a[i]}`;
    return null;
  }
  if (actual instanceof Map) {
    if (actual.size !== expected.size) return `${where}: map sizes ${actual.size} and ${expected.size}`;
    for (const [k, v] of expected) {
      if (!actual.has(k)) return `${where}: missing map key ${show(k)}`;
      const d = difference(actual.get(k), v, `${path}.get(${show(k)})`, seen);
      if (d) return d;
    }
    return null;
  }
  if (actual instanceof Set) {
    if (actual.size !== expected.size) return `${where}: set sizes ${actual.size} and ${expected.size}`;
    for (const v of expected) if (!actual.has(v)) return `${where}: missing set member ${show(v)}`;
    return null;
  }
  if (Array.isArray(actual) && actual.length !== expected.length) {
    return `${where}: expected ${expected.length} items, got ${actual.length} (${show(actual)})`;
  }
  const ka = Object.keys(actual);
  const ke = Object.keys(expected);
  for (const k of ke) if (!Object.prototype.hasOwnProperty.call(actual, k)) return `${path}.${k}: missing (expected ${show(expected[k])})`;
  for (const k of ka) if (!Object.prototype.hasOwnProperty.call(expected, k)) return `${path}.${k}: unexpected (got ${show(actual[k])})`;
  for (const k of ke) {
    const d = difference(actual[k], expected[k], Array.isArray(actual) ? `${path}[${k}]` : `${path}.${k}`, seen);
    if (d) return d;
  }
  return null;
}

export function deepEqual(actual, expected, message) {
  const d = difference(actual, expected);
  if (d !== null) raise(message, `not deep-equal: ${d}\n  actual:   ${show(actual)}\n  expected: ${show(expected)}`, { actual, expected });
}

export function notDeepEqual(actual, expected, message) {
  if (difference(actual, expected) === null) raise(message, `expected a difference from ${show(expected)}`, { actual, expected });
}

export function match(string, regexp, message) {
  if (typeof string !== 'string' || !regexp.test(string)) raise(message, `expected ${show(string)} to match ${regexp}`, { actual: string, expected: regexp });
}

export function fail(message = 'failed') {
  raise(message, message);
}

/** Checks a thrown error against `expected`: a class, a RegExp for its message, a predicate, or an object of fields. */
function checkThrown(error, expected, message) {
  if (expected === undefined) return;
  if (typeof expected === 'function' && (expected === Error || expected.prototype instanceof Error)) {
    if (!(error instanceof expected)) raise(message, `expected a ${expected.name}, got ${show(error)}`, { actual: error });
    return;
  }
  if (expected instanceof RegExp) {
    match(String(error?.message ?? error), expected, message);
    return;
  }
  if (typeof expected === 'function') {
    if (expected(error) !== true) raise(message, `the thrown ${show(error)} did not pass the check`, { actual: error });
    return;
  }
  for (const [key, value] of Object.entries(expected)) {
    const d = value instanceof RegExp ? (value.test(String(error?.[key])) ? null : `.${key}: ${show(error?.[key])} does not match ${value}`) : difference(error?.[key], value, `.${key}`);
    if (d) raise(message, `the thrown error differs: ${d}`, { actual: error, expected });
  }
}

/** fn must throw; returns what it threw (handy to inspect it further). */
export function throws(fn, expected, message) {
  try {
    fn();
  } catch (error) {
    checkThrown(error, expected, message);
    return error;
  }
  raise(message, 'expected a throw, none came', {});
}

/** Async fn (or promise) must reject; resolves to the rejection reason. */
export async function rejects(fnOrPromise, expected, message) {
  try {
    await (typeof fnOrPromise === 'function' ? fnOrPromise() : fnOrPromise);
  } catch (error) {
    checkThrown(error, expected, message);
    return error;
  }
  raise(message, 'expected a rejection, none came', {});
}

export function doesNotThrow(fn, message) {
  try {
    return fn();
  } catch (error) {
    raise(message, `expected no throw, got ${show(error)}`, { actual: error });
  }
}

const assert = { ok, equal, notEqual, deepEqual, notDeepEqual, match, fail, throws, rejects, doesNotThrow, difference, show, AssertionError };
export default assert;
