//! payhook: verify, allowlist, parse and deduplicate R2 and Belvo webhooks.
//!
//! A pure core: no IO, no clock, no randomness. The caller hands in the raw body bytes and
//! header values and acts on the verdict. The same core runs natively and, through the
//! binding crate `payhook-js` (bindings/js, the only code that knows about JavaScript), in
//! every JS runtime.
//!
//! | concept | module | entry points |
//! |---|---|---|
//! | one error type, stable codes and HTTP statuses | [`error`] | [`Error`] |
//! | R2's `Content-Sha256` HMAC-SHA256 signature | [`signature`] | [`sign`], [`verify_signature`] |
//! | Belvo's static `Authorization` header | [`auth`] | [`parse_accepted`], [`check_authorization`] |
//! | IP addresses, CIDR networks and allowlists | [`allowlist`] | [`IpNet`], [`Allowlist`], [`parse_ip`] |
//! | the providers' published addresses | [`ip_lists`] | [`r2_allowlist`], [`belvo_allowlist`], [`R2IpDocument`] |
//! | the client's address behind proxies | [`client_ip`](mod@client_ip) | [`client_ip()`], [`Trust`] |
//! | hostile-JSON-safe parsing of a body | [`json`] | [`json::parse_object`] |
//! | a valid payload for every event type | [`fixtures`] | [`fixture`] |
//! | typed R2 and Belvo payloads, dedup keys, acks and retries | [`providers`] | [`parse_r2_event`], [`parse_belvo_webhook`], [`dedup_key`] |
//! | one delivery, start to finish, and the answer to send | [`receiver`] | [`Receiver`] |
//! | how old a signed R2 event may be: the replay window | [`replay`] | [`ReplayWindow`] |
//! | remembering processed events: claim, complete, release | [`dedup`] | [`dedup::SeenSet`] |
//! | a pasted raw HTTP request or `curl` command | [`capture`] | [`capture::parse_capture`] |
#![forbid(unsafe_code)]
#![warn(missing_docs)]
// Bad input must get an error, never a panic (a panic in wasm traps the instance). Each
// exception is an `allow` with a comment saying why it cannot happen.
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

pub mod allowlist;
pub mod auth;
mod b64;
pub mod capture;
pub mod client_ip;
pub mod dedup;
pub mod error;
pub mod fixtures;
pub mod ip_lists;
pub mod json;
pub mod providers;
pub mod receiver;
pub mod replay;
pub mod signature;

pub use allowlist::{Allowlist, AllowlistError, IpNet, parse_ip};
pub use auth::{AuthorizationMatch, Credential, Scheme, check_authorization, parse_accepted};
pub use client_ip::{ClientIp, ForwardingHeader, ForwardingHeaders, Source, Trust, client_ip};
pub use error::Error;
pub use fixtures::fixture;
pub use ip_lists::{R2Environment, R2IpDocument, belvo_allowlist, r2_allowlist};
pub use providers::belvo::{BelvoWebhook, parse_belvo_webhook, validate_belvo_webhook};
pub use providers::r2::{R2Event, parse_r2_event, validate_r2_event};
pub use providers::{Issue, Options, PayloadError, Report, dedup_key};
pub use receiver::{
    Accepted, Answer, Authenticity, Body, Delivery, Event, Inspection, Receiver, Refused, Verifier,
};
pub use replay::ReplayWindow;
pub use signature::{
    Encoding, SignatureMatch, SigningKey, sign, verify_signature, verify_signature_with,
};

/// The README's Rust example runs as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
