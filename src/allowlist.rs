//! Source-IP allowlists: single addresses and CIDR ranges, IPv4 and IPv6 mixed.
//!
//! Parsing is as strict as `std::net`: no leading zeros, octal, hex or shortened IPv4
//! (`03.130.254.46`, `0x3.0x82.254.46`, `3.130.65070`), no whitespace. The rules that JS IP
//! libraries have got wrong, decided once here:
//!
//! - An IPv4-mapped IPv6 address (`::ffff:a.b.c.d`, how Node reports IPv4 peers on
//!   dual-stack sockets) *is* the IPv4 address `a.b.c.d`, as a candidate and in a rule. A
//!   mapped rule converts to the IPv4 rule it covers (`::ffff:10.0.0.0/104` is
//!   `10.0.0.0/8`); one with a prefix shorter than 96 would cover more than the mapped
//!   range and is rejected, so `::ffff:10.0.0.0/8` can never mean "all of IPv4".
//! - IPv4 space is matched only by IPv4 rules: `::/0` does not contain `1.2.3.4`.
//! - A rule with host bits set (`10.0.0.1/8`) is rejected as a likely typo, not silently
//!   widened.
//! - A zone id (`fe80::1%eth0`) is ignored on a candidate and refused in a rule: zones are
//!   local to one host, so a rule cannot name one.
//!
//! Matching is a binary search over merged ranges, so its cost grows with log(rules).

use core::fmt;
use core::str::FromStr;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use crate::Error;

/// An IPv4 or IPv6 network in CIDR notation; a bare address is a /32 or /128.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct IpNet {
    addr: IpAddr,
    prefix: u8,
}

impl IpNet {
    /// The network `addr/prefix`. IPv4-mapped addresses become IPv4 networks; host bits set,
    /// a prefix too long, or a mapped prefix under 96 are [`Error::IpMalformed`].
    pub fn new(addr: IpAddr, prefix: u8) -> Result<Self, Error> {
        let (addr, prefix) = match addr {
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) if prefix >= 96 => (IpAddr::V4(v4), prefix - 96),
                Some(_) => return Err(Error::IpMalformed),
                None => (addr, prefix),
            },
            IpAddr::V4(_) => (addr, prefix),
        };
        let net = IpNet { addr, prefix };
        match net.bounds() {
            Some(Bounds::V4(first, _)) if first == u32::from(addr_v4(addr)) => Ok(net),
            Some(Bounds::V6(first, _)) if first == u128::from(addr_v6(addr)) => Ok(net),
            _ => Err(Error::IpMalformed),
        }
    }

    /// The network address (IPv4 for mapped input).
    pub fn addr(&self) -> IpAddr {
        self.addr
    }

    /// The prefix length.
    pub fn prefix_len(&self) -> u8 {
        self.prefix
    }

    /// Whether `ip` (canonicalised: mapped IPv6 is IPv4) lies in this network.
    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.bounds(), canonical(ip)) {
            (Some(Bounds::V4(first, last)), IpAddr::V4(ip)) => {
                (first..=last).contains(&u32::from(ip))
            }
            (Some(Bounds::V6(first, last)), IpAddr::V6(ip)) => {
                (first..=last).contains(&u128::from(ip))
            }
            _ => false,
        }
    }

    /// The network's place in `IpNet`'s order (IPv4 first, then by address, then by prefix):
    /// its family, its address as an integer, its prefix.
    fn order_key(&self) -> (bool, u128, u8) {
        match self.addr {
            IpAddr::V4(a) => (false, u128::from(u32::from(a)), self.prefix),
            IpAddr::V6(a) => (true, u128::from(a), self.prefix),
        }
    }

    /// First and last address, or `None` for a prefix longer than the address.
    fn bounds(&self) -> Option<Bounds> {
        match self.addr {
            IpAddr::V4(a) => {
                let host = u32::MAX.checked_shr(u32::from(self.prefix)).unwrap_or(0);
                (self.prefix <= 32).then(|| Bounds::V4(u32::from(a) & !host, u32::from(a) | host))
            }
            IpAddr::V6(a) => {
                let host = u128::MAX.checked_shr(u32::from(self.prefix)).unwrap_or(0);
                (self.prefix <= 128)
                    .then(|| Bounds::V6(u128::from(a) & !host, u128::from(a) | host))
            }
        }
    }
}

#[derive(Clone, Copy)]
enum Bounds {
    V4(u32, u32),
    V6(u128, u128),
}

fn addr_v4(addr: IpAddr) -> Ipv4Addr {
    match addr {
        IpAddr::V4(a) => a,
        IpAddr::V6(_) => Ipv4Addr::UNSPECIFIED,
    }
}

fn addr_v6(addr: IpAddr) -> Ipv6Addr {
    match addr {
        IpAddr::V6(a) => a,
        IpAddr::V4(_) => Ipv6Addr::UNSPECIFIED,
    }
}

impl FromStr for IpNet {
    type Err = Error;

    /// `a.b.c.d`, `a.b.c.d/n`, an IPv6 address, or `ipv6/n`. The prefix is 0–32 or 0–128
    /// in plain decimal.
    fn from_str(s: &str) -> Result<Self, Error> {
        let (addr, prefix) = match s.split_once('/') {
            Some((addr, prefix)) => (addr, Some(prefix)),
            None => (s, None),
        };
        let addr = parse_addr(addr).ok_or(Error::IpMalformed)?;
        let prefix = match prefix {
            None if addr.is_ipv4() => 32,
            None => 128,
            Some(p) if is_decimal(p) => u8::try_from(decimal(p)).map_err(|_| Error::IpMalformed)?,
            Some(_) => return Err(Error::IpMalformed),
        };
        IpNet::new(addr, prefix)
    }
}

impl fmt::Display for IpNet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&net_text(self))
    }
}

/// `net` as its `Display` writes it (`10.0.0.0/8`), without going through a formatter.
#[doc(hidden)]
pub fn net_text(net: &IpNet) -> String {
    let mut text = ip_text(net.addr);
    text.push('/');
    push_decimal(&mut text, u32::from(net.prefix));
    text
}

/// An address in `std::net`'s grammar, exactly what `IpAddr::from_str` accepts (checked
/// against it by the tests), read here without the standard parser's code: dotted IPv4 with
/// no leading zeros, or IPv6 of eight groups of one to four hex digits, one `::` standing
/// for at least one group of zeros, and dotted IPv4 in the last two groups.
fn parse_addr(s: &str) -> Option<IpAddr> {
    let s = s.as_bytes();
    if let Some(v4) = ipv4(s) {
        return Some(IpAddr::V4(v4));
    }
    let mut groups = [0u16; 8];
    match s.windows(2).position(|w| w == b"::") {
        None => (ipv6_groups(s, &mut groups, true)? == 8).then_some(())?,
        Some(at) => {
            let (head, tail) = (s.get(..at)?, s.get(at + 2..)?);
            let head = match head {
                [] => 0,
                _ => ipv6_groups(head, groups.get_mut(..7)?, false)?,
            };
            let mut rest = [0u16; 7];
            let rest = rest.get_mut(..7 - head)?;
            let tail = match tail {
                [] => 0,
                _ => ipv6_groups(tail, rest, true)?,
            };
            groups
                .get_mut(8 - tail..)?
                .copy_from_slice(rest.get(..tail)?);
        }
    }
    Some(IpAddr::V6(Ipv6Addr::from(groups)))
}

/// `a.b.c.d`, each part 0–255 in decimal without a leading zero.
fn ipv4(s: &[u8]) -> Option<Ipv4Addr> {
    let mut octets = [0u8; 4];
    let mut parts = s.split(|&b| b == b'.');
    for octet in &mut octets {
        let part = parts.next()?;
        let leading_zero = part.len() > 1 && part.first() == Some(&b'0');
        if part.is_empty() || part.len() > 3 || leading_zero {
            return None;
        }
        let mut n = 0u32;
        for &b in part {
            n = n * 10 + char::from(b).to_digit(10)?;
        }
        *octet = u8::try_from(n).ok()?;
    }
    parts.next().is_none().then_some(Ipv4Addr::from(octets))
}

/// Colon-separated groups of one to four hex digits into `out`, the last (when `v4` and two
/// groups are left) possibly a dotted IPv4 address; how many groups were filled.
fn ipv6_groups(s: &[u8], out: &mut [u16], v4: bool) -> Option<usize> {
    let mut n = 0;
    let mut parts = s.split(|&b| b == b':').peekable();
    while let Some(part) = parts.next() {
        if v4 && parts.peek().is_none() && part.contains(&b'.') {
            let [a, b, c, d] = ipv4(part)?.octets();
            let two = out.get_mut(n..n + 2)?;
            two.copy_from_slice(&[u16::from_be_bytes([a, b]), u16::from_be_bytes([c, d])]);
            return Some(n + 2);
        }
        if part.is_empty() || part.len() > 4 {
            return None;
        }
        let mut group = 0u16;
        for &b in part {
            group = group << 4 | char::from(b).to_digit(16)? as u16;
        }
        *out.get_mut(n)? = group;
        n += 1;
    }
    Some(n)
}

/// An address as `std::net` writes it (`Display`: RFC 5952 for IPv6, `::ffff:a.b.c.d` for
/// IPv4-mapped ones), checked against it by the tests, without its formatting code.
#[doc(hidden)]
pub fn ip_text(ip: IpAddr) -> String {
    let mut out = String::with_capacity(39);
    match ip {
        IpAddr::V4(v4) => push_ipv4(&mut out, v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => {
                out.push_str("::ffff:");
                push_ipv4(&mut out, v4);
            }
            None => {
                let groups = v6.segments();
                // The longest run of zero groups (the first of equal ones), if two or more.
                let (mut start, mut len, mut run) = (0, 0, 0);
                for (i, &g) in groups.iter().enumerate() {
                    run = if g == 0 { run + 1 } else { 0 };
                    if run > len {
                        (start, len) = (i + 1 - run, run);
                    }
                }
                let mut i = 0;
                while i < 8 {
                    if len > 1 && i == start {
                        out.push_str("::");
                        i += len;
                        continue;
                    }
                    if i > 0 && !(len > 1 && i == start + len) {
                        out.push(':');
                    }
                    let g = groups.get(i).copied().unwrap_or(0);
                    let digits = (16 - g.leading_zeros()).div_ceil(4).max(1);
                    for shift in (0..digits).rev() {
                        let digit = u32::from(g >> (shift * 4)) & 15;
                        out.push(char::from_digit(digit, 16).unwrap_or('0'));
                    }
                    i += 1;
                }
            }
        },
    }
    out
}

fn push_ipv4(out: &mut String, v4: Ipv4Addr) {
    for (i, octet) in v4.octets().into_iter().enumerate() {
        if i > 0 {
            out.push('.');
        }
        push_decimal(out, u32::from(octet));
    }
}

/// `n` in decimal.
fn push_decimal(out: &mut String, n: u32) {
    if n >= 10 {
        push_decimal(out, n / 10);
    }
    out.push(char::from(b'0' + (n % 10) as u8));
}

/// The value of digits `is_decimal` accepted.
fn decimal(s: &str) -> u32 {
    s.bytes().fold(0, |n: u32, b| {
        n.saturating_mul(10)
            .saturating_add(char::from(b).to_digit(10).unwrap_or(0))
    })
}

/// `0`, or digits without a leading zero (at most 3, enough for 128).
fn is_decimal(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 3
        && s.bytes().all(|b| b.is_ascii_digit())
        && (s == "0" || !s.starts_with('0'))
}

/// Parses a candidate address strictly, as `std::net` does, ignoring an IPv6 zone id and
/// reading an IPv4-mapped IPv6 address as IPv4.
pub fn parse_ip(s: &str) -> Result<IpAddr, Error> {
    let unzoned = match s.split_once('%') {
        Some((addr, zone)) if is_zone(zone) && addr.contains(':') => addr,
        Some(_) => return Err(Error::IpMalformed),
        None => s,
    };
    parse_addr(unzoned).map(canonical).ok_or(Error::IpMalformed)
}

/// A zone id: an interface name or index, visible ASCII without `%` or `/`.
fn is_zone(zone: &str) -> bool {
    !zone.is_empty()
        && zone.len() <= 64
        && zone
            .bytes()
            .all(|b| b.is_ascii_graphic() && b != b'%' && b != b'/')
}

/// The address to match: IPv4-mapped IPv6 becomes IPv4.
pub fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        IpAddr::V4(_) => ip,
    }
}

/// A set of networks, matched in O(log n).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Allowlist {
    /// The networks as given (sorted, deduplicated), for display and export.
    nets: Vec<IpNet>,
    /// Merged, sorted, non-overlapping inclusive ranges.
    v4: Vec<(u32, u32)>,
    v6: Vec<(u128, u128)>,
}

impl Allowlist {
    /// Parses each entry as an [`IpNet`]. A bad entry is reported with its JSON Pointer
    /// index (`/3`) in an [`AllowlistError`].
    pub fn parse<S: AsRef<str>>(entries: &[S]) -> Result<Self, AllowlistError> {
        let mut nets = Vec::with_capacity(entries.len());
        for (i, entry) in entries.iter().enumerate() {
            match entry.as_ref().parse() {
                Ok(net) => nets.push(net),
                Err(_) => return Err(AllowlistError::new(format!("/{i}"), NOT_A_NETWORK)),
            }
        }
        Ok(Allowlist::of(nets))
    }

    /// Whether `ip` is in one of the networks.
    pub fn contains(&self, ip: IpAddr) -> bool {
        match canonical(ip) {
            IpAddr::V4(ip) => in_ranges(&self.v4, u32::from(ip)),
            IpAddr::V6(ip) => in_ranges(&self.v6, u128::from(ip)),
        }
    }

    /// The networks, sorted, without duplicates.
    pub fn nets(&self) -> &[IpNet] {
        &self.nets
    }

    /// How many networks the list holds.
    pub fn len(&self) -> usize {
        self.nets.len()
    }

    /// Whether the list is empty (and so allows nothing).
    pub fn is_empty(&self) -> bool {
        self.nets.is_empty()
    }

    /// A list holding the networks of both.
    pub fn union(&self, other: &Allowlist) -> Allowlist {
        self.nets.iter().chain(&other.nets).copied().collect()
    }
}

impl FromIterator<IpNet> for Allowlist {
    fn from_iter<I: IntoIterator<Item = IpNet>>(nets: I) -> Self {
        Allowlist::of(nets.into_iter().collect())
    }
}

impl Allowlist {
    /// The list of `nets`: one copy of the sorting and merging for every way a list is
    /// collected (six iterator types), not one per type.
    #[inline(never)]
    fn of(nets: Vec<IpNet>) -> Self {
        // Sorted by each network's key, computed once: comparing two `IpNet`s compares eight
        // 16-bit groups, code inlined at each comparison of the sort.
        let keys: Vec<(bool, u128, u8)> = nets.iter().map(IpNet::order_key).collect();
        let mut order: Vec<usize> = (0..nets.len()).collect();
        crate::sort::order_by(&mut order, &|a, b| keys.get(a) < keys.get(b));
        let mut nets: Vec<IpNet> = order.iter().filter_map(|&i| nets.get(i).copied()).collect();
        nets.dedup();
        let (mut v4, mut v6) = (Vec::new(), Vec::new());
        for net in &nets {
            match net.bounds() {
                Some(Bounds::V4(first, last)) => v4.push((first, last)),
                Some(Bounds::V6(first, last)) => v6.push((first, last)),
                None => {}
            }
        }
        Allowlist {
            nets,
            v4: merge(v4),
            v6: merge(v6),
        }
    }
}

/// Merges ranges that overlap or touch. `ranges` must be sorted by first address, as the
/// bounds of sorted networks are (a network's address is its first address, and `IpNet`
/// orders by address first): no sort here, which saves the wasm two sort instantiations.
fn merge<T: Copy + Ord + Successor>(ranges: Vec<(T, T)>) -> Vec<(T, T)> {
    let mut merged: Vec<(T, T)> = Vec::with_capacity(ranges.len());
    for (first, last) in ranges {
        match merged.last_mut() {
            Some(prev) if first <= prev.1.successor() => prev.1 = prev.1.max(last),
            _ => merged.push((first, last)),
        }
    }
    merged
}

fn in_ranges<T: Copy + Ord>(ranges: &[(T, T)], ip: T) -> bool {
    // The last range starting at or before ip is the only one that can hold it.
    let after = ranges.partition_point(|&(first, _)| first <= ip);
    after
        .checked_sub(1)
        .and_then(|i| ranges.get(i))
        .is_some_and(|&(_, last)| ip <= last)
}

/// The next integer, saturating: ranges that touch are merged too.
trait Successor {
    fn successor(self) -> Self;
}

impl Successor for u32 {
    fn successor(self) -> Self {
        self.saturating_add(1)
    }
}

impl Successor for u128 {
    fn successor(self) -> Self {
        self.saturating_add(1)
    }
}

const NOT_A_NETWORK: &str = "not an IP address or CIDR network (strict form, no host bits set)";

/// A malformed allowlist or address document: where (a JSON Pointer) and why. Its code is
/// [`Error::AllowlistMalformed`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AllowlistError {
    /// JSON Pointer to the bad entry (`/ips/us/1`, or `/3` in a plain list).
    pub path: String,
    /// What is wrong with it.
    pub reason: &'static str,
}

impl AllowlistError {
    pub(crate) fn new(path: String, reason: &'static str) -> Self {
        AllowlistError { path, reason }
    }

    /// Always [`Error::AllowlistMalformed`].
    pub fn error(&self) -> Error {
        Error::AllowlistMalformed
    }
}

impl fmt::Display for AllowlistError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at {}", self.reason, self.path)
    }
}

impl std::error::Error for AllowlistError {}

#[cfg(test)]
mod std_parity;

#[cfg(test)]
mod tests {
    use super::*;

    /// `merge` relies on sorted networks giving bounds sorted by first address: the ranges
    /// must be what sorting the bounds themselves gave, and matching must agree with
    /// checking every network, for nested, touching, equal-start and mixed-family lists.
    #[test]
    fn merged_ranges_do_not_depend_on_a_sort_of_the_bounds() {
        // A small deterministic generator: networks clustered in a few /16s and /48s so
        // that they overlap, nest and touch.
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move || {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            state >> 16
        };
        for round in 0..200 {
            let mut nets = Vec::new();
            for _ in 0..(round % 40 + 1) {
                let r = next();
                if r % 3 == 0 {
                    let prefix = 48 + (r >> 8) as u8 % 81;
                    let base = (0x2001_0db8_u128 << 96) | (u128::from((r >> 20) as u16 & 3) << 80);
                    let addr = base | (u128::from(next()) << 16);
                    let host = u128::MAX.checked_shr(u32::from(prefix)).unwrap_or(0);
                    let ip = IpAddr::V6(Ipv6Addr::from(addr & !host));
                    nets.push(IpNet::new(ip, prefix).unwrap());
                } else {
                    let prefix = 14 + (r >> 8) as u8 % 19;
                    let addr = 0x0a00_0000 | ((r >> 24) as u32 & 0x3_ffff);
                    let host = u32::MAX.checked_shr(u32::from(prefix)).unwrap_or(0);
                    let ip = IpAddr::V4(Ipv4Addr::from(addr & !host));
                    nets.push(IpNet::new(ip, prefix).unwrap());
                }
            }
            let list: Allowlist = nets.iter().copied().collect();
            let mut sorted = nets.clone();
            sorted.sort_unstable();
            sorted.dedup();
            assert_eq!(list.nets, sorted, "round {round}");

            let (mut v4, mut v6) = (Vec::new(), Vec::new());
            for net in &nets {
                match net.bounds().unwrap() {
                    Bounds::V4(first, last) => v4.push((first, last)),
                    Bounds::V6(first, last) => v6.push((first, last)),
                }
            }
            v4.sort_unstable();
            v6.sort_unstable();
            assert_eq!(list.v4, merge(v4), "round {round}");
            assert_eq!(list.v6, merge(v6), "round {round}");

            for _ in 0..50 {
                let probe = if next() % 2 == 0 {
                    IpAddr::V4(Ipv4Addr::from(0x0a00_0000 | (next() as u32 & 0x3_ffff)))
                } else {
                    let addr = (0x2001_0db8_u128 << 96)
                        | (u128::from(next() as u16 & 3) << 80)
                        | (u128::from(next()) << 16);
                    IpAddr::V6(Ipv6Addr::from(addr))
                };
                let naive = nets.iter().any(|n| n.contains(probe));
                assert_eq!(list.contains(probe), naive, "round {round}, {probe}");
            }
        }
    }

    /// The module's own address reader and writer agree with `std::net` on every string and
    /// address tried: crafted edge cases, and random strings of address-like pieces.
    #[test]
    fn addresses_read_and_written_as_std_net_does() {
        let crafted = [
            "",
            "::",
            ":::",
            "::1",
            "1::",
            "1:::2",
            "1::2::3",
            ":1::",
            "1:",
            ":1",
            "::ffff:1.2.3.4",
            "::1.2.3.4",
            "1.2.3.4::",
            "1:2:3:4:5:6:7:8",
            "1:2:3:4:5:6:7:8:9",
            "1:2:3:4:5:6:7::",
            "::2:3:4:5:6:7:8",
            "::2:3:4:5:6:7:8:9",
            "1:2:3:4:5:6:7::8",
            "1:2:3:4:5:6:1.2.3.4",
            "1:2:3:4:5:6:7:1.2.3.4",
            "1:2:3:4:5::1.2.3.4",
            "1:2:3:4:5:6::1.2.3.4",
            "12345::",
            "0000:0:00:000:FFFF:abcd:EF01:1",
            "1.2.3.4",
            "01.2.3.4",
            "0.0.0.0",
            "255.255.255.255",
            "256.1.1.1",
            "1.2.3",
            "1.2.3.4.",
            ".1.2.3.4",
            "1..2.3",
            "1.2.3.4 ",
            " 1.2.3.4",
            "1.2.3.0400",
            "1.2.3.040",
            "::1.2.3",
            "::1.2.3.04",
            "g::",
            "1:2:3:4:5:6:7:8%",
            "\u{0661}.2.3.4",
            "1.2.3.\u{e9}",
            "::ffff:0:0",
            "1:0:0:2:0:0:0:3",
        ];
        let pieces = [
            "0", "1", "00", "0000", "ffff", "FfF", "12345", "255", "256", "01", ":", "::", ".",
            "1.2.3.4", "a", "g", "",
        ];
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut random = Vec::new();
        for _ in 0..200_000 {
            let mut text = String::new();
            for _ in 0..next() % 12 {
                text.push_str(pieces[(next() % pieces.len() as u64) as usize]);
            }
            random.push(text);
        }
        for text in crafted.iter().map(|s| s.to_string()).chain(random) {
            let ours = parse_addr(&text);
            assert_eq!(ours, text.parse::<IpAddr>().ok(), "{text:?}");
            if let Some(ip) = ours {
                assert_eq!(ip_text(ip), ip.to_string(), "{text:?}");
            }
        }
        for _ in 0..100_000 {
            // Groups that are often zero, so that runs of zeros of every length and place occur.
            let mut groups = [0u16; 8];
            for g in &mut groups {
                *g = match next() % 4 {
                    0 => next() as u16,
                    1 => (next() % 16) as u16,
                    _ => 0,
                };
            }
            let ip = IpAddr::V6(Ipv6Addr::from(groups));
            assert_eq!(ip_text(ip), ip.to_string(), "{groups:?}");
            let v4 = IpAddr::V4(Ipv4Addr::from(next() as u32 >> (next() % 32)));
            assert_eq!(ip_text(v4), v4.to_string());
        }
    }
}
