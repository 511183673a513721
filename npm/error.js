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

/** Each code's status, from the core's one list (errorCodes()), told at start-up. */
const statuses = new Map();
export function knowErrors(list) {
  for (const { code, status } of list) statuses.set(code, status);
}

/** A refusal the package itself finds while reading the input, with the core's status for its code. */
export const refuse = (code, message, options) => new PayhookError(code, statuses.get(code), message, options);

/** `argument_invalid`: a bug in the caller's code, not the sender's. */
export const invalid = (message, options) => refuse('argument_invalid', message, options);
