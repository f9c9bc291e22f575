//! The real `chronicle` binary: accounts through their lifecycle at the
//! command line, and terminal output that no report can take control of.

use chronicle_extract::Extractor;
use chronicle_store::Store;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

struct Env {
    dir: tempfile::TempDir,
}

impl Env {
    fn new() -> Env {
        Env { dir: tempfile::tempdir().unwrap() }
    }
    fn store(&self) -> PathBuf {
        self.dir.path().join("test.db")
    }
    fn command(&self, actor: &str, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_chronicle"));
        c.arg("--store").arg(self.store()).args(["--actor", actor]).args(args).env_remove("CHRONICLE_STORE").env_remove("CHRONICLE_ACTOR");
        c
    }
    fn run(&self, actor: &str, args: &[&str]) -> Output {
        self.command(actor, args).output().expect("run chronicle")
    }
    /// Runs with `input` on standard input (a password).
    fn run_with(&self, actor: &str, args: &[&str], input: &str) -> Output {
        let mut child = self.command(actor, args).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
        writeln!(child.stdin.take().unwrap(), "{input}").unwrap();
        child.wait_with_output().unwrap()
    }
    fn ok(&self, actor: &str, args: &[&str]) -> String {
        expect_ok(self.run(actor, args), args)
    }
    /// Fails, with a message on standard error that contains `why`.
    fn refused(&self, actor: &str, args: &[&str], why: &str) {
        let out = self.run(actor, args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success() && stderr.contains(why), "chronicle {args:?} should fail with {why:?}:\n{stderr}");
    }
}

fn expect_ok(out: Output, args: &[&str]) -> String {
    assert!(out.status.success(), "chronicle {args:?} failed:\n{}\n{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

fn line_of<'a>(listing: &'a str, start: &str) -> &'a str {
    listing.lines().find(|l| l.starts_with(start)).unwrap_or_else(|| panic!("no line for {start} in:\n{listing}"))
}

/// ada (admin), ed (editor) and vic (viewer), each with a password.
fn accounts(env: &Env) {
    for (name, role) in [("ada", "admin"), ("ed", "editor"), ("vic", "viewer")] {
        expect_ok(env.run_with("ada", &["user", "add", name, "--role", role, "--password-stdin"], &format!("{name}'s long passphrase")), &["user", "add", name]);
    }
}

#[test]
fn an_admin_takes_accounts_through_their_lifecycle_at_the_command_line() {
    let env = Env::new();
    accounts(&env);
    let list = env.ok("ada", &["user", "list"]);
    assert!(line_of(&list, "vic ").contains("viewer") && line_of(&list, "vic ").contains("enabled"), "{list}");

    assert!(env.ok("ada", &["user", "role", "vic", "editor"]).contains("vic is now editor"));
    assert!(line_of(&env.ok("ada", &["user", "list"]), "vic ").contains("editor"));
    env.refused("ada", &["user", "role", "ada", "viewer"], "last enabled admin");
    env.refused("ed", &["user", "role", "ed", "admin"], "admin role");

    let out = env.run_with("ada", &["user", "password", "ed", "--password-stdin"], "ed's new long passphrase");
    assert!(expect_ok(out, &["user", "password"]).contains("sessions have ended"));
    let weak = env.run_with("ada", &["user", "password", "ed", "--password-stdin"], "short");
    assert!(!weak.status.success() && String::from_utf8_lossy(&weak.stderr).contains("at least 12 characters"));

    env.ok("ada", &["user", "disable", "ed"]);
    assert!(line_of(&env.ok("ada", &["user", "list"]), "ed ").contains("disabled"));
    env.refused("ed", &["stats"], "disabled");
    env.refused("ada", &["user", "disable", "ada"], "last enabled admin");
    env.ok("ada", &["user", "enable", "ed"]);
    env.ok("ed", &["stats"]);

    let out = env.run("ada", &["user", "token", "vic", "--label", "nightly", "--expires", "30d"]);
    let token = expect_ok(out.clone(), &["user", "token"]);
    assert!(token.trim().starts_with("chr_") && token.trim().len() == 68, "{token}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("API token 1 for vic, until"), "{}", String::from_utf8_lossy(&out.stderr));
    env.ok("ada", &["user", "token", "ada"]);
    let tokens = env.ok("ada", &["user", "tokens"]);
    assert!(line_of(&tokens, "    1").contains("vic") && line_of(&tokens, "    1").contains("active") && line_of(&tokens, "    1").contains("nightly"), "{tokens}");
    assert!(!tokens.contains(token.trim()) && !tokens.contains(&token.trim()[4..]), "no secret in the listing");
    assert_eq!(env.ok("ada", &["user", "tokens", "vic"]).lines().count(), 1);
    assert_eq!(env.ok("vic", &["user", "tokens"]).lines().count(), 1, "an account lists its own");
    env.refused("vic", &["user", "tokens", "ada"], "admin role");
    env.refused("ada", &["user", "token", "vic", "--expires", "400d"], "366 days");
    env.refused("ada", &["user", "token", "vic", "--expires", "forever"], "not a token life");
    assert!(env.ok("ada", &["user", "revoke-token", "1"]).contains("token 1 of vic (nightly) revoked"));
    assert!(line_of(&env.ok("ada", &["user", "tokens"]), "    1").contains("revoked"));
    env.refused("ada", &["user", "revoke-token", "1"], "already revoked");

    env.ok("ada", &["user", "remove", "ed"]);
    assert!(line_of(&env.ok("ada", &["user", "list"]), "ed ").contains("removed"));
    env.refused("ed", &["stats"], "removed");
    let again = env.run_with("ada", &["user", "add", "ed", "--role", "viewer", "--password-stdin"], "a long passphrase again");
    assert!(!again.status.success() && String::from_utf8_lossy(&again.stderr).contains("removed"), "the name is not given again");

    let log = env.ok("ada", &["audit", "log"]);
    for action in ["user.role", "user.password", "user.disable", "user.enable", "user.token", "user.revoke-token", "user.remove"] {
        assert!(log.contains(action), "{action} in the audit log:\n{log}");
    }
    assert!(!log.contains("passphrase"), "no password in the audit log");
    assert!(env.ok("ada", &["audit", "verify"]).contains("intact"));
}

const HOSTILE: &str = "\u{1b}[2J\u{1b}[H\u{1b}]0;owned\u{7}\u{1b}[31m\u{9b}1m\r\u{8}";

/// Whatever the CLI printed holds no escape and no control character but line feeds and tabs.
fn assert_clean(what: &str, bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    let bad: Vec<(usize, char)> = text.char_indices().filter(|(_, c)| c.is_control() && *c != '\n' && *c != '\t').collect();
    assert!(!bytes.contains(&0x1b) && bad.is_empty(), "{what} printed control characters {bad:?}:\n{text:?}");
}

#[test]
fn titles_file_names_and_texts_with_terminal_escapes_are_printed_without_them() {
    let env = Env::new();
    let reports = env.dir.path().join(format!("reports{HOSTILE}"));
    std::fs::create_dir(&reports).unwrap();
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/reports/news-sentenced.txt")).unwrap();
    let named = reports.join(format!("kazan{HOSTILE}.txt"));
    std::fs::write(&named, format!("Kazan Court{HOSTILE} Jails Uzbek Blogger\n\n{}", text.split_once("\n\n").unwrap().1)).unwrap();
    std::fs::write(reports.join(format!("big{HOSTILE}.txt")), "x".repeat(4096)).unwrap();

    // A record written by an older Chronicle, or by anyone with the database: escapes in title, source and text.
    {
        let mut store = chronicle_store::SqlStore::open(env.store()).unwrap();
        let body = format!("Sardor Karimow{HOSTILE} was sentenced{HOSTILE} to six years in a penal colony in Kazan on 1 October 2024.");
        let sha = format!("{:0<64}", "ab");
        let doc = chronicle_model::Document {
            id: chronicle_model::Document::id_for_sha256(&sha),
            source: format!("/seized/{HOSTILE}witness.txt"),
            sha256: sha,
            title: Some(format!("Verdict{HOSTILE} in Kazan")),
            published: "2024-10-02".parse().ok(),
            language: Some("en".into()),
            publisher: Some(format!("Press{HOSTILE}")),
            text: body,
            reading: Default::default(),
            attached_to: None,
        };
        let extraction = chronicle_extract::RuleExtractor.extract(&doc);
        store.add_document(&doc, doc.text.as_bytes(), &extraction, "test").unwrap();
    }

    let outputs = [
        ("ingest", env.run("ada", &["-vv", "ingest", "--max-size", "1024", reports.to_str().unwrap()])),
        ("search", env.run("ada", &["search", "sentenced"])),
        ("person", env.run("ada", &["person", "Karimow"])),
        ("stats", env.run("ada", &["stats"])),
        ("export", env.run("ada", &["export", "--format", "jsonl", "--out", env.dir.path().join(format!("out{HOSTILE}.jsonl")).to_str().unwrap()])),
        ("error", env.run("ada", &["ingest", env.dir.path().join(format!("missing{HOSTILE}.txt")).to_str().unwrap()])),
        ("reextract", env.run("ada", &["-v", "reextract"])),
    ];
    let search = String::from_utf8_lossy(&outputs[1].1.stdout).to_string();
    assert!(search.contains("Verdict in Kazan") && search.contains("witness.txt"), "the text around the escapes is kept:\n{search}");
    let ingest = String::from_utf8_lossy(&outputs[0].1.stderr).to_string();
    assert!(ingest.contains("big") && ingest.contains("over the limit"), "the refused file is named:\n{ingest}");
    let person = String::from_utf8_lossy(&outputs[2].1.stdout).to_string();
    assert!(person.contains("Karimow") && person.contains("sentenced"), "{person}");
    for (what, out) in &outputs {
        assert_clean(&format!("{what} (stdout)"), &out.stdout);
        assert_clean(&format!("{what} (stderr)"), &out.stderr);
    }
    // The export is data: the escapes are in it, escaped as JSON.
    let export = std::fs::read_to_string(env.dir.path().join(format!("out{HOSTILE}.jsonl"))).unwrap();
    assert!(export.contains("\\u001b[2J"), "the record is kept as it is");
}
