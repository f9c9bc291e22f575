//! Prints what the English extractor finds in a text file: `cargo run -p chronicle-extract --example dump FILE [PUBLISHED]`.

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("usage: dump FILE [YYYY-MM-DD]");
    let bytes = std::fs::read(&path).expect("readable file");
    let format = chronicle_ingest::Format::from_path(&path).unwrap_or(chronicle_ingest::Format::Text);
    let doc = chronicle_ingest::read_document(&path, &bytes, format, &Default::default()).expect("a readable report").document;
    let text = doc.text;
    if std::env::var_os("DUMP_TEXT").is_some() {
        println!("{text}\n-----");
    }
    let published = args.next().and_then(|d| d.parse().ok()).or(doc.published);
    let ex = chronicle_extract::extract_text(&text, published);
    println!("published: {published:?}");
    for (i, p) in ex.persons.iter().enumerate() {
        let names: Vec<&str> = p.mentions.iter().map(|m| m.text.as_str()).collect();
        println!("P{i} {} {:?} age={:?} nat={:?} occ={:?} credit={}", p.name, names, p.age, p.nationality, p.occupation, p.credit_only);
    }
    for (i, o) in ex.orgs.iter().enumerate() {
        let names: Vec<&str> = o.mentions.iter().map(|m| m.text.as_str()).collect();
        println!("O{i} {} [{}] {:?} {:?} {:?}", o.name, o.key, names, o.category, o.country);
    }
    for e in &ex.events {
        println!(
            "E {} date={:?} place={:?} country={:?} to={:?} v={:?} p={:?} term={:?} regime={:?} charges={:?} conf={:.2}\n    {}",
            e.kind, e.date.map(|d| d.to_string()), e.place, e.country.map(|c| c.to_string()), e.to_country.map(|c| c.to_string()),
            e.victims, e.perpetrators, e.term_years, e.regime, e.charges, e.confidence,
            e.sources.iter().map(|s| s.quote.as_str()).collect::<Vec<_>>().join("\n    ")
        );
    }
}
