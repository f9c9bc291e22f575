//! Russian extraction over any text: the morphology (rsmorphy, whose
//! assertions are caught word by word), names, organisations, dates, events.
#![no_main]
use libfuzzer_sys::fuzz_target;

// Chronicle catches the analyser's panics itself; the fuzzer's own hook
// would abort on them first. A panic that escapes still aborts the run.
fuzz_target!(init: std::panic::set_hook(Box::new(|_| {})), |data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let published = "2024-02-29".parse().ok();
        let _ = chronicle_extract::ru::extract_text(text, published);
    }
});
