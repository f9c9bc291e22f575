//! Encryption at rest: the store file (and its WAL) encrypted page by page
//! by SQLCipher, under a key derived from a passphrase by Argon2id.
//!
//! The Argon2id salt is the database's own salt: the first 16 bytes of an
//! encrypted file, which SQLCipher writes in the clear. A new store gets a
//! random one; opening reads it back and derives the same key.

use crate::{Result, StoreError};
use argon2::{Algorithm, Argon2, Params, Version};
use rusqlite::Connection;
use std::io::Read;
use std::path::Path;

/// The secret that unlocks an encrypted store: a passphrase, or the bytes of a key file.
#[derive(Clone)]
pub struct StoreKey(Vec<u8>, KeyKind);

#[derive(Clone, Copy, PartialEq, Eq)]
enum KeyKind {
    Passphrase,
    KeyFile,
}

/// The shortest passphrase a new store (or a new key) takes, in characters.
pub const MIN_PASSPHRASE_CHARS: usize = 12;
/// The shortest key file a new store (or a new key) takes, in bytes.
pub const MIN_KEY_FILE_BYTES: usize = 16;

impl StoreKey {
    pub fn from_passphrase(passphrase: &str) -> StoreKey {
        StoreKey(passphrase.as_bytes().to_vec(), KeyKind::Passphrase)
    }
    pub fn from_bytes(bytes: Vec<u8>) -> StoreKey {
        StoreKey(bytes, KeyKind::KeyFile)
    }

    /// Refuses a secret too weak to encrypt a store under: an empty one, a
    /// passphrase under 12 characters or a key file under 16 bytes, or one
    /// made of a handful of distinct characters ("aaaaaaaaaaaa"). Existing
    /// stores still open with whatever key they have.
    pub fn check_strength(&self) -> Result<()> {
        let weak = |what: String| Err(StoreError::Refused(format!("{what}; see `chronicle init --help` and SECURITY.md")));
        match self.1 {
            KeyKind::Passphrase => {
                let text = String::from_utf8_lossy(&self.0);
                let (chars, distinct) = (text.chars().count(), text.chars().collect::<std::collections::HashSet<_>>().len());
                if chars == 0 {
                    return weak("the passphrase is empty".into());
                }
                if chars < MIN_PASSPHRASE_CHARS {
                    return weak(format!("the passphrase has {chars} characters: a store's passphrase needs at least {MIN_PASSPHRASE_CHARS}"));
                }
                if distinct < 5 {
                    return weak(format!("the passphrase repeats {distinct} characters: use words, or a key file of random bytes"));
                }
            }
            KeyKind::KeyFile => {
                let distinct = self.0.iter().collect::<std::collections::HashSet<_>>().len();
                if self.0.is_empty() {
                    return weak("the key file is empty".into());
                }
                if self.0.len() < MIN_KEY_FILE_BYTES {
                    return weak(format!("the key file has {} bytes: a store's key file needs at least {MIN_KEY_FILE_BYTES} (e.g. `head -c 32 /dev/urandom`)", self.0.len()));
                }
                if distinct < 8 {
                    return weak(format!("the key file holds only {distinct} distinct byte values: use random bytes (`head -c 32 /dev/urandom`)"));
                }
            }
        }
        Ok(())
    }
}

/// Creates a new file that only its owner can read or write (0600 whatever
/// the umask), before anything is written to it. SQLite gives a database's
/// `-wal`, `-shm` and `-journal` files the database file's mode.
pub(crate) fn create_private(path: &Path) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        options.mode(0o600);
        let file = options.open(path)?;
        file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    }
    #[cfg(not(unix))]
    options.open(path)?;
    Ok(())
}

/// Creates `path` private (see [`create_private`]) unless it is there already.
pub(crate) fn ensure_private(path: &Path) -> Result<()> {
    match create_private(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(StoreError::Io { path: path.display().to_string(), source: e }),
    }
}

impl std::fmt::Debug for StoreKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("StoreKey(…)")
    }
}

impl Drop for StoreKey {
    fn drop(&mut self) {
        // Best effort: do not leave the secret in freed memory.
        for b in &mut self.0 {
            unsafe { std::ptr::write_volatile(b, 0) };
        }
    }
}

/// The first bytes of every plain SQLite file.
const PLAIN_HEADER: &[u8; 16] = b"SQLite format 3\0";

/// What the first bytes of a store file say about it.
pub(crate) enum FileKind {
    /// No file yet, or an empty one.
    New,
    Plain,
    /// Encrypted, with this salt.
    Encrypted([u8; 16]),
}

pub(crate) fn file_kind(path: &Path) -> std::io::Result<FileKind> {
    let mut header = [0u8; 16];
    let mut file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(FileKind::New),
        Err(e) => return Err(e),
    };
    let mut read = 0;
    while read < 16 {
        match file.read(&mut header[read..])? {
            0 => break,
            n => read += n,
        }
    }
    Ok(match read {
        0 => FileKind::New,
        16 if &header == PLAIN_HEADER => FileKind::Plain,
        16 => FileKind::Encrypted(header),
        _ => FileKind::Plain, // too short to be either; SQLite will say what is wrong
    })
}

/// Argon2id: 64 MiB, 3 passes — a quarter of a second here, and as dear for anyone guessing.
fn derive(key: &StoreKey, salt: &[u8; 16]) -> Result<[u8; 32]> {
    let params = Params::new(64 * 1024, 3, 1, Some(32)).map_err(|e| StoreError::Crypto(e.to_string()))?;
    let mut out = [0u8; 32];
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password_into(&key.0, salt, &mut out)
        .map_err(|e| StoreError::Crypto(e.to_string()))?;
    Ok(out)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The SQLCipher key pragma value: raw key and salt, so SQLCipher does no KDF of its own.
pub(crate) fn key_spec(key: &StoreKey, salt: &[u8; 16]) -> Result<String> {
    let k = derive(key, salt)?;
    Ok(format!("x'{}{}'", hex(&k), hex(salt)))
}

/// A fresh random salt for a new store.
pub(crate) fn new_salt() -> [u8; 16] {
    rand::random()
}

/// Unlocks a connection; must be the first thing done on it.
pub(crate) fn apply_key(conn: &Connection, spec: &str) -> Result<()> {
    conn.execute_batch(&format!("PRAGMA key = \"{spec}\";"))?;
    Ok(())
}

/// Changes the key of an open, unlocked store, keeping its salt.
pub(crate) fn rekey(conn: &Connection, spec: &str) -> Result<()> {
    conn.execute_batch(&format!("PRAGMA rekey = \"{spec}\";"))?;
    Ok(())
}

/// Whether the file at `path` is an encrypted store.
pub fn is_encrypted(path: &Path) -> bool {
    matches!(file_kind(path), Ok(FileKind::Encrypted(_)))
}
