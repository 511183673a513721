//! payhook: verify, allowlist, parse and deduplicate R2 and Belvo webhooks.
//!
//! A pure core: no IO, no clock, no randomness. The caller hands in the raw body bytes and
//! header values and acts on the verdict. The same core runs natively and, through the
//! binding in `wasm` (the only module that knows about JavaScript), in every JS runtime.
//!
//! | concept | module | entry points |
//! |---|---|---|
//! | one error type, stable codes and HTTP statuses | [`error`] | [`Error`] |
//! | R2's `Content-Sha256` HMAC-SHA256 signature | [`signature`] | [`sign`], [`verify_signature`] |
//! | Belvo's static `Authorization` header | [`auth`] | [`parse_accepted`], [`check_authorization`] |
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod auth;
pub mod error;
pub mod signature;

#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use auth::{AuthorizationMatch, Credential, Scheme, check_authorization, parse_accepted};
pub use error::Error;
pub use signature::{Encoding, SignatureMatch, sign, verify_signature};

/// The README's Rust example runs as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
