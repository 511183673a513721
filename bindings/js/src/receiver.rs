//! The receiver in JavaScript: a handle to the compiled configuration (HMAC keys, allowlist,
//! trust), and one call per delivery that returns everything the JS layer
//! (`npm/receiver.js`) needs.

use core::cell::RefCell;

use payhook::json::{ToJson, Writer};
use wasm_bindgen::prelude::*;

use super::config;
use super::handles::{self, Handles};
use super::{Failure, json};
use payhook::providers::Issue;
use payhook::receiver::{Accepted, Answer, Refused};
use payhook::{Error, Receiver};

thread_local! {
    static RECEIVERS: RefCell<Handles<Receiver>> = const { RefCell::new(Handles::new()) };
}

/// What one delivery gives JS: the verdict, and the answer to send.
struct Outcome<'a> {
    ok: bool,
    status: u16,
    content_type: &'static str,
    body: &'a str,
    event: Option<&'a payhook::json::Json>,
    dedup_key: Option<&'a str>,
    client_ip: Option<String>,
    client_ip_source: Option<&'static str>,
    secret_index: Option<usize>,
    encoding: Option<&'static str>,
    accepted_index: Option<usize>,
    scheme: Option<&'static str>,
    code: Option<&'static str>,
    message: Option<&'static str>,
    issues: &'a [Issue],
    issue_count: usize,
}

/// `{ ok, status, contentType, body, …the members that apply }`.
impl ToJson for Outcome<'_> {
    fn write_json(&self, out: &mut Writer) {
        out.begin_object();
        out.member("ok", &self.ok);
        out.member("status", &self.status);
        out.member("contentType", self.content_type);
        out.member("body", self.body);
        out.optional("event", self.event);
        out.optional("dedupKey", self.dedup_key);
        out.optional("clientIp", self.client_ip.as_ref());
        out.optional("clientIpSource", self.client_ip_source);
        out.optional("secretIndex", self.secret_index.as_ref());
        out.optional("encoding", self.encoding);
        out.optional("acceptedIndex", self.accepted_index.as_ref());
        out.optional("scheme", self.scheme);
        out.optional("code", self.code);
        out.optional("message", self.message);
        if !self.issues.is_empty() {
            out.member("issues", self.issues);
        }
        if self.issue_count != 0 {
            out.member("issueCount", &self.issue_count);
        }
        out.end_object();
    }
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
/// `undefined`: no socket at all), `now` in milliseconds since the epoch. Returns the outcome
/// as JSON text.
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
        Ok(match receiver.receive(&delivery) {
            Ok(accepted) => json(&accepted_outcome(&accepted, &receiver.accepted_answer())),
            Err(refused) => json(&refused_outcome(
                &refused,
                &receiver.refused_answer(&refused),
            )),
        })
    })?)
}

/// The answer to send for `code` (`handler_failed`, `delivery_in_progress`) as JSON text
/// `{ status, contentType, body }`: the refusal answer has one source, the core's.
#[wasm_bindgen(js_name = receiverAnswer, skip_typescript)]
pub fn receiver_answer(id: u32, code: &str) -> Result<String, JsValue> {
    let error = Error::ALL
        .iter()
        .find(|e| e.code() == code)
        .ok_or_else(|| Failure::new(Error::ArgumentInvalid, "no such error code"))?;
    Ok(handles::using(&RECEIVERS, id, |receiver| {
        let answer = receiver.refused_answer(&(*error).into());
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

fn accepted_outcome<'a>(a: &'a Accepted, answer: &'a Answer) -> Outcome<'a> {
    Outcome {
        ok: true,
        status: answer.status,
        content_type: answer.content_type,
        body: &answer.body,
        event: Some(&a.event_json),
        dedup_key: Some(&a.dedup_key),
        client_ip: a.client_ip.map(|c| payhook::allowlist::ip_text(c.ip)),
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
