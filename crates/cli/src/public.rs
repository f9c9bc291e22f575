//! Public exports: what leaves the organisation. Restricted records are left
//! out by the store (the export reads as nobody in particular); on top of
//! that a redaction policy withholds configured fields.
//!
//! A policy file has one item per line (`#` starts a comment):
//!
//! | item | withholds |
//! |---|---|
//! | `relatives` | persons reports name only as someone's relative ("his brother …") and who suffered no event themselves: left out, their names masked in every quote |
//! | `person.age`, `person.birth_year`, `person.nationality`, `person.occupation`, `person.status` | that attribute of every person |
//! | `person.mentions` | where in which report each person is named |
//! | `event.place` | the place of every event (the country stays) |
//! | `event.quotes` | the quoted passages (the document and offsets stay) |
//! | `document.source` | where a report was read from (a path or an address) |
//! | `document.publisher` | who published it |
//!
//! Without a policy file, `relatives` applies.

use crate::export::Record;
use anyhow::{bail, Context, Result};
use chronicle_store::redact;
use std::collections::{HashMap, HashSet};
use std::path::Path;

/// The fields a public export withholds.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Policy {
    items: HashSet<&'static str>,
}

const ITEMS: &[&str] = &[
    "relatives",
    "person.age",
    "person.birth_year",
    "person.nationality",
    "person.occupation",
    "person.status",
    "person.mentions",
    "event.place",
    "event.quotes",
    "document.source",
    "document.publisher",
];

impl Policy {
    /// What applies when no policy file is given.
    pub fn default_public() -> Policy {
        Policy { items: HashSet::from(["relatives"]) }
    }

    pub fn parse(text: &str, origin: &str) -> Result<Policy> {
        let mut items = HashSet::new();
        for (n, line) in text.lines().enumerate() {
            let item = line.split('#').next().unwrap_or("").trim();
            if item.is_empty() {
                continue;
            }
            match ITEMS.iter().find(|i| **i == item) {
                Some(i) => {
                    items.insert(*i);
                }
                None => bail!("{origin}:{}: {item:?} is not a redaction (one of: {})", n + 1, ITEMS.join(", ")),
            }
        }
        Ok(Policy { items })
    }

    pub fn read(path: &Path) -> Result<Policy> {
        let text = std::fs::read_to_string(path).with_context(|| format!("reading redaction policy {}", path.display()))?;
        Policy::parse(&text, &path.display().to_string())
    }

    fn has(&self, item: &str) -> bool {
        self.items.contains(item)
    }

    /// Withholds the policy's fields from `record`.
    pub fn apply(&self, record: &mut Record) {
        if self.has("relatives") {
            withhold_relatives(record);
        }
        for p in &mut record.persons {
            if self.has("person.age") {
                p.age = None;
            }
            if self.has("person.birth_year") {
                p.birth_year = None;
            }
            if self.has("person.nationality") {
                p.nationality.clear();
            }
            if self.has("person.occupation") {
                p.occupation.clear();
            }
            if self.has("person.status") {
                p.status = None;
            }
            if self.has("person.mentions") {
                p.mentions.clear();
            }
        }
        for e in &mut record.events {
            if self.has("event.place") {
                e.place = None;
            }
            if self.has("event.quotes") {
                for s in &mut e.sources {
                    s.quote.clear();
                }
            }
        }
        for d in &mut record.documents {
            if self.has("document.source") {
                d.document.source = d.document.id.clone();
            }
            if self.has("document.publisher") {
                d.document.publisher = None;
            }
        }
    }
}

/// Leaves out persons named only as someone's relative who suffered nothing
/// themselves, masks their names in quotes, and drops them from events.
fn withhold_relatives(record: &mut Record) {
    let victims: HashSet<&str> = record.events.iter().flat_map(|e| e.victims.iter().map(String::as_str)).collect();
    let relatives: HashSet<String> =
        record.persons.iter().filter(|p| !p.relations.is_empty() && !victims.contains(p.id.as_str())).map(|p| p.id.clone()).collect();
    if relatives.is_empty() {
        return;
    }
    let mut spans: HashMap<String, Vec<(usize, usize)>> = HashMap::new();
    for p in record.persons.iter().filter(|p| relatives.contains(&p.id)) {
        for m in &p.mentions {
            spans.entry(m.document.clone()).or_default().push((m.start, m.end));
        }
    }
    record.persons.retain(|p| !relatives.contains(&p.id));
    for e in &mut record.events {
        e.perpetrators.retain(|id| !relatives.contains(id));
        for s in &mut e.sources {
            if let Some(sp) = spans.get(&s.document) {
                s.quote = redact(&s.quote, s.start, sp);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chronicle_model::{EventType, Review};
    use chronicle_store::{EventRecord, MentionRecord, PersonRecord, SourceRecord};

    fn person(id: &str, name: &str, start: usize, relations: &[&str]) -> PersonRecord {
        PersonRecord {
            id: id.into(),
            name: name.into(),
            names: vec![name.into()],
            mentions: vec![MentionRecord { document: "doc-1".into(), text: name.into(), start, end: start + name.chars().count() }],
            age: Some(40),
            birth_year: None,
            nationality: vec![],
            occupation: vec![],
            status: None,
            relations: relations.iter().map(|r| r.to_string()).collect(),
            links: vec![],
        }
    }

    #[test]
    fn relatives_who_suffered_nothing_are_withheld_and_masked_in_quotes() {
        // "Ilhom Karimov was detained. His wife Zarina Karimova and his brother Aziz Karimov were searched."
        //  0                          28            42                          70
        let quote = "His wife Zarina Karimova and his brother Aziz Karimov were searched.";
        let mut record = Record {
            documents: vec![],
            persons: vec![person("person-1", "Ilhom Karimov", 0, &[]), person("person-2", "Zarina Karimova", 37, &["wife"]), person("person-3", "Aziz Karimov", 69, &["brother"])],
            organizations: vec![],
            events: vec![EventRecord {
                id: "doc-1-e1".into(),
                kind: EventType::Search,
                date: None,
                place: None,
                country: None,
                to_country: None,
                // The brother's home was searched: he suffered an event and stays.
                victims: vec!["person-3".into()],
                perpetrators: vec![],
                term_years: None,
                regime: None,
                charges: vec![],
                confidence: None,
                review: Review::Machine,
                sources: vec![SourceRecord { document: "doc-1".into(), start: 28, end: 28 + quote.chars().count(), quote: quote.into() }],
            }],
        };
        Policy::default_public().apply(&mut record);
        let ids: Vec<&str> = record.persons.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(ids, ["person-1", "person-3"]);
        assert_eq!(record.events[0].sources[0].quote, "His wife ██████ ████████ and his brother Aziz Karimov were searched.");
        assert_eq!(record.persons[0].age, Some(40), "ages stay unless the policy says otherwise");
        Policy::parse("person.age", "-").unwrap().apply(&mut record);
        assert!(record.persons.iter().all(|p| p.age.is_none()));
    }

    #[test]
    fn a_policy_names_known_fields_and_refuses_others() {
        let p = Policy::parse("# for partners\nrelatives\nperson.age   # ages identify\n\n", "policy.txt").unwrap();
        assert!(p.has("relatives") && p.has("person.age") && !p.has("event.place"));
        let err = Policy::parse("relatives\nperson.shoe_size\n", "policy.txt").unwrap_err().to_string();
        assert!(err.contains("policy.txt:2") && err.contains("person.shoe_size"), "{err}");
    }
}
