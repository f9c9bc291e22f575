//! Words to their stems, for full-text search on both engines: a Cyrillic
//! word by Snowball's Russian algorithm, a Latin one by Snowball's English
//! (Porter2) — as PostgreSQL's `russian` configuration splits them — so
//! задержан meets задержали and arrested meets arrests. Both engines index
//! the stems of a document's title and text and look up the stems of the
//! query's words; the text shown stays as written.

use rust_stemmers::{Algorithm, Stemmer};
use std::sync::OnceLock;
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// The words of `text` as (byte offset, word): runs of letters, digits and
/// the marks on them; anything else ends a word.
pub(crate) fn words(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut rest = text.char_indices().peekable();
    std::iter::from_fn(move || {
        let (start, _) = rest.by_ref().find(|(_, c)| is_word_char(*c))?;
        let mut end = text.len();
        while let Some(&(i, c)) = rest.peek() {
            if !is_word_char(c) {
                end = i;
                break;
            }
            rest.next();
        }
        Some((start, &text[start..end]))
    })
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || is_combining_mark(c)
}

/// The stem one word of text is indexed and searched under.
pub(crate) fn stem(word: &str) -> String {
    let lower = word.to_lowercase();
    if lower.chars().any(is_cyrillic) {
        return russian(&lower);
    }
    // Latin without its accents (Zarína, Zarina): Porter2 knows only a-z as vowels.
    let plain: String = lower.nfkd().filter(|c| !is_combining_mark(*c)).collect();
    if plain.chars().all(|c| c.is_ascii_alphabetic()) {
        return stemmer(&ENGLISH, Algorithm::English).stem(&plain).into_owned();
    }
    plain
}

fn is_cyrillic(c: char) -> bool {
    matches!(c, '\u{0400}'..='\u{052F}')
}

static RUSSIAN: OnceLock<Stemmer> = OnceLock::new();
static ENGLISH: OnceLock<Stemmer> = OnceLock::new();

fn stemmer(cell: &'static OnceLock<Stemmer>, algorithm: Algorithm) -> &'static Stemmer {
    cell.get_or_init(|| Stemmer::create(algorithm))
}

/// The fewest letters a Russian stem keeps: a shorter one would meet
/// unrelated short words (заявил → заяв → зая → за, the preposition).
const MIN_STEM: usize = 3;

/// A lower-case Cyrillic word's stem: stress marks dropped, ё written е (as
/// most Russian text writes it), then Snowball's stem, of that stem again,
/// until it changes no more or would keep fewer than [`MIN_STEM`] letters.
/// Once is not enough for names: the stem of an oblique case is the
/// nominative (Хамроеву → хамроев, Рустаму → рустам), whose own stem is
/// shorter (хамро, руст), its -ев or -ам taken for an ending; stemmed to the
/// end, every form meets (хамр, руст). So do a verb's forms and its noun
/// (задержали → задержа → задерж, задержание → задержан → задержа → задерж).
fn russian(lower: &str) -> String {
    let mut stem: String = lower.chars().filter(|c| !is_combining_mark(*c)).map(|c| if c == 'ё' { 'е' } else { c }).collect();
    let snowball = stemmer(&RUSSIAN, Algorithm::Russian);
    loop {
        let again = snowball.stem(&stem);
        if again == stem || again.chars().count() < MIN_STEM {
            return stem;
        }
        stem = again.into_owned();
    }
}

/// The stems of `text`'s words, one per word, separated by spaces: what the
/// engines index (each word keeps its place, so phrases still match).
pub(crate) fn stemmed(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (_, w) in words(text) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&stem(w));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stems(text: &str) -> Vec<String> {
        words(text).map(|(_, w)| stem(w)).collect()
    }

    fn all_same(forms: &str) {
        let s = stems(forms);
        assert!(s.iter().all(|x| *x == s[0]), "{forms}: {s:?}");
    }

    #[test]
    fn the_forms_of_a_russian_word_meet() {
        all_same("задержан задержана задержали задержала задержанный задержание задержанием");
        all_same("арестован арестована арестовали арестованы арест ареста");
        all_same("обвинение обвинения обвинили обвинен обвиняемый");
        all_same("активист активиста активистов активистами");
        all_same("суд суда суду судом");
    }

    #[test]
    fn the_forms_of_a_surname_meet_his_and_hers() {
        all_same("Хамроев Хамроева Хамроеву Хамроевым Хамроеве Хамроевой Хамроевых");
        all_same("Назаров Назарова Назарову Назаровым Назаровой");
        all_same("Алиев Алиева Алиеву Алиевой");
        all_same("Бахром Бахрома Бахрому Бахромом");
        all_same("Рустам Рустама Рустаму Рустамом");
        all_same("Путин Путина Путину Путиным");
        all_same("Олим Олима Олиму Олимом");
        assert_eq!(stem("заявил"), stem("заявила"));
        assert_ne!(stem("заявил"), stem("за"), "a stem keeps three letters");
    }

    #[test]
    fn english_words_are_stemmed_and_accents_dropped() {
        all_same("arrested arrest arrests arresting");
        assert_eq!(stem("Zarína"), stem("zarina"));
        assert_eq!(stem("Ёлкин"), stem("елкин"));
        assert_eq!(stem("14"), "14");
    }

    #[test]
    fn words_are_runs_of_letters_and_digits() {
        let w: Vec<(usize, &str)> = words("Он — «Хамроев», 59-летний; x86").collect();
        let offsets: Vec<usize> = w.iter().map(|(i, _)| *i).collect();
        assert_eq!(w.iter().map(|(_, w)| *w).collect::<Vec<_>>(), ["Он", "Хамроев", "59", "летний", "x86"]);
        assert_eq!(offsets[1], "Он — «".len());
        assert_eq!(stemmed("Хамроеву предъявили"), format!("{} {}", stem("Хамроев"), stem("предъявили")));
    }
}
