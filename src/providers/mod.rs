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

use serde_json::{Number, Value};

use crate::json::{Json, ToJson, Writer};
use crate::{Error, b64};

pub mod belvo;
pub mod r2;
pub mod shape;
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
#[derive(Clone, Debug, PartialEq, Eq)]
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
    pub expected: Option<String>,
    /// What was found (a JSON type, or a value cut to 64 characters).
    pub found: Option<String>,
}

/// `{ code, expected?, found?, message, path }`: in key order, as a refusal's body has them.
impl ToJson for Issue {
    fn write_json(&self, out: &mut Writer) {
        out.begin_object();
        out.member("code", self.code);
        out.optional("expected", self.expected.as_ref());
        out.optional("found", self.found.as_ref());
        out.member("message", &self.message);
        out.member("path", &self.path);
        out.end_object();
    }
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

crate::json::serialize_as_json!(Issue);
crate::json::serialize_as_json!(PayloadError);
crate::json::serialize_as_json!(Amount);
crate::json::serialize_as_json!(Report<T: ToJson>);

/// `{ code, status, message, issues }`, the shape of a thrown `PayhookError`.
impl ToJson for PayloadError {
    fn write_json(&self, out: &mut Writer) {
        out.begin_object();
        out.member("code", self.error.code());
        out.member("status", &self.error.status());
        out.member("message", self.error.message());
        out.member("issues", &self.issues);
        out.end_object();
    }
}

/// The result of a `validate_*` entry point: never an error, always the full list.
#[derive(Clone, Debug, PartialEq)]
pub struct Report<T> {
    /// `true` when there are no issues.
    pub ok: bool,
    /// The parsed payload, only when `ok`: a value with holes would be a trap.
    pub value: Option<T>,
    /// Every problem found, in document order per object.
    pub issues: Vec<Issue>,
}

/// `{ ok, value, issues }` (`value` is `null` unless `ok`).
impl<T: ToJson> ToJson for Report<T> {
    fn write_json(&self, out: &mut Writer) {
        out.begin_object();
        out.member("ok", &self.ok);
        out.member("value", &self.value);
        out.member("issues", &self.issues);
        out.end_object();
    }
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

/// A money amount or a rate, kept as the JSON number it was.
///
/// Not `f64`: integers stay exact to 64 bits, and `1000` stays `1000`, not `1000.0`.
/// Decimals are held as the nearest `f64` and print back in their shortest form, so every
/// amount of up to 15 significant digits (`177.90` → `177.9`, `-22.58`) round-trips to the
/// same number; a JS caller gets a plain `number` either way. A decimal type would need
/// serde_json's `arbitrary_precision`, which changes `Value` for the whole crate graph.
#[derive(Clone, Debug, PartialEq)]
pub struct Amount(pub Number);

impl ToJson for Amount {
    fn write_json(&self, out: &mut Writer) {
        out.number(&self.0);
    }
}

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
    ($(#[doc = $doc:literal])* $name:ident { $( $(#[doc = $vdoc:literal])* $variant:ident = $text:literal, )* }) => {
        $(#[doc = $doc])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        pub enum $name {
            $( $(#[doc = $vdoc])* #[allow(missing_docs)] $variant, )*
            /// A value outside the documented list, kept as sent.
            Other(String),
        }

        impl $name {
            /// The documented values, in the documents' order.
            pub const KNOWN: &'static [&'static str] = &[$($text),*];

            /// This enumeration as data (see [`crate::providers::shape`]).
            pub const SHAPE: $crate::providers::shape::Enum = $crate::providers::shape::Enum {
                name: stringify!($name),
                docs: &[$($doc),*],
                values: &[$($crate::providers::shape::EnumValue {
                    text: $text,
                    docs: &[$($vdoc),*],
                }),*],
            };

            /// The documented value's text; `None` for [`Self::Other`].
            pub fn known_str(&self) -> Option<&'static str> {
                match self {
                    $( $name::$variant => Some($text), )*
                    $name::Other(_) => None,
                }
            }

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

        impl $crate::providers::shape::StatusList for $name {
            const LIST: Option<&'static $crate::providers::shape::Enum> = Some(&$name::SHAPE);
        }

        impl $crate::providers::shape::Owned for $name {
            type Ref<'a> = std::borrow::Cow<'a, $name>;

            fn borrow(&self) -> std::borrow::Cow<'_, $name> {
                std::borrow::Cow::Borrowed(self)
            }

            fn from_ref(value: std::borrow::Cow<'_, $name>) -> Self {
                value.into_owned()
            }
        }

        impl $crate::providers::shape::Leaf for $name {
            fn lift<'a>(self) -> std::borrow::Cow<'a, $name> {
                std::borrow::Cow::Owned(self)
            }
        }

        /// An empty [`Self::Other`]: what a missing required member reads as (the payload
        /// is then refused).
        impl Default for $name {
            fn default() -> Self {
                $name::Other(String::new())
            }
        }

        impl $crate::providers::walk::KnownEnum for $name {
            fn is_other(&self) -> bool {
                matches!(self, $name::Other(_))
            }
        }

        impl From<&str> for $name {
            #[inline(never)]
            fn from(s: &str) -> Self {
                // The text is looked up in `KNOWN` by one shared function; its position is
                // the variant's (they are declared in the same order).
                if let Some(index) = $crate::providers::known_index(Self::KNOWN, s) {
                    let mut i = 0;
                    $(
                        if index == i {
                            return $name::$variant;
                        }
                        i += 1;
                    )*
                    let _ = i;
                }
                $name::Other(s.to_owned())
            }
        }

        impl core::fmt::Display for $name {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl $crate::json::ToJson for $name {
            fn write_json(&self, out: &mut $crate::json::Writer) {
                out.string(self.as_str());
            }
        }
    };
}
pub(crate) use known_enum;

/// Where `text` is in a `known_enum!`'s list of documented values.
#[inline(never)]
pub(crate) fn known_index(known: &[&str], text: &str) -> Option<usize> {
    known.iter().position(|k| *k == text)
}

/// An enumeration payhook writes itself: no other value.
macro_rules! seen_enum {
    ($(#[doc = $doc:literal])* $name:ident { $( $(#[doc = $vdoc:literal])* $variant:ident = $text:literal, )* }) => {
        $(#[doc = $doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name {
            $( $(#[doc = $vdoc])* $variant, )*
        }

        impl $name {
            /// This enumeration as data (see [`crate::providers::shape`]).
            pub const SHAPE: shape::Enum = shape::Enum {
                name: stringify!($name),
                docs: &[$($doc),*],
                values: &[$(shape::EnumValue { text: $text, docs: &[$($vdoc),*] }),*],
            };

            /// The value as serialized (`event_time_as_string`).
            pub fn as_str(self) -> &'static str {
                match self {
                    $( $name::$variant => $text, )*
                }
            }
        }

        impl ToJson for $name {
            fn write_json(&self, out: &mut Writer) {
                out.string(self.as_str());
            }
        }
    };
}

seen_enum! {
    /// Which side of a documented contradiction (or which leniency) a payload used.
    Seen {
        /// R2 `event_time` was a string of digits (the walkthrough's form).
        EventTimeAsString = "event_time_as_string",
        /// R2 `event_time` was an integer (the callbacks page's form).
        EventTimeAsInteger = "event_time_as_integer",
        /// Another R2 time (`created_at`, `due_date`, `collected_at`) was a string of digits.
        TimestampAsString = "timestamp_as_string",
        /// R2 `event_metadata` was absent (every document shows it, even empty): read as `{}`.
        EventMetadataAbsent = "event_metadata_absent",
        /// Belvo `webhook_id` was 32 hex digits.
        WebhookIdHex = "webhook_id_hex",
        /// Belvo `webhook_id` was a dashed UUID.
        WebhookIdUuid = "webhook_id_uuid",
        /// Belvo `external_id` was absent (older documents).
        ExternalIdAbsent = "external_id_absent",
        /// Belvo `external_id` was `null` (the parsed value leaves it out).
        ExternalIdNull = "external_id_null",
        /// Belvo `external_id` was a string.
        ExternalIdPresent = "external_id_present",
        /// A Belvo `failure_code` was upper case (`INSUFFICIENT_FUNDS`).
        FailureCodeUpperCase = "failure_code_upper_case",
        /// A Belvo `failure_code` was lower case (`consent_expired`).
        FailureCodeLowerCase = "failure_code_lower_case",
        /// A Belvo `webhook_type`/`webhook_code` pair the documents do not list together,
        /// parsed by its parts (the seeds' own sample is `TRANSACTIONS`/`STATUS_UPDATE`).
        UndocumentedPair = "undocumented_pair",
        /// An enumeration (status, currency, kind, …) had a value outside the documented list.
        UnknownValue = "unknown_value",
        /// Fields outside the model were present and kept (lenient mode).
        UnknownFields = "unknown_fields",
        /// A top-level member named like one payhook adds (`seen`, R2 `event_type`) was dropped.
        ReservedFieldDropped = "reserved_field_dropped",
    }
}

/// A parsed payload of either provider.
pub trait Webhook: ToJson {
    /// `r2` or `belvo`: the first part of a dedup key.
    const PROVIDER: &'static str;

    /// The event kind, for the middle part of a dedup key: `financing_created`,
    /// `PAYMENT_INTENTS.STATUS_UPDATE`, …
    fn kind(&self) -> String;

    /// payhook's own top-level members (`seen`, R2's `event_type`), which the provider's
    /// JSON leaves out.
    const ADDED: &'static [&'static str];

    /// What the dedup key leaves out: [`Webhook::ADDED`], and what names the route rather
    /// than the event (Belvo's `webhook_id`).
    const NOT_HASHED: &'static [&'static str];

    /// The payload as the provider would send it, normalised (`event_time` an integer,
    /// numbers as JavaScript reads them, keys in order), without payhook's own members.
    fn to_json(&self) -> Value {
        without(crate::json::to_value(self), Self::ADDED)
    }

    /// What the dedup key hashes: [`Webhook::to_json`] less [`Webhook::NOT_HASHED`].
    fn dedup_content(&self) -> Value {
        without(crate::json::to_value(self), Self::NOT_HASHED)
    }
}

/// A payload in its borrowed form (see [`shape::Owned`]): what is written and hashed.
pub(crate) trait Payload: ToJson {
    /// [`Webhook::PROVIDER`].
    const PROVIDER: &'static str;
    /// [`Webhook::NOT_HASHED`].
    const NOT_HASHED: &'static [&'static str];

    /// [`Webhook::kind`].
    fn kind(&self) -> std::borrow::Cow<'_, str>;

    /// The readable start of its [`dedup_key`] (see [`dedup_key_start`]).
    fn key_start(&self) -> String
    where
        Self: Sized,
    {
        key_start(Self::PROVIDER, &self.kind())
    }

    /// Its JSON as [`crate::json::to_string`] writes it and its key's start: what the npm
    /// package gives JavaScript for a parsed payload.
    fn json_and_start(&self) -> (Json, String)
    where
        Self: Sized,
    {
        (
            Json::written(crate::json::to_string(self)),
            self.key_start(),
        )
    }

    /// Its JSON and [`dedup_key`], from one writing (see [`json_and_dedup_key`]).
    fn json_and_key(&self) -> (Json, String)
    where
        Self: Sized,
    {
        written(self, &self.key_start(), Self::NOT_HASHED)
    }
}

/// `value` without the top-level members `omit`.
fn without(mut value: Value, omit: &[&str]) -> Value {
    if let Value::Object(map) = &mut value {
        for name in omit {
            map.remove(*name);
        }
    }
    value
}

/// A short key that is the same for every delivery of one event and differs between events:
/// `<provider>:<kind>:<22 chars>`, e.g. `r2:financing_paid:Xq3…`.
///
/// Neither provider sends a delivery id (Belvo's `webhook_id` names the registered webhook
/// and is the same for every event), so the key is derived from content: SHA-256 of the
/// canonical JSON of [`Webhook::dedup_content`] (keys sorted by code point, no whitespace,
/// strings as serde_json prints them, numbers as described below), base64url, cut to 22
/// characters (132 bits: a collision is out of reach for any receiver's volume). Key order,
/// whitespace, `event_time` as string or integer and the spelling of a number (`12200`,
/// `12200.0`, `1.22e4`) do not change it; another type, object, status, time or any other
/// field does. Belvo's `webhook_id` is left out, so one event sent to two registered webhooks
/// of the same receiver is handled once. The kind is only a readable prefix: an unknown kind
/// that is not a short `[A-Za-z0-9_.]` string shows as `unknown`.
///
/// One event has one key whichever function computed it: the receiver, from the body, or the
/// package's `dedupKey(event)`, from an event that crossed to JavaScript, where every number
/// is a double and `JSON.stringify` respells it. So a number is written as that path reads it
/// back: its nearest double; then, if that is a whole number in (−2^63, 2^64), its digits as
/// JavaScript writes them (`1000.0` → `1000`, `-0` → `0`, 2^53 + 1 → `9007199254740992`,
/// 2^60 → `1152921504606847000`), otherwise the double as serde_json writes it (`17.36`,
/// `1.5e-6`, `1e+21`). Every number the two paths already wrote alike keeps its text, so a
/// key a store holds stays valid unless its body spelled a number they wrote differently.
/// Integers a payload is read as (R2 times, Belvo counts) are refused above 2^53 − 1, where
/// JavaScript would round them.
pub fn dedup_key<W: Webhook>(webhook: &W) -> String {
    json_and_dedup_key(webhook).1
}

/// The payload's JSON as [`ToJson`] writes it (every member: what the npm package gives
/// JavaScript) and its [`dedup_key`], from one writing.
pub fn json_and_dedup_key<W: Webhook>(webhook: &W) -> (Json, String) {
    written(webhook, &dedup_key_start(webhook), W::NOT_HASHED)
}

/// A payload's JSON, and its key from that text: for an owned payload and a borrowed one.
fn written(payload: &dyn ToJson, start: &str, not_hashed: &[&str]) -> (Json, String) {
    let json = crate::json::to_string(payload);
    let key = key_of_text(&json, not_hashed, start);
    (Json::written(json), key)
}

/// The readable start of `webhook`'s [`dedup_key`]: `<provider>:<kind>`, e.g.
/// `r2:financing_paid`.
#[doc(hidden)]
pub fn dedup_key_start<W: Webhook>(webhook: &W) -> String {
    key_start(W::PROVIDER, &webhook.kind())
}

/// `<provider>:<kind>`, the kind `unknown` unless it is short and readable.
fn key_start(provider: &str, kind: &str) -> String {
    let readable = !kind.is_empty()
        && kind.len() <= 64
        && kind
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.');
    let kind = if readable { kind } else { "unknown" };
    let mut start = String::with_capacity(provider.len() + 1 + kind.len());
    start.push_str(provider);
    start.push(':');
    start.push_str(kind);
    start
}

/// The [`dedup_key`] of a payload from its JSON as [`json_and_dedup_key`] wrote it and its
/// key's start ([`dedup_key_start`]), without reading it back: for a caller that kept the
/// text and not the payload (the npm package's `dedupKey` of an event it parsed, while the
/// event is still that text). Text this crate did not write gives a key of no meaning.
///
/// A payload is written canonical but for its first members, those the key leaves out
/// ([`Webhook::NOT_HASHED`]): every object's members in code-point order of their names, no
/// whitespace, numbers and strings as described above. So the key hashes the text as written,
/// from the first member it does not leave out.
#[doc(hidden)]
pub fn dedup_key_of_json<W: Webhook>(json: &str, start: &str) -> String {
    key_of_text(json, W::NOT_HASHED, start)
}

/// [`dedup_key_of_json`] for every payload type.
fn key_of_text(json: &str, not_hashed: &[&str], start: &str) -> String {
    let members = crate::json::after_members(json, not_hashed);
    let hash = crate::auth::sha256_of(&[b"{", members.as_bytes()]);
    // The first 22 characters of the hash in base64url: those of its first 18 bytes (24).
    let mut key = String::with_capacity(start.len() + 25);
    key.push_str(start);
    key.push(':');
    let end = key.len() + 22;
    b64::encode_into(
        &mut key,
        hash.get(..18).unwrap_or_default(),
        b64::Alphabet::UrlSafe,
        false,
    );
    key.truncate(end);
    key
}

/// The largest integer a JavaScript number holds exactly (`Number.MAX_SAFE_INTEGER`).
pub(crate) const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;

/// What a receiver must answer for a delivery to count as received.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
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
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct RetrySchedule {
    /// The delay before each retry, after the previous attempt.
    pub delays: &'static [Duration],
    /// How long one attempt may take before it counts as failed.
    pub timeout: Duration,
    /// What the dedup retention adds to [`RetrySchedule::window`]: retries the schedule does
    /// not show (sent by hand, or under an older policy), queueing and clock skew.
    pub margin: Duration,
}

impl RetrySchedule {
    /// The longest time from the first attempt to the start of the last retry, plus every
    /// attempt's timeout: R2's is 30 h 23 min 30 s, Belvo's 3 min 20 s.
    pub fn window(&self) -> Duration {
        let attempts = self.delays.len() as u32 + 1;
        self.delays.iter().sum::<Duration>() + self.timeout * attempts
    }

    /// How long to remember a dedup key: [`RetrySchedule::window`] plus
    /// [`RetrySchedule::margin`]. R2: 54 h 23 min 30 s (a receiver keeps R2 keys for its
    /// replay window, longer: [`crate::ReplayWindow::dedup_retention`]). Belvo: 1 h 3 min 20 s.
    pub fn dedup_retention(&self) -> Duration {
        self.window() + self.margin
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retention_is_the_retry_window_plus_its_margin() {
        let r2 = r2::RETRIES;
        assert_eq!(r2.window(), Duration::from_secs(30 * 3600 + 23 * 60 + 30));
        assert_eq!(
            r2.dedup_retention(),
            Duration::from_secs(54 * 3600 + 23 * 60 + 30)
        );
        assert_eq!(belvo::RETRIES.window(), Duration::from_secs(200));
        // Past Belvo's retries, even its older five linear ones (15 min 30 s at 1-min steps),
        // and well under a day: the same content later that day is a new event.
        assert_eq!(
            belvo::RETRIES.dedup_retention(),
            Duration::from_secs(3600 + 200)
        );
    }
}
