//! Analysts review machine facts: confirm, reject, or correct (which confirms).
//! Reviews and corrections survive re-extraction and are audited; events are
//! read by filter for lists, dossiers and the review queue.

mod common;

use chronicle_model::{Document, EntityRef, EventType, ExtractedEvent, ExtractedPerson, Extraction, Mention, Review, Source, Span};
use chronicle_store::{EventCorrection, EventFilter, Role, SqlStore, Store, StoreError};
use common::{each_backend, Fresh};

const TEXT: &str = "Police detained Aziz Karimov in Moscow on 3 May 2024. A court in Moscow sentenced Aziz Karimov to six years.";

fn extraction() -> Extraction {
    let ev = |kind, a: usize, b: usize, conf: f32| ExtractedEvent {
        kind,
        date: "2024-05-03".parse().ok(),
        place: Some("Moscow".into()),
        country: "RU".parse().ok(),
        to_country: None,
        victims: vec![EntityRef::Person(0)],
        perpetrators: vec![],
        term_years: None,
        regime: None,
        charges: vec![],
        confidence: conf,
        sources: vec![Source { span: Span::new(a, b), quote: TEXT.chars().skip(a).take(b - a).collect() }],
    };
    Extraction {
        persons: vec![ExtractedPerson {
            name: "Aziz Karimov".into(),
            mentions: vec![Mention { text: "Aziz Karimov".into(), span: Span::new(16, 28) }, Mention { text: "Aziz Karimov".into(), span: Span::new(82, 94) }],
            ..Default::default()
        }],
        events: vec![ev(EventType::Arrest, 0, 53, 0.9), ev(EventType::Sentence, 54, 108, 0.6)],
        ..Default::default()
    }
}

fn store(fresh: &Fresh) -> (SqlStore, String) {
    let mut store = fresh.open();
    let sha = "ab".repeat(32);
    let doc = Document {
        id: Document::id_for_sha256(&sha),
        source: "r.txt".into(),
        sha256: sha,
        title: None,
        published: "2024-05-05".parse().ok(),
        language: Some("en".into()),
        publisher: None,
        text: TEXT.into(),
        reading: Default::default(),
        attached_to: None,
    };
    store.add_document(&doc, TEXT.as_bytes(), &extraction(), "test/1").unwrap();
    (store, doc.id)
}

#[test]
fn the_review_queue_lists_machine_events_least_confident_first() {
    each_backend(|f| {
        let (store, _) = store(&f);
        let queue = store.events_where(&EventFilter { review: Some(Review::Machine), least_confident_first: true, ..Default::default() }).unwrap();
        assert_eq!(queue.iter().map(|e| e.kind).collect::<Vec<_>>(), [EventType::Sentence, EventType::Arrest]);
        assert_eq!(queue[0].victims, ["person-1"]);
        let by_type = store.events_where(&EventFilter { kind: Some(EventType::Arrest), year: Some(2024), country: Some("RU".into()), ..Default::default() }).unwrap();
        assert_eq!(by_type.len(), 1);
        assert!(store.events_where(&EventFilter { year: Some(2023), ..Default::default() }).unwrap().is_empty());
        assert_eq!(store.events_where(&EventFilter { person: Some("person-1".into()), ..Default::default() }).unwrap().len(), 2);
        let (store, doc) = (store, queue[0].sources[0].document.clone());
        let brief = store.events_where(&EventFilter { documents: vec!["doc-none".into(), doc], brief: true, ..Default::default() }).unwrap();
        assert_eq!(brief.len(), 2, "either document");
        assert!(brief.iter().all(|e| e.victims.is_empty() && e.sources.is_empty()), "brief: no participants, no sources");
    });
}

#[test]
fn reviews_and_corrections_hold_through_reextraction_and_are_audited() {
    each_backend(|f| {
        let (mut store, doc) = store(&f);
        let arrest = format!("{doc}-e1");
        let sentence = format!("{doc}-e2");
        store.review_event(&arrest, Review::Rejected, &EventCorrection::default()).unwrap();
        let corrected = store
            .review_event(&sentence, Review::Machine, &EventCorrection { kind: Some(EventType::Trial), date: "2024-06-01".parse().ok(), ..Default::default() })
            .unwrap();
        assert_eq!((corrected.kind, corrected.review, corrected.date.unwrap().to_string().as_str()), (EventType::Trial, Review::Confirmed, "2024-06-01"));

        store.replace_extraction(&doc, &extraction(), "test/2").unwrap();
        let events = store.events().unwrap();
        assert_eq!(events[0].review, Review::Rejected, "the rejection holds");
        assert_eq!((events[1].kind, events[1].review), (EventType::Trial, Review::Confirmed), "the correction holds");

        let log = store.audit_log().unwrap();
        let review = log.iter().find(|e| e.action == "event.review" && e.subject == sentence).unwrap();
        assert!(review.detail.contains(r#""before":{"#) && review.detail.contains(r#""type":"trial""#) && review.detail.contains(r#""type":"sentence""#), "{}", review.detail);
    });
}

#[test]
fn a_viewer_cannot_review() {
    each_backend(|f| {
        let (mut store, doc) = store(&f);
        store.add_user("ada", Role::Admin, None).unwrap();
        store.act_as("ada").unwrap();
        store.add_user("vic", Role::Viewer, None).unwrap();
        store.act_as("vic").unwrap();
        let r = store.review_event(&format!("{doc}-e1"), Review::Confirmed, &EventCorrection::default());
        assert!(matches!(r, Err(StoreError::Refused(_))), "{r:?}");
        assert_eq!(store.events().unwrap()[0].review, Review::Machine);
    });
}
