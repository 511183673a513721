//! R2 and Belvo webhooks in axum, behind a reverse proxy on the same host.
//!
//! The payhook core is sans-IO: this file reads the bytes, the headers, the socket peer and
//! the clock, owns the seen-set, and writes the answer the core gives back.

use std::net::{Ipv4Addr, SocketAddr};
use std::process::ExitCode;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{ConnectInfo, DefaultBodyLimit, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use payhook::dedup::{Claim, SeenSet};
use payhook::{
    Accepted, Allowlist, Answer, Body, Delivery, Error, ForwardingHeader, ForwardingHeaders,
    Options, Receiver, SigningKey, Trust, Verifier, belvo_allowlist, parse_accepted, r2_allowlist,
};

/// How long a claim holds while the handler runs: a process that dies mid-handler loses the
/// claim after this, and the provider's next retry is processed (the npm package's default).
const LEASE: Duration = Duration::from_secs(60);
/// The seen-set's bounds (the npm package's `memoryStore()` defaults).
const SEEN_MAX_ENTRIES: usize = 100_000;
const SEEN_MAX_BYTES: usize = 32 << 20;

struct App {
    r2: Receiver,
    belvo: Receiver,
    /// Handled (and in-progress) dedup keys of both providers (the keys start with `r2:` or
    /// `belvo:`): exactly once within this process.
    seen: Mutex<SeenSet>,
    /// A counter for the claims' tokens: each claim's is unique in this process.
    claims: AtomicU64,
}

/// Your code: runs once per event, however often the event is delivered. An error releases
/// the claim and answers 500 `handler_failed`, so the provider retries.
async fn on_event(accepted: &Accepted) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    println!("handled {}", accepted.dedup_key);
    Ok(())
}

async fn r2(
    State(app): State<Arc<App>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>, // the raw bytes (never `Json<T>`: the signature covers the bytes)
) -> Response {
    app.webhook(&app.r2, peer, &headers, body).await
}

async fn belvo(
    State(app): State<Arc<App>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    app.webhook(&app.belvo, peer, &headers, body).await
}

impl App {
    /// One delivery: the core's checks, then the handler once per dedup key, and the core's
    /// answer either way.
    async fn webhook(
        &self,
        receiver: &Receiver,
        peer: SocketAddr,
        headers: &HeaderMap,
        body: Result<Bytes, BytesRejection>,
    ) -> Response {
        let body = match &body {
            Ok(bytes) => Body::Bytes(bytes),
            // Over the limit (`DefaultBodyLimit` is the receiver's `max_bytes`): axum stopped
            // reading; the core answers 413 `payload_too_large` after the address check.
            Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                Body::Oversized(oversized(headers, receiver.options().max_bytes))
            }
            // The connection broke while the body was read: nothing to verify.
            Err(_) => return body.into_response(),
        };
        let [signature, authorization, x_forwarded_for] =
            ["content-sha256", "authorization", "x-forwarded-for"]
                .map(|name| joined(headers, name));
        let peer = peer.ip().to_string();
        let delivery = Delivery {
            body,
            signature: signature.as_deref(),
            authorization: authorization.as_deref(),
            forwarding: ForwardingHeaders {
                x_forwarded_for: x_forwarded_for.as_deref(),
                ..ForwardingHeaders::default()
            },
            peer: Some(&peer),
            received_at: since_epoch(), // the caller's clock: the core reads none
        };
        let answer = match receiver.receive(&delivery) {
            Ok(accepted) => self.once(receiver, &accepted).await,
            Err(refused) => {
                if refused.error == Error::EventStale {
                    // The one refusal answered with success (R2 must stop retrying): say so.
                    eprintln!(
                        "payhook: an R2 event outside the replay window was acknowledged and not handled (event_stale)"
                    );
                }
                receiver.refused_answer(&refused)
            }
        };
        respond(answer)
    }

    /// Runs [`on_event`] once per dedup key: claim the key, run the handler, then complete the
    /// claim (or release it when the handler failed). The time is passed in: the core reads
    /// no clock.
    async fn once(&self, receiver: &Receiver, accepted: &Accepted) -> Answer {
        let key = accepted.dedup_key.as_str();
        let token = self.claims.fetch_add(1, Ordering::Relaxed).to_string();
        let claim = self.seen().claim(key, &token, now_ms(), millis(LEASE));
        match claim {
            Claim::New => {}
            // A repeat of a handled event: the provider's success answer, without the handler.
            Claim::Duplicate => return receiver.accepted_answer(),
            // Another request holds the claim: 409, so the provider retries later.
            Claim::InProgress => return receiver.refused_answer(&Error::DeliveryInProgress.into()),
        }
        match on_event(accepted).await {
            Ok(()) => {
                let retention = millis(receiver.dedup_retention());
                self.seen().complete(key, &token, now_ms(), retention);
                receiver.accepted_answer()
            }
            Err(error) => {
                eprintln!("payhook: the handler failed: {error}");
                self.seen().release(key, &token, now_ms());
                receiver.refused_answer(&Error::HandlerFailed.into())
            }
        }
    }

    fn seen(&self) -> std::sync::MutexGuard<'_, SeenSet> {
        // The set is consistent after every call: a panic elsewhere does not spoil it.
        self.seen.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The core's answer as an axum response: its status, `Content-Type` and body, unchanged.
fn respond(answer: Answer) -> Response {
    let status = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (
        status,
        [(header::CONTENT_TYPE, answer.content_type)],
        answer.body,
    )
        .into_response()
}

/// Every line of a header, joined with `, ` in order (as HTTP folds them), `None` when absent.
/// Not `headers.get(name)`, which is the first line only: a sender's own `X-Forwarded-For`
/// line would then be read where the proxy's line is. Bytes that are not UTF-8 are kept as
/// U+FFFD, so a garbled header fails its check instead of counting as absent.
fn joined(headers: &HeaderMap, name: &str) -> Option<String> {
    let lines: Vec<_> = headers
        .get_all(name)
        .iter()
        .map(|v| String::from_utf8_lossy(v.as_bytes()))
        .collect();
    (!lines.is_empty()).then(|| lines.join(", "))
}

/// The size of a body axum refused to read past `max_bytes`: its `Content-Length` when that
/// is larger, or the least it can be.
fn oversized(headers: &HeaderMap, max_bytes: usize) -> u64 {
    let least = u64::try_from(max_bytes)
        .unwrap_or(u64::MAX)
        .saturating_add(1);
    headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.parse::<u64>().ok())
        .map_or(least, |declared| declared.max(least))
}

fn since_epoch() -> Duration {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
}

fn now_ms() -> u64 {
    millis(since_epoch())
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

/// The receivers from the environment: an empty or missing secret or token refuses to start
/// (`secret_invalid`), never "accept everything".
fn receivers() -> Result<(Receiver, Receiver), String> {
    let env = |name: &str| std::env::var(name).unwrap_or_default();
    let fail =
        |name: &'static str| move |e: Error| format!("{name}: {} ({})", e.message(), e.code());
    // nginx (or any proxy) on this host sets X-Forwarded-For; only it is believed.
    let proxies = Allowlist::parse(&["127.0.0.1", "::1"]).map_err(|e| e.to_string())?;
    let trust = Trust::Proxies {
        proxies,
        header: ForwardingHeader::XForwardedFor,
    };
    let key = SigningKey::new(env("R2_SECRET").as_bytes()).map_err(fail("R2_SECRET"))?;
    let r2 = Receiver::new(
        Verifier::R2Signature(vec![key]),
        Some(r2_allowlist(None)),
        trust.clone(),
        Options::default(),
    )
    .map_err(fail("R2_SECRET"))?;
    let accepted =
        parse_accepted(&[env("BELVO_AUTHORIZATION")]).map_err(fail("BELVO_AUTHORIZATION"))?;
    let belvo = Receiver::new(
        Verifier::BelvoAuthorization(accepted),
        Some(belvo_allowlist()),
        trust,
        Options::default(),
    )
    .map_err(fail("BELVO_AUTHORIZATION"))?;
    Ok((r2, belvo))
}

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("payhook-example-axum: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let (r2_receiver, belvo_receiver) = receivers()?;
    let port: u16 = match std::env::var("PORT") {
        Ok(port) => port
            .parse()
            .map_err(|_| format!("PORT: not a port number: {port:?}"))?,
        Err(_) => 8080,
    };
    // One limit: axum's (2 MB by default) set to the core's `max_bytes` (1 MiB by default), so
    // axum stops reading where the core would refuse anyway, and the answer is the core's.
    let max_bytes = r2_receiver
        .options()
        .max_bytes
        .max(belvo_receiver.options().max_bytes);
    let app = Arc::new(App {
        r2: r2_receiver,
        belvo: belvo_receiver,
        seen: Mutex::new(SeenSet::new(SEEN_MAX_ENTRIES, SEEN_MAX_BYTES)),
        claims: AtomicU64::new(0),
    });
    let router = Router::new()
        .route("/webhooks/r2", post(r2))
        .route("/webhooks/belvo", post(belvo))
        .layer(DefaultBodyLimit::max(max_bytes))
        .with_state(app);
    let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, port)).await?;
    println!(
        "listening on http://127.0.0.1:{}",
        listener.local_addr()?.port()
    );
    // `ConnectInfo` gives each handler the socket peer: the proxy, whose X-Forwarded-For is
    // believed only because it is on 127.0.0.1.
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .await?;
    Ok(())
}
