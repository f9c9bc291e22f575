//! Writing a document's extraction, and linking its persons to the persons on
//! record, inside the caller's transaction.

use crate::{Result, StoreError};
use chronicle_link::names::{fold, parse};
use chronicle_link::{blocking_keys_of, decide, lookup_keys, Candidate, Frequencies, LinkDecision, NewPerson};
use chronicle_model::{EntityRef, ExtractedPerson, Extraction};
use crate::db::Db;
use std::collections::HashSet;

/// What writing an extraction did to the persons on record.
pub(crate) struct Written {
    pub linked: usize,
    pub created: usize,
}

/// Writes organisations, persons (linked), places and events of one document.
pub(crate) fn write_extraction(tx: &Db, doc_id: &str, year: Option<i32>, ex: &Extraction) -> Result<Written> {
    // Organisations: one row per key across all documents.
    let mut org_ids = Vec::with_capacity(ex.orgs.len());
    for o in &ex.orgs {
        tx.exec(
            "INSERT INTO organizations (key, name, category, country) VALUES (?1, ?2, ?3, ?4) ON CONFLICT(key) DO NOTHING",
            &[&o.key, &o.name, &o.category.map(|c| c.as_str()), &o.country.map(|c| c.to_string())],
        )?;
        let id: i64 = tx.one("SELECT id FROM organizations WHERE key = ?1", &[&o.key])?;
        for m in &o.mentions {
            tx.exec(
                "INSERT INTO mentions (document_id, org_id, text, start, \"end\") VALUES (?1, ?2, ?3, ?4, ?5)",
                &[&doc_id, &id, &m.text, &m.span.start, &m.span.end],
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
        tx.exec(
            "INSERT INTO person_links (person_id, document_id, local_index, score, evidence) VALUES (?1, ?2, ?3, ?4, ?5)",
            &[&id, &doc_id, &local, &score, &evidence],
        )?;
        index_names(tx, id, &names_of(p), created)?;
        for m in &p.mentions {
            tx.exec(
                "INSERT INTO mentions (document_id, person_id, text, start, \"end\") VALUES (?1, ?2, ?3, ?4, ?5)",
                &[&doc_id, &id, &m.text, &m.span.start, &m.span.end],
            )?;
        }
        let attr = |kind: &str, value: String| {
            tx.exec("INSERT INTO person_attributes (person_id, document_id, kind, value) VALUES (?1, ?2, ?3, ?4)", &[&id, &doc_id, &kind, &value])
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
            tx.exec("INSERT INTO person_relations (person_id, document_id, relation) VALUES (?1, ?2, ?3)", &[&id, &doc_id, r])?;
        }
        person_ids.push(id);
    }

    for pl in &ex.places {
        tx.exec(
            "INSERT INTO places (document_id, name, country, start, \"end\") VALUES (?1, ?2, ?3, ?4, ?5)",
            &[&doc_id, &pl.name, &pl.country.map(|c| c.to_string()), &pl.span.start, &pl.span.end],
        )?;
    }

    for (ordinal, e) in ex.events.iter().enumerate() {
        let id = format!("{doc_id}-e{}", ordinal + 1);
        let charges = serde_json::to_string(&e.charges).map_err(|err| StoreError::Corrupt(err.to_string()))?;
        tx.exec(
            "INSERT INTO events (id, document_id, ordinal, type, date, place, country, to_country, term_years, regime, charges, confidence)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            &[
                &id, &doc_id, &(ordinal + 1), &e.kind.as_str(), &e.date.map(|d| d.to_string()), &e.place,
                &e.country.map(|c| c.to_string()), &e.to_country.map(|c| c.to_string()), &e.term_years.map(f64::from), &e.regime, &charges,
                &f64::from(e.confidence),
            ],
        )?;
        for (role, list) in [("victim", &e.victims), ("perpetrator", &e.perpetrators)] {
            for (pos, r) in list.iter().enumerate() {
                let missing = || StoreError::Corrupt(format!("event {id} names a participant the extraction does not have"));
                let (person, org) = match *r {
                    EntityRef::Person(i) => (Some(*person_ids.get(i).ok_or_else(missing)?), None),
                    EntityRef::Org(i) => (None, Some(*org_ids.get(i).ok_or_else(missing)?)),
                };
                tx.exec(
                    "INSERT INTO event_participants (event_id, role, position, person_id, org_id) VALUES (?1, ?2, ?3, ?4, ?5)",
                    &[&id, &role, &pos, &person, &org],
                )?;
            }
        }
        for s in &e.sources {
            tx.exec(
                "INSERT INTO event_sources (event_id, document_id, start, \"end\", quote) VALUES (?1, ?2, ?3, ?4, ?5)",
                &[&id, &doc_id, &s.span.start, &s.span.end, &s.quote],
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
fn link_person(tx: &Db, doc_id: &str, year: Option<i32>, p: &ExtractedPerson, orgs: &[String], taken: &[i64]) -> Result<(i64, f64, String, bool)> {
    let names = names_of(p);
    for n in &names {
        if let Some(pin) = tx.row("SELECT person_id, decision_id FROM person_pins WHERE document_id = ?1 AND name = ?2", &[&doc_id, &fold(n)])? {
            let (id, decision): (i64, i64) = (pin.get(0)?, pin.get(1)?);
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
            let id: i64 = tx.one("INSERT INTO persons (name, created_in) VALUES (?1, ?2) RETURNING id", &[&p.name, &doc_id])?;
            Ok((id, 1.0, "first seen".to_string(), true))
        }
    }
}

/// The persons sharing a blocking key, with what is on record about them.
fn candidates(tx: &Db, keys: &[String]) -> Result<Vec<Candidate>> {
    let mut ids: Vec<i64> = Vec::new();
    for key in keys {
        for id in tx.col::<i64>("SELECT person_id FROM person_keys WHERE key = ?1", &[key])? {
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
    }
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        let mut c = Candidate { id, names: tx.col("SELECT name FROM person_names WHERE person_id = ?1 ORDER BY name", &[&id])?, ..Default::default() };
        let attrs = tx.rows(
            "SELECT a.kind, a.value, substr(d.published, 1, 4) FROM person_attributes a JOIN documents d ON d.id = a.document_id WHERE a.person_id = ?1",
            &[&id],
        )?;
        for row in attrs {
            let (kind, value, year): (String, String, Option<String>) = (row.get(0)?, row.get(1)?, row.get(2)?);
            let year = year.and_then(|y| y.parse().ok());
            match kind.as_str() {
                "birth_year" => c.birth_years.extend(birth_years(value.parse().ok(), None, None)),
                "age" => c.birth_years.extend(birth_years(None, value.parse().ok(), year)),
                "nationality" => c.nationality.push(value),
                "occupation" => c.occupation.push(value),
                _ => {}
            }
        }
        c.orgs = tx.col(
            "SELECT DISTINCT o.key FROM mentions pm JOIN mentions om ON om.document_id = pm.document_id AND om.org_id IS NOT NULL
             JOIN organizations o ON o.id = om.org_id WHERE pm.person_id = ?1",
            &[&id],
        )?;
        out.push(c);
    }
    Ok(out)
}

/// How often the words of these names name persons on record.
fn frequencies<'a>(tx: &Db, names: impl Iterator<Item = &'a String>) -> Result<Frequencies> {
    let mut freq = Frequencies::new();
    let persons: Option<i64> = tx.one("SELECT MAX(id) FROM persons", &[])?;
    freq.set_persons(persons.unwrap_or(0) as u32);
    let mut seen = HashSet::new();
    for n in names {
        for w in parse(n).words {
            if seen.insert(w.canon.clone()) {
                if let Some(count) = tx.opt::<i64>("SELECT persons FROM name_words WHERE word = ?1", &[&w.canon])? {
                    freq.set(&w.canon, count as u32);
                }
            }
        }
    }
    Ok(freq)
}

/// Records a person's spellings and their blocking keys; for a new person,
/// counts its name words.
pub(crate) fn index_names(tx: &Db, id: i64, names: &[String], count_words: bool) -> Result<()> {
    let mut words = HashSet::new();
    for n in names {
        tx.exec("INSERT INTO person_names (person_id, name, folded) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING", &[&id, n, &fold(n)])?;
        for k in blocking_keys_of(n) {
            tx.exec("INSERT INTO person_keys (key, person_id) VALUES (?1, ?2) ON CONFLICT DO NOTHING", &[&k, &id])?;
        }
        words.extend(parse(n).words.into_iter().map(|w| w.canon));
    }
    if count_words {
        count_name_words(tx, words.iter().map(String::as_str), 1)?;
    }
    Ok(())
}

/// Adds `delta` to the person counts of these words.
pub(crate) fn count_name_words<'a>(tx: &Db, words: impl Iterator<Item = &'a str>, delta: i64) -> Result<()> {
    for w in words {
        tx.exec(
            "INSERT INTO name_words (word, persons) VALUES (?1, ?2) ON CONFLICT(word) DO UPDATE SET persons = CASE WHEN name_words.persons + ?3 > 0 THEN name_words.persons + ?3 ELSE 0 END",
            &[&w, &delta.max(0), &delta],
        )?;
    }
    Ok(())
}

/// The romanisation-neutral words of a person's spellings.
pub(crate) fn person_words(tx: &Db, id: i64) -> Result<HashSet<String>> {
    let names: Vec<String> = tx.col("SELECT name FROM person_names WHERE person_id = ?1", &[&id])?;
    Ok(names.iter().flat_map(|n| parse(n).words.into_iter().map(|w| w.canon)).collect())
}

/// Rebuilds keys and word counts from the spellings on record (after the
/// migration that introduced them).
pub(crate) fn rebuild_link_index(tx: &Db) -> Result<()> {
    tx.exec("DELETE FROM person_keys", &[])?;
    tx.exec("DELETE FROM name_words", &[])?;
    let ids: Vec<i64> = tx.col("SELECT id FROM persons", &[])?;
    for id in ids {
        let names: Vec<String> = tx.col("SELECT name FROM person_names WHERE person_id = ?1", &[&id])?;
        index_names(tx, id, &names, true)?;
    }
    Ok(())
}
