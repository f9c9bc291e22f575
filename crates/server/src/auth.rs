//! Who is asking: sessions (HttpOnly, SameSite=Strict cookies), API tokens,
//! CSRF tokens, and the limit on login attempts.

use crate::error::AppError;
use crate::AppState;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderName, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub const SESSION_COOKIE: &str = "chronicle_session";
pub const LOGIN_COOKIE: &str = "chronicle_login";
const SESSION_LIFE: Duration = Duration::from_secs(12 * 3600);
/// Failed logins allowed per account name in [`WINDOW`].
pub const ACCOUNT_LIMIT: usize = 5;
/// Failed logins allowed per client address in [`WINDOW`]: more than one
/// account's, so that one client's failures do not lock out everyone behind
/// the same proxy or NAT, while still bounding guesses across accounts.
pub const ADDRESS_LIMIT: usize = 50;
/// The longest account name a login may give.
pub const MAX_ACCOUNT_NAME: usize = chronicle_store::MAX_ACCOUNT_NAME_CHARS;
const WINDOW: Duration = Duration::from_secs(15 * 60);

/// 32 random bytes, hex.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::Rng::fill(&mut rand::rng(), &mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Compares two secrets in time that does not depend on where they differ.
/// An empty secret is no secret: it matches nothing, not even another empty one.
pub fn same_secret(a: &str, b: &str) -> bool {
    !a.is_empty() && a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

pub fn cookie<'a>(parts: &'a Parts, name: &str) -> Option<&'a str> {
    cookie_in(&parts.headers, name)
}

/// The value of the cookie `name` among the request's headers.
pub fn cookie_in<'a>(headers: &'a axum::http::HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// A cookie scripts cannot read and other sites cannot send; `secure`: only over HTTPS.
pub fn set_cookie(name: &str, value: &str, max_age: Option<u64>, secure: bool) -> String {
    let age = max_age.map_or(String::new(), |a| format!("; Max-Age={a}"));
    let secure = if secure { "; Secure" } else { "" };
    format!("{name}={value}; Path=/; HttpOnly; SameSite=Strict{age}{secure}")
}

#[derive(Clone)]
pub struct Session {
    pub user: String,
    pub csrf: String,
    expires: Instant,
    /// The account's epoch when the session began: once the store's differs
    /// (disabled, removed, a new password), the session is over.
    epoch: i64,
}

#[derive(Default)]
pub struct Sessions(Mutex<HashMap<String, Session>>);

impl Sessions {
    /// A new session for `user`, bound to the account's `epoch`; returns its cookie value.
    pub fn open(&self, user: &str, epoch: i64) -> String {
        let id = random_token();
        let mut map = self.0.lock().unwrap_or_else(|p| p.into_inner());
        let now = Instant::now();
        map.retain(|_, s| s.expires > now);
        map.insert(id.clone(), Session { user: user.to_string(), csrf: random_token(), expires: now + SESSION_LIFE, epoch });
        id
    }
    pub fn get(&self, id: &str) -> Option<Session> {
        let map = self.0.lock().unwrap_or_else(|p| p.into_inner());
        map.get(id).filter(|s| s.expires > Instant::now()).cloned()
    }
    pub fn close(&self, id: &str) {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).remove(id);
    }
    /// Ends every session of `user`.
    pub fn close_user(&self, user: &str) {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).retain(|_, s| s.user != user);
    }
}

/// Failed logins counted per account name and per client address, each
/// against its own limit in [`WINDOW`]. An attempt is counted before its
/// password is checked (under the lock that counts it), so that parallel
/// guesses cannot slip past the limit while the first ones are checked.
#[derive(Default)]
pub struct Limiter(Mutex<HashMap<String, Vec<Instant>>>);

/// A login attempt counted by [`Limiter::reserve`].
pub struct Attempt {
    keys: Vec<String>,
    at: Instant,
}

impl Limiter {
    /// Counts an attempt at `account` from `address`; None when either has used
    /// up its attempts (nothing is counted then).
    pub fn reserve(&self, account: &str, address: IpAddr) -> Option<Attempt> {
        let keys = [(format!("user:{account}"), ACCOUNT_LIMIT), (format!("ip:{address}"), ADDRESS_LIMIT)];
        let mut map = self.0.lock().unwrap_or_else(|p| p.into_inner());
        let blocked = keys.iter().any(|(k, limit)| {
            map.get_mut(k).is_some_and(|list| {
                list.retain(|t| t.elapsed() < WINDOW);
                list.len() >= *limit
            })
        });
        if blocked {
            return None;
        }
        let at = Instant::now();
        for (k, _) in &keys {
            map.entry(k.clone()).or_default().push(at);
        }
        // Names and addresses tried long ago are forgotten, so that guessing cannot fill the memory.
        if map.len() > 10_000 {
            map.retain(|_, list| list.iter().any(|t| t.elapsed() < WINDOW));
        }
        Some(Attempt { keys: keys.into_iter().map(|(k, _)| k).collect(), at })
    }

    /// The password was right: the attempt no longer counts as a failure.
    pub fn succeeded(&self, attempt: Attempt) {
        let mut map = self.0.lock().unwrap_or_else(|p| p.into_inner());
        for k in &attempt.keys {
            if let Some(list) = map.get_mut(k) {
                if let Some(i) = list.iter().position(|t| *t == attempt.at) {
                    list.swap_remove(i);
                }
            }
        }
    }
}

/// The client's address: the peer's, or behind a proxy that names the client
/// in `header` (`X-Forwarded-For: client, proxy…`), the right-most address
/// there, the one the proxy itself appended (those left of it are the
/// client's to invent).
pub fn client_address(peer: SocketAddr, headers: &HeaderMap, header: Option<&HeaderName>) -> IpAddr {
    header
        .and_then(|h| headers.get_all(h).iter().last())
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.rsplit(',').next())
        .and_then(|a| parse_address(a.trim()))
        .unwrap_or(peer.ip())
}

fn parse_address(a: &str) -> Option<IpAddr> {
    a.parse::<IpAddr>().ok().or_else(|| a.parse::<SocketAddr>().ok().map(|s| s.ip()))
}

/// The account a request acts as, and how it proved it.
#[derive(Clone)]
pub struct Caller {
    pub user: String,
    /// The session's CSRF token; None for an API token (no cookie, no CSRF).
    pub csrf: Option<String>,
    pub session: Option<String>,
}

impl Caller {
    /// Refuses a state-changing request whose CSRF token is not the session's.
    pub fn check_csrf(&self, given: Option<&str>) -> Result<(), AppError> {
        match (&self.csrf, given) {
            (None, _) => Ok(()),
            (Some(mine), Some(g)) if same_secret(mine, g) => Ok(()),
            _ => Err(AppError::Forbidden("the form's CSRF token is missing or wrong; reload the page and try again".into())),
        }
    }
}

/// An anonymous request: pages send it to the login page, the API answers 401.
pub struct Unauthenticated {
    api: bool,
}

impl IntoResponse for Unauthenticated {
    fn into_response(self) -> Response {
        if self.api {
            let body = serde_json::json!({ "error": "log in, or send Authorization: Bearer TOKEN" });
            (StatusCode::UNAUTHORIZED, [(header::WWW_AUTHENTICATE, "Bearer")], axum::Json(body)).into_response()
        } else {
            Redirect::to("/login").into_response()
        }
    }
}

impl FromRequestParts<Arc<AppState>> for Caller {
    type Rejection = Unauthenticated;

    async fn from_request_parts(parts: &mut Parts, state: &Arc<AppState>) -> Result<Self, Self::Rejection> {
        // Nested routers see their own part of the path; the original tells an API call.
        let path = parts.extensions.get::<axum::extract::OriginalUri>().map_or(parts.uri.path(), |u| u.0.path());
        let api = path.starts_with("/api/");
        if let Some(id) = cookie(parts, SESSION_COOKIE) {
            if let Some(s) = state.sessions.get(id) {
                // Checked against the store on every request: the account may have been disabled or removed since.
                let user = s.user.clone();
                match state.pool.run(None, move |store| Ok(chronicle_store::Store::session_epoch(store, &user)?)).await {
                    Ok(Some(epoch)) if epoch == s.epoch => return Ok(Caller { user: s.user, csrf: Some(s.csrf), session: Some(id.to_string()) }),
                    Ok(_) => state.sessions.close(id),
                    Err(e) => tracing::warn!("a session could not be checked: {e}"),
                }
            }
        }
        let bearer = parts.headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer "));
        if let (true, Some(token)) = (api, bearer) {
            let token = token.trim().to_string();
            if let Ok(Some(user)) = state.pool.run(None, move |s| Ok(chronicle_store::Store::token_user(s, &token)?)).await {
                return Ok(Caller { user, csrf: None, session: None });
            }
        }
        Err(Unauthenticated { api })
    }
}

impl AppState {
    pub fn sessions(&self) -> &Sessions {
        &self.sessions
    }
    pub fn limiter(&self) -> &Limiter {
        &self.limiter
    }
}
