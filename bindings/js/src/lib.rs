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

use wasm_bindgen::prelude::*;

use payhook::Error;

/// The wasm modules' allocator: talc instead of Rust's default dlmalloc, 1.8 KB gzip smaller
/// and no slower (measured; the package's module is single-threaded: no atomics).
#[cfg(all(target_family = "wasm", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

// Two modules are built from this crate (scripts/build.sh): the package's, with what
// receiving needs (feature `receiving`, the default), and `payhook/tools`' (`tools`:
// inspection, captures, fixtures), so that a receiver never loads what only tools use.
mod config;
#[cfg(feature = "receiving")]
mod dedup;
mod failure;
#[cfg(feature = "receiving")]
mod handles;
#[cfg(feature = "receiving")]
mod ip;
#[cfg(feature = "receiving")]
mod payload;
#[cfg(feature = "receiving")]
mod receiver;
#[cfg(feature = "tools")]
mod tools;
#[cfg(feature = "receiving")]
mod verify;

#[cfg(feature = "receiving")]
pub use dedup::{
    seen_set_claim, seen_set_complete, seen_set_free, seen_set_new, seen_set_release,
    seen_set_size, seen_set_status,
};
pub use failure::Failure;
#[cfg(feature = "receiving")]
pub use ip::{
    allowlist_belvo, allowlist_check, allowlist_cloudflare, allowlist_contains, allowlist_entries,
    allowlist_free, allowlist_new, allowlist_r2, allowlist_size, allowlist_union, client_ip_js,
    parse_r2_ip_document,
};
#[cfg(feature = "receiving")]
pub use payload::{dedup_key, dedup_key_of_parsed, delivery_policy, payload};
#[cfg(feature = "receiving")]
pub use receiver::{
    receiver_answer, receiver_free, receiver_limits, receiver_new, receiver_receive,
};
#[cfg(feature = "tools")]
pub use tools::{fixture, fixture_names, inspect_delivery, parse_capture};
#[cfg(feature = "receiving")]
pub use verify::{check_belvo_authorization, sign_r2, verify_r2_signature};

/// `errorCodes()`: every error code with its HTTP status and message, from the Rust list, as
/// JSON text.
#[wasm_bindgen(js_name = errorCodes, skip_typescript)]
pub fn error_codes() -> String {
    let mut out = payhook::json::Writer::default();
    out.begin_array();
    for e in Error::ALL {
        out.begin_object();
        out.member("code", e.code());
        out.member("status", &e.status());
        out.member("message", e.message());
        out.end_object();
    }
    out.end_array();
    out.into_string()
}

/// Every result crosses as JSON text written by the core's writer, which the package parses
/// (`JSON.parse` builds objects faster than setting their properties one call at a time):
/// plain objects, `null` for `None`, and every number as `JSON.parse` of the same payload
/// gives it. In ASCII ([`payhook::json::ascii`]): JavaScript decodes that several times
/// faster than UTF-8.
fn json(value: &dyn payhook::json::ToJson) -> String {
    let text = payhook::json::to_string(value);
    match payhook::json::ascii(&text) {
        std::borrow::Cow::Borrowed(_) => text,
        std::borrow::Cow::Owned(escaped) => escaped,
    }
}

/// `inputLimits()`: `[MAX_SECRET_BYTES, MAX_SECRETS, MAX_HEADER_BYTES, MAX_BODY_BYTES]`
/// (internal: the package refuses a secret or a list of them over these before it encodes or
/// copies anything into wasm, copies no more than one unit past `MAX_HEADER_BYTES` of a header
/// value, a peer or an address, which the core refuses whole, and refuses a body over
/// `MAX_BODY_BYTES` that no `maxBytes` limits before it copies it; the core checks again).
#[wasm_bindgen(js_name = inputLimits, skip_typescript)]
pub fn input_limits() -> Vec<u32> {
    [
        payhook::MAX_SECRET_BYTES,
        payhook::MAX_SECRETS,
        payhook::MAX_HEADER_BYTES,
        config::MAX_BODY_BYTES as usize,
    ]
    .map(|n| u32::try_from(n).unwrap_or(u32::MAX))
    .to_vec()
}

/// `bodyLimit(maxBytes)`: the body limit that option gives, or its refusal (internal: the
/// package checks `maxBytes` with it before it measures, and so before it copies, a body;
/// the rule for `maxBytes` stays here alone).
#[wasm_bindgen(js_name = bodyLimit, skip_typescript)]
pub fn body_limit(max_bytes: Option<f64>) -> Result<f64, JsValue> {
    Ok(config::payload_options(None, max_bytes)?.max_bytes as f64)
}
