//! The workspace over HTTP, request by request, on a real store file: who may
//! reach what, what each role may change, CSRF, login limits, headers, escaping,
//! the API and its description.

use axum::body::Body;
use axum::extract::connect_info::MockConnectInfo;
use axum::http::{header, Method, Request, StatusCode};
use axum::Router;
use chronicle_server::{app, AppState, Pool};
use chronicle_store::{Role, SqlStore, Store};
use std::net::SocketAddr;
use std::path::Path;
use tower::ServiceExt;

struct Site {
    _dir: tempfile::TempDir,
    path: std::path::PathBuf,
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

fn site() -> Site {
    site_with(false)
}

fn site_with(behind_tls: bool) -> Site {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("record.db");
    let mut store = SqlStore::open(&path).unwrap();
    let reports = Path::new(env!("CARGO_MANIFEST_DIR")).join("../cli/tests/data/reports");
    for name in ["campaign.html", "news-sentenced.txt"] {
        let bytes = std::fs::read(reports.join(name)).unwrap();
        chronicle_pipeline::ingest_bytes(&mut store, name, &bytes, &Default::default()).unwrap();
    }
    store.add_user("ada", Role::Admin, Some("admin-passphrase")).unwrap();
    store.act_as("ada").unwrap();
    store.add_user("ed", Role::Editor, Some("editor-passphrase")).unwrap();
    store.add_user("vic", Role::Viewer, Some("viewer-passphrase")).unwrap();
    let pool = Pool::new(store, 2).unwrap();
    let app = app(AppState::with_options(pool, behind_tls)).layer(MockConnectInfo(SocketAddr::from(([127, 0, 0, 1], 40000))));
    Site { _dir: dir, path, app }
}

impl Site {
    async fn send(&self, method: Method, uri: &str, cookie: Option<&str>, content_type: Option<&str>, body: Vec<u8>, extra: &[(&str, &str)]) -> Answer {
        let mut req = Request::builder().method(method).uri(uri);
        if let Some(c) = cookie {
            req = req.header(header::COOKIE, c);
        }
        if let Some(t) = content_type {
            req = req.header(header::CONTENT_TYPE, t);
        }
        for (k, v) in extra {
            req = req.header(*k, *v);
        }
        let res = self.app.clone().oneshot(req.body(Body::from(body)).unwrap()).await.unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = axum::body::to_bytes(res.into_body(), 1 << 24).await.unwrap();
        Answer { status, headers, body: String::from_utf8_lossy(&bytes).into_owned() }
    }
    async fn get(&self, uri: &str, cookie: Option<&str>) -> Answer {
        self.send(Method::GET, uri, cookie, None, Vec::new(), &[]).await
    }
    async fn post_form(&self, uri: &str, cookie: Option<&str>, form: &[(&str, &str)]) -> Answer {
        let enc = |s: &str| s.bytes().map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") }).collect::<String>();
        let body = form.iter().map(|(k, v)| format!("{k}={}", enc(v))).collect::<Vec<_>>().join("&");
        self.send(Method::POST, uri, cookie, Some("application/x-www-form-urlencoded"), body.into_bytes(), &[]).await
    }
    async fn try_login(&self, user: &str, password: &str) -> Answer {
        let form = self.get("/login", None).await;
        let login_cookie = format!("chronicle_login={}", form.cookie("chronicle_login").unwrap());
        self.post_form("/login", Some(&login_cookie), &[("username", user), ("password", password), ("csrf", &form.csrf())]).await
    }
    /// Logs in; returns the session cookie and the session's CSRF token.
    async fn login(&self, user: &str, password: &str) -> (String, String) {
        let res = self.try_login(user, password).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{user} logs in: {}", res.body);
        let cookie = format!("chronicle_session={}", res.cookie("chronicle_session").unwrap());
        let csrf = self.get("/search", Some(&cookie)).await.csrf();
        (cookie, csrf)
    }
    fn store(&self) -> SqlStore {
        let mut s = SqlStore::open(&self.path).unwrap();
        s.act_as("ada").unwrap();
        s
    }
    fn first_event(&self) -> chronicle_store::EventRecord {
        self.store().events().unwrap().remove(0)
    }
}

#[tokio::test]
async fn an_anonymous_client_reaches_only_the_login_page_and_static_assets() {
    let site = site();
    let event = site.first_event().id;
    for uri in ["/", "/search?q=Nurmatov", "/persons/person-1", "/events", "/review", "/documents", "/upload", &format!("/documents/{}", event)] {
        let res = site.get(uri, None).await;
        assert_eq!((res.status, res.location()), (StatusCode::SEE_OTHER, "/login"), "{uri}");
    }
    let res = site.post_form(&format!("/events/{event}/review"), None, &[("action", "reject")]).await;
    assert_eq!(res.location(), "/login");
    for uri in ["/api/v1/persons", "/api/v1/openapi.json", "/api/v1/search?q=x"] {
        assert_eq!(site.get(uri, None).await.status, StatusCode::UNAUTHORIZED, "{uri}");
    }
    let forged = site.send(Method::GET, "/api/v1/persons", None, None, Vec::new(), &[("authorization", "Bearer chr_not-a-token")]).await;
    assert_eq!(forged.status, StatusCode::UNAUTHORIZED);
    assert_eq!(site.get("/login", None).await.status, StatusCode::OK);
    assert_eq!(site.get("/static/style.css", None).await.status, StatusCode::OK);
    assert_eq!(site.get("/static/app.js", None).await.status, StatusCode::OK);
    assert_eq!(site.store().events().unwrap()[0].review, chronicle_model::Review::Machine);
}

#[tokio::test]
async fn every_answer_forbids_framing_and_inline_script() {
    let site = site();
    let (cookie, _) = site.login("vic", "viewer-passphrase").await;
    for (uri, c) in [("/login", None), ("/search?q=Nurmatov", Some(cookie.as_str())), ("/api/v1/persons", Some(cookie.as_str()))] {
        let res = site.get(uri, c).await;
        let csp = res.headers.get(header::CONTENT_SECURITY_POLICY).unwrap().to_str().unwrap().to_string();
        assert!(csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'") && !csp.contains("unsafe-inline"), "{uri}: {csp}");
        assert_eq!(res.headers.get(header::X_FRAME_OPTIONS).unwrap(), "DENY", "{uri}");
        assert_eq!(res.headers.get(header::X_CONTENT_TYPE_OPTIONS).unwrap(), "nosniff", "{uri}");
    }
    let login = site.try_login("vic", "viewer-passphrase").await;
    let set = login.headers.get_all(header::SET_COOKIE).iter().map(|v| v.to_str().unwrap().to_string()).collect::<Vec<_>>().join("\n");
    assert!(set.contains("chronicle_session=") && set.contains("HttpOnly") && set.contains("SameSite=Strict"), "{set}");
    assert!(!set.contains("Secure"), "plain HTTP on loopback: a Secure cookie would never come back");
    let behind_tls = site_with(true).try_login("vic", "viewer-passphrase").await;
    let set = behind_tls.headers.get_all(header::SET_COOKIE).iter().map(|v| v.to_str().unwrap().to_string()).collect::<Vec<_>>().join("\n");
    assert!(set.contains("chronicle_session=") && set.contains("; Secure"), "behind TLS: {set}");
}

#[tokio::test]
async fn a_viewer_sees_no_controls_and_cannot_change_anything() {
    let site = site();
    let (cookie, csrf) = site.login("vic", "viewer-passphrase").await;
    let event = site.first_event();
    let person = event.victims[0].clone();
    let dossier = site.get(&format!("/persons/{person}"), Some(&cookie)).await;
    assert_eq!(dossier.status, StatusCode::OK);
    assert!(dossier.body.contains("class=\"event\"") && !dossier.body.contains("class=\"review\"") && !dossier.body.contains("class=\"merge\""));
    assert!(!dossier.body.contains("href=\"/upload\"") && !dossier.body.contains("href=\"/review\""));
    let post = site.post_form(&format!("/events/{}/review", event.id), Some(&cookie), &[("csrf", &csrf), ("action", "reject")]).await;
    assert_eq!(post.status, StatusCode::FORBIDDEN, "{}", post.body);
    assert_eq!(site.get("/review", Some(&cookie)).await.status, StatusCode::FORBIDDEN);
    let token = site.store().create_token("vic", "test").unwrap();
    let bearer = format!("Bearer {token}");
    let api = site
        .send(Method::POST, &format!("/api/v1/events/{}/review", event.id), None, Some("application/json"), br#"{"review":"rejected"}"#.to_vec(), &[("authorization", &bearer)])
        .await;
    assert_eq!(api.status, StatusCode::FORBIDDEN, "{}", api.body);
    assert!(api.body.contains("editor role"));
    assert_eq!(site.get(&format!("/api/v1/persons/{person}"), None).await.status, StatusCode::UNAUTHORIZED);
    let read = site.send(Method::GET, &format!("/api/v1/persons/{person}"), None, None, Vec::new(), &[("authorization", &bearer)]).await;
    assert_eq!(read.status, StatusCode::OK, "a viewer reads through the API");
    assert_eq!(site.first_event().review, chronicle_model::Review::Machine, "nothing changed");
}

#[tokio::test]
async fn a_change_without_the_session_csrf_token_is_refused() {
    let site = site();
    let (cookie, csrf) = site.login("ed", "editor-passphrase").await;
    let event = site.first_event().id;
    let uri = format!("/events/{event}/review");
    assert_eq!(site.post_form(&uri, Some(&cookie), &[("action", "reject")]).await.status, StatusCode::FORBIDDEN);
    assert_eq!(site.post_form(&uri, Some(&cookie), &[("action", "reject"), ("csrf", &"0".repeat(64))]).await.status, StatusCode::FORBIDDEN);
    let api = site.send(Method::POST, &format!("/api/v1/events/{event}/review"), Some(&cookie), Some("application/json"), br#"{"review":"rejected"}"#.to_vec(), &[]).await;
    assert_eq!(api.status, StatusCode::FORBIDDEN, "a session calling the API sends X-CSRF-Token");
    assert_eq!(site.first_event().review, chronicle_model::Review::Machine);

    let ok = site.post_form(&uri, Some(&cookie), &[("action", "reject"), ("csrf", &csrf), ("back", "https://elsewhere.example/")]).await;
    assert_eq!((ok.status, ok.location()), (StatusCode::SEE_OTHER, "/review"), "redirects stay on the site");
    assert_eq!(site.first_event().review, chronicle_model::Review::Rejected);
    let log = site.store().audit_log().unwrap();
    let last = log.last().unwrap();
    assert_eq!((last.actor.as_str(), last.action.as_str(), last.subject.as_str()), ("ed", "event.review", event.as_str()));
    assert!(last.detail.contains(r#""review":"machine""#) && last.detail.contains(r#""review":"rejected""#), "{}", last.detail);

    // Logging out needs the token too, and ends the session.
    assert_eq!(site.post_form("/logout", Some(&cookie), &[]).await.status, StatusCode::FORBIDDEN);
    assert_eq!(site.post_form("/logout", Some(&cookie), &[("csrf", &csrf)]).await.location(), "/login");
    assert_eq!(site.get("/search", Some(&cookie)).await.location(), "/login");
}

#[tokio::test]
async fn a_login_form_from_elsewhere_and_repeated_guesses_are_refused() {
    let site = site();
    let form = site.get("/login", None).await;
    let forged = site.post_form("/login", None, &[("username", "ada"), ("password", "admin-passphrase"), ("csrf", &form.csrf())]).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN, "no login cookie: a cross-site form");
    for _ in 0..5 {
        assert_eq!(site.try_login("ada", "guess").await.status, StatusCode::UNAUTHORIZED);
    }
    let res = site.try_login("ada", "admin-passphrase").await;
    assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS, "even the right password waits after five failures");
    assert!(res.cookie("chronicle_session").is_none());
}

#[tokio::test]
async fn an_uploaded_report_with_markup_in_it_is_shown_as_text() {
    let site = site();
    let (cookie, csrf) = site.login("ed", "editor-passphrase").await;
    let report = "Title <script>window.__xss=1</script>\n\nPolice detained Rustam <img src=x onerror=\"window.__xss=1\"> Nazarov in Kazan on 3 March 2025. \
                  See <a href=\"javascript:window.__xss=1\">this</a>.\n";
    let boundary = "chronicle-test-boundary";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"payload.txt\"\r\nContent-Type: text/plain\r\n\r\n{report}\r\n--{boundary}--\r\n"
    );
    let res = site.send(Method::POST, "/upload", Some(&cookie), Some(&format!("multipart/form-data; boundary={boundary}")), body.into_bytes(), &[]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let page = site.get(res.location(), Some(&cookie)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("&lt;script&gt;window.__xss=1&lt;/script&gt;"), "{}", page.body);
    assert!(!page.body.contains("<script>window") && !page.body.contains("<img") && !page.body.contains("<a href=\"javascript:"));
    let found = site.get("/search?q=xss", Some(&cookie)).await;
    assert!(found.body.contains("payload.txt") || found.body.contains("Title"), "{}", found.body);
    assert!(!found.body.contains("<script>window"));
}

/// An upload form with a file and, when given, a language field.
fn upload_body(boundary: &str, csrf: &str, language: Option<&str>, file: &str, report: &str) -> Vec<u8> {
    let part = |name: &str, value: &str| format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n");
    let mut body = part("csrf", csrf);
    if let Some(l) = language {
        body.push_str(&part("language", l));
    }
    body.push_str(&format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file}\"\r\nContent-Type: text/plain\r\n\r\n{report}\r\n--{boundary}--\r\n"));
    body.into_bytes()
}

#[tokio::test]
async fn an_upload_may_give_its_language_which_chooses_the_extractor() {
    let site = site();
    let (cookie, csrf) = site.login("ed", "editor-passphrase").await;
    let form = site.get("/upload", Some(&cookie)).await;
    assert!(form.body.contains("name=\"language\""), "{}", form.body);
    let boundary = "chronicle-test-boundary";
    let kind = format!("multipart/form-data; boundary={boundary}");
    let upload = |language: Option<&'static str>, file: &'static str, report: &'static str| {
        let (site, cookie, csrf, kind) = (&site, &cookie, &csrf, &kind);
        async move { site.send(Method::POST, "/upload", Some(cookie), Some(kind), upload_body(boundary, csrf, language, file, report), &[]).await }
    };
    let report = "Police in Samarkand detained the poet Ilhom Rakhmatov on 4 May 2025, his wife said. He was charged with extremism.\n";
    let refused = upload(Some("EN"), "poet.txt", report).await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert!(refused.body.contains("not a language code"), "{}", refused.body);

    let events_of = |location: &str| {
        let id = location.strip_prefix("/documents/").unwrap().to_string();
        let store = site.store();
        let doc = store.document(&id).unwrap().unwrap().document;
        let events = store.events_where(&chronicle_store::EventFilter { document: Some(id), ..Default::default() }).unwrap();
        (doc.language, events.len())
    };
    let as_german = upload(Some("de"), "poet.txt", report).await;
    assert_eq!(as_german.status, StatusCode::SEE_OTHER, "{}", as_german.body);
    assert_eq!(events_of(as_german.location()), (Some("de".to_string()), 0), "stored, not extracted");
    let found = site.get("/search?q=Samarkand", Some(&cookie)).await;
    assert!(found.body.contains(&format!("href=\"{}\"", as_german.location())), "{}", found.body);

    let detected = upload(Some(""), "poet-2.txt", "Police in Samarkand detained the poet Ilhom Rakhmatov on 4 May 2025, his wife said. He was charged with extremism and taken to a detention centre.\n").await;
    assert_eq!(detected.status, StatusCode::SEE_OTHER, "{}", detected.body);
    let (language, events) = events_of(detected.location());
    assert_eq!(language.as_deref(), Some("en"));
    assert!(events > 0, "an empty language field: detected, and the English rules read it");
}

#[tokio::test]
async fn the_api_is_described_and_answers_in_the_export_shapes() {
    let site = site();
    let token = site.store().create_token("ed", "test").unwrap();
    let auth = format!("Bearer {token}");
    let get = |uri: String| {
        let auth = auth.clone();
        let site = &site;
        async move { site.send(Method::GET, &uri, None, None, Vec::new(), &[("authorization", &auth)]).await }
    };
    let spec: serde_json::Value = serde_json::from_str(&get("/api/v1/openapi.json".into()).await.body).unwrap();
    assert_eq!(spec["openapi"], "3.1.0");
    for path in ["/persons", "/persons/{id}", "/events", "/events/{id}/review", "/documents", "/documents/{id}", "/search"] {
        assert!(spec["paths"][path].is_object(), "{path} is described");
    }
    let persons: serde_json::Value = serde_json::from_str(&get("/api/v1/persons?q=nurmatov".into()).await.body).unwrap();
    let p = &persons["persons"][0];
    assert_eq!(p["name"], "Zafar Nurmatov");
    let events: serde_json::Value = serde_json::from_str(&get(format!("/api/v1/events?person={}", p["id"].as_str().unwrap())).await.body).unwrap();
    let e = &events["events"][0];
    assert!(e["sources"][0]["quote"].as_str().unwrap().contains("Nurmatov"));
    let bad = get("/api/v1/events?type=picnic".into()).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.body.contains("picnic"));
    let id = e["id"].as_str().unwrap();
    let res = site
        .send(Method::POST, &format!("/api/v1/events/{id}/review"), None, Some("application/json"), br#"{"review":"correct","correction":{"country":"KZ"}}"#.to_vec(), &[("authorization", &auth)])
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let after: serde_json::Value = serde_json::from_str(&res.body).unwrap();
    assert_eq!((after["country"].as_str(), after["review"].as_str()), (Some("KZ"), Some("confirmed")));
}

#[tokio::test]
async fn an_editor_merges_and_splits_persons_from_the_dossier_and_sees_statistics() {
    let site = site();
    let (cookie, csrf) = site.login("ed", "editor-passphrase").await;
    let persons = site.store().persons().unwrap();
    let (keep, absorb) = (persons[0].id.clone(), persons[1].id.clone());
    let absorbed_doc = persons[1].mentions[0].document.clone();
    let merged = site.post_form(&format!("/persons/{keep}/merge"), Some(&cookie), &[("csrf", &csrf), ("other", &absorb)]).await;
    assert_eq!(merged.location(), format!("/persons/{keep}"), "{}", merged.body);
    let dossier = site.get(&format!("/persons/{keep}"), Some(&cookie)).await;
    assert!(dossier.body.contains("class=\"split\""), "a person in two reports can be split");
    let split = site.post_form(&format!("/persons/{keep}/split"), Some(&cookie), &[("csrf", &csrf), ("document", &absorbed_doc)]).await;
    let new = split.location().trim_start_matches("/persons/").to_string();
    assert!(new.starts_with("person-") && new != keep, "{}", split.body);
    let store = site.store();
    assert!(store.person(&new).unwrap().unwrap().mentions.iter().all(|m| m.document == absorbed_doc));
    let kinds: Vec<String> = store.audit_log().unwrap().into_iter().filter(|e| e.actor == "ed").map(|e| e.action).collect();
    assert_eq!(kinds, ["person.merge", "person.split"]);

    let stats = site.get("/stats", Some(&cookie)).await;
    assert!(stats.body.contains("<svg") && stats.body.contains("RU → TJ"), "{}", stats.body);
}

#[tokio::test]
async fn a_correction_from_the_form_changes_only_the_fields_that_differ() {
    let site = site();
    let (cookie, csrf) = site.login("ed", "editor-passphrase").await;
    let event = site.first_event();
    let date = event.date.map(|d| d.to_string()).unwrap_or_default();
    // The form sends every field, prefilled; only the type was changed.
    let res = site
        .post_form(&format!("/events/{}/review", event.id), Some(&cookie), &[("csrf", &csrf), ("action", "correct"), ("type", "extradition"), ("date", &date), ("back", "/events")])
        .await;
    assert_eq!((res.status, res.location()), (StatusCode::SEE_OTHER, "/events"), "{}", res.body);
    let after = site.first_event();
    assert_eq!((after.kind.as_str(), after.review.as_str(), after.date), ("extradition", "confirmed", event.date));
    let entry = site.store().audit_log().unwrap().pop().unwrap();
    assert_eq!((entry.actor.as_str(), entry.action.as_str()), ("ed", "event.review"));
    assert!(entry.detail.contains(r#""type":"extradition""#), "{}", entry.detail);
    let bad = site.post_form(&format!("/events/{}/review", event.id), Some(&cookie), &[("csrf", &csrf), ("action", "correct"), ("country", "Russia")]).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
}

/// The first row of the Statistics page's estimates: its period and the victims documented.
fn documented_row(page: &str) -> (String, u64) {
    let at = page.find("id=\"estimates\"").expect("the estimates section");
    let cell = |class: &str| {
        let open = format!("<td class=\"{class}\">");
        let from = page[at..].find(&open).unwrap_or_else(|| panic!("a {class} cell")) + at + open.len();
        page[from..from + page[from..].find('<').unwrap()].to_string()
    };
    (cell("period"), cell("documented").parse().unwrap())
}

#[tokio::test]
async fn the_statistics_page_counts_a_restricted_victim_only_for_those_who_may_see_them() {
    let site = site();
    let victim = site.first_event().victims[0].clone();
    let (admin, _) = site.login("ada", "admin-passphrase").await;
    let (viewer, _) = site.login("vic", "viewer-passphrase").await;
    let (period, before) = documented_row(&site.get("/stats", Some(&viewer)).await.body);
    assert_eq!(period, "all years");
    assert!(before >= 1);
    site.store().restrict(&chronicle_store::RecordRef::Person(victim), Some("asked not to be counted in public")).unwrap();
    assert_eq!(documented_row(&site.get("/stats", Some(&admin)).await.body).1, before, "an admin sees every victim");
    assert_eq!(documented_row(&site.get("/stats", Some(&viewer)).await.body).1, before - 1, "a viewer does not count the restricted victim");
}
