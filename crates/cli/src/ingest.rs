//! `chronicle ingest`: files and directories into the store.

use anyhow::Result;
use chronicle_extract::{Extractor, RuleExtractor};
use chronicle_ingest::{Format, Limits};
use chronicle_store::{StoreError, Added, Store};
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

#[derive(Debug, Default)]
pub struct Summary {
    pub ingested: usize,
    pub already: usize,
    pub failed: usize,
    pub skipped: usize,
    pub linked: usize,
    pub created: usize,
    pub events: usize,
}

impl Summary {
    pub fn line(&self) -> String {
        format!(
            "ingested {} new document(s), {} already present, {} failed, {} skipped; persons: {} linked to the record, {} new; {} events",
            self.ingested, self.already, self.failed, self.skipped, self.linked, self.created, self.events
        )
    }
}

/// Files under the given paths: directories are walked recursively (only
/// report formats are taken from them); named files are taken as given.
fn collect(paths: &[PathBuf], skipped: &mut Vec<PathBuf>, errors: &mut Vec<(PathBuf, String)>) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for p in paths {
        match std::fs::metadata(p) {
            Ok(m) if m.is_dir() => walk(p, &mut files, skipped, errors),
            Ok(_) => files.push(p.clone()),
            Err(e) => errors.push((p.clone(), e.to_string())),
        }
    }
    files
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>, skipped: &mut Vec<PathBuf>, errors: &mut Vec<(PathBuf, String)>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => return errors.push((dir.to_path_buf(), e.to_string())),
    };
    let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            walk(&p, files, skipped, errors);
        } else if Format::from_path(&p.to_string_lossy()).is_some() {
            files.push(p);
        } else {
            skipped.push(p);
        }
    }
}

pub fn ingest(store: &mut dyn Store, paths: &[PathBuf], limits: &Limits) -> Result<Summary> {
    let mut summary = Summary::default();
    let mut skipped = Vec::new();
    let mut errors = Vec::new();
    let files = collect(paths, &mut skipped, &mut errors);
    summary.skipped = skipped.len();
    for p in &skipped {
        tracing::info!("skipped {} (not a report format)", p.display());
    }
    let bar = if std::io::stderr().is_terminal() {
        let bar = ProgressBar::new(files.len() as u64);
        bar.set_style(ProgressStyle::with_template("{bar:40} {pos}/{len} {wide_msg}").unwrap_or_else(|_| ProgressStyle::default_bar()));
        bar
    } else {
        ProgressBar::hidden()
    };
    for path in &files {
        let name = path.display().to_string();
        bar.set_message(name.clone());
        match ingest_one(store, path, limits) {
            Ok(Added::New { persons_linked, persons_created, events }) => {
                summary.ingested += 1;
                summary.linked += persons_linked;
                summary.created += persons_created;
                summary.events += events;
            }
            Ok(Added::AlreadyPresent { .. }) => summary.already += 1,
            Err(e) => errors.push((path.clone(), format!("{e:#}"))),
        }
        bar.inc(1);
    }
    bar.finish_and_clear();
    for (path, why) in &errors {
        eprintln!("chronicle: {}: {why}", path.display());
    }
    summary.failed = errors.len();
    Ok(summary)
}

fn ingest_one(store: &mut dyn Store, path: &Path, limits: &Limits) -> Result<Added> {
    let name = path.to_string_lossy();
    if Format::from_path(&name).is_none() {
        anyhow::bail!("not a report format (expected .txt, .md, .html, .htm or .pdf)");
    }
    let meta = std::fs::metadata(path)?;
    if meta.len() > limits.max_bytes {
        anyhow::bail!("file is {} bytes, over the limit of {} bytes (see --max-size)", meta.len(), limits.max_bytes);
    }
    let bytes = std::fs::read(path)?;
    Ok(chronicle_server::pipeline::ingest_bytes(store, &name, &bytes, limits)?.0)
}

/// Runs the extractor again over stored documents (all, or those named).
pub fn reextract(store: &mut dyn Store, only: &[String]) -> Result<String> {
    let extractor = RuleExtractor;
    let docs = store.documents()?;
    for id in only {
        if !docs.iter().any(|d| &d.document.id == id) {
            anyhow::bail!("no document {id} on record");
        }
    }
    let chosen: Vec<_> = docs.into_iter().filter(|d| only.is_empty() || only.contains(&d.document.id)).collect();
    let bar = indicatif::ProgressBar::new(chosen.len() as u64);
    let (mut events, mut linked, mut done, mut left) = (0, 0, 0, 0);
    for d in &chosen {
        let extraction = extractor.extract(&d.document);
        match store.replace_extraction(&d.document.id, &extraction, extractor.name()) {
            Ok(Added::New { events: e, persons_linked, .. }) => {
                events += e;
                linked += persons_linked;
                done += 1;
            }
            Ok(Added::AlreadyPresent { .. }) => done += 1,
            // Documents naming records this account may not see are left as they are.
            Err(StoreError::Refused(why)) if only.is_empty() => {
                tracing::info!("{why}");
                left += 1;
            }
            Err(e) => return Err(e.into()),
        }
        bar.inc(1);
    }
    bar.finish_and_clear();
    let mut line = format!("{done} document(s) extracted again: {events} events, {linked} persons linked to persons on record");
    if left > 0 {
        line.push_str(&format!("; {left} left alone: they name restricted records this account may not see"));
    }
    Ok(line)
}
