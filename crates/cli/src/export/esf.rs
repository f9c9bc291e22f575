//! Events shaped after HURIDOCS Events Standard Formats (`docs/esf.md`):
//! events, the acts done to each victim, the other parties' involvements,
//! persons (organisations among them, as groups) and the sources.

pub mod schema;

use super::roles::{involvements, names, Role};
use super::Record;
use anyhow::Result;
use chronicle_model::Document;
use chronicle_store::{EventRecord, OrgRecord, PersonRecord};
use schema::{Act, Esf, Event, Involvement, Passage, Person, Source};
use std::collections::HashMap;
use std::io::Write;

fn event(e: &EventRecord, names: &HashMap<&str, &str>) -> Event {
    let victims: Vec<&str> = e.victims.iter().filter_map(|v| names.get(v.as_str()).copied()).collect();
    let title = match victims.as_slice() {
        [] => e.kind.to_string(),
        vs => format!("{} of {}", e.kind, vs.join(", ")),
    };
    Event {
        id: e.id.clone(),
        title,
        kind: e.kind.to_string(),
        date: e.date.map(|d| d.to_string()),
        place: e.place.clone(),
        country: e.country.clone(),
        to_country: e.to_country.clone(),
        confidence: e.confidence.map(|c| (c * 100.0).round() / 100.0),
        review: e.review.to_string(),
        sources: e.sources.iter().map(|s| Passage { source: s.document.clone(), start: s.start, end: s.end, quote: s.quote.clone() }).collect(),
    }
}

fn act(e: &EventRecord, victim: &str) -> Act {
    Act {
        id: format!("{}-act-{victim}", e.id),
        event: e.id.clone(),
        victim: victim.to_string(),
        act_type: e.kind.to_string(),
        date: e.date.map(|d| d.to_string()),
        term_years: e.term_years,
        regime: e.regime.clone(),
        charges: e.charges.clone(),
    }
}

fn individual(p: &PersonRecord) -> Person {
    Person {
        id: p.id.clone(),
        name: p.name.clone(),
        other_names: p.names.iter().filter(|n| **n != p.name).cloned().collect(),
        counting_unit: "individual".into(),
        age: p.age,
        birth_year: p.birth_year,
        nationality: p.nationality.clone(),
        occupation: p.occupation.clone(),
        status: p.status.map(|s| s.to_string()),
        relations: p.relations.clone(),
        category: None,
        country: None,
    }
}

fn group(o: &OrgRecord) -> Person {
    Person {
        id: o.id.clone(),
        name: o.name.clone(),
        other_names: o.names.iter().filter(|n| **n != o.name).cloned().collect(),
        counting_unit: "group".into(),
        age: None,
        birth_year: None,
        nationality: vec![],
        occupation: vec![],
        status: None,
        relations: vec![],
        category: o.category.map(|c| c.to_string()),
        country: o.country.clone(),
    }
}

fn source(d: &Document) -> Source {
    let url = (d.source.starts_with("http://") || d.source.starts_with("https://")).then(|| d.source.clone());
    Source {
        id: d.id.clone(),
        title: d.title.clone(),
        source: d.source.clone(),
        url,
        published: d.published.map(|p| p.to_string()),
        language: d.language.clone(),
        publisher: d.publisher.clone(),
        sha256: d.sha256.clone(),
    }
}

/// The record in ESF's shape.
pub fn build(record: &Record) -> Esf {
    let names = names(record);
    let events: HashMap<&str, &EventRecord> = record.events.iter().map(|e| (e.id.as_str(), e)).collect();
    let (mut acts, mut others) = (Vec::new(), Vec::new());
    for i in involvements(record) {
        match i.role {
            Role::Victim => acts.push(act(events[i.event], i.party)),
            role => others.push(Involvement {
                id: format!("{}-{}-{}", i.event, role.as_str(), i.party),
                event: i.event.to_string(),
                person: i.party.to_string(),
                role: role.as_str().to_string(),
            }),
        }
    }
    Esf {
        format: schema::FORMAT.to_string(),
        events: record.events.iter().map(|e| event(e, &names)).collect(),
        acts,
        involvements: others,
        persons: record.persons.iter().map(individual).chain(record.organizations.iter().map(group)).collect(),
        sources: record.documents.iter().map(|d| source(&d.document)).collect(),
    }
}

/// Writes the record as one `chronicle-esf/1` document.
pub fn esf(record: &Record, w: &mut dyn Write) -> Result<()> {
    w.write_all(schema::to_json(&build(record))?.as_bytes())?;
    Ok(())
}
