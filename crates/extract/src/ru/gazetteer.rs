//! Multi-word names matched by lemma, so that every case form of a listed
//! name is found: "в Нижнем Новгороде" is the entry "Нижний Новгород",
//! "федеральной службе исполнения наказаний" the entry "Федеральная служба
//! исполнения наказаний". Abbreviations, Latin words and numbers are matched
//! as written; quotation marks in the text are skipped.

use super::morph::{Gram, Morph, Reading};
use super::Doc;
use crate::text::{tokenize, Kind};
// The word tables are looked up for every token: a fast hash (the Rust compiler's).
use rustc_hash::FxHashMap as HashMap;

/// One word of an entry.
#[derive(Debug, Clone)]
struct Word {
    /// The form as listed, lower case, ё read as е.
    form: String,
    /// The lemmas of its nominative readings (empty: matched as written).
    lemmas: Vec<String>,
    /// Listed with a capital and a common word: the text must have the capital too.
    capital: bool,
    /// An adjective, which must agree in case with the word after it.
    adjective: bool,
}

#[derive(Debug, Clone)]
struct Entry<T> {
    words: Vec<Word>,
    /// Listed in quotation marks: found only inside quotation marks.
    quoted: bool,
    value: T,
}

/// A match: the tokens `[start, end)` from the first word to the last (and
/// the closing quote of a quotation mark opened inside), and the entry's value.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Hit<'g, T> {
    pub start: usize,
    pub end: usize,
    pub value: &'g T,
    /// Whether the name stood in quotation marks.
    pub quoted: bool,
}

pub(crate) struct Gazetteer<T> {
    entries: Vec<Entry<T>>,
    /// Entry indices by every key of their first word (form and lemmas).
    by_key: HashMap<String, Vec<usize>>,
}

/// Lower case with ё read as е.
pub(crate) fn fold(s: &str) -> String {
    if !super::has_upper(s) && !s.contains('ё') {
        return s.to_string();
    }
    s.to_lowercase().replace('ё', "е")
}

pub(crate) fn is_quote(s: &str) -> bool {
    matches!(s, "«" | "»" | "\"" | "“" | "”" | "„" | "'" | "‘" | "’")
}

/// Upper case only: "ФСБ", and the letter of "центр «Э»".
fn is_abbreviation(w: &str) -> bool {
    w.chars().any(char::is_alphabetic) && !w.chars().any(char::is_lowercase)
}

/// A common word: the dictionary knows it without a name or place mark.
fn common(readings: &[Reading]) -> bool {
    readings.iter().any(|r| r.known && !r.gram.any(Gram::NAME | Gram::SURN | Gram::PATR | Gram::GEOX | Gram::ORGN | Gram::ABBR))
}

/// `strict`: in a name of one or two words, a listed capital on a common word is required.
fn word_of(text: &str, strict: bool) -> Word {
    let form = fold(text);
    let cyrillic = text.chars().any(super::is_cyrillic);
    let exact = !cyrillic || is_abbreviation(text) || text.chars().any(|c| c.is_ascii_digit());
    if exact {
        return Word { form, lemmas: Vec::new(), capital: false, adjective: false };
    }
    let readings = Morph::get().readings(text);
    let nominative: Vec<&Reading> = readings.iter().filter(|r| r.gram.has(Gram::NOMN) || r.gram.case().0 == 0).collect();
    let chosen: Vec<&Reading> = if nominative.is_empty() { readings.iter().collect() } else { nominative };
    let mut lemmas: Vec<String> = chosen.iter().map(|r| fold(&r.lemma)).collect();
    lemmas.dedup();
    let capital = strict && text.chars().next().is_some_and(char::is_uppercase) && common(&readings);
    let adjective = chosen.first().is_some_and(|r| r.known && r.gram.has(Gram::ADJF));
    Word { form, lemmas, capital, adjective }
}

impl<T> Gazetteer<T> {
    pub fn new() -> Self {
        Gazetteer { entries: Vec::new(), by_key: HashMap::default() }
    }

    /// Adds a name as listed ("Нижний Новгород", "«Фергана»").
    pub fn insert(&mut self, name: &str, value: T) {
        let toks: Vec<&str> = tokenize(name).into_iter().filter(|t| t.kind != Kind::Break).map(|t| t.text).collect();
        let quoted = toks.first().is_some_and(|t| is_quote(t));
        let toks: Vec<&str> = toks.into_iter().filter(|t| !is_quote(t)).collect();
        if toks.is_empty() {
            return;
        }
        let strict = toks.len() <= 2;
        let words: Vec<Word> = toks.iter().map(|t| word_of(t, strict)).collect();
        let idx = self.entries.len();
        let mut keys = words[0].lemmas.clone();
        keys.push(words[0].form.clone());
        keys.sort();
        keys.dedup();
        for k in keys {
            self.by_key.entry(k).or_default().push(idx);
        }
        self.entries.push(Entry { words, quoted, value });
    }

    /// The longest entry starting at token `i` (an opening quote may stand first).
    pub fn longest_at<'g>(&'g self, doc: &Doc<'_>, i: usize) -> Option<Hit<'g, T>> {
        let first = next_word(doc, i)?;
        let readings = &doc.readings[first];
        let keys = readings.iter().map(|r| r.plain.as_str()).chain(std::iter::once(doc.folded(first)));
        let mut best: Option<Hit<'g, T>> = None;
        for (n, k) in keys.enumerate() {
            // Readings share lemmas: each key is tried once.
            if readings.iter().take(n).any(|r| r.plain == k) {
                continue;
            }
            for &e in self.by_key.get(k).into_iter().flatten() {
                let entry = &self.entries[e];
                if let Some(hit) = self.try_entry(doc, i, entry) {
                    if best.as_ref().is_none_or(|b| hit.end > b.end) {
                        best = Some(hit);
                    }
                }
            }
        }
        best
    }

    fn try_entry<'g>(&'g self, doc: &Doc<'_>, i: usize, entry: &'g Entry<T>) -> Option<Hit<'g, T>> {
        let open = doc.tokens.get(i).is_some_and(|t| is_quote(t.text));
        let mut j = if open { i + 1 } else { i };
        let mut cases: Option<Gram> = None;
        let mut last = j;
        for (k, w) in entry.words.iter().enumerate() {
            // quotation marks inside a name ("Правозащитный центр «Мемориал»") are skipped
            while k > 0 && doc.tokens.get(j).is_some_and(|t| is_quote(t.text)) {
                j += 1;
            }
            let t = doc.tokens.get(j)?;
            if k > 0 && t.start > doc.tokens[last].end + 1 && doc.text[doc.tokens[last].end..t.start].contains('\n') {
                return None;
            }
            let c = word_matches(doc, j, w)?;
            if w.adjective || cases.is_some() {
                let shared = Gram(cases.unwrap_or(Gram::CASES).0 & c.0);
                if shared.0 == 0 {
                    return None;
                }
                cases = w.adjective.then_some(shared);
            }
            last = j;
            j += 1;
        }
        let start = if open { i + 1 } else { i };
        let mut end = last + 1;
        let inside_quotes = open || (i > 0 && is_quote(doc.tokens[i - 1].text));
        let closed = doc.tokens.get(end).is_some_and(|t| is_quote(t.text));
        // a quotation mark opened inside the name is closed inside it: "ПЦ «Мемориал»"
        let opened_inside = (start..end).filter(|&k| is_quote(doc.tokens[k].text)).count() % 2 == 1;
        if opened_inside && closed {
            end += 1;
        }
        let quoted = (inside_quotes || opened_inside) && closed;
        if entry.quoted && !quoted {
            return None;
        }
        Some(Hit { start, end, value: &entry.value, quoted })
    }
}

/// Token `i`, or the one after it when `i` is an opening quotation mark.
fn next_word(doc: &Doc<'_>, i: usize) -> Option<usize> {
    let t = doc.tokens.get(i)?;
    if is_quote(t.text) {
        return doc.tokens.get(i + 1).filter(|t| t.kind != Kind::Punct).map(|_| i + 1);
    }
    (t.kind != Kind::Punct && t.kind != Kind::Break).then_some(i)
}

/// Whether token `j` is word `w`: the cases it can have there (all cases for
/// a word matched as written), or None.
fn word_matches(doc: &Doc<'_>, j: usize, w: &Word) -> Option<Gram> {
    let t = &doc.tokens[j];
    let text = doc.folded(j);
    if w.lemmas.is_empty() {
        return (text == w.form).then_some(Gram::CASES);
    }
    if (w.capital && !t.is_capitalised()) || t.text.chars().count() < 2 {
        return None; // "М." is an initial, not Москва
    }
    let mut cases = Gram(0);
    let mut found = false;
    for r in doc.readings[j].iter() {
        if w.lemmas.iter().any(|l| *l == r.plain) {
            found = true;
            cases = cases | if r.gram.case().0 == 0 { Gram::CASES } else { r.gram.case() };
        }
    }
    if !found && text == w.form {
        return Some(Gram::CASES);
    }
    found.then_some(cases)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hit(names: &[&str], text: &str) -> Option<(String, bool)> {
        let mut g = Gazetteer::new();
        for n in names {
            g.insert(n, n.to_string());
        }
        let doc = Doc::new(text, None);
        (0..doc.tokens.len()).find_map(|i| g.longest_at(&doc, i).map(|h| (doc.slice(h.start, h.end).to_string(), h.quoted)))
    }

    #[test]
    fn every_case_form_is_found() {
        assert_eq!(hit(&["Нижний Новгород"], "приехал в Нижнем Новгороде вчера").unwrap().0, "Нижнем Новгороде");
        assert_eq!(hit(&["Федеральная служба исполнения наказаний"], "жалобу направили федеральной службе исполнения наказаний").unwrap().0, "федеральной службе исполнения наказаний");
    }

    #[test]
    fn a_common_word_needs_its_capital() {
        assert!(hit(&["Мемориал"], "открыли мемориал героям").is_none());
        assert_eq!(hit(&["Мемориал"], "сообщил Мемориал").unwrap().0, "Мемориал");
    }

    #[test]
    fn a_quoted_entry_needs_quotes() {
        assert!(hit(&["«Фергана»"], "жил в Фергане").is_none());
        assert_eq!(hit(&["«Фергана»"], "сообщила «Фергане» сестра").unwrap(), ("Фергане".to_string(), true));
    }

    #[test]
    fn abbreviations_are_matched_as_written() {
        assert_eq!(hit(&["ФСБ"], "сотрудники ФСБ задержали").unwrap().0, "ФСБ");
        assert!(hit(&["ПЦ «Мемориал»"], "ПЦ «Мемориал» сообщил").is_some());
    }

    #[test]
    fn an_adjective_must_agree_with_its_noun() {
        assert!(hit(&["Новая газета"], "новой газета").is_none());
    }
}
