//! Russian extraction over a folder of reports, written as export records
//! (one document's persons, organisations and events each) for
//! `../shared/eval/score.py`, without a store: a quick loop for rule work.
//! Persons are not linked across reports here.
//!
//!     cargo run -p chronicle-extract --example ru_score -- DIR PUBLISHED.tsv > out.jsonl

use chronicle_model::{EntityRef, PartialDate};
use std::collections::HashMap;

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = args.next().expect("usage: ru_score DIR [sources.tsv]");
    let dates: HashMap<String, PartialDate> = args
        .next()
        .map(|p| std::fs::read_to_string(p).expect("sources.tsv"))
        .unwrap_or_default()
        .lines()
        .skip(1)
        .filter_map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            Some((f.first()?.to_string(), f.get(3)?.parse().ok()?))
        })
        .collect();
    let mut files: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).filter(|p| p.extension().is_some_and(|x| x == "txt")).collect();
    files.sort();
    for path in files {
        let stem = path.file_stem().unwrap().to_string_lossy().to_string();
        let text = chronicle_ingest::clean_text(&std::fs::read_to_string(&path).unwrap(), false);
        let ex = chronicle_extract::ru::extract_text(&text, dates.get(&stem).copied());
        let doc = format!("d-{stem}");
        println!("{}", serde_json(&[("record", "document".into()), ("id", doc.clone()), ("source", format!("{stem}.txt"))]));
        let id = |r: &EntityRef| match r {
            EntityRef::Person(i) => format!("\"p-{stem}-{i}\""),
            EntityRef::Org(i) => format!("\"o-{stem}-{i}\""),
        };
        for (i, p) in ex.persons.iter().enumerate() {
            let m: Vec<String> = p.mentions.iter().map(|m| format!("{{\"text\":{},\"document\":\"{doc}\"}}", q(&m.text))).collect();
            println!("{{\"record\":\"person\",\"id\":\"p-{stem}-{i}\",\"name\":{},\"mentions\":[{}]}}", q(&p.name), m.join(","));
        }
        for (i, o) in ex.orgs.iter().enumerate() {
            let m: Vec<String> = o.mentions.iter().map(|m| format!("{{\"text\":{},\"document\":\"{doc}\"}}", q(&m.text))).collect();
            println!("{{\"record\":\"organization\",\"id\":\"o-{stem}-{i}\",\"name\":{},\"mentions\":[{}]}}", q(&o.name), m.join(","));
        }
        for e in &ex.events {
            let v: Vec<String> = e.victims.iter().map(id).collect();
            let opt = |s: Option<String>| s.map_or("null".to_string(), |s| q(&s));
            println!(
                "{{\"record\":\"event\",\"type\":\"{}\",\"victims\":[{}],\"date\":{},\"country\":{},\"to_country\":{},\"term_years\":{},\"place\":{},\"sources\":[{{\"document\":\"{doc}\",\"quote\":{}}}]}}",
                e.kind,
                v.join(","),
                opt(e.date.map(|d| d.to_string())),
                opt(e.country.map(|c| c.to_string())),
                opt(e.to_country.map(|c| c.to_string())),
                e.term_years.map_or("null".to_string(), |t| t.to_string()),
                opt(e.place.clone()),
                q(&e.sources.first().map(|s| s.quote.clone()).unwrap_or_default())
            );
        }
    }
}

fn q(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn serde_json(fields: &[(&str, String)]) -> String {
    let f: Vec<String> = fields.iter().map(|(k, v)| format!("\"{k}\":{}", q(v))).collect();
    format!("{{{}}}", f.join(","))
}
