//! Searches as people type them, on both engines: a prefix (`tortur*`), a
//! quoted phrase, `OR`, `NOT` and `-word`, and the number of documents that
//! match whatever the number shown; a reader from whom a name is masked
//! learns nothing of it from what a NOT leaves out.

mod common;

use chronicle_model::{Document, ExtractedPerson, Extraction, Mention, Span};
use chronicle_store::{RecordRef, Role, SqlStore, Store};
use common::each_backend;

/// Invented reports.
const REPORTS: [&str; 4] = [
    "He was tortured in custody and later sentenced to a penal colony.",
    "The activist was detained at the border; his lawyer reported torture.",
    "She was arrested and released two days later.",
    "A colony for penal labour was built in the region.",
];

fn doc(n: usize, text: &str) -> Document {
    let sha = format!("{n:0<64}");
    Document {
        id: Document::id_for_sha256(&sha),
        source: format!("report-{n}.txt"),
        sha256: sha,
        title: None,
        published: None,
        language: Some("en".into()),
        publisher: None,
        text: text.into(),
        reading: Default::default(),
        attached_to: None,
    }
}

fn filled(store: &mut SqlStore) {
    for (n, text) in REPORTS.iter().enumerate() {
        let d = doc(n, text);
        store.add_document(&d, d.text.as_bytes(), &Extraction::default(), "test").unwrap();
    }
}

/// The numbers (in REPORTS) of the documents found.
fn found(store: &SqlStore, q: &str) -> Vec<usize> {
    let mut n: Vec<usize> = store.search(q, 10).unwrap_or_else(|e| panic!("{q}: {e}")).iter().map(|h| h.source[7..8].parse().unwrap()).collect();
    n.sort();
    n
}

#[test]
fn prefixes_phrases_or_and_not() {
    each_backend(|f| {
        let mut store = f.open();
        filled(&mut store);
        let cases: [(&str, &[usize]); 9] = [
            ("torture", &[0, 1]),
            ("tortur*", &[0, 1]),
            ("\"penal colony\"", &[0]),
            ("penal colony", &[0, 3]),
            ("detained OR arrested", &[1, 2]),
            ("arrested NOT released", &[]),
            ("tortur* -lawyer", &[0]),
            ("tortur* NOT \"penal colony\"", &[1]),
            ("custod* OR border", &[0, 1]),
        ];
        for (q, want) in cases {
            assert_eq!(found(&store, q), want, "{q} on {}", f.engine);
        }
        let hits = store.search("tortur*", 10).unwrap();
        assert!(hits.iter().any(|h| h.snippet.contains("[tortured]")), "{hits:?}");
    });
}

#[test]
fn the_number_of_matches_is_told_whatever_the_number_shown() {
    each_backend(|f| {
        let mut store = f.open();
        filled(&mut store);
        let one = store.search_counted("tortur* OR colony", 1).unwrap();
        assert_eq!((one.hits.len(), one.total, one.exact), (1, 3, true), "on {}", f.engine);
        assert_eq!(store.search_counted("released", 10).unwrap().total, 1);
    });
}

#[test]
fn a_not_tells_a_reader_nothing_of_a_masked_name() {
    each_backend(|f| {
        let mut store = f.open();
        let text = "Officers detained Malika Usmonova and a second woman at the market.";
        let d = doc(5, text);
        let start = text.find("Malika").unwrap();
        let her = ExtractedPerson { name: "Malika Usmonova".into(), mentions: vec![Mention { text: "Malika Usmonova".into(), span: Span::new(start, start + 15) }], ..Default::default() };
        store.add_document(&d, text.as_bytes(), &Extraction { persons: vec![her], ..Default::default() }, "test").unwrap();
        store.add_user("ada", Role::Admin, None).unwrap();
        store.act_as("ada").unwrap();
        store.add_user("bob", Role::Viewer, None).unwrap();
        let id = store.find_persons("Malika Usmonova").unwrap().remove(0).id;
        store.restrict(&RecordRef::Person(id), Some("a witness")).unwrap();
        let mut bob = f.open();
        bob.act_as("bob").unwrap();
        // Bob sees the report with her name masked: leaving her name out leaves the report in.
        assert_eq!(bob.search("detained NOT Usmonova", 10).unwrap().len(), 1, "on {}", f.engine);
        assert_eq!(bob.search("detained -Usmon*", 10).unwrap().len(), 1, "on {}", f.engine);
        assert!(bob.search("Usmon*", 10).unwrap().is_empty(), "on {}", f.engine);
        assert!(store.search("detained NOT Usmonova", 10).unwrap().is_empty(), "the admin sees her name");
    });
}

#[test]
fn a_name_is_found_in_the_reports_that_spell_it_otherwise() {
    each_backend(|f| {
        let mut store = f.open();
        let text = "Bakhrom Khamroyev was detained in Tver.";
        let d = doc(7, text);
        let him = ExtractedPerson { name: "Bakhrom Khamroyev".into(), mentions: vec![Mention { text: "Bakhrom Khamroyev".into(), span: Span::new(0, 17) }], ..Default::default() };
        store.add_document(&d, text.as_bytes(), &Extraction { persons: vec![him], ..Default::default() }, "test").unwrap();
        for q in ["Khamroev", "Хамроев", "Хамроеву", "khamroyev detained", "Khamroev OR nobody"] {
            let hits = store.search(q, 10).unwrap();
            assert_eq!(hits.len(), 1, "{q} on {}", f.engine);
            assert!(hits[0].snippet.contains("[Khamroyev]"), "{q}: {}", hits[0].snippet);
        }
        assert!(store.search("Khamidov", 10).unwrap().is_empty(), "another name");
    });
}
