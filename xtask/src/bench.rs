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
        let cpu = thread_cpu_seconds();
        let mut events = 0;
        for d in &docs {
            events += extract_text(d, "2024-01-01".parse().ok()).events.len();
        }
        let secs = start.elapsed().as_secs_f64();
        let cpu = cpu.zip(thread_cpu_seconds()).map(|(a, b)| b - a);
        runs.push((secs, cpu, events));
    }
    runs.sort_by(|a, b| a.0.total_cmp(&b.0));
    let (best, best_cpu, events) = runs[0];
    let median = runs[1].0;
    // CPU seconds beside wall seconds: on a busy machine the wall figure is the lower one.
    let cpu = best_cpu.map(|c| format!(" ({c:.2} CPU s = {:.0} words/s)", words as f64 / c)).unwrap_or_default();
    println!(
        "extraction ({language:?}): {} documents, {:.1} MB, {} words; best {:.2} s = {:.0} words/s{cpu}, median {:.2} s = {:.0} words/s, one core ({} events)",
        docs.len(), bytes as f64 / 1e6, words, best, words as f64 / best, median, words as f64 / median, events
    );
    Ok(())
}

/// CPU seconds the calling thread has run.
#[cfg(unix)]
fn thread_cpu_seconds() -> Option<f64> {
    let mut t = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: clock_gettime only writes the timespec it is handed, which lives for the call.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut t) };
    (rc == 0).then(|| t.tv_sec as f64 + t.tv_nsec as f64 / 1e9)
}

#[cfg(not(unix))]
fn thread_cpu_seconds() -> Option<f64> {
    None
}
