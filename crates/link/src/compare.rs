//! How alike two names are, as a score between 0 and 1.
//!
//! Names are compared word by word on their romanisation-neutral forms, so a
//! Cyrillic and a Latin spelling, or two romanisations, compare as equal. The
//! words of the shorter name are aligned with the most similar words of the
//! other whatever their order; every one of them must find its match.
//! Patronymics that differ are evidence against; initials count for little; a
//! single word is never enough. Frequent names are weaker evidence than rare
//! ones when a match is only approximate.

use crate::names::{parse, ParsedName, Word, MAX_WORDS};
use crate::names::hash_str;
use crate::variants;
use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// Keys that are hashes already need no more hashing.
#[derive(Default)]
struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) ^ u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// How often each word (romanisation-neutral) names a person on record.
#[derive(Debug, Clone, Default)]
pub struct Frequencies {
    /// Keyed by the hash of the romanisation-neutral word.
    counts: HashMap<u64, u32, BuildHasherDefault<IdHasher>>,
    persons: u32,
}

impl Frequencies {
    pub fn new() -> Self {
        Self::default()
    }
    /// Counts one more person with these names.
    pub fn add_person(&mut self, names: &[ParsedName]) {
        self.persons += 1;
        let mut seen: Vec<&str> = Vec::new();
        for n in names {
            for w in &n.words {
                if !seen.contains(&w.canon.as_str()) {
                    seen.push(&w.canon);
                    *self.counts.entry(w.canon_id).or_default() += 1;
                }
            }
        }
    }
    /// Sets a word's count directly (a store that keeps its own counts).
    pub fn set(&mut self, canon: &str, count: u32) {
        self.counts.insert(hash_str(canon), count);
    }
    pub fn set_persons(&mut self, persons: u32) {
        self.persons = persons;
    }
    /// Whether the word names two or more persons on record.
    pub fn established(&self, word: &Word) -> bool {
        self.counts.get(&word.canon_id).is_some_and(|&n| n > 1)
    }
    /// 1 for a rare word (or while too few persons are on record to tell),
    /// falling towards 0 for the most frequent.
    pub fn rarity(&self, word: &Word) -> f64 {
        if self.persons < 100 {
            return 1.0;
        }
        let n = f64::from(self.counts.get(&word.canon_id).copied().unwrap_or(0));
        // Share of persons with this word, against one in a thousand.
        let share = n * 1000.0 / f64::from(self.persons);
        1.0 / (1.0 + (1.0 + share).ln() / 3.0)
    }
}

/// The result of comparing two names.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    pub score: f64,
    /// Why, in words: which parts matched and how.
    pub evidence: String,
}

/// Similarity of two words in [0, 1].
pub fn word_similarity(a: &Word, b: &Word) -> f64 {
    if a.same_canon(b) {
        return 1.0;
    }
    match (a.group, b.group) {
        // Two forms of one name (Aleksandr, Oleksandr; Yusuf, Jusup).
        (Some(x), Some(y)) if x == y => return 1.0,
        // Two names that the equivalents tell apart (Salih, Salah; Jong, Yong): no closer than his and her forms.
        (Some(_), Some(_)) => return edit_similarity(a, b).min(0.5),
        _ => {}
    }
    // The Arabic article written onto the word: "Alhadi" is "al-Hadi".
    if a.canon_len.abs_diff(b.canon_len) == 2 && (variants::without_article(&a.canon) == Some(b.canon.as_str()) || variants::without_article(&b.canon) == Some(a.canon.as_str())) {
        return 0.95;
    }
    let (ca, cb) = (a.canon.as_str(), b.canon.as_str());
    let (la, lb) = (a.canon_len, b.canon_len);
    // A Cyrillic form that may be hers ("Зокирова", read as Зокиров) is her name in Latin ("Zokirova").
    let hers = |x: &str, lx: usize, y: &Word| y.maybe_feminine && lx == y.canon_len + 1 && x.ends_with('a') && x.starts_with(y.canon.as_str());
    if hers(ca, la, b) || hers(cb, lb, a) {
        return 1.0;
    }
    // His and her form of one name (Karimov / Karimova, Aziz / Aziza) are two
    // people, unless the Cyrillic ending could have been either.
    let gendered = |x: &str, lx: usize, xw: &Word, y: &str, ly: usize, yw: &Word| {
        lx == ly + 1 && x.ends_with('a') && x.starts_with(y) && !xw.maybe_feminine && !yw.maybe_feminine
    };
    if gendered(ca, la, a, cb, lb, b) || gendered(cb, lb, b, ca, la, a) {
        return 0.5;
    }
    edit_similarity(a, b)
}

/// Similarity by weighted edits alone.
fn edit_similarity(a: &Word, b: &Word) -> f64 {
    let (ca, cb) = (a.canon.as_str(), b.canon.as_str());
    let (la, lb) = (a.canon_len, b.canon_len);
    // Each letter more costs a whole edit: far apart in length is far apart.
    if la.abs_diff(lb) * 3 > la.max(lb) {
        return 0.0;
    }
    let by_edits = if ca.is_ascii() && cb.is_ascii() && ca.len() < SHORT && cb.len() < SHORT {
        let (ab, bb) = (ca.as_bytes(), cb.as_bytes());
        1.0 - weighted_distance_short(ab, bb) / ab.len().max(bb.len()) as f64
    } else {
        let ac: Vec<char> = ca.chars().collect();
        let bc: Vec<char> = cb.chars().collect();
        1.0 - weighted_distance(&ac, &bc) / ac.len().max(bc.len()) as f64
    };
    by_edits
}

/// Word similarities already worked out while scoring one pair of persons:
/// their spellings share most words.
#[derive(Default)]
pub(crate) struct SimCache {
    entries: Vec<(u64, u64, f64)>,
}

impl SimCache {
    fn get(&mut self, a: &Word, b: &Word) -> f64 {
        let key = (a.canon_id ^ u64::from(a.maybe_feminine), b.canon_id ^ u64::from(b.maybe_feminine));
        if let Some(&(_, _, s)) = self.entries.iter().find(|e| (e.0, e.1) == key) {
            return s;
        }
        let s = word_similarity(a, b);
        if self.entries.len() < 64 {
            self.entries.push((key.0, key.1, s));
        }
        s
    }
}

fn is_vowel(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'i' | 'o' | 'u')
}

/// What replacing one letter by another costs. Romanisations disagree on
/// vowels and on a few consonant pairs; a consonant turned into an unrelated
/// one is more often another name (Halikov / Khalilov) than a typo.
fn substitution_cost(a: char, b: char) -> f64 {
    const RELATED: &[(char, char)] = &[('k', 'g'), ('g', 'h'), ('k', 'h'), ('d', 't'), ('s', 'z'), ('b', 'p'), ('v', 'f'), ('j', 'i'), ('c', 's'), ('n', 'm')];
    if a == b {
        0.0
    } else if is_vowel(a) && is_vowel(b) {
        0.5
    } else if RELATED.contains(&(a, b)) || RELATED.contains(&(b, a)) {
        0.8
    } else if is_vowel(a) || is_vowel(b) {
        1.0
    } else {
        2.0
    }
}

/// Words shorter than this are compared on the stack.
const SHORT: usize = 40;

/// [`weighted_distance`] for short ASCII words, without allocating: costs
/// in tenths, three rows on the stack used in turn.
fn weighted_distance_short(a: &[u8], b: &[u8]) -> f64 {
    let tenths = |x: f64| (x * 10.0).round() as u16;
    let mut rows = [[0u16; SHORT]; 3];
    for (j, cell) in rows[0].iter_mut().enumerate().take(b.len() + 1) {
        *cell = 10 * j as u16;
    }
    // Row i lives in rows[i % 3].
    for i in 1..=a.len() {
        let (cur, prev, prev2) = (i % 3, (i + 2) % 3, (i + 1) % 3);
        rows[cur][0] = 10 * i as u16;
        for j in 1..=b.len() {
            let sub = rows[prev][j - 1] + tenths(substitution_cost(char::from(a[i - 1]), char::from(b[j - 1])));
            let mut v = (rows[prev][j] + 10).min(rows[cur][j - 1] + 10).min(sub);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(rows[prev2][j - 2] + 10);
            }
            rows[cur][j] = v;
        }
    }
    f64::from(rows[a.len() % 3][b.len()]) / 10.0
}

/// Edit distance with transpositions and the substitution costs above.
fn weighted_distance(a: &[char], b: &[char]) -> f64 {
    let w = b.len() + 1;
    let mut prev2 = vec![0.0f64; w];
    let mut prev: Vec<f64> = (0..w).map(|j| j as f64).collect();
    let mut cur = vec![0.0f64; w];
    for i in 1..=a.len() {
        cur[0] = i as f64;
        for j in 1..=b.len() {
            let mut v = (prev[j] + 1.0).min(cur[j - 1] + 1.0).min(prev[j - 1] + substitution_cost(a[i - 1], b[j - 1]));
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(prev2[j - 2] + 1.0);
            }
            cur[j] = v;
        }
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// A word match this good counts as the same word.
const WORD_MATCH: f64 = 0.75;

/// Compares two names as written.
pub fn compare(a: &str, b: &str, freq: &Frequencies) -> Comparison {
    compare_parsed(&parse(a), &parse(b), freq)
}

/// Compares two names already taken apart.
pub fn compare_parsed(a: &ParsedName, b: &ParsedName, freq: &Frequencies) -> Comparison {
    let mut notes = Notes(Some(Vec::new()));
    let score = score_names(a, b, freq, &mut notes, &mut SimCache::default());
    Comparison { score, evidence: notes.0.unwrap_or_default().join(", ") }
}

/// The score alone, without the evidence: what scanning candidates needs.
pub fn score_parsed(a: &ParsedName, b: &ParsedName, freq: &Frequencies) -> f64 {
    score_names(a, b, freq, &mut Notes(None), &mut SimCache::default())
}

/// [`score_parsed`] reusing word similarities already worked out.
pub(crate) fn score_parsed_cached(a: &ParsedName, b: &ParsedName, freq: &Frequencies, cache: &mut SimCache) -> f64 {
    score_names(a, b, freq, &mut Notes(None), cache)
}

/// Evidence in words, written only when someone will read it.
struct Notes(Option<Vec<String>>);

impl Notes {
    fn add(&mut self, note: impl FnOnce() -> String) {
        if let Some(v) = &mut self.0 {
            v.push(note());
        }
    }
}

fn score_names(a: &ParsedName, b: &ParsedName, freq: &Frequencies, notes: &mut Notes, cache: &mut SimCache) -> f64 {
    if a.words.is_empty() || b.words.is_empty() {
        notes.add(|| "no name words".into());
        return 0.0;
    }
    let a = rejoin(a, b);
    let b = rejoin(&b, &a);
    let (a, b) = (a.as_ref(), b.as_ref());
    let (short, long) = if a.words.len() <= b.words.len() { (a, b) } else { (b, a) };

    // Align every word of the shorter name with a distinct word of the longer, best pairs first.
    let mut pairs = [(0.0f64, 0usize, 0usize); MAX_WORDS * MAX_WORDS];
    let mut n = 0;
    for (i, x) in short.words.iter().enumerate() {
        for (j, y) in long.words.iter().enumerate() {
            pairs[n] = (cache.get(x, y), i, j);
            n += 1;
        }
    }
    let pairs = &mut pairs[..n];
    pairs.sort_unstable_by(|p, q| q.0.total_cmp(&p.0).then(p.1.cmp(&q.1)).then(p.2.cmp(&q.2)));
    let mut matched = [None::<(usize, f64)>; MAX_WORDS];
    let matched_short = &mut matched[..short.words.len()];
    let mut used = [false; MAX_WORDS];
    let used_long = &mut used[..long.words.len()];
    for &(s, i, j) in pairs.iter() {
        if matched_short[i].is_none() && !used_long[j] {
            matched_short[i] = Some((j, s));
            used_long[j] = true;
        }
    }

    let mut weighted = 0.0;
    let mut weights = 0.0;
    let mut weak: Vec<usize> = Vec::new();
    for (i, m) in matched_short.iter().enumerate() {
        let (j, mut s) = m.unwrap_or((usize::MAX, 0.0));
        let x = &short.words[i];
        let rarity = freq.rarity(x);
        if s < 1.0 {
            // An approximate match on a frequent name says less.
            s -= 0.08 * (1.0 - rarity);
            // Two established names a letter apart (Nodir / Nosir; surnames
            // several persons on record bear) are two names, not a typo. A
            // word only one person has may well be that person's typo.
            if let Some(y) = long.words.get(j) {
                let known = |w: &Word| freq.established(w) || w.known_given;
                if s < 0.9 && known(x) && known(y) {
                    s -= 0.2;
                }
            }
        }
        let w = 0.5 + 0.5 * rarity;
        weighted += w * s;
        weights += w;
        if s < WORD_MATCH {
            weak.push(i);
        }
        let y = long.words.get(j).map(|y| y.folded.as_str()).unwrap_or("-");
        notes.add(|| if s >= 1.0 { format!("{} = {y}", x.folded) } else { format!("{} ~ {y} ({s:.2})", x.folded) });
    }
    // The weakest word pulls the whole down: a name is only as certain as its least certain part.
    let weakest = matched_short.iter().map(|m| m.map_or(0.0, |(_, s)| s)).fold(1.0, f64::min);
    let mut score = weighted / weights - 0.5 * (1.0 - weakest);

    // Initials of the shorter name against the longer name's unmatched words.
    let mut initials_matched = 0;
    for &c in &short.initials {
        if let Some(j) = (0..long.words.len()).find(|&j| !used_long[j] && long.words[j].initial() == Some(c)) {
            used_long[j] = true;
            initials_matched += 1;
            notes.add(|| format!("initial {c} = {}", long.words[j].folded));
        } else if long.patronymic.as_ref().is_some_and(|p| p.initial() == Some(c)) {
            notes.add(|| format!("initial {c} = the patronymic"));
        } else if !long.initials.contains(&c) && used_long.iter().any(|u| !u) {
            // A word of the other name left over with another first letter: another person.
            score *= 0.5;
            notes.add(|| format!("initial {c} unmatched"));
        }
    }

    if short.words.len() == 1 {
        // One word (with or without initials) is not enough to tell a person.
        if initials_matched > 0 && weak.is_empty() {
            score *= 0.76;
            notes.add(|| "surname and initial only".into());
        } else {
            score *= if long.words.len() == 1 { 0.7 } else { 0.6 };
            notes.add(|| "one word only".into());
        }
        return score;
    }

    match weak.as_slice() {
        [] => {}
        [i] if damaged_given(&short.words[*i], matched_short[*i].map(|(j, _)| &long.words[j]))
            && matched_short.iter().enumerate().all(|(k, m)| k == *i || m.is_some_and(|(_, s)| s >= 0.95)) =>
        {
            // "Bathroom Khamroyev" against "Bakhrom Khamroyev": the rest
            // matches and this word is no known name. Just below the
            // threshold: a birth year in agreement links them.
            score = 0.76;
            notes.add(|| format!("{} read as a damaged given name", short.words[*i].folded));
        }
        _ => {
            score *= 0.5;
            notes.add(|| "a name word unmatched".into());
        }
    }
    // "Азиза Бегматова" is her name, or his genitive; every word read the
    // second way against a man's name is too uncertain to link on the name alone.
    let his_reading = |n: &ParsedName, other: &ParsedName| {
        n.words.iter().filter(|w| w.maybe_feminine).count() >= 2
            && n.words.iter().filter(|w| w.maybe_feminine).all(|w| other.words.iter().any(|o| o.canon == w.canon))
    };
    if his_reading(a, b) || his_reading(b, a) {
        score = score.min(0.75);
        notes.add(|| "Cyrillic endings read as a case of his name".into());
    }
    let extra = used_long.iter().filter(|u| !**u).count();
    if extra > 0 {
        score -= 0.04 * extra.min(2) as f64;
        notes.add(|| format!("{extra} more word(s) on one side"));
    }
    match (&a.patronymic, &b.patronymic) {
        (Some(p), Some(q)) => {
            let s = word_similarity(p, q);
            if s >= 0.8 {
                score = (score + 0.03).min(1.0);
                notes.add(|| format!("patronymic {} ~ {}", p.folded, q.folded));
            } else {
                score *= 0.6;
                notes.add(|| format!("patronymics differ ({} / {})", p.folded, q.folded));
            }
        }
        _ => {}
    }
    score.clamp(0.0, 1.0)
}

/// Words the longer name writes apart and the other joined ("Su Nam" /
/// "Sunam", "Yu Hua" / "Yuhua", "Mohammad Reza" / "Mohammadreza"): joined,
/// where the join matches a word of the other name that no word of this
/// one is already.
fn rejoin<'a>(x: &'a ParsedName, y: &ParsedName) -> Cow<'a, ParsedName> {
    let mut out: Cow<'a, ParsedName> = Cow::Borrowed(x);
    let mut k = 0;
    while out.words.len() > y.words.len() && k + 1 < out.words.len() {
        let (p, q) = (&out.words[k], &out.words[k + 1]);
        let len = p.canon_len + q.canon_len;
        let unmatched = |w: &Word| w.canon_len + 2 >= len && w.canon_len <= len + 2 && !out.words.iter().any(|o| o.same_canon(w));
        if y.words.iter().any(unmatched) {
            let joined = Word::new(&format!("{}{}", p.folded, q.folded));
            // The joined word, or the other name's word whose halves are these two
            // words in other romanisations ("Kyong Chol" / "Gyeongcheol").
            let found = if y.words.iter().any(|w| word_similarity(&joined, w) >= 0.9) {
                Some(joined)
            } else {
                y.words.iter().filter(|w| unmatched(w)).find(|w| halves_match(w, p, q)).map(|w| Word { folded: joined.folded.clone(), ..w.clone() })
            };
            if let Some(word) = found {
                let words = &mut out.to_mut().words;
                words[k] = word;
                words.remove(k + 1);
                continue;
            }
        }
        k += 1;
    }
    out
}

/// Whether a word cut in two is the two words `p` and `q`, each at least
/// as alike as two spellings of one word.
fn halves_match(w: &Word, p: &Word, q: &Word) -> bool {
    if !w.folded.is_ascii() || w.folded.len() > 24 {
        return false;
    }
    (2..w.folded.len().saturating_sub(1)).any(|k| {
        let (head, tail) = w.folded.split_at(k);
        let h = Word::new(head);
        word_similarity(&h, p) >= 0.9 && word_similarity(&Word::new(tail), q) >= 0.9
    })
}

/// A word that cannot be a given name standing where the other name has one,
/// beginning with the same letter: extraction damage, not another person.
fn damaged_given(word: &Word, other: Option<&Word>) -> bool {
    let Some(other) = other else { return false };
    let damaged = |w: &Word, name: &Word| name.given && !w.given && !w.surname_shaped;
    (damaged(word, other) || damaged(other, word)) && word.initial() == other.initial() && word_similarity(word, other) >= 0.5
}

#[cfg(test)]
mod tests {
    use super::*;

    fn score(a: &str, b: &str) -> f64 {
        compare(a, b, &Frequencies::default()).score
    }

    #[test]
    fn spellings_of_one_name_score_high() {
        assert_eq!(score("Bakhrom Khamroyev", "Бахром Хамроев"), 1.0);
        assert!(score("Bakhrom Khamroyev", "Bakhrom Khamryev") >= 0.9);
        assert!(score("Kholmatov Azizbek", "Azizbek Kholmatov") >= 0.95);
        assert!(score("Bathroom Khamroyev", "Bakhrom Khamroyev") >= 0.8);
    }

    #[test]
    fn different_people_score_low() {
        assert!(score("Rustam Karimov", "Rustam Kholmatov") < 0.6);
        assert!(score("Aziz Karimov", "Aziza Karimova") < 0.8);
        assert!(score("Rustam Karimov", "Karim Rustamov") < 0.8);
        assert!(score("Khamroyev", "Bakhrom Khamroyev") < 0.8);
        assert!(score("Azizbek Rakhmonovich Kholmatov", "Azizbek Sobirovich Kholmatov") < 0.8);
    }

    #[test]
    fn the_stack_distance_is_the_distance() {
        for (a, b) in [("hamroev", "hamrev"), ("bathrom", "bahrom"), ("saifulaev", "saidulaev"), ("", "abc"), ("ab", "ba"), ("karimov", "kirimova")] {
            let (ac, bc): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
            assert_eq!(weighted_distance_short(a.as_bytes(), b.as_bytes()), weighted_distance(&ac, &bc), "{a} / {b}");
        }
    }

    #[test]
    fn a_frequent_name_approximately_matched_says_less() {
        let mut freq = Frequencies::new();
        for i in 0..1000 {
            let given = if i % 3 == 0 { "Rustam".to_string() } else { format!("Given{i}") };
            freq.add_person(&[parse(&format!("{given} Surname{i}"))]);
        }
        let common = compare("Rustam Karimov", "Rustem Karimov", &freq).score;
        let rare = compare("Rustam Karimov", "Rustem Karimov", &Frequencies::default()).score;
        assert!(common < rare, "{common} vs {rare}");
    }
}
