//! Bytes in, a clean [`Document`] out.
//!
//! Ingestion decodes whatever arrives (UTF-8, UTF-16, legacy code pages, HTML,
//! PDF, Word's .docx, OpenDocument's .odt, e-mail, images and scanned pages
//! through OCR), repairs the damage that text extraction leaves behind (hard-wrapped
//! lines, blank lines between every line, words hyphenated across lines),
//! drops boilerplate, and finds the title, publication date and language.
//! It refuses only what it cannot read at all, and says why.

mod clean;
mod decode;
mod html;
mod mail;
mod meta;
mod ocr;
mod office;
mod pdf;
mod sanitize;
pub mod tools;

use chronicle_model::{Document, PartialDate, Reading};
use sha2::{Digest, Sha256};
use std::time::{Duration, Instant};

pub use clean::clean_text;
/// Bytes to text in whatever encoding they are (BOM, UTF-8, then the likeliest code page).
pub use decode::decode as decode_text;
pub use html::{MAX_DEPTH as MAX_HTML_DEPTH, MAX_ELEMENTS as MAX_HTML_ELEMENTS};
pub use mail::{Attachment, MAX_ATTACHMENTS};
pub use ocr::MAX_OCR_PAGES;
pub use office::MAX_XML_BYTES;
pub use meta::{find_published, find_title, guess_language, parse_date_line};
pub use pdf::{PdfBomb, MAX_EXPANDED_BYTES, MAX_STREAM_BYTES, MAX_TEXT_BYTES};
pub use sanitize::{strip_controls, Keep};

/// How long reading one report may take, unless the limits say otherwise.
pub const MAX_READ_SECONDS: u64 = 30;

/// Limits that keep hostile input from costing unbounded time or memory.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Largest input accepted, in bytes.
    pub max_bytes: u64,
    /// Longest reading one report may take, whatever its format.
    pub read_time: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_bytes: 32 * 1024 * 1024, read_time: Duration::from_secs(MAX_READ_SECONDS) }
    }
}

/// When reading must be over; readers that work in steps check it between them.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Deadline {
    at: Instant,
    limit: Duration,
}

impl Deadline {
    pub(crate) fn after(limit: Duration) -> Deadline {
        Deadline { at: Instant::now() + limit, limit }
    }

    pub(crate) fn check(&self) -> Result<(), IngestError> {
        if Instant::now() > self.at {
            return Err(IngestError::TimedOut { seconds: self.limit.as_secs_f64() });
        }
        Ok(())
    }

    /// The time left (none once past).
    pub(crate) fn left(&self) -> Duration {
        self.at.saturating_duration_since(Instant::now())
    }

    /// The whole time reading was given.
    pub(crate) fn limit(&self) -> Duration {
        self.limit
    }
}

/// Why an input could not be read at all.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error("empty file")]
    Empty,
    #[error("file is {size} bytes, over the limit of {limit} bytes")]
    TooLarge { size: u64, limit: u64 },
    #[error("binary data, not a report (no text could be decoded)")]
    Binary,
    #[error("unreadable PDF: {0}")]
    Pdf(String),
    #[error("PDF refused as a possible decompression bomb: {0}")]
    PdfBomb(#[from] PdfBomb),
    #[error("no text found in the {0}")]
    NoText(&'static str),
    #[error("HTML nested more than {limit} elements deep; refused")]
    TooDeep { limit: usize },
    #[error("HTML with more than {limit} elements; refused")]
    TooManyElements { limit: usize },
    #[error("reading took longer than {seconds} s; refused")]
    TimedOut { seconds: f64 },
    #[error("the reader failed: {0}")]
    Failed(String),
    #[error("unreadable {what}: {why}")]
    Unreadable { what: &'static str, why: String },
    #[error("{0}")]
    Unsupported(&'static str),
    #[error("{tool} is needed to read it and is not installed (Debian: {package})")]
    ToolMissing { tool: &'static str, package: &'static str },
}

/// The kinds of input Chronicle reads (and two it names only to refuse).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Markdown,
    Html,
    Pdf,
    /// Word's Office Open XML (.docx).
    Docx,
    /// OpenDocument text (.odt).
    Odt,
    /// An e-mail message (.eml).
    Email,
    /// A photo or scan (.png, .jpg, .jpeg, .tif, .tiff), read by OCR.
    Image,
    /// Word's binary format before 2007 (.doc): refused, with what to do instead.
    LegacyWord,
    /// Rich Text Format (.rtf): refused, with what to do instead.
    Rtf,
}

/// What to say of a legacy Word file.
const LEGACY_WORD: &str = "legacy Word .doc files are not read: save it as .docx, .odt or PDF (LibreOffice: soffice --headless --convert-to docx FILE)";
/// What to say of an RTF file.
const RTF: &str = "RTF files are not read: save it as .docx, .odt or PDF (LibreOffice: soffice --headless --convert-to docx FILE)";

impl Format {
    /// The format for a file name, from its extension; `None` for files Chronicle does not read.
    pub fn from_path(path: &str) -> Option<Format> {
        let ext = path.rsplit_once('.')?.1.to_ascii_lowercase();
        match ext.as_str() {
            "txt" | "text" => Some(Format::Text),
            "md" | "markdown" => Some(Format::Markdown),
            "html" | "htm" | "xhtml" => Some(Format::Html),
            "pdf" => Some(Format::Pdf),
            "docx" => Some(Format::Docx),
            "odt" => Some(Format::Odt),
            "eml" => Some(Format::Email),
            "png" | "jpg" | "jpeg" | "tif" | "tiff" => Some(Format::Image),
            "doc" => Some(Format::LegacyWord),
            "rtf" => Some(Format::Rtf),
            _ => None,
        }
    }

    /// The file name endings Chronicle takes, for messages.
    pub const EXTENSIONS: &'static str = ".txt, .md, .html, .htm, .pdf, .docx, .odt, .eml, .png, .jpg, .tif";

    /// The format the bytes themselves declare, overriding a misleading extension.
    fn sniff(bytes: &[u8], declared: Format) -> Format {
        if bytes.starts_with(b"%PDF-") {
            return Format::Pdf;
        }
        if is_image(bytes) {
            return Format::Image;
        }
        if matches!(declared, Format::Pdf | Format::Docx | Format::Odt | Format::Image | Format::LegacyWord | Format::Rtf | Format::Email) {
            return declared;
        }
        let head = String::from_utf8_lossy(&bytes[..bytes.len().min(512)]).to_ascii_lowercase();
        let head = head.trim_start_matches('\u{feff}').trim_start();
        if head.starts_with("<!doctype html") || head.starts_with("<html") {
            return Format::Html;
        }
        declared
    }

    fn describe(self) -> &'static str {
        match self {
            Format::Text | Format::Markdown => "text",
            Format::Html => "HTML page",
            Format::Pdf => "PDF",
            Format::Docx => "Word document",
            Format::Odt => "OpenDocument text",
            Format::Email => "e-mail message",
            Format::Image => "image",
            Format::LegacyWord => "legacy Word file",
            Format::Rtf => "RTF file",
        }
    }
}

/// PNG, JPEG or TIFF, by their first bytes.
fn is_image(bytes: &[u8]) -> bool {
    bytes.starts_with(b"\x89PNG\r\n\x1a\n") || bytes.starts_with(&[0xff, 0xd8, 0xff]) || bytes.starts_with(b"II*\0") || bytes.starts_with(b"MM\0*")
}

/// A document read from bytes, with what was noticed on the way.
#[derive(Debug, Clone)]
pub struct Ingested {
    pub document: Document,
    pub warnings: Vec<String>,
    /// What the user must be told of how its text was read: by OCR, not at
    /// all, with a reader missing, with attachments left out.
    pub notices: Vec<String>,
    /// Files that came inside it (an e-mail's attachments), to be read as reports of their own.
    pub attachments: Vec<Attachment>,
}

/// SHA-256 of bytes as lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Reads one report. `source` names it (path or URL) and `format` is what its
/// name says it is; the bytes may overrule that (a PDF named `.txt` is read as PDF).
/// The reading runs on a thread of its own, its panics caught, and a report
/// that keeps it busy past `limits.read_time` is refused (the thread is left
/// to finish or to notice its deadline on its own).
pub fn read_document(
    source: &str,
    bytes: &[u8],
    format: Format,
    limits: &Limits,
) -> Result<Ingested, IngestError> {
    if bytes.is_empty() {
        return Err(IngestError::Empty);
    }
    if bytes.len() as u64 > limits.max_bytes {
        return Err(IngestError::TooLarge { size: bytes.len() as u64, limit: limits.max_bytes });
    }
    let deadline = Deadline::after(limits.read_time);
    let (source, bytes) = (source.to_string(), bytes.to_vec());
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::Builder::new()
        .name("report-reader".into())
        .spawn(move || {
            let read = std::panic::catch_unwind(|| read_within(&source, &bytes, format, deadline));
            let _ = tx.send(read.unwrap_or_else(|panic| Err(IngestError::Failed(panic_message(panic.as_ref())))));
        })
        .map_err(|e| IngestError::Failed(format!("cannot start the reader: {e}")))?;
    rx.recv_timeout(limits.read_time).unwrap_or_else(|_| Err(IngestError::TimedOut { seconds: limits.read_time.as_secs_f64() }))
}

/// What a caught panic said.
pub(crate) fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_else(|| "the reader failed".into())
}

fn read_within(source: &str, bytes: &[u8], format: Format, deadline: Deadline) -> Result<Ingested, IngestError> {
    let format = Format::sniff(bytes, format);
    let (mut warnings, mut notices) = (Vec::new(), Vec::new());
    let raw = read_raw(bytes, format, &deadline, &mut warnings, &mut notices)?;
    deadline.check()?;
    let text = clean_text(&raw.text, raw.stray_blank_lines);
    drop(raw.text);
    if text.trim().is_empty() && raw.reading != Reading::Unreadable {
        return Err(IngestError::NoText(format.describe()));
    }
    let meta = raw.meta;
    let title = meta.title.as_deref().map(clean_meta).filter(|t| !t.is_empty()).or_else(|| find_title(&text));
    let published = meta.published.as_deref().and_then(parse_meta_date).or(raw.published).or_else(|| find_published(&text));
    if published.is_none() {
        warnings.push("no publication date found; relative dates stay unresolved".into());
    }
    let sha256 = sha256_hex(bytes);
    let language = meta.language.filter(|l| l.bytes().all(|b| b.is_ascii_lowercase()));
    let document = Document {
        id: Document::id_for_sha256(&sha256),
        source: strip_controls(source, Keep::Nothing).into_owned(),
        sha256,
        title,
        published,
        language: language.or_else(|| guess_language(&text)),
        publisher: meta.publisher.as_deref().map(clean_meta).filter(|p| !p.is_empty()),
        text,
        reading: raw.reading,
        attached_to: None,
    };
    Ok(Ingested { document, warnings, notices, attachments: raw.attachments })
}

/// What a format's reader gives before cleaning.
struct Raw {
    text: String,
    meta: html::Meta,
    published: Option<PartialDate>,
    reading: Reading,
    attachments: Vec<Attachment>,
    /// Blank lines may stand where the original has none (a PDF read by the built-in reader).
    stray_blank_lines: bool,
}

impl Raw {
    fn text(text: String) -> Raw {
        Raw { text, meta: html::Meta::default(), published: None, reading: Reading::Native, attachments: Vec::new(), stray_blank_lines: false }
    }
}

/// Each format's reader.
fn read_raw(bytes: &[u8], format: Format, deadline: &Deadline, warnings: &mut Vec<String>, notices: &mut Vec<String>) -> Result<Raw, IngestError> {
    Ok(match format {
        Format::Pdf => {
            let pdf = pdf::extract(bytes, deadline)?;
            notices.extend(pdf.warnings);
            let meta = html::Meta { title: pdf.title, ..html::Meta::default() };
            Raw { meta, reading: pdf.reading, stray_blank_lines: pdf.stray_blank_lines, ..Raw::text(pdf.text) }
        }
        Format::Html => {
            let page = html::read(&decode::decode(bytes, warnings)?, *deadline)?;
            Raw { meta: page.meta, ..Raw::text(page.text) }
        }
        Format::Text | Format::Markdown => Raw::text(decode::decode(bytes, warnings)?),
        Format::Docx | Format::Odt => {
            let office = office::read(bytes, if format == Format::Docx { office::Kind::Docx } else { office::Kind::Odt })?;
            Raw { meta: html::Meta { title: office.title, ..html::Meta::default() }, ..Raw::text(office.text) }
        }
        Format::Email => {
            let mail = mail::read(bytes)?;
            notices.extend(mail.warnings);
            let meta = html::Meta { title: mail.subject, publisher: mail.sender, ..html::Meta::default() };
            Raw { meta, published: mail.date, attachments: mail.attachments, ..Raw::text(mail.text) }
        }
        Format::Image => {
            let read = ocr::image(bytes, deadline)?;
            notices.push(format!("read by OCR, mean word confidence {:.2}", read.confidence));
            Raw { reading: Reading::Ocr { confidence: read.confidence }, ..Raw::text(read.text) }
        }
        Format::LegacyWord => return Err(IngestError::Unsupported(LEGACY_WORD)),
        Format::Rtf => return Err(IngestError::Unsupported(RTF)),
    })
}

/// The longest title or publisher kept, in characters.
const MAX_META_CHARS: usize = 500;

/// A title or publisher as it may be shown: no controls or escape sequences,
/// white space collapsed, at most [`MAX_META_CHARS`].
fn clean_meta(s: &str) -> String {
    let s = strip_controls(s, Keep::Nothing);
    let mut out = String::new();
    for word in s.split_whitespace() {
        if out.chars().count() + word.chars().count() > MAX_META_CHARS {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Dates in HTML metadata: ISO timestamps ("2023-05-24T10:00:00Z") or English dates.
fn parse_meta_date(s: &str) -> Option<PartialDate> {
    let s = s.trim();
    let iso: String = s.chars().take(10).collect();
    iso.parse::<PartialDate>().ok().or_else(|| parse_date_line(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(name: &str, bytes: &[u8]) -> Result<Ingested, IngestError> {
        read_document(name, bytes, Format::from_path(name).unwrap(), &Limits::default())
    }

    #[test]
    fn refuses_empty_binary_and_oversized_input() {
        assert!(matches!(read("a.txt", b""), Err(IngestError::Empty)));
        let junk: Vec<u8> = (0..4096u32).map(|i| (i * 7919 % 251) as u8).collect();
        assert!(matches!(read("a.txt", &junk), Err(IngestError::Binary)));
        let limits = Limits { max_bytes: 10, ..Limits::default() };
        assert!(matches!(
            read_document("a.txt", b"more than ten bytes", Format::Text, &limits),
            Err(IngestError::TooLarge { size: 19, limit: 10 })
        ));
    }

    #[test]
    fn refuses_a_truncated_pdf_by_name() {
        let err = read("a.pdf", b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog").unwrap_err();
        assert!(matches!(err, IngestError::Pdf(_)), "{err}");
    }

    #[test]
    fn the_same_bytes_give_the_same_id() {
        let a = read("a.txt", b"May 24, 2023\n\nSome report text.").unwrap();
        let b = read("elsewhere/b.txt", b"May 24, 2023\n\nSome report text.").unwrap();
        assert_eq!(a.document.id, b.document.id);
        assert_eq!(a.document.sha256.len(), 64);
        assert_eq!(a.document.published.unwrap().to_string(), "2023-05-24");
    }

    #[test]
    fn deeply_nested_html_is_read_to_a_limit_and_refused_beyond() {
        let nested = |depth: usize| format!("<html><body>{}<p>Rustam Karimov was detained.</p>{}</body></html>", "<div>".repeat(depth), "</div>".repeat(depth));
        let got = read("deep.html", nested(3_000).as_bytes()).unwrap();
        assert!(got.document.text.contains("Rustam Karimov was detained."), "{}", got.document.text);
        let err = read("deeper.html", nested(1_000_000).as_bytes()).unwrap_err();
        assert!(matches!(err, IngestError::TooDeep { .. }), "{err}");
        assert!(err.to_string().contains("nested"), "{err}");
    }

    #[test]
    fn one_very_long_line_is_cleaned() {
        let line = "word ".repeat(800_000); // 4 MB without a line break
        let got = read("long.txt", line.as_bytes()).unwrap();
        assert!(got.document.text.len() >= 3_900_000);
    }
}
