//! End-to-end tests: the real `chronicle` binary on a temporary store.

mod support;

use std::path::Path;
use std::process::{Command, Output};
use support::{data, Env};

/// What cli.rs asks of a run beyond the shared helpers: its standard output, and the export.
trait Stdout {
    fn ok(&self, args: &[&str]) -> String;
    fn export(&self) -> Vec<serde_json::Value>;
}

impl Stdout for Env {
    fn ok(&self, args: &[&str]) -> String {
        String::from_utf8(self.succeed(args).stdout).unwrap()
    }
    fn export(&self) -> Vec<serde_json::Value> {
        self.ok(&["export", "--format", "jsonl"]).lines().map(|l| serde_json::from_str(l).unwrap()).collect()
    }
}

fn records<'a>(export: &'a [serde_json::Value], kind: &str) -> Vec<&'a serde_json::Value> {
    export.iter().filter(|r| r["record"] == kind).collect()
}

#[test]
fn ingest_reads_every_format_and_reports_a_summary() {
    let env = Env::new();
    let out = env.run(&["ingest", data("reports").to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("ingested 4 new document(s), 0 already present, 0 failed"), "the summary is a result: {stdout}");
    let export = env.export();
    let docs = records(&export, "document");
    assert_eq!(docs.len(), 4);
    let pdf = docs.iter().find(|d| d["source"].as_str().unwrap().ends_with(".pdf")).unwrap();
    assert_eq!(pdf["sha256"].as_str().unwrap().len(), 64);
    let russian = docs.iter().find(|d| d["source"].as_str().unwrap().contains("cp1251")).unwrap();
    assert_eq!(russian["language"], "ru");
    let html = docs.iter().find(|d| d["source"].as_str().unwrap().ends_with(".html")).unwrap();
    assert_eq!(html["published"], "2023-02-01");
    assert_eq!(html["title"], "Free Zafar Nurmatov");
}

#[test]
fn the_same_bytes_twice_are_one_document_and_the_export_does_not_change() {
    let env = Env::new();
    env.ok(&["ingest", data("reports").to_str().unwrap()]);
    let first = env.ok(&["export", "--format", "jsonl"]);
    let out = env.run(&["ingest", data("reports").to_str().unwrap()]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("ingested 0 new document(s), 4 already present"));
    let second = env.ok(&["export", "--format", "jsonl"]);
    assert_eq!(first, second);
}

#[test]
fn bad_inputs_each_get_one_message_naming_the_file_and_the_rest_is_ingested() {
    let env = Env::new();
    let dir = env.dir.path().join("mixed");
    std::fs::create_dir_all(&dir).unwrap();
    for f in ["binary.txt", "empty.txt", "truncated.pdf"] {
        std::fs::copy(data("bad").join(f), dir.join(f)).unwrap();
    }
    std::fs::copy(data("reports/news-sentenced.txt"), dir.join("good.txt")).unwrap();
    std::fs::write(dir.join("huge.txt"), "x ".repeat(6000)).unwrap();
    std::os::unix::fs::symlink(dir.join("missing-target.txt"), dir.join("unreadable.txt")).unwrap();
    let out = env.run(&["ingest", "--max-size", "10000", dir.to_str().unwrap()]);
    assert!(!out.status.success(), "a failed input makes the exit status non-zero");
    let stderr = String::from_utf8_lossy(&out.stderr);
    for (file, why) in [
        ("binary.txt", "binary data"),
        ("empty.txt", "empty file"),
        ("truncated.pdf", "unreadable PDF"),
        ("huge.txt", "over the limit of 10000 bytes"),
        ("unreadable.txt", "a symbolic link, not followed"),
    ] {
        let lines: Vec<&str> = stderr.lines().filter(|l| l.contains(file)).collect();
        assert_eq!(lines.len(), 1, "one message for {file}:\n{stderr}");
        assert!(lines[0].contains(why), "{file}: expected {why:?} in {:?}", lines[0]);
    }
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("ingested 1 new document(s), 0 already present, 4 failed"), "{stdout}");
    assert_eq!(records(&env.export(), "document").len(), 1);
    // The store is sound afterwards.
    let conn = rusqlite_check(&env.store());
    assert_eq!(conn, "ok");
}

fn rusqlite_check(path: &Path) -> String {
    let out = Command::new("python3")
        .args(["-c", "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('PRAGMA integrity_check').fetchone()[0])"])
        .arg(path)
        .output()
        .expect("python3 for an independent integrity check");
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

#[test]
fn export_follows_the_contract() {
    let env = Env::new();
    env.ok(&["ingest", data("reports").to_str().unwrap()]);
    let export = env.export();
    let person_ids: Vec<&str> = records(&export, "person").iter().map(|p| p["id"].as_str().unwrap()).collect();
    let doc_ids: Vec<&str> = records(&export, "document").iter().map(|d| d["id"].as_str().unwrap()).collect();
    let events = records(&export, "event");
    assert!(!events.is_empty());
    for e in &events {
        let kind = e["type"].as_str().unwrap();
        assert!(kind.parse::<chronicle_model::EventType>().is_ok(), "{kind}");
        for v in e["victims"].as_array().unwrap() {
            let v = v.as_str().unwrap();
            assert!(person_ids.contains(&v) || v.starts_with("org-"), "victim {v} is exported");
        }
        let sources = e["sources"].as_array().unwrap();
        assert!(!sources.is_empty());
        for s in sources {
            assert!(doc_ids.contains(&s["document"].as_str().unwrap()));
            assert!(s["start"].as_u64().unwrap() < s["end"].as_u64().unwrap());
        }
        if let Some(d) = e.get("date").and_then(|d| d.as_str()) {
            assert!(d.parse::<chronicle_model::PartialDate>().is_ok(), "{d}");
        }
    }
    // The deportation in the campaign page goes from Russia to Tajikistan.
    let deport = events.iter().find(|e| e["type"] == "deportation").expect("a deportation");
    assert_eq!(deport["to_country"], "TJ");
    assert_eq!(deport["date"], "2023-01-20");
    // The sentence carries its term and regime.
    let sentence = events.iter().find(|e| e["type"] == "sentence").expect("a sentence");
    assert_eq!(sentence["term_years"], 6.0);
    assert_eq!(sentence["regime"], "general-regime penal colony");
    assert_eq!(sentence["date"], "2024-10-01");
}

#[test]
fn mention_offsets_point_at_the_mention_in_the_stored_text() {
    let env = Env::new();
    env.ok(&["ingest", data("reports/news-sentenced.txt").to_str().unwrap()]);
    let text = std::fs::read_to_string(data("reports/news-sentenced.txt")).unwrap();
    for p in records(&env.export(), "person") {
        for m in p["mentions"].as_array().unwrap() {
            let (s, e) = (m["start"].as_u64().unwrap() as usize, m["end"].as_u64().unwrap() as usize);
            let slice: String = text.chars().skip(s).take(e - s).collect();
            assert_eq!(slice, m["text"].as_str().unwrap());
        }
    }
}

#[test]
fn one_person_across_two_reports_and_two_spellings() {
    let env = Env::new();
    env.ok(&["ingest", data("reports/ngo-release.pdf").to_str().unwrap(), data("reports/news-sentenced.txt").to_str().unwrap()]);
    let export = env.export();
    let karimov: Vec<_> = records(&export, "person").into_iter().filter(|p| p["name"].as_str().unwrap().starts_with("Sardor")).collect();
    assert_eq!(karimov.len(), 1, "{karimov:?}");
    let names: Vec<&str> = karimov[0]["names"].as_array().unwrap().iter().map(|n| n.as_str().unwrap()).collect();
    assert!(names.contains(&"Sardor Karimov") && names.contains(&"Sardor Karimow"), "{names:?}");
    let docs: std::collections::HashSet<&str> = karimov[0]["mentions"].as_array().unwrap().iter().map(|m| m["document"].as_str().unwrap()).collect();
    assert_eq!(docs.len(), 2);
}

#[test]
fn csv_export_writes_events_persons_and_involvements() {
    let env = Env::new();
    env.ok(&["ingest", data("reports").to_str().unwrap()]);
    let out = env.dir.path().join("csv");
    env.ok(&["export", "--format", "csv", "--out", out.to_str().unwrap()]);
    let events = std::fs::read_to_string(out.join("events.csv")).unwrap();
    assert!(events.starts_with("id,type,date,victim_ids,victims,perpetrator_ids,perpetrators,"), "{events}");
    assert!(events.lines().any(|l| l.contains(",deportation,2023-01-20,person-") && l.contains(",Zafar Nurmatov,")), "{events}");
    let persons = std::fs::read_to_string(out.join("persons.csv")).unwrap();
    assert!(persons.lines().any(|l| l.contains("Zafar Nurmatov")), "{persons}");
    let involvements = std::fs::read_to_string(out.join("involvements.csv")).unwrap();
    assert!(involvements.starts_with("event_id,person_id,person,role\n"), "{involvements}");
    assert!(involvements.lines().any(|l| l.ends_with(",Zafar Nurmatov,victim")), "{involvements}");
    assert_eq!(std::fs::read_dir(&out).unwrap().count(), 3, "events, persons, involvements");
}

#[test]
fn search_highlights_matches() {
    let env = Env::new();
    env.ok(&["ingest", data("reports").to_str().unwrap()]);
    let out = env.ok(&["search", "penal", "colony"]);
    assert!(out.contains("[penal] [colony]"), "{out}");
    assert!(out.contains("news-sentenced.txt"));
    let none = env.run(&["search", "zeppelin"]);
    assert!(!none.status.success());
    assert!(String::from_utf8_lossy(&none.stdout).contains("no document matches"));
    // Query syntax characters are taken literally, not as FTS5 operators.
    let odd = env.run(&["search", "\"penal", "colony\"", "OR", "NEAR("]);
    assert!(!String::from_utf8_lossy(&odd.stderr).contains("error"), "{}", String::from_utf8_lossy(&odd.stderr));
}

#[test]
fn person_prints_a_sourced_dossier() {
    let env = Env::new();
    env.ok(&["ingest", data("reports").to_str().unwrap()]);
    let out = env.ok(&["person", "karimow"]);
    assert!(out.contains("Sardor Karimow"), "{out}");
    assert!(out.contains("2024-10-01  sentence in Kazan, RU, 6 years"), "{out}");
    assert!(out.contains("sentenced Uzbek blogger Sardor Karimow to six years"), "{out}");
    assert!(out.contains("news-sentenced.txt, characters"), "{out}");
    let none = env.run(&["person", "Nobody Atall"]);
    assert!(!none.status.success());
}

#[test]
fn stats_count_events_by_type_year_and_country() {
    let env = Env::new();
    env.ok(&["ingest", data("reports").to_str().unwrap()]);
    let out = env.ok(&["stats"]);
    assert!(out.contains("4 documents"), "{out}");
    assert!(out.contains("events by type:") && out.contains("events by year:") && out.contains("events by country:"));
    assert!(out.lines().any(|l| l.trim_start().starts_with("deportation")), "{out}");
    assert!(out.lines().any(|l| l.trim_start().starts_with("2024")), "{out}");
}

#[test]
fn demo_ingests_the_examples_and_prints_dossiers() {
    let env = Env::new();
    let out = env.ok(&["demo"]);
    assert!(out.contains("ingested 10 new document(s)"), "{out}");
    assert!(out.contains("timeline:"));
    assert!(out.contains("Oybek Tursunov"));
    // Every event type of the contract appears in the examples.
    let kept = out.lines().find(|l| l.contains("demo store is kept at")).unwrap();
    let path = kept.split(" at ").nth(1).unwrap().split(" (use").next().unwrap();
    let export = Command::new(env!("CARGO_BIN_EXE_chronicle")).args(["--store", path, "export"]).output().unwrap();
    let text = String::from_utf8(export.stdout).unwrap();
    for kind in chronicle_model::EventType::ALL {
        assert!(text.contains(&format!("\"type\":\"{kind}\"")), "the examples have no {kind} event");
    }
    std::fs::remove_dir_all(Path::new(path).parent().unwrap()).ok();
}

#[test]
fn a_newer_store_is_refused_with_a_clear_message() {
    let env = Env::new();
    env.ok(&["init"]);
    let st = Command::new("python3")
        .args(["-c", "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute('PRAGMA user_version=99'); c.commit()"])
        .arg(env.store())
        .status()
        .unwrap();
    assert!(st.success());
    let out = env.run(&["stats"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("written by a newer Chronicle"));
}

fn sql(path: &Path, query: &str) -> String {
    let out = Command::new("python3")
        .args(["-c", "import sqlite3,sys; c = sqlite3.connect(sys.argv[1]); [print('|'.join(map(str, r))) for r in c.executescript(sys.argv[2]) if False] if ';' in sys.argv[2] else [print('|'.join(map(str, r))) for r in c.execute(sys.argv[2])]; c.commit()"])
        .arg(path)
        .arg(query)
        .output()
        .expect("python3 to read the store independently");
    String::from_utf8_lossy(&out.stdout).to_string()
}

#[test]
fn analysts_merge_split_and_keep_apart_and_decisions_survive_reextraction() {
    let env = Env::new();
    let run_as = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_chronicle")).arg("--store").arg(env.store()).args(args).env("CHRONICLE_ACTOR", "analyst-1").output().unwrap();
        assert!(out.status.success() || args[1] == "merge", "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        out
    };
    env.ok(&["ingest", data("namesakes").to_str().unwrap()]);
    let karimovs = || -> Vec<String> {
        records(&env.export(), "person").iter().filter(|p| p["name"] == "Rustam Karimov").map(|p| p["id"].as_str().unwrap().to_string()).collect()
    };
    // Ages 30 and 52 in the same spring: two men named Rustam Karimov.
    let ids = karimovs();
    assert_eq!(ids.len(), 2, "{ids:?}");

    let out = run_as(&["person", "merge", &ids[0], &ids[1]]);
    assert!(String::from_utf8_lossy(&out.stdout).contains(&format!("{} merged into {}", ids[1], ids[0])));
    assert_eq!(karimovs(), [ids[0].clone()]);
    // Running the extractor again keeps the analyst's merge.
    env.ok(&["reextract"]);
    assert_eq!(karimovs(), [ids[0].clone()]);

    // The Kazan report's Rustam Karimov is split off again.
    let export = env.export();
    let kazan = records(&export, "document").into_iter().find(|d| d["source"].as_str().unwrap().ends_with("kazan.txt")).unwrap()["id"].as_str().unwrap().to_string();
    let out = run_as(&["person", "split", &ids[0], "--mentions", &kazan]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("split off as person-"));
    let after = karimovs();
    assert_eq!(after.len(), 2);
    env.ok(&["reextract"]);
    assert_eq!(karimovs(), after, "the split survives re-extraction");
    // Split persons are different people: merging them is refused, with the reason.
    let refused = run_as(&["person", "merge", &after[0], &after[1]]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("different people"), "{}", String::from_utf8_lossy(&refused.stderr));

    // The dossier shows how each report was linked and the mentions a split takes.
    let dossier = env.ok(&["person", &after[0]]);
    assert!(dossier.contains("linked 1.00:") && dossier.contains(":") && dossier.contains("\"Rustam Karimov\""), "{dossier}");

    // Every decision is in the audit log, by whom.
    let audit = sql(&env.store(), "SELECT actor, action FROM audit WHERE action LIKE 'person.%' ORDER BY seq");
    assert_eq!(audit.lines().collect::<Vec<_>>(), ["analyst-1|person.merge", "analyst-1|person.split"]);
    let verified = env.ok(&["audit", "verify"]);
    assert!(verified.starts_with("audit chain intact: "), "{verified}");
    let log = env.ok(&["audit", "log"]);
    assert!(log.contains("analyst-1") && log.contains("person.split"), "{log}");

    // Someone with the file rewrites who made the merge: verify names the entry.
    let merge_seq = sql(&env.store(), "SELECT seq FROM audit WHERE action = 'person.merge'").trim().to_string();
    sql(&env.store(), &format!("DROP TRIGGER audit_no_update; UPDATE audit SET actor = 'nobody' WHERE seq = {merge_seq}"));
    let broken = env.run(&["audit", "verify"]);
    assert!(!broken.status.success());
    let said = String::from_utf8_lossy(&broken.stdout);
    assert!(said.contains(&format!("audit entry {merge_seq} was edited")), "{said}");
}

#[test]
fn names_compare_prints_a_score_and_the_evidence() {
    let env = Env::new();
    let out = env.ok(&["names", "compare", "Bakhrom Khamroyev", "Хамроев Бахром"]);
    let score: f64 = out.lines().next().unwrap().parse().unwrap();
    assert!(score >= 0.8, "{out}");
    assert!(out.contains("same person"), "{out}");
    let out = env.ok(&["names", "compare", "Rustam Karimov", "Rustam Kholmatov"]);
    assert!(out.lines().next().unwrap().parse::<f64>().unwrap() < 0.8, "{out}");
    assert!(out.contains("not linked"), "{out}");
}

#[test]
fn names_score_reports_precision_recall_and_f1_at_the_linking_threshold() {
    let env = Env::new();
    let out = env.ok(&["names", "score", data("pairs.tsv").to_str().unwrap()]);
    assert_eq!(out.lines().last().unwrap(), "precision=1.0000 recall=1.0000 f1=1.0000 threshold=0.8", "{out}");
    let bad = env.run(&["names", "score", data("pairs-bad.tsv").to_str().unwrap()]);
    assert!(!bad.status.success());
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(err.contains("pairs-bad.tsv:2") && err.contains("left<TAB>right<TAB>label"), "{err}");
}

#[test]
fn an_encrypted_store_works_with_its_passphrase_and_refuses_any_other() {
    let env = Env::new();
    let with = |pass: &str, args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_chronicle")).arg("--store").arg(env.store()).args(args).env("CHRONICLE_PASSPHRASE", pass).env_remove("CHRONICLE_KEY_FILE").output().unwrap()
    };
    let out = with("s3cret words", &["init", "--encrypt"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(with("s3cret words", &["ingest", data("reports").to_str().unwrap()]).status.success());
    let dossier = with("s3cret words", &["person", "karimow"]);
    assert!(String::from_utf8_lossy(&dossier.stdout).contains("Sardor Karimow"));
    let raw = std::fs::read(env.store()).unwrap();
    assert!(!raw.windows(7).any(|w| w == b"Karimow"), "a name in the raw file");

    let wrong = with("guess", &["stats"]);
    assert!(!wrong.status.success());
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("wrong key"), "{}", String::from_utf8_lossy(&wrong.stderr));
    let none = env.run(&["stats"]);
    assert!(String::from_utf8_lossy(&none.stderr).contains("is encrypted"), "{}", String::from_utf8_lossy(&none.stderr));

    // Exports say they are plain text.
    let export = env.dir.path().join("out.jsonl");
    let out = with("s3cret words", &["export", "--out", export.to_str().unwrap()]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("plain text"), "{}", String::from_utf8_lossy(&out.stderr));

    // Backup and restore over the store.
    let backup = env.dir.path().join("backup.db");
    assert!(with("s3cret words", &["backup", backup.to_str().unwrap()]).status.success());
    let refused = with("s3cret words", &["restore", backup.to_str().unwrap()]);
    assert!(!refused.status.success(), "restoring over a store needs --replace");
    let restored = with("s3cret words", &["restore", backup.to_str().unwrap(), "--replace"]);
    assert!(String::from_utf8_lossy(&restored.stdout).contains("audit chain of"), "{}", String::from_utf8_lossy(&restored.stderr));
    assert!(String::from_utf8_lossy(&with("s3cret words", &["person", "karimow"]).stdout).contains("Sardor Karimow"));
}

/// The acceptance test of restricted records: two accounts, one granted the
/// restricted witness and one not; the public export has neither her nor the
/// victim's brother.
#[test]
fn a_restricted_witness_is_seen_only_by_the_account_granted_her() {
    let env = Env::new();
    env.ok(&["ingest", data("reports").to_str().unwrap(), data("restricted").to_str().unwrap()]);
    let as_ = |user: &str, args: &[&str]| env.run(&[&["--actor", user], args].concat());
    let text = |o: &Output| format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));
    env.ok(&["--actor", "ada", "user", "add", "ada", "--role", "admin"]);
    for (name, role) in [("alice", "editor"), ("bob", "viewer")] {
        env.ok(&["--actor", "ada", "user", "add", name, "--role", role]);
    }
    let refused = env.run(&["--actor", "mallory", "stats"]);
    assert!(!refused.status.success() && text(&refused).contains("\"mallory\" is not one of them"), "{}", text(&refused));

    let full: Vec<serde_json::Value> =
        text(&as_("ada", &["export"])).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let witness = records(&full, "person").into_iter().find(|p| p["name"] == "Kamola Ergasheva").expect("the witness is extracted");
    let witness_id = witness["id"].as_str().unwrap().to_string();
    let stats_of = |user: &str| text(&as_(user, &["stats"])).lines().next().unwrap().to_string();
    let before = stats_of("bob");
    let restricted = as_("alice", &["restricted", "add", &witness_id, "--reason", "the witness fears reprisals"]);
    assert!(restricted.status.success(), "{}", text(&restricted));
    env.ok(&["--actor", "ada", "user", "grant", "alice", &witness_id]);

    // Bob: no search, no dossier, no export line, one person fewer in the counts.
    let search = as_("bob", &["search", "Ergasheva"]);
    assert!(!search.status.success() && text(&search).contains("no document matches"), "{}", text(&search));
    let found = text(&as_("bob", &["search", "witness"]));
    assert!(found.contains("1 document(s)") && !found.contains("Ergasheva"), "{found}");
    let dossier = as_("bob", &["person", "Ergasheva"]);
    assert!(!dossier.status.success(), "{}", text(&dossier));
    assert!(!text(&as_("bob", &["person", &witness_id])).contains("Kamola"));
    let export = text(&as_("bob", &["export"]));
    assert!(!export.contains("Ergasheva") && export.contains("Sherzod Tursunov"), "{export}");
    let count = |line: &str| line.split(" persons").next().unwrap().rsplit(' ').next().unwrap().parse::<usize>().unwrap();
    assert_eq!(count(&stats_of("bob")), count(&before) - 1, "{} / {before}", stats_of("bob"));

    // Alice, granted: all of it.
    assert!(text(&as_("alice", &["search", "Ergasheva"])).contains("1 document(s)"));
    assert!(text(&as_("alice", &["person", "Ergasheva"])).contains(&witness_id));
    assert!(text(&as_("alice", &["export"])).contains("Kamola Ergasheva"));
    assert_eq!(stats_of("alice"), before);

    // Public export, even run by the admin: neither the witness nor the brother (a relative).
    let public = text(&as_("ada", &["export", "--public"]));
    for hidden in ["Ergasheva", "Bekzod"] {
        assert!(!public.contains(hidden), "{hidden} in the public export:\n{public}");
    }
    assert!(public.contains("Sherzod Tursunov"), "{public}");

    // A policy file withholds more; a wrong one is named.
    let policy = env.dir.path().join("partners.policy");
    std::fs::write(&policy, "relatives\nperson.age\ndocument.source\n").unwrap();
    let partners = text(&as_("ada", &["export", "--public", "--policy", policy.to_str().unwrap()]));
    assert!(!partners.contains("\"age\"") && !partners.contains("witness-statement.txt") && !partners.contains("Bekzod"), "{partners}");
    std::fs::write(&policy, "relatives\nperson.shoe_size\n").unwrap();
    let bad = as_("ada", &["export", "--public", "--policy", policy.to_str().unwrap()]);
    assert!(!bad.status.success() && text(&bad).contains("partners.policy:2"), "{}", text(&bad));

    // Every step is in the audit log, which only the admin reads.
    let log = text(&as_("ada", &["audit", "log"]));
    assert!(log.contains("record.restrict") && log.contains("user.grant") && log.contains("user.add"), "{log}");
    assert!(!as_("bob", &["audit", "log"]).status.success());
    assert!(text(&as_("bob", &["audit", "verify"])).contains("audit chain intact"));
}

/// Several workers read and extract at once, but the store is written in file
/// order: the record is the same, ids included, as with one worker.
#[test]
fn ingest_with_workers_gives_the_same_record_as_one_worker() {
    let inputs = [data("reports"), data("namesakes"), data("restricted")];
    let inputs: Vec<&str> = inputs.iter().map(|p| p.to_str().unwrap()).collect();
    let mut exports = Vec::new();
    for workers in ["1", "4"] {
        let env = Env::new();
        let out = env.run(&[&["ingest", "--workers", workers][..], &inputs].concat());
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let export = env.ok(&["export"]);
        // Ingestion times differ; nothing else may.
        assert!(!export.contains("ingested_at"));
        exports.push(export);
    }
    assert!(exports[0].lines().count() > 10);
    assert_eq!(exports[0], exports[1]);
}

#[test]
fn a_russian_and_an_english_report_of_one_man_give_one_person_with_both_spellings() {
    let env = Env::new();
    // Each file on its own, in either order, as reports come in.
    env.ok(&["ingest", data("cross-script/ru.txt").to_str().unwrap()]);
    env.ok(&["ingest", data("cross-script/en.txt").to_str().unwrap()]);
    let export = env.export();
    let docs = records(&export, "document");
    let language = |name: &str| docs.iter().find(|d| d["source"].as_str().unwrap().ends_with(name)).unwrap()["language"].clone();
    assert_eq!(language("ru.txt"), "ru");
    assert_eq!(language("en.txt"), "en");
    let named = |p: &&serde_json::Value, text: &str| p["mentions"].as_array().unwrap().iter().any(|m| m["text"] == text);
    let persons = records(&export, "person");
    let him: Vec<_> = persons.iter().filter(|p| named(p, "Umid Rakhimov") || named(p, "Умида Рахимова")).collect();
    assert_eq!(him.len(), 1, "one person, not one per script: {persons:#?}");
    let him = him[0];
    assert!(named(&him, "Umid Rakhimov") && named(&him, "Умида Рахимова") && named(&him, "Рахимову"), "{him:#}");
    let in_docs: std::collections::HashSet<&str> = him["mentions"].as_array().unwrap().iter().map(|m| m["document"].as_str().unwrap()).collect();
    assert_eq!(in_docs.len(), 2);
    // The Russian report's arrest is his, by the court, on the day it gives.
    let arrest = records(&export, "event").into_iter().find(|e| e["type"] == "arrest" && e["date"] == "2026-03-13").expect("the Russian report's arrest");
    assert_eq!(arrest["victims"], serde_json::json!([him["id"]]));
}

#[test]
fn a_folders_list_of_sources_dates_its_reports() {
    let env = Env::new();
    let out = env.run(&["ingest", data("listed").to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    // The list is read, not skipped as a file of an unknown kind.
    assert!(String::from_utf8_lossy(&out.stdout).contains("ingested 1 new document(s), 0 already present, 0 failed, 0 skipped"), "{}", String::from_utf8_lossy(&out.stdout));
    let export = env.export();
    let doc = records(&export, "document")[0];
    assert_eq!((doc["published"].as_str(), doc["publisher"].as_str(), doc["language"].as_str()), (Some("2025-03-04"), Some("Правозащитный бюллетень"), Some("ru")));
    // The report gives a day without a year: the list's date says which year.
    let arrest = records(&export, "event").into_iter().find(|e| e["type"] == "arrest").expect("the arrest");
    assert_eq!(arrest["date"], "2025-02-27");
}

#[test]
fn a_bad_list_of_sources_is_named_with_its_line() {
    let env = Env::new();
    let dir = env.dir.path().join("reports");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(dir.join("a.txt"), "Police detained Rustam Nazarov in Kazan on 3 March 2025.\n").unwrap();
    std::fs::write(dir.join("sources.tsv"), "name\tpublished\na\tlast spring\n").unwrap();
    let out = env.run(&["ingest", dir.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("sources.tsv, line 2: \"last spring\" is not a date"), "{stderr}");
}
