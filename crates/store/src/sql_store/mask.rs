//! Masking a hidden person's names wherever text is shown, not only where
//! extraction took them as a mention: every spelling on record, found in any
//! case, accent and script ([`chronicle_link::script::fold_words`]), in any
//! romanisation ([`canon`]), with the case endings running text gives a name
//! (Karimova's, Каримовой), and masked character for character ([`redact`]).

use super::access::{redact, Redactions};
use super::search;
use super::{SqlStore, HIDDEN_DOCS, HIDDEN_PERSONS};
use crate::{Result, SearchHit};
use chronicle_link::names::canon;
use chronicle_link::script::{fold_words, FoldedWord};
use chronicle_model::Document;
use std::collections::{HashMap, HashSet};
use std::sync::Mutex;

/// Endings a name takes in running text, as folded: the English possessive
/// and the Russian case endings (-у, -а, -е, -ы, -и, -ом, -ем, -ым, -им,
/// -ой, -ей, -ою, -ею, -ю, -я).
const ENDINGS: &[&str] = &["s", "a", "u", "e", "y", "i", "om", "em", "ym", "im", "oy", "ey", "oyu", "eyu", "yu", "ya"];

/// The shortest folded spelling of one word that is masked on its own: an
/// initial or a two-letter word would mask half of every text.
const MIN_ALONE: usize = 3;

/// A stem shorter than this is not taken for a name with an ending.
const MIN_STEM: usize = 3;

/// A word of a spelling: its romanisation-neutral form and, for a form in
/// -a/-ya (hers: Karimova), the stem her oblique cases are built on.
#[derive(Debug, Clone)]
struct SpellWord {
    canon: String,
    feminine_stem: Option<String>,
}

/// A folded word of running text in the forms it may be a name's word in.
#[derive(Debug, Clone)]
struct Forms {
    canon: String,
    /// Without each ending it has.
    stems: Vec<String>,
}

impl Forms {
    fn of(folded: &str) -> Forms {
        let stems = ENDINGS.iter().filter_map(|e| folded.strip_suffix(e)).filter(|s| s.chars().count() >= MIN_STEM).map(canon).collect();
        Forms { canon: canon(folded), stems }
    }

    fn is(&self, s: &SpellWord) -> bool {
        self.canon == s.canon
            || self.stems.iter().any(|t| *t == s.canon || s.feminine_stem.as_ref() == Some(t))
    }

    /// The keys a spelling starting with this word is filed under.
    fn keys(&self) -> impl Iterator<Item = &String> {
        std::iter::once(&self.canon).chain(&self.stems)
    }
}

/// Names to mask in any text: the spellings of the persons a reader may not see.
#[derive(Debug, Default)]
pub struct NameMask {
    /// Spellings by the keys of their first word (its form, and her stem).
    by_first: HashMap<String, Vec<Vec<SpellWord>>>,
    /// The forms of every word of every spelling.
    words: HashSet<String>,
    /// The forms of each word of text seen so far, if it may be a name's word:
    /// running text repeats its words, and folding them is the cost.
    seen: Mutex<HashMap<String, Option<Forms>>>,
}

impl NameMask {
    /// The mask of these spellings (names as written, any script).
    pub fn new<S: AsRef<str>>(spellings: impl IntoIterator<Item = S>) -> NameMask {
        let mut mask = NameMask::default();
        for s in spellings {
            mask.add(s.as_ref());
        }
        mask
    }

    fn add(&mut self, spelling: &str) {
        let words: Vec<SpellWord> = fold_words(spelling).into_iter().map(|w| spell_word(&w.text)).collect();
        let alone_too_short = words.len() == 1 && words[0].canon.chars().count() < MIN_ALONE;
        if words.is_empty() || alone_too_short {
            return;
        }
        for w in &words {
            self.words.insert(w.canon.clone());
            self.words.extend(w.feminine_stem.clone());
        }
        let first = &words[0];
        let mut keys = vec![first.canon.clone()];
        keys.extend(first.feminine_stem.clone());
        for key in keys {
            let list = self.by_first.entry(key).or_default();
            if !list.iter().any(|w| same_words(w, &words)) {
                list.push(words.clone());
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.by_first.is_empty()
    }

    /// The character ranges of `text` that write one of the names.
    pub fn spans(&self, text: &str) -> Vec<(usize, usize)> {
        if self.is_empty() {
            return Vec::new();
        }
        let words: Vec<(FoldedWord, Option<Forms>)> = {
            let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
            fold_words(text).into_iter().map(|w| {
                let forms = match seen.get(&w.text) {
                    Some(f) => f.clone(),
                    None => {
                        let f = Some(Forms::of(&w.text)).filter(|f| f.keys().any(|k| self.words.contains(k)));
                        seen.insert(w.text.clone(), f.clone());
                        f
                    }
                };
                (w, forms)
            }).collect()
        };
        let mut out = Vec::new();
        for (i, (w, forms)) in words.iter().enumerate() {
            let Some(forms) = forms else { continue };
            let longest = forms
                .keys()
                .filter_map(|k| self.by_first.get(k))
                .flatten()
                .filter(|spelling| {
                    spelling.len() <= words.len() - i && spelling.iter().zip(&words[i..]).all(|(s, (_, t))| t.as_ref().is_some_and(|t| t.is(s)))
                })
                .map(Vec::len)
                .max();
            if let Some(n) = longest {
                out.push((w.start, words[i + n - 1].0.end));
            }
        }
        out
    }

    /// `text` with the names masked, its length in characters kept.
    pub fn mask(&self, text: &str) -> String {
        redact(text, 0, &self.spans(text))
    }
}

fn spell_word(folded: &str) -> SpellWord {
    let feminine_stem = ["ya", "a"]
        .iter()
        .filter_map(|e| folded.strip_suffix(e))
        .find(|s| s.chars().count() >= MIN_STEM)
        .map(canon);
    SpellWord { canon: canon(folded), feminine_stem }
}

fn same_words(a: &[SpellWord], b: &[SpellWord]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.canon == y.canon)
}

/// What one reader may not see, ready to mask any text with: the places
/// extraction found (mentions of hidden persons, passages telling hidden
/// events) and the names of hidden persons wherever else they stand.
#[derive(Debug, Default)]
pub(crate) struct Masking {
    pub(crate) places: Redactions,
    pub(crate) names: NameMask,
}

impl Masking {
    /// Whether nothing is masked for this reader.
    pub(crate) fn is_empty(&self) -> bool {
        self.places.is_empty() && self.names.is_empty()
    }

    /// The character ranges to mask in the text of document `id`.
    pub(crate) fn text_spans(&self, id: &str, text: &str) -> Vec<(usize, usize)> {
        let mut spans = self.places.get(id).cloned().unwrap_or_default();
        spans.extend(self.names.spans(text));
        spans
    }

    /// A short text shown beside a document (a title, a source path, a publisher).
    pub(crate) fn field(&self, s: &str) -> String {
        self.names.mask(s)
    }

    /// Masks a document's text, title, source and publisher; returns whether anything was masked.
    pub(crate) fn document(&self, d: &mut Document) -> bool {
        let spans = self.text_spans(&d.id, &d.text);
        let mut masked = !spans.is_empty();
        if masked {
            d.text = redact(&d.text, 0, &spans);
        }
        for field in [Some(&mut d.source), d.title.as_mut(), d.publisher.as_mut()].into_iter().flatten() {
            let m = self.field(field);
            if m != *field {
                *field = m;
                masked = true;
            }
        }
        masked
    }
}

/// A search hit as the reader may see it.
pub(crate) enum HitView {
    /// Nothing of it is masked: as the engine found it.
    Unmasked,
    /// Title, source and snippet masked; the words were found where the reader sees them.
    Masked,
    /// The words stand only where they are masked: not a hit for this reader.
    Gone,
}

impl Masking {
    /// Masks a search hit on a document with this `text`: it is a hit only
    /// where the reader sees a word of every stem searched for (in any of its
    /// forms), and the passage shown is the masked one.
    pub(crate) fn search_hit(&self, hit: &mut SearchHit, text: &str, q: &search::Query) -> HitView {
        hit.source = self.field(&hit.source);
        let spans = self.text_spans(&hit.document, text);
        let title = hit.title.as_deref().map(|t| self.field(t));
        if spans.is_empty() && title == hit.title {
            return HitView::Unmasked;
        }
        hit.title = title;
        let text = redact(text, 0, &spans);
        let seen = format!("{}\n{}", hit.title.as_deref().unwrap_or(""), text);
        if !q.matches(&seen) {
            return HitView::Gone;
        }
        hit.snippet = search::snippet(&text, q).unwrap_or_else(|| text.chars().take(160).collect());
        HitView::Masked
    }
}

impl SqlStore {
    /// What the current reader may not see, after `refresh_hidden` said
    /// something may be hidden.
    pub(crate) fn masking(&self) -> Result<Masking> {
        Ok(Masking { places: self.redactions()?, names: NameMask::new(self.hidden_spellings()?) })
    }

    /// Every name on record of the persons hidden from the reader.
    fn hidden_spellings(&self) -> Result<Vec<String>> {
        self.db.col(
            &format!(
                "SELECT name FROM persons WHERE id IN {HIDDEN_PERSONS}
                 UNION SELECT name FROM person_names WHERE person_id IN {HIDDEN_PERSONS}
                 UNION SELECT text FROM mentions WHERE person_id IN {HIDDEN_PERSONS}"
            ),
            &[],
        )
    }

    /// The places to mask in the texts of these documents (all visible ones
    /// when None), for quotes of them: what extraction found, and the names.
    pub(crate) fn text_masks(&self, masking: &Masking, documents: Option<&[String]>) -> Result<Redactions> {
        if masking.names.is_empty() {
            return Ok(masking.places.clone());
        }
        let mut texts: Vec<(String, String)> = Vec::new();
        let row = |r: &crate::db::Row| -> Result<(String, String)> { Ok((r.get(0)?, r.get(1)?)) };
        match documents {
            None => {
                let sql = format!("SELECT id, text FROM documents WHERE id NOT IN {HIDDEN_DOCS}");
                texts = self.db.rows(&sql, &[])?.iter().map(row).collect::<Result<_>>()?;
            }
            Some(ids) => {
                let sql = format!("SELECT id, text FROM documents WHERE id = ?1 AND id NOT IN {HIDDEN_DOCS}");
                for id in ids {
                    texts.extend(self.db.row(&sql, &[id])?.as_ref().map(row).transpose()?);
                }
            }
        }
        Ok(texts.into_iter().map(|(id, text)| (id.clone(), masking.text_spans(&id, &text))).filter(|(_, s)| !s.is_empty()).collect())
    }

    /// Whether the reader's view of document `id` has anything masked (its
    /// original, which has it all, is then not handed out).
    pub(crate) fn masks_document(&self, id: &str) -> Result<bool> {
        let masking = self.masking()?;
        if masking.places.contains_key(id) {
            return Ok(true);
        }
        let sql = format!("SELECT {} FROM documents WHERE id = ?1 AND id NOT IN {HIDDEN_DOCS}", super::DOC_COLUMNS);
        let Some(row) = self.db.row(&sql, &[&id])? else { return Ok(false) };
        Ok(masking.document(&mut super::doc_row(&row)?.document))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::MASK;

    fn masked(mask: &NameMask, text: &str) -> String {
        mask.mask(text).chars().map(|c| if c == MASK { '#' } else { c }).collect()
    }

    #[test]
    fn every_spelling_is_found_in_any_case_script_accent_and_ending() {
        let mask = NameMask::new(["Zarina Karimova", "Karimova"]);
        assert_eq!(masked(&mask, "ZARINA KARIMOVA spoke."), "###### ######## spoke.");
        assert_eq!(masked(&mask, "Зарина Каримова и Каримовой"), "###### ######## и #########");
        assert_eq!(masked(&mask, "Zarína Karimova’s statement"), "###### ########## statement");
        assert_eq!(masked(&mask, "/reports/Zarina Karimova/statement.txt"), "/reports/###### ########/statement.txt");
        // Her husband's name is not hers, nor is a lone given name a spelling on record.
        assert_eq!(masked(&mask, "Ilhom Karimov and Zarina"), "Ilhom Karimov and Zarina");
    }

    #[test]
    fn romanisations_meet_and_short_words_alone_are_left() {
        let mask = NameMask::new(["Khamroyev", "A."]);
        assert_eq!(masked(&mask, "Hamroev, Хамроеву and A. Smith"), "#######, ######## and A. Smith");
    }
}
