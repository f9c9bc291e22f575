use chronicle_model::EntityRef;
fn main() {
    for f in std::env::args().skip(1) {
        let raw = std::fs::read_to_string(&f).unwrap();
        let text = chronicle_ingest::clean_text(&raw, false);
        let ex = chronicle_extract::extract_text(&text, None);
        let name = |r: &EntityRef| match *r { EntityRef::Person(i) => ex.persons[i].name.clone(), EntityRef::Org(i) => ex.orgs[i].name.clone() };
        println!("== {f}");
        for p in &ex.persons { println!("  P {} {:?}", p.name, p.mentions.iter().map(|m| m.text.clone()).collect::<Vec<_>>()); }
        for e in &ex.events { println!("  E {:?} {:?} {:?} {:?}->{:?}", e.kind, e.victims.iter().map(name).collect::<Vec<_>>(), e.date, e.country, e.to_country); }
    }
}
