//! A person is found by the name as people type it: another romanisation,
//! the Cyrillic form, a Russian case of the surname, the surname alone; on
//! both engines. A different person with a like name is not; a restricted
//! person is found by none of the forms.

mod common;

use chronicle_model::{Document, ExtractedPerson, Extraction, Mention, Span};
use chronicle_store::{RecordRef, Role, SqlStore, Store};
use common::each_backend;

fn report(n: u8, text: &str, names: &[&str]) -> (Document, Extraction) {
    let sha = format!("{n:0<64}");
    let doc = Document {
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
    };
    let persons = names
        .iter()
        .map(|name| {
            let start = text.find(name).unwrap();
            let start = text[..start].chars().count();
            ExtractedPerson { name: name.to_string(), mentions: vec![Mention { text: name.to_string(), span: Span::new(start, start + name.chars().count()) }], ..Default::default() }
        })
        .collect();
    (doc, Extraction { persons, ..Default::default() })
}

fn names_found(store: &SqlStore, q: &str) -> Vec<String> {
    store.find_persons(q).unwrap().into_iter().map(|p| p.name).collect()
}

#[test]
fn other_spellings_scripts_and_cases_find_the_person() {
    each_backend(|f| {
        let mut store = f.open();
        let (d, ex) = report(1, "Bakhrom Khamroyev was detained; Rustam Karimov was questioned.", &["Bakhrom Khamroyev", "Rustam Karimov"]);
        store.add_document(&d, d.text.as_bytes(), &ex, "test").unwrap();
        for q in ["Bakhrom Khamroev", "Khamroev", "Хамроев", "Хамроеву", "Бахром Хамроев", "khamroyev"] {
            assert_eq!(names_found(&store, q), ["Bakhrom Khamroyev"], "{q} on {}", f.engine);
        }
        for q in ["Bakhrom Karimov", "Khamidov", "Хамраев Рустам"] {
            assert!(!names_found(&store, q).contains(&"Bakhrom Khamroyev".to_string()), "{q} is someone else, on {}", f.engine);
        }
    });
}

#[test]
fn a_restricted_person_is_found_by_no_spelling() {
    each_backend(|f| {
        let mut store = f.open();
        let (d, ex) = report(2, "Bakhrom Khamroyev was detained.", &["Bakhrom Khamroyev"]);
        store.add_document(&d, d.text.as_bytes(), &ex, "test").unwrap();
        store.add_user("ada", Role::Admin, None).unwrap();
        store.act_as("ada").unwrap();
        store.add_user("bob", Role::Viewer, None).unwrap();
        let id = store.find_persons("Bakhrom Khamroyev").unwrap().remove(0).id;
        store.restrict(&RecordRef::Person(id), Some("a witness")).unwrap();
        let mut bob = f.open();
        bob.act_as("bob").unwrap();
        for q in ["Bakhrom Khamroev", "Хамроев", "Khamroyev"] {
            assert!(names_found(&bob, q).is_empty(), "{q} on {}", f.engine);
        }
        assert_eq!(names_found(&store, "Хамроев"), ["Bakhrom Khamroyev"], "the admin finds him");
    });
}
