//! The lists and victims of a record, from what the store gave a reader.
//!
//! A victim is a person (`person-N`) who is the victim of at least one event
//! of the chosen types, in the chosen period and country; a list is a family
//! of sources — by default each publisher — and a victim is on a list when a
//! report of that family tells one of those events. Nothing is read here:
//! the caller hands in the events and documents its reader may see
//! (`Store::events`, `Store::documents`), so a restricted victim the reader
//! may not see is in no table, and a public reader's tables hold none.

use crate::table::OverlapTable;
use chronicle_model::{EventType, PartialDate, Review};
use chronicle_store::{DocumentRecord, EventRecord};
use std::collections::{BTreeMap, HashMap};

/// Which events make their victims count.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Selection {
    /// Event types (all when empty).
    pub types: Vec<EventType>,
    /// From this date on (an event whose date may fall on or after it).
    pub from: Option<PartialDate>,
    /// Up to this date.
    pub to: Option<PartialDate>,
    /// Where it happened (ISO 3166-1 alpha-2).
    pub country: Option<String>,
}

/// How victims are split before estimating: each part has its own lists and its own estimate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum By {
    #[default]
    All,
    /// By the year of the event (undated events are left out).
    Year,
    /// By the type of the event.
    Type,
}

/// What a list is.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Lists {
    /// Each publisher its own list.
    #[default]
    Publisher,
    /// Publishers grouped by the analyst into families (`publisher → list`); a
    /// publisher the grouping does not name stays a list of its own.
    Grouped(HashMap<String, String>),
}

/// The list of the reports that name no publisher.
pub const NO_PUBLISHER: &str = "(no publisher)";

impl Selection {
    /// Whether an event counts.
    pub fn admits(&self, event: &EventRecord) -> bool {
        if event.review == Review::Rejected {
            return false;
        }
        if !self.types.is_empty() && !self.types.contains(&event.kind) {
            return false;
        }
        if let Some(c) = &self.country {
            if !event.country.as_deref().is_some_and(|e| e.eq_ignore_ascii_case(c)) {
                return false;
            }
        }
        if self.from.is_none() && self.to.is_none() {
            return true;
        }
        let Some(d) = event.date else { return false };
        self.from.is_none_or(|f| latest(&d) >= earliest(&f)) && self.to.is_none_or(|t| earliest(&d) <= latest(&t))
    }
}

/// The first and last day a partial date may be, as (year, month, day).
fn earliest(d: &PartialDate) -> (i32, u8, u8) {
    (d.year, d.month.unwrap_or(1), d.day.unwrap_or(1))
}
fn latest(d: &PartialDate) -> (i32, u8, u8) {
    (d.year, d.month.unwrap_or(12), d.day.unwrap_or(31))
}

/// The overlap tables of a record: one for all victims selected, or one a year or type, in order.
pub fn tables(events: &[EventRecord], documents: &[DocumentRecord], selection: &Selection, lists: &Lists, by: By) -> Vec<(String, OverlapTable)> {
    let publisher: HashMap<&str, &str> =
        documents.iter().map(|d| (d.document.id.as_str(), d.document.publisher.as_deref().filter(|p| !p.trim().is_empty()).unwrap_or(NO_PUBLISHER))).collect();
    let list_of = |doc: &str| -> Option<String> {
        let p = *publisher.get(doc)?;
        Some(match lists {
            Lists::Publisher => p.to_string(),
            Lists::Grouped(groups) => groups.get(p).cloned().unwrap_or_else(|| p.to_string()),
        })
    };
    let mut parts: BTreeMap<String, Vec<(u64, String)>> = BTreeMap::new();
    for event in events.iter().filter(|e| selection.admits(e)) {
        let part = match by {
            By::All => "all".to_string(),
            By::Year => match event.date {
                Some(d) => d.year.to_string(),
                None => continue,
            },
            By::Type => event.kind.to_string(),
        };
        let victims: Vec<u64> = event.victims.iter().filter_map(|v| v.strip_prefix("person-")?.parse().ok()).collect();
        // A document the reader may not see is no source of theirs.
        let sources: Vec<String> = event.sources.iter().filter_map(|s| list_of(&s.document)).collect();
        let entry = parts.entry(part).or_default();
        for &v in &victims {
            for l in &sources {
                entry.push((v, l.clone()));
            }
        }
    }
    parts.into_iter().filter(|(_, pairs)| !pairs.is_empty()).map(|(part, pairs)| (part, OverlapTable::from_memberships(pairs))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chronicle_model::Document;
    use chronicle_store::SourceRecord;

    fn doc(id: &str, publisher: Option<&str>) -> DocumentRecord {
        let document = Document {
            id: id.into(),
            source: format!("{id}.txt"),
            sha256: String::new(),
            title: None,
            published: None,
            language: None,
            publisher: publisher.map(str::to_string),
            text: String::new(),
            reading: Default::default(),
            attached_to: None,
        };
        DocumentRecord { document, ingested_at: String::new() }
    }

    fn event(id: &str, kind: EventType, date: Option<&str>, victims: &[u32], docs: &[&str]) -> EventRecord {
        EventRecord {
            id: id.into(),
            kind,
            date: date.map(|d| d.parse().unwrap()),
            place: None,
            country: Some("RU".into()),
            to_country: None,
            victims: victims.iter().map(|v| format!("person-{v}")).collect(),
            perpetrators: vec![],
            term_years: None,
            regime: None,
            charges: vec![],
            confidence: None,
            review: Review::Machine,
            sources: docs.iter().map(|d| SourceRecord { document: d.to_string(), start: 0, end: 1, quote: String::new() }).collect(),
        }
    }

    #[test]
    fn a_victim_is_on_the_list_of_every_publisher_that_told_their_events() {
        let docs = [doc("d1", Some("Memorial")), doc("d2", Some("Amnesty")), doc("d3", Some("Memorial")), doc("d4", None)];
        let events = [
            event("d1-e1", EventType::Arrest, Some("2021-03"), &[1, 2], &["d1"]),
            event("d2-e1", EventType::Arrest, Some("2021"), &[1], &["d2"]),
            event("d3-e1", EventType::Sentence, Some("2022-05-01"), &[3], &["d3"]),
            event("d4-e1", EventType::Arrest, None, &[4], &["d4"]),
        ];
        let all = tables(&events, &docs, &Selection::default(), &Lists::Publisher, By::All);
        let t = &all[0].1;
        // Largest list first, ties by name.
        assert_eq!(t.lists(), ["Memorial", NO_PUBLISHER, "Amnesty"]);
        assert_eq!((t.count(0b101), t.count(0b001), t.count(0b010), t.observed()), (1, 2, 1, 4));

        let arrests_2021 =
            Selection { types: vec![EventType::Arrest], from: Some("2021-01".parse().unwrap()), to: Some("2021-12-31".parse().unwrap()), country: None };
        let t = &tables(&events, &docs, &arrests_2021, &Lists::Publisher, By::All)[0].1;
        assert_eq!((t.observed(), t.count(0b11)), (2, 1));

        let by_year = tables(&events, &docs, &Selection::default(), &Lists::Publisher, By::Year);
        assert_eq!(by_year.iter().map(|(y, t)| (y.as_str(), t.observed())).collect::<Vec<_>>(), [("2021", 2), ("2022", 1)]);

        let by_type = tables(&events, &docs, &Selection::default(), &Lists::Publisher, By::Type);
        assert_eq!(by_type.iter().map(|(k, t)| (k.as_str(), t.observed())).collect::<Vec<_>>(), [("arrest", 3), ("sentence", 1)]);

        let groups = Lists::Grouped([("Memorial".to_string(), "NGOs".to_string()), ("Amnesty".to_string(), "NGOs".to_string())].into());
        let t = &tables(&events, &docs, &Selection::default(), &groups, By::All)[0].1;
        assert_eq!(t.lists(), ["NGOs", NO_PUBLISHER]);
    }

    #[test]
    fn rejected_events_and_unseen_documents_name_nobody() {
        let docs = [doc("d1", Some("Memorial"))];
        let mut rejected = event("d1-e1", EventType::Arrest, None, &[1], &["d1"]);
        rejected.review = Review::Rejected;
        let hidden_doc = event("d9-e1", EventType::Arrest, None, &[2], &["d9"]);
        assert!(tables(&[rejected, hidden_doc], &docs, &Selection::default(), &Lists::Publisher, By::All).is_empty());
    }
}
