//! One report's way in, the same for every caller (`chronicle ingest`, the
//! upload page, `chronicle reextract`, later the source watcher):
//! bytes → [`Document`] → the extractor its language chooses ([`choice`]) →
//! [`Extraction`] → the store, which links its persons, in one transaction.
//!
//! [`prepare`] reads and extracts without the store (the part that may run on
//! many threads at once); [`store_prepared`] stores; [`ingest_bytes`] does
//! both, unless the bytes are on record already; [`ingest_in_order`] does it
//! for many reports on several threads, and [`work_queue`] for a server
//! store's queue, both making the record one worker makes. A document no extractor
//! reads, or whose extractor fails on it, is stored all the same, and
//! [`Stored::not_extracted`] says so, once: when it is first stored.
//!
//! [`Extraction`]: chronicle_model::Extraction

pub mod choice;
pub mod import;
mod many;
pub mod sources;

pub use choice::{extract, extract_as, extractor_for, Confidence, BadLanguage, Extracted, ExtractorFailed, Language, NotExtracted, NOT_EXTRACTED};
pub use many::{ingest_in_order, work_queue, ReadReport};
pub use sources::{SourceFacts, Sources, SourcesError, SOURCES_FILE};
/// What callers need of `ingest` besides the way in: which files are reports, their limits, their hash.
pub use chronicle_ingest::{sha256_hex, Format, Limits};

use chronicle_ingest::{read_document, IngestError};
use chronicle_model::{Document, Extraction};
use chronicle_store::{Added, Store, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    #[error("not a report format (expected .txt, .md, .html, .htm, .pdf, .docx, .odt, .eml, .png, .jpg or .tif)")]
    NotAReport,
    #[error(transparent)]
    Ingest(#[from] IngestError),
    #[error(transparent)]
    Extractor(#[from] ExtractorFailed),
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A spreadsheet's row ([`import`]): its records are the sheet's, not an extractor's.
    #[error("{document} was imported from a spreadsheet ({by}): its records come from the sheet's columns, not from an extractor; left as it was")]
    Imported { document: String, by: String },
}

/// How reports are read.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub limits: Limits,
    /// The language of every report read, instead of the detected one.
    pub language: Option<Language>,
    /// What the folders' lists of reports (`sources.tsv`) say of each.
    pub sources: std::sync::Arc<Sources>,
    /// Calibrated event confidences (the default), or the rules' own.
    pub confidence: Confidence,
    /// What the person ingesting says of every report of the run (its
    /// publication date, its publisher), over the folder's list and the text.
    pub given: SourceFacts,
    /// Where the report came from (a URL, a citation), kept as its source
    /// instead of the name it was read under; for a run of one report.
    pub source_url: Option<String>,
    /// Tags for every report of the run (and its attachments), on record or new.
    pub tags: Vec<String>,
}

/// A report read and extracted, ready to be stored.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub name: String,
    pub bytes: Vec<u8>,
    pub document: Document,
    pub extraction: Extraction,
    /// What the store records as its extractor ([`NOT_EXTRACTED`] when none read it).
    pub extractor: &'static str,
    /// Some when the extractor for its language failed on it.
    pub failed: Option<ExtractorFailed>,
    /// The reports that came inside it (an e-mail's attachments), each stored after it and linked to it.
    pub attachments: Vec<Prepared>,
    /// Tags it is given when stored (and its attachments with it).
    pub tags: Vec<String>,
}

impl Prepared {
    /// Some when no extractor read the report.
    pub fn not_extracted(&self) -> Option<NotExtracted> {
        let failed = self.failed.clone();
        (self.extractor == NOT_EXTRACTED).then(|| NotExtracted { failed, ..NotExtracted::of(&self.document) })
    }
}

/// What storing a report did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    pub added: Added,
    /// The document's id (the one on record when the bytes were there already).
    pub id: String,
    /// Some when the report was stored now, without extraction.
    pub not_extracted: Option<NotExtracted>,
    /// What became of the reports that came inside it.
    pub attachments: Vec<Stored>,
}

/// Reads and extracts the report `name` (whose extension gives the format)
/// without touching the store. A report whose extractor fails is prepared
/// all the same, without extraction (stored, it is searchable, and
/// `reextract` gives it to the extractor again), and says why.
pub fn prepare(name: &str, bytes: Vec<u8>, options: &Options) -> Result<Prepared, PipelineError> {
    prepare_within(name, bytes, options, 0)
}

/// How deep attachments are read: a message's, and those of a message attached to it.
const MAX_ATTACHMENT_DEPTH: usize = 2;

fn prepare_within(name: &str, bytes: Vec<u8>, options: &Options, depth: usize) -> Result<Prepared, PipelineError> {
    let format = Format::from_path(name).ok_or(PipelineError::NotAReport)?;
    let ingested = read_document(name, &bytes, format, &options.limits)?;
    for w in &ingested.warnings {
        tracing::info!("{name}: {w}");
    }
    for n in &ingested.notices {
        tracing::warn!("{name}: {n}");
    }
    let attachments = prepare_attachments(name, ingested.attachments, options, depth);
    let mut document = ingested.document;
    if let Some(facts) = options.sources.facts(std::path::Path::new(name)) {
        apply(&mut document, facts);
    }
    apply(&mut document, &options.given);
    if let Some(url) = options.source_url.as_deref().filter(|_| depth == 0) {
        document.source = chronicle_ingest::strip_controls(url, chronicle_ingest::Keep::Nothing).into_owned();
    }
    if let Some(language) = &options.language {
        document.language = Some(language.code().to_string());
    }
    let extracted = extract_as(&document, options.confidence);
    Ok(Prepared { attachments, tags: options.tags.clone(), ..Prepared::new(name, bytes, document, extracted) })
}

/// A message's attachments, each read as a report named `MESSAGE#FILE`; one
/// that cannot be read is named in a warning and left out, the message kept.
fn prepare_attachments(name: &str, attachments: Vec<chronicle_ingest::Attachment>, options: &Options, depth: usize) -> Vec<Prepared> {
    let mut out = Vec::new();
    for a in attachments {
        let inner = format!("{name}#{}", a.name);
        if depth + 1 >= MAX_ATTACHMENT_DEPTH {
            tracing::warn!("{inner}: not read: attachments are read {MAX_ATTACHMENT_DEPTH} messages deep at most");
            continue;
        }
        match prepare_within(&inner, a.bytes, options, depth + 1) {
            Ok(p) => out.push(p),
            Err(e) => tracing::warn!("{inner}: attachment not read: {e}"),
        }
    }
    out
}

/// A list's facts over what the text seemed to say.
fn apply(document: &mut Document, facts: &SourceFacts) {
    document.published = facts.published.or(document.published);
    if let Some(l) = &facts.language {
        document.language = Some(l.code().to_string());
    }
    if let Some(p) = &facts.publisher {
        document.publisher = Some(p.clone());
    }
}

impl Prepared {
    fn new(name: &str, bytes: Vec<u8>, document: Document, extracted: Result<Extracted, ExtractorFailed>) -> Self {
        let (Extracted { extraction, extractor }, failed) = match extracted {
            Ok(extracted) => (extracted, None),
            Err(failed) => (Extracted::nothing(), Some(failed)),
        };
        Prepared { name: name.to_string(), bytes, document, extraction, extractor, failed, attachments: Vec::new(), tags: Vec::new() }
    }
}

/// Stores a prepared report (linking its persons), in one transaction, then
/// each of its attachments in one of its own, linked to it.
pub fn store_prepared(store: &mut dyn Store, p: &Prepared) -> Result<Stored, PipelineError> {
    let added = store.add_document(&p.document, &p.bytes, &p.extraction, p.extractor)?;
    let not_extracted = if matches!(added, Added::New { .. }) { p.not_extracted() } else { None };
    if !p.tags.is_empty() {
        store.tag_document(&p.document.id, &p.tags)?;
    }
    let attachments = store_attachments(store, &p.document.id, &p.attachments)?;
    Ok(Stored { added, id: p.document.id.clone(), not_extracted, attachments })
}

/// A message's attachments, stored after it, each linked to it.
fn store_attachments(store: &mut dyn Store, message: &str, attachments: &[Prepared]) -> Result<Vec<Stored>, PipelineError> {
    let mut stored = Vec::new();
    for a in attachments {
        let mut a = a.clone();
        a.document.attached_to = Some(message.to_string());
        stored.push(store_prepared(store, &a)?);
    }
    Ok(stored)
}

/// What follows a report stored by a server store's queue: its tags and its attachments.
pub(crate) fn after_storing(store: &mut dyn Store, id: &str, attachments: Vec<Prepared>, options: &Options) -> Result<Vec<Stored>, PipelineError> {
    if !options.tags.is_empty() {
        store.tag_document(id, &options.tags)?;
    }
    store_attachments(store, id, &attachments)
}

/// Reads, extracts and stores the report `name` (a path or a file name, whose
/// extension gives the format), unless its bytes are on record already.
pub fn ingest_bytes(store: &mut dyn Store, name: &str, bytes: &[u8], options: &Options) -> Result<Stored, PipelineError> {
    Format::from_path(name).ok_or(PipelineError::NotAReport)?;
    let sha = sha256_hex(bytes);
    if store.contains(&sha)? {
        let (added, id) = (Added::AlreadyPresent { source: name.to_string() }, Document::id_for_sha256(&sha));
        if !options.tags.is_empty() {
            store.tag_document(&id, &options.tags)?;
        }
        return Ok(Stored { added, id, not_extracted: None, attachments: Vec::new() });
    }
    store_prepared(store, &prepare(name, bytes.to_vec(), options)?)
}

/// What extracting a stored document again did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reextracted {
    pub added: Added,
    /// Some when no extractor reads its language: its records are gone, as a
    /// fresh ingest would have none.
    pub not_extracted: Option<NotExtracted>,
}

/// Extracts a stored document again with the extractor its stored language
/// chooses, and replaces its records (following analysts' decisions), so that
/// the record is what ingesting it today would make. A failing extractor
/// leaves the document as it was, and so is a spreadsheet's row
/// ([`PipelineError::Imported`]): no extractor made its records.
pub fn reextract(store: &mut dyn Store, doc: &Document) -> Result<Reextracted, PipelineError> {
    if let Some(by) = store.extractor(&doc.id)?.filter(|e| e.starts_with(import::IMPORTED_PREFIX)) {
        return Err(PipelineError::Imported { document: doc.id.clone(), by });
    }
    let Extracted { extraction, extractor } = extract(doc)?;
    let added = store.replace_extraction(&doc.id, &extraction, extractor)?;
    let not_extracted = (extractor == NOT_EXTRACTED).then(|| NotExtracted::of(doc));
    Ok(Reextracted { added, not_extracted })
}

#[cfg(test)]
mod tests;
