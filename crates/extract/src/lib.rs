//! Extraction: a document's text to persons, organisations, places, dates and
//! events, each fact with the passage that supports it.
//!
//! Pure functions over text. Lexicons and trigger lists are data files under
//! `data/`. Extractors sit behind [`Extractor`], so that others (Russian, a
//! statistical model) can stand beside the English rules.

pub mod calibration;
mod consistency;
mod countries;
mod dates;
mod entities;
mod events;
mod lexicon;
mod org_patterns;
pub mod ru;
mod text;

use chronicle_model::{
    Document, EntityRef, ExtractedEvent, ExtractedOrg, ExtractedPerson, Extraction, Mention, Place, Source, Span,
};
use entities::Tag;
use lexicon::Lexicon;
use text::CharIndex;

pub use lexicon::slug;
pub use ru::RussianExtractor;

/// Turns a document into an [`Extraction`].
pub trait Extractor: Send + Sync {
    /// A short name recorded with every extraction run ("rules-en/1").
    fn name(&self) -> &'static str;
    /// Whether this extractor reads the document's language.
    fn accepts(&self, doc: &Document) -> bool;
    /// The extraction with the rules' own confidences, as they stand before
    /// calibration (what fitting the calibration reads).
    fn extract_raw(&self, doc: &Document) -> Extraction;
    /// The extraction with each event's confidence calibrated: of the events
    /// given 0.9, about nine in ten were right on the annotated reports.
    fn extract(&self, doc: &Document) -> Extraction {
        let mut extraction = self.extract_raw(doc);
        calibration::apply(self.name(), &mut extraction);
        extraction
    }
}

/// The rule-based English extractor.
#[derive(Debug, Default, Clone, Copy)]
pub struct RuleExtractor;

impl Extractor for RuleExtractor {
    fn name(&self) -> &'static str {
        "rules-en/1"
    }

    fn accepts(&self, doc: &Document) -> bool {
        doc.language.as_deref().is_none_or(|l| l == "en")
    }

    fn extract_raw(&self, doc: &Document) -> Extraction {
        extract_text(&doc.text, doc.published)
    }
}

/// Extraction over plain text, with the publication date that anchors relative dates.
pub fn extract_text(text: &str, published: Option<chronicle_model::PartialDate>) -> Extraction {
    let lex = Lexicon::get();
    let tokens = text::tokenize(text);
    let sentences = text::sentences(&tokens);
    let mut ents = entities::recognise(&tokens, &sentences, lex);
    mark_credits(&tokens, &sentences, &mut ents);
    let dates = dates::find_dates(&tokens, published);
    let layout = events::Layout::new(&tokens, &sentences);
    let mut raw = events::extract_events(text, &tokens, &sentences, &layout, &ents, &dates, lex);
    countries::fill_countries(&mut raw, &tokens, &ents, lex);
    consistency::drop_contradictions(&mut raw, &ents);

    let idx = CharIndex::new(text);
    let span = |a: usize, b: usize| Span::new(idx.char_at(text, tokens[a].start), idx.char_at(text, tokens[b - 1].end));
    let mention = |a: usize, b: usize| Mention { text: text[tokens[a].start..tokens[b - 1].end].to_string(), span: span(a, b) };

    // Organisations that lost their mentions to a merge are dropped; indices are remapped.
    let mut org_map = vec![usize::MAX; ents.orgs.len()];
    let mut orgs = Vec::new();
    for (i, o) in ents.orgs.iter().enumerate() {
        if o.mentions.is_empty() {
            continue;
        }
        org_map[i] = orgs.len();
        orgs.push(ExtractedOrg {
            key: o.key.clone(),
            name: o.name.clone(),
            mentions: o.mentions.iter().map(|&(a, b)| mention(a, b)).collect(),
            category: o.category,
            country: o.country,
        });
    }
    let persons: Vec<ExtractedPerson> = ents
        .persons
        .iter()
        .map(|p| ExtractedPerson {
            name: p.name.clone(),
            mentions: p.mentions.iter().map(|&(a, b)| mention(a, b)).collect(),
            age: p.age,
            birth_year: None,
            nationality: p.nationality.clone(),
            occupation: occupations(&p.occupation),
            affiliations: p.affiliations.iter().filter_map(|&o| (org_map[o] != usize::MAX).then_some(org_map[o])).collect(),
            credit_only: p.credit_only,
            relations: p.relations.clone(),
        })
        .collect();
    let remap = |e: &EntityRef| match *e {
        EntityRef::Org(o) if org_map[o] != usize::MAX => Some(EntityRef::Org(org_map[o])),
        EntityRef::Org(_) => None,
        p => Some(p),
    };
    let places = ents
        .places
        .iter()
        .map(|p| Place { name: p.place.name.clone(), country: p.place.country, span: span(p.start, p.end) })
        .collect();
    let events = raw
        .into_iter()
        .map(|e| ExtractedEvent {
            kind: e.kind,
            date: e.date,
            place: e.place,
            country: e.country,
            to_country: e.to_country,
            victims: e.victims.iter().filter_map(remap).collect(),
            perpetrators: e.perpetrators.iter().filter_map(remap).collect(),
            term_years: e.term_years,
            regime: e.regime,
            charges: e.charges,
            confidence: e.confidence,
            sources: e
                .sources
                .iter()
                .map(|&(a, b)| Source { span: span(a, b), quote: text[tokens[a].start..tokens[b - 1].end].to_string() })
                .collect(),
        })
        .collect();
    Extraction { persons, orgs, places, events, warnings: Vec::new() }
}

/// Bylines and photo credits: a person named only in a line of their own
/// ("By Jane Doe", "Paul Goble", "Sergei Bobylev/TASS") is credited, not an actor.
fn mark_credits(tokens: &[text::Token<'_>], sentences: &[text::Sentence], ents: &mut entities::Entities) {
    for (pi, p) in ents.persons.iter_mut().enumerate() {
        p.credit_only = p.mentions.iter().all(|&(a, b)| {
            let Some(s) = sentences.iter().find(|s| s.start <= a && b <= s.end) else { return false };
            tokens[s.start..s.end].iter().enumerate().all(|(k, t)| {
                let k = s.start + k;
                ents.tags[k] == Tag::Person(pi)
                    || matches!(t.lower().as_str(), "by" | "photo" | "photograph" | "credit" | "written" | "/" | ":" | "," | "." | "|" | "(" | ")")
                    || matches!(ents.tags[k], Tag::Org(_))
            })
        });
    }
}

/// Occupations as said, tidied: words that are no part of one dropped from
/// the front ("to lawyer", "detained opposition blogger"), and one inside a
/// fuller one ("rights defender" in "human rights defender") left out.
fn occupations(said: &[String]) -> Vec<String> {
    const NOT_PART: &[&str] = &["to", "for", "of", "at", "in", "with", "by", "from", "and", "detained", "arrested", "jailed", "imprisoned", "abducted", "deported", "sentenced", "convicted", "missing", "late"];
    let mut out: Vec<String> = Vec::new();
    for o in said {
        let words: Vec<&str> = o.split_whitespace().collect();
        let first = words.iter().position(|w| !NOT_PART.contains(w)).unwrap_or(words.len());
        let o = words[first..].join(" ");
        if !o.is_empty() && !out.contains(&o) {
            out.push(o);
        }
    }
    let all = out.clone();
    out.retain(|o| !all.iter().any(|f| f.len() > o.len() && f.ends_with(&format!(" {o}"))));
    out
}

#[cfg(test)]
mod occupation_tests {
    #[test]
    fn occupations_lose_what_is_no_part_of_them() {
        let said = ["to lawyer", "detained opposition blogger", "rights defender", "human rights defender", "lawyer"].map(String::from);
        assert_eq!(super::occupations(&said), ["lawyer", "opposition blogger", "human rights defender"]);
    }
}

#[cfg(test)]
mod robustness_tests {
    /// Text that ends where a rule looks a few words ahead ("beat his cousin,"
    /// with nothing after the comma) is read to its end and no further.
    #[test]
    fn a_text_that_ends_inside_a_phrase_is_read_to_its_end() {
        for text in ["Officers beat his cousin,", "Karim was beaten by police who beat his brother, ", "Police detained her"] {
            let _ = super::extract_text(text, None);
        }
    }
}
