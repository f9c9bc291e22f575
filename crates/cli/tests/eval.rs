//! `chronicle eval`: on the seeds, the dev sets and the reports written for the project
//! every figure agrees with score.py's --json
//! output; on a report and gold written here, `--misses` names each miss.

use std::path::PathBuf;
use std::process::Command;

fn shared() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared");
    dir.join("corpus/seeds/gold").is_dir().then_some(dir)
}

fn figures(v: &serde_json::Value) -> Vec<(String, f64)> {
    let mut out = Vec::new();
    for cat in ["persons", "organizations", "events", "linkage"] {
        for k in ["tp", "predicted", "gold", "precision", "recall", "f1"] {
            out.push((format!("{cat}.{k}"), v[cat][k].as_f64().unwrap_or(f64::NAN)));
        }
    }
    for (k, a) in v["attributes"].as_object().into_iter().flatten() {
        out.push((format!("{k}.correct"), a["correct"].as_f64().unwrap()));
        out.push((format!("{k}.scored"), a["scored"].as_f64().unwrap()));
    }
    out
}

#[test]
fn eval_agrees_with_score_py_on_the_seeds_and_the_dev_sets() {
    let Some(shared) = shared() else {
        eprintln!("skipped: ../shared is absent");
        return;
    };
    let scorer = shared.join("eval/score.py");
    for set in ["seeds", "en-dev", "ru-dev"] {
        if shared.join("corpus").join(set).join("gold").is_dir() {
            agrees_on(&shared, set, &scorer);
        }
    }
    // The reports written for the project, beside its code.
    agrees_on(&PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../.."), "en-written", &scorer);
}

fn agrees_on(root: &std::path::Path, set: &str, scorer: &std::path::Path) {
    let shared = root;
    let gold = shared.join("corpus").join(set).join("gold");
    let run = Command::new(env!("CARGO_BIN_EXE_chronicle")).arg("eval").arg(&gold).arg("--json").output().unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let ours: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    assert!(ours["persons"]["f1"].as_f64().unwrap() > 0.0);
    // Calibrated: of the events given a confidence, about that share are right
    // (bins of ten events or more, within a tenth of the bin).
    for bin in ours["calibration"].as_array().unwrap().iter().filter(|b| b["events"].as_u64().unwrap() >= 10) {
        let (low, share) = (bin["low"].as_f64().unwrap(), bin["right"].as_f64().unwrap() / bin["events"].as_f64().unwrap());
        assert!(share >= low - 0.1 && share <= low + 0.2, "{set}: events given {low:.1}-{:.1} are right in {share:.2} of cases", low + 0.1);
    }
    let work = tempfile::tempdir().unwrap();
    let db = work.path().join("x.db");
    let jsonl = work.path().join("x.jsonl");
    let bin = env!("CARGO_BIN_EXE_chronicle");
    assert!(Command::new(bin).arg("--store").arg(&db).arg("ingest").arg(shared.join("corpus").join(set)).output().unwrap().status.success());
    assert!(Command::new(bin).arg("--store").arg(&db).args(["export", "--format", "jsonl", "--out"]).arg(&jsonl).output().unwrap().status.success());
    let Ok(py) = Command::new("python3").arg(scorer).arg(&gold).arg(&jsonl).arg("--json").output() else {
        eprintln!("skipped the comparison: no python3");
        return;
    };
    let text = String::from_utf8_lossy(&py.stdout);
    let json_part = &text[..text.rfind("summary:").unwrap_or(text.len())];
    let theirs: serde_json::Value = serde_json::from_str(json_part).unwrap();
    let (a, b) = (figures(&ours), figures(&theirs));
    assert_eq!(a.len(), b.len(), "{a:?} vs {b:?}");
    for ((name, x), (_, y)) in a.iter().zip(&b) {
        assert!((x - y).abs() <= 0.005, "{set} {name}: chronicle eval {x}, score.py {y}");
    }
}

/// A report and gold written here: the gold names a person the text does not
/// and dates the arrest a day off, so `--misses` must name both, with figures
/// counted by hand.
#[test]
fn eval_misses_names_what_was_missed_and_what_was_wrong() {
    let data = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/eval");
    let run = Command::new(env!("CARGO_BIN_EXE_chronicle")).arg("eval").arg(data.join("gold")).arg(&data).arg("--misses").output().unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let out = String::from_utf8_lossy(&run.stdout);
    assert!(out.contains("persons        P=1.000 R=0.500"), "{out}");
    assert!(out.contains("events         P=1.000 R=1.000"), "{out}");
    assert!(out.contains("attribute date       0/1"), "{out}");
    assert!(out.contains("attribute country    1/1"), "{out}");
    assert!(out.contains("missed person Rustam Nazarov"), "{out}");
    assert!(out.contains("wrong date arrest 2021-03-04 [anvar-saidov]: gold 2021-03-04, got 2021-03-05"), "{out}");
}

/// The calibration is fitted on raw confidences: one step per raw value, with
/// the share of its events right, smoothed by one right and one wrong event
/// (here one event, right: 2/3).
#[test]
fn eval_fits_the_calibration_of_an_extractor() {
    let data = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/eval");
    let run = Command::new(env!("CARGO_BIN_EXE_chronicle")).arg("eval").arg(data.join("gold")).arg(&data).args(["--fit-calibration", "rules-en/1"]).output().unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let out = String::from_utf8_lossy(&run.stdout);
    let steps: Vec<Vec<&str>> = out.lines().filter(|l| !l.starts_with('#')).map(|l| l.split('\t').collect()).collect();
    assert_eq!(steps.len(), 1, "{out}");
    assert_eq!(steps[0][0], "rules-en/1");
    assert_eq!(&steps[0][2..], ["0.667", "1", "1"], "{out}");
    let from: f64 = steps[0][1].parse().unwrap();
    assert!((0.0..=1.0).contains(&from));
}
