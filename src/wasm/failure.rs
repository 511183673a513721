//! Errors cross into JavaScript here, and only here.

use wasm_bindgen::JsValue;

use crate::Error;

/// An [`Error`] plus an optional detail for the JS message (which argument was wrong). The
/// detail is written by the binding, never copied from a secret or a header value.
#[derive(Debug)]
pub struct Failure {
    error: Error,
    detail: Option<String>,
}

impl Failure {
    /// An error with a detail that says what exactly was wrong.
    pub fn new(error: Error, detail: impl Into<String>) -> Self {
        Failure {
            error,
            detail: Some(detail.into()),
        }
    }
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        Failure {
            error,
            detail: None,
        }
    }
}

impl From<Failure> for JsValue {
    /// A real `Error` named `PayhookError`, with `code` and `status` properties.
    fn from(failure: Failure) -> JsValue {
        let Failure { error, detail } = failure;
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
        js.into()
    }
}
