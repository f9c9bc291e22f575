//! A folder's list of its reports: `sources.tsv`, the spreadsheet monitors
//! keep beside the files they collect, one row a report, with a header
//! naming the columns (in any order):
//!
//! - `name`: the report's file name, with or without its extension (required);
//! - `published`: when it was published (`2023-05-24`, `2023-05` or `2023`);
//! - `language`: its language (two letters);
//! - `outlet` (or `publisher`): who published it.
//!
//! Other columns (a `url`, notes) are the monitor's own and are left alone.
//!
//! What the list says of a report is taken over what its text seems to say:
//! a report that prints no date of its own still gets one, and the dates it
//! gives without a year ("27 февраля") are read in the right year.

use crate::Language;
use chronicle_model::PartialDate;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The list's file name in a folder of reports.
pub const SOURCES_FILE: &str = "sources.tsv";

/// What a folder's list says of one report.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceFacts {
    pub published: Option<PartialDate>,
    pub language: Option<Language>,
    pub publisher: Option<String>,
}

/// The lists read so far, by the path of each report they name.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    by_path: HashMap<PathBuf, SourceFacts>,
}

#[derive(Debug, thiserror::Error)]
pub enum SourcesError {
    #[error("{path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("{path}: the first line names no 'name' column (the report's file name)")]
    NoNameColumn { path: PathBuf },
    #[error("{path}, line {line}: {what}")]
    BadRow { path: PathBuf, line: usize, what: String },
}

/// A list is a small file; anything larger is not one.
const MAX_SOURCES_BYTES: u64 = 16 * 1024 * 1024;

impl Sources {
    /// Reads `dir/sources.tsv` into the lists, if the folder has one.
    pub fn read_dir(&mut self, dir: &Path) -> Result<bool, SourcesError> {
        let path = dir.join(SOURCES_FILE);
        let read = |e| SourcesError::Read { path: path.clone(), source: e };
        let meta = match std::fs::metadata(&path) {
            Ok(m) if m.is_file() => m,
            Ok(_) => return Ok(false),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(false),
            Err(e) => return Err(read(e)),
        };
        if meta.len() > MAX_SOURCES_BYTES {
            return Err(SourcesError::BadRow { path, line: 0, what: format!("over {} MB: not a list of reports", MAX_SOURCES_BYTES >> 20) });
        }
        let text = std::fs::read_to_string(&path).map_err(read)?;
        self.add_list(dir, &path, &text)?;
        Ok(true)
    }

    /// Adds the rows of a list (`text`, read from `path`) for the reports in `dir`.
    pub fn add_list(&mut self, dir: &Path, path: &Path, text: &str) -> Result<(), SourcesError> {
        let mut lines = text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty());
        let Some((_, header)) = lines.next() else { return Ok(()) };
        let columns: Vec<String> = header.split('\t').map(|c| c.trim().to_lowercase()).collect();
        let col = |names: &[&str]| columns.iter().position(|c| names.contains(&c.as_str()));
        let name = col(&["name", "file"]).ok_or_else(|| SourcesError::NoNameColumn { path: path.to_path_buf() })?;
        let (published, language, publisher) = (col(&["published", "date"]), col(&["language"]), col(&["outlet", "publisher"]));
        for (n, line) in lines {
            let cells: Vec<&str> = line.split('\t').map(str::trim).collect();
            let cell = |i: Option<usize>| i.and_then(|i| cells.get(i)).copied().filter(|c| !c.is_empty());
            let bad = |what: String| SourcesError::BadRow { path: path.to_path_buf(), line: n + 1, what };
            let Some(file) = cell(Some(name)) else { return Err(bad("no file name".into())) };
            let facts = SourceFacts {
                published: cell(published).map(|d| d.parse().map_err(|_| bad(format!("{d:?} is not a date (2023-05-24, 2023-05 or 2023)")))).transpose()?,
                language: cell(language).map(|l| l.parse().map_err(|e: crate::BadLanguage| bad(e.to_string()))).transpose()?,
                publisher: cell(publisher).map(str::to_string),
            };
            self.by_path.insert(dir.join(file), facts);
        }
        Ok(())
    }

    /// What the lists say of the report at `path` (named with or without its extension).
    pub fn facts(&self, path: &Path) -> Option<&SourceFacts> {
        self.by_path.get(path).or_else(|| self.by_path.get(&path.with_extension("")))
    }

    pub fn is_empty(&self) -> bool {
        self.by_path.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIST: &str = "name\turl\toutlet\tpublished\tlanguage\nbulletin-1\thttps://example.org/1\tПравозащитный бюллетень\t2006\tru\nnews-2.txt\t\t\t2020-09-02\t\n";

    #[test]
    fn a_list_gives_each_report_its_date_language_and_outlet() {
        let mut s = Sources::default();
        s.add_list(Path::new("/reports"), Path::new("/reports/sources.tsv"), LIST).unwrap();
        let one = s.facts(Path::new("/reports/bulletin-1.txt")).expect("named without its extension");
        assert_eq!(one.published, Some(PartialDate::year(2006)));
        assert_eq!(one.language.as_ref().map(|l| l.code()), Some("ru"));
        assert_eq!(one.publisher.as_deref(), Some("Правозащитный бюллетень"));
        let two = s.facts(Path::new("/reports/news-2.txt")).expect("named with it");
        assert_eq!(two.published, PartialDate::day(2020, 9, 2));
        assert_eq!((two.language.clone(), two.publisher.clone()), (None, None));
        assert!(s.facts(Path::new("/elsewhere/news-2.txt")).is_none());
    }

    #[test]
    fn a_bad_list_is_refused_with_the_file_and_line() {
        let mut s = Sources::default();
        let e = s.add_list(Path::new("/r"), Path::new("/r/sources.tsv"), "url\tpublished\nx\t2020\n").unwrap_err();
        assert_eq!(e.to_string(), "/r/sources.tsv: the first line names no 'name' column (the report's file name)");
        let e = s.add_list(Path::new("/r"), Path::new("/r/sources.tsv"), "name\tpublished\na.txt\tlast spring\n").unwrap_err();
        assert_eq!(e.to_string(), "/r/sources.tsv, line 2: \"last spring\" is not a date (2023-05-24, 2023-05 or 2023)");
    }
}
