//! PDF text, read within bounds: by poppler's `pdftotext` where it is
//! installed (it reads fonts with no Unicode map, Type 3 fonts and columns
//! that the built-in reader misses), else by the built-in reader
//! (`pdf-extract`); a PDF of page images is read by OCR ([`crate::ocr`]), and
//! one whose text cannot be read at all is kept as unreadable, never as
//! silently empty.
//!
//! Before any reader decodes anything, every stream it could decode is
//! decoded here, through its whole filter chain (Flate, LZW, ASCII85,
//! ASCIIHex, RunLength, in any order and number), each stage's output capped:
//! first the cross-reference streams, which the reader inflates while it
//! loads (`scan`), then every stream of the document as the reader sees it,
//! object streams included, loaded with object streams left packed. A stream
//! that would decode past [`MAX_STREAM_BYTES`], or streams that together would
//! pass [`MAX_EXPANDED_BYTES`], refuse the file as a decompression bomb. The
//! text a reader writes is capped too ([`MAX_TEXT_BYTES`]). A panic inside
//! the built-in reader is caught; the outside programs run under the
//! report's deadline; the caller runs all this under a time limit.

mod filters;
mod layout;
mod scan;

use crate::tools::{self, Tool};
use crate::{ocr, Deadline, IngestError};
use chronicle_model::Reading;
use filters::{Chain, Overrun};
use pdf_extract::{Document, LoadOptions, Object, ObjectId};

/// What one stream may decode to, through its whole chain.
pub const MAX_STREAM_BYTES: u64 = 32 * 1024 * 1024;
/// What all of a PDF's streams together may decode to.
pub const MAX_EXPANDED_BYTES: u64 = 256 * 1024 * 1024;
/// The most text the reader may write for one PDF.
pub const MAX_TEXT_BYTES: u64 = 64 * 1024 * 1024;
/// Fewer words than this per page, on average, and a PDF's text layer is taken
/// for none (a scan with a stamp or a page number on it).
const WORDS_PER_PAGE: usize = 3;

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

/// A PDF's text, how it was read, its own title, and what was noticed.
#[derive(Debug)]
pub(crate) struct PdfText {
    pub text: String,
    /// Whether the text has blank lines where the page has none (the built-in
    /// reader's), so that one blank line may be a soft wrap; `pdftotext`'s
    /// layout puts blank lines only where the page leaves space.
    pub stray_blank_lines: bool,
    pub reading: Reading,
    pub title: Option<String>,
    pub warnings: Vec<String>,
}

/// Reads a PDF. Damaged files are refused with the reader's reason.
pub(crate) fn extract(bytes: &[u8], deadline: &Deadline) -> Result<PdfText, IngestError> {
    let info_title = check_streams(bytes)?;
    let file = scratch_copy(bytes)?;
    let mut warnings = Vec::new();
    let pdftotext = Tool::PdfToText.find();
    let stray_blank_lines = pdftotext.is_none();
    let (text, pages, title) = match pdftotext {
        Some(pdftotext) => pdftotext_text(&pdftotext, file.path(), deadline)?,
        None => {
            warnings.push(format!("{} ({}) is not installed: read with the built-in reader, which misses the text of some fonts", Tool::PdfToText.program(), Tool::PdfToText.package()));
            (builtin(bytes)?, 1, info_title)
        }
    };
    let title = borne_out(title, &text);
    let words = word_count(&text);
    if words >= WORDS_PER_PAGE * pages.max(1) {
        return Ok(PdfText { text, stray_blank_lines, reading: Reading::Native, title, warnings });
    }
    deadline.check()?;
    let (text, reading) = match ocr::pdf_pages(file.path(), deadline) {
        Ok(r) if word_count(&r.text) > words => {
            warnings.push(format!("no text layer: read by OCR, mean word confidence {:.2}", r.confidence));
            (r.text, Reading::Ocr { confidence: r.confidence })
        }
        Ok(_) => unreadable(text, "OCR found no more text in its pages", &mut warnings),
        Err(e @ IngestError::TimedOut { .. }) => return Err(e),
        Err(e) => unreadable(text, &e.to_string(), &mut warnings),
    };
    Ok(PdfText { text, stray_blank_lines: false, reading, title, warnings })
}

/// A PDF whose pages carry no text that could be read: kept, flagged, and said so.
fn unreadable(text: String, why: &str, warnings: &mut Vec<String>) -> (String, Reading) {
    warnings.push(format!("no text could be read from this PDF (pages of images?): {why}; it is stored as unreadable"));
    (text, Reading::Unreadable)
}

/// Words of two letters or more.
fn word_count(text: &str) -> usize {
    text.split(|c: char| !c.is_alphabetic()).filter(|w| w.chars().count() >= 2).count()
}

/// The bytes in a scratch file, for the outside programs to read.
fn scratch_copy(bytes: &[u8]) -> Result<tempfile::NamedTempFile, IngestError> {
    let mut file = tempfile::Builder::new().prefix("chronicle-pdf").suffix(".pdf").tempfile().map_err(|e| IngestError::Failed(format!("making a scratch file: {e}")))?;
    std::io::Write::write_all(&mut file, bytes).map_err(|e| IngestError::Failed(format!("writing a scratch file: {e}")))?;
    Ok(file)
}

/// `pdftotext`'s text in reading order, its paragraphs kept (from its
/// `-bbox-layout` blocks), the number of pages, and the title of its metadata.
fn pdftotext_text(program: &std::path::Path, pdf: &std::path::Path, deadline: &Deadline) -> Result<(String, usize, Option<String>), IngestError> {
    let args: [&std::ffi::OsStr; 4] = ["-bbox-layout".as_ref(), "-q".as_ref(), pdf.as_os_str(), "-".as_ref()];
    let out = tools::run(Tool::PdfToText, program, &args, deadline).map_err(|e| match e {
        IngestError::Failed(why) => IngestError::Pdf(why),
        e => e,
    })?;
    let laid = layout::read(&String::from_utf8_lossy(&out)).ok_or_else(|| IngestError::Pdf("pdftotext wrote no page layout".into()))?;
    if laid.text.len() as u64 > MAX_TEXT_BYTES {
        return Err(PdfBomb::Text { limit: MAX_TEXT_BYTES }.into());
    }
    Ok((laid.text, laid.pages, laid.title))
}

/// A title from the PDF's metadata, if the text bears it out: tools put
/// their own name or the file's there ("Enscript Output", "Microsoft Word -
/// draft.doc") as often as the document's title.
fn borne_out(title: Option<String>, text: &str) -> Option<String> {
    let fold = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
    let head: String = text.chars().take(5_000).collect();
    title.filter(|t| fold(&head).contains(&fold(t)))
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

/// Every stream the reader could decode, decoded within the limits first;
/// and the title the file's information dictionary gives.
fn check_streams(bytes: &[u8]) -> Result<Option<String>, PdfBomb> {
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
    let Ok(doc) = Document::load_mem_with_options(bytes, options) else { return Ok(None) };
    for (id, object) in &doc.objects {
        if let Ok(stream) = object.as_stream() {
            budget.spend(&|| format!("stream {} {}", id.0, id.1), &stream.content, &chain_of(stream))?;
        }
    }
    Ok(info_title(&doc))
}

/// `/Title` of the trailer's `/Info`, as text (UTF-16 with its mark, or PDFDocEncoding read as Latin-1).
fn info_title(doc: &Document) -> Option<String> {
    let info = doc.trailer.get(b"Info").ok()?;
    let info = match info {
        Object::Reference(id) => doc.objects.get(id)?.as_dict().ok()?,
        other => other.as_dict().ok()?,
    };
    let Object::String(raw, _) = info.get(b"Title").ok()? else { return None };
    let text = match raw.strip_prefix(&[0xfe, 0xff]) {
        Some(utf16) => String::from_utf16_lossy(&utf16.chunks_exact(2).map(|c| u16::from_be_bytes([c[0], c[1]])).collect::<Vec<_>>()),
        None => raw.iter().map(|&b| b as char).collect(),
    };
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    (!text.is_empty()).then_some(text)
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

/// The built-in reader's text, its panics caught.
fn builtin(bytes: &[u8]) -> Result<String, IngestError> {
    std::panic::catch_unwind(|| read_text(bytes)).unwrap_or_else(|panic| Err(IngestError::Pdf(crate::panic_message(panic.as_ref()))))
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
