//! The receiver in JavaScript: a class holding the compiled configuration (HMAC keys,
//! allowlist, trust), one call per delivery that returns everything the JS layer
//! (`npm/receiver.js`) needs, and `inspectDelivery`, which runs every check and reports each.

use serde::Serialize;
use serde_json::{Value, json};
use wasm_bindgen::prelude::*;

use core::time::Duration;

use super::{Failure, input, output};
use payhook::providers::Issue;
use payhook::receiver::{
    Accepted, Answer, Authenticity, Body, Delivery, Inspection, Refused, Verifier,
};
use payhook::{Allowlist, Error, Options, Receiver, ReplayWindow, SigningKey, Trust};

/// A configured receiver (internal: the package wraps it in `r2Receiver`/`belvoReceiver`).
#[wasm_bindgen(js_name = CoreReceiver, skip_typescript)]
pub struct CoreReceiver(Receiver);

/// What one delivery gives JS: the verdict, and the answer to send.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Outcome<'a> {
    ok: bool,
    status: u16,
    content_type: &'static str,
    body: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    event: Option<&'a payhook::Event>,
    #[serde(skip_serializing_if = "Option::is_none")]
    dedup_key: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    client_ip: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    client_ip_source: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    secret_index: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    encoding: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    accepted_index: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    scheme: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    code: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<&'static str>,
    #[serde(skip_serializing_if = "<[Issue]>::is_empty")]
    issues: &'a [Issue],
    #[serde(skip_serializing_if = "is_zero")]
    issue_count: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

#[wasm_bindgen(js_class = CoreReceiver)]
impl CoreReceiver {
    /// `new CoreReceiver('r2' | 'belvo', { secrets | authorization, allowlist, trust, strict,
    /// maxBytes, replayWindowMs })`.
    #[wasm_bindgen(constructor)]
    pub fn new(provider: JsValue, options: JsValue) -> Result<CoreReceiver, JsValue> {
        let (verifier, allowlist, trust, payload) = configure(&provider, &options, false)?;
        let receiver = Receiver::new(verifier, allowlist, trust, payload).map_err(|e| {
            Failure::new(
                e,
                "belvoReceiver needs an authorization value, an allowlist, or both: with neither, anyone could post to it",
            )
        })?;
        Ok(CoreReceiver(
            receiver.with_replay_window(replay_window(&options)?),
        ))
    }

    /// The largest body accepted, in bytes (the JS layer reads and copies no more).
    #[wasm_bindgen(getter, js_name = maxBytes)]
    pub fn max_bytes(&self) -> usize {
        self.0.options().max_bytes
    }

    /// How long a handled event's key must be remembered, in milliseconds.
    #[wasm_bindgen(getter, js_name = dedupRetentionMs)]
    pub fn dedup_retention_ms(&self) -> f64 {
        self.0.dedup_retention().as_millis() as f64
    }

    /// Checks one delivery: `body` the bytes (or, when `oversized` is non-zero, a body of that
    /// many bytes that the package did not copy), `headers` (Fetch `Headers` or a plain
    /// object), `peer` (as `clientIp` takes it), `now` (milliseconds since the epoch).
    /// Returns the outcome as a plain object.
    pub fn receive(
        &self,
        body: &[u8],
        oversized: f64,
        headers: JsValue,
        peer: JsValue,
        now: f64,
    ) -> Result<JsValue, JsValue> {
        let headers = input::RequestHeaders::read(&headers)?;
        let (signature, authorization) = (headers.signature()?, headers.authorization()?);
        let forwarding = headers.forwarding()?;
        let peer = input::peer(&peer)?;
        self.answer(
            body,
            oversized,
            [
                signature.as_deref(),
                authorization.as_deref(),
                peer.as_deref(),
            ],
            &forwarding,
            now,
        )
    }

    /// The same check with the headers and peer read by the package in JS (npm/recover.js):
    /// the five header values (content-sha256, authorization, cf-connecting-ip,
    /// x-forwarded-for, forwarded) as strings, the peer's address as a string (`''`: a peer
    /// without an address; `undefined`: no socket at all). It saves the many small calls
    /// back into JS that reading them from wasm takes; other shapes go through `receive`.
    #[allow(clippy::too_many_arguments)]
    #[wasm_bindgen(js_name = receiveParts)]
    pub fn receive_parts(
        &self,
        body: &[u8],
        oversized: f64,
        signature: Option<String>,
        authorization: Option<String>,
        cf_connecting_ip: Option<String>,
        x_forwarded_for: Option<String>,
        forwarded: Option<String>,
        peer: Option<String>,
        now: f64,
    ) -> Result<JsValue, JsValue> {
        let forwarding = input::Forwarding::new(cf_connecting_ip, x_forwarded_for, forwarded);
        self.answer(
            body,
            oversized,
            [
                signature.as_deref(),
                authorization.as_deref(),
                peer.as_deref(),
            ],
            &forwarding,
            now,
        )
    }

    /// Both receives, from the values read: `[signature, authorization, peer]`.
    fn answer(
        &self,
        body: &[u8],
        oversized: f64,
        [signature, authorization, peer]: [Option<&str>; 3],
        forwarding: &input::Forwarding,
        now: f64,
    ) -> Result<JsValue, JsValue> {
        let delivery = Delivery {
            body: delivery_body(body, oversized),
            signature,
            authorization,
            forwarding: forwarding.headers(),
            peer,
            received_at: since_epoch(now),
        };
        match self.0.receive(&delivery) {
            Ok(accepted) => output(&accepted_outcome(&accepted, &self.0.accepted_answer())),
            Err(refused) => output(&refused_outcome(&refused, &self.0.refused_answer(&refused))),
        }
    }
}

/// The body the package handed over: the bytes, or the size of one it did not copy.
fn delivery_body(bytes: &[u8], oversized: f64) -> Body<'_> {
    if oversized > 0.0 {
        Body::Oversized(oversized as u64)
    } else {
        Body::Bytes(bytes)
    }
}

/// A JS time (milliseconds since the epoch) as a duration; before the epoch or not a number
/// is the epoch itself, where every R2 event is stale.
fn since_epoch(now: f64) -> Duration {
    if now.is_finite() && now > 0.0 {
        Duration::from_millis(now as u64)
    } else {
        Duration::ZERO
    }
}

/// `replayWindowMs`: the replay window (absent: the default). A value that cannot be a window
/// is refused, never replaced by the default.
fn replay_window(options: &JsValue) -> Result<ReplayWindow, Failure> {
    let value = input::get(options, "replayWindowMs", "options.replayWindowMs")?;
    if value.is_undefined() {
        return Ok(ReplayWindow::default());
    }
    let wrong = || {
        Failure::new(
            Error::ArgumentInvalid,
            "replayWindowMs must be a whole number of milliseconds from R2's retry window (30 h 23 min 30 s) to 90 days",
        )
    };
    match value.as_f64() {
        Some(ms) if ms.fract() == 0.0 && (0.0..=1e13).contains(&ms) => {
            ReplayWindow::new(Duration::from_millis(ms as u64)).map_err(|_| wrong())
        }
        _ => Err(wrong()),
    }
}

/// `inspectDelivery({ provider, body, headers, peer, secrets | authorization, allowlist,
/// trust, strict, maxBytes })`: every check, each run even when another fails, and the
/// verdict and answer a receiver would give.
#[wasm_bindgen(js_name = inspectDelivery, skip_typescript)]
pub fn inspect_delivery(input: JsValue) -> Result<JsValue, JsValue> {
    let get = |key: &str| input::get(&input, key, key);
    if !input.is_object() {
        return Err(Failure::new(
            Error::ArgumentInvalid,
            "inspectDelivery takes { provider, body, headers, … }",
        )
        .into());
    }
    let provider = get("provider")?;
    let (verifier, allowlist, trust, options) = configure(&provider, &input, true)?;
    let receiver = Receiver::for_inspection(verifier, allowlist, trust, options)
        .with_replay_window(replay_window(&input)?);
    // The package reads the body and measures it first: one over the limit arrives as its
    // size (`oversized`), never copied.
    let oversized = get("oversized")?.as_f64().unwrap_or(0.0);
    let body = match oversized > 0.0 {
        true => Vec::new(),
        false => input::bytes(&get("body")?, "body")?,
    };
    let headers = input::RequestHeaders::read(&get("headers")?)?;
    let (signature, authorization) = (headers.signature()?, headers.authorization()?);
    let forwarding = headers.forwarding()?;
    let peer = input::peer(&get("peer")?)?;
    let now = get("now")?.as_f64().ok_or_else(|| {
        Failure::new(
            Error::ArgumentInvalid,
            "now must be milliseconds since the epoch",
        )
    })?;
    let report = receiver.inspect(&Delivery {
        body: delivery_body(&body, oversized),
        signature: signature.as_deref(),
        authorization: authorization.as_deref(),
        forwarding: forwarding.headers(),
        peer: peer.as_deref(),
        received_at: since_epoch(now),
    });
    output(&inspection_json(receiver.provider(), &report))
}

/// `parseCapture(text)`: a raw HTTP request or a curl command as
/// `{ format, method, url, headers, body }` (`body` as text).
#[wasm_bindgen(js_name = parseCapture, skip_typescript)]
pub fn parse_capture(text: JsValue) -> Result<JsValue, JsValue> {
    let text = text.as_string().ok_or_else(|| {
        Failure::new(Error::ArgumentInvalid, "parseCapture takes the pasted text")
    })?;
    let capture = payhook::capture::parse_capture(&text).map_err(|e| {
        Failure::new(e, "paste a request that starts with a request line (POST /path HTTP/1.1) or the word curl")
    })?;
    let headers: serde_json::Map<String, Value> = capture
        .headers
        .iter()
        .map(|(k, v)| (k.clone(), Value::from(v.as_str())))
        .collect();
    output(&json!({
        "format": capture.format.name(),
        "method": capture.method,
        "url": capture.url,
        "headers": headers,
        "body": String::from_utf8_lossy(&capture.body),
    }))
}

/// A receiver's parts from JS options. For an inspection, missing secrets are allowed: the
/// report then says the signature could not be checked.
fn configure(
    provider: &JsValue,
    options: &JsValue,
    inspecting: bool,
) -> Result<(Verifier, Option<Allowlist>, Trust, Options), JsValue> {
    if !options.is_object() {
        return Err(Failure::new(
            Error::ArgumentInvalid,
            "the receiver needs an options object",
        )
        .into());
    }
    // A receiver's options leave an option out to leave it out: `null` is refused, never
    // read as absent (an inspection's input may say `null` for "not configured").
    let get = |key: &str| {
        let value = input::get(options, key, &format!("options.{key}"))?;
        if value.is_null() && !inspecting {
            return Err(Failure::new(
                Error::ArgumentInvalid,
                format!("options.{key} is null: leave it out instead"),
            ));
        }
        Ok::<_, Failure>(value)
    };
    let present = |v: &JsValue| !v.is_undefined() && !v.is_null();
    let verifier = match provider.as_string().as_deref() {
        Some("r2") => match get("secrets")? {
            v if inspecting
                && (!present(&v)
                    || input::is_array(&v)
                        && input::elements(&v, "secrets").is_ok_and(|l| l.is_empty())) =>
            {
                Verifier::R2Signature(Vec::new())
            }
            v => {
                let keys = input::secrets(&v)?
                    .iter()
                    .map(|s| SigningKey::new(s))
                    .collect::<Result<Vec<_>, _>>();
                Verifier::R2Signature(keys.map_err(Failure::from)?)
            }
        },
        Some("belvo") => match get("authorization")? {
            v if present(&v) => {
                let values = input::strings(&v, "authorization")?;
                let accepted = payhook::parse_accepted(&values).map_err(|e| {
                    Failure::new(e, "each authorization value must be \"Bearer <token>\" or \"Basic <base64 of user:password>\"")
                })?;
                Verifier::BelvoAuthorization(accepted)
            }
            _ => Verifier::BelvoUnauthenticated,
        },
        _ => {
            return Err(Failure::new(
                Error::ArgumentInvalid,
                "the provider must be 'r2' or 'belvo'",
            )
            .into());
        }
    };
    let allowlist = match get("allowlist")? {
        v if present(&v) => {
            let entries = input::entries(&v, "allowlist")?;
            Some(Allowlist::parse(&entries).map_err(|e| Failure::from(e).under("/allowlist"))?)
        }
        _ => None,
    };
    Ok((
        verifier,
        allowlist,
        input::trust(&get("trust")?)?,
        super::payload::payload_options(options)?,
    ))
}

fn error_json(error: Error) -> Value {
    json!({ "code": error.code(), "status": error.status(), "message": error.message() })
}

/// The inspection as the page and the CLI show it.
fn inspection_json(provider: &str, r: &Inspection) -> Value {
    let address = match &r.address {
        None => json!({ "checked": false, "ok": null }),
        Some(Ok(found)) => {
            json!({ "checked": true, "ok": true, "ip": found.ip.to_string(), "source": found.source.name() })
        }
        Some(Err((e, found))) => {
            let mut v =
                json!({ "checked": true, "ok": false, "code": e.code(), "message": e.message() });
            if let (Some(found), Some(object)) = (found, v.as_object_mut()) {
                object.insert("ip".into(), json!(found.ip.to_string()));
                object.insert("source".into(), json!(found.source.name()));
            }
            v
        }
    };
    let kind = if provider == "r2" {
        "signature"
    } else {
        "authorization"
    };
    let authenticity = match &r.authenticity {
        None => json!({ "checked": false, "ok": null, "kind": kind }),
        Some(Ok(Authenticity::Signature(index, encoding))) => {
            json!({ "checked": true, "ok": true, "kind": kind, "secretIndex": index, "encoding": encoding.name() })
        }
        Some(Ok(Authenticity::Authorization(index, scheme))) => {
            json!({ "checked": true, "ok": true, "kind": kind, "acceptedIndex": index, "scheme": scheme.name() })
        }
        Some(Err(e)) => {
            json!({ "checked": true, "ok": false, "kind": kind, "code": e.code(), "message": e.message() })
        }
    };
    let payload = match &r.payload {
        Ok(event) => json!({
            "ok": true,
            "issues": [],
            "event": event,
            "summary": event.summary(),
            "seen": serde_json::to_value(event).ok().and_then(|v| v.get("seen").cloned()).unwrap_or(json!([])),
        }),
        Err(refused) => json!({
            "ok": false,
            "code": refused.error.code(),
            "message": refused.error.message(),
            "issues": refused.issues,
        }),
    };
    let freshness = match r.freshness {
        None => json!({ "checked": false, "ok": null }),
        Some(Ok(())) => json!({ "checked": true, "ok": true }),
        Some(Err(e)) => {
            json!({ "checked": true, "ok": false, "code": e.code(), "message": e.message() })
        }
    };
    json!({
        "provider": provider,
        "verdict": if r.verdict.is_ok() { "accepted" } else { "refused" },
        "error": r.verdict.as_ref().err().map(|refused| error_json(refused.error)),
        "checks": { "address": address, "authenticity": authenticity, "payload": payload, "freshness": freshness },
        "dedupKey": r.dedup_key,
        "response": { "status": r.answer.status, "headers": { "content-type": r.answer.content_type }, "body": r.answer.body },
    })
}

fn accepted_outcome<'a>(a: &'a Accepted, answer: &'a Answer) -> Outcome<'a> {
    Outcome {
        ok: true,
        status: answer.status,
        content_type: answer.content_type,
        body: &answer.body,
        event: Some(&a.event),
        dedup_key: Some(&a.dedup_key),
        client_ip: a.client_ip.map(|c| c.ip.to_string()),
        client_ip_source: a.client_ip.map(|c| c.source.name()),
        secret_index: a.signature.map(|(i, _)| i),
        encoding: a.signature.map(|(_, e)| e.name()),
        accepted_index: a.authorization.map(|(i, _)| i),
        scheme: a.authorization.map(|(_, s)| s.name()),
        code: None,
        message: None,
        issues: &[],
        issue_count: 0,
    }
}

fn refused_outcome<'a>(r: &'a Refused, answer: &'a Answer) -> Outcome<'a> {
    Outcome {
        ok: false,
        status: answer.status,
        content_type: answer.content_type,
        body: &answer.body,
        event: None,
        dedup_key: None,
        client_ip: None,
        client_ip_source: None,
        secret_index: None,
        encoding: None,
        accepted_index: None,
        scheme: None,
        code: Some(r.error.code()),
        message: Some(r.error.message()),
        issues: &r.issues,
        issue_count: r.issue_count,
    }
}
