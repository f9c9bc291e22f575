//! The gold annotations and the export records, as the scorer reads them.

use crate::Error;
use serde::Deserialize;
use std::path::Path;

/// One gold file: what a document states.
#[derive(Debug, Clone, Deserialize)]
pub struct Gold {
    pub document: String,
    #[serde(default)]
    pub persons: Vec<GoldEntity>,
    #[serde(default)]
    pub organizations: Vec<GoldEntity>,
    #[serde(default)]
    pub events: Vec<GoldEvent>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct GoldEntity {
    pub key: String,
    pub name: String,
    #[serde(default)]
    pub variants: Vec<String>,
    #[serde(default)]
    pub optional: bool,
}

#[derive(Debug, Clone, Deserialize)]
pub struct GoldEvent {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub victims: Vec<String>,
    pub date: Option<String>,
    pub place: Option<String>,
    pub country: Option<String>,
    pub to_country: Option<String>,
    pub term_years: Option<f64>,
    pub evidence: Option<String>,
    #[serde(default)]
    pub optional: bool,
}

/// The gold files of a directory (`*.json`), in file-name order, each with its file name.
pub fn read_gold_dir(dir: &Path) -> Result<Vec<(String, Gold)>, Error> {
    let io = |source| Error::Io { path: dir.display().to_string(), source };
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map_err(io)?
        .filter_map(|e| e.ok().and_then(|e| e.file_name().into_string().ok()))
        .filter(|n| n.ends_with(".json"))
        .collect();
    names.sort();
    if names.is_empty() {
        return Err(Error::NoGold(dir.display().to_string()));
    }
    names.into_iter().map(|n| read_gold(&dir.join(&n)).map(|g| (n, g))).collect()
}

fn read_gold(path: &Path) -> Result<Gold, Error> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| Error::Io { path: name.clone(), source })?;
    serde_json::from_str(&text).map_err(|source| Error::Gold { path: name, source })
}

#[derive(Debug, Clone, Deserialize)]
pub struct ExportDocument {
    pub id: String,
    #[serde(default)]
    pub source: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Mention {
    pub document: String,
    #[serde(default)]
    pub text: String,
}

/// An exported person or organisation.
#[derive(Debug, Clone, Deserialize)]
pub struct ExportEntity {
    pub id: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub mentions: Vec<Mention>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Source {
    pub document: String,
    #[serde(default)]
    pub quote: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ExportEvent {
    #[serde(rename = "type")]
    pub kind: String,
    pub date: Option<String>,
    pub place: Option<String>,
    pub country: Option<String>,
    pub to_country: Option<String>,
    pub term_years: Option<f64>,
    /// The extractor's confidence, 0..1.
    pub confidence: Option<f64>,
    #[serde(default)]
    pub victims: Vec<String>,
    #[serde(default)]
    pub sources: Vec<Source>,
}

/// The records of a JSON Lines export that scoring reads.
#[derive(Debug, Default)]
pub struct Export {
    pub documents: Vec<ExportDocument>,
    pub persons: Vec<ExportEntity>,
    pub organizations: Vec<ExportEntity>,
    pub events: Vec<ExportEvent>,
}

impl Export {
    /// Reads the export's lines; records of other kinds are skipped.
    pub fn from_jsonl(text: &str) -> Result<Export, Error> {
        let mut export = Export::default();
        for (n, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
            let err = |source| Error::Export { line: n + 1, source };
            let value: serde_json::Value = serde_json::from_str(line).map_err(err)?;
            let kind = value.get("record").and_then(|k| k.as_str()).unwrap_or("").to_string();
            match kind.as_str() {
                "document" => export.documents.push(serde_json::from_value(value).map_err(err)?),
                "person" => export.persons.push(serde_json::from_value(value).map_err(err)?),
                "organization" => export.organizations.push(serde_json::from_value(value).map_err(err)?),
                "event" => export.events.push(serde_json::from_value(value).map_err(err)?),
                _ => {}
            }
        }
        Ok(export)
    }
}
