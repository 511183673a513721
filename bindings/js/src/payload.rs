//! Payloads in JavaScript: parse and validate R2 events and Belvo webhooks, dedup keys,
//! fixtures, and each provider's delivery policy. Results are plain objects in the
//! providers' own JSON shape (snake_case, as sent), plus `seen`.

use serde::Serialize;
use serde_json::Value;
use wasm_bindgen::prelude::*;

use super::{Failure, input, output};
use payhook::providers::{Issue, Options, PayloadError, Webhook, belvo, r2};
use payhook::{Error, fixtures};

/// `parseR2Event(body, { strict, maxBytes })`: the typed event, or throws `payload_invalid`
/// (with `issues`), `payload_not_json`, `payload_too_large` or `unknown_event_type`.
#[wasm_bindgen(js_name = parseR2Event, skip_typescript)]
pub fn parse_r2_event(body: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
    let (body, options) = read(&body, &options)?;
    output(
        &body
            .and_then(|b| r2::parse_r2_event(&b, options))
            .map_err(thrown)?,
    )
}

/// `validateR2Event(body, options)`: `{ ok, value, issues, code }`, never throwing for a bad
/// payload.
#[wasm_bindgen(js_name = validateR2Event, skip_typescript)]
pub fn validate_r2_event(body: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
    let (body, options) = read(&body, &options)?;
    output(&Validation::from(
        body.and_then(|b| r2::parse_r2_event(&b, options)),
    ))
}

/// `parseBelvoWebhook(body, options)`: like `parseR2Event`, for Belvo.
#[wasm_bindgen(js_name = parseBelvoWebhook, skip_typescript)]
pub fn parse_belvo_webhook(body: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
    let (body, options) = read(&body, &options)?;
    output(
        &body
            .and_then(|b| belvo::parse_belvo_webhook(&b, options))
            .map_err(thrown)?,
    )
}

/// `validateBelvoWebhook(body, options)`: like `validateR2Event`, for Belvo.
#[wasm_bindgen(js_name = validateBelvoWebhook, skip_typescript)]
pub fn validate_belvo_webhook(body: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
    let (body, options) = read(&body, &options)?;
    output(&Validation::from(
        body.and_then(|b| belvo::parse_belvo_webhook(&b, options)),
    ))
}

/// `dedupKey(event)`: the content-derived key of a parsed event (from either provider).
#[wasm_bindgen(js_name = dedupKey, skip_typescript)]
pub fn dedup_key(event: JsValue) -> Result<String, JsValue> {
    let not_an_event = || {
        Failure::new(
            Error::ArgumentInvalid,
            "dedupKey takes an event from parseR2Event or parseBelvoWebhook",
        )
    };
    // Back through JSON text, the way it came out: numbers keep their JSON form.
    let text = js_sys::JSON::stringify(&event)
        .ok()
        .and_then(|t| t.as_string())
        .ok_or_else(not_an_event)?;
    let value: Value = serde_json::from_str(&text).map_err(|_| not_an_event())?;
    let map = value.as_object().ok_or_else(not_an_event)?;
    if map.contains_key("event") {
        key(r2::from_json(map, false))
    } else if map.contains_key("webhook_type") {
        key(belvo::from_json(map, false))
    } else {
        Err(not_an_event().into())
    }
}

/// `fixture(provider, name)`: a valid payload of that type, as a plain object.
#[wasm_bindgen(js_name = fixture, skip_typescript)]
pub fn fixture(provider: JsValue, name: JsValue) -> Result<JsValue, JsValue> {
    let (provider, name) = (
        provider.as_string().unwrap_or_default(),
        name.as_string().unwrap_or_default(),
    );
    let body = fixtures::fixture(&provider, &name).ok_or_else(|| {
        let known: Vec<&str> = fixtures::FIXTURES
            .iter()
            .filter(|f| f.provider == provider)
            .map(|f| f.name)
            .collect();
        let detail = match known.is_empty() {
            true => "no such provider; use 'r2' or 'belvo'".to_owned(),
            false => format!(
                "no fixture of that name for {provider}; there are: {}",
                known.join(", ")
            ),
        };
        Failure::new(Error::ArgumentInvalid, detail)
    })?;
    let value: Value =
        serde_json::from_str(body).map_err(|_| Failure::from(Error::ArgumentInvalid))?;
    output(&value)
}

/// `fixtureNames(provider)`: the names `fixture` accepts for a provider.
#[wasm_bindgen(js_name = fixtureNames, skip_typescript)]
pub fn fixture_names(provider: JsValue) -> Result<JsValue, JsValue> {
    let provider = provider.as_string().unwrap_or_default();
    let names: Vec<&str> = fixtures::FIXTURES
        .iter()
        .filter(|f| f.provider == provider)
        .map(|f| f.name)
        .collect();
    output(&names)
}

/// What `deliveryPolicy(provider)` returns: how to answer, and how long to remember.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Policy {
    ack_status: u16,
    ack_max_status: u16,
    ack_body: &'static str,
    ack_within_ms: u64,
    retry_delays_ms: Vec<u64>,
    attempt_timeout_ms: u64,
    retry_window_ms: u64,
    dedup_retention_ms: u64,
}

/// `deliveryPolicy(provider)`: the provider's acknowledgement, retry schedule, and the dedup
/// retention derived from it, in milliseconds.
#[wasm_bindgen(js_name = deliveryPolicy, skip_typescript)]
pub fn delivery_policy(provider: JsValue) -> Result<JsValue, JsValue> {
    let (ack, retries) = match provider.as_string().as_deref() {
        Some("r2") => (r2::ACK, r2::RETRIES),
        Some("belvo") => (belvo::ACK, belvo::RETRIES),
        _ => {
            return Err(Failure::new(
                Error::ArgumentInvalid,
                "the provider must be 'r2' or 'belvo'",
            )
            .into());
        }
    };
    output(&Policy {
        ack_status: ack.status,
        ack_max_status: ack.max_status,
        ack_body: ack.body,
        ack_within_ms: millis(ack.within),
        retry_delays_ms: retries.delays.iter().copied().map(millis).collect(),
        attempt_timeout_ms: millis(retries.timeout),
        retry_window_ms: millis(retries.window()),
        // What a receiver with the default replay window keeps a handled event's key for.
        dedup_retention_ms: millis(match provider.as_string().as_deref() {
            Some("r2") => payhook::ReplayWindow::default().dedup_retention(),
            _ => retries.dedup_retention(),
        }),
    })
}

/// Milliseconds as a JS number (these durations are hours, far below 2^53).
fn millis(d: std::time::Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

/// The result of a `validate…` call.
#[derive(Serialize)]
struct Validation<T> {
    ok: bool,
    value: Option<T>,
    issues: Vec<Issue>,
    /// The code `parse…` would throw with.
    code: Option<&'static str>,
}

impl<T> From<Result<T, PayloadError>> for Validation<T> {
    fn from(result: Result<T, PayloadError>) -> Self {
        match result {
            Ok(value) => Validation {
                ok: true,
                value: Some(value),
                issues: Vec::new(),
                code: None,
            },
            Err(e) => Validation {
                ok: false,
                value: None,
                issues: e.issues,
                code: Some(e.error.code()),
            },
        }
    }
}

fn key<W: Webhook>(parsed: Result<W, PayloadError>) -> Result<String, JsValue> {
    let event = parsed
        .map_err(|e| Failure::new(Error::ArgumentInvalid, format!("not a parsed event: {e}")))?;
    Ok(payhook::dedup_key(&event))
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
    let issues = super::to_js(&e.issues).unwrap_or(JsValue::NULL);
    Failure::new(e.error, detail).with_issues(issues).into()
}

/// The body and options of a payload call, the options first. The package measures the body
/// before anything is copied (npm/recover.js): one over `maxBytes` arrives as its size, a
/// number, and is refused as the parser would refuse it.
fn read(
    body: &JsValue,
    options: &JsValue,
) -> Result<(Result<Vec<u8>, PayloadError>, Options), Failure> {
    let options = payload_options(options)?;
    let body = match body.as_f64() {
        Some(size) => Err(payhook::json::too_large(size as u64, options.max_bytes)),
        None => Ok(input::bytes(body, "body")?),
    };
    Ok((body, options))
}

/// `{ strict, maxBytes }`, both optional.
pub(super) fn payload_options(options: &JsValue) -> Result<Options, Failure> {
    let mut parsed = Options::default();
    if options.is_undefined() || options.is_null() {
        return Ok(parsed);
    }
    if !options.is_object() {
        return Err(Failure::new(
            Error::ArgumentInvalid,
            "options must be an object",
        ));
    }
    let get = |key: &str| input::get(options, key, &format!("options.{key}"));
    match get("strict")? {
        v if v.is_undefined() => {}
        v => {
            parsed.strict = v.as_bool().ok_or_else(|| {
                Failure::new(Error::ArgumentInvalid, "options.strict must be a boolean")
            })?
        }
    }
    match get("maxBytes")? {
        v if v.is_undefined() => {}
        v => match v.as_f64() {
            Some(n) if n.fract() == 0.0 && (0.0..=1e9).contains(&n) => {
                parsed.max_bytes = n as usize
            }
            _ => {
                return Err(Failure::new(
                    Error::ArgumentInvalid,
                    "options.maxBytes must be a whole number of bytes",
                ));
            }
        },
    }
    Ok(parsed)
}

/// `defaultMaxBytes()`: the body limit when `maxBytes` is not given (internal: the package
/// measures bodies against it before copying them).
#[wasm_bindgen(js_name = defaultMaxBytes, skip_typescript)]
pub fn default_max_bytes() -> f64 {
    payhook::json::DEFAULT_MAX_BYTES as f64
}
