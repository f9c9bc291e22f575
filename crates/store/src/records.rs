//! The record as read back: what exports, dossiers and pages are made from.

use chronicle_model::{Document, EventType, OrgCategory, PartialDate, PersonStatus, Review};

/// A document on record: the document and when it was ingested.
#[derive(Debug, Clone, PartialEq)]
pub struct DocumentRecord {
    pub document: Document,
    pub ingested_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MentionRecord {
    pub document: String,
    pub text: String,
    pub start: usize,
    pub end: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PersonRecord {
    pub id: String,
    pub name: String,
    pub names: Vec<String>,
    pub mentions: Vec<MentionRecord>,
    pub age: Option<u32>,
    pub birth_year: Option<i32>,
    pub nationality: Vec<String>,
    pub occupation: Vec<String>,
    pub status: Option<PersonStatus>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct OrgRecord {
    pub id: String,
    pub name: String,
    pub names: Vec<String>,
    pub mentions: Vec<MentionRecord>,
    pub category: Option<OrgCategory>,
    pub country: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SourceRecord {
    pub document: String,
    pub start: usize,
    pub end: usize,
    pub quote: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EventRecord {
    pub id: String,
    pub kind: EventType,
    pub date: Option<PartialDate>,
    pub place: Option<String>,
    pub country: Option<String>,
    pub to_country: Option<String>,
    pub victims: Vec<String>,
    pub perpetrators: Vec<String>,
    pub term_years: Option<f64>,
    pub regime: Option<String>,
    pub charges: Vec<String>,
    pub confidence: Option<f64>,
    pub review: Review,
    pub sources: Vec<SourceRecord>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SearchHit {
    pub document: String,
    pub source: String,
    pub title: Option<String>,
    /// A passage with the matched words between `[` and `]`.
    pub snippet: String,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Stats {
    pub documents: usize,
    pub persons: usize,
    pub organizations: usize,
    pub events: usize,
    pub by_type: Vec<(String, usize)>,
    pub by_year: Vec<(String, usize)>,
    pub by_country: Vec<(String, usize)>,
}
