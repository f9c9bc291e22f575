//! Development chores for Chronicle. `cargo run -p xtask -- gen-corpus N DIR [--seed S]`.

mod bench;
mod corpus;

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
    /// Write N invented reports (and truth.jsonl with their persons and events) into DIR.
    GenCorpus {
        count: u64,
        dir: PathBuf,
        /// The same seed gives the same corpus, byte for byte.
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Extraction throughput on one core, in words per second, over invented reports.
    BenchExtract {
        /// Megabytes of report text to extract from.
        #[arg(long, default_value_t = 5)]
        mb: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Also write the text read, for peers (bench/peers/spacy.sh) to read the same.
        #[arg(long)]
        text_out: Option<PathBuf>,
    },
}

fn main() -> Result<()> {
    match Cli::parse().command {
        Command::GenCorpus { count, dir, seed } => corpus::generate(count, &dir, seed),
        Command::BenchExtract { mb, seed, text_out } => bench::extract(mb, seed, text_out.as_deref()),
    }
}
