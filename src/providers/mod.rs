//! Typed payloads of both providers: validation that reports every problem by path,
//! content-derived dedup keys, and each provider's acknowledgement and retry schedule.
//!
//! Validation walks a `serde_json::Value` instead of using `#[derive(Deserialize)]`, which
//! stops at the first error: a receiver debugging a rejected delivery wants every problem
//! at once, each with a JSON Pointer.
//!
//! The providers' documents contradict each other (an `event_time` string or integer, a
//! 32-hex or UUID `webhook_id`, …): every documented variant is accepted and the parsed
//! value's `seen` list says which one arrived.

use core::fmt;
use core::time::Duration;

use base64::Engine as _;
use serde::ser::{Serialize, SerializeStruct, Serializer};
use serde_json::{Number, Value};
use sha2::{Digest, Sha256};

use crate::Error;

pub mod belvo;
pub mod r2;
mod walk;

/// How to parse a body.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Options {
    /// Refuse unknown event types (`unknown_event_type`) and flag unknown fields
    /// (`unknown_field`). Off by default: providers add types and fields without notice.
    pub strict: bool,
    /// The largest body accepted, in bytes.
    pub max_bytes: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            strict: false,
            max_bytes: crate::json::DEFAULT_MAX_BYTES,
        }
    }
}

impl Options {
    /// The defaults with strict mode on.
    pub fn strict() -> Self {
        Options {
            strict: true,
            ..Options::default()
        }
    }
}

/// One problem found in a payload.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Issue {
    /// Where: a JSON Pointer (RFC 6901) into the body; `""` is the whole body.
    pub path: String,
    /// What, as a stable snake_case code: `missing`, `wrong_type`, `invalid_value`,
    /// `unknown_field`, `unknown_event_type`, `duplicate_key`, or one of the body-level
    /// codes of [`crate::json`].
    pub code: &'static str,
    /// A human-readable explanation.
    pub message: String,
    /// What was expected, when that can be said briefly.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected: Option<String>,
    /// What was found (a JSON type, or a value cut to 64 characters).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub found: Option<String>,
}

impl Issue {
    pub(crate) fn new(path: &str, code: &'static str, message: impl Into<String>) -> Self {
        Issue {
            path: path.to_owned(),
            code,
            message: message.into(),
            expected: None,
            found: None,
        }
    }

    pub(crate) fn expected(mut self, expected: impl Into<String>) -> Self {
        self.expected = Some(expected.into());
        self
    }

    pub(crate) fn found(mut self, found: impl Into<String>) -> Self {
        self.found = Some(found.into());
        self
    }
}

/// A refused payload: the [`Error`] to answer with and every issue found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PayloadError {
    /// `payload_not_json`, `payload_too_large`, `payload_invalid` or `unknown_event_type`.
    pub error: Error,
    /// Never empty.
    pub issues: Vec<Issue>,
}

impl PayloadError {
    pub(crate) fn one(error: Error, issue: Issue) -> Self {
        PayloadError {
            error,
            issues: vec![issue],
        }
    }

    /// `unknown_event_type` when that is among the issues (the caller asked for strict
    /// mode and may want to answer it differently), `payload_invalid` otherwise.
    pub(crate) fn invalid(issues: Vec<Issue>) -> Self {
        let error = if issues.iter().any(|i| i.code == "unknown_event_type") {
            Error::UnknownEventType
        } else {
            Error::PayloadInvalid
        };
        PayloadError { error, issues }
    }
}

impl fmt::Display for PayloadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({} issue", self.error, self.issues.len())?;
        if self.issues.len() != 1 {
            f.write_str("s")?;
        }
        f.write_str(")")
    }
}

impl std::error::Error for PayloadError {}

/// Serialized as `{ code, status, message, issues }`, the shape of a thrown `PayhookError`.
impl Serialize for PayloadError {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("PayloadError", 4)?;
        s.serialize_field("code", self.error.code())?;
        s.serialize_field("status", &self.error.status())?;
        s.serialize_field("message", self.error.message())?;
        s.serialize_field("issues", &self.issues)?;
        s.end()
    }
}

/// The result of a `validate_*` entry point: never an error, always the full list.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Report<T> {
    /// `true` when there are no issues.
    pub ok: bool,
    /// The parsed payload, only when `ok`: a value with holes would be a trap.
    pub value: Option<T>,
    /// Every problem found, in document order per object.
    pub issues: Vec<Issue>,
}

impl<T> From<Result<T, PayloadError>> for Report<T> {
    fn from(result: Result<T, PayloadError>) -> Self {
        match result {
            Ok(value) => Report {
                ok: true,
                value: Some(value),
                issues: Vec::new(),
            },
            Err(e) => Report {
                ok: false,
                value: None,
                issues: e.issues,
            },
        }
    }
}

/// Which side of a documented contradiction (or which leniency) a payload used.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Seen {
    /// R2 `event_time` was a string of digits (the walkthrough's form).
    EventTimeAsString,
    /// R2 `event_time` was an integer (the callbacks page's form).
    EventTimeAsInteger,
    /// Another R2 time (`created_at`, `due_date`, `collected_at`) was a string of digits.
    TimestampAsString,
    /// R2 `event_metadata` was absent (every document shows it, even empty).
    EventMetadataAbsent,
    /// Belvo `webhook_id` was 32 hex digits.
    WebhookIdHex,
    /// Belvo `webhook_id` was a dashed UUID.
    WebhookIdUuid,
    /// Belvo `external_id` was absent (older documents).
    ExternalIdAbsent,
    /// Belvo `external_id` was `null`.
    ExternalIdNull,
    /// Belvo `external_id` was a string.
    ExternalIdPresent,
    /// A Belvo `failure_code` was upper case (`INSUFFICIENT_FUNDS`).
    FailureCodeUpperCase,
    /// A Belvo `failure_code` was lower case (`consent_expired`).
    FailureCodeLowerCase,
    /// A Belvo `webhook_type`/`webhook_code` pair the documents do not list together,
    /// parsed by its parts (the seeds' own sample is `TRANSACTIONS`/`STATUS_UPDATE`).
    UndocumentedPair,
    /// An enumeration (status, currency, kind, …) had a value outside the documented list.
    UnknownValue,
    /// Fields outside the model were present and kept (lenient mode).
    UnknownFields,
    /// A top-level member named like one payhook adds (`seen`, R2 `event_type`) was dropped.
    ReservedFieldDropped,
}

/// A money amount or a rate, kept as the JSON number it was.
///
/// Not `f64`: integers stay exact to 64 bits, and `1000` stays `1000`, not `1000.0`.
/// Decimals are held as the nearest `f64` and print back in their shortest form, so every
/// amount of up to 15 significant digits (`177.90` → `177.9`, `-22.58`) round-trips to the
/// same number; a JS caller gets a plain `number` either way. A decimal type would need
/// serde_json's `arbitrary_precision`, which changes `Value` for the whole crate graph.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[serde(transparent)]
pub struct Amount(pub Number);

impl Amount {
    /// The amount as a float (exact for integers up to 2^53).
    pub fn as_f64(&self) -> f64 {
        self.0.as_f64().unwrap_or(f64::NAN)
    }

    /// The amount as an integer, when it is one.
    pub fn as_i64(&self) -> Option<i64> {
        self.0.as_i64()
    }
}

/// An enumeration documented by a provider that still takes any other string, as `Other`.
macro_rules! known_enum {
    ($(#[$attr:meta])* $name:ident { $( $(#[$vattr:meta])* $variant:ident = $text:literal, )* }) => {
        $(#[$attr])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        pub enum $name {
            $( $(#[$vattr])* $variant, )*
            /// A value outside the documented list, kept as sent.
            Other(String),
        }

        impl $name {
            /// The documented values, in the documents' order.
            pub const KNOWN: &'static [&'static str] = &[$($text),*];

            /// The value as the provider writes it.
            pub fn as_str(&self) -> &str {
                match self {
                    $( $name::$variant => $text, )*
                    $name::Other(s) => s,
                }
            }

            /// Whether the value is outside the documented list.
            pub fn is_other(&self) -> bool {
                matches!(self, $name::Other(_))
            }
        }

        impl $crate::providers::walk::KnownEnum for $name {
            fn is_other(&self) -> bool {
                matches!(self, $name::Other(_))
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                match s {
                    $( $text => $name::$variant, )*
                    other => $name::Other(other.to_owned()),
                }
            }
        }

        impl core::fmt::Display for $name {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }
    };
}
pub(crate) use known_enum;

/// A parsed payload of either provider.
pub trait Webhook: Serialize {
    /// `r2` or `belvo`: the first part of a dedup key.
    const PROVIDER: &'static str;

    /// The event kind, for the middle part of a dedup key: `financing_created`,
    /// `PAYMENT_INTENTS.STATUS_UPDATE`, …
    fn kind(&self) -> String;

    /// The payload as the provider would send it, normalised (`event_time` an integer),
    /// without payhook's own members (`seen`, the R2 top-level `event_type`).
    fn to_json(&self) -> Value;

    /// What the dedup key hashes: [`Webhook::to_json`] less what names the route rather
    /// than the event (Belvo's `webhook_id`).
    fn dedup_content(&self) -> Value {
        self.to_json()
    }
}

/// A short key that is the same for every delivery of one event and differs between events:
/// `<provider>:<kind>:<22 chars>`, e.g. `r2:financing_paid:Xq3…`.
///
/// Neither provider sends a delivery id (Belvo's `webhook_id` names the registered webhook
/// and is the same for every event), so the key is derived from content: SHA-256 of the
/// canonical JSON of [`Webhook::dedup_content`] (keys sorted by code point, no whitespace,
/// numbers and strings as serde_json prints them), base64url, cut to 22 characters
/// (132 bits: a collision is out of reach for any receiver's volume). Key order, whitespace
/// and `event_time` as string or integer do not change it; another type, object, status,
/// time or any other field does. Belvo's `webhook_id` is left out, so one event sent to two
/// registered webhooks of the same receiver is handled once. The kind is only a readable
/// prefix: an unknown kind that is not a short `[A-Za-z0-9_.]` string shows as `unknown`.
pub fn dedup_key<W: Webhook>(webhook: &W) -> String {
    let mut hasher = HashWriter(Sha256::new());
    write_canonical(&webhook.dedup_content(), &mut hasher);
    let mut hash = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(hasher.0.finalize());
    hash.truncate(22);
    let kind = webhook.kind();
    let readable = !kind.is_empty()
        && kind.len() <= 64
        && kind
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.');
    let kind = if readable { kind.as_str() } else { "unknown" };
    format!("{}:{kind}:{hash}", W::PROVIDER)
}

/// Canonical JSON: object keys sorted, no whitespace. serde_json's maps are `BTreeMap`s (the
/// crate is built without `preserve_order`), so its compact output of a [`Value`] already
/// has every object's keys in code-point order: streamed straight into the hash, no copy.
fn write_canonical(value: &Value, out: &mut impl std::io::Write) {
    // Writing a `Value` into a hasher cannot fail.
    let _ = serde_json::to_writer(out, value);
}

/// Feeds what is written to SHA-256.
struct HashWriter(Sha256);

impl std::io::Write for HashWriter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.update(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Serializes a payload and removes payhook's own top-level members: the provider's shape.
pub(crate) fn provider_json<T: Serialize>(value: &T, added: &[&str]) -> Value {
    let mut json = serde_json::to_value(value).unwrap_or(Value::Null);
    if let Value::Object(map) = &mut json {
        for key in added {
            map.remove(*key);
        }
    }
    json
}

/// What a receiver must answer for a delivery to count as received.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Acknowledgement {
    /// The status to answer with.
    pub status: u16,
    /// Any status in `status..=max_status` is accepted by the provider.
    pub max_status: u16,
    /// Text the body must contain (empty: any body).
    pub body: &'static str,
    /// How long the provider waits for the answer before counting a failure.
    pub within: Duration,
}

/// A provider's retries after a failed delivery.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct RetrySchedule {
    /// The delay before each retry, after the previous attempt.
    pub delays: &'static [Duration],
    /// How long one attempt may take before it counts as failed.
    pub timeout: Duration,
}

/// The margin added to a retry window for the dedup retention: one day covers a retry
/// sent by hand later (R2's back office), Belvo's older policy of 5 retries with linear
/// backoff, and queueing or clock skew on either side.
pub const RETENTION_MARGIN: Duration = Duration::from_secs(24 * 3600);

impl RetrySchedule {
    /// The longest time from the first attempt to the start of the last retry, plus every
    /// attempt's timeout: R2's is 30 h 23 min 30 s, Belvo's 3 min 20 s.
    pub fn window(&self) -> Duration {
        let attempts = self.delays.len() as u32 + 1;
        self.delays.iter().sum::<Duration>() + self.timeout * attempts
    }

    /// How long to remember a dedup key: [`RetrySchedule::window`] plus
    /// [`RETENTION_MARGIN`]. R2: 54 h 23 min 30 s. Belvo: 24 h 3 min 20 s.
    pub fn dedup_retention(&self) -> Duration {
        Duration::from_secs(self.window().as_secs() + RETENTION_MARGIN.as_secs())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_json_sorts_keys_and_drops_whitespace() {
        let value: Value = serde_json::from_str(r#"{ "b": [1, {"z": null, "a": "é"}], "a": 1.5 }"#)
            .unwrap_or_default();
        let mut out = Vec::new();
        write_canonical(&value, &mut out);
        assert_eq!(
            String::from_utf8(out).unwrap_or_default(),
            r#"{"a":1.5,"b":[1,{"a":"é","z":null}]}"#
        );
    }

    #[test]
    fn retention_is_window_plus_a_day() {
        let r2 = r2::RETRIES;
        assert_eq!(r2.window(), Duration::from_secs(30 * 3600 + 23 * 60 + 30));
        assert_eq!(
            r2.dedup_retention(),
            Duration::from_secs(54 * 3600 + 23 * 60 + 30)
        );
        assert_eq!(belvo::RETRIES.window(), Duration::from_secs(200));
    }
}
