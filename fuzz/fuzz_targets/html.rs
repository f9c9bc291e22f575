//! The HTML reader (decoding, parsing, boilerplate removal, cleaning) on any bytes.
#![no_main]
use chronicle_ingest::{read_document, Format, Limits};
use libfuzzer_sys::fuzz_target;

// Chronicle catches panics of the readers it uses and refuses the file; the
// fuzzer's own hook would abort on them first. A panic that escapes still
// aborts the run and is reported.
fuzz_target!(init: std::panic::set_hook(Box::new(|_| {})), |data: &[u8]| {
    let _ = read_document("fuzz.html", data, Format::Html, &Limits::default());
});
