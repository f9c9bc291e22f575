//! Text recognised in images (a photo of a letter, a scanned page) and in
//! PDFs of page images, by Tesseract, with the mean confidence of its words.

use crate::tools::{self, Tool};
use crate::{Deadline, IngestError};
use std::ffi::OsStr;
use std::path::Path;

/// Scanned pages read from one PDF, at most.
pub const MAX_OCR_PAGES: usize = 50;
/// The resolution pages are rendered at for recognition.
const DPI: &str = "300";

/// Text recognised, and how sure the recogniser was of its words (0 to 1).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Recognised {
    pub text: String,
    pub confidence: f32,
}

/// Why an image could not be recognised: no recogniser, or it failed.
pub(crate) fn missing(tool: Tool) -> IngestError {
    IngestError::ToolMissing { tool: tool.program(), package: tool.package() }
}

/// The text of one image file's bytes.
pub(crate) fn image(bytes: &[u8], deadline: &Deadline) -> Result<Recognised, IngestError> {
    let tesseract = Tool::Tesseract.find().ok_or_else(|| missing(Tool::Tesseract))?;
    let dir = scratch()?;
    let file = dir.path().join("image");
    std::fs::write(&file, bytes).map_err(|e| IngestError::Failed(format!("writing a scratch file: {e}")))?;
    let words = recognise(&tesseract, &file, deadline)?;
    Ok(Words::join(vec![words]))
}

/// The text of a PDF's pages rendered as images (its first [`MAX_OCR_PAGES`]).
pub(crate) fn pdf_pages(pdf: &Path, deadline: &Deadline) -> Result<Recognised, IngestError> {
    let tesseract = Tool::Tesseract.find().ok_or_else(|| missing(Tool::Tesseract))?;
    let pdftoppm = Tool::PdfToPpm.find().ok_or_else(|| missing(Tool::PdfToPpm))?;
    let dir = scratch()?;
    let prefix = dir.path().join("page");
    let last = MAX_OCR_PAGES.to_string();
    let args: [&OsStr; 8] = ["-r".as_ref(), DPI.as_ref(), "-gray".as_ref(), "-png".as_ref(), "-l".as_ref(), last.as_ref(), pdf.as_os_str(), prefix.as_os_str()];
    tools::run(Tool::PdfToPpm, &pdftoppm, &args, deadline)?;
    let mut pages: Vec<_> = std::fs::read_dir(dir.path())
        .map_err(|e| IngestError::Failed(format!("reading rendered pages: {e}")))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "png"))
        .collect();
    pages.sort();
    let mut read = Vec::new();
    for page in &pages {
        deadline.check()?;
        read.push(recognise(&tesseract, page, deadline)?);
    }
    Ok(Words::join(read))
}

fn scratch() -> Result<tempfile::TempDir, IngestError> {
    tempfile::Builder::new().prefix("chronicle-ocr").tempdir().map_err(|e| IngestError::Failed(format!("making a scratch folder: {e}")))
}

/// Tesseract's word table for one image, in the languages it has of English and Russian.
fn recognise(tesseract: &Path, image: &Path, deadline: &Deadline) -> Result<Words, IngestError> {
    let languages = languages(tesseract, deadline);
    let args: [&OsStr; 5] = [image.as_os_str(), "stdout".as_ref(), "-l".as_ref(), languages.as_ref(), "tsv".as_ref()];
    let tsv = tools::run(Tool::Tesseract, tesseract, &args, deadline)?;
    Ok(Words::from_tsv(&String::from_utf8_lossy(&tsv)))
}

/// `eng+rus`, or those of them installed (English when it cannot tell).
fn languages(tesseract: &Path, deadline: &Deadline) -> String {
    let listed = tools::run(Tool::Tesseract, tesseract, &["--list-langs".as_ref()], deadline).unwrap_or_default();
    let listed = String::from_utf8_lossy(&listed);
    let have: Vec<&str> = ["eng", "rus"].into_iter().filter(|l| listed.lines().any(|line| line.trim() == *l)).collect();
    if have.is_empty() { "eng".into() } else { have.join("+") }
}

/// Recognised words in reading order: the text with its line and paragraph
/// breaks, and each word's confidence weighed by its length.
#[derive(Debug, Default)]
struct Words {
    text: String,
    weighed: f64,
    chars: f64,
}

impl Words {
    /// Tesseract's TSV: one row per word (level 5), numbered by block, paragraph and line.
    fn from_tsv(tsv: &str) -> Words {
        let mut words = Words::default();
        let mut at: Option<(&str, &str, &str, &str)> = None;
        for row in tsv.lines().skip(1) {
            let cells: Vec<&str> = row.split('\t').collect();
            let [level, page, block, par, line, _, _, _, _, _, conf, text] = cells[..] else { continue };
            let (Ok(conf), text) = (conf.parse::<f64>(), text.trim()) else { continue };
            if level != "5" || text.is_empty() || conf < 0.0 {
                continue;
            }
            let here = (page, block, par, line);
            match at {
                Some(prev) if (prev.0, prev.1, prev.2) != (page, block, par) => words.text.push_str("\n\n"),
                Some(prev) if prev.3 != line => words.text.push('\n'),
                Some(_) => words.text.push(' '),
                None => {}
            }
            at = Some(here);
            words.text.push_str(text);
            let n = text.chars().count() as f64;
            words.weighed += conf / 100.0 * n;
            words.chars += n;
        }
        words
    }

    /// Pages' words one after the other.
    fn join(pages: Vec<Words>) -> Recognised {
        let (weighed, chars) = pages.iter().fold((0.0, 0.0), |(w, c), p| (w + p.weighed, c + p.chars));
        let text = pages.into_iter().map(|p| p.text).filter(|t| !t.is_empty()).collect::<Vec<_>>().join("\n\n");
        Recognised { text, confidence: if chars > 0.0 { (weighed / chars) as f32 } else { 0.0 } }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TSV: &str = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext
1\t1\t0\t0\t0\t0\t0\t0\t100\t100\t-1\t
5\t1\t1\t1\t1\t1\t0\t0\t10\t10\t90\tOne
5\t1\t1\t1\t1\t2\t0\t0\t10\t10\t80\tline
5\t1\t1\t1\t2\t1\t0\t0\t10\t10\t70\tnext
5\t1\t2\t1\t1\t1\t0\t0\t10\t10\t-1\t 
5\t1\t2\t1\t1\t2\t0\t0\t10\t10\t50\tpara
";

    #[test]
    fn words_keep_their_lines_and_paragraphs_and_weigh_confidence_by_length() {
        let got = Words::join(vec![Words::from_tsv(TSV)]);
        assert_eq!(got.text, "One line\nnext\n\npara");
        let expected = (0.9 * 3.0 + 0.8 * 4.0 + 0.7 * 4.0 + 0.5 * 4.0) / 15.0;
        assert!((got.confidence as f64 - expected).abs() < 1e-6, "{}", got.confidence);
    }

    #[test]
    fn nothing_recognised_has_no_confidence() {
        let got = Words::join(vec![Words::from_tsv("header\n"), Words::default()]);
        assert_eq!((got.text.as_str(), got.confidence), ("", 0.0));
    }
}
