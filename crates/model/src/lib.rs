//! The domain model of Chronicle.
//!
//! Everything here is plain data with validation: no I/O, no database, no wire
//! format. Other crates turn text into these values ([`Extraction`]), keep them
//! (the store) and present them (the CLI and server).

mod date;
mod entity;
mod event;
mod extraction;

pub use date::{month_from_name, PartialDate, PartialDateError};
pub use entity::{Country, CountryError, OrgCategory, PersonStatus, UnknownName};
pub use event::{EventType, Review};
pub use extraction::{
    EntityRef, ExtractedEvent, ExtractedOrg, ExtractedPerson, Extraction, Mention, Place, Source, Span,
};

/// A report as Chronicle keeps it: the original bytes are stored beside it by
/// the store; this is the cleaned, readable form and what is known about it.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// Content-derived identifier (a prefix of the SHA-256 of the original bytes).
    pub id: String,
    /// Where it was ingested from: a path or URL.
    pub source: String,
    /// SHA-256 of the original bytes, lowercase hex.
    pub sha256: String,
    pub title: Option<String>,
    pub published: Option<PartialDate>,
    /// ISO 639-1 code.
    pub language: Option<String>,
    pub publisher: Option<String>,
    /// The cleaned text; every offset in Chronicle points into it (in chars).
    pub text: String,
}

impl Document {
    /// The document id for a SHA-256 hex digest.
    pub fn id_for_sha256(sha256: &str) -> String {
        format!("doc-{}", &sha256[..16.min(sha256.len())])
    }
}
