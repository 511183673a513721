//! A captured request as people paste it when asking "why was this refused?": a raw HTTP
//! request (a proxy log, `nc -l`), or a `curl` command (a browser's "Copy as cURL", a
//! provider's docs). Both become the method, URL, headers and exact body bytes.

use std::collections::BTreeMap;

use crate::Error;

/// Where a capture came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// A raw HTTP/1.x request.
    Http,
    /// A `curl` command line.
    Curl,
}

impl Format {
    /// `http` or `curl`.
    pub const fn name(self) -> &'static str {
        match self {
            Format::Http => "http",
            Format::Curl => "curl",
        }
    }
}

/// A parsed capture. Header names are lowercase; repeated headers are joined with `, `.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Capture {
    /// How it was written.
    pub format: Format,
    /// `POST`, …
    pub method: String,
    /// The request target (path, or the full URL for curl).
    pub url: String,
    /// The headers, in order of first appearance.
    pub headers: Vec<(String, String)>,
    /// The body, byte for byte as it appears in the capture.
    pub body: Vec<u8>,
}

impl Capture {
    /// A header's value, by lowercase name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// The headers as they are read: in order of first appearance, repeats joined with `, `.
///
/// The index from name to position makes each header cost the same however many came
/// before: a curl command can hold tens of thousands of `-H`, and a search of the list for
/// each one made 40,000 of them take seconds (issue 13). A `BTreeMap`, not a `HashMap`: no
/// random seed (the core uses no randomness) and no hash-collision worst case.
#[derive(Default)]
struct Headers {
    list: Vec<(String, String)>,
    index: BTreeMap<String, usize>,
}

impl Headers {
    fn add(&mut self, name: &str, value: &str) {
        let name = name.trim().to_ascii_lowercase();
        let value = value.trim();
        match self.index.get(&name).and_then(|&i| self.list.get_mut(i)) {
            Some((_, existing)) => {
                existing.push_str(", ");
                existing.push_str(value);
            }
            None => {
                self.index.insert(name.clone(), self.list.len());
                self.list.push((name, value.to_owned()));
            }
        }
    }
}

/// Parses a raw HTTP request or a `curl` command; anything else is
/// [`Error::CaptureMalformed`].
///
/// ```
/// use payhook::capture::{parse_capture, Format};
/// let c = parse_capture("curl -X POST https://x.test/hook -H 'Content-Sha256: abc' -d '{\"a\":1}'").unwrap();
/// assert_eq!((c.format, c.method.as_str(), c.header("content-sha256")), (Format::Curl, "POST", Some("abc")));
/// let h = parse_capture("POST /hook HTTP/1.1\nHost: x\nAuthorization: Bearer t\n\n{}").unwrap();
/// assert_eq!((h.format, h.body.as_slice()), (Format::Http, b"{}".as_slice()));
/// ```
pub fn parse_capture(text: &str) -> Result<Capture, Error> {
    let trimmed = text.trim_start();
    if trimmed.starts_with("curl ")
        || trimmed.starts_with("curl\t")
        || trimmed.starts_with("curl\\")
    {
        parse_curl(trimmed)
    } else {
        parse_http(trimmed)
    }
}

/// A raw HTTP request: the head parsed by `httparse` (bare LF line ends accepted, as pasted
/// text often has them), the body everything after the blank line.
fn parse_http(text: &str) -> Result<Capture, Error> {
    let bytes = text.as_bytes();
    // The head ends after the first blank line, whichever line ending it uses.
    let head_len = match (find(bytes, b"\r\n\r\n"), find(bytes, b"\n\n")) {
        (Some(crlf), Some(lf)) if lf < crlf => lf + 2,
        (Some(crlf), _) => crlf + 4,
        (None, Some(lf)) => lf + 2,
        (None, None) => bytes.len(),
    };
    let (head, body) = bytes
        .split_at_checked(head_len)
        .ok_or(Error::CaptureMalformed)?;
    let mut storage = [httparse::EMPTY_HEADER; 96];
    let mut request = httparse::Request::new(&mut storage);
    let mut head = head.to_vec();
    if !head.ends_with(b"\n\n") && !head.ends_with(b"\r\n\r\n") {
        head.extend_from_slice(b"\r\n\r\n");
    }
    match request.parse(&head) {
        Ok(httparse::Status::Complete(_)) => {}
        _ => return Err(Error::CaptureMalformed),
    }
    let mut headers = Headers::default();
    for header in request.headers.iter() {
        headers.add(header.name, &String::from_utf8_lossy(header.value));
    }
    Ok(Capture {
        format: Format::Http,
        method: request.method.unwrap_or_default().to_owned(),
        url: request.path.unwrap_or_default().to_owned(),
        headers: headers.list,
        body: body.to_vec(),
    })
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// curl options that take a value payhook does not need.
const SKIPPED_WITH_VALUE: &[&str] = &[
    "-o",
    "--output",
    "-m",
    "--max-time",
    "--connect-timeout",
    "-b",
    "--cookie",
    "-e",
    "--referer",
    "--retry",
    "-w",
    "--write-out",
    "-x",
    "--proxy",
    "--cacert",
    "--cert",
    "--key",
    "--resolve",
    "--http-version",
];
/// Single-letter curl flags without a value, alone or grouped (`-sSL`).
const FLAG_LETTERS: &str = "sSLkvifNg#";
/// Long curl flags without a value.
const SKIPPED_FLAGS: &[&str] = &[
    "--compressed",
    "--silent",
    "--show-error",
    "--location",
    "--insecure",
    "--verbose",
    "--include",
    "--fail",
    "--http1.1",
    "--http2",
    "--no-buffer",
    "--globoff",
];

/// A `curl` command: `-X`, `-H`, the `-d`/`--data*` family (several are joined with `&`, as
/// curl does), `-u user:password` (Basic), `-A`, `--url` and the URL; transfer flags are
/// ignored; a body read from a file (`@file`) or any other option is refused.
fn parse_curl(text: &str) -> Result<Capture, Error> {
    let words = shell_words(text)?;
    let mut args = words.iter().skip(1);
    let mut capture = Capture {
        format: Format::Curl,
        method: String::new(),
        url: String::new(),
        headers: Vec::new(),
        body: Vec::new(),
    };
    let mut headers = Headers::default();
    let mut data: Vec<&str> = Vec::new();
    while let Some(arg) = args.next() {
        let mut value = || {
            args.next()
                .map(String::as_str)
                .ok_or(Error::CaptureMalformed)
        };
        match arg.as_str() {
            "-X" | "--request" => capture.method = value()?.to_owned(),
            "-H" | "--header" => {
                let (name, v) = value()?.split_once(':').ok_or(Error::CaptureMalformed)?;
                headers.add(name, v);
            }
            "-d" | "--data" | "--data-raw" | "--data-binary" | "--data-ascii" => {
                let v = value()?;
                if v.starts_with('@') && arg != "--data-raw" {
                    return Err(Error::CaptureMalformed);
                }
                data.push(v);
            }
            "-u" | "--user" => {
                let encoded =
                    crate::b64::encode(value()?.as_bytes(), crate::b64::Alphabet::Standard, true);
                headers.add("authorization", &format!("Basic {encoded}"));
            }
            "-A" | "--user-agent" => headers.add("user-agent", value()?),
            "--url" => capture.url = value()?.to_owned(),
            a if SKIPPED_WITH_VALUE.contains(&a) => {
                value()?;
            }
            a if SKIPPED_FLAGS.contains(&a) => {}
            a if a.len() > 1
                && a.starts_with('-')
                && !a.starts_with("--")
                && a.chars().skip(1).all(|c| FLAG_LETTERS.contains(c)) => {}
            a if a.starts_with('-') => return Err(Error::CaptureMalformed),
            url if capture.url.is_empty() => capture.url = url.to_owned(),
            _ => return Err(Error::CaptureMalformed),
        }
    }
    capture.headers = headers.list;
    capture.body = data.join("&").into_bytes();
    if capture.method.is_empty() {
        capture.method = if data.is_empty() { "GET" } else { "POST" }.to_owned();
    }
    if capture.url.is_empty() {
        return Err(Error::CaptureMalformed);
    }
    Ok(capture)
}

/// Splits a command line as bash does: whitespace between words; `'…'` literal; `"…"` with
/// `\"`, `\\`, `\$` and `` \` `` escapes; `$'…'` with C escapes (what browsers' "Copy as
/// cURL" writes for bodies with quotes); `\` escaping outside quotes; `\` + newline joining
/// lines.
fn shell_words(text: &str) -> Result<Vec<String>, Error> {
    let mut words = Vec::new();
    let mut word: Option<String> = None;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('\n') => {}
                Some('\r') if chars.peek() == Some(&'\n') => {
                    chars.next();
                }
                Some(escaped) => word.get_or_insert_with(String::new).push(escaped),
                None => return Err(Error::CaptureMalformed),
            },
            '\'' => {
                let w = word.get_or_insert_with(String::new);
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(ch) => w.push(ch),
                        None => return Err(Error::CaptureMalformed),
                    }
                }
            }
            '"' => {
                let w = word.get_or_insert_with(String::new);
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(e @ ('"' | '\\' | '$' | '`')) => w.push(e),
                            Some('\n') => {}
                            Some(other) => {
                                w.push('\\');
                                w.push(other);
                            }
                            None => return Err(Error::CaptureMalformed),
                        },
                        Some(ch) => w.push(ch),
                        None => return Err(Error::CaptureMalformed),
                    }
                }
            }
            '$' if chars.peek() == Some(&'\'') => {
                chars.next();
                ansi_c_quoted(&mut chars, word.get_or_insert_with(String::new))?;
            }
            c if c.is_whitespace() => {
                if let Some(w) = word.take() {
                    words.push(w);
                }
            }
            c => word.get_or_insert_with(String::new).push(c),
        }
    }
    words.extend(word);
    Ok(words)
}

/// The inside of `$'…'`, up to its closing quote.
fn ansi_c_quoted(
    chars: &mut core::iter::Peekable<core::str::Chars>,
    out: &mut String,
) -> Result<(), Error> {
    loop {
        match chars.next().ok_or(Error::CaptureMalformed)? {
            '\'' => return Ok(()),
            '\\' => {
                let escaped = chars.next().ok_or(Error::CaptureMalformed)?;
                match escaped {
                    'n' => out.push('\n'),
                    't' => out.push('\t'),
                    'r' => out.push('\r'),
                    '0' => out.push('\0'),
                    'x' | 'u' | 'U' => {
                        let max = match escaped {
                            'x' => 2,
                            'u' => 4,
                            _ => 8,
                        };
                        let mut digits = String::new();
                        while digits.len() < max
                            && chars.peek().is_some_and(char::is_ascii_hexdigit)
                        {
                            digits.extend(chars.next());
                        }
                        let code = u32::from_str_radix(&digits, 16)
                            .map_err(|_| Error::CaptureMalformed)?;
                        out.push(char::from_u32(code).ok_or(Error::CaptureMalformed)?);
                    }
                    other => out.push(other),
                }
            }
            c => out.push(c),
        }
    }
}
