//! Signatures and credentials in JavaScript: sign and verify R2's `Content-Sha256`, check
//! Belvo's `Authorization`.

use wasm_bindgen::prelude::*;

use super::{Failure, config};
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

/// `verifyR2Signature(body, header, secrets)`: which secret signed the body, and how the
/// header was encoded ([`matched`]); throws otherwise. The secrets cross as one buffer and
/// their lengths (npm/input.js `withJoinedSecrets`), where a list of `Uint8Array`s took a
/// call into JS per secret.
#[wasm_bindgen(js_name = verifyR2Signature, skip_typescript)]
pub fn verify_r2_signature(
    body: &[u8],
    header: &str,
    secrets: &[u8],
    lengths: &[u32],
) -> Result<String, JsValue> {
    let keys = config::signing_keys(Some(&config::split(secrets, lengths)?))?;
    let found = payhook::verify_signature_with(body, header, &keys).map_err(Failure::from)?;
    Ok(matched(found.secret_index, found.encoding.name()))
}

/// `checkBelvoAuthorization(header, accepted)`: which accepted `Authorization` value the
/// header matched, and its scheme ([`matched`]); throws otherwise.
#[wasm_bindgen(js_name = checkBelvoAuthorization, skip_typescript)]
pub fn check_belvo_authorization(header: &str, accepted: Vec<String>) -> Result<String, JsValue> {
    let accepted = config::accepted(&accepted)?;
    let found = payhook::check_authorization(header, &accepted).map_err(Failure::from)?;
    Ok(matched(found.accepted_index, found.scheme.name()))
}

/// `index\tname`: which of the values given matched, and how (an encoding, a scheme). Text
/// the package splits (npm/recover.js `matched`): cheaper to cross than JSON to parse.
fn matched(index: usize, name: &str) -> String {
    format!("{index}\t{name}")
}
