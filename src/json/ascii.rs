//! JSON text for JavaScript: every character outside ASCII written as a `\u` escape.
//!
//! `JSON.parse` reads the escape as the character, so the value is the same; but JavaScript
//! turns ASCII bytes into a string several times faster than UTF-8 (V8 copies an ASCII
//! prefix and decodes the rest a character at a time: a 1 KiB event with an `í` near its
//! start took 1 µs to decode, 0.13 µs escaped). What a dedup key hashes stays the text as
//! written: a text from `JSON.stringify` (which writes every character outside ASCII as
//! itself) is the one escaped when its escaped form is the same.

use std::borrow::Cow;

/// `text` with each character outside ASCII as `\uXXXX` (two, a surrogate pair, above
/// U+FFFF); `text` itself when it has none.
pub fn ascii(text: &str) -> Cow<'_, str> {
    if ascii_prefix(text.as_bytes()) == text.len() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    push_ascii(&mut out, text);
    Cow::Owned(out)
}

/// Appends [`ascii`]`(text)` to `out`.
pub fn push_ascii(out: &mut String, text: &str) {
    let mut rest = text;
    loop {
        let plain = ascii_prefix(rest.as_bytes());
        let (run, from) = rest.split_at_checked(plain).unwrap_or((rest, ""));
        out.push_str(run);
        let mut chars = from.chars();
        let Some(c) = chars.next() else {
            return;
        };
        for unit in c.encode_utf16(&mut [0; 2]) {
            out.push_str("\\u");
            for shift in [12, 8, 4, 0] {
                let digit = b"0123456789abcdef".get(usize::from((*unit >> shift) & 0xf));
                out.push(char::from(digit.copied().unwrap_or(b'0')));
            }
        }
        rest = chars.as_str();
    }
}

/// How many of the first bytes are ASCII: eight at a time, as most of a payload is.
fn ascii_prefix(bytes: &[u8]) -> usize {
    const HIGH: u64 = u64::from_ne_bytes([0x80; 8]);
    super::first_stop(bytes, |w| w & HIGH, |b| !b.is_ascii()).unwrap_or(bytes.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn characters_outside_ascii_are_escaped_and_read_back_the_same() {
        for (text, written) in [
            ("", ""),
            (r#"{"a":"b"}"#, r#"{"a":"b"}"#),
            (
                r#"{"name":"Ana María Gómez"}"#,
                r#"{"name":"Ana Mar\u00eda G\u00f3mez"}"#,
            ),
            (r#"{"é":"€𝄞"}"#, r#"{"\u00e9":"\u20ac\ud834\udd1e"}"#),
            (
                "\u{80}\u{7ff}\u{800}\u{ffff}\u{10000}\u{10ffff}",
                r"\u0080\u07ff\u0800\uffff\ud800\udc00\udbff\udfff",
            ),
            (r#"{"a":"\\u00e9 é"}"#, r#"{"a":"\\u00e9 \u00e9"}"#),
            (
                "a long ascii run, then: éé and more ascii é",
                r"a long ascii run, then: \u00e9\u00e9 and more ascii \u00e9",
            ),
        ] {
            assert_eq!(ascii(text), written, "{text}");
            let read: serde_json::Value = serde_json::from_str(written).unwrap_or_default();
            let same: serde_json::Value = serde_json::from_str(text).unwrap_or_default();
            assert_eq!(read, same, "{text}");
        }
    }

    /// Every code point outside ASCII, by range: how many `\u` escapes it is written as (one,
    /// or a surrogate pair above U+FFFF), each read back by serde_json (and `JSON.parse`) as
    /// the character itself, alone and among others (what crosses to JavaScript is a string
    /// of a payload, a key or a value, in JSON text written by the core).
    #[test]
    fn every_code_point_outside_ascii_is_escaped_and_read_back() {
        for (range, escapes) in [
            (0x80..0x800, 1),
            (0x800..0xd800, 1),
            (0xe000..0x1_0000, 1),
            (0x1_0000..0x11_0000, 2),
        ] {
            let chars: Vec<char> = range.filter_map(char::from_u32).collect();
            for c in &chars {
                let text = crate::json::to_string(c.to_string().as_str());
                let written = ascii(&text);
                assert_eq!(written.len(), 2 + 6 * escapes, "{c:?}: {written}");
                let read: String = serde_json::from_str(&written).unwrap_or_default();
                assert_eq!(read, c.to_string(), "{c:?}: {written}");
            }
            for run in chars.chunks(4096) {
                let run: String = run.iter().collect();
                let text = crate::json::to_string(&[run.as_str(), "a\"\\\u{1}é"][..]);
                let written = ascii(&text);
                assert!(written.is_ascii());
                let read: Vec<String> = serde_json::from_str(&written).unwrap_or_default();
                assert_eq!(read, [run.as_str(), "a\"\\\u{1}é"]);
            }
        }
    }

    #[test]
    fn ascii_prefix_finds_the_first_byte_outside_ascii() {
        for len in 0..20 {
            for at in 0..=len {
                let mut bytes = vec![b'a'; len];
                if at < len {
                    bytes[at] = 0xc3;
                }
                assert_eq!(ascii_prefix(&bytes), at, "{len} {at}");
            }
        }
    }
}
