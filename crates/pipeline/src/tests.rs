//! The pipeline on a real store file. The reports are invented.

use super::*;
use chronicle_store::SqlStore;

const ENGLISH: &str = "Police in Tashkent detained the blogger Davron Tursunov on 3 March 2023, his lawyer said. \
He was charged with insulting the president and taken to a pre-trial detention centre.";
const GERMAN: &str = "Die Menschenrechtsorganisation berichtet, dass der Journalist Walter Hansen am vergangenen Montag \
in seiner Wohnung festgenommen wurde. Nach Angaben seiner Familie wurde er ohne Haftbefehl auf eine Polizeiwache \
gebracht und stundenlang verhört. Seine Anwältin durfte ihn erst am nächsten Tag besuchen.";
const RUSSIAN: &str = "Полиция задержала блогера Даврона Турсунова в Ташкенте третьего марта, сообщил его адвокат. \
Ему предъявили обвинение в оскорблении президента.";

fn store() -> (tempfile::TempDir, SqlStore) {
    let dir = tempfile::tempdir().unwrap();
    let store = SqlStore::open(dir.path().join("test.db")).unwrap();
    (dir, store)
}

fn prepared(name: &str, text: &str, language: Option<&str>) -> Prepared {
    let options = Options { language: language.map(|l| l.parse().unwrap()), ..Default::default() };
    prepare(name, text.as_bytes().to_vec(), &options).unwrap()
}

/// The extractor named in the store's last audit entry of `action`.
fn audited_extractor(store: &SqlStore, action: &str) -> String {
    let log = store.audit_log().unwrap();
    let entry = log.iter().rev().find(|e| e.action == action).unwrap();
    let detail: serde_json::Value = serde_json::from_str(&entry.detail).unwrap();
    detail["extractor"].as_str().unwrap().to_string()
}

#[test]
fn the_detected_language_chooses_the_extractor() {
    let en = prepared("en.txt", ENGLISH, None);
    assert_eq!((en.document.language.as_deref(), en.extractor), (Some("en"), "rules-en/1"));
    assert!(en.extraction.persons.iter().any(|p| p.name == "Davron Tursunov"), "{:?}", en.extraction.persons);
    assert_eq!(en.not_extracted(), None);
    let ru = prepared("ru.txt", RUSSIAN, None);
    assert_eq!((ru.document.language.as_deref(), ru.extractor), (Some("ru"), "rules-ru/1"));
    let de = prepared("de.txt", GERMAN, None);
    assert_eq!((de.document.language.as_deref(), de.extractor), (Some("de"), NOT_EXTRACTED));
    assert_eq!(de.extraction, Extraction::default());
    assert_eq!(de.not_extracted(), Some(NotExtracted { source: "de.txt".into(), language: Some("de".into()), failed: None }));
}

#[test]
fn a_given_language_overrides_the_detected_one() {
    let de_as_en = prepared("de.txt", GERMAN, Some("en"));
    assert_eq!((de_as_en.document.language.as_deref(), de_as_en.extractor), (Some("en"), "rules-en/1"));
    let en_as_de = prepared("en.txt", ENGLISH, Some("de"));
    assert_eq!((en_as_de.document.language.as_deref(), en_as_de.extractor), (Some("de"), NOT_EXTRACTED));
    assert!(en_as_de.extraction.persons.is_empty());
    let en_as_ru = prepared("en.txt", ENGLISH, Some("ru"));
    assert_eq!(en_as_ru.extractor, "rules-ru/1");
}

#[test]
fn a_report_no_extractor_reads_is_stored_searchable_and_said_once() {
    let (_dir, mut store) = store();
    let first = ingest_bytes(&mut store, "bericht.txt", GERMAN.as_bytes(), &Options::default()).unwrap();
    assert!(matches!(first.added, Added::New { persons_linked: 0, persons_created: 0, events: 0 }), "{:?}", first.added);
    assert_eq!(first.not_extracted.as_ref().map(|n| n.source.as_str()), Some("bericht.txt"));
    assert_eq!(audited_extractor(&store, "document.ingest"), NOT_EXTRACTED);
    let hits = store.search("Polizeiwache", 5).unwrap();
    assert_eq!(hits.iter().map(|h| h.document.as_str()).collect::<Vec<_>>(), [first.id.as_str()]);
    assert!(store.persons().unwrap().is_empty());
    let again = ingest_bytes(&mut store, "copy.txt", GERMAN.as_bytes(), &Options::default()).unwrap();
    assert!(matches!(again.added, Added::AlreadyPresent { .. }));
    assert_eq!((again.id, again.not_extracted), (first.id, None));
}

#[test]
fn a_prepared_report_already_on_record_is_not_said_again() {
    let (_dir, mut store) = store();
    let p = prepared("bericht.txt", GERMAN, None);
    assert!(store_prepared(&mut store, &p).unwrap().not_extracted.is_some());
    let again = store_prepared(&mut store, &p).unwrap();
    assert!(matches!(again.added, Added::AlreadyPresent { .. }));
    assert_eq!(again.not_extracted, None);
}

#[test]
fn reextract_chooses_by_the_stored_language() {
    let (_dir, mut store) = store();
    for (name, text) in [("en.txt", ENGLISH), ("ru.txt", RUSSIAN), ("de.txt", GERMAN)] {
        ingest_bytes(&mut store, name, text.as_bytes(), &Options::default()).unwrap();
    }
    let docs = store.documents().unwrap();
    let doc = |name: &str| docs.iter().find(|d| d.document.source == name).unwrap().document.clone();
    let en = reextract(&mut store, &doc("en.txt")).unwrap();
    assert_eq!(audited_extractor(&store, "document.reextract"), "rules-en/1");
    assert!(matches!(en.added, Added::New { events, .. } if events > 0), "{:?}", en.added);
    assert_eq!(en.not_extracted, None);
    assert_eq!(reextract(&mut store, &doc("ru.txt")).unwrap().not_extracted, None);
    assert_eq!(audited_extractor(&store, "document.reextract"), "rules-ru/1");
    let de = reextract(&mut store, &doc("de.txt")).unwrap();
    assert_eq!(audited_extractor(&store, "document.reextract"), NOT_EXTRACTED);
    assert_eq!(de.not_extracted.and_then(|n| n.language).as_deref(), Some("de"));
}

#[test]
fn a_file_that_is_not_a_report_is_refused_before_it_is_read() {
    let (_dir, mut store) = store();
    let err = ingest_bytes(&mut store, "notes.xlsx", ENGLISH.as_bytes(), &Options::default()).unwrap_err();
    assert!(matches!(err, PipelineError::NotAReport), "{err}");
    assert!(store.documents().unwrap().is_empty());
}

#[test]
fn a_report_whose_extractor_fails_is_stored_searchable_and_said_once_with_the_reason() {
    let (_dir, mut store) = store();
    let document = prepared("ru.txt", RUSSIAN, None).document;
    let failed = ExtractorFailed { extractor: "rules-ru/1", why: "a bug".into() };
    let p = Prepared::new("ru.txt", RUSSIAN.as_bytes().to_vec(), document, Err(failed.clone()));
    assert_eq!((p.extractor, &p.extraction), (NOT_EXTRACTED, &Extraction::default()));
    let stored = store_prepared(&mut store, &p).unwrap();
    let said = stored.not_extracted.unwrap();
    assert_eq!(said.failed, Some(failed));
    assert_eq!(said.to_string(), "stored and searchable, not extracted: the extractor rules-ru/1 failed on it: a bug");
    assert_eq!(store.search("Ташкенте", 5).unwrap().len(), 1);
    assert_eq!(audited_extractor(&store, "document.ingest"), NOT_EXTRACTED);
}

/// Invented reports whose persons recur, so that person ids depend on the order of storing.
fn many_reports() -> Vec<(String, String)> {
    let names = ["Davron Tursunov", "Ilhom Rakhmatov", "Sanjar Aliyev"];
    (0..9)
        .map(|i| {
            let (a, b) = (names[i % 3], names[(i * 2 + 1) % 3]);
            (format!("report-{i}.txt"), format!("Police in Tashkent detained {a} on {} March 2023. His friend {b} said he was beaten.\n", i + 1))
        })
        .collect()
}

#[test]
fn many_workers_store_in_order_and_make_the_record_one_worker_makes() {
    let reports = many_reports();
    let read = |r: &(String, String)| -> Result<(String, Vec<u8>), PipelineError> { Ok((r.0.clone(), r.1.as_bytes().to_vec())) };
    let mut records = Vec::new();
    for workers in [1, 4] {
        let (_dir, mut store) = store();
        let mut order = Vec::new();
        ingest_in_order(&mut store, &reports, workers, &Options::default(), &read, &mut |i, stored| order.push((i, stored.is_ok())));
        assert_eq!(order, (0..9).map(|i| (i, true)).collect::<Vec<_>>(), "each report told once, in order");
        let persons: Vec<(String, String)> = store.persons().unwrap().into_iter().map(|p| (p.id, p.name)).collect();
        let ingested: Vec<String> = store.audit_log().unwrap().into_iter().filter(|e| e.action == "document.ingest").map(|e| e.subject).collect();
        records.push((persons, ingested));
    }
    assert_eq!(records[0].0.len(), 3, "{:?}", records[0].0);
    assert_eq!(records[0], records[1]);
}

#[test]
fn a_report_that_cannot_be_read_is_told_in_its_place_and_the_rest_are_stored() {
    let (_dir, mut store) = store();
    let mut reports = many_reports();
    reports[4].0 = "report-4.xlsx".into();
    let read = |r: &(String, String)| -> Result<(String, Vec<u8>), PipelineError> { Ok((r.0.clone(), r.1.as_bytes().to_vec())) };
    let mut failed = Vec::new();
    ingest_in_order(&mut store, &reports, 3, &Options::default(), &read, &mut |i, stored| {
        if let Err(e) = stored {
            failed.push((i, e.to_string()));
        }
    });
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].0, 4);
    assert!(failed[0].1.contains("not a report format"), "{}", failed[0].1);
    assert_eq!(store.documents().unwrap().len(), 8);
}

#[test]
fn an_emails_attachments_are_reports_of_their_own_linked_to_the_message() {
    let (_dir, mut store) = store();
    let eml = include_bytes!("../tests/fixtures/tip_with_attachment.eml");
    let stored = ingest_bytes(&mut store, "inbox/tip.eml", eml, &Options::default()).unwrap();
    // The note is read; the file of no report format is left out, the message kept.
    assert_eq!(stored.attachments.len(), 1, "{stored:?}");
    let docs = store.documents().unwrap();
    let message = docs.iter().find(|d| d.document.id == stored.id).unwrap();
    assert_eq!(message.document.title.as_deref(), Some("Tip: a detention in Kazan"));
    assert_eq!(message.document.attached_to, None);
    let note = docs.iter().find(|d| d.document.source == "inbox/tip.eml#lawyer-note.txt").expect("the note is on record");
    assert_eq!(note.document.attached_to.as_deref(), Some(stored.id.as_str()));
    assert_eq!(note.document.id, stored.attachments[0].id);
    let events = store.events().unwrap();
    // Each document's events are its own: the message's arrest and the note's.
    assert!(events.iter().any(|e| e.sources.iter().any(|s| s.document == note.document.id && s.quote.contains("taxi driver"))), "{events:?}");
    assert!(events.iter().any(|e| e.sources.iter().any(|s| s.document == message.document.id)), "{events:?}");
    // The same message again adds nothing.
    let again = ingest_bytes(&mut store, "elsewhere/tip.eml", eml, &Options::default()).unwrap();
    assert!(matches!(again.added, Added::AlreadyPresent { .. }));
    assert_eq!(store.documents().unwrap().len(), 2);
}
