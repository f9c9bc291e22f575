//! The CLI as people use it: a read command on a store that is not there
//! says so and creates nothing; a closed pipe ends the run quietly; a person
//! is found by the spelling people type; an e-mail comes in with its
//! attachment as a report of its own.

mod support;

use std::io::Read;
use std::process::{Command, Stdio};
use support::{data, Env};

#[test]
fn read_commands_on_a_missing_store_say_so_and_create_nothing() {
    let env = Env::new();
    for args in [&["search", "tortured"][..], &["person", "Khamroyev"], &["stats"]] {
        let out = env.run(args);
        assert!(!out.status.success(), "{args:?}");
        let said = String::from_utf8_lossy(&out.stderr);
        assert!(said.contains("no store at") && said.contains("chronicle init"), "{args:?}: {said}");
        assert!(!env.store().exists(), "{args:?} created {}", env.store().display());
    }
}

#[test]
fn a_person_is_found_by_another_romanisation_and_by_the_cyrillic_surname() {
    let env = Env::new();
    env.succeed(&["ingest", data("habits/khamroyev.txt").to_str().unwrap()]);
    for name in ["Bakhrom Khamroev", "Хамроев", "Хамроеву"] {
        let out = String::from_utf8(env.succeed(&["person", name]).stdout).unwrap();
        assert!(out.contains("Bakhrom Khamroyev"), "{name}: {out}");
    }
    assert!(!env.run(&["person", "Bakhrom Karimov"]).status.success(), "someone else is not found");
}

#[test]
fn an_email_and_its_attachment_are_ingested_as_two_reports() {
    let env = Env::new();
    let out = env.succeed(&["ingest", data("habits/tip.eml").to_str().unwrap()]);
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("ingested 2 new document(s)") && said.contains("1 of the documents came attached to messages"), "{said}");
    let export = String::from_utf8(env.succeed(&["export", "--format", "jsonl"]).stdout).unwrap();
    assert!(export.contains("tip.eml#lawyer-note.txt"), "{export}");
}

#[test]
fn a_reader_that_stops_reading_ends_the_run_quietly() {
    let env = Env::new();
    env.succeed(&["ingest", data("habits/khamroyev.txt").to_str().unwrap()]);
    let mut child = Command::new(env!("CARGO_BIN_EXE_chronicle"))
        .arg("--store")
        .arg(env.store())
        .args(["export", "--format", "jsonl"])
        .env_remove("CHRONICLE_STORE")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take()); // the reader goes before a line is written
    let status = child.wait().unwrap();
    let mut said = String::new();
    child.stderr.take().unwrap().read_to_string(&mut said).unwrap();
    assert!(status.success(), "{status}: {said}");
    assert!(!said.contains("error"), "{said}");
}
