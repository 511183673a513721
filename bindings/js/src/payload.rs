//! Payloads in JavaScript: parse and validate R2 events and Belvo webhooks, dedup keys, and
//! each provider's delivery policy. Results are JSON text in the providers' own shape
//! (snake_case, as sent), plus `seen`; the package parses it.
//!
//! The payload functions take the body as npm/input.js measured it (the bytes, or when
//! `oversized` is non-zero the size of a body it did not copy) and the options `strict` and
//! `maxBytes` as given.

use wasm_bindgen::prelude::*;

use super::config::payload_options;
use super::{Failure, json};
use payhook::Error;
use payhook::json::{Json, ToJson, Writer};
use payhook::providers::{PayloadError, Report, belvo, dedup_key_of_json, r2};

/// `parseR2Event`, `validateR2Event`, `parseBelvoWebhook` and `validateBelvoWebhook`, by
/// `provider` (`r2`, `belvo`) and `validate`: parsing gives the event's JSON after its dedup
/// key's start (see `parsed`), or throws
/// `payload_invalid` (with `issues`), `payload_not_json`, `payload_too_large` or
/// `unknown_event_type`; validating gives `{ ok, value, issues, code }` and throws only for
/// bad options.
#[wasm_bindgen(skip_typescript)]
pub fn payload(
    provider: &str,
    validate: bool,
    body: &[u8],
    oversized: f64,
    strict: Option<bool>,
    max_bytes: Option<f64>,
) -> Result<String, JsValue> {
    let (body, options) = read(body, oversized, strict, max_bytes)?;
    // Written as read, without making the owned event (`parse_r2_event_json`).
    let written = match provider {
        "r2" => body.and_then(|b| r2::parse_r2_event_json(b, options)),
        "belvo" => body.and_then(|b| belvo::parse_belvo_webhook_json(b, options)),
        _ => {
            return Err(Failure::new(
                Error::ArgumentInvalid,
                "the provider must be 'r2' or 'belvo'",
            )
            .into());
        }
    };
    match validate {
        false => parsed(written),
        true => Ok(json(&Validation::from(written.map(|(event, _)| event)))),
    }
}

/// `dedupKey(event)`: the content-derived key of a parsed event (from either provider), from
/// its `JSON.stringify` text as UTF-8: numbers keep the form they came out in.
///
/// The provider is told by the members: R2's `event`, Belvo's `webhook_type`. Lenient mode
/// keeps members outside the model, so an event may have both (a Belvo webhook with a member
/// named `event`). Then payhook's own first member tells, as every event the package gives
/// starts with it (R2's `event_type`, Belvo's `seen`): a copy keeps the key the receiver gave.
/// An object with both and neither first member is read as each provider; when it is an
/// event of both, it is refused as ambiguous rather than given one of two keys.
#[wasm_bindgen(js_name = dedupKey, skip_typescript)]
pub fn dedup_key(event: &[u8]) -> Result<String, JsValue> {
    let not_an_event = || {
        Failure::new(
            Error::ArgumentInvalid,
            "dedupKey takes an event from parseR2Event or parseBelvoWebhook",
        )
    };
    room_to_read(event.len());
    let read = || payhook::json::parse_object(event, usize::MAX).map_err(|_| not_an_event());
    let map = read()?;
    let (r2, belvo) = (map.contains_key("event"), map.contains_key("webhook_type"));
    // With both members, payhook's first member says which (see above).
    let first = first_member(event).filter(|_| r2 && belvo);
    let (as_r2, as_belvo) = (
        r2 && first != Some(b"seen"),
        belvo && first != Some(b"event_type"),
    );
    if !as_r2 {
        return match as_belvo {
            true => key(belvo::dedup_key_from_json(map, false)),
            false => Err(not_an_event().into()),
        };
    }
    let found = r2::dedup_key_from_json(map, false);
    if as_belvo {
        // Read again rather than copied first: a copy of a map is kilobytes of wasm.
        match (&found, belvo::dedup_key_from_json(read()?, false)) {
            (Ok(_), Ok(_)) => {
                return Err(Failure::new(
                    Error::ArgumentInvalid,
                    "dedupKey: this object is both an R2 event and a Belvo webhook, and its first member (event_type or seen) does not say which",
                )
                .into());
            }
            (Err(_), Ok(key)) => return Ok(key),
            (_, Err(_)) => {}
        }
    }
    key(found) // an R2 event, or R2's issues when it is neither
}

/// The name of the first member of `JSON.stringify` text (which has no whitespace), when it
/// has no escape.
fn first_member(json: &[u8]) -> Option<&[u8]> {
    let rest = json.strip_prefix(b"{\"")?;
    let end = rest.iter().position(|&b| b == b'"' || b == b'\\')?;
    let (name, after) = rest.split_at_checked(end)?;
    after.starts_with(b"\":").then_some(name)
}

/// Grows wasm memory once, by about what reading `bytes` of event as a map takes (10.5 times
/// its size, measured: 73.6 MiB for an event of 7 MB with 400,000 unknown members), instead of
/// a 64 KiB page at a time as the reading allocates: V8 counts each grown memory as a new
/// external buffer, and with incremental marking under way (after `JSON.stringify` of a large
/// event) each grow ended in a full GC. That `dedupKey` ran 48 of them over its 43 MB of JS
/// heap and took 3.2 s (none, 1.3 s, reserved at once). Small events fit in what the module
/// has. The room is freed at once and the reading allocates from it; a reservation that
/// cannot be had is no error (the reading grows memory as before).
fn room_to_read(bytes: usize) {
    if bytes > 1 << 16 {
        let mut room = Vec::<u8>::new();
        let _ = room.try_reserve_exact(bytes.saturating_mul(12));
        core::hint::black_box(&room);
    }
}

/// `dedupKey(event)` of an event `payload` gave, while `JSON.stringify` still writes it as
/// the text it was parsed from: `start` and `held`, what `payload` gave (the key's start, and
/// the text in ASCII), and `event`, `JSON.stringify(event)` in UTF-8. The key from that text,
/// without reading it back as a payload (the same key: tests/dedup_keys.rs, fuzz target
/// `payload`), or `undefined` when the event is no longer that text.
#[wasm_bindgen(js_name = dedupKeyOfParsed, skip_typescript)]
pub fn dedup_key_of_parsed(
    start: &str,
    held: &[u8],
    event: &[u8],
) -> Result<Option<String>, JsValue> {
    let Ok(event) = core::str::from_utf8(event) else {
        return Ok(None);
    };
    if payhook::json::ascii(event).as_bytes() != held {
        return Ok(None);
    }
    match start.split(':').next() {
        Some("r2") => Ok(Some(dedup_key_of_json::<r2::R2Event>(event, start))),
        Some("belvo") => Ok(Some(dedup_key_of_json::<belvo::BelvoWebhook>(event, start))),
        _ => Err(Failure::new(
            Error::ArgumentInvalid,
            "not an event parseR2Event or parseBelvoWebhook gave",
        )
        .into()),
    }
}

/// A parsed payload for `payload`: its dedup key's start (`<provider>:<kind>`, a short
/// `[A-Za-z0-9_.:]` text), a newline, and its JSON (in ASCII, as every result); what
/// `dedupKeyOfParsed` takes back.
fn parsed(result: Result<(Json, String), PayloadError>) -> Result<String, JsValue> {
    let (event, start) = result.map_err(thrown)?;
    let text = event.as_str();
    let mut out = String::with_capacity(start.len() + 1 + text.len() + text.len() / 8);
    out.push_str(&start);
    out.push('\n');
    payhook::json::push_ascii(&mut out, text);
    Ok(out)
}

/// `deliveryPolicy(provider)`: the provider's acknowledgement, retry schedule, and the dedup
/// retention derived from it, in milliseconds.
#[wasm_bindgen(js_name = deliveryPolicy, skip_typescript)]
pub fn delivery_policy(provider: &str) -> Result<String, JsValue> {
    let (ack, retries) = match provider {
        "r2" => (r2::ACK, r2::RETRIES),
        "belvo" => (belvo::ACK, belvo::RETRIES),
        _ => {
            return Err(Failure::new(
                Error::ArgumentInvalid,
                "the provider must be 'r2' or 'belvo'",
            )
            .into());
        }
    };
    // What a receiver with the default replay window keeps a handled event's key for.
    let retention = match provider {
        "r2" => payhook::ReplayWindow::default().dedup_retention(),
        _ => retries.dedup_retention(),
    };
    Ok(payhook::json::object(|out| {
        out.member("ackStatus", &ack.status);
        out.member("ackMaxStatus", &ack.max_status);
        out.member("ackBody", ack.body);
        out.member("ackWithinMs", &millis(ack.within));
        let delays: Vec<u64> = retries.delays.iter().copied().map(millis).collect();
        out.member("retryDelaysMs", &delays);
        out.member("attemptTimeoutMs", &millis(retries.timeout));
        out.member("retryWindowMs", &millis(retries.window()));
        out.member("dedupRetentionMs", &millis(retention));
    }))
}

/// Milliseconds as a JS number (these durations are hours, far below 2^53).
fn millis(d: std::time::Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

/// The result of a `validate…` call: the core's [`Report`], and the code `parse…` would
/// throw with.
struct Validation<T> {
    report: Report<T>,
    code: Option<&'static str>,
}

/// `{ ok, value, issues, code }`.
impl<T: ToJson> ToJson for Validation<T> {
    fn write_json(&self, out: &mut Writer) {
        out.begin_object();
        out.member("ok", &self.report.ok);
        out.member("value", &self.report.value);
        out.member("issues", &self.report.issues);
        out.member("code", &self.code);
        out.end_object();
    }
}

impl<T> From<Result<T, PayloadError>> for Validation<T> {
    fn from(result: Result<T, PayloadError>) -> Self {
        let code = result.as_ref().err().map(|e| e.error.code());
        Validation {
            report: result.into(),
            code,
        }
    }
}

fn key(key: Result<String, PayloadError>) -> Result<String, JsValue> {
    Ok(key.map_err(|e| Failure::new(Error::ArgumentInvalid, format!("not a parsed event: {e}")))?)
}

/// A payload error as thrown: the message names the first issue, `issues` holds them all.
fn thrown(e: PayloadError) -> JsValue {
    let first = e.issues.first().map(|i| {
        let at = if i.path.is_empty() {
            "the body".to_owned()
        } else {
            i.path.clone()
        };
        format!("{} at {at} ({})", i.message, i.code)
    });
    let more = e.issues.len().saturating_sub(1);
    let detail = match (first, more) {
        (Some(first), 0) => first,
        (Some(first), n) => format!("{first}, and {n} more"),
        (None, _) => String::new(),
    };
    Failure::new(e.error, detail).with_issues(e.issues).into()
}

/// The body and options of a payload call, the options first: a body over `maxBytes`
/// arrives as its size, and is refused as the parser would refuse it.
fn read(
    body: &[u8],
    oversized: f64,
    strict: Option<bool>,
    max_bytes: Option<f64>,
) -> Result<(Result<&[u8], PayloadError>, payhook::Options), Failure> {
    let options = payload_options(strict, max_bytes)?;
    let body = match oversized > 0.0 {
        true => Err(payhook::json::too_large(
            oversized as u64,
            options.max_bytes,
        )),
        false => Ok(body),
    };
    Ok((body, options))
}
