//! R2's `Content-Sha256` header: HMAC-SHA256 of the raw body, keyed with the partner's
//! `jwtSecret`.
//!
//! R2 documents three encodings of the same 32-byte tag and pads none of them reliably:
//! base64 of the raw tag (the seed's prose), lowercase hex (its `openssl dgst` example),
//! and base64 of the 64-char hex text (the example value on R2's callbacks page, one `=`
//! short). Their lengths differ, so the header's length says which one was sent.

use core::fmt;
use core::str::FromStr;

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;

use crate::Error;
use crate::b64::{self, Alphabet, Padding};

/// The header R2 puts the signature in (HTTP header names are case-insensitive).
pub const HEADER: &str = "content-sha256";

/// Length in bytes of an HMAC-SHA256 tag.
const TAG_LEN: usize = 32;
/// Length of the tag in hex.
const HEX_LEN: usize = 2 * TAG_LEN;
/// Length of unpadded base64 of the 32-byte tag.
const B64_TAG_LEN: usize = 43;
/// Length of unpadded base64 of the 64-char hex text.
const B64_HEX_LEN: usize = 86;

/// How a `Content-Sha256` value encodes the tag.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Encoding {
    /// 64 hex digits, either case: what `openssl dgst -sha256 -hmac` prints.
    Hex,
    /// Standard base64 of the 32 raw bytes (padding optional).
    Base64,
    /// URL-safe base64 of the 32 raw bytes (padding optional).
    Base64Url,
    /// Base64 of the 64-char hex text: R2's own example value. Either alphabet, padding
    /// optional.
    Base64Hex,
}

impl Encoding {
    /// Every encoding, in the order the documents mention them.
    pub const ALL: [Encoding; 4] = [
        Encoding::Base64,
        Encoding::Base64Url,
        Encoding::Hex,
        Encoding::Base64Hex,
    ];

    /// The name used in results and options: `hex`, `base64`, `base64url`, `base64-hex`.
    pub const fn name(self) -> &'static str {
        match self {
            Encoding::Hex => "hex",
            Encoding::Base64 => "base64",
            Encoding::Base64Url => "base64url",
            Encoding::Base64Hex => "base64-hex",
        }
    }
}

impl fmt::Display for Encoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Encoding {
    type Err = Error;

    /// Parses an [`Encoding::name`]; anything else is [`Error::ArgumentInvalid`].
    fn from_str(s: &str) -> Result<Self, Error> {
        Encoding::ALL
            .into_iter()
            .find(|e| e.name() == s)
            .ok_or(Error::ArgumentInvalid)
    }
}

/// A verified signature: which secret matched and how the header was encoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SignatureMatch {
    /// Index into the secrets passed in (rotation: old and new secret side by side).
    pub secret_index: usize,
    /// The encoding the sender used.
    pub encoding: Encoding,
}

/// The longest secret (or Belvo accepted value) taken, in bytes. HMAC hashes a key longer
/// than a block down to 32 bytes, so a longer secret adds nothing: kilobytes of one are a
/// mistake (a file pasted in), and the npm package would copy them into wasm memory.
pub const MAX_SECRET_BYTES: usize = 4096;

/// The most secrets (or Belvo accepted values) one check takes. Each is tried on every
/// delivery, forged ones too, so a longer list multiplies what a forged delivery costs;
/// rotation needs two.
pub const MAX_SECRETS: usize = 16;

/// Whether `count` secrets (or accepted values) may be checked: at least one, at most
/// [`MAX_SECRETS`].
pub(crate) fn secrets_count(count: usize) -> bool {
    (1..=MAX_SECRETS).contains(&count)
}

/// Signs `body` the way R2 does, encoding the tag as asked.
///
/// Hex is lowercase, base64 is padded, base64url is unpadded (as in JWTs), base64-hex is
/// padded standard base64 of the lowercase hex text.
///
/// ```
/// use payhook::{sign, Encoding};
/// let header = sign(b"{}", b"secret", Encoding::Hex).unwrap();
/// assert_eq!(header.len(), 64);
/// ```
pub fn sign(body: &[u8], secret: &[u8], encoding: Encoding) -> Result<String, Error> {
    let tag = mac_tag(&SigningKey::new(secret)?.0, body);
    Ok(match encoding {
        Encoding::Hex => to_hex(&tag),
        Encoding::Base64 => b64::encode(&tag, Alphabet::Standard, true),
        Encoding::Base64Url => b64::encode(&tag, Alphabet::UrlSafe, false),
        Encoding::Base64Hex => b64::encode(to_hex(&tag).as_bytes(), Alphabet::Standard, true),
    })
}

/// Checks a `Content-Sha256` header against the raw body for each secret, in constant time.
///
/// Order of checks: the secrets (a configuration error is reported before anything about
/// the request), then the header's presence and form, then the tag.
///
/// ```
/// use payhook::{sign, verify_signature, Encoding, Error};
/// let body = br#"{"event":{"event_type":"financing_created"}}"#;
/// let header = sign(body, b"new", Encoding::Base64Hex).unwrap();
/// let found = verify_signature(body, &header, &[b"old", b"new"]).unwrap();
/// assert_eq!((found.secret_index, found.encoding), (1, Encoding::Base64Hex));
/// assert_eq!(verify_signature(b"{}", &header, &[b"new"]), Err(Error::SignatureMismatch));
/// ```
pub fn verify_signature<S: AsRef<[u8]>>(
    body: &[u8],
    header: &str,
    secrets: &[S],
) -> Result<SignatureMatch, Error> {
    if !secrets_count(secrets.len()) {
        return Err(Error::SecretInvalid);
    }
    let keys = secrets
        .iter()
        .map(|s| SigningKey::new(s.as_ref()))
        .collect::<Result<Vec<_>, _>>()?;
    verify_signature_with(body, header, &keys)
}

/// [`verify_signature`] with keys made once: what a receiver checking many deliveries uses.
pub fn verify_signature_with(
    body: &[u8],
    header: &str,
    keys: &[SigningKey],
) -> Result<SignatureMatch, Error> {
    if !secrets_count(keys.len()) {
        return Err(Error::SecretInvalid);
    }
    let (tag, encoding) = decode_header(header)?;
    // Every key is tried, so the time taken does not depend on which one matched.
    let mut matched = None;
    for (index, key) in keys.iter().enumerate() {
        let ok = bool::from(mac_tag(&key.0, body).ct_eq(&tag));
        if ok && matched.is_none() {
            matched = Some(index);
        }
    }
    matched
        .map(|secret_index| SignatureMatch {
            secret_index,
            encoding,
        })
        .ok_or(Error::SignatureMismatch)
}

/// A secret with its HMAC key schedule computed once (the key is hashed into the inner and
/// outer pads when made, not on every delivery). `Debug` shows nothing of it.
#[derive(Clone)]
pub struct SigningKey(Hmac<Sha256>);

impl SigningKey {
    /// The key for `secret`; an empty secret is [`Error::SecretInvalid`], never "accept all",
    /// and so is one longer than [`MAX_SECRET_BYTES`].
    pub fn new(secret: &[u8]) -> Result<Self, Error> {
        if secret.is_empty() || secret.len() > MAX_SECRET_BYTES {
            return Err(Error::SecretInvalid);
        }
        Ok(SigningKey(new_mac(secret)))
    }
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SigningKey(<redacted>)")
    }
}

/// Decodes a header value into the 32-byte tag and the encoding it used; one longer than
/// [`MAX_HEADER_BYTES`](crate::MAX_HEADER_BYTES) is malformed, whatever it holds.
pub fn decode_header(header: &str) -> Result<([u8; TAG_LEN], Encoding), Error> {
    if header.len() > crate::MAX_HEADER_BYTES {
        return Err(Error::SignatureMalformed);
    }
    let value = header.trim_matches(HTTP_WHITESPACE);
    if value.is_empty() {
        return Err(Error::SignatureMissing);
    }
    if value.len() == HEX_LEN {
        return from_hex(value.as_bytes())
            .map(|tag| (tag, Encoding::Hex))
            .ok_or(Error::SignatureMalformed);
    }
    let unpadded = value.trim_end_matches('=');
    let padding = value.len() - unpadded.len();
    let url_safe = unpadded.bytes().any(|b| b == b'-' || b == b'_');
    match (unpadded.len(), padding) {
        (B64_TAG_LEN, 0..=1) => {
            let mut tag = [0; TAG_LEN];
            decode_base64(unpadded, url_safe, &mut tag)?;
            let encoding = if url_safe {
                Encoding::Base64Url
            } else {
                Encoding::Base64
            };
            Ok((tag, encoding))
        }
        (B64_HEX_LEN, 0..=2) => {
            let mut hex = [0; HEX_LEN];
            decode_base64(unpadded, url_safe, &mut hex)?;
            let tag = from_hex(&hex).ok_or(Error::SignatureMalformed)?;
            Ok((tag, Encoding::Base64Hex))
        }
        _ => Err(Error::SignatureMalformed),
    }
}

/// HMAC-SHA256 of `message` under `key` (any length, including longer than a block).
pub fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; TAG_LEN] {
    mac_tag(&new_mac(key), message)
}

/// The tag of `message` under a keyed MAC: one out-of-line copy of HMAC's hashing and
/// finalisation for signing and verifying, not one inlined into each.
#[inline(never)]
fn mac_tag(mac: &Hmac<Sha256>, message: &[u8]) -> [u8; TAG_LEN] {
    mac.clone()
        .chain_update(message)
        .finalize()
        .into_bytes()
        .into()
}

#[inline(never)]
fn new_mac(key: &[u8]) -> Hmac<Sha256> {
    // HMAC takes keys of every length (longer ones are hashed first), so `new_from_slice`
    // has no error to return for it; the `Result` exists for fixed-length-key MACs.
    #[allow(clippy::unreachable)]
    <Hmac<Sha256> as KeyInit>::new_from_slice(key).unwrap_or_else(|_| unreachable!())
}

/// Decodes exactly `out.len()` bytes from unpadded base64, rejecting non-canonical input.
fn decode_base64(unpadded: &str, url_safe: bool, out: &mut [u8]) -> Result<(), Error> {
    let alphabet = if url_safe {
        Alphabet::UrlSafe
    } else {
        Alphabet::Standard
    };
    match b64::decode(unpadded.as_bytes(), alphabet, Padding::Refused) {
        Some(bytes) if bytes.len() == out.len() => {
            out.copy_from_slice(&bytes);
            Ok(())
        }
        _ => Err(Error::SignatureMalformed),
    }
}

/// HTTP whitespace, as a pattern: a `[char; 4]`, as the JSON reader's (one instance of the
/// string search, where a function pattern is another).
const HTTP_WHITESPACE: [char; 4] = [' ', '\t', '\r', '\n'];

fn to_hex(bytes: &[u8]) -> String {
    let digit = |n: u8| char::from_digit(u32::from(n), 16).unwrap_or('0');
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(digit(b >> 4));
        out.push(digit(b & 0xf));
    }
    out
}

fn from_hex(hex: &[u8]) -> Option<[u8; TAG_LEN]> {
    fn nibble(c: u8) -> Option<u8> {
        match c {
            b'0'..=b'9' => Some(c - b'0'),
            b'a'..=b'f' => Some(c - b'a' + 10),
            b'A'..=b'F' => Some(c - b'A' + 10),
            _ => None,
        }
    }
    if hex.len() != HEX_LEN {
        return None;
    }
    let mut tag = [0; TAG_LEN];
    for (byte, pair) in tag.iter_mut().zip(hex.chunks_exact(2)) {
        let [high, low] = pair else { return None };
        *byte = nibble(*high)? << 4 | nibble(*low)?;
    }
    Some(tag)
}
