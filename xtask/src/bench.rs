//! `bench-extract`: how fast the English or the Russian extractor reads, on one core.

use crate::corpus::Language;
use anyhow::Result;
use std::path::Path;
use std::time::Instant;

pub fn extract(mb: f64, seed: u64, text_out: Option<&Path>, language: Language) -> Result<()> {
    let extract_text = match language {
        Language::En => chronicle_extract::extract_text as fn(&str, _) -> _,
        Language::Ru => chronicle_extract::ru::extract_text,
    };
    let raw = crate::corpus::texts(seed, (mb * 1_050_000.0) as usize, language);
    // Cleaning is ingestion's work; the benchmark times extraction alone.
    let docs: Vec<String> = raw.iter().map(|t| chronicle_ingest::clean_text(t, false)).collect();
    if let Some(path) = text_out {
        std::fs::write(path, docs.join("\n\n\n"))?;
    }
    let bytes: usize = docs.iter().map(String::len).sum();
    let words: usize = docs.iter().map(|d| d.split_whitespace().count()).sum();
    // Warm up the lexicons once, outside the timing.
    let _ = extract_text(&docs[0], None);
    let mut runs = Vec::new();
    for _ in 0..3 {
        let start = Instant::now();
        let mut events = 0;
        for d in &docs {
            events += extract_text(d, "2024-01-01".parse().ok()).events.len();
        }
        let secs = start.elapsed().as_secs_f64();
        runs.push((secs, events));
    }
    runs.sort_by(|a, b| a.0.total_cmp(&b.0));
    let (best, events) = runs[0];
    let median = runs[1].0;
    println!(
        "extraction ({language:?}): {} documents, {:.1} MB, {} words; best {:.2} s = {:.0} words/s, median {:.2} s = {:.0} words/s, one core ({} events)",
        docs.len(), bytes as f64 / 1e6, words, best, words as f64 / best, median, words as f64 / median, events
    );
    Ok(())
}
