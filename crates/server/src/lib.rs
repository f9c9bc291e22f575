//! The analysts' workspace: `chronicle serve`.
//!
//! Server-rendered pages (maud, escaped by construction, no inline script)
//! and a JSON API under `/api/v1`, both over the same [`Store`] the command
//! line uses, through a small pool of connections. Every request acts as its
//! account: the store applies the account's role and grants, so a viewer's
//! request cannot change anything and restricted records stay out of every
//! page and answer.
//!
//! [`Store`]: chronicle_store::Store

mod admin;
mod api;
mod auth;
mod error;
mod pages;
mod pool;
mod render;

use axum::extract::{ConnectInfo, DefaultBodyLimit};
use axum::http::{header, HeaderName, HeaderValue, Request};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{watch, OwnedSemaphorePermit, Semaphore};

pub use pool::Pool;

/// Why the server could not start or stopped.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error(transparent)]
    Store(#[from] chronicle_store::StoreError),
    #[error("cannot listen on {addr}: {source}")]
    Listen { addr: String, source: std::io::Error },
    #[error("the store has no account that can log in: add one with `chronicle user add NAME --role admin --password-stdin`")]
    NoAccounts,
    #[error("--client-ip-header is for a server behind a TLS proxy (--behind-tls): without a proxy, any client could name any address")]
    HeaderWithoutProxy,
    #[error("{0:?} is not a header name")]
    BadHeader(String),
    #[error("server: {0}")]
    Io(#[from] std::io::Error),
}

/// The largest body of any request but an upload.
pub const BODY_LIMIT: usize = 64 << 10;

/// How the server meets its clients: the proxy in front, limits and timeouts.
#[derive(Debug, Clone)]
pub struct Options {
    /// A TLS proxy stands in front: cookies travel only over HTTPS.
    pub behind_tls: bool,
    /// The header in which that proxy names the client (`X-Forwarded-For`);
    /// the login limits count by that address. Only behind a proxy.
    pub client_ip_header: Option<HeaderName>,
    /// The largest report an upload may carry.
    pub max_upload: usize,
    /// The longest a request's headers may take to arrive, and a kept-alive
    /// connection may wait for its next request.
    pub header_timeout: Duration,
    /// The longest a request's body may pause between two pieces.
    pub body_timeout: Duration,
    /// The longest an answer may wait for its client to read on.
    pub write_timeout: Duration,
    /// The most connections served at once; more wait to be accepted.
    pub max_connections: usize,
    /// The longest reading and extracting an uploaded report may take.
    pub read_timeout: Duration,
    /// The most uploaded reports read at once (each takes a core).
    pub max_reading: usize,
}

impl Options {
    /// The client's address is taken from the header `name` (behind a proxy that sets it).
    pub fn client_ip_header(mut self, name: &str) -> Result<Options, ServeError> {
        self.client_ip_header = Some(HeaderName::try_from(name).map_err(|_| ServeError::BadHeader(name.to_string()))?);
        Ok(self)
    }
}

impl Default for Options {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        Options {
            behind_tls: false,
            client_ip_header: None,
            max_upload: 32 << 20,
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(30),
            write_timeout: Duration::from_secs(30),
            max_connections: 200,
            read_timeout: Duration::from_secs(60),
            max_reading: cores.saturating_sub(1).max(1),
        }
    }
}

/// What every handler shares.
pub struct AppState {
    pub pool: Pool,
    sessions: auth::Sessions,
    limiter: auth::Limiter,
    /// The largest report an upload may carry.
    pub max_upload: usize,
    /// Cookies only over HTTPS (behind a TLS proxy).
    pub secure_cookies: bool,
    options: Options,
    /// Permits to read an uploaded report, [`Options::max_reading`] of them.
    reading: Arc<Semaphore>,
}

impl AppState {
    pub fn new(pool: Pool) -> Arc<AppState> {
        Self::with_options(pool, false)
    }
    pub fn with_options(pool: Pool, secure_cookies: bool) -> Arc<AppState> {
        Self::configured(pool, Options { behind_tls: secure_cookies, ..Options::default() })
    }
    pub fn configured(pool: Pool, options: Options) -> Arc<AppState> {
        Arc::new(AppState {
            pool,
            sessions: auth::Sessions::default(),
            limiter: auth::Limiter::default(),
            max_upload: options.max_upload,
            secure_cookies: options.behind_tls,
            reading: Arc::new(Semaphore::new(options.max_reading.max(1))),
            options,
        })
    }
    pub fn options(&self) -> &Options {
        &self.options
    }
}

/// Every route of the workspace.
pub fn app(state: Arc<AppState>) -> Router {
    let limit = state.max_upload;
    Router::new()
        .route("/", get(pages::home))
        .route("/login", get(pages::login_form).post(pages::login))
        .route("/logout", post(pages::logout))
        .route("/search", get(pages::search))
        .route("/persons/{id}", get(pages::person))
        .route("/persons/{id}/merge", post(pages::merge))
        .route("/persons/{id}/split", post(pages::split))
        .route("/stats", get(pages::stats))
        .route("/events", get(pages::events))
        .route("/events/{id}/review", post(pages::review))
        .route("/review", get(pages::review_queue))
        .route("/documents", get(pages::documents))
        .route("/documents/{id}", get(pages::document))
        .route("/documents/{id}/original", get(pages::original))
        // The one large body: read only once the account is known to be an editor (see `pages::upload`).
        .route("/upload", get(pages::upload_form).post(pages::upload).layer(DefaultBodyLimit::max(limit + BODY_LIMIT)))
        .route("/static/style.css", get(pages::style))
        .route("/static/app.js", get(pages::script))
        .merge(admin::routes())
        .nest("/api/v1", api::routes())
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(tower_http::timeout::RequestBodyTimeoutLayer::new(state.options.body_timeout))
        .layer(axum::middleware::from_fn(no_nul_in_address))
        .layer(axum::middleware::from_fn(security_headers))
        .with_state(state)
}

/// An address with a NUL in its path or query (`%00`) names nothing: no text
/// the store keeps holds one (PostgreSQL cannot), so it is a 400, not a query.
async fn no_nul_in_address(req: Request<axum::body::Body>, next: Next) -> Response {
    if req.uri().path_and_query().is_some_and(|p| p.as_str().contains("%00")) {
        return (axum::http::StatusCode::BAD_REQUEST, "the address holds a NUL character (%00)").into_response();
    }
    next.run(req).await
}

/// Headers on every answer: no framing, no inline or foreign script, no sniffing, no caching of pages.
async fn security_headers(req: Request<axum::body::Body>, next: Next) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; \
             form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        ),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    h.entry(header::CACHE_CONTROL).or_insert(HeaderValue::from_static("no-store"));
    res
}

/// Serves the workspace on `addr` until interrupted (Ctrl-C or SIGTERM);
/// `behind_tls`: a TLS proxy stands in front, so cookies travel only over HTTPS.
pub async fn serve(pool: Pool, addr: &str, behind_tls: bool) -> Result<(), ServeError> {
    serve_with(pool, addr, Options { behind_tls, ..Options::default() }).await
}

/// Serves the workspace on `addr` with `options` until interrupted.
pub async fn serve_with(pool: Pool, addr: &str, options: Options) -> Result<(), ServeError> {
    if options.client_ip_header.is_some() && !options.behind_tls {
        return Err(ServeError::HeaderWithoutProxy);
    }
    let has_login = pool.run(None, |s| Ok(s.any_password()?)).await.map_err(|e| match e {
        error::AppError::Store(s) => ServeError::Store(s),
        other => ServeError::Io(std::io::Error::other(other.to_string())),
    })?;
    if !has_login {
        return Err(ServeError::NoAccounts);
    }
    let listener = TcpListener::bind(addr).await.map_err(|source| ServeError::Listen { addr: addr.to_string(), source })?;
    let local = listener.local_addr()?;
    tracing::info!("serving on http://{local}");
    eprintln!("chronicle: serving on http://{local}");
    let state = AppState::configured(pool, options);
    serve_on(listener, state, interrupted()).await
}

/// Ctrl-C, or SIGTERM where there is one.
async fn interrupted() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).expect("SIGTERM handler");
        tokio::select! { _ = ctrl_c => {}, _ = term.recv() => {} }
    }
    #[cfg(not(unix))]
    {
        let _ = ctrl_c.await;
    }
}

/// How long connections still open at shutdown may take to finish their requests.
const GRACE: Duration = Duration::from_secs(10);

/// Serves `app(state)` on `listener` until `shutdown` completes: at most
/// [`Options::max_connections`] connections at once (more wait in the
/// listener's queue, costing no descriptor), each closed when its headers do
/// not arrive within [`Options::header_timeout`], its body stalls past
/// [`Options::body_timeout`] or its client stops reading the answer for
/// [`Options::write_timeout`].
pub async fn serve_on(listener: TcpListener, state: Arc<AppState>, shutdown: impl std::future::Future<Output = ()>) -> Result<(), ServeError> {
    let options = state.options.clone();
    let router = app(state);
    let slots = Arc::new(Semaphore::new(options.max_connections.max(1)));
    let (stop, stopping) = watch::channel(false);
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(hyper_util::rt::TokioTimer::new()).header_read_timeout(options.header_timeout);
    tokio::pin!(shutdown);
    loop {
        let slot = tokio::select! {
            slot = Arc::clone(&slots).acquire_owned() => slot.expect("the connection slots are never closed"),
            _ = &mut shutdown => break,
        };
        let (stream, peer) = tokio::select! {
            accepted = accept(&listener) => accepted,
            _ = &mut shutdown => break,
        };
        let mut io = tokio_io_timeout::TimeoutStream::new(stream);
        io.set_write_timeout(Some(options.write_timeout));
        tokio::spawn(serve_connection(http.clone(), io, peer, router.clone(), stopping.clone(), slot));
    }
    let _ = stop.send(true);
    // Every connection gives its slot back when it ends.
    let all = u32::try_from(options.max_connections.max(1)).unwrap_or(u32::MAX);
    let _ = tokio::time::timeout(GRACE, slots.acquire_many(all)).await;
    Ok(())
}

/// The next connection; an error (out of descriptors, a connection reset
/// before it was taken) is logged, and after a pause the next is awaited.
async fn accept(listener: &TcpListener) -> (TcpStream, SocketAddr) {
    loop {
        match listener.accept().await {
            Ok(accepted) => return accepted,
            Err(e) => {
                tracing::warn!("accepting a connection: {e}");
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
    }
}

/// Completes when the server begins to shut down.
async fn shutting_down(stopping: &mut watch::Receiver<bool>) {
    let _ = stopping.wait_for(|s| *s).await;
}

/// One connection, holding one of the server's slots until it ends.
async fn serve_connection(http: hyper::server::conn::http1::Builder, stream: tokio_io_timeout::TimeoutStream<TcpStream>, peer: SocketAddr, router: Router, mut stopping: watch::Receiver<bool>, _slot: OwnedSemaphorePermit) {
    let service = hyper::service::service_fn(move |mut req: Request<hyper::body::Incoming>| {
        req.extensions_mut().insert(ConnectInfo(peer));
        tower::ServiceExt::oneshot(router.clone(), req)
    });
    let conn = http.serve_connection(hyper_util::rt::TokioIo::new(Box::pin(stream)), service);
    tokio::pin!(conn);
    tokio::select! {
        done = conn.as_mut() => {
            if let Err(e) = done {
                tracing::debug!("connection from {peer}: {e}");
            }
        }
        _ = shutting_down(&mut stopping) => {
            conn.as_mut().graceful_shutdown();
            let _ = conn.await;
        }
    }
}
