//! The workspace against hostile clients, over real HTTP on loopback where the
//! attack is on the connection: guesses raced in parallel, bodies too large
//! for their route, half-sent requests, bodies that stop arriving, uploads
//! that keep a parser busy, redirects to other hosts, numbers and characters
//! the store cannot take. Every attack here once worked.

use axum::body::Body;
use axum::extract::connect_info::MockConnectInfo;
use axum::http::{header, Method, Request, StatusCode};
use axum::Router;
use chronicle_server::{app, serve_on, AppState, Options, Pool};
use chronicle_store::{Role, SqlStore, Store};
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tower::ServiceExt;

const ADMIN: (&str, &str) = ("ada", "admin-passphrase");
const EDITOR: (&str, &str) = ("ed", "editor-passphrase");
const VIEWER: (&str, &str) = ("vic", "viewer-passphrase");

/// A store with two reports and an admin, an editor and a viewer.
fn store(dir: &Path) -> SqlStore {
    let mut store = SqlStore::open(dir.join("record.db")).unwrap();
    let reports = Path::new(env!("CARGO_MANIFEST_DIR")).join("../cli/tests/data/reports");
    for name in ["campaign.html", "news-sentenced.txt"] {
        let bytes = std::fs::read(reports.join(name)).unwrap();
        chronicle_pipeline::ingest_bytes(&mut store, name, &bytes, &Default::default()).unwrap();
    }
    store.add_user(ADMIN.0, Role::Admin, Some(ADMIN.1)).unwrap();
    store.act_as(ADMIN.0).unwrap();
    store.add_user(EDITOR.0, Role::Editor, Some(EDITOR.1)).unwrap();
    store.add_user(VIEWER.0, Role::Viewer, Some(VIEWER.1)).unwrap();
    store
}

fn campaign_bytes() -> Vec<u8> {
    std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("../cli/tests/data/reports/campaign.html")).unwrap()
}

// ---- the router, request by request (the client's address is 127.0.0.1) ----

struct Site {
    dir: tempfile::TempDir,
    app: Router,
}

struct Answer {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: String,
}

impl Answer {
    fn location(&self) -> &str {
        self.headers.get(header::LOCATION).and_then(|v| v.to_str().ok()).unwrap_or("")
    }
    fn cookie(&self, name: &str) -> Option<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find_map(|c| c.split(';').next()?.strip_prefix(&format!("{name}=")).map(str::to_string))
    }
    fn csrf(&self) -> String {
        let at = self.body.find("name=\"csrf\" value=\"").expect("a form with a CSRF token") + 19;
        self.body[at..at + 64].to_string()
    }
}

fn site(options: Options, connections: usize) -> Site {
    let dir = tempfile::tempdir().unwrap();
    let pool = Pool::new(store(dir.path()), connections).unwrap();
    let app = app(AppState::configured(pool, options)).layer(MockConnectInfo(SocketAddr::from(([127, 0, 0, 1], 40000))));
    Site { dir, app }
}

fn form_body(form: &[(&str, &str)]) -> Vec<u8> {
    let enc = |s: &str| s.bytes().map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") }).collect::<String>();
    form.iter().map(|(k, v)| format!("{k}={}", enc(v))).collect::<Vec<_>>().join("&").into_bytes()
}

impl Site {
    async fn send(&self, method: Method, uri: &str, headers: &[(&str, &str)], body: Vec<u8>) -> Answer {
        let mut req = Request::builder().method(method).uri(uri);
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let res = self.app.clone().oneshot(req.body(Body::from(body)).unwrap()).await.unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = axum::body::to_bytes(res.into_body(), 1 << 24).await.unwrap();
        Answer { status, headers, body: String::from_utf8_lossy(&bytes).into_owned() }
    }
    async fn get(&self, uri: &str, cookie: &str) -> Answer {
        self.send(Method::GET, uri, &[("cookie", cookie)], Vec::new()).await
    }
    async fn post_form(&self, uri: &str, cookie: &str, extra: &[(&str, &str)], form: &[(&str, &str)]) -> Answer {
        let mut headers = vec![("cookie", cookie), ("content-type", "application/x-www-form-urlencoded")];
        headers.extend_from_slice(extra);
        self.send(Method::POST, uri, &headers, form_body(form)).await
    }
    /// The login form's cookie header and its CSRF token.
    async fn login_form(&self) -> (String, String) {
        let form = self.get("/login", "").await;
        (format!("chronicle_login={}", form.cookie("chronicle_login").unwrap()), form.csrf())
    }
    async fn try_login(&self, (user, password): (&str, &str), extra: &[(&str, &str)]) -> Answer {
        let (cookie, csrf) = self.login_form().await;
        self.post_form("/login", &cookie, extra, &[("username", user), ("password", password), ("csrf", &csrf)]).await
    }
    /// The session cookie and the session's CSRF token.
    async fn login(&self, account: (&str, &str)) -> (String, String) {
        let res = self.try_login(account, &[]).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{} logs in: {}", account.0, res.body);
        let cookie = format!("chronicle_session={}", res.cookie("chronicle_session").unwrap());
        let csrf = self.get("/search", &cookie).await.csrf();
        (cookie, csrf)
    }
}

fn multipart(csrf: &str, file_name: &str, file: &[u8]) -> (String, Vec<u8>) {
    let boundary = "chronicle-hostile-boundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(file);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

// ---- login: the limits, raced and behind a proxy; the login form's token ----

#[tokio::test]
async fn two_hundred_parallel_wrong_passwords_get_no_more_checks_than_the_limit() {
    let site = Arc::new(site(Options::default(), 4));
    let (cookie, csrf) = site.login_form().await;
    let guesses: Vec<_> = (0..200)
        .map(|i| {
            let (site, cookie, csrf) = (Arc::clone(&site), cookie.clone(), csrf.clone());
            tokio::spawn(async move {
                let guess = format!("guess number {i}");
                site.post_form("/login", &cookie, &[], &[("username", "ada"), ("password", &guess), ("csrf", &csrf)]).await.status
            })
        })
        .collect();
    let mut statuses = Vec::new();
    for g in guesses {
        statuses.push(g.await.unwrap());
    }
    let checked = statuses.iter().filter(|s| **s == StatusCode::UNAUTHORIZED).count();
    let refused = statuses.iter().filter(|s| **s == StatusCode::TOO_MANY_REQUESTS).count();
    assert_eq!(checked + refused, 200, "{statuses:?}");
    assert!(checked <= 5, "{checked} of 200 parallel guesses had their password checked; the account allows 5");
    assert_eq!(site.try_login(ADMIN, &[]).await.status, StatusCode::TOO_MANY_REQUESTS, "the right password waits too");
}

#[tokio::test]
async fn behind_a_proxy_one_clients_failures_lock_out_that_client_and_that_account_not_everyone() {
    let options = Options { behind_tls: true, ..Options::default() }.client_ip_header("X-Forwarded-For").unwrap();
    let site = site(options, 2);
    // Every request comes from the proxy (127.0.0.1); the proxy appends the client's address.
    let attacker = [("x-forwarded-for", "203.0.113.9")];
    for i in 0..5 {
        let res = site.try_login((&format!("nobody{i}"), "wrong password"), &attacker).await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    }
    let colleague = [("x-forwarded-for", "198.51.100.7")];
    assert_eq!(site.try_login(VIEWER, &colleague).await.status, StatusCode::SEE_OTHER, "another client behind the proxy still logs in");

    // One account: five failures, from anywhere, and it waits (whoever tries).
    for _ in 0..5 {
        assert_eq!(site.try_login((EDITOR.0, "wrong password"), &attacker).await.status, StatusCode::UNAUTHORIZED);
    }
    assert_eq!(site.try_login(EDITOR, &colleague).await.status, StatusCode::TOO_MANY_REQUESTS);

    // One address: more failures than an account's, across accounts, and that address waits, for every account.
    let mut refused_at = None;
    for i in 5..60 {
        // Addresses left of the proxy's own are the client's to invent: the right-most counts.
        let spoofed = [("x-forwarded-for", "198.51.100.7, 203.0.113.9")];
        if site.try_login((&format!("nobody{i}"), "wrong password"), &spoofed).await.status == StatusCode::TOO_MANY_REQUESTS {
            refused_at = Some(i);
            break;
        }
    }
    let refused_at = refused_at.expect("an address that keeps failing is refused");
    assert!(refused_at > 5, "the address limit is higher than an account's");
    assert_eq!(site.try_login(ADMIN, &attacker).await.status, StatusCode::TOO_MANY_REQUESTS, "the address waits, whatever the account");
    assert_eq!(site.try_login(ADMIN, &colleague).await.status, StatusCode::SEE_OTHER, "the colleague does not");
}

#[tokio::test]
async fn without_a_configured_proxy_header_the_forwarded_address_is_not_believed() {
    let site = site(Options::default(), 2);
    let mut refused = false;
    for i in 0..60 {
        let invented = format!("192.0.2.{i}");
        let res = site.try_login((&format!("nobody{i}"), "wrong password"), &[("x-forwarded-for", &invented)]).await;
        if res.status == StatusCode::TOO_MANY_REQUESTS {
            refused = true;
            break;
        }
    }
    assert!(refused, "a client inventing a new address each time is still counted by its own");
    assert!(Options::default().client_ip_header("not a header\n").is_err());
}

#[tokio::test]
async fn a_login_with_an_empty_token_in_cookie_and_form_is_refused() {
    let site = site(Options::default(), 1);
    let empty = site.post_form("/login", "chronicle_login=", &[], &[("username", ADMIN.0), ("password", ADMIN.1), ("csrf", "")]).await;
    assert_eq!(empty.status, StatusCode::FORBIDDEN, "{}", empty.body);
    assert!(empty.cookie("chronicle_session").is_none());
    let none = site.post_form("/login", "", &[], &[("username", ADMIN.0), ("password", ADMIN.1), ("csrf", "")]).await;
    assert_eq!(none.status, StatusCode::FORBIDDEN);
    assert_eq!(site.try_login(ADMIN, &[]).await.status, StatusCode::SEE_OTHER, "the real form still works");
}

#[test]
fn new_passwords_have_a_minimum_length() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = store(dir.path());
    for weak in ["a", "", "short pass", "aaaaaaaaaaaaaaaa"] {
        let err = store.add_user("weak", Role::Viewer, Some(weak)).unwrap_err();
        assert!(err.to_string().contains("password"), "{weak:?}: {err}");
    }
    assert!(store.add_user(&"n".repeat(65), Role::Viewer, Some("a long enough passphrase")).is_err());
    store.add_user("strong", Role::Viewer, Some("a long enough passphrase")).unwrap();
    assert!(chronicle_store::check_password_strength("a").is_err());
}

// ---- bodies: small everywhere but an editor's upload ----

#[tokio::test]
async fn bodies_are_small_everywhere_but_an_editors_upload() {
    let site = site(Options::default(), 2);
    let (cookie, csrf) = site.login_form().await;
    let huge_name = "x".repeat(2 << 20);
    let res = site.post_form("/login", &cookie, &[], &[("username", &huge_name), ("password", "p"), ("csrf", &csrf)]).await;
    assert_eq!(res.status, StatusCode::PAYLOAD_TOO_LARGE, "a 2 MB login");
    let long_name = "x".repeat(65);
    let res = site.post_form("/login", &cookie, &[], &[("username", &long_name), ("password", "p"), ("csrf", &csrf)]).await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST, "a 65-character account name");

    let (session, csrf) = site.login(EDITOR).await;
    let padding = "p".repeat(100 << 10);
    let res = site.post_form("/events/x-e1/review", &session, &[], &[("csrf", &csrf), ("action", "confirm"), ("back", &padding)]).await;
    assert_eq!(res.status, StatusCode::PAYLOAD_TOO_LARGE, "a 100 KB review form");
    let big = site.send(Method::POST, "/api/v1/events/x-e1/review", &[("cookie", &session), ("x-csrf-token", &csrf), ("content-type", "application/json")], vec![b' '; 100 << 10]).await;
    assert_eq!(big.status, StatusCode::PAYLOAD_TOO_LARGE, "a 100 KB API call");

    // A report of 200 KB is no trouble for an editor.
    let report = "The weather in the valley was mild that year, and the river ran high.\n".repeat(3000).into_bytes();
    let (kind, body) = multipart(&csrf, "long.txt", &report);
    let res = site.send(Method::POST, "/upload", &[("cookie", &session), ("content-type", &kind)], body).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
}

#[tokio::test]
async fn a_viewers_upload_is_refused_before_its_body_is_read_and_says_nothing_of_the_store() {
    let site = site(Options::default(), 2);
    let (session, csrf) = site.login(VIEWER).await;
    // The bytes of a report the store holds: an editor would be sent to it; a viewer learns nothing.
    let (kind, body) = multipart(&csrf, "campaign.html", &campaign_bytes());
    let known = site.send(Method::POST, "/upload", &[("cookie", &session), ("content-type", &kind)], body).await;
    assert_eq!(known.status, StatusCode::FORBIDDEN, "{} {}", known.location(), known.body);
    let (kind, body) = multipart(&csrf, "new.txt", b"Police detained a man in Kazan on 3 March 2025.\n");
    let unknown = site.send(Method::POST, "/upload", &[("cookie", &session), ("content-type", &kind)], body).await;
    assert_eq!((unknown.status, unknown.body.clone()), (known.status, known.body.clone()), "known and unknown bytes are answered alike");
    // Not even read: a body that is no form at all gets the same answer.
    let junk = site.send(Method::POST, "/upload", &[("cookie", &session), ("content-type", "multipart/form-data; boundary=x")], b"junk".to_vec()).await;
    assert_eq!(junk.status, StatusCode::FORBIDDEN);

    let (editor, csrf) = site.login(EDITOR).await;
    let (kind, body) = multipart(&csrf, "campaign.html", &campaign_bytes());
    let res = site.send(Method::POST, "/upload", &[("cookie", &editor), ("content-type", &kind)], body).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "an editor is sent to the report on record");
}

// ---- redirects, numbers and characters ----

#[tokio::test]
async fn a_redirect_target_with_a_space_control_character_or_backslash_stays_on_the_site() {
    let site = site(Options::default(), 2);
    let (session, csrf) = site.login(EDITOR).await;
    let event = {
        let mut s = SqlStore::open(site.dir.path().join("record.db")).unwrap();
        s.act_as(ADMIN.0).unwrap();
        s.events().unwrap()[0].id.clone()
    };
    let uri = format!("/events/{event}/review");
    for back in ["/\t/evil.example", "/\n/evil.example", "/\r/evil.example", "/ /evil.example", "/\\evil.example", "/\u{0}/evil.example", "/\u{a0}/evil.example", "/\u{3000}/evil.example", "//evil.example", "https://evil.example/"] {
        let res = site.post_form(&uri, &session, &[], &[("csrf", &csrf), ("action", "confirm"), ("back", back)]).await;
        assert_eq!((res.status, res.location()), (StatusCode::SEE_OTHER, "/review"), "back = {back:?}");
    }
    let res = site.post_form(&uri, &session, &[], &[("csrf", &csrf), ("action", "confirm"), ("back", "/events?page=2")]).await;
    assert_eq!(res.location(), "/events?page=2", "a path on the site is kept");
}

#[tokio::test]
async fn numbers_past_any_end_and_nul_characters_are_bad_requests_not_server_errors() {
    let site = site(Options::default(), 2);
    let (session, _) = site.login(VIEWER).await;
    for uri in [
        "/search?q=a%00b",
        "/api/v1/search?q=%00",
        "/api/v1/persons?q=%00",
        "/events?page=18446744073709551615",
        "/events?page=368934881474191032",
        "/documents?page=18446744073709551615",
        "/api/v1/events?offset=9223372036854775808",
        "/api/v1/documents?offset=9223372036854775808",
        "/documents/a%00b",
        "/api/v1/documents/%00",
        "/api/v1/events?person=person-1%00",
    ] {
        let res = site.get(uri, &session).await;
        assert_eq!(res.status, StatusCode::BAD_REQUEST, "{uri}: {}", res.body);
    }
    let long = format!("/search?q={}", "word+".repeat(300));
    assert_eq!(site.get(&long, &session).await.status, StatusCode::BAD_REQUEST, "a 1.5 KB query");
    let many: String = (0..40).map(|i| format!("w{i}+")).collect();
    assert_eq!(site.get(&format!("/api/v1/search?q={many}"), &session).await.status, StatusCode::BAD_REQUEST, "40 different words");
    assert_eq!(site.get("/search?q=Nurmatov+Nurmatov+nurmatov", &session).await.status, StatusCode::OK);
    assert_eq!(site.get("/events?page=1", &session).await.status, StatusCode::OK);
}

// ---- the connection: a real server on loopback ----

struct Server {
    addr: SocketAddr,
    _dir: tempfile::TempDir,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<()>,
}

impl Server {
    async fn start(options: Options, connections: usize) -> Server {
        let dir = tempfile::tempdir().unwrap();
        let pool = Pool::new(store(dir.path()), connections).unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let state = AppState::configured(pool, options);
        let task = tokio::spawn(async move {
            serve_on(listener, state, async {
                let _ = stopped.await;
            })
            .await
            .unwrap();
        });
        Server { addr, _dir: dir, stop: Some(stop), task }
    }

    /// One request on a connection of its own; the status and the whole answer.
    async fn request(&self, head: &str, body: &[u8]) -> (u16, String) {
        let mut conn = TcpStream::connect(self.addr).await.unwrap();
        conn.write_all(head.as_bytes()).await.unwrap();
        conn.write_all(body).await.unwrap();
        let mut answer = Vec::new();
        conn.read_to_end(&mut answer).await.unwrap();
        let answer = String::from_utf8_lossy(&answer).into_owned();
        let status = answer.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
        (status, answer)
    }

    async fn get(&self, path: &str, cookie: &str) -> (u16, String) {
        self.request(&format!("GET {path} HTTP/1.1\r\nHost: chronicle\r\nCookie: {cookie}\r\nConnection: close\r\n\r\n"), b"").await
    }

    async fn post(&self, path: &str, cookie: &str, kind: &str, body: &[u8]) -> (u16, String) {
        let head = format!("POST {path} HTTP/1.1\r\nHost: chronicle\r\nCookie: {cookie}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", body.len());
        self.request(&head, body).await
    }

    /// Logs in over the wire; the session cookie.
    async fn login(&self, (user, password): (&str, &str)) -> String {
        let (_, form) = self.get("/login", "").await;
        let csrf = {
            let at = form.find("name=\"csrf\" value=\"").unwrap() + 19;
            form[at..at + 64].to_string()
        };
        let cookie = format!("chronicle_login={csrf}");
        let (status, answer) = self.post("/login", &cookie, "application/x-www-form-urlencoded", &form_body(&[("username", user), ("password", password), ("csrf", &csrf)])).await;
        assert_eq!(status, 303, "{answer}");
        let at = answer.find("chronicle_session=").unwrap();
        answer[at..].split(';').next().unwrap().to_string()
    }

    async fn stop(mut self) {
        let _ = self.stop.take().unwrap().send(());
        let _ = tokio::time::timeout(Duration::from_secs(20), self.task).await;
    }
}

/// How long `f` took, which must be under `bound`.
async fn within<T>(bound: Duration, what: &str, f: impl std::future::Future<Output = T>) -> T {
    let started = Instant::now();
    let out = tokio::time::timeout(bound, f).await.unwrap_or_else(|_| panic!("{what} took longer than {bound:?}"));
    eprintln!("{what}: {:?}", started.elapsed());
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_half_sent_request_is_closed_after_the_header_timeout() {
    let options = Options { header_timeout: Duration::from_secs(1), ..Options::default() };
    let server = Server::start(options, 1).await;
    let mut conn = TcpStream::connect(server.addr).await.unwrap();
    conn.write_all(b"GET /login HTTP/1.1\r\nHost: chronicle\r\nX-Slow: ").await.unwrap();
    let mut rest = Vec::new();
    // Closed (perhaps after a 408) well before the test's own bound.
    within(Duration::from_secs(15), "closing a half-sent request", conn.read_to_end(&mut rest)).await.unwrap();
    let rest = String::from_utf8_lossy(&rest);
    assert!(rest.is_empty() || rest.starts_with("HTTP/1.1 408"), "{rest}");

    // A connection that never sends a byte, and one kept alive after its answer, are closed too.
    let mut silent = TcpStream::connect(server.addr).await.unwrap();
    within(Duration::from_secs(15), "closing a silent connection", silent.read_to_end(&mut Vec::new())).await.unwrap();
    let mut kept = TcpStream::connect(server.addr).await.unwrap();
    kept.write_all(b"GET /static/style.css HTTP/1.1\r\nHost: chronicle\r\n\r\n").await.unwrap();
    let mut answer = Vec::new();
    within(Duration::from_secs(15), "closing an idle kept-alive connection", kept.read_to_end(&mut answer)).await.unwrap();
    assert!(String::from_utf8_lossy(&answer).starts_with("HTTP/1.1 200"));
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn many_half_sent_requests_do_not_keep_the_login_page_from_answering() {
    let options = Options { header_timeout: Duration::from_secs(1), max_connections: 16, ..Options::default() };
    let server = Server::start(options, 1).await;
    let mut slow = Vec::new();
    for _ in 0..100 {
        let mut conn = TcpStream::connect(server.addr).await.unwrap();
        conn.write_all(b"GET /login HTTP/1.1\r\nHost: chronicle\r\n").await.unwrap();
        slow.push(conn);
    }
    // 100 held connections against 16 slots: each gets its second, then the next.
    let (status, _) = within(Duration::from_secs(30), "the login page behind 100 half-sent requests", server.get("/login", "")).await;
    assert_eq!(status, 200);
    drop(slow);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_body_that_stops_arriving_is_cut_off() {
    let options = Options { body_timeout: Duration::from_secs(1), ..Options::default() };
    let server = Server::start(options, 1).await;
    let mut conn = TcpStream::connect(server.addr).await.unwrap();
    conn.write_all(b"POST /login HTTP/1.1\r\nHost: chronicle\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\nusername=a").await.unwrap();
    let mut answer = Vec::new();
    within(Duration::from_secs(15), "cutting off a stalled body", conn.read_to_end(&mut answer)).await.unwrap();
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.is_empty() || answer.starts_with("HTTP/1.1 4"), "{answer}");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_viewers_large_upload_is_answered_without_waiting_for_its_body() {
    let server = Server::start(Options::default(), 1).await;
    let session = server.login(VIEWER).await;
    let mut conn = TcpStream::connect(server.addr).await.unwrap();
    let head = format!("POST /upload HTTP/1.1\r\nHost: chronicle\r\nCookie: {session}\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: 30000000\r\n\r\n");
    conn.write_all(head.as_bytes()).await.unwrap();
    // Not a byte of the 30 MB sent, and the answer comes.
    let mut buf = [0u8; 512];
    let n = within(Duration::from_secs(15), "refusing a viewer's upload", conn.read(&mut buf)).await.unwrap();
    let answer = String::from_utf8_lossy(&buf[..n]);
    assert!(answer.starts_with("HTTP/1.1 403"), "{answer}");
    server.stop().await;
}

/// HTML that keeps the HTML reader busy: elements opened inside one another, written as if they closed themselves.
fn nested_html(elements: usize) -> Vec<u8> {
    let mut html = b"<html><body>".to_vec();
    for _ in 0..elements {
        html.extend_from_slice(b"<div/>");
    }
    html.extend_from_slice(b"Police detained Rustam Nazarov in Kazan.</body></html>");
    html
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn hostile_uploads_read_at_once_do_not_stop_the_login_page_or_the_pages() {
    let options = Options { read_timeout: Duration::from_secs(2), max_reading: 1, ..Options::default() };
    // One store connection: a parse that held it would hold every page.
    let server = Arc::new(Server::start(options, 1).await);
    let session = server.login(EDITOR).await;
    let (_, page) = server.get("/upload", &session).await;
    let csrf = {
        let at = page.find("name=\"csrf\" value=\"").unwrap() + 19;
        page[at..at + 64].to_string()
    };
    let uploads: Vec<_> = (0..4)
        .map(|i| {
            let (server, session) = (Arc::clone(&server), session.clone());
            let (kind, body) = multipart(&csrf, &format!("nested{i}.html"), &nested_html(20_000 + i));
            tokio::spawn(async move { server.post("/upload", &session, &kind, &body).await })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(300)).await;
    for round in 0..3 {
        let (status, _) = within(Duration::from_secs(10), &format!("the login page during hostile uploads ({round})"), server.get("/login", "")).await;
        assert_eq!(status, 200);
        within(Duration::from_secs(10), &format!("logging in during hostile uploads ({round})"), server.login(VIEWER)).await;
        let (status, _) = within(Duration::from_secs(10), &format!("a page during hostile uploads ({round})"), server.get("/documents", &session)).await;
        assert_eq!(status, 200);
    }
    for u in uploads {
        let (status, answer) = within(Duration::from_secs(60), "an upload's answer", u).await.unwrap();
        // Stored, refused by the reader, or past the time limit or the queue for readers: never a server error.
        assert!(matches!(status, 303 | 400 | 503), "{answer}");
    }
    Arc::try_unwrap(server).ok().unwrap().stop().await;
}

// ---- a request that goes away ----

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_that_goes_away_stops_the_search_it_was_running() {
    let dir = tempfile::tempdir().unwrap();
    let pool = Pool::new(store(dir.path()), 1).unwrap();
    let (seen, said) = std::sync::mpsc::channel();
    // A search that keeps going (asked again and again) until the store says whoever asked went away.
    let work = pool.run(None, move |s| {
        for _ in 0..1000 {
            if let Err(e @ chronicle_store::StoreError::Interrupted(_)) = s.search("penal colony", 10) {
                seen.send(e.to_string()).unwrap();
                break;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        Ok(())
    });
    // The client gives up (hyper drops the request's future when its connection closes).
    assert!(tokio::time::timeout(Duration::from_millis(300), work).await.is_err(), "the search was still running");
    let said = said.recv_timeout(Duration::from_secs(10)).expect("the search stopped once its request went away");
    assert!(said.contains("went away"), "{said}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_client_that_stops_reading_its_answer_is_cut_off() {
    let options = Options { write_timeout: Duration::from_secs(1), ..Options::default() };
    let server = Server::start(options, 1).await;
    // An original of 24 MB, more than the sockets on both sides hold.
    let original: Vec<u8> = (0..24u32 << 20).map(|i| b'a' + (i % 26) as u8).collect();
    let id = {
        let mut store = SqlStore::open(server._dir.path().join("record.db")).unwrap();
        store.act_as(ADMIN.0).unwrap();
        let sha = chronicle_pipeline::sha256_hex(&original);
        let doc = chronicle_model::Document {
            id: chronicle_model::Document::id_for_sha256(&sha),
            source: "large.txt".into(),
            sha256: sha,
            title: Some("A large original".into()),
            published: None,
            language: Some("en".into()),
            publisher: None,
            text: "A short text.".into(),
            reading: Default::default(),
            attached_to: None,
        };
        store.add_document(&doc, &original, &Default::default(), "test").unwrap();
        doc.id
    };
    let session = server.login(ADMIN).await;
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.set_recv_buffer_size(4096).unwrap();
    let mut conn = socket.connect(server.addr).await.unwrap();
    conn.write_all(format!("GET /documents/{id}/original HTTP/1.1\r\nHost: chronicle\r\nCookie: {session}\r\n\r\n").as_bytes()).await.unwrap();
    // The client reads nothing for a while, then all it can.
    tokio::time::sleep(Duration::from_secs(4)).await;
    let mut got = Vec::new();
    let _ = within(Duration::from_secs(30), "reading what was sent before the cut", conn.read_to_end(&mut got)).await;
    assert!(got.len() < original.len(), "the whole answer waited for a client that did not read ({} bytes)", got.len());
    server.stop().await;
}
