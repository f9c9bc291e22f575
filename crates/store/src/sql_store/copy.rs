//! Copying a whole store to another, across engines: every table, row for
//! row, ids and audit chain as they are — an embedded store moved to a server,
//! or a server's record taken home in one file.

use super::{audit, SqlStore};
use crate::db::{Engine, Value};
use crate::{Result, Role, StoreError};
use serde_json::json;

/// The tables in an order that keeps every reference to a row after the row,
/// and the columns both engines' schemas give them (`rowid` keeps the order
/// of rows that have no id of their own).
const TABLES: &[(&str, &str)] = &[
    ("documents", "id, sha256, source, title, published, language, publisher, text, original, ingested_at, extractor, reading, ocr_confidence, attached_to"),
    ("document_tags", "document_id, tag"),
    ("organizations", "id, key, name, category, country"),
    ("persons", "id, name, created_in"),
    ("person_public", "person_id, actor, at"),
    ("person_names", "person_id, name, folded"),
    ("person_attributes", "rowid, person_id, document_id, kind, value"),
    ("person_links", "person_id, document_id, local_index, score, evidence"),
    ("person_relations", "rowid, person_id, document_id, relation"),
    ("mentions", "id, document_id, person_id, org_id, text, start, \"end\""),
    ("places", "rowid, document_id, name, country, start, \"end\""),
    ("events", "id, document_id, ordinal, type, date, place, country, to_country, term_years, regime, charges, confidence, review, corrected"),
    ("event_participants", "rowid, event_id, role, position, person_id, org_id"),
    ("event_sources", "rowid, event_id, document_id, start, \"end\", quote"),
    ("person_keys", "key, person_id"),
    ("name_words", "word, persons"),
    ("decisions", "id, kind, detail, actor, at"),
    ("person_pins", "document_id, name, person_id, decision_id"),
    ("person_distinct", "a, b, decision_id"),
    ("users", "name, role, password, created_at, state, epoch"),
    ("grants", "\"user\", target, actor, at"),
    ("api_tokens", "hash, \"user\", label, created_at, id, expires_at, revoked_at"),
    ("restricted", "target, kind, reason, actor, at"),
    ("restricted_mentions", "document_id, text, target"),
    ("audit", "seq, at, actor, action, subject, detail, state, prev_hash, hash"),
];

/// PostgreSQL's counters for ids, set past the rows copied in.
const SERIALS: &[(&str, &str)] = &[
    ("persons", "id"),
    ("organizations", "id"),
    ("mentions", "id"),
    ("decisions", "id"),
    ("person_attributes", "rowid"),
    ("person_relations", "rowid"),
    ("places", "rowid"),
    ("event_participants", "rowid"),
    ("event_sources", "rowid"),
];

/// Rows read and written at a time.
const CHUNK: usize = 500;

/// What a copy moved: rows by table, in copy order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopyReport {
    pub tables: Vec<(String, usize)>,
    /// Audit entries verified on the target after the copy (its own entry included).
    pub audit_verified: usize,
}

impl SqlStore {
    /// Copies everything in this store into `target`, which must be empty,
    /// in one transaction on the target; then records the copy in the
    /// target's audit log and verifies the whole chain and the recorded state there. Admins only
    /// (a copy holds every restricted record).
    pub fn copy_to(&self, target: &mut SqlStore) -> Result<CopyReport> {
        self.require(Role::Admin, "copy a whole store")?;
        if self.location() == target.location() {
            return Err(StoreError::Refused(format!("{} is the store being copied", target.location())));
        }
        let verified = self.verify_audit_chain()?;
        let tx = target.db.begin_write()?;
        let occupied: i64 = tx.one("SELECT (SELECT COUNT(*) FROM documents) + (SELECT COUNT(*) FROM audit) + (SELECT COUNT(*) FROM users)", &[])?;
        if occupied > 0 {
            return Err(StoreError::Refused(format!("{} is not empty: a store is copied into a new one", target.location())));
        }
        // A source read in several statements must be one moment of it.
        let snapshot = self.db.begin_snapshot()?;
        let mut tables = Vec::new();
        for (table, columns) in TABLES {
            let insert = format!("INSERT INTO {table} ({columns})");
            let select = format!("SELECT {columns} FROM {table} ORDER BY {} LIMIT {CHUNK} OFFSET ?1", order_of(columns));
            let mut copied = 0;
            loop {
                let rows: Vec<Vec<Value>> = snapshot.rows(&select, &[&copied])?.into_iter().map(|r| r.0).collect();
                tx.insert_rows(&insert, "", &rows)?;
                copied += rows.len();
                if rows.len() < CHUNK {
                    break;
                }
            }
            tracing::info!(table, rows = copied, "copied");
            tables.push((table.to_string(), copied));
        }
        snapshot.commit()?;
        // The search index is the target's own: written from the texts copied in.
        super::search::rebuild_index(&tx)?;
        if tx.engine() == Engine::Postgres {
            for (table, column) in SERIALS {
                tx.exec(
                    &format!("SELECT setval(pg_get_serial_sequence('{table}', '{column}'), COALESCE(MAX({column}), 0) + 1, false) FROM {table}"),
                    &[],
                )?;
            }
        }
        let counts: serde_json::Map<String, serde_json::Value> = tables.iter().map(|(t, n)| (t.clone(), json!(n))).collect();
        audit::append(
            &tx,
            &self.actor,
            "store.copy",
            &target.location().to_string(),
            &json!({ "from": self.location().to_string(), "rows": counts, "source_audit_entries_verified": verified }),
        )?;
        tx.commit()?;
        let audit_verified = target.verify_audit_chain()?;
        Ok(CopyReport { tables, audit_verified })
    }

    /// The chain and the state its entries recorded (the originals are copied
    /// byte for byte and checked by `verify_record`).
    fn verify_audit_chain(&self) -> Result<usize> {
        let report = self.verify_log()?;
        if !report.is_sound() {
            return Err(StoreError::Corrupt(format!("the record of {} does not match its audit log:\n{}", self.location(), report.problem_lines())));
        }
        Ok(report.entries)
    }
}

/// Rows in one total order, for reading in chunks: by their key where the
/// first column is one, else by everything they hold.
fn order_of(columns: &str) -> String {
    let cols: Vec<&str> = columns.split(',').map(str::trim).collect();
    match cols[0] {
        "rowid" | "id" | "seq" | "name" | "word" | "hash" | "target" => cols[0].to_string(),
        _ => cols.join(", "),
    }
}
