//! Differential tests of the module's own address reader and writer (`parse_addr`,
//! `ip_text`) against `std::net`, and of everything that reads addresses with them
//! (`parse_ip`, `IpNet::from_str`, `IpNet`'s `Display`) against the same code built on std.
//!
//! The default run is quick; for the long one (run it with `--release`)
//! `PAYHOOK_IP_CASES=<n>` sets the number of random cases per generator, `PAYHOOK_IP_SEED=<n>`
//! the seed, and `PAYHOOK_IP_EXHAUSTIVE=<n>` how long the strings are (n + 3 characters of
//! the small alphabets) of which every one is tried.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::{IpNet, canonical, ip_text, is_decimal, is_zone, parse_addr, parse_ip};

fn env(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

struct Rng(u64);

impl Rng {
    /// splitmix64.
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }
    fn chance(&mut self, one_in: usize) -> bool {
        self.below(one_in) == 0
    }
}

/// `parse_ip` as it was with std's parser.
fn std_parse_ip(s: &str) -> Option<IpAddr> {
    let unzoned = match s.split_once('%') {
        Some((addr, zone)) if is_zone(zone) && addr.contains(':') => addr,
        Some(_) => return None,
        None => s,
    };
    unzoned.parse::<IpAddr>().ok().map(canonical)
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
        Some(p) if is_decimal(p) => p.parse::<u8>().ok()?,
        Some(_) => return None,
    };
    IpNet::new(addr, prefix).ok()
}

/// Every check for one string; counts the strings std accepted.
fn check(s: &str, accepted: &mut u64) {
    let std = s.parse::<IpAddr>().ok();
    let ours = parse_addr(s);
    assert_eq!(ours, std, "parse_addr({s:?})");
    if let Some(ip) = std {
        *accepted += 1;
        assert_eq!(ip_text(ip), ip.to_string(), "ip_text of {s:?}");
        // And the narrower parsers agree on which family it is.
        assert_eq!(s.parse::<Ipv4Addr>().is_ok(), ip.is_ipv4(), "{s:?}");
        assert_eq!(s.parse::<Ipv6Addr>().is_ok(), ip.is_ipv6(), "{s:?}");
    }
    assert_eq!(parse_ip(s).ok(), std_parse_ip(s), "parse_ip({s:?})");
    let net = s.parse::<IpNet>().ok();
    assert_eq!(net, std_ip_net(s), "IpNet::from_str({s:?})");
    if let Some(net) = net {
        assert_eq!(
            net.to_string(),
            format!("{}/{}", net.addr(), net.prefix_len()),
            "{s:?}"
        );
    }
}

fn check_text(ip: IpAddr) {
    let text = ip_text(ip);
    assert_eq!(text, ip.to_string(), "{ip:?}");
    assert_eq!(parse_addr(&text), Some(ip), "{text:?} reads back");
}

#[test]
fn crafted_strings_read_as_std_net_reads_them() {
    let crafted = [
        "",
        " ",
        ".",
        ":",
        "::",
        ":::",
        "::::",
        "::::::::",
        ":::::::::",
        "::1",
        "1::",
        "::1::",
        "1::2::3",
        "1:::2",
        ":1::",
        "::1:",
        "1:",
        ":1",
        "1",
        "12",
        "1.",
        ".1",
        "[::1]",
        "[::1]:80",
        "::1%",
        "::1%eth0",
        "fe80::1%eth0",
        "fe80::1%25eth0",
        "fe80::1%1",
        "fe80::1%e%0",
        "fe80::1%/",
        "1.2.3.4%eth0",
        "%eth0",
        "::%eth0",
        "::1%eth0/64",
        "::1/64%eth0",
        "::ffff:1.2.3.4",
        "::FFFF:1.2.3.4",
        "::ffff:01.2.3.4",
        "::ffff:1.2.3.256",
        "::ffff:1.2.3",
        "::ffff:1.2.3.4.5",
        "::ffff:1.2.3.4:5",
        "::ffff:0:1.2.3.4",
        "0:0:0:0:0:ffff:1.2.3.4",
        "0:0:0:0:0:0:1.2.3.4",
        "::1.2.3.4",
        "::0.0.0.0",
        "::255.255.255.255",
        "1.2.3.4::",
        "1.2.3.4::5",
        "::1.2.3.4:5",
        "1:1.2.3.4::",
        "1:2:3:4:5:6:1.2.3.4",
        "1:2:3:4:5:6:7:1.2.3.4",
        "1:2:3:4:5:1.2.3.4",
        "1:2:3:4:5::1.2.3.4",
        "1:2:3:4:5:6::1.2.3.4",
        "1:2:3:4::5:1.2.3.4",
        "::2:3:4:5:6:1.2.3.4",
        "::2:3:4:5:6:7:1.2.3.4",
        "1.2.3.4:1:2:3:4:5:6",
        "1:2:3:4:5:6:7:8",
        "1:2:3:4:5:6:7:8:9",
        "1:2:3:4:5:6:7::",
        "1:2:3:4:5:6:7:8::",
        "::1:2:3:4:5:6:7:8",
        "::2:3:4:5:6:7:8",
        "1::3:4:5:6:7:8",
        "1:2:3:4:5:6::8",
        "1:2:3:4:5:6:7::8",
        "1::2:3:4:5:6:7:8",
        "12345::",
        "::12345",
        "0000:0:00:000::",
        "00000::",
        "fffff::",
        "FFFF:ffff::",
        "g::",
        "::g",
        "1:2:3:4:5:6:7:8.",
        "1:2:3:4:5:6:7:8:",
        ":1:2:3:4:5:6:7:8",
        "1.2.3.4",
        "01.2.3.4",
        "1.02.3.4",
        "1.2.3.00",
        "00.0.0.0",
        "0.0.0.0",
        "255.255.255.255",
        "256.0.0.0",
        "1.2.3.256",
        "999.1.1.1",
        "1000.1.1.1",
        "1.2.3",
        "1.2",
        "1.2.3.4.",
        ".1.2.3.4",
        "1..2.3",
        "1.2.3.4.5",
        "1.2.3.4 ",
        " 1.2.3.4",
        "1.2.3.4\n",
        "1.2.3.4\0",
        "\t::1",
        "::1 ",
        "1.2.3.0400",
        "1.2.3.040",
        "+1.2.3.4",
        "1.+2.3.4",
        "-1.2.3.4",
        "1.2.3.-4",
        "::+1",
        "::-1",
        "+::1",
        "0x1.2.3.4",
        "0x1::",
        "1e1.2.3.4",
        "\u{0661}.2.3.4",
        "1.2.3.\u{0664}",
        "\u{ff11}.2.3.4",
        "::\u{ff11}",
        "1.2.3.\u{e9}",
        "é::",
        "::é",
        "\u{1d7ce}::",
        "1.2.3.4\u{200b}",
        "\u{feff}1.2.3.4",
        "١٢.٣.٤.٥",
        "::ffff:0:0",
        "::ffff:0.0.0.0",
        "::ffff:ffff:ffff",
        "::fffe:1.2.3.4",
        "ffff::1.2.3.4",
        "1:0:0:2:0:0:0:3",
        "0:0:1:0:0:0:0:0",
        "1:0:0:0:1:0:0:0",
        "1::1.2.3.4",
        "64:ff9b::1.2.3.4",
        "::1.2.3.4/96",
        "10.0.0.0/8",
        "10.0.0.0/08",
        "10.0.0.0/033",
        "10.0.0.0/ 24",
        "10.0.0.0/24 ",
        "10.0.0.0/+8",
        "10.0.0.0/-8",
        "10.0.0.0/",
        "10.0.0.0//8",
        "10.0.0.0/8/8",
        "10.0.0.0/256",
        "10.0.0.0/4294967304",
        "10.0.0.0/\u{0668}",
        "10.0.0.0/\u{ff18}",
        "::/0",
        "::/128",
        "::/129",
        "::ffff:10.0.0.0/104",
        "::ffff:10.0.0.0/8",
        "::ffff:0.0.0.0/96",
        "::ffff:0.0.0.0/95",
        "::ffff:10.0.0.0/104%eth0",
        "/8",
        "/",
        "%",
        "%%",
        "::1%%",
        "fe80::1%eth0%eth1",
    ];
    let mut accepted = 0;
    for s in crafted {
        check(s, &mut accepted);
    }
    check(&("1:".repeat(100_000) + "1"), &mut accepted);
    check(&"::".repeat(50_000), &mut accepted);
    check(&"1.".repeat(50_000), &mut accepted);
    check(&"0".repeat(100_000), &mut accepted);
    check(&format!("::{}", "0".repeat(100_000)), &mut accepted);
    check(&format!("1.2.3.{}4", "0".repeat(100_000)), &mut accepted);
    check(&"é".repeat(10_000), &mut accepted);
    assert!(accepted > 20);
}

/// Every string up to a length over small alphabets chosen so that every rule of the
/// grammar (group count and size, `::` placement, embedded IPv4, leading zeros, zones,
/// prefixes) is reached at short lengths.
#[test]
fn every_short_string_read_as_std_net_reads_it() {
    let max = env("PAYHOOK_IP_EXHAUSTIVE", 4) as usize;
    let alphabets: [&[&str]; 4] = [
        &["0", "1", "f", ":", "."],
        &["0", "2", "5", "6", "9", "."],
        &["1", ":", ".", "%", "/", "g"],
        &[
            "0", "1", "0.0.0.0", ":", "::", "1:1:1", "0:0:0:0", ".", "%e", "/0", "/96", "/1", "/33",
        ],
    ];
    let (mut total, mut accepted) = (0u64, 0u64);
    for (n, alphabet) in alphabets.iter().enumerate() {
        let longest = if n == 3 { max.min(6) } else { max + 3 };
        let mut digits: Vec<usize> = Vec::new();
        let mut s = String::new();
        loop {
            s.clear();
            for &d in &digits {
                s.push_str(alphabet[d]);
            }
            check(&s, &mut accepted);
            total += 1;
            // The next string: count in base alphabet.len(), growing by one digit.
            let mut i = 0;
            loop {
                if i == digits.len() {
                    digits.push(0);
                    break;
                }
                digits[i] += 1;
                if digits[i] < alphabet.len() {
                    break;
                }
                digits[i] = 0;
                i += 1;
            }
            if digits.len() > longest {
                break;
            }
        }
    }
    eprintln!("exhaustive: {total} strings, {accepted} addresses");
}

/// A valid address in one of its spellings (any run compressed, leading zeros, upper case,
/// embedded IPv4, a zone, a prefix), sometimes made wrong, then sometimes broken by edits.
fn address_like(rng: &mut Rng) -> String {
    let mut groups = [0u16; 8];
    for g in &mut groups {
        *g = match rng.below(5) {
            0 => rng.next() as u16,
            1 => rng.below(16) as u16,
            2 => rng.pick(&[0xffff, 0x100, 0x1000, 0xff]),
            _ => 0,
        };
    }
    if rng.chance(4) {
        groups[..5].fill(0);
        groups[5] = rng.pick(&[0xffff, 0, 0xfffe, 0xffff]);
    }
    let mut text = String::new();
    let v4 = |rng: &mut Rng, text: &mut String, a: u16, b: u16| {
        for (i, o) in [a >> 8, a & 255, b >> 8, b & 255].into_iter().enumerate() {
            if i > 0 {
                text.push('.');
            }
            match rng.below(30) {
                0 => text.push_str(&format!("0{o}")),
                1 => text.push_str(&format!("{}", o + 256)),
                _ => text.push_str(&o.to_string()),
            }
        }
    };
    if rng.chance(4) {
        v4(rng, &mut text, groups[6], groups[7]);
    } else {
        let embedded = rng.chance(3);
        let n = if embedded { 6 } else { 8 };
        // Where `::` goes and how many groups it stands for (any, even non-zero ones or
        // none, so that wrong addresses are made too); 9 for none.
        let (start, len) = if rng.chance(4) {
            (9, 0)
        } else {
            let start = rng.below(n + 1);
            (start, rng.below(n - start + 2))
        };
        let mut i = 0;
        let mut first = true;
        while i < n {
            if i == start {
                text.push_str("::");
                i += len.max(if rng.chance(6) { 0 } else { 1 });
                first = true;
                continue;
            }
            if !first {
                text.push(':');
            }
            first = false;
            let g = groups[i];
            match rng.below(8) {
                0 => text.push_str(&format!("{g:04x}")),
                1 => text.push_str(&format!("{g:X}")),
                2 if rng.chance(4) => text.push_str(&format!("{g:05x}")),
                _ => text.push_str(&format!("{g:x}")),
            }
            i += 1;
        }
        if start == n {
            text.push_str("::");
            first = true;
        }
        if embedded {
            if !first {
                text.push(':');
            }
            v4(rng, &mut text, groups[6], groups[7]);
        }
    }
    if rng.chance(4) {
        text.push_str(rng.pick(&["%eth0", "%1", "%", "%e/0", "%%", "% "][..]));
    }
    if rng.chance(3) {
        let p = rng.below(140);
        text.push('/');
        match rng.below(10) {
            0 => text.push_str(&format!("0{p}")),
            1 => text.push_str(&format!("+{p}")),
            2 => text.push_str(&format!(" {p}")),
            _ => text.push_str(&p.to_string()),
        }
    }
    let pieces = [
        "0", "1", "f", "F", "g", ":", "::", ".", "..", "%", "/", " ", "\t", "+", "-", "[", "]",
        "00", "0000", "12345", "1.2.3.4", "\u{0661}", "\u{ff11}", "é", "\u{0}",
    ];
    for _ in 0..rng.below(3) {
        let mut bytes = text.into_bytes();
        let at = rng.below(bytes.len() + 1);
        match rng.below(3) {
            0 => {
                let piece = rng.pick(&pieces[..]).as_bytes();
                bytes.splice(at..at, piece.iter().copied());
            }
            1 if at < bytes.len() => {
                bytes.remove(at);
            }
            _ if at < bytes.len() => {
                let piece = rng.pick(&pieces[..]).as_bytes();
                bytes.splice(at..at + 1, piece.iter().copied());
            }
            _ => {}
        }
        text = String::from_utf8_lossy(&bytes).into_owned();
    }
    text
}

/// Random strings of address-like pieces, and random spellings of random addresses with
/// random edits.
#[test]
fn random_address_like_strings_read_as_std_net_reads_them() {
    let cases = env("PAYHOOK_IP_CASES", 100_000);
    let mut rng = Rng(env("PAYHOOK_IP_SEED", 0x5eed));
    let pieces = [
        "0",
        "1",
        "00",
        "000",
        "0000",
        "00000",
        "ffff",
        "FfF",
        "abcd",
        "12345",
        "255",
        "256",
        "01",
        "1.2.3.4",
        "0.0.0.0",
        "255.255.255.255",
        ":",
        "::",
        ":::",
        ".",
        "a",
        "g",
        "",
        "%",
        "%eth0",
        "/",
        "/0",
        "/32",
        "/128",
        "/96",
        "/033",
        " ",
        "+",
        "-",
        "[",
        "]",
        "\u{0661}",
        "\u{ff10}",
        "é",
    ];
    let mut accepted = 0;
    for _ in 0..cases {
        let mut text = String::new();
        for _ in 0..rng.below(18) {
            text.push_str(rng.pick(&pieces[..]));
        }
        check(&text, &mut accepted);
        check(&address_like(&mut rng), &mut accepted);
    }
    eprintln!("random: {} strings, {accepted} addresses", 2 * cases);
}

/// `ip_text` is `Display` for every shape of address: each pattern of zero groups with
/// random other groups, every group value in every place (among zeros and among ffff),
/// mapped, compatible and translated IPv4, random addresses.
#[test]
fn addresses_written_as_std_net_writes_them() {
    let cases = env("PAYHOOK_IP_CASES", 100_000);
    let mut rng = Rng(env("PAYHOOK_IP_SEED", 0x5eed) ^ 1);
    for mask in 0..=255u32 {
        for _ in 0..200 {
            let mut groups = [0u16; 8];
            for (i, g) in groups.iter_mut().enumerate() {
                if mask >> i & 1 == 1 {
                    *g = match rng.below(3) {
                        0 => rng.next() as u16 | 1,
                        1 => 1 << rng.below(16),
                        _ => rng.below(16) as u16 + 1,
                    };
                }
            }
            check_text(IpAddr::V6(Ipv6Addr::from(groups)));
        }
    }
    for place in 0..8 {
        for value in 0..=u16::MAX {
            let mut groups = [0u16; 8];
            groups[place] = value;
            check_text(IpAddr::V6(Ipv6Addr::from(groups)));
            groups = [0xffff; 8];
            groups[place] = value;
            check_text(IpAddr::V6(Ipv6Addr::from(groups)));
        }
    }
    for _ in 0..cases {
        let v4 = Ipv4Addr::from(rng.next() as u32 >> rng.below(32));
        check_text(IpAddr::V4(v4));
        check_text(IpAddr::V6(v4.to_ipv6_mapped()));
        check_text(IpAddr::V6(v4.to_ipv6_compatible()));
        let [a, b, c, d] = v4.octets();
        let (hi, lo) = (u16::from_be_bytes([a, b]), u16::from_be_bytes([c, d]));
        check_text(IpAddr::V6(Ipv6Addr::new(0x64, 0xff9b, 0, 0, 0, 0, hi, lo)));
        check_text(IpAddr::V6(Ipv6Addr::new(0, 0, 0, 0, 0xffff, 0, hi, lo)));
        check_text(IpAddr::V6(Ipv6Addr::new(
            0, 0, 0, 0, 0xfffe, 0xffff, hi, lo,
        )));
        let wide = u128::from(rng.next()) << 64 | u128::from(rng.next());
        check_text(IpAddr::V6(Ipv6Addr::from(wide >> rng.below(128))));
    }
    for n in 0..=255u8 {
        check_text(IpAddr::V4(Ipv4Addr::new(n, n, 0, n)));
    }
    check_text(IpAddr::V4(Ipv4Addr::UNSPECIFIED));
    check_text(IpAddr::V4(Ipv4Addr::BROADCAST));
    check_text(IpAddr::V6(Ipv6Addr::UNSPECIFIED));
    check_text(IpAddr::V6(Ipv6Addr::LOCALHOST));
    check_text(IpAddr::V6(Ipv6Addr::from(u128::MAX)));
}
