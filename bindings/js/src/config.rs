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
    Allowlist, Error, ForwardingHeader, ForwardingHeaders, MAX_SECRET_BYTES, MAX_SECRETS, Options,
    ReplayWindow, SigningKey, Trust,
};

type Object = Map<String, Value>;

/// JSON text the package built, as an object (parsed by the core's JSON parser: the module
/// carries no other). Reading cannot fail unless the package has a bug, and the refusal then
/// echoes nothing (the text may hold a secret).
fn object(text: &str) -> Result<Object, Failure> {
    payhook::json::parse_object(text.as_bytes(), usize::MAX).map_err(|_| unreadable())
}

fn unreadable() -> Failure {
    Failure::new(
        Error::ArgumentInvalid,
        "the options could not be read (not echoed)",
    )
}

/// The members named `keys`, each `None` when absent or `null`; any other member is a
/// refusal.
fn members<'a, const N: usize>(
    map: &'a Object,
    keys: [&str; N],
) -> Result<[Option<&'a Value>; N], Failure> {
    let mut found = [None; N];
    fill(map, &keys, &mut found)?;
    Ok(found)
}

fn fill<'a>(
    map: &'a Object,
    keys: &[&str],
    found: &mut [Option<&'a Value>],
) -> Result<(), Failure> {
    for (key, value) in map {
        if value.is_null() {
            continue;
        }
        let slot = keys.iter().position(|k| k == key);
        *slot.and_then(|i| found.get_mut(i)).ok_or_else(unreadable)? = Some(value);
    }
    Ok(())
}

/// A member read as `T`; one of the wrong type is a refusal.
fn typed<'a, T>(
    value: Option<&'a Value>,
    read: impl FnOnce(&'a Value) -> Option<T>,
) -> Result<Option<T>, Failure> {
    value.map(|v| read(v).ok_or_else(unreadable)).transpose()
}

// The lists are read in plain loops: an `Option`-collecting iterator is a generic instance
// (a `GenericShunt`) of its own for each.

fn strings(value: &Value) -> Option<Vec<String>> {
    let items = value.as_array()?;
    let mut strings = Vec::with_capacity(items.len());
    for item in items {
        strings.push(item.as_str()?.to_owned());
    }
    Some(strings)
}

fn bytes(value: &Value) -> Option<Vec<u8>> {
    let items = value.as_array()?;
    let mut bytes = Vec::with_capacity(items.len());
    for item in items {
        bytes.push(u8::try_from(item.as_u64()?).ok()?);
    }
    Some(bytes)
}

fn byte_strings(value: &Value) -> Option<Vec<Vec<u8>>> {
    let items = value.as_array()?;
    let mut lists = Vec::with_capacity(items.len());
    for item in items {
        lists.push(bytes(item)?);
    }
    Some(lists)
}

/// `trust` as given: a name (`'none'`, `'cloudflare'`), or `{ proxies | hops, header? }`.
pub struct TrustConfig<'a> {
    named: Option<&'a str>,
    proxies: Option<Vec<String>>,
    hops: Option<f64>,
    header: Option<&'a str>,
}

impl<'a> TrustConfig<'a> {
    fn read(map: &'a Object) -> Result<Self, Failure> {
        let [named, proxies, hops, header] = members(map, ["named", "proxies", "hops", "header"])?;
        Ok(TrustConfig {
            named: typed(named, Value::as_str)?,
            proxies: typed(proxies, strings)?,
            hops: typed(hops, Value::as_f64)?,
            header: typed(header, Value::as_str)?,
        })
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

/// A receiver's (or an inspection's) options, as npm/input.js `receiverConfig` builds them,
/// as JSON text: every value is read (an unknown member or a wrong type is a refusal that
/// echoes nothing), then checked and turned into the core's parts. For an inspection,
/// missing secrets are allowed: the report then says the signature could not be checked.
pub fn parts(text: &str, inspecting: bool) -> Result<Parts, Failure> {
    let map = object(text)?;
    let [
        provider,
        secrets,
        authorization,
        allowlist,
        trust,
        strict,
        max_bytes,
        replay_window_ms,
    ] = members(
        &map,
        [
            "provider",
            "secrets",
            "authorization",
            "allowlist",
            "trust",
            "strict",
            "maxBytes",
            "replayWindowMs",
        ],
    )?;
    let provider = typed(provider, Value::as_str)?;
    let secrets = typed(secrets, byte_strings)?;
    let authorization = typed(authorization, strings)?;
    let allowlist = typed(allowlist, strings)?;
    let trust = typed(trust, Value::as_object)?
        .map(TrustConfig::read)
        .transpose()?;
    let strict = typed(strict, Value::as_bool)?;
    let max_bytes = typed(max_bytes, Value::as_f64)?;
    let replay_window_ms = typed(replay_window_ms, Value::as_f64)?;

    let verifier = match (provider.unwrap_or_default(), secrets, authorization) {
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
    let allowlist = allowlist
        .map(|entries| Allowlist::parse(&entries).map_err(|e| Failure::from(e).under("/allowlist")))
        .transpose()?;
    Ok(Parts {
        verifier,
        allowlist,
        trust: trust_of(trust)?,
        options: payload_options(strict, max_bytes)?,
        replay: replay_window(replay_window_ms)?,
    })
}

/// `trust` given as JSON text (absent: `'none'`), as `clientIp` takes it.
#[cfg(feature = "receiving")]
pub fn trust(text: Option<&str>) -> Result<Trust, Failure> {
    let map = text.map(object).transpose()?;
    trust_of(map.as_ref().map(TrustConfig::read).transpose()?)
}

/// R2 secrets: at least one and at most `MAX_SECRETS`, none empty or longer than
/// `MAX_SECRET_BYTES`.
pub fn signing_keys<S: AsRef<[u8]>>(secrets: Option<&[S]>) -> Result<Vec<SigningKey>, Failure> {
    let secrets =
        secrets.ok_or_else(|| Failure::new(Error::SecretInvalid, "secrets is missing"))?;
    within_count("secrets", secrets.len())?;
    // A plain loop: a `Result`-collecting iterator is a generic instance of its own.
    let mut keys = Vec::with_capacity(secrets.len());
    for (i, secret) in secrets.iter().enumerate() {
        let secret = secret.as_ref();
        keys.push(SigningKey::new(secret).map_err(|e| {
            let why = match secret.len() {
                0 => "is empty".to_owned(),
                _ => format!("is longer than {MAX_SECRET_BYTES} bytes"),
            };
            Failure::new(e, format!("secrets[{i}] {why}"))
        })?);
    }
    Ok(keys)
}

/// A list of `count` secrets or accepted values: at least one, at most `MAX_SECRETS`.
fn within_count(what: &str, count: usize) -> Result<(), Failure> {
    match count {
        0 => Err(Failure::new(
            Error::SecretInvalid,
            format!("{what}: none given"),
        )),
        n if n > MAX_SECRETS => Err(Failure::new(
            Error::SecretInvalid,
            format!("{what}: {n} given, more than the {MAX_SECRETS} a check takes"),
        )),
        _ => Ok(()),
    }
}

/// `joined` cut into pieces of `lengths` bytes, which must account for every byte.
#[cfg(feature = "receiving")]
pub fn split<'a>(mut joined: &'a [u8], lengths: &[u32]) -> Result<Vec<&'a [u8]>, Failure> {
    let mut pieces = Vec::with_capacity(lengths.len());
    for &length in lengths {
        let Some((piece, rest)) = joined.split_at_checked(length as usize) else {
            return Err(unreadable());
        };
        pieces.push(piece);
        joined = rest;
    }
    if !joined.is_empty() {
        return Err(unreadable());
    }
    Ok(pieces)
}

/// Belvo's accepted `Authorization` values.
pub fn accepted(values: &[String]) -> Result<Vec<payhook::Credential>, Failure> {
    within_count("accepted Authorization values", values.len())?;
    if let Some(i) = values.iter().position(|v| v.len() > MAX_SECRET_BYTES) {
        return Err(Failure::new(
            Error::SecretInvalid,
            format!("accepted Authorization value {i} is longer than {MAX_SECRET_BYTES} bytes"),
        ));
    }
    payhook::parse_accepted(values).map_err(|e| {
        Failure::new(
            e,
            "each authorization value must be \"Bearer <token>\" or \"Basic <base64 of user:password>\"",
        )
    })
}

/// `trust`; absent is `'none'`.
fn trust_of(config: Option<TrustConfig>) -> Result<Trust, Failure> {
    let wrong = |why: &'static str| Failure::new(Error::ArgumentInvalid, why);
    let Some(config) = config else {
        return Ok(Trust::None);
    };
    let header = match config.header {
        None => ForwardingHeader::XForwardedFor,
        Some(name) => ForwardingHeader::from_name(name).ok_or_else(|| {
            wrong("unknown trust.header; use 'x-forwarded-for', 'forwarded' or 'cf-connecting-ip'")
        })?,
    };
    match (config.named, config.proxies, config.hops) {
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

/// The largest body the package reads at all (32 MiB): the most `maxBytes` may be, and the
/// limit of `signR2` and `verifyR2Signature`, which take no `maxBytes`. Wasm memory ends at
/// 4 GiB, and reading a payload takes up to about 45 times its size (measured: 1.6 GB for
/// 64 MiB of `[0,0,…]`; strict, 1.5 GB for 34 MB of unknown members): a 960 MB body under
/// the former limit of 1e9 ran it out and trapped.
pub const MAX_BODY_BYTES: f64 = 33_554_432.0;

/// `{ strict, maxBytes }`, both optional.
pub fn payload_options(strict: Option<bool>, max_bytes: Option<f64>) -> Result<Options, Failure> {
    let mut options = Options::default();
    if let Some(strict) = strict {
        options.strict = strict;
    }
    match max_bytes {
        None => {}
        Some(n) if n.fract() == 0.0 && (0.0..=MAX_BODY_BYTES).contains(&n) => {
            options.max_bytes = n as usize
        }
        Some(_) => {
            return Err(Failure::new(
                Error::ArgumentInvalid,
                "options.maxBytes must be a whole number of bytes, at most 32 MiB (33554432)",
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
