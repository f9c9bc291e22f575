//! The audit log: appended, never updated, each entry chained by hash to the one before.

use crate::{AuditEntry, Result};
use super::state;
use crate::db::Db;
use sha2::{Digest, Sha256};

/// The hash before the first entry.
pub(crate) const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The hash of an audit entry: its fields (the state it records, where it
/// records one) and the previous entry's hash, each length-prefixed, under
/// SHA-256. The entry's own `hash` is not read.
pub fn entry_hash(e: &AuditEntry) -> String {
    let mut h = Sha256::new();
    let seq = e.seq.to_string();
    let fields = [&e.prev_hash, &seq, &e.at, &e.actor, &e.action, &e.subject, &e.detail];
    for field in fields.into_iter().chain(e.state.as_ref()) {
        h.update((field.len() as u64).to_le_bytes());
        h.update(field.as_bytes());
    }
    format!("{:x}", h.finalize())
}

/// Appends an entry to the caller's transaction, written as the last thing
/// it does before it commits, with the digests of the state it leaves (see
/// `state`): whatever the caller changed after this call is covered too.
pub(crate) fn append(db: &Db, actor: &str, action: &str, subject: &str, detail: &serde_json::Value) -> Result<()> {
    let (actor, action, subject, detail) = (actor.to_string(), action.to_string(), subject.to_string(), detail.to_string());
    db.before_commit(move |db| {
        let state = state::for_entry(db, &subject)?;
        insert(db, actor, action, subject, detail, state)
    })
}

/// Appends an entry recording the state of the whole store (every document):
/// after a change of schema, which may change what the digests cover.
pub(crate) fn append_whole(db: &Db, actor: &str, action: &str, subject: &str, detail: &serde_json::Value) -> Result<()> {
    let (actor, action, subject, detail) = (actor.to_string(), action.to_string(), subject.to_string(), detail.to_string());
    db.before_commit(move |db| {
        let state = state::whole(db)?;
        insert(db, actor, action, subject, detail, state)
    })
}

fn insert(db: &Db, actor: String, action: String, subject: String, detail: String, state: String) -> Result<()> {
    let (prev_seq, prev_hash): (i64, String) = match db.row("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1", &[])? {
        Some(r) => (r.get(0)?, r.get(1)?),
        None => (0, GENESIS.to_string()),
    };
    let mut e = AuditEntry { seq: prev_seq + 1, at: super::now(), actor, action, subject, detail, state: Some(state), prev_hash, hash: String::new() };
    e.hash = entry_hash(&e);
    db.exec(
        "INSERT INTO audit (seq, at, actor, action, subject, detail, state, prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        &[&e.seq, &e.at, &e.actor, &e.action, &e.subject, &e.detail, &e.state, &e.prev_hash, &e.hash],
    )?;
    Ok(())
}

pub(crate) fn read(db: &Db) -> Result<Vec<AuditEntry>> {
    let rows = db.rows("SELECT seq, at, actor, action, subject, detail, state, prev_hash, hash FROM audit ORDER BY seq", &[])?;
    rows.iter()
        .map(|r| {
            Ok(AuditEntry {
            seq: r.get(0)?,
            at: r.get(1)?,
            actor: r.get(2)?,
            action: r.get(3)?,
            subject: r.get(4)?,
            detail: r.get(5)?,
            state: r.get(6)?,
            prev_hash: r.get(7)?,
            hash: r.get(8)?,
            })
        })
        .collect()
}

/// Checks the whole chain, oldest first: every entry's hash matches its
/// fields, follows the entry before it, and no sequence number is missing.
/// Names the first entry that breaks it.
pub(crate) fn verify(entries: &[AuditEntry]) -> Result<usize, crate::ChainBreak> {
    use crate::ChainBreak;
    let mut prev_hash = GENESIS.to_string();
    let mut prev_seq = 0;
    for e in entries {
        if entry_hash(e) != e.hash {
            return Err(ChainBreak::Edited { seq: e.seq });
        }
        if e.seq != prev_seq + 1 {
            return Err(ChainBreak::Missing { after: prev_seq, next: e.seq });
        }
        if e.prev_hash != prev_hash {
            return Err(ChainBreak::OutOfPlace { seq: e.seq });
        }
        prev_hash = e.hash.clone();
        prev_seq = e.seq;
    }
    Ok(entries.len())
}
