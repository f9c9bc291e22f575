//! One row to one document: its canonical rendering (the bytes), the
//! document, and the extraction built from the mapped columns; or why not.

use super::mapping::{BadDate, DateOrder, Mapping, UnknownEvent};
use super::Problem;
use chronicle_ingest::sha256_hex;
use chronicle_model::{month_from_name, Document, EntityRef, ExtractedEvent, ExtractedOrg, ExtractedPerson, Extraction, Mention, PartialDate, Place, Reading, Source, Span};

/// Where each mapped column is in the sheet (index into a row's cells).
#[derive(Debug, Clone, Default)]
pub struct Positions {
    pub victim: usize,
    pub event: Option<usize>,
    pub date: Option<usize>,
    pub place: Option<usize>,
    pub country: Option<usize>,
    pub perpetrator: Option<usize>,
    pub source: Option<usize>,
    pub notes: Option<usize>,
}

impl Positions {
    /// The row's mapped cells, in the rendering's order ("" where empty or missing).
    pub fn mapped<'a>(&self, cells: &'a [String]) -> Vec<&'a str> {
        let cell = |i: Option<usize>| i.and_then(|i| cells.get(i)).map_or("", String::as_str);
        [Some(self.victim), self.event, self.date, self.place, self.country, self.perpetrator, self.source, self.notes].into_iter().map(cell).collect()
    }
}

/// A row made into a document, ready for the store.
#[derive(Debug, Clone)]
pub struct RowDocument {
    /// The canonical rendering's bytes (what the store keeps as the original, and hashes).
    pub bytes: Vec<u8>,
    pub document: Document,
    pub extraction: Extraction,
}

/// What a row becomes.
#[derive(Debug, Clone)]
pub enum Made {
    Empty,
    Refused,
    Document(Box<RowDocument>),
}

/// A row to its document; `problems` gets what is ambiguous in it.
pub fn make(file: &str, row: usize, cells: &[String], at: &Positions, mapping: &Mapping, problems: &mut Vec<Problem>) -> Made {
    let cell = |i: Option<usize>| i.and_then(|i| cells.get(i)).map(String::as_str).filter(|s| !s.is_empty());
    if cells.iter().all(String::is_empty) {
        return Made::Empty;
    }
    let c = &mapping.columns;
    let victims: Vec<&str> = split_list(cell(Some(at.victim)).unwrap_or(""));
    let mut refused = false;
    if victims.is_empty() {
        problems.push(Problem::NoVictim { column: c.victim.clone() });
        refused = true;
    }
    let word = cell(at.event);
    let kind = match (&c.event, word) {
        (None, _) => None,
        (Some(column), None) => {
            problems.push(Problem::NoEvent { column: column.clone(), imported: mapping.unknown_event == UnknownEvent::NoEvent });
            refused |= mapping.unknown_event == UnknownEvent::Refuse;
            None
        }
        (Some(column), Some(w)) => match mapping.event_type(w) {
            Some(k) => Some(k),
            None => {
                problems.push(Problem::UnknownEvent { column: column.clone(), word: w.to_string(), imported: mapping.unknown_event == UnknownEvent::NoEvent });
                refused |= mapping.unknown_event == UnknownEvent::Refuse;
                None
            }
        },
    };
    let date_text = cell(at.date);
    let date = match (date_text, &c.date) {
        (Some(d), Some(column)) => match parse_date(d, mapping.date_order) {
            Ok(date) => Some(date),
            Err(why) => {
                problems.push(Problem::BadDate { column: column.clone(), value: d.to_string(), why, imported: mapping.bad_date == BadDate::Undated });
                refused |= mapping.bad_date == BadDate::Refuse;
                None
            }
        },
        _ => None,
    };
    let country_text = cell(at.country);
    let country = match (country_text, &c.country) {
        (Some(v), Some(column)) => {
            let country = mapping.country(v);
            if country.is_none() {
                problems.push(Problem::BadCountry { column: column.clone(), value: v.to_string() });
            }
            country
        }
        _ => None,
    };
    if refused {
        // What refuses it is what matters: "imported without a date" would not be true.
        problems.retain(Problem::refuses);
        return Made::Refused;
    }
    let place = cell(at.place);
    let perpetrators = split_list(cell(at.perpetrator).unwrap_or(""));
    let source = cell(at.source);
    let notes = cell(at.notes);

    // The canonical rendering: the mapped fields in a fixed order, one a line.
    let mut text = Rendering::default();
    let victim_spans = text.list("Victim", &victims);
    if let Some(w) = word {
        text.line("Event", w);
    }
    if let Some(d) = date_text {
        text.line("Date", d);
    }
    let place_span = place.map(|p| text.line("Place", p));
    if let Some(v) = country_text {
        text.line("Country", v);
    }
    let perpetrator_spans = text.list("Perpetrator", &perpetrators);
    let event_end = text.chars;
    if let Some(s) = source {
        text.line("Source", s);
    }
    if let Some(n) = notes {
        text.line("Notes", n);
    }
    let rendered = text.s;
    let bytes = rendered.clone().into_bytes();
    let sha256 = sha256_hex(&bytes);

    let persons = victims
        .iter()
        .zip(&victim_spans)
        .map(|(name, span)| ExtractedPerson { name: name.to_string(), mentions: vec![Mention { text: name.to_string(), span: *span }], ..Default::default() })
        .collect::<Vec<_>>();
    let orgs = perpetrators
        .iter()
        .zip(&perpetrator_spans)
        .map(|(name, span)| ExtractedOrg { key: chronicle_extract::slug(name), name: name.to_string(), mentions: vec![Mention { text: name.to_string(), span: *span }], category: None, country })
        .collect::<Vec<_>>();
    let places = place.zip(place_span).map(|(p, span)| Place { name: p.to_string(), country, span }).into_iter().collect();
    let quote_end = rendered.char_indices().nth(event_end.saturating_sub(1)).map_or(rendered.len(), |(i, _)| i); // without the last line break
    let events = kind
        .map(|kind| ExtractedEvent {
            kind,
            date,
            place: place.map(str::to_string),
            country,
            to_country: None,
            victims: (0..persons.len()).map(EntityRef::Person).collect(),
            perpetrators: (0..orgs.len()).map(EntityRef::Org).collect(),
            term_years: None,
            regime: None,
            charges: Vec::new(),
            confidence: 1.0,
            sources: vec![Source { span: Span::new(0, event_end.saturating_sub(1)), quote: rendered[..quote_end].to_string() }],
        })
        .into_iter()
        .collect();
    let extraction = Extraction { persons, orgs, places, events, warnings: Vec::new() };

    let what = kind.map(|k| k.as_str().to_string()).or(word.map(str::to_string));
    let title = match (what, date) {
        (Some(w), Some(d)) => format!("{}: {w}, {d}", victims.join("; ")),
        (Some(w), None) => format!("{}: {w}", victims.join("; ")),
        (None, _) => victims.join("; "),
    };
    let document = Document {
        id: Document::id_for_sha256(&sha256),
        source: source.map_or_else(|| format!("{file}#row-{row}"), str::to_string),
        sha256,
        title: Some(title),
        published: None,
        language: None,
        publisher: mapping.publisher.clone(),
        text: rendered,
        reading: Reading::Native,
        attached_to: None,
    };
    Made::Document(Box::new(RowDocument { bytes, document, extraction }))
}

/// Several names in one cell, `;` between them.
fn split_list(cell: &str) -> Vec<&str> {
    cell.split(';').map(str::trim).filter(|s| !s.is_empty()).collect()
}

/// Text with its length in characters (every offset in Chronicle is in characters).
#[derive(Default)]
struct Rendering {
    s: String,
    chars: usize,
}

impl Rendering {
    fn push(&mut self, s: &str) -> Span {
        let start = self.chars;
        self.s.push_str(s);
        self.chars += s.chars().count();
        Span::new(start, self.chars)
    }

    /// `Label: value` and a line break; the value's span.
    fn line(&mut self, label: &str, value: &str) -> Span {
        self.push(label);
        self.push(": ");
        let span = self.push(value);
        self.push("\n");
        span
    }

    /// `Label: a; b` and a line break (nothing when the list is empty); each item's span.
    fn list(&mut self, label: &str, items: &[&str]) -> Vec<Span> {
        if items.is_empty() {
            return Vec::new();
        }
        self.push(label);
        self.push(": ");
        let mut spans = Vec::new();
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                self.push("; ");
            }
            spans.push(self.push(item));
        }
        self.push("\n");
        spans
    }
}

/// A month's name in English or Russian (any case of the Russian: "мая", "май").
fn month_word(word: &str) -> Option<u8> {
    let w = word.trim_end_matches('.').to_lowercase();
    if let Some(m) = month_from_name(&w) {
        return Some(m);
    }
    if w == "май" || w == "мая" {
        return Some(5);
    }
    const RU: [&str; 12] = ["янв", "фев", "мар", "апр", "", "июн", "июл", "авг", "сен", "окт", "ноя", "дек"];
    let ok = w.chars().count() >= 3 && w.chars().all(char::is_alphabetic);
    RU.iter().position(|p| ok && !p.is_empty() && w.starts_with(p)).map(|i| i as u8 + 1)
}

fn year_of(s: &str) -> Option<i32> {
    (s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse().ok()).flatten().filter(|y| (1900..=2100).contains(y))
}

/// A sheet's date: ISO (`2024-05-12`, `2024-05`, `2024`), figures
/// (`12.05.2024`, `12/05/2024`: day or month first by `order`, or where only
/// one reading is a date), or words (`12 May 2024`, `May 12, 2024`,
/// `12 мая 2024 г.`, `May 2024`). Otherwise why not.
pub fn parse_date(s: &str, order: Option<DateOrder>) -> Result<PartialDate, String> {
    let s = s.trim();
    // A spreadsheet's date and time: the date.
    let s = match s.split_once(' ') {
        Some((d, t)) if d.len() == 10 && t.contains(':') => d,
        _ => s,
    };
    let no_such = || format!("no such date: {s:?}");
    if s.len() >= 4 && s.as_bytes()[..4].iter().all(u8::is_ascii_digit) && s.split('-').count() <= 3 && !s.contains(['.', '/']) {
        if let Ok(d) = s.parse::<PartialDate>() {
            return Ok(d);
        }
    }
    let figures: Vec<&str> = s.split(['.', '/', '-']).collect();
    if figures.len() >= 2 && figures.iter().all(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit())) {
        let n = |f: &str| f.parse::<u32>().unwrap_or(0);
        return match figures.as_slice() {
            [y, m, d] if y.len() == 4 => PartialDate::day(year_of(y).ok_or_else(no_such)?, n(m) as u8, n(d) as u8).ok_or_else(no_such),
            [m, y] if y.len() == 4 && m.len() <= 2 => PartialDate::month(year_of(y).ok_or_else(no_such)?, n(m) as u8).ok_or_else(no_such),
            [y, m] if y.len() == 4 && m.len() <= 2 => PartialDate::month(year_of(y).ok_or_else(no_such)?, n(m) as u8).ok_or_else(no_such),
            [a, b, y] if a.len() <= 2 && b.len() <= 2 => {
                let Some(year) = year_of(y) else {
                    return Err(if y.len() == 2 { format!("a two-digit year: {s:?}") } else { no_such() });
                };
                let (a, b) = (n(a) as u8, n(b) as u8);
                let day_first = PartialDate::day(year, b, a);
                let month_first = PartialDate::day(year, a, b);
                match order {
                    Some(DateOrder::DayFirst) => day_first.ok_or_else(no_such),
                    Some(DateOrder::MonthFirst) => month_first.ok_or_else(no_such),
                    None => match (day_first, month_first) {
                        (Some(d), None) | (None, Some(d)) => Ok(d),
                        (Some(d), Some(m)) if d == m => Ok(d),
                        (Some(_), Some(_)) => Err(format!("day or month first? {s:?} (date_order in the mapping)")),
                        (None, None) => Err(no_such()),
                    },
                }
            }
            _ => Err(format!("not a date: {s:?}")),
        };
    }
    // Words: a month's name, a year, perhaps a day.
    let words: Vec<&str> = s.split(|c: char| c.is_whitespace() || c == ',').filter(|w| !w.is_empty()).collect();
    let (mut day, mut month, mut year) = (None, None, None);
    for w in &words {
        let bare = w.trim_end_matches('.');
        if let Some(y) = year_of(bare) {
            year = year.or(Some(y));
        } else if let Some(m) = month_word(bare) {
            month = month.or(Some(m));
        } else if let Some(d) = bare.trim_end_matches(|c: char| c.is_ascii_alphabetic()).parse::<u8>().ok().filter(|d| (1..=31).contains(d)) {
            // "12", "12th"
            day = day.or(Some(d));
        } else if !matches!(bare.to_lowercase().as_str(), "г" | "года" | "год" | "of" | "the") {
            return Err(format!("not a date: {s:?}"));
        }
    }
    match (day, month, year) {
        (Some(d), Some(m), Some(y)) => PartialDate::day(y, m, d).ok_or_else(no_such),
        (None, Some(m), Some(y)) => PartialDate::month(y, m).ok_or_else(no_such),
        _ => Err(format!("not a date: {s:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str, order: Option<DateOrder>) -> String {
        parse_date(s, order).map_or_else(|e| format!("error: {e}"), |d| d.to_string())
    }

    #[test]
    fn reads_the_dates_sheets_hold() {
        let day = Some(DateOrder::DayFirst);
        assert_eq!(d("2024-05-12", None), "2024-05-12");
        assert_eq!(d("2024-05", None), "2024-05");
        assert_eq!(d("2024", None), "2024");
        assert_eq!(d("2024-05-12 00:00", None), "2024-05-12");
        assert_eq!(d("12.05.2024", day), "2024-05-12");
        assert_eq!(d("05/12/2024", Some(DateOrder::MonthFirst)), "2024-05-12");
        assert_eq!(d("25/12/2024", None), "2024-12-25");
        assert_eq!(d("05.2024", None), "2024-05");
        assert_eq!(d("12 May 2024", None), "2024-05-12");
        assert_eq!(d("May 12, 2024", None), "2024-05-12");
        assert_eq!(d("May 2024", None), "2024-05");
        assert_eq!(d("12 мая 2024 г.", None), "2024-05-12");
        assert_eq!(d("Сентябрь 2023", None), "2023-09");
    }

    #[test]
    fn says_why_a_date_is_not_one() {
        assert!(d("05/06/2024", None).contains("day or month first"));
        assert!(d("31.02.2024", Some(DateOrder::DayFirst)).contains("no such date"));
        assert!(d("12.05.24", Some(DateOrder::DayFirst)).contains("two-digit year"));
        assert!(d("весной", None).contains("not a date"));
        assert!(d("unknown", None).contains("not a date"));
        assert!(d("2024-13-01", None).starts_with("error"));
    }
}
