//! The mapping file (TOML): which column of a spreadsheet says what, the
//! sheet's own event words as Chronicle's event types, how its dates are written.

use chronicle_model::{Country, EventType};
use serde::Deserialize;
use std::collections::BTreeMap;

/// A mapping file as written (see docs/import.md).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct MappingFile {
    sheet: Option<String>,
    publisher: Option<String>,
    delimiter: Option<String>,
    date_order: Option<DateOrder>,
    #[serde(default)]
    bad_date: BadDate,
    #[serde(default)]
    unknown_event: UnknownEvent,
    columns: Columns,
    #[serde(default)]
    events: BTreeMap<String, String>,
    #[serde(default)]
    countries: BTreeMap<String, String>,
}

/// Which column (by its header) holds what. Only the victim is required.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Columns {
    pub victim: String,
    pub event: Option<String>,
    pub date: Option<String>,
    pub place: Option<String>,
    pub country: Option<String>,
    pub perpetrator: Option<String>,
    pub source: Option<String>,
    pub notes: Option<String>,
}

/// How a date written in figures only (`05/06/2024`) is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DateOrder {
    DayFirst,
    MonthFirst,
}

/// What becomes of a row whose date cannot be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum BadDate {
    /// Imported, its event without a date (the default).
    #[default]
    Undated,
    /// Not imported.
    Refuse,
}

/// What becomes of a row whose event word the mapping does not know.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum UnknownEvent {
    /// Not imported (the default): add the word to `[events]` and import again.
    #[default]
    Refuse,
    /// Imported without an event (the person and the row's text are kept).
    NoEvent,
}

/// A checked mapping.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mapping {
    /// The sheet of an .xlsx workbook (default: the first).
    pub sheet: Option<String>,
    /// Who keeps the sheet: every row's document's publisher (a list of its own for `chronicle estimate`).
    pub publisher: Option<String>,
    /// A CSV file's delimiter (default: `,`, `;` or a tab, whichever the header has most of).
    pub delimiter: Option<u8>,
    pub date_order: Option<DateOrder>,
    pub bad_date: BadDate,
    pub unknown_event: UnknownEvent,
    pub columns: Columns,
    /// The sheet's event words, folded (see [`fold`]), to event types.
    pub events: BTreeMap<String, EventType>,
    /// The sheet's country names, folded, to codes.
    pub countries: BTreeMap<String, Country>,
}

/// A mapping file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum MappingError {
    #[error("mapping {file}: {message}")]
    Toml { file: String, message: String },
    #[error("mapping {file}: [events] {word:?} = {value:?}: not a Chronicle event type ({types})")]
    EventType { file: String, word: String, value: String, types: String },
    #[error("mapping {file}: [countries] {name:?} = {value:?}: not a two-letter country code")]
    Country { file: String, name: String, value: String },
    #[error("mapping {file}: delimiter {value:?}: one ASCII character (\",\", \";\" or \"\\t\")")]
    Delimiter { file: String, value: String },
    #[error("mapping {file}: the column {key} is named by an empty header")]
    EmptyColumn { file: String, key: &'static str },
}

/// Case, spacing and trailing dots of a sheet's word folded away, for lookups.
pub fn fold(word: &str) -> String {
    word.split_whitespace().collect::<Vec<_>>().join(" ").trim_end_matches('.').to_lowercase()
}

impl Mapping {
    /// Reads a mapping file's text; `file` names it in errors.
    pub fn parse(file: &str, text: &str) -> Result<Mapping, MappingError> {
        let m: MappingFile = toml::from_str(text).map_err(|e| MappingError::Toml { file: file.to_string(), message: e.to_string().trim_end().to_string() })?;
        let mut events = BTreeMap::new();
        for (word, value) in &m.events {
            let kind = value.trim().parse::<EventType>().map_err(|_| MappingError::EventType {
                file: file.to_string(),
                word: word.clone(),
                value: value.clone(),
                types: EventType::ALL.iter().map(|t| t.as_str()).collect::<Vec<_>>().join(", "),
            })?;
            events.insert(fold(word), kind);
        }
        let mut countries = BTreeMap::new();
        for (name, value) in &m.countries {
            let code = value.trim().parse::<Country>().map_err(|_| MappingError::Country { file: file.to_string(), name: name.clone(), value: value.clone() })?;
            countries.insert(fold(name), code);
        }
        let delimiter = match m.delimiter.as_deref() {
            None => None,
            Some(d) if d.len() == 1 && d.is_ascii() => Some(d.as_bytes()[0]),
            Some(d) => return Err(MappingError::Delimiter { file: file.to_string(), value: d.to_string() }),
        };
        let c = &m.columns;
        let named = [("victim", Some(&c.victim)), ("event", c.event.as_ref()), ("date", c.date.as_ref()), ("place", c.place.as_ref()),
            ("country", c.country.as_ref()), ("perpetrator", c.perpetrator.as_ref()), ("source", c.source.as_ref()), ("notes", c.notes.as_ref())];
        for (key, header) in named {
            if header.is_some_and(|h| h.trim().is_empty()) {
                return Err(MappingError::EmptyColumn { file: file.to_string(), key });
            }
        }
        let publisher = m.publisher.map(|p| p.split_whitespace().collect::<Vec<_>>().join(" ")).filter(|p| !p.is_empty());
        Ok(Mapping { sheet: m.sheet, publisher, delimiter, date_order: m.date_order, bad_date: m.bad_date, unknown_event: m.unknown_event, columns: m.columns, events, countries })
    }

    /// The event type a sheet's word stands for: the `[events]` table's, or
    /// Chronicle's own name of a type ("arrest").
    pub fn event_type(&self, word: &str) -> Option<EventType> {
        let w = fold(word);
        self.events.get(&w).copied().or_else(|| w.parse().ok())
    }

    /// The country a sheet's value names: the `[countries]` table's, or a two-letter code.
    pub fn country(&self, value: &str) -> Option<Country> {
        let v = fold(value);
        self.countries.get(&v).copied().or_else(|| v.parse().ok())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXAMPLE: &str = r#"
date_order = "day-first"
publisher = "  Case  desk "
[columns]
victim = "Name"
event = "Event"
date = "Date"
[events]
"Задержан" = "arrest"
"Sentenced to prison" = "sentence"
[countries]
"Узбекистан" = "UZ"
"#;

    #[test]
    fn reads_words_types_and_countries() {
        let m = Mapping::parse("m.toml", EXAMPLE).unwrap();
        assert_eq!(m.event_type("задержан"), Some(EventType::Arrest));
        assert_eq!(m.event_type(" sentenced  to prison. "), Some(EventType::Sentence));
        assert_eq!(m.event_type("Arrest"), Some(EventType::Arrest));
        assert_eq!(m.event_type("побит"), None);
        assert_eq!(m.country("УЗБЕКИСТАН").unwrap().as_str(), "UZ");
        assert_eq!(m.country("kz").unwrap().as_str(), "KZ");
        assert_eq!(m.date_order, Some(DateOrder::DayFirst));
        assert_eq!(m.bad_date, BadDate::Undated);
        assert_eq!(m.unknown_event, UnknownEvent::Refuse);
        assert_eq!(m.publisher.as_deref(), Some("Case desk"));
    }

    #[test]
    fn refuses_what_it_cannot_use_naming_the_file() {
        let bad = EXAMPLE.replace("\"arrest\"", "\"detention\"");
        let e = Mapping::parse("m.toml", &bad).unwrap_err().to_string();
        assert!(e.contains("m.toml") && e.contains("detention") && e.contains("arrest, abduction"), "{e}");
        let e = Mapping::parse("m.toml", "[columns]\nevent = \"E\"\n").unwrap_err().to_string();
        assert!(e.contains("m.toml") && e.contains("victim"), "{e}");
        let e = Mapping::parse("m.toml", "[columns]\nvictim = \"V\"\nvictum = \"W\"\n").unwrap_err().to_string();
        assert!(e.contains("victum"), "{e}");
    }
}
