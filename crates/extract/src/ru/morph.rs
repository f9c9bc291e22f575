//! Russian morphology: every reading of a word form (lemma, part of speech,
//! case, number, gender, and whether the dictionary knows it as a given name,
//! surname, patronymic or place), from the OpenCorpora dictionary through
//! `rsmorphy`, the Rust port of pymorphy2.
//!
//! The dictionary is compiled into the binary (see `build.rs`) and unpacked
//! once, on first use, into a private temporary folder that `rsmorphy` reads
//! and that is removed straight after: nothing is fetched at run time.

use rsmorphy::prelude::*;
use rsmorphy::MorphAnalyzer;
// The word tables are looked up for every token: a fast hash (the Rust compiler's).
use rustc_hash::FxHashMap as HashMap;
use std::sync::{Arc, OnceLock, RwLock};

/// Grammemes as bits. Only those the extractor looks at are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct Gram(pub u64);

macro_rules! grammemes {
    ($($name:ident = $bit:expr, $tag:literal;)*) => {
        impl Gram {
            $(pub const $name: Gram = Gram(1 << $bit);)*
            fn of_tag(tag: &str) -> Gram {
                match tag {
                    $($tag => Gram::$name,)*
                    _ => Gram(0),
                }
            }
        }
    };
}

grammemes! {
    NOUN = 0, "NOUN"; ADJF = 1, "ADJF"; ADJS = 2, "ADJS"; VERB = 3, "VERB"; INFN = 4, "INFN";
    PRTF = 5, "PRTF"; PRTS = 6, "PRTS"; GRND = 7, "GRND"; NUMR = 8, "NUMR"; ADVB = 9, "ADVB";
    NPRO = 10, "NPRO"; PREP = 11, "PREP"; CONJ = 12, "CONJ"; PRCL = 13, "PRCL"; PRED = 14, "PRED";
    NOMN = 16, "nomn"; GENT = 17, "gent"; DATV = 18, "datv"; ACCS = 19, "accs"; ABLT = 20, "ablt";
    LOCT = 21, "loct"; VOCT = 22, "voct"; GEN2 = 23, "gen2"; LOC2 = 24, "loc2"; ACC2 = 25, "acc2";
    SING = 26, "sing"; PLUR = 27, "plur";
    MASC = 28, "masc"; FEMN = 29, "femn"; NEUT = 30, "neut"; MSF = 31, "ms-f";
    ANIM = 32, "anim"; INAN = 33, "inan";
    NAME = 34, "Name"; SURN = 35, "Surn"; PATR = 36, "Patr"; GEOX = 37, "Geox"; ORGN = 38, "Orgn";
    ABBR = 39, "Abbr"; FIXD = 40, "Fixd"; INIT = 41, "Init";
    PAST = 42, "past"; PRES = 43, "pres"; FUTR = 44, "futr";
    PSSV = 45, "pssv"; ACTV = 46, "actv"; PERF = 47, "perf"; IMPF = 48, "impf";
    TRAN = 49, "tran"; INTR = 50, "intr"; INDC = 51, "indc"; IMPR = 52, "impr";
    PER1 = 53, "1per"; PER2 = 54, "2per"; PER3 = 55, "3per"; LATN = 56, "LATN"; UNKN = 57, "UNKN";
}

impl Gram {
    pub const CASES: Gram = Gram(0x3ff << 16);
    pub fn has(self, g: Gram) -> bool {
        self.0 & g.0 == g.0
    }
    pub fn any(self, g: Gram) -> bool {
        self.0 & g.0 != 0
    }
    pub fn case(self) -> Gram {
        Gram(self.0 & Gram::CASES.0)
    }
    fn parse(tag: &str) -> Gram {
        tag.split([',', ' ']).fold(Gram(0), |g, t| Gram(g.0 | Gram::of_tag(t).0))
    }
}

impl std::ops::BitOr for Gram {
    type Output = Gram;
    fn bitor(self, o: Gram) -> Gram {
        Gram(self.0 | o.0)
    }
}

/// One reading of a word form.
#[derive(Debug, Clone, PartialEq)]
pub struct Reading {
    /// The dictionary form, lower-case ("задержать", "хамроев").
    pub lemma: String,
    /// The lemma with ё written е, as lemmas are compared.
    pub plain: String,
    pub gram: Gram,
    /// How likely the analyser finds this reading (0..1); readings come best first.
    pub score: f32,
    /// Whether the word is in the dictionary (not guessed from its ending).
    pub known: bool,
}

pub struct Morph {
    analyzer: MorphAnalyzer,
    /// Readings of the words seen so far, shared by every document and thread.
    seen: RwLock<HashMap<String, Arc<[Reading]>>>,
    /// Forms made by `inflect`, by word, reading and wanted grammemes.
    inflected: RwLock<HashMap<String, Option<String>>>,
}

/// How many word forms the shared cache keeps (some tens of megabytes at most).
const SEEN_CAP: usize = 200_000;

const DICT: &[(&str, &[u8])] = &[
    ("grammemes.json.gz", include_bytes!(concat!(env!("OUT_DIR"), "/ru-dict/grammemes.json.gz"))),
    ("gramtab-opencorpora-ext.json.gz", include_bytes!(concat!(env!("OUT_DIR"), "/ru-dict/gramtab-opencorpora-ext.json.gz"))),
    ("gramtab-opencorpora-int.json.gz", include_bytes!(concat!(env!("OUT_DIR"), "/ru-dict/gramtab-opencorpora-int.json.gz"))),
    ("meta.json.gz", include_bytes!(concat!(env!("OUT_DIR"), "/ru-dict/meta.json.gz"))),
    ("p_t_given_w.intdawg.gz", include_bytes!(concat!(env!("OUT_DIR"), "/ru-dict/p_t_given_w.intdawg.gz"))),
    ("paradigms.array.gz", include_bytes!(concat!(env!("OUT_DIR"), "/ru-dict/paradigms.array.gz"))),
    ("prediction-prefixes.dawg.gz", include_bytes!(concat!(env!("OUT_DIR"), "/ru-dict/prediction-prefixes.dawg.gz"))),
    ("prediction-suffixes-0.dawg.gz", include_bytes!(concat!(env!("OUT_DIR"), "/ru-dict/prediction-suffixes-0.dawg.gz"))),
    ("prediction-suffixes-1.dawg.gz", include_bytes!(concat!(env!("OUT_DIR"), "/ru-dict/prediction-suffixes-1.dawg.gz"))),
    ("prediction-suffixes-2.dawg.gz", include_bytes!(concat!(env!("OUT_DIR"), "/ru-dict/prediction-suffixes-2.dawg.gz"))),
    ("suffixes.json.gz", include_bytes!(concat!(env!("OUT_DIR"), "/ru-dict/suffixes.json.gz"))),
    ("words.dawg.gz", include_bytes!(concat!(env!("OUT_DIR"), "/ru-dict/words.dawg.gz"))),
];

impl Morph {
    /// The analyser, loaded on first use (a quarter of a second).
    pub fn get() -> &'static Morph {
        static MORPH: OnceLock<Morph> = OnceLock::new();
        MORPH.get_or_init(Morph::load)
    }

    fn load() -> Morph {
        // The dictionary is part of the binary; only a full temporary folder can stop this.
        let dir = tempfile::Builder::new().prefix("chronicle-ru-dict").tempdir().expect("a temporary folder for the Russian dictionary");
        for (name, bytes) in DICT {
            std::fs::write(dir.path().join(name), bytes).expect("unpacking the Russian dictionary");
        }
        let analyzer = MorphAnalyzer::from_file(dir.path());
        Morph { analyzer, seen: RwLock::new(HashMap::default()), inflected: RwLock::new(HashMap::default()) }
    }

    /// The analyser's parses of a lower-case word. rsmorphy 0.4 panics on an
    /// unknown word shorter than three letters ("ск", "гу"): its known-prefix
    /// unit asserts a remainder of three. pymorphy2 finds nothing there, so a
    /// short word the dictionary does not hold gets no readings.
    fn parse(&self, lower: &str) -> rsmorphy::ParseResult {
        if lower.chars().count() < 3 {
            let mut found = rsmorphy::ParseResult::new();
            let mut seen = rsmorphy::container::seen::SeenSet::default();
            self.analyzer.units.dictionary.parse(&self.analyzer, &mut found, lower, lower, &mut seen);
            if found.is_empty() {
                return found;
            }
        }
        // A panic inside the analyser costs the word its readings, not the report.
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.analyzer.parse(lower))).unwrap_or_else(|_| rsmorphy::ParseResult::new())
    }

    /// Every reading of `word` (any case), best first.
    pub fn readings(&self, word: &str) -> Arc<[Reading]> {
        let lower: std::borrow::Cow<'_, str> = if super::has_upper(word) { word.to_lowercase().into() } else { word.into() };
        if let Some(r) = self.seen.read().ok().and_then(|seen| seen.get(lower.as_ref()).cloned()) {
            return r;
        }
        let r: Arc<[Reading]> = self.analyse(&lower).into();
        if let Ok(mut seen) = self.seen.write() {
            // Bounded: past the cap, words are analysed each time they come.
            if seen.len() < SEEN_CAP {
                seen.insert(lower.into_owned(), r.clone());
            }
        }
        r
    }

    fn analyse(&self, lower: &str) -> Vec<Reading> {
        self.parse(lower)
            .iter()
            .map(|p| {
                let lex = &p.lex;
                let lemma = lex.get_normal_form(&self.analyzer).into_owned();
                Reading {
                    plain: lemma.replace('ё', "е"),
                    lemma,
                    gram: Gram::parse(&lex.get_tag(&self.analyzer).string),
                    score: p.score.value() as f32,
                    known: lex.is_known(),
                }
            })
            .collect()
    }

}

impl Morph {
    /// The form of `word`, read with grammemes `want`, that has grammemes
    /// `to` (OpenCorpora tags, "nomn,plur"): "узбекских" read as a plural
    /// genitive adjective, to "nomn,plur", gives "узбекские".
    pub fn inflect(&self, word: &str, want: Gram, to: &str) -> Option<String> {
        let key = format!("{}\u{1}{}\u{1}{to}", word.to_lowercase(), want.0);
        if let Some(found) = self.inflected.read().ok().and_then(|m| m.get(&key).cloned()) {
            return found;
        }
        let found = self.inflect_uncached(word, want, to);
        if let Ok(mut m) = self.inflected.write() {
            if m.len() < SEEN_CAP {
                m.insert(key, found.clone());
            }
        }
        found
    }

    fn inflect_uncached(&self, word: &str, want: Gram, to: &str) -> Option<String> {
        let lower = word.to_lowercase();
        let parsed = self.parse(&lower);
        let p = parsed.iter().find(|p| Gram::parse(&p.lex.get_tag(&self.analyzer).string).has(want))?;
        // rsmorphy's own `inflect` keeps the old case (its incompatible-grammeme
        // sets are empty): pick the lexeme's form that has every grammeme of
        // `to` and most of the others.
        let required = GrammemeSet::new(to);
        let have = &p.lex.get_tag(&self.analyzer).grammemes.set;
        let lex = p
            .lex
            .iter_lexeme(&self.analyzer)
            .filter(|l| required.set.is_subset(&l.get_tag(&self.analyzer).grammemes.set))
            .max_by_key(|l| std::cmp::Reverse(l.get_tag(&self.analyzer).grammemes.set.symmetric_difference(have).count()))?;
        Some(lex.get_word().into_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_verb_form_has_its_infinitive() {
        let r = Morph::get().readings("задержали");
        assert_eq!(r[0].lemma, "задержать");
        assert!(r[0].gram.has(Gram::VERB | Gram::PAST | Gram::PLUR));
    }

    #[test]
    fn a_passive_participle_is_told_apart() {
        let r = Morph::get().readings("похищен");
        assert!(r.iter().any(|r| r.lemma == "похитить" && r.gram.has(Gram::PRTS | Gram::PSSV)));
    }

    #[test]
    fn an_instrumental_plural_is_read() {
        let r = Morph::get().readings("сотрудниками");
        assert!(r[0].gram.has(Gram::NOUN | Gram::ABLT | Gram::PLUR));
    }

    #[test]
    fn a_genitive_becomes_nominative() {
        assert_eq!(Morph::get().inflect("министерства", Gram::NOUN, "nomn,sing").as_deref(), Some("министерство"));
        assert_eq!(Morph::get().inflect("узбекских", Gram::ADJF, "nomn,plur").as_deref(), Some("узбекские"));
    }

    #[test]
    fn a_short_unknown_word_has_no_readings() {
        assert!(Morph::get().readings("СК").is_empty());
        assert!(!Morph::get().readings("во").is_empty());
    }

    #[test]
    fn a_short_unknown_word_has_no_readings_and_no_panic() {
        assert!(Morph::get().readings("уу").is_empty());
        assert!(Morph::get().readings("Щз").is_empty());
    }

    #[test]
    fn a_town_is_a_place() {
        assert!(Morph::get().readings("Бугуруслане").iter().any(|r| r.gram.has(Gram::GEOX | Gram::LOCT)));
    }
}
