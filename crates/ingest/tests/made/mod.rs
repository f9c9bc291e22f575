//! Documents made by the real tools monitors' files come from (python-docx,
//! LibreOffice, Chromium, enscript and Ghostscript, poppler, Python's e-mail
//! library), in a scratch folder of the test's own.
//!
//! A test whose tools are not installed says so and passes, unless
//! `CHRONICLE_REQUIRE_TOOLS=1` (as in CI), when it fails.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// Whether every program named is installed; if not, and tools are required, the test fails.
pub fn have(programs: &[&str]) -> bool {
    let missing: Vec<&&str> = programs.iter().filter(|p| which(p).is_none()).collect();
    if missing.is_empty() {
        return true;
    }
    if std::env::var("CHRONICLE_REQUIRE_TOOLS").is_ok_and(|v| v == "1") {
        panic!("CHRONICLE_REQUIRE_TOOLS=1 and {missing:?} not installed");
    }
    eprintln!("skipped: {missing:?} not installed");
    false
}

pub fn which(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|d| d.join(program)).find(|p| p.is_file())
}

/// Runs a command to success, in `dir`.
pub fn run(dir: &Path, program: &str, args: &[&str]) {
    let out = Command::new(program).args(args).current_dir(dir).output().unwrap_or_else(|e| panic!("{program}: {e}"));
    assert!(out.status.success(), "{program} {args:?}: {}\n{}", out.status, String::from_utf8_lossy(&out.stderr));
}

/// A shell pipeline run to success, in `dir`.
pub fn sh(dir: &Path, script: &str) {
    run(dir, "sh", &["-c", &format!("set -e; {script}")]);
}

/// A fixture file's text.
pub fn fixture(name: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)).unwrap()
}

/// LibreOffice converting `file` (in `dir`) to `to` (a format such as "pdf" or "odt"), with a profile of its own.
pub fn soffice(dir: &Path, file: &str, to: &str) -> PathBuf {
    let profile = format!("-env:UserInstallation=file://{}/lo-profile", dir.display());
    run(dir, "soffice", &[&profile, "--headless", "--convert-to", to, "--outdir", ".", file]);
    let stem = Path::new(file).file_stem().unwrap().to_string_lossy().to_string();
    dir.join(format!("{stem}.{}", to.split(':').next().unwrap()))
}

/// Headless Chromium printing an HTML file to PDF.
pub fn chromium_pdf(dir: &Path, html: &str, pdf: &str) {
    let profile = dir.join("chromium-profile");
    run(
        dir,
        "chromium",
        &[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            &format!("--user-data-dir={}", profile.display()),
            &format!("--print-to-pdf={}", dir.join(pdf).display()),
            &format!("file://{}", dir.join(html).display()),
        ],
    );
}

/// The words of a text, lower-cased: runs of letters and digits.
pub fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect()
}

/// The share of `pdftotext`'s words for `pdf` that are in `text` (as many times as there).
pub fn share_of_pdftotext_words(dir: &Path, pdf: &Path, text: &str) -> f64 {
    let out = Command::new("pdftotext").args([pdf.to_str().unwrap(), "-"]).current_dir(dir).output().unwrap();
    assert!(out.status.success());
    let theirs = words(&String::from_utf8_lossy(&out.stdout));
    let mut ours: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for w in words(text) {
        *ours.entry(w).or_default() += 1;
    }
    let found = theirs.iter().filter(|w| ours.get_mut(*w).is_some_and(|n| if *n > 0 { *n -= 1; true } else { false })).count();
    assert!(!theirs.is_empty(), "pdftotext found no words in {}", pdf.display());
    found as f64 / theirs.len() as f64
}

/// Whether Python has a module (python-docx is `docx`); if not, and tools are required, the test fails.
pub fn python_has(module: &str) -> bool {
    let ok = Command::new("python3").args(["-c", &format!("import {module}")]).output().is_ok_and(|o| o.status.success());
    if !ok && std::env::var("CHRONICLE_REQUIRE_TOOLS").is_ok_and(|v| v == "1") {
        panic!("CHRONICLE_REQUIRE_TOOLS=1 and Python's {module} not installed");
    }
    ok
}
