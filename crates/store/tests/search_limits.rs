//! What a search may cost, on each engine: each word is searched once, a
//! query has at most 1 KB and 32 different words, a search stops at its time
//! limit and when whoever asked for it goes away, and ordinary queries find
//! what they always found.

mod common;

use chronicle_model::{Document, Extraction};
use chronicle_store::{Cancel, SqlStore, Store, StoreError, MAX_SEARCH_BYTES, MAX_SEARCH_WORDS};
use common::{each_backend, Fresh};
use std::time::{Duration, Instant};

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

/// Three reports: two about a sentence, one about a search of a home.
fn reports(f: &Fresh) -> SqlStore {
    let mut store = f.open();
    for (id, text) in [
        ("a", "The court sentenced Zafar Nurmatov to 14 years in a maximum-security penal colony."),
        ("b", "Police searched the home of Dilnoza Rashidova in Tashkent and took her books."),
        ("c", "Zafar Nurmatov's lawyer said the penal colony refused him visits."),
    ] {
        store.add_document(&doc(id, text), text.as_bytes(), &Extraction::default(), "test").unwrap();
    }
    store
}

fn ids(store: &SqlStore, query: &str) -> Vec<String> {
    let mut found: Vec<String> = store.search(query, 10).unwrap_or_else(|e| panic!("{query:?}: {e}")).into_iter().map(|h| h.document).collect();
    found.sort();
    found
}

#[test]
fn ordinary_queries_find_what_they_always_found() {
    each_backend(|f| {
        let store = reports(&f);
        let (a, b, c) = (doc("a", "").id, doc("b", "").id, doc("c", "").id);
        assert_eq!(ids(&store, "penal colony"), [a.clone(), c.clone()], "{}", f.engine);
        assert_eq!(ids(&store, "Nurmatov sentenced"), [a.clone()]);
        assert_eq!(ids(&store, "Tashkent"), [b]);
        assert!(ids(&store, "penal Tashkent").is_empty());
        let hits = store.search("penal colony", 10).unwrap();
        assert!(hits.iter().all(|h| h.snippet.contains("[penal] [colony]")), "{hits:?}");
    });
}

#[test]
fn a_word_repeated_hundreds_of_times_is_searched_once() {
    each_backend(|f| {
        let store = reports(&f);
        let once = ids(&store, "Nurmatov");
        let started = Instant::now();
        // 100 times, in three cases: 900 bytes, one word.
        let repeated: String = (0..100).map(|i| ["Nurmatov ", "nurmatov ", "NURMATOV "][i % 3]).collect();
        assert!(repeated.len() <= MAX_SEARCH_BYTES);
        assert_eq!(ids(&store, &repeated), once, "{}", f.engine);
        assert!(started.elapsed() < Duration::from_secs(5), "{}: {:?}", f.engine, started.elapsed());
    });
}

#[test]
fn a_query_too_long_with_too_many_words_or_with_a_nul_is_refused_saying_why() {
    each_backend(|f| {
        let store = reports(&f);
        let long = "the ".repeat(400);
        let err = store.search(&long, 10).unwrap_err();
        assert!(matches!(err, StoreError::Query(_)) && err.to_string().contains("1600 bytes"), "{}: {err}", f.engine);
        let many: String = (0..=MAX_SEARCH_WORDS).map(|i| format!("word{i} ")).collect();
        let err = store.search(&many, 10).unwrap_err();
        assert!(matches!(err, StoreError::Query(_)) && err.to_string().contains("33 different words"), "{err}");
        let exactly: String = (0..MAX_SEARCH_WORDS).map(|i| format!("word{i} ")).collect();
        assert!(store.search(&exactly, 10).unwrap().is_empty(), "32 different words are fine");
        for nul in ["a\0b", "\0"] {
            let err = store.search(nul, 10).unwrap_err();
            assert!(matches!(err, StoreError::Query(_)) && err.to_string().contains("control character"), "{nul:?}: {err}");
        }
        assert_eq!(ids(&store, "penal\tcolony").len(), 2, "tabs and line breaks separate words");
    });
}

/// Holds every read of the documents table on PostgreSQL until dropped: a search
/// that starts meanwhile cannot finish, as one over a huge record would not.
struct Held(#[allow(dead_code)] postgres::Client);

fn hold_documents(f: &Fresh) -> Option<Held> {
    let chronicle_store::Location::Postgres(url) = &f.location else { return None };
    let mut c = postgres::Client::connect(url, postgres::NoTls).unwrap();
    c.batch_execute("BEGIN; LOCK TABLE documents IN ACCESS EXCLUSIVE MODE").unwrap();
    Some(Held(c))
}

#[test]
fn a_search_past_its_time_limit_is_stopped_and_the_store_goes_on() {
    each_backend(|f| {
        let mut store = reports(&f);
        // SQLite readers never wait: there the limit is spent before the search starts
        // (the SQLite engine's own tests stop a query that runs long).
        let held = hold_documents(&f);
        store.set_search_time(if held.is_some() { Duration::from_millis(500) } else { Duration::ZERO });
        let started = Instant::now();
        let err = store.search("penal colony", 10).unwrap_err();
        assert!(matches!(err, StoreError::Interrupted(_)) && err.to_string().contains("longer than"), "{}: {err}", f.engine);
        assert!(started.elapsed() < Duration::from_secs(10), "{}: {:?}", f.engine, started.elapsed());
        drop(held);
        store.set_search_time(chronicle_store::SEARCH_TIME);
        assert_eq!(ids(&store, "penal colony").len(), 2, "{}: the connection still serves", f.engine);
    });
}

#[test]
fn a_search_whose_caller_went_away_is_stopped() {
    each_backend(|f| {
        let mut store = reports(&f);
        let held = hold_documents(&f);
        let cancel = Cancel::new();
        store.set_cancel(cancel.clone());
        let started = Instant::now();
        let err = match held {
            // On PostgreSQL the search is under way, waiting, when its caller goes.
            Some(_) => std::thread::scope(|s| {
                let later = cancel.clone();
                s.spawn(move || {
                    std::thread::sleep(Duration::from_millis(200));
                    later.cancel();
                });
                store.search("penal colony", 10).unwrap_err()
            }),
            // SQLite's search would be over before anyone could go: gone before it starts.
            None => {
                cancel.cancel();
                store.search("penal colony", 10).unwrap_err()
            }
        };
        assert!(matches!(err, StoreError::Interrupted(_)) && err.to_string().contains("went away"), "{}: {err}", f.engine);
        // The search stops soon after, not at its time limit.
        assert!(started.elapsed() < chronicle_store::SEARCH_TIME, "{}: {:?}", f.engine, started.elapsed());
        drop(held);
        store.set_cancel(Cancel::new());
        assert_eq!(ids(&store, "penal colony").len(), 2, "{}: the connection still serves", f.engine);
    });
}
