//! A valid, realistic payload for every documented event type of both providers, from
//! `vectors/fixtures/`: for tests, demos, and senders that need a real-looking delivery.
//! They are written from the providers' field lists (the documents' own samples are not
//! always valid JSON), and the seeds' samples are included, made valid.

/// One fixture: the provider, its name, and the JSON body.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fixture {
    /// `r2` or `belvo`.
    pub provider: &'static str,
    /// The event type (`financing_created`) or `WEBHOOK_TYPE.webhook_code`, plus a
    /// `.variant` where one type has several.
    pub name: &'static str,
    /// The body, exactly as a provider would send it.
    pub body: &'static str,
}

macro_rules! fixture {
    ($provider:literal, $name:literal) => {
        Fixture {
            provider: $provider,
            name: $name,
            body: include_str!(concat!(
                "../vectors/fixtures/",
                $provider,
                "/",
                $name,
                ".json"
            )),
        }
    };
}

/// Every fixture, R2's first, each provider's sorted by name.
pub const FIXTURES: &[Fixture] = &[
    fixture!("r2", "application_created"),
    fixture!("r2", "collection_created"),
    fixture!("r2", "collection_rejected"),
    fixture!("r2", "collection_returned"),
    fixture!("r2", "collection_returned_by_insurance"),
    fixture!("r2", "direct_payment_created"),
    fixture!("r2", "direct_payment_created_by_insurance"),
    fixture!("r2", "financing_active"),
    fixture!("r2", "financing_canceled"),
    fixture!("r2", "financing_created"),
    fixture!("r2", "financing_created.walkthrough"),
    fixture!("r2", "financing_interest_charged"),
    fixture!("r2", "financing_paid"),
    fixture!("r2", "financing_paid_by_insurance"),
    fixture!("r2", "financing_paused"),
    fixture!("r2", "financing_paused_by_insurance"),
    fixture!("r2", "financing_resumed"),
    fixture!("r2", "financing_write_off"),
    fixture!("r2", "retention_created"),
    fixture!("belvo", "ACCOUNTS.historical_update"),
    fixture!("belvo", "ACCOUNTS.new_accounts_available"),
    fixture!("belvo", "BANK_ACCOUNTS.OBJECT_CREATED"),
    fixture!("belvo", "BILLS.historical_update"),
    fixture!("belvo", "CHARGES.STATUS_UPDATE"),
    fixture!("belvo", "CONSENTS.consent_expired"),
    fixture!("belvo", "CONSENTS.openfinance_consent_expired"),
    fixture!("belvo", "CUSTOMERS.OBJECT_CREATED"),
    fixture!("belvo", "ENROLLMENTS.STATUS_UPDATE"),
    fixture!("belvo", "LINKS.invalid_credentials"),
    fixture!("belvo", "LINKS.token_required"),
    fixture!("belvo", "PAYMENT_AUTHORIZATIONS.STATUS_UPDATE"),
    fixture!("belvo", "PAYMENT_INTENTS.STATUS_UPDATE"),
    fixture!("belvo", "TRANSACTIONS.OBJECT_CREATED"),
    fixture!("belvo", "TRANSACTIONS.STATUS_UPDATE.seed-brazil"),
    fixture!("belvo", "TRANSACTIONS.STATUS_UPDATE.seed-core"),
    fixture!("belvo", "TRANSACTIONS.historical_update"),
    fixture!("belvo", "TRANSACTIONS.new_transactions_available"),
    fixture!("belvo", "TRANSACTIONS.transactions_deleted"),
    fixture!("belvo", "TRANSACTIONS.transactions_updated"),
];

/// The fixture with this provider and name.
///
/// ```
/// let body = payhook::fixture("r2", "financing_created").unwrap();
/// assert!(payhook::parse_r2_event(body.as_bytes(), Default::default()).is_ok());
/// ```
pub fn fixture(provider: &str, name: &str) -> Option<&'static str> {
    FIXTURES
        .iter()
        .find(|f| f.provider == provider && f.name == name)
        .map(|f| f.body)
}
