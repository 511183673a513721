//! The receiver in JavaScript: a handle to the compiled configuration (HMAC keys, allowlist,
//! trust), and one call per delivery that returns everything the JS layer
//! (`npm/receiver.js`) needs.

use core::cell::RefCell;

use serde::Serialize;
use wasm_bindgen::prelude::*;

use super::config::{self, ReceiverConfig};
use super::handles::{self, Handles};
use super::{Failure, json};
use payhook::providers::Issue;
use payhook::receiver::{Accepted, Answer, Refused};
use payhook::{Error, Receiver};

thread_local! {
    static RECEIVERS: RefCell<Handles<Receiver>> = const { RefCell::new(Handles::new()) };
}

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

/// `receiverNew(config)`: a configured receiver, as a handle (internal: the package wraps it
/// in `r2Receiver`/`belvoReceiver`), from the configuration npm/input.js `receiverConfig`
/// read, as JSON text.
#[wasm_bindgen(js_name = receiverNew, skip_typescript)]
pub fn receiver_new(config: &str) -> Result<u32, JsValue> {
    let parts = config::read::<ReceiverConfig>(config)?.parts(false)?;
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
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct AnswerJson<'a> {
    status: u16,
    content_type: &'static str,
    body: &'a str,
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
