//! Public exports: what leaves the organisation. Restricted records are left
//! out by the store (the export reads as nobody in particular); on top of
//! that a redaction policy withholds configured fields.
//!
//! A policy file has one item per line (`#` starts a comment):
//!
//! | item | withholds |
//! |---|---|
//! | `relatives` | persons who are no victim or perpetrator of any event — relatives, witnesses, sources, however a report says so ("his daughter …", "… told us") — unless an analyst marked them public (`chronicle person public`): left out, every spelling of their names masked in every quote, title and publisher |
//! | `person.age`, `person.birth_year`, `person.nationality`, `person.occupation`, `person.status` | that attribute of every person |
//! | `person.mentions` | where in which report each person is named |
//! | `event.place` | the place of every event (the country stays) |
//! | `event.quotes` | the quoted passages (the document and offsets stay) |
//! | `document.source` | where a report was read from (a path or an address) |
//! | `document.publisher` | who published it |
//!
//! Without a policy file, `relatives` and `document.source` apply (a path
//! often names the witness or the researcher who filed it).

use crate::export::Record;
use anyhow::{bail, Context, Result};
use chronicle_store::{redact, NameMask};
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
        Policy { items: HashSet::from(["relatives", "document.source"]) }
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

/// Leaves out every person who is no victim or perpetrator of any event (a
/// relative, a witness, a source: whatever words a report used for it),
/// unless an analyst marked them public; masks every spelling of their names
/// wherever the export shows text, and drops them from events.
fn withhold_relatives(record: &mut Record) {
    let in_events: HashSet<&str> = record.events.iter().flat_map(|e| e.victims.iter().chain(&e.perpetrators).map(String::as_str)).collect();
    let withheld: HashSet<String> =
        record.persons.iter().filter(|p| !p.marked_public && !in_events.contains(p.id.as_str())).map(|p| p.id.clone()).collect();
    if withheld.is_empty() {
        return;
    }
    let mut spans: HashMap<String, Vec<(usize, usize)>> = HashMap::new();
    let mut spellings: Vec<&str> = Vec::new();
    for p in record.persons.iter().filter(|p| withheld.contains(&p.id)) {
        spellings.push(&p.name);
        spellings.extend(p.names.iter().map(String::as_str));
        for m in &p.mentions {
            spans.entry(m.document.clone()).or_default().push((m.start, m.end));
            spellings.push(&m.text);
        }
    }
    let names = NameMask::new(spellings);
    for d in &mut record.documents {
        let doc = &mut d.document;
        let places = spans.entry(doc.id.clone()).or_default();
        places.extend(names.spans(&doc.text));
        doc.text = redact(&doc.text, 0, places);
        for field in [Some(&mut doc.source), doc.title.as_mut(), doc.publisher.as_mut()].into_iter().flatten() {
            *field = names.mask(field);
        }
    }
    record.persons.retain(|p| !withheld.contains(&p.id));
    for e in &mut record.events {
        e.victims.retain(|id| !withheld.contains(id));
        e.perpetrators.retain(|id| !withheld.contains(id));
        for s in &mut e.sources {
            let masked = match spans.get(&s.document) {
                Some(sp) => redact(&s.quote, s.start, sp),
                None => s.quote.clone(),
            };
            // A quote of a report the export does not hold is masked by itself.
            s.quote = names.mask(&masked);
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
            marked_public: false,
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
                victims: vec!["person-1".into(), "person-3".into()],
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
