//! The audit chain: every write is an entry; editing, removing or moving one
//! is found and named by `verify_audit`.

use chronicle_model::{Document, ExtractedPerson, Extraction, Mention, Span};
use chronicle_store::{ChainBreak, SqliteStore, Store};
use std::path::Path;

/// A store on a real file with five audited writes (five documents).
fn store_with_five_entries(path: &Path) -> SqliteStore {
    let mut store = SqliteStore::open(path).unwrap();
    store.set_actor("analyst-1");
    for i in 0..5 {
        let name = format!("Person{i} Testov");
        let text = format!("{name} was detained.");
        let sha = format!("{i:0<64}");
        let doc = Document { id: Document::id_for_sha256(&sha), source: format!("{i}.txt"), sha256: sha, title: None, published: None, language: None, publisher: None, text };
        let ex = Extraction {
            persons: vec![ExtractedPerson { name: name.clone(), mentions: vec![Mention { text: name.clone(), span: Span::new(0, name.len()) }], ..Default::default() }],
            ..Default::default()
        };
        store.add_document(&doc, b"x", &ex, "test").unwrap();
    }
    store
}

/// A store of five entries, changed the way someone holding the file could
/// (triggers dropped first), then opened again. The directory keeps it alive.
fn tampered(sql: &str) -> (tempfile::TempDir, SqliteStore) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    drop(store_with_five_entries(&path));
    tamper(&path, sql);
    let store = SqliteStore::open(&path).unwrap();
    (dir, store)
}

fn tamper(path: &Path, sql: &str) {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.execute_batch("DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;").unwrap();
    conn.execute_batch(sql).unwrap();
}

#[test]
fn an_untouched_log_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_with_five_entries(&dir.path().join("s.db"));
    assert_eq!(store.verify_audit().unwrap(), Ok(5));
    let log = store.audit_log().unwrap();
    assert!(log.iter().all(|e| e.actor == "analyst-1" && e.action == "document.ingest"));
}

#[test]
fn the_store_itself_refuses_to_change_an_entry() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    drop(store_with_five_entries(&path));
    let conn = rusqlite::Connection::open(&path).unwrap();
    let err = conn.execute("UPDATE audit SET actor = 'someone else' WHERE seq = 2", []).unwrap_err();
    assert!(err.to_string().contains("never changed"), "{err}");
    let err = conn.execute("DELETE FROM audit WHERE seq = 2", []).unwrap_err();
    assert!(err.to_string().contains("never removed"), "{err}");
}

#[test]
fn an_edited_entry_is_named() {
    let (_dir, store) = tampered("UPDATE audit SET actor = 'someone else' WHERE seq = 3");
    assert_eq!(store.verify_audit().unwrap(), Err(ChainBreak::Edited { seq: 3 }));
}

#[test]
fn a_removed_entry_is_found() {
    let (_dir, store) = tampered("DELETE FROM audit WHERE seq = 2");
    assert_eq!(store.verify_audit().unwrap(), Err(ChainBreak::Missing { after: 1, next: 3 }));
}

#[test]
fn a_removed_entry_hidden_by_renumbering_is_found() {
    // Entry 2 removed and the later ones renumbered: their hashes no longer fit their numbers.
    let (_dir, store) = tampered("DELETE FROM audit WHERE seq = 2; UPDATE audit SET seq = seq - 1 WHERE seq > 2;");
    assert_eq!(store.verify_audit().unwrap(), Err(ChainBreak::Edited { seq: 2 }));
}

#[test]
fn reordered_entries_are_found() {
    // Entries 2 and 4 trade places, each keeping its own hash.
    let (_dir, store) = tampered("UPDATE audit SET seq = -2 WHERE seq = 2; UPDATE audit SET seq = 2 WHERE seq = 4; UPDATE audit SET seq = 4 WHERE seq = -2;");
    assert_eq!(store.verify_audit().unwrap(), Err(ChainBreak::Edited { seq: 2 }));
}

#[test]
fn an_entry_rewritten_with_a_fresh_hash_breaks_the_link_to_the_next() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    // The forger recomputes entry 3's own hash, but entry 4 still names the old one.
    let e = store_with_five_entries(&path).audit_log().unwrap()[2].clone();
    let forged = chronicle_store::audit_entry_hash(&e.prev_hash, e.seq, &e.at, "someone else", &e.action, &e.subject, &e.detail);
    tamper(&path, &format!("UPDATE audit SET actor = 'someone else', hash = '{forged}' WHERE seq = 3"));
    let store = SqliteStore::open(&path).unwrap();
    assert_eq!(store.verify_audit().unwrap(), Err(ChainBreak::OutOfPlace { seq: 4 }));
}
