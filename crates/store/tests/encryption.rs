//! Encryption at rest: without the key, the store's files reveal no name and
//! no phrase of what was ingested; the wrong key is refused clearly; backups
//! stay encrypted and restore with their audit chain verified.

use chronicle_model::{Document, ExtractedPerson, Extraction, Mention, Span};
use chronicle_store::{is_encrypted, SqlStore, Store, StoreError, StoreKey};
use std::path::{Path, PathBuf};

const SECRETS: &[&str] = &["Khamroyev", "Bakhrom", "tortured in the basement", "Lefortovo"];

fn ingest(store: &mut SqlStore) {
    let text = "Bakhrom Khamroyev was tortured in the basement of Lefortovo, his sister said.";
    // The real digest: restore checks every original against it.
    let sha = format!("{:x}", <sha2::Sha256 as sha2::Digest>::digest(text.as_bytes()));
    let doc = Document { id: Document::id_for_sha256(&sha), source: "report.txt".into(), sha256: sha, title: Some("Lefortovo".into()), published: None, language: None, publisher: None, text: text.into(), reading: Default::default(), attached_to: None };
    let ex = Extraction {
        persons: vec![ExtractedPerson { name: "Bakhrom Khamroyev".into(), mentions: vec![Mention { text: "Bakhrom Khamroyev".into(), span: Span::new(0, 17) }], ..Default::default() }],
        ..Default::default()
    };
    store.add_document(&doc, text.as_bytes(), &ex, "test").unwrap();
}

/// Every file of the store: the database, its WAL and shared memory.
fn files_of(path: &Path) -> Vec<PathBuf> {
    let mut files = vec![path.to_path_buf()];
    for suffix in ["-wal", "-shm", "-journal"] {
        let side = PathBuf::from(format!("{}{suffix}", path.display()));
        if side.exists() {
            files.push(side);
        }
    }
    files
}

fn secrets_in(path: &Path) -> Vec<String> {
    let mut found = Vec::new();
    for f in files_of(path) {
        let bytes = std::fs::read(&f).unwrap();
        for s in SECRETS {
            if bytes.windows(s.len()).any(|w| w == s.as_bytes()) {
                found.push(format!("{s:?} in {}", f.display()));
            }
        }
    }
    found
}

fn key() -> StoreKey {
    StoreKey::from_passphrase("correct horse battery staple")
}

#[test]
fn a_plain_store_shows_what_was_ingested() {
    // The control: the search below finds what is there.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plain.db");
    let mut store = SqlStore::open(&path).unwrap();
    ingest(&mut store);
    assert!(!secrets_in(&path).is_empty());
    assert!(!is_encrypted(&path));
}

#[test]
fn an_encrypted_store_and_its_wal_reveal_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("secret.db");
    let mut store = SqlStore::create_encrypted(&path, &key()).unwrap();
    ingest(&mut store);
    // While open, with the write still in the WAL.
    assert!(files_of(&path).len() >= 2, "the WAL is there to be searched: {:?}", files_of(&path));
    assert_eq!(secrets_in(&path), Vec::<String>::new());
    drop(store);
    assert_eq!(secrets_in(&path), Vec::<String>::new());
    assert!(is_encrypted(&path));

    // With the key, everything is there.
    let store = SqlStore::open_with(&path, Some(&key())).unwrap();
    assert_eq!(store.persons().unwrap()[0].name, "Bakhrom Khamroyev");
    assert_eq!(store.search("Lefortovo", 5).unwrap().len(), 1);
}

#[test]
fn the_wrong_key_or_none_is_refused_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("secret.db");
    ingest(&mut SqlStore::create_encrypted(&path, &key()).unwrap());
    let wrong = SqlStore::open_with(&path, Some(&StoreKey::from_passphrase("guess"))).err().unwrap();
    assert!(matches!(wrong, StoreError::WrongKey { .. }), "{wrong}");
    assert!(wrong.to_string().contains("wrong key"), "{wrong}");
    let none = SqlStore::open(&path).err().unwrap();
    assert!(none.to_string().contains("is encrypted"), "{none}");
    // A plain store given a key is told so.
    let plain = dir.path().join("plain.db");
    drop(SqlStore::open(&plain).unwrap());
    assert!(matches!(SqlStore::open_with(&plain, Some(&key())).err().unwrap(), StoreError::NotEncrypted { .. }));
}

#[test]
fn rekey_changes_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("secret.db");
    let mut store = SqlStore::create_encrypted(&path, &key()).unwrap();
    ingest(&mut store);
    let new = StoreKey::from_bytes(b"a key file's bytes\n".to_vec());
    store.rekey(&new).unwrap();
    drop(store);
    assert!(SqlStore::open_with(&path, Some(&key())).is_err());
    let store = SqlStore::open_with(&path, Some(&new)).unwrap();
    assert_eq!(store.documents().unwrap().len(), 1);
    assert_eq!(store.verify_audit().unwrap(), Ok(2), "the ingest and the rekey");
    assert_eq!(secrets_in(&path), Vec::<String>::new());
}

#[test]
fn a_backup_is_encrypted_and_restores_with_its_chain_verified() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("secret.db");
    let mut store = SqlStore::create_encrypted(&path, &key()).unwrap();
    ingest(&mut store);
    let backup = dir.path().join("backup.db");
    store.backup_to(&backup).unwrap();
    assert!(store.backup_to(&backup).is_err(), "a backup never overwrites");
    drop(store);
    assert_eq!(secrets_in(&backup), Vec::<String>::new());

    let restored = dir.path().join("restored.db");
    assert_eq!(SqlStore::restore(&backup, &restored, Some(&key())).unwrap(), 1);
    let store = SqlStore::open_with(&restored, Some(&key())).unwrap();
    assert_eq!(store.persons().unwrap()[0].name, "Bakhrom Khamroyev");
    assert_eq!(store.audit_log().unwrap().last().unwrap().action, "store.restore");
    assert!(store.verify_audit().unwrap().is_ok());
    assert!(SqlStore::restore(&backup, &dir.path().join("x.db"), Some(&StoreKey::from_passphrase("guess"))).is_err());
}

#[test]
fn a_backup_with_a_broken_chain_is_not_restored() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plain.db");
    let mut store = SqlStore::open(&path).unwrap();
    ingest(&mut store);
    let backup = dir.path().join("backup.db");
    store.backup_to(&backup).unwrap();
    drop(store);
    let conn = rusqlite::Connection::open(&backup).unwrap();
    conn.execute_batch("DROP TRIGGER audit_no_update; UPDATE audit SET actor = 'nobody';").unwrap();
    drop(conn);
    let err = SqlStore::restore(&backup, &dir.path().join("restored.db"), None).unwrap_err();
    assert!(err.to_string().contains("audit entry 1 was edited"), "{err}");
    assert!(!dir.path().join("restored.db").exists());
}
