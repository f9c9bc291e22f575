//! Account administration over real HTTP on 127.0.0.1: the workspace served
//! as `chronicle serve` serves it, a client speaking HTTP/1.1 to it. Admins
//! manage accounts and tokens on the Accounts page, every form with the
//! session's CSRF token; viewers and editors get 403 on every admin route. A
//! disabled, removed or re-passworded account's session ends at its next
//! request, and its token is refused, whichever program made the change.

use chronicle_server::{app, AppState, Pool};
use chronicle_store::{AccountState, Role, SqlStore, Store};
use std::io::{Read, Write};
use std::net::SocketAddr;

struct Site {
    _dir: tempfile::TempDir,
    path: std::path::PathBuf,
    addr: String,
}

struct Answer {
    status: u16,
    head: String,
    body: String,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        let prefix = format!("{}:", name.to_ascii_lowercase());
        self.head.lines().find(|l| l.to_ascii_lowercase().starts_with(&prefix)).map(|l| l[prefix.len()..].trim())
    }
    fn cookie(&self, name: &str) -> Option<String> {
        self.head
            .lines()
            .filter(|l| l.to_ascii_lowercase().starts_with("set-cookie:"))
            .find_map(|l| l["set-cookie:".len()..].trim().split(';').next()?.strip_prefix(&format!("{name}=")).map(str::to_string))
    }
    fn csrf(&self) -> String {
        let at = self.body.find("name=\"csrf\" value=\"").expect("a form with a CSRF token") + 19;
        self.body[at..at + 64].to_string()
    }
}

/// A store with ada (admin), ed (editor) and vic (viewer), served on a port of 127.0.0.1.
fn site() -> Site {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("record.db");
    let mut store = SqlStore::open(&path).unwrap();
    store.add_user("ada", Role::Admin, Some("ada's long passphrase")).unwrap();
    store.act_as("ada").unwrap();
    store.add_user("ed", Role::Editor, Some("ed's long passphrase")).unwrap();
    store.add_user("vic", Role::Viewer, Some("vic's long passphrase")).unwrap();
    let pool = Pool::new(store, 2).unwrap();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    listener.set_nonblocking(true).unwrap();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            axum::serve(listener, app(AppState::new(pool)).into_make_service_with_connect_info::<SocketAddr>()).await.unwrap();
        });
    });
    Site { _dir: dir, path, addr }
}

fn enc(s: &str) -> String {
    s.bytes().map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") }).collect()
}

impl Site {
    /// One HTTP/1.1 request on a fresh connection.
    fn send(&self, method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> Answer {
        let mut s = std::net::TcpStream::connect(&self.addr).unwrap();
        s.set_read_timeout(Some(std::time::Duration::from_secs(30))).unwrap();
        let extra: String = headers.iter().map(|(k, v)| format!("{k}: {v}\r\n")).collect();
        write!(s, "{method} {path} HTTP/1.1\r\nHost: {}\r\n{extra}Content-Length: {}\r\nConnection: close\r\n\r\n{body}", self.addr, body.len()).unwrap();
        let mut answer = String::new();
        s.read_to_string(&mut answer).unwrap();
        let (head, body) = answer.split_once("\r\n\r\n").unwrap_or((&answer, ""));
        let status = head.split(' ').nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
        Answer { status, head: head.to_string(), body: body.to_string() }
    }
    fn get(&self, path: &str, cookie: &str) -> Answer {
        self.send("GET", path, &[("Cookie", cookie)], "")
    }
    fn post(&self, path: &str, cookie: &str, form: &[(&str, &str)]) -> Answer {
        let body = form.iter().map(|(k, v)| format!("{k}={}", enc(v))).collect::<Vec<_>>().join("&");
        self.send("POST", path, &[("Cookie", cookie), ("Content-Type", "application/x-www-form-urlencoded")], &body)
    }
    fn api(&self, path: &str, token: &str) -> Answer {
        self.send("GET", path, &[("Authorization", &format!("Bearer {token}"))], "")
    }
    fn try_login(&self, user: &str, password: &str) -> Answer {
        let form = self.send("GET", "/login", &[], "");
        let cookie = format!("chronicle_login={}", form.cookie("chronicle_login").unwrap());
        self.post("/login", &cookie, &[("username", user), ("password", password), ("csrf", &form.csrf())])
    }
    /// Logs in; the session cookie and the session's CSRF token.
    fn login(&self, user: &str, password: &str) -> (String, String) {
        let res = self.try_login(user, password);
        assert_eq!(res.status, 303, "{user} logs in: {}", res.body);
        let cookie = format!("chronicle_session={}", res.cookie("chronicle_session").unwrap());
        let csrf = self.get("/search", &cookie).csrf();
        (cookie, csrf)
    }
    /// The store as an admin at the command line sees it (another connection, as another process would).
    fn store(&self) -> SqlStore {
        let mut s = SqlStore::open(&self.path).unwrap();
        s.act_as("ada").unwrap();
        s
    }
    fn account(&self, name: &str) -> chronicle_store::UserRecord {
        self.store().users().unwrap().into_iter().find(|u| u.name == name).unwrap()
    }
}

#[test]
fn an_admin_manages_accounts_and_tokens_from_the_accounts_page() {
    let site = site();
    let token = site.store().create_token("vic", "vic's script").unwrap();
    let (cookie, csrf) = site.login("ada", "ada's long passphrase");
    let page = site.get("/admin/accounts", &cookie);
    assert_eq!(page.status, 200, "{}", page.body);
    for row in ["id=\"account-ada\"", "id=\"account-ed\"", "id=\"account-vic\"", "id=\"token-1\"", "vic&#39;s script"] {
        assert!(page.body.contains(row) || page.body.contains(&row.replace("&#39;", "'")), "{row} on the page");
    }
    let forms = page.body.matches("<form").count();
    assert_eq!(page.body.matches(&format!("name=\"csrf\" value=\"{csrf}\"")).count(), forms, "every form carries the session's CSRF token");
    assert!(site.get("/search", &cookie).body.contains("href=\"/admin/accounts\""), "admins find the page in the menu");

    let done = |res: Answer| assert_eq!((res.status, res.header("location")), (303, Some("/admin/accounts")), "{}", res.body);
    done(site.post("/admin/accounts/vic/role", &cookie, &[("csrf", &csrf), ("role", "editor")]));
    assert_eq!(site.account("vic").role, Role::Editor);
    done(site.post("/admin/accounts/ed/state", &cookie, &[("csrf", &csrf), ("action", "disable")]));
    assert_eq!(site.account("ed").state, AccountState::Disabled);
    done(site.post("/admin/accounts/ed/state", &cookie, &[("csrf", &csrf), ("action", "enable")]));
    assert_eq!(site.account("ed").state, AccountState::Enabled);
    done(site.post("/admin/accounts/ed/password", &cookie, &[("csrf", &csrf), ("password", "a new passphrase for ed")]));
    assert!(site.store().check_password("ed", "a new passphrase for ed").unwrap().is_some());
    done(site.post("/admin/tokens/1/revoke", &cookie, &[("csrf", &csrf)]));
    assert_eq!(site.api("/api/v1/persons", &token).status, 401, "the revoked token is refused");
    done(site.post("/admin/accounts/ed/remove", &cookie, &[("csrf", &csrf), ("confirm", "yes")]));
    assert_eq!(site.account("ed").state, AccountState::Removed);
    let page = site.get("/admin/accounts", &cookie);
    assert!(page.body.contains("data-state=\"removed\"") && page.body.contains("data-state=\"revoked\""), "{}", page.body);

    // What the rules refuse, the page refuses.
    let last = site.post("/admin/accounts/ada/state", &cookie, &[("csrf", &csrf), ("action", "disable")]);
    assert_eq!(last.status, 403, "the last enabled admin stays enabled");
    assert!(last.body.contains("last enabled admin"), "{}", last.body);
    assert_eq!(site.post("/admin/accounts/ada/role", &cookie, &[("csrf", &csrf), ("role", "viewer")]).status, 403);
    assert_eq!(site.post("/admin/accounts/ada/remove", &cookie, &[("csrf", &csrf), ("confirm", "yes")]).status, 403);
    assert_eq!(site.post("/admin/accounts/vic/password", &cookie, &[("csrf", &csrf), ("password", "short")]).status, 403, "a weak password");
    assert_eq!(site.post("/admin/accounts/vic/role", &cookie, &[("role", "admin")]).status, 403, "no CSRF token, no change");
    assert_eq!(site.post("/admin/accounts/vic/role", &cookie, &[("csrf", &"0".repeat(64)), ("role", "admin")]).status, 403);
    assert_eq!(site.account("vic").role, Role::Editor);
    assert_eq!(site.account("ada").state, AccountState::Enabled);

    let log = site.store().audit_log().unwrap();
    let changes: Vec<String> = log.iter().filter(|e| e.actor == "ada").map(|e| format!("{} {}", e.action, e.subject)).collect();
    for c in ["user.role vic", "user.disable ed", "user.enable ed", "user.password ed", "user.revoke-token vic", "user.remove ed"] {
        assert!(changes.contains(&c.to_string()), "{c} in {changes:?}");
    }
}

#[test]
fn viewers_and_editors_cannot_reach_the_admin_routes() {
    let site = site();
    site.store().create_token("ada", "ada's").unwrap();
    for (user, password) in [("vic", "vic's long passphrase"), ("ed", "ed's long passphrase")] {
        let (cookie, csrf) = site.login(user, password);
        assert!(!site.get("/search", &cookie).body.contains("/admin/accounts"), "no menu entry for {user}");
        let page = site.get("/admin/accounts", &cookie);
        assert_eq!(page.status, 403, "{user}: {}", page.body);
        assert!(!page.body.contains("account-ada"), "{user} sees no account list");
        for (route, form) in [
            ("/admin/accounts/ada/role", vec![("role", "viewer")]),
            (&format!("/admin/accounts/{user}/role"), vec![("role", "admin")]),
            ("/admin/accounts/ada/state", vec![("action", "disable")]),
            ("/admin/accounts/ada/password", vec![("password", "taken over by someone")]),
            ("/admin/accounts/ada/remove", vec![("confirm", "yes")]),
            ("/admin/tokens/1/revoke", vec![]),
        ] {
            let mut form = form.clone();
            form.push(("csrf", csrf.as_str()));
            let res = site.post(route, &cookie, &form);
            assert_eq!(res.status, 403, "{user} POST {route}: {}", res.body);
        }
    }
    let ada = site.account("ada");
    assert_eq!((ada.role, ada.state), (Role::Admin, AccountState::Enabled));
    assert_eq!(site.account("ed").role, Role::Editor);
    assert_eq!(site.account("vic").role, Role::Viewer);
    assert!(site.store().check_password("ada", "ada's long passphrase").unwrap().is_some());
    assert!(site.store().tokens(None).unwrap()[0].revoked_at.is_none());
}

#[test]
fn a_disabled_accounts_session_and_token_are_refused_even_when_the_command_line_disabled_it() {
    let site = site();
    let token = site.store().create_token("vic", "laptop").unwrap();
    let (session, _) = site.login("vic", "vic's long passphrase");
    assert_eq!(site.get("/search", &session).status, 200);
    assert_eq!(site.api("/api/v1/persons", &token).status, 200);

    // `chronicle user disable vic`, from another process: the server learns it from the store.
    site.store().set_enabled("vic", false).unwrap();
    let page = site.get("/search", &session);
    assert_eq!((page.status, page.header("location")), (303, Some("/login")), "the session is over");
    assert_eq!(site.api("/api/v1/persons", &token).status, 401, "the token is refused");
    assert_eq!(site.send("GET", "/api/v1/persons", &[("Cookie", &session)], "").status, 401);
    assert_eq!(site.try_login("vic", "vic's long passphrase").status, 401, "no login with the right password");

    site.store().set_enabled("vic", true).unwrap();
    assert_eq!(site.get("/search", &session).status, 303, "enabling again does not bring the old session back");
    assert_eq!(site.api("/api/v1/persons", &token).status, 401, "nor the old token");
    let (fresh, _) = site.login("vic", "vic's long passphrase");
    assert_eq!(site.get("/search", &fresh).status, 200);

    // A new password ends the sessions made with the old one; removing the account ends them all.
    site.store().set_password("vic", "a passphrase set by ada").unwrap();
    assert_eq!(site.get("/search", &fresh).status, 303);
    let (again, _) = site.login("vic", "a passphrase set by ada");
    let new_token = site.store().create_token("vic", "new").unwrap();
    site.store().remove_user("vic").unwrap();
    assert_eq!(site.get("/search", &again).status, 303);
    assert_eq!(site.api("/api/v1/persons", &new_token).status, 401);
    assert_eq!(site.try_login("vic", "a passphrase set by ada").status, 401);
}
