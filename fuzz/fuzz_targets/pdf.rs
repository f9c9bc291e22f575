//! The PDF reader on any bytes: an error is fine, a crash or a hang is not.
#![no_main]
use chronicle_ingest::{read_document, Format, Limits};
use libfuzzer_sys::fuzz_target;

// Chronicle catches panics of the readers it uses and refuses the file; the
// fuzzer's own hook would abort on them first. A panic that escapes still
// aborts the run and is reported.
//
// The outside programs (poppler's, Tesseract) run in processes of their own
// under the reader's deadline; what is fuzzed here is the reader in this
// process, so they are made not to be found.
fn init() {
    std::panic::set_hook(Box::new(|_| {}));
    for tool in ["CHRONICLE_PDFTOTEXT", "CHRONICLE_PDFTOPPM", "CHRONICLE_TESSERACT"] {
        std::env::set_var(tool, "/nonexistent/chronicle-fuzz");
    }
}

fuzz_target!(init: init(), |data: &[u8]| {
    // A short reader limit: a file that would keep the reader busy is refused
    // within it (the fuzzer's own timeout is longer).
    let limits = Limits { read_time: std::time::Duration::from_secs(1), ..Limits::default() };
    let _ = read_document("fuzz.pdf", data, Format::Pdf, &limits);
});
