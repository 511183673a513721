// Types of the payhook package. The error codes are checked against the Rust list by the
// test suites (tests/docs.rs and js-tests), so they cannot drift.

/** Every error code, from the one list in `src/error.rs`. */
export type ErrorCode =
  | 'signature_missing'
  | 'signature_malformed'
  | 'signature_mismatch'
  | 'secret_invalid'
  | 'authorization_missing'
  | 'authorization_malformed'
  | 'authorization_mismatch'
  | 'argument_invalid';

/**
 * Every failure is thrown as a PayhookError: a real `Error` with a stable `code` and the
 * HTTP `status` a receiver should answer with. Its message never holds a secret, a token
 * or the expected signature. `instanceof PayhookError` holds for errors from any copy of
 * the package, ESM or CommonJS.
 */
export declare class PayhookError extends Error {
  readonly name: 'PayhookError';
  readonly code: ErrorCode;
  readonly status: number;
  constructor(code: ErrorCode, status: number, message: string, options?: ErrorOptions);
}

/** A raw request body: exactly the bytes received. Strings are taken as UTF-8. */
export type Body = Uint8Array | ArrayBuffer | ArrayBufferView | string;

/** A secret: R2's `jwtSecret` as a string (UTF-8) or raw bytes. */
export type Secret = string | Uint8Array | ArrayBuffer | ArrayBufferView;

/**
 * A header value as runtimes give it: Fetch `headers.get()` returns a string or `null`;
 * Node's `req.headers[name]` a string, an array of lines, or `undefined`.
 */
export type HeaderValue = string | readonly string[] | null | undefined;

/** How a `Content-Sha256` value encodes the HMAC-SHA256 tag. */
export type R2SignatureEncoding = 'hex' | 'base64' | 'base64url' | 'base64-hex';

export interface R2SignatureMatch {
  /** Index of the secret that matched, in the list given. */
  secretIndex: number;
  /** The encoding the sender used. */
  encoding: R2SignatureEncoding;
}

export interface SignR2Options {
  /**
   * `base64-hex` (the default: what R2's own example value is), `base64`, `base64url`
   * (unpadded) or `hex` (what `openssl dgst -sha256 -hmac` prints).
   */
  encoding?: R2SignatureEncoding;
}

/** The `Content-Sha256` header R2 would send with this body. */
export declare function signR2(body: Body, secret: Secret, options?: SignR2Options): string;

/**
 * Checks R2's `Content-Sha256` header against the raw body, trying every secret (rotation)
 * in constant time. Accepts hex, base64 (either alphabet, any padding) and base64 of hex.
 * @throws {PayhookError} `secret_invalid`, `signature_missing`, `signature_malformed`,
 *   `signature_mismatch`, `argument_invalid`
 */
export declare function verifyR2Signature(
  body: Body,
  header: HeaderValue,
  secrets: Secret | readonly Secret[],
): R2SignatureMatch;

export interface BelvoAuthorizationMatch {
  /** Index of the accepted value that matched, in the list given. */
  acceptedIndex: number;
  /** The scheme the header used. */
  scheme: 'bearer' | 'basic';
}

/**
 * Checks Belvo's `Authorization` header against the values registered with the webhook
 * (`"Bearer <token>"` or `"Basic <base64 of user:password>"`), in constant time. Scheme
 * names are case-insensitive; Basic is compared as user and password.
 * @throws {PayhookError} `secret_invalid`, `authorization_missing`,
 *   `authorization_malformed`, `authorization_mismatch`, `argument_invalid`
 */
export declare function checkBelvoAuthorization(
  header: HeaderValue,
  accepted: string | readonly string[],
): BelvoAuthorizationMatch;

export interface ErrorInfo {
  code: ErrorCode;
  status: number;
  message: string;
}

/** Every error code with its HTTP status and message. */
export declare function errorCodes(): ErrorInfo[];
