//! Tags analysts give reports as they ingest them (`chronicle ingest --tag
//! kazan-2024`): kept beside the document, audited, seen only with it.

use super::{audit, now, SqlStore};
use crate::{Result, StoreError};
use serde_json::json;

/// The longest tag kept, in characters.
pub const MAX_TAG_CHARS: usize = 100;

/// A tag as kept: trimmed, lower-case, of letters, digits and `-_.:/`.
pub fn tag_of(raw: &str) -> Result<String> {
    let tag = raw.trim().to_lowercase();
    let fits = |c: char| c.is_alphanumeric() || "-_.:/".contains(c);
    if tag.is_empty() || tag.chars().count() > MAX_TAG_CHARS || !tag.chars().all(fits) {
        return Err(StoreError::Refused(format!(
            "{:?} is not a tag: letters, digits and - _ . : / only, {MAX_TAG_CHARS} at most",
            raw.chars().take(40).collect::<String>()
        )));
    }
    Ok(tag)
}

impl SqlStore {
    pub(crate) fn add_tags(&mut self, document: &str, tags: &[String]) -> Result<()> {
        let tags: Vec<String> = tags.iter().map(|t| tag_of(t)).collect::<Result<_>>()?;
        let actor = self.actor.clone();
        let tx = self.db.begin_write()?;
        if !tx.one::<bool>(&format!("SELECT EXISTS (SELECT 1 FROM documents WHERE id = ?1 AND id NOT IN {})", super::HIDDEN_DOCS), &[&document])? {
            return Err(StoreError::NotFound(format!("no document {document} on record")));
        }
        let mut added = Vec::new();
        for t in &tags {
            if tx.exec("INSERT INTO document_tags (document_id, tag) VALUES (?1, ?2) ON CONFLICT DO NOTHING", &[&document, t])? == 1 {
                added.push(t.clone());
            }
        }
        if !added.is_empty() {
            audit::append(&tx, &actor, "document.tag", document, &json!({ "tags": added, "at": now() }))?;
        }
        tx.commit()
    }

    pub(crate) fn read_tags(&self, document: &str) -> Result<Vec<String>> {
        self.refresh_hidden()?;
        let sql = format!("SELECT tag FROM document_tags WHERE document_id = ?1 AND document_id NOT IN {} ORDER BY tag", super::HIDDEN_DOCS);
        self.db.col(&sql, &[&document])
    }
}
