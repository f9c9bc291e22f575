//! The audit chain: every write is an entry; editing, removing or moving one
//! is found and named by `verify_audit`.

mod common;

use chronicle_model::{Document, ExtractedPerson, Extraction, Mention, Span};
use chronicle_store::{ChainBreak, Location, SqlStore, Store};
use common::{each_backend, Fresh};

/// A store with five audited writes (five documents).
fn store_with_five_entries(fresh: &Fresh) -> SqlStore {
    let mut store = fresh.open();
    store.set_actor("analyst-1");
    for i in 0..5 {
        let name = format!("Person{i} Testov");
        let text = format!("{name} was detained.");
        let sha = format!("{i:0<64}");
        let doc = Document { id: Document::id_for_sha256(&sha), source: format!("{i}.txt"), sha256: sha, title: None, published: None, language: None, publisher: None, text, reading: Default::default(), attached_to: None };
        let ex = Extraction {
            persons: vec![ExtractedPerson { name: name.clone(), mentions: vec![Mention { text: name.clone(), span: Span::new(0, name.len()) }], ..Default::default() }],
            ..Default::default()
        };
        store.add_document(&doc, b"x", &ex, "test").unwrap();
    }
    store
}

/// Runs SQL on the store's database directly, as someone holding the file or
/// the database's owner could; the error, if the database refused it.
fn raw(fresh: &Fresh, sql: &str) -> Result<(), String> {
    match &fresh.location {
        Location::File(path) => rusqlite::Connection::open(path).unwrap().execute_batch(sql).map_err(|e| e.to_string()),
        Location::Postgres(url) => {
            let mut c = postgres::Client::connect(url, postgres::NoTls).unwrap();
            c.batch_execute(sql).map_err(|e| e.as_db_error().map_or(e.to_string(), |d| d.message().to_string()))
        }
    }
}

/// Changes the log with its guards (triggers, and the key on `seq`) dropped first.
fn tamper(fresh: &Fresh, sql: &str) {
    let unguard = match fresh.location {
        Location::File(_) => "DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;",
        Location::Postgres(_) => "DROP TRIGGER audit_no_update ON audit; ALTER TABLE audit DROP CONSTRAINT audit_pkey;",
    };
    raw(fresh, unguard).unwrap();
    raw(fresh, sql).unwrap();
}

/// A store of five entries, changed, then opened again.
fn tampered(fresh: &Fresh, sql: &str) -> SqlStore {
    drop(store_with_five_entries(fresh));
    tamper(fresh, sql);
    fresh.open()
}

#[test]
fn an_untouched_log_verifies() {
    each_backend(|f| {
        let store = store_with_five_entries(&f);
        assert_eq!(store.verify_audit().unwrap(), Ok(5));
        let log = store.audit_log().unwrap();
        assert!(log.iter().all(|e| e.actor == "analyst-1" && e.action == "document.ingest"));
    });
}

#[test]
fn the_store_itself_refuses_to_change_an_entry() {
    each_backend(|f| {
        drop(store_with_five_entries(&f));
        let err = raw(&f, "UPDATE audit SET actor = 'someone else' WHERE seq = 2").unwrap_err();
        assert!(err.contains("never changed"), "{err}");
        let err = raw(&f, "DELETE FROM audit WHERE seq = 2").unwrap_err();
        assert!(err.contains("never") && err.contains("removed"), "{err}");
    });
}

#[test]
fn an_edited_entry_is_named() {
    each_backend(|f| {
        let store = tampered(&f, "UPDATE audit SET actor = 'someone else' WHERE seq = 3");
        assert_eq!(store.verify_audit().unwrap(), Err(ChainBreak::Edited { seq: 3 }));
    });
}

#[test]
fn a_removed_entry_is_found() {
    each_backend(|f| {
        let store = tampered(&f, "DELETE FROM audit WHERE seq = 2");
        assert_eq!(store.verify_audit().unwrap(), Err(ChainBreak::Missing { after: 1, next: 3 }));
    });
}

#[test]
fn a_removed_entry_hidden_by_renumbering_is_found() {
    each_backend(|f| {
        // Entry 2 removed and the later ones renumbered: their hashes no longer fit their numbers.
        let store = tampered(&f, "DELETE FROM audit WHERE seq = 2; UPDATE audit SET seq = seq - 1 WHERE seq > 2;");
        assert_eq!(store.verify_audit().unwrap(), Err(ChainBreak::Edited { seq: 2 }));
    });
}

#[test]
fn reordered_entries_are_found() {
    each_backend(|f| {
        // Entries 2 and 4 trade places, each keeping its own hash.
        let store = tampered(&f, "UPDATE audit SET seq = -2 WHERE seq = 2; UPDATE audit SET seq = 2 WHERE seq = 4; UPDATE audit SET seq = 4 WHERE seq = -2;");
        assert_eq!(store.verify_audit().unwrap(), Err(ChainBreak::Edited { seq: 2 }));
    });
}

#[test]
fn an_entry_rewritten_with_a_fresh_hash_breaks_the_link_to_the_next() {
    each_backend(|f| {
        // The forger recomputes entry 3's own hash, but entry 4 still names the old one.
        let mut e = store_with_five_entries(&f).audit_log().unwrap()[2].clone();
        e.actor = "someone else".into();
        let forged = chronicle_store::audit_entry_hash(&e);
        tamper(&f, &format!("UPDATE audit SET actor = 'someone else', hash = '{forged}' WHERE seq = 3"));
        let store = f.open();
        assert_eq!(store.verify_audit().unwrap(), Err(ChainBreak::OutOfPlace { seq: 4 }));
    });
}
