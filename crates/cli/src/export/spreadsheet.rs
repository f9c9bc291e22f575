//! CSV for spreadsheets: `events.csv`, `persons.csv` and `involvements.csv`,
//! every cell neutralised against formulas.

use super::roles::{involvements, names};
use super::{private_file, Record};
use anyhow::{Context, Result};
use chronicle_model::Document;
use chronicle_store::EventRecord;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// A cell a spreadsheet will not take for a formula: one that begins with
/// `=`, `+`, `-`, `@`, a tab or a carriage return (`=HYPERLINK(…)` from a
/// report's sentence or an analyst's correction) gets a leading `'`, so that
/// it shows as the text it is.
pub fn cell(value: String) -> String {
    if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value
    }
}

type Writer = csv::Writer<std::fs::File>;

/// Writes one CSV row, every cell neutralised ([`cell`]).
fn row(w: &mut Writer, cells: Vec<String>) -> Result<()> {
    w.write_record(cells.into_iter().map(cell))?;
    Ok(())
}

/// A new CSV file at `path` with its header row written.
fn table(path: &Path, header: &[&str]) -> Result<Writer> {
    let mut w = csv::Writer::from_writer(private_file(path)?);
    w.write_record(header)?;
    Ok(w)
}

/// Writes `events.csv`, `persons.csv` and `involvements.csv` into `dir`.
pub fn csv(record: &Record, dir: &Path) -> Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let paths = [dir.join("events.csv"), dir.join("persons.csv"), dir.join("involvements.csv")];
    events(record, &paths[0])?;
    persons(record, &paths[1])?;
    roles(record, &paths[2])?;
    Ok(paths.to_vec())
}

const EVENT_COLUMNS: &[&str] = &[
    "id", "type", "date", "victim_ids", "victims", "perpetrator_ids", "perpetrators", "place", "country", "to_country", "term_years", "regime",
    "charges", "confidence", "review", "document", "document_title", "document_source", "document_published", "quote",
];

fn text(value: &Option<String>) -> String {
    value.clone().unwrap_or_default()
}

fn events(record: &Record, path: &Path) -> Result<()> {
    let name = names(record);
    let named = |ids: &[String]| ids.iter().map(|id| name.get(id.as_str()).copied().unwrap_or(id)).collect::<Vec<_>>().join("; ");
    let documents: HashMap<&str, &Document> = record.documents.iter().map(|d| (d.document.id.as_str(), &d.document)).collect();
    let mut w = table(path, EVENT_COLUMNS)?;
    for e in &record.events {
        let mut cells = vec![e.id.clone(), e.kind.to_string(), e.date.map(|d| d.to_string()).unwrap_or_default()];
        cells.extend([e.victims.join("; "), named(&e.victims), e.perpetrators.join("; "), named(&e.perpetrators)]);
        cells.extend([text(&e.place), text(&e.country), text(&e.to_country), e.term_years.map(|t| t.to_string()).unwrap_or_default(), text(&e.regime)]);
        cells.extend([e.charges.join("; "), e.confidence.map(|c| format!("{c:.2}")).unwrap_or_default(), e.review.to_string()]);
        cells.extend(first_source(e, &documents));
        row(&mut w, cells)?;
    }
    w.flush()?;
    Ok(())
}

/// The event's first source: the report's id, title, where it was read from
/// and when it was published, and the quote.
fn first_source(e: &EventRecord, documents: &HashMap<&str, &Document>) -> [String; 5] {
    let Some(s) = e.sources.first() else { return Default::default() };
    let doc = documents.get(s.document.as_str());
    [
        s.document.clone(),
        doc.and_then(|d| d.title.clone()).unwrap_or_default(),
        doc.map(|d| d.source.clone()).unwrap_or_default(),
        doc.and_then(|d| d.published).map(|p| p.to_string()).unwrap_or_default(),
        s.quote.clone(),
    ]
}

fn persons(record: &Record, path: &Path) -> Result<()> {
    let mut w = table(path, &["id", "name", "spellings", "age", "birth_year", "nationality", "occupation", "status", "documents"])?;
    for p in &record.persons {
        let mut docs: Vec<&str> = p.mentions.iter().map(|m| m.document.as_str()).collect();
        docs.dedup();
        row(&mut w, vec![
            p.id.clone(),
            p.name.clone(),
            p.names.join("; "),
            p.age.map(|a| a.to_string()).unwrap_or_default(),
            p.birth_year.map(|a| a.to_string()).unwrap_or_default(),
            p.nationality.join("; "),
            p.occupation.join("; "),
            p.status.map(|s| s.to_string()).unwrap_or_default(),
            docs.join("; "),
        ])?;
    }
    w.flush()?;
    Ok(())
}

/// One row per party to an event: victims and perpetrators (persons or
/// organisations), and the persons named in its passages.
fn roles(record: &Record, path: &Path) -> Result<()> {
    let name = names(record);
    let mut w = table(path, &["event_id", "person_id", "person", "role"])?;
    for i in involvements(record) {
        let named = name.get(i.party).copied().unwrap_or(i.party);
        row(&mut w, vec![i.event.to_string(), i.party.to_string(), named.to_string(), i.role.as_str().to_string()])?;
    }
    w.flush()?;
    Ok(())
}
