//! `chronicle eval`: ingest annotated reports into a throw-away store, export the record
//! and score it against the gold files (chronicle-eval, score.py's rules).

use crate::{export, ingest};
use anyhow::{Context, Result};
use chronicle_eval::{Export, Scores};
use chronicle_store::SqlStore;
use std::io::Write;
use std::path::Path;

/// Scores Chronicle on the reports of `reports` (default: the folder above `gold`).
pub fn run(gold: &Path, reports: Option<&Path>, confidence: chronicle_pipeline::Confidence) -> Result<Scores> {
    let golds = chronicle_eval::read_gold_dir(gold)?;
    let reports = match reports {
        Some(r) => r.to_path_buf(),
        None => gold.canonicalize().with_context(|| format!("reading {}", gold.display()))?.parent().context("the gold folder has no parent")?.to_path_buf(),
    };
    let work = tempfile::Builder::new().prefix("chronicle-eval-").tempdir().context("creating a directory for the eval store")?;
    let mut store = SqlStore::open(&work.path().join("eval.db"))?;
    ingest::ingest(&mut store, &[reports], &chronicle_pipeline::Options { confidence, ..Default::default() }, 1, false)?;
    let mut lines = Vec::new();
    export::jsonl(&export::Record::read(&store)?, &mut lines)?;
    let exported = Export::from_jsonl(&String::from_utf8(lines)?)?;
    Ok(chronicle_eval::score(&golds, &exported))
}

/// The figures as score.py prints them; with `misses`, each document's misses and their passages.
pub fn print(scores: &Scores, misses: bool, w: &mut dyn Write) -> Result<()> {
    for (cat, r) in [("persons", &scores.persons), ("organizations", &scores.organizations), ("events", &scores.events), ("linkage", &scores.linkage)] {
        writeln!(w, "{cat:14} P={:.3} R={:.3} F1={:.3}  (tp={} predicted={} gold={})", r.precision, r.recall, r.f1, r.tp, r.predicted, r.gold)?;
    }
    for (k, a) in &scores.attributes {
        writeln!(w, "attribute {k:10} {}/{}", a.correct, a.scored)?;
    }
    writeln!(w, "calibration: events by confidence, and how many of them are right")?;
    for b in &scores.calibration {
        writeln!(w, "  {:.1}-{:.1}  {:4} events  {:4} right  {:.2}", b.low, b.low + 0.1, b.events, b.right, b.right as f64 / b.events as f64)?;
    }
    if misses {
        print_misses(scores, w)?;
    }
    writeln!(w, "summary: persons F1={:.3} organizations F1={:.3} events F1={:.3} linkage F1={:.3}", scores.persons.f1, scores.organizations.f1, scores.events.f1, scores.linkage.f1)?;
    Ok(())
}

/// The calibration fitted to the scored raw confidences, as lines of
/// `crates/extract/data/calibration.tsv` for `extractor`.
pub fn print_fit(extractor: &str, scores: &Scores, w: &mut dyn Write) -> Result<()> {
    writeln!(w, "# extractor\tfrom\tvalue\tevents\tright")?;
    for s in chronicle_eval::calibrate::fit(&scores.judged) {
        writeln!(w, "{extractor}\t{}\t{}\t{}\t{}", s.from, s.value, s.events, s.right)?;
    }
    Ok(())
}

fn print_misses(scores: &Scores, w: &mut dyn Write) -> Result<()> {
    for (doc, d) in scores.documents.iter().filter(|(_, d)| !d.found || !d.missed.is_empty() || !d.spurious.is_empty() || !d.wrong.is_empty()) {
        writeln!(w, "-- {doc}{}", if d.found { "" } else { " (not found among the reports)" })?;
        for (label, list) in [("missed", &d.missed), ("spurious", &d.spurious), ("wrong", &d.wrong)] {
            for m in list {
                writeln!(w, "   {label} {} {}", m.kind, m.text)?;
                if let Some(p) = &m.passage {
                    writeln!(w, "      \"{p}\"")?;
                }
            }
        }
    }
    Ok(())
}
