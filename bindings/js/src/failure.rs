//! Errors cross into JavaScript here, and only here: as JSON text, which the package turns
//! into its `PayhookError` (npm/error.js `coreError`).

use std::borrow::Cow;

use wasm_bindgen::JsValue;

use payhook::Error;
use payhook::allowlist::AllowlistError;
use payhook::providers::Issue;

/// An [`Error`] plus what the JS error needs beyond its code: a detail for the message (which
/// argument was wrong), the JSON Pointer of a bad document entry, a payload's issues. None
/// is ever copied from a secret or a credential.
#[derive(Debug)]
pub struct Failure {
    error: Error,
    /// A fixed text is borrowed, not copied: no allocation in each refusal's code.
    detail: Option<Cow<'static, str>>,
    path: Option<String>,
    issues: Option<Vec<Issue>>,
}

impl Failure {
    /// An error with a detail that says what exactly was wrong.
    pub fn new(error: Error, detail: impl Into<Cow<'static, str>>) -> Self {
        Failure {
            detail: Some(detail.into()),
            ..Failure::from(error)
        }
    }

    /// The same failure, carrying a payload's issues (`error.issues`).
    pub fn with_issues(self, issues: Vec<Issue>) -> Self {
        Failure {
            issues: Some(issues),
            ..self
        }
    }

    /// The same failure, its path prefixed with the option it came from (`/trust/proxies`).
    pub fn under(self, option: &str) -> Self {
        let path = format!("{option}{}", self.path.as_deref().unwrap_or_default());
        Failure {
            path: Some(path),
            ..self
        }
    }
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        Failure {
            error,
            detail: None,
            path: None,
            issues: None,
        }
    }
}

/// At most this many characters of a path or detail that may hold caller input (a region
/// name), so a message never carries a whole secret pasted into the wrong option.
const ECHO_LIMIT: usize = 64;

fn bounded(text: String) -> String {
    match text.char_indices().nth(ECHO_LIMIT) {
        Some((cut, _)) => format!("{}…", text.get(..cut).unwrap_or_default()),
        None => text,
    }
}

impl From<AllowlistError> for Failure {
    fn from(e: AllowlistError) -> Self {
        let e = AllowlistError {
            path: bounded(e.path),
            ..e
        };
        Failure {
            detail: Some(Cow::Owned(e.to_string())),
            path: Some(e.path),
            ..Failure::from(Error::AllowlistMalformed)
        }
    }
}

impl From<Failure> for JsValue {
    /// `{ code, status, message, path?, issues? }` as JSON text, thrown as a string.
    fn from(failure: Failure) -> JsValue {
        let message = match &failure.detail {
            Some(detail) => format!("{}: {detail}", failure.error.message()),
            None => failure.error.message().to_owned(),
        };
        JsValue::from(payhook::json::object(|out| {
            out.member("code", failure.error.code());
            out.member("status", &failure.error.status());
            out.member("message", &message);
            out.optional("path", failure.path.as_ref());
            out.optional("issues", failure.issues.as_ref());
        }))
    }
}
