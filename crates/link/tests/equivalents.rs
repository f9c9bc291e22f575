//! The name equivalents (`data/given_name_equivalents.txt`,
//! `data/word_equivalents.txt`): every form of a line is the same name, in a
//! full name and in the patronymic made from it; forms of different lines
//! are different names; no form stands on two lines.

use chronicle_link::names::{canon, fold};
use chronicle_link::variants::groups;
use chronicle_link::{compare, Frequencies, LINK_THRESHOLD};
use std::collections::HashMap;

fn score(a: &str, b: &str) -> f64 {
    compare(a, b, &Frequencies::default()).score
}

#[test]
fn every_form_of_a_line_is_the_same_name() {
    let mut failures = Vec::new();
    for (group, forms) in groups() {
        for form in &forms[1..] {
            // A given name beside a surname; a surname or syllable beside two given names.
            let (a, b) = if group.given { (format!("{} Sadykov", forms[0]), format!("{form} Sadykov")) } else { (format!("{} Tae Hyon", forms[0]), format!("{form} Tae Hyon")) };
            let s = score(&a, &b);
            if s < LINK_THRESHOLD {
                failures.push(format!("line {}: {a} / {b}: {s:.3}", group.id + 1));
            }
        }
    }
    assert!(failures.is_empty(), "forms of one name below the threshold:\n{}", failures.join("\n"));
}

#[test]
fn no_form_stands_on_two_lines() {
    let mut seen: HashMap<String, (u32, &str)> = HashMap::new();
    let mut clashes = Vec::new();
    for (group, forms) in groups() {
        for form in forms {
            let c = canon(&fold(form));
            match seen.get(&c) {
                Some(&(other, first)) if other != group.id => clashes.push(format!("{form} (line {}) and {first} (line {})", group.id + 1, other + 1)),
                _ => {
                    seen.insert(c, (group.id, form));
                }
            }
        }
    }
    assert!(clashes.is_empty(), "forms on two lines:\n{}", clashes.join("\n"));
}

#[test]
fn names_of_different_lines_are_different_people() {
    let all = groups();
    let mut failures = Vec::new();
    for (i, (g, a)) in all.iter().enumerate() {
        for (h, b) in &all[i + 1..] {
            // Names that begin alike are the ones at risk (and comparing all takes long unoptimised).
            if g.given != h.given || g.representative.chars().next() != h.representative.chars().next() {
                continue;
            }
            let (x, y) = if g.given { (format!("{} Sadykov", a[0]), format!("{} Sadykov", b[0])) } else { (format!("{} Tae Hyon", a[0]), format!("{} Tae Hyon", b[0])) };
            let s = score(&x, &y);
            if s >= LINK_THRESHOLD {
                failures.push(format!("{x} / {y}: {s:.3}"));
            }
        }
    }
    assert!(failures.is_empty(), "different names at or above the threshold:\n{}", failures.join("\n"));
}

#[test]
fn patronymics_are_compared_by_the_fathers_name_in_any_of_its_forms() {
    for (a, b) in [
        ("Viktor Vladimirovich Sheiman", "Viktar Uladzimiravich Sheiman"),
        ("Viktor Vladimirovich Sheiman", "Viktor Volodymyrovych Sheiman"),
        ("Igor Sergeyevich Novik", "Ihor Serhiyovych Novik"),
        ("Igor Sergeyevich Novik", "Ihar Siarheyevich Novik"),
        ("Dmitry Yuryevich Zaitsev", "Dmytro Yuriiovych Zaitsev"),
        ("Olga Aleksandrovna Koroleva", "Olha Oleksandrivna Koroleva"),
        ("Olga Aleksandrovna Koroleva", "Volha Aliaksandrauna Koroleva"),
        ("Anna Nikolayevna Belova", "Hanna Mykolaivna Belova"),
        ("Pavel Ilyich Gusev", "Pavlo Illich Gusev"),
    ] {
        assert!(score(a, b) >= LINK_THRESHOLD, "{a} / {b}: {}", score(a, b));
    }
    for (a, b) in [
        ("Viktor Vladimirovich Sheiman", "Viktor Vladislavovich Sheiman"),
        ("Igor Sergeyevich Novik", "Igor Semyonovich Novik"),
        ("Olga Aleksandrovna Koroleva", "Olga Alekseyevna Koroleva"),
    ] {
        assert!(score(a, b) < LINK_THRESHOLD, "{a} / {b}: {}", score(a, b));
    }
}
