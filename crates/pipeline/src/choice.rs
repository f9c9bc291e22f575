//! Which extractor reads a document: the one for its language, or none.
//!
//! English rules read English and text whose language was not detected
//! (detection gives up on short or mixed passages, where a short English
//! bulletin would be lost, while the English rules need English triggers
//! before they make an event; Cyrillic text is always detected, so an
//! undetected text is never Russian). Russian rules read Russian. Any other language is stored and searchable but not
//! extracted, and the store records [`NOT_EXTRACTED`] as its extractor, so
//! that a later `reextract` with an extractor for that language finds it.

use chronicle_extract::{Extractor, RuleExtractor, RussianExtractor};
use chronicle_model::{Document, Extraction};
use std::fmt;
use std::str::FromStr;

/// What the store records as the extractor of a document no extractor reads.
pub const NOT_EXTRACTED: &str = "none";

/// Every extractor, asked in this order whether it reads a document.
static EXTRACTORS: [&dyn Extractor; 2] = [&RuleExtractor, &RussianExtractor];

/// The extractor for `doc`'s language, if there is one.
pub fn extractor_for(doc: &Document) -> Option<&'static dyn Extractor> {
    EXTRACTORS.iter().copied().find(|e| e.accepts(doc))
}

/// A document's extraction and the name of the extractor that made it
/// ([`NOT_EXTRACTED`], with an empty extraction, when none reads it).
#[derive(Debug, Clone)]
pub struct Extracted {
    pub extraction: Extraction,
    pub extractor: &'static str,
}

/// Extracts `doc` with the extractor its language chooses. An extractor that
/// panics fails this document only (the panic is caught): the caller's other
/// documents go on.
pub fn extract(doc: &Document) -> Result<Extracted, ExtractorFailed> {
    extract_as(doc, Confidence::Calibrated)
}

/// Which confidence an extraction's events carry.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Confidence {
    /// Mapped to the share of such events found right (what users see).
    #[default]
    Calibrated,
    /// The rules' own, as fitting the calibration needs.
    Raw,
}

/// [`extract`], with the confidence asked for.
pub fn extract_as(doc: &Document, confidence: Confidence) -> Result<Extracted, ExtractorFailed> {
    match extractor_for(doc) {
        Some(e) => extract_with(e, doc, confidence),
        None => Ok(Extracted::nothing()),
    }
}

impl Extracted {
    /// What the store keeps of a document not extracted.
    pub fn nothing() -> Self {
        Extracted { extraction: Extraction::default(), extractor: NOT_EXTRACTED }
    }
}

fn extract_with(e: &dyn Extractor, doc: &Document, confidence: Confidence) -> Result<Extracted, ExtractorFailed> {
    let run = || match confidence {
        Confidence::Calibrated => e.extract(doc),
        Confidence::Raw => e.extract_raw(doc),
    };
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(run)) {
        Ok(extraction) => Ok(Extracted { extraction, extractor: e.name() }),
        Err(panic) => Err(ExtractorFailed { extractor: e.name(), why: panic_message(panic.as_ref()) }),
    }
}

/// An extractor that failed on a document (a bug to fix: the document is not
/// changed, and may be given to it again once fixed).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the extractor {extractor} failed on it: {why}")]
pub struct ExtractorFailed {
    pub extractor: &'static str,
    pub why: String,
}

fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    let text = panic.downcast_ref::<String>().map(String::as_str).or_else(|| panic.downcast_ref::<&str>().copied());
    text.unwrap_or("it panicked").to_string()
}

/// A document stored without extraction: no extractor reads its language,
/// or the one that does failed on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotExtracted {
    /// Where the document came from (a path, a file name).
    pub source: String,
    /// Its language, `None` when not detected.
    pub language: Option<String>,
    /// Some when an extractor reads the language but failed on this document.
    pub failed: Option<ExtractorFailed>,
}

impl NotExtracted {
    /// A document no extractor reads.
    pub fn of(doc: &Document) -> Self {
        NotExtracted { source: doc.source.clone(), language: doc.language.clone(), failed: None }
    }
}

impl fmt::Display for NotExtracted {
    /// Why, without the source (callers put it first, cleaned as they show it).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("stored and searchable, not extracted: ")?;
        match (&self.failed, &self.language) {
            (Some(failed), _) => write!(f, "{failed}"),
            (None, Some(l)) => write!(f, "no extractor reads its language ({l})"),
            (None, None) => write!(f, "its language was not detected"),
        }
    }
}

/// A language given for documents instead of the detected one (`chronicle
/// ingest --language`, the upload form): a two-letter lower-case ISO 639-1 code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Language(String);

impl Language {
    pub fn code(&self) -> &str {
        &self.0
    }
}

/// A language that is not two lower-case letters.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a language code: give its two lower-case letters (ISO 639-1), such as en, ru or de")]
pub struct BadLanguage(String);

impl FromStr for Language {
    type Err = BadLanguage;

    fn from_str(s: &str) -> Result<Self, BadLanguage> {
        if s.len() == 2 && s.bytes().all(|b| b.is_ascii_lowercase()) {
            Ok(Language(s.to_string()))
        } else {
            Err(BadLanguage(s.chars().take(20).collect()))
        }
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(language: Option<&str>, text: &str) -> Document {
        Document {
            id: "doc-test".into(),
            source: "test.txt".into(),
            sha256: String::new(),
            title: None,
            published: None,
            language: language.map(str::to_string),
            publisher: None,
            text: text.into(),
            reading: Default::default(),
            attached_to: None,
        }
    }

    fn chosen(language: Option<&str>) -> Option<&'static str> {
        extractor_for(&doc(language, "")).map(|e| e.name())
    }

    #[test]
    fn the_language_chooses_the_extractor() {
        assert_eq!(chosen(Some("en")), Some("rules-en/1"));
        assert_eq!(chosen(Some("ru")), Some("rules-ru/1"));
        assert_eq!(chosen(None), Some("rules-en/1"), "an undetected language is read as English");
        for other in ["de", "uk", "uz", "fr"] {
            assert_eq!(chosen(Some(other)), None, "{other}");
        }
    }

    #[test]
    fn a_language_without_extractor_gives_nothing_and_says_so() {
        let d = doc(Some("de"), "Der Journalist Walter Hansen wurde am Montag in Berlin festgenommen.");
        let got = extract(&d).unwrap();
        assert_eq!(got.extractor, NOT_EXTRACTED);
        assert_eq!(got.extraction, Extraction::default());
        let why = NotExtracted::of(&d).to_string();
        assert!(why.contains("not extracted") && why.contains("(de)"), "{why}");
    }

    #[test]
    fn english_text_is_extracted_by_the_english_rules() {
        let d = doc(Some("en"), "Police detained the journalist Walter Hansen in Tashkent on Monday.");
        let got = extract(&d).unwrap();
        assert_eq!(got.extractor, "rules-en/1");
        assert!(got.extraction.persons.iter().any(|p| p.name == "Walter Hansen"), "{:?}", got.extraction.persons);
    }

    /// An extractor with a bug in it.
    struct Broken;

    impl Extractor for Broken {
        fn name(&self) -> &'static str {
            "broken/1"
        }
        fn accepts(&self, _: &Document) -> bool {
            true
        }
        fn extract_raw(&self, doc: &Document) -> Extraction {
            panic!("no rule for {:?}", doc.text)
        }
    }

    #[test]
    fn an_extractor_that_panics_fails_the_document_and_says_which_and_why() {
        let err = extract_with(&Broken, &doc(Some("ru"), "ъъ"), Confidence::Calibrated).unwrap_err();
        assert_eq!(err, ExtractorFailed { extractor: "broken/1", why: "no rule for \"ъъ\"".into() });
        assert_eq!(err.to_string(), "the extractor broken/1 failed on it: no rule for \"ъъ\"");
    }

    #[test]
    fn a_language_is_two_lower_case_letters() {
        assert_eq!("ru".parse::<Language>().unwrap().code(), "ru");
        for bad in ["", "r", "р", "RU", "Ru", "rus", "ru-RU", "р у", "r1", "de "] {
            let err = bad.parse::<Language>().unwrap_err().to_string();
            assert!(err.contains("not a language code") && err.contains("two lower-case letters"), "{bad:?}: {err}");
        }
    }

    #[test]
    fn a_bad_language_is_quoted_short_and_escaped() {
        let err = "\u{1b}[31mxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx".parse::<Language>().unwrap_err().to_string();
        assert!(!err.contains('\u{1b}'), "{err}");
        assert!(err.len() < 140, "{err}");
    }
}
