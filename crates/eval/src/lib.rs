//! Scoring an export against gold annotations (`../shared/eval/FORMAT.md`),
//! with the rules of `../shared/eval/score.py`: same figures, same matching.

pub mod calibrate;
mod gold;
mod matching;
mod score;

pub use gold::{read_gold_dir, Export, ExportEvent, ExportEntity, Gold, GoldEntity, GoldEvent};
pub use matching::{date_compatible, date_correct, norm};
pub use score::{score, Attribute, Bin, DocumentReport, Miss, Prf, Scores};

/// What can go wrong reading gold annotations or export lines.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("reading {path}: {source}")]
    Io { path: String, source: std::io::Error },
    #[error("{path}: not a gold file: {source}")]
    Gold { path: String, source: serde_json::Error },
    #[error("export line {line}: not JSON: {source}")]
    Export { line: usize, source: serde_json::Error },
    #[error("no gold files in {0}")]
    NoGold(String),
}
