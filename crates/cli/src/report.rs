//! Text reports for the terminal: search hits, dossiers, statistics.

use anyhow::Result;
use chronicle_store::{DocumentRecord, EventRecord, PersonRecord, Store};
use std::collections::HashMap;
use std::io::Write;

pub fn search(store: &dyn Store, query: &str, limit: usize, w: &mut dyn Write) -> Result<bool> {
    let found = store.search_counted(query, limit)?;
    if found.hits.is_empty() {
        writeln!(w, "no document matches {query:?}")?;
        return Ok(false);
    }
    for h in &found.hits {
        writeln!(w, "{}  {}", h.source, h.title.as_deref().unwrap_or("(untitled)"))?;
        writeln!(w, "    {}", h.snippet.replace('\n', " "))?;
    }
    writeln!(w, "{}", matches_line(found.hits.len(), found.total, found.exact))?;
    Ok(true)
}

/// "3 of 12 documents", or "12 documents" when all are shown.
fn matches_line(shown: usize, total: usize, exact: bool) -> String {
    let total = if exact { total.to_string() } else { format!("at least {total}") };
    match shown.to_string() == total {
        true => format!("{total} document(s)"),
        false => format!("{shown} of {total} document(s) shown (--limit for more)"),
    }
}

/// Prints the dossier of every person matching `name`.
pub fn person(store: &dyn Store, name: &str, w: &mut dyn Write) -> Result<bool> {
    let persons = match store.person(name)? {
        Some(p) => vec![p],
        None => store.find_persons(name)?,
    };
    if persons.is_empty() {
        writeln!(w, "no person on record matches {name:?}")?;
        return Ok(false);
    }
    let docs: HashMap<String, DocumentRecord> = store.documents()?.into_iter().map(|d| (d.document.id.clone(), d)).collect();
    let events = store.events()?;
    let names = entity_names(store)?;
    for p in &persons {
        dossier(p, &events, &docs, &names, w)?;
    }
    Ok(true)
}

pub fn entity_names(store: &dyn Store) -> Result<HashMap<String, String>> {
    let mut names: HashMap<String, String> = store.persons()?.into_iter().map(|p| (p.id, p.name)).collect();
    names.extend(store.organizations()?.into_iter().map(|o| (o.id, o.name)));
    Ok(names)
}

pub fn dossier(
    p: &PersonRecord,
    events: &[EventRecord],
    docs: &HashMap<String, DocumentRecord>,
    names: &HashMap<String, String>,
    w: &mut dyn Write,
) -> Result<()> {
    writeln!(w, "{}  ({})", p.name, p.id)?;
    writeln!(w, "  spellings:   {}", p.names.join(", "))?;
    let mut facts = Vec::new();
    if let Some(a) = p.age {
        facts.push(format!("age {a}"));
    }
    if !p.nationality.is_empty() {
        facts.push(format!("nationality {}", p.nationality.join("/")));
    }
    if !p.occupation.is_empty() {
        facts.push(p.occupation.join(", "));
    }
    if !p.relations.is_empty() {
        facts.push(format!("named as someone's {}", p.relations.join("/")));
    }
    if !facts.is_empty() {
        writeln!(w, "  attributes:  {}", facts.join("; "))?;
    }
    writeln!(w, "  status:      {}", p.status.map_or("unknown", |s| s.as_str()))?;
    // Each report: how it was linked, and its mentions as `person split` takes them.
    writeln!(w, "  reports:")?;
    let mut docs_of: Vec<&str> = p.mentions.iter().map(|m| m.document.as_str()).collect();
    docs_of.sort();
    docs_of.dedup();
    for d in docs_of {
        let source = docs.get(d).map_or(d, |r| r.document.source.as_str());
        let link = p.links.iter().find(|l| l.document == d);
        let how = link.map_or(String::new(), |l| format!("  linked {:.2}: {}", l.score, l.evidence));
        writeln!(w, "    {source}{how}")?;
        let mentions: Vec<String> = p.mentions.iter().filter(|m| m.document == d).map(|m| format!("{}:{}-{} {:?}", m.document, m.start, m.end, m.text)).collect();
        writeln!(w, "      {}", mentions.join(", "))?;
    }
    let mut mine: Vec<&EventRecord> = events.iter().filter(|e| e.victims.contains(&p.id)).collect();
    mine.sort_by_key(|e| (e.date.is_none(), e.date));
    if mine.is_empty() {
        writeln!(w, "  timeline:    (no events)")?;
    } else {
        writeln!(w, "  timeline:")?;
    }
    for e in mine {
        let mut line = format!("    {:<10}  {}", e.date.map_or("undated".into(), |d| d.to_string()), e.kind);
        let place: Vec<&str> = [e.place.as_deref(), e.country.as_deref()].into_iter().flatten().collect();
        if !place.is_empty() {
            line.push_str(&format!(" in {}", place.join(", ")));
        }
        if let Some(t) = &e.to_country {
            line.push_str(&format!(" → {t}"));
        }
        if let Some(t) = e.term_years {
            line.push_str(&format!(", {t} years"));
        }
        if let Some(r) = &e.regime {
            line.push_str(&format!(" ({r})"));
        }
        if !e.charges.is_empty() {
            line.push_str(&format!(", charges: {}", e.charges.join("; ")));
        }
        if !e.perpetrators.is_empty() {
            let by: Vec<&str> = e.perpetrators.iter().map(|id| names.get(id).map_or(id.as_str(), |n| n.as_str())).collect();
            line.push_str(&format!(", by {}", by.join(", ")));
        }
        if e.review.as_str() != "machine" {
            line.push_str(&format!(" [{}]", e.review));
        }
        writeln!(w, "{line}")?;
        for s in &e.sources {
            let source = docs.get(&s.document).map_or(s.document.as_str(), |d| d.document.source.as_str());
            writeln!(w, "        \"{}\"", s.quote.replace('\n', " "))?;
            writeln!(w, "        — {source}, characters {}–{}", s.start, s.end)?;
        }
    }
    writeln!(w)?;
    Ok(())
}

pub fn stats(s: &chronicle_store::Stats, w: &mut dyn Write) -> Result<()> {
    writeln!(w, "{} documents, {} persons, {} organisations, {} events", s.documents, s.persons, s.organizations, s.events)?;
    for (title, rows) in [("by type", &s.by_type), ("by year", &s.by_year), ("by country", &s.by_country)] {
        writeln!(w, "\nevents {title}:")?;
        let widest = rows.iter().map(|(_, n)| *n).max().unwrap_or(1).max(1);
        for (k, n) in rows {
            let bar = "█".repeat((n * 30).div_ceil(widest));
            writeln!(w, "  {k:<14} {n:>6}  {bar}")?;
        }
    }
    if !s.transfers.is_empty() {
        writeln!(w, "\ndeportations, extraditions and renditions (from → to):")?;
        for (from, to, n) in &s.transfers {
            writeln!(w, "  {from} → {to}  {n:>6}")?;
        }
    }
    Ok(())
}
