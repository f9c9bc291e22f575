//! The HTML reader (decoding, parsing, boilerplate removal, cleaning) on any bytes.
#![no_main]
use chronicle_ingest::{read_document, Format, Limits};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = read_document("fuzz.html", data, Format::Html, &Limits::default());
});
