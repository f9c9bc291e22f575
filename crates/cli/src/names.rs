//! `chronicle names`: name comparison as linking uses it.

use anyhow::{bail, Context, Result};
use chronicle_link::{compare, Frequencies, LINK_THRESHOLD};
use std::io::Write;
use std::path::Path;

/// Prints the score of two names and why.
pub fn compare_two(a: &str, b: &str, w: &mut dyn Write) -> Result<()> {
    let c = compare(a, b, &Frequencies::default());
    writeln!(w, "{:.4}", c.score)?;
    writeln!(w, "{}: {}", if c.score >= LINK_THRESHOLD { "same person" } else { "not linked" }, c.evidence)?;
    Ok(())
}

/// A label as pair lists write it.
fn label(s: &str) -> Option<bool> {
    match s.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "y" | "same" | "match" | "positive" | "pos" => Some(true),
        "0" | "false" | "no" | "n" | "different" | "nomatch" | "non-match" | "negative" | "neg" => Some(false),
        _ => None,
    }
}

/// Scores labelled pairs (`left<TAB>right<TAB>label`) at the linking
/// threshold; the last line is `precision=P recall=R f1=F threshold=T`.
pub fn score_file(path: &Path, verbose: bool, w: &mut dyn Write) -> Result<()> {
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    let text = String::from_utf8(bytes).with_context(|| format!("{} is not UTF-8 text", path.display()))?;
    let freq = Frequencies::default();
    let (mut tp, mut fp, mut fn_, mut tn) = (0usize, 0usize, 0usize, 0usize);
    for (n, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        let parsed = match fields.as_slice() {
            [a, b, l, ..] => label(l).map(|l| (a, b, l)),
            _ => None,
        };
        let Some((a, b, same)) = parsed else {
            if n == 0 {
                continue; // a header line
            }
            bail!("{}:{}: expected left<TAB>right<TAB>label (1/0), found {line:?}", path.display(), n + 1);
        };
        let c = compare(a, b, &freq);
        let linked = c.score >= LINK_THRESHOLD;
        match (linked, same) {
            (true, true) => tp += 1,
            (true, false) => fp += 1,
            (false, true) => fn_ += 1,
            (false, false) => tn += 1,
        }
        if verbose && linked != same {
            writeln!(w, "{}\t{a}\t{b}\t{:.4}\t{}", if same { "missed" } else { "false link" }, c.score, c.evidence)?;
        }
    }
    if tp + fp + fn_ + tn == 0 {
        bail!("{} holds no labelled pairs", path.display());
    }
    let ratio = |x: usize, y: usize| if y == 0 { 0.0 } else { x as f64 / y as f64 };
    let (p, r) = (ratio(tp, tp + fp), ratio(tp, tp + fn_));
    let f1 = if p + r == 0.0 { 0.0 } else { 2.0 * p * r / (p + r) };
    writeln!(w, "pairs={} same={} different={} true_links={tp} false_links={fp} missed={fn_}", tp + fp + fn_ + tn, tp + fn_, fp + tn)?;
    writeln!(w, "precision={p:.4} recall={r:.4} f1={f1:.4} threshold={LINK_THRESHOLD}")?;
    Ok(())
}
