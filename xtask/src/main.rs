//! Development chores for Chronicle. `cargo run -p xtask -- gen-corpus N DIR [--seed S] [--language ru]`.

mod bench;
mod corpus;
mod kill;
mod persons;
mod serve_bench;
mod store_bench;

use anyhow::Result;
use clap::{Parser, Subcommand};
use std::path::PathBuf;

#[derive(Parser)]
#[command(name = "xtask")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Write N invented reports (and truth.jsonl with their persons and events, sources.tsv with
    /// their publishers, lists.tsv with the publishers that report each person) into DIR.
    GenCorpus {
        count: u64,
        dir: PathBuf,
        /// The same seed gives the same corpus, byte for byte.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// The language the reports are written in.
        #[arg(long, value_enum, default_value_t = corpus::Language::En)]
        language: corpus::Language,
        /// How many persons the reports are about (default: a tenth of the reports). With more
        /// persons than reports, many are reported by no publisher: a population to estimate.
        #[arg(long)]
        persons: Option<usize>,
    },
    /// Extraction throughput on one core, in words per second, over invented reports (English or Russian).
    BenchExtract {
        /// Megabytes of report text to extract from (0.3 for a short run).
        #[arg(long, default_value_t = 5.0)]
        mb: f64,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Also write the text read, for peers (bench/peers/spacy.sh, natasha.sh) to read the same.
        #[arg(long)]
        text_out: Option<PathBuf>,
        /// The language of the reports, and so the extractor timed.
        #[arg(long, value_enum, default_value_t = corpus::Language::En)]
        language: corpus::Language,
    },
    /// Write the person-linking stress set (invented persons, their mentions) as TSV.
    GenPersons {
        #[arg(long, default_value_t = 10_000)]
        persons: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        out: PathBuf,
    },
    /// Link the stress set in memory; pairwise precision and recall, failing below the bars.
    LinkStress {
        #[arg(long, default_value_t = 10_000)]
        persons: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        #[arg(long, default_value_t = 0.99)]
        min_precision: f64,
        #[arg(long, default_value_t = 0.95)]
        min_recall: f64,
        /// Print up to this many false and missed links.
        #[arg(long, default_value_t = 0)]
        errors: usize,
        /// Show the candidates and scores of mentions written exactly so.
        #[arg(long)]
        trace: Option<String>,
    },
    /// Write labelled name pairs (left, right, 1|0) from invented persons, for `chronicle names score`.
    GenPairs {
        #[arg(long, default_value_t = 2000)]
        count: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        out: PathBuf,
    },
    /// Jaro-Winkler on ASCII-folded names over labelled pairs: the baseline for name comparison.
    NamesBaseline { pairs: PathBuf },
    /// Kill ingestion (SIGKILL) at random moments; the store must stay consistent and complete on a re-run.
    KillTest {
        /// The chronicle binary to test (build it with --release first).
        #[arg(long, default_value = "target/release/chronicle")]
        bin: PathBuf,
        #[arg(long, default_value_t = 50)]
        runs: usize,
        #[arg(long, default_value_t = 200)]
        reports: u64,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Kill ingests into PostgreSQL stores instead: databases made from this one's server.
        #[arg(long)]
        postgres: Option<String>,
    },
    /// Page times of `chronicle serve` with many clients browsing dossiers and searching (a benchmark).
    BenchServe {
        /// The chronicle binary (build it with --release first).
        #[arg(long, default_value = "target/release/chronicle")]
        bin: PathBuf,
        /// Where the benchmark store (and its reports) are kept between runs.
        #[arg(long, default_value = "target/bench-serve")]
        dir: PathBuf,
        #[arg(long, default_value_t = 10_000)]
        docs: u64,
        #[arg(long, default_value_t = 50)]
        clients: usize,
        /// Pages each client opens.
        #[arg(long, default_value_t = 40)]
        requests: usize,
        /// Pause between a client's pages, in ms: MIN-MAX (0-0: none, the server saturated).
        #[arg(long, default_value = "500-1500")]
        think: String,
        #[arg(long, default_value_t = 4)]
        connections: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// The two store engines side by side: ingest throughput with 1, 2 and 4
    /// workers, and search times over a large record (a benchmark).
    BenchStore {
        /// The chronicle binary (build it with --release first).
        #[arg(long, default_value = "target/release/chronicle")]
        bin: PathBuf,
        /// Where the benchmark stores (and their reports) are kept between runs.
        #[arg(long, default_value = "target/bench-store")]
        dir: PathBuf,
        /// A PostgreSQL database the benchmark may create its databases from.
        #[arg(long, env = "CHRONICLE_BENCH_POSTGRES")]
        postgres: String,
        /// Reports ingested for the throughput runs.
        #[arg(long, default_value_t = 2_000)]
        reports: u64,
        /// Documents in the store searched.
        #[arg(long, default_value_t = 100_000)]
        search_docs: u64,
        #[arg(long, default_value_t = 500)]
        searches: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Linking throughput and peak memory over many mentions (one core).
    BenchLink {
        #[arg(long, default_value_t = 1_000_000)]
        mentions: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
}

fn main() -> Result<()> {
    match Cli::parse().command {
        Command::GenCorpus { count, dir, seed, language, persons } => corpus::generate_with(count, &dir, seed, language, persons),
        Command::BenchExtract { mb, seed, text_out, language } => bench::extract(mb, seed, text_out.as_deref(), language),
        Command::GenPersons { persons, seed, out } => persons::write_set(persons, seed, &out),
        Command::LinkStress { persons, seed, min_precision, min_recall, errors, trace } => {
            persons::stress(persons, seed, min_precision, min_recall, errors, trace.as_deref())
        }
        Command::BenchLink { mentions, seed } => persons::bench(mentions, seed),
        Command::BenchServe { bin, dir, docs, clients, requests, think, connections, seed } => {
            let (lo, hi) = think.split_once('-').and_then(|(a, b)| Some((a.parse().ok()?, b.parse().ok()?))).ok_or_else(|| anyhow::anyhow!("--think is MIN-MAX in ms"))?;
            serve_bench::run(&serve_bench::Options { bin: &bin, dir: &dir, docs, clients, requests, think_ms: (lo, hi), connections, seed })
        }
        Command::BenchStore { bin, dir, postgres, reports, search_docs, searches, seed } => {
            store_bench::run(&store_bench::Options { bin: &bin, dir: &dir, postgres: &postgres, reports, search_docs, searches, seed })
        }
        Command::KillTest { bin, runs, reports, seed, postgres } => kill::run(&bin, runs, reports, seed, postgres.as_deref()),
        Command::GenPairs { count, seed, out } => persons::write_pairs(count, seed, &out),
        Command::NamesBaseline { pairs } => persons::baseline(&pairs),
    }
}
