//! Deciding which person on record a report's person is.
//!
//! The names are compared first ([`crate::compare`]); what the reports say of
//! the person then counts for or against: birth years (given or worked out
//! from an age), nationality, occupation, organisations named alongside.
//! Only candidates sharing a blocking key are compared, never all pairs.

use crate::compare::{compare_parsed, Frequencies};
use crate::names::{parse, ParsedName};
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

/// The blocking keys of a name: for each pair of its words, the skeleton of
/// one and the first letter of the other ("Bakhrom Khamroyev" → "hmrv|b",
/// "bhrm|h"); with initials, the skeleton of the word and the initial. Two
/// spellings of one name share at least one key unless both words are
/// damaged at once. A single word has no key: it never links across reports.
pub fn blocking_keys(name: &ParsedName) -> Vec<String> {
    let mut keys = Vec::new();
    for (i, w) in name.words.iter().enumerate() {
        for (j, other) in name.words.iter().enumerate() {
            if i != j {
                if let Some(c) = other.initial() {
                    keys.push(format!("{}|{c}", w.skeleton));
                }
            }
        }
        for c in &name.initials {
            keys.push(format!("{}|{c}", w.skeleton));
        }
    }
    keys.sort();
    keys.dedup();
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
    pub fn of_new(p: &NewPerson) -> Profile {
        Profile {
            names: p.names.iter().map(|n| parse(n)).collect(),
            birth_years: p.birth_years.clone(),
            nationality: p.nationality.clone(),
            occupation: p.occupation.clone(),
            orgs: p.orgs.clone(),
        }
    }
    pub fn of_candidate(c: &Candidate) -> Profile {
        Profile {
            names: c.names.iter().map(|n| parse(n)).collect(),
            birth_years: c.birth_years.clone(),
            nationality: c.nationality.clone(),
            occupation: c.occupation.clone(),
            orgs: c.orgs.clone(),
        }
    }
    /// Adds what another profile of the same person says.
    pub fn absorb(&mut self, other: &Profile) {
        for n in &other.names {
            if !self.names.contains(n) {
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

/// Scores a new person against a person on record: the best name comparison,
/// then the attributes for and against.
pub fn score_profiles(new: &Profile, cand: &Profile, freq: &Frequencies) -> (f64, String) {
    let mut best = (0.0, String::new());
    for a in &new.names {
        for b in &cand.names {
            let c = compare_parsed(a, b, freq);
            if c.score > best.0 {
                best = (c.score, c.evidence);
            }
        }
    }
    let (mut s, mut evidence) = best;
    if s == 0.0 {
        return (0.0, evidence);
    }
    if !new.birth_years.is_empty() && !cand.birth_years.is_empty() {
        let gap = new.birth_years.iter().flat_map(|a| cand.birth_years.iter().map(move |b| (a - b).abs())).min().unwrap_or(0);
        if gap <= 1 {
            s += 0.05;
            evidence.push_str("; birth year agrees");
        } else if gap >= 3 {
            s *= 0.5;
            evidence.push_str(&format!("; birth years {gap} apart"));
        }
    }
    if !new.nationality.is_empty() && !cand.nationality.is_empty() {
        if new.nationality.iter().any(|n| cand.nationality.contains(n)) {
            s += 0.02;
            evidence.push_str("; nationality agrees");
        } else {
            s *= 0.7;
            evidence.push_str("; nationalities differ");
        }
    }
    if new.occupation.iter().any(|o| cand.occupation.contains(o)) {
        s += 0.02;
        evidence.push_str("; occupation agrees");
    }
    if new.orgs.iter().any(|o| cand.orgs.contains(o)) {
        s += 0.03;
        evidence.push_str("; named with the same organisation");
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
    let mut best: Option<(i64, f64, String)> = None;
    for c in candidates.iter().filter(|c| !c.distinct) {
        let (s, ev) = score_profiles(&profile, &Profile::of_candidate(c), freq);
        if s >= LINK_THRESHOLD && best.as_ref().is_none_or(|b| s > b.1) {
            best = Some((c.id, s, ev));
        }
    }
    match best {
        Some((id, score, evidence)) => LinkDecision::Existing { id, score, evidence },
        None => LinkDecision::New,
    }
}

/// Links persons in memory, one report's person at a time: the same
/// decisions as the store makes, for stress sets and benchmarks.
#[derive(Debug, Default)]
pub struct Index {
    persons: Vec<Profile>,
    blocks: HashMap<String, Vec<u32>>,
    freq: Frequencies,
}

impl Index {
    pub fn new() -> Self {
        Self::default()
    }
    pub fn len(&self) -> usize {
        self.persons.len()
    }
    pub fn is_empty(&self) -> bool {
        self.persons.is_empty()
    }
    /// Links one report's person; returns the index of the person it is.
    pub fn link(&mut self, new: &NewPerson) -> (u32, LinkDecision) {
        let profile = Profile::of_new(new);
        let mut keys: Vec<String> = profile.names.iter().flat_map(blocking_keys).collect();
        keys.sort();
        keys.dedup();
        let mut seen: HashSet<u32> = HashSet::new();
        let mut best: Option<(u32, f64, String)> = None;
        for k in &keys {
            for &id in self.blocks.get(k).map(Vec::as_slice).unwrap_or(&[]) {
                if !seen.insert(id) {
                    continue;
                }
                let (s, ev) = score_profiles(&profile, &self.persons[id as usize], &self.freq);
                if s >= LINK_THRESHOLD && best.as_ref().is_none_or(|b| s > b.1) {
                    best = Some((id, s, ev));
                }
            }
        }
        match best {
            Some((id, score, evidence)) => {
                let before: HashSet<String> = blocking_keys_all(&self.persons[id as usize]);
                self.persons[id as usize].absorb(&profile);
                for k in keys.into_iter().filter(|k| !before.contains(k)) {
                    self.blocks.entry(k).or_default().push(id);
                }
                (id, LinkDecision::Existing { id: i64::from(id), score, evidence })
            }
            None => {
                let id = self.persons.len() as u32;
                self.freq.add_person(&profile.names);
                self.persons.push(profile);
                for k in keys {
                    self.blocks.entry(k).or_default().push(id);
                }
                (id, LinkDecision::New)
            }
        }
    }
}

fn blocking_keys_all(p: &Profile) -> HashSet<String> {
    p.names.iter().flat_map(blocking_keys).collect()
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
        for (a, b) in [("Bakhrom Khamroyev", "Бахром Хамроев"), ("Bakhrom Khamroyev", "Bathroom Khamroyev"), ("Bakhrom Khamroyev", "Khamroyev Bakhrom"), ("Bakhrom Khamroyev", "B. Khamroyev")] {
            assert!(!keys(a).is_disjoint(&keys(b)), "{a} / {b}");
        }
        assert!(blocking_keys_of("Khamroyev").is_empty());
    }
}
