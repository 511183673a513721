//! The one error type. Every variant has a stable snake_case [`Error::code`], a suggested
//! HTTP status for the receiver's answer, and a static message that never carries a secret,
//! a token or an expected signature.

use core::fmt;

macro_rules! errors {
    ($( $(#[doc = $doc:literal])* $variant:ident => $code:literal, $status:literal, $message:literal; )*) => {
        /// Why a webhook (or the receiver's configuration) was refused.
        ///
        /// Fieldless and `Copy`, like `httparse::Error`: it says *what* failed, never *with
        /// which value*, so it is always safe to log or send back.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum Error {
            $( $(#[doc = $doc])* $variant, )*
        }

        impl Error {
            /// Every error, in declaration order: the list the README and the TypeScript
            /// types are checked against.
            pub const ALL: &'static [Error] = &[$(Error::$variant),*];

            /// The stable, machine-readable code (`signature_mismatch`, …).
            pub const fn code(self) -> &'static str {
                match self { $(Error::$variant => $code,)* }
            }

            /// The HTTP status a receiver should answer with.
            pub const fn status(self) -> u16 {
                match self { $(Error::$variant => $status,)* }
            }

            /// A human-readable explanation, safe to show to the sender.
            pub const fn message(self) -> &'static str {
                match self { $(Error::$variant => $message,)* }
            }

            /// The error with this code, if there is one.
            pub fn from_code(code: &str) -> Option<Error> {
                Error::ALL.iter().copied().find(|e| e.code() == code)
            }
        }
    };
}

errors! {
    /// The `Content-Sha256` header is absent or empty.
    SignatureMissing => "signature_missing", 401,
        "the Content-Sha256 signature header is missing";
    /// The `Content-Sha256` header is not hex, base64, or base64 of hex of a SHA-256 tag.
    SignatureMalformed => "signature_malformed", 400,
        "the Content-Sha256 header is not a SHA-256 HMAC in hex, base64, or base64 of hex";
    /// The signature is well formed but matches none of the secrets.
    SignatureMismatch => "signature_mismatch", 401,
        "the Content-Sha256 signature does not match the body for any configured secret";
    /// The configured secrets (or accepted `Authorization` values) are empty or unusable.
    SecretInvalid => "secret_invalid", 500,
        "the configured secrets are empty or invalid: refusing to verify rather than accept everything";
    /// The `Authorization` header is absent or empty.
    AuthorizationMissing => "authorization_missing", 401,
        "the Authorization header is missing";
    /// The `Authorization` header is not `<scheme> <credentials>`, or its Basic part does not
    /// decode to `user:password`.
    AuthorizationMalformed => "authorization_malformed", 400,
        "the Authorization header is not a well-formed Bearer or Basic credential";
    /// The `Authorization` header is well formed but matches none of the accepted values.
    AuthorizationMismatch => "authorization_mismatch", 401,
        "the Authorization header matches none of the accepted values";
    /// A string that should be an IP address or CIDR network is not one (strict form).
    IpMalformed => "ip_malformed", 400,
        "not an IP address or CIDR network in strict form";
    /// The client's address is not on the allowlist.
    IpNotAllowed => "ip_not_allowed", 403,
        "the client address is not on the allowlist";
    /// The client's address cannot be known: no peer address, or an `unknown` or
    /// obfuscated hop where the client should be.
    IpUnknown => "ip_unknown", 403,
        "the client address cannot be determined from the peer and the trusted headers";
    /// A forwarding header (`X-Forwarded-For`, `Forwarded`, `CF-Connecting-IP`) is garbage
    /// where it had to be read.
    HeaderMalformed => "header_malformed", 400,
        "a trusted forwarding header is malformed where the client address had to be read";
    /// An allowlist or a provider's address document is malformed.
    AllowlistMalformed => "allowlist_malformed", 500,
        "the allowlist or address document is malformed";
    /// Another receiver holds the claim on this event and has not finished: the provider
    /// should retry later (the claim expires after its lease if that receiver died).
    DeliveryInProgress => "delivery_in_progress", 409,
        "this event is being handled by another receiver; retry later";
    /// The application's handler threw: the claim was released so the provider's retry is
    /// processed.
    HandlerFailed => "handler_failed", 500,
        "the receiver failed to handle the event; it will be processed when the provider retries";
    /// A pasted capture is neither a raw HTTP request nor a `curl` command payhook can read.
    CaptureMalformed => "capture_malformed", 400,
        "the text is not a raw HTTP request or a curl command that payhook can read";
    /// A function was called with an argument of the wrong type or value (a bug in the caller).
    ArgumentInvalid => "argument_invalid", 500,
        "a payhook function was called with an argument of the wrong type or value";
    /// The body is not the raw bytes: a framework parsed it (a plain object where bytes were
    /// expected) or read it before payhook could. The signed bytes are gone.
    BodyNotRaw => "body_not_raw", 500,
        "the body is not the raw bytes: a framework parsed or read it first";
    /// The body is empty, not UTF-8, starts with a BOM, is not JSON, nests deeper than the
    /// parser allows, or is not a JSON object.
    PayloadNotJson => "payload_not_json", 400,
        "the body is not a JSON object";
    /// The body is longer than the configured limit (1 MiB by default).
    PayloadTooLarge => "payload_too_large", 413,
        "the body is larger than the configured limit";
    /// The body is JSON but not a valid payload for the provider: the issues say where.
    /// 422, not 400: the syntax was understood, the content was not (RFC 9110, 15.5.21).
    PayloadInvalid => "payload_invalid", 422,
        "the payload does not match the provider's documented shape";
    /// Strict mode only: the event type (or Belvo type and code) is not a documented one.
    UnknownEventType => "unknown_event_type", 422,
        "the event type is not one this version of payhook knows";
    /// R2: the signed `event_time` is older than the replay window, or further in the future
    /// than the allowed clock skew. A captured delivery replayed later: acknowledged with
    /// R2's success answer (it will never become valid, so a retry would only fail again)
    /// and never handled.
    EventStale => "event_stale", 200,
        "the event's signed event_time is outside the replay window: acknowledged, not processed";
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

impl std::error::Error for Error {}
