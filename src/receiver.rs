//! One delivery, start to finish: source address, then the body's size, then the signature
//! (R2) or the `Authorization` header (Belvo), then the payload, then (R2) the replay window,
//! then the dedup key, and the answer to send either way. Still pure: the caller hands in
//! the bytes and headers it read and the time it received them, and writes the [`Answer`]
//! it gets back.

use core::time::Duration;

use crate::json::{Json, ToJson, Writer};
use crate::providers::{Issue, Options, Payload, PayloadError, belvo, r2};
use crate::signature::secrets_count;
use crate::{
    Allowlist, BelvoWebhook, ClientIp, Credential, Encoding, Error, ForwardingHeaders, R2Event,
    ReplayWindow, Scheme, SigningKey, Trust, check_authorization, client_ip, dedup_key, json,
    verify_signature_with,
};

/// How a provider's deliveries are authenticated.
#[derive(Clone, Debug)]
pub enum Verifier {
    /// R2: HMAC-SHA256 of the body in `Content-Sha256`, under any of these keys.
    R2Signature(Vec<SigningKey>),
    /// Belvo: the `Authorization` header equals one of these registered values.
    BelvoAuthorization(Vec<Credential>),
    /// Belvo without an `Authorization` value registered: the source address is the only
    /// check, so [`Receiver::new`] insists on an allowlist.
    BelvoUnauthenticated,
}

/// What a receiver checks, made once and used for every delivery.
#[derive(Clone, Debug)]
pub struct Receiver {
    verifier: Verifier,
    allowlist: Option<Allowlist>,
    trust: Trust,
    options: Options,
    replay: ReplayWindow,
}

/// A request body: its bytes, or only its size when it is over the limit, so that a caller
/// never copies (or reads) more than [`Options::max_bytes`] to have it refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Body<'a> {
    /// The body, exactly as received.
    Bytes(&'a [u8]),
    /// A body of this many bytes (at least), over the limit, that the caller did not read or
    /// copy. Refused as [`Error::PayloadTooLarge`] in its turn, after the address check.
    Oversized(u64),
}

impl<'a> Body<'a> {
    /// The bytes, or the size error a parser reports for an oversized body.
    fn bytes(self, max_bytes: usize) -> Result<&'a [u8], PayloadError> {
        match self {
            Body::Bytes(bytes) => Ok(bytes),
            Body::Oversized(size) => Err(json::too_large(size, max_bytes)),
        }
    }
}

impl Default for Body<'_> {
    fn default() -> Self {
        Body::Bytes(&[])
    }
}

impl<'a> From<&'a [u8]> for Body<'a> {
    fn from(bytes: &'a [u8]) -> Self {
        Body::Bytes(bytes)
    }
}

/// What one request brought: the raw body, the header values that matter, and when.
#[derive(Clone, Copy, Debug, Default)]
pub struct Delivery<'a> {
    /// The body.
    pub body: Body<'a>,
    /// `Content-Sha256`.
    pub signature: Option<&'a str>,
    /// `Authorization`.
    pub authorization: Option<&'a str>,
    /// The forwarding headers, for the client address.
    pub forwarding: ForwardingHeaders<'a>,
    /// The socket peer's address, as the runtime reports it: `None` where there is no
    /// socket (Workers), `Some("")` for a peer without an address (see [`client_ip()`]).
    pub peer: Option<&'a str>,
    /// When it arrived, since the Unix epoch, by the caller's clock: R2's signed
    /// `event_time` must be within the [`ReplayWindow`] of it.
    pub received_at: Duration,
}

/// A parsed event of either provider.
#[derive(Clone, Debug, PartialEq)]
pub enum Event {
    /// An R2 event.
    R2(R2Event),
    /// A Belvo webhook.
    Belvo(BelvoWebhook),
}

/// The event as its provider's payload (untagged).
impl ToJson for Event {
    fn write_json(&self, out: &mut Writer) {
        match self {
            Event::R2(e) => e.write_json(out),
            Event::Belvo(e) => e.write_json(out),
        }
    }
}

crate::json::serialize_as_json!(Event);

/// A payload as read, before the owned event is made of it (see `providers::shape::Owned`).
enum Parsed<'a> {
    R2(r2::R2EventRef<'a>),
    Belvo(belvo::BelvoWebhookRef<'a>),
}

/// A delivery that passed every check. `E` is the parsed event: [`Event`] from
/// [`Receiver::receive`], nothing (`()`) from [`Receiver::receive_json`].
#[derive(Clone, Debug, PartialEq)]
pub struct Accepted<E = Event> {
    /// The event.
    pub event: E,
    /// The event as JSON, as the npm package gives it to JavaScript (every member, in the
    /// model's order; numbers as JavaScript reads them): written with the dedup key's text.
    pub event_json: Json,
    /// Its content-derived key: the same for a retry of the same event.
    pub dedup_key: String,
    /// The client address, when an allowlist was checked.
    pub client_ip: Option<ClientIp>,
    /// R2: which secret signed it, and how the header was encoded.
    pub signature: Option<(usize, Encoding)>,
    /// Belvo: which accepted `Authorization` value it matched.
    pub authorization: Option<(usize, Scheme)>,
}

/// A refused delivery: the error, and for a payload the first issues found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refused {
    /// Why.
    pub error: Error,
    /// The payload's first [`Refused::MAX_ISSUES`] issues (empty for other errors).
    pub issues: Vec<Issue>,
    /// How many issues were found in all.
    pub issue_count: usize,
}

impl Refused {
    /// How many issues a refusal carries: enough to debug an integration, and a bounded
    /// answer however many problems a (signed, size-limited) body holds.
    pub const MAX_ISSUES: usize = 100;
}

impl From<Error> for Refused {
    fn from(error: Error) -> Self {
        Refused {
            error,
            issues: Vec::new(),
            issue_count: 0,
        }
    }
}

impl From<PayloadError> for Refused {
    fn from(e: PayloadError) -> Self {
        let issue_count = e.issues.len();
        let mut issues = e.issues;
        issues.truncate(Refused::MAX_ISSUES);
        Refused {
            error: e.error,
            issues,
            issue_count,
        }
    }
}

/// The HTTP answer to send.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answer {
    /// The status.
    pub status: u16,
    /// The `Content-Type`.
    pub content_type: &'static str,
    /// The body.
    pub body: String,
}

impl Receiver {
    /// A receiver. A Belvo receiver needs an `Authorization` value, an allowlist, or both:
    /// with neither, anyone could post to it, so that is [`Error::SecretInvalid`]. So are
    /// more than [`MAX_SECRETS`](crate::MAX_SECRETS) secrets or accepted values.
    pub fn new(
        verifier: Verifier,
        allowlist: Option<Allowlist>,
        trust: Trust,
        options: Options,
    ) -> Result<Self, Error> {
        let verifies = match &verifier {
            Verifier::R2Signature(keys) => secrets_count(keys.len()),
            Verifier::BelvoAuthorization(accepted) => secrets_count(accepted.len()),
            Verifier::BelvoUnauthenticated => allowlist.is_some(),
        };
        if !verifies {
            return Err(Error::SecretInvalid);
        }
        Ok(Receiver {
            verifier,
            allowlist,
            trust,
            options,
            replay: ReplayWindow::default(),
        })
    }

    /// The same receiver with another replay window (R2; Belvo sends no time).
    pub fn with_replay_window(self, replay: ReplayWindow) -> Self {
        Receiver { replay, ..self }
    }

    /// The payload options (strictness, body limit).
    pub fn options(&self) -> Options {
        self.options
    }

    /// How long to remember a handled event's dedup key: R2's covers the replay window, so
    /// nothing slips between the two; Belvo's is its retry window with a margin.
    pub fn dedup_retention(&self) -> Duration {
        match self.verifier {
            Verifier::R2Signature(_) => self.replay.dedup_retention(),
            _ => belvo::RETRIES.dedup_retention(),
        }
    }

    /// `r2` or `belvo`.
    pub fn provider(&self) -> &'static str {
        match self.verifier {
            Verifier::R2Signature(_) => "r2",
            _ => "belvo",
        }
    }

    /// Checks one delivery: address, size, authenticity, the payload, and (R2) its time.
    pub fn receive(&self, delivery: &Delivery) -> Result<Accepted, Refused> {
        self.accept(delivery, |parsed| match parsed {
            Parsed::R2(event) => Event::R2(R2Event::from_ref(event)),
            Parsed::Belvo(webhook) => Event::Belvo(BelvoWebhook::from_ref(webhook)),
        })
    }

    /// [`Receiver::receive`] without the parsed event: the same checks, the same
    /// [`Accepted::event_json`] and [`Accepted::dedup_key`], written from the payload as read
    /// without making the owned event: what the npm package calls, as it only gives JavaScript
    /// the JSON (natively, 13 allocations for a 1 KiB R2 delivery instead of 35).
    pub fn receive_json(&self, delivery: &Delivery) -> Result<Accepted<()>, Refused> {
        self.accept(delivery, |_| ())
    }

    /// Every check of one delivery, then `event` of the payload as read.
    fn accept<E>(
        &self,
        delivery: &Delivery,
        event: impl FnOnce(Parsed<'_>) -> E,
    ) -> Result<Accepted<E>, Refused> {
        let client_ip = match &self.allowlist {
            Some(list) => {
                let found = client_ip(delivery.peer, &delivery.forwarding, &self.trust)?;
                if !list.contains(found.ip) {
                    return Err(Error::IpNotAllowed.into());
                }
                Some(found)
            }
            None => None,
        };
        // Refused before any hashing: the body's size bounds the work a sender can cause.
        let body = match delivery.body {
            Body::Bytes(bytes) if bytes.len() <= self.options.max_bytes => bytes,
            _ => return Err(Error::PayloadTooLarge.into()),
        };
        let (mut signature, mut authorization) = (None, None);
        match &self.verifier {
            Verifier::R2Signature(keys) => {
                let found = verify_signature_with(body, delivery.signature.unwrap_or(""), keys)?;
                signature = Some((found.secret_index, found.encoding));
            }
            Verifier::BelvoAuthorization(accepted) => {
                let found = check_authorization(delivery.authorization.unwrap_or(""), accepted)?;
                authorization = Some((found.accepted_index, found.scheme));
            }
            Verifier::BelvoUnauthenticated => {}
        }
        let parsed = match self.verifier {
            Verifier::R2Signature(_) => {
                let event = r2::read_r2_event(body, self.options)?;
                self.replay
                    .check(event.envelope().event_time, delivery.received_at)?;
                Parsed::R2(event)
            }
            _ => Parsed::Belvo(belvo::read_belvo_webhook(body, self.options)?),
        };
        let (event_json, dedup_key) = match &parsed {
            Parsed::R2(event) => event.json_and_key(),
            Parsed::Belvo(webhook) => webhook.json_and_key(),
        };
        Ok(Accepted {
            event: event(parsed),
            event_json,
            dedup_key,
            client_ip,
            signature,
            authorization,
        })
    }

    /// What to answer an accepted delivery: R2 wants 200 with exactly `R2 API Event
    /// Received`; Belvo any 2xx, fast.
    pub fn accepted_answer(&self) -> Answer {
        match self.verifier {
            Verifier::R2Signature(_) => Answer {
                status: r2::ACK.status,
                content_type: "text/plain; charset=utf-8",
                body: r2::ACK.body.to_owned(),
            },
            _ => Answer {
                status: belvo::ACK.status,
                content_type: "application/json",
                body: r#"{"received":true}"#.to_owned(),
            },
        }
    }

    /// What to answer a refused delivery: the error's status and a JSON body with its code,
    /// static message and, for a payload, its first issues and their count (a sender testing
    /// its integration sees the problems; a body full of them gets a bounded answer). A stale
    /// event gets the provider's success answer: it will never become valid, so a retry would
    /// only fail again. It never holds a secret, a token or the expected signature.
    pub fn refused_answer(&self, refused: &Refused) -> Answer {
        if refused.error == Error::EventStale {
            return self.accepted_answer();
        }
        // Every object's members in key order (an issue's too), as this body always was.
        let body = crate::json::object(|body| {
            body.member("error", refused.error.code());
            if !refused.issues.is_empty() {
                body.member("issueCount", &refused.issue_count);
                body.member("issues", &refused.issues);
            }
            body.member("message", refused.error.message());
        });
        Answer {
            status: refused.error.status(),
            content_type: "application/json",
            body,
        }
    }
}

/// Every check of one delivery, each run even when an earlier one fails: what the validator
/// page and `payhook verify` show when someone asks why a delivery was refused.
#[derive(Clone, Debug, PartialEq)]
pub struct Inspection {
    /// The client address: `None` when no allowlist is configured.
    pub address: Option<Result<ClientIp, (Error, Option<ClientIp>)>>,
    /// R2's signature or Belvo's `Authorization`: `None` when Belvo has none configured.
    pub authenticity: Option<Result<Authenticity, Error>>,
    /// The payload, parsed and validated.
    pub payload: Result<Event, Refused>,
    /// R2: whether the signed `event_time` is within the replay window (`None` for Belvo,
    /// which sends no time, or when the payload did not parse).
    pub freshness: Option<Result<(), Error>>,
    /// The dedup key, when the payload parsed.
    pub dedup_key: Option<String>,
    /// What [`Receiver::receive`] answers: the first failing check in its order, or success.
    pub verdict: Result<(), Refused>,
    /// The answer a receiver would send.
    pub answer: Answer,
}

/// How a delivery proved where it came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Authenticity {
    /// R2: the secret that signed it, and the header's encoding.
    Signature(usize, Encoding),
    /// Belvo: the accepted `Authorization` value it matched.
    Authorization(usize, Scheme),
}

impl Receiver {
    /// A receiver for [`Receiver::inspect`] only: it may lack secrets or checks, and the
    /// inspection then says what could not be checked.
    pub fn for_inspection(
        verifier: Verifier,
        allowlist: Option<Allowlist>,
        trust: Trust,
        options: Options,
    ) -> Self {
        Receiver {
            verifier,
            allowlist,
            trust,
            options,
            replay: ReplayWindow::default(),
        }
    }

    /// Runs every check of [`Receiver::receive`], without stopping at the first failure.
    pub fn inspect(&self, delivery: &Delivery) -> Inspection {
        let address = self.allowlist.as_ref().map(|list| {
            let found = client_ip(delivery.peer, &delivery.forwarding, &self.trust)
                .map_err(|e| (e, None))?;
            if list.contains(found.ip) {
                Ok(found)
            } else {
                Err((Error::IpNotAllowed, Some(found)))
            }
        });
        // An oversized body that was not copied cannot be hashed: its check says so.
        let body = delivery.body.bytes(self.options.max_bytes);
        let authenticity = match &self.verifier {
            Verifier::R2Signature(keys) => Some(match body {
                Ok(body) => verify_signature_with(body, delivery.signature.unwrap_or(""), keys)
                    .map(|m| Authenticity::Signature(m.secret_index, m.encoding)),
                Err(_) => Err(Error::PayloadTooLarge),
            }),
            Verifier::BelvoAuthorization(accepted) => Some(
                check_authorization(delivery.authorization.unwrap_or(""), accepted)
                    .map(|m| Authenticity::Authorization(m.accepted_index, m.scheme)),
            ),
            Verifier::BelvoUnauthenticated => None,
        };
        let payload = body
            .and_then(|body| match self.verifier {
                Verifier::R2Signature(_) => r2::parse_r2_event(body, self.options).map(Event::R2),
                _ => belvo::parse_belvo_webhook(body, self.options).map(Event::Belvo),
            })
            .map_err(Refused::from);
        let freshness = match &payload {
            Ok(Event::R2(e)) => Some(
                self.replay
                    .check(e.envelope().event_time, delivery.received_at),
            ),
            _ => None,
        };
        let dedup_key = payload.as_ref().ok().map(|event| match event {
            Event::R2(e) => dedup_key(e),
            Event::Belvo(e) => dedup_key(e),
        });
        // The receiver's order: address, size, authenticity, the payload, its time.
        let too_large = matches!(&payload, Err(r) if r.error == Error::PayloadTooLarge);
        // A receiver with nothing to check would refuse to start (see `Receiver::new`).
        let unconfigured =
            matches!(self.verifier, Verifier::BelvoUnauthenticated) && self.allowlist.is_none();
        let verdict = match (&address, &authenticity, &payload) {
            _ if unconfigured => Err(Refused::from(Error::SecretInvalid)),
            (Some(Err((e, _))), _, _) => Err(Refused::from(*e)),
            (_, _, Err(r)) if too_large => Err(r.clone()),
            (_, Some(Err(e)), _) => Err(Refused::from(*e)),
            (_, _, Err(r)) => Err(r.clone()),
            _ => match freshness {
                Some(Err(e)) => Err(Refused::from(e)),
                _ => Ok(()),
            },
        };
        let answer = match &verdict {
            Ok(()) => self.accepted_answer(),
            Err(refused) => self.refused_answer(refused),
        };
        Inspection {
            address,
            authenticity,
            payload,
            freshness,
            dedup_key,
            verdict,
            answer,
        }
    }
}

impl Event {
    /// One line saying what happened to what: `financing_created · financing fa5c8a0b… ·
    /// event_time 1348177752`, or `PAYMENT_INTENTS.STATUS_UPDATE · object d2e40773… · FAILED`.
    pub fn summary(&self) -> String {
        let json = crate::json::to_value(self);
        let text = |v: &serde_json::Value| match v {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        match self {
            Event::R2(e) => {
                let mut parts = vec![e.event_type().to_owned()];
                let object = json
                    .as_object()
                    .into_iter()
                    .flatten()
                    .find(|(k, v)| v.is_object() && !matches!(k.as_str(), "event" | "seen"));
                if let Some((name, value)) = object {
                    let id = value
                        .get(format!("{name}_id"))
                        .or_else(|| value.get("financing_id"));
                    parts.push(match id {
                        Some(id) => format!("{name} {}", text(id)),
                        None => name.clone(),
                    });
                }
                if let Some(time) = json.pointer("/event/event_time") {
                    parts.push(format!("event_time {}", text(time)));
                }
                parts.join(" · ")
            }
            Event::Belvo(e) => {
                let mut parts = vec![format!("{}.{}", e.webhook_type(), e.webhook_code())];
                for (label, pointer) in [
                    ("object", "/object_id"),
                    ("link", "/link_id"),
                    ("status", "/data/status"),
                ] {
                    if let Some(v) = json.pointer(pointer).filter(|v| !v.is_null()) {
                        parts.push(format!("{label} {}", text(v)));
                    }
                }
                parts.join(" · ")
            }
        }
    }
}
