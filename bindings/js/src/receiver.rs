//! The receiver in JavaScript: a handle to the compiled configuration (HMAC keys, allowlist,
//! trust), and one call per delivery that returns everything the JS layer
//! (`npm/receiver.js`) needs.

use core::cell::RefCell;

use payhook::json::{ToJson, Writer};
use wasm_bindgen::prelude::*;

use super::config;
use super::handles::{self, Handles};
use super::{Failure, json};
use payhook::receiver::{Accepted, Answer, Refused};
use payhook::{Error, Receiver};

thread_local! {
    static RECEIVERS: RefCell<Handles<Receiver>> = const { RefCell::new(Handles::new()) };
}

/// What a refused delivery gives JS: the answer to send and the error.
struct Refusal<'a> {
    answer: &'a Answer,
    refused: &'a Refused,
}

/// `{ ok: false, status, contentType, body, code, message, issues?, issueCount? }`.
impl ToJson for Refusal<'_> {
    fn write_json(&self, out: &mut Writer) {
        out.begin_object();
        out.member("ok", &false);
        out.member("status", &self.answer.status);
        out.member("contentType", self.answer.content_type);
        out.member("body", &self.answer.body);
        out.member("code", self.refused.error.code());
        out.member("message", self.refused.error.message());
        if !self.refused.issues.is_empty() {
            out.member("issues", &self.refused.issues);
            out.member("issueCount", &self.refused.issue_count);
        }
        out.end_object();
    }
}

/// What an accepted delivery gives JS, as text `JSON.parse` has less of to read than an
/// object around the event (0.5 µs of a 1 KiB delivery): one line of the dedup key, the
/// client's address and its source, the secret's index and the signature's encoding, the
/// accepted `Authorization` value's index and its scheme (tab-separated, empty where they do
/// not apply), then the event's JSON (in ASCII, as every result). The answer to send is the
/// receiver's, the same for every accepted delivery (`receiverAnswer`).
fn accepted_text(a: &Accepted<()>) -> String {
    let event = a.event_json.as_str();
    // One allocation, made to size: the line is short, the event's escapes few.
    let mut out = String::with_capacity(a.dedup_key.len() + event.len() + event.len() / 8 + 96);
    let field = |out: &mut String, text: &str| {
        out.push_str(text);
        out.push('\t');
    };
    let client_ip = a
        .client_ip
        .map(|c| (payhook::allowlist::ip_text(c.ip), c.source.name()));
    let (ip, source) = client_ip
        .as_ref()
        .map_or(("", ""), |(ip, s)| (ip.as_str(), *s));
    let index = |i: Option<usize>| i.map(|i| i.to_string()).unwrap_or_default();
    field(&mut out, &a.dedup_key);
    field(&mut out, ip);
    field(&mut out, source);
    field(&mut out, &index(a.signature.map(|(i, _)| i)));
    field(&mut out, a.signature.map_or("", |(_, e)| e.name()));
    field(&mut out, &index(a.authorization.map(|(i, _)| i)));
    out.push_str(a.authorization.map_or("", |(_, s)| s.name()));
    out.push('\n');
    payhook::json::push_ascii(&mut out, event);
    out
}

/// `receiverNew(config)`: a configured receiver, as a handle (internal: the package wraps it
/// in `r2Receiver`/`belvoReceiver`), from the configuration npm/input.js `receiverConfig`
/// read, as JSON text.
#[wasm_bindgen(js_name = receiverNew, skip_typescript)]
pub fn receiver_new(config: &str) -> Result<u32, JsValue> {
    let parts = config::parts(config, false)?;
    let receiver = Receiver::new(parts.verifier, parts.allowlist, parts.trust, parts.options)
        .map_err(|e| {
            Failure::new(
                e,
                "belvoReceiver needs an authorization value, an allowlist, or both: with neither, anyone could post to it",
            )
        })?;
    Ok(handles::insert(
        &RECEIVERS,
        receiver.with_replay_window(parts.replay),
    )?)
}

/// `[maxBytes, dedupRetentionMs]`: the largest body accepted (the package reads and copies no
/// more), and how long a handled event's key must be remembered.
#[wasm_bindgen(js_name = receiverLimits, skip_typescript)]
pub fn receiver_limits(id: u32) -> Result<Vec<f64>, JsValue> {
    Ok(handles::using(&RECEIVERS, id, |receiver| {
        Ok(vec![
            receiver.options().max_bytes as f64,
            receiver.dedup_retention().as_millis() as f64,
        ])
    })?)
}

/// Checks one delivery, as npm/input.js read it: `body` the bytes (or, when `oversized` is
/// non-zero, a body of that many bytes that the package did not copy), the five header
/// values (absent: `undefined`), the peer's address (`''`: a peer without an address;
/// `undefined`: no socket at all), `now` in milliseconds since the epoch. Returns an accepted
/// delivery's text ([`accepted_text`]) or a refusal's JSON (`{…}`).
#[allow(clippy::too_many_arguments)]
#[wasm_bindgen(js_name = receiverReceive, skip_typescript)]
pub fn receiver_receive(
    id: u32,
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
    let headers = [
        signature,
        authorization,
        cf_connecting_ip,
        x_forwarded_for,
        forwarded,
    ];
    let delivery = config::delivery(body, oversized, &headers, peer.as_deref(), now);
    Ok(handles::using(&RECEIVERS, id, |receiver| {
        Ok(match receiver.receive_json(&delivery) {
            Ok(accepted) => accepted_text(&accepted),
            Err(refused) => json(&Refusal {
                answer: &receiver.refused_answer(&refused),
                refused: &refused,
            }),
        })
    })?)
}

/// The answer to send, as JSON text `{ status, contentType, body }`: for an accepted
/// delivery without `code`, for a refusal with its `code` (`handler_failed`,
/// `delivery_in_progress`). The answers have one source, the core's.
#[wasm_bindgen(js_name = receiverAnswer, skip_typescript)]
pub fn receiver_answer(id: u32, code: Option<String>) -> Result<String, JsValue> {
    let error = match code {
        None => None,
        Some(code) => Some(
            *Error::ALL
                .iter()
                .find(|e| e.code() == code)
                .ok_or_else(|| Failure::new(Error::ArgumentInvalid, "no such error code"))?,
        ),
    };
    Ok(handles::using(&RECEIVERS, id, |receiver| {
        let answer = match error {
            None => receiver.accepted_answer(),
            Some(error) => receiver.refused_answer(&error.into()),
        };
        Ok(json(&AnswerJson {
            status: answer.status,
            content_type: answer.content_type,
            body: &answer.body,
        }))
    })?)
}

/// Frees the receiver.
#[wasm_bindgen(js_name = receiverFree, skip_typescript)]
pub fn receiver_free(id: u32) {
    handles::remove(&RECEIVERS, id);
}

/// An answer as JS takes it.
struct AnswerJson<'a> {
    status: u16,
    content_type: &'static str,
    body: &'a str,
}

impl ToJson for AnswerJson<'_> {
    fn write_json(&self, out: &mut Writer) {
        out.begin_object();
        out.member("status", &self.status);
        out.member("contentType", self.content_type);
        out.member("body", self.body);
        out.end_object();
    }
}
