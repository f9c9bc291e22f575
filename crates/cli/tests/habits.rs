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
    for word in ["Khamroev", "Хамроев"] {
        let out = String::from_utf8(env.succeed(&["search", word]).stdout).unwrap();
        assert!(out.contains("khamroyev.txt") && out.contains("[Khamroyev]"), "search {word}: {out}");
    }
}

#[test]
fn an_email_and_its_attachment_are_ingested_as_two_reports() {
    let env = Env::new();
    let out = env.succeed(&["ingest", data("habits/tip.eml").to_str().unwrap()]);
    let said = String::from_utf8_lossy(&out.stdout);
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

fn stdout(env: &Env, args: &[&str]) -> String {
    String::from_utf8(env.succeed(args).stdout).unwrap()
}

#[test]
fn search_says_how_many_documents_match_and_reads_prefixes_or_and_not() {
    let env = Env::new();
    env.succeed(&["ingest", data("reports").to_str().unwrap()]);
    let all = stdout(&env, &["search", "--limit", "100", "detained"]);
    let total: usize = all.lines().last().unwrap().split(' ').next().unwrap().parse().unwrap_or_else(|_| panic!("{all}"));
    assert!(total >= 2, "{all}");
    let one = stdout(&env, &["search", "--limit", "1", "detained"]);
    assert!(one.ends_with(&format!("1 of {total} document(s) shown (--limit for more)\n")), "{one}");
    let prefix = stdout(&env, &["search", "--limit", "100", "detain*"]);
    assert!(prefix.lines().count() >= all.lines().count(), "{prefix}");
    let neither = env.run(&["search", "detained", "NOT", "detained"]);
    assert!(!neither.status.success(), "a word and its NOT find nothing");
}

#[test]
fn persons_events_and_reports_are_listed_with_filters_and_as_json() {
    let env = Env::new();
    env.succeed(&["ingest", data("habits/khamroyev.txt").to_str().unwrap(), data("habits/tip.eml").to_str().unwrap()]);
    let persons = stdout(&env, &["persons"]);
    assert!(persons.contains("Bakhrom Khamroyev") && persons.contains("Sanjar Yusupov"), "{persons}");
    assert!(stdout(&env, &["persons", "--name", "Хамроев"]).contains("Bakhrom Khamroyev"));
    let arrests = stdout(&env, &["events", "--type", "arrest", "--json"]);
    let arrests: Vec<serde_json::Value> = arrests.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert!(arrests.len() >= 2 && arrests.iter().all(|e| e["type"] == "arrest"), "{arrests:?}");
    let may_10 = stdout(&env, &["events", "--type", "arrest", "--from", "2024-05-10", "--to", "2024-05-10", "--json"]);
    let victims: Vec<serde_json::Value> = may_10.lines().map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["victims"].clone()).collect();
    assert_eq!(victims, [serde_json::json!(["Bakhrom Khamroyev"])], "{may_10}");
    let his = stdout(&env, &["events", "--person", "Khamroev"]);
    assert!(his.contains("Bakhrom Khamroyev") && !his.contains("Sanjar"), "{his}");
    let reports = stdout(&env, &["reports", "--json"]);
    let reports: Vec<serde_json::Value> = reports.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(reports.len(), 3, "the message, its attachment and the report");
    assert!(reports.iter().any(|r| r["attached_to"].is_string() && r["reading"] == "native"), "{reports:?}");
    let bad = env.run(&["events", "--type", "picnic"]);
    assert!(!bad.status.success() && String::from_utf8_lossy(&bad.stderr).contains("picnic"));
}

#[test]
fn the_review_queue_is_worked_from_the_command_line_and_audited() {
    let env = Env::new();
    env.succeed(&["ingest", data("habits/khamroyev.txt").to_str().unwrap(), data("habits/tip.eml").to_str().unwrap()]);
    let queue = stdout(&env, &["review"]);
    let ids: Vec<String> = queue.lines().filter(|l| l.starts_with("doc-")).map(|l| l.split_whitespace().next().unwrap().to_string()).collect();
    assert!(ids.len() >= 3, "{queue}");
    let confidences: Vec<f64> = queue.lines().filter(|l| l.starts_with("doc-")).map(|l| l.split_whitespace().nth(1).unwrap().parse().unwrap()).collect();
    assert!(confidences.windows(2).all(|w| w[0] <= w[1]), "least confident first: {queue}");
    assert!(stdout(&env, &["review", "confirm", &ids[0]]).contains("[confirmed]"));
    assert!(stdout(&env, &["review", "reject", &ids[1]]).contains("[rejected]"));
    let corrected = stdout(&env, &["review", "correct", &ids[2], "--date", "2024-05-09", "--country", "ru"]);
    assert!(corrected.contains("2024-05-09") && corrected.contains("RU") && corrected.contains("[confirmed]"), "{corrected}");
    let left = stdout(&env, &["review"]);
    assert!(ids[..3].iter().all(|id| !left.contains(id.as_str())), "judged events leave the queue: {left}");
    let audit = stdout(&env, &["audit", "log"]);
    assert!(audit.matches("event.review").count() >= 3 || audit.matches("review").count() >= 3, "{audit}");
    assert!(!env.run(&["review", "correct", &ids[2]]).status.success(), "a correction says what it corrects");
    assert!(!env.run(&["review", "confirm", "doc-nosuch-e1"]).status.success());
}

#[test]
fn ingest_is_told_where_a_report_came_from_and_when() {
    let env = Env::new();
    let file = data("habits/khamroyev.txt");
    let url = "https://example.org/bulletin/2024-05";
    env.succeed(&["ingest", file.to_str().unwrap(), "--source-url", url, "--published", "2024-05-13", "--publisher", "Field bulletin"]);
    let reports = stdout(&env, &["reports", "--json"]);
    let report: serde_json::Value = serde_json::from_str(reports.lines().next().unwrap()).unwrap();
    assert_eq!((report["source"].as_str(), report["published"].as_str()), (Some(url), Some("2024-05-13")), "{report}");
    let refused = env.run(&["ingest", data("habits").to_str().unwrap(), "--source-url", url]);
    assert!(!refused.status.success() && String::from_utf8_lossy(&refused.stderr).contains("one file"));
    assert!(!env.run(&["ingest", file.to_str().unwrap(), "--published", "last spring"]).status.success());
}

#[test]
fn stats_and_exports_take_a_scope_of_events() {
    let env = Env::new();
    env.succeed(&["ingest", data("habits/khamroyev.txt").to_str().unwrap(), data("habits/tip.eml").to_str().unwrap()]);
    let all: Vec<serde_json::Value> = stdout(&env, &["export"]).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let arrests_in_may_10: Vec<&serde_json::Value> =
        all.iter().filter(|r| r["record"] == "event" && r["type"] == "arrest" && r["date"] == "2024-05-10").collect();
    assert_eq!(arrests_in_may_10.len(), 1, "{all:?}");
    let scoped: Vec<serde_json::Value> = stdout(&env, &["export", "--type", "arrest", "--from", "2024-05-10", "--to", "2024-05-10"])
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let kinds = |r: &str| scoped.iter().filter(|x| x["record"] == r).count();
    assert_eq!((kinds("event"), kinds("document"), kinds("person")), (1, 1, 1), "{scoped:?}");
    assert_eq!(scoped.iter().find(|r| r["record"] == "person").unwrap()["name"], "Bakhrom Khamroyev");
    let stats = stdout(&env, &["stats", "--type", "arrest"]);
    let first = stats.lines().next().unwrap();
    let arrests = all.iter().filter(|r| r["record"] == "event" && r["type"] == "arrest").count();
    assert!(first.ends_with(&format!(", {arrests} events")), "{stats}");
    assert!(!stats.contains("trial"), "{stats}");
    assert!(!env.run(&["stats", "--from", "May 2024"]).status.success());
}

#[test]
fn skipped_files_are_named_with_v_and_messages_carry_no_colour() {
    let env = Env::new();
    let dir = env.dir.path().join("inbox");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(data("habits/khamroyev.txt"), dir.join("report.txt")).unwrap();
    std::fs::write(dir.join("budget.xlsx"), b"not a report").unwrap();
    let quiet = env.succeed(&["ingest", dir.to_str().unwrap()]);
    assert!(!String::from_utf8_lossy(&quiet.stderr).contains("budget.xlsx"));
    assert!(String::from_utf8_lossy(&quiet.stdout).contains("1 skipped"));
    let told = env.succeed(&["-v", "ingest", dir.to_str().unwrap()]);
    let said = String::from_utf8_lossy(&told.stderr);
    assert!(said.contains("budget.xlsx") && said.contains("not a report format"), "{said}");
    assert!(!said.contains('\u{1b}') && !String::from_utf8_lossy(&told.stdout).contains('\u{1b}'), "no escape codes off a terminal: {said:?}");
}

#[test]
fn reports_are_tagged_as_they_come_in_and_listed_by_tag() {
    let env = Env::new();
    env.succeed(&["ingest", data("habits/tip.eml").to_str().unwrap(), "--tag", "Kazan-2024", "--tag", "tips"]);
    env.succeed(&["ingest", data("habits/khamroyev.txt").to_str().unwrap()]);
    let tagged = stdout(&env, &["reports", "--tag", "kazan-2024", "--json"]);
    let tagged: Vec<serde_json::Value> = tagged.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(tagged.len(), 2, "the message and its attachment: {tagged:?}");
    assert!(tagged.iter().all(|r| r["tags"] == serde_json::json!(["kazan-2024", "tips"])), "{tagged:?}");
    // A report on record takes a new tag when ingested again with it.
    env.succeed(&["ingest", data("habits/khamroyev.txt").to_str().unwrap(), "--tag", "tver"]);
    assert!(stdout(&env, &["reports", "--tag", "tver"]).contains("khamroyev.txt"));
    assert!(stdout(&env, &["reports"]).contains("3 report(s)"));
    let bad = env.run(&["ingest", data("habits/khamroyev.txt").to_str().unwrap(), "--tag", "no spaces"]);
    assert!(!bad.status.success() && String::from_utf8_lossy(&bad.stderr).contains("not a tag"));
    assert!(stdout(&env, &["audit", "log"]).contains("document.tag"));
}
