'use strict';
// The CommonJS twin of error.js (keep in step): same class shape, same `instanceof` rule, so
// an error from either copy is a PayhookError to both.

class PayhookError extends Error {
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

module.exports = { PayhookError };
