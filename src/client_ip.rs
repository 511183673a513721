//! The client's address, resolved without IO from the socket peer, the forwarding headers
//! and what the receiver says it trusts.
//!
//! Forwarding headers are written by whoever sends the request, so they are only believed
//! as far as trusted proxies vouch for them. `X-Forwarded-For` and `Forwarded` are read from
//! the right: the rightmost entry was added by the proxy nearest to us, and everything left
//! of the first address we do not trust may be forged. Entries left of the client are never
//! examined, so garbage there cannot change the verdict. Garbage at a position that must be
//! read is [`Error::HeaderMalformed`]; an `unknown` or obfuscated hop there is
//! [`Error::IpUnknown`]. Neither ever lets a request through.

use std::net::IpAddr;
use std::sync::OnceLock;

use crate::Error;
use crate::allowlist::{Allowlist, parse_ip};
use crate::ip_lists::cloudflare_allowlist;

/// What the receiver trusts to tell it the client's address.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub enum Trust {
    /// Nothing: the socket peer is the client, and forwarding headers are ignored (anyone
    /// can send them). The default.
    #[default]
    None,
    /// Cloudflare: `CF-Connecting-IP` is believed when the peer is one of Cloudflare's edge
    /// ranges, or when there is no peer (Workers, where Cloudflare is the runtime). A peer
    /// outside those ranges reached the origin directly and is itself the client.
    Cloudflare,
    /// Proxies at these addresses: walk `header` from the right, skipping trusted proxies,
    /// and stop at the first address that is not one.
    Proxies {
        /// The proxies' addresses.
        proxies: Allowlist,
        /// The header they write.
        header: ForwardingHeader,
    },
    /// Exactly this many proxies in front: the client is the `hops`-th entry of `header`
    /// from the right (or its leftmost, when it has fewer).
    Hops {
        /// How many proxies stand between the client and this receiver.
        hops: u32,
        /// The header they write.
        header: ForwardingHeader,
    },
}

/// A header that carries the client's address.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum ForwardingHeader {
    /// `X-Forwarded-For: client, proxy1, proxy2`: what nginx, ELB and most proxies write.
    #[default]
    XForwardedFor,
    /// RFC 7239 `Forwarded: for=client;proto=https, for="[2001:db8::1]:443"`.
    Forwarded,
    /// `CF-Connecting-IP`: one address (Cloudflare, or a tunnel daemon on loopback).
    CfConnectingIp,
}

impl ForwardingHeader {
    /// The header's name, lowercase.
    pub const fn name(self) -> &'static str {
        match self {
            ForwardingHeader::XForwardedFor => "x-forwarded-for",
            ForwardingHeader::Forwarded => "forwarded",
            ForwardingHeader::CfConnectingIp => "cf-connecting-ip",
        }
    }

    /// Parses [`ForwardingHeader::name`], ignoring case.
    pub fn from_name(name: &str) -> Option<Self> {
        [
            ForwardingHeader::XForwardedFor,
            ForwardingHeader::Forwarded,
            ForwardingHeader::CfConnectingIp,
        ]
        .into_iter()
        .find(|h| same_ignoring_case(h.name(), name))
    }
}

/// `eq_ignore_ascii_case` out of line: compared with a constant, it is unrolled into every
/// caller (1.6 KB of wasm for the three header names).
#[inline(never)]
pub(crate) fn same_ignoring_case(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
}

/// The forwarding headers of one request, `None` where absent. Several lines of one header
/// are joined with `, ` in order first, as HTTP folds them.
#[derive(Clone, Copy, Debug, Default)]
pub struct ForwardingHeaders<'a> {
    /// `CF-Connecting-IP`.
    pub cf_connecting_ip: Option<&'a str>,
    /// `X-Forwarded-For`.
    pub x_forwarded_for: Option<&'a str>,
    /// `Forwarded`.
    pub forwarded: Option<&'a str>,
}

impl<'a> ForwardingHeaders<'a> {
    fn get(&self, header: ForwardingHeader) -> Option<&'a str> {
        match header {
            ForwardingHeader::XForwardedFor => self.x_forwarded_for,
            ForwardingHeader::Forwarded => self.forwarded,
            ForwardingHeader::CfConnectingIp => self.cf_connecting_ip,
        }
    }
}

/// Where the client's address was read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// The socket peer.
    Peer,
    /// A forwarding header.
    Header(ForwardingHeader),
}

impl Source {
    /// `peer`, or the header's name.
    pub const fn name(self) -> &'static str {
        match self {
            Source::Peer => "peer",
            Source::Header(header) => header.name(),
        }
    }
}

/// The client's address and where it came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientIp {
    /// The address, IPv4-mapped IPv6 read as IPv4.
    pub ip: IpAddr,
    /// Where it was read.
    pub source: Source,
}

/// Resolves the client's address. `peer` is the socket's remote address as the runtime
/// reports it: `None` only where the runtime has no socket (Workers), and `Some("")` for a
/// peer that exists but has no address (a connection reset before it was read). The second
/// is [`Error::IpUnknown`] under every trust: a header is never believed because the socket
/// that carried it went away.
///
/// ```
/// use payhook::{client_ip, Allowlist, ForwardingHeader, ForwardingHeaders, Trust};
/// let trust = Trust::Proxies { proxies: Allowlist::parse(&["10.0.0.0/8"]).unwrap(), header: ForwardingHeader::XForwardedFor };
/// let headers = ForwardingHeaders { x_forwarded_for: Some("6.6.6.6, 3.130.254.46, 10.0.0.7"), ..Default::default() };
/// let found = client_ip(Some("::ffff:10.0.0.2"), &headers, &trust).unwrap();
/// assert_eq!(found.ip.to_string(), "3.130.254.46"); // the forged 6.6.6.6 is never reached
/// ```
pub fn client_ip(
    peer: Option<&str>,
    headers: &ForwardingHeaders,
    trust: &Trust,
) -> Result<ClientIp, Error> {
    let peer = match peer {
        Some("") => return Err(Error::IpUnknown),
        peer => peer.map(parse_ip).transpose()?,
    };
    let from_peer = |ip| ClientIp {
        ip,
        source: Source::Peer,
    };
    match trust {
        Trust::None => peer.map(from_peer).ok_or(Error::IpUnknown),
        Trust::Cloudflare => {
            static CLOUDFLARE: OnceLock<Allowlist> = OnceLock::new();
            match peer {
                Some(ip) if !CLOUDFLARE.get_or_init(cloudflare_allowlist).contains(ip) => {
                    Ok(from_peer(ip))
                }
                _ => {
                    let header = ForwardingHeader::CfConnectingIp;
                    let mut hops = Hops::new(headers.get(header), header)?;
                    match hops.next_back() {
                        Some(hop) => Ok(ClientIp {
                            ip: hop?,
                            source: Source::Header(header),
                        }),
                        None => Err(Error::IpUnknown),
                    }
                }
            }
        }
        Trust::Proxies { proxies, header } => {
            let mut client = peer.map(from_peer).ok_or(Error::IpUnknown)?;
            let mut hops = Hops::new(headers.get(*header), *header)?;
            while proxies.contains(client.ip) {
                match hops.next_back() {
                    Some(hop) => {
                        client = ClientIp {
                            ip: hop?,
                            source: Source::Header(*header),
                        }
                    }
                    // Every hop is a trusted proxy: the farthest one is all we know.
                    None => break,
                }
            }
            Ok(client)
        }
        Trust::Hops {
            hops: count,
            header,
        } => {
            let mut client = peer.map(from_peer);
            let mut hops = Hops::new(headers.get(*header), *header)?;
            for _ in 0..*count {
                match hops.next_back() {
                    Some(hop) => {
                        client = Some(ClientIp {
                            ip: hop?,
                            source: Source::Header(*header),
                        })
                    }
                    None => break,
                }
            }
            client.ok_or(Error::IpUnknown)
        }
    }
}

/// The entries of a forwarding header, read from the right, each parsed only when reached.
struct Hops<'a> {
    entries: Vec<&'a str>,
    header: ForwardingHeader,
}

impl<'a> Hops<'a> {
    fn new(value: Option<&'a str>, header: ForwardingHeader) -> Result<Self, Error> {
        let entries = match (value, header) {
            (None, _) => Vec::new(),
            // Longer than any header a server passes (and so never split into entries).
            (Some(v), _) if v.len() > crate::MAX_HEADER_BYTES => {
                return Err(Error::HeaderMalformed);
            }
            (Some(v), ForwardingHeader::Forwarded) => split_outside_quotes(v, ',')?,
            (Some(v), ForwardingHeader::CfConnectingIp) if v.contains(',') => {
                return Err(Error::HeaderMalformed);
            }
            (Some(v), _) => v.split(',').collect(),
        };
        Ok(Hops { entries, header })
    }

    /// The next address leftwards, `None` when the header is exhausted.
    fn next_back(&mut self) -> Option<Result<IpAddr, Error>> {
        let entry = self.entries.pop()?;
        let node = match self.header {
            ForwardingHeader::Forwarded => forwarded_for(entry),
            _ => Ok(entry),
        };
        Some(node.and_then(|n| parse_node(n, self.header == ForwardingHeader::Forwarded)))
    }
}

/// One node: `a.b.c.d`, `a.b.c.d:port`, `[v6]`, `[v6]:port`, a bare IPv6 address, or
/// `unknown` (and, in `Forwarded`, an obfuscated `_name`).
fn parse_node(node: &str, forwarded: bool) -> Result<IpAddr, Error> {
    let node = node.trim_matches([' ', '\t']);
    if node.eq_ignore_ascii_case("unknown") || (forwarded && node.starts_with('_')) {
        return Err(Error::IpUnknown);
    }
    let host = if let Some(rest) = node.strip_prefix('[') {
        let (host, after) = rest.split_once(']').ok_or(Error::HeaderMalformed)?;
        if !(after.is_empty()
            || after
                .strip_prefix(':')
                .is_some_and(|p| is_port(p, forwarded)))
        {
            return Err(Error::HeaderMalformed);
        }
        if !host.contains(':') {
            return Err(Error::HeaderMalformed);
        }
        host
    } else {
        match node.split_once(':') {
            // One colon: IPv4 with a port. More: a bare IPv6 address.
            Some((host, port)) if !port.contains(':') => {
                if !is_port(port, forwarded) {
                    return Err(Error::HeaderMalformed);
                }
                host
            }
            _ => node,
        }
    };
    parse_ip(host).map_err(|_| Error::HeaderMalformed)
}

/// 1 to 5 digits up to 65535, or (in `Forwarded`) an obfuscated `_port`.
fn is_port(port: &str, forwarded: bool) -> bool {
    let digits = !port.is_empty() && port.len() <= 5 && port.bytes().all(|b| b.is_ascii_digit());
    // Parsed as a `u64`: the integer type the module's other readers parse, no second copy.
    (digits && port.parse::<u64>().is_ok_and(|p| p <= 65_535))
        || (forwarded
            && port.len() > 1
            && port.starts_with('_')
            && port.bytes().skip(1).all(is_obfuscated_char))
}

fn is_obfuscated_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-')
}

/// The `for=` value of one `Forwarded` element, unquoted; a hop without one is unknown.
fn forwarded_for(element: &str) -> Result<&str, Error> {
    let mut found = None;
    for pair in split_outside_quotes(element, ';')? {
        let (name, value) = pair
            .trim_matches([' ', '\t'])
            .split_once('=')
            .ok_or(Error::HeaderMalformed)?;
        if !name.eq_ignore_ascii_case("for") {
            continue;
        }
        if found.is_some() {
            return Err(Error::HeaderMalformed);
        }
        found = Some(unquote(value)?);
    }
    found.ok_or(Error::IpUnknown)
}

/// A token, or a quoted-string without escapes (no address needs one).
fn unquote(value: &str) -> Result<&str, Error> {
    match value.strip_prefix('"') {
        Some(rest) => match rest.strip_suffix('"') {
            Some(inner) if !inner.contains(['"', '\\']) => Ok(inner),
            _ => Err(Error::HeaderMalformed),
        },
        None if !value.is_empty() && !value.contains(['"', '\\', ' ']) => Ok(value),
        None => Err(Error::HeaderMalformed),
    }
}

/// Splits at `sep` outside double quotes; an unterminated quote is malformed.
fn split_outside_quotes(s: &str, sep: char) -> Result<Vec<&str>, Error> {
    let mut parts = Vec::new();
    let (mut start, mut quoted) = (0, false);
    for (i, c) in s.char_indices() {
        match c {
            '"' => quoted = !quoted,
            c if c == sep && !quoted => {
                // `char_indices` gives character boundaries, so the slice always exists.
                parts.push(s.get(start..i).unwrap_or_default());
                start = i + c.len_utf8();
            }
            _ => {}
        }
    }
    if quoted {
        return Err(Error::HeaderMalformed);
    }
    parts.push(s.get(start..).unwrap_or_default());
    Ok(parts)
}
