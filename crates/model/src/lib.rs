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
    /// How the text was obtained from the original.
    pub reading: Reading,
    /// The document this one came inside (an e-mail's attachment names its message).
    pub attached_to: Option<String>,
}

/// How a document's text was obtained from its original bytes.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub enum Reading {
    /// The text the file carries: plain text, HTML, a PDF's text layer, a word processor's file, an e-mail.
    #[default]
    Native,
    /// Recognised from page images by OCR; `confidence` is the recogniser's mean word confidence, 0 to 1.
    Ocr { confidence: f32 },
    /// No text could be read (a PDF of images with no OCR at hand): kept for its bytes, with nothing to extract.
    Unreadable,
}

impl Reading {
    /// The word the store and the exports use.
    pub fn as_str(&self) -> &'static str {
        match self {
            Reading::Native => "native",
            Reading::Ocr { .. } => "ocr",
            Reading::Unreadable => "unreadable",
        }
    }

    /// The reading a stored word and confidence stand for; unknown words read as native.
    pub fn from_stored(word: &str, confidence: Option<f64>) -> Reading {
        match word {
            "ocr" => Reading::Ocr { confidence: confidence.unwrap_or(0.0) as f32 },
            "unreadable" => Reading::Unreadable,
            _ => Reading::Native,
        }
    }

    /// The OCR confidence, where the text came from OCR.
    pub fn confidence(&self) -> Option<f32> {
        match self {
            Reading::Ocr { confidence } => Some(*confidence),
            _ => None,
        }
    }
}

impl Document {
    /// The document id for a SHA-256 hex digest.
    pub fn id_for_sha256(sha256: &str) -> String {
        format!("doc-{}", &sha256[..16.min(sha256.len())])
    }
}
