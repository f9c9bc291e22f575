//! PDF text, extracted in pure Rust, within bounds.
//!
//! Before the reader decodes anything, every stream it could decode is
//! decoded here, through its whole filter chain (Flate, LZW, ASCII85,
//! ASCIIHex, RunLength, in any order and number), each stage's output capped:
//! first the cross-reference streams, which the reader inflates while it
//! loads (`scan`), then every stream of the document as the reader sees it,
//! object streams included, loaded with object streams left packed. A stream
//! that would decode past [`MAX_STREAM_BYTES`], or streams that together would
//! pass [`MAX_EXPANDED_BYTES`], refuse the file as a decompression bomb. The
//! text the reader writes is capped too ([`MAX_TEXT_BYTES`]). A panic inside
//! the reader is caught; the caller runs all this under a time limit.

mod filters;
mod scan;

use crate::IngestError;
use filters::{Chain, Overrun};
use pdf_extract::{Document, LoadOptions, Object, ObjectId};

/// What one stream may decode to, through its whole chain.
pub const MAX_STREAM_BYTES: u64 = 32 * 1024 * 1024;
/// What all of a PDF's streams together may decode to.
pub const MAX_EXPANDED_BYTES: u64 = 256 * 1024 * 1024;
/// The most text the reader may write for one PDF.
pub const MAX_TEXT_BYTES: u64 = 64 * 1024 * 1024;

/// Which limit a PDF would pass.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PdfBomb {
    #[error("{object} decodes to more than {} MiB", limit >> 20)]
    Stream { object: String, limit: u64 },
    #[error("{object} asks for predictor rows of {row} bytes, over {} MiB", limit >> 20)]
    Predictor { object: String, row: u64, limit: u64 },
    #[error("its streams together decode to more than {} MiB", limit >> 20)]
    Document { limit: u64 },
    #[error("its text runs past {} MiB", limit >> 20)]
    Text { limit: u64 },
    #[error("it is encrypted and packs objects into object streams, which cannot be measured before the reader decrypts and inflates them")]
    EncryptedObjectStreams,
}

/// The text of a PDF. Damaged files are refused with the reader's reason.
pub fn extract(bytes: &[u8]) -> Result<String, IngestError> {
    check_streams(bytes)?;
    std::panic::catch_unwind(|| read_text(bytes)).unwrap_or_else(|panic| Err(IngestError::Pdf(crate::panic_message(panic.as_ref()))))
}

/// What is left of the document's budget.
struct Budget {
    left: u64,
}

impl Budget {
    /// Decodes one stream's chain within the budget, and spends what it decoded to.
    fn spend(&mut self, object: &dyn Fn() -> String, content: &[u8], chain: &Chain) -> Result<(), PdfBomb> {
        if chain.filters.is_empty() {
            return Ok(());
        }
        let cap = MAX_STREAM_BYTES.min(self.left);
        match filters::decode(content, chain, cap) {
            Ok(out) => {
                self.left -= out.len() as u64;
                Ok(())
            }
            Err(Overrun::Output) if cap < MAX_STREAM_BYTES => Err(PdfBomb::Document { limit: MAX_EXPANDED_BYTES }),
            Err(Overrun::Output) => Err(PdfBomb::Stream { object: object(), limit: MAX_STREAM_BYTES }),
            Err(Overrun::Predictor(row)) => Err(PdfBomb::Predictor { object: object(), row, limit: cap }),
        }
    }
}

/// Every stream the reader could decode, decoded within the limits first.
fn check_streams(bytes: &[u8]) -> Result<(), PdfBomb> {
    let mut budget = Budget { left: MAX_EXPANDED_BYTES };
    let xrefs = scan::xrefs(bytes);
    for x in &xrefs.streams {
        budget.spend(&|| format!("the cross-reference stream at byte {}", x.offset), x.content, &x.chain)?;
    }
    // An encrypted file's object streams are inflated while it loads, after
    // decryption; only cross-reference streams can list objects in them.
    if xrefs.encrypted && !xrefs.streams.is_empty() {
        return Err(PdfBomb::EncryptedObjectStreams);
    }
    let options = if xrefs.encrypted { LoadOptions::default() } else { LoadOptions::with_filter(keep_object_streams_packed) };
    // A file the reader cannot load: it will say why.
    let Ok(doc) = Document::load_mem_with_options(bytes, options) else { return Ok(()) };
    for (id, object) in &doc.objects {
        if let Ok(stream) = object.as_stream() {
            budget.spend(&|| format!("stream {} {}", id.0, id.1), &stream.content, &chain_of(stream))?;
        }
    }
    Ok(())
}

/// Loading filter: an object stream keeps its bytes packed (the reader
/// unpacks only streams typed `/ObjStm`), to be measured like any other.
fn keep_object_streams_packed(id: ObjectId, object: &mut Object) -> Option<(ObjectId, Object)> {
    if let Object::Stream(stream) = object {
        if stream.dict.has_type(b"ObjStm") {
            stream.dict.set("Type", Object::Name(b"ChronicleUnpackedObjStm".to_vec()));
        }
    }
    Some((id, Object::Null))
}

/// A stream's chain as the reader reads it: `/Filter`, and a single `/DecodeParms` dictionary.
fn chain_of(stream: &pdf_extract::Stream) -> Chain {
    let filters = stream.filters().map(|f| f.into_iter().map(<[u8]>::to_vec).collect()).unwrap_or_default();
    let params = stream.dict.get(b"DecodeParms").and_then(Object::as_dict).ok();
    let param = |k: &[u8], default: i64| params.and_then(|p| p.get(k).and_then(Object::as_i64).ok()).unwrap_or(default);
    Chain {
        filters,
        early_change: param(b"EarlyChange", 1) != 0,
        predictor_row: params.and_then(|_| {
            Chain::predictor_row(param(b"Predictor", 1), param(b"Colors", 1), param(b"BitsPerComponent", 8), param(b"Columns", 1))
        }),
    }
}

/// The reader's text, written into a buffer that refuses to grow past the cap.
fn read_text(bytes: &[u8]) -> Result<String, IngestError> {
    let mut doc = Document::load_mem(bytes).map_err(|e| IngestError::Pdf(e.to_string()))?;
    if doc.is_encrypted() {
        doc.decrypt("").map_err(|e| IngestError::Pdf(e.to_string()))?;
    }
    let mut text = CappedText { bytes: Vec::new(), cap: MAX_TEXT_BYTES, full: false };
    let written = {
        let mut output = pdf_extract::PlainTextOutput::<&mut dyn std::io::Write>::new(&mut text);
        pdf_extract::output_doc(&doc, &mut output)
    };
    match written {
        _ if text.full => Err(PdfBomb::Text { limit: MAX_TEXT_BYTES }.into()),
        Err(e) => Err(IngestError::Pdf(e.to_string())),
        Ok(()) => Ok(String::from_utf8(text.bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())),
    }
}

struct CappedText {
    bytes: Vec<u8>,
    cap: u64,
    full: bool,
}

impl std::io::Write for CappedText {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if (self.bytes.len() + buf.len()) as u64 > self.cap {
            self.full = true;
            return Err(std::io::Error::other("text over the limit"));
        }
        self.bytes.extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_modest_stream_passes_the_check() {
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        std::io::Write::write_all(&mut z, &vec![b' '; 1 << 20]).unwrap();
        let pdf = crate::pdf::testing::pdf_with_stream(&z.finish().unwrap(), "/Filter /FlateDecode");
        assert!(check_streams(&pdf).is_ok());
    }
}

/// Hand-written PDFs for the tests.
#[cfg(test)]
pub(crate) mod testing {
    /// A one-page PDF whose page content is `data`, with `filter` (dictionary entries) in its stream dictionary.
    pub fn pdf_with_stream(data: &[u8], filter: &str) -> Vec<u8> {
        let objects: Vec<Vec<u8>> = vec![
            b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>".to_vec(),
            [format!("<< /Length {} {filter} >>\nstream\n", data.len()).into_bytes(), data.to_vec(), b"\nendstream".to_vec()].concat(),
        ];
        let mut pdf = b"%PDF-1.4\n".to_vec();
        let mut offsets = Vec::new();
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
}
