//! Noun phrases put in the nominative: "таджикского министерства
//! нацбезопасности" → "таджикское министерство нацбезопасности", "узбекских
//! спецслужб" → "узбекские спецслужбы". Only the adjectives and the head noun
//! change; the genitive and prepositional complements after the head stay as
//! written, as they do in the nominative name.

use super::morph::{Gram, Morph, Reading};
use super::Doc;

/// The cases in which adjective `adj` agrees with noun `noun` (number, and
/// gender in the singular); empty when they cannot agree.
pub(crate) fn agreement(doc: &Doc<'_>, adj: usize, noun: usize) -> Gram {
    let mut shared = Gram(0);
    for a in doc.readings[adj].iter().filter(|r| r.gram.any(Gram::ADJF | Gram::PRTF)) {
        for n in doc.readings[noun].iter().filter(|r| r.gram.has(Gram::NOUN)) {
            let number = a.gram.any(Gram::PLUR) == n.gram.any(Gram::PLUR);
            let gender = n.gram.any(Gram::PLUR) || gender(a.gram) == gender(n.gram) || n.gram.has(Gram::MSF);
            if number && gender {
                shared = shared | Gram(a.gram.case().0 & n.gram.case().0);
            }
        }
    }
    shared
}

fn gender(g: Gram) -> u64 {
    g.0 & (Gram::MASC | Gram::FEMN | Gram::NEUT).0
}

/// The head noun's reading in one of `cases` (any case when `cases` is empty).
pub(crate) fn head_reading<'d>(doc: &'d Doc<'_>, head: usize, cases: Gram) -> Option<&'d Reading> {
    let nouns = || doc.readings[head].iter().filter(|r| r.gram.has(Gram::NOUN));
    nouns().find(|r| cases.0 == 0 || r.gram.any(cases)).or_else(|| nouns().next())
}

/// Writes `word` with the capitals of `like`: "Басманный" for "Басманного".
pub(crate) fn like_case(word: &str, like: &str) -> String {
    let letters: Vec<char> = like.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.len() > 1 && letters.iter().all(|c| c.is_uppercase()) {
        return word.to_uppercase();
    }
    if like.chars().next().is_some_and(char::is_uppercase) {
        let mut c = word.chars();
        return c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default();
    }
    word.to_string()
}

/// Keeps ё only where the text writes it.
fn plain_yo(word: &str, like: &str) -> String {
    if like.contains(['ё', 'Ё']) { word.to_string() } else { word.replace('ё', "е").replace('Ё', "Е") }
}

/// The nominative of tokens `[a, head]` (adjectives agreeing with the head
/// noun), followed by tokens `(head, end)` as written.
pub(crate) fn nominative_phrase(doc: &Doc<'_>, a: usize, head: usize, end: usize) -> String {
    let cases = if a < head { agreement(doc, head - 1, head) } else { Gram(0) };
    let reading = head_reading(doc, head, cases);
    let plural = reading.is_some_and(|r| r.gram.has(Gram::PLUR));
    let case = reading.map(|r| r.gram.case()).unwrap_or(Gram(0));
    let g = reading.map_or("masc", |r| if r.gram.has(Gram::FEMN) { "femn" } else if r.gram.has(Gram::NEUT) { "neut" } else { "masc" });
    let mut words = Vec::new();
    for i in a..=head {
        let t = doc.tokens[i].text;
        if !doc.tokens[i].is_word() || doc.readings[i].is_empty() {
            words.push(t.to_string());
            continue;
        }
        let to = if plural { "nomn,plur".to_string() } else if i == head { "nomn,sing".to_string() } else { format!("nomn,sing,{g}") };
        let want = if i == head { Gram::NOUN | case } else { adjective_reading(doc, i, case) };
        let form = Morph::get().inflect(t, want, &to).unwrap_or_else(|| t.to_lowercase());
        words.push(like_case(&plain_yo(&form, t), t));
    }
    let mut out = words.join(" ");
    if head + 1 < end {
        out.push(' ');
        out.push_str(doc.slice(head + 1, end));
    }
    out
}

/// The grammemes to pick the adjective's reading by: its part of speech in the head's case.
fn adjective_reading(doc: &Doc<'_>, i: usize, case: Gram) -> Gram {
    let r = doc.readings[i].iter().find(|r| r.gram.any(Gram::ADJF | Gram::PRTF) && (case.0 == 0 || r.gram.any(case)));
    match r {
        Some(r) if r.gram.has(Gram::PRTF) => Gram::PRTF | case,
        Some(_) => Gram::ADJF | case,
        None => Gram(0),
    }
}

/// The nominative of a one-word name ("Коммерсанту" → "Коммерсант"): its lemma, written like the text.
pub(crate) fn nominative_word(doc: &Doc<'_>, i: usize) -> String {
    let t = doc.tokens[i].text;
    match doc.readings[i].iter().find(|r| r.gram.has(Gram::NOUN)) {
        Some(r) if doc.tokens[i].is_word() => like_case(&plain_yo(&r.lemma, t), t),
        _ => t.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn phrase(text: &str, a: usize, head: usize, end: usize) -> String {
        let doc = Doc::new(text, None);
        nominative_phrase(&doc, a, head, end)
    }

    #[test]
    fn a_genitive_phrase_becomes_nominative() {
        assert_eq!(phrase("таджикского министерства нацбезопасности", 0, 1, 3), "таджикское министерство нацбезопасности");
        assert_eq!(phrase("Бабушкинской межрайонной прокуратуры", 0, 2, 3), "Бабушкинская межрайонная прокуратура");
    }

    #[test]
    fn a_plural_stays_plural() {
        assert_eq!(phrase("узбекских спецслужб", 0, 1, 2), "узбекские спецслужбы");
    }

    #[test]
    fn the_complement_is_kept_as_written() {
        assert_eq!(phrase("Тверского районного суда Москвы", 0, 2, 4), "Тверской районный суд Москвы");
    }
}
