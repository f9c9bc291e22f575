//! The store's keys, its files and its audit head, through the real binary:
//! weak keys refused, key files others can read warned of, encrypted stores
//! copied encrypted, every file Chronicle writes private whatever the umask,
//! and the audit head printed, kept and checked.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const PASS: &str = "correct horse battery staple";

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data").join(name)
}

/// `chronicle ARGS` under `umask`, with the passphrase given (or none).
fn chronicle(dir: &Path, umask: &str, pass: Option<&str>, args: &[&str]) -> Output {
    let mut c = Command::new("sh");
    c.arg("-c").arg(format!("umask {umask}; exec \"$0\" \"$@\"")).arg(env!("CARGO_BIN_EXE_chronicle")).args(args);
    c.current_dir(dir).env_remove("CHRONICLE_STORE").env_remove("CHRONICLE_KEY_FILE").env_remove("CHRONICLE_PASSPHRASE");
    if let Some(p) = pass {
        c.env("CHRONICLE_PASSPHRASE", p);
    }
    c.output().unwrap()
}

fn said(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

fn ok(o: Output) -> String {
    assert!(o.status.success(), "{}", said(&o));
    said(&o)
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

fn encrypted(path: &Path) -> bool {
    std::fs::read(path).unwrap()[..16] != *b"SQLite format 3\0"
}

#[test]
fn init_refuses_empty_and_short_passphrases_and_tiny_key_files() {
    let dir = tempfile::tempdir().unwrap();
    for weak in ["", "a", "only eleven"] {
        let out = chronicle(dir.path(), "022", Some(weak), &["--store", "s.db", "init", "--encrypt"]);
        assert!(!out.status.success(), "{weak:?} taken");
        assert!(said(&out).contains("passphrase"), "{}", said(&out));
        assert!(!dir.path().join("s.db").exists());
    }
    std::fs::write(dir.path().join("one.key"), b"k").unwrap();
    let out = chronicle(dir.path(), "022", None, &["--store", "s.db", "--key-file", "one.key", "init", "--encrypt"]);
    assert!(!out.status.success() && said(&out).contains("16"), "{}", said(&out));
    ok(chronicle(dir.path(), "022", Some(PASS), &["--store", "s.db", "init", "--encrypt"]));
    // And rekey to a weak one.
    let mut c = Command::new(env!("CARGO_BIN_EXE_chronicle"));
    c.current_dir(dir.path()).args(["--store", "s.db", "rekey"]).env("CHRONICLE_PASSPHRASE", PASS).env("CHRONICLE_NEW_PASSPHRASE", "a").env_remove("CHRONICLE_KEY_FILE");
    let out = c.output().unwrap();
    assert!(!out.status.success() && said(&out).contains("12"), "{}", said(&out));
}

#[test]
fn a_key_file_others_can_read_is_warned_of() {
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("store.key");
    std::fs::write(&key, (0u8..32).map(|i| i.wrapping_mul(73).wrapping_add(5)).collect::<Vec<_>>()).unwrap();
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).unwrap();
    let out = ok(chronicle(dir.path(), "022", None, &["--store", "s.db", "--key-file", "store.key", "init", "--encrypt"]));
    assert!(out.contains("can be read by others") && out.contains("chmod 600"), "{out}");
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o600)).unwrap();
    let out = ok(chronicle(dir.path(), "022", None, &["--store", "s.db", "--key-file", "store.key", "stats"]));
    assert!(!out.contains("read by others"), "{out}");
}

#[test]
fn an_encrypted_store_is_copied_encrypted_or_plain_only_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    ok(chronicle(dir.path(), "022", Some(PASS), &["--store", "s.db", "init", "--encrypt"]));
    ok(chronicle(dir.path(), "022", Some(PASS), &["--store", "s.db", "ingest", data("reports").to_str().unwrap()]));
    let out = ok(chronicle(dir.path(), "022", Some(PASS), &["store", "copy", "--from", "s.db", "--to", "copy.db"]));
    assert!(out.contains("encrypted with the key of s.db"), "{out}");
    assert!(encrypted(&dir.path().join("copy.db")));
    let dossier = ok(chronicle(dir.path(), "022", Some(PASS), &["--store", "copy.db", "person", "karimow"]));
    assert!(dossier.contains("Sardor Karimow"), "{dossier}");
    // Onto a server, which Chronicle does not encrypt: refused before connecting.
    let out = chronicle(dir.path(), "022", Some(PASS), &["store", "copy", "--from", "s.db", "--to", "postgres://chronicle@127.0.0.1:1/none"]);
    assert!(!out.status.success() && said(&out).contains("--plain"), "{}", said(&out));
    // Under another key when one is given.
    std::fs::write(dir.path().join("other.key"), (0u8..32).map(|i| i.wrapping_mul(91).wrapping_add(3)).collect::<Vec<_>>()).unwrap();
    std::fs::set_permissions(dir.path().join("other.key"), std::fs::Permissions::from_mode(0o600)).unwrap();
    let out = ok(chronicle(dir.path(), "022", Some(PASS), &["store", "copy", "--from", "s.db", "--to", "rekeyed.db", "--to-key-file", "other.key"]));
    assert!(out.contains("encrypted with the key file given"), "{out}");
    let dossier = ok(chronicle(dir.path(), "022", None, &["--store", "rekeyed.db", "--key-file", "other.key", "person", "karimow"]));
    assert!(dossier.contains("Sardor Karimow"), "{dossier}");
    // A plain copy when asked for, said to be plain.
    let out = ok(chronicle(dir.path(), "022", Some(PASS), &["store", "copy", "--from", "s.db", "--to", "plain.db", "--plain"]));
    assert!(out.contains("will be plain"), "{out}");
    assert!(!encrypted(&dir.path().join("plain.db")));
}

#[test]
fn stores_backups_copies_and_exports_are_private_under_any_umask() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| ok(chronicle(dir.path(), "000", None, args));
    run(&["--store", "s.db", "init"]);
    run(&["--store", "s.db", "ingest", data("reports").to_str().unwrap()]);
    run(&["--store", "s.db", "backup", "backup.db"]);
    run(&["store", "copy", "--from", "s.db", "--to", "copy.db"]);
    run(&["--store", "s.db", "export", "--out", "out.jsonl"]);
    run(&["--store", "s.db", "export", "--format", "csv", "--out", "csv"]);
    run(&["--store", "s.db", "export", "--format", "ftm", "--out", "out.ftm.jsonl"]);
    run(&["--store", "s.db", "export", "--format", "esf", "--out", "out.esf.json"]);
    for f in ["s.db", "backup.db", "copy.db", "out.jsonl", "csv/events.csv", "csv/persons.csv", "csv/involvements.csv", "out.ftm.jsonl", "out.esf.json"] {
        assert_eq!(mode(&dir.path().join(f)), 0o600, "{f}");
    }
    // An export written over an existing file others could read is made private too.
    std::fs::set_permissions(dir.path().join("out.jsonl"), std::fs::Permissions::from_mode(0o644)).unwrap();
    run(&["--store", "s.db", "export", "--out", "out.jsonl"]);
    assert_eq!(mode(&dir.path().join("out.jsonl")), 0o600);
}

/// SQL on a plain store file, as someone holding it (Python's own SQLite).
fn sql(path: &Path, statements: &str) {
    let out = Command::new("python3")
        .args(["-c", "import sqlite3,sys; c = sqlite3.connect(sys.argv[1]); c.executescript(sys.argv[2]); c.commit()"])
        .arg(path)
        .arg(statements)
        .output()
        .expect("python3 to edit the store independently");
    assert!(out.status.success(), "{}", said(&out));
}

#[test]
fn the_audit_head_is_printed_to_keep_and_checked_by_verify_and_restore() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| chronicle(dir.path(), "022", None, &[&["--store", "s.db"], args].concat());
    ok(run(&["ingest", data("reports").to_str().unwrap()]));
    let head = ok(run(&["audit", "head"])).lines().next().unwrap().to_string();
    assert!(head.starts_with("chronicle-audit-head:"), "{head}");
    let out = ok(run(&["audit", "verify", "--head", &head]));
    assert!(out.contains("audit chain intact") && out.contains("the kept head is in the log unchanged"), "{out}");
    ok(run(&["backup", "backup.db"]));

    // A head the log does not hold.
    let forged = format!("{}{}", &head[..head.len() - 4], "0000");
    let out = run(&["audit", "verify", "--head", &forged]);
    assert!(!out.status.success() && said(&out).contains("not the one the kept head names"), "{}", said(&out));
    let out = run(&["audit", "verify", "--head", "yesterday's"]);
    assert!(!out.status.success() && said(&out).contains("is not an audit head"), "{}", said(&out));

    // The record changed behind the log's back: verify names it, restore refuses the backup.
    sql(&dir.path().join("s.db"), "UPDATE events SET type = 'release' WHERE rowid = 1");
    let out = run(&["audit", "verify"]);
    assert!(!out.status.success() && said(&out).contains("audit BROKEN") && said(&out).contains("event doc-"), "{}", said(&out));
    sql(&dir.path().join("backup.db"), "UPDATE users SET role = 'admin'; INSERT INTO api_tokens (hash, \"user\", label, created_at) VALUES ('x', 'nobody', 'x', 'x')");
    let out = run(&["restore", "backup.db", "--replace", "--head", &head]);
    assert!(!out.status.success() && said(&out).contains("api_tokens"), "{}", said(&out));
}
