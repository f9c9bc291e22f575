//! Prints what the Russian extractor finds in a text file:
//! `cargo run -p chronicle-extract --example ru_dump FILE...`, or the readings
//! of words: `cargo run -p chronicle-extract --example ru_dump -- --morph WORD...`.

use chronicle_extract::ru::morph::Morph;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--morph") {
        for w in &args[1..] {
            for r in Morph::get().readings(w).iter() {
                println!("{w}\t{}\t{}\t{:.3}\t{}", r.lemma, tags(r.gram), r.score, if r.known { "known" } else { "guess" });
            }
        }
        return;
    }
    for path in &args {
        let text = std::fs::read_to_string(path).expect("a readable UTF-8 file");
        let text = chronicle_ingest::clean_text(&text, false);
        let ex = chronicle_extract::ru::extract_text(&text, None);
        println!("== {path}");
        for o in &ex.orgs {
            let names: Vec<&str> = o.mentions.iter().map(|m| m.text.as_str()).collect();
            println!("ORG\t{}\t{}\t{}\t{}\t{}", o.name, o.key, o.category.map_or("-", |c| c.as_str()), o.country.map_or("-".into(), |c| c.to_string()), names.join("|"));
        }
        for p in &ex.places {
            println!("PLACE\t{}\t{}\t{}", p.name, p.country.map_or("-".into(), |c| c.to_string()), &text_at(&text, p.span.start, p.span.end));
        }
    }
}

fn text_at(text: &str, a: usize, b: usize) -> String {
    text.chars().skip(a).take(b - a).collect()
}

/// The grammeme names by bit, as in `morph.rs`.
const TAGS: [&str; 64] = ["NOUN", "ADJF", "ADJS", "VERB", "INFN", "PRTF", "PRTS", "GRND", "NUMR", "ADVB", "NPRO", "PREP", "CONJ", "PRCL", "PRED", "?", "nomn", "gent", "datv", "accs", "ablt", "loct", "voct", "gen2", "loc2", "acc2", "sing", "plur", "masc", "femn", "neut", "ms-f", "anim", "inan", "Name", "Surn", "Patr", "Geox", "Orgn", "Abbr", "Fixd", "Init", "past", "pres", "futr", "pssv", "actv", "perf", "impf", "tran", "intr", "indc", "impr", "1per", "2per", "3per", "LATN", "UNKN", "?", "?", "?", "?", "?", "?"];

fn tags(g: chronicle_extract::ru::morph::Gram) -> String {
    (0..64).filter(|b| g.0 & (1u64 << b) != 0).map(|b| TAGS[b]).collect::<Vec<_>>().join(",")
}
