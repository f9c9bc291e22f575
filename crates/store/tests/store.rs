//! The store on each engine: a real SQLite file and a real PostgreSQL database.

mod common;

use chronicle_model::{Country, Document, EntityRef, EventType, ExtractedEvent, ExtractedOrg, ExtractedPerson, Extraction, Mention, OrgCategory, Source, Span};
use chronicle_store::{Added, Store};
use common::each_backend;

fn doc(id: &str, text: &str) -> Document {
    let sha = format!("{id:0<64}");
    Document {
        id: Document::id_for_sha256(&sha),
        source: format!("{id}.txt"),
        sha256: sha,
        title: Some(format!("Report {id}")),
        published: "2023-05-24".parse().ok(),
        language: Some("en".into()),
        publisher: None,
        text: text.into(),
        reading: Default::default(),
        attached_to: None,
    }
}

fn person(name: &str, mention: &str, start: usize) -> ExtractedPerson {
    ExtractedPerson {
        name: name.into(),
        mentions: vec![Mention { text: mention.into(), span: Span::new(start, start + mention.chars().count()) }],
        nationality: vec!["TJ".parse::<Country>().unwrap()],
        ..Default::default()
    }
}

fn arrest(victim: usize, quote: &str) -> ExtractedEvent {
    ExtractedEvent {
        kind: EventType::Arrest,
        date: "2022-02-24".parse().ok(),
        place: Some("Moscow".into()),
        country: "RU".parse().ok(),
        to_country: None,
        victims: vec![EntityRef::Person(victim)],
        perpetrators: vec![EntityRef::Org(0)],
        term_years: None,
        regime: None,
        charges: vec!["terrorism".into()],
        confidence: 0.9,
        sources: vec![Source { span: Span::new(0, quote.chars().count()), quote: quote.into() }],
    }
}

fn fsb() -> ExtractedOrg {
    ExtractedOrg {
        key: "federal-security-service".into(),
        name: "Federal Security Service".into(),
        mentions: vec![Mention { text: "FSB".into(), span: Span::new(0, 3) }],
        category: Some(OrgCategory::SecurityService),
        country: "RU".parse().ok(),
    }
}

/// One report stating the events given, in the order written, all of one person.
fn report_of(id: &str, name: &str, events: &[(EventType, Option<&str>)]) -> (Document, Extraction) {
    let text = format!("{name} was held.");
    let events = events
        .iter()
        .map(|&(kind, date)| ExtractedEvent { kind, date: date.and_then(|d| d.parse().ok()), perpetrators: vec![], ..arrest(0, &text) })
        .collect();
    let ex = Extraction { persons: vec![person(name, name, 0)], orgs: vec![fsb()], events, ..Default::default() };
    (doc(id, &text), ex)
}

#[test]
fn the_latest_status_follows_the_events_in_the_order_they_happened() {
    each_backend(|f| {
        let mut store = f.open();
        // Died, and in the same report an arrest told afterwards on the same day: dead.
        let (d, ex) = report_of("died", "Rustam Ergashev", &[(EventType::Death, Some("2023-02-07")), (EventType::Arrest, Some("2023-02-07"))]);
        store.add_document(&d, b"died", &ex, "test").unwrap();
        // Sentenced, then charged anew (the charge undated, the report later): still imprisoned.
        let (d, ex) = report_of("jailed", "Anvar Kholikov", &[(EventType::Sentence, Some("2022-09-20")), (EventType::Charge, None)]);
        store.add_document(&d, b"jailed", &ex, "test").unwrap();
        // Released before the report of the arrest was ingested: at liberty.
        let (d, ex) = report_of("freed", "Timur Rashidov", &[(EventType::Release, Some("2024-01-10"))]);
        store.add_document(&d, b"freed", &ex, "test").unwrap();
        let (d, ex) = report_of("held", "Timur Rashidov", &[(EventType::Arrest, Some("2023-11-02"))]);
        store.add_document(&d, b"held", &ex, "test").unwrap();
        let status = |name: &str| store.persons().unwrap().into_iter().find(|p| p.name == name).and_then(|p| p.status);
        assert_eq!(status("Rustam Ergashev"), Some(chronicle_model::PersonStatus::Dead));
        assert_eq!(status("Anvar Kholikov"), Some(chronicle_model::PersonStatus::Imprisoned));
        assert_eq!(status("Timur Rashidov"), Some(chronicle_model::PersonStatus::AtLiberty));
    });
}

#[test]
fn a_document_and_its_records_round_trip() {
    each_backend(|f| {
        let mut store = f.open();
        let text = "FSB officers detained Bakhrom Khamroyev in Moscow.";
        let ex = Extraction { persons: vec![person("Bakhrom Khamroyev", "Bakhrom Khamroyev", 22)], orgs: vec![fsb()], events: vec![arrest(0, text)], ..Default::default() };
        let added = store.add_document(&doc("a", text), b"original bytes", &ex, "test").unwrap();
        assert_eq!(added, Added::New { persons_linked: 0, persons_created: 1, events: 1 });
        let d = store.documents().unwrap();
        assert_eq!(d.len(), 1);
        assert_eq!(store.original(&d[0].document.id).unwrap().unwrap(), b"original bytes");
        let events = store.events().unwrap();
        assert_eq!(events[0].victims, ["person-1"]);
        assert_eq!(events[0].perpetrators, ["org-federal-security-service"]);
        assert_eq!(events[0].charges, ["terrorism"]);
        assert_eq!(events[0].sources[0].quote, text);
        let persons = store.persons().unwrap();
        assert_eq!(persons[0].status, Some(chronicle_model::PersonStatus::Detained));
        assert_eq!(persons[0].nationality, ["TJ"]);
        assert!(store.check_integrity().is_ok());
    });
}

#[test]
fn the_same_bytes_are_stored_once() {
    each_backend(|f| {
        let mut store = f.open();
        let ex = Extraction::default();
        store.add_document(&doc("a", "text"), b"x", &ex, "test").unwrap();
        let again = store.add_document(&doc("a", "text"), b"x", &ex, "test").unwrap();
        assert_eq!(again, Added::AlreadyPresent { source: "a.txt".into() });
        assert_eq!(store.documents().unwrap().len(), 1);
    });
}

#[test]
fn persons_link_across_documents_by_spelling_not_by_shared_given_name() {
    each_backend(|f| {
        let mut store = f.open();
        let one = Extraction { persons: vec![person("Bakhrom Khamroyev", "Bakhrom Khamroyev", 0)], ..Default::default() };
        let two = Extraction { persons: vec![person("Bakhrom Khamroev", "Bakhrom Khamroev", 0), person("Bakhrom Yusupov", "Bakhrom Yusupov", 30)], ..Default::default() };
        store.add_document(&doc("a", "Bakhrom Khamroyev"), b"a", &one, "test").unwrap();
        let added = store.add_document(&doc("b", "Bakhrom Khamroev and Bakhrom Yusupov"), b"b", &two, "test").unwrap();
        assert_eq!(added, Added::New { persons_linked: 1, persons_created: 1, events: 0 });
        let persons = store.persons().unwrap();
        assert_eq!(persons.len(), 2);
        assert_eq!(persons[0].names, ["Bakhrom Khamroev", "Bakhrom Khamroyev"]);
        assert_eq!(store.find_persons("хамроев").unwrap().len(), 1, "Cyrillic search folds to the Latin spelling");
    });
}

#[test]
fn a_failed_document_leaves_nothing_behind() {
    each_backend(|f| {
        let mut store = f.open();
        // An event naming a victim the extraction does not have cannot be stored.
        let bad = Extraction { persons: vec![], orgs: vec![fsb()], events: vec![arrest(0, "q")], ..Default::default() };
        let err = store.add_document(&doc("a", "q"), b"a", &bad, "test").unwrap_err();
        assert!(err.to_string().contains("participant"), "{err}");
        assert!(store.documents().unwrap().is_empty());
        assert!(store.organizations().unwrap().is_empty());
    });
}

#[test]
fn search_finds_words_and_ignores_query_syntax() {
    each_backend(|f| {
        let mut store = f.open();
        store.add_document(&doc("a", "He was sentenced to 14 years in a maximum-security penal colony."), b"a", &Extraction::default(), "test").unwrap();
        let hits = store.search("penal colony", 10).unwrap();
        assert_eq!(hits.len(), 1);
        assert!(hits[0].snippet.contains("[penal] [colony]"), "{}", hits[0].snippet);
        assert!(store.search("\" OR NEAR(", 10).unwrap().is_empty());
        assert!(store.search("", 10).unwrap().is_empty());
    });
}

#[test]
fn migrations_are_versioned() {
    each_backend(|f| {
        let store = f.open();
        assert_eq!(store.schema_version().unwrap(), 10);
        drop(store);
        // Opening again applies nothing twice.
        assert_eq!(f.open().schema_version().unwrap(), 10);
    });
}

/// Everything a reader gets from a store, as one comparable text.
fn everything(store: &chronicle_store::SqlStore) -> String {
    format!(
        "{:#?}\n{:#?}\n{:#?}\n{:#?}\n{:#?}\n{:#?}\n{:#?}",
        store.documents().unwrap(),
        store.persons().unwrap(),
        store.organizations().unwrap(),
        store.events().unwrap(),
        store.decisions().unwrap(),
        store.restrictions().unwrap(),
        store.search("detained", 10).unwrap(),
    )
}

#[test]
fn a_store_copied_to_the_other_engine_and_back_reads_the_same() {
    use chronicle_store::{RecordRef, Role, SqlStore};
    let source = common::fresh_sqlite();
    let mut store = source.open();
    let a = "FSB officers detained Bakhrom Khamroyev in Moscow.";
    let b = "Bakhrom Khamroev was detained again; Dilshod Nazarov too.";
    let one = Extraction { persons: vec![person("Bakhrom Khamroyev", "Bakhrom Khamroyev", 22)], orgs: vec![fsb()], events: vec![arrest(0, a)], ..Default::default() };
    let two = Extraction {
        persons: vec![person("Bakhrom Khamroev", "Bakhrom Khamroev", 0), person("Dilshod Nazarov", "Dilshod Nazarov", 37)],
        orgs: vec![fsb()],
        events: vec![arrest(1, b)],
        ..Default::default()
    };
    store.add_document(&doc("a", a), a.as_bytes(), &one, "test").unwrap();
    store.add_document(&doc("b", b), b.as_bytes(), &two, "test").unwrap();
    store.add_user("ada", Role::Admin, Some("correct horse")).unwrap();
    store.act_as("ada").unwrap();
    let persons = store.persons().unwrap();
    store.mark_distinct(&persons[0].id, &persons[1].id).unwrap();
    store.restrict(&RecordRef::Person(persons[1].id.clone()), Some("a witness")).unwrap();
    let before = everything(&store);
    let entries = store.audit_log().unwrap().len();

    // To PostgreSQL when there is a server (else to another file), and back to a new file.
    let middle = match std::env::var("CHRONICLE_TEST_POSTGRES") {
        Ok(admin) if !admin.is_empty() => common::fresh_postgres(&admin),
        _ => common::fresh_sqlite(),
    };
    let mut there = middle.open();
    let report = store.copy_to(&mut there).unwrap();
    assert!(report.tables.contains(&("documents".to_string(), 2)), "{report:?}");
    assert_eq!(report.audit_verified, entries + 1, "the chain verifies there, with the copy's own entry");
    there.act_as("ada").unwrap();
    assert_eq!(everything(&there), before, "the same record on {}", middle.engine);
    assert!(store.copy_to(&mut there).is_err(), "a copy goes only into an empty store");

    let back = common::fresh_sqlite();
    let mut home = back.open();
    let report = there.copy_to(&mut home).unwrap();
    assert_eq!(report.audit_verified, entries + 2);
    home.act_as("ada").unwrap();
    assert_eq!(everything(&home), before, "and the same again, back home");
    let log = home.audit_log().unwrap();
    assert_eq!(log.last().unwrap().action, "store.copy");
    // New records take ids after the copied ones.
    let c = "Bakhrom Khamroyev was released.";
    home.add_document(&doc("c", c), c.as_bytes(), &Extraction { persons: vec![person("Bakhrom Khamroyev", "Bakhrom Khamroyev", 0)], ..Default::default() }, "test").unwrap();
    let mut there = SqlStore::open_location(&middle.location, None).unwrap();
    there.act_as("ada").unwrap();
    there.add_document(&doc("c", c), c.as_bytes(), &Extraction { persons: vec![person("Bashir Aliev", "Bashir Aliev", 0)], ..Default::default() }, "test").unwrap();
    assert_eq!(there.persons().unwrap().last().unwrap().id, "person-3", "a new person after the copied ones");
}

#[test]
fn a_report_is_searched_in_its_own_language() {
    each_backend(|f| {
        let mut store = f.open();
        let ru = "Полиция задержала активиста в Москве.";
        let mut russian = doc("r", ru);
        russian.language = Some("ru".into());
        store.add_document(&russian, ru.as_bytes(), &Extraction::default(), "test").unwrap();
        let en = "Police detained the activists in Moscow.";
        store.add_document(&doc("e", en), en.as_bytes(), &Extraction::default(), "test").unwrap();
        let found = |q: &str| store.search(q, 10).unwrap().into_iter().map(|h| h.document).collect::<Vec<_>>();
        assert_eq!(found("активиста"), [russian.id.clone()], "the word as written");
        assert_eq!(found("detained Moscow").len(), 1);
        // Stemmed on both engines: other forms of a word find it.
        assert_eq!(found("активист"), [russian.id.clone()]);
        assert_eq!(found("москва"), [russian.id.clone()]);
        assert_eq!(found("activist detain").len(), 1);
        assert!(store.search("активист", 10).unwrap()[0].snippet.contains("[активиста]"), "the word as written is marked");
    });
}
