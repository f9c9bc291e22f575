//! Table-driven specification of script folding: each script's letters as
//! English-language reports write them, and romanisations brought together.

use chronicle_link::names::{canon, fold};

fn rows(text: &str) -> impl Iterator<Item = Vec<&str>> {
    text.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()).map(|l| l.split('\t').collect())
}

#[test]
fn every_script_folds_to_latin() {
    let failures: Vec<String> = rows(include_str!("data/transliteration.tsv"))
        .filter(|r| fold(r[0]) != r[1])
        .map(|r| format!("{} → {} (expected {})", r[0], fold(r[0]), r[1]))
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn romanisations_of_one_name_share_one_form() {
    let failures: Vec<String> = rows(include_str!("data/same_form.tsv"))
        .filter_map(|r| {
            let forms: Vec<String> = r.iter().map(|w| canon(&fold(w))).collect();
            (forms.iter().any(|f| *f != forms[0])).then(|| format!("{r:?} → {forms:?}"))
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
