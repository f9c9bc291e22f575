//! What the workspace shows an account names no one hidden from it: a
//! restricted witness is named on no page and in no API answer — document
//! lists, document pages (title, heading, source, text), search, events,
//! dossiers — however her name is written there; asking for her events is
//! answered as for someone never on record; and an editor's split by a
//! report it may not see is answered as for a report that does not name the person.

use axum::body::Body;
use axum::extract::connect_info::MockConnectInfo;
use axum::http::{header, Method, Request, StatusCode};
use axum::Router;
use chronicle_link::names::fold;
use chronicle_server::{app, AppState, Pool};
use chronicle_store::{RecordRef, Role, SqlStore, Store};
use std::net::SocketAddr;
use tower::ServiceExt;

/// A witness's statement, filed under her name: in its title and headline,
/// in sentences, in Cyrillic, with a possessive and in an address.
const STATEMENT: &str = "Zarina Karimova: I saw them take my neighbour\nPublished: 3 March 2025\n\n\
    ZARINA KARIMOVA: I SAW THEM TAKE MY NEIGHBOUR\n\n\
    Police officers detained the teacher Ilhom Rashidov at his home in Namangan on 1 March 2025. \
    Zarina Karimova, a neighbour, said she saw four men push him into a car. \
    Later ЗАРИНА КАРИМОВА told the group that she had been warned to keep quiet. \
    Karimova's account was confirmed by the teacher's wife. Write to zarina.karimova@example.org for her full statement.\n";
/// She and the teacher beaten together: her event and his.
const BEATING: &str = "Beaten in Namangan\nPublished: 4 March 2025\n\n\
    Police officers beat Zarina Karimova and Ilhom Rashidov in Namangan on 2 March 2025.\n";
/// A confidential source on the teacher (a restricted report).
const SOURCE: &str = "Custody in Namangan\nPublished: 6 March 2025\n\n\
    A source told us that Ilhom Rashidov was tortured in custody in Namangan on 5 March 2025.\n";

const HER_WORDS: &[&str] = &["zarina", "karimova"];

struct Site {
    _dir: tempfile::TempDir,
    app: Router,
    witness: String,
    teacher: String,
    docs: Vec<String>,
    vic_token: String,
}

struct Answer {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: String,
}

impl Answer {
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
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("record.db");
    let mut store = SqlStore::open(&path).unwrap();
    let mut docs = Vec::new();
    for (name, text) in [("reports/Zarina Karimova/statement.txt", STATEMENT), ("reports/beating.txt", BEATING), ("reports/source.txt", SOURCE)] {
        docs.push(chronicle_pipeline::ingest_bytes(&mut store, name, text.as_bytes(), &Default::default()).unwrap().id);
    }
    store.add_user("ada", Role::Admin, Some("admin-passphrase")).unwrap();
    store.act_as("ada").unwrap();
    store.add_user("ed", Role::Editor, Some("editor-passphrase")).unwrap();
    store.add_user("vic", Role::Viewer, Some("viewer-passphrase")).unwrap();
    let id_of = |store: &SqlStore, name: &str| store.find_persons(name).unwrap().remove(0).id;
    let (witness, teacher) = (id_of(&store, "Zarina Karimova"), id_of(&store, "Ilhom Rashidov"));
    store.restrict(&RecordRef::Person(witness.clone()), Some("she was warned")).unwrap();
    store.restrict(&RecordRef::Document(docs[2].clone()), Some("confidential source")).unwrap();
    let vic_token = store.create_token("vic", "test").unwrap();
    let pool = Pool::new(store, 2).unwrap();
    let app = app(AppState::with_options(pool, false)).layer(MockConnectInfo(SocketAddr::from(([127, 0, 0, 1], 40000))));
    Site { _dir: dir, app, witness, teacher, docs, vic_token }
}

impl Site {
    async fn send(&self, method: Method, uri: &str, headers: &[(&str, &str)], body: Vec<u8>) -> Answer {
        let mut req = Request::builder().method(method).uri(uri);
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let res = self.app.clone().oneshot(req.body(Body::from(body)).unwrap()).await.unwrap();
        let (status, headers) = (res.status(), res.headers().clone());
        let bytes = axum::body::to_bytes(res.into_body(), 1 << 24).await.unwrap();
        Answer { status, headers, body: String::from_utf8_lossy(&bytes).into_owned() }
    }
    async fn get(&self, uri: &str, cookie: &str) -> Answer {
        self.send(Method::GET, uri, &[("cookie", cookie)], Vec::new()).await
    }
    async fn api(&self, uri: &str) -> Answer {
        self.send(Method::GET, uri, &[("authorization", &format!("Bearer {}", self.vic_token))], Vec::new()).await
    }
    async fn post_form(&self, uri: &str, cookie: &str, form: &[(&str, &str)]) -> Answer {
        let enc = |s: &str| s.bytes().map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") }).collect::<String>();
        let body = form.iter().map(|(k, v)| format!("{k}={}", enc(v))).collect::<Vec<_>>().join("&");
        self.send(Method::POST, uri, &[("cookie", cookie), ("content-type", "application/x-www-form-urlencoded")], body.into_bytes()).await
    }
    /// Logs in; returns the session cookie and the session's CSRF token.
    async fn login(&self, user: &str, password: &str) -> (String, String) {
        let form = self.send(Method::GET, "/login", &[], Vec::new()).await;
        let login_cookie = format!("chronicle_login={}", form.cookie("chronicle_login").unwrap());
        let res = self.post_form("/login", &login_cookie, &[("username", user), ("password", password), ("csrf", &form.csrf())]).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{user} logs in: {}", res.body);
        let cookie = format!("chronicle_session={}", res.cookie("chronicle_session").unwrap());
        let csrf = self.get("/search", &cookie).await.csrf();
        (cookie, csrf)
    }
}

fn her_words_in(shown: &str) -> Vec<&'static str> {
    let folded = fold(shown);
    HER_WORDS.iter().copied().filter(|w| folded.contains(w)).collect()
}

#[tokio::test]
async fn a_restricted_witness_is_named_on_no_page_and_in_no_answer() {
    let site = site();
    let (cookie, _) = site.login("vic", "viewer-passphrase").await;
    let statement = &site.docs[0];
    let mut pages = vec!["/documents".to_string(), format!("/documents/{statement}"), format!("/documents/{}", site.docs[1])];
    pages.extend(["/events".into(), format!("/persons/{}", site.teacher), "/stats".into()]);
    let mut answers = vec!["/api/v1/documents".to_string(), format!("/api/v1/documents/{statement}"), format!("/api/v1/documents/{}", site.docs[1])];
    answers.extend(["/api/v1/events".into(), format!("/api/v1/persons/{}", site.teacher), "/api/v1/persons?q=a".into()]);
    let mut shown = Vec::new();
    for uri in &pages {
        let res = site.get(uri, &cookie).await;
        assert_eq!(res.status, StatusCode::OK, "{uri}");
        shown.push((uri.clone(), res.body));
    }
    for uri in &answers {
        let res = site.api(uri).await;
        assert_eq!(res.status, StatusCode::OK, "{uri}");
        shown.push((uri.clone(), res.body));
    }
    for q in ["car", "warned", "Namangan", "Zarina", "karimova", "ЗАРИНА", "Karimova's", "example"] {
        let enc: String = q.bytes().map(|b| format!("%{b:02X}")).collect();
        // What is asked is echoed back in the search form; nothing else may name her.
        let page = site.get(&format!("/search?q={enc}"), &cookie).await.body.replace(q, "QUERY");
        let api = site.api(&format!("/api/v1/search?q={enc}")).await.body;
        shown.extend([(format!("/search?q={q}"), page), (format!("/api/v1/search?q={q}"), api)]);
    }
    for (uri, body) in &shown {
        assert_eq!(her_words_in(body), Vec::<&str>::new(), "{uri}:\n{body}");
    }
    let page = &shown[1].1;
    assert!(page.contains("<title>██████ ████████: I saw them take my neighbour — Chronicle</title>"), "{page}");
    assert!(page.contains("reports/██████ ████████/statement.txt") && page.contains("Ilhom Rashidov"), "{page}");
    let found = site.api("/api/v1/search?q=warned").await.body;
    assert!(found.contains(statement.as_str()), "still found by words the viewer sees: {found}");
    let original = site.get(&format!("/documents/{statement}/original"), &cookie).await;
    assert_eq!(original.status, StatusCode::FORBIDDEN, "the original names her");
}

#[tokio::test]
async fn a_hidden_persons_events_are_not_found_as_an_unknown_persons_are_not() {
    let site = site();
    let hidden = site.api(&format!("/api/v1/events?person={}", site.witness)).await;
    let unknown = site.api("/api/v1/events?person=person-999").await;
    assert_eq!((hidden.status, unknown.status), (StatusCode::NOT_FOUND, StatusCode::NOT_FOUND), "{}", hidden.body);
    let n = site.witness.trim_start_matches("person-");
    assert_eq!(hidden.body.replace(n, "N"), unknown.body.replace("999", "N"), "answered alike");
    assert_eq!(site.api(&format!("/api/v1/persons/{}", site.witness)).await.status, StatusCode::NOT_FOUND);
    let teacher = site.api(&format!("/api/v1/events?person={}", site.teacher)).await;
    assert_eq!(teacher.status, StatusCode::OK);
    assert_eq!(her_words_in(&teacher.body), Vec::<&str>::new(), "{}", teacher.body);
}

#[tokio::test]
async fn a_split_by_a_report_the_editor_may_not_see_is_answered_as_for_one_that_does_not_name_the_person() {
    let site = site();
    let (cookie, csrf) = site.login("ed", "editor-passphrase").await;
    let uri = format!("/persons/{}/split", site.teacher);
    let hidden = site.post_form(&uri, &cookie, &[("csrf", &csrf), ("document", &site.docs[2])]).await;
    let unnamed = "doc-0000000000000000";
    let absent = site.post_form(&uri, &cookie, &[("csrf", &csrf), ("document", unnamed)]).await;
    assert_eq!(hidden.status, absent.status);
    assert_ne!(hidden.status, StatusCode::SEE_OTHER, "nothing was split");
    assert_eq!(hidden.body.replace(site.docs[2].as_str(), "DOC"), absent.body.replace(unnamed, "DOC"));
}
