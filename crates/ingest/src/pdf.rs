//! PDF text, extracted in pure Rust, within bounds.
//!
//! Before the reader sees a file, every compressed stream in it is inflated
//! up to a budget: a file that would expand beyond it (a "zip bomb") is
//! refused. The reader then runs on its own thread under a time limit, and a
//! panic inside it is caught; either way the file is refused with a reason.

use crate::IngestError;
use std::io::Read;
use std::time::Duration;

/// What all of a PDF's compressed streams together may expand to.
pub const MAX_EXPANDED_BYTES: u64 = 256 * 1024 * 1024;
/// How long the reader may take over one file, unless the limits say otherwise.
pub const MAX_SECONDS: u64 = 30;

/// Inflates every Flate stream of the document, counting, and stops at the budget.
fn check_expansion(bytes: &[u8]) -> Result<(), IngestError> {
    let doc = match pdf_extract::Document::load_mem(bytes) {
        Ok(doc) => doc,
        // The reader will say what is wrong with it.
        Err(_) => return Ok(()),
    };
    let mut total: u64 = 0;
    for object in doc.objects.values() {
        let Ok(stream) = object.as_stream() else { continue };
        let flate = match stream.dict.get(b"Filter") {
            Ok(pdf_extract::Object::Name(n)) => n.as_slice() == b"FlateDecode",
            Ok(pdf_extract::Object::Array(a)) => a.iter().any(|f| matches!(f, pdf_extract::Object::Name(n) if n.as_slice() == b"FlateDecode")),
            _ => false,
        };
        if !flate {
            continue;
        }
        let budget = MAX_EXPANDED_BYTES - total;
        let mut inflater = flate2::read::ZlibDecoder::new(stream.content.as_slice()).take(budget + 1);
        let n = std::io::copy(&mut inflater, &mut std::io::sink()).unwrap_or(0);
        total += n;
        if total > MAX_EXPANDED_BYTES {
            return Err(IngestError::Pdf(format!("its compressed streams expand beyond {} MiB; refused as a possible decompression bomb", MAX_EXPANDED_BYTES >> 20)));
        }
    }
    Ok(())
}

/// The text of a PDF. Damaged files are refused with the reader's reason.
pub fn extract(bytes: &[u8], time_limit: Duration) -> Result<String, IngestError> {
    check_expansion(bytes)?;
    let owned = bytes.to_vec();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::Builder::new()
        .name("pdf-reader".into())
        .spawn(move || {
            let result = std::panic::catch_unwind(move || pdf_extract::extract_text_from_mem(&owned));
            let _ = tx.send(result);
        })
        .map_err(|e| IngestError::Pdf(format!("cannot start the PDF reader: {e}")))?;
    match rx.recv_timeout(time_limit) {
        Ok(Ok(Ok(text))) => Ok(text),
        Ok(Ok(Err(err))) => Err(IngestError::Pdf(err.to_string())),
        Ok(Err(panic)) => {
            let why = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "the PDF reader failed".into());
            Err(IngestError::Pdf(why))
        }
        // The reader thread is left to finish on its own; its result is dropped.
        Err(_) => Err(IngestError::Pdf(format!("the reader took longer than {} s; refused", time_limit.as_secs_f64()))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    /// A small valid PDF whose one stream inflates to `expanded` zero bytes.
    fn bomb(expanded: usize) -> Vec<u8> {
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        let zeros = vec![0u8; 1 << 20];
        let mut left = expanded;
        while left > 0 {
            let n = left.min(zeros.len());
            z.write_all(&zeros[..n]).unwrap();
            left -= n;
        }
        let data = z.finish().unwrap();
        let mut pdf = b"%PDF-1.4\n".to_vec();
        let mut offsets = Vec::new();
        let objects: Vec<Vec<u8>> = vec![
            b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>".to_vec(),
            [format!("<< /Length {} /Filter /FlateDecode >>\nstream\n", data.len()).into_bytes(), data, b"\nendstream".to_vec()].concat(),
        ];
        for (i, body) in objects.iter().enumerate() {
            offsets.push(pdf.len());
            pdf.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
            pdf.extend_from_slice(body);
            pdf.extend_from_slice(b"\nendobj\n");
        }
        let xref = pdf.len();
        pdf.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
        for o in offsets {
            pdf.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
        }
        pdf.extend_from_slice(format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1).as_bytes());
        pdf
    }

    #[test]
    fn a_decompression_bomb_is_refused_quickly() {
        let pdf = bomb(300 << 20);
        assert!(pdf.len() < 1 << 20, "small on disk: {} bytes", pdf.len());
        let err = extract(&pdf, Duration::from_secs(MAX_SECONDS)).unwrap_err();
        assert!(err.to_string().contains("decompression bomb"), "{err}");
    }

    #[test]
    fn a_modest_stream_passes_the_check() {
        assert!(check_expansion(&bomb(1 << 20)).is_ok());
    }
}
