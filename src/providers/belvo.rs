//! Belvo webhooks: one envelope (`webhook_id`, `webhook_type`, `webhook_code`, `data`) for
//! payment initiation and for aggregation/enrichment, told apart by the type and code.
//!
//! Payment webhooks add `object_id` and `external_id`; aggregation ones `link_id`,
//! `request_id` and `process_type`. The parsed value serializes as the provider's JSON plus
//! payhook's `seen` list (a body's own top-level `seen` is dropped and recorded, or flagged
//! in strict mode); `webhook_type` and `webhook_code` together discriminate the union.
//!
//! Routing: an aggregation `webhook_code` (`historical_update`, …) picks the aggregation
//! variant of that code whatever the type; `OBJECT_CREATED` or `STATUS_UPDATE` with a payment
//! type picks that type's variant whatever the pair (the seeds' own sample is
//! `TRANSACTIONS`/`STATUS_UPDATE`, the tables say `OBJECT_CREATED`); a pair the documents
//! do not list together is recorded as `undocumented_pair`. The codes of the newer types
//! (`ENROLLMENTS`, `PAYMENT_AUTHORIZATIONS`, `CUSTOMERS`) are not documented in the notes.
//! Anything else is `Unknown` (lenient) or `unknown_event_type` (strict).

use core::time::Duration;

use serde_json::{Map, Value};

use std::borrow::Cow;

use super::shape::{self, Members, Owned, Read, Status, shape};
use super::walk::{Ctx, Obj, Path, Required, quote};
use super::{
    Acknowledgement, Issue, Options, Payload, PayloadError, Report, RetrySchedule, Seen, Webhook,
    known_enum,
};
use crate::json::{self, Item, Json, ToJson, Writer, serialize_as_json};

/// Belvo wants any 2xx within 5 seconds; the body does not matter.
pub const ACK: Acknowledgement = Acknowledgement {
    status: 200,
    max_status: 299,
    body: "",
    within: Duration::from_secs(5),
};

/// Three retries, 60 s apart (the payment pages). An older page says "5 times, with linear
/// backoff": at one-minute steps that spans 15 min 30 s, which the one-hour margin covers
/// four times over. Belvo sends no time and no delivery id, so the retention is all that
/// tells a retry from a genuine repeat: an hour, not a day, so that a link's
/// `invalid_credentials` sent again later that day is handled as the new event it is.
pub const RETRIES: RetrySchedule = RetrySchedule {
    delays: &[
        Duration::from_secs(60),
        Duration::from_secs(60),
        Duration::from_secs(60),
    ],
    timeout: Duration::from_secs(5),
    margin: Duration::from_secs(3600),
};

/// Members payhook adds at the top level of the serialized value.
const ADDED: &[&str] = &["seen"];
/// What a dedup key leaves out (written first): [`ADDED`], and `webhook_id`, which names the
/// registered webhook rather than the event.
const NOT_HASHED: &[&str] = &["seen", "webhook_id"];

known_enum! {
    /// `webhook_type`: the resource the webhook is about.
    WebhookType {
        /// Payments (Colombia): a bank account was created.
        BankAccounts = "BANK_ACCOUNTS",
        /// Payments: a payment intent changed status.
        PaymentIntents = "PAYMENT_INTENTS",
        /// Payments: a transaction was created; aggregation: transactions changed.
        Transactions = "TRANSACTIONS",
        /// Payments (Brazil): a charge changed status.
        Charges = "CHARGES",
        /// Payments, newer.
        Enrollments = "ENROLLMENTS",
        /// Payments, newer.
        PaymentAuthorizations = "PAYMENT_AUTHORIZATIONS",
        /// Payments, newer.
        Customers = "CUSTOMERS",
        /// Aggregation: accounts.
        Accounts = "ACCOUNTS",
        /// Aggregation: bills.
        Bills = "BILLS",
        /// Aggregation: a link's credentials or token.
        Links = "LINKS",
        /// Aggregation: an Open Finance consent.
        Consents = "CONSENTS",
    }
}

known_enum! {
    /// `webhook_code`: what happened. Payment codes are upper case, aggregation ones lower.
    WebhookCode {
        /// Payments.
        ObjectCreated = "OBJECT_CREATED",
        /// Payments.
        StatusUpdate = "STATUS_UPDATE",
        /// Aggregation: the first full load of a link finished.
        HistoricalUpdate = "historical_update",
        /// Aggregation.
        NewAccountsAvailable = "new_accounts_available",
        /// Aggregation.
        NewTransactionsAvailable = "new_transactions_available",
        /// Aggregation.
        TransactionsUpdated = "transactions_updated",
        /// Aggregation.
        TransactionsDeleted = "transactions_deleted",
        /// Aggregation: the link's credentials stopped working.
        InvalidCredentials = "invalid_credentials",
        /// Aggregation: the institution wants a token.
        TokenRequired = "token_required",
        /// Aggregation: a consent expired.
        ConsentExpired = "consent_expired",
        /// Aggregation: an Open Finance consent expired.
        OpenfinanceConsentExpired = "openfinance_consent_expired",
    }
}

known_enum! {
    /// A payment intent's `status`.
    PaymentIntentStatus {
        RequiresPaymentMethod = "REQUIRES_PAYMENT_METHOD",
        RequiresAction = "REQUIRES_ACTION",
        Processing = "PROCESSING",
        Scheduled = "SCHEDULED",
        ScheduleFinished = "SCHEDULE_FINISHED",
        Succeeded = "SUCCEEDED",
        Canceled = "CANCELED",
        Failed = "FAILED",
    }
}

known_enum! {
    /// A charge's `status`.
    ChargeStatus {
        Created = "CREATED",
        Pending = "PENDING",
        Scheduled = "SCHEDULED",
        Succeeded = "SUCCEEDED",
        Canceled = "CANCELED",
        Failed = "FAILED",
    }
}

known_enum! {
    /// `process_type` of aggregation webhooks.
    ProcessType {
        /// The first load of a link.
        HistoricalUpdate = "historical_update",
        /// A scheduled refresh.
        RecurrentUpdate = "recurrent_update",
    }
}

/// A `failure_code`, kept as sent: Belvo writes some upper case (`INSUFFICIENT_FUNDS`) and
/// some lower (`consent_expired`), so compare with [`FailureCode::is`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct FailureCode(pub String);

/// Written borrowed, by the one writer.
impl ToJson for FailureCode {
    fn write_json(&self, out: &mut Writer) {
        self.borrow().write_json(out);
    }
}

/// Borrowed, the code's text.
impl Owned for FailureCode {
    type Ref<'a> = Cow<'a, str>;

    fn borrow(&self) -> Cow<'_, str> {
        Cow::Borrowed(&self.0)
    }

    fn from_ref(value: Cow<'_, str>) -> Self {
        FailureCode(value.into_owned())
    }
}

impl FailureCode {
    /// Case-insensitive comparison: `is("consent_expired")` holds for `CONSENT_EXPIRED`.
    pub fn is(&self, code: &str) -> bool {
        self.0.eq_ignore_ascii_case(code)
    }

    /// The code in lower case, for maps and logs.
    pub fn normalized(&self) -> String {
        self.0.to_ascii_lowercase()
    }
}

shape! {
    /// `data` of a payment webhook ("an object containing specific data about the event"):
    /// every field optional. `S` is the status type.
    pub struct PaymentData<S: Status> ref PaymentDataRef {
        /// The status of the charge or payment intent.
        status: Option<S> = status<S>(Optional),
        /// When the payment failed: a unique code for the error, upper case
        /// (`INSUFFICIENT_FUNDS`) or lower case (`consent_expired`); compare
        /// case-insensitively.
        failure_code: Option<FailureCode> = failure_code(Optional),
        /// When the payment failed: human-readable.
        failure_message: Option<String> = string(Optional),
        /// The payment's id in Brazil's payment system (Pix).
        end_to_end_id: Option<String> = id(Optional),
        /// The `metadata` given when the payment was created, kept whole.
        metadata: Option<Map<String, Value>> = open_object(Optional),
        ..extra(Checked, "Members outside the model.")
    }
}

shape! {
    /// A payment initiation webhook: the core payload plus `object_id` and `external_id`.
    pub struct PaymentWebhook<S: Status> ref PaymentWebhookRef {
        /// The registered webhook's id, the same for every delivery to it (not a delivery
        /// id): 32 hex digits or a dashed UUID (both documented).
        webhook_id: String = webhook_id(Required),
        /// The resource this webhook relates to.
        webhook_type: WebhookType = known_id<WebhookType>(Required),
        /// The event that triggered it.
        webhook_code: WebhookCode = known_id<WebhookCode>(Required),
        /// The charge, payment intent, transaction, … this is about.
        object_id: String = id(Required),
        /// Newer documents: often `null`, absent in older ones; either way the parsed value
        /// leaves it out (`seen` says which).
        external_id: Option<String> = external_id(Optional),
        data: PaymentData<S> = data<PaymentData<S>>(Required),
        ..extra(Checked, "Top-level members outside the model."), ..seen
    }
}

shape! {
    /// An aggregation or enrichment webhook: the core payload plus `link_id`, `request_id`
    /// and `process_type`; `D` is the code's `data`.
    pub struct AggregationWebhook<D: Read> ref AggregationWebhookRef {
        /// The registered webhook's id (32 hex digits or a dashed UUID).
        webhook_id: String = webhook_id(Required),
        /// The resource this webhook relates to.
        webhook_type: WebhookType = known_id<WebhookType>(Required),
        /// The event that triggered it.
        webhook_code: WebhookCode = known_id<WebhookCode>(Required),
        /// The link the data belongs to.
        link_id: String = id(Required),
        /// The request that triggered the update.
        request_id: Option<String> = id(Optional),
        process_type: Option<ProcessType> = known<ProcessType>(Optional),
        /// Often `null` or absent; either way the parsed value leaves it out (`seen` says
        /// which).
        external_id: Option<String> = external_id(Optional),
        data: D = data<D>(Required),
        ..extra(Checked, "Top-level members outside the model."), ..seen
    }
}

shape! {
    /// `data` of `historical_update`: which counts depend on the type (accounts,
    /// transactions, bills, …).
    pub struct HistoricalUpdate ref HistoricalUpdateRef {
        total_accounts: Option<u64> = count(Optional),
        total_transactions: Option<u64> = count(Optional),
        total_inflow_transactions: Option<u64> = count(Optional),
        total_outflow_transactions: Option<u64> = count(Optional),
        /// A date, as sent (`2023-01-31`).
        first_transaction_date: Option<String> = string(Optional),
        /// A date, as sent.
        last_transaction_date: Option<String> = string(Optional),
        total_bills: Option<u64> = count(Optional),
        // Counts of other types (`total_owners`, …) are documented only as "…".
        ..extra(Kept, "Other counts (`total_owners`, …).")
    }
}

shape! {
    /// `data` of `new_accounts_available`.
    pub struct NewAccounts ref NewAccountsRef {
        /// How many accounts were found.
        new_accounts: Option<u64> = count(Optional),
        ..extra(Checked, "Members outside the model.")
    }
}

shape! {
    /// `data` of the transaction-change codes, whose fields the notes do not list: kept
    /// whole, never flagged.
    pub struct OpenData ref OpenDataRef {
        ..extra(Kept, "Every member.")
    }
}

shape! {
    /// `data` of `invalid_credentials` and `token_required` (LINKS).
    pub struct LinkError ref LinkErrorRef {
        error_code: Option<String> = string(Optional),
        error_message: Option<String> = string(Optional),
        /// The link's new status.
        status: Option<String> = string(Optional),
        ..extra(Checked, "Members outside the model.")
    }
}

shape! {
    /// `data` of `consent_expired` and `openfinance_consent_expired` (CONSENTS).
    pub struct Consent ref ConsentRef {
        consent_id: Option<String> = id(Optional),
        /// What the user must do.
        action: Option<String> = string(Optional),
        institution: Option<String> = string(Optional),
        ..extra(Checked, "Members outside the model.")
    }
}

shape! {
    /// A type and code payhook does not know (lenient mode): the core payload, and every
    /// other member as sent.
    pub struct UnknownWebhook ref UnknownWebhookRef {
        /// The registered webhook's id (32 hex digits or a dashed UUID).
        webhook_id: String = webhook_id(Required),
        /// The resource this webhook relates to.
        webhook_type: WebhookType = known_id<WebhookType>(Required),
        /// The event that triggered it.
        webhook_code: WebhookCode = known_id<WebhookCode>(Required),
        ..raw(Kept, "Every other top-level member."), ..seen
    }
}

/// Declares [`BelvoWebhook`] from its routes: the enum, its accessors, the routing and the
/// routes as data ([`BelvoWebhook::routes`]). A payment variant is named like its
/// [`WebhookType`], an aggregation one like its [`WebhookCode`].
macro_rules! belvo_webhooks {
    (
        payment codes: [$($pc:ident),*];
        payment {$(
            $(#[doc = $pdoc:literal])*
            $pv:ident($status:ty) $(documented $pdoc_code:ident)?,
        )*}
        aggregation {$(
            $(#[doc = $adoc:literal])*
            $av:ident($data:ty) $(documented $adoc_type:ident)?,
        )*}
    ) => {
        /// A Belvo webhook, one variant per documented type (payments) or code (aggregation).
        /// Serialized untagged: `webhook_type` and `webhook_code` are the discriminants.
        #[derive(Clone, Debug, PartialEq)]
        pub enum BelvoWebhook {
            $( $(#[doc = $pdoc])* $pv(PaymentWebhook<$status>), )*
            $( $(#[doc = $adoc])* $av(AggregationWebhook<$data>), )*
            /// Not documented; only in lenient mode.
            Unknown(UnknownWebhook),
        }

        /// [`BelvoWebhook`] borrowed (see [`shape::Owned`]): what a body is read into, and
        /// what is written.
        pub(crate) enum BelvoWebhookRef<'a> {
            $( $pv(PaymentWebhookRef<'a, $status>), )*
            $( $av(AggregationWebhookRef<'a, $data>), )*
            Unknown(UnknownWebhookRef<'a>),
        }

        /// Not [`Owned`]: never a field, so neither missing nor left out.
        impl BelvoWebhook {
            pub(crate) fn borrow(&self) -> BelvoWebhookRef<'_> {
                match self {
                    $( BelvoWebhook::$pv(w) => BelvoWebhookRef::$pv(w.borrow()), )*
                    $( BelvoWebhook::$av(w) => BelvoWebhookRef::$av(w.borrow()), )*
                    BelvoWebhook::Unknown(w) => BelvoWebhookRef::Unknown(w.borrow()),
                }
            }

            pub(crate) fn from_ref(value: BelvoWebhookRef<'_>) -> Self {
                match value {
                    $( BelvoWebhookRef::$pv(w) => BelvoWebhook::$pv(Owned::from_ref(w)), )*
                    $( BelvoWebhookRef::$av(w) => BelvoWebhook::$av(Owned::from_ref(w)), )*
                    BelvoWebhookRef::Unknown(w) => BelvoWebhook::Unknown(Owned::from_ref(w)),
                }
            }
        }

        /// Written borrowed, by the one writer.
        impl ToJson for BelvoWebhook {
            fn write_json(&self, out: &mut Writer) {
                self.borrow().write_json(out);
            }
        }

        /// The webhook as sent (untagged: `webhook_type` and `webhook_code` say which), the
        /// members its dedup key leaves out first, then the others in code-point order.
        impl ToJson for BelvoWebhookRef<'_> {
            fn write_json(&self, out: &mut Writer) {
                let webhook: &dyn Members = match self {
                    $( BelvoWebhookRef::$pv(w) => w, )*
                    $( BelvoWebhookRef::$av(w) => w, )*
                    BelvoWebhookRef::Unknown(w) => w,
                };
                out.begin_object();
                webhook.write_members(out, NOT_HASHED);
                out.end_object();
            }
        }

        impl<'a> BelvoWebhookRef<'a> {
            /// `webhook_type`, as sent.
            fn webhook_type(&self) -> &WebhookType {
                match self {
                    $( BelvoWebhookRef::$pv(w) => &w.webhook_type, )*
                    $( BelvoWebhookRef::$av(w) => &w.webhook_type, )*
                    BelvoWebhookRef::Unknown(w) => &w.webhook_type,
                }
            }

            /// `webhook_code`, as sent.
            fn webhook_code(&self) -> &WebhookCode {
                match self {
                    $( BelvoWebhookRef::$pv(w) => &w.webhook_code, )*
                    $( BelvoWebhookRef::$av(w) => &w.webhook_code, )*
                    BelvoWebhookRef::Unknown(w) => &w.webhook_code,
                }
            }

            fn seen_mut(&mut self) -> &mut Cow<'a, [Seen]> {
                match self {
                    $( BelvoWebhookRef::$pv(w) => &mut w.seen, )*
                    $( BelvoWebhookRef::$av(w) => &mut w.seen, )*
                    BelvoWebhookRef::Unknown(w) => &mut w.seen,
                }
            }

            /// The documented webhook a body's type and code route to, read whole, and whether
            /// the documents list that pair; the body back for an undocumented one.
            fn route<'p>(
                cx: &mut Ctx,
                top: Obj<'a, 'p>,
                webhook_type: &WebhookType,
                webhook_code: &WebhookCode,
            ) -> Result<(Self, bool), Obj<'a, 'p>> {
                use WebhookCode as C;
                use WebhookType as T;
                let payment_code = matches!(webhook_code, $( C::$pc )|*);
                Ok(match (webhook_type, webhook_code) {
                    $( (_, C::$av) => {
                        let documented: Option<T> = None $( .or(Some(T::$adoc_type)) )?;
                        let pair = documented.is_none_or(|d| *webhook_type == d);
                        (BelvoWebhookRef::$av(<AggregationWebhook<$data> as Read>::read(cx, top, "")), pair)
                    } )*
                    $( (T::$pv, _) if payment_code => {
                        let documented: Option<C> = None $( .or(Some(C::$pdoc_code)) )?;
                        let pair = documented.is_some_and(|d| *webhook_code == d);
                        (BelvoWebhookRef::$pv(<PaymentWebhook<$status> as Read>::read(cx, top, "")), pair)
                    } )*
                    _ => return Err(top),
                })
            }
        }

        impl BelvoWebhook {
            /// `webhook_type`, as sent.
            pub fn webhook_type(&self) -> &WebhookType {
                match self {
                    $( BelvoWebhook::$pv(w) => &w.webhook_type, )*
                    $( BelvoWebhook::$av(w) => &w.webhook_type, )*
                    BelvoWebhook::Unknown(w) => &w.webhook_type,
                }
            }

            /// `webhook_code`, as sent.
            pub fn webhook_code(&self) -> &WebhookCode {
                match self {
                    $( BelvoWebhook::$pv(w) => &w.webhook_code, )*
                    $( BelvoWebhook::$av(w) => &w.webhook_code, )*
                    BelvoWebhook::Unknown(w) => &w.webhook_code,
                }
            }

            /// `webhook_id`: the registered webhook, not the delivery.
            pub fn webhook_id(&self) -> &str {
                match self {
                    $( BelvoWebhook::$pv(w) => &w.webhook_id, )*
                    $( BelvoWebhook::$av(w) => &w.webhook_id, )*
                    BelvoWebhook::Unknown(w) => &w.webhook_id,
                }
            }

            /// Which documented variants this payload used.
            pub fn seen(&self) -> &[Seen] {
                match self {
                    $( BelvoWebhook::$pv(w) => &w.seen, )*
                    $( BelvoWebhook::$av(w) => &w.seen, )*
                    BelvoWebhook::Unknown(w) => &w.seen,
                }
            }

            /// The codes of payment webhooks (upper case).
            pub fn payment_codes() -> Vec<&'static str> {
                vec![$( WebhookCode::$pc.known_str().unwrap_or_default() ),*]
            }

            /// Every documented webhook as data (see [`crate::providers::shape`]).
            pub fn routes() -> Vec<shape::BelvoRoute> {
                vec![
                    $( shape::BelvoRoute {
                        variant: stringify!($pv),
                        docs: &[$($pdoc),*],
                        kind: shape::BelvoRouteKind::Payment {
                            webhook_type: WebhookType::$pv.known_str().unwrap_or_default(),
                            documented_code: None $( .or(WebhookCode::$pdoc_code.known_str()) )?,
                            status: <$status as shape::StatusList>::LIST,
                            data: &PaymentData::<String>::SHAPE,
                        },
                    }, )*
                    $( shape::BelvoRoute {
                        variant: stringify!($av),
                        docs: &[$($adoc),*],
                        kind: shape::BelvoRouteKind::Aggregation {
                            webhook_code: WebhookCode::$av.known_str().unwrap_or_default(),
                            documented_type: None $( .or(WebhookType::$adoc_type.known_str()) )?,
                            data: &<$data>::SHAPE,
                        },
                    }, )*
                ]
            }

        }
    };
}

belvo_webhooks! {
    payment codes: [ObjectCreated, StatusUpdate];
    payment {
        /// BANK_ACCOUNTS / OBJECT_CREATED: there is a new bank account created (Colombia,
        /// PSE).
        BankAccounts(String) documented ObjectCreated,
        /// PAYMENT_INTENTS / STATUS_UPDATE: there is an update on the status of a payment
        /// intent.
        PaymentIntents(PaymentIntentStatus) documented StatusUpdate,
        /// TRANSACTIONS / OBJECT_CREATED: there is a new transaction created (the seeds'
        /// own sample sends it as STATUS_UPDATE).
        Transactions(String) documented ObjectCreated,
        /// CHARGES / STATUS_UPDATE: there is an update to the status of a charge (Brazil,
        /// OFPI).
        Charges(ChargeStatus) documented StatusUpdate,
        /// ENROLLMENTS (newer): its codes are not documented in the notes.
        Enrollments(String),
        /// PAYMENT_AUTHORIZATIONS (newer): its codes are not documented in the notes.
        PaymentAuthorizations(String),
        /// CUSTOMERS (newer): its codes are not documented in the notes.
        Customers(String),
    }
    aggregation {
        /// `historical_update`, any aggregation type: the first full load of a link
        /// finished.
        HistoricalUpdate(HistoricalUpdate),
        /// ACCOUNTS / `new_accounts_available`: new accounts were found.
        NewAccountsAvailable(NewAccounts) documented Accounts,
        /// TRANSACTIONS / `new_transactions_available`: new transactions are available.
        NewTransactionsAvailable(OpenData) documented Transactions,
        /// TRANSACTIONS / `transactions_updated`: transactions were updated.
        TransactionsUpdated(OpenData) documented Transactions,
        /// TRANSACTIONS / `transactions_deleted`: transactions were deleted.
        TransactionsDeleted(OpenData) documented Transactions,
        /// LINKS / `invalid_credentials`: the link's credentials stopped working.
        InvalidCredentials(LinkError) documented Links,
        /// LINKS / `token_required`: the institution wants a token.
        TokenRequired(LinkError) documented Links,
        /// CONSENTS / `consent_expired`: a consent expired.
        ConsentExpired(Consent) documented Consents,
        /// CONSENTS / `openfinance_consent_expired`: an Open Finance consent expired.
        OpenfinanceConsentExpired(Consent) documented Consents,
    }
}

serialize_as_json!(BelvoWebhook);
serialize_as_json!(FailureCode);

/// Reads a Belvo webhook already parsed as a JSON object (see [`parse_belvo_webhook`]),
/// moving its values into the webhook.
pub fn from_json(map: Map<String, Value>, strict: bool) -> Result<BelvoWebhook, PayloadError> {
    read(Obj::from_map(map, Path::Top), strict).map(BelvoWebhook::from_ref)
}

/// The [`dedup_key`](super::dedup_key) of the payload [`from_json`] reads, written as read
/// without making the owned payload (the npm package's `dedupKey(event)`).
#[doc(hidden)]
pub fn dedup_key_from_json(map: Map<String, Value>, strict: bool) -> Result<String, PayloadError> {
    read(Obj::from_map(map, Path::Top), strict).map(|payload| payload.json_and_key().1)
}

/// Reads a Belvo webhook, parsed or from a `Map`, into its borrowed form: every rule of
/// routing and validation is here and in the models' readers.
fn read<'a>(mut top: Obj<'a, '_>, strict: bool) -> Result<BelvoWebhookRef<'a>, PayloadError> {
    // The type and code decide what the body must hold: read them first, without reporting.
    let discriminant = |key: &str| {
        top.get(key)
            .and_then(Item::as_str)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    let (type_text, code_text) = (discriminant("webhook_type"), discriminant("webhook_code"));
    let mut cx = Ctx::new(strict);
    cx.reserved(&mut top, ADDED);
    let (Some(type_text), Some(code_text)) = (type_text, code_text) else {
        // Without both discriminants nothing else can be checked meaningfully.
        cx.webhook_id(&mut top, "webhook_id", Required);
        cx.id(&mut top, "webhook_type", Required);
        cx.id(&mut top, "webhook_code", Required);
        return Err(PayloadError::invalid(cx.issues));
    };
    let webhook_type = WebhookType::from(type_text.as_str());
    let webhook_code = WebhookCode::from(code_text.as_str());
    let mut parsed = match BelvoWebhookRef::route(&mut cx, top, &webhook_type, &webhook_code) {
        Ok((parsed, documented)) => {
            if !documented {
                cx.see(Seen::UndocumentedPair);
            }
            parsed
        }
        Err(top) => {
            let unknown = UnknownWebhook::read(&mut cx, top, "");
            if strict {
                let (path, found) = if webhook_type.is_other() {
                    ("/webhook_type", type_text)
                } else {
                    ("/webhook_code", code_text)
                };
                cx.push(
                    Issue::new(path, "unknown_event_type", "not a documented Belvo webhook")
                        .expected("a documented webhook_type and webhook_code (strict mode)")
                        .found(quote(&found)),
                );
            }
            BelvoWebhookRef::Unknown(unknown)
        }
    };
    if !cx.issues.is_empty() {
        return Err(PayloadError::invalid(cx.issues));
    }
    *parsed.seen_mut() = Cow::Owned(cx.seen);
    Ok(parsed)
}

/// Parses and validates a Belvo webhook body, after the `Authorization` check.
///
/// ```
/// use payhook::providers::{belvo::{self, BelvoWebhook, PaymentIntentStatus}, Options};
/// let body = br#"{"webhook_id":"aadf41a1fc8e4f79a49f7f04027ac999",
///   "webhook_type":"PAYMENT_INTENTS","webhook_code":"STATUS_UPDATE",
///   "object_id":"d2e40773-19f6-48d1-93c3-3590ec0c74df","external_id":null,
///   "data":{"status":"FAILED","failure_code":"CONSENT_EXPIRED"}}"#;
/// let hook = belvo::parse_belvo_webhook(body, Options::default()).unwrap();
/// let BelvoWebhook::PaymentIntents(p) = &hook else { panic!() };
/// assert_eq!(p.data.status, Some(PaymentIntentStatus::Failed));
/// assert!(p.data.failure_code.as_ref().is_some_and(|c| c.is("consent_expired")));
/// ```
pub fn parse_belvo_webhook(body: &[u8], options: Options) -> Result<BelvoWebhook, PayloadError> {
    read_belvo_webhook(body, options).map(BelvoWebhook::from_ref)
}

/// [`parse_belvo_webhook`] in the borrowed form, before the owned webhook is made of it.
pub(crate) fn read_belvo_webhook(
    body: &[u8],
    options: Options,
) -> Result<BelvoWebhookRef<'_>, PayloadError> {
    let members = json::parse_members(body, options.max_bytes)?;
    read(Obj::new(members, Path::Top), options.strict)
}

/// [`parse_belvo_webhook`]'s webhook written as [`json::to_string`] writes it, and its dedup
/// key's start ([`super::dedup_key_start`]), without making the owned webhook: what the npm
/// package gives JavaScript.
#[doc(hidden)]
pub fn parse_belvo_webhook_json(
    body: &[u8],
    options: Options,
) -> Result<(Json, String), PayloadError> {
    read_belvo_webhook(body, options).map(|webhook| webhook.json_and_start())
}

/// Like [`parse_belvo_webhook`], but returns a report with every issue instead of an error.
pub fn validate_belvo_webhook(body: &[u8], options: Options) -> Report<BelvoWebhook> {
    parse_belvo_webhook(body, options).into()
}

impl Webhook for BelvoWebhook {
    const PROVIDER: &'static str = "belvo";

    fn kind(&self) -> String {
        self.borrow().kind().into_owned()
    }

    const ADDED: &'static [&'static str] = ADDED;
    const NOT_HASHED: &'static [&'static str] = NOT_HASHED;
}

impl Payload for BelvoWebhookRef<'_> {
    const PROVIDER: &'static str = <BelvoWebhook as Webhook>::PROVIDER;
    const NOT_HASHED: &'static [&'static str] = NOT_HASHED;

    fn kind(&self) -> Cow<'_, str> {
        Cow::Owned(format!("{}.{}", self.webhook_type(), self.webhook_code()))
    }
}
