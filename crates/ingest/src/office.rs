//! Word processors' files: Word's .docx (Office Open XML) and OpenDocument's
//! .odt, both zip archives of XML. Their paragraphs become the text's
//! paragraphs; the title is the document's own where it has one.
//!
//! The archive's XML is read to [`MAX_XML_BYTES`] at most, whatever its
//! entries claim, so a zip bomb costs no more than that.

use crate::IngestError;
use roxmltree::Node;
use std::io::Read;

/// The most XML read out of one archive entry.
pub const MAX_XML_BYTES: u64 = 32 * 1024 * 1024;

/// The two kinds of word processor file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Docx,
    Odt,
}

/// How a kind's XML marks paragraphs, text, spaces, tabs and line breaks.
struct Dialect {
    content: &'static str,
    meta: &'static str,
    namespace: &'static str,
    paragraphs: &'static [&'static str],
    /// Where text stands: in these elements only (Word), or in any text node of a paragraph (OpenDocument).
    text_elements: Option<&'static str>,
    space: Option<&'static str>,
    tab: &'static str,
    breaks: &'static [&'static str],
}

const DOCX: Dialect = Dialect {
    content: "word/document.xml",
    meta: "docProps/core.xml",
    namespace: "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    paragraphs: &["p"],
    text_elements: Some("t"),
    space: None,
    tab: "tab",
    breaks: &["br", "cr"],
};

const ODT: Dialect = Dialect {
    content: "content.xml",
    meta: "meta.xml",
    namespace: "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    paragraphs: &["p", "h"],
    text_elements: None,
    space: Some("s"),
    tab: "tab",
    breaks: &["line-break"],
};

/// What a word processor's file says.
#[derive(Debug, Default)]
pub(crate) struct Office {
    pub text: String,
    pub title: Option<String>,
}

/// Reads a .docx or .odt file's text and title.
pub(crate) fn read(bytes: &[u8], kind: Kind) -> Result<Office, IngestError> {
    let dialect = match kind {
        Kind::Docx => &DOCX,
        Kind::Odt => &ODT,
    };
    let what = match kind {
        Kind::Docx => "Word document",
        Kind::Odt => "OpenDocument text",
    };
    let bad = |why: String| IngestError::Unreadable { what, why };
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| bad(format!("not a zip archive: {e}")))?;
    let content = entry(&mut archive, dialect.content)?.ok_or_else(|| bad(format!("it has no {}", dialect.content)))?;
    let xml = roxmltree::Document::parse(&content).map_err(|e| bad(format!("{}: {e}", dialect.content)))?;
    let text = paragraphs(&xml, dialect).join("\n\n");
    let title = entry(&mut archive, dialect.meta).ok().flatten().and_then(|meta| title(&meta));
    Ok(Office { text, title })
}

/// One archive entry as text, read to the cap; `None` when there is no such entry.
fn entry(archive: &mut zip::ZipArchive<std::io::Cursor<&[u8]>>, name: &str) -> Result<Option<String>, IngestError> {
    let file = match archive.by_name(name) {
        Ok(f) => f,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => return Err(IngestError::Failed(format!("{name}: {e}"))),
    };
    let mut out = Vec::new();
    file.take(MAX_XML_BYTES + 1).read_to_end(&mut out).map_err(|e| IngestError::Failed(format!("{name}: {e}")))?;
    if out.len() as u64 > MAX_XML_BYTES {
        return Err(IngestError::Failed(format!("{name} unpacks to more than {} MiB; refused", MAX_XML_BYTES >> 20)));
    }
    Ok(Some(String::from_utf8_lossy(&out).into_owned()))
}

/// The paragraphs' texts in order (a paragraph inside another, as in a text
/// box or a note, ends the one around it and starts its own).
fn paragraphs(xml: &roxmltree::Document, d: &Dialect) -> Vec<String> {
    let ours = |n: &Node, names: &[&str]| n.is_element() && n.tag_name().namespace() == Some(d.namespace) && names.contains(&n.tag_name().name());
    let mut out = Vec::new();
    let mut current = String::new();
    let mut within: Option<roxmltree::NodeId> = None;
    for n in xml.root().descendants() {
        let Some(piece) = piece(&n, d, &ours) else { continue };
        let Some(paragraph) = n.ancestors().skip(1).find(|a| ours(a, d.paragraphs)) else { continue };
        if within != Some(paragraph.id()) {
            flush(&mut current, &mut out);
            within = Some(paragraph.id());
        }
        current.push_str(piece);
    }
    flush(&mut current, &mut out);
    out
}

/// A paragraph's text, white space collapsed, added unless empty.
fn flush(current: &mut String, out: &mut Vec<String>) {
    let p = current.split_whitespace().collect::<Vec<_>>().join(" ");
    if !p.is_empty() {
        out.push(p);
    }
    current.clear();
}

/// What one node adds to its paragraph: its text, or a space for a tab, a line break or a space mark.
fn piece<'a>(n: &Node<'a, '_>, d: &Dialect, ours: &dyn Fn(&Node, &[&str]) -> bool) -> Option<&'a str> {
    if n.is_text() {
        let counts = match d.text_elements {
            Some(name) => n.parent().is_some_and(|p| ours(&p, &[name])),
            None => true,
        };
        return counts.then(|| n.text().unwrap_or(""));
    }
    let spacing = ours(n, &[d.tab]) || ours(n, d.breaks) || d.space.is_some_and(|s| ours(n, &[s]));
    spacing.then_some(" ")
}

/// The title the file's metadata gives (Dublin Core's `title`), if any.
fn title(meta: &str) -> Option<String> {
    let xml = roxmltree::Document::parse(meta).ok()?;
    let node = xml.descendants().find(|n| n.tag_name().name() == "title" && n.tag_name().namespace() == Some("http://purl.org/dc/elements/1.1/"))?;
    let t = node.text()?.split_whitespace().collect::<Vec<_>>().join(" ");
    (!t.is_empty()).then_some(t)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn archive(entries: &[(&str, &str)]) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        for (name, body) in entries {
            zip.start_file(*name, zip::write::SimpleFileOptions::default()).unwrap();
            zip.write_all(body.as_bytes()).unwrap();
        }
        zip.finish().unwrap().into_inner()
    }

    #[test]
    fn word_paragraphs_runs_and_tabs_make_the_text() {
        let body = r#"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>
            <w:p><w:r><w:t>Ilkhom Sattorov was </w:t></w:r><w:r><w:t>detained</w:t><w:tab/><w:t>on 3 May.</w:t></w:r></w:p>
            <w:p><w:r><w:instrText>PAGE</w:instrText><w:t xml:space="preserve">He &amp; his lawyer</w:t></w:r></w:p>
            </w:body></w:document>"#;
        let got = read(&archive(&[("word/document.xml", body)]), Kind::Docx).unwrap();
        assert_eq!(got.text, "Ilkhom Sattorov was detained on 3 May.\n\nHe & his lawyer");
        assert_eq!(got.title, None);
    }

    #[test]
    fn opendocument_spaces_and_headings_and_its_title() {
        let body = r#"<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text>
            <text:h>Appeal</text:h><text:p>The court<text:s/>refused <text:span>the appeal</text:span>.</text:p>
            </office:text></office:body></office:document-content>"#;
        let meta = r#"<office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><office:meta><dc:title>Appeal ruling</dc:title></office:meta></office:document-meta>"#;
        let got = read(&archive(&[("content.xml", body), ("meta.xml", meta)]), Kind::Odt).unwrap();
        assert_eq!(got.text, "Appeal\n\nThe court refused the appeal.");
        assert_eq!(got.title.as_deref(), Some("Appeal ruling"));
    }

    #[test]
    fn a_zip_bomb_is_refused_at_the_cap_and_a_non_zip_by_name() {
        let huge = format!("<w:document xmlns:w=\"x\">{}</w:document>", " ".repeat((MAX_XML_BYTES + 10) as usize));
        let err = read(&archive(&[("word/document.xml", &huge)]), Kind::Docx).unwrap_err();
        assert!(err.to_string().contains("more than 32 MiB"), "{err}");
        let err = read(b"plain text, no zip", Kind::Odt).unwrap_err();
        assert!(err.to_string().contains("OpenDocument text") && err.to_string().contains("zip"), "{err}");
    }
}
