//! Forms of one name that spelling rules alone do not bring together: given
//! names across languages and romanisations (Aleksandr, Oleksandr,
//! Alyaksandr), Korean and Burmese syllables, Arabic compounds written as one
//! word or three (Abd al-Hadi, Abdulhadi; Badr al-Din, Badreddine), and the
//! titles that stand beside a name without being part of it.
//!
//! The equivalents are data (`data/given_name_equivalents.txt`,
//! `data/word_equivalents.txt`, `data/honorifics.txt`), each a list of lines
//! that cite their sources.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

/// Given names, one a line: every form of the line is the same name.
pub const GIVEN_NAME_EQUIVALENTS: &str = include_str!("../data/given_name_equivalents.txt");
/// Surnames and syllables (Korean, Burmese), one a line.
pub const WORD_EQUIVALENTS: &str = include_str!("../data/word_equivalents.txt");
/// Honorifics, titles and ranks: no words of a name.
pub const HONORIFICS: &str = include_str!("../data/honorifics.txt");

/// The lines of a data file that are no comments, as lists of words.
pub fn data_lines(text: &str) -> impl Iterator<Item = Vec<&str>> {
    text.lines().filter(|l| !l.trim_start().starts_with('#')).map(|l| l.split_whitespace().collect::<Vec<_>>()).filter(|w| !w.is_empty())
}

/// One line of equivalents: its number, whether it is a given name, and the
/// romanisation-neutral form of its first word (its representative).
#[derive(Debug, Clone)]
pub struct Group {
    pub id: u32,
    pub given: bool,
    pub representative: String,
}

struct Equivalents {
    by_canon: HashMap<String, u32>,
    groups: Vec<Group>,
}

fn equivalents() -> &'static Equivalents {
    static EQ: OnceLock<Equivalents> = OnceLock::new();
    EQ.get_or_init(|| {
        let mut eq = Equivalents { by_canon: HashMap::new(), groups: Vec::new() };
        for (text, given) in [(GIVEN_NAME_EQUIVALENTS, true), (WORD_EQUIVALENTS, false)] {
            for line in data_lines(text) {
                let id = eq.groups.len() as u32;
                eq.groups.push(Group { id, given, representative: canon_of(line[0]) });
                for w in line {
                    // The first line naming a form keeps it (the tests refuse a form on two lines).
                    eq.by_canon.entry(canon_of(w)).or_insert(id);
                }
            }
        }
        eq
    })
}

fn canon_of(word: &str) -> String {
    crate::names::canon(&crate::script::fold(word))
}

/// The line of equivalents a romanisation-neutral word belongs to.
pub fn group_of(canon: &str) -> Option<&'static Group> {
    let eq = equivalents();
    eq.by_canon.get(canon).map(|&id| &eq.groups[id as usize])
}

/// The line of a patronymic's father's name: the stem as cut ("uladzimir"
/// of Uladzimiravich), or with the -i or -a that the ending swallowed
/// ("serge" of Sergeyevich is Sergei, "ili" of Ilyich is Ilya).
pub fn group_of_stem(canon: &str) -> Option<&'static Group> {
    group_of(canon).or_else(|| group_of(&format!("{canon}i"))).or_else(|| group_of(&format!("{canon}a")))
}

/// Every line of equivalents, for tests and tools.
pub fn groups() -> Vec<(Group, Vec<&'static str>)> {
    let mut out = Vec::new();
    let mut id = 0;
    for (text, given) in [(GIVEN_NAME_EQUIVALENTS, true), (WORD_EQUIVALENTS, false)] {
        for line in data_lines(text) {
            out.push((Group { id, given, representative: canon_of(line[0]) }, line));
            id += 1;
        }
    }
    out
}

fn honorifics() -> &'static HashSet<String> {
    static SET: OnceLock<HashSet<String>> = OnceLock::new();
    SET.get_or_init(|| data_lines(HONORIFICS).flatten().map(|w| crate::script::fold(w).replace(' ', "")).collect())
}

/// Whether a folded word is a title or honorific (Haji, Sheikh, Dr …).
pub fn is_honorific(folded: &str) -> bool {
    honorifics().contains(folded)
}

// ---------------------------------------------------------------------------
// Spelling steps of the romanisation-neutral form, beyond `names::canon_base`.

/// Before the shared steps, on a folded word: the Burmese aspirate written or
/// not (Htun/Tun, Hsu/Su, Hla/La), and the Belarusian -au/-eu of a surname
/// for the Russian -ov/-ev (Marozau/Morozov, Lebedzeu/Lebedev).
pub fn before_canon(folded: &str) -> std::borrow::Cow<'_, str> {
    let b = folded.as_bytes();
    if b.len() >= 3 && b[0] == b'h' && matches!(b[1], b't' | b's' | b'l' | b'm' | b'n') && folded.is_ascii() {
        return std::borrow::Cow::Owned(folded[1..].to_string());
    }
    if folded.len() >= 6 && folded.is_ascii() {
        for (end, to) in [("au", "ov"), ("ou", "ov"), ("eu", "ev")] {
            if let Some(stem) = folded.strip_suffix(end) {
                if !stem.ends_with(['a', 'e', 'i', 'o', 'u', 'y']) {
                    return std::borrow::Cow::Owned(format!("{stem}{to}"));
                }
            }
        }
    }
    std::borrow::Cow::Borrowed(folded)
}

/// After the shared steps: Arabic compounds in one spelling. "Abd" and the
/// article that follows it (abdul-, abdel-, abdal-, abdur-) become "abd"
/// (abdulhadi, abdelhadi → abdhadi; abdurahman → abdrahman), and "-al-din"
/// however it is joined (-uddin, -iddin, -eddine, -atdin) becomes "-din"
/// (badruddin, badreddine → badrdin).
pub fn after_canon(canon: String) -> String {
    let mut s = canon;
    if let Some(rest) = s.strip_prefix("abd") {
        let rest = rest.strip_prefix(['a', 'e', 'i', 'o', 'u']).map(|r| r.strip_prefix('l').unwrap_or(r));
        if let Some(r) = rest.filter(|r| r.len() >= 4) {
            s = format!("abd{r}");
        }
    }
    for end in ["dine", "din"] {
        if let Some(stem) = s.strip_suffix(end) {
            // The joining vowel, and the article's l, d or t after a vowel, before "din".
            let stem = stem.strip_suffix(['l', 'd', 't']).filter(|st| st.ends_with(['a', 'e', 'i', 'o', 'u'])).unwrap_or(stem);
            if let Some(stem) = stem.strip_suffix(['a', 'e', 'i', 'o', 'u']).filter(|st| st.len() >= 3) {
                s = format!("{stem}din");
            }
            break;
        }
    }
    s
}

/// Whether a folded word is "abd" with or without its article, written
/// apart from the name it begins (Abd al-Hadi, Abdul Karim, Abdel Aziz).
pub fn is_abd(folded: &str) -> bool {
    matches!(folded, "abd" | "abdul" | "abdel" | "abdal" | "abdol" | "abdu" | "abdur" | "abdar" | "abder" | "abdil" | "abdis" | "abdus" | "abdas")
}

/// Whether a folded word is the "din" (faith) of an Arabic compound written
/// apart (Badr al-Din, Nur ad-Din, Salah ud-Deen), or "ullah" (Saif Ullah).
pub fn is_compound_tail(folded: &str) -> bool {
    matches!(folded, "din" | "deen" | "dine" | "ddin" | "ullah" | "ulla" | "allah" | "ullo" | "ulloh")
}

/// What the Arabic article assimilated to the next word is written as,
/// hyphenated: ad-Din, ar-Rahman, as-Salam, at-Tayyib, az-Zawahiri, an-Nasir, ash-Shami.
pub fn is_assimilated_article(folded: &str) -> bool {
    matches!(folded, "ad" | "ar" | "as" | "at" | "az" | "an" | "ash" | "ath" | "adh" | "ud" | "ur" | "us" | "ut" | "uz" | "un" | "ed" | "er" | "es" | "et" | "ez" | "en" | "ech" | "esh")
}

/// The Arabic article written onto a word ("alhadi", "elmasri") and the word
/// without it, when what is left is a word of four letters or more.
pub fn without_article(canon: &str) -> Option<&str> {
    ["al", "el"].iter().find_map(|a| canon.strip_prefix(a)).filter(|r| r.len() >= 4)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::names::canon_base;

    #[test]
    fn arabic_compounds_have_one_spelling() {
        let c = |w: &str| after_canon(canon_base(w));
        assert_eq!(c("abdulhadi"), c("abdelhadi"));
        assert_eq!(c("abdulhadi"), "abdhadi");
        assert_eq!(c("abdurrahman"), c("abdulrahman"));
        assert_eq!(c("badreddine"), "badrdin");
        assert_eq!(c("badruddin"), "badrdin");
        assert_eq!(c("nuretdin"), "nurdin");
        // Too short to be a compound, or no article in it.
        assert_eq!(c("abdulla"), "abdula");
        assert_eq!(c("abdin"), "abdin");
    }

    #[test]
    fn aspirates_and_belarusian_endings() {
        assert_eq!(before_canon("htun"), "tun");
        assert_eq!(before_canon("hsu"), "su");
        assert_eq!(before_canon("hwang"), "hwang");
        assert_eq!(before_canon("hyon"), "hyon");
        assert_eq!(before_canon("marozau"), "marozov");
        assert_eq!(before_canon("lebedzeu"), "lebedzev");
        assert_eq!(before_canon("landau"), "landov");
        assert_eq!(before_canon("sau"), "sau");
    }
}
