//! Who took part in each event and how, as far as the record knows it: the
//! victims and perpetrators it names, and the persons named in the passage
//! that tells the event (a relative where a report says whose relative, a
//! lawyer where the occupation says so, otherwise `other`). Every export
//! format that lists roles takes them from here.

use super::Record;
use chronicle_store::{EventRecord, PersonRecord};
use std::collections::{HashMap, HashSet};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    Victim,
    Perpetrator,
    Relative,
    Lawyer,
    Other,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Victim => "victim",
            Role::Perpetrator => "perpetrator",
            Role::Relative => "relative",
            Role::Lawyer => "lawyer",
            Role::Other => "other",
        }
    }
}

/// One party's part in one event; `party` is a person's or an organisation's id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Involvement<'a> {
    pub event: &'a str,
    pub party: &'a str,
    pub role: Role,
}

/// Occupations that make a person named beside an event its lawyer.
const LAWYER_WORDS: &[&str] = &["lawyer", "advocate", "attorney", "barrister", "solicitor", "адвокат", "защитник"];

fn passage_role(p: &PersonRecord) -> Role {
    let lawyer = p.occupation.iter().any(|o| {
        let o = o.to_lowercase();
        LAWYER_WORDS.iter().any(|w| o.contains(w))
    });
    if lawyer {
        Role::Lawyer
    } else if !p.relations.is_empty() {
        Role::Relative
    } else {
        Role::Other
    }
}

/// Where each person is named: document id to (start, end, person).
fn mention_index(persons: &[PersonRecord]) -> HashMap<&str, Vec<(usize, usize, &PersonRecord)>> {
    let mut index: HashMap<&str, Vec<(usize, usize, &PersonRecord)>> = HashMap::new();
    for p in persons {
        for m in &p.mentions {
            index.entry(m.document.as_str()).or_default().push((m.start, m.end, p));
        }
    }
    index
}

/// The persons named inside the passages of `e`, in the order first named.
fn named_in_passages<'a>(e: &EventRecord, index: &HashMap<&str, Vec<(usize, usize, &'a PersonRecord)>>) -> Vec<&'a PersonRecord> {
    let mut found: Vec<(usize, &PersonRecord)> = Vec::new();
    for s in &e.sources {
        for (start, end, p) in index.get(s.document.as_str()).into_iter().flatten() {
            if *start >= s.start && *end <= s.end {
                found.push((*start, *p));
            }
        }
    }
    found.sort_by_key(|(start, _)| *start);
    let mut seen = HashSet::new();
    found.into_iter().map(|(_, p)| p).filter(|p| seen.insert(p.id.as_str())).collect()
}

/// Every involvement of every event, event by event: victims, perpetrators,
/// then the others named in its passages.
pub fn involvements(record: &Record) -> Vec<Involvement<'_>> {
    let index = mention_index(&record.persons);
    let mut out = Vec::new();
    for e in &record.events {
        let mut seen: HashSet<&str> = HashSet::new();
        for (ids, role) in [(&e.victims, Role::Victim), (&e.perpetrators, Role::Perpetrator)] {
            for id in ids {
                seen.insert(id);
                out.push(Involvement { event: &e.id, party: id, role });
            }
        }
        for p in named_in_passages(e, &index) {
            if seen.insert(&p.id) {
                out.push(Involvement { event: &e.id, party: &p.id, role: passage_role(p) });
            }
        }
    }
    out
}

/// Display names by id, persons and organisations.
pub fn names(record: &Record) -> HashMap<&str, &str> {
    let persons = record.persons.iter().map(|p| (p.id.as_str(), p.name.as_str()));
    persons.chain(record.organizations.iter().map(|o| (o.id.as_str(), o.name.as_str()))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chronicle_model::{EventType, Review};
    use chronicle_store::{MentionRecord, SourceRecord};

    fn person(id: &str, start: usize, occupation: &[&str], relations: &[&str]) -> PersonRecord {
        PersonRecord {
            id: id.into(),
            name: id.into(),
            names: vec![id.into()],
            mentions: vec![MentionRecord { document: "doc-1".into(), text: id.into(), start, end: start + 5 }],
            age: None,
            birth_year: None,
            nationality: vec![],
            occupation: occupation.iter().map(|o| o.to_string()).collect(),
            status: None,
            relations: relations.iter().map(|r| r.to_string()).collect(),
            links: vec![],
            marked_public: false,
        }
    }

    #[test]
    fn the_passage_names_lawyers_relatives_and_others_beside_victims_and_perpetrators() {
        let record = Record {
            documents: vec![],
            persons: vec![
                person("person-1", 0, &[], &[]),
                person("person-2", 20, &["lawyer"], &[]),
                person("person-3", 40, &[], &["wife"]),
                person("person-4", 60, &[], &[]),
                person("person-5", 500, &[], &[]),
            ],
            organizations: vec![],
            events: vec![EventRecord {
                id: "doc-1-e1".into(),
                kind: EventType::Arrest,
                date: None,
                place: None,
                country: None,
                to_country: None,
                victims: vec!["person-1".into()],
                perpetrators: vec!["org-police".into()],
                term_years: None,
                regime: None,
                charges: vec![],
                confidence: None,
                review: Review::Machine,
                sources: vec![SourceRecord { document: "doc-1".into(), start: 0, end: 100, quote: String::new() }],
            }],
        };
        let got: Vec<(&str, &str)> = involvements(&record).iter().map(|i| (i.party, i.role.as_str())).collect();
        assert_eq!(
            got,
            [("person-1", "victim"), ("org-police", "perpetrator"), ("person-2", "lawyer"), ("person-3", "relative"), ("person-4", "other")],
            "person-5 is named outside the passage"
        );
    }
}
