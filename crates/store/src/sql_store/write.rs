//! Writing a document's extraction, and linking its persons to the persons on
//! record, inside the caller's transaction.

use crate::{Result, StoreError};
use chronicle_link::names::{fold, parse};
use chronicle_link::{blocking_keys_of, decide, lookup_keys, Candidate, Frequencies, LinkDecision, NewPerson};
use chronicle_model::{EntityRef, ExtractedPerson, Extraction};
use crate::db::{insert_statements, marks, Db, ToValue, Value};
use std::collections::{HashMap, HashSet};

/// A new person, numbered one past the highest on record, as SQLite numbers
/// rows: writers go one at a time, and a rolled-back write leaves no gap (a
/// PostgreSQL sequence would), so both engines give the same ids for the same
/// reports, however often ingestion was interrupted.
pub(crate) const NEW_PERSON: &str = "INSERT INTO persons (id, name, created_in) SELECT COALESCE(MAX(id), 0) + 1, ?1, ?2 FROM persons RETURNING id";

/// What writing an extraction did to the persons on record.
pub(crate) struct Written {
    pub linked: usize,
    pub created: usize,
}

/// Writes organisations, persons (linked), places and events of one document.
/// Persons are linked one after another (each may change what the next is
/// linked to); the rows that follow from them are written together at the
/// end, a statement a table, in the order they came.
pub(crate) fn write_extraction(tx: &Db, doc_id: &str, year: Option<i32>, ex: &Extraction) -> Result<Written> {
    let doc = || Value::Text(doc_id.to_string());
    let text = |s: &str| Value::Text(s.to_string());
    let int = |n: usize| Value::Int(n as i64);
    let mut mentions: Vec<Vec<Value>> = Vec::new();

    // Organisations: one row per key across all documents.
    let mut org_ids = Vec::with_capacity(ex.orgs.len());
    for o in &ex.orgs {
        let id: i64 = tx.one(
            "INSERT INTO organizations (key, name, category, country) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (key) DO UPDATE SET key = excluded.key RETURNING id",
            &[&o.key, &o.name, &o.category.map(|c| c.as_str()), &o.country.map(|c| c.to_string())],
        )?;
        for m in &o.mentions {
            mentions.push(vec![doc(), Value::Null, Value::Int(id), text(&m.text), int(m.span.start), int(m.span.end)]);
        }
        org_ids.push(id);
    }

    // Persons: linked to a person on record, or new.
    let orgs: Vec<String> = ex.orgs.iter().map(|o| o.key.clone()).collect();
    let mut written = Written { linked: 0, created: 0 };
    let mut person_ids: Vec<i64> = Vec::with_capacity(ex.persons.len());
    let (mut links, mut attributes, mut relations) = (Vec::new(), Vec::new(), Vec::new());
    let pins: Vec<Pin> = tx
        .rows("SELECT name, person_id, decision_id FROM person_pins WHERE document_id = ?1", &[&doc_id])?
        .iter()
        .map(|r| Ok(Pin { name: r.get(0)?, person: r.get(1)?, decision: r.get(2)? }))
        .collect::<Result<_>>()?;
    for (local, p) in ex.persons.iter().enumerate() {
        let (id, score, evidence, created) = link_person(tx, doc_id, year, p, &orgs, &person_ids, &pins)?;
        if created {
            written.created += 1;
        } else {
            written.linked += 1;
        }
        links.push(vec![Value::Int(id), doc(), int(local), Value::Real(score), Value::Text(evidence)]);
        index_names(tx, id, &names_of(p), created)?;
        for m in &p.mentions {
            mentions.push(vec![doc(), Value::Int(id), Value::Null, text(&m.text), int(m.span.start), int(m.span.end)]);
        }
        let mut attr = |kind: &str, value: String| attributes.push(vec![Value::Int(id), doc(), text(kind), Value::Text(value)]);
        if let Some(a) = p.age {
            attr("age", a.to_string());
        }
        if let Some(y) = p.birth_year {
            attr("birth_year", y.to_string());
        }
        for c in &p.nationality {
            attr("nationality", c.to_string());
        }
        for o in &p.occupation {
            attr("occupation", o.clone());
        }
        for r in &p.relations {
            relations.push(vec![Value::Int(id), doc(), text(r)]);
        }
        person_ids.push(id);
    }
    let mut batch = Vec::new();
    insert_statements(&mut batch, "INSERT INTO mentions (document_id, person_id, org_id, text, start, \"end\")", "", &mentions);
    insert_statements(&mut batch, "INSERT INTO person_links (person_id, document_id, local_index, score, evidence)", "", &links);
    insert_statements(&mut batch, "INSERT INTO person_attributes (person_id, document_id, kind, value)", "", &attributes);
    insert_statements(&mut batch, "INSERT INTO person_relations (person_id, document_id, relation)", "", &relations);

    let places: Vec<Vec<Value>> = ex
        .places
        .iter()
        .map(|pl| vec![doc(), text(&pl.name), pl.country.map(|c| c.to_string()).to_value(), int(pl.span.start), int(pl.span.end)])
        .collect();
    insert_statements(&mut batch, "INSERT INTO places (document_id, name, country, start, \"end\")", "", &places);

    let (mut events, mut participants, mut sources) = (Vec::new(), Vec::new(), Vec::new());
    for (ordinal, e) in ex.events.iter().enumerate() {
        let id = format!("{doc_id}-e{}", ordinal + 1);
        let charges = serde_json::to_string(&e.charges).map_err(|err| StoreError::Corrupt(err.to_string()))?;
        events.push(vec![
            text(&id),
            doc(),
            int(ordinal + 1),
            text(e.kind.as_str()),
            e.date.map(|d| d.to_string()).to_value(),
            e.place.to_value(),
            e.country.map(|c| c.to_string()).to_value(),
            e.to_country.map(|c| c.to_string()).to_value(),
            e.term_years.map(f64::from).to_value(),
            e.regime.to_value(),
            Value::Text(charges),
            Value::Real(f64::from(e.confidence)),
        ]);
        for (role, list) in [("victim", &e.victims), ("perpetrator", &e.perpetrators)] {
            for (pos, r) in list.iter().enumerate() {
                let missing = || StoreError::Corrupt(format!("event {id} names a participant the extraction does not have"));
                let (person, org) = match *r {
                    EntityRef::Person(i) => (Value::Int(*person_ids.get(i).ok_or_else(missing)?), Value::Null),
                    EntityRef::Org(i) => (Value::Null, Value::Int(*org_ids.get(i).ok_or_else(missing)?)),
                };
                participants.push(vec![text(&id), text(role), int(pos), person, org]);
            }
        }
        for s in &e.sources {
            sources.push(vec![text(&id), doc(), int(s.span.start), int(s.span.end), text(&s.quote)]);
        }
    }
    insert_statements(
        &mut batch,
        "INSERT INTO events (id, document_id, ordinal, type, date, place, country, to_country, term_years, regime, charges, confidence)",
        "",
        &events,
    );
    insert_statements(&mut batch, "INSERT INTO event_participants (event_id, role, position, person_id, org_id)", "", &participants);
    insert_statements(&mut batch, "INSERT INTO event_sources (event_id, document_id, start, \"end\", quote)", "", &sources);
    // None of these reads what another writes: they go to the server together, in this order.
    tx.exec_all(&batch)?;
    Ok(written)
}

/// An analyst's decision that a document's person, by a name it goes by there, is this person.
struct Pin {
    name: String,
    person: i64,
    decision: i64,
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
fn link_person(tx: &Db, doc_id: &str, year: Option<i32>, p: &ExtractedPerson, orgs: &[String], taken: &[i64], pins: &[Pin]) -> Result<(i64, f64, String, bool)> {
    let names = names_of(p);
    for n in &names {
        let f = fold(n);
        if let Some(pin) = pins.iter().find(|pin| pin.name == f && !taken.contains(&pin.person)) {
            return Ok((pin.person, 1.0, format!("analyst decision {}", pin.decision), false));
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
    let decision = if candidates.iter().all(|c| c.distinct) {
        // Nobody on record to be: no need to weigh how common the names are.
        LinkDecision::New
    } else {
        let freq = frequencies(tx, new.names.iter().chain(candidates.iter().flat_map(|c| c.names.iter())))?;
        decide(&new, &candidates, &freq)
    };
    match decision {
        LinkDecision::Existing { id, score, evidence } => Ok((id, score, evidence, false)),
        LinkDecision::New => {
            let id: i64 = tx.one(NEW_PERSON, &[&p.name, &doc_id])?;
            Ok((id, 1.0, "first seen".to_string(), true))
        }
    }
}

/// The persons sharing a blocking key, with what is on record about them:
/// by key (in the order given), then by id.
fn candidates(tx: &Db, keys: &[String]) -> Result<Vec<Candidate>> {
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    let args: Vec<&dyn ToValue> = keys.iter().map(|k| k as &dyn ToValue).collect();
    let mut by_key: HashMap<String, Vec<i64>> = HashMap::new();
    for row in tx.rows(&format!("SELECT key, person_id FROM person_keys WHERE key IN ({})", marks(1, keys.len())), &args)? {
        by_key.entry(row.get(0)?).or_default().push(row.get(1)?);
    }
    let mut ids: Vec<i64> = Vec::new();
    for key in keys {
        let mut found = by_key.remove(key).unwrap_or_default();
        found.sort_unstable();
        for id in found {
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
    }
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    // Parsed integers: safe to write into the statements.
    let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(", ");
    let mut out: Vec<Candidate> = ids.iter().map(|&id| Candidate { id, ..Default::default() }).collect();
    let at = |id: i64| ids.iter().position(|&i| i == id);
    let mut found = tx
        .rows_all(&[
            (format!("SELECT person_id, name FROM person_names WHERE person_id IN ({list}) ORDER BY person_id, name"), vec![]),
            (
                format!(
                    "SELECT a.person_id, a.kind, a.value, substr(d.published, 1, 4) FROM person_attributes a JOIN documents d ON d.id = a.document_id
                     WHERE a.person_id IN ({list}) ORDER BY a.person_id, a.rowid"
                ),
                vec![],
            ),
            (
                format!(
                    "SELECT DISTINCT pm.person_id, o.key FROM mentions pm JOIN mentions om ON om.document_id = pm.document_id AND om.org_id IS NOT NULL
                     JOIN organizations o ON o.id = om.org_id WHERE pm.person_id IN ({list}) ORDER BY pm.person_id, o.key"
                ),
                vec![],
            ),
        ])?
        .into_iter();
    let (names, attrs, orgs) = (found.next().unwrap_or_default(), found.next().unwrap_or_default(), found.next().unwrap_or_default());
    for row in names {
        if let Some(i) = at(row.get(0)?) {
            out[i].names.push(row.get(1)?);
        }
    }
    for row in attrs {
        let Some(i) = at(row.get(0)?) else { continue };
        let c = &mut out[i];
        let (kind, value, year): (String, String, Option<String>) = (row.get(1)?, row.get(2)?, row.get(3)?);
        let year = year.and_then(|y| y.parse().ok());
        match kind.as_str() {
            "birth_year" => c.birth_years.extend(birth_years(value.parse().ok(), None, None)),
            "age" => c.birth_years.extend(birth_years(None, value.parse().ok(), year)),
            "nationality" => c.nationality.push(value),
            "occupation" => c.occupation.push(value),
            _ => {}
        }
    }
    for row in orgs {
        if let Some(i) = at(row.get(0)?) {
            out[i].orgs.push(row.get(1)?);
        }
    }
    Ok(out)
}

/// How often the words of these names name persons on record.
fn frequencies<'a>(tx: &Db, names: impl Iterator<Item = &'a String>) -> Result<Frequencies> {
    let mut freq = Frequencies::new();
    let mut words: Vec<String> = Vec::new();
    let mut seen = HashSet::new();
    for n in names {
        for w in parse(n).words {
            if seen.insert(w.canon.clone()) {
                words.push(w.canon);
            }
        }
    }
    // How many persons there are, with the counts (a row with no word: no word is empty).
    let mut first = true;
    for chunk in words.chunks(500) {
        let args: Vec<&dyn ToValue> = chunk.iter().map(|w| w as &dyn ToValue).collect();
        let total = if first { "SELECT '', COALESCE(MAX(id), 0) FROM persons UNION ALL " } else { "" };
        for row in tx.rows(&format!("{total}SELECT word, persons FROM name_words WHERE word IN ({})", marks(1, chunk.len())), &args)? {
            let (word, count): (String, i64) = (row.get(0)?, row.get(1)?);
            if word.is_empty() {
                freq.set_persons(count as u32);
            } else {
                freq.set(&word, count as u32);
            }
        }
        first = false;
    }
    if first {
        let persons: Option<i64> = tx.one("SELECT MAX(id) FROM persons", &[])?;
        freq.set_persons(persons.unwrap_or(0) as u32);
    }
    Ok(freq)
}

/// Records a person's spellings and their blocking keys; for a new person,
/// counts its name words.
pub(crate) fn index_names(tx: &Db, id: i64, names: &[String], count_words: bool) -> Result<()> {
    let mut words = HashSet::new();
    let mut spellings = Vec::new();
    let mut keys = Vec::new();
    for n in names {
        spellings.push(vec![Value::Int(id), Value::Text(n.clone()), Value::Text(fold(n))]);
        for k in blocking_keys_of(n) {
            keys.push(vec![Value::Text(k), Value::Int(id)]);
        }
        words.extend(parse(n).words.into_iter().map(|w| w.canon));
    }
    let mut batch = Vec::new();
    insert_statements(&mut batch, "INSERT INTO person_names (person_id, name, folded)", "ON CONFLICT DO NOTHING", &spellings);
    insert_statements(&mut batch, "INSERT INTO person_keys (key, person_id)", "ON CONFLICT DO NOTHING", &keys);
    if count_words {
        name_word_statements(&mut batch, words.iter().map(String::as_str), 1);
    }
    tx.exec_all(&batch)?;
    Ok(())
}

/// Adds `delta` to the person counts of these words (a word given twice, twice).
pub(crate) fn count_name_words<'a>(tx: &Db, words: impl Iterator<Item = &'a str>, delta: i64) -> Result<()> {
    let mut batch = Vec::new();
    name_word_statements(&mut batch, words, delta);
    tx.exec_all(&batch)?;
    Ok(())
}

/// The statements that add `delta` to the person counts of these words.
fn name_word_statements<'a>(batch: &mut Vec<(String, Vec<Value>)>, words: impl Iterator<Item = &'a str>, delta: i64) {
    let mut totals: Vec<(String, i64)> = Vec::new();
    for w in words {
        match totals.iter_mut().find(|(t, _)| t == w) {
            Some((_, d)) => *d += delta,
            None => totals.push((w.to_string(), delta)),
        }
    }
    // One statement for each change (the change is a parsed integer, written into it).
    let mut changes: Vec<i64> = totals.iter().map(|t| t.1).collect();
    changes.sort_unstable();
    changes.dedup();
    for d in changes {
        let rows: Vec<Vec<Value>> = totals.iter().filter(|t| t.1 == d).map(|t| vec![Value::Text(t.0.clone()), Value::Int(d.max(0))]).collect();
        insert_statements(
            batch,
            "INSERT INTO name_words (word, persons)",
            &format!("ON CONFLICT (word) DO UPDATE SET persons = CASE WHEN name_words.persons + ({d}) > 0 THEN name_words.persons + ({d}) ELSE 0 END"),
            &rows,
        );
    }
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
