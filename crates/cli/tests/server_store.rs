//! A shared server store: the real `chronicle` binary on a real PostgreSQL
//! database (named by `CHRONICLE_TEST_POSTGRES`, as for the store suite; in
//! CI, where `CHRONICLE_REQUIRE_POSTGRES=1`, a missing server fails these).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn admin_url() -> Option<String> {
    match std::env::var("CHRONICLE_TEST_POSTGRES") {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            assert!(
                !std::env::var("CHRONICLE_REQUIRE_POSTGRES").is_ok_and(|v| v == "1"),
                "CHRONICLE_REQUIRE_POSTGRES=1 but CHRONICLE_TEST_POSTGRES names no server"
            );
            eprintln!("note: CHRONICLE_TEST_POSTGRES is not set; the server-store tests did not run");
            None
        }
    }
}

/// A fresh database on the test server, dropped afterwards.
struct Database {
    admin: String,
    name: String,
    url: String,
}

impl Database {
    fn new(admin: &str, tag: &str) -> Database {
        let name = format!("chronicle_cli_{tag}_{}", std::process::id());
        let mut c = postgres::Client::connect(admin, postgres::NoTls).unwrap();
        c.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).unwrap();
        c.batch_execute(&format!("CREATE DATABASE {name}")).unwrap();
        let base = admin.rsplit_once('/').map_or(admin, |(b, _)| b);
        Database { admin: admin.to_string(), url: format!("{base}/{name}"), name }
    }
}

impl Drop for Database {
    fn drop(&mut self) {
        if let Ok(mut c) = postgres::Client::connect(&self.admin, postgres::NoTls) {
            let _ = c.batch_execute(&format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name));
        }
    }
}

fn chronicle(store: &str, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_chronicle"));
    c.arg("--store").arg(store).args(args).env_remove("CHRONICLE_STORE");
    c
}

fn ok(out: Output, what: &str) -> String {
    assert!(out.status.success(), "{what} failed:\n{}\n{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

fn export(store: &str) -> String {
    ok(chronicle(store, &["export"]).output().unwrap(), "export")
}

/// `n` short reports written here, whose persons recur across reports (so
/// that linking, and the ids it gives, depend on the order of storing).
fn reports(dir: &Path, n: usize) -> PathBuf {
    let given = ["Bakhrom", "Dilshod", "Farrukh", "Jasur", "Rustam", "Sardor", "Timur", "Umid"];
    let family = ["Khamroyev", "Nazarov", "Yusupov", "Alimov", "Karimov", "Rakhimov", "Saidov"];
    let cities = ["Moscow", "Saint Petersburg", "Yekaterinburg", "Kazan"];
    let out = dir.join("reports");
    std::fs::create_dir_all(&out).unwrap();
    for i in 0..n {
        // Four victims, each in every fourth report.
        let a = format!("{} {}", given[i % 4], family[i % 4]);
        let b = format!("{} {}", given[(i * 5 + 3) % given.len()], family[(i * 2 + 1) % family.len()]);
        // Half the reports carry a publication date, and what they say of a
        // person differs from report to report: the order of facts in a
        // dossier rests on dates that are there and dates that are not.
        let published = if i % 3 == 0 { format!("March {}, 2024\n\n", i % 28 + 1) } else { String::new() };
        let occupation = ["labour migrant", "blogger", "teacher"][(i / 4) % 3];
        let text = format!(
            "Report {i}\n\n{published}On {} March 2024 police in {} detained {a}, a {occupation} from Tajikistan. \
             A court later sentenced {a} to {} years in a penal colony on charges of terrorism. \
             His friend {b} said that officers had beaten {a} in custody.\n",
            i % 28 + 1,
            cities[i % cities.len()],
            i % 9 + 2
        );
        std::fs::write(out.join(format!("report-{i:03}.txt")), text).unwrap();
    }
    out
}

#[test]
fn four_ingest_processes_on_one_queue_store_each_report_once_in_order() {
    let Some(admin) = admin_url() else { return };
    let dir = tempfile::tempdir().unwrap();
    let input = reports(dir.path(), 120);
    let input = input.to_str().unwrap();

    // One process, one worker: the record to match.
    let one = Database::new(&admin, "one");
    let out = ok(chronicle(&one.url, &["ingest", "--workers", "1", input]).output().unwrap(), "ingest");
    let _ = out;
    let expected = export(&one.url);

    // Four processes at once, two workers each, all given the same reports.
    let four = Database::new(&admin, "four");
    ok(chronicle(&four.url, &["init"]).output().unwrap(), "init");
    let children: Vec<_> = (0..4)
        .map(|_| chronicle(&four.url, &["ingest", "--workers", "2", input]).stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::piped()).spawn().unwrap())
        .collect();
    let mut stored = 0;
    for child in children {
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr).to_string() + &String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{stderr}");
        let n: usize = stderr.split("ingested ").nth(1).and_then(|s| s.split(' ').next()).and_then(|s| s.parse().ok()).unwrap_or_else(|| panic!("{stderr}"));
        stored += n;
    }
    assert_eq!(stored, 120, "every report stored by exactly one process");
    let got = export(&four.url);
    assert_eq!(got.lines().filter(|l| l.contains(r#""record":"document""#)).count(), 120);
    assert_eq!(got, expected, "the same record, ids included, as one process makes");

    // The embedded store makes the same record too.
    let file = dir.path().join("embedded.db");
    let file = file.to_str().unwrap();
    ok(chronicle(file, &["ingest", input]).output().unwrap(), "ingest into a file");
    assert_eq!(export(file), expected, "SQLite and PostgreSQL agree");

    // Running again queues nothing new, but takes again what failed (a newer Chronicle may read it).
    let junk = dir.path().join("junk");
    std::fs::create_dir_all(&junk).unwrap();
    std::fs::write(junk.join("broken.pdf"), b"%PDF-1.7 this is not a PDF").unwrap();
    for _ in 0..2 {
        let again = chronicle(&four.url, &["ingest", input, junk.to_str().unwrap()]).output().unwrap();
        let said = String::from_utf8_lossy(&again.stdout);
        assert!(said.contains("ingested 0 new document(s), 120 already present, 1 failed"), "{said}");
        let stderr = String::from_utf8_lossy(&again.stderr);
        assert!(stderr.contains("broken.pdf"), "the failure names the file: {stderr}");
    }
}

#[test]
fn a_store_copied_to_the_server_and_back_exports_the_same() {
    let Some(admin) = admin_url() else { return };
    let dir = tempfile::tempdir().unwrap();
    let input = reports(dir.path(), 30);
    let file = dir.path().join("home.db");
    let file = file.to_str().unwrap();
    ok(chronicle(file, &["ingest", input.to_str().unwrap()]).output().unwrap(), "ingest");
    let before = export(file);

    let server = Database::new(&admin, "copy");
    let out = ok(chronicle(file, &["store", "copy", "--from", file, "--to", &server.url]).output().unwrap(), "copy to the server");
    assert!(out.contains("audit chain of 31 entries verified"), "{out}");
    assert_eq!(export(&server.url), before);
    let search = ok(chronicle(&server.url, &["search", "penal", "colony"]).output().unwrap(), "search on the server");
    assert!(search.contains("report-"), "{search}");

    let back = dir.path().join("back.db");
    let back = back.to_str().unwrap();
    let out = ok(chronicle(file, &["store", "copy", "--from", &server.url, "--to", back]).output().unwrap(), "copy back");
    assert!(out.contains("audit chain of 32 entries verified"), "{out}");
    assert_eq!(export(back), before);
    let verify = ok(chronicle(back, &["audit", "verify"]).output().unwrap(), "verify");
    assert!(verify.contains("intact: 32 entries"), "{verify}");

    let refused = chronicle(file, &["store", "copy", "--from", file, "--to", &server.url]).output().unwrap();
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("is not empty"), "{}", String::from_utf8_lossy(&refused.stderr));
}

/// One HTTP/1.1 request on a fresh connection; the status and the body.
fn http(addr: &str, method: &str, path: &str, token: &str, body: &str) -> (u16, String) {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut answer = String::new();
    s.read_to_string(&mut answer).unwrap();
    let status = answer.split(' ').nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    (status, answer.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default())
}

#[test]
fn the_workspace_serves_a_server_store_and_its_changes_are_audited_there() {
    use std::io::{BufRead, Write};
    let Some(admin) = admin_url() else { return };
    let dir = tempfile::tempdir().unwrap();
    let input = reports(dir.path(), 12);
    let db = Database::new(&admin, "serve");
    ok(chronicle(&db.url, &["ingest", input.to_str().unwrap()]).output().unwrap(), "ingest");
    let mut add = chronicle(&db.url, &["user", "add", "ada", "--role", "admin", "--password-stdin"]).stdin(std::process::Stdio::piped()).spawn().unwrap();
    writeln!(add.stdin.take().unwrap(), "a long admin passphrase").unwrap();
    assert!(add.wait().unwrap().success());
    let token = ok(chronicle(&db.url, &["--actor", "ada", "user", "token", "ada"]).output().unwrap(), "token");
    let token = token.split_whitespace().find(|w| w.starts_with("chr_")).unwrap().to_string();

    let mut serve = chronicle(&db.url, &["serve", "--listen", "127.0.0.1:0"]).stderr(std::process::Stdio::piped()).spawn().unwrap();
    let mut line = String::new();
    std::io::BufReader::new(serve.stderr.as_mut().unwrap()).read_line(&mut line).unwrap();
    let addr = line.trim().rsplit("http://").next().unwrap().to_string();

    let (status, body) = http(&addr, "GET", "/api/v1/search?q=penal+colony", &token, "");
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("report-"), "{body}");
    let (status, body) = http(&addr, "GET", "/api/v1/persons/person-1", &token, "");
    assert_eq!(status, 200, "{body}");
    let event = body.split("\"id\":\"").find(|s| s.starts_with("doc-")).and_then(|s| s.split('"').next()).unwrap().to_string();
    let (status, body) = http(&addr, "POST", &format!("/api/v1/events/{event}/review"), &token, r#"{"review":"rejected"}"#);
    assert_eq!(status, 200, "{body}");
    assert!(body.contains(r#""review":"rejected""#), "{body}");
    serve.kill().unwrap();
    let _ = serve.wait();

    let log = ok(chronicle(&db.url, &["--actor", "ada", "audit", "log"]).output().unwrap(), "audit log");
    assert!(log.contains("event.review") && log.contains(&event), "{log}");
    let verify = ok(chronicle(&db.url, &["--actor", "ada", "audit", "verify"]).output().unwrap(), "verify");
    assert!(verify.contains("intact"), "{verify}");
}

/// The queue's workers choose the extractor by language as one process does:
/// a German report is stored without extraction and said once, whichever
/// worker took it; `--language` applies to what this process takes.
#[test]
fn queue_workers_choose_the_extractor_by_language_and_say_each_unextracted_report_once() {
    let Some(admin) = admin_url() else { return };
    let db = Database::new(&admin, "languages");
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    let (german, english) = (data.join("languages/bericht.txt"), data.join("reports/news-sentenced.txt"));
    let out = chronicle(&db.url, &["ingest", "--workers", "2", german.to_str().unwrap(), english.to_str().unwrap()]).output().unwrap();
    let said = String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{said}");
    assert!(said.contains("ingested 2 new document(s)") && said.contains("; 1 stored without extraction"), "{said}");
    let lines: Vec<&str> = said.lines().filter(|l| l.contains("not extracted")).collect();
    assert_eq!(lines.len(), 1, "{said}");
    assert!(lines[0].contains("bericht.txt") && lines[0].contains("(de)"), "{said}");
    let mut c = postgres::Client::connect(&db.url, postgres::NoTls).unwrap();
    let rows = c.query("SELECT source, language, extractor FROM documents ORDER BY source", &[]).unwrap();
    let got: Vec<(String, String)> = rows.iter().map(|r| (r.get::<_, String>(0).rsplit('/').next().unwrap().to_string(), r.get::<_, String>(2))).collect();
    assert_eq!(got, [("bericht.txt".to_string(), "none".to_string()), ("news-sentenced.txt".to_string(), "rules-en/1".to_string())]);

    let campaign = data.join("reports/campaign.html");
    let out = chronicle(&db.url, &["ingest", "--language", "ru", campaign.to_str().unwrap()]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let row = c.query_one("SELECT language, extractor FROM documents WHERE source LIKE '%campaign.html'", &[]).unwrap();
    assert_eq!((row.get::<_, String>(0), row.get::<_, String>(1)), ("ru".to_string(), "rules-ru/1".to_string()));
}

/// On a server store, what the queue stores brings its tags and its e-mail's attachments with it.
#[test]
fn the_queue_stores_an_emails_attachments_and_the_runs_tags() {
    let Some(admin) = admin_url() else { return };
    let db = Database::new(&admin, "attachments");
    let eml = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/habits/tip.eml");
    let out = chronicle(&db.url, &["ingest", "--tag", "tips", eml.to_str().unwrap()]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let listed = chronicle(&db.url, &["reports", "--tag", "tips", "--json"]).output().unwrap();
    let reports: Vec<serde_json::Value> = String::from_utf8_lossy(&listed.stdout).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(reports.len(), 2, "{reports:?}");
    assert!(reports.iter().any(|r| r["source"].as_str().is_some_and(|s| s.ends_with("tip.eml#lawyer-note.txt")) && r["attached_to"].is_string()), "{reports:?}");
}
