//! What the analysts' workspace reads and writes beyond exports: events by
//! filter (for lists, dossiers and the review queue), an event's review and
//! correction, a document's mentions for highlighting.

use super::{access::redact, audit, opt_date, SqlStore, HIDDEN_DOCS, HIDDEN_EVENTS, HIDDEN_PERSONS};
use crate::{EntityMention, EventCorrection, EventFilter, EventRecord, Result, Role, SourceRecord, StoreError};
use chronicle_model::Review;
use crate::db::{Db, Row, ToValue};
use serde_json::{json, Value};
use std::collections::HashMap;

/// The columns of `events` an [`EventRecord`] is read from, in order.
pub(crate) const EVENT_COLUMNS: &str =
    "e.id, e.type, e.date, e.place, e.country, e.to_country, e.term_years, e.regime, e.charges, e.confidence, e.review";

/// An event row without its participants and sources.
pub(crate) fn event_row(r: &Row) -> Result<EventRecord> {
    let id: String = r.get(0)?;
    let kind: String = r.get(1)?;
    let charges: String = r.get(8)?;
    let review: String = r.get(10)?;
    let (date, place, country, to_country, term_years, regime, confidence) =
        (r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?, r.get(9)?);
    Ok(EventRecord {
            kind: kind.parse().map_err(|e| StoreError::Corrupt(format!("event {id}: {e}")))?,
            date: opt_date(date),
            place,
            country,
            to_country,
            victims: Vec::new(),
            perpetrators: Vec::new(),
            term_years,
            regime,
            charges: serde_json::from_str(&charges).map_err(|e| StoreError::Corrupt(format!("event {id}: charges: {e}")))?,
            confidence,
            review: review.parse().map_err(|e| StoreError::Corrupt(format!("event {id}: {e}")))?,
            sources: Vec::new(),
            id,
        })
}

/// Applies an analyst's correction (as stored: JSON) to an event row.
pub(crate) fn apply_correction(db: &Db, id: &str, corrected: &Value) -> Result<()> {
    for (field, column) in [("type", "type"), ("date", "date"), ("place", "place"), ("country", "country"), ("to_country", "to_country")] {
        if let Some(v) = corrected.get(field).and_then(Value::as_str) {
            db.exec(&format!("UPDATE events SET {column} = ?1 WHERE id = ?2"), &[&v, &id])?;
        }
    }
    Ok(())
}

impl SqlStore {
    pub(crate) fn read_events_where(&self, f: &EventFilter) -> Result<Vec<EventRecord>> {
        let limited = self.refresh_hidden()?;
        let mut sql = format!("SELECT {EVENT_COLUMNS} FROM events e JOIN documents d ON d.id = e.document_id WHERE e.id NOT IN {HIDDEN_EVENTS}");
        let mut args: Vec<String> = Vec::new();
        let mut cond = |clause: &str, value: String| {
            args.push(value);
            sql.push_str(&format!(" AND {clause} ?{}", args.len()));
        };
        if let Some(k) = f.kind {
            cond("e.type =", k.as_str().to_string());
        }
        if let Some(c) = &f.country {
            cond("e.country =", c.clone());
        }
        if let Some(y) = f.year {
            cond("substr(e.date, 1, 4) =", format!("{y:04}"));
        }
        if let Some(d) = &f.document {
            cond("e.document_id =", d.clone());
        }
        if let Some(r) = f.review {
            cond("e.review =", r.as_str().to_string());
        }
        if !f.documents.is_empty() {
            let first = args.len() + 1;
            args.extend(f.documents.iter().cloned());
            let marks: Vec<String> = (first..first + f.documents.len()).map(|i| format!("?{i}")).collect();
            sql.push_str(&format!(" AND e.document_id IN ({})", marks.join(", ")));
        }
        if let Some(p) = &f.person {
            // A person hidden from this reader is not found, as one never on record
            // (their events would tie the masked co-victims to them). The id is a
            // parsed integer, written into the statement so that the index on person_id serves it.
            let n = super::decisions::person_id(&self.db, p)?;
            sql.push_str(&format!(" AND e.id IN (SELECT event_id FROM event_participants WHERE person_id = {n})"));
        }
        sql.push_str(if f.least_confident_first {
            " ORDER BY COALESCE(e.confidence, 0), d.source, e.ordinal"
        } else {
            " ORDER BY COALESCE(e.date, d.published, ''), d.source, e.ordinal"
        });
        if f.limit.is_some() || f.offset > 0 {
            sql.push_str(&format!(" LIMIT {} OFFSET {}", f.limit.map_or(i64::MAX, |l| l as i64), f.offset));
        }
        let args: Vec<&dyn ToValue> = args.iter().map(|a| a as &dyn ToValue).collect();
        let rows: Vec<EventRecord> = self.db.rows(&sql, &args)?.iter().map(event_row).collect::<Result<_>>()?;
        if f.brief {
            return Ok(rows);
        }
        let masking = if limited { self.masking()? } else { Default::default() };
        // The places to mask in each document quoted, found as its sources come.
        let mut masks: HashMap<String, Vec<(usize, usize)>> = HashMap::new();
        let mut out = Vec::with_capacity(rows.len());
        for mut e in rows {
            let parts = self.db.rows(
                &format!(
                    "SELECT p.role, p.person_id, o.key FROM event_participants p LEFT JOIN organizations o ON o.id = p.org_id
                     WHERE p.event_id = ?1 AND (p.person_id IS NULL OR p.person_id NOT IN {HIDDEN_PERSONS}) ORDER BY p.role, p.position"
                ),
                &[&e.id],
            )?;
            for row in parts {
                let (role, person, org): (String, Option<i64>, Option<String>) = (row.get(0)?, row.get(1)?, row.get(2)?);
                let id = match (person, org) {
                    (Some(p), _) => format!("person-{p}"),
                    (None, Some(k)) => format!("org-{k}"),
                    _ => continue,
                };
                let list = if role == "victim" { &mut e.victims } else { &mut e.perpetrators };
                if !list.contains(&id) {
                    list.push(id);
                }
            }
            let sources = self.db.rows(
                &format!("SELECT document_id, start, \"end\", quote FROM event_sources WHERE event_id = ?1 AND document_id NOT IN {HIDDEN_DOCS} ORDER BY start"),
                &[&e.id],
            )?;
            for r in sources {
                let mut s = SourceRecord { document: r.get(0)?, start: r.get(1)?, end: r.get(2)?, quote: r.get(3)? };
                if !masking.is_empty() {
                    if !masks.contains_key(&s.document) {
                        let spans = self.text_masks(&masking, Some(std::slice::from_ref(&s.document)))?.remove(&s.document).unwrap_or_default();
                        masks.insert(s.document.clone(), spans);
                    }
                    s.quote = redact(&s.quote, s.start, &masks[&s.document]);
                }
                e.sources.push(s);
            }
            out.push(e);
        }
        Ok(out)
    }

    fn event_by_id(&self, id: &str) -> Result<Option<EventRecord>> {
        let document = id.rsplit_once("-e").map(|(d, _)| d.to_string());
        Ok(self.read_events_where(&EventFilter { document, ..Default::default() })?.into_iter().find(|e| e.id == id))
    }

    pub(crate) fn set_review(&mut self, id: &str, review: Review, correction: &EventCorrection) -> Result<EventRecord> {
        self.require(Role::Editor, "review events")?;
        let before = self.event_by_id(id)?.ok_or_else(|| StoreError::NotFound(format!("no event {id} on record")))?;
        let review = if correction.is_empty() { review } else { Review::Confirmed };
        let actor = self.actor.clone();
        let tx = self.db.begin_write()?;
        tx.exec("UPDATE events SET review = ?1 WHERE id = ?2", &[&review.as_str(), &id])?;
        if !correction.is_empty() {
            let old: Option<String> = tx.one("SELECT corrected FROM events WHERE id = ?1", &[&id])?;
            let mut corrected: Value = old.and_then(|o| serde_json::from_str(&o).ok()).unwrap_or_else(|| json!({}));
            let fields = [
                ("type", correction.kind.map(|k| k.as_str().to_string())),
                ("date", correction.date.map(|d| d.to_string())),
                ("place", correction.place.clone()),
                ("country", correction.country.clone()),
                ("to_country", correction.to_country.clone()),
            ];
            for (field, value) in fields {
                if let Some(v) = value {
                    corrected[field] = Value::String(v);
                }
            }
            apply_correction(&tx, id, &corrected)?;
            tx.exec("UPDATE events SET corrected = ?1 WHERE id = ?2", &[&corrected.to_string(), &id])?;
        }
        let summary = |e: &EventRecord| {
            json!({ "type": e.kind.as_str(), "date": e.date.map(|d| d.to_string()), "place": e.place, "country": e.country,
                    "to_country": e.to_country, "review": e.review.as_str() })
        };
        let mut after = summary(&before);
        let changed: Option<String> = tx.one("SELECT corrected FROM events WHERE id = ?1", &[&id])?;
        if let Some(Value::Object(fields)) = changed.and_then(|c| serde_json::from_str(&c).ok()) {
            for (k, v) in fields {
                after[k] = v;
            }
        }
        after["review"] = json!(review.as_str());
        audit::append(&tx, &actor, "event.review", id, &json!({ "before": summary(&before), "after": after }))?;
        tx.commit()?;
        let after = self.event_by_id(id)?.ok_or_else(|| StoreError::NotFound(format!("no event {id} on record")))?;
        Ok(after)
    }

    pub(crate) fn read_document_mentions(&self, document: &str) -> Result<Vec<EntityMention>> {
        self.refresh_hidden()?;
        let rows = self.db.rows(
            &format!(
                "SELECT m.person_id, o.key, m.text, m.start, m.\"end\" FROM mentions m LEFT JOIN organizations o ON o.id = m.org_id
                 WHERE m.document_id = ?1 AND m.document_id NOT IN {HIDDEN_DOCS}
                 AND (m.person_id IS NULL OR m.person_id NOT IN {HIDDEN_PERSONS}) ORDER BY m.start"
            ),
            &[&document],
        )?;
        let mut out = Vec::new();
        for row in rows {
            let (person, org, text, start, end): (Option<i64>, Option<String>, String, usize, usize) =
                (row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?, row.get(4)?);
            let entity = match (person, org) {
                (Some(p), _) => format!("person-{p}"),
                (None, Some(k)) => format!("org-{k}"),
                _ => continue,
            };
            out.push(EntityMention { entity, text, start, end });
        }
        Ok(out)
    }
}
