//! Errors cross into JavaScript here, and only here.

use wasm_bindgen::JsValue;

use crate::Error;
use crate::allowlist::AllowlistError;

/// An [`Error`] plus what the JS error needs beyond its code: a detail for the message (which
/// argument was wrong) and, for documents, the JSON Pointer of the bad part. Both are written
/// by the binding, never copied from a secret or a credential.
#[derive(Debug)]
pub struct Failure {
    error: Error,
    detail: Option<String>,
    path: Option<String>,
}

impl Failure {
    /// An error with a detail that says what exactly was wrong.
    pub fn new(error: Error, detail: impl Into<String>) -> Self {
        Failure {
            error,
            detail: Some(detail.into()),
            path: None,
        }
    }
}

impl Failure {
    /// The same failure, its path prefixed with the option it came from (`/trust/proxies`).
    pub fn under(mut self, option: &str) -> Self {
        self.path = Some(format!("{option}{}", self.path.unwrap_or_default()));
        self
    }
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        Failure {
            error,
            detail: None,
            path: None,
        }
    }
}

impl From<AllowlistError> for Failure {
    fn from(e: AllowlistError) -> Self {
        Failure {
            error: e.error(),
            detail: Some(e.to_string()),
            path: Some(e.path),
        }
    }
}

impl From<Failure> for JsValue {
    /// A real `Error` named `PayhookError`, with `code`, `status` and, where known, `path`.
    fn from(failure: Failure) -> JsValue {
        let Failure {
            error,
            detail,
            path,
        } = failure;
        let message = match detail {
            Some(detail) => format!("{}: {detail}", error.message()),
            None => error.message().to_owned(),
        };
        let js = js_sys::Error::new(&message);
        js.set_name("PayhookError");
        let object: &JsValue = js.as_ref();
        // Setting a property on a fresh, extensible Error cannot fail.
        let _ = js_sys::Reflect::set(object, &"code".into(), &error.code().into());
        let _ = js_sys::Reflect::set(object, &"status".into(), &error.status().into());
        if let Some(path) = path {
            let _ = js_sys::Reflect::set(object, &"path".into(), &path.into());
        }
        js.into()
    }
}
