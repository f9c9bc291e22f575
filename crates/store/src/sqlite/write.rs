//! Writing a document's extraction, and linking its persons to the persons on
//! record, inside the caller's transaction.

use crate::{Result, StoreError};
use chronicle_link::names::{fold, parse};
use chronicle_link::{blocking_keys_of, decide, lookup_keys, Candidate, Frequencies, LinkDecision, NewPerson};
use chronicle_model::{EntityRef, ExtractedPerson, Extraction};
use rusqlite::{params, Connection, OptionalExtension};
use std::collections::HashSet;

/// What writing an extraction did to the persons on record.
pub(crate) struct Written {
    pub linked: usize,
    pub created: usize,
}

/// Writes organisations, persons (linked), places and events of one document.
pub(crate) fn write_extraction(tx: &Connection, doc_id: &str, year: Option<i32>, ex: &Extraction) -> Result<Written> {
    // Organisations: one row per key across all documents.
    let mut org_ids = Vec::with_capacity(ex.orgs.len());
    for o in &ex.orgs {
        tx.execute(
            "INSERT INTO organizations (key, name, category, country) VALUES (?1, ?2, ?3, ?4) ON CONFLICT(key) DO NOTHING",
            params![o.key, o.name, o.category.map(|c| c.as_str()), o.country.map(|c| c.to_string())],
        )?;
        let id: i64 = tx.query_row("SELECT id FROM organizations WHERE key = ?1", [&o.key], |r| r.get(0))?;
        for m in &o.mentions {
            tx.execute(
                "INSERT INTO mentions (document_id, org_id, text, start, end) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![doc_id, id, m.text, m.span.start as i64, m.span.end as i64],
            )?;
        }
        org_ids.push(id);
    }

    // Persons: linked to a person on record, or new.
    let orgs: Vec<String> = ex.orgs.iter().map(|o| o.key.clone()).collect();
    let mut written = Written { linked: 0, created: 0 };
    let mut person_ids: Vec<i64> = Vec::with_capacity(ex.persons.len());
    for (local, p) in ex.persons.iter().enumerate() {
        let (id, score, evidence, created) = link_person(tx, doc_id, year, p, &orgs, &person_ids)?;
        if created {
            written.created += 1;
        } else {
            written.linked += 1;
        }
        tx.execute(
            "INSERT INTO person_links (person_id, document_id, local_index, score, evidence) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![id, doc_id, local as i64, score, evidence],
        )?;
        index_names(tx, id, &names_of(p), created)?;
        for m in &p.mentions {
            tx.execute(
                "INSERT INTO mentions (document_id, person_id, text, start, end) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![doc_id, id, m.text, m.span.start as i64, m.span.end as i64],
            )?;
        }
        let attr = |kind: &str, value: String| {
            tx.execute("INSERT INTO person_attributes (person_id, document_id, kind, value) VALUES (?1, ?2, ?3, ?4)", params![id, doc_id, kind, value])
        };
        if let Some(a) = p.age {
            attr("age", a.to_string())?;
        }
        if let Some(y) = p.birth_year {
            attr("birth_year", y.to_string())?;
        }
        for c in &p.nationality {
            attr("nationality", c.to_string())?;
        }
        for o in &p.occupation {
            attr("occupation", o.clone())?;
        }
        for r in &p.relations {
            tx.execute("INSERT INTO person_relations (person_id, document_id, relation) VALUES (?1, ?2, ?3)", params![id, doc_id, r])?;
        }
        person_ids.push(id);
    }

    for pl in &ex.places {
        tx.execute(
            "INSERT INTO places (document_id, name, country, start, end) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![doc_id, pl.name, pl.country.map(|c| c.to_string()), pl.span.start as i64, pl.span.end as i64],
        )?;
    }

    for (ordinal, e) in ex.events.iter().enumerate() {
        let id = format!("{doc_id}-e{}", ordinal + 1);
        let charges = serde_json::to_string(&e.charges).map_err(|err| StoreError::Corrupt(err.to_string()))?;
        tx.execute(
            "INSERT INTO events (id, document_id, ordinal, type, date, place, country, to_country, term_years, regime, charges, confidence)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            params![
                id, doc_id, ordinal as i64 + 1, e.kind.as_str(), e.date.map(|d| d.to_string()), e.place,
                e.country.map(|c| c.to_string()), e.to_country.map(|c| c.to_string()), e.term_years, e.regime, charges,
                f64::from(e.confidence)
            ],
        )?;
        for (role, list) in [("victim", &e.victims), ("perpetrator", &e.perpetrators)] {
            for (pos, r) in list.iter().enumerate() {
                let missing = || StoreError::Corrupt(format!("event {id} names a participant the extraction does not have"));
                let (person, org) = match *r {
                    EntityRef::Person(i) => (Some(*person_ids.get(i).ok_or_else(missing)?), None),
                    EntityRef::Org(i) => (None, Some(*org_ids.get(i).ok_or_else(missing)?)),
                };
                tx.execute(
                    "INSERT INTO event_participants (event_id, role, position, person_id, org_id) VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![id, role, pos as i64, person, org],
                )?;
            }
        }
        for s in &e.sources {
            tx.execute(
                "INSERT INTO event_sources (event_id, document_id, start, end, quote) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![id, doc_id, s.span.start as i64, s.span.end as i64, s.quote],
            )?;
        }
    }
    Ok(written)
}

/// Every spelling a document uses for a person, the fullest first.
fn names_of(p: &ExtractedPerson) -> Vec<String> {
    let mut names: Vec<String> = vec![p.name.clone()];
    for m in &p.mentions {
        if !names.contains(&m.text) {
            names.push(m.text.clone());
        }
    }
    names
}

/// Birth years a document gives or implies: the year itself, or the report's
/// year less the age (and one less, for a birthday not yet reached).
fn birth_years(birth_year: Option<i32>, age: Option<u32>, year: Option<i32>) -> Vec<i32> {
    match (birth_year, age, year) {
        (Some(y), _, _) => vec![y],
        (None, Some(a), Some(y)) => vec![y - a as i32, y - a as i32 - 1],
        _ => Vec::new(),
    }
}

/// Decides which person a document's person is: an analyst's pin first,
/// else the best candidate sharing a blocking key, else a new person.
/// Returns (person, score, evidence, created).
fn link_person(tx: &Connection, doc_id: &str, year: Option<i32>, p: &ExtractedPerson, orgs: &[String], taken: &[i64]) -> Result<(i64, f64, String, bool)> {
    let names = names_of(p);
    let mut pin = tx.prepare_cached("SELECT person_id, decision_id FROM person_pins WHERE document_id = ?1 AND name = ?2")?;
    for n in &names {
        if let Some((id, decision)) = pin.query_row(params![doc_id, fold(n)], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?))).optional()? {
            if !taken.contains(&id) {
                return Ok((id, 1.0, format!("analyst decision {decision}"), false));
            }
        }
    }
    let new = NewPerson {
        names: names.clone(),
        birth_years: birth_years(p.birth_year, p.age, year),
        nationality: p.nationality.iter().map(|c| c.to_string()).collect(),
        occupation: p.occupation.clone(),
        orgs: orgs.to_vec(),
    };
    let mut keys: Vec<String> = names.iter().flat_map(|n| lookup_keys(&parse(n))).collect();
    keys.sort();
    keys.dedup();
    let mut candidates = candidates(tx, &keys)?;
    for c in &mut candidates {
        // One document's persons are different people.
        c.distinct = taken.contains(&c.id);
    }
    let freq = frequencies(tx, new.names.iter().chain(candidates.iter().flat_map(|c| c.names.iter())))?;
    match decide(&new, &candidates, &freq) {
        LinkDecision::Existing { id, score, evidence } => Ok((id, score, evidence, false)),
        LinkDecision::New => {
            tx.execute("INSERT INTO persons (name, created_in) VALUES (?1, ?2)", params![p.name, doc_id])?;
            Ok((tx.last_insert_rowid(), 1.0, "first seen".to_string(), true))
        }
    }
}

/// The persons sharing a blocking key, with what is on record about them.
fn candidates(tx: &Connection, keys: &[String]) -> Result<Vec<Candidate>> {
    let mut ids: Vec<i64> = Vec::new();
    let mut by_key = tx.prepare_cached("SELECT person_id FROM person_keys WHERE key = ?1")?;
    for key in keys {
        for id in by_key.query_map([key], |r| r.get::<_, i64>(0))? {
            let id = id?;
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
    }
    let mut names = tx.prepare_cached("SELECT name FROM person_names WHERE person_id = ?1 ORDER BY name")?;
    let mut attrs = tx.prepare_cached(
        "SELECT a.kind, a.value, substr(d.published, 1, 4) FROM person_attributes a JOIN documents d ON d.id = a.document_id WHERE a.person_id = ?1",
    )?;
    let mut orgs = tx.prepare_cached(
        "SELECT DISTINCT o.key FROM mentions pm JOIN mentions om ON om.document_id = pm.document_id AND om.org_id IS NOT NULL
         JOIN organizations o ON o.id = om.org_id WHERE pm.person_id = ?1",
    )?;
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        let mut c = Candidate { id, names: names.query_map([id], |r| r.get(0))?.collect::<Result<_, _>>()?, ..Default::default() };
        for row in attrs.query_map([id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, Option<String>>(2)?)))? {
            let (kind, value, year) = row?;
            let year = year.and_then(|y| y.parse().ok());
            match kind.as_str() {
                "birth_year" => c.birth_years.extend(birth_years(value.parse().ok(), None, None)),
                "age" => c.birth_years.extend(birth_years(None, value.parse().ok(), year)),
                "nationality" => c.nationality.push(value),
                "occupation" => c.occupation.push(value),
                _ => {}
            }
        }
        c.orgs = orgs.query_map([id], |r| r.get(0))?.collect::<Result<_, _>>()?;
        out.push(c);
    }
    Ok(out)
}

/// How often the words of these names name persons on record.
fn frequencies<'a>(tx: &Connection, names: impl Iterator<Item = &'a String>) -> Result<Frequencies> {
    let mut freq = Frequencies::new();
    let persons: Option<i64> = tx.query_row("SELECT MAX(id) FROM persons", [], |r| r.get(0))?;
    freq.set_persons(persons.unwrap_or(0) as u32);
    let mut stmt = tx.prepare_cached("SELECT persons FROM name_words WHERE word = ?1")?;
    let mut seen = HashSet::new();
    for n in names {
        for w in parse(n).words {
            if seen.insert(w.canon.clone()) {
                if let Some(count) = stmt.query_row([&w.canon], |r| r.get::<_, i64>(0)).optional()? {
                    freq.set(&w.canon, count as u32);
                }
            }
        }
    }
    Ok(freq)
}

/// Records a person's spellings and their blocking keys; for a new person,
/// counts its name words.
pub(crate) fn index_names(tx: &Connection, id: i64, names: &[String], count_words: bool) -> Result<()> {
    let mut name_stmt = tx.prepare_cached("INSERT OR IGNORE INTO person_names (person_id, name, folded) VALUES (?1, ?2, ?3)")?;
    let mut key_stmt = tx.prepare_cached("INSERT OR IGNORE INTO person_keys (key, person_id) VALUES (?1, ?2)")?;
    let mut words = HashSet::new();
    for n in names {
        name_stmt.execute(params![id, n, fold(n)])?;
        for k in blocking_keys_of(n) {
            key_stmt.execute(params![k, id])?;
        }
        words.extend(parse(n).words.into_iter().map(|w| w.canon));
    }
    if count_words {
        count_name_words(tx, words.iter().map(String::as_str), 1)?;
    }
    Ok(())
}

/// Adds `delta` to the person counts of these words.
pub(crate) fn count_name_words<'a>(tx: &Connection, words: impl Iterator<Item = &'a str>, delta: i64) -> Result<()> {
    let mut stmt = tx.prepare_cached(
        "INSERT INTO name_words (word, persons) VALUES (?1, max(?2, 0)) ON CONFLICT(word) DO UPDATE SET persons = max(persons + ?2, 0)",
    )?;
    for w in words {
        stmt.execute(params![w, delta])?;
    }
    Ok(())
}

/// The romanisation-neutral words of a person's spellings.
pub(crate) fn person_words(tx: &Connection, id: i64) -> Result<HashSet<String>> {
    let mut stmt = tx.prepare_cached("SELECT name FROM person_names WHERE person_id = ?1")?;
    let names: Vec<String> = stmt.query_map([id], |r| r.get(0))?.collect::<Result<_, _>>()?;
    Ok(names.iter().flat_map(|n| parse(n).words.into_iter().map(|w| w.canon)).collect())
}

/// Rebuilds keys and word counts from the spellings on record (after the
/// migration that introduced them).
pub(crate) fn rebuild_link_index(tx: &Connection) -> Result<()> {
    tx.execute("DELETE FROM person_keys", [])?;
    tx.execute("DELETE FROM name_words", [])?;
    let ids: Vec<i64> = tx.prepare("SELECT id FROM persons")?.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?;
    for id in ids {
        let names: Vec<String> = tx.prepare_cached("SELECT name FROM person_names WHERE person_id = ?1")?.query_map([id], |r| r.get(0))?.collect::<Result<_, _>>()?;
        index_names(tx, id, &names, true)?;
    }
    Ok(())
}
