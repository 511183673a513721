// The error every payhook failure is thrown as. The build compiles this file to error.cjs
// for the CommonJS entry; the `instanceof` rule below makes both copies recognise each
// other's errors.

/**
 * A refused delivery or a misconfiguration, with a stable `code` and a suggested HTTP
 * `status`. Errors thrown from the WebAssembly core are real `Error` objects named
 * `PayhookError`; `instanceof PayhookError` recognises them in every copy of the package
 * (ESM and CommonJS alike), so it is the one test a handler needs.
 */
export class PayhookError extends Error {
  constructor(code, status, message, options) {
    super(message, options);
    this.name = 'PayhookError';
    this.code = code;
    this.status = status;
  }

  static [Symbol.hasInstance](value) {
    if (this !== PayhookError) return Function.prototype[Symbol.hasInstance].call(this, value);
    return Object.prototype.toString.call(value) === '[object Error]'
      && value.name === 'PayhookError' && typeof value.code === 'string';
  }
}
