// The error every payhook failure is thrown as: one class, one instance of the package per
// process (Node's CommonJS entry loads this same ES module), so `instanceof` is the one test
// a handler needs.

/**
 * A refused delivery or a misconfiguration, with a stable `code` and a suggested HTTP
 * `status`.
 */
export class PayhookError extends Error {
  constructor(code, status, message, options) {
    super(message, options);
    this.name = 'PayhookError';
    this.code = code;
    this.status = status;
  }
}

/**
 * The PayhookError for what the wasm core threw: JSON text `{ code, status, message, path?,
 * issues? }` (bindings/js/src/failure.rs). The core builds no JS objects; this is the one
 * place its errors become one.
 */
export function coreError(text) {
  const { code, status, message, path, issues } = JSON.parse(text);
  const error = new PayhookError(code, status, message);
  if (path !== undefined) error.path = path;
  if (issues !== undefined) error.issues = issues;
  return error;
}

/** Each code's status and message, from the core's one list (errorCodes()), told at start-up. */
const known = new Map();
export function knowErrors(list) {
  for (const error of list) known.set(error.code, error);
}

/**
 * A refusal the package itself finds while reading the input: the core's status and message
 * for its code, and what exactly was wrong, as the core writes its own.
 */
export function refuse(code, detail, options) {
  const { status, message } = known.get(code) ?? {};
  return new PayhookError(code, status, message ? `${message}: ${detail}` : detail, options);
}

/** `argument_invalid`: a bug in the caller's code, not the sender's. */
export const invalid = (message, options) => refuse('argument_invalid', message, options);
