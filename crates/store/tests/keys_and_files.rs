//! What a store leaves on disk is its owner's alone, and a store is
//! encrypted only under a key worth the name.

use chronicle_model::{Document, Extraction};
use chronicle_store::{SqlStore, Store, StoreError, StoreKey};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())).permissions().mode() & 0o777
}

fn side(path: &Path, suffix: &str) -> PathBuf {
    PathBuf::from(format!("{}{suffix}", path.display()))
}

fn key() -> StoreKey {
    StoreKey::from_passphrase("correct horse battery staple")
}

fn ingest(store: &mut SqlStore) {
    let text = "Bakhrom Khamroyev was detained.";
    let sha = format!("{:x}", <sha2::Sha256 as sha2::Digest>::digest(text.as_bytes()));
    let doc = Document { id: Document::id_for_sha256(&sha), source: "r.txt".into(), sha256: sha, title: None, published: None, language: None, publisher: None, text: text.into(), reading: Default::default(), attached_to: None };
    store.add_document(&doc, text.as_bytes(), &Extraction::default(), "test").unwrap();
}

#[test]
fn a_store_its_wal_and_shared_memory_are_readable_by_their_owner_only() {
    let dir = tempfile::tempdir().unwrap();
    for (name, key) in [("plain.db", None), ("encrypted.db", Some(key()))] {
        let path = dir.path().join(name);
        let mut store = SqlStore::open_with(&path, key.as_ref()).unwrap();
        ingest(&mut store);
        // While the store is open its write-ahead log and shared memory are there.
        for p in [path.clone(), side(&path, "-wal"), side(&path, "-shm")] {
            assert_eq!(mode(&p), 0o600, "{}", p.display());
        }
    }
}

#[test]
fn backups_restores_and_copies_are_readable_by_their_owner_only() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store.db");
    let mut store = SqlStore::create_encrypted(&path, &key()).unwrap();
    ingest(&mut store);
    let backup = dir.path().join("backup.db");
    store.backup_to(&backup).unwrap();
    assert_eq!(mode(&backup), 0o600);
    let restored = dir.path().join("restored.db");
    SqlStore::restore(&backup, &restored, Some(&key())).unwrap();
    assert_eq!(mode(&restored), 0o600);
    let copy = dir.path().join("copy.db");
    store.copy_to(&mut SqlStore::open(&copy).unwrap()).unwrap();
    assert_eq!(mode(&copy), 0o600);
}

fn refused(result: Result<SqlStore, StoreError>) -> String {
    match result {
        Err(StoreError::Refused(why)) => why,
        Err(e) => panic!("refused for another reason: {e}"),
        Ok(_) => panic!("a weak key was taken"),
    }
}

#[test]
fn a_new_store_refuses_an_empty_short_or_repetitive_passphrase() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store.db");
    for (weak, said) in [("", "empty"), ("a", "1 characters"), ("eleven char", "11 characters"), ("aaaaaaaaaaaaaaaa", "repeats")] {
        let why = refused(SqlStore::create_encrypted(&path, &StoreKey::from_passphrase(weak)));
        assert!(why.contains(said), "{weak:?}: {why}");
        assert!(!path.exists(), "nothing is written under a weak key");
        // Not by opening a new file with it either.
        refused(SqlStore::open_with(&path, Some(&StoreKey::from_passphrase(weak))));
    }
    assert!(SqlStore::create_encrypted(&path, &StoreKey::from_passphrase("twelve chars")).is_ok());
}

#[test]
fn a_new_store_refuses_a_short_or_uniform_key_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store.db");
    for (weak, said) in [(vec![], "empty"), (vec![7u8], "1 bytes"), (b"fifteen bytes!!".to_vec(), "15 bytes"), (vec![0u8; 64], "distinct")] {
        let why = refused(SqlStore::create_encrypted(&path, &StoreKey::from_bytes(weak.clone())));
        assert!(why.contains(said), "{weak:?}: {why}");
    }
    let random: Vec<u8> = (0..32).map(|i| (i * 37 + 11) as u8).collect();
    assert!(SqlStore::create_encrypted(&path, &StoreKey::from_bytes(random)).is_ok());
}

#[test]
fn rekey_refuses_a_weak_new_key_and_keeps_the_old_one() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store.db");
    let mut store = SqlStore::create_encrypted(&path, &key()).unwrap();
    ingest(&mut store);
    let err = store.rekey(&StoreKey::from_passphrase("a")).unwrap_err();
    assert!(matches!(err, StoreError::Refused(_)), "{err}");
    drop(store);
    let store = SqlStore::open_with(&path, Some(&key())).unwrap();
    assert_eq!(store.documents().unwrap().len(), 1);
}
