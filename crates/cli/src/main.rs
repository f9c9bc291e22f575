//! `chronicle`: the command-line face of Chronicle. Parses arguments, opens
//! the store, calls the libraries and reports their errors.

mod demo;
mod export;
mod ingest;
mod names;
mod report;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand, ValueEnum};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "chronicle", version, about = "A sourced, searchable record of political persecution, built from reports.")]
struct Cli {
    /// The store: an SQLite file (created if missing).
    #[arg(long, global = true, env = "CHRONICLE_STORE", default_value = "chronicle.db")]
    store: PathBuf,
    /// More log output (repeat for more).
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    verbose: u8,
    /// Who the changes are recorded as in decisions and the audit log (default: the login name).
    #[arg(long, global = true, env = "CHRONICLE_ACTOR")]
    actor: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Read reports (.txt, .md, .html, .htm, .pdf; directories recursively) into the store.
    Ingest {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Refuse files larger than this many bytes.
        #[arg(long, default_value_t = chronicle_ingest::Limits::default().max_bytes)]
        max_size: u64,
    },
    /// Write the record out: JSON Lines (the export contract) or CSV for spreadsheets.
    Export {
        #[arg(long, value_enum, default_value_t = Format::Jsonl)]
        format: Format,
        /// JSON Lines: the file to write (default: standard output).
        /// CSV: the directory to write events.csv and persons.csv into (default: current directory).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Full-text search over the reports.
    Search {
        query: Vec<String>,
        #[arg(long, default_value_t = 20)]
        limit: usize,
    },
    /// A person's dossier: spellings, attributes, links and a dated, sourced
    /// timeline; or an analyst's decision on persons.
    #[command(args_conflicts_with_subcommands = true)]
    Person {
        #[command(subcommand)]
        decision: Option<PersonDecision>,
        /// A name (any spelling, any part) or a person id.
        name: Vec<String>,
    },
    /// Compare names as linking does.
    #[command(subcommand)]
    Names(NamesCommand),
    /// The audit log: every write, by whom, chained by hash.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Run the extractor again over stored documents, following analysts' decisions.
    Reextract {
        /// Only these documents (ids); all by default.
        documents: Vec<String>,
    },
    /// Events by type, by year and by country.
    Stats,
    /// Ingest the bundled example reports into a fresh store and print the dossiers.
    Demo {
        /// Read the reports from this directory instead of the bundled ones.
        dir: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum PersonDecision {
    /// ABSORB is the same person as KEEP: one person from now on.
    Merge { keep: String, absorb: String },
    /// Some mentions of PERSON are someone else: they become a new person.
    Split {
        person: String,
        /// DOC (all its mentions of the person) or DOC:START-END, as the dossier lists them.
        #[arg(long, required = true, num_args = 1..)]
        mentions: Vec<chronicle_store::MentionSelector>,
    },
    /// A and B are different people: never linked together.
    Distinct { a: String, b: String },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Check the whole chain; names the first entry edited, removed or moved. Exits 1 if broken.
    Verify,
    /// Print the log, oldest first.
    Log {
        /// Only the last N entries.
        #[arg(long)]
        last: Option<usize>,
    },
}

#[derive(Subcommand)]
enum NamesCommand {
    /// Print the score of two names (0..1) and the evidence.
    Compare { a: String, b: String },
    /// Score labelled pairs (left<TAB>right<TAB>label, label 1 or 0) at the linking threshold.
    Score {
        pairs: PathBuf,
        /// Also list every pair decided wrongly.
        #[arg(long)]
        errors: bool,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Jsonl,
    Csv,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let filter = match cli.verbose {
        0 => "warn",
        1 => "info",
        _ => "debug",
    };
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| filter.into()))
        .with_writer(std::io::stderr)
        .init();
    match run(cli) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("chronicle: error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

fn open(path: &std::path::Path) -> Result<chronicle_store::SqliteStore> {
    chronicle_store::SqliteStore::open(path).with_context(|| format!("opening store {}", path.display()))
}

/// Opens the store for writing, recording changes as the actor.
fn open_as(path: &std::path::Path, actor: &Option<String>) -> Result<chronicle_store::SqliteStore> {
    use chronicle_store::Store;
    let mut store = open(path)?;
    let login = std::env::var("USER").or_else(|_| std::env::var("USERNAME")).unwrap_or_else(|_| "unknown".into());
    store.set_actor(actor.as_deref().unwrap_or(&login));
    Ok(store)
}

fn run(cli: Cli) -> Result<ExitCode> {
    use chronicle_store::Store;
    let mut out = std::io::stdout().lock();
    let actor = cli.actor.clone();
    match cli.command {
        Command::Ingest { paths, max_size } => {
            let mut store = open_as(&cli.store, &actor)?;
            let summary = ingest::ingest(&mut store, &paths, &chronicle_ingest::Limits { max_bytes: max_size })?;
            eprintln!("{}", summary.line());
            Ok(if summary.failed > 0 { ExitCode::FAILURE } else { ExitCode::SUCCESS })
        }
        Command::Export { format, out: target } => {
            let store = open(&cli.store)?;
            match format {
                Format::Jsonl => match target {
                    Some(path) => {
                        let file = std::fs::File::create(&path).with_context(|| format!("creating {}", path.display()))?;
                        let mut w = std::io::BufWriter::new(file);
                        export::jsonl(&store, &mut w)?;
                        std::io::Write::flush(&mut w).with_context(|| format!("writing {}", path.display()))?;
                        eprintln!("export written to {}", path.display());
                    }
                    None => export::jsonl(&store, &mut out)?,
                },
                Format::Csv => {
                    let dir = target.unwrap_or_else(|| PathBuf::from("."));
                    let written = export::csv(&store, &dir)?;
                    for p in written {
                        eprintln!("export written to {}", p.display());
                    }
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Search { query, limit } => {
            let store = open(&cli.store)?;
            let found = report::search(&store, &query.join(" "), limit, &mut out)?;
            Ok(if found { ExitCode::SUCCESS } else { ExitCode::FAILURE })
        }
        Command::Person { decision: None, name } => {
            if name.is_empty() {
                anyhow::bail!("name a person: chronicle person NAME, or a decision: chronicle person merge|split|distinct");
            }
            let store = open(&cli.store)?;
            let found = report::person(&store, &name.join(" "), &mut out)?;
            Ok(if found { ExitCode::SUCCESS } else { ExitCode::FAILURE })
        }
        Command::Person { decision: Some(d), .. } => {
            let mut store = open_as(&cli.store, &actor)?;
            match d {
                PersonDecision::Merge { keep, absorb } => {
                    let dec = store.merge_persons(&keep, &absorb)?;
                    writeln!(out, "decision {}: {absorb} merged into {keep}", dec.id)?;
                }
                PersonDecision::Split { person, mentions } => {
                    let (dec, new) = store.split_person(&person, &mentions)?;
                    writeln!(out, "decision {}: mentions of {person} split off as {new}", dec.id)?;
                }
                PersonDecision::Distinct { a, b } => {
                    let dec = store.mark_distinct(&a, &b)?;
                    writeln!(out, "decision {}: {a} and {b} are different people", dec.id)?;
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Names(NamesCommand::Compare { a, b }) => {
            names::compare_two(&a, &b, &mut out)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Names(NamesCommand::Score { pairs, errors }) => {
            names::score_file(&pairs, errors, &mut out)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Audit(AuditCommand::Verify) => {
            let store = open(&cli.store)?;
            match store.verify_audit()? {
                Ok(n) => {
                    writeln!(out, "audit chain intact: {n} entries")?;
                    Ok(ExitCode::SUCCESS)
                }
                Err(broken) => {
                    writeln!(out, "audit chain BROKEN: {broken}")?;
                    Ok(ExitCode::FAILURE)
                }
            }
        }
        Command::Audit(AuditCommand::Log { last }) => {
            let store = open(&cli.store)?;
            let log = store.audit_log()?;
            let skip = last.map_or(0, |n| log.len().saturating_sub(n));
            for e in &log[skip..] {
                writeln!(out, "{:>6}  {}  {:<12} {:<18} {}  {}", e.seq, e.at, e.actor, e.action, e.subject, e.detail)?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Reextract { documents } => {
            let mut store = open_as(&cli.store, &actor)?;
            let summary = ingest::reextract(&mut store, &documents)?;
            eprintln!("{summary}");
            Ok(ExitCode::SUCCESS)
        }
        Command::Stats => {
            let store = open(&cli.store)?;
            report::stats(&store, &mut out)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Demo { dir } => {
            demo::run(dir.as_deref(), &mut out)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}
