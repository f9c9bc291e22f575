//! The exports others load, through the real binary on real stores: FtM
//! entities that FollowTheMoney's own `ftm validate` keeps whole (no property
//! it does not know, no value it would drop or rewrite, no reference to an
//! entity the file lacks), `chronicle-esf/1` read back into its structs and
//! written again byte for byte, and the CSV's involvements.
//!
//! The FtM tests need `ftm` (`pip install followthemoney`); without it they
//! say they skipped, and with `CHRONICLE_REQUIRE_FTM=1` (as in CI) its absence
//! is a failure. The seed and Russian reports are read from
//! `../shared/corpus/` beside the repository (or `$CHRONICLE_SHARED/corpus/`).

#[allow(dead_code)]
mod support;

#[path = "../src/export/esf/schema.rs"]
#[allow(dead_code)]
mod esf;

use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use support::Env;

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/reports")
}

/// A set of reports of the shared corpus (`seeds`, `ru-dev`), where the shared folder is.
fn shared_set(set: &str) -> Option<PathBuf> {
    let shared = std::env::var_os("CHRONICLE_SHARED").map(PathBuf::from).unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared"));
    let dir = shared.join("corpus").join(set);
    dir.is_dir().then_some(dir)
}

/// Whether `ftm` runs here; its absence fails the test under `CHRONICLE_REQUIRE_FTM=1`.
fn ftm_present() -> bool {
    let present = Command::new("ftm").arg("--help").output().map(|o| o.status.success()).unwrap_or(false);
    if !present {
        assert!(std::env::var("CHRONICLE_REQUIRE_FTM").as_deref() != Ok("1"), "CHRONICLE_REQUIRE_FTM=1 but `ftm` does not run (pip install followthemoney)");
        eprintln!("skipped: `ftm` is not installed (pip install followthemoney); CHRONICLE_REQUIRE_FTM=1 makes this a failure");
    }
    present
}

fn lines(text: &str) -> Vec<Value> {
    text.lines().map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}"))).collect()
}

/// Each property's values as a set.
fn props(entity: &Value) -> BTreeMap<String, BTreeSet<String>> {
    let Some(map) = entity["properties"].as_object() else { return BTreeMap::new() };
    map.iter().map(|(k, v)| (k.clone(), v.as_array().unwrap().iter().map(|s| s.as_str().unwrap().to_string()).collect())).collect()
}

/// Properties whose values are entity ids in the exports.
const REFERENCES: &[&str] = &["document", "entity", "subject", "object", "involved", "proof"];

/// What `ftm validate` says of an FtM file: nothing when it keeps every
/// entity, property and value as written and every reference resolves;
/// otherwise each problem.
fn ftm_problems(file: &Path) -> Vec<String> {
    let out = Command::new("ftm").arg("validate").arg("-i").arg(file).output().expect("run ftm validate");
    if !out.status.success() {
        return vec![format!("ftm validate failed: {}", String::from_utf8_lossy(&out.stderr))];
    }
    let written = lines(&std::fs::read_to_string(file).unwrap());
    let validated = lines(&String::from_utf8(out.stdout).unwrap());
    let mut problems = Vec::new();
    if written.len() != validated.len() {
        problems.push(format!("{} entities written, {} validated", written.len(), validated.len()));
    }
    let ids: HashSet<&str> = written.iter().filter_map(|e| e["id"].as_str()).collect();
    for (w, v) in written.iter().zip(&validated) {
        if w["id"] != v["id"] || w["schema"] != v["schema"] {
            problems.push(format!("{} {} came back as {} {}", w["schema"], w["id"], v["schema"], v["id"]));
        }
        let (before, after) = (props(w), props(v));
        for (prop, values) in &before {
            if after.get(prop) != Some(values) {
                problems.push(format!("{} {}: {prop} {values:?} came back as {:?}", w["schema"], w["id"], after.get(prop)));
            }
            if REFERENCES.contains(&prop.as_str()) {
                problems.extend(values.iter().filter(|r| !ids.contains(r.as_str())).map(|r| format!("{} {}: {prop} {r} is not in the file", w["schema"], w["id"])));
            }
        }
    }
    problems
}

/// Whether `ftm` is the FtM id of Chronicle's `id`: `chronicle-` and the id,
/// or, for an id with characters FtM ids may not hold (an organisation's key
/// in Cyrillic), those characters as `-` and a digest after it.
fn is_ftm_id_of(ftm: &str, id: &str) -> bool {
    if id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.') {
        return ftm == format!("chronicle-{id}");
    }
    let kept: String = id.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect();
    ftm.strip_prefix(&format!("chronicle-{kept}-")).is_some_and(|digest| digest.len() == 12 && digest.chars().all(|c| c.is_ascii_hexdigit()))
}

/// A store with `dir`'s reports in it.
fn ingested(dir: &Path) -> Env {
    let env = Env::new();
    env.succeed(&["ingest", dir.to_str().unwrap()]);
    env
}

fn export(env: &Env, format: &str, extra: &[&str]) -> String {
    String::from_utf8(env.succeed(&[&["export", "--format", format], extra].concat()).stdout).unwrap()
}

/// The FtM export of `env` (with `extra` flags) passes `ftm validate`, and
/// holds an entity for every record of the JSONL export.
fn ftm_export_validates(env: &Env, extra: &[&str]) {
    let file = env.dir.path().join("ftm.jsonl");
    env.succeed(&[&["export", "--format", "ftm", "--out", file.to_str().unwrap()], extra].concat());
    let problems = ftm_problems(&file);
    assert!(problems.is_empty(), "{extra:?}: {}", problems.join("\n"));
    let entities = lines(&std::fs::read_to_string(&file).unwrap());
    let ids: HashSet<&str> = entities.iter().map(|e| e["id"].as_str().unwrap()).collect();
    let records = lines(&export(env, "jsonl", extra));
    for r in &records {
        let id = r["id"].as_str().unwrap();
        assert!(ids.iter().any(|i| is_ftm_id_of(i, id)), "{id} ({}) is in the FtM export", r["record"]);
    }
    let links = entities.iter().filter(|e| e["schema"] == "UnknownLink").count();
    let victims: usize = records.iter().filter(|r| r["record"] == "event").map(|r| r["victims"].as_array().unwrap().len() + r["perpetrators"].as_array().unwrap().len()).sum();
    assert!(links >= victims, "a link for every victim and perpetrator: {links} < {victims}");
    assert!(entities.iter().any(|e| e["schema"] == "Documentation"), "documents linked to what they tell");
}

#[test]
fn ftm_validate_keeps_the_export_of_the_examples_whole() {
    if !ftm_present() {
        return;
    }
    let env = ingested(&examples());
    ftm_export_validates(&env, &[]);
    ftm_export_validates(&env, &["--public"]);
}

#[test]
fn ftm_validate_keeps_the_export_of_the_seeds_and_the_russian_reports_whole() {
    if !ftm_present() {
        return;
    }
    for set in ["seeds", "ru-dev"] {
        match shared_set(set) {
            Some(dir) => ftm_export_validates(&ingested(&dir), &[]),
            None => eprintln!("skipped: ../shared/corpus/{set} is absent"),
        }
    }
}

#[test]
fn the_ftm_check_fails_what_ftm_would_drop_or_rewrite() {
    if !ftm_present() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let good = r#"{"id":"chronicle-person-1","schema":"Person","properties":{"name":["Ilhom Rashidov"],"nationality":["uz"],"birthDate":["1980"]}}"#;
    let file = dir.path().join("good.jsonl");
    std::fs::write(&file, format!("{good}\n")).unwrap();
    assert_eq!(ftm_problems(&file), Vec::<String>::new());
    for broken in [
        r#"{"id":"chronicle-person-1","schema":"Person","properties":{"shoeSize":["44"]}}"#,
        r#"{"id":"chronicle-person-1","schema":"Person","properties":{"nationality":["Uzbekistan?"]}}"#,
        r#"{"id":"chronicle-person-1","schema":"Person","properties":{"nationality":["UZ"]}}"#,
        r#"{"id":"chronicle-person-1","schema":"Person","properties":{"birthDate":["born 1980"]}}"#,
        r#"{"id":"chronicle-e1","schema":"Event","properties":{"involved":["chronicle-person-404"]}}"#,
        r#"{"id":"chronicle-d1","schema":"Document","properties":{"language":["en"]}}"#,
        r#"{"id":"chronicle-x","schema":"Persn","properties":{}}"#,
    ] {
        std::fs::write(&file, format!("{good}\n{broken}\n")).unwrap();
        assert!(!ftm_problems(&file).is_empty(), "the check fails {broken}");
    }
}

#[test]
fn ftm_entities_keep_chronicles_ids_and_ftms_codes() {
    let env = ingested(&examples());
    let first = export(&env, "ftm", &[]);
    assert_eq!(first, export(&env, "ftm", &[]), "the same store exports the same entities");
    let entities = lines(&first);
    let of = |schema: &str| entities.iter().filter(|e| e["schema"] == schema).collect::<Vec<_>>();
    let records = lines(&export(&env, "jsonl", &[]));
    let persons: Vec<&Value> = records.iter().filter(|r| r["record"] == "person").collect();
    assert_eq!(of("Person").len(), persons.len());
    for e in entities.iter().filter(|e| e["schema"] == "Event") {
        for c in props(e).get("country").into_iter().flatten() {
            assert!(c.len() == 2 && c.chars().all(|c| c.is_ascii_lowercase()), "{c}");
        }
        assert!(e["properties"]["name"][0].as_str().is_some(), "{e}");
    }
    let arrest = of("Event").into_iter().find(|e| e["properties"]["name"][0] == "arrest of Dilshod Qodirov").expect("his arrest");
    assert_eq!((&arrest["properties"]["date"][0], &arrest["properties"]["country"][0]), (&Value::from("2024-03-12"), &Value::from("ru")), "{arrest}");
    assert_eq!(arrest["id"], "chronicle-doc-9aaa2e1bad861c5d-e1", "ids are Chronicle's");
    let roles: HashSet<&str> = of("UnknownLink").iter().map(|l| l["properties"]["role"][0].as_str().unwrap()).collect();
    assert!(roles.contains("victim") && roles.contains("perpetrator"), "{roles:?}");
    let doc = of("Document")[0];
    assert_eq!(doc["properties"]["contentHash"][0].as_str().unwrap().len(), 64);
    assert_eq!(doc["properties"]["language"][0], "eng");
}

#[test]
fn esf_reads_back_into_its_structs_and_writes_the_same_bytes() {
    let env = ingested(&examples());
    let file = env.dir.path().join("esf.json");
    env.succeed(&["export", "--format", "esf", "--out", file.to_str().unwrap()]);
    let text = std::fs::read_to_string(&file).unwrap();
    let doc: esf::Esf = serde_json::from_str(&text).expect("the file reads into the structs");
    assert_eq!(esf::to_json(&doc).unwrap(), text, "written again byte for byte");
    assert_eq!(doc.format, esf::FORMAT);

    let records = lines(&export(&env, "jsonl", &[]));
    let of = |kind: &str| records.iter().filter(|r| r["record"] == kind).collect::<Vec<_>>();
    let (events, persons, orgs, documents) = (of("event"), of("person"), of("organization"), of("document"));
    let stats = String::from_utf8(env.succeed(&["stats"]).stdout).unwrap();
    let units = |unit: &str| doc.persons.iter().filter(|p| p.counting_unit == unit).count();
    let counted = format!("{} documents, {} persons, {} organisations, {} events", doc.sources.len(), units("individual"), units("group"), doc.events.len());
    assert!(stats.starts_with(&counted), "the store's counts: {stats}");
    assert_eq!(doc.events.len(), events.len());
    assert_eq!(doc.sources.len(), documents.len());
    assert_eq!(doc.persons.len(), persons.len() + orgs.len(), "persons and groups");
    let victims: usize = events.iter().map(|e| e["victims"].as_array().unwrap().len()).sum();
    assert_eq!(doc.acts.len(), victims, "an act for every victim of every event");
    let perpetrators: usize = events.iter().map(|e| e["perpetrators"].as_array().unwrap().len()).sum();
    assert_eq!(doc.involvements.iter().filter(|i| i.role == "perpetrator").count(), perpetrators);

    for (e, r) in doc.events.iter().zip(&events) {
        assert_eq!((e.id.as_str(), e.kind.as_str(), e.date.as_deref()), (r["id"].as_str().unwrap(), r["type"].as_str().unwrap(), r["date"].as_str()));
        let quotes: Vec<&str> = r["sources"].as_array().unwrap().iter().map(|s| s["quote"].as_str().unwrap()).collect();
        assert_eq!(e.sources.iter().map(|s| s.quote.as_str()).collect::<Vec<_>>(), quotes);
        assert!(e.sources.iter().all(|s| doc.sources.iter().any(|d| d.id == s.source)), "{} cites sources the file holds", e.id);
    }
    for (p, r) in doc.persons.iter().zip(&persons) {
        assert_eq!((p.id.as_str(), p.name.as_str(), p.counting_unit.as_str()), (r["id"].as_str().unwrap(), r["name"].as_str().unwrap(), "individual"));
    }
    for (s, r) in doc.sources.iter().zip(&documents) {
        assert_eq!((s.id.as_str(), s.sha256.as_str(), s.published.as_deref(), s.title.as_deref()), (r["id"].as_str().unwrap(), r["sha256"].as_str().unwrap(), r["published"].as_str(), r["title"].as_str()));
    }
    let ids: HashSet<&str> = doc.persons.iter().map(|p| p.id.as_str()).collect();
    assert!(doc.acts.iter().all(|a| ids.contains(a.victim.as_str())) && doc.involvements.iter().all(|i| ids.contains(i.person.as_str())));
}

#[test]
fn csv_involvements_give_every_victim_and_perpetrator_with_ids_beside_names() {
    let env = ingested(&examples());
    let out = env.dir.path().join("csv");
    env.succeed(&["export", "--format", "csv", "--out", out.to_str().unwrap()]);
    let files: BTreeSet<String> = std::fs::read_dir(&out).unwrap().map(|f| f.unwrap().file_name().into_string().unwrap()).collect();
    assert_eq!(files, BTreeSet::from(["events.csv".into(), "involvements.csv".into(), "persons.csv".into()]));
    let mut reader = csv::Reader::from_path(out.join("involvements.csv")).unwrap();
    assert_eq!(reader.headers().unwrap(), vec!["event_id", "person_id", "person", "role"]);
    let rows: Vec<Vec<String>> = reader.records().map(|r| r.unwrap().iter().map(str::to_string).collect()).collect();
    let records = lines(&export(&env, "jsonl", &[]));
    for e in records.iter().filter(|r| r["record"] == "event") {
        for (field, role) in [("victims", "victim"), ("perpetrators", "perpetrator")] {
            for id in e[field].as_array().unwrap() {
                assert!(rows.iter().any(|r| r[0] == e["id"].as_str().unwrap() && r[1] == id.as_str().unwrap() && r[3] == role), "{} {role} {id}", e["id"]);
            }
        }
    }
    assert!(rows.iter().all(|r| ["victim", "perpetrator", "relative", "lawyer", "other"].contains(&r[3].as_str())));
    let mut reader = csv::Reader::from_path(out.join("events.csv")).unwrap();
    let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_string).collect();
    let column = |name: &str| header.iter().position(|h| h == name).unwrap_or_else(|| panic!("{name} in {header:?}"));
    let (ids, names, title, source) = (column("victim_ids"), column("victims"), column("document_title"), column("document_source"));
    assert_eq!(names, ids + 1, "ids beside names");
    let events: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let arrest = events.iter().find(|r| r[names].contains("Dilshod Qodirov")).expect("Dilshod Qodirov's event");
    assert!(arrest[ids].starts_with("person-") && !arrest[title].is_empty() && arrest[source].contains("examples/reports"), "{arrest:?}");
}
