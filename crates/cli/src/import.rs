//! `chronicle import`: a case spreadsheet into the record through a mapping
//! file; what would be created is printed first (and alone with `--dry-run`).

use anyhow::{Context, Result};
use chronicle_pipeline::import::{self, Applied, ImportLimits, Mapping, Outcome, Plan, Review};
use std::io::{Read, Write};
use std::path::Path;

/// The longest mapping file read.
const MAX_MAPPING_BYTES: u64 = 1 << 20;

/// A regular file's bytes, refused past `limit` (read to one byte past it, so a growing file is refused too).
fn read_limited(path: &Path, limit: u64, what: &str) -> Result<Vec<u8>> {
    let file = std::fs::File::open(path).with_context(|| format!("opening {what} {}", path.display()))?;
    let meta = file.metadata().with_context(|| format!("reading {what} {}", path.display()))?;
    if !meta.is_file() {
        anyhow::bail!("{what} {} is not a regular file", path.display());
    }
    let mut bytes = Vec::new();
    file.take(limit + 1).read_to_end(&mut bytes).with_context(|| format!("reading {what} {}", path.display()))?;
    if bytes.len() as u64 > limit {
        anyhow::bail!("{what} {} is over the limit of {limit} bytes", path.display());
    }
    Ok(bytes)
}

/// Reads the mapping and the spreadsheet and plans the import (no store touched).
pub fn plan(file: &Path, map: &Path, limits: &ImportLimits) -> Result<Plan> {
    let text = read_limited(map, MAX_MAPPING_BYTES, "mapping file")?;
    let text = String::from_utf8(text).with_context(|| format!("mapping file {} is not UTF-8", map.display()))?;
    let mapping = Mapping::parse(&map.display().to_string(), &text)?;
    let bytes = read_limited(file, limits.max_bytes, "spreadsheet")?;
    Ok(import::plan(&file.display().to_string(), &bytes, &mapping, limits)?)
}

/// What the import would create, one figure a line, then what is ambiguous.
pub fn print_review(plan: &Plan, r: &Review, out: &mut impl Write) -> Result<()> {
    let sheet = plan.sheet.as_ref().map_or(String::new(), |s| format!(", sheet {s:?}"));
    writeln!(out, "import of {}{sheet}:", plan.file)?;
    writeln!(out, "rows read: {}", r.rows_read)?;
    writeln!(out, "rows empty (skipped): {}", r.rows_empty)?;
    writeln!(out, "rows duplicate (the same as an earlier row): {}", r.rows_duplicate)?;
    writeln!(out, "rows refused: {}", r.rows_refused)?;
    writeln!(out, "documents: {}", r.documents)?;
    writeln!(out, "new documents: {}", r.new_documents)?;
    writeln!(out, "already on record: {}", r.already_on_record)?;
    writeln!(out, "persons named: {}", r.persons_named)?;
    writeln!(out, "  of them on record (one person): {}", r.persons_on_record)?;
    writeln!(out, "  of them on record as several persons: {}", r.persons_ambiguous.len())?;
    writeln!(out, "organisations named: {}", r.organisations_named)?;
    writeln!(out, "events: {}", r.events)?;
    writeln!(out, "  of them without a date: {}", r.events_undated)?;
    let ambiguous = r.problems.len() + r.persons_ambiguous.len();
    if ambiguous > 0 {
        writeln!(out, "ambiguous ({ambiguous}):")?;
        for (row, p) in &r.problems {
            writeln!(out, "  row {row}: {p}")?;
        }
        for (name, ids) in &r.persons_ambiguous {
            writeln!(out, "  name {name:?} matches several persons on record: {} (the linker decides which, or none)", ids.join(", "))?;
        }
    }
    let duplicates: Vec<_> = plan.rows.iter().filter_map(|row| match row.outcome {
        Outcome::Duplicate { of } => Some((row.row, of)),
        _ => None,
    }).collect();
    if !duplicates.is_empty() {
        writeln!(out, "duplicates ({}):", duplicates.len())?;
        for (row, of) in duplicates {
            writeln!(out, "  row {row}: the same as row {of}")?;
        }
    }
    Ok(())
}

/// Stores the plan, with a progress bar on a terminal (a row a step).
pub fn apply(store: &mut dyn chronicle_store::Store, plan: &Plan) -> Result<Applied> {
    use std::io::IsTerminal;
    let bar = if std::io::stderr().is_terminal() {
        let bar = indicatif::ProgressBar::new(plan.documents().count() as u64);
        bar.set_style(indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} rows {wide_msg}").unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()));
        bar
    } else {
        indicatif::ProgressBar::hidden()
    };
    let applied = import::apply_each(store, plan, |_| bar.inc(1));
    bar.finish_and_clear();
    Ok(applied?)
}

/// The summary of a real run, like ingest's.
pub fn summary(plan: &Plan, r: &Review, a: &Applied) -> String {
    format!(
        "imported {} new document(s) from {}, {} already present, {} rows refused, {} duplicate rows, {} empty rows skipped; persons: {} linked to the record, {} new; {} events",
        a.new_documents, plan.file, a.already_present, r.rows_refused, r.rows_duplicate, r.rows_empty, a.persons_linked, a.persons_created, a.events
    )
}
