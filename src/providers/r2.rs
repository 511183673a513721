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

use serde_json::{Map, Value};

use std::borrow::Cow;

use super::shape::{self, Members, Missing, ObjectRef, Owned, Read, shape};
use super::walk::{Ctx, Obj, Path, Required, quote};
use super::{
    Acknowledgement, Amount, Issue, Options, Payload, PayloadError, Report, RetrySchedule, Seen,
    Webhook, known_enum,
};
use crate::json::{self, Json, ToJson, Writer, serialize_as_json};

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

/// Members payhook adds at the top level of the serialized value (written first).
const ADDED: &[&str] = &["event_type", "seen"];

/// The top-level members a dedup key leaves out.
const NOT_HASHED: &[&str] = ADDED;

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

shape! {
    /// The `event` object every payload carries: "basic information about the event that
    /// occurred (such as time and type)".
    pub struct Envelope ref EnvelopeRef {
        /// Unix seconds. Sent as a string (walkthrough) or an integer (callbacks page); at
        /// most 2^53 - 1, so that JavaScript holds it exactly (as every R2 time here).
        event_time: i64 = event_time(Required),
        /// As sent. Types payhook does not list are accepted (R2 keeps adding them).
        event_type: String = id(Required),
        /// Absent or `null` is read as empty (absent is recorded as `event_metadata_absent`).
        event_metadata: EventMetadata = metadata<EventMetadata>(Optional),
        ..extra(Checked, "Members outside the model.")
    }
}

shape! {
    /// `event.event_metadata`.
    pub struct EventMetadata ref EventMetadataRef {
        /// Why it happened (`CAP reached` on a pause, the reason of a rejection).
        reason: Option<String> = string(Optional),
        ..extra(Checked, "Members outside the model.")
    }
}

shape! {
    /// The `financing` object (FinancingEvent). Only `financing_id` is required: R2 sends
    /// some events with little more than the id and `event.event_metadata.reason`.
    pub struct Financing ref FinancingRef {
        financing_id: String = id(Required),
        disbursed_amount: Option<Amount> = amount(Optional),
        total_repayment_amount: Option<Amount> = amount(Optional),
        /// A percentage (`17.36`, callbacks page) or a fraction (`0.14`, walkthrough): the
        /// documents disagree and the value alone cannot tell, so it is kept as sent.
        repayment_rate: Option<Amount> = amount(Optional),
        currency: Option<Currency> = known<Currency>(Optional),
        /// Unix seconds.
        created_at: Option<i64> = timestamp(Optional),
        status: Option<FinancingStatus> = known<FinancingStatus>(Optional),
        /// Unix seconds.
        due_date: Option<i64> = timestamp(Optional),
        external_merchant_id: Option<String> = id(Optional),
        financing_kind: Option<FinancingKind> = known<FinancingKind>(Optional),
        fixed_fee: Option<Amount> = amount(Optional),
        /// The partner's own data, kept whole.
        metadata: Option<Map<String, Value>> = open_object(Optional),
        /// Kept whole.
        custom_fields: Option<Vec<Value>> = array(Optional),
        requester_email_address: Option<String> = string(Optional),
        ..extra(Checked, "Members outside the model.")
    }
}

shape! {
    /// The `collection` object (CollectionEvent).
    pub struct Collection ref CollectionRef {
        /// Required, except on `collection_rejected` (no collection was created).
        collection_id: Option<String> = id(RequiredUnless("collection_rejected")),
        financing_id: String = id(Required),
        partner_collection_id: Option<String> = id(Optional),
        /// Negative on `collection_returned` (a refund).
        repayment_amount: Option<Amount> = amount(Optional),
        /// Unix seconds.
        collected_at: Option<i64> = timestamp(Optional),
        /// Unix seconds.
        created_at: Option<i64> = timestamp(Optional),
        remaining_balance: Option<Amount> = amount(Optional),
        /// On `direct_payment_created`.
        original_repayment_amount: Option<Amount> = amount(Optional),
        /// On `direct_payment_created`.
        collection_kind: Option<CollectionKind> = known<CollectionKind>(Optional),
        /// The refunded collection; required on `collection_returned`.
        related_collection_id: Option<String> = id(RequiredOn("collection_returned")),
        ..extra(Checked, "Members outside the model.")
    }
}

shape! {
    /// The retention object (RetentionEvent): collections totalled over a period. No public
    /// document describes it: only its id is typed (a guess by analogy with
    /// `financing_id`), every member is kept.
    pub struct Retention ref RetentionRef {
        retention_id: Option<String> = id(Optional),
        ..extra(Kept, "Every other member.")
    }
}

shape! {
    /// The `application` object of `application_created`. No public document describes it:
    /// only its id is typed, every member is kept.
    pub struct Application ref ApplicationRef {
        application_id: Option<String> = id(Optional),
        ..extra(Kept, "Every other member.")
    }
}

shape! {
    /// The `payment` object some payloads may carry ("Event payloads may include a
    /// financing, application, payment, collection"). No public document describes it: only
    /// its id is typed, every member is kept.
    pub struct Payment ref PaymentRef {
        payment_id: Option<String> = id(Optional),
        ..extra(Kept, "Every other member.")
    }
}

macro_rules! event_struct {
    ($(#[doc = $doc:literal])* $name:ident ref $rname:ident { $key:ident: $object:ident }) => {
        shape! {
            $(#[doc = $doc])*
            pub struct $name ref $rname {
                /// The envelope.
                event: Envelope = object<Envelope>(Required),
                $key: $object = object<$object>(Required),
                /// A `payment` object, if the event carries one.
                payment: Option<Payment> = object<Payment>(Optional),
                ..extra(Checked, "Top-level members outside the model."), ..seen
            }
        }

        impl $name {
            /// The member holding the type's object.
            const KEY: &'static str = stringify!($key);
        }
    };
}

event_struct! {
    /// A FinancingEvent: the envelope and a `financing` object.
    FinancingEvent ref FinancingEventRef { financing: Financing }
}
event_struct! {
    /// A CollectionEvent: the envelope and a `collection` object.
    CollectionEvent ref CollectionEventRef { collection: Collection }
}
event_struct! {
    /// A RetentionEvent: the envelope and a retention object, under `retention`.
    RetentionEvent ref RetentionEventRef { retention: Retention }
}
event_struct! {
    /// The envelope and an `application` object.
    ApplicationEvent ref ApplicationEventRef { application: Application }
}

/// An event type payhook does not know (lenient mode): the envelope, and every other
/// top-level member as sent.
#[derive(Clone, Debug, PartialEq)]
pub struct UnknownEvent {
    /// The discriminant, as sent.
    pub event_type: String,
    /// The envelope.
    pub event: Envelope,
    /// Every other top-level member.
    pub raw: Map<String, Value>,
    /// Which documented variants this payload used.
    pub seen: Vec<Seen>,
}

serialize_as_json!(UnknownEvent);
serialize_as_json!(R2Event);

/// [`UnknownEvent`] borrowed (see [`shape::Owned`]).
pub(crate) struct UnknownEventRef<'a> {
    event_type: Cow<'a, str>,
    event: EnvelopeRef<'a>,
    raw: ObjectRef<'a>,
    seen: Cow<'a, [Seen]>,
}

/// Not [`Owned`]: never a field, so neither missing nor left out.
impl UnknownEvent {
    pub(crate) fn borrow(&self) -> UnknownEventRef<'_> {
        UnknownEventRef {
            event_type: Cow::Borrowed(&self.event_type),
            event: self.event.borrow(),
            raw: self.raw.borrow(),
            seen: Cow::Borrowed(&self.seen),
        }
    }

    pub(crate) fn from_ref(value: UnknownEventRef<'_>) -> Self {
        UnknownEvent {
            event_type: value.event_type.into_owned(),
            event: Envelope::from_ref(value.event),
            raw: Owned::from_ref(value.raw),
            seen: value.seen.into_owned(),
        }
    }
}

/// Written borrowed, by the one writer.
impl ToJson for UnknownEvent {
    fn write_json(&self, out: &mut Writer) {
        self.borrow().write_json(out);
    }
}

/// `{ event_type, seen, event, …raw }`, as a documented event is written.
impl ToJson for UnknownEventRef<'_> {
    fn write_json(&self, out: &mut Writer) {
        out.begin_object();
        out.member("event_type", &self.event_type);
        out.member("seen", &self.seen);
        let mut raw = shape::Unread::of(&self.raw, NOT_HASHED);
        raw.write_before(out, Some("event"));
        out.member("event", &self.event);
        raw.write_before(out, None);
        out.end_object();
    }
}

macro_rules! r2_events {
    ($( $(#[doc = $doc:literal])* $variant:ident = $name:literal => $event:ident, )*) => {
        /// An R2 event, one variant per documented `event_type`, tagged by `event_type`.
        #[derive(Clone, Debug, PartialEq)]
        pub enum R2Event {
            $( $(#[doc = $doc])* $variant($event), )*
            /// A type not (yet) documented; only in lenient mode.
            Unknown(UnknownEvent),
        }

        /// [`R2Event`] borrowed (see [`shape::Owned`]): what a body is read into, and what
        /// is written.
        pub(crate) enum R2EventRef<'a> {
            $( $variant(<$event as Owned>::Ref<'a>), )*
            Unknown(UnknownEventRef<'a>),
        }

        /// Not [`Owned`]: never a field, so neither missing nor left out.
        impl R2Event {
            pub(crate) fn borrow(&self) -> R2EventRef<'_> {
                match self {
                    $( R2Event::$variant(e) => R2EventRef::$variant(e.borrow()), )*
                    R2Event::Unknown(e) => R2EventRef::Unknown(e.borrow()),
                }
            }

            pub(crate) fn from_ref(value: R2EventRef<'_>) -> Self {
                match value {
                    $( R2EventRef::$variant(e) => R2Event::$variant(Owned::from_ref(e)), )*
                    R2EventRef::Unknown(e) => R2Event::Unknown(UnknownEvent::from_ref(e)),
                }
            }
        }

        /// Written borrowed, by the one writer.
        impl ToJson for R2Event {
            fn write_json(&self, out: &mut Writer) {
                self.borrow().write_json(out);
            }
        }

        /// The payload with payhook's members first (`event_type`, the tag it adds, and
        /// `seen`), then the provider's in code-point order: what the dedup key hashes.
        impl ToJson for R2EventRef<'_> {
            fn write_json(&self, out: &mut Writer) {
                let event: &dyn Members = match self {
                    $( R2EventRef::$variant(e) => e, )*
                    R2EventRef::Unknown(e) => return e.write_json(out),
                };
                out.begin_object();
                out.member("event_type", self.event_type());
                event.write_members(out, NOT_HASHED);
                out.end_object();
            }
        }

        impl<'a> R2EventRef<'a> {
            /// The `event_type`, as sent.
            pub(crate) fn event_type(&self) -> &str {
                match self {
                    $( R2EventRef::$variant(_) => $name, )*
                    R2EventRef::Unknown(e) => &e.event_type,
                }
            }

            /// The `event` envelope.
            pub(crate) fn envelope(&self) -> &EnvelopeRef<'a> {
                match self {
                    $( R2EventRef::$variant(e) => &e.event, )*
                    R2EventRef::Unknown(e) => &e.event,
                }
            }

            fn seen_mut(&mut self) -> &mut Cow<'a, [Seen]> {
                match self {
                    $( R2EventRef::$variant(e) => &mut e.seen, )*
                    R2EventRef::Unknown(e) => &mut e.seen,
                }
            }

            /// The documented type's variant, read whole; the body back for another type.
            fn read_known<'p>(
                cx: &mut Ctx,
                top: Obj<'a, 'p>,
                event_type: &str,
            ) -> Result<Self, Obj<'a, 'p>> {
                Ok(match event_type {
                    $( $name => R2EventRef::$variant(<$event as Read>::read(cx, top, event_type)), )*
                    _ => return Err(top),
                })
            }
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

            /// Every documented event type as data (see [`crate::providers::shape`]).
            pub const EVENTS: &'static [shape::R2EventType] = &[$(shape::R2EventType {
                event_type: $name,
                variant: stringify!($variant),
                docs: &[$($doc),*],
                payload: &$event::SHAPE,
                key: $event::KEY,
            }),*];
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

/// An undocumented type (or none): the envelope, and every other member kept as sent.
fn read_unknown<'a>(cx: &mut Ctx, mut top: Obj<'a, '_>) -> R2EventRef<'a> {
    let event = match cx.object(&mut top, "event", Required) {
        Some(o) => Envelope::read(cx, o, ""),
        None => EnvelopeRef::missing(),
    };
    // Without a type (already reported as missing) there is nothing more to check.
    if cx.strict && !event.event_type.is_empty() {
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
    let raw = ObjectRef::parsed(top.unread());
    R2EventRef::Unknown(UnknownEventRef {
        event_type: event.event_type.clone(),
        event,
        raw,
        seen: Cow::Borrowed(&[]),
    })
}

/// Reads an R2 payload already parsed as a JSON object (see [`parse_r2_event`]), moving its
/// values into the event.
pub fn from_json(map: Map<String, Value>, strict: bool) -> Result<R2Event, PayloadError> {
    read(Obj::from_map(map, Path::Top), strict).map(R2Event::from_ref)
}

/// The [`dedup_key`](super::dedup_key) of the payload [`from_json`] reads, written as read
/// without making the owned payload (the npm package's `dedupKey(event)`).
#[doc(hidden)]
pub fn dedup_key_from_json(map: Map<String, Value>, strict: bool) -> Result<String, PayloadError> {
    read(Obj::from_map(map, Path::Top), strict).map(|payload| payload.json_and_key().1)
}

/// Reads an R2 payload, parsed or from a `Map`, into its borrowed form: every rule of
/// validation and normalisation is here and in the models' readers.
fn read<'a>(mut top: Obj<'a, '_>, strict: bool) -> Result<R2EventRef<'a>, PayloadError> {
    // The type decides what the body must hold: read it first, without reporting anything.
    let event_type = top
        .get("event")
        .and_then(|e| e.member_text("event_type"))
        .unwrap_or_default();
    let mut cx = Ctx::new(strict);
    cx.reserved(&mut top, ADDED);
    let mut parsed = match R2EventRef::read_known(&mut cx, top, &event_type) {
        Ok(known) => known,
        Err(top) => read_unknown(&mut cx, top),
    };
    if !cx.issues.is_empty() {
        return Err(PayloadError::invalid(cx.issues));
    }
    *parsed.seen_mut() = Cow::Owned(cx.seen);
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
    read_r2_event(body, options).map(R2Event::from_ref)
}

/// [`parse_r2_event`] in the borrowed form, before the owned event is made of it.
pub(crate) fn read_r2_event(body: &[u8], options: Options) -> Result<R2EventRef<'_>, PayloadError> {
    let members = json::parse_members(body, options.max_bytes)?;
    read(Obj::new(members, Path::Top), options.strict)
}

/// [`parse_r2_event`]'s event written as [`json::to_string`] writes it, and its dedup key's
/// start ([`super::dedup_key_start`]), without making the owned event: what the npm package
/// gives JavaScript.
#[doc(hidden)]
pub fn parse_r2_event_json(body: &[u8], options: Options) -> Result<(Json, String), PayloadError> {
    read_r2_event(body, options).map(|event| event.json_and_start())
}

/// Like [`parse_r2_event`], but returns a report with every issue instead of an error.
pub fn validate_r2_event(body: &[u8], options: Options) -> Report<R2Event> {
    parse_r2_event(body, options).into()
}

impl Webhook for R2Event {
    const PROVIDER: &'static str = "r2";

    fn kind(&self) -> String {
        self.borrow().kind().into_owned()
    }

    const ADDED: &'static [&'static str] = ADDED;
    const NOT_HASHED: &'static [&'static str] = NOT_HASHED;
}

impl Payload for R2EventRef<'_> {
    const PROVIDER: &'static str = <R2Event as Webhook>::PROVIDER;
    const NOT_HASHED: &'static [&'static str] = NOT_HASHED;

    fn kind(&self) -> Cow<'_, str> {
        Cow::Borrowed(self.event_type())
    }
}
