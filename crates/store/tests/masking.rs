//! What masking covers. A hidden person's names are masked wherever a reader
//! who may not see them is shown text — document texts, titles, sources,
//! publishers, quotes and search snippets — in every spelling on record, in
//! any case, script and ending, not only where extraction took them as a
//! mention; and words that stand only where they are masked find nothing.
//! A hidden person is not found, whatever is asked of them: events by
//! person, and a split of a visible person by their mentions in a document
//! the editor may not see, answer as for what is not on record.

mod common;

use chronicle_link::names::fold;
use chronicle_model::{Document, EntityRef, EventType, ExtractedEvent, ExtractedPerson, Extraction, Mention, Source, Span};
use chronicle_store::{EventFilter, MentionSelector, RecordRef, Role, SqlStore, Store, StoreError, MASK};
use common::{each_backend, Fresh};

/// A witness's report: her name in the headline (upper case), in the path it
/// was read from, in the publisher, twice where extraction took it, and three
/// times where it did not (in Cyrillic, and with an English possessive).
const WITNESS_REPORT: &str = "DILNOZA YUSUPOVA: WHAT I SAW AT THE MARKET\n\n\
    Police detained Rustam Nazarov in Moscow. The witness Dilnoza Yusupova saw officers beat him outside the market. \
    Yusupova said so later. Her neighbours say Дилноза Юсупова was threatened, and Yusupova's car was searched.";
/// She and Rustam Nazarov beaten together: an event that is hers and his.
const BEATING_REPORT: &str = "Police beat Dilnoza Yusupova and Rustam Nazarov in Tashkent. Nobody was charged.";
/// A report that does not name her.
const SOURCE_REPORT: &str = "Sardor Alimov told us that Rustam Nazarov was tortured with electric shocks.";

/// The spellings to look for in what a reader is shown, as folded (so that
/// every case, accent and script of them is looked for).
const HER_NAMES: &[&str] = &["dilnoza", "yusupov"];

fn doc(n: u8, source: &str, title: Option<&str>, publisher: Option<&str>, text: &str) -> Document {
    let sha = format!("{n:0<64}");
    Document {
        id: Document::id_for_sha256(&sha),
        source: source.into(),
        sha256: sha,
        title: title.map(Into::into),
        published: "2025-03-12".parse().ok(),
        language: Some("en".into()),
        publisher: publisher.map(Into::into),
        text: text.into(),
        reading: Default::default(),
        attached_to: None,
    }
}

/// The `nth` place (from 0) where `needle` stands in `text`, as a mention.
fn mention(text: &str, needle: &str, nth: usize) -> Mention {
    let at = text.match_indices(needle).nth(nth).expect("needle in text").0;
    let start = text[..at].chars().count();
    Mention { text: needle.into(), span: Span::new(start, start + needle.chars().count()) }
}

fn person(name: &str, mentions: Vec<Mention>) -> ExtractedPerson {
    ExtractedPerson { name: name.into(), mentions, ..Default::default() }
}

/// An event told by the sentence of `text` that contains `phrase`.
fn event(text: &str, phrase: &str, kind: EventType, victims: Vec<usize>) -> ExtractedEvent {
    let start_b = text[..text.find(phrase).expect("phrase in text")].rfind(". ").map_or(0, |i| i + 2);
    let end_b = text[start_b..].find(". ").map_or(text.len(), |i| start_b + i + 1);
    let quote = &text[start_b..end_b];
    let start = text[..start_b].chars().count();
    ExtractedEvent {
        kind,
        date: None,
        place: None,
        country: None,
        to_country: None,
        victims: victims.into_iter().map(EntityRef::Person).collect(),
        perpetrators: vec![],
        term_years: None,
        regime: None,
        charges: vec![],
        confidence: 0.9,
        sources: vec![Source { span: Span::new(start, start + quote.chars().count()), quote: quote.into() }],
    }
}

struct Fixture {
    store: Fresh,
    /// The witness's report, the beating of both, the source's report.
    docs: [String; 3],
    witness: String,
    rustam: String,
}

/// Three reports, the witness restricted. Accounts: ada (admin), alice (editor), bob (viewer).
fn fixture(fresh: Fresh) -> Fixture {
    let mut store = fresh.open();
    let (t1, t2, t3) = (WITNESS_REPORT, BEATING_REPORT, SOURCE_REPORT);
    let reports = [
        (
            doc(1, "reports/Dilnoza Yusupova/statement.txt", Some("Dilnoza Yusupova: what I saw at the market"), Some("Friends of DILNOZA YUSUPOVA"), t1),
            Extraction {
                persons: vec![
                    person("Rustam Nazarov", vec![mention(t1, "Rustam Nazarov", 0)]),
                    // Extraction took her name twice of the six times it stands there.
                    person("Dilnoza Yusupova", vec![mention(t1, "Dilnoza Yusupova", 0), mention(t1, "Yusupova", 1)]),
                ],
                events: vec![event(t1, "detained", EventType::Arrest, vec![0]), event(t1, "officers beat", EventType::Torture, vec![0])],
                ..Default::default()
            },
        ),
        (
            doc(2, "reports/tashkent.txt", None, None, t2),
            Extraction {
                persons: vec![person("Dilnoza Yusupova", vec![mention(t2, "Dilnoza Yusupova", 0)]), person("Rustam Nazarov", vec![mention(t2, "Rustam Nazarov", 0)])],
                events: vec![event(t2, "beat", EventType::Torture, vec![0, 1])],
                ..Default::default()
            },
        ),
        (
            doc(3, "reports/source.txt", Some("A source speaks"), None, t3),
            Extraction {
                persons: vec![person("Sardor Alimov", vec![mention(t3, "Sardor Alimov", 0)]), person("Rustam Nazarov", vec![mention(t3, "Rustam Nazarov", 0)])],
                events: vec![event(t3, "tortured", EventType::Torture, vec![1])],
                ..Default::default()
            },
        ),
    ];
    let mut docs = Vec::new();
    for (d, ex) in &reports {
        store.add_document(d, d.text.as_bytes(), ex, "test").unwrap();
        docs.push(d.id.clone());
    }
    store.add_user("ada", Role::Admin, None).unwrap();
    store.act_as("ada").unwrap();
    store.add_user("alice", Role::Editor, None).unwrap();
    store.add_user("bob", Role::Viewer, None).unwrap();
    let witness = store.find_persons("Dilnoza Yusupova").unwrap().remove(0).id;
    let rustam = store.find_persons("Rustam Nazarov").unwrap().remove(0).id;
    store.restrict(&RecordRef::Person(witness.clone()), Some("she fears reprisals")).unwrap();
    drop(store);
    Fixture { store: fresh, docs: docs.try_into().unwrap(), witness, rustam }
}

impl Fixture {
    fn open_as(&self, user: &str) -> SqlStore {
        let mut store = self.store.open();
        store.act_as(user).unwrap();
        store
    }
}

/// Everything a reader is shown of the record, as one text.
fn everything_shown(store: &SqlStore, docs: &[String]) -> String {
    let mut out = format!("{:?}\n{:?}\n{:?}\n", store.documents().unwrap(), store.documents_page(0, 50).unwrap(), store.events().unwrap());
    out += &format!("{:?}\n{:?}\n", store.events_where(&EventFilter::default()).unwrap(), store.persons().unwrap());
    for d in docs {
        out += &format!("{:?}\n{:?}\n", store.document(d).unwrap(), store.document_mentions(d).unwrap());
        out += &format!("{:?}\n", store.events_where(&EventFilter { document: Some(d.clone()), ..Default::default() }).unwrap());
    }
    for q in ["market", "threatened", "police", "Rustam", "searched", "later"] {
        out += &format!("{:?}\n", store.search(q, 50).unwrap());
    }
    out
}

/// The spellings of hers that `shown` holds, in any case, accent or script.
fn her_names_in(shown: &str) -> Vec<&'static str> {
    let folded = fold(shown);
    HER_NAMES.iter().copied().filter(|n| folded.contains(n)).collect()
}

#[test]
fn a_hidden_persons_every_spelling_is_masked_wherever_text_is_shown() {
    each_backend(|f| {
        let f = fixture(f);
        let ada = f.open_as("ada");
        assert_eq!(her_names_in(&everything_shown(&ada, &f.docs)), HER_NAMES, "the admin sees her everywhere");

        let bob = f.open_as("bob");
        let shown = everything_shown(&bob, &f.docs);
        assert_eq!(her_names_in(&shown), Vec::<&str>::new(), "{shown}");
        assert!(shown.contains("Rustam Nazarov") && shown.contains("Sardor Alimov"), "others stay named: {shown}");

        let report = bob.document(&f.docs[0]).unwrap().unwrap().document;
        let full = ada.document(&f.docs[0]).unwrap().unwrap().document;
        assert_eq!(report.text.chars().count(), full.text.chars().count(), "offsets stay true");
        assert!(report.text.starts_with("███████ ████████: WHAT I SAW AT THE MARKET"), "{}", report.text);
        assert!(report.text.contains("say ███████ ███████ was threatened, and ██████████ car"), "{}", report.text);
        assert_eq!(report.title.as_deref(), Some("███████ ████████: what I saw at the market"));
        assert_eq!(report.source, "reports/███████ ████████/statement.txt");
        assert_eq!(report.publisher.as_deref(), Some("Friends of ███████ ████████"));
        assert!(matches!(bob.original(&f.docs[0]), Err(StoreError::Refused(_))), "the original holds her name");
        assert!(bob.original(&f.docs[2]).unwrap().is_some(), "a report that does not name her is handed out");
    });
}

#[test]
fn words_that_stand_only_where_they_are_masked_find_nothing() {
    each_backend(|f| {
        let f = fixture(f);
        let bob = f.open_as("bob");
        for q in ["Dilnoza", "yusupova", "Юсупова", "DILNOZA YUSUPOVA", "Yusupova's"] {
            assert_eq!(bob.search(q, 10).unwrap(), vec![], "{q}");
        }
        let hits = bob.search("threatened", 10).unwrap();
        assert_eq!(hits.len(), 1, "the report is found by words the reader sees");
        assert_eq!(hits[0].title.as_deref(), Some("███████ ████████: what I saw at the market"));
        assert!(hits[0].snippet.contains("[threatened]") && hits[0].snippet.contains(MASK), "{}", hits[0].snippet);
        assert_eq!(f.open_as("ada").search("Юсупова", 10).unwrap().len(), 1, "the admin finds her");
    });
}

#[test]
fn a_hidden_person_has_no_events_to_ask_for() {
    each_backend(|f| {
        let f = fixture(f);
        let by = |store: &SqlStore, person: &str| store.events_where(&EventFilter { person: Some(person.into()), ..Default::default() });
        assert_eq!(by(&f.open_as("ada"), &f.witness).unwrap().len(), 1, "the beating is hers");
        let bob = f.open_as("bob");
        let hidden = by(&bob, &f.witness).unwrap_err();
        let absent = by(&bob, "person-999").unwrap_err();
        assert!(matches!(hidden, StoreError::NotFound(_)) && matches!(absent, StoreError::NotFound(_)), "{hidden} / {absent}");
        let n = f.witness.trim_start_matches("person-");
        assert_eq!(hidden.to_string().replace(n, "N"), absent.to_string().replace("999", "N"), "answered alike");
        assert!(!by(&bob, &f.rustam).unwrap().is_empty(), "a visible co-victim's events stay");
    });
}

#[test]
fn a_split_by_mentions_in_a_document_the_editor_may_not_see_answers_as_for_one_that_does_not_name_the_person() {
    each_backend(|f| {
        let f = fixture(f);
        let mut ada = f.open_as("ada");
        ada.restrict(&RecordRef::Document(f.docs[2].clone()), Some("confidential source")).unwrap();
        let before = ada.person(&f.rustam).unwrap().unwrap().mentions;
        let named_there = before.iter().find(|m| m.document == f.docs[2]).expect("Rustam is named in the hidden report").clone();

        let mut alice = f.open_as("alice");
        let split = |store: &mut SqlStore, sel: MentionSelector| store.split_person(&f.rustam, &[sel]).unwrap_err().to_string();
        let hidden = split(&mut alice, MentionSelector { document: f.docs[2].clone(), span: None });
        let hidden_span = split(&mut alice, MentionSelector { document: f.docs[2].clone(), span: Some((named_there.start, named_there.end)) });
        let unnamed = "doc-00000000000000000000000000000000".to_string();
        let absent = split(&mut alice, MentionSelector { document: unnamed.clone(), span: None });
        assert_eq!(hidden.replace(&f.docs[2], "DOC"), absent.replace(&unnamed, "DOC"), "answered alike");
        assert_eq!(hidden_span, hidden);
        assert_eq!(ada.person(&f.rustam).unwrap().unwrap().mentions, before, "nothing moved");
        assert_eq!(ada.decisions().unwrap(), vec![]);
    });
}

#[test]
fn an_analyst_marks_a_person_public_and_takes_it_back_audited() {
    each_backend(|f| {
        let f = fixture(f);
        let mut bob = f.open_as("bob");
        assert!(matches!(bob.mark_public(&f.rustam, true), Err(StoreError::Refused(_))), "a viewer marks nothing");
        let mut alice = f.open_as("alice");
        assert!(matches!(alice.mark_public(&f.witness, true), Err(StoreError::NotFound(_))), "a hidden person is not found");
        assert!(!alice.person(&f.rustam).unwrap().unwrap().marked_public);
        alice.mark_public(&f.rustam, true).unwrap();
        assert!(alice.person(&f.rustam).unwrap().unwrap().marked_public);
        assert!(matches!(alice.mark_public(&f.rustam, true), Err(StoreError::Refused(_))), "once is enough");
        alice.mark_public(&f.rustam, false).unwrap();
        assert!(!alice.person(&f.rustam).unwrap().unwrap().marked_public);
        let ada = f.open_as("ada");
        let log: Vec<String> = ada.audit_log().unwrap().into_iter().map(|e| format!("{} {} {} {}", e.actor, e.action, e.subject, e.detail)).collect();
        let marks: Vec<&String> = log.iter().filter(|l| l.contains("person.public")).collect();
        assert_eq!(marks.len(), 2, "{log:?}");
        assert!(marks[0].contains("\"after\":true") && marks[1].contains("\"after\":false"), "{marks:?}");
        assert!(ada.verify_audit().unwrap().is_ok());
    });
}

#[test]
fn a_public_mark_is_not_taken_over_by_a_merge() {
    each_backend(|f| {
        let f = fixture(f);
        let mut ada = f.open_as("ada");
        let sardor = ada.find_persons("Sardor Alimov").unwrap().remove(0).id;
        ada.mark_public(&sardor, true).unwrap();
        ada.merge_persons(&f.rustam, &sardor).unwrap();
        assert!(!ada.person(&f.rustam).unwrap().unwrap().marked_public);
    });
}
