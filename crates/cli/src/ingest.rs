//! `chronicle ingest`: files and directories into the store.

use anyhow::Result;
use chronicle_pipeline::{self as pipeline, Format, Limits, NotExtracted, Options, PipelineError, Sources, Stored, SOURCES_FILE};
use chronicle_store::{Added, QueueOutcome, SqlStore, Store, StoreError};
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
    /// Of the documents ingested, those that came attached to a message.
    pub attachments: usize,
    /// Reports stored now that no extractor reads, in the order they were stored.
    pub not_extracted: Vec<NotExtracted>,
}

impl Summary {
    pub fn line(&self) -> String {
        let mut line = format!(
            "ingested {} new document(s), {} already present, {} failed, {} skipped; persons: {} linked to the record, {} new; {} events",
            self.ingested, self.already, self.failed, self.skipped, self.linked, self.created, self.events
        );
        if self.attachments > 0 {
            line.push_str(&format!("; {} of the documents came attached to messages", self.attachments));
        }
        if !self.not_extracted.is_empty() {
            line.push_str(&format!("; {} stored without extraction (each named below)", self.not_extracted.len()));
        }
        line
    }

    /// The summary line, then one line for each report stored without extraction.
    pub fn lines(&self) -> Vec<String> {
        let each = self.not_extracted.iter().map(|n| format!("chronicle: {}: {n}", n.source));
        std::iter::once(self.line()).chain(each).collect()
    }

    /// Counts what storing one report and its attachments did.
    fn add_stored(&mut self, stored: Stored) {
        self.add(&stored.added, stored.not_extracted);
        for a in stored.attachments {
            self.attachments += usize::from(matches!(a.added, Added::New { .. }));
            self.add_stored(a);
        }
    }

    /// Counts what storing one report did.
    fn add(&mut self, added: &Added, not_extracted: Option<NotExtracted>) {
        match *added {
            Added::New { persons_linked, persons_created, events } => {
                self.ingested += 1;
                self.linked += persons_linked;
                self.created += persons_created;
                self.events += events;
                self.not_extracted.extend(not_extracted);
            }
            Added::AlreadyPresent { .. } => self.already += 1,
        }
    }
}

/// Files under the given paths: directories are walked recursively (only
/// report formats are taken from them); named files are taken as given.
/// Only regular files are read: symbolic links are not followed unless
/// `follow_links` (and then a link back to a directory being walked is
/// skipped, not walked again); FIFOs, sockets and devices are skipped with a
/// message and never opened.
fn collect(paths: &[PathBuf], follow_links: bool, skipped: &mut Vec<PathBuf>, errors: &mut Vec<(PathBuf, String)>, lists: &mut Sources) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for p in paths {
        let meta = if follow_links { std::fs::metadata(p) } else { std::fs::symlink_metadata(p) };
        match meta {
            Ok(m) if m.is_dir() => walk(p, follow_links, &mut files, skipped, errors, lists),
            Ok(m) if m.is_file() => {
                read_list(p.parent().unwrap_or(Path::new(".")), lists, errors);
                files.push(p.clone());
            }
            Ok(m) => errors.push((p.clone(), not_regular(&m.file_type()))),
            Err(e) => errors.push((p.clone(), e.to_string())),
        }
    }
    files
}

/// Reads a folder's list of reports (`sources.tsv`), once; a bad list is an error named with its line.
fn read_list(dir: &Path, lists: &mut Sources, errors: &mut Vec<(PathBuf, String)>) {
    if let Err(e) = lists.read_dir(dir) {
        errors.push((dir.join(SOURCES_FILE), e.to_string()));
    }
}

fn walk(dir: &Path, follow_links: bool, files: &mut Vec<PathBuf>, skipped: &mut Vec<PathBuf>, errors: &mut Vec<(PathBuf, String)>, lists: &mut Sources) {
    read_list(dir, lists, errors);
    for entry in walkdir::WalkDir::new(dir).follow_links(follow_links).sort_by_file_name().min_depth(1) {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) if e.loop_ancestor().is_some() => {
                let path = e.path().unwrap_or(dir).to_path_buf();
                eprintln!("chronicle: {}: skipped: a symbolic link back to a directory being read", path.display());
                skipped.push(path);
                continue;
            }
            Err(e) => {
                errors.push((e.path().unwrap_or(dir).to_path_buf(), e.to_string()));
                continue;
            }
        };
        let kind = entry.file_type();
        if kind.is_dir() {
            read_list(entry.path(), lists, errors);
            continue;
        }
        let path = entry.into_path();
        if kind.is_file() && path.file_name().is_some_and(|n| n == SOURCES_FILE) {
            continue; // the folder's list of its reports, read above
        }
        if kind.is_file() && Format::from_path(&path.to_string_lossy()).is_some() {
            files.push(path);
        } else if kind.is_file() {
            tracing::info!("skipped {} (not a report format)", path.display());
            skipped.push(path);
        } else {
            eprintln!("chronicle: {}: skipped: {}", path.display(), not_regular(&kind));
            skipped.push(path);
        }
    }
}

/// Why a path that is not a regular file or a directory is not read.
fn not_regular(kind: &std::fs::FileType) -> String {
    use std::os::unix::fs::FileTypeExt;
    let what = if kind.is_symlink() {
        return "a symbolic link, not followed (see --follow-links)".into();
    } else if kind.is_fifo() {
        "a FIFO"
    } else if kind.is_socket() {
        "a socket"
    } else if kind.is_block_device() || kind.is_char_device() {
        "a device"
    } else {
        "of an unknown kind"
    };
    format!("not a regular file ({what}); not read")
}

pub fn ingest(store: &mut dyn Store, paths: &[PathBuf], options: &Options, workers: usize, follow_links: bool) -> Result<Summary> {
    let limits = &options.limits;
    let mut summary = Summary::default();
    let mut skipped = Vec::new();
    let mut errors = Vec::new();
    let mut lists = Sources::default();
    let files = collect(paths, follow_links, &mut skipped, &mut errors, &mut lists);
    let options = &with_lists(options, lists);
    summary.skipped = skipped.len();
    let bar = if std::io::stderr().is_terminal() {
        let bar = ProgressBar::new(files.len() as u64);
        bar.set_style(ProgressStyle::with_template("{bar:40} {pos}/{len} {wide_msg}").unwrap_or_else(|_| ProgressStyle::default_bar()));
        bar
    } else {
        ProgressBar::hidden()
    };
    let mut record = |path: &Path, outcome: Result<Stored>, summary: &mut Summary| {
        bar.set_message(crate::term::clean(&path.display().to_string()).into_owned());
        match outcome {
            Ok(stored) => summary.add_stored(stored),
            Err(e) => errors.push((path.to_path_buf(), format!("{e:#}"))),
        }
        bar.inc(1);
    };
    // Workers read and extract; the pipeline stores in the order of the files.
    let read = |path: &PathBuf| -> Result<(String, Vec<u8>)> { Ok((path.to_string_lossy().into_owned(), read_report(path, limits, follow_links)?)) };
    pipeline::ingest_in_order(store, &files, workers, options, &read, &mut |i, outcome| record(&files[i], outcome, &mut summary));
    bar.finish_and_clear();
    for (path, why) in &errors {
        crate::term::say(&format!("chronicle: {}: {why}", path.display()));
    }
    summary.failed = errors.len();
    Ok(summary)
}

/// The options, with what the folders' lists say of their reports.
fn with_lists(options: &Options, lists: Sources) -> Options {
    Options { sources: std::sync::Arc::new(lists), ..options.clone() }
}

/// Reports queued at a time, each batch in one transaction.
const QUEUE_BATCH: usize = 200;

/// Ingestion into a server store: the files are queued (once, however many
/// processes queue them), then `workers` threads — beside any other
/// `chronicle ingest` on the same queue — take reports from it until it is
/// empty. Reports are stored in the order they were queued.
pub fn ingest_queued(store: &mut SqlStore, paths: &[PathBuf], options: &Options, workers: usize, follow_links: bool) -> Result<Summary> {
    let limits = &options.limits;
    let mut summary = Summary::default();
    let mut skipped = Vec::new();
    let mut errors = Vec::new();
    let mut lists = Sources::default();
    let files = collect(paths, follow_links, &mut skipped, &mut errors, &mut lists);
    let options = &with_lists(options, lists);
    summary.skipped = skipped.len();
    let (mut queued, mut on_record) = (0, 0);
    for batch in files.chunks(QUEUE_BATCH) {
        let mut reports = Vec::with_capacity(batch.len());
        for path in batch {
            match read_report(path, limits, follow_links) {
                Ok(bytes) => reports.push((path.to_string_lossy().into_owned(), bytes)),
                Err(e) => errors.push((path.to_path_buf(), format!("{e:#}"))),
            }
        }
        let (q, r) = store.enqueue(&reports)?;
        queued += q;
        on_record += r;
    }
    let counts = store.queue_counts()?;
    tracing::info!(queued, pending = counts.pending, "reports queued");
    let bar = if std::io::stderr().is_terminal() {
        let bar = ProgressBar::new(counts.pending as u64);
        bar.set_style(ProgressStyle::with_template("{bar:40} {pos}/{len} {wide_msg}").unwrap_or_else(|_| ProgressStyle::default_bar()));
        bar
    } else {
        ProgressBar::hidden()
    };
    let worker_name = format!("{}:{}", std::env::var("HOSTNAME").unwrap_or_else(|_| "localhost".into()), std::process::id());
    let results = std::sync::Mutex::new((Summary::default(), Vec::new()));
    std::thread::scope(|scope| -> Result<()> {
        let mut handles = Vec::new();
        for n in 0..workers.max(1) {
            let mut own = store.reopen()?;
            let (results, bar, name) = (&results, &bar, format!("{worker_name}/{n}"));
            handles.push(scope.spawn(move || -> Result<()> {
                Ok(pipeline::work_queue(&mut own, &name, options, &mut |report, outcome, not_extracted| {
                    bar.set_message(crate::term::clean(&report.source).into_owned());
                    bar.inc(1);
                    let mut guard = results.lock().unwrap_or_else(|e| e.into_inner());
                    let (summary, errors) = &mut *guard;
                    match outcome {
                        QueueOutcome::Stored(added) => summary.add(&added, not_extracted),
                        QueueOutcome::Failed(why) => errors.push((PathBuf::from(&report.source), why)),
                    }
                })?)
            }));
        }
        for h in handles {
            h.join().map_err(|_| anyhow::anyhow!("an ingest worker panicked"))??;
        }
        Ok(())
    })?;
    bar.finish_and_clear();
    let (done, failed) = results.into_inner().unwrap_or_else(|e| e.into_inner());
    summary.ingested = done.ingested;
    summary.linked = done.linked;
    summary.created = done.created;
    summary.events = done.events;
    summary.not_extracted = done.not_extracted;
    // Workers finish in any order; the lines do not.
    summary.not_extracted.sort_by(|a, b| a.source.cmp(&b.source));
    summary.already = done.already + on_record;
    errors.extend(failed);
    for (path, why) in &errors {
        crate::term::say(&format!("chronicle: {}: {why}", path.display()));
    }
    summary.failed = errors.len();
    Ok(summary)
}

/// A report's bytes, refused when it is not a report format, not a regular
/// file, or too large. The file is opened without blocking (a FIFO put in a
/// file's place since it was listed does not hang the run) and without
/// following a symbolic link unless asked, checked to be a regular file once
/// open, and read to at most one byte past the limit, so that a file that
/// grows while it is read is refused as too large, not read without end.
fn read_report(path: &Path, limits: &Limits, follow_links: bool) -> Result<Vec<u8>> {
    use std::io::Read;
    if Format::from_path(&path.to_string_lossy()).is_none() {
        anyhow::bail!("not a report format (expected {})", Format::EXTENSIONS);
    }
    let file = open_report(path, follow_links)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        anyhow::bail!("{}", not_regular(&meta.file_type()));
    }
    let too_large = |size: u64| anyhow::anyhow!("file is {size} bytes, over the limit of {} bytes (see --max-size)", limits.max_bytes);
    if meta.len() > limits.max_bytes {
        return Err(too_large(meta.len()));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(limits.max_bytes + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limits.max_bytes {
        anyhow::bail!("file grew past the limit of {} bytes while it was read (see --max-size)", limits.max_bytes);
    }
    Ok(bytes)
}

fn open_report(path: &Path, follow_links: bool) -> Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    let flags = libc::O_NONBLOCK | libc::O_NOCTTY | if follow_links { 0 } else { libc::O_NOFOLLOW };
    match std::fs::OpenOptions::new().read(true).custom_flags(flags).open(path) {
        Err(e) if !follow_links && e.raw_os_error() == Some(libc::ELOOP) => anyhow::bail!("a symbolic link, not followed (see --follow-links)"),
        other => Ok(other?),
    }
}

/// Runs the extractor again over stored documents (all, or those named),
/// each with the extractor its stored language chooses. A document whose
/// extractor fails is left as it was, named, and the others go on.
pub fn reextract(store: &mut dyn Store, only: &[String]) -> Result<Reextraction> {
    let chosen = chosen_documents(store, only)?;
    let bar = indicatif::ProgressBar::new(chosen.len() as u64);
    let mut tally = Reextraction::default();
    for d in &chosen {
        match pipeline::reextract(store, d) {
            Ok(done) => tally.add(done),
            // Documents naming records this account may not see are left as they are.
            Err(PipelineError::Store(StoreError::Refused(why))) if only.is_empty() => {
                tracing::info!("{why}");
                tally.left += 1;
            }
            Err(PipelineError::Imported { .. }) => tally.imported += 1,
            Err(PipelineError::Extractor(e)) => tally.failed.push(format!("chronicle: {}: {e}; left as it was", d.source)),
            Err(e) => return Err(e.into()),
        }
        bar.inc(1);
    }
    bar.finish_and_clear();
    Ok(tally)
}

/// The stored documents to extract again: those named (each must be on record), or all.
fn chosen_documents(store: &dyn Store, only: &[String]) -> Result<Vec<chronicle_model::Document>> {
    let docs = store.documents()?;
    for id in only {
        if !docs.iter().any(|d| &d.document.id == id) {
            anyhow::bail!("no document {id} on record");
        }
    }
    Ok(docs.into_iter().map(|d| d.document).filter(|d| only.is_empty() || only.contains(&d.id)).collect())
}

/// What `reextract` did, counted.
#[derive(Default)]
pub struct Reextraction {
    done: usize,
    events: usize,
    linked: usize,
    left: usize,
    /// Spreadsheets' rows, left as they are (no extractor made their records).
    imported: usize,
    not_extracted: Vec<NotExtracted>,
    /// A line for each document whose extractor failed.
    pub failed: Vec<String>,
}

impl Reextraction {
    fn add(&mut self, r: pipeline::Reextracted) {
        self.done += 1;
        if let Added::New { events, persons_linked, .. } = r.added {
            self.events += events;
            self.linked += persons_linked;
        }
        self.not_extracted.extend(r.not_extracted);
    }

    /// The summary line, then one line for each document no extractor reads
    /// and for each whose extractor failed.
    pub fn lines(&self) -> Vec<String> {
        let mut line = format!("{} document(s) extracted again: {} events, {} persons linked to persons on record", self.done, self.events, self.linked);
        if !self.not_extracted.is_empty() {
            line.push_str(&format!("; {} of them not extracted (no extractor reads their language)", self.not_extracted.len()));
        }
        if self.left > 0 {
            line.push_str(&format!("; {} left alone: they name restricted records this account may not see", self.left));
        }
        if self.imported > 0 {
            line.push_str(&format!("; {} imported spreadsheet row(s) left as they are (their records come from the sheet)", self.imported));
        }
        if !self.failed.is_empty() {
            line.push_str(&format!("; {} failed", self.failed.len()));
        }
        let each = self.not_extracted.iter().map(|n| format!("chronicle: {}: {n}", n.source));
        std::iter::once(line).chain(each).chain(self.failed.iter().cloned()).collect()
    }
}
