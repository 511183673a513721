//! Signatures and credentials in JavaScript: sign and verify R2's `Content-Sha256`, check
//! Belvo's `Authorization`.

use js_sys::Uint8Array;
use serde::Serialize;
use wasm_bindgen::prelude::*;

use super::{Failure, config, json};
use payhook::Encoding;

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
    // The one way signing fails: an empty secret.
    Ok(payhook::sign(body, secret, encoding).map_err(|e| Failure::new(e, "secret is empty"))?)
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
