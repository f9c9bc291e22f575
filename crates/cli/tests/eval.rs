//! `chronicle eval` on the seed corpus: every figure agrees with score.py's --json output.

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
fn eval_on_the_seeds_agrees_with_score_py() {
    let Some(shared) = shared() else {
        eprintln!("skipped: ../shared is absent");
        return;
    };
    let gold = shared.join("corpus/seeds/gold");
    let run = Command::new(env!("CARGO_BIN_EXE_chronicle")).arg("eval").arg(&gold).arg("--json").output().unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let ours: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    assert!(ours["persons"]["f1"].as_f64().unwrap() > 0.0);
    let work = tempfile::tempdir().unwrap();
    let db = work.path().join("x.db");
    let jsonl = work.path().join("x.jsonl");
    let bin = env!("CARGO_BIN_EXE_chronicle");
    assert!(Command::new(bin).arg("--store").arg(&db).arg("ingest").arg(shared.join("corpus/seeds")).output().unwrap().status.success());
    assert!(Command::new(bin).arg("--store").arg(&db).args(["export", "--format", "jsonl", "--out"]).arg(&jsonl).output().unwrap().status.success());
    let Ok(py) = Command::new("python3").arg(shared.join("eval/score.py")).arg(&gold).arg(&jsonl).arg("--json").output() else {
        eprintln!("skipped the comparison: no python3");
        return;
    };
    let text = String::from_utf8_lossy(&py.stdout);
    let json_part = &text[..text.rfind("summary:").unwrap_or(text.len())];
    let theirs: serde_json::Value = serde_json::from_str(json_part).unwrap();
    let (a, b) = (figures(&ours), figures(&theirs));
    assert_eq!(a.len(), b.len(), "{a:?} vs {b:?}");
    for ((name, x), (_, y)) in a.iter().zip(&b) {
        assert!((x - y).abs() <= 0.005, "{name}: chronicle eval {x}, score.py {y}");
    }
}
