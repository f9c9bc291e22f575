//! Table-driven specification of name comparison: spellings of one person
//! score at or above the link threshold, different people below it.

use chronicle_link::{compare, Frequencies, LINK_THRESHOLD};

fn pairs(text: &str) -> Vec<(&str, &str)> {
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| l.split_once('\t').unwrap_or_else(|| panic!("no tab in {l:?}")))
        .collect()
}

#[test]
fn spellings_of_one_person_link() {
    let freq = Frequencies::default();
    let failures: Vec<String> = pairs(include_str!("data/same_person.tsv"))
        .into_iter()
        .map(|(a, b)| (a, b, compare(a, b, &freq)))
        .filter(|(_, _, c)| c.score < LINK_THRESHOLD)
        .map(|(a, b, c)| format!("{a} / {b}: {:.3} ({})", c.score, c.evidence))
        .collect();
    assert!(failures.is_empty(), "pairs below the threshold:\n{}", failures.join("\n"));
}

#[test]
fn different_people_do_not() {
    let freq = Frequencies::default();
    let failures: Vec<String> = pairs(include_str!("data/different_people.tsv"))
        .into_iter()
        .map(|(a, b)| (a, b, compare(a, b, &freq)))
        .filter(|(_, _, c)| c.score >= LINK_THRESHOLD)
        .map(|(a, b, c)| format!("{a} / {b}: {:.3} ({})", c.score, c.evidence))
        .collect();
    assert!(failures.is_empty(), "pairs at or above the threshold:\n{}", failures.join("\n"));
}

#[test]
fn comparison_is_symmetric() {
    let freq = Frequencies::default();
    for (a, b) in pairs(include_str!("data/same_person.tsv")).into_iter().chain(pairs(include_str!("data/different_people.tsv"))) {
        let (x, y) = (compare(a, b, &freq).score, compare(b, a, &freq).score);
        assert!((x - y).abs() < 1e-9, "{a} / {b}: {x} vs {y}");
    }
}
