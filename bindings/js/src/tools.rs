//! What tools use and receivers never do: `inspectDelivery` (every check, each reported),
//! `parseCapture` (a pasted request), and the fixtures. The validator page and the CLI load
//! these; a receiver's hot path does not go through them.

use serde_json::{Value, json};
use wasm_bindgen::prelude::*;

use super::config;
use super::{Failure, json};
use payhook::receiver::{Authenticity, Inspection};
use payhook::{Error, Receiver, fixtures};

/// `inspectDelivery`: every check, each run even when another fails, and the verdict and
/// answer a receiver would give. The arguments are those of `CoreReceiver.receive`, after the
/// configuration (which may leave the secrets out).
#[allow(clippy::too_many_arguments)]
#[wasm_bindgen(js_name = inspectDelivery, skip_typescript)]
pub fn inspect_delivery(
    config: &str,
    body: &[u8],
    oversized: f64,
    signature: Option<String>,
    authorization: Option<String>,
    cf_connecting_ip: Option<String>,
    x_forwarded_for: Option<String>,
    forwarded: Option<String>,
    peer: Option<String>,
    now: f64,
) -> Result<String, JsValue> {
    let parts = config::parts(config, true)?;
    let receiver =
        Receiver::for_inspection(parts.verifier, parts.allowlist, parts.trust, parts.options)
            .with_replay_window(parts.replay);
    let headers = [
        signature,
        authorization,
        cf_connecting_ip,
        x_forwarded_for,
        forwarded,
    ];
    let report = receiver.inspect(&config::delivery(
        body,
        oversized,
        &headers,
        peer.as_deref(),
        now,
    ));
    Ok(json(&inspection_json(receiver.provider(), &report)))
}

/// `parseCapture(text)`: a raw HTTP request or a curl command as
/// `{ format, method, url, headers, body }` (`body` as text), in JSON text.
#[wasm_bindgen(js_name = parseCapture, skip_typescript)]
pub fn parse_capture(text: &str) -> Result<String, JsValue> {
    let capture = payhook::capture::parse_capture(text).map_err(|e| {
        Failure::new(e, "paste a request that starts with a request line (POST /path HTTP/1.1) or the word curl")
    })?;
    let headers: serde_json::Map<String, Value> = capture
        .headers
        .iter()
        .map(|(k, v)| (k.clone(), Value::from(v.as_str())))
        .collect();
    Ok(json(&json!({
        "format": capture.format.name(),
        "method": capture.method,
        "url": capture.url,
        "headers": headers,
        "body": String::from_utf8_lossy(&capture.body),
    })))
}

/// `fixture(provider, name)`: a valid payload of that type, as its JSON text.
#[wasm_bindgen(js_name = fixture, skip_typescript)]
pub fn fixture(provider: &str, name: &str) -> Result<String, JsValue> {
    let body = fixtures::fixture(provider, name).ok_or_else(|| {
        let known = fixture_names(provider);
        let detail = match known.is_empty() {
            true => "no such provider; use 'r2' or 'belvo'".to_owned(),
            false => format!(
                "no fixture of that name for {provider}; there are: {}",
                known.join(", ")
            ),
        };
        Failure::new(Error::ArgumentInvalid, detail)
    })?;
    Ok(body.to_owned())
}

/// `fixtureNames(provider)`: the names `fixture` accepts for a provider.
#[wasm_bindgen(js_name = fixtureNames, skip_typescript)]
pub fn fixture_names(provider: &str) -> Vec<String> {
    fixtures::FIXTURES
        .iter()
        .filter(|f| f.provider == provider)
        .map(|f| f.name.to_owned())
        .collect()
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
            "seen": payhook::json::to_value(event).get("seen").cloned().unwrap_or(json!([])),
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
