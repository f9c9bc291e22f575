//! The text cleaner on any text, as from a text file and as from a PDF.
#![no_main]
use libfuzzer_sys::fuzz_target;

// Chronicle catches panics of the readers it uses and refuses the file; the
// fuzzer's own hook would abort on them first. A panic that escapes still
// aborts the run and is reported.
fuzz_target!(init: std::panic::set_hook(Box::new(|_| {})), |data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = chronicle_ingest::clean_text(text, false);
        let _ = chronicle_ingest::clean_text(text, true);
    }
});
