//! The kill test: ingestion survives SIGKILL at any moment.
//!
//! One uninterrupted ingest of an invented corpus gives the reference export
//! and how long an ingest takes. Then, run after run, an ingest into a fresh
//! store is killed at a random moment within that time; the store must pass
//! its integrity check, hold each document either with all its records or
//! not at all, and a second ingest must complete it to an export identical to
//! the reference, with nothing duplicated.

use anyhow::{bail, Context, Result};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn chronicle(bin: &Path, store: &Path) -> Command {
    let mut c = Command::new(bin);
    c.arg("--store").arg(store).env_remove("CHRONICLE_STORE").env_remove("CHRONICLE_PASSPHRASE").env_remove("CHRONICLE_KEY_FILE");
    c
}

fn export(bin: &Path, store: &Path) -> Result<Vec<u8>> {
    let out = chronicle(bin, store).args(["export", "--format", "jsonl"]).output().context("running export")?;
    if !out.status.success() {
        bail!("export failed: {}", String::from_utf8_lossy(&out.stderr));
    }
    Ok(out.stdout)
}

fn ingest_to_completion(bin: &Path, store: &Path, corpus: &Path) -> Result<()> {
    let out = chronicle(bin, store).arg("ingest").arg(corpus).output().context("running ingest")?;
    if !out.status.success() {
        bail!("ingest failed: {}", String::from_utf8_lossy(&out.stderr));
    }
    Ok(())
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

pub fn run(bin: &Path, runs: usize, reports: u64, seed: u64) -> Result<()> {
    let dir = tempfile::tempdir()?;
    let corpus = dir.path().join("corpus");
    crate::corpus::generate(reports, &corpus, seed)?;
    let reference_store = dir.path().join("reference.db");
    let started = Instant::now();
    ingest_to_completion(bin, &reference_store, &corpus)?;
    let full = started.elapsed();
    let reference = export(bin, &reference_store)?;
    let documents = check_consistent(&reference_store)?;
    if documents as u64 != reports {
        bail!("the reference run stored {documents} documents of {reports}");
    }
    println!("reference: {documents} documents in {:.2}s", full.as_secs_f64());

    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let (mut partial, mut empty, mut finished) = (0, 0, 0);
    for run in 0..runs {
        let store: PathBuf = dir.path().join(format!("run-{run}.db"));
        let mut child = chronicle(bin, &store).arg("ingest").arg(&corpus).stdout(Stdio::null()).stderr(Stdio::null()).spawn()?;
        let at = Duration::from_micros(rng.random_range(0..full.as_micros().max(1) as u64 * 11 / 10));
        std::thread::sleep(at);
        let was_running = child.try_wait()?.is_none();
        child.kill().ok(); // SIGKILL
        child.wait()?;
        if !store.exists() {
            empty += 1;
            ingest_to_completion(bin, &store, &corpus)?;
        } else {
            let stored = check_consistent(&store).with_context(|| format!("run {run}: killed after {at:?}"))?;
            match (was_running, stored) {
                (true, 0) => empty += 1,
                (true, _) => partial += 1,
                (false, _) => finished += 1,
            }
            ingest_to_completion(bin, &store, &corpus)?;
        }
        let stored = check_consistent(&store).with_context(|| format!("run {run}: after the re-run"))?;
        if stored as u64 != reports {
            bail!("run {run}: {stored} documents after the re-run, {reports} expected");
        }
        if export(bin, &store)? != reference {
            bail!("run {run}: the export after the re-run differs from the reference");
        }
    }
    println!(
        "{runs} runs killed at random moments: {partial} mid-ingest, {empty} before the first document, {finished} after finishing; \
         all consistent, all complete and identical to the reference after a re-run"
    );
    Ok(())
}
