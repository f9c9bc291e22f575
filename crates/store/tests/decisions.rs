//! Analysts' decisions on persons — merge, split, distinct — hold through
//! later linking and re-extraction, and every one is in the audit log.

mod common;

use chronicle_model::{Document, EntityRef, EventType, ExtractedEvent, ExtractedPerson, Extraction, Mention, Source, Span};
use chronicle_store::{MentionSelector, SqlStore, Store};
use common::each_backend;

fn doc(id: &str, text: &str) -> Document {
    let sha = format!("{id:0<64}");
    Document {
        id: Document::id_for_sha256(&sha),
        source: format!("{id}.txt"),
        sha256: sha,
        title: None,
        published: "2024-05-01".parse().ok(),
        language: Some("en".into()),
        publisher: None,
        text: text.into(),
        reading: Default::default(),
        attached_to: None,
    }
}

/// The first person was arrested; the whole text says so.
fn arrest_of_first(text: &str) -> ExtractedEvent {
    ExtractedEvent {
        kind: EventType::Arrest,
        date: None,
        place: None,
        country: None,
        to_country: None,
        victims: vec![EntityRef::Person(0)],
        perpetrators: vec![],
        term_years: None,
        regime: None,
        charges: vec![],
        confidence: 0.9,
        sources: vec![Source { span: Span::new(0, text.chars().count()), quote: text.to_string() }],
    }
}

/// A document about one person, arrested; the person's name starts the text.
fn report(store: &mut SqlStore, id: &str, name: &str, age: Option<u32>) -> String {
    let text = format!("{name} was detained.");
    let n = name.chars().count();
    let ex = Extraction {
        persons: vec![ExtractedPerson { name: name.into(), mentions: vec![Mention { text: name.into(), span: Span::new(0, n) }], age, ..Default::default() }],
        events: vec![arrest_of_first(&text)],
        ..Default::default()
    };
    let d = doc(id, &text);
    store.add_document(&d, text.as_bytes(), &ex, "test").unwrap();
    d.id
}

/// Runs "the extractor" again over a document: the same persons and events as before.
fn reextract(store: &mut SqlStore, doc_id: &str) {
    let d = store.document(doc_id).unwrap().unwrap().document;
    let name = d.text.trim_end_matches(" was detained.").to_string();
    let n = name.chars().count();
    let ex = Extraction {
        persons: vec![ExtractedPerson { name: name.clone(), mentions: vec![Mention { text: name, span: Span::new(0, n) }], ..Default::default() }],
        events: vec![arrest_of_first(&d.text)],
        ..Default::default()
    };
    store.replace_extraction(doc_id, &ex, "test/2").unwrap();
}

fn person_of(store: &SqlStore, doc_id: &str) -> String {
    let persons = store.persons().unwrap();
    let p = persons.iter().find(|p| p.mentions.iter().any(|m| m.document == doc_id)).unwrap();
    p.id.clone()
}

#[test]
fn a_merge_joins_two_persons_and_survives_reextraction() {
    each_backend(|f| {
        let mut store = f.open();
        store.set_actor("analyst-a");
        // Birth years twenty years apart keep the machine from linking them.
        let a = report(&mut store, "a", "Rustam Karimov", Some(30));
        let b = report(&mut store, "b", "Rustam Karimov", Some(50));
        let (pa, pb) = (person_of(&store, &a), person_of(&store, &b));
        assert_ne!(pa, pb);

        let decision = store.merge_persons(&pa, &pb).unwrap();
        assert_eq!(decision.kind, "merge");
        assert_eq!(decision.actor, "analyst-a");
        let persons = store.persons().unwrap();
        assert_eq!(persons.len(), 1);
        assert_eq!(persons[0].id, pa);
        assert_eq!(persons[0].mentions.len(), 2);
        assert!(store.events().unwrap().iter().all(|e| e.victims == [pa.clone()]));
        assert!(store.person(&pb).unwrap().is_none());

        // The extractor runs again over the second report: it stays with the first person.
        reextract(&mut store, &b);
        assert_eq!(person_of(&store, &b), pa);
        assert_eq!(store.persons().unwrap().len(), 1);

        let log = store.audit_log().unwrap();
        let merge = log.iter().find(|e| e.action == "person.merge").unwrap();
        assert_eq!((merge.actor.as_str(), merge.subject.as_str()), ("analyst-a", pa.as_str()));
        assert!(merge.detail.contains("\"before\"") && merge.detail.contains(&pb), "{}", merge.detail);
    });
}

#[test]
fn a_split_makes_a_distinct_person_that_stays_apart() {
    each_backend(|f| {
        let mut store = f.open();
        let a = report(&mut store, "a", "Azat Isakov", None);
        let b = report(&mut store, "b", "Azat Isakov", None);
        let p = person_of(&store, &a);
        assert_eq!(person_of(&store, &b), p, "the same name links");

        let (decision, q) = store.split_person(&p, &[MentionSelector { document: b.clone(), span: None }]).unwrap();
        assert_eq!(decision.kind, "split");
        assert_eq!(person_of(&store, &a), p);
        assert_eq!(person_of(&store, &b), q);
        let events = store.events().unwrap();
        assert!(events.iter().any(|e| e.victims == [q.clone()]), "the split-off report's event goes with it");

        // Re-extraction and a new report do not put them back together.
        reextract(&mut store, &a);
        reextract(&mut store, &b);
        assert_eq!(person_of(&store, &a), p);
        assert_eq!(person_of(&store, &b), q);
        let c = report(&mut store, "c", "Azat Isakov", None);
        let pc = person_of(&store, &c);
        assert!(pc == p || pc == q);
        assert_eq!(store.persons().unwrap().len(), 2);

        // Nor can an analyst merge them without undoing the decision.
        let err = store.merge_persons(&p, &q).unwrap_err();
        assert!(err.to_string().contains("different people"), "{err}");
    });
}

#[test]
fn a_split_must_leave_something_and_take_something() {
    each_backend(|f| {
        let mut store = f.open();
        let a = report(&mut store, "a", "Azat Isakov", None);
        let p = person_of(&store, &a);
        assert!(store.split_person(&p, &[MentionSelector { document: a.clone(), span: None }]).is_err());
        assert!(store.split_person(&p, &["doc-none".parse().unwrap()]).is_err());
        assert!(store.merge_persons(&p, "person-999").is_err());
    });
}

#[test]
fn distinct_persons_are_never_merged() {
    each_backend(|f| {
        let mut store = f.open();
        let a = report(&mut store, "a", "Rustam Karimov", Some(30));
        let b = report(&mut store, "b", "Rustam Karimov", Some(50));
        let (pa, pb) = (person_of(&store, &a), person_of(&store, &b));
        store.mark_distinct(&pa, &pb).unwrap();
        assert!(store.merge_persons(&pb, &pa).is_err());
        reextract(&mut store, &b);
        assert_eq!(person_of(&store, &b), pb, "the pin holds though the new extraction has no age");
        assert_eq!(store.decisions().unwrap().len(), 1);
    });
}

#[test]
fn the_audit_log_is_a_hash_chain() {
    each_backend(|f| {
        let mut store = f.open();
        report(&mut store, "a", "Azat Isakov", None);
        let b = report(&mut store, "b", "Azat Isakov", None);
        let p = person_of(&store, &b);
        store.split_person(&p, &[MentionSelector { document: b, span: None }]).unwrap();
        let log = store.audit_log().unwrap();
        assert_eq!(log.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(), ["document.ingest", "document.ingest", "person.split"]);
        for pair in log.windows(2) {
            assert_eq!(pair[1].prev_hash, pair[0].hash);
            assert_ne!(pair[1].hash, pair[0].hash);
        }
    });
}

#[test]
fn mention_selectors_read_as_the_dossier_prints_them() {
    assert_eq!("doc-1:10-25".parse::<MentionSelector>().unwrap(), MentionSelector { document: "doc-1".into(), span: Some((10, 25)) });
    assert_eq!("doc-1".parse::<MentionSelector>().unwrap(), MentionSelector { document: "doc-1".into(), span: None });
    assert!("doc-1:25-10".parse::<MentionSelector>().is_err());
    assert!("doc-1:x".parse::<MentionSelector>().is_err());
}

#[test]
fn a_store_of_the_first_schema_is_upgraded_and_links() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(include_str!("../migrations/sqlite/0001_initial.sql")).unwrap();
        conn.execute_batch(
            "PRAGMA user_version = 1;
             INSERT INTO documents (id, sha256, source, text, original, ingested_at, extractor) VALUES ('doc-old', 'x', 'old.txt', 't', x'00', '2024', 'old');
             INSERT INTO persons (id, name, blocking_key, created_in) VALUES (1, 'Bakhrom Khamroyev', 'hmrv', 'doc-old');
             INSERT INTO person_names (person_id, name, folded) VALUES (1, 'Bakhrom Khamroyev', 'bakhrom khamroyev');
             INSERT INTO mentions (document_id, person_id, text, start, end) VALUES ('doc-old', 1, 'Bakhrom Khamroyev', 0, 17);",
        )
        .unwrap();
    }
    let mut store = SqlStore::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), 10);
    let b = report(&mut store, "b", "Бахром Хамроев", None);
    assert_eq!(person_of(&store, &b), "person-1", "the old person is found through the rebuilt keys");
}
