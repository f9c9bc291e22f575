//! Deciding which person on record a report's person is.
//!
//! The names are compared first ([`crate::compare`]); what the reports say of
//! the person then counts for or against: birth years (given or worked out
//! from an age), nationality, occupation, organisations named alongside.
//! Only candidates sharing a blocking key are compared, never all pairs.

use crate::compare::{compare_parsed, score_parsed_cached, Frequencies, SimCache};
use crate::names::{parse, ParsedName, Word};
use std::collections::{HashMap, HashSet};

/// A person as one report names them, with what else it says of them.
#[derive(Debug, Clone, Default)]
pub struct NewPerson {
    /// Every spelling the report uses; the first is the fullest.
    pub names: Vec<String>,
    /// Birth years given, or worked out from an age and the report's year.
    pub birth_years: Vec<i32>,
    /// ISO country codes.
    pub nationality: Vec<String>,
    pub occupation: Vec<String>,
    /// Keys of organisations the same report names.
    pub orgs: Vec<String>,
}

/// A person already on record, found through the blocking keys.
#[derive(Debug, Clone, Default)]
pub struct Candidate {
    pub id: i64,
    pub names: Vec<String>,
    pub birth_years: Vec<i32>,
    pub nationality: Vec<String>,
    pub occupation: Vec<String>,
    pub orgs: Vec<String>,
    /// Analysts said the new person is not this one.
    pub distinct: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum LinkDecision {
    Existing { id: i64, score: f64, evidence: String },
    New,
}

/// The threshold at which two persons are linked (and two names said to be one).
pub const LINK_THRESHOLD: f64 = 0.8;

/// The blocking keys of a name. For each ordered pair of its words: the
/// skeleton of the first (or the skeleton less any one letter) with the
/// skeleton of the second ("Bakhrom Khamroyev" → "hmrv|bhrm", "mrv|bhrm",
/// "hrv|bhrm" …). Two spellings of one name share a key unless both words
/// are damaged at once: romanisations share skeletons, and a typo changes a
/// skeleton by at most one letter. Each pair also yields a key with the
/// initial of the second word ("hmrv|b."), which is how "B. Khamroyev" finds
/// candidates. A single word has no key: it never links across reports.
pub fn blocking_keys(name: &ParsedName) -> Vec<String> {
    let words = key_words(name);
    let mut keys = Vec::new();
    for (i, w) in words.iter().enumerate() {
        let mut variants: Vec<String> = Vec::with_capacity(8);
        for skeleton in &w.skeletons {
            variants.push(skeleton.clone());
            let chars: Vec<char> = skeleton.chars().collect();
            if chars.len() >= 3 {
                for k in 0..chars.len() {
                    variants.push(chars.iter().enumerate().filter(|&(n, _)| n != k).map(|(_, c)| *c).collect());
                }
            }
        }
        for (j, other) in words.iter().enumerate() {
            if i == j || w.parts & other.parts != 0 {
                continue;
            }
            for v in &variants {
                for o in &other.skeletons {
                    keys.push(format!("{v}|{o}"));
                }
            }
            if let Some(c) = other.initial {
                keys.push(format!("{}|{c}.", w.skeletons[0]));
            }
        }
        if w.initial.is_some() {
            for c in &name.initials {
                keys.push(format!("{}|{c}.", w.skeletons[0]));
            }
        }
    }
    keys.sort();
    keys.dedup();
    keys
}

/// A word as blocking sees it: its skeletons (its own, and its line of
/// equivalents' where that differs) and which words of the name it is made of.
struct KeyWord {
    skeletons: Vec<String>,
    /// The first letter of a word of the name as written (none for two joined).
    initial: Option<char>,
    parts: u32,
}

/// The words of a name for blocking, and in a name of three words or more
/// each two neighbours joined ("Shi Yu Hua" → shi, yu, hua, yuhua), so that
/// a spelling that writes them as one word ("Shi Yuhua") shares a key.
fn key_words(name: &ParsedName) -> Vec<KeyWord> {
    let mut out: Vec<KeyWord> = name
        .words
        .iter()
        .enumerate()
        .map(|(i, w)| KeyWord { skeletons: std::iter::once(w.skeleton.clone()).chain(w.group_skeleton.clone()).collect(), initial: w.initial(), parts: 1 << i })
        .collect();
    if name.words.len() >= 3 {
        for (i, pair) in name.words.windows(2).enumerate() {
            let joined = Word::new(&format!("{}{}", pair[0].folded, pair[1].folded));
            out.push(KeyWord { skeletons: vec![joined.skeleton], initial: None, parts: 0b11 << i });
        }
    }
    out
}

/// The keys a name is looked up by: its blocking keys, less the initial
/// keys of full names (only a name with initials needs those).
pub fn lookup_keys(name: &ParsedName) -> Vec<String> {
    let mut keys = blocking_keys(name);
    if name.initials.is_empty() {
        keys.retain(|k| !k.ends_with('.'));
    }
    keys
}

/// The blocking keys of a name as written.
pub fn blocking_keys_of(name: &str) -> Vec<String> {
    blocking_keys(&parse(name))
}

/// What a person's names and attributes look like, ready for comparison.
#[derive(Debug, Clone, Default)]
pub struct Profile {
    pub names: Vec<ParsedName>,
    pub birth_years: Vec<i32>,
    pub nationality: Vec<String>,
    pub occupation: Vec<String>,
    pub orgs: Vec<String>,
}

impl Profile {
    fn of(names: &[String], birth_years: &[i32], nationality: &[String], occupation: &[String], orgs: &[String]) -> Profile {
        Profile {
            names: names.iter().map(|n| parse(n)).collect(),
            birth_years: birth_years.to_vec(),
            nationality: nationality.to_vec(),
            occupation: occupation.to_vec(),
            orgs: orgs.to_vec(),
        }
    }
    pub fn of_new(p: &NewPerson) -> Profile {
        Self::of(&p.names, &p.birth_years, &p.nationality, &p.occupation, &p.orgs)
    }
    pub fn of_candidate(c: &Candidate) -> Profile {
        Self::of(&c.names, &c.birth_years, &c.nationality, &c.occupation, &c.orgs)
    }
    /// Drops spellings that say nothing new: the same words, patronymic and
    /// initials once romanisation is set aside.
    pub fn dedup_names(&mut self) {
        let mut seen: Vec<u64> = Vec::new();
        let mut keep = Vec::with_capacity(self.names.len());
        for (i, n) in self.names.iter().enumerate() {
            let sig = signature(n);
            if !seen.contains(&sig) {
                seen.push(sig);
                keep.push(i);
            }
        }
        if keep.len() < self.names.len() {
            self.names = keep.into_iter().map(|i| self.names[i].clone()).collect();
        }
    }
    /// Adds what another profile of the same person says.
    pub fn absorb(&mut self, other: &Profile) {
        let mine: Vec<u64> = self.names.iter().map(signature).collect();
        for n in &other.names {
            if !mine.contains(&signature(n)) {
                self.names.push(n.clone());
            }
        }
        for (mine, theirs) in [(&mut self.nationality, &other.nationality), (&mut self.occupation, &other.occupation), (&mut self.orgs, &other.orgs)] {
            for v in theirs {
                if !mine.contains(v) {
                    mine.push(v.clone());
                }
            }
        }
        for y in &other.birth_years {
            if !self.birth_years.contains(y) {
                self.birth_years.push(*y);
            }
        }
    }
}

/// What a spelling says once romanisation is set aside: its words in any
/// order, patronymic and initials, hashed.
fn signature(n: &ParsedName) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut words: Vec<&str> = n.words.iter().map(|w| w.canon.as_str()).collect();
    words.sort_unstable();
    let mut h = std::collections::hash_map::DefaultHasher::new();
    words.hash(&mut h);
    n.patronymic.as_ref().map(|p| p.canon.as_str()).hash(&mut h);
    n.initials.hash(&mut h);
    h.finish()
}

/// Scores a new person against a person on record: the best name comparison,
/// then the attributes for and against; with the evidence in words.
pub fn score_profiles(new: &Profile, cand: &Profile, freq: &Frequencies) -> (f64, String) {
    let (s, evidence) = score_inner(new, cand, freq, true);
    (s, evidence.unwrap_or_default())
}

/// The score alone, for scanning candidates.
pub fn score_only(new: &Profile, cand: &Profile, freq: &Frequencies) -> f64 {
    score_inner(new, cand, freq, false).0
}

fn score_inner(new: &Profile, cand: &Profile, freq: &Frequencies, explain: bool) -> (f64, Option<String>) {
    let mut best = (0.0, None);
    let mut cache = SimCache::default();
    'names: for a in &new.names {
        for b in &cand.names {
            let s = score_parsed_cached(a, b, freq, &mut cache);
            if s > best.0 {
                best = (s, Some((a, b)));
                if s >= 1.0 {
                    break 'names;
                }
            }
        }
    }
    let (mut s, pair) = best;
    let mut evidence = match (explain, pair) {
        (true, Some((a, b))) => Some(compare_parsed(a, b, freq).evidence),
        (true, None) => Some("no name in common".to_string()),
        _ => None,
    };
    if s == 0.0 {
        return (0.0, evidence);
    }
    let mut note = |text: &dyn Fn() -> String| {
        if let Some(e) = &mut evidence {
            e.push_str("; ");
            e.push_str(&text());
        }
    };
    if !new.birth_years.is_empty() && !cand.birth_years.is_empty() {
        let gap = new.birth_years.iter().flat_map(|a| cand.birth_years.iter().map(move |b| (a - b).abs())).min().unwrap_or(0);
        if gap <= 1 {
            s += 0.05;
            note(&|| "birth year agrees".into());
        } else if gap >= 3 {
            s *= 0.5;
            note(&|| format!("birth years {gap} apart"));
        }
    }
    if !new.nationality.is_empty() && !cand.nationality.is_empty() {
        if new.nationality.iter().any(|n| cand.nationality.contains(n)) {
            s += 0.02;
            note(&|| "nationality agrees".into());
        } else {
            s *= 0.7;
            note(&|| "nationalities differ".into());
        }
    }
    if new.occupation.iter().any(|o| cand.occupation.contains(o)) {
        s += 0.02;
        note(&|| "occupation agrees".into());
    }
    if new.orgs.iter().any(|o| cand.orgs.contains(o)) {
        s += 0.03;
        note(&|| "named with the same organisation".into());
    }
    (s.min(1.0), evidence)
}

/// Scores a new person against a candidate.
pub fn score(new: &NewPerson, cand: &Candidate, freq: &Frequencies) -> (f64, String) {
    score_profiles(&Profile::of_new(new), &Profile::of_candidate(cand), freq)
}

/// Picks the candidate the new person is, if any clears the threshold.
pub fn decide(new: &NewPerson, candidates: &[Candidate], freq: &Frequencies) -> LinkDecision {
    let profile = Profile::of_new(new);
    let profiles: Vec<(i64, Profile)> = candidates.iter().filter(|c| !c.distinct).map(|c| (c.id, Profile::of_candidate(c))).collect();
    let scored: Vec<(i64, f64, &Profile)> = profiles.iter().map(|(id, p)| (*id, score_only(&profile, p, freq), p)).collect();
    match choose(scored) {
        Some((id, score, p)) => LinkDecision::Existing { id, score, evidence: score_profiles(&profile, p, freq).1 },
        None => LinkDecision::New,
    }
}

/// The best candidate at or above the threshold, unless two known to be
/// different people fit (nearly) as well: then linking to either could
/// merge namesakes, and the person stays apart until an analyst decides.
fn choose<K: Copy + Into<i64>>(mut scored: Vec<(K, f64, &Profile)>) -> Option<(K, f64, &Profile)> {
    scored.retain(|c| c.1 >= LINK_THRESHOLD);
    scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.into().cmp(&b.0.into())));
    let best = *scored.first()?;
    if scored[1..].iter().any(|other| best.1 - other.1 < 0.03 && known_apart(best.2, other.2)) {
        return None;
    }
    Some(best)
}

/// Whether two persons on record are known to be different people: birth
/// years three or more apart, or no nationality in common.
fn known_apart(a: &Profile, b: &Profile) -> bool {
    let years_apart = !a.birth_years.is_empty()
        && !b.birth_years.is_empty()
        && a.birth_years.iter().all(|x| b.birth_years.iter().all(|y| (x - y).abs() >= 3));
    let nations_apart = !a.nationality.is_empty() && !b.nationality.is_empty() && !a.nationality.iter().any(|n| b.nationality.contains(n));
    years_apart || nations_apart
}

/// Links persons in memory, one report's person at a time: the same
/// decisions as the store makes, for stress sets and benchmarks.
#[derive(Debug, Default)]
pub struct Index {
    persons: Vec<Profile>,
    /// Blocking key (hashed) → persons.
    blocks: HashMap<u64, Vec<u32>>,
    freq: Frequencies,
    comparisons: u64,
    explain: bool,
}

fn key_hash(key: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    key.hash(&mut h);
    h.finish()
}

/// A report's person made ready for [`Index::link_prepared`]: names taken
/// apart and lookup keys hashed. Needs no index, so it can be done on
/// another thread while the index links.
#[derive(Debug, Clone)]
pub struct Prepared {
    profile: Profile,
    lookup: Vec<u64>,
}

impl Prepared {
    pub fn new(new: &NewPerson) -> Prepared {
        let mut profile = Profile::of_new(new);
        profile.dedup_names();
        let mut lookup: Vec<u64> = profile.names.iter().flat_map(lookup_keys).map(|k| key_hash(&k)).collect();
        lookup.sort_unstable();
        lookup.dedup();
        Prepared { profile, lookup }
    }
}

impl Index {
    pub fn new() -> Self {
        Self::default()
    }
    /// An index whose decisions carry their evidence in words (slower).
    pub fn explained() -> Self {
        Index { explain: true, ..Self::default() }
    }
    pub fn len(&self) -> usize {
        self.persons.len()
    }
    pub fn is_empty(&self) -> bool {
        self.persons.is_empty()
    }
    /// How many person comparisons linking has made so far.
    pub fn comparisons(&self) -> u64 {
        self.comparisons
    }
    /// Every person sharing a blocking key with `new`, with its score and
    /// evidence, best first: why a person was or was not linked.
    pub fn explain(&self, new: &NewPerson) -> Vec<(u32, f64, String)> {
        let Prepared { profile, lookup } = Prepared::new(new);
        let mut ids: Vec<u32> = lookup.iter().flat_map(|k| self.blocks.get(k).map(Vec::as_slice).unwrap_or(&[])).copied().collect();
        ids.sort_unstable();
        ids.dedup();
        let mut out: Vec<(u32, f64, String)> = ids
            .into_iter()
            .map(|id| {
                let (s, ev) = score_profiles(&profile, &self.persons[id as usize], &self.freq);
                (id, s, ev)
            })
            .collect();
        out.sort_by(|a, b| b.1.total_cmp(&a.1));
        out
    }
    /// Links one report's person; returns the index of the person it is.
    pub fn link(&mut self, new: &NewPerson) -> (u32, LinkDecision) {
        self.link_prepared(Prepared::new(new))
    }
    /// Links one report's person made ready beforehand.
    pub fn link_prepared(&mut self, prepared: Prepared) -> (u32, LinkDecision) {
        let Prepared { profile, lookup } = prepared;
        let mut seen: HashSet<u32> = HashSet::new();
        let mut scored = Vec::new();
        for k in &lookup {
            for &id in self.blocks.get(k).map(Vec::as_slice).unwrap_or(&[]) {
                if !seen.insert(id) {
                    continue;
                }
                let person = &self.persons[id as usize];
                self.comparisons += 1;
                let s = score_only(&profile, person, &self.freq);
                if s >= LINK_THRESHOLD {
                    scored.push((id, s, person));
                }
            }
        }
        let explain = self.explain;
        let chosen = choose(scored).map(|(id, score, p)| (id, score, if explain { score_profiles(&profile, p, &self.freq).1 } else { String::new() }));
        let (id, decision) = match chosen {
            Some((id, score, evidence)) => {
                let person = &mut self.persons[id as usize];
                let known = person.names.len();
                person.absorb(&profile);
                let added: Vec<ParsedName> = person.names[known..].to_vec();
                self.add_keys(id, &added);
                (id, LinkDecision::Existing { id: i64::from(id), score, evidence })
            }
            None => {
                let id = self.persons.len() as u32;
                self.freq.add_person(&profile.names);
                let names = profile.names.clone();
                self.persons.push(profile);
                self.add_keys(id, &names);
                (id, LinkDecision::New)
            }
        };
        (id, decision)
    }

    fn add_keys(&mut self, id: u32, names: &[ParsedName]) {
        for n in names {
            for k in blocking_keys(n) {
                let list = self.blocks.entry(key_hash(&k)).or_default();
                if list.last() != Some(&id) {
                    list.push(id);
                }
            }
        }
    }
}


#[cfg(test)]
mod tests {
    use super::*;

    fn person(names: &[&str]) -> NewPerson {
        NewPerson { names: names.iter().map(|s| s.to_string()).collect(), ..Default::default() }
    }
    fn cand(id: i64, names: &[&str]) -> Candidate {
        Candidate { id, names: names.iter().map(|s| s.to_string()).collect(), ..Default::default() }
    }
    /// Decides with the name frequencies of the candidates on record.
    fn decide0(p: &NewPerson, c: &[Candidate]) -> LinkDecision {
        let mut freq = Frequencies::default();
        for cand in c {
            freq.add_person(&Profile::of_candidate(cand).names);
        }
        decide(p, c, &freq)
    }

    #[test]
    fn links_variant_spellings_of_one_full_name() {
        let d = decide0(&person(&["Bakhrom Khamroev"]), &[cand(1, &["Bakhrom Khamroyev", "Khamroyev"])]);
        assert!(matches!(d, LinkDecision::Existing { id: 1, .. }), "{d:?}");
        let d = decide0(&person(&["Бахром Хамроев"]), &[cand(1, &["Bakhrom Khamroyev"])]);
        assert!(matches!(d, LinkDecision::Existing { id: 1, .. }), "{d:?}");
    }

    #[test]
    fn does_not_link_different_people_who_share_a_name_part() {
        assert_eq!(decide0(&person(&["Rustam Halikov"]), &[cand(1, &["Rustam Khalilov"]), cand(2, &["Ilfat Halikov"])]), LinkDecision::New);
        assert_eq!(decide0(&person(&["Khamroyev"]), &[cand(1, &["Bakhrom Khamroyev"])]), LinkDecision::New);
    }

    #[test]
    fn birth_years_apart_keep_namesakes_apart() {
        let mut p = person(&["Rustam Karimov"]);
        p.birth_years = vec![1990];
        let mut c = cand(1, &["Rustam Karimov"]);
        c.birth_years = vec![1975];
        assert_eq!(decide0(&p, &[c.clone()]), LinkDecision::New);
        c.birth_years = vec![1991];
        assert!(matches!(decide0(&p, &[c]), LinkDecision::Existing { id: 1, .. }));
    }

    #[test]
    fn an_initial_links_only_with_support() {
        let mut p = person(&["B. Khamroyev"]);
        let mut c = cand(1, &["Bakhrom Khamroyev"]);
        assert_eq!(decide0(&p, &[c.clone()]), LinkDecision::New);
        p.birth_years = vec![1984];
        c.birth_years = vec![1984];
        assert!(matches!(decide0(&p, &[c]), LinkDecision::Existing { id: 1, .. }));
    }

    #[test]
    fn respects_an_analysts_distinct_decision() {
        let mut c = cand(1, &["Azat Isakov"]);
        c.distinct = true;
        assert_eq!(decide0(&person(&["Azat Isakov"]), &[c]), LinkDecision::New);
    }

    #[test]
    fn spellings_share_a_blocking_key() {
        let keys = |n: &str| blocking_keys_of(n).into_iter().collect::<HashSet<_>>();
        let lookup = |n: &str| lookup_keys(&parse(n)).into_iter().collect::<HashSet<_>>();
        for b in ["Бахром Хамроев", "Bathroom Khamroyev", "Khamroyev Bakhrom", "B. Khamroyev", "Bakhrom Khamryev", "Bakhrom Khamroyeb", "Bakrom Khamroyev"] {
            assert!(!keys("Bakhrom Khamroyev").is_disjoint(&lookup(b)), "{b}");
        }
        assert!(keys("Bakhrom Khamroyev").is_disjoint(&lookup("Bakhtiyor Khamidov")));
        assert!(blocking_keys_of("Khamroyev").is_empty());
    }

    #[test]
    fn forms_of_one_name_and_words_written_apart_share_a_blocking_key() {
        let keys = |n: &str| blocking_keys_of(n).into_iter().collect::<HashSet<_>>();
        let lookup = |n: &str| lookup_keys(&parse(n)).into_iter().collect::<HashSet<_>>();
        for (a, b) in [
            ("Alexander Karaman", "Oleksandr Karaman"),
            ("Aleksandr Karaman", "Alyaksandr Karaman"),
            ("Yusuf Rakhimov", "Jusup Rakhimov"),
            ("Shi Yu Hua", "Shi Yuhua"),
            ("Su Nam Pang", "Sunam Pang"),
            ("Abd al-Hadi Mahmud", "Abdulhadi Mahmud"),
            ("Tun Aung Myint", "Htun Aung Myint"),
        ] {
            assert!(!keys(a).is_disjoint(&lookup(b)), "{a} / {b}");
            assert!(!keys(b).is_disjoint(&lookup(a)), "{b} / {a}");
        }
    }

    #[test]
    fn the_index_links_forms_of_one_name() {
        let mut index = Index::new();
        for (a, b) in [("Aleksandr Karaman", "Alexander Karaman"), ("Shi Yu Hua", "Shi Yuhua"), ("Viktor Vladimirovich Sheiman", "Viktar Uladzimiravich Sheiman")] {
            let (first, _) = index.link(&person(&[a]));
            let (second, d) = index.link(&person(&[b]));
            assert_eq!(first, second, "{a} / {b}: {d:?}");
        }
        // And keeps another given name apart.
        let (other, _) = index.link(&person(&["Aleksei Karaman"]));
        assert_ne!(other, index.link(&person(&["Aleksandr Karaman"])).0);
    }
}
