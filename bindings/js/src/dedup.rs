//! The in-memory dedup store's state, kept in wasm memory; `npm/stores.js` passes the
//! clock in (`Date.now()`), as the core reads none.

use wasm_bindgen::prelude::*;

use payhook::dedup::SeenSet;

/// A bounded seen-set (internal: the package wraps it in `memoryStore`).
#[wasm_bindgen(js_name = CoreSeenSet, skip_typescript)]
pub struct CoreSeenSet(SeenSet);

#[wasm_bindgen(js_class = CoreSeenSet)]
impl CoreSeenSet {
    /// A set of at most `max_entries` keys and about `max_bytes` bytes.
    #[wasm_bindgen(constructor)]
    pub fn new(max_entries: f64, max_bytes: f64) -> CoreSeenSet {
        CoreSeenSet(SeenSet::new(whole(max_entries), whole(max_bytes)))
    }

    /// `new`, `duplicate` or `in_progress`; a new key is claimed under `token` for
    /// `lease_ms`.
    pub fn claim(&mut self, key: &str, token: &str, now: f64, lease_ms: f64) -> String {
        self.0
            .claim(key, token, millis(now), millis(lease_ms))
            .name()
            .to_owned()
    }

    /// What `claim` would answer, without claiming.
    pub fn status(&mut self, key: &str, now: f64) -> String {
        self.0.status(key, millis(now)).name().to_owned()
    }

    /// Marks `key` handled for `retention_ms` if `token` still holds its claim.
    pub fn complete(&mut self, key: &str, token: &str, now: f64, retention_ms: f64) -> bool {
        self.0
            .complete(key, token, millis(now), millis(retention_ms))
    }

    /// Gives a failed handler's claim back, if `token` still holds it at `now`.
    pub fn release(&mut self, key: &str, token: &str, now: f64) -> bool {
        self.0.release(key, token, millis(now))
    }

    /// Keys remembered.
    #[wasm_bindgen(getter)]
    pub fn size(&self) -> usize {
        self.0.len()
    }

    /// Bytes accounted for.
    #[wasm_bindgen(getter)]
    pub fn bytes(&self) -> usize {
        self.0.bytes()
    }
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
