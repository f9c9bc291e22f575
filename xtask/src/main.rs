//! Development chores for Chronicle. `cargo run -p xtask -- gen-corpus N DIR [--seed S]`.

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
}

fn main() -> Result<()> {
    match Cli::parse().command {
        Command::GenCorpus { count, dir, seed } => corpus::generate(count, &dir, seed),
    }
}
