//! The text cleaner on any text, as from a text file and as from a PDF.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = chronicle_ingest::clean_text(text, false);
        let _ = chronicle_ingest::clean_text(text, true);
    }
});
