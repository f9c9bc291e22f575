//! The state the audit log vouches for. Every audit entry records digests of
//! the state its write left: of the access tables (accounts, grants,
//! restrictions, tokens: every column they have, whatever later migrations
//! add) and of the rows of the document its subject names (the document and
//! each of its events with their quotes). Verification recomputes them and
//! names what differs from the latest entry that recorded it.
//!
//! What this asks of every write: a change to an access table, a document or
//! an event is made in a transaction that also calls `audit::append` (any
//! action; for a document or event, with its id as the subject). A change
//! without an entry is what verification reports as tampering.

use crate::db::{Db, Row, Value};
use crate::Result;
use serde_json::{json, Map, Value as Json};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};

/// The tables that say who may see and change what: digested whole after every write.
pub(crate) const ACCESS_TABLES: &[&str] = &["api_tokens", "grants", "person_public", "restricted", "restricted_mentions", "users"];

/// The tables a document's digest covers.
const DOCUMENT_TABLES: &[&str] = &["documents", "events", "event_sources"];

/// Columns left out of digests: one engine's own (`rowid`, PostgreSQL's search
/// vector), or vouched for otherwise (the original bytes, by their SHA-256,
/// which is digested and checked against them).
const SKIPPED: &[&str] = &["rowid", "fts", "original"];

/// A table's digest: `ROWS:SHA256`, over every row, whatever its order.
pub(crate) type TableDigest = String;

/// What an entry records of one document.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct DocState {
    /// The document's own row.
    pub(crate) row: TableDigest,
    /// Each event (its row and its quotes), by id.
    pub(crate) events: BTreeMap<String, TableDigest>,
}

/// The digested columns of each table, sorted by name (so both engines, and
/// any column order a migration leaves, give the same digest).
pub(crate) struct Columns(HashMap<String, Vec<String>>);

impl Columns {
    pub(crate) fn read(db: &Db, tables: &[&str]) -> Result<Columns> {
        let list = tables.iter().map(|t| format!("'{t}'")).collect::<Vec<_>>().join(", ");
        let sql = if db.is_postgres() {
            format!(
                "SELECT table_name::text, column_name::text FROM information_schema.columns
                 WHERE table_schema = current_schema() AND table_name::text IN ({list})"
            )
        } else {
            format!("SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table' AND m.name IN ({list})")
        };
        let mut out: HashMap<String, Vec<String>> = HashMap::new();
        for r in db.rows(&sql, &[])? {
            let (table, column): (String, String) = (r.get(0)?, r.get(1)?);
            if !SKIPPED.contains(&column.as_str()) {
                out.entry(table).or_default().push(column);
            }
        }
        out.values_mut().for_each(|c| c.sort());
        Ok(Columns(out))
    }

    fn of(&self, table: &str) -> &[String] {
        self.0.get(table).map_or(&[], Vec::as_slice)
    }

    /// `SELECT` of the digested columns of `table`, then `rest`.
    fn select(&self, table: &str, rest: &str) -> String {
        let cols = self.of(table).iter().map(|c| format!("\"{c}\"")).collect::<Vec<_>>().join(", ");
        format!("SELECT {cols} FROM {table} {rest}")
    }

    fn index(&self, table: &str, column: &str) -> Option<usize> {
        self.of(table).iter().position(|c| c == column)
    }
}

/// A value as digested: a tag and its bytes, text and blobs alike (the engines
/// hand back some columns as one or the other).
fn encode(v: &Value, out: &mut Vec<u8>) {
    let (tag, bytes): (u8, std::borrow::Cow<[u8]>) = match v {
        Value::Null => (0, (&[][..]).into()),
        Value::Int(i) => (1, i.to_le_bytes().to_vec().into()),
        Value::Real(f) => (2, f.to_bits().to_le_bytes().to_vec().into()),
        Value::Text(s) => (3, s.as_bytes().into()),
        Value::Blob(b) => (3, b.as_slice().into()),
    };
    out.push(tag);
    out.extend((bytes.len() as u64).to_le_bytes());
    out.extend(bytes.iter());
}

/// One row as digested: each column's name and value.
fn row_bytes(tag: u8, columns: &[String], row: &Row) -> Vec<u8> {
    let mut out = vec![tag];
    for (name, value) in columns.iter().zip(&row.0) {
        encode(&Value::Text(name.clone()), &mut out);
        encode(value, &mut out);
    }
    out
}

/// The digest of a set of rows, in no particular order.
fn digest(mut rows: Vec<Vec<u8>>) -> TableDigest {
    rows.sort();
    let mut h = Sha256::new();
    for r in &rows {
        h.update((r.len() as u64).to_le_bytes());
        h.update(r);
    }
    format!("{}:{:x}", rows.len(), h.finalize())
}

/// The number of rows a digest was taken over.
pub(crate) fn rows_of(d: &str) -> usize {
    d.split_once(':').and_then(|(n, _)| n.parse().ok()).unwrap_or(0)
}

/// The access tables' digests, by table.
pub(crate) fn access(db: &Db, cols: &Columns) -> Result<BTreeMap<String, TableDigest>> {
    let batch: Vec<(String, Vec<Value>)> = ACCESS_TABLES.iter().map(|t| (cols.select(t, ""), vec![])).collect();
    let results = db.rows_all(&batch)?;
    Ok(ACCESS_TABLES
        .iter()
        .zip(results)
        .map(|(t, rows)| (t.to_string(), digest(rows.iter().map(|r| row_bytes(0, cols.of(t), r)).collect())))
        .collect())
}

/// One document's digests; None when it is not on record.
pub(crate) fn document(db: &Db, cols: &Columns, id: &str) -> Result<Option<DocState>> {
    let batch = vec![
        (cols.select("documents", "WHERE id = ?1"), vec![Value::Text(id.into())]),
        (cols.select("events", "WHERE document_id = ?1"), vec![Value::Text(id.into())]),
        (cols.select("event_sources", "WHERE event_id IN (SELECT id FROM events WHERE document_id = ?1)"), vec![Value::Text(id.into())]),
    ];
    let mut results = db.rows_all(&batch)?.into_iter();
    let (docs, events, sources) = (results.next().unwrap_or_default(), results.next().unwrap_or_default(), results.next().unwrap_or_default());
    if docs.is_empty() {
        return Ok(None);
    }
    let row = digest(docs.iter().map(|r| row_bytes(0, cols.of("documents"), r)).collect());
    let event_id = cols.index("events", "id");
    let source_event = cols.index("event_sources", "event_id");
    let key = |r: &Row, i: Option<usize>| i.and_then(|i| r.0.get(i)).and_then(|v| match v {
        Value::Text(s) => Some(s.clone()),
        _ => None,
    });
    let mut rows: BTreeMap<String, Vec<Vec<u8>>> = BTreeMap::new();
    for r in &events {
        rows.entry(key(r, event_id).unwrap_or_default()).or_default().push(row_bytes(1, cols.of("events"), r));
    }
    for r in &sources {
        rows.entry(key(r, source_event).unwrap_or_default()).or_default().push(row_bytes(2, cols.of("event_sources"), r));
    }
    Ok(Some(DocState { row, events: rows.into_iter().map(|(id, r)| (id, digest(r))).collect() }))
}

/// The document an entry's subject names: a document's id, or an event's.
/// A subject shaped like a document id that is not on record is a document
/// no longer there.
fn subject_document(db: &Db, subject: &str) -> Result<Option<String>> {
    if !subject.starts_with("doc-") {
        return Ok(None);
    }
    let found: Option<String> = db.opt(
        "SELECT id FROM documents WHERE id = ?1 UNION ALL SELECT document_id FROM events WHERE id = ?1",
        &[&subject],
    )?;
    Ok(found.or_else(|| (!subject[4..].contains('-')).then(|| subject.to_string())))
}

fn doc_json(state: &Option<DocState>) -> Json {
    match state {
        None => Json::Null,
        Some(s) => json!({ "row": s.row, "events": s.events }),
    }
}

/// What an entry about `subject` records: the access tables, and the document it names.
pub(crate) fn for_entry(db: &Db, subject: &str) -> Result<String> {
    let all: Vec<&str> = ACCESS_TABLES.iter().chain(DOCUMENT_TABLES).copied().collect();
    let cols = Columns::read(db, &all)?;
    let mut state = json!({ "access": access(db, &cols)? });
    if let Some(doc) = subject_document(db, subject)? {
        let mut docs = Map::new();
        docs.insert(doc.clone(), doc_json(&document(db, &cols, &doc)?));
        state["documents"] = Json::Object(docs);
    }
    Ok(state.to_string())
}

/// What an entry recording the whole store records: the access tables and every document.
pub(crate) fn whole(db: &Db) -> Result<String> {
    let all: Vec<&str> = ACCESS_TABLES.iter().chain(DOCUMENT_TABLES).copied().collect();
    let cols = Columns::read(db, &all)?;
    let mut docs = Map::new();
    for id in db.col::<String>("SELECT id FROM documents ORDER BY id", &[])? {
        docs.insert(id.clone(), doc_json(&document(db, &cols, &id)?));
    }
    Ok(json!({ "access": access(db, &cols)?, "documents": docs }).to_string())
}

/// An entry's recorded state, read back.
pub(crate) struct Recorded {
    pub(crate) access: Option<BTreeMap<String, TableDigest>>,
    pub(crate) documents: Vec<(String, Option<DocState>)>,
}

fn digests(v: &Json) -> BTreeMap<String, TableDigest> {
    v.as_object().map_or_else(BTreeMap::new, |m| m.iter().filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string()))).collect())
}

/// Reads an entry's state; None when it is not a state Chronicle wrote.
pub(crate) fn parse(state: &str) -> Option<Recorded> {
    let v: Json = serde_json::from_str(state).ok()?;
    let access = v.get("access").map(digests);
    let documents = v.get("documents").and_then(Json::as_object).map_or_else(Vec::new, |m| {
        m.iter()
            .map(|(id, d)| {
                let state = d.get("row").and_then(Json::as_str).map(|row| DocState { row: row.to_string(), events: digests(d.get("events").unwrap_or(&Json::Null)) });
                (id.clone(), state)
            })
            .collect()
    });
    Some(Recorded { access, documents })
}
