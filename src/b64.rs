//! Base64, standard and URL-safe, decoded exactly as the `base64` crate's `GeneralPurpose`
//! engine decodes it (canonical trailing bits; padding refused or optional), in a few hundred
//! bytes of wasm where that crate's engine took about 10 KB. The `base64` crate stays the
//! reference: the tests compare the two on every short input over a mixed alphabet.

/// Which 64 symbols.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Alphabet {
    /// `+` and `/` (RFC 4648 §4).
    Standard,
    /// `-` and `_` (RFC 4648 §5).
    UrlSafe,
}

/// What a decoder accepts after the last symbol.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Padding {
    /// No `=` at all (`DecodePaddingMode::RequireNone`).
    Refused,
    /// The canonical `=`s, fewer, or none (`DecodePaddingMode::Indifferent`).
    Optional,
}

impl Alphabet {
    fn symbols(self) -> &'static [u8; 64] {
        match self {
            Alphabet::Standard => {
                b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
            }
            Alphabet::UrlSafe => {
                b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
            }
        }
    }

    /// The value of one symbol, or `None` for a byte outside the alphabet (`=` included).
    fn value(self, symbol: u8) -> Option<u32> {
        let value = match symbol {
            b'A'..=b'Z' => symbol - b'A',
            b'a'..=b'z' => symbol - b'a' + 26,
            b'0'..=b'9' => symbol - b'0' + 52,
            b'+' if self == Alphabet::Standard => 62,
            b'/' if self == Alphabet::Standard => 63,
            b'-' if self == Alphabet::UrlSafe => 62,
            b'_' if self == Alphabet::UrlSafe => 63,
            _ => return None,
        };
        Some(u32::from(value))
    }
}

/// `bytes` in base64, with `=` padding or without.
pub(crate) fn encode(bytes: &[u8], alphabet: Alphabet, padded: bool) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    encode_into(&mut out, bytes, alphabet, padded);
    out
}

/// [`encode`] onto the end of `out`.
pub(crate) fn encode_into(out: &mut String, bytes: &[u8], alphabet: Alphabet, padded: bool) {
    let symbols = alphabet.symbols();
    for chunk in bytes.chunks(3) {
        let group = chunk
            .iter()
            .zip([16, 8, 0])
            .fold(0u32, |group, (&b, shift)| group | (u32::from(b) << shift));
        // A chunk of n bytes carries n + 1 symbols.
        for shift in [18, 12, 6, 0].into_iter().take(chunk.len() + 1) {
            let index = ((group >> shift) & 63) as usize;
            out.extend(symbols.get(index).map(|&s| char::from(s)));
        }
        if padded {
            out.extend(core::iter::repeat_n('=', 3 - chunk.len()));
        }
    }
}

/// Decodes `text`, or `None` where the `base64` crate returns an error: a byte outside the
/// alphabet, a `=` anywhere but at the end of the last group (at most two, after at least
/// two symbols), a last group of one symbol, padding under [`Padding::Refused`], or a last
/// symbol with bits set beyond the last whole byte.
pub(crate) fn decode(text: &[u8], alphabet: Alphabet, padding: Padding) -> Option<Vec<u8>> {
    let symbols = text
        .strip_suffix(b"=")
        .map_or(text, |t| t.strip_suffix(b"=").unwrap_or(t));
    let padded = text.len() - symbols.len();
    if padded > 0 && padding == Padding::Refused {
        return None;
    }
    // The last group is the last 1 to 4 bytes; it must hold at least two symbols, and any
    // `=` must follow them within it.
    if !text.is_empty() {
        let last_group = (text.len() - 1) / 4 * 4;
        if symbols.len() < last_group + 2 {
            return None;
        }
    }
    let mut out = Vec::with_capacity(symbols.len() * 3 / 4);
    let (mut bits, mut held) = (0u32, 0u32);
    for &symbol in symbols {
        bits = (bits << 6) | alphabet.value(symbol)?;
        held += 6;
        if held >= 8 {
            held -= 8;
            out.push((bits >> held) as u8);
            bits &= (1 << held) - 1;
        }
    }
    // Canonical: the bits past the last whole byte are zero.
    (bits == 0).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine as _;
    use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};

    fn engine(alphabet: Alphabet, padding: Padding) -> GeneralPurpose {
        let mode = match padding {
            Padding::Refused => DecodePaddingMode::RequireNone,
            Padding::Optional => DecodePaddingMode::Indifferent,
        };
        let alphabet = match alphabet {
            Alphabet::Standard => &base64::alphabet::STANDARD,
            Alphabet::UrlSafe => &base64::alphabet::URL_SAFE,
        };
        GeneralPurpose::new(
            alphabet,
            GeneralPurposeConfig::new().with_decode_padding_mode(mode),
        )
    }

    /// Every string of up to 6 bytes over symbols with different low bits, both specials of
    /// both alphabets, `=` and a byte outside both, decodes as the `base64` crate decodes it
    /// (the same bytes, or an error for both), in both alphabets and both padding modes.
    #[test]
    fn decodes_as_the_base64_crate() {
        const BYTES: &[u8] = b"ABQgw+/-_=*";
        let modes = [
            (Alphabet::Standard, Padding::Refused),
            (Alphabet::Standard, Padding::Optional),
            (Alphabet::UrlSafe, Padding::Refused),
            (Alphabet::UrlSafe, Padding::Optional),
        ];
        let engines: Vec<_> = modes.iter().map(|&(a, p)| engine(a, p)).collect();
        let mut text = Vec::new();
        // Up to 5 bytes over all of them, then 6 to 8 over fewer: groups after the first.
        let sets: [(&[u8], std::ops::RangeInclusive<u32>); 2] = [(BYTES, 0..=5), (b"AQ=*", 6..=8)];
        for (bytes, lens) in sets {
            for len in lens {
                for n in 0..bytes.len().pow(len) {
                    text.clear();
                    let mut rest = n;
                    for _ in 0..len {
                        text.push(bytes[rest % bytes.len()]);
                        rest /= bytes.len();
                    }
                    for (&(alphabet, padding), engine) in modes.iter().zip(&engines) {
                        assert_eq!(
                            decode(&text, alphabet, padding),
                            engine.decode(&text).ok(),
                            "{:?}",
                            String::from_utf8_lossy(&text)
                        );
                    }
                }
            }
        }
    }

    /// Every byte string's encoding, padded or not, is the `base64` crate's, and decodes
    /// back; longer strings exercise whole groups before the last.
    #[test]
    fn encodes_as_the_base64_crate_and_round_trips() {
        let mut state: u32 = 1;
        for len in 0..200 {
            let bytes: Vec<u8> = (0..len)
                .map(|_| {
                    state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                    (state >> 16) as u8
                })
                .collect();
            for alphabet in [Alphabet::Standard, Alphabet::UrlSafe] {
                for (padded, reference) in [
                    (true, base64::engine::general_purpose::STANDARD),
                    (false, base64::engine::general_purpose::STANDARD_NO_PAD),
                ] {
                    let text = encode(&bytes, alphabet, padded);
                    let mut expected = reference.encode(&bytes);
                    if alphabet == Alphabet::UrlSafe {
                        expected = expected.replace('+', "-").replace('/', "_");
                    }
                    assert_eq!(text, expected);
                    for padding in [Padding::Refused, Padding::Optional] {
                        let back = decode(text.as_bytes(), alphabet, padding);
                        let expected = engine(alphabet, padding).decode(&text).ok();
                        assert_eq!(back, expected, "{text}");
                        if padding == Padding::Optional || !padded || len % 3 == 0 {
                            assert_eq!(back.as_deref(), Some(&bytes[..]), "{text}");
                        }
                    }
                }
            }
        }
    }
}
