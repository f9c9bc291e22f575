//! PDF text, extracted in pure Rust.

use crate::IngestError;

/// The text of a PDF. Damaged files are refused with the reader's reason;
/// a panic inside the reader is caught and reported the same way.
pub fn extract(bytes: &[u8]) -> Result<String, IngestError> {
    let owned = bytes.to_vec();
    let result = std::panic::catch_unwind(move || pdf_extract::extract_text_from_mem(&owned));
    match result {
        Ok(Ok(text)) => Ok(text),
        Ok(Err(err)) => Err(IngestError::Pdf(err.to_string())),
        Err(panic) => {
            let why = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "the PDF reader failed".into());
            Err(IngestError::Pdf(why))
        }
    }
}
