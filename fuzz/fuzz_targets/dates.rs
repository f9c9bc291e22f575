//! Date parsing: date lines, ISO partial dates, and the extractor's absolute,
//! relative and anaphoric dates resolved against a publication date.
#![no_main]
use chronicle_model::PartialDate;
use libfuzzer_sys::fuzz_target;

// Chronicle catches panics of the readers it uses and refuses the file; the
// fuzzer's own hook would abort on them first. A panic that escapes still
// aborts the run and is reported.
fuzz_target!(init: std::panic::set_hook(Box::new(|_| {})), |data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = chronicle_ingest::parse_date_line(text);
        let _ = text.parse::<PartialDate>();
        let published = chronicle_ingest::find_published(text).or_else(|| "2024-02-29".parse().ok());
        let _ = chronicle_extract::extract_text(text, published);
    }
});
