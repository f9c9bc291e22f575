//! Copies the OpenCorpora dictionary that `rsmorphy-dict-ru` ships into the
//! build's output folder, so that the Russian analyser is compiled into the
//! binary (`include_bytes!`) and a binary moved to another machine still has it.

use std::path::Path;

fn main() {
    let from = Path::new(rsmorphy_dict_ru::DICT_PATH);
    let out = Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("ru-dict");
    std::fs::create_dir_all(&out).expect("output folder");
    for name in chronicle_dict_files() {
        let src = from.join(name);
        std::fs::copy(&src, out.join(name)).unwrap_or_else(|e| panic!("{}: {e}", src.display()));
        println!("cargo:rerun-if-changed={}", src.display());
    }
}

fn chronicle_dict_files() -> &'static [&'static str] {
    &[
        "grammemes.json.gz",
        "gramtab-opencorpora-ext.json.gz",
        "gramtab-opencorpora-int.json.gz",
        "meta.json.gz",
        "p_t_given_w.intdawg.gz",
        "paradigms.array.gz",
        "prediction-prefixes.dawg.gz",
        "prediction-suffixes-0.dawg.gz",
        "prediction-suffixes-1.dawg.gz",
        "prediction-suffixes-2.dawg.gz",
        "suffixes.json.gz",
        "words.dawg.gz",
    ]
}
