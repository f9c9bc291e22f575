//! The audit log vouches for the record, and a head kept outside the store
//! vouches for the log. Someone holding the file (or the PostgreSQL
//! database) who rewrites the chain consistently is caught by the kept head;
//! someone who changes the record without writing to the log is caught by
//! the state every entry records; `restore` refuses either. Each attack is
//! made here as an attacker would make it: on the database itself, the
//! append-only triggers dropped.

mod common;

use chronicle_model::{Document, EntityRef, EventType, ExtractedEvent, ExtractedOrg, ExtractedPerson, Extraction, Mention, OrgCategory, Review, Source, Span};
use chronicle_store::{AuditEntry, AuditHead, AuditProblem, AuditReport, EventCorrection, Location, MentionSelector, RecordRef, Role, SqlStore, Store};
use common::{each_backend, Fresh};
use sha2::{Digest, Sha256};

const A: &str = "Bakhrom Khamroyev was arrested by the FSB in Moscow.";
const B: &str = "Dilshod Nazarov was arrested by the FSB in Moscow.";
const AGAIN: &str = "Bakhrom Khamroyev was arrested by the FSB in Moscow again.";

fn sha(bytes: &[u8]) -> String {
    format!("{:x}", Sha256::digest(bytes))
}

fn report(text: &str) -> Document {
    let sha = sha(text.as_bytes());
    Document { id: Document::id_for_sha256(&sha), source: format!("{}.txt", &sha[..6]), sha256: sha, title: Some("A report".into()), published: None, language: Some("en".into()), publisher: None, text: text.into(), reading: Default::default(), attached_to: None }
}

/// One person arrested by the FSB, with the sentence as the quote.
fn extraction(text: &str) -> Extraction {
    let name: String = text.split(" was").next().unwrap().to_string();
    Extraction {
        persons: vec![ExtractedPerson { name: name.clone(), mentions: vec![Mention { text: name.clone(), span: Span::new(0, name.chars().count()) }], ..Default::default() }],
        orgs: vec![ExtractedOrg {
            key: "federal-security-service".into(),
            name: "Federal Security Service".into(),
            mentions: vec![Mention { text: "FSB".into(), span: Span::new(38, 41) }],
            category: Some(OrgCategory::SecurityService),
            country: "RU".parse().ok(),
        }],
        events: vec![ExtractedEvent {
            kind: EventType::Arrest,
            date: "2022-02-24".parse().ok(),
            place: Some("Moscow".into()),
            country: "RU".parse().ok(),
            to_country: None,
            victims: vec![EntityRef::Person(0)],
            perpetrators: vec![EntityRef::Org(0)],
            term_years: None,
            regime: None,
            charges: vec!["terrorism".into()],
            confidence: 0.9,
            sources: vec![Source { span: Span::new(0, text.chars().count()), quote: text.into() }],
        }],
        ..Default::default()
    }
}

/// A record of every kind: two reports with their events, an admin, a
/// viewer, a restricted report and an API token.
fn record(fresh: &Fresh) -> SqlStore {
    let mut store = fresh.open();
    for text in [A, B] {
        store.add_document(&report(text), text.as_bytes(), &extraction(text), "test").unwrap();
    }
    store.add_user("ada", Role::Admin, None).unwrap();
    store.act_as("ada").unwrap();
    store.add_user("val", Role::Viewer, None).unwrap();
    store.restrict(&RecordRef::Document(report(A).id), Some("a witness")).unwrap();
    store.create_token("ada", "script").unwrap();
    store
}

fn verify(fresh: &Fresh, head: Option<&AuditHead>) -> AuditReport {
    fresh.open().verify_record(head).unwrap()
}

/// Runs SQL on the database itself, as someone holding it can.
fn raw(fresh: &Fresh, sql: &str) {
    match &fresh.location {
        Location::File(path) => rusqlite::Connection::open(path).unwrap().execute_batch(sql).unwrap(),
        Location::Postgres(url) => postgres::Client::connect(url, postgres::NoTls).unwrap().batch_execute(sql).unwrap(),
    }
}

/// The append-only guards dropped, as an attacker would.
fn unguard(fresh: &Fresh) {
    raw(
        fresh,
        match fresh.location {
            Location::File(_) => "DROP TRIGGER IF EXISTS audit_no_update; DROP TRIGGER IF EXISTS audit_no_delete;",
            Location::Postgres(_) => "DROP TRIGGER IF EXISTS audit_no_update ON audit; DROP TRIGGER IF EXISTS audit_no_truncate ON audit;",
        },
    );
}

fn quoted(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// Replaces the whole log with `entries`, numbered from 1 and every hash
/// recomputed: a chain that is intact in itself.
fn rewrite_log(fresh: &Fresh, mut entries: Vec<AuditEntry>) {
    unguard(fresh);
    let mut sql = String::from("DELETE FROM audit;");
    let mut prev = "0".repeat(64);
    for (i, e) in entries.iter_mut().enumerate() {
        e.seq = i as i64 + 1;
        e.prev_hash = prev.clone();
        e.hash = chronicle_store::audit_entry_hash(e);
        prev = e.hash.clone();
        let state = e.state.as_deref().map_or("NULL".to_string(), quoted);
        sql += &format!(
            "INSERT INTO audit (seq, at, actor, action, subject, detail, state, prev_hash, hash) VALUES ({}, {}, {}, {}, {}, {}, {state}, {}, {});",
            e.seq,
            quoted(&e.at),
            quoted(&e.actor),
            quoted(&e.action),
            quoted(&e.subject),
            quoted(&e.detail),
            quoted(&e.prev_hash),
            quoted(&e.hash)
        );
    }
    raw(fresh, &sql);
}

/// A record, its head kept, and its log as it stands.
fn kept(fresh: &Fresh) -> (AuditHead, Vec<AuditEntry>) {
    let store = record(fresh);
    (store.audit_head().unwrap().unwrap(), store.audit_log().unwrap())
}

fn has(report: &AuditReport, wanted: impl Fn(&AuditProblem) -> bool) -> bool {
    report.problems.iter().any(wanted)
}

fn no_chain_break(report: &AuditReport) -> bool {
    !has(report, |p| matches!(p, AuditProblem::Chain(_)))
}

#[test]
fn an_untouched_record_verifies_against_its_log_and_its_head() {
    each_backend(|f| {
        let (head, log) = kept(&f);
        assert!(log.iter().all(|e| e.state.is_some()), "every entry records the state it left");
        let report = verify(&f, Some(&head));
        assert!(report.is_sound(), "{}", report.problem_lines());
        assert_eq!((report.entries, report.documents, report.after_head), (log.len(), 2, Some(0)));
        // A later write is one more entry after the head, not a problem.
        let mut store = f.open();
        store.act_as("ada").unwrap();
        store.grant("val", &report_id(A)).unwrap();
        assert_eq!(verify(&f, Some(&head)).after_head, Some(1));
        assert!(verify(&f, Some(&head)).is_sound());
    });
}

fn report_id(text: &str) -> String {
    report(text).id
}

#[test]
fn every_kind_of_write_leaves_a_record_that_matches_its_log() {
    each_backend(|f| {
        let mut store = record(&f);
        let (a, b) = (report_id(A), report_id(B));
        store.review_event(&format!("{a}-e1"), Review::Rejected, &EventCorrection::default()).unwrap();
        let correction = EventCorrection { kind: Some(EventType::Abduction), place: Some("Kazan".into()), ..Default::default() };
        store.review_event(&format!("{b}-e1"), Review::Confirmed, &correction).unwrap();
        let persons = store.persons().unwrap();
        store.mark_distinct(&persons[0].id, &persons[1].id).unwrap();
        store.replace_extraction(&a, &extraction(A), "test-2").unwrap();
        store.add_document(&report(AGAIN), AGAIN.as_bytes(), &extraction(AGAIN), "test").unwrap();
        let bakhrom = store.find_persons("Bakhrom").unwrap().remove(0).id;
        store.split_person(&bakhrom, &[MentionSelector { document: report_id(AGAIN), span: None }]).unwrap();
        store.unrestrict(&RecordRef::Document(a.clone())).unwrap();
        store.restrict(&RecordRef::Person(persons[1].id.clone()), None).unwrap();
        store.grant("val", "*").unwrap();
        store.revoke("val", "*").unwrap();
        let report = store.verify_record(None).unwrap();
        assert!(report.is_sound(), "{}", report.problem_lines());
    });
}

#[test]
fn an_entry_edited_with_every_later_hash_recomputed_is_caught_by_the_kept_head() {
    each_backend(|f| {
        let (head, mut log) = kept(&f);
        log[0].actor = "someone else".into();
        rewrite_log(&f, log);
        let report = verify(&f, Some(&head));
        assert!(no_chain_break(&report), "the chain itself is intact: {}", report.problem_lines());
        assert!(verify(&f, None).is_sound(), "without the head nothing shows");
        assert!(has(&report, |p| *p == AuditProblem::HeadDiffers { seq: head.seq }), "{}", report.problem_lines());
    });
}

#[test]
fn entries_deleted_and_renumbered_are_caught_by_the_head_and_by_the_record() {
    each_backend(|f| {
        let (head, mut log) = kept(&f);
        // The ingest of the second report goes, the rest renumbered and rehashed.
        let removed = log.remove(1);
        assert_eq!(removed.action, "document.ingest");
        rewrite_log(&f, log);
        let report = verify(&f, Some(&head));
        assert!(no_chain_break(&report), "{}", report.problem_lines());
        assert!(has(&report, |p| *p == AuditProblem::HeadMissing { seq: head.seq }), "{}", report.problem_lines());
        // Without the head, the report the log no longer speaks of is named.
        let report = verify(&f, None);
        assert!(has(&report, |p| *p == AuditProblem::DocumentUnrecorded { id: report_id(B) }), "{}", report.problem_lines());
    });
}

#[test]
fn a_back_dated_entry_inserted_is_caught_by_the_head() {
    each_backend(|f| {
        let (head, mut log) = kept(&f);
        let mut forged = log[0].clone();
        forged.at = "2020-01-01T00:00:00Z".into();
        forged.action = "record.unrestrict".into();
        forged.subject = report_id(A);
        forged.detail = r#"{"kind":"document","reason":null,"before":true,"after":false}"#.into();
        log.insert(1, forged);
        log.pop();
        rewrite_log(&f, log);
        let report = verify(&f, Some(&head));
        assert!(no_chain_break(&report), "{}", report.problem_lines());
        assert!(has(&report, |p| *p == AuditProblem::HeadDiffers { seq: head.seq }), "{}", report.problem_lines());
    });
}

/// The record changed on the database, the log untouched: what verify says.
fn tampered(f: &Fresh, sql: &str) -> AuditReport {
    drop(record(f));
    raw(f, sql);
    let report = verify(f, None);
    assert!(no_chain_break(&report), "{}", report.problem_lines());
    assert!(!report.is_sound(), "{sql} went unnoticed");
    report
}

#[test]
fn an_event_whose_type_was_changed_is_named() {
    each_backend(|f| {
        let event = format!("{}-e1", report_id(A));
        let report = tampered(&f, &format!("UPDATE events SET type = 'release' WHERE id = '{event}'"));
        assert!(has(&report, |p| matches!(p, AuditProblem::EventDiffers { id, .. } if *id == event)), "{}", report.problem_lines());
    });
}

#[test]
fn an_event_whose_review_was_changed_is_named() {
    each_backend(|f| {
        let event = format!("{}-e1", report_id(A));
        let report = tampered(&f, &format!("UPDATE events SET review = 'rejected' WHERE id = '{event}'"));
        assert!(has(&report, |p| matches!(p, AuditProblem::EventDiffers { id, .. } if *id == event)), "{}", report.problem_lines());
    });
}

#[test]
fn a_rewritten_document_text_is_named() {
    each_backend(|f| {
        let id = report_id(A);
        let report = tampered(&f, &format!("UPDATE documents SET text = 'Bakhrom Khamroyev was released.' WHERE id = '{id}'"));
        assert!(has(&report, |p| matches!(p, AuditProblem::DocumentDiffers { id: d, .. } if *d == id)), "{}", report.problem_lines());
    });
}

#[test]
fn a_rewritten_original_is_named_with_or_without_its_digest() {
    each_backend(|f| {
        let id = report_id(A);
        let forged = "Bakhrom Khamroyev was released.";
        let blob = forged.bytes().map(|b| format!("{b:02x}")).collect::<String>();
        let literal = if f.engine == "sqlite" { format!("x'{blob}'") } else { format!("'\\x{blob}'::bytea") };
        let report = tampered(&f, &format!("UPDATE documents SET original = {literal} WHERE id = '{id}'"));
        assert!(has(&report, |p| *p == AuditProblem::OriginalDiffers { id: id.clone() }), "{}", report.problem_lines());
        // The forger fixes the digest too: the document no longer is what the log recorded, nor is its id its digest's.
        raw(&f, &format!("UPDATE documents SET sha256 = '{}' WHERE id = '{id}'", sha(forged.as_bytes())));
        let report = verify(&f, None);
        assert!(has(&report, |p| matches!(p, AuditProblem::DocumentDiffers { id: d, .. } if *d == id)), "{}", report.problem_lines());
        assert!(has(&report, |p| *p == AuditProblem::IdDiffers { id: id.clone() }), "{}", report.problem_lines());
    });
}

#[test]
fn a_restriction_lifted_outside_the_log_is_named() {
    each_backend(|f| {
        let report = tampered(&f, "DELETE FROM restricted");
        assert!(has(&report, |p| matches!(p, AuditProblem::Table { table, recorded: 1, now: 0, .. } if table == "restricted")), "{}", report.problem_lines());
    });
}

#[test]
fn a_viewer_made_admin_outside_the_log_is_named() {
    each_backend(|f| {
        let report = tampered(&f, "UPDATE users SET role = 'admin' WHERE name = 'val'");
        assert!(has(&report, |p| matches!(p, AuditProblem::Table { table, .. } if table == "users")), "{}", report.problem_lines());
    });
}

#[test]
fn an_api_token_inserted_outside_the_log_is_named() {
    each_backend(|f| {
        let hash = sha(b"the attacker's token");
        let report = tampered(&f, &format!("INSERT INTO api_tokens (hash, \"user\", label, created_at) VALUES ('{hash}', 'ada', 'script', '2024-01-01')"));
        assert!(has(&report, |p| matches!(p, AuditProblem::Table { table, recorded: 1, now: 2, .. } if table == "api_tokens")), "{}", report.problem_lines());
    });
}

#[test]
fn a_log_stripped_of_its_state_and_rehashed_is_found() {
    each_backend(|f| {
        let (_, mut log) = kept(&f);
        let last = log.len() - 1;
        // The newest entry forged without a state.
        log[last].state = None;
        rewrite_log(&f, log.clone());
        assert!(has(&verify(&f, None), |p| *p == AuditProblem::Unstated { seq: last as i64 + 1, since: 1 }));
        // Every entry stripped.
        log.iter_mut().for_each(|e| e.state = None);
        rewrite_log(&f, log);
        assert!(has(&verify(&f, None), |p| *p == AuditProblem::NoState));
    });
}

#[test]
fn a_document_inserted_outside_the_log_is_named() {
    each_backend(|f| {
        let text = "Invented.";
        let d = report(text);
        let report = tampered(
            &f,
            &format!(
                "INSERT INTO documents (id, sha256, source, text, original, ingested_at, extractor) VALUES ('{}', '{}', 'x.txt', '{text}', {}, '2024', 'x')",
                d.id,
                d.sha256,
                if f.engine == "sqlite" { "x'00'".to_string() } else { "'\\x00'::bytea".to_string() }
            ),
        );
        assert!(has(&report, |p| *p == AuditProblem::DocumentUnrecorded { id: d.id.clone() }), "{}", report.problem_lines());
    });
}

#[test]
fn a_head_is_read_back_as_printed_and_anything_else_is_refused_by_name() {
    let head = AuditHead { seq: 42, hash: "ab".repeat(32) };
    assert_eq!(head.to_string().parse::<AuditHead>().unwrap(), head);
    assert_eq!(format!("  {head}\n").parse::<AuditHead>().unwrap(), head);
    for bad in ["", "42", "chronicle-audit-head:42", "chronicle-audit-head:x:ab", &format!("chronicle-audit-head:0:{}", "ab".repeat(32))] {
        let err = bad.parse::<AuditHead>().unwrap_err();
        assert!(err.contains(&format!("{bad:?}")), "{err}");
    }
}

fn sqlite_tampered_backup(sql: &str) -> (tempfile::TempDir, std::path::PathBuf, AuditHead) {
    let f = common::fresh_sqlite();
    let store = record(&f);
    let head = store.audit_head().unwrap().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let backup = dir.path().join("backup.db");
    store.backup_to(&backup).unwrap();
    rusqlite::Connection::open(&backup).unwrap().execute_batch(sql).unwrap();
    (dir, backup, head)
}

#[test]
fn restore_refuses_a_backup_whose_record_was_changed_outside_its_log() {
    for sql in ["UPDATE users SET role = 'admin' WHERE name = 'val'", "DELETE FROM restricted", "UPDATE events SET review = 'rejected'"] {
        let (dir, backup, _) = sqlite_tampered_backup(sql);
        let target = dir.path().join("restored.db");
        let err = SqlStore::restore(&backup, &target, None).unwrap_err().to_string();
        assert!(err.contains("does not match its audit log"), "{sql}: {err}");
        assert!(!target.exists(), "nothing restored after {sql}");
    }
}

#[test]
fn restore_refuses_a_backup_whose_log_was_rewritten_against_the_kept_head() {
    let (dir, backup, head) = sqlite_tampered_backup("SELECT 1");
    let target = dir.path().join("restored.db");
    let wrong = AuditHead { seq: head.seq, hash: "0".repeat(64) };
    let err = SqlStore::restore_checked(&backup, &target, None, Some(&wrong)).unwrap_err().to_string();
    assert!(err.contains("kept head"), "{err}");
    assert!(!target.exists());
    assert!(SqlStore::restore_checked(&backup, &target, None, Some(&head)).is_ok());
}

#[test]
fn a_store_written_before_entries_recorded_state_is_checked_from_its_upgrade() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        for m in ["0001_initial", "0002_linking_decisions_audit", "0003_audit_append_only", "0004_accounts_restricted", "0005_review_tokens"] {
            conn.execute_batch(&std::fs::read_to_string(format!("{}/migrations/sqlite/{m}.sql", env!("CARGO_MANIFEST_DIR"))).unwrap()).unwrap();
        }
        let d = report(A);
        let mut e = AuditEntry {
            seq: 1,
            at: "2024-01-01T00:00:00Z".into(),
            actor: "old".into(),
            action: "document.ingest".into(),
            subject: d.id.clone(),
            detail: "{}".into(),
            state: None,
            prev_hash: "0".repeat(64),
            hash: String::new(),
        };
        e.hash = chronicle_store::audit_entry_hash(&e);
        conn.execute("INSERT INTO documents (id, sha256, source, text, original, ingested_at, extractor) VALUES (?1, ?2, 'a.txt', ?3, ?4, '2024', 'old')", rusqlite::params![d.id, d.sha256, A, A.as_bytes()]).unwrap();
        conn.execute("INSERT INTO audit (seq, at, actor, action, subject, detail, prev_hash, hash) VALUES (1, ?1, 'old', 'document.ingest', ?2, '{}', ?3, ?4)", rusqlite::params![e.at, e.subject, e.prev_hash, e.hash]).unwrap();
        conn.execute_batch("PRAGMA user_version = 5").unwrap();
    }
    let store = SqlStore::open(&path).unwrap();
    let log = store.audit_log().unwrap();
    assert_eq!(log.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(), ["document.ingest", "store.upgrade"]);
    let report = store.verify_record(None).unwrap();
    assert!(report.is_sound(), "{}", report.problem_lines());
    assert_eq!(report.stated_from, Some(2));
    drop(store);
    rusqlite::Connection::open(&path).unwrap().execute_batch("UPDATE documents SET text = 'rewritten'").unwrap();
    let report = SqlStore::open(&path).unwrap().verify_record(None).unwrap();
    assert!(has(&report, |p| matches!(p, AuditProblem::DocumentDiffers { seq: 2, .. })), "{}", report.problem_lines());
}
