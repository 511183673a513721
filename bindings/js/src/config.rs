//! The typed configuration that crosses into wasm: what the package read from the caller's
//! options, once, in JS (npm/input.js), as JSON text. Here it is decided: every value is
//! checked and turned into the core's types, or refused with a code.
//!
//! Why JSON text and not serde-wasm-bindgen reading a JS object: serde-wasm-bindgen reads
//! through imports that can throw inside wasm (a getter, a revoked Proxy), and an exception
//! that unwinds wasm frames leaks the shadow stack; the memory suite broke an instance that
//! way in 2,200 calls. Text is read by Rust alone, so the binding reads no JS object at all.

use core::time::Duration;

use serde_json::{Map, Value};

use super::Failure;
use payhook::receiver::{Body, Delivery, Verifier};
use payhook::{
    Allowlist, Error, ForwardingHeader, ForwardingHeaders, Options, ReplayWindow, SigningKey, Trust,
};

/// A receiver's (or an inspection's) options, as npm/input.js `receiverConfig` builds them.
#[derive(Default)]
pub struct ReceiverConfig {
    provider: String,
    /// R2: each secret's bytes (strings already UTF-8).
    secrets: Option<Vec<Vec<u8>>>,
    /// Belvo: the accepted `Authorization` values.
    authorization: Option<Vec<String>>,
    /// The allowlist's entries.
    allowlist: Option<Vec<String>>,
    trust: Option<TrustConfig>,
    strict: Option<bool>,
    max_bytes: Option<f64>,
    replay_window_ms: Option<f64>,
}

/// `trust` as given: a name (`'none'`, `'cloudflare'`), or `{ proxies | hops, header? }`.
#[derive(Default)]
pub struct TrustConfig {
    named: Option<String>,
    proxies: Option<Vec<String>>,
    hops: Option<f64>,
    header: Option<String>,
}

/// A configuration read from JSON text the package built. Reading cannot fail unless the
/// package has a bug, and the refusal then echoes nothing (the text may hold a secret).
pub trait Config: Sized {
    /// The value of one member; an unknown one (or a wrong type) is a refusal.
    fn member(&mut self, key: &str, value: Value) -> Option<()>;
}

/// JSON text the package built, as `T` (parsed by the core's JSON parser: the module carries
/// no other). `null` members count as absent.
pub fn read<T: Config + Default>(text: &str) -> Result<T, Failure> {
    let unreadable = || {
        Failure::new(
            Error::ArgumentInvalid,
            "the options could not be read (not echoed)",
        )
    };
    let map = payhook::json::parse_object(text.as_bytes(), usize::MAX).map_err(|_| unreadable())?;
    members(map).ok_or_else(unreadable)
}

fn members<T: Config + Default>(map: Map<String, Value>) -> Option<T> {
    let mut config = T::default();
    for (key, value) in map {
        if !value.is_null() {
            config.member(&key, value)?;
        }
    }
    Some(config)
}

fn string(value: Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s),
        _ => None,
    }
}

fn strings(value: Value) -> Option<Vec<String>> {
    match value {
        Value::Array(items) => items.into_iter().map(string).collect(),
        _ => None,
    }
}

fn bytes(value: Value) -> Option<Vec<u8>> {
    match value {
        Value::Array(items) => items
            .iter()
            .map(|b| b.as_u64().and_then(|b| u8::try_from(b).ok()))
            .collect(),
        _ => None,
    }
}

impl Config for ReceiverConfig {
    fn member(&mut self, key: &str, value: Value) -> Option<()> {
        match key {
            "provider" => self.provider = string(value)?,
            "secrets" => {
                let Value::Array(items) = value else {
                    return None;
                };
                self.secrets = Some(items.into_iter().map(bytes).collect::<Option<_>>()?);
            }
            "authorization" => self.authorization = Some(strings(value)?),
            "allowlist" => self.allowlist = Some(strings(value)?),
            "trust" => match value {
                Value::Object(map) => self.trust = Some(members(map)?),
                _ => return None,
            },
            "strict" => self.strict = Some(value.as_bool()?),
            "maxBytes" => self.max_bytes = Some(value.as_f64()?),
            "replayWindowMs" => self.replay_window_ms = Some(value.as_f64()?),
            _ => return None,
        }
        Some(())
    }
}

impl Config for TrustConfig {
    fn member(&mut self, key: &str, value: Value) -> Option<()> {
        match key {
            "named" => self.named = Some(string(value)?),
            "proxies" => self.proxies = Some(strings(value)?),
            "hops" => self.hops = Some(value.as_f64()?),
            "header" => self.header = Some(string(value)?),
            _ => return None,
        }
        Some(())
    }
}

/// The parts of a configured receiver.
pub struct Parts {
    pub verifier: Verifier,
    pub allowlist: Option<Allowlist>,
    pub trust: Trust,
    pub options: Options,
    pub replay: ReplayWindow,
}

impl ReceiverConfig {
    /// The core's parts. For an inspection, missing secrets are allowed: the report then says
    /// the signature could not be checked.
    pub fn parts(self, inspecting: bool) -> Result<Parts, Failure> {
        let verifier = match (self.provider.as_str(), self.secrets, self.authorization) {
            ("r2", None, _) if inspecting => Verifier::R2Signature(Vec::new()),
            ("r2", Some(secrets), _) if inspecting && secrets.is_empty() => {
                Verifier::R2Signature(Vec::new())
            }
            ("r2", secrets, _) => Verifier::R2Signature(signing_keys(secrets.as_deref())?),
            ("belvo", _, Some(values)) => Verifier::BelvoAuthorization(accepted(&values)?),
            ("belvo", _, None) => Verifier::BelvoUnauthenticated,
            _ => {
                return Err(Failure::new(
                    Error::ArgumentInvalid,
                    "the provider must be 'r2' or 'belvo'",
                ));
            }
        };
        let allowlist = self
            .allowlist
            .map(|entries| {
                Allowlist::parse(&entries).map_err(|e| Failure::from(e).under("/allowlist"))
            })
            .transpose()?;
        Ok(Parts {
            verifier,
            allowlist,
            trust: trust(self.trust)?,
            options: payload_options(self.strict, self.max_bytes)?,
            replay: replay_window(self.replay_window_ms)?,
        })
    }
}

/// R2 secrets: at least one, none empty.
pub fn signing_keys<S: AsRef<[u8]>>(secrets: Option<&[S]>) -> Result<Vec<SigningKey>, Failure> {
    match secrets {
        None => Err(Failure::new(Error::SecretInvalid, "secrets is missing")),
        Some([]) => Err(Failure::new(
            Error::SecretInvalid,
            "secrets is an empty list",
        )),
        Some(list) => list
            .iter()
            .enumerate()
            .map(|(i, secret)| {
                SigningKey::new(secret.as_ref())
                    .map_err(|e| Failure::new(e, format!("secrets[{i}] is empty")))
            })
            .collect(),
    }
}

/// Belvo's accepted `Authorization` values.
pub fn accepted(values: &[String]) -> Result<Vec<payhook::Credential>, Failure> {
    payhook::parse_accepted(values).map_err(|e| {
        Failure::new(
            e,
            "each authorization value must be \"Bearer <token>\" or \"Basic <base64 of user:password>\"",
        )
    })
}

/// `trust`; absent is `'none'`.
pub fn trust(config: Option<TrustConfig>) -> Result<Trust, Failure> {
    let wrong = |why: &str| Failure::new(Error::ArgumentInvalid, why);
    let Some(config) = config else {
        return Ok(Trust::None);
    };
    let header = match config.header.as_deref() {
        None => ForwardingHeader::XForwardedFor,
        Some(name) => ForwardingHeader::from_name(name).ok_or_else(|| {
            wrong("unknown trust.header; use 'x-forwarded-for', 'forwarded' or 'cf-connecting-ip'")
        })?,
    };
    match (config.named.as_deref(), config.proxies, config.hops) {
        (Some("none"), None, None) if config.header.is_none() => Ok(Trust::None),
        (Some("cloudflare"), None, None) if config.header.is_none() => Ok(Trust::Cloudflare),
        (Some(_), None, None) => Err(wrong(
            "unknown trust (not echoed, in case it is a secret put in the wrong option); use 'none', 'cloudflare', { proxies } or { hops }",
        )),
        (None, Some(entries), None) => Ok(Trust::Proxies {
            proxies: Allowlist::parse(&entries)
                .map_err(|e| Failure::from(e).under("/trust/proxies"))?,
            header,
        }),
        (None, None, Some(n)) if n.fract() == 0.0 && (0.0..=255.0).contains(&n) => {
            Ok(Trust::Hops {
                hops: n as u32,
                header,
            })
        }
        _ => Err(wrong(
            "trust needs exactly one of proxies (addresses) or hops (an integer from 0 to 255)",
        )),
    }
}

/// `{ strict, maxBytes }`, both optional.
pub fn payload_options(strict: Option<bool>, max_bytes: Option<f64>) -> Result<Options, Failure> {
    let mut options = Options::default();
    if let Some(strict) = strict {
        options.strict = strict;
    }
    match max_bytes {
        None => {}
        Some(n) if n.fract() == 0.0 && (0.0..=1e9).contains(&n) => options.max_bytes = n as usize,
        Some(_) => {
            return Err(Failure::new(
                Error::ArgumentInvalid,
                "options.maxBytes must be a whole number of bytes",
            ));
        }
    }
    Ok(options)
}

/// `replayWindowMs` (absent: the default). A value that cannot be a window is refused, never
/// replaced by the default.
pub fn replay_window(ms: Option<f64>) -> Result<ReplayWindow, Failure> {
    let Some(ms) = ms else {
        return Ok(ReplayWindow::default());
    };
    let wrong = || {
        Failure::new(
            Error::ArgumentInvalid,
            "replayWindowMs must be a whole number of milliseconds from R2's retry window (30 h 23 min 30 s) to 90 days",
        )
    };
    if ms.fract() != 0.0 || !(0.0..=1e13).contains(&ms) {
        return Err(wrong());
    }
    ReplayWindow::new(Duration::from_millis(ms as u64)).map_err(|_| wrong())
}

/// A JS time (milliseconds since the epoch) as a duration; before the epoch or not a number
/// is the epoch itself, where every R2 event is stale.
pub fn since_epoch(now: f64) -> Duration {
    if now.is_finite() && now > 0.0 {
        Duration::from_millis(now as u64)
    } else {
        Duration::ZERO
    }
}

/// The request headers the core reads, in the order npm/input.js `headerValues` gives them:
/// Content-Sha256, Authorization, CF-Connecting-IP, X-Forwarded-For, Forwarded.
pub type Headers = [Option<String>; 5];

/// One delivery as the package read it: the body (the bytes, or when `oversized` is
/// non-zero the size of one it did not copy), the headers, the peer's address (`''`: given
/// without one; `None`: no socket), `now` in milliseconds since the epoch.
pub fn delivery<'a>(
    bytes: &'a [u8],
    oversized: f64,
    headers: &'a Headers,
    peer: Option<&'a str>,
    now: f64,
) -> Delivery<'a> {
    let [
        signature,
        authorization,
        cf_connecting_ip,
        x_forwarded_for,
        forwarded,
    ] = headers;
    Delivery {
        body: if oversized > 0.0 {
            Body::Oversized(oversized as u64)
        } else {
            Body::Bytes(bytes)
        },
        signature: signature.as_deref(),
        authorization: authorization.as_deref(),
        forwarding: ForwardingHeaders {
            cf_connecting_ip: cf_connecting_ip.as_deref(),
            x_forwarded_for: x_forwarded_for.as_deref(),
            forwarded: forwarded.as_deref(),
        },
        peer,
        received_at: since_epoch(now),
    }
}
