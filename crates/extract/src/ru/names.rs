//! Persons in every case form, grouped to one nominative name.
//!
//! A name is a run of capitalised words (and initials) each of which can be
//! part of a person's name: a given name (the dictionary's `Name`, or the
//! given-name list), a surname (the dictionary's `Surn`, or a surname
//! ending), a patronymic, an initial, or the particles of Central Asian
//! patronymics (угли, уулу, кызы, оглы). Each word of the run gets its
//! readings as (nominative, gender, cases); the run takes the reading on
//! which all its words agree, so "Бахрома Хамроева" is the genitive of
//! Бахром Хамроев and not a woman called Бахрома. A lone surname or given
//! name joins the person whose full name it is part of.

use super::decline::{self, Case, Form, Sex};
use super::{Doc, FoundOrg, FoundPlace};
use crate::text::Kind;
use chronicle_model::Country;

#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct FoundPerson {
    /// The nominative full name ("Бахром Хамроев").
    pub name: String,
    pub mentions: Vec<(usize, usize)>,
    pub age: Option<u32>,
    pub birth_year: Option<i32>,
    pub nationality: Vec<Country>,
    pub occupation: Vec<String>,
    pub affiliations: Vec<usize>,
    pub relations: Vec<String>,
}

/// The readings of one name word, shared with the cache that made them.
type Forms = std::sync::Arc<[Form]>;

/// What one word of a name can be.
#[derive(Debug, Clone, PartialEq)]
enum Part {
    Initial(char),
    Given(Forms),
    Surname(Forms),
    Patronymic(Forms),
    /// угли, уулу, кызы, оглы: the word before is the father's name.
    Particle(String),
    /// Given name or surname (Шамсуддин): which, the words after it tell.
    Either(Forms, Forms),
}

/// A word that could be either is the given name when a surname follows it.
fn settle(parts: &mut [Part]) {
    for k in 0..parts.len() {
        if let Part::Either(g, s) = &parts[k] {
            let next_is_name = matches!(parts.get(k + 1), Some(Part::Surname(_) | Part::Either(..) | Part::Initial(_) | Part::Patronymic(_) | Part::Given(_)));
            parts[k] = if k == 0 && next_is_name { Part::Given(g.clone()) } else { Part::Surname(s.clone()) };
        }
    }
}

/// One name as written, with the readings its words agree on.
#[derive(Debug, Clone)]
struct Run {
    start: usize,
    end: usize,
    parts: Vec<Part>,
}

pub(crate) fn find_persons(doc: &Doc<'_>, orgs: &[FoundOrg], places: &[FoundPlace]) -> Vec<FoundPerson> {
    let taken = taken_tokens(doc, orgs, places);
    let runs = name_runs(doc, &taken);
    let mut persons: Vec<(Key, FoundPerson)> = Vec::new();
    // Full names first, then the lone surnames and given names that refer back to them.
    let hints = list_hints(doc, &runs);
    let (full, lone): (Vec<_>, Vec<_>) = runs.into_iter().partition(|r| r.parts.len() >= 2);
    for run in &full {
        if let Some(key) = agree(doc, run, &persons, &hints) {
            add_mention(&mut persons, key, run);
        }
    }
    for run in &lone {
        // A word the dictionary knows as something else may name a person named before, never a new one.
        let alone = !common_word(doc, run.start);
        if let Some(key) = lone_reading(run, &persons, alone) {
            add_mention(&mut persons, key, run);
        }
    }
    let mut out: Vec<FoundPerson> = persons.into_iter().map(|(k, mut p)| {
        p.name = k.display();
        p
    }).collect();
    for p in &mut out {
        p.mentions.sort();
        attributes(doc, p);
    }
    out.sort_by_key(|p| p.mentions[0]);
    out
}

/// Tokens that are part of an organisation's or a place's name, or inside quotes.
fn taken_tokens(doc: &Doc<'_>, orgs: &[FoundOrg], places: &[FoundPlace]) -> Vec<bool> {
    let mut taken = vec![false; doc.tokens.len()];
    for &(a, b) in orgs.iter().flat_map(|o| o.mentions.iter()) {
        taken[a..b].iter_mut().for_each(|t| *t = true);
    }
    for p in places {
        taken[p.start..p.end].iter_mut().for_each(|t| *t = true);
    }
    // A short name in quotes is a title or an organisation («Мадина», "Светлый путь").
    let mut open: Option<usize> = None;
    for (k, t) in doc.tokens.iter().enumerate() {
        match t.text {
            "«" | "\u{201c}" | "\u{201e}" => open = Some(k),
            "»" | "\u{201d}" => {
                if let Some(o) = open.take().filter(|&o| k - o <= 6) {
                    taken[o..k].iter_mut().for_each(|t| *t = true);
                }
            }
            "\"" => match open.take() {
                Some(o) if k - o <= 6 => taken[o..k].iter_mut().for_each(|t| *t = true),
                Some(_) => {}
                None => open = Some(k),
            },
            _ => {}
        }
    }
    taken
}

/// A person's identity inside one document: surname and given name (or its
/// initial), nominative.
#[derive(Debug, Clone, PartialEq, Default)]
struct Key {
    given: Option<String>,
    initial: Option<char>,
    patronymic: Option<String>,
    surname: Option<String>,
    /// "уулу", "кызы"… after the surname (Central Asian patronymic names).
    particle: Option<String>,
    /// "Азамат Т.": the surname given by its initial only.
    surname_initial: Option<char>,
}

impl Key {
    fn display(&self) -> String {
        let mut words: Vec<String> = Vec::new();
        match (&self.given, self.initial) {
            (Some(g), _) => words.push(g.clone()),
            (None, Some(i)) => words.push(format!("{i}.")),
            _ => {}
        }
        words.extend(self.patronymic.clone());
        words.extend(self.surname.clone());
        words.extend(self.particle.clone());
        words.extend(self.surname_initial.map(|c| format!("{c}.")));
        words.join(" ")
    }

    /// Whether `other` (from a shorter or initialled mention) names the same person.
    fn covers(&self, other: &Key) -> bool {
        let surname_ok = match (&self.surname, &other.surname) {
            (Some(a), Some(b)) => a == b || decline::near(a, b),
            (_, None) => true,
            (None, Some(_)) => false,
        };
        let given_ok = match (&self.given, &other.given) {
            (Some(a), Some(b)) => a == b,
            (Some(a), None) => other.initial.is_none_or(|i| a.starts_with(i)),
            (None, Some(_)) => false,
            (None, None) => other.initial.is_none_or(|i| self.initial == Some(i)),
        };
        let initial_ok = other.surname_initial.is_none_or(|c| self.surname_initial == Some(c) || self.surname.as_ref().is_some_and(|s| s.starts_with(c)));
        surname_ok && given_ok && initial_ok && (other.surname.is_some() || other.given.is_some())
    }
}

fn add_mention(persons: &mut Vec<(Key, FoundPerson)>, key: Key, run: &Run) {
    let m = (run.start, run.end);
    if let Some((k, p)) = persons.iter_mut().find(|(k, _)| k.covers(&key) || key.covers(k)) {
        // The fuller name names the person.
        if key.covers(k) && !k.covers(&key) {
            *k = key;
        }
        if !p.mentions.contains(&m) {
            p.mentions.push(m);
        }
        return;
    }
    persons.push((key, FoundPerson { mentions: vec![m], ..Default::default() }));
}

/// The runs of name words in the text.
fn name_runs(doc: &Doc<'_>, taken: &[bool]) -> Vec<Run> {
    let mut runs = Vec::new();
    let mut i = 0;
    while i < doc.tokens.len() {
        let mut parts = Vec::new();
        let mut j = i;
        while j < doc.tokens.len() && !taken[j] {
            let Some((part, next)) = part_at(doc, j, parts.last()) else { break };
            parts.push(part);
            j = next;
            if parts.len() == 4 {
                break;
            }
        }
        if parts.len() >= 2 {
            settle(&mut parts);
        }
        // "в Казани Рустам Юлдашев": a doubtful surname before a given name is no part of the name.
        if parts.len() >= 2 && matches!((&parts[0], &parts[1]), (Part::Surname(f), Part::Given(_)) if decline::weight(f) < 2) {
            i += 1;
            continue;
        }
        while matches!(parts.last(), Some(Part::Initial(_))) && parts.len() > 1 && !trailing_initial_ok(&parts) {
            parts.pop();
            j = back_over_initial(doc, j);
        }
        // "в районе Рашт", "в селе Ворух": after a word for a locality comes its name.
        if !parts.is_empty() && i > 0 && LOCALITIES.contains(&doc.lemma(i - 1)) {
            i += 1;
            continue;
        }
        // A capitalised common word opening a sentence is not a given name ("Адвокат Хамроеву").
        if parts.len() >= 2 && matches!(&parts[0], Part::Given(f) if decline::weight(f) < 2) && sentence_start(doc, i) && common_word(doc, i) {
            i += 1;
            continue;
        }
        if !parts.is_empty() && plausible(doc, i, &parts) {
            runs.push(Run { start: i, end: j, parts });
            i = j;
        } else {
            i += 1;
        }
    }
    runs
}

/// Words for a locality, after which a capitalised word is the place's name.
const LOCALITIES: &[&str] = &["район", "город", "село", "кишлак", "деревня", "посёлок", "поселок", "аул", "область", "улица", "проспект", "станица", "махалля", "джамоат", "округ", "республика", "провинция", "вилоят", "штат"];

/// "Азамат Т.": a given name followed by the surname's initial.
fn trailing_initial_ok(parts: &[Part]) -> bool {
    parts.len() == 2 && matches!(parts[0], Part::Given(_) | Part::Surname(_))
}

fn back_over_initial(doc: &Doc<'_>, j: usize) -> usize {
    let mut k = j;
    while k > 0 && doc.tokens[k - 1].text == "." {
        k -= 1;
    }
    k.saturating_sub(1)
}

/// The name word starting at token `j`, and the token after it.
fn part_at(doc: &Doc<'_>, j: usize, prev: Option<&Part>) -> Option<(Part, usize)> {
    let t = &doc.tokens[j];
    if t.kind != Kind::Word {
        return None;
    }
    if prev.is_some_and(|p| matches!(p, Part::Given(_) | Part::Surname(_) | Part::Either(..))) && decline::is_particle(doc.lower(j)) {
        return Some((Part::Particle(doc.lower(j).to_string()), j + 1));
    }
    // Names start with a capital: most words are passed over here, before any copy is made.
    if !t.text.chars().next().is_some_and(|c| super::has_upper(c.encode_utf8(&mut [0; 4]))) {
        return None;
    }
    let lower = super::fold_lookalikes(doc.lower(j)).into_owned();
    let folded = super::fold_lookalikes(t.text);
    let first = folded.chars().next()?;
    if !first.is_uppercase() || !folded.chars().all(|c| super::is_cyrillic(c) || matches!(c, '-' | '\'' | '’')) {
        return None;
    }
    if hyphenated_adjective(&folded) {
        return None;
    }
    if folded.chars().count() == 1 {
        let dot = doc.tokens.get(j + 1).filter(|d| d.text == "." && d.start == t.end)?;
        let _ = dot;
        return Some((Part::Initial(first), j + 2));
    }
    if is_all_caps(t.text) {
        return None;
    }
    let word = decline::name_word(&lower, &doc.readings[j]);
    if let Some(forms) = &word.patronymic {
        return Some((Part::Patronymic(forms.clone()), j + 1));
    }
    match (word.given.clone(), word.surname.clone()) {
        (Some(_), Some(s)) if prefers_surname(prev) => Some((Part::Surname(s), j + 1)),
        (Some(g), Some(s)) if decline::weight(&s) >= decline::weight(&g) => Some((Part::Either(g, s), j + 1)),
        (Some(g), Some(_)) => Some((Part::Given(g), j + 1)),
        (Some(g), None) => Some((Part::Given(g), j + 1)),
        (None, Some(s)) => Some((Part::Surname(s), j + 1)),
        (None, None) => None,
    }
}

/// After a given name or an initial, a word that could be either is the surname.
fn prefers_surname(prev: Option<&Part>) -> bool {
    matches!(prev, Some(Part::Given(_) | Part::Initial(_) | Part::Patronymic(_)))
}

/// "Российско-таджикская": a compound adjective, not a double-barrelled surname.
fn hyphenated_adjective(word: &str) -> bool {
    let Some((head, tail)) = word.rsplit_once('-') else { return false };
    let morph = super::morph::Morph::get();
    let adjective = |w: &str| morph.readings(w).iter().any(|r| r.known && r.gram.any(super::morph::Gram::ADJF | super::morph::Gram::GEOX));
    head.ends_with('о') || adjective(tail)
}

fn is_all_caps(s: &str) -> bool {
    s.chars().filter(|c| c.is_alphabetic()).all(char::is_uppercase)
}

/// Whether a run is a person's name and not a capitalised common word.
fn plausible(doc: &Doc<'_>, start: usize, parts: &[Part]) -> bool {
    let has = |f: fn(&Part) -> bool| parts.iter().any(f);
    let surname = has(|p| matches!(p, Part::Surname(_)));
    let given = has(|p| matches!(p, Part::Given(_)));
    let initial = has(|p| matches!(p, Part::Initial(_)));
    if parts.len() == 1 {
        // A lone word is kept only if it is surely a name; it must join a full name later.
        return surname || given || has(|p| matches!(p, Part::Either(..)));
    }
    let sure = parts.iter().any(|p| match p {
        Part::Given(f) | Part::Surname(f) | Part::Patronymic(f) => decline::weight(f) >= 2,
        Part::Initial(_) | Part::Particle(_) | Part::Either(..) => true,
    });
    if !sure || (sentence_start(doc, start) && common_word(doc, start) && parts.len() == 2 && !surname) {
        return false;
    }
    (surname && (given || initial)) || (given && (initial || has(|p| matches!(p, Part::Patronymic(_) | Part::Particle(_))))) || (given && surname)
        || (parts.len() >= 2 && given && parts.iter().all(|p| matches!(p, Part::Given(_))))
}

fn sentence_start(doc: &Doc<'_>, i: usize) -> bool {
    doc.sentence_of(i).start == i || i.checked_sub(1).is_some_and(|p| matches!(doc.tokens[p].text, "«" | "\"" | "(" | "—" | "-" | ":"))
}

/// A word the dictionary knows as something other than a name.
fn common_word(doc: &Doc<'_>, i: usize) -> bool {
    doc.readings[i].first().is_some_and(|r| r.known && !r.gram.any(super::morph::Gram::NAME | super::morph::Gram::SURN | super::morph::Gram::PATR))
}

/// The reading all words of a full name agree on, as a key.
fn agree(doc: &Doc<'_>, run: &Run, persons: &[(Key, FoundPerson)], hints: &[String]) -> Option<Key> {
    let mut best: Option<(i32, Key)> = None;
    let context = context_sex(doc, run.start, run.end);
    for sex in [Sex::Male, Sex::Female] {
        for case in decline::CASES {
            let Some((key, fit)) = reading_in(run, sex, case) else { continue };
            let known = persons.iter().any(|(k, _)| k.covers(&key) || key.covers(k));
            // Between readings the words allow equally, the sex the words around say
            // ("журналистка Шахло Тоирова депортирована"); failing that, a man's.
            let said = match context {
                Some(c) if c == sex => 4,
                None if sex == Sex::Male => 1,
                _ => 0,
            };
            let hinted = key.surname.as_ref().is_some_and(|s| hints.contains(s));
            let score = 2 * fit + said + if known { 20 } else { 0 } + if hinted { 8 } else { 0 };
            if best.as_ref().is_none_or(|(s, _)| score > *s) {
                best = Some((score, key));
            }
        }
    }
    best.map(|(_, k)| k)
}

/// Surnames that a list says are nominative: in "Алиев, Каримов и Юсупова
/// находятся…" the words in line with Алиев and Каримов are in their case,
/// so Юсупова is a woman's surname, not the genitive of Юсупов.
fn list_hints(doc: &Doc<'_>, runs: &[Run]) -> Vec<String> {
    let cases = |r: &Run| -> Vec<Case> {
        let forms = match &r.parts[0] {
            Part::Surname(f) | Part::Either(_, f) => f.to_vec(),
            _ => Vec::new(),
        };
        decline::CASES.iter().copied().filter(|c| forms.iter().any(|f| f.cases.contains(c))).collect()
    };
    let joined = |a: &Run, b: &Run| b.start == a.end + 1 && matches!(doc.tokens[a.end].text, "," | "и");
    let mut hints = Vec::new();
    for (i, r) in runs.iter().enumerate().filter(|(_, r)| r.parts.len() == 1) {
        let siblings = [i.checked_sub(1).map(|p| &runs[p]).filter(|p| joined(p, r)), runs.get(i + 1).filter(|n| joined(r, n))];
        let sibling_cases: Vec<Vec<Case>> = siblings.iter().flatten().filter(|s| s.parts.len() == 1).map(|s| cases(s)).collect();
        if sibling_cases.iter().any(|c| c == &[Case::Nom]) {
            if let Part::Surname(f) | Part::Either(_, f) = &r.parts[0] {
                hints.extend(f.iter().filter(|f| f.cases == [Case::Nom]).map(|f| f.nominative.clone()));
            }
        }
    }
    hints
}

/// The sex that the words next to a name give it: the noun or adjective just
/// before ("журналистка", "задержанного") or the past verb or short
/// participle just after ("задержана", "заявил").
fn context_sex(doc: &Doc<'_>, a: usize, b: usize) -> Option<Sex> {
    use super::morph::Gram;
    let of = |k: usize, g: Gram| -> Option<Sex> {
        let r = doc.readings.get(k)?.first()?;
        if !r.gram.any(g) || r.gram.has(Gram::PLUR) {
            return None;
        }
        if r.gram.has(Gram::FEMN) {
            Some(Sex::Female)
        } else if r.gram.has(Gram::MASC) {
            Some(Sex::Male)
        } else {
            None
        }
    };
    let before = a.checked_sub(1).and_then(|k| of(k, Gram(Gram::NOUN.0 | Gram::ADJF.0 | Gram::PRTF.0)).filter(|_| doc.readings[k][0].gram.has(Gram::ANIM) || !doc.readings[k][0].gram.has(Gram::NOUN)));
    let after = (b..(b + 3).min(doc.tokens.len())).find_map(|k| of(k, Gram(Gram::VERB.0 | Gram::PRTS.0)).filter(|_| doc.readings[k][0].gram.any(Gram(Gram::PAST.0 | Gram::PRTS.0))));
    before.or(after)
}

/// The key of `run` read as a name of `sex` in `case`, and how well it fits.
fn reading_in(run: &Run, sex: Sex, case: decline::Case) -> Option<(Key, i32)> {
    let mut key = Key::default();
    let mut fit = 0;
    let trailing_initial = run.parts.len() == 2 && matches!(run.parts[1], Part::Initial(_));
    for part in &run.parts {
        match part {
            Part::Initial(c) if trailing_initial => key.surname_initial = Some(*c),
            Part::Initial(c) => key.initial = Some(*c),
            // The father's name before the particle is declined, the particle not.
            Part::Particle(p) => key.particle = Some(p.clone()),
            Part::Either(..) => return None,
            Part::Given(forms) | Part::Surname(forms) | Part::Patronymic(forms) => {
                // A given name the lists give the other sex may still be this person's, at a cost.
                let f = forms.iter().find(|f| f.sex.fits(sex) && f.cases.contains(&case));
                let f = match f {
                    Some(f) => f,
                    None if matches!(part, Part::Given(_)) => {
                        fit -= 1;
                        forms.iter().find(|f| f.cases.contains(&case))?
                    }
                    None => return None,
                };
                fit += f.weight;
                let slot = match part {
                    _ if trailing_initial => &mut key.given,
                    Part::Given(_) if key.given.is_none() && key.initial.is_none() => &mut key.given,
                    Part::Patronymic(_) => &mut key.patronymic,
                    _ => &mut key.surname,
                };
                *slot = Some(f.nominative.clone());
            }
        }
    }
    Some((key, fit))
}

/// A lone surname or given name: the person it refers back to, or a person of its own.
fn lone_reading(run: &Run, persons: &[(Key, FoundPerson)], alone: bool) -> Option<Key> {
    let (given, surname): (&[Form], &[Form]) = match &run.parts[0] {
        Part::Surname(f) => (&[], f),
        Part::Given(f) => (f, &[]),
        Part::Either(g, s) => (g, s),
        _ => return None,
    };
    // A word read as a given name may still be the surname of a person named before, and the other way round.
    let keys = surname
        .iter()
        .chain(given)
        .map(|f| Key { surname: Some(f.nominative.clone()), ..Key::default() })
        .chain(given.iter().chain(surname).map(|f| Key { given: Some(f.nominative.clone()), ..Key::default() }));
    for key in keys {
        if let Some((k, _)) = persons.iter().find(|(k, _)| k.covers(&key)) {
            return Some(k.clone());
        }
    }
    // A surname alone that is surely one stands for a person of its own.
    let f = surname.iter().find(|f| f.weight >= 2 && alone)?;
    Some(Key { surname: Some(f.nominative.clone()), ..Key::default() })
}

/// The cases a mention can be in: those every word of it allows.
pub(crate) fn mention_cases(doc: &Doc<'_>, a: usize, b: usize) -> Vec<Case> {
    let mut cases: Vec<Case> = decline::CASES.to_vec();
    for k in a..b {
        let t = &doc.tokens[k];
        if !t.is_word() || t.text.chars().count() == 1 || decline::is_particle(doc.lower(k)) {
            continue;
        }
        let lower = super::fold_lookalikes(doc.lower(k)).into_owned();
        let word = decline::name_word(&lower, &doc.readings[k]);
        let forms: Vec<&Form> = [&word.given, &word.surname, &word.patronymic].into_iter().flatten().flat_map(|f| f.iter()).collect();
        if forms.is_empty() {
            continue;
        }
        cases.retain(|c| forms.iter().any(|f| f.cases.contains(c)));
    }
    cases
}

/// Age and birth year said next to a mention.
fn attributes(doc: &Doc<'_>, p: &mut FoundPerson) {
    for &(a, b) in &p.mentions {
        p.age = p.age.or_else(|| age_before(doc, a)).or_else(|| age_after(doc, b));
        p.birth_year = p.birth_year.or_else(|| birth_year_after(doc, b));
        if let Some(o) = occupation_at(doc, a, b) {
            if !p.occupation.contains(&o) {
                p.occupation.push(o);
            }
        }
    }
}

fn occupations() -> &'static std::collections::HashSet<&'static str> {
    static WORDS: std::sync::OnceLock<std::collections::HashSet<&'static str>> = std::sync::OnceLock::new();
    WORDS.get_or_init(|| include_str!("../../data/ru/occupations.txt").lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).collect())
}

/// "адвокат Руслан Бекмуратов", "Руслан Бекмуратов, адвокат задержанного": the occupation, in the nominative.
fn occupation_at(doc: &Doc<'_>, a: usize, b: usize) -> Option<String> {
    let noun = |k: usize| doc.readings.get(k)?.iter().find(|r| r.gram.has(super::morph::Gram::NOUN) && occupations().contains(r.plain.as_str())).map(|r| r.lemma.clone());
    let before = a.checked_sub(1).and_then(noun);
    let after = (doc.tokens.get(b).is_some_and(|t| t.text == ",")).then(|| noun(b + 1)).flatten();
    before.or(after)
}

/// "59-летний Бахром Хамроев", "в возрасте 71 года умер Бахром Хамроев".
fn age_before(doc: &Doc<'_>, a: usize) -> Option<u32> {
    let t = &doc.tokens;
    let s = doc.sentence_of(a);
    let clause = (s.start.max(a.saturating_sub(7))..a).rev().take_while(|&k| t[k].text != ",");
    if let Some(k) = clause.into_iter().find(|&k| doc.lower(k) == "возрасте") {
        return t.get(k + 1).filter(|x| x.kind == Kind::Number).and_then(|n| n.text.parse().ok()).filter(|n| (1..=110).contains(n));
    }
    if a < 3 || !doc.lower(a - 1).starts_with("летн") || t[a - 2].text != "-" || t[a - 3].kind != Kind::Number {
        return None;
    }
    t[a - 3].text.parse().ok().filter(|n| (1..=110).contains(n))
}

/// "Бахром Хамроев, 59 лет," and "… скончался в возрасте 59 лет".
fn age_after(doc: &Doc<'_>, b: usize) -> Option<u32> {
    let t = &doc.tokens;
    let end = doc.sentence_of(b.saturating_sub(1)).end;
    if let Some(k) = (b..(b + 6).min(end)).find(|&k| doc.lower(k) == "возрасте") {
        let n = t.get(k + 1).filter(|x| x.kind == Kind::Number)?;
        return n.text.parse().ok().filter(|n| (1..=110).contains(n));
    }
    let mut k = b;
    if t.get(k).is_some_and(|x| matches!(x.text, "," | "—" | "-")) {
        k += 1;
    }
    if doc.lower(k) == "в" && doc.lower(k + 1) == "возрасте" {
        k += 2;
    }
    let n = t.get(k).filter(|x| x.kind == Kind::Number)?;
    let unit = doc.lower(k + 1);
    matches!(unit, "лет" | "год" | "года").then(|| n.text.parse().ok()).flatten().filter(|n| (1..=110).contains(n))
}

/// "Анвар Саидов 1981 г.р." and "… 1983 года рождения".
fn birth_year_after(doc: &Doc<'_>, b: usize) -> Option<i32> {
    let t = &doc.tokens;
    let mut k = b;
    if t.get(k).is_some_and(|x| matches!(x.text, "," | "(")) {
        k += 1;
    }
    let n = t.get(k).filter(|x| x.kind == Kind::Number && x.text.len() == 4)?;
    let year: i32 = n.text.parse().ok()?;
    let next = doc.lower(k + 1);
    let born = (next == "г" && doc.lower(k + 3) == "р")
        || (next == "года" && doc.lower(k + 2) == "рождения")
        || next == "г.р";
    (born && (1900..=2030).contains(&year)).then_some(year)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str) -> Vec<(String, Vec<String>)> {
        let doc = Doc::new(text, None);
        find_persons(&doc, &[], &[]).into_iter().map(|p| (p.name, p.mentions.iter().map(|&(a, b)| doc.slice(a, b).to_string()).collect())).collect()
    }

    #[test]
    fn a_name_after_a_quoted_organisation() {
        let got = names("Член «Светлого пути» Фаррух Назаров пропал. Назарова ищут.");
        assert_eq!(got[0].0, "Фаррух Назаров", "{got:?}");
    }

    #[test]
    fn inflected_mentions_group_to_the_nominative() {
        let got = names("Суд арестовал Бахрома Хамроева. Адвокат Хамроеву не допустили.");
        assert_eq!(got, [("Бахром Хамроев".to_string(), vec!["Бахрома Хамроева".to_string(), "Хамроеву".to_string()])]);
    }
}

