//! `chronicle`: the command-line face of Chronicle. Parses arguments, opens
//! the store, calls the libraries and reports their errors.

mod demo;
mod estimate;
mod eval;
mod export;
mod import;
mod ingest;
mod listings;
mod names;
mod public;
mod report;
mod review;
mod term;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand, ValueEnum};
use std::io::Write;
use std::path::PathBuf;
use chronicle_store::Location;
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "chronicle", version, about = "A sourced, searchable record of political persecution, built from reports.")]
struct Cli {
    /// The store: an SQLite file (created if missing), or a PostgreSQL
    /// database (postgres://user:password@host:port/database) for a shared server.
    #[arg(long, global = true, env = "CHRONICLE_STORE", default_value = "chronicle.db", value_parser = parse_location)]
    store: Location,
    /// More log output (repeat for more).
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    verbose: u8,
    /// Who the changes are recorded as in decisions and the audit log (default: the login name).
    #[arg(long, global = true, env = "CHRONICLE_ACTOR")]
    actor: Option<String>,
    /// An encrypted store's key: a file whose bytes are the secret. Otherwise the
    /// passphrase is read from CHRONICLE_PASSPHRASE, or asked for on the terminal.
    #[arg(long, global = true, env = "CHRONICLE_KEY_FILE")]
    key_file: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create a new, empty store (mode 0600); `--encrypt` encrypts it under a
    /// passphrase (at least 12 characters) or a key file (at least 16 bytes).
    Init {
        #[arg(long)]
        encrypt: bool,
    },
    /// Change an encrypted store's key. The new one comes from --new-key-file,
    /// CHRONICLE_NEW_PASSPHRASE, or the terminal.
    Rekey {
        #[arg(long)]
        new_key_file: Option<PathBuf>,
    },
    /// Write a consistent copy of the store, while in use, to a new file (encrypted as the store is).
    Backup { file: PathBuf },
    /// Replace the store with a backup, once the backup's integrity, its audit
    /// chain and its record against the chain are verified.
    Restore {
        file: PathBuf,
        /// Replace a store that exists (everything since the backup is lost).
        #[arg(long)]
        replace: bool,
        /// An audit head kept from the store (`chronicle audit head`): the
        /// backup's log must hold it unchanged.
        #[arg(long)]
        head: Option<chronicle_store::AuditHead>,
    },
    /// Read reports (.txt, .md, .html, .htm, .pdf; directories recursively) into the store.
    Ingest {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Refuse files larger than this many bytes.
        #[arg(long, default_value_t = chronicle_pipeline::Limits::default().max_bytes)]
        max_size: u64,
        /// Threads reading and extracting reports at once (the store is written by one,
        /// in file order, so the record is the same whatever the number). Default: the cores.
        #[arg(long)]
        workers: Option<usize>,
        /// Follow symbolic links (a link back to a directory being read is skipped).
        #[arg(long)]
        follow_links: bool,
        /// The language of every report of this run (two lower-case letters, ISO 639-1),
        /// instead of the one detected in each. It chooses the extractor: en and ru are
        /// extracted; a report in another language is stored and searchable, not extracted.
        #[arg(long, value_name = "CODE")]
        language: Option<chronicle_pipeline::Language>,
        /// Where the report came from (its URL or a citation), kept as its source
        /// instead of the file's path; for one file at a time.
        #[arg(long, value_name = "URL")]
        source_url: Option<String>,
        /// When the report was published (YYYY, YYYY-MM or YYYY-MM-DD), over what its text seems to say.
        #[arg(long, value_name = "DATE")]
        published: Option<chronicle_model::PartialDate>,
        /// Who published it (an outlet, a group), over what its text seems to say.
        #[arg(long, value_name = "NAME")]
        publisher: Option<String>,
        /// A tag for every report of the run (repeat for more): lower-case letters, digits and - _ . : /
        #[arg(long = "tag", value_name = "TAG")]
        tags: Vec<String>,
    },
    /// Import a case spreadsheet (.csv, .tsv, .xlsx): each row a document of its own, its
    /// persons linked and its event recorded as the mapping file says (docs/import.md).
    /// What would be created is printed first; a row on record already is not stored again.
    Import {
        file: PathBuf,
        /// The mapping file (TOML): which column says what, the sheet's event words, its dates.
        #[arg(long, value_name = "MAPPING.toml")]
        map: PathBuf,
        /// Print what would be created and what is ambiguous; store nothing.
        #[arg(long)]
        dry_run: bool,
        /// Refuse spreadsheets larger than this many bytes.
        #[arg(long, default_value_t = chronicle_pipeline::import::ImportLimits::default().max_bytes)]
        max_size: u64,
    },
    /// Write the record out: JSON Lines (the export contract), CSV for spreadsheets,
    /// FollowTheMoney entities or HURIDOCS-style events.
    Export {
        #[arg(long, value_enum, default_value_t = Format::Jsonl)]
        format: Format,
        /// JSON Lines, FtM, ESF: the file to write (default: standard output).
        /// CSV: the directory to write events.csv, persons.csv and involvements.csv into (default: current directory).
        #[arg(long)]
        out: Option<PathBuf>,
        /// For the public: no restricted record, whoever runs it, and the fields
        /// of the redaction policy withheld.
        #[arg(long)]
        public: bool,
        /// The redaction policy of a public export: a file naming one field per
        /// line (see SECURITY.md). Without it, relatives are withheld.
        #[arg(long, requires = "public")]
        policy: Option<PathBuf>,
        /// Only these events, with the reports, persons and organisations they draw on.
        #[command(flatten)]
        scope: listings::Scope,
    },
    /// Accounts, their roles, and their grants to restricted records.
    #[command(subcommand)]
    User(UserCommand),
    /// Restricted records: documents, events or persons that only admins and
    /// granted accounts see, in every listing, search, dossier, count and export.
    #[command(subcommand)]
    Restricted(RestrictedCommand),
    /// The store as a whole: copy it between an embedded file and a server.
    #[command(subcommand)]
    Store(StoreCommand),
    /// The review queue (machine-found events, least confident first), or a
    /// verdict on one: confirm, reject, correct. Editors; audited.
    Review {
        #[command(subcommand)]
        verdict: Option<review::Verdict>,
        /// How many events of the queue to show.
        #[arg(long, default_value_t = 20)]
        limit: usize,
    },
    /// The persons on record, or those a name finds in any spelling (`--name`).
    Persons {
        #[arg(long)]
        name: Option<String>,
        /// JSON lines, one person each.
        #[arg(long)]
        json: bool,
    },
    /// The events on record, filtered by type, country, dates, review state or person.
    Events(listings::EventsWanted),
    /// The reports on record: title, source, date, and how their text was read.
    Reports {
        /// Only the reports with this tag.
        #[arg(long)]
        tag: Option<String>,
        /// JSON lines, one report each.
        #[arg(long)]
        json: bool,
    },
    /// Full-text search over the reports: words in any of their forms,
    /// "quoted phrases", prefix*, OR, NOT word or -word.
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
    /// Run the extractor again over stored documents, following analysts' decisions: each
    /// with the extractor its stored language chooses (a language without one: no records).
    Reextract {
        /// Only these documents (ids); all by default.
        documents: Vec<String>,
    },
    /// Events by type, by year and by country; with a scope, of those events only.
    Stats(listings::Scope),
    /// How many victims there were, documented or not: multiple systems estimation from the
    /// overlap between lists (publishers, or groups of them). Two lists: Chapman's estimator;
    /// three or more: log-linear models, chosen by BIC (or AIC), with a profile-likelihood interval.
    Estimate {
        /// Only events of these types (comma-separated; all by default).
        #[arg(long, value_delimiter = ',')]
        types: Vec<chronicle_model::EventType>,
        /// Events from this date (YYYY, YYYY-MM or YYYY-MM-DD).
        #[arg(long)]
        from: Option<chronicle_model::PartialDate>,
        /// Events up to this date.
        #[arg(long)]
        to: Option<chronicle_model::PartialDate>,
        /// Events in this country (ISO 3166-1 alpha-2).
        #[arg(long)]
        country: Option<String>,
        /// One estimate for all victims, or one a year or a type of event.
        #[arg(long, value_enum, default_value_t = EstimateBy::All)]
        by: EstimateBy,
        /// What a list is: `publisher` (each publisher one list), or a file grouping
        /// publishers into lists (publisher<TAB>list a line; others stay their own list).
        #[arg(long, default_value = "publisher")]
        lists: String,
        /// How the model is chosen among the candidates.
        #[arg(long, value_enum, default_value_t = EstimateCriterion::Bic)]
        criterion: EstimateCriterion,
        /// Print the result as JSON.
        #[arg(long)]
        json: bool,
        /// For the public: no restricted victim counts, whoever runs it.
        #[arg(long)]
        public: bool,
    },
    /// Serve the analysts' workspace (web pages and the JSON API under /api/v1) until interrupted.
    Serve {
        /// Address and port to listen on. Keep it on loopback unless a TLS proxy stands in front.
        #[arg(long, default_value = "127.0.0.1:8080")]
        listen: String,
        /// Connections to the store shared by the requests.
        #[arg(long, default_value_t = 4)]
        connections: usize,
        /// A TLS proxy stands in front: session cookies are marked Secure (sent only over HTTPS).
        #[arg(long)]
        behind_tls: bool,
        /// The header in which that proxy names the client (e.g. X-Forwarded-For, whose right-most
        /// address counts): login limits then count each client, not the proxy.
        #[arg(long, requires = "behind_tls", value_name = "HEADER")]
        client_ip_header: Option<String>,
    },
    /// Measure Chronicle on annotated reports: ingest them into a throw-away store and
    /// score the record against the gold files (../shared/eval/FORMAT.md), as score.py does.
    Eval {
        /// The folder of gold files (NAME.json for the report NAME.txt).
        gold: PathBuf,
        /// The folder of the reports (default: the folder above GOLD).
        reports: Option<PathBuf>,
        /// Print each missed and spurious person, organisation and event with its passage.
        #[arg(long)]
        misses: bool,
        /// Print the result as JSON.
        #[arg(long)]
        json: bool,
        /// Score the extractors' raw confidences, before calibration.
        #[arg(long)]
        raw_confidence: bool,
        /// Fit the calibration of EXTRACTOR (e.g. rules-en/1) to these reports and print
        /// its lines for crates/extract/data/calibration.tsv (scores raw confidences).
        #[arg(long, value_name = "EXTRACTOR")]
        fit_calibration: Option<String>,
        /// More gold folders (reports in the folder above each) whose events the fit counts too.
        #[arg(long, value_name = "GOLD_DIR", requires = "fit_calibration")]
        fit_with: Vec<PathBuf>,
    },
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
    /// PERSON may be named in public exports although no event makes them a
    /// victim or perpetrator (a relative, witness or source who agreed to be
    /// named). Audited; `--undo` takes it back.
    Public {
        person: String,
        #[arg(long)]
        undo: bool,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Add an account. The first one must be an admin; later ones are added by an admin.
    Add {
        name: String,
        /// viewer (reads), editor (also changes the record), admin (also accounts, grants; sees everything).
        #[arg(long)]
        role: chronicle_store::Role,
        /// Read the password (for the web interface) from the first line of
        /// standard input; otherwise it is asked for on a terminal, and an
        /// account made without one cannot log in to the server.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Every account: its role, whether it is enabled, disabled or removed, its grants.
    List,
    /// Give an account another role (admins; the last enabled admin stays an admin).
    Role { name: String, role: chronicle_store::Role },
    /// Set an account's password (admins, or the account itself); its sessions end.
    Password {
        name: String,
        /// Read the password from the first line of standard input instead of the terminal.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Disable an account: it no longer logs in or acts, its sessions end and its tokens are revoked.
    Disable { name: String },
    /// Enable a disabled account again (with its password; its old tokens stay revoked).
    Enable { name: String },
    /// Remove an account for good: kept, as removed, so that the audit log still names it.
    Remove { name: String },
    /// Let an account see a restricted record (its id), or every one (`*`).
    Grant { name: String, record: String },
    /// Take a grant back.
    Revoke { name: String, record: String },
    /// Make an API token for a script acting as NAME (printed once; only its hash is kept).
    Token {
        name: String,
        /// What the token is for, for the audit log.
        #[arg(long, default_value = "script")]
        label: String,
        /// How long it works: days (30d), weeks (2w) or hours (12h); at most 366 days.
        #[arg(long, default_value = "90d", value_parser = parse_life)]
        expires: std::time::Duration,
    },
    /// API tokens (never their secrets): NAME's, or all (an admin) or your own.
    Tokens { name: Option<String> },
    /// Revoke an API token by its number (as `user tokens` lists it); it stops working at once.
    RevokeToken { id: i64 },
}

/// A token's life: a number and a unit, `d` (days), `w` (weeks) or `h` (hours).
fn parse_life(s: &str) -> Result<std::time::Duration, String> {
    let bad = || format!("{s:?} is not a token life: a number and d (days), w (weeks) or h (hours), as 30d");
    let split = s.find(|c: char| !c.is_ascii_digit()).ok_or_else(bad)?;
    let n: u64 = s[..split].parse().map_err(|_| bad())?;
    let hours = match &s[split..] {
        "h" => 1,
        "d" => 24,
        "w" => 24 * 7,
        _ => return Err(bad()),
    };
    Ok(std::time::Duration::from_secs(n.checked_mul(hours * 3600).ok_or_else(bad)?))
}

#[derive(Subcommand)]
enum StoreCommand {
    /// Copy every record, id and audit entry of one store into a new, empty
    /// one: a file to a PostgreSQL server (postgres://…) or back. The audit
    /// chain is verified on both sides. Admins only, when there are accounts.
    Copy {
        /// The store copied (a file, encrypted with --key-file or its passphrase, or a server).
        #[arg(long, value_parser = parse_location)]
        from: Location,
        /// The new store: a file that does not exist yet, or an empty database.
        /// A copy of an encrypted store into a file is encrypted with the same key.
        #[arg(long, value_parser = parse_location)]
        to: Location,
        /// Copy an encrypted store into a plain file, or onto a server (which
        /// Chronicle does not encrypt): without it, that is refused.
        #[arg(long, conflicts_with = "to_key_file")]
        plain: bool,
        /// Encrypt the new file under this key file instead of the source's key.
        #[arg(long)]
        to_key_file: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum RestrictedCommand {
    /// Restrict a document (doc-…), an event (doc-…-eN) or a person (person-N).
    Add {
        record: chronicle_store::RecordRef,
        /// Why, for the other analysts (kept in the audit log).
        #[arg(long)]
        reason: Option<String>,
    },
    /// Lift a restriction (admins).
    Lift { record: chronicle_store::RecordRef },
    /// The restrictions this account may know of.
    List,
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Check the whole chain (naming the first entry edited, removed or moved),
    /// the record against the state the entries recorded, and every original
    /// against its SHA-256. Exits 1 on any problem.
    Verify {
        /// An audit head kept from earlier (`chronicle audit head`): the log must
        /// still hold that entry unchanged, which a rewritten chain cannot.
        #[arg(long)]
        head: Option<chronicle_store::AuditHead>,
    },
    /// Print the newest entry's number and hash, to keep outside the store
    /// (on paper, with a colleague) and give to `audit verify --head` later.
    Head,
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
        /// Also print precision and recall at each threshold (1.00 down to 0.00) and the best F1.
        #[arg(long)]
        curve: bool,
        /// Also print the lowest threshold reaching this precision (such as 0.98) and its recall.
        #[arg(long, value_parser = names::parse_precision)]
        precision: Option<f64>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum EstimateBy {
    All,
    Year,
    Type,
}

#[derive(Clone, Copy, ValueEnum)]
enum EstimateCriterion {
    Aic,
    Bic,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    /// JSON Lines, the export contract.
    Jsonl,
    /// events.csv, persons.csv and involvements.csv for spreadsheets.
    Csv,
    /// FollowTheMoney entities, one a line.
    Ftm,
    /// One JSON document shaped after HURIDOCS Events Standard Formats (docs/esf.md).
    Esf,
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
        .with_ansi(false)
        .with_writer(|| term::Clean::new(std::io::stderr()))
        .init();
    match run(cli) {
        Ok(code) => code,
        // A reader that stopped reading (`chronicle search x | head`) wanted no more: no error.
        Err(err) if closed_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            term::say(&format!("chronicle: error: {err:#}"));
            ExitCode::FAILURE
        }
    }
}

/// Whether an error is a write to a pipe whose reader has gone.
fn closed_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| e.downcast_ref::<std::io::Error>().is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe))
}

/// A command that reads the record needs one: on a store file that is not
/// there it says so, instead of creating an empty one.
fn require_store(store: &Location) -> Result<()> {
    if let Location::File(path) = store {
        if !path.exists() {
            anyhow::bail!(
                "no store at {}: `chronicle init` creates one and `chronicle ingest` fills one; --store (or CHRONICLE_STORE) names another",
                path.display()
            );
        }
    }
    Ok(())
}

/// The key for an encrypted store: a key file, CHRONICLE_PASSPHRASE, or (for
/// an encrypted store, on a terminal) a prompt. None for a plain store.
fn store_key(key_file: &Option<PathBuf>, store: &std::path::Path, creating: bool) -> Result<Option<chronicle_store::StoreKey>> {
    use std::io::IsTerminal;
    if let Some(f) = key_file {
        return Ok(Some(read_key_file(f)?));
    }
    if let Ok(p) = std::env::var("CHRONICLE_PASSPHRASE") {
        return Ok(Some(chronicle_store::StoreKey::from_passphrase(&p)));
    }
    if (creating || chronicle_store::is_encrypted(store)) && std::io::stdin().is_terminal() {
        let p = rpassword::prompt_password(format!("passphrase for {}: ", store.display()))?;
        if creating && rpassword::prompt_password("again: ")? != p {
            anyhow::bail!("the passphrases differ");
        }
        return Ok(Some(chronicle_store::StoreKey::from_passphrase(&p)));
    }
    Ok(None)
}

/// A key file's bytes; warns when others than its owner may read it.
fn read_key_file(f: &std::path::Path) -> Result<chronicle_store::StoreKey> {
    let bytes = std::fs::read(f).with_context(|| format!("reading key file {}", f.display()))?;
    if bytes.is_empty() {
        anyhow::bail!("key file {} is empty", f.display());
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(f).with_context(|| format!("reading key file {}", f.display()))?.permissions().mode();
        if mode & 0o077 != 0 {
            eprintln!("warning: key file {} can be read by others than its owner (mode {:o}): `chmod 600 {}`", f.display(), mode & 0o777, f.display());
        }
    }
    Ok(chronicle_store::StoreKey::from_bytes(bytes))
}

fn parse_location(s: &str) -> Result<Location, String> {
    Ok(Location::parse(s))
}

fn open_keyed(store: &Location, key_file: &Option<PathBuf>) -> Result<chronicle_store::SqlStore> {
    match store {
        Location::File(path) => {
            let key = store_key(key_file, path, false)?;
            chronicle_store::SqlStore::open_with(path, key.as_ref()).with_context(|| format!("opening store {}", path.display()))
        }
        Location::Postgres(_) => {
            if key_file.is_some() {
                anyhow::bail!("--key-file is for an encrypted store file; a PostgreSQL store is protected by its server (see SECURITY.md)");
            }
            chronicle_store::SqlStore::open_location(store, None).with_context(|| format!("opening store {store}"))
        }
    }
}

/// The store's file, for what only an embedded store has (encryption, backup files).
fn store_file<'a>(store: &'a Location, what: &str) -> Result<&'a std::path::Path> {
    match store {
        Location::File(path) => Ok(path),
        Location::Postgres(_) => anyhow::bail!("{what} is for an embedded store file; a PostgreSQL server has its own (pg_dump, pg_basebackup, encrypted disks)"),
    }
}

/// Opens the store as the actor: what they may see and do, and whom changes
/// are recorded as.
fn open_as(store: &Location, key_file: &Option<PathBuf>, actor: &Option<String>) -> Result<chronicle_store::SqlStore> {
    let mut store = open_keyed(store, key_file)?;
    act_as_login(&mut store, actor)?;
    Ok(store)
}

/// Acts as the actor named, or as the login name.
fn act_as_login(store: &mut chronicle_store::SqlStore, actor: &Option<String>) -> Result<()> {
    use chronicle_store::Store;
    let login = std::env::var("USER").or_else(|_| std::env::var("USERNAME")).unwrap_or_else(|_| "unknown".into());
    store.act_as(actor.as_deref().unwrap_or(&login))?;
    Ok(())
}

/// The key a copy of a store is encrypted with: an encrypted store's own, for
/// a file; none with `--plain` (said on stderr), and a refusal without it
/// where the copy could not be encrypted.
fn copy_key(from: &Location, to: &Location, key: Option<chronicle_store::StoreKey>, plain: bool) -> Result<Option<chronicle_store::StoreKey>> {
    let Some(key) = key else { return Ok(None) };
    match (to, plain) {
        (Location::File(_), false) => Ok(Some(key)),
        (Location::Postgres(_), false) => {
            anyhow::bail!("{from} is encrypted, and Chronicle does not encrypt a server store (see SECURITY.md): --plain to copy it there anyway")
        }
        (_, true) => {
            eprintln!("warning: {to} will be plain: {from} is encrypted, this copy is not (--plain)");
            Ok(None)
        }
    }
}

/// Writes an export of one stream to `target`, a private file, or to
/// standard output. JSON escapes the C0 controls (ESC among them), so what
/// reaches a terminal is byte for byte what `--out` writes.
fn write_export(store: &chronicle_store::SqlStore, target: Option<PathBuf>, write: impl Fn(&mut dyn std::io::Write) -> Result<()>) -> Result<()> {
    let Some(path) = target else {
        return write(&mut std::io::stdout().lock());
    };
    let mut w = std::io::BufWriter::new(export::private_file(&path)?);
    write(&mut w)?;
    std::io::Write::flush(&mut w).with_context(|| format!("writing {}", path.display()))?;
    term::say(&format!("export written to {}{}", path.display(), plain_note(store)));
    Ok(())
}

/// Exports leave the encryption behind: say so.
fn plain_note(store: &chronicle_store::SqlStore) -> &'static str {
    if store.is_encrypted() {
        " (plain text: the store is encrypted, this file is not)"
    } else {
        ""
    }
}

/// What `audit verify` found, one problem a line.
fn audit_report(report: &chronicle_store::AuditReport, out: &mut impl Write) -> Result<()> {
    if report.is_sound() {
        let from = report.stated_from.map_or(String::new(), |s| format!(" from entry {s}"));
        writeln!(out, "audit chain intact: {} entries; record matches the state they recorded{from}; {} originals match their SHA-256", report.entries, report.documents)?;
        if let Some(n) = report.after_head {
            writeln!(out, "the kept head is in the log unchanged; {n} entries written since (review them: `chronicle audit log --last {n}`)")?;
        }
    } else {
        writeln!(out, "audit BROKEN: {} problems", report.problems.len())?;
        for p in &report.problems {
            writeln!(out, "  {p}")?;
        }
    }
    Ok(())
}

fn run(cli: Cli) -> Result<ExitCode> {
    use chronicle_store::Store;
    // What is printed for people is cleaned of terminal escapes; an export's JSON goes as it is.
    let mut out = term::Clean::new(std::io::stdout().lock());
    let actor = cli.actor.clone();
    let key_file = cli.key_file.clone();
    let open = |store: &Location| open_keyed(store, &key_file);
    let open_as = |store: &Location, actor: &Option<String>| open_as(store, &key_file, actor);
    match cli.command {
        Command::Init { encrypt } => {
            if let Location::Postgres(_) = cli.store {
                if encrypt {
                    anyhow::bail!("--encrypt is for an embedded store file; a PostgreSQL store is protected by its server (see SECURITY.md)");
                }
                let store = open(&cli.store)?;
                writeln!(out, "store ready on {} (schema {})", cli.store, store.schema_version()?)?;
                return Ok(ExitCode::SUCCESS);
            }
            let path = store_file(&cli.store, "a store file")?;
            if encrypt {
                let key = store_key(&key_file, path, true)?
                    .ok_or_else(|| anyhow::anyhow!("--encrypt needs a key: --key-file, CHRONICLE_PASSPHRASE, or a terminal to ask on"))?;
                chronicle_store::SqlStore::create_encrypted(path, &key)?;
                writeln!(out, "encrypted store created at {}", path.display())?;
            } else {
                if path.exists() {
                    anyhow::bail!("{} already exists", path.display());
                }
                open(&cli.store)?;
                writeln!(out, "store created at {} (not encrypted)", path.display())?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Rekey { new_key_file } => {
            let mut store = open_as(&cli.store, &actor)?;
            let new = match new_key_file {
                Some(f) => read_key_file(&f)?,
                None => match std::env::var("CHRONICLE_NEW_PASSPHRASE") {
                    Ok(p) => chronicle_store::StoreKey::from_passphrase(&p),
                    Err(_) => {
                        let p = rpassword::prompt_password("new passphrase: ")?;
                        if rpassword::prompt_password("again: ")? != p {
                            anyhow::bail!("the passphrases differ");
                        }
                        chronicle_store::StoreKey::from_passphrase(&p)
                    }
                },
            };
            store.rekey(&new)?;
            writeln!(out, "{} re-encrypted under the new key", cli.store)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Backup { file } => {
            store_file(&cli.store, "a backup file")?;
            let store = open(&cli.store)?;
            store.backup_to(&file)?;
            let how = if store.is_encrypted() { "encrypted with the store's key" } else { "NOT encrypted, as the store is not" };
            term::say(&format!("backup written to {} ({how})", file.display()));
            Ok(ExitCode::SUCCESS)
        }
        Command::Restore { file, replace, head } => {
            let path = store_file(&cli.store, "restoring a backup file")?;
            if path.exists() && !replace {
                anyhow::bail!("{} exists; --replace to overwrite it with the backup (everything since the backup is lost)", path.display());
            }
            let key = store_key(&key_file, &file, false)?;
            let verified = chronicle_store::SqlStore::restore_checked(&file, path, key.as_ref(), head.as_ref())?;
            writeln!(out, "restored {} from {}: audit chain of {verified} entries verified", path.display(), file.display())?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Ingest { paths, max_size, workers, follow_links, language, source_url, published, publisher, tags } => {
            for t in &tags {
                chronicle_store::tag_of(t)?;
            }
            if source_url.is_some() && (paths.len() != 1 || paths[0].is_dir()) {
                anyhow::bail!("--source-url names where one report came from: give one file");
            }
            let mut store = open_as(&cli.store, &actor)?;
            let workers = workers.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
            let limits = chronicle_pipeline::Limits { max_bytes: max_size, ..Default::default() };
            let given = chronicle_pipeline::SourceFacts { published, language: None, publisher };
            let options = chronicle_pipeline::Options { limits, language, given, source_url, tags, ..Default::default() };
            let summary = if store.is_postgres() {
                ingest::ingest_queued(&mut store, &paths, &options, workers, follow_links)?
            } else {
                ingest::ingest(&mut store, &paths, &options, workers, follow_links)?
            };
            // The summary is the run's result: on standard output (progress and messages on standard error).
            for line in summary.lines() {
                writeln!(out, "{line}")?;
            }
            Ok(if summary.failed > 0 { ExitCode::FAILURE } else { ExitCode::SUCCESS })
        }
        Command::Import { file, map, dry_run, max_size } => {
            let limits = chronicle_pipeline::import::ImportLimits { max_bytes: max_size, ..Default::default() };
            let plan = import::plan(&file, &map, &limits)?;
            // A dry run against a store file not made yet is one against an empty record (and makes none).
            let missing = matches!(&cli.store, Location::File(p) if !p.exists());
            if dry_run {
                let store = if missing { None } else { Some(open_as(&cli.store, &actor)?) };
                let review = chronicle_pipeline::import::review(&plan, store.as_ref().map(|s| s as &dyn Store))?;
                import::print_review(&plan, &review, &mut out)?;
                writeln!(out, "dry run: nothing stored")?;
                return Ok(ExitCode::SUCCESS);
            }
            let mut store = open_as(&cli.store, &actor)?;
            let review = chronicle_pipeline::import::review(&plan, Some(&store))?;
            import::print_review(&plan, &review, &mut out)?;
            let applied = import::apply(&mut store, &plan)?;
            writeln!(out, "{}", import::summary(&plan, &review, &applied))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Export { format, out: target, public, policy, scope } => {
            let within = scope.read()?;
            let mut store = open_as(&cli.store, &actor)?;
            if public {
                store.act_as_public()?;
            }
            let mut record = export::Record::read(&store)?;
            if !scope.is_empty() {
                listings::narrow(&mut record, &within);
            }
            if public {
                let policy = match policy {
                    Some(p) => public::Policy::read(&p)?,
                    None => public::Policy::default_public(),
                };
                policy.apply(&mut record);
            }
            match format {
                Format::Jsonl => write_export(&store, target, |w| export::jsonl(&record, w))?,
                Format::Ftm => write_export(&store, target, |w| export::ftm::ftm(&record, w))?,
                Format::Esf => write_export(&store, target, |w| export::esf::esf(&record, w))?,
                Format::Csv => {
                    let dir = target.unwrap_or_else(|| PathBuf::from("."));
                    let written = export::csv(&record, &dir)?;
                    for p in written {
                        term::say(&format!("export written to {}{}", p.display(), plain_note(&store)));
                    }
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Review { verdict, limit } => {
            require_store(&cli.store)?;
            let mut store = open_as(&cli.store, &actor)?;
            match verdict {
                None => review::queue(&store, limit, &mut out)?,
                Some(v) => review::judge(&mut store, v, &mut out)?,
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Persons { name, json } => {
            require_store(&cli.store)?;
            let found = listings::persons(&open_as(&cli.store, &actor)?, name.as_deref(), json, &mut out)?;
            Ok(if found || name.is_none() { ExitCode::SUCCESS } else { ExitCode::FAILURE })
        }
        Command::Events(wanted) => {
            require_store(&cli.store)?;
            listings::events(&open_as(&cli.store, &actor)?, &wanted, &mut out)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Reports { tag, json } => {
            require_store(&cli.store)?;
            listings::reports(&open_as(&cli.store, &actor)?, tag.as_deref(), json, &mut out)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Search { query, limit } => {
            require_store(&cli.store)?;
            let store = open_as(&cli.store, &actor)?;
            let found = report::search(&store, &query.join(" "), limit, &mut out)?;
            Ok(if found { ExitCode::SUCCESS } else { ExitCode::FAILURE })
        }
        Command::Person { decision: None, name } => {
            if name.is_empty() {
                anyhow::bail!("name a person: chronicle person NAME, or a decision: chronicle person merge|split|distinct");
            }
            require_store(&cli.store)?;
            let store = open_as(&cli.store, &actor)?;
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
                PersonDecision::Public { person, undo } => {
                    store.mark_public(&person, !undo)?;
                    let how = if undo { "no longer named in public exports unless an event makes them a victim or perpetrator" } else { "named in public exports" };
                    writeln!(out, "{person} {how}")?;
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Names(NamesCommand::Compare { a, b }) => {
            names::compare_two(&a, &b, &mut out)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Names(NamesCommand::Score { pairs, errors, curve, precision }) => {
            names::score_file(&pairs, names::ScoreOptions { errors, curve, precision }, &mut out)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Audit(AuditCommand::Verify { head }) => {
            let store = open(&cli.store)?;
            let report = store.verify_record(head.as_ref())?;
            audit_report(&report, &mut out)?;
            Ok(if report.is_sound() { ExitCode::SUCCESS } else { ExitCode::FAILURE })
        }
        Command::Audit(AuditCommand::Head) => {
            let store = open(&cli.store)?;
            match store.audit_head()? {
                Some(head) => writeln!(out, "{head}")?,
                None => anyhow::bail!("the audit log of {} is empty: there is no head yet", cli.store),
            }
            eprintln!("keep this line outside the store; `chronicle audit verify --head LINE` checks the log still holds it");
            Ok(ExitCode::SUCCESS)
        }
        Command::Audit(AuditCommand::Log { last }) => {
            let store = open_as(&cli.store, &actor)?;
            let log = store.audit_log()?;
            let skip = last.map_or(0, |n| log.len().saturating_sub(n));
            for e in &log[skip..] {
                writeln!(out, "{:>6}  {}  {:<12} {:<18} {}  {}", e.seq, e.at, e.actor, e.action, e.subject, e.detail)?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Reextract { documents } => {
            let mut store = open_as(&cli.store, &actor)?;
            let done = ingest::reextract(&mut store, &documents)?;
            for line in done.lines() {
                term::say(&line);
            }
            Ok(if done.failed.is_empty() { ExitCode::SUCCESS } else { ExitCode::FAILURE })
        }
        Command::Estimate { types, from, to, country, by, lists, criterion, json, public } => {
            let mut store = open_as(&cli.store, &actor)?;
            if public {
                store.act_as_public()?;
            }
            let selection = chronicle_estimate::record::Selection { types, from, to, country };
            let by = match by {
                EstimateBy::All => chronicle_estimate::record::By::All,
                EstimateBy::Year => chronicle_estimate::record::By::Year,
                EstimateBy::Type => chronicle_estimate::record::By::Type,
            };
            let criterion = match criterion {
                EstimateCriterion::Aic => chronicle_estimate::Criterion::Aic,
                EstimateCriterion::Bic => chronicle_estimate::Criterion::Bic,
            };
            let groups = estimate::lists(&lists)?;
            let report = estimate::report(&store, &selection, &groups, &lists, by, criterion, public)?;
            if json {
                serde_json::to_writer_pretty(&mut std::io::stdout().lock(), &report)?;
                println!();
            } else {
                estimate::print(&report, &mut out)?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Stats(scope) => {
            require_store(&cli.store)?;
            let store = open_as(&cli.store, &actor)?;
            let stats = if scope.is_empty() { store.stats()? } else { listings::stats_within(&store, &scope.read()?)? };
            report::stats(&stats, &mut out)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::User(cmd) => {
            let mut store = open_as(&cli.store, &actor)?;
            user_command(&mut store, cmd, &mut out)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Store(StoreCommand::Copy { from, to, plain, to_key_file }) => {
            let to_key_file_given = to_key_file.is_some();
            let key = match &from {
                Location::File(path) => store_key(&key_file, path, false)?,
                Location::Postgres(_) => None,
            };
            let mut source = chronicle_store::SqlStore::open_location(&from, key.as_ref()).with_context(|| format!("opening store {from}"))?;
            act_as_login(&mut source, &actor)?;
            if let Location::File(path) = &to {
                if path.exists() {
                    anyhow::bail!("{} already exists: a store is copied into a new file", path.display());
                }
            }
            let target_key = match to_key_file {
                Some(f) if matches!(to, Location::File(_)) => Some(read_key_file(&f)?),
                Some(_) => anyhow::bail!("--to-key-file is for a store file; Chronicle does not encrypt a server store (see SECURITY.md)"),
                None => copy_key(&from, &to, key.filter(|_| source.is_encrypted()), plain)?,
            };
            let mut target = chronicle_store::SqlStore::open_location(&to, target_key.as_ref()).with_context(|| format!("opening store {to}"))?;
            let report = source.copy_to(&mut target).with_context(|| format!("copying {from} to {to}"))?;
            for (table, rows) in &report.tables {
                writeln!(out, "{table:<22} {rows:>9} rows")?;
            }
            writeln!(out, "copied {from} to {to}; audit chain of {} entries verified there", report.audit_verified)?;
            if target.is_encrypted() {
                let whose = if to_key_file_given { "the key file given".to_string() } else { format!("the key of {from}") };
                eprintln!("{to} is encrypted with {whose}");
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Restricted(cmd) => {
            let mut store = open_as(&cli.store, &actor)?;
            match cmd {
                RestrictedCommand::Add { record, reason } => {
                    store.restrict(&record, reason.as_deref())?;
                    writeln!(out, "{} {} restricted", record.kind(), record.id())?;
                }
                RestrictedCommand::Lift { record } => {
                    store.unrestrict(&record)?;
                    writeln!(out, "{} {} no longer restricted", record.kind(), record.id())?;
                }
                RestrictedCommand::List => {
                    for r in store.restrictions()? {
                        writeln!(out, "{:<8} {:<28} by {} at {}  {}", r.record.kind(), r.record.id(), r.actor, r.at, r.reason.unwrap_or_default())?;
                    }
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Serve { listen, connections, behind_tls, client_ip_header } => {
            let mut options = chronicle_server::Options { behind_tls, ..Default::default() };
            if let Some(h) = &client_ip_header {
                options = options.client_ip_header(h)?;
            }
            let store = open_keyed(&cli.store, &key_file)?;
            let pool = chronicle_server::Pool::new(store, connections)?;
            let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().context("starting the server's runtime")?;
            runtime.block_on(chronicle_server::serve_with(pool, &listen, options))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Eval { gold, reports, misses, json, raw_confidence, fit_calibration, fit_with } => {
            let raw = raw_confidence || fit_calibration.is_some();
            let confidence = if raw { chronicle_pipeline::Confidence::Raw } else { chronicle_pipeline::Confidence::Calibrated };
            let mut scores = eval::run(&gold, reports.as_deref(), confidence)?;
            for more in &fit_with {
                scores.judged.extend(eval::run(more, None, confidence)?.judged);
            }
            if let Some(extractor) = fit_calibration {
                eval::print_fit(&extractor, &scores, &mut out)?;
            } else if json {
                println!("{}", serde_json::to_string_pretty(&scores)?);
            } else {
                eval::print(&scores, misses, &mut out)?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Demo { dir } => {
            demo::run(dir.as_deref(), &mut out)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// A password from the first line of standard input (`from_stdin`) or asked
/// twice on the terminal; `None` when neither gives one.
fn read_password(name: &str, from_stdin: bool) -> Result<Option<String>> {
    let password = if from_stdin {
        let mut line = String::new();
        std::io::stdin().read_line(&mut line).context("reading the password from standard input")?;
        Some(line.trim_end_matches(['\r', '\n']).to_string())
    } else if std::io::IsTerminal::is_terminal(&std::io::stdin()) {
        let p = rpassword::prompt_password(format!("password for {name} (empty: none): "))?;
        if !p.is_empty() && rpassword::prompt_password("again: ")? != p {
            anyhow::bail!("the passwords differ");
        }
        (!p.is_empty()).then_some(p)
    } else {
        None
    };
    if password.as_deref() == Some("") {
        anyhow::bail!("the password is empty");
    }
    Ok(password)
}

fn user_command(store: &mut chronicle_store::SqlStore, cmd: UserCommand, out: &mut dyn Write) -> Result<()> {
    use chronicle_store::Store;
    match cmd {
        UserCommand::Add { name, role, password_stdin } => {
            let password = read_password(&name, password_stdin)?;
            store.add_user(&name, role, password.as_deref())?;
            let how = if password.is_some() { "with a password" } else { "without a password (command line only)" };
            writeln!(out, "account {name} added as {role}, {how}")?;
        }
        UserCommand::List => {
            for u in store.users()? {
                let grants = if u.grants.is_empty() { "-".to_string() } else { u.grants.join(", ") };
                let password = if u.has_password { "password" } else { "no password" };
                writeln!(out, "{:<16} {:<7} {:<9} {:<12} since {}  grants: {grants}", u.name, u.role, u.state, password, u.created_at)?;
            }
        }
        UserCommand::Role { name, role } => {
            store.set_role(&name, role)?;
            writeln!(out, "{name} is now {role}")?;
        }
        UserCommand::Password { name, password_stdin } => {
            let password = read_password(&name, password_stdin)?
                .ok_or_else(|| anyhow::anyhow!("no password given: --password-stdin, or run on a terminal to be asked"))?;
            store.set_password(&name, &password)?;
            writeln!(out, "password of {name} set; its sessions have ended")?;
        }
        UserCommand::Disable { name } => {
            store.set_enabled(&name, false)?;
            writeln!(out, "{name} disabled: it cannot log in or act, its sessions have ended and its tokens are revoked")?;
        }
        UserCommand::Enable { name } => {
            store.set_enabled(&name, true)?;
            writeln!(out, "{name} enabled (its earlier tokens stay revoked)")?;
        }
        UserCommand::Remove { name } => {
            store.remove_user(&name)?;
            writeln!(out, "{name} removed; the audit log keeps its name")?;
        }
        UserCommand::Grant { name, record } => {
            store.grant(&name, &record)?;
            writeln!(out, "{name} may now see {record}")?;
        }
        UserCommand::Revoke { name, record } => {
            store.revoke(&name, &record)?;
            writeln!(out, "{name} may no longer see {record}")?;
        }
        UserCommand::Token { name, label, expires } => {
            let made = store.create_token_expiring(&name, &label, expires)?;
            writeln!(out, "{}", made.token)?;
            term::say(&format!(
                "API token {} for {name}, until {}: send it as `Authorization: Bearer TOKEN`; it is not shown again",
                made.record.id, made.record.expires_at
            ));
        }
        UserCommand::Tokens { name } => {
            for t in store.tokens(name.as_deref())? {
                let state = t.state();
                let revoked = t.revoked_at.as_deref().map_or(String::new(), |at| format!(" (revoked {at})"));
                writeln!(out, "{:>5}  {:<16} {:<8} made {}  expires {}{revoked}  {}", t.id, t.user, state, t.created_at, t.expires_at, t.label)?;
            }
        }
        UserCommand::RevokeToken { id } => {
            let t = store.revoke_token(id)?;
            writeln!(out, "token {id} of {} ({}) revoked", t.user, t.label)?;
        }
    }
    Ok(())
}
