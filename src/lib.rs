//! payhook: verify, allowlist, parse and deduplicate R2 and Belvo webhooks.
//!
//! A pure core: no IO, no clock, no randomness. The caller hands in the raw body bytes and
//! header values and acts on the verdict. The same core runs natively and, through the
//! binding crate `payhook-js` (bindings/js, the only code that knows about JavaScript), in
//! every JS runtime.
//!
//! # A receiver
//!
//! A [`Receiver`] is made once: the secrets (or Belvo's accepted `Authorization` values), the
//! allowlist, and who may report the client address ([`Trust`]). It checks each [`Delivery`],
//! which is what your HTTP server read and when, and gives back the event and its dedup key
//! ([`Accepted`]) or a [`Refused`]; either way, [`Receiver::accepted_answer`] and
//! [`Receiver::refused_answer`] give the [`Answer`] to send (status, `Content-Type`, body), the
//! same bytes the npm package answers with.
//!
//! ```
//! use core::time::Duration;
//! use payhook::{Body, Delivery, Options, Receiver, SigningKey, Trust, Verifier, r2_allowlist};
//!
//! let r2 = Receiver::new(
//!     Verifier::R2Signature(vec![SigningKey::new(b"jwt-secret")?]),
//!     Some(r2_allowlist(None)), // R2's published addresses
//!     Trust::None,              // no proxy in front: the socket peer is the sender
//!     Options::default(),       // lenient, bodies up to 1 MiB
//! )?;
//!
//! // A test delivery: R2's example event, signed as R2 signs it.
//! let body = payhook::fixture("r2", "financing_created").unwrap_or_default().as_bytes();
//! let signature = payhook::sign(body, b"jwt-secret", payhook::Encoding::Base64Hex)?;
//!
//! let delivery = Delivery {
//!     body: Body::Bytes(body),         // the raw bytes, exactly as received
//!     signature: Some(&signature),     // the `Content-Sha256` header
//!     peer: Some("54.215.38.39"),      // the socket's remote address
//!     received_at: Duration::from_secs(1_348_177_812), // since the Unix epoch, by your clock
//!     ..Delivery::default()
//! };
//! let answer = match r2.receive(&delivery) {
//!     Ok(accepted) => {
//!         assert!(accepted.dedup_key.starts_with("r2:financing_created:"));
//!         r2.accepted_answer()         // 200 `R2 API Event Received`
//!     }
//!     Err(refused) => r2.refused_answer(&refused), // 401 signature_mismatch, 403, …
//! };
//! assert_eq!((answer.status, answer.body.as_str()), (200, "R2 API Event Received"));
//!
//! let tampered = Delivery { body: Body::Bytes(b"{}"), ..delivery };
//! let refused = r2.receive(&tampered).unwrap_err();
//! assert_eq!(r2.refused_answer(&refused).status, 401);
//! # Ok::<(), payhook::Error>(())
//! ```
//!
//! # Handled once: the seen-set
//!
//! Neither provider sends a delivery id, and both retry, so a receiver remembers the dedup
//! keys it handled. [`dedup::SeenSet`] is that memory for one process, bounded, with time
//! passed in (milliseconds by your clock) and a token per claim chosen by you: claim the key,
//! run your code, then complete the claim (or release it when your code failed, and answer
//! [`Error::HandlerFailed`], so the provider's retry is processed). A
//! [`Claim::Duplicate`](dedup::Claim::Duplicate) gets the same answer as the first delivery,
//! without running your code; a [`Claim::InProgress`](dedup::Claim::InProgress) gets
//! [`Error::DeliveryInProgress`] (409), so the provider retries later. Keep a key for
//! [`Receiver::dedup_retention`].
//!
//! ```
//! use payhook::dedup::{Claim, SeenSet};
//!
//! let mut seen = SeenSet::new(100_000, 32 << 20); // keys, bytes
//! let key = "r2:financing_created:x"; // Accepted::dedup_key
//! let (now_ms, lease_ms, retention_ms) = (1_700_000_000_000, 60_000, 86_400_000);
//! assert_eq!(seen.claim(key, "claim-1", now_ms, lease_ms), Claim::New); // run your code
//! assert!(seen.complete(key, "claim-1", now_ms + 20, retention_ms));
//! assert_eq!(seen.claim(key, "claim-2", now_ms + 60, lease_ms), Claim::Duplicate);
//! ```
//!
//! # In a web framework
//!
//! Read the body as bytes (in axum, `axum::body::Bytes`, never `Json<T>`: JSON serialised
//! again is not what the provider signed), every line of each header (joined with `, `), the
//! socket's peer address, and the time. The repository's `examples/axum` is a complete axum
//! 0.8 receiver of both providers behind a proxy, with a seen-set.
//!
//! # Map
//!
//! | concept | module | entry points |
//! |---|---|---|
//! | one error type, stable codes and HTTP statuses | [`error`] | [`Error`] |
//! | R2's `Content-Sha256` HMAC-SHA256 signature | [`signature`] | [`sign`], [`verify_signature`] |
//! | Belvo's static `Authorization` header | [`auth`] | [`parse_accepted`], [`check_authorization`] |
//! | IP addresses, CIDR networks and allowlists | [`allowlist`] | [`IpNet`], [`Allowlist`], [`parse_ip`] |
//! | the providers' published addresses | [`ip_lists`] | [`r2_allowlist`], [`belvo_allowlist`], [`R2IpDocument`] |
//! | the client's address behind proxies | [`client_ip`](mod@client_ip) | [`client_ip()`], [`Trust`] |
//! | hostile-JSON-safe parsing of a body; JSON out, and the canonical form keys hash | [`json`] | [`json::parse_object`], [`json::Writer`] |
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
mod sort;

pub use allowlist::{Allowlist, AllowlistError, IpNet, parse_ip};
pub use auth::{AuthorizationMatch, Credential, Scheme, check_authorization, parse_accepted};
pub use client_ip::{ClientIp, ForwardingHeader, ForwardingHeaders, Source, Trust, client_ip};
pub use error::Error;
pub use fixtures::fixture;
pub use ip_lists::{R2Environment, R2IpDocument, belvo_allowlist, r2_allowlist};
pub use providers::belvo::{BelvoWebhook, parse_belvo_webhook, validate_belvo_webhook};
pub use providers::r2::{R2Event, parse_r2_event, validate_r2_event};
pub use providers::{Issue, Options, PayloadError, Report, dedup_key, json_and_dedup_key};
pub use receiver::{
    Accepted, Answer, Authenticity, Body, Delivery, Event, Inspection, Receiver, Refused, Verifier,
};
pub use replay::ReplayWindow;
pub use signature::{
    Encoding, MAX_SECRET_BYTES, MAX_SECRETS, SignatureMatch, SigningKey, sign, verify_signature,
    verify_signature_with,
};

/// The longest header value read, in bytes: `Content-Sha256`, `Authorization`, and a
/// forwarding header a trust mode reads. A longer one is refused whatever it holds
/// ([`Error::SignatureMalformed`], [`Error::AuthorizationMalformed`],
/// [`Error::HeaderMalformed`]), before it is trimmed, split or decoded: no HTTP server passes
/// one (nginx and Apache stop at 8 KiB), and so the npm package copies at most one byte more
/// of any header value, a peer or an address into wasm memory, whatever it was given.
pub const MAX_HEADER_BYTES: usize = 8192;

/// The README's Rust example runs as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
