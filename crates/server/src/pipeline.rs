//! One report's way in, shared by `chronicle ingest` and the upload page:
//! bytes → document → extraction → store (with linking), in one transaction.

use chronicle_extract::{Extractor, RuleExtractor};
use chronicle_ingest::{read_document, sha256_hex, Format, IngestError, Limits};
use chronicle_model::Document;
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

/// Reads, extracts and stores the report `name` (a path or a file name, whose
/// extension gives the format). Returns what happened and the document's id.
pub fn ingest_bytes(store: &mut dyn Store, name: &str, bytes: &[u8], limits: &Limits) -> Result<(Added, String), PipelineError> {
    let format = Format::from_path(name).ok_or(PipelineError::NotAReport)?;
    let sha = sha256_hex(bytes);
    let id = Document::id_for_sha256(&sha);
    if store.contains(&sha)? {
        return Ok((Added::AlreadyPresent { source: name.to_string() }, id));
    }
    let ingested = read_document(name, bytes, format, limits)?;
    for w in &ingested.warnings {
        tracing::info!("{name}: {w}");
    }
    let extractor = RuleExtractor;
    let extraction = extractor.extract(&ingested.document);
    let added = store.add_document(&ingested.document, bytes, &extraction, extractor.name())?;
    Ok((added, ingested.document.id))
}
