//! The PDF reader on any bytes: an error is fine, a crash or a hang is not.
#![no_main]
use chronicle_ingest::{read_document, Format, Limits};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = read_document("fuzz.pdf", data, Format::Pdf, &Limits::default());
});
