//! The matching rules: how names and partial dates are compared.

use unicode_normalization::{char::is_combining_mark, UnicodeNormalization};

/// A name folded for comparison: accents, case and punctuation dropped,
/// a final "'s" removed, spaces collapsed.
pub fn norm(s: &str) -> String {
    let s: String = s.nfkd().filter(|c| !is_combining_mark(*c)).collect();
    let s = s.to_lowercase().replace('\u{2019}', "'");
    let s = s.strip_suffix("'s").unwrap_or(&s);
    let spaced: String = s.chars().map(|c| if c.is_alphanumeric() { c } else { ' ' }).collect();
    spaced.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Two partial ISO dates that do not contradict each other (a missing one contradicts nothing).
pub fn date_compatible(gold: Option<&str>, pred: Option<&str>) -> bool {
    match (gold.filter(|g| !g.is_empty()), pred.filter(|p| !p.is_empty())) {
        (Some(g), Some(p)) => g.starts_with(prefix(p, g.len())) || p.starts_with(prefix(g, p.len())),
        _ => true,
    }
}

/// The predicted date states the gold one at least to the gold's precision.
pub fn date_correct(gold: Option<&str>, pred: Option<&str>) -> bool {
    match gold {
        None => true,
        Some(g) => pred.is_some_and(|p| !p.is_empty() && p.starts_with(g)),
    }
}

fn prefix(s: &str, n: usize) -> &str {
    s.get(..n.min(s.len())).unwrap_or(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_fold_case_accents_punctuation_and_the_possessive() {
        assert_eq!(norm("Dilnoza  Qurbonova"), "dilnoza qurbonova");
        assert_eq!(norm("Şükrü Ñáñez"), "sukru nanez");
        assert_eq!(norm("O'Hara-Smith."), "o hara smith");
        assert_eq!(norm("Tolibov's"), "tolibov");
        assert_eq!(norm("Tolibov\u{2019}s"), "tolibov");
        assert_eq!(norm(""), "");
    }

    #[test]
    fn partial_dates_are_compatible_when_one_extends_the_other() {
        assert!(date_compatible(Some("2021-03"), Some("2021-03-14")));
        assert!(date_compatible(Some("2021-03-14"), Some("2021")));
        assert!(date_compatible(None, Some("2021")));
        assert!(!date_compatible(Some("2021-03"), Some("2021-04-01")));
    }

    #[test]
    fn a_date_is_correct_only_to_the_gold_precision_or_finer() {
        assert!(date_correct(Some("2021-03"), Some("2021-03-14")));
        assert!(!date_correct(Some("2021-03-14"), Some("2021-03")));
        assert!(!date_correct(Some("2021"), None));
        assert!(date_correct(None, None));
    }
}
