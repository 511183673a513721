//! Belvo's `Authorization` header: a static value the user registered with the webhook,
//! `Bearer <token>` or `Basic base64(user:password)`. Belvo signs nothing, so this header is
//! the only proof that a delivery came from Belvo.
//!
//! Credentials are kept and compared as SHA-256 digests: fixed-length values compare in
//! constant time without leaking the token's length, and a `Debug` print shows nothing
//! usable.

use core::fmt;
use core::str::FromStr;

use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::Error;
use crate::b64::{self, Alphabet, Padding};
use crate::client_ip::same_ignoring_case;
use crate::signature::{MAX_SECRET_BYTES, secrets_count};

/// The header Belvo sends the credential in.
pub const HEADER: &str = "authorization";

/// The HTTP authentication scheme of a credential.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Scheme {
    /// `Bearer <token>` (RFC 6750).
    Bearer,
    /// `Basic base64(user:password)` (RFC 7617).
    Basic,
}

impl Scheme {
    /// `bearer` or `basic`.
    pub const fn name(self) -> &'static str {
        match self {
            Scheme::Bearer => "bearer",
            Scheme::Basic => "basic",
        }
    }
}

type Digest32 = [u8; 32];

/// SHA-256 of no bytes: the digest of an empty Basic user or password, known without hashing
/// on every request.
const EMPTY_DIGEST: Digest32 = [
    0xe3, 0xb0, 0xc4, 0x42, 0x98, 0xfc, 0x1c, 0x14, 0x9a, 0xfb, 0xf4, 0xc8, 0x99, 0x6f, 0xb9, 0x24,
    0x27, 0xae, 0x41, 0xe4, 0x64, 0x9b, 0x93, 0x4c, 0xa4, 0x95, 0x99, 0x1b, 0x78, 0x52, 0xb8, 0x55,
];

/// One `Authorization` value: what the user registered with Belvo, or what a request sent.
///
/// Parse it with [`str::parse`]. Only digests are kept, and `Debug` prints the scheme alone.
#[derive(Clone, PartialEq, Eq)]
pub struct Credential(Secret);

#[derive(Clone, PartialEq, Eq)]
enum Secret {
    Bearer(Digest32),
    Basic {
        user: Digest32,
        password: Digest32,
    },
    /// A well-formed header with a scheme we do not accept (`Digest …`, `Token …`).
    Other,
}

impl Credential {
    /// The scheme, or `None` for a scheme other than Bearer and Basic.
    pub fn scheme(&self) -> Option<Scheme> {
        match self.0 {
            Secret::Bearer(_) => Some(Scheme::Bearer),
            Secret::Basic { .. } => Some(Scheme::Basic),
            Secret::Other => None,
        }
    }

    /// Whether this can be an accepted value: a Bearer or Basic credential holding some
    /// secret. A Bearer token is never empty (the parser refuses one), but `Basic Og==`
    /// decodes to `:`, an empty user and password: registered, it would accept anyone who
    /// sends those eight characters. One empty half is fine, as the other holds the secret:
    /// an API key as the user without a password (`curl -u key:`) and a token as the
    /// password without a user (`-u :token`) are both common.
    fn can_be_accepted(&self) -> bool {
        match &self.0 {
            Secret::Bearer(_) => true,
            Secret::Basic { user, password } => {
                !bool::from(user.ct_eq(&EMPTY_DIGEST) & password.ct_eq(&EMPTY_DIGEST))
            }
            Secret::Other => false,
        }
    }

    /// Whether two credentials are the same, in time independent of their contents.
    fn ct_matches(&self, other: &Credential) -> bool {
        match (&self.0, &other.0) {
            (Secret::Bearer(a), Secret::Bearer(b)) => bool::from(a.ct_eq(b)),
            (
                Secret::Basic {
                    user: u1,
                    password: p1,
                },
                Secret::Basic {
                    user: u2,
                    password: p2,
                },
            ) => {
                // `&`, not `&&`: both halves are always compared.
                bool::from(u1.ct_eq(u2) & p1.ct_eq(p2))
            }
            _ => false,
        }
    }
}

impl fmt::Debug for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let scheme = self.scheme().map_or("other", Scheme::name);
        write!(f, "Credential({scheme}, <redacted>)")
    }
}

impl FromStr for Credential {
    type Err = Error;

    /// Parses `<scheme> 1*(SP / HTAB) <credentials>`; surrounding whitespace is ignored and
    /// the scheme name is case-insensitive. A failure is [`Error::AuthorizationMalformed`].
    fn from_str(value: &str) -> Result<Self, Error> {
        let value = value.trim_matches(WHITESPACE);
        let (scheme, rest) = value
            .split_once(WHITESPACE)
            .ok_or(Error::AuthorizationMalformed)?;
        let token = rest.trim_start_matches(WHITESPACE);
        if !is_token(scheme) || token.is_empty() || !token.bytes().all(is_visible) {
            return Err(Error::AuthorizationMalformed);
        }
        let secret = if same_ignoring_case(scheme, "bearer") {
            Secret::Bearer(sha256(token.as_bytes()))
        } else if same_ignoring_case(scheme, "basic") {
            basic(token)?
        } else {
            Secret::Other
        };
        Ok(Credential(secret))
    }
}

/// Which accepted value an `Authorization` header matched.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AuthorizationMatch {
    /// Index into the accepted values (rotation: old and new side by side).
    pub accepted_index: usize,
    /// The scheme the header used.
    pub scheme: Scheme,
}

/// Parses the accepted values once, for a receiver that checks many requests.
///
/// An empty list, a value that is not a Bearer or Basic credential, or a Basic value with
/// neither user nor password (`Basic Og==`) is [`Error::SecretInvalid`]: a configuration
/// error, never "accept everything". So are more than [`MAX_SECRETS`](crate::MAX_SECRETS) values and a value
/// longer than [`MAX_SECRET_BYTES`].
pub fn parse_accepted<S: AsRef<str>>(accepted: &[S]) -> Result<Vec<Credential>, Error> {
    if !secrets_count(accepted.len()) {
        return Err(Error::SecretInvalid);
    }
    // A plain loop: a `Result`-collecting iterator is a generic instance of its own.
    let mut credentials = Vec::with_capacity(accepted.len());
    for value in accepted {
        if value.as_ref().len() > MAX_SECRET_BYTES {
            return Err(Error::SecretInvalid);
        }
        match value.as_ref().parse::<Credential>() {
            Ok(c) if c.can_be_accepted() => credentials.push(c),
            _ => return Err(Error::SecretInvalid),
        }
    }
    Ok(credentials)
}

/// Checks an `Authorization` header against the accepted credentials, in constant time.
///
/// ```
/// use payhook::{check_authorization, parse_accepted, Error, Scheme};
/// let accepted = parse_accepted(&["Bearer old-token", "Basic YmVsdm86czNjcjN0"]).unwrap();
/// let found = check_authorization("basic YmVsdm86czNjcjN0", &accepted).unwrap();
/// assert_eq!((found.accepted_index, found.scheme), (1, Scheme::Basic));
/// assert_eq!(check_authorization("Bearer guess", &accepted), Err(Error::AuthorizationMismatch));
/// ```
pub fn check_authorization(
    header: &str,
    accepted: &[Credential],
) -> Result<AuthorizationMatch, Error> {
    // Credentials parsed with `str::parse` rather than `parse_accepted` are held to the same
    // rules.
    if !secrets_count(accepted.len()) || !accepted.iter().all(Credential::can_be_accepted) {
        return Err(Error::SecretInvalid);
    }
    // Longer than any header a server passes: malformed, whatever it holds.
    if header.len() > crate::MAX_HEADER_BYTES {
        return Err(Error::AuthorizationMalformed);
    }
    if header.trim_matches(WHITESPACE).is_empty() {
        return Err(Error::AuthorizationMissing);
    }
    let sent: Credential = header.parse()?;
    // Every accepted value is compared, so the time taken does not say which one matched.
    let mut matched = None;
    for (index, candidate) in accepted.iter().enumerate() {
        if candidate.ct_matches(&sent) && matched.is_none() {
            matched = Some(index);
        }
    }
    match (matched, sent.scheme()) {
        (Some(accepted_index), Some(scheme)) => Ok(AuthorizationMatch {
            accepted_index,
            scheme,
        }),
        _ => Err(Error::AuthorizationMismatch),
    }
}

/// Decodes `base64(user:password)`; the user is everything before the first `:` (RFC 7617:
/// a user-id cannot contain one), the password everything after, colons included.
fn basic(token: &str) -> Result<Secret, Error> {
    let decoded = b64::decode(token.as_bytes(), Alphabet::Standard, Padding::Optional)
        .ok_or(Error::AuthorizationMalformed)?;
    let colon = decoded
        .iter()
        .position(|&b| b == b':')
        .ok_or(Error::AuthorizationMalformed)?;
    let (user, rest) = decoded.split_at(colon);
    let password = rest
        .split_first()
        .map_or(&[][..], |(_colon, password)| password);
    Ok(Secret::Basic {
        user: sha256(user),
        password: sha256(password),
    })
}

/// SHA-256 of `bytes`: the one instance of the hash's one-call form (credentials).
pub(crate) fn sha256(bytes: &[u8]) -> Digest32 {
    sha256_of(&[bytes])
}

/// SHA-256 of `parts` one after the other, without joining them first (a dedup key hashes
/// `{` and then most of a payload's text).
#[inline(never)]
pub(crate) fn sha256_of(parts: &[&[u8]]) -> Digest32 {
    let mut hash = Sha256::new();
    for part in parts {
        hash.update(part);
    }
    hash.finalize().into()
}

/// Space and tab, as a pattern: the same `[char; 2]` as the forwarding headers' (one
/// instance of each string search, where a function pattern is another).
const WHITESPACE: [char; 2] = [' ', '\t'];

/// RFC 9110 `token` characters, for the scheme name.
fn is_token(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// Visible ASCII (VCHAR): the credential may hold any of it, but no space, control or
/// non-ASCII byte.
fn is_visible(b: u8) -> bool {
    (0x21..=0x7e).contains(&b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_empty_digest_is_sha256_of_nothing() {
        assert_eq!(EMPTY_DIGEST, sha256(b""));
    }
}
