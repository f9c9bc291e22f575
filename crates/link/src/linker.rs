//! Deciding which person on record a report's person is.

use crate::names::{fold, similar_word, skeleton};

/// A person as one report names them, with what else it says of them.
#[derive(Debug, Clone, Default)]
pub struct NewPerson {
    /// Every spelling the report uses; the first is the fullest.
    pub names: Vec<String>,
    pub age: Option<u32>,
    pub nationality: Vec<String>,
}

/// A person already on record, found through the blocking key.
#[derive(Debug, Clone, Default)]
pub struct Candidate {
    pub id: i64,
    pub names: Vec<String>,
    pub nationality: Vec<String>,
    /// Analysts said these two are different people.
    pub distinct: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum LinkDecision {
    Existing { id: i64, score: f64, evidence: String },
    New,
}

/// The blocking key of a name: the skeleton of its last word. Only persons
/// sharing a key are compared.
pub fn blocking_key(name: &str) -> String {
    fold(name).split_whitespace().last().map(skeleton).unwrap_or_default()
}

/// Splits a full name into (given, surname) when it has two or more words.
fn parts(name: &str) -> Option<(String, String)> {
    let words: Vec<&str> = name.split_whitespace().collect();
    (words.len() >= 2).then(|| (words[0].to_string(), words[words.len() - 1].to_string()))
}

/// Scores a new person against a candidate: 1.0 for the same full name up to
/// spelling, lower for weaker evidence, 0 for contradiction.
pub fn score(new: &NewPerson, cand: &Candidate) -> (f64, String) {
    let mut best = (0.0, String::new());
    for a in &new.names {
        for b in &cand.names {
            let s = match (parts(a), parts(b)) {
                (Some((ga, sa)), Some((gb, sb))) => {
                    if similar_word(&sa, &sb) && similar_word(&ga, &gb) {
                        if fold(a) == fold(b) { 1.0 } else { 0.9 }
                    } else if similar_word(&sa, &sb) && similar_word(&ga, &sb) && similar_word(&sa, &gb) {
                        0.85 // name order reversed
                    } else {
                        0.0
                    }
                }
                _ => 0.0, // a single word is too little to link across reports
            };
            if s > best.0 {
                best = (s, format!("{a:?} ~ {b:?}"));
            }
        }
    }
    // Nationalities that differ are evidence against.
    if !new.nationality.is_empty() && !cand.nationality.is_empty() && !new.nationality.iter().any(|n| cand.nationality.contains(n)) {
        best.0 *= 0.5;
        best.1.push_str("; nationalities differ");
    }
    best
}

/// The threshold at which two persons are linked.
pub const LINK_THRESHOLD: f64 = 0.8;

/// Picks the candidate the new person is, if any clears the threshold.
pub fn decide(new: &NewPerson, candidates: &[Candidate]) -> LinkDecision {
    let mut best: Option<(i64, f64, String)> = None;
    for c in candidates.iter().filter(|c| !c.distinct) {
        let (s, ev) = score(new, c);
        if s >= LINK_THRESHOLD && best.as_ref().is_none_or(|b| s > b.1) {
            best = Some((c.id, s, ev));
        }
    }
    match best {
        Some((id, score, evidence)) => LinkDecision::Existing { id, score, evidence },
        None => LinkDecision::New,
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

    #[test]
    fn links_variant_spellings_of_one_full_name() {
        let d = decide(&person(&["Bakhrom Khamroev"]), &[cand(1, &["Bakhrom Khamroyev", "Khamroyev"])]);
        assert!(matches!(d, LinkDecision::Existing { id: 1, .. }), "{d:?}");
        let d = decide(&person(&["Бахром Хамроев"]), &[cand(1, &["Bakhrom Khamroyev"])]);
        assert!(matches!(d, LinkDecision::Existing { id: 1, .. }), "{d:?}");
    }

    #[test]
    fn does_not_link_different_people_who_share_a_name_part() {
        assert_eq!(decide(&person(&["Rustam Halikov"]), &[cand(1, &["Rustam Khalilov"]), cand(2, &["Ilfat Halikov"])]), LinkDecision::New);
        assert_eq!(decide(&person(&["Khamroyev"]), &[cand(1, &["Bakhrom Khamroyev"])]), LinkDecision::New);
    }

    #[test]
    fn respects_an_analysts_distinct_decision() {
        let mut c = cand(1, &["Azat Isakov"]);
        c.distinct = true;
        assert_eq!(decide(&person(&["Azat Isakov"]), &[c]), LinkDecision::New);
    }
}
