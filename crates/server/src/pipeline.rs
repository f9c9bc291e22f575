//! One report's way in, shared by `chronicle ingest` and the upload page:
//! bytes → document → extraction → store (with linking), in one transaction.

use chronicle_extract::{Extractor, RuleExtractor};
use chronicle_ingest::{read_document, sha256_hex, Format, IngestError, Limits};
use chronicle_model::{Document, Extraction};
use chronicle_store::{Added, Store, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    #[error("not a report format (expected .txt, .md, .html, .htm or .pdf)")]
    NotAReport,
    #[error(transparent)]
    Ingest(#[from] IngestError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A report read and extracted, ready to be stored.
pub struct Prepared {
    pub name: String,
    pub bytes: Vec<u8>,
    pub document: Document,
    pub extraction: Extraction,
    pub extractor: &'static str,
}

/// Reads and extracts the report `name` (whose extension gives the format)
/// without touching the store: the part that may run on many threads at once.
pub fn prepare(name: &str, bytes: Vec<u8>, limits: &Limits) -> Result<Prepared, PipelineError> {
    let format = Format::from_path(name).ok_or(PipelineError::NotAReport)?;
    let ingested = read_document(name, &bytes, format, limits)?;
    for w in &ingested.warnings {
        tracing::info!("{name}: {w}");
    }
    let extractor = RuleExtractor;
    let extraction = extractor.extract(&ingested.document);
    Ok(Prepared { name: name.to_string(), bytes, document: ingested.document, extraction, extractor: extractor.name() })
}

/// Stores a prepared report (linking its persons), in one transaction.
pub fn store_prepared(store: &mut dyn Store, p: &Prepared) -> Result<(Added, String), PipelineError> {
    let added = store.add_document(&p.document, &p.bytes, &p.extraction, p.extractor)?;
    Ok((added, p.document.id.clone()))
}

/// Reads, extracts and stores the report `name` (a path or a file name, whose
/// extension gives the format). Returns what happened and the document's id.
pub fn ingest_bytes(store: &mut dyn Store, name: &str, bytes: &[u8], limits: &Limits) -> Result<(Added, String), PipelineError> {
    Format::from_path(name).ok_or(PipelineError::NotAReport)?;
    let sha = sha256_hex(bytes);
    if store.contains(&sha)? {
        return Ok((Added::AlreadyPresent { source: name.to_string() }, Document::id_for_sha256(&sha)));
    }
    store_prepared(store, &prepare(name, bytes.to_vec(), limits)?)
}
