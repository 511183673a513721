//! Addresses and networks: parsing never panics; a parsed network contains its own address;
//! an allowlist agrees with a linear scan of its networks. And the module's own address
//! reader and writer (`parse_addr`, `ip_text`) agree with `std::net` on every input: each
//! rule and candidate string is also read by a reference built on `str::parse::<IpAddr>()`
//! (what `parse_ip` and `IpNet::from_str` were before they stopped using std's parser), and
//! every address met or built from the input is written by `ip_text` as `Display` writes it.
#![no_main]

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use libfuzzer_sys::fuzz_target;
use payhook::allowlist::{canonical, ip_text};
use payhook::{Allowlist, IpNet, parse_ip};

/// `parse_ip` as it was with std's parser: a zone id ignored on an IPv6 address, mapped
/// addresses read as IPv4.
fn std_parse_ip(s: &str) -> Option<IpAddr> {
    let unzoned = match s.split_once('%') {
        Some((addr, zone)) if std_is_zone(zone) && addr.contains(':') => addr,
        Some(_) => return None,
        None => s,
    };
    unzoned.parse::<IpAddr>().ok().map(canonical)
}

fn std_is_zone(zone: &str) -> bool {
    !zone.is_empty()
        && zone.len() <= 64
        && zone
            .bytes()
            .all(|b| b.is_ascii_graphic() && b != b'%' && b != b'/')
}

/// `IpNet::from_str` as it was with std's parsers.
fn std_ip_net(s: &str) -> Option<IpNet> {
    let (addr, prefix) = match s.split_once('/') {
        Some((addr, prefix)) => (addr, Some(prefix)),
        None => (s, None),
    };
    let addr: IpAddr = addr.parse().ok()?;
    let prefix = match prefix {
        None if addr.is_ipv4() => 32,
        None => 128,
        Some(p)
            if !p.is_empty()
                && p.len() <= 3
                && p.bytes().all(|b| b.is_ascii_digit())
                && (p == "0" || !p.starts_with('0')) =>
        {
            p.parse::<u8>().ok()?
        }
        Some(_) => return None,
    };
    IpNet::new(addr, prefix).ok()
}

/// Everything the reader and writer must agree with std on, for one string.
fn same_as_std(s: &str) {
    // The bare grammar: `parse_ip` without a zone is `parse_addr` then `canonical`, and
    // a string std reads as IPv4 is never read as a (mapped) IPv6 address or back.
    let std_ip = s.parse::<IpAddr>().ok();
    if !s.contains('%') {
        let ours = parse_ip(s).ok();
        assert_eq!(ours, std_ip.map(canonical), "parse_ip({s:?})");
        if let (Some(ip), Some(std)) = (ours, std_ip) {
            assert_eq!(ip_text(std), std.to_string(), "{s:?}");
            assert_eq!(ip_text(ip), ip.to_string(), "{s:?}");
        }
    }
    assert_eq!(
        parse_ip(s).ok(),
        std_parse_ip(s),
        "parse_ip({s:?}) with a zone"
    );
    let net = s.parse::<IpNet>().ok();
    assert_eq!(net, std_ip_net(s), "IpNet::from_str({s:?})");
    if let Some(net) = net {
        assert_eq!(
            net.to_string(),
            format!("{}/{}", net.addr(), net.prefix_len())
        );
        assert_eq!(ip_text(net.addr()), net.addr().to_string());
    }
    // And an address built from the bytes, as IPv6 (mapped and compatible forms included
    // when the bytes are shaped so) and IPv4.
    let mut bytes = [0u8; 16];
    for (b, &c) in bytes.iter_mut().zip(s.as_bytes()) {
        // Bytes below '0' as zero, so that zero groups are common.
        *b = c.saturating_sub(b'0');
    }
    for ip in [
        IpAddr::V6(Ipv6Addr::from(bytes)),
        IpAddr::V4(Ipv4Addr::new(bytes[0], bytes[1], bytes[2], bytes[3])),
        IpAddr::V6(Ipv4Addr::new(bytes[0], bytes[1], bytes[2], bytes[3]).to_ipv6_mapped()),
        IpAddr::V6(Ipv4Addr::new(bytes[0], bytes[1], bytes[2], bytes[3]).to_ipv6_compatible()),
    ] {
        assert_eq!(ip_text(ip), ip.to_string(), "{:?}", bytes);
        // What is written reads back as the same address.
        assert_eq!(parse_ip(&ip_text(ip)).ok(), Some(canonical(ip)));
    }
}

fuzz_target!(|input: (Vec<&str>, Vec<&str>)| {
    let (rules, candidates) = input;
    for s in rules.iter().chain(&candidates) {
        same_as_std(s);
    }
    let nets: Vec<IpNet> = rules.iter().filter_map(|r| r.parse().ok()).collect();
    for net in &nets {
        assert!(net.contains(net.addr()));
    }
    let list: Allowlist = nets.iter().copied().collect();
    let _ = Allowlist::parse(&rules);
    for candidate in candidates {
        if let Ok(ip) = parse_ip(candidate) {
            assert_eq!(
                list.contains(ip),
                nets.iter().any(|n| n.contains(ip)),
                "{candidate}"
            );
        }
    }
});
