//! Analysts' decisions on persons: merge, split, distinct. Each is recorded
//! as a decision, pins every document's person to where the analyst put it
//! (so linking and re-extraction follow), and is audited with before and after.

use super::write::{count_name_words, index_names, person_words};
use super::{audit, now, SqlStore};
use crate::{DecisionRecord, MentionSelector, Result, StoreError};
use chronicle_link::names::fold;
use crate::db::Db;
use serde_json::json;

/// "person-12" or "12" → 12, if such a person is on record.
pub(crate) fn person_id(db: &Db, id: &str) -> Result<i64> {
    let n: i64 = id
        .strip_prefix("person-")
        .unwrap_or(id)
        .parse()
        .map_err(|_| StoreError::NotFound(format!("{id:?} is not a person id (person-N)")))?;
    // A person hidden from the reader (see `access`) is not found.
    db.opt("SELECT id FROM persons WHERE id = ?1 AND id NOT IN (SELECT id FROM hidden_persons)", &[&n])?
        .ok_or_else(|| StoreError::NotFound(format!("no person-{n} on record")))
}

/// A person as the audit log shows it: name, spellings, mention count.
fn summary(db: &Db, id: i64) -> Result<serde_json::Value> {
    let name: String = db.one("SELECT name FROM persons WHERE id = ?1", &[&id])?;
    let names: Vec<String> = db.col("SELECT name FROM person_names WHERE person_id = ?1 ORDER BY name", &[&id])?;
    let mentions: i64 = db.one("SELECT COUNT(*) FROM mentions WHERE person_id = ?1", &[&id])?;
    Ok(json!({ "id": format!("person-{id}"), "name": name, "names": names, "mentions": mentions }))
}

fn record_decision(db: &Db, kind: &str, detail: &serde_json::Value, actor: &str) -> Result<DecisionRecord> {
    let at = now();
    let detail = detail.to_string();
    let id: i64 = db.one(
        "INSERT INTO decisions (id, kind, detail, actor, at) SELECT COALESCE(MAX(id), 0) + 1, ?1, ?2, ?3, ?4 FROM decisions RETURNING id",
        &[&kind, &detail, &actor, &at],
    )?;
    Ok(DecisionRecord { id, kind: kind.to_string(), actor: actor.to_string(), at, detail })
}

/// Pins each document's person of `id`, by every name it goes by there, to `id`.
fn pin_all(db: &Db, id: i64, decision: i64) -> Result<()> {
    for row in db.rows("SELECT DISTINCT document_id, text FROM mentions WHERE person_id = ?1", &[&id])? {
        let (doc, text): (String, String) = (row.get(0)?, row.get(1)?);
        db.exec(
            "INSERT INTO person_pins (document_id, name, person_id, decision_id) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (document_id, name) DO UPDATE SET person_id = excluded.person_id, decision_id = excluded.decision_id",
            &[&doc, &fold(&text), &id, &decision],
        )?;
    }
    Ok(())
}

fn are_distinct(db: &Db, a: i64, b: i64) -> Result<Option<i64>> {
    db.opt("SELECT decision_id FROM person_distinct WHERE a = ?1 AND b = ?2", &[&a.min(b), &a.max(b)])
}

/// Rebuilds a person's spellings and keys from the mentions it has now.
fn reindex_from_mentions(db: &Db, id: i64) -> Result<()> {
    let texts: Vec<String> = db.col("SELECT DISTINCT text FROM mentions WHERE person_id = ?1 ORDER BY text", &[&id])?;
    db.exec("DELETE FROM person_names WHERE person_id = ?1", &[&id])?;
    db.exec("DELETE FROM person_keys WHERE person_id = ?1", &[&id])?;
    // The display name: the current one if still used, else the fullest spelling.
    let name: String = db.one("SELECT name FROM persons WHERE id = ?1", &[&id])?;
    if !texts.contains(&name) {
        if let Some(best) = texts.iter().max_by_key(|t| (t.split_whitespace().count(), t.chars().count())) {
            db.exec("UPDATE persons SET name = ?1 WHERE id = ?2", &[best, &id])?;
        }
    }
    let name: String = db.one("SELECT name FROM persons WHERE id = ?1", &[&id])?;
    let mut names = vec![name];
    names.extend(texts.into_iter().filter(|t| !t.is_empty()));
    names.dedup();
    index_names(db, id, &names, false)
}

impl SqlStore {
    pub(crate) fn merge(&mut self, keep: &str, absorb: &str) -> Result<DecisionRecord> {
        let actor = self.actor.clone();
        let tx = self.db.begin_write()?;
        let (k, b) = (person_id(&tx, keep)?, person_id(&tx, absorb)?);
        if k == b {
            return Err(StoreError::Refused(format!("person-{k} cannot be merged with itself")));
        }
        if let Some(d) = are_distinct(&tx, k, b)? {
            return Err(StoreError::Refused(format!("person-{k} and person-{b} are different people by decision {d}")));
        }
        let before = json!([summary(&tx, k)?, summary(&tx, b)?]);
        let decision = record_decision(&tx, "merge", &json!({ "keep": format!("person-{k}"), "absorb": format!("person-{b}") }), &actor)?;
        let old_words = person_words(&tx, b)?;
        pin_all(&tx, k, decision.id)?;
        pin_all(&tx, b, decision.id)?;
        tx.exec("UPDATE person_pins SET person_id = ?1 WHERE person_id = ?2", &[&k, &b])?;
        tx.exec("UPDATE mentions SET person_id = ?1 WHERE person_id = ?2", &[&k, &b])?;
        tx.exec("UPDATE event_participants SET person_id = ?1 WHERE person_id = ?2", &[&k, &b])?;
        tx.exec("UPDATE person_attributes SET person_id = ?1 WHERE person_id = ?2", &[&k, &b])?;
        tx.exec("UPDATE person_relations SET person_id = ?1 WHERE person_id = ?2", &[&k, &b])?;
        tx.exec(
            "UPDATE person_links SET person_id = ?1, evidence = evidence || ?3 WHERE person_id = ?2",
            &[&k, &b, &format!("; merged by analyst decision {}", decision.id)],
        )?;
        tx.exec("INSERT INTO person_names (person_id, name, folded) SELECT CAST(?1 AS BIGINT), name, folded FROM person_names WHERE person_id = ?2 ON CONFLICT DO NOTHING", &[&k, &b])?;
        tx.exec("DELETE FROM person_names WHERE person_id = ?1", &[&b])?;
        tx.exec("INSERT INTO person_keys (key, person_id) SELECT key, CAST(?1 AS BIGINT) FROM person_keys WHERE person_id = ?2 ON CONFLICT DO NOTHING", &[&k, &b])?;
        tx.exec("DELETE FROM person_keys WHERE person_id = ?1", &[&b])?;
        // Distinctions of the absorbed person now hold for the one kept.
        let others: Vec<(i64, i64)> = tx
            .rows("SELECT CASE WHEN a = ?1 THEN b ELSE a END, decision_id FROM person_distinct WHERE a = ?1 OR b = ?1", &[&b])?
            .iter()
            .map(|r| Ok((r.get(0)?, r.get(1)?)))
            .collect::<Result<_>>()?;
        tx.exec("DELETE FROM person_distinct WHERE a = ?1 OR b = ?1", &[&b])?;
        for (other, d) in others {
            tx.exec("INSERT INTO person_distinct (a, b, decision_id) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING", &[&k.min(other), &k.max(other), &d])?;
        }
        count_name_words(&tx, old_words.iter().map(String::as_str), -1)?;
        // The kept person is public only if it was: a mark is not taken over from the absorbed.
        tx.exec("DELETE FROM person_public WHERE person_id = ?1", &[&b])?;
        tx.exec("DELETE FROM persons WHERE id = ?1", &[&b])?;
        let after = summary(&tx, k)?;
        audit::append(&tx, &actor, "person.merge", &format!("person-{k}"), &json!({ "decision": decision.id, "before": before, "after": after }))?;
        tx.commit()?;
        Ok(decision)
    }

    pub(crate) fn split(&mut self, person: &str, selectors: &[MentionSelector]) -> Result<(DecisionRecord, String)> {
        let actor = self.actor.clone();
        let tx = self.db.begin_write()?;
        let p = person_id(&tx, person)?;
        // Only the mentions this reader sees: one in a document hidden from them
        // is neither split off nor told of (the answer is the same as for a
        // document that does not name the person).
        let mentions: Vec<(i64, String, String, usize, usize)> = tx
            .rows(
                "SELECT id, document_id, text, start, \"end\" FROM mentions WHERE person_id = ?1
                 AND document_id NOT IN (SELECT id FROM hidden_docs) ORDER BY document_id, start",
                &[&p],
            )?
            .iter()
            .map(|r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))
            .collect::<Result<_>>()?;
        let chosen = |m: &(i64, String, String, usize, usize)| {
            selectors.iter().any(|s| s.document == m.1 && s.span.is_none_or(|(a, b)| a == m.3 && b == m.4))
        };
        let moved: Vec<_> = mentions.iter().filter(|m| chosen(m)).collect();
        if moved.is_empty() {
            return Err(StoreError::Refused(format!("no mention of person-{p} is in {}", selectors.iter().map(|s| s.document.as_str()).collect::<Vec<_>>().join(", "))));
        }
        if moved.len() == mentions.len() {
            return Err(StoreError::Refused(format!("those are all the mentions of person-{p}; nothing would be left to split from")));
        }
        let before = summary(&tx, p)?;
        let name = moved.iter().map(|m| m.2.as_str()).max_by_key(|t| (t.split_whitespace().count(), t.chars().count())).unwrap_or_default().to_string();
        let q: i64 = tx.one(super::write::NEW_PERSON, &[&name, &moved[0].1])?;
        let decision = record_decision(
            &tx,
            "split",
            &json!({ "from": format!("person-{p}"), "to": format!("person-{q}"),
                     "mentions": moved.iter().map(|m| format!("{}:{}-{}", m.1, m.3, m.4)).collect::<Vec<_>>() }),
            &actor,
        )?;
        for m in &moved {
            tx.exec("UPDATE mentions SET person_id = ?1 WHERE id = ?2", &[&q, &m.0])?;
        }
        // Documents left without a mention of the old person take their attributes, events and links along.
        let mut docs: Vec<&str> = moved.iter().map(|m| m.1.as_str()).collect();
        docs.dedup();
        for doc in docs {
            let left: i64 = tx.one("SELECT COUNT(*) FROM mentions WHERE person_id = ?1 AND document_id = ?2", &[&p, &doc])?;
            if left == 0 {
                tx.exec("UPDATE person_attributes SET person_id = ?1 WHERE person_id = ?2 AND document_id = ?3", &[&q, &p, &doc])?;
                tx.exec("UPDATE person_relations SET person_id = ?1 WHERE person_id = ?2 AND document_id = ?3", &[&q, &p, &doc])?;
                tx.exec("UPDATE person_links SET person_id = ?1, evidence = ?4 WHERE person_id = ?2 AND document_id = ?3", &[&q, &p, &doc, &format!("split by analyst decision {}", decision.id)])?;
                tx.exec(
                    "UPDATE event_participants SET person_id = ?1 WHERE person_id = ?2 AND event_id IN (SELECT id FROM events WHERE document_id = ?3)",
                    &[&q, &p, &doc],
                )?;
            }
        }
        reindex_from_mentions(&tx, p)?;
        reindex_from_mentions(&tx, q)?;
        let words = person_words(&tx, q)?;
        count_name_words(&tx, words.iter().map(String::as_str), 1)?;
        tx.exec("DELETE FROM person_pins WHERE person_id = ?1", &[&p])?;
        pin_all(&tx, p, decision.id)?;
        pin_all(&tx, q, decision.id)?;
        tx.exec("INSERT INTO person_distinct (a, b, decision_id) VALUES (?1, ?2, ?3)", &[&p.min(q), &p.max(q), &decision.id])?;
        let after = json!([summary(&tx, p)?, summary(&tx, q)?]);
        audit::append(&tx, &actor, "person.split", &format!("person-{p}"), &json!({ "decision": decision.id, "before": before, "after": after }))?;
        tx.commit()?;
        Ok((decision, format!("person-{q}")))
    }

    pub(crate) fn distinct(&mut self, a: &str, b: &str) -> Result<DecisionRecord> {
        let actor = self.actor.clone();
        let tx = self.db.begin_write()?;
        let (a, b) = (person_id(&tx, a)?, person_id(&tx, b)?);
        if a == b {
            return Err(StoreError::Refused(format!("person-{a} cannot be distinct from itself")));
        }
        if let Some(d) = are_distinct(&tx, a, b)? {
            return Err(StoreError::Refused(format!("person-{a} and person-{b} are already distinct by decision {d}")));
        }
        let decision = record_decision(&tx, "distinct", &json!({ "persons": [format!("person-{a}"), format!("person-{b}")] }), &actor)?;
        tx.exec("INSERT INTO person_distinct (a, b, decision_id) VALUES (?1, ?2, ?3)", &[&a.min(b), &a.max(b), &decision.id])?;
        pin_all(&tx, a, decision.id)?;
        pin_all(&tx, b, decision.id)?;
        let detail = json!({ "decision": decision.id, "before": [summary(&tx, a)?, summary(&tx, b)?], "after": "distinct" });
        audit::append(&tx, &actor, "person.distinct", &format!("person-{a}"), &detail)?;
        tx.commit()?;
        Ok(decision)
    }

    /// Marks a person public (or takes the mark back), audited.
    pub(crate) fn set_public(&mut self, person: &str, on: bool) -> Result<()> {
        let actor = self.actor.clone();
        let tx = self.db.begin_write()?;
        let p = person_id(&tx, person)?;
        let changed = if on {
            tx.exec("INSERT INTO person_public (person_id, actor, at) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING", &[&p, &actor, &now()])?
        } else {
            tx.exec("DELETE FROM person_public WHERE person_id = ?1", &[&p])?
        };
        if changed == 0 {
            return Err(StoreError::Refused(format!("person-{p} is {} marked public", if on { "already" } else { "not" })));
        }
        audit::append(&tx, &actor, "person.public", &format!("person-{p}"), &json!({ "before": !on, "after": on }))?;
        tx.commit()
    }

    pub(crate) fn read_decisions(&self) -> Result<Vec<DecisionRecord>> {
        let rows = self.db.rows("SELECT id, kind, actor, at, detail FROM decisions ORDER BY id", &[])?;
        rows.iter().map(|r| Ok(DecisionRecord { id: r.get(0)?, kind: r.get(1)?, actor: r.get(2)?, at: r.get(3)?, detail: r.get(4)? })).collect()
    }
}
