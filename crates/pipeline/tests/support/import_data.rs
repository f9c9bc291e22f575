//! A case spreadsheet of 200 rows written for the import tests (every name
//! invented), and the figures an import of it must give, computed from what
//! was written. Shared by crates/pipeline/tests/import.rs and crates/cli/tests/import.rs.

#![allow(dead_code)]

use std::collections::{BTreeSet, HashSet};

pub const HEADER: [&str; 8] = ["Name", "Event", "Date", "Place", "Country", "Perpetrator", "Source", "Notes"];

pub const MAPPING: &str = r#"
date_order = "day-first"
publisher = "Case desk"

[columns]
victim = "Name"
event = "Event"
date = "Date"
place = "Place"
country = "Country"
perpetrator = "Perpetrator"
source = "Source"
notes = "Notes"

[events]
"Задержан" = "arrest"
"detained" = "arrest"
"Обыск" = "search"
"sentenced" = "sentence"
"released" = "release"

[countries]
"Uzbekistan" = "UZ"
"#;

/// The person every spelling of whom is one person: three spellings, two scripts.
pub const VARIANTS: [&str; 3] = ["Bakhtiyor Khamroyev", "Bakhtiyor Khamroev", "Бахтиёр Хамроев"];
/// Everyone else, one spelling each.
pub const OTHERS: [&str; 15] = [
    "Farrukh Tashpulatov", "Gulnora Ismoilova", "Jasur Mirzayev", "Nigora Rakhimova", "Otabek Sultonov",
    "Shahlo Nazarova", "Timur Abdullayev", "Umida Karimova", "Zafar Ergashev", "Laziz Qodirov",
    "Malika Usmonova", "Sherzod Boboyev", "Kamola Karimova", "Ravshan Turgunov", "Dilshod Nematov",
];

/// One data row as written, and what the test knows of it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Case {
    /// Which person (0: the one of [`VARIANTS`]).
    pub person: usize,
    pub cells: [String; 8],
    /// The event type the word stands for (None: a word the mapping does not know).
    pub kind: Option<&'static str>,
    /// The date as Chronicle reads it (None: a date that cannot be read).
    pub date: Option<String>,
}

pub const EMPTY_ROWS: [usize; 2] = [57, 140];
/// (row, the earlier row it repeats); row 60 repeats a row refused for its event word.
pub const DUPLICATES: [(usize, usize); 9] = [(20, 3), (45, 44), (60, 33), (80, 10), (99, 98), (120, 5), (150, 149), (175, 101), (190, 17)];
pub const UNKNOWN_WORDS: [(usize, &str); 4] = [(33, "побит"), (66, "vanished?"), (111, "Избит"), (166, "questioned")];
pub const BAD_DATES: [(usize, &str); 6] = [(12, "31.02.2024"), (48, "весной 2023"), (90, "unknown"), (133, "12.05.24"), (177, "2024-13-01"), (199, "around May")];

const WORDS: [(&str, &str); 6] = [("Задержан", "arrest"), ("detained", "arrest"), ("Обыск", "search"), ("sentenced", "sentence"), ("released", "release"), ("arrest", "arrest")];
const MONTHS: [&str; 12] = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const PLACES: [&str; 5] = ["Tashkent", "Samarkand", "Bukhara", "Namangan", "Andijan"];
const ORGS: [&str; 3] = ["SNB", "Police", "Prosecutor's Office"];

/// The 200 data rows (None: an empty row), in order; row i is the sheet's row i + 2.
pub fn rows() -> Vec<Option<Case>> {
    let mut out: Vec<Option<Case>> = Vec::new();
    for i in 0..200usize {
        if EMPTY_ROWS.contains(&i) {
            out.push(None);
            continue;
        }
        if let Some(&(_, of)) = DUPLICATES.iter().find(|(d, _)| *d == i) {
            out.push(out[of].clone());
            continue;
        }
        let (person, name) = if i % 16 == 0 { (0, VARIANTS[(i / 16) % 3]) } else { (1 + i % 15, OTHERS[i % 15]) };
        let (mut word, mut kind) = (WORDS[i % 6].0, Some(WORDS[i % 6].1));
        if let Some(&(_, w)) = UNKNOWN_WORDS.iter().find(|(u, _)| *u == i) {
            word = w;
            kind = None;
        }
        let (y, m, d) = (2019 + i % 6, 1 + i % 12, 1 + i % 28);
        let (mut written, mut date) = match i % 4 {
            0 => (format!("{d:02}.{m:02}.{y}"), format!("{y}-{m:02}-{d:02}")),
            1 => (format!("{y}-{m:02}-{d:02}"), format!("{y}-{m:02}-{d:02}")),
            2 => (format!("{d} {} {y}", MONTHS[m - 1]), format!("{y}-{m:02}-{d:02}")),
            _ => (format!("{} {y}", MONTHS[m - 1]), format!("{y}-{m:02}")),
        };
        let mut date = Some(std::mem::take(&mut date));
        if let Some(&(_, bad)) = BAD_DATES.iter().find(|(b, _)| *b == i) {
            written = bad.to_string();
            date = None;
        }
        let country = if i % 2 == 0 { "UZ" } else { "Uzbekistan" };
        let source = if i % 2 == 0 { format!("https://example.org/cases/{i}") } else { String::new() };
        let cells = [name.to_string(), word.to_string(), written, PLACES[i % 5].to_string(), country.to_string(), ORGS[i % 3].to_string(), source, format!("Case {i}")];
        out.push(Some(Case { person, cells, kind, date }));
    }
    out
}

/// A CSV field, quoted when it must be.
fn field(s: &str) -> String {
    if s.contains([',', '"', '\n', ';']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

pub fn csv(rows: &[Option<Case>]) -> String {
    let mut s = HEADER.join(",") + "\n";
    for r in rows {
        match r {
            None => s.push_str(&",".repeat(HEADER.len() - 1)),
            Some(c) => s.push_str(&c.cells.iter().map(|f| field(f)).collect::<Vec<_>>().join(",")),
        }
        s.push('\n');
    }
    s
}

/// The source an imported row is stored under: its URL, else FILE#row-N.
pub fn source_of(file: &str, index: usize, case: &Case) -> String {
    if case.cells[6].is_empty() {
        format!("{file}#row-{}", index + 2)
    } else {
        case.cells[6].clone()
    }
}

/// The figures an import of the rows into an empty record must give.
#[derive(Debug, Default)]
pub struct Expected {
    pub rows_read: usize,
    pub rows_empty: usize,
    pub rows_duplicate: usize,
    pub rows_refused: usize,
    pub documents: usize,
    /// Distinct names written in the imported rows.
    pub names: usize,
    /// Distinct persons (whatever the spelling) in the imported rows.
    pub persons: usize,
    pub organisations: usize,
    pub events: usize,
    pub undated: usize,
    /// (index, case) of each row imported, first of its duplicates.
    pub imported: Vec<(usize, Case)>,
    /// Sheet row numbers of the rows with an unreadable date and of those with an unknown word.
    pub bad_date_rows: Vec<usize>,
    pub unknown_word_rows: Vec<usize>,
}

pub fn expected(rows: &[Option<Case>]) -> Expected {
    let mut e = Expected { rows_read: rows.len(), ..Default::default() };
    let mut seen = HashSet::new();
    let (mut names, mut persons, mut orgs) = (BTreeSet::new(), BTreeSet::new(), BTreeSet::new());
    for (i, r) in rows.iter().enumerate() {
        let Some(c) = r else {
            e.rows_empty += 1;
            continue;
        };
        if !seen.insert(c.cells.clone()) {
            e.rows_duplicate += 1;
            continue;
        }
        if c.kind.is_none() {
            e.rows_refused += 1;
            e.unknown_word_rows.push(i + 2);
            continue;
        }
        if c.date.is_none() {
            e.undated += 1;
            e.bad_date_rows.push(i + 2);
        }
        e.documents += 1;
        e.events += 1;
        names.insert(c.cells[0].clone());
        persons.insert(c.person);
        orgs.insert(c.cells[5].clone());
        e.imported.push((i, c.clone()));
    }
    e.names = names.len();
    e.persons = persons.len();
    e.organisations = orgs.len();
    e
}

/// Writes the rows as an .xlsx workbook (sheet "Cases") with openpyxl, the
/// ISO dates as real date cells; false (and why, on stderr) without python3
/// and openpyxl, a failure with CHRONICLE_REQUIRE_TOOLS=1.
pub fn write_xlsx(rows: &[Option<Case>], path: &std::path::Path) -> bool {
    let script = r#"
import csv, datetime, sys
from openpyxl import Workbook
wb = Workbook()
ws = wb.active
ws.title = "Cases"
ws2 = wb.create_sheet("Notes")
ws2.append(["not this sheet"])
for i, row in enumerate(csv.reader(open(sys.argv[1], encoding="utf-8"))):
    if i > 0 and not any(row):
        ws.append([])
        continue
    cells = []
    for j, v in enumerate(row):
        if i > 0 and j == 2 and len(v) == 10 and v[4] == "-" and v[7] == "-" and v[:4].isdigit():
            try:
                d = datetime.datetime.strptime(v, "%Y-%m-%d")
                cells.append(d)
                continue
            except ValueError:
                pass
        cells.append(v if v != "" else None)
    ws.append(cells)
for row in ws.iter_rows(min_col=3, max_col=3):
    for c in row:
        if isinstance(c.value, datetime.datetime):
            c.number_format = "yyyy-mm-dd"
wb.save(sys.argv[2])
"#;
    let csv_path = path.with_extension("source.csv");
    std::fs::write(&csv_path, csv(rows)).unwrap();
    let out = std::process::Command::new("python3").arg("-c").arg(script).arg(&csv_path).arg(path).output();
    let ok = matches!(&out, Ok(o) if o.status.success());
    if !ok {
        let why = match &out {
            Ok(o) => String::from_utf8_lossy(&o.stderr).to_string(),
            Err(e) => e.to_string(),
        };
        if std::env::var("CHRONICLE_REQUIRE_TOOLS").as_deref() == Ok("1") {
            panic!("python3 with openpyxl is required (CHRONICLE_REQUIRE_TOOLS=1): {why}");
        }
        eprintln!("note: the .xlsx part is skipped: python3 with openpyxl is missing ({})", why.lines().last().unwrap_or(""));
    }
    ok
}
