//! Russian names by their endings: which nominative a written form can come
//! from, for which sex and in which cases. The dictionary knows Russian
//! names; Central Asian names written in Russian (Бахром, Отаджонзода,
//! Рахими, Нурбек уулу) mostly it does not, but they decline by the same
//! endings: a man's consonant-final name takes -а/-у/-ом/-е, a surname in
//! -ов/-ев/-ин takes -а/-у/-ым/-е and a woman's -ова takes -ой/-у, while
//! names ending in -о, -и, -у, -зода, -заде do not change at all.

use super::morph::{Gram, Reading};
// The word tables are looked up for every token: a fast hash (the Rust compiler's).
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::sync::{Arc, OnceLock, RwLock};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Case {
    Nom,
    Gen,
    Dat,
    Acc,
    Ins,
    Loc,
}

pub(crate) const CASES: [Case; 6] = [Case::Nom, Case::Gen, Case::Dat, Case::Acc, Case::Ins, Case::Loc];
const ALL: &[Case] = &CASES;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Sex {
    Male,
    Female,
    Either,
}

impl Sex {
    pub fn fits(self, s: Sex) -> bool {
        self == Sex::Either || self == s
    }
}

/// Readings that make a capitalised word something other than a name.
const NOT_A_NAME: Gram = Gram(Gram::GEOX.0 | Gram::ORGN.0 | Gram::ADJF.0 | Gram::ABBR.0 | Gram::VERB.0 | Gram::PRTF.0 | Gram::INFN.0 | Gram::ADVB.0 | Gram::NPRO.0);

/// One way to read a written name word.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Form {
    /// The nominative, capitalised ("Хамроев").
    pub nominative: String,
    pub sex: Sex,
    pub cases: Vec<Case>,
    /// 2: surely a name of this kind (dictionary or list or a telling ending); 1: could be.
    pub weight: i32,
    /// Read off the dictionary's own name or surname entry.
    pub from_dictionary: bool,
}

fn form(stem: &str, add: &str, sex: Sex, cases: &[Case], weight: i32) -> Form {
    Form { nominative: capitalise(&format!("{stem}{add}")), sex, cases: cases.to_vec(), weight, from_dictionary: false }
}

pub(crate) fn capitalise(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut up = true;
    for c in s.chars() {
        if up {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
        up = c == '-';
    }
    out
}

fn given_names() -> &'static HashSet<String> {
    static NAMES: OnceLock<HashSet<String>> = OnceLock::new();
    NAMES.get_or_init(|| {
        include_str!("../../data/ru/given_names.txt")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(str::to_lowercase)
            .collect()
    })
}

/// Every way a word form can be part of a name, worked out once for every
/// document and thread (names recur from report to report).
#[derive(Debug, Default)]
pub(crate) struct NameWord {
    pub given: Option<Arc<[Form]>>,
    pub surname: Option<Arc<[Form]>>,
    pub patronymic: Option<Arc<[Form]>>,
}

/// How many word forms the cache of name readings keeps.
const NAME_WORDS_CAP: usize = 100_000;

/// The name readings of the lower-case word `w` (whose dictionary readings are `readings`).
pub(crate) fn name_word(w: &str, readings: &[Reading]) -> Arc<NameWord> {
    static SEEN: OnceLock<RwLock<HashMap<String, Arc<NameWord>>>> = OnceLock::new();
    let seen = SEEN.get_or_init(|| RwLock::new(HashMap::default()));
    if let Some(n) = seen.read().ok().and_then(|s| s.get(w).cloned()) {
        return n;
    }
    let n = Arc::new(NameWord {
        given: given(w, readings).map(Into::into),
        surname: surname(w, readings).map(Into::into),
        patronymic: patronymic(w, readings).map(Into::into),
    });
    if let Ok(mut s) = seen.write() {
        if s.len() < NAME_WORDS_CAP {
            s.insert(w.to_string(), n.clone());
        }
    }
    n
}

/// Particles that follow a father's name in Central Asian names.
pub(crate) fn is_particle(w: &str) -> bool {
    matches!(w, "угли" | "угли́" | "уулу" | "кызы" | "оглы" | "огли" | "кизи" | "улы" | "гызы")
}

/// Readings of `w` as a given name.
pub(crate) fn given(w: &str, readings: &[Reading]) -> Option<Vec<Form>> {
    let list = given_names();
    let mut forms: Vec<Form> = endings(w, false)
        .into_iter()
        .filter(|f| list.contains(&f.nominative.to_lowercase()))
        .map(|mut f| {
            f.weight = 2;
            f
        })
        .collect();
    for r in readings.iter().filter(|r| r.known && r.gram.has(Gram::NAME) && !r.gram.has(Gram::PLUR)) {
        forms.push(from_reading(r, &r.lemma, 2));
    }
    if forms.is_empty() && !readings.iter().any(|r| r.known && r.gram.any(NOT_A_NAME)) {
        // Not a name anyone listed: it may still be one, next to a surname.
        forms = endings(w, false);
    }
    (!forms.is_empty()).then_some(forms)
}

/// How sure the readings are: the best weight among them.
pub(crate) fn weight(forms: &[Form]) -> i32 {
    forms.iter().map(|f| f.weight).max().unwrap_or(0)
}

/// Readings of `w` as a surname.
pub(crate) fn surname(w: &str, readings: &[Reading]) -> Option<Vec<Form>> {
    let mut forms = endings(w, true);
    for r in readings.iter().filter(|r| r.known && r.gram.has(Gram::SURN) && !r.gram.has(Gram::PLUR)) {
        let nom = if r.gram.has(Gram::FEMN) { feminine(&r.lemma) } else { r.lemma.clone() };
        forms.push(from_reading(r, &nom, 2));
    }
    // A word the dictionary knows as something else is not a surname unless its ending says so;
    // a place or an adjective (Оренбургской, Москве) is one only next to a given name.
    let known_other = readings.iter().any(|r| r.known && !r.gram.any(Gram::SURN | Gram::NAME | Gram::PATR));
    let place_or_adjective = readings.iter().any(|r| r.known && r.gram.any(NOT_A_NAME) && !r.gram.has(Gram::SURN));
    if known_other {
        forms.retain(|f| f.weight >= 2);
    }
    if place_or_adjective {
        forms.iter_mut().filter(|f| !f.from_dictionary).for_each(|f| f.weight = 1);
    }
    (!forms.is_empty()).then_some(forms)
}

/// Readings of `w` as a patronymic (-ович, -евна).
pub(crate) fn patronymic(w: &str, readings: &[Reading]) -> Option<Vec<Form>> {
    for (end, sex) in [("ович", Sex::Male), ("евич", Sex::Male), ("ич", Sex::Male), ("овна", Sex::Female), ("евна", Sex::Female), ("ична", Sex::Female), ("инична", Sex::Female)] {
        if let Some(forms) = declined(w, end, sex) {
            return Some(forms);
        }
    }
    readings.iter().find(|r| r.gram.has(Gram::PATR)).map(|r| vec![from_reading(r, &r.lemma, 2)])
}

/// The forms of a word ending (in the nominative) in `end`, declined as a noun.
fn declined(w: &str, end: &str, sex: Sex) -> Option<Vec<Form>> {
    let table: &[(&str, &[Case])] = if end.ends_with('а') {
        &[("а", &[Case::Nom]), ("ы", &[Case::Gen]), ("е", &[Case::Dat, Case::Loc]), ("у", &[Case::Acc]), ("ой", &[Case::Ins])]
    } else {
        &[("", &[Case::Nom]), ("а", &[Case::Gen, Case::Acc]), ("у", &[Case::Dat]), ("ем", &[Case::Ins]), ("е", &[Case::Loc])]
    };
    let base = end.strip_suffix('а').unwrap_or(end);
    for (add, cases) in table {
        if let Some(stem) = w.strip_suffix(add).and_then(|x| x.strip_suffix(base)) {
            if stem.chars().count() >= 2 {
                return Some(vec![form(stem, end, sex, cases, 2)]);
            }
        }
    }
    None
}

fn from_reading(r: &Reading, nominative: &str, weight: i32) -> Form {
    let sex = if r.gram.has(Gram::FEMN) { Sex::Female } else if r.gram.has(Gram::MASC) { Sex::Male } else { Sex::Either };
    Form { nominative: capitalise(nominative), sex, cases: cases_of(r.gram), weight, from_dictionary: true }
}

fn cases_of(g: Gram) -> Vec<Case> {
    let mut out = Vec::new();
    for (bit, case) in [(Gram::NOMN, Case::Nom), (Gram::GENT, Case::Gen), (Gram::DATV, Case::Dat), (Gram::ACCS, Case::Acc), (Gram::ABLT, Case::Ins), (Gram::LOCT, Case::Loc)] {
        if g.has(bit) {
            out.push(case);
        }
    }
    if out.is_empty() {
        out.extend_from_slice(ALL);
    }
    out
}

/// A man's surname in -ов/-ев/-ин/-ский as a woman's.
fn feminine(masc: &str) -> String {
    if let Some(stem) = masc.strip_suffix("ий") {
        return format!("{stem}ая");
    }
    if masc.ends_with("ов") || masc.ends_with("ев") || masc.ends_with("ёв") || masc.ends_with("ин") || masc.ends_with("ын") {
        return format!("{masc}а");
    }
    masc.to_string()
}

/// Every (nominative, sex, cases) the ending of `w` allows. With `surname`,
/// the Russian surname endings (-ов, -ин, -ский) are read too.
fn endings(w: &str, surname: bool) -> Vec<Form> {
    let mut out = Vec::new();
    if w.chars().count() < 3 {
        return out;
    }
    if surname {
        if let Some(f) = surname_endings(w) {
            return f;
        }
    }
    if undeclined(w, surname) {
        out.push(form(w, "", Sex::Either, ALL, if surname { 2 } else { 1 }));
        return out;
    }
    consonant_noun(w, &mut out);
    a_noun(w, &mut out);
    out
}

/// Names that do not change: those in -о, -и, -э (Нурали, Нурулло), and
/// surnames in -зода/-заде, -швили, -дзе, -ых (a given name in -зода is
/// the genitive of one in -зод: Шерзода).
fn undeclined(w: &str, surname: bool) -> bool {
    (surname && ["зода", "заде", "швили", "дзе", "ых", "их"].iter().any(|e| w.ends_with(e))) || w.ends_with(['о', 'и', 'э'])
}

/// Surnames in -ов/-ев/-ёв/-ин/-ын and -ский/-цкий, every case of both sexes.
fn surname_endings(w: &str) -> Option<Vec<Form>> {
    use Case::*;
    for base in ["ов", "ев", "ёв", "ин", "ын"] {
        let table: &[(&str, &str, Sex, &[Case])] = &[
            ("", "", Sex::Male, &[Nom]),
            ("а", "", Sex::Male, &[Gen, Acc]),
            ("у", "", Sex::Male, &[Dat]),
            ("ым", "", Sex::Male, &[Ins]),
            ("е", "", Sex::Male, &[Loc]),
            ("а", "а", Sex::Female, &[Nom]),
            ("ой", "а", Sex::Female, &[Gen, Dat, Ins, Loc]),
            ("у", "а", Sex::Female, &[Acc]),
        ];
        let mut forms = Vec::new();
        for (add, nom_add, sex, cases) in table {
            if let Some(stem) = w.strip_suffix(add).and_then(|x| x.strip_suffix(base)) {
                if stem.chars().count() >= 2 {
                    forms.push(form(&format!("{stem}{base}"), nom_add, *sex, cases, 2));
                }
            }
        }
        if !forms.is_empty() {
            return Some(forms);
        }
    }
    for base in ["ск", "цк"] {
        let table: &[(&str, &str, Sex, &[Case])] = &[
            ("ий", "ий", Sex::Male, &[Case::Nom]),
            ("ого", "ий", Sex::Male, &[Case::Gen, Case::Acc]),
            ("ому", "ий", Sex::Male, &[Case::Dat]),
            ("им", "ий", Sex::Male, &[Case::Ins]),
            ("ом", "ий", Sex::Male, &[Case::Loc]),
            ("ая", "ая", Sex::Female, &[Case::Nom]),
            ("ой", "ая", Sex::Female, &[Case::Gen, Case::Dat, Case::Ins, Case::Loc]),
            ("ую", "ая", Sex::Female, &[Case::Acc]),
        ];
        for (add, nom_add, sex, cases) in table {
            if let Some(stem) = w.strip_suffix(add).and_then(|x| x.strip_suffix(base)) {
                if stem.chars().count() >= 2 {
                    return Some(vec![form(&format!("{stem}{base}"), nom_add, *sex, cases, 2)]);
                }
            }
        }
    }
    None
}

/// A man's consonant-final name (Бахром, Тимур, Сергей) in any case; a woman's, unchanged.
fn consonant_noun(w: &str, out: &mut Vec<Form>) {
    use Case::*;
    let last = w.chars().last().unwrap_or(' ');
    if is_consonant(last) || last == 'й' {
        out.push(form(w, "", Sex::Male, &[Nom], 1));
        out.push(form(w, "", Sex::Female, ALL, 1));
    }
    let table: &[(&str, &[Case])] = &[("а", &[Gen, Acc]), ("я", &[Gen, Acc]), ("у", &[Dat]), ("ю", &[Dat]), ("ом", &[Ins]), ("ем", &[Ins]), ("е", &[Loc])];
    for (end, cases) in table {
        if let Some(stem) = w.strip_suffix(end) {
            let Some(l) = stem.chars().last() else { continue };
            if stem.chars().count() >= 2 && is_consonant(l) {
                let soft = matches!(*end, "я" | "ю" | "ем") && !matches!(l, 'ж' | 'ш' | 'ч' | 'щ' | 'ц');
                let nom = if soft && !"жшчщц".contains(l) { "й" } else { "" };
                let nom = if matches!(*end, "я" | "ю") { if soft { "ь" } else { "" } } else { nom };
                out.push(form(stem, if matches!(*end, "ем") { "" } else { nom }, Sex::Male, cases, 1));
            } else if stem.chars().count() >= 2 && matches!(l, 'е' | 'и' | 'а' | 'о' | 'у') && matches!(*end, "я" | "ю" | "ем" | "е") {
                // Сергея, Алия: the stem ends in a vowel, the nominative in -й.
                out.push(form(stem, "й", Sex::Male, cases, 1));
            }
        }
    }
}

/// A name in -а/-я (Зарина, Муса) in any case.
fn a_noun(w: &str, out: &mut Vec<Form>) {
    use Case::*;
    let table: &[(&str, &str, &[Case])] = &[
        ("а", "а", &[Nom]),
        ("я", "я", &[Nom]),
        ("ы", "а", &[Gen]),
        ("и", "а", &[Gen]),
        ("и", "я", &[Gen, Dat, Loc]),
        ("е", "а", &[Dat, Loc]),
        ("у", "а", &[Acc]),
        ("ю", "я", &[Acc]),
        ("ой", "а", &[Ins]),
        ("ей", "а", &[Ins]),
        ("ей", "я", &[Ins]),
    ];
    for (end, nom, cases) in table {
        if let Some(stem) = w.strip_suffix(end) {
            if stem.chars().count() >= 2 {
                out.push(form(stem, nom, Sex::Female, cases, 1));
                out.push(form(stem, nom, Sex::Male, cases, 1));
            }
        }
    }
}

fn is_consonant(c: char) -> bool {
    "бвгджзклмнпрстфхцчшщ".contains(c)
}

/// Two spellings of one surname in one report (Тошматов and Ташматов): the
/// same length, one letter apart, and neither a bare stem.
pub(crate) fn near(a: &str, b: &str) -> bool {
    if a.len() != b.len() || a.chars().next() != b.chars().next() || a.chars().count() < 5 {
        return false;
    }
    let mut diff = a.chars().zip(b.chars()).filter(|(x, y)| x != y);
    diff.next().is_some() && diff.next().is_none() && a.chars().count() == b.chars().count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn noms(forms: &[Form], sex: Sex, case: Case) -> Vec<String> {
        forms.iter().filter(|f| f.sex.fits(sex) && f.cases.contains(&case)).map(|f| f.nominative.clone()).collect()
    }

    #[test]
    fn a_surname_in_ov_declines_for_men_and_women() {
        let f = endings("хамроевой", true);
        assert_eq!(noms(&f, Sex::Female, Case::Gen), ["Хамроева"]);
        let f = endings("хамроеву", true);
        assert_eq!(noms(&f, Sex::Male, Case::Dat), ["Хамроев"]);
        assert_eq!(noms(&f, Sex::Female, Case::Acc), ["Хамроева"]);
    }

    #[test]
    fn a_consonant_final_given_name_declines() {
        let f = endings("бахрома", false);
        assert!(noms(&f, Sex::Male, Case::Gen).contains(&"Бахром".to_string()));
    }

    #[test]
    fn zoda_names_do_not_change() {
        let f = endings("отаджонзода", true);
        assert_eq!(noms(&f, Sex::Male, Case::Dat), ["Отаджонзода"]);
    }

    #[test]
    fn one_letter_apart_is_near() {
        assert!(near("Тошматов", "Ташматов"));
        assert!(!near("Сафаров", "Сафарова"));
    }
}
