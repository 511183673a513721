//! The client address behind proxies: any peer, forwarding headers and trust give an address
//! or an error, never a panic; with trust `None`, headers never change the answer.
#![no_main]

use libfuzzer_sys::fuzz_target;
use payhook::{Allowlist, ForwardingHeader, ForwardingHeaders, Trust, client_ip};

type Input<'a> = (
    Option<&'a str>,
    Option<&'a str>,
    Option<&'a str>,
    Option<&'a str>,
    u8,
    Vec<&'a str>,
);

fuzz_target!(|input: Input| {
    let (peer, cf, xff, fwd, mode, proxies) = input;
    let headers = ForwardingHeaders {
        cf_connecting_ip: cf,
        x_forwarded_for: xff,
        forwarded: fwd,
    };
    let header = [
        ForwardingHeader::XForwardedFor,
        ForwardingHeader::Forwarded,
        ForwardingHeader::CfConnectingIp,
    ][usize::from(mode % 3)];
    let trust = match mode / 3 % 4 {
        0 => Trust::None,
        1 => Trust::Cloudflare,
        2 => Trust::Proxies {
            proxies: Allowlist::parse(&proxies).unwrap_or_default(),
            header,
        },
        _ => Trust::Hops {
            hops: u32::from(mode % 5),
            header,
        },
    };
    let found = client_ip(peer, &headers, &trust);
    if matches!(trust, Trust::None) {
        assert_eq!(
            found,
            client_ip(peer, &ForwardingHeaders::default(), &Trust::None)
        );
    }
});
