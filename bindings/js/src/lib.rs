//! The JavaScript binding of [payhook](https://docs.rs/payhook): the only code that knows
//! about JavaScript. It converts JS values in, and results and errors out, in one place each;
//! the npm package is built from this crate's wasm module (scripts/build.sh).
//!
//! Every function takes `JsValue`s and checks their types itself, so a wrong argument from
//! plain JS is a `PayhookError` with code `argument_invalid` (or `secret_invalid` for the
//! configuration), never a trap. Errors are thrown as real `Error` objects named
//! `PayhookError` with `code` and `status`; the package's `PayhookError` class recognises
//! them with `instanceof`.

#![forbid(unsafe_code)]
// As in the core: bad input gets an error, never a panic (a panic traps the instance).
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing,
        clippy::string_slice,
        clippy::unreachable,
        clippy::todo,
        clippy::unimplemented
    )
)]

use serde::Serialize;
use wasm_bindgen::prelude::*;

use payhook::{Encoding, Error};

mod dedup;
mod failure;
mod input;
mod ip;
mod payload;
mod receiver;

pub use dedup::CoreSeenSet;
pub use failure::Failure;
pub use ip::{JsAllowlist, client_ip_js, parse_r2_ip_document};
pub use payload::{
    dedup_key, delivery_policy, fixture, fixture_names, parse_belvo_webhook, parse_r2_event,
    validate_belvo_webhook, validate_r2_event,
};
pub use receiver::{CoreReceiver, inspect_delivery, parse_capture};

/// `signR2(body, secret, { encoding })`: the `Content-Sha256` value R2 would send.
#[wasm_bindgen(js_name = signR2, skip_typescript)]
pub fn sign_r2(body: JsValue, secret: JsValue, options: JsValue) -> Result<String, JsValue> {
    let body = input::bytes(&body, "body")?;
    let secret = input::secret(&secret, "secret")?;
    let encoding = match input::option(&options, "encoding")? {
        None => Encoding::Base64Hex,
        Some(name) => name.parse().map_err(|e| {
            Failure::new(
                e,
                "unknown encoding; use one of hex, base64, base64url, base64-hex",
            )
        })?,
    };
    Ok(payhook::sign(&body, &secret, encoding).map_err(Failure::from)?)
}

/// The result of `verifyR2Signature`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct R2Verification {
    secret_index: usize,
    encoding: &'static str,
}

/// `verifyR2Signature(body, header, secrets)`: which secret signed the body, and how the
/// header was encoded; throws otherwise.
#[wasm_bindgen(js_name = verifyR2Signature, skip_typescript)]
pub fn verify_r2_signature(
    body: JsValue,
    header: JsValue,
    secrets: JsValue,
) -> Result<JsValue, JsValue> {
    let secrets = input::secrets(&secrets)?;
    let body = input::bytes(&body, "body")?;
    let header = input::header(&header, "Content-Sha256")?;
    verification(payhook::verify_signature(&body, &header, &secrets))
}

/// `verifyR2Signature` for the common shapes, checked by the package in JS (npm/recover.js):
/// the body a genuine byte view, the header and one non-empty secret strings. Saves the calls
/// back into JS that reading arbitrary values takes; every other shape goes through
/// `verifyR2Signature`.
#[wasm_bindgen(js_name = verifyR2SignatureParts, skip_typescript)]
pub fn verify_r2_signature_parts(
    body: &[u8],
    header: &str,
    secret: &str,
) -> Result<JsValue, JsValue> {
    verification(payhook::verify_signature(body, header, &[secret]))
}

/// What both `verifyR2Signature`s return: `{ secretIndex, encoding }`, or the error thrown.
fn verification(found: Result<payhook::SignatureMatch, Error>) -> Result<JsValue, JsValue> {
    let found = found.map_err(Failure::from)?;
    output(&R2Verification {
        secret_index: found.secret_index,
        encoding: found.encoding.name(),
    })
}

/// The result of `checkBelvoAuthorization`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct BelvoAuthorization {
    accepted_index: usize,
    scheme: &'static str,
}

/// `checkBelvoAuthorization(header, accepted)`: which accepted `Authorization` value the
/// header matched; throws otherwise.
#[wasm_bindgen(js_name = checkBelvoAuthorization, skip_typescript)]
pub fn check_belvo_authorization(header: JsValue, accepted: JsValue) -> Result<JsValue, JsValue> {
    let accepted = input::strings(&accepted, "accepted")?;
    let accepted = payhook::parse_accepted(&accepted).map_err(|e| {
        Failure::new(
            e,
            "each accepted value must be \"Bearer <token>\" or \"Basic <base64 of user:password>\"",
        )
    })?;
    let header = input::header(&header, "Authorization")?;
    let found = payhook::check_authorization(&header, &accepted).map_err(Failure::from)?;
    output(&BelvoAuthorization {
        accepted_index: found.accepted_index,
        scheme: found.scheme.name(),
    })
}

/// One entry of `errorCodes()`.
#[derive(Serialize)]
struct ErrorInfo {
    code: &'static str,
    status: u16,
    message: &'static str,
}

/// `errorCodes()`: every error code with its HTTP status and message, from the Rust list.
#[wasm_bindgen(js_name = errorCodes, skip_typescript)]
pub fn error_codes() -> Result<JsValue, JsValue> {
    let all: Vec<ErrorInfo> = Error::ALL
        .iter()
        .map(|e| ErrorInfo {
            code: e.code(),
            status: e.status(),
            message: e.message(),
        })
        .collect();
    output(&all)
}

/// Converts a result to plain JS values through JSON text: objects, not `Map`s (the payload
/// models flatten their extra fields), `null` for `None`, and integers beyond 2^53 as the
/// nearest double, exactly what `JSON.parse` of the same payload gives.
fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsValue> {
    let text = serde_json::to_string(value).map_err(|e| JsValue::from(e.to_string()))?;
    js_sys::JSON::parse(&text)
}

/// A result for JS, or `argument_invalid` if it cannot be converted (it always can).
fn output<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsValue> {
    to_js(value)
        .map_err(|_| Failure::new(Error::ArgumentInvalid, "result could not be converted").into())
}
