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
pub mod pipeline;
mod pool;
mod render;

use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderValue, Request};
use axum::middleware::Next;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use std::net::SocketAddr;
use std::sync::Arc;

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
    #[error("server: {0}")]
    Io(#[from] std::io::Error),
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
}

impl AppState {
    pub fn new(pool: Pool) -> Arc<AppState> {
        Self::with_options(pool, false)
    }
    pub fn with_options(pool: Pool, secure_cookies: bool) -> Arc<AppState> {
        Arc::new(AppState { pool, sessions: auth::Sessions::default(), limiter: auth::Limiter::default(), max_upload: 32 << 20, secure_cookies })
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
        .route("/upload", get(pages::upload_form).post(pages::upload))
        .route("/static/style.css", get(pages::style))
        .route("/static/app.js", get(pages::script))
        .merge(admin::routes())
        .nest("/api/v1", api::routes())
        .layer(DefaultBodyLimit::max(limit + (64 << 10)))
        .layer(axum::middleware::from_fn(security_headers))
        .with_state(state)
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
    let has_login = pool.run(None, |s| Ok(s.any_password()?)).await.map_err(|e| match e {
        error::AppError::Store(s) => ServeError::Store(s),
        other => ServeError::Io(std::io::Error::other(other.to_string())),
    })?;
    if !has_login {
        return Err(ServeError::NoAccounts);
    }
    let listener = tokio::net::TcpListener::bind(addr).await.map_err(|source| ServeError::Listen { addr: addr.to_string(), source })?;
    let local = listener.local_addr()?;
    tracing::info!("serving on http://{local}");
    eprintln!("chronicle: serving on http://{local}");
    let state = AppState::with_options(pool, behind_tls);
    axum::serve(listener, app(state).into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(async {
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
        })
        .await?;
    Ok(())
}
