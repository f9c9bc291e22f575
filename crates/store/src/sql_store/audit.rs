//! The audit log: appended, never updated, each entry chained by hash to the one before.

use crate::{AuditEntry, Result};
use crate::db::Db;
use sha2::{Digest, Sha256};

/// The hash before the first entry.
pub(crate) const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The hash of an audit entry: its fields and the previous entry's hash,
/// each length-prefixed, under SHA-256.
pub fn entry_hash(prev_hash: &str, seq: i64, at: &str, actor: &str, action: &str, subject: &str, detail: &str) -> String {
    let mut h = Sha256::new();
    for field in [prev_hash, &seq.to_string(), at, actor, action, subject, detail] {
        h.update((field.len() as u64).to_le_bytes());
        h.update(field.as_bytes());
    }
    format!("{:x}", h.finalize())
}

/// Appends an entry inside the caller's transaction.
pub(crate) fn append(db: &Db, actor: &str, action: &str, subject: &str, detail: &serde_json::Value) -> Result<()> {
    let (prev_seq, prev_hash): (i64, String) = match db.row("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1", &[])? {
        Some(r) => (r.get(0)?, r.get(1)?),
        None => (0, GENESIS.to_string()),
    };
    let seq = prev_seq + 1;
    let at = super::now();
    let detail = detail.to_string();
    let hash = entry_hash(&prev_hash, seq, &at, actor, action, subject, &detail);
    db.exec(
        "INSERT INTO audit (seq, at, actor, action, subject, detail, prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        &[&seq, &at, &actor, &action, &subject, &detail, &prev_hash, &hash],
    )?;
    Ok(())
}

pub(crate) fn read(db: &Db) -> Result<Vec<AuditEntry>> {
    let rows = db.rows("SELECT seq, at, actor, action, subject, detail, prev_hash, hash FROM audit ORDER BY seq", &[])?;
    rows.iter()
        .map(|r| {
            Ok(AuditEntry {
            seq: r.get(0)?,
            at: r.get(1)?,
            actor: r.get(2)?,
            action: r.get(3)?,
            subject: r.get(4)?,
            detail: r.get(5)?,
            prev_hash: r.get(6)?,
            hash: r.get(7)?,
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
        if entry_hash(&e.prev_hash, e.seq, &e.at, &e.actor, &e.action, &e.subject, &e.detail) != e.hash {
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
