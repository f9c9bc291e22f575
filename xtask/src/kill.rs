//! The kill test: ingestion survives SIGKILL at any moment.
//!
//! One uninterrupted ingest of an invented corpus gives the reference export
//! and how long an ingest takes. Then, run after run, an ingest into a fresh
//! store is killed at a random moment within that time; the store must pass
//! its integrity check, hold each document either with all its records or
//! not at all, and a second ingest must complete it to an export identical to
//! the reference, with nothing duplicated.
//!
//! With `--postgres URL` the same runs are made on PostgreSQL stores, where
//! two ingest processes of two workers each share the queue and are killed
//! together: besides the checks above, every report the queue says is stored
//! must be, and every stored document must be marked so in the queue.

use anyhow::{bail, Context, Result};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A store under test: a file, or a database on a PostgreSQL server.
enum Target {
    File(PathBuf),
    Postgres { admin: String, name: String },
}

impl Target {
    fn arg(&self) -> String {
        match self {
            Target::File(p) => p.display().to_string(),
            Target::Postgres { admin, name } => format!("{}/{name}", admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b)),
        }
    }

    /// A new, empty store (a database made afresh; a file path not yet there).
    fn fresh(&self) -> Result<()> {
        if let Target::Postgres { admin, name } = self {
            let mut c = postgres::Client::connect(admin, postgres::NoTls)?;
            c.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))?;
            c.batch_execute(&format!("CREATE DATABASE {name}"))?;
        }
        Ok(())
    }

    fn drop_database(&self) {
        if let Target::Postgres { admin, name } = self {
            if let Ok(mut c) = postgres::Client::connect(admin, postgres::NoTls) {
                let _ = c.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
            }
        }
    }
}

fn chronicle(bin: &Path, store: &Target) -> Command {
    let mut c = Command::new(bin);
    c.arg("--store").arg(store.arg()).env_remove("CHRONICLE_STORE").env_remove("CHRONICLE_PASSPHRASE").env_remove("CHRONICLE_KEY_FILE");
    c
}

fn export(bin: &Path, store: &Target) -> Result<Vec<u8>> {
    let out = chronicle(bin, store).args(["export", "--format", "jsonl"]).output().context("running export")?;
    if !out.status.success() {
        bail!("export failed: {}", String::from_utf8_lossy(&out.stderr));
    }
    Ok(out.stdout)
}

fn ingest_to_completion(bin: &Path, store: &Target, corpus: &Path) -> Result<()> {
    let out = chronicle(bin, store).arg("ingest").arg(corpus).output().context("running ingest")?;
    if !out.status.success() {
        bail!("ingest failed: {}", String::from_utf8_lossy(&out.stderr));
    }
    Ok(())
}

fn check(store: &Target) -> Result<usize> {
    match store {
        Target::File(path) => check_consistent(path),
        Target::Postgres { .. } => check_postgres(&store.arg()),
    }
}

/// The same checks on a PostgreSQL store, and the queue's agreement with the record.
fn check_postgres(url: &str) -> Result<usize> {
    let mut c = postgres::Client::connect(url, postgres::NoTls)?;
    let has = |c: &mut postgres::Client, table: &str| -> Result<bool> {
        Ok(c.query_one("SELECT to_regclass($1) IS NOT NULL", &[&table])?.get(0))
    };
    if !has(&mut c, "audit")? {
        return Ok(0);
    }
    let count = |c: &mut postgres::Client, sql: &str| -> Result<i64> { Ok(c.query_one(sql, &[])?.get(0)) };
    let orphans = count(
        &mut c,
        "SELECT (SELECT COUNT(*) FROM documents d WHERE NOT EXISTS (SELECT 1 FROM audit a WHERE a.action = 'document.ingest' AND a.subject = d.id))
              + (SELECT COUNT(*) FROM audit a WHERE a.action = 'document.ingest' AND NOT EXISTS (SELECT 1 FROM documents d WHERE d.id = a.subject))",
    )?;
    if orphans != 0 {
        bail!("{orphans} documents without their ingest entry, or entries without their document");
    }
    let mismatched = count(
        &mut c,
        "SELECT COUNT(*) FROM audit a WHERE a.action = 'document.ingest'
         AND (a.detail::json->>'events')::bigint <> (SELECT COUNT(*) FROM events e WHERE e.document_id = a.subject)",
    )?;
    if mismatched != 0 {
        bail!("{mismatched} documents with other events than were extracted");
    }
    let queue = count(
        &mut c,
        "SELECT (SELECT COUNT(*) FROM ingest_queue q WHERE q.state = 'done' AND NOT EXISTS (SELECT 1 FROM documents d WHERE d.sha256 = q.sha256))
              + (SELECT COUNT(*) FROM documents d WHERE NOT EXISTS (SELECT 1 FROM ingest_queue q WHERE q.sha256 = d.sha256 AND q.state = 'done'))",
    )?;
    if queue != 0 {
        bail!("{queue} reports the queue and the record disagree on");
    }
    Ok(count(&mut c, "SELECT COUNT(*) FROM documents")? as usize)
}

/// Integrity, and every document all or nothing: each stored document has
/// its ingest entry in the audit log (written in the same transaction) and
/// exactly as many events as that entry says, and every entry its document.
fn check_consistent(store: &Path) -> Result<usize> {
    let conn = rusqlite::Connection::open(store)?;
    let integrity: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
    if integrity != "ok" {
        bail!("integrity check: {integrity}");
    }
    // Killed before the schema was complete: each migration is its own
    // transaction, and no document is written before the last.
    let has = |table: &str| -> rusqlite::Result<bool> {
        conn.query_row("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?1", [table], |r| r.get::<_, i64>(0)).map(|n| n > 0)
    };
    if !has("audit")? {
        if has("documents")? && conn.query_row("SELECT COUNT(*) FROM documents", [], |r| r.get::<_, i64>(0))? > 0 {
            bail!("documents stored before the schema was complete");
        }
        return Ok(0);
    }
    let orphans: i64 = conn.query_row(
        "SELECT (SELECT COUNT(*) FROM documents d WHERE NOT EXISTS (SELECT 1 FROM audit a WHERE a.action = 'document.ingest' AND a.subject = d.id))
              + (SELECT COUNT(*) FROM audit a WHERE a.action = 'document.ingest' AND NOT EXISTS (SELECT 1 FROM documents d WHERE d.id = a.subject))",
        [],
        |r| r.get(0),
    )?;
    if orphans != 0 {
        bail!("{orphans} documents without their ingest entry, or entries without their document");
    }
    let mut stmt = conn.prepare(
        "SELECT a.subject, json_extract(a.detail, '$.events'), (SELECT COUNT(*) FROM events e WHERE e.document_id = a.subject)
         FROM audit a WHERE a.action = 'document.ingest'",
    )?;
    let rows: Vec<(String, i64, i64)> = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect::<Result<_, _>>()?;
    for (doc, said, stored) in &rows {
        if said != stored {
            bail!("document {doc}: {stored} events stored, {said} extracted");
        }
    }
    Ok(rows.len())
}

pub fn run(bin: &Path, runs: usize, reports: u64, seed: u64, postgres: Option<&str>) -> Result<()> {
    let dir = tempfile::tempdir()?;
    let corpus = dir.path().join("corpus");
    crate::corpus::generate(reports, &corpus, seed, crate::corpus::Language::En)?;
    let reference_store = Target::File(dir.path().join("reference.db"));
    let started = Instant::now();
    ingest_to_completion(bin, &reference_store, &corpus)?;
    let mut full = started.elapsed();
    let reference = export(bin, &reference_store)?;
    let documents = check(&reference_store)?;
    if documents as u64 != reports {
        bail!("the reference run stored {documents} documents of {reports}");
    }
    println!("reference: {documents} documents in {:.2}s", full.as_secs_f64());
    if let Some(admin) = postgres {
        // How long the processes below take, unkilled: the window to kill them in.
        let timing = Target::Postgres { admin: admin.to_string(), name: format!("chronicle_kill_{}_timing", std::process::id()) };
        timing.fresh()?;
        let started = Instant::now();
        ingest_to_completion(bin, &timing, &corpus)?;
        full = started.elapsed();
        if export(bin, &timing)? != reference {
            bail!("PostgreSQL's record differs from SQLite's");
        }
        timing.drop_database();
        println!("PostgreSQL: the same record, in {:.2}s", full.as_secs_f64());
    }

    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let (mut partial, mut empty, mut finished) = (0, 0, 0);
    for run in 0..runs {
        let store = match postgres {
            None => Target::File(dir.path().join(format!("run-{run}.db"))),
            Some(admin) => Target::Postgres { admin: admin.to_string(), name: format!("chronicle_kill_{}_{run}", std::process::id()) },
        };
        store.fresh()?;
        // On a server store, two processes of two workers share the queue.
        let processes = if postgres.is_some() { 2 } else { 1 };
        let mut children = Vec::new();
        for _ in 0..processes {
            let mut c = chronicle(bin, &store);
            if postgres.is_some() {
                c.args(["ingest", "--workers", "2"]);
            } else {
                c.arg("ingest");
            }
            children.push(c.arg(&corpus).stdout(Stdio::null()).stderr(Stdio::null()).spawn()?);
        }
        let at = Duration::from_micros(rng.random_range(0..full.as_micros().max(1) as u64 * 11 / 10));
        std::thread::sleep(at);
        let mut was_running = false;
        for child in &mut children {
            was_running |= child.try_wait()?.is_none();
            child.kill().ok(); // SIGKILL
            child.wait()?;
        }
        if matches!(&store, Target::File(p) if !p.exists()) {
            empty += 1;
        } else {
            let stored = check(&store).with_context(|| format!("run {run}: killed after {at:?}"))?;
            match (was_running, stored) {
                (true, 0) => empty += 1,
                (true, _) => partial += 1,
                (false, _) => finished += 1,
            }
        }
        ingest_to_completion(bin, &store, &corpus)?;
        let stored = check(&store).with_context(|| format!("run {run}: after the re-run"))?;
        if stored as u64 != reports {
            bail!("run {run}: {stored} documents after the re-run, {reports} expected");
        }
        if export(bin, &store)? != reference {
            bail!("run {run}: the export after the re-run differs from the reference");
        }
        store.drop_database();
    }
    println!(
        "{runs} runs killed at random moments{}: {partial} mid-ingest, {empty} before the first document, {finished} after finishing; \
         all consistent, all complete and identical to the reference after a re-run",
        if postgres.is_some() { " (PostgreSQL, 2 processes × 2 workers on one queue)" } else { "" }
    );
    Ok(())
}
