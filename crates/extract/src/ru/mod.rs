//! Russian extraction: persons, organisations, places, dates and events from
//! Russian text, on the OpenCorpora morphology ([`morph`]).
//!
//! The text is split into the same tokens and sentences as English text
//! ([`crate::text`]); each word gets its readings (lemma, case, number,
//! gender, name or place). The finders then work on lemmas and cases, so that
//! every inflected form of a name or a trigger is one thing:
//! - [`dates`]: absolute and relative dates, resolved against the publication date;
//! - [`orgs`] and [`places`]: organisations (lexicon and noun-phrase shapes) and places;
//! - [`names`]: persons, grouped to one nominative name;
//! - [`events`]: trigger lemmas, their victims and agents found by case and voice.

pub(crate) mod dates;
pub(crate) mod decline;
pub(crate) mod events;
mod gazetteer;
pub(crate) mod inflect;
pub mod morph;
pub(crate) mod names;
pub(crate) mod orgs;
pub(crate) mod places;
pub(crate) mod terms;

use crate::text::{self, CharIndex, Sentence, Token};
use crate::Extractor;
use chronicle_model::{Country, Document, Extraction, OrgCategory, PartialDate};
use morph::{Gram, Morph, Reading};
use std::sync::Arc;

/// The rule-based Russian extractor.
#[derive(Debug, Default, Clone, Copy)]
pub struct RussianExtractor;

impl Extractor for RussianExtractor {
    fn name(&self) -> &'static str {
        "rules-ru/1"
    }

    fn accepts(&self, doc: &Document) -> bool {
        doc.language.as_deref() == Some("ru")
    }

    fn extract_raw(&self, doc: &Document) -> Extraction {
        extract_text(&doc.text, doc.published)
    }
}

/// A document as the Russian finders see it: tokens, sentences and the
/// readings of every word (empty for numbers and punctuation).
pub(crate) struct Doc<'a> {
    pub text: &'a str,
    pub tokens: Vec<Token<'a>>,
    pub sentences: Vec<Sentence>,
    pub readings: Vec<Arc<[Reading]>>,
    /// Each token in lower case, made once; and with ё written е.
    lower: Vec<std::borrow::Cow<'a, str>>,
    /// Only for the tokens with a ё.
    folded: Vec<Option<String>>,
    pub published: Option<PartialDate>,
    /// Byte to character offsets, made when first needed.
    chars: std::sync::OnceLock<CharIndex>,
}

impl<'a> Doc<'a> {
    pub fn new(text: &'a str, published: Option<PartialDate>) -> Self {
        let tokens = text::tokenize(text);
        let sentences = text::sentences(&tokens);
        let none: Arc<[Reading]> = Arc::from(Vec::new());
        let lower: Vec<std::borrow::Cow<'a, str>> = tokens.iter().map(|t| if has_upper(t.text) { lower_case(t.text).into() } else { t.text.into() }).collect();
        let readings = tokens
            .iter()
            .zip(&lower)
            .map(|(t, l)| if t.is_word() && t.text.chars().any(is_cyrillic) { Morph::get().readings(&fold_lookalikes(l)) } else { none.clone() })
            .collect();
        let folded = lower.iter().map(|l| l.contains('ё').then(|| l.replace('ё', "е"))).collect();
        Doc { text, tokens, sentences, readings, published, lower, folded, chars: std::sync::OnceLock::new() }
    }

    /// Whether some reading of token `i` has all of `g`.
    pub fn can_be(&self, i: usize, g: Gram) -> bool {
        self.readings.get(i).is_some_and(|r| r.iter().any(|r| r.gram.has(g)))
    }

    /// Whether token `i` has a reading of lemma `lemma` (and grammemes `g`).
    pub fn is_lemma(&self, i: usize, lemma: &str, g: Gram) -> bool {
        self.readings.get(i).is_some_and(|r| r.iter().any(|r| r.lemma == lemma && r.gram.has(g)))
    }

    /// The best reading's lemma of token `i`, or its lower-cased text.
    pub fn lemma(&self, i: usize) -> &str {
        match self.readings.get(i).and_then(|r| r.first()) {
            Some(r) => &r.lemma,
            None => self.lower(i),
        }
    }

    /// The table of character offsets.
    pub fn chars(&self) -> &CharIndex {
        self.chars.get_or_init(|| CharIndex::new(self.text))
    }

    /// Token `i` in lower case ("" past the end).
    pub fn lower(&self, i: usize) -> &str {
        self.lower.get(i).map_or("", |l| l.as_ref())
    }

    /// Token `i` in lower case with ё written е ("" past the end).
    pub fn folded(&self, i: usize) -> &str {
        match self.folded.get(i) {
            Some(Some(f)) => f,
            _ => self.lower(i),
        }
    }

    /// The sentence holding token `i`.
    pub fn sentence_of(&self, i: usize) -> Sentence {
        let k = self.sentences.partition_point(|s| s.end <= i);
        self.sentences.get(k).copied().unwrap_or(Sentence { start: i, end: i + 1 })
    }

    /// The text of tokens `[a, b)` as written.
    pub fn slice(&self, a: usize, b: usize) -> &'a str {
        &self.text[self.tokens[a].start..self.tokens[b - 1].end]
    }
}

/// Whether `s` has an upper-case letter (the Russian alphabet and ASCII told at once).
pub(crate) fn has_upper(s: &str) -> bool {
    s.chars().any(|c| match c {
        'А'..='Я' | 'Ё' => true,
        'а'..='я' | 'ё' => false,
        c if c.is_ascii() => c.is_ascii_uppercase(),
        c => c.is_uppercase(),
    })
}

/// Lower case, the Russian alphabet and ASCII done at once (the rest by Unicode).
fn lower_case(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            'А'..='Я' => out.push(char::from_u32(c as u32 + 32).unwrap_or(c)),
            'Ё' => out.push('ё'),
            c if c.is_ascii() => out.push(c.to_ascii_lowercase()),
            'а'..='я' | 'ё' => out.push(c),
            c => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// A Cyrillic word typed with Latin letters that look the same ("Cергей"
/// with a Latin C) is read as the Cyrillic word.
pub(crate) fn fold_lookalikes(word: &str) -> std::borrow::Cow<'_, str> {
    fn cyrillic_twin(c: char) -> Option<char> {
        Some(match c {
            'a' => 'а', 'c' => 'с', 'e' => 'е', 'o' => 'о', 'p' => 'р', 'x' => 'х', 'y' => 'у',
            'A' => 'А', 'C' => 'С', 'E' => 'Е', 'H' => 'Н', 'K' => 'К', 'M' => 'М', 'O' => 'О', 'P' => 'Р', 'T' => 'Т', 'X' => 'Х', 'B' => 'В',
            _ => return None,
        })
    }
    // Most words are all Cyrillic or all Latin: two cheap passes tell.
    if word.is_ascii() || !word.bytes().any(|b| b.is_ascii_alphabetic()) || !word.chars().any(is_cyrillic) {
        return word.into();
    }
    word.chars().map(|c| cyrillic_twin(c).unwrap_or(c)).collect::<String>().into()
}

pub(crate) fn is_cyrillic(c: char) -> bool {
    matches!(c, '\u{0400}'..='\u{04FF}')
}

/// An organisation found in the document, its mentions as token ranges.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct FoundOrg {
    /// Shared with the English lexicon's key for the same body ("federal-security-service").
    pub key: String,
    /// The nominative name ("Мещанский районный суд Москвы").
    pub name: String,
    pub mentions: Vec<(usize, usize)>,
    pub category: Option<OrgCategory>,
    pub country: Option<Country>,
}

/// A place found in the document, as a token range, with its nominative name.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct FoundPlace {
    pub name: String,
    pub country: Option<Country>,
    pub start: usize,
    pub end: usize,
}

/// Extraction over Russian text, with the publication date that anchors relative dates.
pub fn extract_text(text: &str, published: Option<PartialDate>) -> Extraction {
    let doc = Doc::new(text, published);
    let dates = dates::find_dates(&doc);
    let places = places::find_places(&doc);
    let orgs = orgs::find_orgs(&doc, &places);
    let persons = names::find_persons(&doc, &orgs, &places);
    let events = events::find_events(&doc, &persons, &orgs, &places, &dates);
    assemble(&doc, persons, orgs, places, events)
}

/// The finders' token ranges turned into the model's character spans and quotes.
fn assemble(doc: &Doc<'_>, persons: Vec<names::FoundPerson>, orgs: Vec<FoundOrg>, places: Vec<FoundPlace>, events: Vec<chronicle_model::ExtractedEvent>) -> Extraction {
    use chronicle_model::{ExtractedOrg, ExtractedPerson, Mention, Place};
    let idx = doc.chars();
    let mention = |&(a, b): &(usize, usize)| Mention { text: doc.slice(a, b).to_string(), span: span_of(doc, &idx, a, b) };
    let orgs = orgs
        .into_iter()
        .map(|o| ExtractedOrg { key: o.key, name: o.name, mentions: o.mentions.iter().map(mention).collect(), category: o.category, country: o.country })
        .collect();
    let persons = persons
        .into_iter()
        .map(|p| ExtractedPerson {
            name: p.name,
            mentions: p.mentions.iter().map(mention).collect(),
            age: p.age,
            birth_year: p.birth_year,
            nationality: p.nationality,
            occupation: p.occupation,
            affiliations: p.affiliations,
            credit_only: false,
            relations: p.relations,
        })
        .collect();
    let places = places.into_iter().map(|p| Place { name: p.name, country: p.country, span: span_of(doc, &idx, p.start, p.end) }).collect();
    Extraction { persons, orgs, places, events, warnings: Vec::new() }
}

/// The character span of tokens `[a, b)`.
pub(crate) fn span_of(doc: &Doc<'_>, idx: &CharIndex, a: usize, b: usize) -> chronicle_model::Span {
    chronicle_model::Span::new(idx.char_at(doc.text, doc.tokens[a].start), idx.char_at(doc.text, doc.tokens[b - 1].end))
}
