//! Names taken apart: folded words, romanisation-neutral forms, given names,
//! surnames, patronymics and initials.

use crate::script::{cyrillic_nominative, is_cyrillic};
use crate::variants;
use std::collections::HashSet;
use std::sync::OnceLock;

pub use crate::script::fold;

/// Given names seen in reports of this field, one a line or several separated by spaces.
pub const GIVEN_NAMES: &str = include_str!("../data/given_names.txt");
/// Endings that mark a word as a Central Asian given name (-jon, -bek …).
pub const GIVEN_SUFFIXES: &str = include_str!("../data/given_suffixes.txt");

fn data_words(text: &str) -> impl Iterator<Item = &str> {
    text.lines().filter(|l| !l.trim_start().starts_with('#')).flat_map(str::split_whitespace)
}

fn given_names() -> &'static HashSet<String> {
    static SET: OnceLock<HashSet<String>> = OnceLock::new();
    SET.get_or_init(|| data_words(GIVEN_NAMES).map(|w| canon(&fold(w))).collect())
}

fn given_suffixes() -> &'static Vec<String> {
    static LIST: OnceLock<Vec<String>> = OnceLock::new();
    LIST.get_or_init(|| data_words(GIVEN_SUFFIXES).map(|w| canon(&fold(w))).collect())
}

/// Whether a romanisation-neutral word is one of the known given names.
pub fn is_known_given_name(canon: &str) -> bool {
    given_names().contains(canon) || variants::group_of(canon).is_some_and(|g| g.given)
}

/// Whether a folded word reads as a given name: a known one in any
/// romanisation, or one with a given-name ending (-jon, -bek, -iddin …).
pub fn is_given_name(folded: &str) -> bool {
    let c = canon(folded);
    is_known_given_name(&c) || (c.len() >= 5 && given_suffixes().iter().any(|s| c.ends_with(s.as_str())))
}

/// Whether a folded word is shaped like a surname of the region.
pub fn is_surname_shaped(folded: &str) -> bool {
    const ENDINGS: &[&str] = &[
        "ov", "ova", "ev", "eva", "in", "ina", "sky", "skiy", "skaya", "enko", "dze", "shvili", "yan", "zoda", "zade", "zada", "uly", "ow", "owa",
    ];
    folded.len() >= 5 && ENDINGS.iter().any(|e| folded.ends_with(e))
}

/// Words that mark the word before them (or after, for Arabic "ibn") as a
/// father's name: Uzbek oʻgʻli/qizi, Kyrgyz uulu/kyzy, Azerbaijani oglu/qizi.
const PATRONYMIC_MARKERS: &[&str] = &["ogli", "ugli", "ogly", "oglu", "uulu", "uly", "kyzy", "qizi", "kizi", "gizi"];
/// Particles that join names and carry no identity of their own.
const PARTICLES: &[&str] = &["al", "el", "ul", "ad", "ud", "ibn", "bin", "ben", "binti", "bint", "ould", "van", "von", "de", "der"];

/// A patronymic's father's name: "rakhmonovich" → "rakhmon", "abdullayevna"
/// → "abdulla", "abishuly" → "abish". Others come back whole.
fn father_of(folded: &str) -> &str {
    const ENDINGS: &[&str] = &[
        "yevich", "ievich", "evich", "ovich", "avich", "yovych", "ovych", "evych", "vich", "yevna", "ievna", "evna", "ovna", "avna", "auna", "awna", "aona",
        "yivna", "ivna", "ichna", "ich", "uly", "ulu", "kyzy", "qizi", "ogly", "oglu", "ugli",
    ];
    ENDINGS.iter().find_map(|e| folded.strip_suffix(e).filter(|stem| stem.len() >= 2)).unwrap_or(folded)
}

/// Kazakh and Kyrgyz patronymics written as one word: Abishuly, Sadyrkyzy.
fn is_joined_patronymic(folded: &str) -> bool {
    ["uly", "ulu", "kyzy", "qizi", "ogly", "ugli"].iter().any(|e| folded.ends_with(e)) && folded.len() > 6
}

/// Russian, Ukrainian (-ovych, -ivna) and Belarusian (-avich, -auna) patronymics,
/// and the -ich of Ilyich and Kuzmich.
fn is_patronymic_form(folded: &str) -> bool {
    const ENDINGS: &[&str] = &["vich", "ovych", "evych", "ovna", "evna", "avna", "auna", "awna", "aona", "ivna", "ichna"];
    (ENDINGS.iter().any(|e| folded.ends_with(e)) && folded.len() > 6) || ["ilyich", "ilich", "kuzmich", "fomich", "lukich", "nikitich", "savvich"].contains(&folded)
}

/// Endings of her patronymic.
const FEMININE_PATRONYMIC: &[&str] = &["ovna", "evna", "avna", "auna", "awna", "aona", "ivna", "ichna", "qizi", "kizi", "kyzy", "gizi"];

/// A word of a name in comparable forms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// As folded: "khamroyev".
    pub folded: String,
    /// Romanisation variants folded together: "hamroev".
    pub canon: String,
    /// First letter and consonants: "hmrv".
    pub skeleton: String,
    /// A Cyrillic form whose cut-off ending may have been feminine ("Хамроева").
    pub maybe_feminine: bool,
    /// The hash of `canon` and its length in characters, for quick comparison.
    pub(crate) canon_id: u64,
    pub(crate) canon_len: usize,
    /// Reads as a given name (known, or by its ending); one of the known given names; shaped like a surname.
    pub(crate) given: bool,
    pub(crate) known_given: bool,
    pub(crate) surname_shaped: bool,
    /// The line of name equivalents the word is on (Aleksandr, Oleksandr …), if any.
    pub(crate) group: Option<u32>,
    /// The skeleton of that line's first form, where it differs from the word's own:
    /// a second blocking key, so that Alexander finds Oleksandr.
    pub(crate) group_skeleton: Option<String>,
}

pub(crate) fn hash_str(s: &str) -> u64 {
    // FNV-1a: short keys, no allocation.
    s.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

impl Word {
    pub fn new(folded: &str) -> Word {
        let canon = canon(folded);
        Self::with_group(folded, canon.clone(), variants::group_of(&canon))
    }

    /// A patronymic's father's name: its line of equivalents found from the
    /// stem the ending leaves ("serge" of Sergeyevich is Sergei's).
    fn father(stem: &str, folded: &str) -> Word {
        let canon = canon(stem);
        let mut w = Self::with_group(stem, canon.clone(), variants::group_of_stem(&canon));
        w.folded = folded.to_string();
        w
    }

    fn with_group(folded: &str, canon: String, group: Option<&variants::Group>) -> Word {
        let skeleton = skeleton_of(&canon);
        let known_given = given_names().contains(&canon) || group.is_some_and(|g| g.given);
        let group_skeleton = group.map(|g| skeleton_of(&g.representative)).filter(|s| *s != skeleton);
        Word {
            group: group.map(|g| g.id),
            group_skeleton,
            given: known_given || (canon.len() >= 5 && given_suffixes().iter().any(|s| canon.ends_with(s.as_str()))),
            known_given,
            surname_shaped: is_surname_shaped(folded),
            canon_id: hash_str(&canon),
            canon_len: canon.chars().count(),
            skeleton,
            canon,
            folded: folded.to_string(),
            maybe_feminine: false,
        }
    }
    /// Same romanisation-neutral form.
    pub fn same_canon(&self, other: &Word) -> bool {
        self.canon_id == other.canon_id && self.canon == other.canon
    }

    /// The first letter of the romanisation-neutral form.
    pub fn initial(&self) -> Option<char> {
        self.canon.chars().next()
    }
}

/// The most words of a name kept for comparison; more are dropped.
pub const MAX_WORDS: usize = 6;

/// A name taken apart.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParsedName {
    /// Given names and surnames in the order written (patronymics, initials and particles apart).
    pub words: Vec<Word>,
    /// Initials, as romanisation-neutral first letters.
    pub initials: Vec<char>,
    pub patronymic: Option<Word>,
}

impl ParsedName {
    /// The words most likely to be the surname and the given name, in that
    /// order, when the name has two or more words.
    pub fn surname_and_given(&self) -> Option<(&Word, &Word)> {
        if self.words.len() < 2 {
            return None;
        }
        let first = &self.words[0];
        let last = &self.words[self.words.len() - 1];
        // "Kholmatov Azizbek": surname written first.
        let first_is_surname = is_surname_shaped(&first.folded) && !is_given_name(&first.folded) && is_given_name(&last.folded);
        Some(if first_is_surname { (first, last) } else { (last, first) })
    }
}

/// Takes a name apart: "KHOLMATOV Azizbek Rakhmonovich" → words [kholmatov,
/// azizbek], patronymic rakhmonovich; "B. Khamroyev" → words [khamroyev],
/// initials [b]; "Хамроеву Бахрому" → words [khamroev, bakhrom].
pub fn parse(name: &str) -> ParsedName {
    let mut tokens = tokens(name);
    join_compounds(&mut tokens);
    drop_honorifics(&mut tokens);
    assemble(&tokens)
}

/// A word of a name as written, folded.
struct Token {
    folded: String,
    /// A Cyrillic form whose cut-off ending may have been feminine.
    fem: bool,
    initial: bool,
    /// An Arabic article hyphenated to the next word (ar-Rahman, ad-Din).
    article: bool,
}

impl Token {
    fn is_particle(&self) -> bool {
        self.article || PARTICLES.contains(&self.folded.as_str())
    }
    fn is_marker(&self) -> bool {
        PATRONYMIC_MARKERS.contains(&self.folded.as_str())
    }
    /// A word that can be part of the name itself.
    fn is_name_word(&self) -> bool {
        !self.initial && !self.is_particle() && !self.is_marker()
    }
}

fn tokens(name: &str) -> Vec<Token> {
    let mut out = Vec::new();
    for piece in name.split(|c: char| c.is_whitespace() || matches!(c, '.' | ',' | '_' | '/' | '(' | ')')) {
        let mut parts: Vec<&str> = piece.split('-').filter(|w| !w.is_empty()).collect();
        // A Korean name in Hangul is written as one word: its first syllable is the surname (김정은 → 김 정은).
        if let [one] = parts[..] {
            if crate::script::is_hangul(one) && one.chars().count() >= 3 {
                let cut = one.char_indices().nth(1).map_or(one.len(), |(i, _)| i);
                parts = vec![&one[..cut], &one[cut..]];
            }
        }
        for (k, w) in parts.iter().enumerate() {
            // One letter is an initial; one Hangul syllable is a whole surname.
            let initial = w.chars().filter(|c| c.is_alphabetic()).count() == 1 && !crate::script::is_hangul(w);
            let (f, fem) = if is_cyrillic(w) && !initial {
                let (nominative, maybe_fem) = cyrillic_nominative(w, is_given_name);
                (fold(&nominative), maybe_fem)
            } else {
                (fold(w).replace(' ', ""), false)
            };
            if !f.is_empty() {
                let article = k + 1 < parts.len() && variants::is_assimilated_article(&f);
                out.push(Token { folded: f, fem, initial, article });
            }
        }
    }
    out
}

/// Arabic compounds written apart become one word, as they are as often
/// written: "Abd al-Hadi" → abdhadi (as Abdulhadi), "Badr al-Din" →
/// badruddin (as Badruddin, Badreddine), "Saif Ullah" → saifullah.
fn join_compounds(tokens: &mut Vec<Token>) {
    let mut i = 0;
    while i < tokens.len() {
        let first_joins = tokens[i].is_name_word();
        let mut j = i + 1;
        if tokens.get(j).is_some_and(Token::is_particle) {
            j += 1;
        }
        let Some(next) = tokens.get(j).filter(|t| first_joins && t.is_name_word()) else {
            i += 1;
            continue;
        };
        let joined = if variants::is_abd(&tokens[i].folded) && !variants::is_compound_tail(&next.folded) {
            Some(format!("{}{}", tokens[i].folded, next.folded))
        } else if variants::is_compound_tail(&next.folded) && !variants::is_abd(&tokens[i].folded) {
            let tail = if next.folded.ends_with('n') || next.folded.ends_with("ne") { "uddin" } else { next.folded.as_str() };
            Some(format!("{}{tail}", tokens[i].folded))
        } else {
            None
        };
        match joined {
            Some(w) => {
                tokens[i].folded = w;
                tokens.drain(i + 1..=j);
            }
            None => i += 1,
        }
    }
}

/// Titles and honorifics (Haji, Sheikh, Dr) are dropped while two name
/// words or more remain: "Hafiz Saeed" keeps both.
fn drop_honorifics(tokens: &mut Vec<Token>) {
    let words = tokens.iter().filter(|t| t.is_name_word()).count();
    let titles = tokens.iter().filter(|t| t.is_name_word() && variants::is_honorific(&t.folded)).count();
    if titles > 0 && words - titles >= 2 {
        tokens.retain(|t| !(t.is_name_word() && variants::is_honorific(&t.folded)));
    }
}

fn assemble(tokens: &[Token]) -> ParsedName {
    let mut out = ParsedName::default();
    // A lone -vich or -ovna word beside a given name is a surname (Oleg
    // Yakubovich); with two words besides, it is the patronymic.
    let name_words = tokens.iter().filter(|t| t.is_name_word()).count();
    for (i, t) in tokens.iter().enumerate() {
        let w = &t.folded;
        let next_is_marker = tokens.get(i + 1).is_some_and(Token::is_marker);
        if t.is_marker() || t.is_particle() {
            continue;
        }
        if t.initial {
            if out.initials.len() < MAX_WORDS {
                out.initials.extend(Word::new(w).initial());
            }
        } else if (next_is_marker || (name_words >= 3 && (is_patronymic_form(w) || is_joined_patronymic(w))))
            && out.patronymic.is_none()
            && !out.words.is_empty()
        {
            // Compared by the father's name, whichever ending the language gives it.
            out.patronymic = Some(Word::father(father_of(w), w));
        } else if !w.chars().all(|c| c.is_ascii_digit()) && out.words.len() < MAX_WORDS {
            let mut word = Word::new(w);
            word.maybe_feminine = t.fem;
            out.words.push(word);
        }
    }
    // A patronymic tells his name from hers: "Нодира Бекзодовна Исмоилова" is her name, not his genitive.
    if let Some(p) = &out.patronymic {
        let hers = FEMININE_PATRONYMIC.iter().any(|e| p.folded.ends_with(e)) || tokens.iter().any(|t| ["qizi", "kizi", "kyzy", "gizi"].contains(&t.folded.as_str()));
        for w in out.words.iter_mut().filter(|w| w.maybe_feminine) {
            if hers {
                *w = Word::new(&format!("{}a", w.folded));
            } else {
                w.maybe_feminine = false;
            }
        }
    }
    out
}

/// Romanisation variants folded together, on a folded word: kh/h/x, q/k,
/// dzh/dj/j/zh, ch/tch, w/v, y/i, ye/e at the start, -oyev/-oev, doubled letters.
/// "Khamroyev", "Khamroev", "Xamroyev", "Хамроев" → "hamroev";
/// "Gulomzhon", "Gulomjon", "Гуломджон" → "gulomjon". With the steps of
/// [`crate::variants`]: "Htun" → "tun", "Abdulhadi" → "abdhadi".
pub fn canon(folded: &str) -> String {
    variants::after_canon(canon_base(&variants::before_canon(folded)))
}

/// The shared romanisation steps of [`canon`].
pub(crate) fn canon_base(folded: &str) -> String {
    let mut s = folded.to_string();
    for (from, to) in [
        ("shch", "sh"), ("dzh", "j"), ("dj", "j"), ("zh", "j"), ("kh", "h"), ("gh", "g"), ("tch", "c"), ("ch", "c"),
        ("x", "h"), ("q", "k"), ("w", "v"), ("ph", "f"), ("ou", "u"), ("ck", "k"),
    ] {
        if s.contains(from) {
            s = s.replace(from, to);
        }
    }
    if let Some(rest) = s.strip_prefix("ye") {
        s = format!("e{rest}");
    }
    let chars: Vec<char> = s.chars().map(|c| if c == 'y' { 'i' } else { c }).collect();
    let vowel = |c: char| matches!(c, 'a' | 'e' | 'o' | 'u');
    let mut out = String::with_capacity(chars.len());
    for (k, &c) in chars.iter().enumerate() {
        // An "i" glide between a vowel and "e" (Khamroyev, Mirzayev) is how
        // the Cyrillic е after a vowel is romanised; "Хамроев" has none.
        if c == 'i' && k > 0 && vowel(chars[k - 1]) && chars.get(k + 1) == Some(&'e') {
            continue;
        }
        if out.ends_with(c) {
            continue;
        }
        out.push(c);
    }
    out
}

/// The first letter and the consonants after it, on a romanisation-neutral form.
fn skeleton_of(canon: &str) -> String {
    let mut out = String::with_capacity(canon.len());
    for (i, c) in canon.chars().enumerate() {
        if (i == 0 || !matches!(c, 'a' | 'e' | 'i' | 'o' | 'u')) && !out.ends_with(c) {
            out.push(c);
        }
    }
    out
}

/// The consonant skeleton of any word, in any script: "Khamroyev" → "hmrv".
pub fn skeleton(word: &str) -> String {
    skeleton_of(&canon(&fold(word)))
}

/// Edit distance with transpositions (optimal string alignment), on characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    osa(&a, &b)
}

pub(crate) fn osa(a: &[char], b: &[char]) -> usize {
    if a.is_empty() || b.is_empty() {
        return a.len().max(b.len());
    }
    let w = b.len() + 1;
    let mut prev2 = vec![0usize; w];
    let mut prev: Vec<usize> = (0..w).collect();
    let mut cur = vec![0usize; w];
    for i in 1..=a.len() {
        cur[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(prev2[j - 2] + 1);
            }
            cur[j] = v;
        }
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// Two name words that are the same name: equal when folded, sharing a
/// romanisation-neutral form or skeleton, or one typo apart in a long word
/// ("Khamryev"). Used inside one report, where the context is narrow.
pub fn similar_word(a: &str, b: &str) -> bool {
    let (fa, fb) = (fold(a), fold(b));
    if fa == fb {
        return true;
    }
    let (ca, cb) = (canon(&fa), canon(&fb));
    if ca.is_empty() || cb.is_empty() || ca.chars().next() != cb.chars().next() {
        return false;
    }
    if ca == cb {
        return true;
    }
    let short = ca.chars().count().min(cb.chars().count());
    if short >= 5 && skeleton_of(&ca) == skeleton_of(&cb) {
        return true;
    }
    short >= 6 && edit_distance(&ca, &cb) <= 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_finds_the_parts() {
        let p = parse("KHOLMATOV Azizbek Rakhmonovich");
        assert_eq!(p.words.iter().map(|w| w.folded.as_str()).collect::<Vec<_>>(), ["kholmatov", "azizbek"]);
        assert_eq!(p.patronymic.as_ref().map(|w| w.folded.as_str()), Some("rakhmonovich"));
        let (surname, given) = p.surname_and_given().unwrap();
        assert_eq!((surname.folded.as_str(), given.folded.as_str()), ("kholmatov", "azizbek"));

        let p = parse("B. Khamroyev");
        assert_eq!(p.initials, ['b']);
        assert_eq!(p.words.len(), 1);

        let p = parse("Azizbek Rakhmon oʻgʻli Kholmatov");
        assert_eq!(p.patronymic.as_ref().map(|w| w.canon.as_str()), Some("rahmon"));
        assert_eq!(p.words.len(), 2);

        assert_eq!(parse("Х. Хамроев").initials, ['h']);

        let p = parse("Хамроеву Бахрому");
        assert_eq!(p.words.iter().map(|w| w.canon.as_str()).collect::<Vec<_>>(), ["hamroev", "bahrom"]);
    }

    #[test]
    fn given_names_in_any_romanisation() {
        for w in ["bakhrom", "bahrom", "baxrom", "gulomzhon", "dzhamshed", "azizbek", "nuriddin"] {
            assert!(is_given_name(w), "{w}");
        }
        for w in ["bathroom", "khamroyev", "police"] {
            assert!(!is_given_name(w), "{w}");
        }
    }

    #[test]
    fn titles_are_dropped_while_two_name_words_remain() {
        let words = |n: &str| parse(n).words.iter().map(|w| w.folded.clone()).collect::<Vec<_>>();
        assert_eq!(words("Sheikh Ahmad Yasin"), ["ahmad", "yasin"]);
        assert_eq!(words("Haji Dr. Abdul Karim Noorzai"), ["abdulkarim", "noorzai"]);
        assert_eq!(words("Hafiz Saeed"), ["hafiz", "saeed"]);
    }

    #[test]
    fn arabic_compounds_written_apart_are_one_word() {
        let canons = |n: &str| parse(n).words.iter().map(|w| w.canon.clone()).collect::<Vec<_>>();
        assert_eq!(canons("Abd al-Hadi Mahmud"), canons("Abdulhadi Mahmud"));
        assert_eq!(canons("Abdal Hadi Mahmud"), canons("Abdel-Hadi Mahmud"));
        assert_eq!(canons("Abd ar-Rahman Nasser"), canons("Abdurrahman Nasser"));
        assert_eq!(canons("Badr al-Din Hamid"), canons("Badreddine Hamid"));
        assert_eq!(canons("Nur ad-Din Qasim"), canons("Nuriddin Qasim"));
    }

    #[test]
    fn a_vich_surname_beside_one_given_name_is_a_surname() {
        let p = parse("Oleg Yakubovich");
        assert_eq!(p.words.len(), 2);
        assert!(p.patronymic.is_none());
        let p = parse("Oleg Ivanovich Yakubovich");
        assert_eq!(p.patronymic.as_ref().map(|w| w.folded.as_str()), Some("ivanovich"));
        assert_eq!(p.words.len(), 2);
    }
}
