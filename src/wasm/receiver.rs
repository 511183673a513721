//! The receiver in JavaScript: a class holding the compiled configuration (HMAC keys,
//! allowlist, trust), and one call per delivery that returns everything the JS layer
//! (`npm/receiver.js`) needs to build its result and response.

use serde::Serialize;
use wasm_bindgen::prelude::*;

use super::{Failure, input, output};
use crate::providers::Issue;
use crate::receiver::{Accepted, Answer, Delivery, Refused, Verifier};
use crate::{Allowlist, Error, ForwardingHeaders, Receiver, SigningKey};

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
    body: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    event: Option<&'a crate::Event>,
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
}

#[wasm_bindgen(js_class = CoreReceiver)]
impl CoreReceiver {
    /// `new CoreReceiver('r2' | 'belvo', { secrets | authorization, allowlist, trust, strict, maxBytes })`.
    #[wasm_bindgen(constructor)]
    pub fn new(provider: JsValue, options: JsValue) -> Result<CoreReceiver, JsValue> {
        if !options.is_object() {
            return Err(Failure::new(
                Error::ArgumentInvalid,
                "the receiver needs an options object",
            )
            .into());
        }
        let get =
            |key: &str| js_sys::Reflect::get(&options, &key.into()).unwrap_or(JsValue::UNDEFINED);
        let present = |v: &JsValue| !v.is_undefined() && !v.is_null();
        let verifier = match provider.as_string().as_deref() {
            Some("r2") => {
                let secrets = input::secrets(&get("secrets"))?;
                let keys = secrets
                    .iter()
                    .map(|s| SigningKey::new(s))
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(Failure::from)?;
                Verifier::R2Signature(keys)
            }
            Some("belvo") => match get("authorization") {
                v if present(&v) => {
                    let values = input::strings(&v, "authorization")?;
                    let accepted = crate::parse_accepted(&values).map_err(|e| {
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
        let allowlist = match get("allowlist") {
            v if present(&v) => Some(
                Allowlist::parse(&input::entries(&v, "allowlist")?)
                    .map_err(|e| Failure::from(e).under("/allowlist"))?,
            ),
            _ => None,
        };
        let trust = input::trust(&get("trust"))?;
        let options = super::payload::payload_options(&options)?;
        let receiver = Receiver::new(verifier, allowlist, trust, options).map_err(|e| {
            Failure::new(e, "belvoReceiver needs an authorization value, an allowlist, or both: with neither, anyone could post to it")
        })?;
        Ok(CoreReceiver(receiver))
    }

    /// The largest body accepted, in bytes (the JS layer stops reading a stream past it).
    #[wasm_bindgen(getter, js_name = maxBytes)]
    pub fn max_bytes(&self) -> usize {
        self.0.options().max_bytes
    }

    /// Checks one delivery: `body` (bytes or string), `headers` (Fetch `Headers` or a plain
    /// object), `peer` (as `clientIp` takes it). Returns the outcome as a plain object.
    pub fn receive(
        &self,
        body: JsValue,
        headers: JsValue,
        peer: JsValue,
    ) -> Result<JsValue, JsValue> {
        let body = input::bytes(&body, "body")?;
        let header = |name| input::header_of(&headers, name);
        let (signature, authorization) = (header("content-sha256")?, header("authorization")?);
        let (cf, xff, fwd) = (
            header("cf-connecting-ip")?,
            header("x-forwarded-for")?,
            header("forwarded")?,
        );
        let peer = input::peer(&peer)?;
        let delivery = Delivery {
            body: &body,
            signature: signature.as_deref(),
            authorization: authorization.as_deref(),
            forwarding: ForwardingHeaders {
                cf_connecting_ip: cf.as_deref(),
                x_forwarded_for: xff.as_deref(),
                forwarded: fwd.as_deref(),
            },
            peer: peer.as_deref(),
        };
        match self.0.receive(&delivery) {
            Ok(accepted) => output(&accepted_outcome(&accepted, &self.0.accepted_answer())),
            Err(refused) => output(&refused_outcome(
                &refused,
                &Receiver::refused_answer(&refused),
            )),
        }
    }
}

fn accepted_outcome<'a>(a: &'a Accepted, answer: &Answer) -> Outcome<'a> {
    Outcome {
        ok: true,
        status: answer.status,
        content_type: answer.content_type,
        body: answer.body.clone(),
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
    }
}

fn refused_outcome<'a>(r: &'a Refused, answer: &Answer) -> Outcome<'a> {
    Outcome {
        ok: false,
        status: answer.status,
        content_type: answer.content_type,
        body: answer.body.clone(),
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
    }
}
