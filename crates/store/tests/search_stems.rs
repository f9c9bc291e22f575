//! Search by the stems of words, on both engines: any form of a Russian word
//! or surname finds the others, English words too; snippets show the text
//! as written; a hidden person's name is found by none of its forms; and a
//! store made before stemming finds by stems once upgraded.

mod common;

use chronicle_model::{Document, ExtractedPerson, Extraction, Mention, Span};
use chronicle_store::{RecordRef, Role, SqlStore, Store, MASK};
use common::{each_backend, Fresh};

/// An invented report: a man detained, then charged, his surname in three cases.
const RU: &str = "Сотрудники полиции задержали Фарруха Тоштемирова в Самаре. \
    Через неделю Тоштемирову предъявили обвинение, сообщила сестра Тоштемирова.";
/// An invented English report.
const EN: &str = "Officers arrested two activists at a picket; both were charged with hooliganism.";

fn doc(n: u8, language: &str, text: &str) -> Document {
    let sha = format!("{n:0<64}");
    Document {
        id: Document::id_for_sha256(&sha),
        source: format!("report-{n}.txt"),
        sha256: sha,
        title: None,
        published: None,
        language: Some(language.into()),
        publisher: None,
        text: text.into(),
        reading: Default::default(),
        attached_to: None,
    }
}

fn add(store: &mut SqlStore, d: &Document, ex: &Extraction) {
    store.add_document(d, d.text.as_bytes(), ex, "test").unwrap();
}

fn found(store: &SqlStore, q: &str) -> Vec<String> {
    store.search(q, 10).unwrap_or_else(|e| panic!("{q}: {e}")).into_iter().map(|h| h.document).collect()
}

#[test]
fn russian_word_forms_and_surname_cases_find_each_other() {
    each_backend(|f| {
        let mut store = f.open();
        let (ru, en) = (doc(1, "ru", RU), doc(2, "en", EN));
        add(&mut store, &ru, &Extraction::default());
        add(&mut store, &en, &Extraction::default());
        for q in ["задержан", "задержали", "ЗАДЕРЖАНИЕ", "Тоштемиров", "Тоштемирову", "тоштемировым", "обвинения", "Самара"] {
            assert_eq!(found(&store, q), [ru.id.clone()], "{q} on {}", f.engine);
        }
        assert!(found(&store, "освобожден").is_empty(), "a word the report lacks finds nothing");
        let hits = store.search("Тоштемиров", 10).unwrap();
        assert!(hits[0].snippet.contains("задержали [Фарруха] [Тоштемирова]") || hits[0].snippet.contains("[Тоштемирова] в Самаре"), "{}", hits[0].snippet);
        assert!(hits[0].snippet.contains("неделю [Тоштемирову] предъявили"), "every form is marked, as written: {}", hits[0].snippet);
    });
}

#[test]
fn english_words_are_found_in_their_forms_and_as_written() {
    each_backend(|f| {
        let mut store = f.open();
        let (ru, en) = (doc(1, "ru", RU), doc(2, "en", EN));
        add(&mut store, &ru, &Extraction::default());
        add(&mut store, &en, &Extraction::default());
        for q in ["arrested", "arrest", "activist charges", "Pickets", "hooliganism"] {
            assert_eq!(found(&store, q), [en.id.clone()], "{q} on {}", f.engine);
        }
        let hits = store.search("activist", 10).unwrap();
        assert!(hits[0].snippet.contains("two [activists] at"), "{}", hits[0].snippet);
        assert!(found(&store, "arrested released").is_empty(), "every word must be there");
    });
}

/// An invented report naming a witness six times, in four cases; her name is restricted.
const WITNESS: &str = "Свидетельница Малика Абдуллаева видела задержание. \
    Абдуллаеву допросили, Абдуллаевой угрожали, а показания Абдуллаевой изъяли. Задержание длилось час. \
    Абдуллаева уехала.";

fn witness_store(f: &Fresh) -> Document {
    let mut store = f.open();
    let d = doc(3, "ru", WITNESS);
    // Extraction took her full name and, last, her surname alone (both nominative).
    let mentions = ["Малика Абдуллаева", "Абдуллаева уехала"].map(|m| {
        let start = WITNESS[..WITNESS.find(m).unwrap()].chars().count();
        let name = m.trim_end_matches(" уехала");
        Mention { text: name.into(), span: Span::new(start, start + name.chars().count()) }
    });
    let witness = ExtractedPerson { name: "Малика Абдуллаева".into(), mentions: mentions.to_vec(), ..Default::default() };
    add(&mut store, &d, &Extraction { persons: vec![witness], ..Default::default() });
    store.add_user("ada", Role::Admin, None).unwrap();
    store.act_as("ada").unwrap();
    store.add_user("bob", Role::Viewer, None).unwrap();
    let her = store.find_persons("Малика Абдуллаева").unwrap().remove(0).id;
    store.restrict(&RecordRef::Person(her), Some("a witness")).unwrap();
    d
}

#[test]
fn a_hidden_name_is_found_by_none_of_its_forms() {
    each_backend(|f| {
        let d = witness_store(&f);
        let mut bob = f.open();
        bob.act_as("bob").unwrap();
        for q in ["Абдуллаева", "Абдуллаеву", "абдуллаевой", "Абдуллаев", "Малика", "Малике", "Abdullaeva"] {
            assert!(found(&bob, q).is_empty(), "{q} on {}", f.engine);
        }
        let hits = bob.search("задержанием", 10).unwrap();
        assert_eq!(hits.len(), 1, "found by the words the reader sees");
        assert!(hits[0].snippet.contains(MASK) && !hits[0].snippet.contains("Абдуллаев"), "{}", hits[0].snippet);
        let mut ada = f.open();
        ada.act_as("ada").unwrap();
        for q in ["Абдуллаев", "Абдуллаеву", "Маликой"] {
            assert_eq!(found(&ada, q), [d.id.clone()], "the admin finds her by {q}");
        }
    });
}

/// Statements putting the store's search index back as the schema before
/// stemming had it (the words as written), and without documents' readings: two versions behind.
fn unstemmed_index(engine: &str) -> &'static str {
    match engine {
        "sqlite" => {
            "DROP TABLE documents_fts;
             CREATE VIRTUAL TABLE documents_fts USING fts5(title, text, content='documents', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2');
             INSERT INTO documents_fts (documents_fts) VALUES ('rebuild');
             DROP TABLE document_tags; DROP INDEX documents_attached_to; ALTER TABLE documents DROP COLUMN reading; ALTER TABLE documents DROP COLUMN ocr_confidence; ALTER TABLE documents DROP COLUMN attached_to;
             PRAGMA user_version = 8;"
        }
        _ => {
            "DROP INDEX documents_fts; ALTER TABLE documents DROP COLUMN fts;
             ALTER TABLE documents ADD COLUMN fts tsvector GENERATED ALWAYS AS (
                 to_tsvector(CASE WHEN language = 'ru' THEN 'russian'::regconfig ELSE 'english'::regconfig END, coalesce(title, '') || ' ' || text)) STORED;
             CREATE INDEX documents_fts ON documents USING gin (fts);
             DROP TABLE document_tags; DROP INDEX documents_attached_to; ALTER TABLE documents DROP COLUMN reading; ALTER TABLE documents DROP COLUMN ocr_confidence; ALTER TABLE documents DROP COLUMN attached_to;
             UPDATE chronicle_schema SET version = version - 2;"
        }
    }
}

fn raw_sql(f: &Fresh, sql: &str) {
    match &f.location {
        chronicle_store::Location::File(path) => rusqlite::Connection::open(path).unwrap().execute_batch(sql).unwrap(),
        chronicle_store::Location::Postgres(url) => postgres::Client::connect(url, postgres::NoTls).unwrap().batch_execute(sql).unwrap(),
    }
}

/// Whether the index as it lies finds `stem` in a document (read past the store).
fn old_index_finds(f: &Fresh, word: &str) -> bool {
    match &f.location {
        chronicle_store::Location::File(path) => {
            let c = rusqlite::Connection::open(path).unwrap();
            c.query_row("SELECT COUNT(*) FROM documents_fts WHERE documents_fts MATCH ?1", [word], |r| r.get::<_, i64>(0)).unwrap() > 0
        }
        chronicle_store::Location::Postgres(url) => {
            let mut c = postgres::Client::connect(url, postgres::NoTls).unwrap();
            c.query_one("SELECT COUNT(*) FROM documents WHERE fts @@ plainto_tsquery('russian', $1)", &[&word]).unwrap().get::<_, i64>(0) > 0
        }
    }
}

#[test]
fn a_store_made_before_stemming_finds_by_stems_once_upgraded() {
    each_backend(|f| {
        let d = doc(1, "ru", RU);
        let version = {
            let mut store = f.open();
            add(&mut store, &d, &Extraction::default());
            store.schema_version().unwrap()
        };
        raw_sql(&f, unstemmed_index(f.engine));
        assert!(!old_index_finds(&f, "Тоштемиров"), "the old index has no stems of the surname ({})", f.engine);
        let store = f.open();
        assert_eq!(store.schema_version().unwrap(), version);
        for q in ["Тоштемиров", "задержан", "Тоштемирову"] {
            assert_eq!(found(&store, q), [d.id.clone()], "{q} on {}, upgraded", f.engine);
        }
        let upgrades = store.audit_log().unwrap().iter().filter(|e| e.action == "store.upgrade").count();
        assert_eq!(upgrades, 1, "the upgrade is on record");
    });
}
