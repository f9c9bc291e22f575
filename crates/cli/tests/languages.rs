//! The extractor chosen by a report's language: the real `chronicle` binary
//! on a temporary store, read back through the export and, independently,
//! with Python's sqlite3.

mod support;

use std::process::Command;
use support::Env;

fn data(p: &str) -> String {
    support::data(p).to_string_lossy().into_owned()
}

/// What this file asks of a run beyond the shared helpers.
trait Read {
    fn ok(&self, args: &[&str]) -> String;
    fn export(&self) -> Vec<serde_json::Value>;
    fn documents(&self) -> Vec<(String, String, String)>;
    fn sql(&self, statement: &str);
}

impl Read for Env {
    /// Runs a command that must succeed; what it says: its standard output
    /// (results, the ingest summary among them), then its standard error.
    fn ok(&self, args: &[&str]) -> String {
        let out = self.succeed(args);
        String::from_utf8(out.stdout).unwrap() + &String::from_utf8(out.stderr).unwrap()
    }
    fn export(&self) -> Vec<serde_json::Value> {
        let out = self.run(&["export"]);
        String::from_utf8(out.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect()
    }
    /// Source file name → (language, extractor), read from the store file itself.
    fn documents(&self) -> Vec<(String, String, String)> {
        let out = Command::new("python3")
            .args(["-c", "import sqlite3,sys\nfor r in sqlite3.connect(sys.argv[1]).execute('SELECT source, language, extractor FROM documents ORDER BY source'): print('|'.join(map(str, r)))"])
            .arg(self.store())
            .output()
            .expect("python3 to read the store independently");
        let text = String::from_utf8(out.stdout).unwrap();
        text.lines().map(|l| {
            let f: Vec<&str> = l.split('|').collect();
            (f[0].rsplit('/').next().unwrap().to_string(), f[1].to_string(), f[2].to_string())
        }).collect()
    }
    fn sql(&self, statement: &str) {
        let out = Command::new("python3")
            .args(["-c", "import sqlite3,sys; c = sqlite3.connect(sys.argv[1]); c.execute(sys.argv[2]); c.commit()"])
            .arg(self.store())
            .arg(statement)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
}

fn doc<'a>(docs: &'a [(String, String, String)], file: &str) -> (&'a str, &'a str) {
    let d = docs.iter().find(|d| d.0 == file).unwrap_or_else(|| panic!("{file} not in {docs:?}"));
    (d.1.as_str(), d.2.as_str())
}

/// The ids of the documents any person or event of the export comes from.
fn documents_with_records(export: &[serde_json::Value]) -> Vec<String> {
    let mut ids = Vec::new();
    for r in export {
        let quotes = if r["record"] == "person" { &r["mentions"] } else if r["record"] == "event" { &r["sources"] } else { continue };
        ids.extend(quotes.as_array().unwrap().iter().map(|q| q["document"].as_str().unwrap().to_string()));
    }
    ids
}

fn id_of(export: &[serde_json::Value], file: &str) -> String {
    let d = export.iter().find(|r| r["record"] == "document" && r["source"].as_str().unwrap().ends_with(file)).unwrap();
    d["id"].as_str().unwrap().to_string()
}

#[test]
fn a_report_in_a_language_without_extractor_is_stored_searchable_and_said_once() {
    let env = Env::new();
    let said = env.ok(&["ingest", &data("languages/bericht.txt"), &data("reports/news-sentenced.txt"), &data("reports/russian-cp1251.txt")]);
    assert!(said.contains("ingested 3 new document(s), 0 already present, 0 failed"), "{said}");
    assert!(said.contains("; 1 stored without extraction (each named below)"), "{said}");
    let lines: Vec<&str> = said.lines().filter(|l| l.contains("not extracted")).collect();
    assert_eq!(lines.len(), 1, "{said}");
    assert!(lines[0].contains("bericht.txt: stored and searchable, not extracted: no extractor reads its language (de)"), "{}", lines[0]);

    let docs = env.documents();
    assert_eq!(doc(&docs, "bericht.txt"), ("de", "none"));
    assert_eq!(doc(&docs, "news-sentenced.txt"), ("en", "rules-en/1"));
    assert_eq!(doc(&docs, "russian-cp1251.txt"), ("ru", "rules-ru/1"));
    let export = env.export();
    let german = id_of(&export, "bericht.txt");
    let with_records = documents_with_records(&export);
    assert!(!with_records.contains(&german), "{with_records:?}");
    assert!(with_records.contains(&id_of(&export, "news-sentenced.txt")));

    let found = env.run(&["search", "Polizeiwache"]);
    assert!(found.status.success() && String::from_utf8_lossy(&found.stdout).contains("bericht.txt"), "{}", String::from_utf8_lossy(&found.stdout));

    // Ingested again: already on record, and not said again.
    let again = env.ok(&["ingest", &data("languages/bericht.txt")]);
    assert!(again.contains("ingested 0 new document(s), 1 already present"), "{again}");
    assert!(!again.contains("not extracted") && !again.contains("without extraction"), "{again}");
}

#[test]
fn several_workers_say_each_unextracted_report_once() {
    let env = Env::new();
    let said = env.ok(&["ingest", "--workers", "3", "--language", "de", &data("reports"), &data("languages")]);
    assert!(said.contains("ingested 5 new document(s)") && said.contains("; 5 stored without extraction"), "{said}");
    let lines: Vec<&str> = said.lines().filter(|l| l.contains("not extracted")).collect();
    assert_eq!(lines.len(), 5, "{said}");
    for file in ["bericht.txt", "campaign.html", "news-sentenced.txt", "ngo-release.pdf", "russian-cp1251.txt"] {
        assert_eq!(lines.iter().filter(|l| l.contains(file)).count(), 1, "{file}: {said}");
    }
}

#[test]
fn ingest_language_overrides_detection_for_every_file_of_the_run() {
    let env = Env::new();
    env.ok(&["ingest", "--language", "en", &data("languages/bericht.txt"), &data("reports/russian-cp1251.txt")]);
    env.ok(&["ingest", "--language", "de", &data("reports/news-sentenced.txt")]);
    env.ok(&["ingest", "--language", "ru", &data("reports/campaign.html")]);
    let docs = env.documents();
    assert_eq!(doc(&docs, "bericht.txt"), ("en", "rules-en/1"));
    assert_eq!(doc(&docs, "russian-cp1251.txt"), ("en", "rules-en/1"));
    assert_eq!(doc(&docs, "news-sentenced.txt"), ("de", "none"));
    assert_eq!(doc(&docs, "campaign.html"), ("ru", "rules-ru/1"), "the override wins over the page's own lang");
    let export = env.export();
    assert!(!documents_with_records(&export).contains(&id_of(&export, "news-sentenced.txt")));
}

#[test]
fn ingest_refuses_a_language_that_is_not_two_lower_case_letters() {
    let env = Env::new();
    for bad in ["EN", "eng", "e", "ru-RU", "ру", ""] {
        let out = env.run(&["ingest", "--language", bad, &data("reports/news-sentenced.txt")]);
        assert!(!out.status.success(), "{bad:?} was taken");
        let said = String::from_utf8_lossy(&out.stderr);
        assert!(said.contains("--language") && said.contains("is not a language code: give its two lower-case letters"), "{bad:?}: {said}");
    }
    assert!(!env.store().exists() || env.documents().is_empty(), "nothing is ingested");
}

#[test]
fn reextract_chooses_the_extractor_by_the_stored_language() {
    let env = Env::new();
    env.ok(&["ingest", &data("reports"), &data("languages")]);
    // A store from before the choice: every report read by the English rules,
    // a Russian one among them; and an English report whose language is German.
    env.sql("UPDATE documents SET extractor = 'rules-en/1'");
    env.sql("UPDATE documents SET language = 'de' WHERE source LIKE '%news-sentenced.txt'");
    let export = env.export();
    let sentenced = id_of(&export, "news-sentenced.txt");
    assert!(documents_with_records(&export).contains(&sentenced));

    let said = env.ok(&["reextract"]);
    assert!(said.contains("5 document(s) extracted again") && said.contains("; 2 of them not extracted (no extractor reads their language)"), "{said}");
    let lines: Vec<&str> = said.lines().filter(|l| l.contains("not extracted:")).collect();
    assert_eq!(lines.len(), 2, "{said}");
    assert!(lines.iter().any(|l| l.contains("bericht.txt") && l.contains("(de)")), "{said}");
    assert!(lines.iter().any(|l| l.contains("news-sentenced.txt") && l.contains("(de)")), "{said}");

    let docs = env.documents();
    assert_eq!(doc(&docs, "russian-cp1251.txt"), ("ru", "rules-ru/1"));
    assert_eq!(doc(&docs, "campaign.html"), ("en", "rules-en/1"));
    assert_eq!(doc(&docs, "news-sentenced.txt"), ("de", "none"));
    assert_eq!(doc(&docs, "bericht.txt"), ("de", "none"));
    // What a fresh ingest of a German report makes: no records from it.
    assert!(!documents_with_records(&env.export()).contains(&sentenced));
    // One document named: only it.
    let one = env.ok(&["reextract", &id_of(&export, "russian-cp1251.txt")]);
    assert!(one.contains("1 document(s) extracted again") && !one.contains("not extracted"), "{one}");
}
