//! A report means the same however its lines are broken: the example reports
//! hard-wrapped at 60 and 72 columns (as a plain-text bulletin or an e-mail
//! is), and those wrapped texts set as PDFs by `enscript | ps2pdf`, give the
//! events the unwrapped report gives: the same kinds, victims, dates and
//! countries.
//!
//! Needs `fold` (coreutils), and for the PDFs `enscript`, `ps2pdf` and
//! `pdftotext`; without them the PDF half says so and passes, unless
//! `CHRONICLE_REQUIRE_TOOLS=1`.

use chronicle_model::{EntityRef, Extraction};
use chronicle_pipeline::{prepare, Options};
use std::path::{Path, PathBuf};
use std::process::Command;

/// What an event is, for comparing: kind, victims' names, date, country, destination.
fn events(ex: &Extraction) -> Vec<String> {
    let name = |r: &EntityRef| match r {
        EntityRef::Person(i) => ex.persons[*i].name.clone(),
        EntityRef::Org(i) => ex.orgs[*i].name.clone(),
    };
    let mut out: Vec<String> = ex
        .events
        .iter()
        .map(|e| {
            let mut victims: Vec<String> = e.victims.iter().map(name).collect();
            victims.sort();
            format!("{} {victims:?} {:?} {:?} {:?}", e.kind, e.date.map(|d| d.to_string()), e.country, e.to_country)
        })
        .collect();
    out.sort();
    out
}

fn examples() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/reports");
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt" || x == "md"))
        .collect();
    files.sort();
    assert!(files.len() >= 5, "{files:?}");
    files
}

fn extracted(name: &str, bytes: Vec<u8>) -> Vec<String> {
    events(&prepare(name, bytes, &Options::default()).unwrap().extraction)
}

fn fold(path: &Path, width: usize) -> Vec<u8> {
    let out = Command::new("fold").args(["-s", "-w", &width.to_string()]).arg(path).output().expect("fold (coreutils)");
    assert!(out.status.success());
    out.stdout
}

fn tools_for_pdf() -> bool {
    let have = ["enscript", "ps2pdf", "pdftotext"].iter().all(|p| Command::new("sh").args(["-c", &format!("command -v {p}")]).output().is_ok_and(|o| o.status.success()));
    if !have && std::env::var("CHRONICLE_REQUIRE_TOOLS").is_ok_and(|v| v == "1") {
        panic!("CHRONICLE_REQUIRE_TOOLS=1 and enscript, ps2pdf or pdftotext not installed");
    }
    have
}

#[test]
fn example_reports_wrapped_at_60_and_72_columns_give_the_same_events() {
    for path in examples() {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let whole = extracted(&name, std::fs::read(&path).unwrap());
        assert!(!whole.is_empty(), "{name} has events");
        for width in [60, 72] {
            assert_eq!(extracted(&name, fold(&path, width)), whole, "{name} wrapped at {width}");
        }
    }
}

#[test]
fn example_reports_wrapped_and_printed_as_pdf_give_the_same_events() {
    if !tools_for_pdf() {
        eprintln!("skipped: enscript, ps2pdf or pdftotext not installed");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    for path in examples() {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let whole = extracted(&name, std::fs::read(&path).unwrap());
        for width in [60, 72] {
            let (text, pdf) = (dir.path().join(format!("{width}.txt")), dir.path().join(format!("{name}-{width}.pdf")));
            std::fs::write(&text, fold(&path, width)).unwrap();
            let script = format!("enscript -B -q -p - '{}' | ps2pdf - '{}'", text.display(), pdf.display());
            assert!(Command::new("sh").args(["-c", &script]).status().unwrap().success());
            let got = extracted(&pdf.to_string_lossy(), std::fs::read(&pdf).unwrap());
            assert_eq!(got, whole, "{name} wrapped at {width} as PDF");
        }
    }
}
