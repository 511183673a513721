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

use serde::Serialize;
use serde_json::{Map, Value};

use super::walk::{Ctx, KnownEnum, Obj, Optional, Required, quote};
use super::{
    Acknowledgement, Issue, Options, PayloadError, Report, RetrySchedule, Seen, Webhook,
    known_enum, provider_json,
};
use crate::json;

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
/// What a dedup key leaves out: [`ADDED`], and `webhook_id`, which names the registered
/// webhook rather than the event.
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
        #[allow(missing_docs)]
        RequiresPaymentMethod = "REQUIRES_PAYMENT_METHOD",
        #[allow(missing_docs)]
        RequiresAction = "REQUIRES_ACTION",
        #[allow(missing_docs)]
        Processing = "PROCESSING",
        #[allow(missing_docs)]
        Scheduled = "SCHEDULED",
        #[allow(missing_docs)]
        ScheduleFinished = "SCHEDULE_FINISHED",
        #[allow(missing_docs)]
        Succeeded = "SUCCEEDED",
        #[allow(missing_docs)]
        Canceled = "CANCELED",
        #[allow(missing_docs)]
        Failed = "FAILED",
    }
}

known_enum! {
    /// A charge's `status`.
    ChargeStatus {
        #[allow(missing_docs)]
        Created = "CREATED",
        #[allow(missing_docs)]
        Pending = "PENDING",
        #[allow(missing_docs)]
        Scheduled = "SCHEDULED",
        #[allow(missing_docs)]
        Succeeded = "SUCCEEDED",
        #[allow(missing_docs)]
        Canceled = "CANCELED",
        #[allow(missing_docs)]
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
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct FailureCode(pub String);

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

/// `data` of a payment webhook: every field optional. `S` is the status type.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PaymentData<S> {
    #[allow(missing_docs)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<S>,
    /// When the payment failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failure_code: Option<FailureCode>,
    /// When the payment failed: human-readable.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failure_message: Option<String>,
    /// The payment's id in Brazil's payment system (Pix).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_to_end_id: Option<String>,
    /// The `metadata` given when the payment was created, kept whole.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Map<String, Value>>,
    /// Members outside the model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A payment initiation webhook.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PaymentWebhook<S> {
    /// The registered webhook's id, the same for every delivery to it: 32 hex digits or a
    /// dashed UUID (both documented).
    pub webhook_id: String,
    #[allow(missing_docs)]
    pub webhook_type: WebhookType,
    #[allow(missing_docs)]
    pub webhook_code: WebhookCode,
    /// The charge, payment intent, transaction, … this is about.
    pub object_id: String,
    /// Often `null`, absent in older documents; both read as `None` (see `seen`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    #[allow(missing_docs)]
    pub data: PaymentData<S>,
    /// Top-level members outside the model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
    /// Which documented variants this payload used.
    pub seen: Vec<Seen>,
}

/// An aggregation or enrichment webhook; `D` is the code's `data`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AggregationWebhook<D> {
    /// The registered webhook's id (32 hex digits or a dashed UUID).
    pub webhook_id: String,
    #[allow(missing_docs)]
    pub webhook_type: WebhookType,
    #[allow(missing_docs)]
    pub webhook_code: WebhookCode,
    /// The link the data belongs to. Required.
    pub link_id: String,
    /// The request that triggered the update.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    #[allow(missing_docs)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub process_type: Option<ProcessType>,
    /// Often `null` or absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    #[allow(missing_docs)]
    pub data: D,
    /// Top-level members outside the model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
    /// Which documented variants this payload used.
    pub seen: Vec<Seen>,
}

/// `data` of `historical_update`: which counts depend on the type (accounts,
/// transactions, bills, …).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct HistoricalUpdate {
    #[allow(missing_docs)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total_accounts: Option<u64>,
    #[allow(missing_docs)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total_transactions: Option<u64>,
    #[allow(missing_docs)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total_inflow_transactions: Option<u64>,
    #[allow(missing_docs)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total_outflow_transactions: Option<u64>,
    /// A date, as sent (`2023-01-31`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_transaction_date: Option<String>,
    /// A date, as sent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_transaction_date: Option<String>,
    #[allow(missing_docs)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total_bills: Option<u64>,
    /// Other counts (`total_owners`, …).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `data` of `new_accounts_available`.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct NewAccounts {
    /// How many accounts were found.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new_accounts: Option<u64>,
    /// Members outside the model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `data` of the transaction-change codes, whose fields the notes do not list: kept whole,
/// never flagged.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct OpenData {
    /// Every member.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `data` of `invalid_credentials` and `token_required` (LINKS).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct LinkError {
    #[allow(missing_docs)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_code: Option<String>,
    #[allow(missing_docs)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_message: Option<String>,
    /// The link's new status.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// Members outside the model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `data` of `consent_expired` and `openfinance_consent_expired` (CONSENTS).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Consent {
    #[allow(missing_docs)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub consent_id: Option<String>,
    /// What the user must do.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    #[allow(missing_docs)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub institution: Option<String>,
    /// Members outside the model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A type and code payhook does not know (lenient mode): the envelope and the rest as sent.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct UnknownWebhook {
    #[allow(missing_docs)]
    pub webhook_id: String,
    #[allow(missing_docs)]
    pub webhook_type: WebhookType,
    #[allow(missing_docs)]
    pub webhook_code: WebhookCode,
    /// Every other top-level member.
    #[serde(flatten)]
    pub raw: Map<String, Value>,
    /// Which documented variants this payload used.
    pub seen: Vec<Seen>,
}

/// A Belvo webhook, one variant per documented type (payments) or code (aggregation).
/// Serialized untagged: `webhook_type` and `webhook_code` are the discriminants.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum BelvoWebhook {
    /// BANK_ACCOUNTS / OBJECT_CREATED (Colombia).
    BankAccounts(PaymentWebhook<String>),
    /// PAYMENT_INTENTS / STATUS_UPDATE.
    PaymentIntents(PaymentWebhook<PaymentIntentStatus>),
    /// TRANSACTIONS / OBJECT_CREATED (and the seeds' STATUS_UPDATE).
    Transactions(PaymentWebhook<String>),
    /// CHARGES / STATUS_UPDATE (Brazil).
    Charges(PaymentWebhook<ChargeStatus>),
    /// ENROLLMENTS (newer).
    Enrollments(PaymentWebhook<String>),
    /// PAYMENT_AUTHORIZATIONS (newer).
    PaymentAuthorizations(PaymentWebhook<String>),
    /// CUSTOMERS (newer).
    Customers(PaymentWebhook<String>),
    /// `historical_update`, any aggregation type.
    HistoricalUpdate(AggregationWebhook<HistoricalUpdate>),
    /// ACCOUNTS / `new_accounts_available`.
    NewAccountsAvailable(AggregationWebhook<NewAccounts>),
    /// TRANSACTIONS / `new_transactions_available`.
    NewTransactionsAvailable(AggregationWebhook<OpenData>),
    /// TRANSACTIONS / `transactions_updated`.
    TransactionsUpdated(AggregationWebhook<OpenData>),
    /// TRANSACTIONS / `transactions_deleted`.
    TransactionsDeleted(AggregationWebhook<OpenData>),
    /// LINKS / `invalid_credentials`.
    InvalidCredentials(AggregationWebhook<LinkError>),
    /// LINKS / `token_required`.
    TokenRequired(AggregationWebhook<LinkError>),
    /// CONSENTS / `consent_expired`.
    ConsentExpired(AggregationWebhook<Consent>),
    /// CONSENTS / `openfinance_consent_expired`.
    OpenfinanceConsentExpired(AggregationWebhook<Consent>),
    /// Not documented; only in lenient mode.
    Unknown(UnknownWebhook),
}

/// Applies `$f` to the variant's inner value, whatever its type.
macro_rules! each {
    ($value:expr, $w:ident => $f:expr) => {
        match $value {
            BelvoWebhook::BankAccounts($w) => $f,
            BelvoWebhook::PaymentIntents($w) => $f,
            BelvoWebhook::Transactions($w) => $f,
            BelvoWebhook::Charges($w) => $f,
            BelvoWebhook::Enrollments($w) => $f,
            BelvoWebhook::PaymentAuthorizations($w) => $f,
            BelvoWebhook::Customers($w) => $f,
            BelvoWebhook::HistoricalUpdate($w) => $f,
            BelvoWebhook::NewAccountsAvailable($w) => $f,
            BelvoWebhook::NewTransactionsAvailable($w) => $f,
            BelvoWebhook::TransactionsUpdated($w) => $f,
            BelvoWebhook::TransactionsDeleted($w) => $f,
            BelvoWebhook::InvalidCredentials($w) => $f,
            BelvoWebhook::TokenRequired($w) => $f,
            BelvoWebhook::ConsentExpired($w) => $f,
            BelvoWebhook::OpenfinanceConsentExpired($w) => $f,
            BelvoWebhook::Unknown($w) => $f,
        }
    };
}

impl BelvoWebhook {
    /// `webhook_type`, as sent.
    pub fn webhook_type(&self) -> &WebhookType {
        each!(self, w => &w.webhook_type)
    }

    /// `webhook_code`, as sent.
    pub fn webhook_code(&self) -> &WebhookCode {
        each!(self, w => &w.webhook_code)
    }

    /// `webhook_id`: the registered webhook, not the delivery.
    pub fn webhook_id(&self) -> &str {
        each!(self, w => &w.webhook_id)
    }

    /// Which documented variants this payload used.
    pub fn seen(&self) -> &[Seen] {
        each!(self, w => &w.seen)
    }

    fn seen_mut(&mut self) -> &mut Vec<Seen> {
        each!(self, w => &mut w.seen)
    }
}

/// The pairs the documents list together.
const DOCUMENTED: &[(&str, &str)] = &[
    ("BANK_ACCOUNTS", "OBJECT_CREATED"),
    ("PAYMENT_INTENTS", "STATUS_UPDATE"),
    ("TRANSACTIONS", "OBJECT_CREATED"),
    ("CHARGES", "STATUS_UPDATE"),
    ("ACCOUNTS", "new_accounts_available"),
    ("TRANSACTIONS", "new_transactions_available"),
    ("TRANSACTIONS", "transactions_updated"),
    ("TRANSACTIONS", "transactions_deleted"),
    ("LINKS", "invalid_credentials"),
    ("LINKS", "token_required"),
    ("CONSENTS", "consent_expired"),
    ("CONSENTS", "openfinance_consent_expired"),
];

/// The envelope members every webhook has.
struct Common {
    webhook_id: String,
    webhook_type: WebhookType,
    webhook_code: WebhookCode,
}

/// `data` readers.
trait Data: Sized {
    fn read(cx: &mut Ctx, obj: Obj<'_>) -> Self;
    fn empty() -> Self;
}

impl<S: for<'s> From<&'s str> + KnownEnum> Data for PaymentData<S> {
    fn read(cx: &mut Ctx, mut o: Obj<'_>) -> Self {
        let status = cx.known(&mut o, "status", Optional);
        let failure_code = cx.string(&mut o, "failure_code", Optional).map(|code| {
            let upper = code.bytes().any(|b| b.is_ascii_uppercase());
            let lower = code.bytes().any(|b| b.is_ascii_lowercase());
            match (upper, lower) {
                (true, false) => cx.see(Seen::FailureCodeUpperCase),
                (false, true) => cx.see(Seen::FailureCodeLowerCase),
                _ => {}
            }
            FailureCode(code)
        });
        PaymentData {
            status,
            failure_code,
            failure_message: cx.string(&mut o, "failure_message", Optional),
            end_to_end_id: cx.id(&mut o, "end_to_end_id", Optional),
            metadata: cx.open_object(&mut o, "metadata", Optional),
            extra: cx.rest(&o),
        }
    }

    fn empty() -> Self {
        PaymentData {
            status: None,
            failure_code: None,
            failure_message: None,
            end_to_end_id: None,
            metadata: None,
            extra: Map::new(),
        }
    }
}

impl Data for HistoricalUpdate {
    fn read(cx: &mut Ctx, mut o: Obj<'_>) -> Self {
        HistoricalUpdate {
            total_accounts: cx.count(&mut o, "total_accounts", Optional),
            total_transactions: cx.count(&mut o, "total_transactions", Optional),
            total_inflow_transactions: cx.count(&mut o, "total_inflow_transactions", Optional),
            total_outflow_transactions: cx.count(&mut o, "total_outflow_transactions", Optional),
            first_transaction_date: cx.string(&mut o, "first_transaction_date", Optional),
            last_transaction_date: cx.string(&mut o, "last_transaction_date", Optional),
            total_bills: cx.count(&mut o, "total_bills", Optional),
            // Counts of other types (`total_owners`, …) are documented only as "…".
            extra: o.unread(),
        }
    }

    fn empty() -> Self {
        Self::default()
    }
}

impl Data for NewAccounts {
    fn read(cx: &mut Ctx, mut o: Obj<'_>) -> Self {
        NewAccounts {
            new_accounts: cx.count(&mut o, "new_accounts", Optional),
            extra: cx.rest(&o),
        }
    }

    fn empty() -> Self {
        Self::default()
    }
}

impl Data for OpenData {
    fn read(_: &mut Ctx, o: Obj<'_>) -> Self {
        OpenData {
            extra: o.map.clone(),
        }
    }

    fn empty() -> Self {
        Self::default()
    }
}

impl Data for LinkError {
    fn read(cx: &mut Ctx, mut o: Obj<'_>) -> Self {
        LinkError {
            error_code: cx.string(&mut o, "error_code", Optional),
            error_message: cx.string(&mut o, "error_message", Optional),
            status: cx.string(&mut o, "status", Optional),
            extra: cx.rest(&o),
        }
    }

    fn empty() -> Self {
        Self::default()
    }
}

impl Data for Consent {
    fn read(cx: &mut Ctx, mut o: Obj<'_>) -> Self {
        Consent {
            consent_id: cx.id(&mut o, "consent_id", Optional),
            action: cx.string(&mut o, "action", Optional),
            institution: cx.string(&mut o, "institution", Optional),
            extra: cx.rest(&o),
        }
    }

    fn empty() -> Self {
        Self::default()
    }
}

fn read_data<D: Data>(cx: &mut Ctx, top: &mut Obj<'_>) -> D {
    match cx.object(top, "data", Required) {
        Some(obj) => D::read(cx, obj),
        None => D::empty(),
    }
}

fn is_hex(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_hexdigit())
}

fn read_webhook_id(cx: &mut Ctx, top: &mut Obj<'_>) -> String {
    let Some(id) = cx.string(top, "webhook_id", Required) else {
        return String::new();
    };
    let parts: Vec<&str> = id.split('-').collect();
    let uuid =
        parts.iter().map(|p| p.len()).eq([8, 4, 4, 4, 12]) && parts.iter().all(|p| is_hex(p));
    if id.len() == 32 && is_hex(&id) {
        cx.see(Seen::WebhookIdHex);
    } else if uuid {
        cx.see(Seen::WebhookIdUuid);
    } else {
        cx.invalid(
            top.at("webhook_id"),
            "not a webhook id",
            "32 hex digits or a dashed UUID",
            &id,
        );
    }
    id
}

fn read_external_id(cx: &mut Ctx, top: &mut Obj<'_>) -> Option<String> {
    match top.raw("external_id") {
        None => {
            cx.see(Seen::ExternalIdAbsent);
            None
        }
        Some(Value::Null) => {
            cx.see(Seen::ExternalIdNull);
            None
        }
        Some(Value::String(s)) => {
            cx.see(Seen::ExternalIdPresent);
            Some(s.clone())
        }
        Some(other) => {
            cx.wrong_type(top.at("external_id"), "string or null", other);
            None
        }
    }
}

fn payment<S>(cx: &mut Ctx, top: &mut Obj<'_>, common: Common) -> PaymentWebhook<S>
where
    PaymentData<S>: Data,
{
    let object_id = cx.id(top, "object_id", Required).unwrap_or_default();
    let external_id = read_external_id(cx, top);
    let data = read_data(cx, top);
    PaymentWebhook {
        webhook_id: common.webhook_id,
        webhook_type: common.webhook_type,
        webhook_code: common.webhook_code,
        object_id,
        external_id,
        data,
        extra: cx.rest(top),
        seen: Vec::new(),
    }
}

fn aggregation<D: Data>(cx: &mut Ctx, top: &mut Obj<'_>, common: Common) -> AggregationWebhook<D> {
    let link_id = cx.id(top, "link_id", Required).unwrap_or_default();
    let request_id = cx.id(top, "request_id", Optional);
    let process_type = cx.known(top, "process_type", Optional);
    let external_id = read_external_id(cx, top);
    let data = read_data(cx, top);
    AggregationWebhook {
        webhook_id: common.webhook_id,
        webhook_type: common.webhook_type,
        webhook_code: common.webhook_code,
        link_id,
        request_id,
        process_type,
        external_id,
        data,
        extra: cx.rest(top),
        seen: Vec::new(),
    }
}

/// Reads a Belvo webhook already parsed as a JSON object (see [`parse_belvo_webhook`]).
pub fn from_json(map: &Map<String, Value>, strict: bool) -> Result<BelvoWebhook, PayloadError> {
    use BelvoWebhook as W;
    use WebhookCode as C;
    use WebhookType as T;

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
    let webhook_id = read_webhook_id(&mut cx, &mut top);
    let type_text = cx.id(&mut top, "webhook_type", Required);
    let code_text = cx.id(&mut top, "webhook_code", Required);
    let (Some(type_text), Some(code_text)) = (type_text, code_text) else {
        // Without both discriminants nothing else can be checked meaningfully.
        return Err(PayloadError::invalid(cx.issues));
    };
    let common = Common {
        webhook_id,
        webhook_type: T::from(type_text.as_str()),
        webhook_code: C::from(code_text.as_str()),
    };
    let pair_documented = DOCUMENTED.contains(&(type_text.as_str(), code_text.as_str()))
        || common.webhook_code == C::HistoricalUpdate;
    let payment_code = matches!(common.webhook_code, C::ObjectCreated | C::StatusUpdate);
    let c = &mut cx;
    let t = &mut top;
    let mut parsed = match (&common.webhook_type, &common.webhook_code) {
        (_, C::HistoricalUpdate) => W::HistoricalUpdate(aggregation(c, t, common)),
        (_, C::NewAccountsAvailable) => W::NewAccountsAvailable(aggregation(c, t, common)),
        (_, C::NewTransactionsAvailable) => W::NewTransactionsAvailable(aggregation(c, t, common)),
        (_, C::TransactionsUpdated) => W::TransactionsUpdated(aggregation(c, t, common)),
        (_, C::TransactionsDeleted) => W::TransactionsDeleted(aggregation(c, t, common)),
        (_, C::InvalidCredentials) => W::InvalidCredentials(aggregation(c, t, common)),
        (_, C::TokenRequired) => W::TokenRequired(aggregation(c, t, common)),
        (_, C::ConsentExpired) => W::ConsentExpired(aggregation(c, t, common)),
        (_, C::OpenfinanceConsentExpired) => {
            W::OpenfinanceConsentExpired(aggregation(c, t, common))
        }
        (T::BankAccounts, _) if payment_code => W::BankAccounts(payment(c, t, common)),
        (T::PaymentIntents, _) if payment_code => W::PaymentIntents(payment(c, t, common)),
        (T::Transactions, _) if payment_code => W::Transactions(payment(c, t, common)),
        (T::Charges, _) if payment_code => W::Charges(payment(c, t, common)),
        (T::Enrollments, _) if payment_code => W::Enrollments(payment(c, t, common)),
        (T::PaymentAuthorizations, _) if payment_code => {
            W::PaymentAuthorizations(payment(c, t, common))
        }
        (T::Customers, _) if payment_code => W::Customers(payment(c, t, common)),
        _ => {
            if strict {
                let (path, found) = if common.webhook_type.is_other() {
                    ("/webhook_type", &type_text)
                } else {
                    ("/webhook_code", &code_text)
                };
                c.push(
                    Issue::new(path, "unknown_event_type", "not a documented Belvo webhook")
                        .expected("a documented webhook_type and webhook_code (strict mode)")
                        .found(quote(found)),
                );
            }
            let raw = t.unread();
            W::Unknown(UnknownWebhook {
                webhook_id: common.webhook_id,
                webhook_type: common.webhook_type,
                webhook_code: common.webhook_code,
                raw,
                seen: Vec::new(),
            })
        }
    };
    if !pair_documented && !matches!(parsed, W::Unknown(_)) {
        cx.see(Seen::UndocumentedPair);
    }
    if !cx.issues.is_empty() {
        return Err(PayloadError::invalid(cx.issues));
    }
    *parsed.seen_mut() = cx.seen;
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
    from_json(
        &json::parse_object(body, options.max_bytes)?,
        options.strict,
    )
}

/// Like [`parse_belvo_webhook`], but returns a report with every issue instead of an error.
pub fn validate_belvo_webhook(body: &[u8], options: Options) -> Report<BelvoWebhook> {
    parse_belvo_webhook(body, options).into()
}

impl Webhook for BelvoWebhook {
    const PROVIDER: &'static str = "belvo";

    fn kind(&self) -> String {
        format!("{}.{}", self.webhook_type(), self.webhook_code())
    }

    fn to_json(&self) -> Value {
        provider_json(self, ADDED)
    }

    fn dedup_content(&self) -> Value {
        provider_json(self, NOT_HASHED)
    }
}
