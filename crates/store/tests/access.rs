//! Accounts and restricted records. A restricted person, document or event is
//! seen only by admins and the accounts granted it: everywhere else it is
//! absent — listings, dossiers, name search, full-text search and its
//! snippets, quotes, document texts, originals and counts. Accounts change
//! only what their role allows, and every such change is audited.

mod common;

use chronicle_model::{Document, EntityRef, EventType, ExtractedEvent, ExtractedPerson, Extraction, Mention, Source, Span};
use chronicle_store::{Access, RecordRef, Role, SqlStore, Store, StoreError, MASK};
use common::{each_backend, Fresh};

const WITNESS: &str = "Dilnoza Yusupova";

fn doc(n: u8, text: &str) -> Document {
    let sha = format!("{n:0<64}");
    Document {
        id: Document::id_for_sha256(&sha),
        source: format!("report-{n}.txt"),
        sha256: sha,
        title: None,
        published: "2025-03-12".parse().ok(),
        language: Some("en".into()),
        publisher: None,
        text: text.into(),
        reading: Default::default(),
        attached_to: None,
    }
}

/// Every place `needle` stands in `text`, as a mention (character offsets).
fn mentions(text: &str, needle: &str) -> Vec<Mention> {
    let chars: Vec<char> = text.chars().collect();
    let n: Vec<char> = needle.chars().collect();
    (0..chars.len().saturating_sub(n.len() - 1))
        .filter(|&i| chars[i..i + n.len()] == n[..])
        .map(|i| Mention { text: needle.into(), span: Span::new(i, i + n.len()) })
        .collect()
}

fn person(text: &str, name: &str) -> ExtractedPerson {
    ExtractedPerson { name: name.into(), mentions: mentions(text, name), ..Default::default() }
}

/// An event told by the sentence of `text` that contains `phrase`.
fn event(text: &str, phrase: &str, kind: EventType, victims: Vec<usize>) -> ExtractedEvent {
    let start_b = text[..text.find(phrase).expect("phrase in text")].rfind(". ").map_or(0, |i| i + 2);
    let end_b = text[start_b..].find(". ").map_or(text.len(), |i| start_b + i + 1);
    let start = text[..start_b].chars().count();
    let quote = &text[start_b..end_b];
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
    /// The arrest report naming the witness; her own report; a confidential account.
    docs: [String; 3],
}

/// Three reports: Rustam Nazarov's arrest and beating, which a witness saw;
/// the witness questioned herself; and a confidential source's account.
/// Accounts: ada (admin), alice (editor), bob (viewer).
fn fixture(fresh: Fresh) -> Fixture {
    let mut store = fresh.open();
    let t1 = "Police detained Rustam Nazarov in Moscow. The witness Dilnoza Yusupova saw officers beat Rustam Nazarov outside the market. His lawyer filed a complaint.";
    let t2 = "Dilnoza Yusupova was questioned by police in Tashkent about what she had seen.";
    let t3 = "Sardor Alimov told us in confidence that Rustam Nazarov was tortured with electric shocks.";
    let reports = [
        (doc(1, t1), Extraction {
            persons: vec![person(t1, "Rustam Nazarov"), person(t1, WITNESS)],
            events: vec![event(t1, "detained", EventType::Arrest, vec![0]), event(t1, "beat", EventType::Torture, vec![0])],
            ..Default::default()
        }),
        (doc(2, t2), Extraction {
            persons: vec![person(t2, WITNESS)],
            events: vec![event(t2, "questioned", EventType::Harassment, vec![0])],
            ..Default::default()
        }),
        (doc(3, t3), Extraction {
            persons: vec![person(t3, "Sardor Alimov"), person(t3, "Rustam Nazarov")],
            events: vec![event(t3, "tortured", EventType::Torture, vec![1])],
            ..Default::default()
        }),
    ];
    let mut docs = Vec::new();
    for (d, ex) in &reports {
        store.add_document(d, d.text.as_bytes(), ex, "test").unwrap();
        docs.push(d.id.clone());
    }
    store.add_user("ada", Role::Admin, Some("correct horse")).unwrap();
    store.act_as("ada").unwrap();
    store.add_user("alice", Role::Editor, None).unwrap();
    store.add_user("bob", Role::Viewer, Some("battery staple")).unwrap();
    drop(store);
    Fixture { store: fresh, docs: docs.try_into().unwrap() }
}

impl Fixture {
    fn open_as(&self, user: &str) -> SqlStore {
        let mut store = self.store.open();
        store.act_as(user).unwrap();
        store
    }
}

fn witness_id(store: &SqlStore) -> String {
    store.find_persons(WITNESS).unwrap().into_iter().next().expect("the witness, for an admin").id
}

fn everything_bob_reads(store: &SqlStore) -> String {
    format!(
        "{:?}\n{:?}\n{:?}\n{:?}",
        store.documents().unwrap(),
        store.persons().unwrap(),
        store.events().unwrap(),
        store.search("witness market police questioned", 50).unwrap()
    )
}

#[test]
fn a_restricted_person_is_absent_for_an_account_not_granted() {
    each_backend(|f| {
        let f = fixture(f);
        let mut ada = f.open_as("ada");
        let witness = witness_id(&ada);
        let before = f.open_as("bob").stats().unwrap();
        ada.restrict(&RecordRef::Person(witness.clone()), Some("she fears reprisals")).unwrap();

        let bob = f.open_as("bob");
        assert!(bob.persons().unwrap().iter().all(|p| p.id != witness), "not listed");
        assert!(bob.find_persons("Yusupova").unwrap().is_empty(), "not found by name");
        assert!(bob.person(&witness).unwrap().is_none(), "no dossier");
        assert!(bob.search("Yusupova", 10).unwrap().is_empty(), "her name finds no report");
        let hits = bob.search("witness", 10).unwrap();
        assert_eq!(hits.len(), 1, "the report that names her is still found by other words");
        assert!(!hits[0].snippet.contains("Yusupova") && hits[0].snippet.contains(MASK), "{}", hits[0].snippet);
        let text = bob.document(&f.docs[0]).unwrap().unwrap().document.text;
        assert!(!text.contains("Yusupova") && text.contains("Rustam Nazarov"), "{text}");
        assert_eq!(text.chars().count(), ada.document(&f.docs[0]).unwrap().unwrap().document.text.chars().count(), "offsets stay true");
        assert!(matches!(bob.original(&f.docs[0]), Err(StoreError::Refused(_))), "the unredacted original is not handed out");
        assert!(!everything_bob_reads(&bob).contains("Yusupova"));
        // Her own questioning is her event: gone with her.
        assert!(bob.events().unwrap().iter().all(|e| e.kind != EventType::Harassment));
        let after = bob.stats().unwrap();
        assert_eq!((after.persons, after.events, after.documents), (before.persons - 1, before.events - 1, before.documents));

        // The admin, and an account granted her, see her everywhere.
        ada.grant("alice", &witness).unwrap();
        let alice = f.open_as("alice");
        for (name, store) in [("ada", &ada), ("alice", &alice)] {
            assert_eq!(store.find_persons("Yusupova").unwrap().len(), 1, "{name}");
            assert!(store.person(&witness).unwrap().is_some(), "{name}");
            assert_eq!(store.search("Yusupova", 10).unwrap().len(), 2, "{name}");
            assert_eq!(store.stats().unwrap().persons, before.persons, "{name}");
        }
        // Lifting it gives her back to everyone.
        ada.unrestrict(&RecordRef::Person(witness.clone())).unwrap();
        assert!(f.open_as("bob").person(&witness).unwrap().is_some());
    });
}

#[test]
fn a_restricted_document_takes_along_what_only_it_says() {
    each_backend(|f| {
        let f = fixture(f);
        let mut ada = f.open_as("ada");
        let before = f.open_as("bob").stats().unwrap();
        ada.restrict(&RecordRef::Document(f.docs[2].clone()), Some("confidential source")).unwrap();

        let bob = f.open_as("bob");
        assert!(bob.documents().unwrap().iter().all(|d| d.document.id != f.docs[2]));
        assert!(bob.document(&f.docs[2]).unwrap().is_none());
        assert!(bob.original(&f.docs[2]).unwrap().is_none());
        assert!(bob.find_persons("Alimov").unwrap().is_empty(), "the source, named only there, is gone");
        let rustam = bob.find_persons("Rustam Nazarov").unwrap().remove(0);
        assert!(rustam.mentions.iter().all(|m| m.document != f.docs[2]) && rustam.links.iter().all(|l| l.document != f.docs[2]));
        assert!(bob.events().unwrap().iter().all(|e| e.sources.iter().all(|s| s.document != f.docs[2])));
        assert!(bob.search("electric shocks", 10).unwrap().is_empty());
        let after = bob.stats().unwrap();
        assert_eq!((after.documents, after.persons, after.events), (before.documents - 1, before.persons - 1, before.events - 1));

        ada.grant("bob", &f.docs[2]).unwrap();
        assert_eq!(f.open_as("bob").search("electric shocks", 10).unwrap().len(), 1, "granted");
    });
}

#[test]
fn a_restricted_event_is_absent_and_its_passage_masked() {
    each_backend(|f| {
        let f = fixture(f);
        let mut alice = f.open_as("alice");
        let beating = alice.events().unwrap().into_iter().find(|e| e.kind == EventType::Torture && e.sources[0].document == f.docs[0]).unwrap();
        alice.restrict(&RecordRef::Event(beating.id.clone()), None).unwrap();
        let bob = f.open_as("bob");
        assert!(bob.events().unwrap().iter().all(|e| e.id != beating.id));
        let text = bob.document(&f.docs[0]).unwrap().unwrap().document.text;
        assert!(!text.contains("beat") && text.contains("Police detained Rustam Nazarov"), "{text}");
        assert!(bob.search("market", 10).unwrap().is_empty(), "words only in the masked passage find nothing");
        // Alice restricted it but was not granted it: an editor's restriction binds the editor too.
        assert!(alice.events().unwrap().iter().all(|e| e.id != beating.id));
    });
}

#[test]
fn a_restriction_holds_through_reextraction_and_merges() {
    each_backend(|f| {
        let f = fixture(f);
        let mut ada = f.open_as("ada");
        let witness = witness_id(&ada);
        ada.restrict(&RecordRef::Person(witness.clone()), None).unwrap();
        // Re-extraction drops and rebuilds the report's persons.
        let d = ada.document(&f.docs[1]).unwrap().unwrap().document;
        let ex = Extraction { persons: vec![person(&d.text, WITNESS)], ..Default::default() };
        ada.replace_extraction(&f.docs[1], &ex, "test/2").unwrap();
        assert!(!everything_bob_reads(&f.open_as("bob")).contains("Yusupova"));
        // Merged into another person, she takes the restriction along.
        let rustam = ada.find_persons("Rustam Nazarov").unwrap().remove(0).id;
        ada.merge_persons(&rustam, &witness).unwrap();
        let bob = f.open_as("bob");
        assert!(bob.person(&rustam).unwrap().is_none(), "a person holding a restricted person's mentions is restricted");
        assert!(!everything_bob_reads(&bob).contains("Yusupova"));
    });
}

#[test]
fn roles_bound_what_an_account_may_change() {
    each_backend(|f| {
        let f = fixture(f);
        let mut bob = f.open_as("bob");
        let someone = bob.persons().unwrap()[0].id.clone();
        let refused = |r: Result<(), StoreError>| matches!(r, Err(StoreError::Refused(_)));
        assert!(refused(bob.restrict(&RecordRef::Person(someone.clone()), None)), "a viewer restricts nothing");
        assert!(refused(bob.mark_distinct(&someone, &someone).map(drop)), "nor decides on persons");
        let d = doc(9, "Nothing happened.");
        assert!(refused(bob.add_document(&d, b"x", &Extraction::default(), "test").map(drop)), "nor ingests");
        assert!(refused(bob.audit_log().map(drop)), "nor reads the audit log, which names every record");

        let mut alice = f.open_as("alice");
        alice.restrict(&RecordRef::Person(someone.clone()), None).unwrap();
        assert!(refused(alice.unrestrict(&RecordRef::Person(someone.clone()))), "only an admin lifts a restriction");
        assert!(refused(alice.grant("alice", "*")), "nor grants herself");
        assert!(refused(alice.add_user("eve", Role::Admin, None)), "nor adds accounts");
        assert!(refused(alice.users().map(drop)));

        let mut nobody = f.store.open();
        assert!(matches!(nobody.act_as("mallory"), Err(StoreError::Refused(_))), "a store with accounts refuses a stranger");
        nobody.act_as_public().unwrap();
        assert!(refused(nobody.restrict(&RecordRef::Person(someone.clone()), None)));
        assert_eq!(*nobody.access(), Access::Public);

        let ada = f.open_as("ada");
        let actions: Vec<String> = ada.audit_log().unwrap().into_iter().map(|e| format!("{} {} {}", e.actor, e.action, e.subject)).collect();
        assert!(actions.contains(&"ada user.add bob".to_string()), "{actions:?}");
        assert!(actions.contains(&format!("alice record.restrict {someone}")), "{actions:?}");
        assert_eq!(ada.verify_audit().unwrap(), Ok(actions.len()));
    });
}

#[test]
fn the_first_account_is_an_admin_and_passwords_are_checked() {
    each_backend(|f| {
        let mut store = f.open();
        assert!(matches!(store.add_user("ed", Role::Editor, None), Err(StoreError::Refused(_))));
        store.add_user("ada", Role::Admin, Some("correct horse")).unwrap();
        assert_eq!(store.check_password("ada", "correct horse").unwrap().map(|u| u.role), Some(Role::Admin));
        assert!(store.check_password("ada", "Correct horse").unwrap().is_none());
        assert!(store.check_password("nobody", "correct horse").unwrap().is_none());
        assert!(matches!(store.add_user("two words", Role::Viewer, None), Err(StoreError::Refused(_))));
    });
}
