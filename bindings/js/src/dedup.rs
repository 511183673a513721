//! The in-memory dedup store's state, kept in wasm memory behind a handle; `npm/stores.js`
//! passes the clock in (`Date.now()`), as the core reads none.

use core::cell::RefCell;

use wasm_bindgen::prelude::*;

use super::handles::{self, Handles};
use payhook::dedup::SeenSet;

thread_local! {
    static SETS: RefCell<Handles<SeenSet>> = const { RefCell::new(Handles::new()) };
}

/// A set of at most `max_entries` keys and about `max_bytes` bytes, as a handle (internal:
/// the package wraps it in `memoryStore`).
#[wasm_bindgen(js_name = seenSetNew, skip_typescript)]
pub fn seen_set_new(max_entries: f64, max_bytes: f64) -> Result<u32, JsValue> {
    Ok(handles::insert(
        &SETS,
        SeenSet::new(whole(max_entries), whole(max_bytes)),
    )?)
}

/// `new`, `duplicate` or `in_progress`; a new key is claimed under `token` for `lease_ms`.
#[wasm_bindgen(js_name = seenSetClaim, skip_typescript)]
pub fn seen_set_claim(
    id: u32,
    key: &str,
    token: &str,
    now: f64,
    lease_ms: f64,
) -> Result<String, JsValue> {
    Ok(handles::using(&SETS, id, |set| {
        Ok(set
            .claim(key, token, millis(now), millis(lease_ms))
            .name()
            .to_owned())
    })?)
}

/// What `claim` would answer, without claiming.
#[wasm_bindgen(js_name = seenSetStatus, skip_typescript)]
pub fn seen_set_status(id: u32, key: &str, now: f64) -> Result<String, JsValue> {
    Ok(handles::using(&SETS, id, |set| {
        Ok(set.status(key, millis(now)).name().to_owned())
    })?)
}

/// Marks `key` handled for `retention_ms` if `token` still holds its claim.
#[wasm_bindgen(js_name = seenSetComplete, skip_typescript)]
pub fn seen_set_complete(
    id: u32,
    key: &str,
    token: &str,
    now: f64,
    retention_ms: f64,
) -> Result<bool, JsValue> {
    Ok(handles::using(&SETS, id, |set| {
        Ok(set.complete(key, token, millis(now), millis(retention_ms)))
    })?)
}

/// Gives a failed handler's claim back, if `token` still holds it at `now`.
#[wasm_bindgen(js_name = seenSetRelease, skip_typescript)]
pub fn seen_set_release(id: u32, key: &str, token: &str, now: f64) -> Result<bool, JsValue> {
    Ok(handles::using(&SETS, id, |set| {
        Ok(set.release(key, token, millis(now)))
    })?)
}

/// `[keys remembered, bytes accounted for]`.
#[wasm_bindgen(js_name = seenSetSize, skip_typescript)]
pub fn seen_set_size(id: u32) -> Result<Vec<f64>, JsValue> {
    Ok(handles::using(&SETS, id, |set| {
        Ok(vec![set.len() as f64, set.bytes() as f64])
    })?)
}

/// Frees the set.
#[wasm_bindgen(js_name = seenSetFree, skip_typescript)]
pub fn seen_set_free(id: u32) {
    handles::remove(&SETS, id);
}

/// A JS number of milliseconds as `u64` (negative and NaN as 0).
fn millis(n: f64) -> u64 {
    if n.is_finite() && n > 0.0 {
        n as u64
    } else {
        0
    }
}

/// A JS count as `usize` (negative and NaN as 0).
fn whole(n: f64) -> usize {
    if n.is_finite() && n > 0.0 {
        n as usize
    } else {
        0
    }
}
