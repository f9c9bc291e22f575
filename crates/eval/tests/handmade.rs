//! A gold set and an export written by hand (`tests/data/handmade`), small
//! enough that every figure is counted on paper: the scorer must give exactly
//! those figures, and name exactly those misses.

use chronicle_eval::{read_gold_dir, score, Export, Scores};
use std::path::Path;

fn scores() -> Scores {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/handmade");
    let gold = read_gold_dir(&dir.join("gold")).unwrap();
    let export = Export::from_jsonl(&std::fs::read_to_string(dir.join("export.jsonl")).unwrap()).unwrap();
    score(&gold, &export)
}

fn counts(p: &chronicle_eval::Prf) -> (usize, usize, usize) {
    (p.tp, p.predicted, p.gold)
}

#[test]
fn persons_count_the_optional_one_neither_way_and_the_outlet_as_spurious() {
    // a: Anvar (by his variant), Dilnoza right; Olga optional; "Moscow Times" spurious.
    // b: Anvar right, Rustam missed.
    let s = scores();
    assert_eq!(counts(&s.persons), (3, 4, 4));
    assert_eq!((s.persons.precision, s.persons.recall, s.persons.f1), (0.75, 0.75, 0.75));
    assert_eq!(s.documents["b"].missed.iter().filter(|m| m.kind == "person").map(|m| m.text.as_str()).collect::<Vec<_>>(), ["Rustam Nazarov"]);
    assert!(s.documents["a"].spurious.iter().any(|m| m.kind == "person" && m.text == "Moscow Times"));
}

#[test]
fn organisations_match_by_a_variant_and_an_unannotated_one_is_spurious() {
    let s = scores();
    assert_eq!(counts(&s.organizations), (1, 2, 1));
    assert_eq!((s.organizations.precision, s.organizations.recall), (0.5, 1.0));
    assert_eq!(s.organizations.f1, 0.6667);
}

#[test]
fn events_match_on_type_and_a_shared_victim_even_when_the_date_is_wrong() {
    // a: arrest, sentence, deportation all matched. b: release matched (wrong
    // year), the charge of an unexported person missed, the torture spurious.
    let s = scores();
    assert_eq!(counts(&s.events), (4, 5, 5));
    assert_eq!(s.events.f1, 0.8);
    let b = &s.documents["b"];
    assert_eq!(b.missed.iter().filter(|m| m.kind == "event").count(), 1);
    assert_eq!(b.spurious.iter().filter(|m| m.kind == "event").map(|m| m.text.as_str()).collect::<Vec<_>>(), ["torture (no date)"]);
}

#[test]
fn attributes_are_scored_on_matched_events_where_the_gold_states_them() {
    let s = scores();
    let a = |k: &str| (s.attributes[k].correct, s.attributes[k].scored);
    // date: the arrest's day and the sentence's month right, the release's year wrong.
    assert_eq!(a("date"), (2, 3));
    assert_eq!(a("term_years"), (0, 1));
    assert_eq!(a("country"), (1, 2));
    assert_eq!(a("to_country"), (0, 1));
    let wrong: Vec<&str> = s.documents.values().flat_map(|d| &d.wrong).map(|m| m.kind).collect();
    assert_eq!(wrong.len(), 4, "{wrong:?}");
    assert!(s.documents["b"].wrong.iter().any(|m| m.kind == "date" && m.text.ends_with("gold 2022-02, got 2023")));
}

#[test]
fn one_person_in_both_reports_under_one_id_is_a_linked_pair() {
    let s = scores();
    assert_eq!(counts(&s.linkage), (1, 1, 1));
    assert_eq!(s.linkage.f1, 1.0);
}

#[test]
fn score_py_gives_the_same_figures_where_it_is_at_hand() {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let script = here.join("../../../shared/eval/score.py");
    let dir = here.join("tests/data/handmade");
    let Ok(out) = std::process::Command::new("python3").arg(&script).arg(dir.join("gold")).arg(dir.join("export.jsonl")).arg("--json").output() else {
        eprintln!("skipped: no python3");
        return;
    };
    if !script.is_file() {
        eprintln!("skipped: no score.py beside the project");
        return;
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let theirs: serde_json::Value = serde_json::from_str(&text[..text.rfind("summary:").unwrap_or(text.len())]).unwrap();
    let s = scores();
    for (cat, ours) in [("persons", &s.persons), ("organizations", &s.organizations), ("events", &s.events), ("linkage", &s.linkage)] {
        assert_eq!(theirs[cat]["f1"].as_f64().unwrap(), ours.f1, "{cat}");
    }
    assert_eq!(theirs["attributes"]["date"]["correct"].as_u64(), Some(2));
}

#[test]
fn calibration_counts_the_right_events_in_each_tenth_of_confidence() {
    // 0.95 and 0.9 both right; 0.85 right; 0.62 right (the release, wrong date), 0.65 wrong (the torture).
    let bins: Vec<(f64, usize, usize)> = scores().calibration.iter().map(|b| (b.low, b.events, b.right)).collect();
    assert_eq!(bins, [(0.6, 2, 1), (0.8, 1, 1), (0.9, 2, 2)]);
}
