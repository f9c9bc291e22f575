//! What a sentence gives: the term in years ("к 14 годам", "шести годам
//! лишения свободы", "трёх с половиной лет", "8,5 года", "к трем годам и
//! шести месяцам"), the regime ("колонии строгого режима") and the charges
//! ("ч. 1 ст. 205.5 УК РФ", "участие в деятельности террористической организации").

use super::Doc;
use crate::text::Kind;
// The word tables are looked up for every token: a fast hash (the Rust compiler's).
use rustc_hash::FxHashMap as HashMap;
use std::sync::OnceLock;

fn numbers() -> &'static HashMap<String, f64> {
    static N: OnceLock<HashMap<String, f64>> = OnceLock::new();
    N.get_or_init(|| {
        include_str!("../../data/ru/numbers.tsv")
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
            .filter_map(|l| l.split_once('\t'))
            .map(|(w, v)| (w.to_string(), v.parse().expect("numbers.tsv: a value")))
            .collect()
    })
}

fn number_at(doc: &Doc<'_>, k: usize) -> Option<f64> {
    let t = doc.tokens.get(k)?;
    if t.kind == Kind::Number {
        return t.text.replace(',', ".").parse().ok();
    }
    numbers().get(doc.lower(k)).copied().filter(|_| !matches!(doc.lower(k), "год" | "году" | "года"))
}

fn is_year_word(w: &str) -> bool {
    matches!(w, "год" | "года" | "годам" | "годом" | "лет" | "годами")
}

fn is_month_word(w: &str) -> bool {
    w.starts_with("месяц")
}

/// The term in years, from the first "N лет/годам (и M месяцам)" of the
/// sentence that is not a range ("от 3 до 8 лет" gives none) and not an age.
pub(crate) fn term_years(doc: &Doc<'_>, a: usize, b: usize) -> Option<f64> {
    for k in a..b {
        let Some(n) = number_at(doc, k) else { continue };
        let mut j = k + 1;
        let mut value = n;
        if doc.lower(j) == "с" && doc.lower(j + 1).starts_with("половин") {
            value += 0.5;
            j += 2;
        }
        let unit = doc.lower(j);
        if unit.is_empty() {
            continue;
        }
        let range = k >= 2 && doc.lower(k - 1) == "до" || doc.tokens.get(k.wrapping_sub(1)).is_some_and(|t| t.lower() == "от");
        let age = doc.tokens.get(j + 1).is_some_and(|t| t.text == "-") || doc.tokens.get(k.wrapping_sub(1)).is_some_and(|t| t.lower() == "возрасте");
        if range || age {
            continue;
        }
        if is_year_word(&unit) {
            return Some(value + months_after(doc, j + 1).unwrap_or(0.0) / 12.0);
        }
        if is_month_word(&unit) {
            return Some((value / 12.0 * 100.0).round() / 100.0);
        }
    }
    None
}

/// "… и шести месяцам": the months after a term in years.
fn months_after(doc: &Doc<'_>, j: usize) -> Option<f64> {
    (doc.lower(j) == "и").then_some(())?;
    let n = number_at(doc, j + 1)?;
    is_month_word(doc.lower(j + 2)).then_some(n)
}

/// "колонии строгого режима", "колонии общего режима": the words up to "режима".
pub(crate) fn regime(doc: &Doc<'_>, a: usize, b: usize) -> Option<String> {
    let end = (a..b).find(|&k| doc.lower(k) == "режима")?;
    let start = (a.max(end.saturating_sub(3))..end).find(|&k| doc.lower(k).starts_with("колони")).unwrap_or(end.saturating_sub(1));
    // The head noun in the nominative, its modifiers as written: "колония строгого режима".
    let head = doc.readings[start].iter().find(|r| r.gram.has(super::morph::Gram::NOUN)).map(|r| r.lemma.clone());
    let rest = if start + 1 <= end { doc.slice(start + 1, end + 1) } else { "" };
    match head {
        Some(h) if start < end => Some(format!("{h} {rest}")),
        _ => Some(doc.slice(start, end + 1).to_string()),
    }
}

/// Articles of the criminal code as written ("ч. 1 ст. 205.5 УК РФ", "ст. 222 УК РФ").
pub(crate) fn charges(doc: &Doc<'_>, a: usize, b: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut k = a;
    while k < b {
        let t = doc.lower(k);
        let article = matches!(t, "ст" | "статьи" | "статье" | "статья" | "статей") && doc.tokens.get(k + 1).is_some_and(|n| n.kind == Kind::Number || n.text == ".");
        if article {
            let start = part_before(doc, k, a);
            let mut end = k + 1;
            while end < b && end < k + 8 && !matches!(doc.tokens[end].text, "," | ";" | "(" | ")") && !(doc.tokens[end].text == "." && doc.tokens.get(end - 1).is_some_and(|p| p.text == "РФ")) {
                end += 1;
                if doc.tokens[end - 1].text == "РФ" || doc.tokens[end - 1].text == "КоАП" {
                    break;
                }
            }
            out.push(doc.slice(start, end).trim_end_matches(['.', ' ']).to_string());
            k = end;
            continue;
        }
        k += 1;
    }
    out
}

/// "ч. 1" or "части 3.1" just before an article.
fn part_before(doc: &Doc<'_>, k: usize, a: usize) -> usize {
    let mut s = k;
    if s >= a + 2 && doc.tokens[s - 1].kind == Kind::Number && matches!(doc.lower(s - 2), "ч" | "части" | "часть") {
        s -= 2;
    } else if s >= a + 3 && doc.tokens[s - 1].kind == Kind::Number && doc.tokens[s - 2].text == "." && doc.lower(s - 3) == "ч" {
        s -= 3;
    }
    s
}
