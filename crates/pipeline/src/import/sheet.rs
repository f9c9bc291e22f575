//! A spreadsheet's rows: CSV (any encoding `ingest` reads) or an .xlsx
//! workbook's sheet, each cell as text, with the row's number as a
//! spreadsheet program shows it (the header's is 1 in most sheets).

use super::{ImportError, ImportLimits, Mapping};
use chronicle_ingest::{strip_controls, Keep};

/// A sheet read: its header and its rows, every cell as clean text.
#[derive(Debug, Clone)]
pub struct Sheet {
    /// The workbook's sheet read (None for CSV).
    pub name: Option<String>,
    pub header: Vec<String>,
    /// (row number, cells), after the header.
    pub rows: Vec<(usize, Vec<String>)>,
}

/// Which reader a file's name calls for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Csv,
    Xlsx,
}

impl Kind {
    pub fn of(file: &str) -> Option<Kind> {
        let ext = std::path::Path::new(file).extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "csv" | "tsv" | "txt" => Some(Kind::Csv),
            "xlsx" | "xlsm" => Some(Kind::Xlsx),
            _ => None,
        }
    }
}

/// A cell's text: controls and terminal escapes removed, Unicode NFC (as
/// ingested text is, so a name typed on another system is the same bytes),
/// whitespace (line breaks among it) one space.
pub fn clean_cell(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let text: String = strip_controls(s, Keep::Nothing).nfc().collect();
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Reads the sheet of `bytes` (named `file`): the first row with a cell is the header.
pub fn read(file: &str, bytes: &[u8], mapping: &Mapping, limits: &ImportLimits) -> Result<Sheet, ImportError> {
    if bytes.len() as u64 > limits.max_bytes {
        return Err(ImportError::TooLarge { file: file.to_string(), size: bytes.len() as u64, limit: limits.max_bytes });
    }
    let (name, raw) = match Kind::of(file) {
        Some(Kind::Csv) => (None, read_csv(file, bytes, mapping, limits)?),
        Some(Kind::Xlsx) => {
            let (name, rows) = read_xlsx(file, bytes, mapping, limits)?;
            (Some(name), rows)
        }
        None => return Err(ImportError::NotASpreadsheet { file: file.to_string() }),
    };
    let mut rows = raw.into_iter().skip_while(|(_, cells)| cells.iter().all(String::is_empty));
    let Some((_, header)) = rows.next() else {
        return Err(ImportError::NoHeader { file: file.to_string(), sheet: name });
    };
    Ok(Sheet { name, header, rows: rows.collect() })
}

fn too_many(file: &str, sheet: Option<&str>, limits: &ImportLimits) -> ImportError {
    ImportError::TooManyRows { file: file.to_string(), sheet: sheet.map(str::to_string), limit: limits.max_rows }
}

fn read_csv(file: &str, bytes: &[u8], mapping: &Mapping, limits: &ImportLimits) -> Result<Vec<(usize, Vec<String>)>, ImportError> {
    let mut warnings = Vec::new();
    let text = chronicle_ingest::decode_text(bytes, &mut warnings).map_err(|e| ImportError::Unreadable { file: file.to_string(), sheet: None, message: e.to_string() })?;
    for w in warnings {
        tracing::info!("{file}: {w}");
    }
    let delimiter = mapping.delimiter.unwrap_or_else(|| sniff_delimiter(&text, file));
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter).from_reader(text.as_bytes());
    let (mut rows, mut cells) = (Vec::new(), 0usize);
    for record in reader.records() {
        let record = record.map_err(|e| ImportError::Csv { file: file.to_string(), line: e.position().map_or(0, |p| p.line() as usize), message: e.to_string() })?;
        if rows.len() > limits.max_rows {
            return Err(too_many(file, None, limits));
        }
        let line = record.position().map_or(rows.len() + 1, |p| p.line() as usize);
        // Up to the last filled cell: a line of a million commas is one empty row, not a million cells.
        let width = (0..record.len()).rev().find(|&i| !clean_cell(&record[i]).is_empty()).map_or(0, |i| i + 1);
        cells += width;
        if cells > limits.max_cells {
            return Err(ImportError::TooManyCells { file: file.to_string(), sheet: None, limit: limits.max_cells });
        }
        rows.push((line, record.iter().take(width).map(clean_cell).collect()));
    }
    Ok(rows)
}

/// `,`, `;` or a tab: whichever the first line has most of (a comma when none).
fn sniff_delimiter(text: &str, file: &str) -> u8 {
    if file.to_ascii_lowercase().ends_with(".tsv") {
        return b'\t';
    }
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let count = |c: char| first.matches(c).count();
    [(b',', count(',')), (b';', count(';')), (b'\t', count('\t'))].into_iter().max_by_key(|&(d, n)| (n, d == b',')).map_or(b',', |(d, _)| d)
}

fn read_xlsx(file: &str, bytes: &[u8], mapping: &Mapping, limits: &ImportLimits) -> Result<(String, Vec<(usize, Vec<String>)>), ImportError> {
    use calamine::{Data, Reader};
    check_expanded(file, bytes, limits)?;
    let unreadable = |sheet: Option<&str>, e: &dyn std::fmt::Display| ImportError::Unreadable { file: file.to_string(), sheet: sheet.map(str::to_string), message: e.to_string() };
    let mut book: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).map_err(|e| unreadable(None, &e))?;
    let names = book.sheet_names();
    let name = match &mapping.sheet {
        Some(want) => names.iter().find(|n| *n == want).or_else(|| names.iter().find(|n| n.to_lowercase() == want.to_lowercase())).cloned().ok_or_else(|| {
            ImportError::NoSheet { file: file.to_string(), sheet: want.clone(), sheets: names.join(", ") }
        })?,
        None => names.first().cloned().ok_or_else(|| ImportError::NoSheet { file: file.to_string(), sheet: String::new(), sheets: String::new() })?,
    };
    // Cell by cell, never the whole rectangle: two cells far apart make a
    // rectangle of billions. Only filled cells are kept, and they are counted.
    let mut reader = book.worksheet_cells_reader(&name).map_err(|e| unreadable(Some(&name), &e))?;
    let mut filled: std::collections::BTreeMap<u32, Vec<(u32, String)>> = std::collections::BTreeMap::new();
    let mut cells = 0usize;
    while let Some(cell) = reader.next_cell().map_err(|e| unreadable(Some(&name), &e))? {
        let (r, c) = cell.get_position();
        let text = clean_cell(&cell_text(&Data::from(cell.get_value().clone())));
        if text.is_empty() {
            continue;
        }
        cells += 1 + c as usize;
        if cells > limits.max_cells {
            return Err(ImportError::TooManyCells { file: file.to_string(), sheet: Some(name.clone()), limit: limits.max_cells });
        }
        filled.entry(r).or_default().push((c, text));
    }
    drop(reader);
    let (Some(&first), Some(&last)) = (filled.keys().next(), filled.keys().next_back()) else {
        return Ok((name, Vec::new()));
    };
    if (last - first) as usize > limits.max_rows {
        return Err(too_many(file, Some(&name), limits));
    }
    // Rows from the first filled to the last, those between empty; each as wide as its last filled cell.
    let mut rows = Vec::with_capacity((last - first) as usize + 1);
    for r in first..=last {
        let mut row = Vec::new();
        for (c, text) in filled.remove(&r).unwrap_or_default() {
            let c = c as usize;
            if row.len() <= c {
                row.resize(c + 1, String::new());
            }
            row[c] = text;
        }
        rows.push((r as usize + 1, row));
    }
    fn cell_text(c: &Data) -> String {
        match c {
            Data::Empty => String::new(),
            Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
            Data::Int(i) => i.to_string(),
            Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
            Data::Float(f) => f.to_string(),
            Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
            Data::DateTime(d) if d.is_datetime() => {
                let (y, m, day, h, min, s, _) = d.to_ymd_hms_milli();
                if (h, min, s) == (0, 0, 0) {
                    format!("{y:04}-{m:02}-{day:02}")
                } else {
                    format!("{y:04}-{m:02}-{day:02} {h:02}:{min:02}")
                }
            }
            Data::DateTime(d) => d.as_f64().to_string(),
            Data::Error(e) => format!("#{e:?}"),
        }
    }
    Ok((name, rows))
}

/// Refuses a workbook whose parts say they unpack to more than the limit
/// (an .xlsx is a zip archive; a small one may unpack to gigabytes).
fn check_expanded(file: &str, bytes: &[u8], limits: &ImportLimits) -> Result<(), ImportError> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| ImportError::Unreadable { file: file.to_string(), sheet: None, message: e.to_string() })?;
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        let entry = archive.by_index_raw(i).map_err(|e| ImportError::Unreadable { file: file.to_string(), sheet: None, message: e.to_string() })?;
        total = total.saturating_add(entry.size());
    }
    if total > limits.max_expanded_bytes {
        return Err(ImportError::TooLarge { file: file.to_string(), size: total, limit: limits.max_expanded_bytes });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_one_line_of_clean_text() {
        assert_eq!(clean_cell("  Bakhtiyor \n Khamroyev\t"), "Bakhtiyor Khamroyev");
        assert_eq!(clean_cell("a\u{1b}[31mb"), "ab");
        // Бахтиёр with ё as е and a combining diaeresis is the same name.
        assert_eq!(clean_cell("Бахтие\u{308}р"), "Бахтиёр");
    }

    #[test]
    fn the_delimiter_is_the_headers() {
        assert_eq!(sniff_delimiter("Name;Event;Date\n", "x.csv"), b';');
        assert_eq!(sniff_delimiter("Name,Event,Date\n", "x.csv"), b',');
        assert_eq!(sniff_delimiter("Name\tEvent\n", "x.csv"), b'\t');
        assert_eq!(sniff_delimiter("Name\n", "x.csv"), b',');
    }
}
