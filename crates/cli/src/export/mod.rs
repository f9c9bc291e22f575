//! The export contract (`../shared/eval/SCHEMA.md`), and the formats others
//! load: CSV for spreadsheets (`spreadsheet`), FollowTheMoney entities (`ftm`)
//! and HURIDOCS-style events (`esf`). The wire shapes live here, as
//! serialisable twins of the store's records.

pub mod esf;
pub mod ftm;
mod roles;
mod spreadsheet;

pub use spreadsheet::csv;

use anyhow::{Context, Result};
use chronicle_store::{DocumentRecord, EventRecord, MentionRecord, OrgRecord, PersonRecord, SourceRecord, Store};
use serde::Serialize;
use std::io::Write;
use std::path::Path;

#[derive(Serialize)]
struct DocumentOut<'a> {
    record: &'static str,
    id: &'a str,
    source: &'a str,
    sha256: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    published: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    language: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    publisher: Option<&'a str>,
}

#[derive(Serialize)]
struct MentionOut<'a> {
    document: &'a str,
    text: &'a str,
    start: usize,
    end: usize,
}

fn mentions(ms: &[MentionRecord]) -> Vec<MentionOut<'_>> {
    ms.iter().map(|m| MentionOut { document: &m.document, text: &m.text, start: m.start, end: m.end }).collect()
}

#[derive(Serialize)]
struct PersonOut<'a> {
    record: &'static str,
    id: &'a str,
    name: &'a str,
    names: &'a [String],
    mentions: Vec<MentionOut<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    age: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    birth_year: Option<i32>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    nationality: &'a [String],
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    occupation: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<&'static str>,
}

#[derive(Serialize)]
struct OrgOut<'a> {
    record: &'static str,
    id: &'a str,
    name: &'a str,
    names: &'a [String],
    mentions: Vec<MentionOut<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    category: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    country: Option<&'a str>,
}

#[derive(Serialize)]
struct SourceOut<'a> {
    document: &'a str,
    start: usize,
    end: usize,
    quote: &'a str,
}

fn sources(ss: &[SourceRecord]) -> Vec<SourceOut<'_>> {
    ss.iter().map(|s| SourceOut { document: &s.document, start: s.start, end: s.end, quote: &s.quote }).collect()
}

#[derive(Serialize)]
struct EventOut<'a> {
    record: &'static str,
    id: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    place: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    country: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    to_country: Option<&'a str>,
    victims: &'a [String],
    perpetrators: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    term_years: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    regime: Option<&'a str>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    charges: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    confidence: Option<f64>,
    review: &'static str,
    sources: Vec<SourceOut<'a>>,
}

fn line(w: &mut dyn Write, value: &impl Serialize) -> Result<()> {
    serde_json::to_writer(&mut *w, value)?;
    w.write_all(b"\n")?;
    Ok(())
}

/// Everything an export holds, as the store's reader sees it.
pub struct Record {
    pub documents: Vec<DocumentRecord>,
    pub persons: Vec<PersonRecord>,
    pub organizations: Vec<OrgRecord>,
    pub events: Vec<EventRecord>,
}

impl Record {
    pub fn read(store: &dyn Store) -> Result<Record> {
        Ok(Record { documents: store.documents()?, persons: store.persons()?, organizations: store.organizations()?, events: store.events()? })
    }
}

/// Writes the whole record as JSON Lines: documents, persons, organisations, events.
pub fn jsonl(record: &Record, w: &mut dyn Write) -> Result<()> {
    for d in record.documents.iter().map(|r| &r.document) {
        line(w, &DocumentOut {
            record: "document",
            id: &d.id,
            source: &d.source,
            sha256: &d.sha256,
            title: d.title.as_deref(),
            published: d.published.map(|p| p.to_string()),
            language: d.language.as_deref(),
            publisher: d.publisher.as_deref(),
        })?;
    }
    for p in &record.persons {
        line(w, &PersonOut {
            record: "person",
            id: &p.id,
            name: &p.name,
            names: &p.names,
            mentions: mentions(&p.mentions),
            age: p.age,
            birth_year: p.birth_year,
            nationality: &p.nationality,
            occupation: &p.occupation,
            status: p.status.map(|s| s.as_str()),
        })?;
    }
    for o in &record.organizations {
        line(w, &OrgOut {
            record: "organization",
            id: &o.id,
            name: &o.name,
            names: &o.names,
            mentions: mentions(&o.mentions),
            category: o.category.map(|c| c.as_str()),
            country: o.country.as_deref(),
        })?;
    }
    for e in &record.events {
        line(w, &EventOut {
            record: "event",
            id: &e.id,
            kind: e.kind.as_str(),
            date: e.date.map(|d| d.to_string()),
            place: e.place.as_deref(),
            country: e.country.as_deref(),
            to_country: e.to_country.as_deref(),
            victims: &e.victims,
            perpetrators: &e.perpetrators,
            term_years: e.term_years,
            regime: e.regime.as_deref(),
            charges: &e.charges,
            confidence: e.confidence.map(|c| (c * 100.0).round() / 100.0),
            review: e.review.as_str(),
            sources: sources(&e.sources),
        })?;
    }
    Ok(())
}

/// An export file (created, or emptied) that only its owner can read: 0600
/// whatever the umask, set before anything is written.
pub fn private_file(path: &Path) -> Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let file = options.open(path).with_context(|| format!("creating {}", path.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(std::fs::Permissions::from_mode(0o600)).with_context(|| format!("making {} private", path.display()))?;
    }
    Ok(file)
}
