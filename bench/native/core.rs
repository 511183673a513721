//! Native benchmarks of the core (divan): `cargo bench --bench core`.
//!
//! Each entry point the npm package wraps, on the inputs bench/ feeds the wasm build: the R2
//! signature (256 B to 1 MiB bodies, the same bytes as bench/js/lib/inputs.mjs `r2Body`), the
//! Belvo `Authorization` check, allowlists of 3 and 10,000 rules, the client address behind
//! one proxy, payload parsing, the dedup key, and a whole 1 KiB R2 delivery.
//!
//! The bench profile inherits `[profile.release]`, the wasm build's. SHA-256 runs on whatever
//! backend sha2 picks: natively that is SHA-NI when the CPU has it, while the wasm build
//! always runs the portable (soft, unrolled) code. For the wasm ÷ native ratio, build with
//! the portable backend forced, in a target directory of its own so the flag does not
//! invalidate other builds (scripts/bench.sh does this):
//!
//! ```text
//! RUSTFLAGS='--cfg sha2_backend="soft"' CARGO_TARGET_DIR=target/bench-native \
//!   PAYHOOK_NATIVE_JSON=target/bench/native.json cargo bench --bench core
//! ```
//!
//! With `PAYHOOK_NATIVE_JSON` set, after the divan table the 1 MiB `verify_signature` (secret
//! per call, as the package's `verifyR2Signature`) is timed once more the way bench/js/lib/
//! harness.mjs times the wasm (median of batches of about 8 ms) and written there as JSON,
//! for bench/js/run.mjs to put beside the wasm's number. Prints numbers; asserts nothing. The
//! sub-µs benches have fixed sample sizes: divan's own sizing can settle on one call per
//! sample when load stalls its calibration, and then measures the timer.

// divan is a native-only dev-dependency, so on wasm32 (clippy --all-targets) this is empty.
#[cfg(not(target_arch = "wasm32"))]
mod native;

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    native::main();
}

#[cfg(target_arch = "wasm32")]
fn main() {}
