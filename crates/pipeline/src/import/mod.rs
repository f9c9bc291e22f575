//! Monitors' case spreadsheets (CSV, .xlsx) into the record, the same way in
//! as reports: each row becomes a document of its own, whose bytes are a
//! canonical rendering of the row's mapped fields (so a row imported twice,
//! or twice in one file, is one document), and whose extraction is built
//! from the columns, not by an extractor; [`apply`] stores each with
//! [`Store::add_document`] under [`IMPORT_EXTRACTOR`], so its persons link
//! through the same linker and each row is audited as any ingest is.
//!
//! [`plan`] reads and makes the documents without the store; [`review`]
//! says what storing the plan would create (the dry run); [`apply`] stores it.

pub mod mapping;
mod row;
pub mod sheet;

pub use mapping::{BadDate, Columns, DateOrder, Mapping, MappingError, UnknownEvent};
pub use row::{parse_date, RowDocument};

use chronicle_store::{Added, Store, StoreError};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// What the store records as the extractor of an imported row.
pub const IMPORT_EXTRACTOR: &str = "import/1";
/// How every import's name begins (what `reextract` leaves alone).
pub const IMPORTED_PREFIX: &str = "import/";

/// How much of a spreadsheet is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImportLimits {
    /// The file's size.
    pub max_bytes: u64,
    /// What an .xlsx workbook's parts say they unpack to, together.
    pub max_expanded_bytes: u64,
    /// Rows after the header.
    pub max_rows: usize,
    /// Cells, each row counted to its last filled cell.
    pub max_cells: usize,
}

impl Default for ImportLimits {
    fn default() -> Self {
        ImportLimits { max_bytes: 64 << 20, max_expanded_bytes: 512 << 20, max_rows: 100_000, max_cells: 5_000_000 }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error(transparent)]
    Mapping(#[from] MappingError),
    #[error("{file}: not a spreadsheet Chronicle imports (expected .csv, .tsv or .xlsx: save .xls, .ods or .numbers sheets as .xlsx or CSV)")]
    NotASpreadsheet { file: String },
    #[error("{file}: {size} bytes, over the limit of {limit} bytes")]
    TooLarge { file: String, size: u64, limit: u64 },
    #[error("{file}{}: more than {limit} rows", sheet_part(.sheet))]
    TooManyRows { file: String, sheet: Option<String>, limit: usize },
    #[error("{file}{}: more than {limit} cells", sheet_part(.sheet))]
    TooManyCells { file: String, sheet: Option<String>, limit: usize },
    #[error("{file}{}: cannot be read: {message}", sheet_part(.sheet))]
    Unreadable { file: String, sheet: Option<String>, message: String },
    #[error("{file}: line {line}: {message}")]
    Csv { file: String, line: usize, message: String },
    #[error("{file}: no sheet {sheet:?} (the workbook has: {sheets})")]
    NoSheet { file: String, sheet: String, sheets: String },
    #[error("{file}{}: no header row (the sheet is empty)", sheet_part(.sheet))]
    NoHeader { file: String, sheet: Option<String> },
    #[error("{file}{}: no column {column:?} (the mapping's {key}); the header has: {header}", sheet_part(.sheet))]
    NoColumn { file: String, sheet: Option<String>, key: &'static str, column: String, header: String },
    #[error("{file}{}: row {row}: {source}", sheet_part(.sheet))]
    Store { file: String, sheet: Option<String>, row: usize, source: StoreError },
}

fn sheet_part(sheet: &Option<String>) -> String {
    sheet.as_ref().map_or(String::new(), |s| format!(", sheet {s:?}"))
}

/// Something ambiguous in a row, named with its column. `imported` says
/// whether the row is imported all the same (without that field) or refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    NoVictim { column: String },
    NoEvent { column: String, imported: bool },
    UnknownEvent { column: String, word: String, imported: bool },
    BadDate { column: String, value: String, why: String, imported: bool },
    /// Imported without a country.
    BadCountry { column: String, value: String },
}

impl Problem {
    /// Whether the row is refused for it.
    pub fn refuses(&self) -> bool {
        match self {
            Problem::NoVictim { .. } => true,
            Problem::NoEvent { imported, .. } | Problem::UnknownEvent { imported, .. } | Problem::BadDate { imported, .. } => !imported,
            Problem::BadCountry { .. } => false,
        }
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let outcome = |imported: bool, without: &str| if imported { format!("imported without {without}") } else { "refused".to_string() };
        match self {
            Problem::NoVictim { column } => write!(f, "column {column:?}: no victim named: refused"),
            Problem::NoEvent { column, imported } => write!(f, "column {column:?}: no event word: {}", outcome(*imported, "an event")),
            Problem::UnknownEvent { column, word, imported } => {
                write!(f, "column {column:?}: event word {word:?} is not in the mapping's [events]: {}", outcome(*imported, "an event"))
            }
            Problem::BadDate { column, why, imported, .. } => write!(f, "column {column:?}: {why}: {}", outcome(*imported, "a date")),
            Problem::BadCountry { column, value } => write!(f, "column {column:?}: country {value:?} is neither a two-letter code nor in the mapping's [countries]: imported without a country"),
        }
    }
}

/// What a row of the sheet becomes.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// No cell filled: skipped.
    Empty,
    /// The same document as an earlier row (its row number).
    Duplicate { of: usize },
    /// Not imported: see the row's problems.
    Refused,
    /// A document to store.
    Import(Box<RowDocument>),
}

#[derive(Debug, Clone)]
pub struct PlannedRow {
    /// The row's number in the sheet (for CSV: the line it starts on).
    pub row: usize,
    pub outcome: Outcome,
    pub problems: Vec<Problem>,
}

/// A spreadsheet read and made into documents, not yet stored.
#[derive(Debug, Clone)]
pub struct Plan {
    pub file: String,
    /// The workbook's sheet read (None for CSV).
    pub sheet: Option<String>,
    pub rows: Vec<PlannedRow>,
}

impl Plan {
    /// The documents to store, in row order.
    pub fn documents(&self) -> impl Iterator<Item = (usize, &RowDocument)> {
        self.rows.iter().filter_map(|r| match &r.outcome {
            Outcome::Import(d) => Some((r.row, &**d)),
            _ => None,
        })
    }
}

/// Reads the spreadsheet `file` (its bytes; the extension gives the kind)
/// and makes each row's document, touching no store.
pub fn plan(file: &str, bytes: &[u8], mapping: &Mapping, limits: &ImportLimits) -> Result<Plan, ImportError> {
    let sheet = sheet::read(file, bytes, mapping, limits)?;
    let at = positions(file, &sheet, mapping)?;
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut rows = Vec::with_capacity(sheet.rows.len());
    // Rows whose mapped cells an earlier row has are that row's duplicates, whatever becomes of it.
    let mut same_cells: HashMap<Vec<&str>, usize> = HashMap::new();
    for (n, cells) in &sheet.rows {
        let mut problems = Vec::new();
        let mapped = at.mapped(cells);
        if !cells.iter().all(String::is_empty) && mapped.iter().any(|c| !c.is_empty()) {
            if let Some(&of) = same_cells.get(&mapped) {
                rows.push(PlannedRow { row: *n, outcome: Outcome::Duplicate { of }, problems });
                continue;
            }
            same_cells.insert(mapped, *n);
        }
        let outcome = match row::make(file, *n, cells, &at, mapping, &mut problems) {
            row::Made::Empty => Outcome::Empty,
            row::Made::Refused => Outcome::Refused,
            row::Made::Document(d) => match seen.get(&d.document.sha256) {
                Some(&of) => Outcome::Duplicate { of },
                None => {
                    seen.insert(d.document.sha256.clone(), *n);
                    Outcome::Import(d)
                }
            },
        };
        // A duplicate's problems are its first row's, said there.
        if matches!(outcome, Outcome::Duplicate { .. }) {
            problems.clear();
        }
        rows.push(PlannedRow { row: *n, outcome, problems });
    }
    Ok(Plan { file: file.to_string(), sheet: sheet.name, rows })
}

/// Finds each mapped column in the header (exactly, else case and spacing folded).
fn positions(file: &str, sheet: &sheet::Sheet, mapping: &Mapping) -> Result<row::Positions, ImportError> {
    let find = |key: &'static str, column: &Option<String>| -> Result<Option<usize>, ImportError> {
        let Some(column) = column else { return Ok(None) };
        let wanted = sheet::clean_cell(column);
        let exact = sheet.header.iter().position(|h| *h == wanted);
        let folded = || sheet.header.iter().position(|h| mapping::fold(h) == mapping::fold(&wanted));
        match exact.or_else(folded) {
            Some(i) => Ok(Some(i)),
            None => Err(ImportError::NoColumn {
                file: file.to_string(),
                sheet: sheet.name.clone(),
                key,
                column: column.clone(),
                header: sheet.header.iter().filter(|h| !h.is_empty()).map(|h| format!("{h:?}")).collect::<Vec<_>>().join(", "),
            }),
        }
    };
    let c = &mapping.columns;
    Ok(row::Positions {
        victim: find("victim", &Some(c.victim.clone()))?.unwrap_or(0),
        event: find("event", &c.event)?,
        date: find("date", &c.date)?,
        place: find("place", &c.place)?,
        country: find("country", &c.country)?,
        perpetrator: find("perpetrator", &c.perpetrator)?,
        source: find("source", &c.source)?,
        notes: find("notes", &c.notes)?,
    })
}

/// What storing a plan would create, and what is ambiguous in it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Review {
    /// Rows after the header.
    pub rows_read: usize,
    /// Rows with no cell filled (skipped).
    pub rows_empty: usize,
    /// Rows that are the same document as an earlier row.
    pub rows_duplicate: usize,
    /// Rows not imported (their problems say why).
    pub rows_refused: usize,
    /// Documents the plan holds (one a distinct row imported).
    pub documents: usize,
    /// Of them, those not on record yet: what would be stored.
    pub new_documents: usize,
    /// Of them, those on record already (imported before).
    pub already_on_record: usize,
    /// Distinct victims' names in the new documents.
    pub persons_named: usize,
    /// Of them, names that one person on record has (by any spelling).
    pub persons_on_record: usize,
    /// Names that several persons on record have: (name, their ids).
    pub persons_ambiguous: Vec<(String, Vec<String>)>,
    /// Distinct perpetrators (organisations) in the new documents.
    pub organisations_named: usize,
    /// Events in the new documents.
    pub events: usize,
    /// Of them, without a date.
    pub events_undated: usize,
    /// Each ambiguous row: (row, what).
    pub problems: Vec<(usize, Problem)>,
}

/// What storing `plan` would create, against the record (`None`: an empty one).
pub fn review(plan: &Plan, store: Option<&dyn Store>) -> Result<Review, StoreError> {
    let mut r = Review { rows_read: plan.rows.len(), ..Default::default() };
    let mut names = BTreeSet::new();
    let mut orgs = BTreeSet::new();
    for row in &plan.rows {
        r.problems.extend(row.problems.iter().map(|p| (row.row, p.clone())));
        match &row.outcome {
            Outcome::Empty => r.rows_empty += 1,
            Outcome::Duplicate { .. } => r.rows_duplicate += 1,
            Outcome::Refused => r.rows_refused += 1,
            Outcome::Import(d) => {
                r.documents += 1;
                if let Some(store) = store {
                    if store.contains(&d.document.sha256)? {
                        r.already_on_record += 1;
                        continue;
                    }
                }
                r.new_documents += 1;
                names.extend(d.extraction.persons.iter().map(|p| p.name.clone()));
                orgs.extend(d.extraction.orgs.iter().map(|o| o.key.clone()));
                r.events += d.extraction.events.len();
                r.events_undated += d.extraction.events.iter().filter(|e| e.date.is_none()).count();
            }
        }
    }
    r.persons_named = names.len();
    r.organisations_named = orgs.len();
    if let Some(store) = store {
        for name in names {
            let found = store.find_persons(&name)?;
            match found.len() {
                0 => {}
                1 => r.persons_on_record += 1,
                _ => r.persons_ambiguous.push((name, found.into_iter().map(|p| p.id).collect())),
            }
        }
    }
    Ok(r)
}

/// What storing a plan did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Applied {
    /// Documents stored now.
    pub new_documents: usize,
    /// Documents whose bytes were on record already.
    pub already_present: usize,
    pub persons_linked: usize,
    pub persons_created: usize,
    pub events: usize,
    /// The ids of the documents stored now, by row.
    pub stored: BTreeMap<usize, String>,
}

/// Stores each of the plan's documents, in row order, each in a transaction
/// of its own (linked and audited by the store); those on record stay as they are.
pub fn apply(store: &mut dyn Store, plan: &Plan) -> Result<Applied, ImportError> {
    apply_each(store, plan, |_| {})
}

/// [`apply`], calling `stored` with each row's number once its document is stored (or found on record).
pub fn apply_each(store: &mut dyn Store, plan: &Plan, mut stored: impl FnMut(usize)) -> Result<Applied, ImportError> {
    let mut a = Applied::default();
    for (row, d) in plan.documents() {
        let added = store
            .add_document(&d.document, &d.bytes, &d.extraction, IMPORT_EXTRACTOR)
            .map_err(|source| ImportError::Store { file: plan.file.clone(), sheet: plan.sheet.clone(), row, source })?;
        match added {
            Added::New { persons_linked, persons_created, events } => {
                a.new_documents += 1;
                a.persons_linked += persons_linked;
                a.persons_created += persons_created;
                a.events += events;
                a.stored.insert(row, d.document.id.clone());
            }
            Added::AlreadyPresent { .. } => a.already_present += 1,
        }
        stored(row);
    }
    Ok(a)
}
