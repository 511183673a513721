//! R2 events: the `event` envelope plus one object that depends on `event_type`.
//!
//! The parsed value serializes as the provider's JSON, normalised (`event_time` an integer),
//! plus two members of payhook's own: a top-level `event_type` (the discriminant, copied from
//! `event.event_type`, so a TypeScript union can narrow on it) and `seen`. A body that itself
//! has a top-level `event_type` or `seen` loses them (recorded as `reserved_field_dropped`;
//! flagged in strict mode). Unknown members are kept, flattened where they were.
//!
//! Required: `event` with `event_time` and `event_type`; the event's object (`financing`,
//! `collection`, `retention`, `application`) with its id (`financing_id`; `collection_id`
//! except on `collection_rejected`, which has none; `related_collection_id` on
//! `collection_returned`). Everything else is optional, because R2 sends some events with
//! little more than an id and `event_metadata.reason`.

use core::time::Duration;

use serde::Serialize;
use serde_json::{Map, Value};

use super::walk::{Ctx, Obj, Optional, Required, quote};
use super::{
    Acknowledgement, Amount, Issue, Options, PayloadError, Report, RetrySchedule, Seen, Webhook,
    known_enum, provider_json,
};
use crate::json;

/// The answer R2 requires: HTTP 200 with a body containing `R2 API Event Received`, within
/// 30 s. Anything else is a failed delivery, retried.
pub const ACK: Acknowledgement = Acknowledgement {
    status: 200,
    max_status: 200,
    body: "R2 API Event Received",
    within: Duration::from_secs(30),
};

/// Six retries, each delay three times the previous: 5 min, 15 min, 45 min, 2 h 15 min,
/// 6 h 45 min, 20 h 15 min (the walkthrough gives the last three; R2's callbacks page the
/// rest). After the sixth R2 clears the callback URL (older text) or leaves the event to a
/// manual retry from its back office (newer text), which can come later still.
pub const RETRIES: RetrySchedule = RetrySchedule {
    delays: &[
        Duration::from_secs(5 * 60),
        Duration::from_secs(15 * 60),
        Duration::from_secs(45 * 60),
        Duration::from_secs(2 * 3600 + 15 * 60),
        Duration::from_secs(6 * 3600 + 45 * 60),
        Duration::from_secs(20 * 3600 + 15 * 60),
    ],
    timeout: Duration::from_secs(30),
    // A resend by hand from R2's back office, later than the sixth retry.
    margin: Duration::from_secs(24 * 3600),
};

/// Members payhook adds at the top level of the serialized value.
const ADDED: &[&str] = &["event_type", "seen"];

known_enum! {
    /// A financing's currency. R2 lends in Colombia, Mexico and Chile; others may come.
    Currency {
        /// Colombian peso.
        Cop = "COP",
        /// Mexican peso.
        Mxn = "MXN",
        /// Chilean peso.
        Clp = "CLP",
    }
}

known_enum! {
    /// `financing_kind`.
    FinancingKind {
        /// A first financing.
        Regular = "REGULAR",
        /// A renewal of an earlier one.
        Refill = "REFILL",
    }
}

known_enum! {
    /// A financing's `status`.
    FinancingStatus {
        /// Created, not yet disbursed.
        Initialized = "INITIALIZED",
        /// Being repaid.
        Active = "ACTIVE",
        /// Repaid.
        Paid = "PAID",
    }
}

known_enum! {
    /// `collection_kind`, on `direct_payment_created`.
    CollectionKind {
        /// Paid by the merchant directly.
        Direct = "DIRECT",
        /// Settled by a refill financing.
        Refill = "REFILL",
    }
}

/// The `event` object every payload carries.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Envelope {
    /// Unix seconds. Sent as a string (walkthrough) or an integer (callbacks page); at most
    /// 2^53 - 1, so that JavaScript holds it exactly (as every R2 time here).
    pub event_time: i64,
    /// As sent.
    pub event_type: String,
    /// Absent is read as empty (recorded as `event_metadata_absent`).
    pub event_metadata: EventMetadata,
    /// Members outside the model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `event.event_metadata`.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct EventMetadata {
    /// Why it happened (`CAP reached` on a pause, the reason of a rejection).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Members outside the model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The `financing` object (FinancingEvent).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Financing {
    /// Required.
    pub financing_id: String,
    #[allow(missing_docs)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disbursed_amount: Option<Amount>,
    #[allow(missing_docs)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total_repayment_amount: Option<Amount>,
    /// A percentage (`17.36`, callbacks page) or a fraction (`0.14`, walkthrough): the
    /// documents disagree and the value alone cannot tell, so it is kept as sent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub repayment_rate: Option<Amount>,
    #[allow(missing_docs)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub currency: Option<Currency>,
    /// Unix seconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_at: Option<i64>,
    #[allow(missing_docs)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<FinancingStatus>,
    /// Unix seconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due_date: Option<i64>,
    #[allow(missing_docs)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external_merchant_id: Option<String>,
    #[allow(missing_docs)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub financing_kind: Option<FinancingKind>,
    #[allow(missing_docs)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fixed_fee: Option<Amount>,
    /// The partner's own data, kept whole.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Map<String, Value>>,
    /// Kept whole.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub custom_fields: Option<Vec<Value>>,
    #[allow(missing_docs)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub requester_email_address: Option<String>,
    /// Members outside the model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The `collection` object (CollectionEvent).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Collection {
    /// Required, except on `collection_rejected` (no collection was created).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub collection_id: Option<String>,
    /// Required.
    pub financing_id: String,
    #[allow(missing_docs)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub partner_collection_id: Option<String>,
    /// Negative on `collection_returned` (a refund).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub repayment_amount: Option<Amount>,
    /// Unix seconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub collected_at: Option<i64>,
    /// Unix seconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_at: Option<i64>,
    #[allow(missing_docs)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remaining_balance: Option<Amount>,
    /// On `direct_payment_created`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub original_repayment_amount: Option<Amount>,
    /// On `direct_payment_created`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub collection_kind: Option<CollectionKind>,
    /// The refunded collection; required on `collection_returned`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub related_collection_id: Option<String>,
    /// Members outside the model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

macro_rules! open_object {
    ($(#[doc = $doc:literal])* $name:ident { $id:ident }) => {
        $(#[doc = $doc])*
        ///
        /// No public document describes it: only its id is typed (a guess by analogy with
        /// `financing_id`), every member is kept.
        #[derive(Clone, Debug, Default, PartialEq, Serialize)]
        pub struct $name {
            #[allow(missing_docs)]
            #[serde(skip_serializing_if = "Option::is_none")]
            pub $id: Option<String>,
            /// Every other member.
            #[serde(flatten)]
            pub extra: Map<String, Value>,
        }

        impl $name {
            fn read(cx: &mut Ctx, mut obj: Obj<'_>, _event_type: &str) -> Self {
                let $id = cx.id(&mut obj, stringify!($id), Optional);
                $name { $id, extra: open_rest(&obj) }
            }
        }
    };
}

open_object! {
    /// The retention object (RetentionEvent): collections totalled over a period.
    Retention { retention_id }
}
open_object! {
    /// The `application` object of `application_created`.
    Application { application_id }
}
open_object! {
    /// The `payment` object some payloads may carry.
    Payment { payment_id }
}

/// Every member not read yet, never flagged: the open objects have no documented fields.
fn open_rest(obj: &Obj<'_>) -> Map<String, Value> {
    obj.unread()
}

macro_rules! event_struct {
    ($(#[doc = $doc:literal])* $name:ident { $key:ident: $object:ident }) => {
        $(#[doc = $doc])*
        #[derive(Clone, Debug, PartialEq, Serialize)]
        pub struct $name {
            /// The envelope.
            pub event: Envelope,
            #[allow(missing_docs)]
            pub $key: $object,
            /// A `payment` object, if the event carries one.
            #[serde(skip_serializing_if = "Option::is_none")]
            pub payment: Option<Payment>,
            /// Top-level members outside the model.
            #[serde(flatten)]
            pub extra: Map<String, Value>,
            /// Which documented variants this payload used.
            pub seen: Vec<Seen>,
        }

        impl $name {
            fn read(cx: &mut Ctx, top: &mut Obj<'_>, event: Envelope) -> Self {
                let $key = match cx.object(top, stringify!($key), Required) {
                    Some(obj) => $object::read(cx, obj, &event.event_type),
                    None => $object::default(),
                };
                let payment = cx.object(top, "payment", Optional).map(|o| Payment::read(cx, o, ""));
                let extra = cx.rest(top);
                $name { event, $key, payment, extra, seen: Vec::new() }
            }
        }
    };
}

event_struct! {
    /// A payload with a `financing` object.
    FinancingEvent { financing: Financing }
}
event_struct! {
    /// A payload with a `collection` object.
    CollectionEvent { collection: Collection }
}
event_struct! {
    /// A payload with a retention object, under `retention`.
    RetentionEvent { retention: Retention }
}
event_struct! {
    /// A payload with an `application` object.
    ApplicationEvent { application: Application }
}

/// An event type payhook does not know (lenient mode): the envelope, and every other
/// top-level member as sent.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct UnknownEvent {
    /// The discriminant, as sent.
    pub event_type: String,
    /// The envelope.
    pub event: Envelope,
    /// Every other top-level member.
    #[serde(flatten)]
    pub raw: Map<String, Value>,
    /// Which documented variants this payload used.
    pub seen: Vec<Seen>,
}

macro_rules! r2_events {
    ($( $(#[doc = $doc:literal])* $variant:ident = $name:literal => $event:ident, )*) => {
        /// An R2 event, one variant per documented `event_type`, tagged by `event_type`.
        #[derive(Clone, Debug, PartialEq, Serialize)]
        #[serde(tag = "event_type")]
        pub enum R2Event {
            $( $(#[doc = $doc])* #[serde(rename = $name)] $variant($event), )*
            /// A type not (yet) documented; only in lenient mode.
            #[serde(untagged)]
            Unknown(UnknownEvent),
        }

        impl R2Event {
            /// Every documented `event_type`.
            pub const KNOWN: &'static [&'static str] = &[$($name),*];

            /// The `event_type`, as sent.
            pub fn event_type(&self) -> &str {
                match self {
                    $( R2Event::$variant(_) => $name, )*
                    R2Event::Unknown(e) => &e.event_type,
                }
            }

            /// The `event` envelope.
            pub fn envelope(&self) -> &Envelope {
                match self {
                    $( R2Event::$variant(e) => &e.event, )*
                    R2Event::Unknown(e) => &e.event,
                }
            }

            /// Which documented variants this payload used.
            pub fn seen(&self) -> &[Seen] {
                match self {
                    $( R2Event::$variant(e) => &e.seen, )*
                    R2Event::Unknown(e) => &e.seen,
                }
            }

            fn seen_mut(&mut self) -> &mut Vec<Seen> {
                match self {
                    $( R2Event::$variant(e) => &mut e.seen, )*
                    R2Event::Unknown(e) => &mut e.seen,
                }
            }

            fn read_known(cx: &mut Ctx, top: &mut Obj<'_>, event: Envelope) -> Result<Self, Envelope> {
                Ok(match event.event_type.as_str() {
                    $( $name => R2Event::$variant($event::read(cx, top, event)), )*
                    _ => return Err(event),
                })
            }
        }
    };
}

r2_events! {
    /// A new financing was created.
    FinancingCreated = "financing_created" => FinancingEvent,
    /// Charges on the financing stopped (regulation, a cap reached, …).
    FinancingPaused = "financing_paused" => FinancingEvent,
    /// Charges resumed.
    FinancingResumed = "financing_resumed" => FinancingEvent,
    /// The financing was repaid.
    FinancingPaid = "financing_paid" => FinancingEvent,
    /// A paid financing was re-activated (not deployed to production).
    FinancingActive = "financing_active" => FinancingEvent,
    /// The financing was canceled (not deployed to production).
    FinancingCanceled = "financing_canceled" => FinancingEvent,
    /// A direct payment was reported to R2.
    DirectPaymentCreated = "direct_payment_created" => CollectionEvent,
    /// A collection was created (not deployed to production).
    CollectionCreated = "collection_created" => CollectionEvent,
    /// A collection was not created; `event_metadata.reason` says why (not deployed).
    CollectionRejected = "collection_rejected" => CollectionEvent,
    /// A collection was refunded in whole or part: negative `repayment_amount`.
    CollectionReturned = "collection_returned" => CollectionEvent,
    /// Collections totalled over a period (not deployed to production).
    RetentionCreated = "retention_created" => RetentionEvent,
    /// An application was created (the walkthrough's second example).
    ApplicationCreated = "application_created" => ApplicationEvent,
    /// Changelog: a collection returned by the insurer.
    CollectionReturnedByInsurance = "collection_returned_by_insurance" => CollectionEvent,
    /// Changelog: a direct payment made by the insurer.
    DirectPaymentCreatedByInsurance = "direct_payment_created_by_insurance" => CollectionEvent,
    /// Changelog: interest was charged on the financing.
    FinancingInterestCharged = "financing_interest_charged" => FinancingEvent,
    /// Changelog: the insurer repaid the financing.
    FinancingPaidByInsurance = "financing_paid_by_insurance" => FinancingEvent,
    /// Changelog: charges paused by the insurer.
    FinancingPausedByInsurance = "financing_paused_by_insurance" => FinancingEvent,
    /// Changelog: the financing was written off.
    FinancingWriteOff = "financing_write_off" => FinancingEvent,
}

impl Financing {
    fn read(cx: &mut Ctx, mut o: Obj<'_>, _event_type: &str) -> Self {
        Financing {
            financing_id: cx.id(&mut o, "financing_id", Required).unwrap_or_default(),
            disbursed_amount: cx.amount(&mut o, "disbursed_amount", Optional),
            total_repayment_amount: cx.amount(&mut o, "total_repayment_amount", Optional),
            repayment_rate: cx.amount(&mut o, "repayment_rate", Optional),
            currency: cx.known(&mut o, "currency", Optional),
            created_at: cx.timestamp(&mut o, "created_at", Optional),
            status: cx.known(&mut o, "status", Optional),
            due_date: cx.timestamp(&mut o, "due_date", Optional),
            external_merchant_id: cx.id(&mut o, "external_merchant_id", Optional),
            financing_kind: cx.known(&mut o, "financing_kind", Optional),
            fixed_fee: cx.amount(&mut o, "fixed_fee", Optional),
            metadata: cx.open_object(&mut o, "metadata", Optional),
            custom_fields: cx.array(&mut o, "custom_fields", Optional),
            requester_email_address: cx.string(&mut o, "requester_email_address", Optional),
            extra: cx.rest(&o),
        }
    }
}

impl Collection {
    fn read(cx: &mut Ctx, mut o: Obj<'_>, event_type: &str) -> Self {
        let id_need = if event_type == "collection_rejected" {
            Optional
        } else {
            Required
        };
        let related_need = if event_type == "collection_returned" {
            Required
        } else {
            Optional
        };
        Collection {
            collection_id: cx.id(&mut o, "collection_id", id_need),
            financing_id: cx.id(&mut o, "financing_id", Required).unwrap_or_default(),
            partner_collection_id: cx.id(&mut o, "partner_collection_id", Optional),
            repayment_amount: cx.amount(&mut o, "repayment_amount", Optional),
            collected_at: cx.timestamp(&mut o, "collected_at", Optional),
            created_at: cx.timestamp(&mut o, "created_at", Optional),
            remaining_balance: cx.amount(&mut o, "remaining_balance", Optional),
            original_repayment_amount: cx.amount(&mut o, "original_repayment_amount", Optional),
            collection_kind: cx.known(&mut o, "collection_kind", Optional),
            related_collection_id: cx.id(&mut o, "related_collection_id", related_need),
            extra: cx.rest(&o),
        }
    }
}

fn read_envelope(cx: &mut Ctx, top: &mut Obj<'_>) -> Envelope {
    let Some(mut o) = cx.object(top, "event", Required) else {
        return Envelope::default();
    };
    let event_time = match cx.unix_time(&mut o, "event_time", Required) {
        Some((secs, true)) => {
            cx.see(Seen::EventTimeAsString);
            secs
        }
        Some((secs, false)) => {
            cx.see(Seen::EventTimeAsInteger);
            secs
        }
        None => 0,
    };
    let event_type = cx.id(&mut o, "event_type", Required).unwrap_or_default();
    let event_metadata = match cx.object(&mut o, "event_metadata", Optional) {
        Some(mut m) => EventMetadata {
            reason: cx.string(&mut m, "reason", Optional),
            extra: cx.rest(&m),
        },
        None => {
            if o.map.get("event_metadata").is_none() {
                cx.see(Seen::EventMetadataAbsent);
            }
            EventMetadata::default()
        }
    };
    Envelope {
        event_time,
        event_type,
        event_metadata,
        extra: cx.rest(&o),
    }
}

/// Reads an R2 payload already parsed as a JSON object (see [`parse_r2_event`]).
pub fn from_json(map: &Map<String, Value>, strict: bool) -> Result<R2Event, PayloadError> {
    let mut cx = Ctx::new(strict);
    let mut top = Obj::new(map, String::new());
    for key in ADDED {
        if top.raw(key).is_some() {
            if strict {
                let path = top.at(key);
                cx.push(Issue::new(
                    &path,
                    "unknown_field",
                    format!("`{key}` is not a documented field"),
                ));
            } else {
                cx.see(Seen::ReservedFieldDropped);
            }
        }
    }
    let event = read_envelope(&mut cx, &mut top);
    let mut parsed = match R2Event::read_known(&mut cx, &mut top, event) {
        Ok(known) => known,
        Err(event) => {
            // Without a type (already reported as missing) there is nothing more to check.
            if strict && !event.event_type.is_empty() {
                cx.push(
                    Issue::new(
                        "/event/event_type",
                        "unknown_event_type",
                        "not a documented R2 event type",
                    )
                    .expected("a documented event type (strict mode)")
                    .found(quote(&event.event_type)),
                );
            }
            let raw = top.unread();
            R2Event::Unknown(UnknownEvent {
                event_type: event.event_type.clone(),
                event,
                raw,
                seen: Vec::new(),
            })
        }
    };
    if !cx.issues.is_empty() {
        return Err(PayloadError::invalid(cx.issues));
    }
    *parsed.seen_mut() = cx.seen;
    Ok(parsed)
}

/// Parses and validates an R2 callback body: the raw bytes, after the signature check.
///
/// ```
/// use payhook::providers::{r2::{self, R2Event}, Options, Seen};
/// let body = br#"{"event":{"event_time":"1348177752","event_type":"financing_paid",
///   "event_metadata":{}},"financing":{"financing_id":"fa5c8a0b"}}"#;
/// let event = r2::parse_r2_event(body, Options::default()).unwrap();
/// assert!(matches!(&event, R2Event::FinancingPaid(e) if e.event.event_time == 1348177752));
/// assert_eq!(event.seen(), [Seen::EventTimeAsString]);
/// ```
pub fn parse_r2_event(body: &[u8], options: Options) -> Result<R2Event, PayloadError> {
    from_json(
        &json::parse_object(body, options.max_bytes)?,
        options.strict,
    )
}

/// Like [`parse_r2_event`], but returns a report with every issue instead of an error.
pub fn validate_r2_event(body: &[u8], options: Options) -> Report<R2Event> {
    parse_r2_event(body, options).into()
}

impl Webhook for R2Event {
    const PROVIDER: &'static str = "r2";

    fn kind(&self) -> String {
        self.event_type().to_owned()
    }

    fn to_json(&self) -> Value {
        provider_json(self, ADDED)
    }
}
