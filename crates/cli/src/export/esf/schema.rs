//! The shapes of `chronicle-esf/1` (`docs/esf.md`): plain serde structs with
//! no dependency but serde, so that readers (the round-trip test among them)
//! can take this file as it is.

use serde::{Deserialize, Serialize};

/// The format's name and version, the document's `format`.
pub const FORMAT: &str = "chronicle-esf/1";

/// The whole record: one JSON document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Esf {
    pub format: String,
    pub events: Vec<Event>,
    pub acts: Vec<Act>,
    pub involvements: Vec<Involvement>,
    pub persons: Vec<Person>,
    pub sources: Vec<Source>,
}

/// What happened, when and where, and the passages that tell it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Event {
    pub id: String,
    pub title: String,
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to_country: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidence: Option<f64>,
    pub review: String,
    pub sources: Vec<Passage>,
}

/// Where in which source an event is told, and the words.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Passage {
    pub source: String,
    pub start: usize,
    pub end: usize,
    pub quote: String,
}

/// What was done to one victim in one event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Act {
    pub id: String,
    pub event: String,
    pub victim: String,
    pub act_type: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub term_years: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub regime: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub charges: Vec<String>,
}

/// A party to an event other than its victims: a perpetrator, or a person
/// named in its passages (relative, lawyer, other).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Involvement {
    pub id: String,
    pub event: String,
    pub person: String,
    pub role: String,
}

/// A person, or a group (an organisation), as ESF counts them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Person {
    pub id: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub other_names: Vec<String>,
    pub counting_unit: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub age: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birth_year: Option<i32>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub nationality: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub occupation: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub relations: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
}

/// A report the record was made from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    pub source: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publisher: Option<String>,
    pub sha256: String,
}

/// The document as written: indented JSON and a final newline.
pub fn to_json(esf: &Esf) -> serde_json::Result<String> {
    serde_json::to_string_pretty(esf).map(|s| s + "\n")
}
