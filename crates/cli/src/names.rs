//! `chronicle names`: name comparison as linking uses it.

use anyhow::{bail, Context, Result};
use chronicle_link::eval::{at_threshold, best_f1, curve, lowest_threshold_for};
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

/// What `names score` prints besides the figures at the linking threshold.
#[derive(Debug, Clone, Copy, Default)]
pub struct ScoreOptions {
    /// Every pair decided wrongly at the threshold.
    pub errors: bool,
    /// Precision and recall at each threshold from 1.00 down to 0.00, and the best F1.
    pub curve: bool,
    /// The lowest threshold reaching this precision, with its recall.
    pub precision: Option<f64>,
}

/// Reads `--precision`: a number above 0 and at most 1.
pub fn parse_precision(s: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(p) if p > 0.0 && p <= 1.0 => Ok(p),
        _ => Err(format!("--precision {s:?}: expected a number above 0 and at most 1, such as 0.98")),
    }
}

/// Scores labelled pairs (`left<TAB>right<TAB>label`) at the linking
/// threshold; the last line is `precision=P recall=R f1=F threshold=T`.
/// With `--curve` and `--precision`, lines for choosing another threshold follow.
pub fn score_file(path: &Path, options: ScoreOptions, w: &mut dyn Write) -> Result<()> {
    let scored = read_scored(path, options.errors, w)?;
    let at = at_threshold(&scored, LINK_THRESHOLD);
    let same = scored.iter().filter(|s| s.1).count();
    let missed = same - at.true_links;
    writeln!(w, "pairs={} same={same} different={} true_links={} false_links={} missed={missed}", scored.len(), scored.len() - same, at.true_links, at.false_links)?;
    writeln!(w, "precision={:.4} recall={:.4} f1={:.4} threshold={LINK_THRESHOLD}", at.precision, at.recall, at.f1)?;
    let points = curve(&scored);
    if options.curve {
        writeln!(w, "threshold\tprecision\trecall\tf1\ttrue_links\tfalse_links")?;
        for t in (0..=100).rev().map(|t| f64::from(t) / 100.0) {
            let p = at_threshold(&scored, t);
            writeln!(w, "{t:.2}\t{:.4}\t{:.4}\t{:.4}\t{}\t{}", p.precision, p.recall, p.f1, p.true_links, p.false_links)?;
        }
        if let Some(b) = best_f1(&points) {
            writeln!(w, "best f1={:.4} precision={:.4} recall={:.4} threshold={:.4}", b.f1, b.precision, b.recall, b.threshold)?;
        }
    }
    if let Some(wanted) = options.precision {
        match lowest_threshold_for(&points, wanted) {
            Some(p) => writeln!(w, "at precision>={wanted}: threshold={:.4} precision={:.4} recall={:.4} f1={:.4}", p.threshold, p.precision, p.recall, p.f1)?,
            None => writeln!(w, "at precision>={wanted}: no threshold links a pair at that precision")?,
        }
    }
    Ok(())
}

/// The score and label of every pair in the file; with `errors`, the pairs
/// decided wrongly at the threshold are written as they are read.
fn read_scored(path: &Path, errors: bool, w: &mut dyn Write) -> Result<Vec<(f64, bool)>> {
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    let text = String::from_utf8(bytes).with_context(|| format!("{} is not UTF-8 text", path.display()))?;
    let freq = Frequencies::default();
    let mut scored = Vec::new();
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
        if errors && linked != same {
            writeln!(w, "{}\t{a}\t{b}\t{:.4}\t{}", if same { "missed" } else { "false link" }, c.score, c.evidence)?;
        }
        scored.push((c.score, same));
    }
    if scored.is_empty() {
        bail!("{} holds no labelled pairs", path.display());
    }
    Ok(scored)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(pairs: &str, options: ScoreOptions) -> String {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pairs.tsv");
        std::fs::write(&path, pairs).unwrap();
        let mut out = Vec::new();
        score_file(&path, options, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    const PAIRS: &str = "left\tright\tlabel\nAleksandr Karaman\tAlexander Karaman\t1\nSu Nam Pang\tSunam Pang\t1\n\
        Rustam Karimov\tRustam Kholmatov\t0\nAziz Karimov\tAziza Karimova\t0\nBakhrom Khamroyev\tBakhrom Khamroev\t1\n";

    #[test]
    fn the_curve_gives_precision_and_recall_at_each_threshold() {
        let out = run(PAIRS, ScoreOptions { curve: true, ..Default::default() });
        let rows: Vec<&str> = out.lines().filter(|l| l.as_bytes().first().is_some_and(u8::is_ascii_digit)).collect();
        assert_eq!(rows.len(), 101, "{out}");
        assert!(rows[0].starts_with("1.00\t"), "{out}");
        // At 0.00 every pair is linked: all three of one person, and both of two.
        assert_eq!(rows[100], "0.00\t0.6000\t1.0000\t0.7500\t3\t2", "{out}");
        assert!(out.lines().any(|l| l.starts_with("best f1=1.0000")), "{out}");
    }

    #[test]
    fn a_wanted_precision_gives_the_lowest_threshold_reaching_it() {
        let out = run(PAIRS, ScoreOptions { precision: Some(0.98), ..Default::default() });
        let line = out.lines().last().unwrap();
        assert!(line.starts_with("at precision>=0.98: threshold=") && line.contains("recall=1.0000"), "{out}");
        let out = run("a b\tc d\t0\n", ScoreOptions { precision: Some(0.98), ..Default::default() });
        assert!(out.contains("no threshold links a pair at that precision"), "{out}");
    }

    #[test]
    fn a_precision_outside_0_to_1_is_refused_by_name() {
        assert_eq!(parse_precision("0.98"), Ok(0.98));
        for bad in ["1.5", "0", "-1", "high"] {
            let err = parse_precision(bad).unwrap_err();
            assert!(err.contains("--precision") && err.contains(bad), "{err}");
        }
    }
}
