//! The shared vectors (`vectors/*.json`) as Rust values, for the native and the wasm suites.
#![allow(dead_code)]

use serde::Deserialize;

#[derive(Deserialize)]
struct File<T> {
    cases: Vec<T>,
}

/// What a case expects: an error code, or which secret/value matched and how.
#[derive(Deserialize)]
pub struct Expect {
    error: Option<String>,
    secret_index: Option<usize>,
    accepted_index: Option<usize>,
    encoding: Option<String>,
    scheme: Option<String>,
}

impl Expect {
    /// `Ok((index, encoding or scheme))` or `Err(code)`, comparable with a result.
    pub fn verdict(&self) -> Result<(usize, String), String> {
        match &self.error {
            Some(code) => Err(code.clone()),
            None => Ok((
                self.secret_index.or(self.accepted_index).expect("an index"),
                self.encoding
                    .clone()
                    .or(self.scheme.clone())
                    .expect("an encoding or scheme"),
            )),
        }
    }
}

#[derive(Deserialize)]
pub struct R2Case {
    pub name: String,
    body: Option<String>,
    body_hex: Option<String>,
    pub header: Option<String>,
    pub secrets: Vec<String>,
    pub expect: Expect,
}

impl R2Case {
    pub fn body(&self) -> Vec<u8> {
        match (&self.body, &self.body_hex) {
            (Some(text), None) => text.as_bytes().to_vec(),
            (None, Some(hex)) => unhex(hex),
            _ => panic!("{}: needs exactly one of body, body_hex", self.name),
        }
    }
}

#[derive(Deserialize)]
pub struct BelvoCase {
    pub name: String,
    pub header: Option<String>,
    pub accepted: Vec<String>,
    pub expect: Expect,
}

#[derive(Deserialize)]
pub struct Rfc4231Case {
    pub case: u32,
    pub key: String,
    pub data: String,
    pub hmac_sha256: String,
}

fn cases<T: for<'de> Deserialize<'de>>(json: &str) -> Vec<T> {
    serde_json::from_str::<File<T>>(json)
        .expect("vectors parse")
        .cases
}

pub fn r2_cases() -> Vec<R2Case> {
    cases(include_str!("../../vectors/r2_signature.json"))
}

pub fn belvo_cases() -> Vec<BelvoCase> {
    cases(include_str!("../../vectors/belvo_authorization.json"))
}

pub fn rfc4231_cases() -> Vec<Rfc4231Case> {
    cases(include_str!("../../vectors/rfc4231.json"))
}

pub fn unhex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex"))
        .collect()
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Runs every case, then reports all failures at once, by name.
pub fn run_table<T>(
    cases: &[T],
    name: impl Fn(&T) -> &str,
    check: impl Fn(&T) -> Result<(), String>,
) {
    assert!(!cases.is_empty(), "no cases");
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|c| check(c).err().map(|why| format!("{}: {why}", name(c))))
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

/// Compares a result with a case's expectation.
pub fn compare(got: Result<(usize, String), String>, expect: &Expect) -> Result<(), String> {
    let want = expect.verdict();
    if got == want {
        Ok(())
    } else {
        Err(format!("expected {want:?}, got {got:?}"))
    }
}
