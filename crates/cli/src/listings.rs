//! `chronicle persons|events|reports`: the record as lists, filtered, as
//! lines for people or JSON lines (`--json`) for scripts.

use anyhow::{Context, Result};
use chronicle_model::{EventType, PartialDate, Review};
use chronicle_store::{EventFilter, EventRecord, Store};
use serde_json::json;
use std::io::Write;

/// Which events a listing, the statistics or an export take.
#[derive(Debug, Default, Clone, clap::Args)]
pub struct Scope {
    /// Only events of this type (arrest, abduction, torture, sentence …).
    #[arg(long = "type")]
    pub kind: Option<String>,
    /// Only events in this country (ISO 3166-1 alpha-2: RU, UZ …).
    #[arg(long)]
    pub country: Option<String>,
    /// Only events on or after this date (YYYY, YYYY-MM or YYYY-MM-DD); a date of a month or a year counts from its first day.
    #[arg(long)]
    pub from: Option<String>,
    /// Only events on or before this date.
    #[arg(long)]
    pub to: Option<String>,
}

/// A scope read: what an event must be to be taken.
pub struct Within {
    kind: Option<EventType>,
    country: Option<String>,
    from: Option<i64>,
    to: Option<i64>,
}

impl Scope {
    pub fn is_empty(&self) -> bool {
        self.kind.is_none() && self.country.is_none() && self.from.is_none() && self.to.is_none()
    }

    pub fn read(&self) -> Result<Within> {
        Ok(Within {
            kind: self.kind.as_deref().map(str::parse::<EventType>).transpose()?,
            country: self.country.as_ref().map(|c| c.to_uppercase()),
            from: date(&self.from, "from")?,
            to: date(&self.to, "to")?,
        })
    }
}

impl Within {
    pub fn takes(&self, e: &EventRecord) -> bool {
        let day = e.date.map(|d| d.first_day_number());
        self.kind.is_none_or_eq(e.kind)
            && self.country.as_ref().map_or(true, |c| e.country.as_ref() == Some(c))
            && self.from.map_or(true, |f| day.is_some_and(|d| d >= f))
            && self.to.map_or(true, |t| day.is_some_and(|d| d <= t))
    }
}

trait NoneOrEq<T> {
    fn is_none_or_eq(&self, v: T) -> bool;
}

impl<T: PartialEq> NoneOrEq<T> for Option<T> {
    fn is_none_or_eq(&self, v: T) -> bool {
        self.as_ref().map_or(true, |x| *x == v)
    }
}

/// What `chronicle events` is asked for.
#[derive(Debug, Default, clap::Args)]
pub struct EventsWanted {
    #[command(flatten)]
    pub scope: Scope,
    /// Only events in this review state (machine, confirmed, corrected, rejected).
    #[arg(long)]
    pub review: Option<String>,
    /// Only events of this person (`person-N`, or a name: its first match).
    #[arg(long)]
    pub person: Option<String>,
    /// JSON lines, one event each.
    #[arg(long)]
    pub json: bool,
}

fn date(s: &Option<String>, what: &str) -> Result<Option<i64>> {
    s.as_deref()
        .map(|d| d.parse::<PartialDate>().map(|d| d.first_day_number()).with_context(|| format!("--{what} {d:?}: a date as YYYY, YYYY-MM or YYYY-MM-DD")))
        .transpose()
}

/// Prints the events wanted; false when there are none.
pub fn events(store: &dyn Store, wanted: &EventsWanted, w: &mut dyn Write) -> Result<bool> {
    let within = wanted.scope.read()?;
    let review = wanted.review.as_deref().map(str::parse::<Review>).transpose()?;
    let person = match &wanted.person {
        Some(p) if p.starts_with("person-") => Some(p.clone()),
        Some(name) => Some(store.find_persons(name)?.first().map(|p| p.id.clone()).with_context(|| format!("no person on record matches {name:?}"))?),
        None => None,
    };
    let filter = EventFilter { review, person, ..Default::default() };
    let events: Vec<EventRecord> = store.events_where(&filter)?.into_iter().filter(|e| within.takes(e)).collect();
    let names = store.names_of(&events.iter().flat_map(|e| e.victims.iter().chain(&e.perpetrators).cloned()).collect::<Vec<_>>())?;
    let name = |id: &String| names.get(id).cloned().unwrap_or_else(|| id.clone());
    for e in &events {
        let victims: Vec<String> = e.victims.iter().map(name).collect();
        let perpetrators: Vec<String> = e.perpetrators.iter().map(name).collect();
        if wanted.json {
            let line = json!({ "id": e.id, "type": e.kind.as_str(), "date": e.date.map(|d| d.to_string()), "place": e.place, "country": e.country,
                "to_country": e.to_country, "victim_ids": e.victims, "victims": victims, "perpetrator_ids": e.perpetrators, "perpetrators": perpetrators,
                "review": e.review.as_str(), "confidence": e.confidence, "document": e.sources.first().map(|s| &s.document) });
            writeln!(w, "{line}")?;
        } else {
            let when = e.date.map_or("undated".to_string(), |d| d.to_string());
            let whereabouts = [e.place.clone(), e.country.clone()].into_iter().flatten().collect::<Vec<_>>().join(", ");
            writeln!(w, "{}  {when}  {}  {}  {}  [{}]", e.id, e.kind, victims.join("; "), whereabouts, e.review)?;
        }
    }
    if !wanted.json {
        writeln!(w, "{} event(s)", events.len())?;
    }
    Ok(!events.is_empty())
}

/// Prints the persons on record, or those `name` finds; false when there are none.
pub fn persons(store: &dyn Store, name: Option<&str>, json: bool, w: &mut dyn Write) -> Result<bool> {
    let persons = match name {
        Some(n) => store.find_persons(n)?,
        None => store.persons()?,
    };
    for p in &persons {
        if json {
            writeln!(w, "{}", json!({ "id": p.id, "name": p.name, "names": p.names, "nationality": p.nationality, "birth_year": p.birth_year, "status": p.status.map(|s| s.to_string()) }))?;
        } else {
            let others: Vec<&String> = p.names.iter().filter(|n| **n != p.name).collect();
            let aka = if others.is_empty() { String::new() } else { format!("  (also {})", others.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")) };
            writeln!(w, "{}  {}{aka}", p.id, p.name)?;
        }
    }
    if !json {
        writeln!(w, "{} person(s)", persons.len())?;
    }
    Ok(!persons.is_empty())
}

/// Prints the reports on record (those with `tag`, if given).
pub fn reports(store: &dyn Store, tag: Option<&str>, json: bool, w: &mut dyn Write) -> Result<bool> {
    let tag = tag.map(chronicle_store::tag_of).transpose()?;
    let mut shown = 0;
    for d in store.documents()? {
        let doc = &d.document;
        let tags = store.document_tags(&doc.id)?;
        if tag.as_ref().is_some_and(|t| !tags.contains(t)) {
            continue;
        }
        shown += 1;
        if json {
            writeln!(w, "{}", json!({ "id": doc.id, "source": doc.source, "title": doc.title, "published": doc.published.map(|p| p.to_string()),
                "language": doc.language, "reading": doc.reading.as_str(), "ocr_confidence": doc.reading.confidence(), "attached_to": doc.attached_to,
                "tags": tags, "ingested_at": d.ingested_at }))?;
        } else {
            let when = doc.published.map_or("undated".to_string(), |p| p.to_string());
            let reading = match doc.reading {
                chronicle_model::Reading::Ocr { confidence } => format!("  [OCR {confidence:.2}]"),
                chronicle_model::Reading::Unreadable => "  [no readable text]".into(),
                chronicle_model::Reading::Native => String::new(),
            };
            let tags = if tags.is_empty() { String::new() } else { format!("  #{}", tags.join(" #")) };
            writeln!(w, "{}  {when}  {}  {}{reading}{tags}", doc.id, doc.title.as_deref().unwrap_or("(untitled)"), doc.source)?;
        }
    }
    if !json {
        writeln!(w, "{shown} report(s)")?;
    }
    Ok(shown > 0)
}

/// The record narrowed to the events in scope, and what they draw on: their
/// reports, their victims and perpetrators.
pub fn narrow(record: &mut crate::export::Record, within: &Within) {
    record.events.retain(|e| within.takes(e));
    let involved: std::collections::HashSet<&str> = record.events.iter().flat_map(|e| e.victims.iter().chain(&e.perpetrators)).map(String::as_str).collect();
    let told: std::collections::HashSet<&str> = record.events.iter().flat_map(|e| e.sources.iter().map(|s| s.document.as_str())).collect();
    record.persons.retain(|p| involved.contains(p.id.as_str()));
    record.organizations.retain(|o| involved.contains(o.id.as_str()));
    record.documents.retain(|d| told.contains(d.document.id.as_str()));
}

/// The statistics of the events in scope (rejected ones left out, as the store's are).
pub fn stats_within(store: &dyn Store, within: &Within) -> Result<chronicle_store::Stats> {
    let events: Vec<EventRecord> = store.events()?.into_iter().filter(|e| e.review != Review::Rejected && within.takes(e)).collect();
    let distinct = |ids: Vec<&String>, prefix: &str| ids.into_iter().filter(|i| i.starts_with(prefix)).collect::<std::collections::HashSet<_>>().len();
    let grouped = |key: &dyn Fn(&EventRecord) -> String| {
        let mut counts: std::collections::BTreeMap<String, usize> = Default::default();
        for e in &events {
            *counts.entry(key(e)).or_default() += 1;
        }
        let mut rows: Vec<(String, usize)> = counts.into_iter().collect();
        rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        rows
    };
    let mut by_year = grouped(&|e| e.date.map_or("undated".into(), |d| d.year.to_string()));
    by_year.sort();
    let mut transfers: std::collections::BTreeMap<(String, String), usize> = Default::default();
    for e in events.iter().filter(|e| e.kind.crosses_border()) {
        if let Some(to) = &e.to_country {
            *transfers.entry((e.country.clone().unwrap_or_else(|| "unknown".into()), to.clone())).or_default() += 1;
        }
    }
    Ok(chronicle_store::Stats {
        documents: events.iter().flat_map(|e| e.sources.iter().map(|s| &s.document)).collect::<std::collections::HashSet<_>>().len(),
        persons: distinct(events.iter().flat_map(|e| e.victims.iter().chain(&e.perpetrators)).collect(), "person-"),
        organizations: distinct(events.iter().flat_map(|e| e.victims.iter().chain(&e.perpetrators)).collect(), "org-"),
        events: events.len(),
        by_type: grouped(&|e| e.kind.to_string()),
        by_year,
        by_country: grouped(&|e| e.country.clone().unwrap_or_else(|| "unknown".into())),
        transfers: transfers.into_iter().map(|((f, t), n)| (f, t, n)).collect(),
    })
}
