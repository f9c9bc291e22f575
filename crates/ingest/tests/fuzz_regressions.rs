//! Every input that ever crashed or hung a fuzz target (`fuzz/`), kept: each
//! must now be read or refused with a reason, within the limits.

use chronicle_ingest::{read_document, Format, Limits};
use std::time::Duration;

#[test]
fn every_input_that_once_crashed_or_hung_is_read_or_refused() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_regressions");
    let limits = Limits { read_time: Duration::from_secs(2), ..Limits::default() };
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let format = Format::from_path(&name).unwrap_or(Format::Text);
        let bytes = std::fs::read(&path).unwrap();
        match read_document(&name, &bytes, format, &limits) {
            // Read: with text, or kept as unreadable, never silently empty.
            Ok(doc) => assert!(!doc.document.text.is_empty() || doc.document.reading == chronicle_model::Reading::Unreadable, "{name}"),
            Err(e) => assert!(!e.to_string().is_empty(), "{name}"),
        }
        seen += 1;
    }
    assert!(seen >= 2, "the regression inputs are there");
}
