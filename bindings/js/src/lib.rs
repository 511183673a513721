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

use js_sys::Uint8Array;
use serde::Serialize;
use wasm_bindgen::prelude::*;

use payhook::{Encoding, Error};

mod config;
mod dedup;
mod failure;
mod handles;
mod ip;
mod payload;
mod receiver;
mod tools;

pub use dedup::{
    seen_set_claim, seen_set_complete, seen_set_free, seen_set_new, seen_set_release,
    seen_set_size, seen_set_status,
};
pub use failure::Failure;
pub use ip::{
    allowlist_belvo, allowlist_check, allowlist_cloudflare, allowlist_contains, allowlist_entries,
    allowlist_free, allowlist_new, allowlist_r2, allowlist_size, allowlist_union, client_ip_js,
    parse_r2_ip_document,
};
pub use payload::{
    dedup_key, default_max_bytes, delivery_policy, parse_belvo_webhook, parse_r2_event,
    validate_belvo_webhook, validate_r2_event,
};
pub use receiver::{
    receiver_answer, receiver_free, receiver_limits, receiver_new, receiver_receive,
};
pub use tools::{fixture, fixture_names, inspect_delivery, parse_capture};

/// `signR2(body, secret, { encoding })`: the `Content-Sha256` value R2 would send.
#[wasm_bindgen(js_name = signR2, skip_typescript)]
pub fn sign_r2(body: &[u8], secret: &[u8], encoding: Option<String>) -> Result<String, JsValue> {
    let encoding = match encoding {
        None => Encoding::Base64Hex,
        Some(name) => name.parse().map_err(|e| {
            Failure::new(
                e,
                "unknown encoding; use one of hex, base64, base64url, base64-hex",
            )
        })?,
    };
    Ok(payhook::sign(body, secret, encoding).map_err(Failure::from)?)
}

/// The result of `verifyR2Signature`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct R2Verification {
    secret_index: usize,
    encoding: &'static str,
}

/// `verifyR2Signature(body, header, secrets)`: which secret signed the body, and how the
/// header was encoded, as JSON text; throws otherwise.
#[wasm_bindgen(js_name = verifyR2Signature, skip_typescript)]
pub fn verify_r2_signature(
    body: &[u8],
    header: &str,
    secrets: Vec<Uint8Array>,
) -> Result<String, JsValue> {
    let secrets: Vec<Vec<u8>> = secrets.iter().map(Uint8Array::to_vec).collect();
    let keys = config::signing_keys(Some(&secrets))?;
    let found = payhook::verify_signature_with(body, header, &keys).map_err(Failure::from)?;
    Ok(json(&R2Verification {
        secret_index: found.secret_index,
        encoding: found.encoding.name(),
    }))
}

/// The result of `checkBelvoAuthorization`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct BelvoAuthorization {
    accepted_index: usize,
    scheme: &'static str,
}

/// `checkBelvoAuthorization(header, accepted)`: which accepted `Authorization` value the
/// header matched, as JSON text; throws otherwise.
#[wasm_bindgen(js_name = checkBelvoAuthorization, skip_typescript)]
pub fn check_belvo_authorization(header: &str, accepted: Vec<String>) -> Result<String, JsValue> {
    let accepted = config::accepted(&accepted)?;
    let found = payhook::check_authorization(header, &accepted).map_err(Failure::from)?;
    Ok(json(&BelvoAuthorization {
        accepted_index: found.accepted_index,
        scheme: found.scheme.name(),
    }))
}

/// One entry of `errorCodes()`.
#[derive(Serialize)]
struct ErrorInfo {
    code: &'static str,
    status: u16,
    message: &'static str,
}

/// `errorCodes()`: every error code with its HTTP status and message, from the Rust list, as
/// JSON text.
#[wasm_bindgen(js_name = errorCodes, skip_typescript)]
pub fn error_codes() -> String {
    let all: Vec<ErrorInfo> = Error::ALL
        .iter()
        .map(|e| ErrorInfo {
            code: e.code(),
            status: e.status(),
            message: e.message(),
        })
        .collect();
    json(&all)
}

/// Every result crosses as JSON text, which the package parses (`JSON.parse` builds objects
/// faster than setting their properties one call at a time): plain objects, `null` for
/// `None`, and integers beyond 2^53 as the nearest double, exactly what `JSON.parse` of the
/// same payload gives.
fn json<T: Serialize + ?Sized>(value: &T) -> String {
    // Serialising these types (string keys, no fallible impls) cannot fail.
    serde_json::to_string(value).unwrap_or_else(|_| "null".to_owned())
}
