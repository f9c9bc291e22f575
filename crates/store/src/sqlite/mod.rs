//! The embedded store: one SQLite file.

mod access;
mod audit;
mod crypt;
mod decisions;
mod review;
mod write;

pub use crypt::{is_encrypted, StoreKey};
pub use access::{redact, MASK};
pub use audit::entry_hash as audit_entry_hash;

use crate::{
    EntityMention, EventCorrection, EventFilter, Access, Added, RecordRef, Restriction, Role, UserRecord, AuditEntry, DecisionRecord, DocumentRecord, EventRecord, LinkRecord, MentionRecord, MentionSelector, OrgRecord, PersonRecord, Result,
    SearchHit, SourceRecord, Stats, Store, StoreError,
};
use chronicle_link::names::fold;
use chronicle_model::{Document, EventType, Extraction, PersonStatus};
use rusqlite::{params, Connection, OptionalExtension};
use serde_json::json;
use std::collections::HashMap;
use std::path::Path;

/// Schema migrations, applied in order; the store's `user_version` is the count applied.
const MIGRATIONS: &[&str] = &[
    include_str!("../../migrations/sqlite/0001_initial.sql"),
    include_str!("../../migrations/sqlite/0002_linking_decisions_audit.sql"),
    include_str!("../../migrations/sqlite/0003_audit_append_only.sql"),
    include_str!("../../migrations/sqlite/0004_accounts_restricted.sql"),
    include_str!("../../migrations/sqlite/0005_review_tokens.sql"),
];

/// The time now, as recorded in the store.
pub(crate) fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

pub struct SqliteStore {
    conn: Connection,
    /// Who writes are recorded as.
    actor: String,
    /// The SQLCipher key of an encrypted store (derived, never the passphrase), and its salt.
    key_spec: Option<String>,
    salt: Option<[u8; 16]>,
    path: String,
    /// Whose eyes reads are for, and what changes they may make.
    access: Access,
}

impl SqliteStore {
    /// Opens (creating if needed) the plain store at `path` and brings its schema up to date.
    pub fn open(path: impl AsRef<Path>) -> Result<Self> {
        Self::open_with(path, None)
    }

    /// Opens (creating if needed) the store at `path`: encrypted when it is
    /// (the key is then needed) or when it is new and a key is given.
    pub fn open_with(path: impl AsRef<Path>, key: Option<&StoreKey>) -> Result<Self> {
        let path = path.as_ref();
        let path_str = path.display().to_string();
        let kind = crypt::file_kind(path).map_err(|e| StoreError::Io { path: path_str.clone(), source: e })?;
        let salt = match (kind, key) {
            (crypt::FileKind::Encrypted(_), None) => return Err(StoreError::Locked { path: path_str }),
            (crypt::FileKind::Plain, Some(_)) => return Err(StoreError::NotEncrypted { path: path_str }),
            (crypt::FileKind::Encrypted(salt), Some(_)) => Some(salt),
            (crypt::FileKind::New, Some(_)) => Some(crypt::new_salt()),
            (crypt::FileKind::Plain | crypt::FileKind::New, None) => None,
        };
        let conn = Connection::open(path).map_err(|source| StoreError::Open { path: path_str.clone(), source })?;
        let spec = match (key, salt) {
            (Some(k), Some(salt)) => {
                let spec = crypt::key_spec(k, &salt)?;
                crypt::apply_key(&conn, &spec)?;
                // The first read tells whether the key fits.
                if conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get::<_, i64>(0)).is_err() {
                    return Err(StoreError::WrongKey { path: path_str });
                }
                Some(spec)
            }
            _ => None,
        };
        let mut store = Self::init(conn, &path_str, spec)?;
        store.salt = salt;
        Ok(store)
    }

    /// Creates a new encrypted store at `path`; refuses an existing file.
    pub fn create_encrypted(path: impl AsRef<Path>, key: &StoreKey) -> Result<Self> {
        let path = path.as_ref();
        if !matches!(crypt::file_kind(path), Ok(crypt::FileKind::New)) {
            return Err(StoreError::Refused(format!("{} already exists; an existing store is encrypted with `chronicle encrypt`", path.display())));
        }
        Self::open_with(path, Some(key))
    }

    /// A store in memory, for tests and dry runs.
    pub fn open_in_memory() -> Result<Self> {
        Self::init(Connection::open_in_memory()?, ":memory:", None)
    }

    fn init(conn: Connection, path: &str, key_spec: Option<String>) -> Result<Self> {
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        // WAL keeps readers and the writer apart; NORMAL sync is durable against process kills.
        conn.pragma_update(None, "journal_mode", "WAL").map_err(|source| StoreError::Open { path: path.into(), source })?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // Sorting and temporary tables stay in memory: no plain temporary files beside the store.
        conn.pragma_update(None, "temp_store", "MEMORY")?;
        let mut store = SqliteStore { conn, actor: "chronicle".to_string(), key_spec, salt: None, path: path.to_string(), access: Access::Owner };
        store.migrate(path)?;
        store.conn.execute_batch(access::TEMP_TABLES)?;
        Ok(store)
    }

    /// Another connection to the same store file, with the same key (not
    /// derived again) and the same reader: for a pool of connections.
    pub fn reopen(&self) -> Result<Self> {
        if self.path == ":memory:" {
            return Err(StoreError::Refused("a store in memory cannot be opened twice".into()));
        }
        let conn = Connection::open(&self.path).map_err(|source| StoreError::Open { path: self.path.clone(), source })?;
        if let Some(spec) = &self.key_spec {
            crypt::apply_key(&conn, spec)?;
        }
        let mut store = Self::init(conn, &self.path, self.key_spec.clone())?;
        store.salt = self.salt;
        store.actor = self.actor.clone();
        store.access = self.access.clone();
        Ok(store)
    }

    /// Whether this store is encrypted.
    pub fn is_encrypted(&self) -> bool {
        self.key_spec.is_some()
    }

    /// Changes the key of an encrypted store.
    pub fn rekey(&mut self, new: &StoreKey) -> Result<()> {
        let Some(salt) = self.salt else { return Err(StoreError::NotEncrypted { path: self.path.clone() }) };
        // The salt stays; only the key changes.
        let spec = crypt::key_spec(new, &salt)?;
        // SQLCipher re-encrypts in rollback-journal mode.
        self.conn.pragma_update(None, "journal_mode", "DELETE")?;
        crypt::rekey(&self.conn, &spec)?;
        self.conn.pragma_update(None, "journal_mode", "WAL")?;
        self.key_spec = Some(spec);
        let actor = self.actor.clone();
        let tx = self.conn.transaction()?;
        audit::append(&tx, &actor, "store.rekey", &self.path, &json!({ "encrypted": true }))?;
        tx.commit()?;
        Ok(())
    }

    /// Writes a consistent copy of the store, while it is in use, to `target`
    /// (a new file), encrypted with the store's own key when the store is.
    pub fn backup_to(&self, target: &Path) -> Result<()> {
        if !matches!(crypt::file_kind(target), Ok(crypt::FileKind::New)) {
            return Err(StoreError::Refused(format!("{} already exists; a backup is written to a new file", target.display())));
        }
        let mut dst = Connection::open(target).map_err(|source| StoreError::Open { path: target.display().to_string(), source })?;
        if let Some(spec) = &self.key_spec {
            crypt::apply_key(&dst, spec)?;
        }
        {
            let backup = rusqlite::backup::Backup::new(&self.conn, &mut dst)?;
            backup.run_to_completion(256, std::time::Duration::from_millis(0), None)?;
        }
        drop(dst);
        Ok(())
    }

    /// Replaces the store at `path` with the backup at `backup`, after
    /// checking that the backup opens with `key`, is sound and that its audit
    /// chain verifies. Returns the number of audit entries verified.
    pub fn restore(backup: &Path, path: &Path, key: Option<&StoreKey>) -> Result<usize> {
        let source = Self::open_with(backup, key)?;
        source.check_integrity().map_err(|e| StoreError::Corrupt(format!("{}: {e}", backup.display())))?;
        let verified = source.verify_audit()?.map_err(|b| StoreError::Corrupt(format!("{}: {b}", backup.display())))?;
        let staging = path.with_extension("restoring");
        let _ = std::fs::remove_file(&staging);
        source.backup_to(&staging)?;
        drop(source);
        for suffix in ["-wal", "-shm"] {
            let side = format!("{}{suffix}", path.display());
            match std::fs::remove_file(&side) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(StoreError::Io { path: side, source: e }),
            }
        }
        std::fs::rename(&staging, path).map_err(|e| StoreError::Io { path: path.display().to_string(), source: e })?;
        let mut restored = Self::open_with(path, key)?;
        let tx = restored.conn.transaction()?;
        audit::append(&tx, "chronicle", "store.restore", &path.display().to_string(), &json!({ "from": backup.display().to_string(), "verified_entries": verified }))?;
        tx.commit()?;
        Ok(verified)
    }

    fn migrate(&mut self, path: &str) -> Result<()> {
        let version: i64 = self.conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        let known = MIGRATIONS.len() as i64;
        if version > known {
            return Err(StoreError::TooNew { path: path.into(), found: version, known });
        }
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
            let tx = self.conn.transaction()?;
            tx.execute_batch(sql)?;
            if i + 1 == 2 {
                // Blocking keys and name counts are computed, not declared.
                write::rebuild_link_index(&tx)?;
            }
            tx.pragma_update(None, "user_version", (i + 1) as i64)?;
            tx.commit()?;
            tracing::info!(version = i + 1, "applied store migration");
        }
        Ok(())
    }

    /// The schema version of the open store.
    pub fn schema_version(&self) -> Result<i64> {
        Ok(self.conn.query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }

    /// Masks, in documents' texts, what the reader may not see.
    fn redact_texts(&self, docs: &mut [DocumentRecord]) -> Result<()> {
        let redactions = self.redactions()?;
        for d in docs {
            if let Some(spans) = redactions.get(&d.document.id) {
                d.document.text = redact(&d.document.text, 0, spans);
            }
        }
        Ok(())
    }

    fn mentions_of(&self, column: &str, id: i64) -> Result<Vec<MentionRecord>> {
        let sql = format!(
            "SELECT document_id, text, start, end FROM mentions WHERE {column} = ?1 AND document_id NOT IN temp.hidden_docs ORDER BY document_id, start"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map([id], |r| {
            Ok(MentionRecord { document: r.get(0)?, text: r.get(1)?, start: r.get::<_, i64>(2)? as usize, end: r.get::<_, i64>(3)? as usize })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn person_record(&self, id: i64, name: String, status: &HashMap<i64, PersonStatus>) -> Result<PersonRecord> {
        let mentions = self.mentions_of("person_id", id)?;
        let mut names_stmt = self.conn.prepare_cached("SELECT name FROM person_names WHERE person_id = ?1 ORDER BY name")?;
        let mut names: Vec<String> = names_stmt.query_map([id], |r| r.get(0))?.collect::<Result<_, _>>()?;
        let mut name = name;
        let partly_hidden: bool = self.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM mentions WHERE person_id = ?1 AND document_id IN temp.hidden_docs)",
            [id],
            |r| r.get(0),
        )?;
        if partly_hidden {
            // Only the spellings of the documents this reader sees.
            names.retain(|n| mentions.iter().any(|m| &m.text == n));
            if !names.contains(&name) {
                name = names.iter().max_by_key(|t| (t.split_whitespace().count(), t.chars().count())).cloned().unwrap_or_default();
            }
        }
        let mut attrs = self.conn.prepare_cached(
            "SELECT a.kind, a.value FROM person_attributes a JOIN documents d ON d.id = a.document_id
             WHERE a.person_id = ?1 AND d.id NOT IN temp.hidden_docs ORDER BY d.published, d.source, a.rowid",
        )?;
        let mut age = None;
        let mut birth_year = None;
        let mut nationality: Vec<String> = Vec::new();
        let mut occupation: Vec<String> = Vec::new();
        for row in attrs.query_map([id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))? {
            let (kind, value) = row?;
            match kind.as_str() {
                // The latest report's figure wins.
                "age" => age = value.parse().ok(),
                "birth_year" => birth_year = value.parse().ok(),
                "nationality" if !nationality.contains(&value) => nationality.push(value),
                "occupation" if !occupation.contains(&value) => occupation.push(value),
                _ => {}
            }
        }
        Ok(PersonRecord {
            id: format!("person-{id}"),
            name,
            names,
            mentions,
            age,
            birth_year,
            nationality,
            occupation,
            status: status.get(&id).copied(),
            relations: self.relations_of(id)?,
            links: self.links_of(id)?,
        })
    }

    fn links_of(&self, id: i64) -> Result<Vec<LinkRecord>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT l.document_id, l.score, l.evidence FROM person_links l JOIN documents d ON d.id = l.document_id
             WHERE l.person_id = ?1 AND d.id NOT IN temp.hidden_docs ORDER BY d.published, d.source, l.local_index",
        )?;
        let rows = stmt.query_map([id], |r| Ok(LinkRecord { document: r.get(0)?, score: r.get(1)?, evidence: r.get(2)? }))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn relations_of(&self, id: i64) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT DISTINCT relation FROM person_relations WHERE person_id = ?1 AND document_id NOT IN temp.hidden_docs ORDER BY relation",
        )?;
        let rows = stmt.query_map([id], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The latest known status of each person (or of those given), from the events they suffered.
    fn statuses(&self, only: Option<&[i64]>) -> Result<HashMap<i64, PersonStatus>> {
        let which = match only {
            // Parsed integers: safe to write into the statement, where the index on person_id serves them.
            Some(ids) => format!("p.person_id IN ({})", ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")),
            None => "p.person_id IS NOT NULL".to_string(),
        };
        let mut stmt = self.conn.prepare(&format!(
            "SELECT p.person_id, e.type FROM event_participants p
             JOIN events e ON e.id = p.event_id JOIN documents d ON d.id = e.document_id
             WHERE p.role = 'victim' AND {which} AND e.review <> 'rejected' AND e.id NOT IN temp.hidden_events
             ORDER BY COALESCE(e.date, d.published, ''), d.published, d.source, e.ordinal",
        ))?;
        let mut out = HashMap::new();
        for row in stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))? {
            let (person, kind) = row?;
            if let Some(s) = kind.parse::<EventType>().ok().and_then(PersonStatus::after) {
                out.insert(person, s);
            }
        }
        Ok(out)
    }

    fn read_persons(&self, sql: &str, params: &[&dyn rusqlite::ToSql]) -> Result<Vec<PersonRecord>> {
        let mut stmt = self.conn.prepare(sql)?;
        let rows: Vec<(i64, String)> = stmt.query_map(params, |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<Result<_, _>>()?;
        // A few persons: their statuses alone; many: everyone's in one pass.
        let ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
        let status = self.statuses((ids.len() <= 200).then_some(ids.as_slice()))?;
        rows.into_iter().map(|(id, name)| self.person_record(id, name, &status)).collect()
    }
}

/// A passage of `text` around the first of `terms` it contains, with every
/// occurrence of a term in it between `[` and `]`; None when `text` lacks
/// any of the terms (each must be there, as in the full-text query).
fn snippet(text: &str, terms: &[String]) -> Option<String> {
    let lower = text.to_lowercase();
    // Lower-casing may change byte lengths; work on it only when it does not.
    if lower.len() != text.len() {
        return terms.iter().all(|t| lower.contains(t.as_str())).then(|| text.chars().take(160).collect());
    }
    let mut first = usize::MAX;
    for t in terms {
        first = first.min(lower.find(t.as_str())?);
    }
    let floor = |mut i: usize| {
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let start = floor(first.saturating_sub(80));
    let end = floor((first + 120).min(text.len()));
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    let mut i = start;
    while i < end {
        match terms.iter().find(|t| lower[i..].starts_with(t.as_str()) && i + t.len() <= end) {
            Some(t) => {
                out.push('[');
                out.push_str(&text[i..i + t.len()]);
                out.push(']');
                i += t.len();
            }
            None => {
                let c = text[i..].chars().next().unwrap_or(' ');
                out.push(c);
                i += c.len_utf8();
            }
        }
    }
    if end < text.len() {
        out.push('…');
    }
    Some(out)
}

fn opt_date(s: Option<String>) -> Option<chronicle_model::PartialDate> {
    s.and_then(|s| s.parse().ok())
}

impl Store for SqliteStore {
    fn contains(&self, sha256: &str) -> Result<bool> {
        Ok(self.conn.query_row("SELECT 1 FROM documents WHERE sha256 = ?1", [sha256], |_| Ok(())).optional()?.is_some())
    }

    fn add_document(&mut self, doc: &Document, original: &[u8], ex: &Extraction, extractor: &str) -> Result<Added> {
        self.require(Role::Editor, "ingest reports")?;
        self.refresh_hidden()?;
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let present: Option<(String, bool)> = tx
            .query_row("SELECT source, id IN temp.hidden_docs FROM documents WHERE sha256 = ?1", [&doc.sha256], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        if let Some((source, hidden)) = present {
            // Where a restricted document came from is not told.
            return Ok(Added::AlreadyPresent { source: if hidden { "a restricted document".into() } else { source } });
        }
        tx.execute(
            "INSERT INTO documents (id, sha256, source, title, published, language, publisher, text, original, ingested_at, extractor)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            params![doc.id, doc.sha256, doc.source, doc.title, doc.published.map(|d| d.to_string()), doc.language, doc.publisher, doc.text, original, now(), extractor],
        )?;
        let written = write::write_extraction(&tx, &doc.id, doc.published.map(|d| d.year), ex)?;
        audit::append(
            &tx,
            &self.actor,
            "document.ingest",
            &doc.id,
            &json!({ "source": doc.source, "sha256": doc.sha256, "extractor": extractor,
                     "persons": ex.persons.len(), "linked": written.linked, "events": ex.events.len() }),
        )?;
        tx.commit()?;
        Ok(Added::New { persons_linked: written.linked, persons_created: written.created, events: ex.events.len() })
    }

    fn documents(&self) -> Result<Vec<DocumentRecord>> {
        let limited = self.refresh_hidden()?;
        let mut stmt = self.conn.prepare(
            "SELECT id, source, sha256, title, published, language, publisher, text, ingested_at FROM documents
             WHERE id NOT IN temp.hidden_docs ORDER BY source, id",
        )?;
        let mut docs: Vec<DocumentRecord> = stmt.query_map([], doc_row)?.collect::<Result<_, _>>()?;
        if limited {
            self.redact_texts(&mut docs)?;
        }
        Ok(docs)
    }

    fn document(&self, id: &str) -> Result<Option<DocumentRecord>> {
        let limited = self.refresh_hidden()?;
        let mut doc = self
            .conn
            .query_row(
                "SELECT id, source, sha256, title, published, language, publisher, text, ingested_at FROM documents
                 WHERE id = ?1 AND id NOT IN temp.hidden_docs",
                [id],
                doc_row,
            )
            .optional()?;
        if let (Some(d), true) = (&mut doc, limited) {
            self.redact_texts(std::slice::from_mut(d))?;
        }
        Ok(doc)
    }

    fn original(&self, id: &str) -> Result<Option<Vec<u8>>> {
        if self.refresh_hidden()? && self.redactions()?.contains_key(id) {
            return Err(StoreError::Refused(format!("the original of {id} names a restricted record; only its redacted text can be shown")));
        }
        Ok(self.conn.query_row("SELECT original FROM documents WHERE id = ?1 AND id NOT IN temp.hidden_docs", [id], |r| r.get(0)).optional()?)
    }

    fn persons(&self) -> Result<Vec<PersonRecord>> {
        self.refresh_hidden()?;
        self.read_persons("SELECT id, name FROM persons WHERE id NOT IN temp.hidden_persons ORDER BY id", &[])
    }

    fn organizations(&self) -> Result<Vec<OrgRecord>> {
        let limited = self.refresh_hidden()?;
        let mut stmt = self.conn.prepare("SELECT id, key, name, category, country FROM organizations ORDER BY key")?;
        let rows: Vec<(i64, String, String, Option<String>, Option<String>)> =
            stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))?.collect::<Result<_, _>>()?;
        let mut out = Vec::with_capacity(rows.len());
        for (id, key, name, category, country) in rows {
            let mentions = self.mentions_of("org_id", id)?;
            if limited && mentions.is_empty() {
                // Named only in documents this reader does not see.
                continue;
            }
            out.push({
                let mut names = vec![name.clone()];
                for m in &mentions {
                    if !names.contains(&m.text) {
                        names.push(m.text.clone());
                    }
                }
                OrgRecord { id: format!("org-{key}"), name, names, mentions, category: category.and_then(|c| c.parse().ok()), country }
            });
        }
        Ok(out)
    }

    fn events(&self) -> Result<Vec<EventRecord>> {
        let limited = self.refresh_hidden()?;
        let redactions = if limited { self.redactions()? } else { Default::default() };
        let mut participants: HashMap<String, (Vec<String>, Vec<String>)> = HashMap::new();
        {
            let mut stmt = self.conn.prepare(
                "SELECT p.event_id, p.role, p.person_id, o.key FROM event_participants p
                 LEFT JOIN organizations o ON o.id = p.org_id
                 WHERE p.person_id IS NULL OR p.person_id NOT IN temp.hidden_persons ORDER BY p.event_id, p.role, p.position",
            )?;
            for row in stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, Option<i64>>(2)?, r.get::<_, Option<String>>(3)?)))? {
                let (event, role, person, org) = row?;
                let id = match (person, org) {
                    (Some(p), _) => format!("person-{p}"),
                    (None, Some(k)) => format!("org-{k}"),
                    _ => continue,
                };
                let entry = participants.entry(event).or_default();
                let list = if role == "victim" { &mut entry.0 } else { &mut entry.1 };
                if !list.contains(&id) {
                    list.push(id);
                }
            }
        }
        let mut sources: HashMap<String, Vec<SourceRecord>> = HashMap::new();
        {
            let mut stmt = self.conn.prepare(
                "SELECT event_id, document_id, start, end, quote FROM event_sources WHERE document_id NOT IN temp.hidden_docs ORDER BY event_id, start",
            )?;
            for row in stmt.query_map([], |r| {
                Ok((r.get::<_, String>(0)?, SourceRecord { document: r.get(1)?, start: r.get::<_, i64>(2)? as usize, end: r.get::<_, i64>(3)? as usize, quote: r.get(4)? }))
            })? {
                let (event, mut s) = row?;
                if let Some(spans) = redactions.get(&s.document) {
                    s.quote = redact(&s.quote, s.start, spans);
                }
                sources.entry(event).or_default().push(s);
            }
        }
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {} FROM events e JOIN documents d ON d.id = e.document_id WHERE e.id NOT IN temp.hidden_events ORDER BY d.source, d.id, e.ordinal",
            review::EVENT_COLUMNS
        ))?;
        let rows = stmt.query_map([], review::event_row)?;
        let mut out = Vec::new();
        for row in rows {
            let mut e = row??;
            (e.victims, e.perpetrators) = participants.remove(&e.id).unwrap_or_default();
            e.sources = sources.remove(&e.id).unwrap_or_default();
            out.push(e);
        }
        Ok(out)
    }

    fn find_persons(&self, query: &str) -> Result<Vec<PersonRecord>> {
        let limited = self.refresh_hidden()?;
        let folded = fold(query);
        let pattern = format!("%{folded}%");
        let mut found = self.read_persons(
            "SELECT DISTINCT p.id, p.name FROM persons p JOIN person_names n ON n.person_id = p.id
             WHERE n.folded LIKE ?1 AND p.id NOT IN temp.hidden_persons ORDER BY p.id",
            &[&pattern],
        )?;
        if limited {
            // Found by a spelling this reader may see, not by one from a hidden document.
            found.retain(|p| p.names.iter().any(|n| fold(n).contains(&folded)));
        }
        Ok(found)
    }

    fn search(&self, query: &str, limit: usize) -> Result<Vec<SearchHit>> {
        // Each word is a quoted term, so user input never reaches FTS5's query syntax.
        let fts_query = query
            .split_whitespace()
            .map(|w| format!("\"{}\"", w.replace('"', "")))
            .filter(|w| w != "\"\"")
            .collect::<Vec<_>>()
            .join(" ");
        if fts_query.is_empty() {
            return Ok(Vec::new());
        }
        let limited = self.refresh_hidden()?;
        let redactions = if limited { self.redactions()? } else { Default::default() };
        let mut stmt = self.conn.prepare(
            "SELECT d.id, d.source, d.title, snippet(documents_fts, 1, '[', ']', '…', 16), d.text
             FROM documents_fts JOIN documents d ON d.rowid = documents_fts.rowid
             WHERE documents_fts MATCH ?1 AND d.id NOT IN temp.hidden_docs ORDER BY rank LIMIT ?2",
        )?;
        // Some hits may fall away below: ask for a few more.
        let asked = if redactions.is_empty() { limit } else { limit.saturating_mul(2) + 10 };
        let rows = stmt.query_map(params![fts_query, asked as i64], |r| {
            Ok((SearchHit { document: r.get(0)?, source: r.get(1)?, title: r.get(2)?, snippet: r.get(3)? }, r.get::<_, String>(4)?))
        })?;
        let terms: Vec<String> = query.split_whitespace().map(|w| w.replace('"', "").to_lowercase()).filter(|w| !w.is_empty()).collect();
        let mut hits = Vec::new();
        for row in rows {
            let (mut hit, text) = row?;
            if let Some(spans) = redactions.get(&hit.document) {
                // Matched only where this reader sees the words, and the passage shown is the redacted one.
                match snippet(&redact(&text, 0, spans), &terms) {
                    Some(s) => hit.snippet = s,
                    None => continue,
                }
            }
            hits.push(hit);
            if hits.len() == limit {
                break;
            }
        }
        Ok(hits)
    }

    fn stats(&self) -> Result<Stats> {
        let count = |sql: &str| -> Result<usize> { Ok(self.conn.query_row(sql, [], |r| r.get::<_, i64>(0))? as usize) };
        let grouped = |sql: &str| -> Result<Vec<(String, usize)>> {
            let mut stmt = self.conn.prepare(sql)?;
            let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)? as usize)))?;
            Ok(rows.collect::<Result<_, _>>()?)
        };
        let limited = self.refresh_hidden()?;
        let live = "FROM events WHERE review <> 'rejected' AND id NOT IN temp.hidden_events";
        Ok(Stats {
            documents: count("SELECT COUNT(*) FROM documents WHERE id NOT IN temp.hidden_docs")?,
            persons: count("SELECT COUNT(*) FROM persons WHERE id NOT IN temp.hidden_persons")?,
            organizations: if limited {
                count("SELECT COUNT(DISTINCT org_id) FROM mentions WHERE org_id IS NOT NULL AND document_id NOT IN temp.hidden_docs")?
            } else {
                count("SELECT COUNT(*) FROM organizations")?
            },
            events: count(&format!("SELECT COUNT(*) {live}"))?,
            by_type: grouped(&format!("SELECT type, COUNT(*) {live} GROUP BY type ORDER BY COUNT(*) DESC, type"))?,
            by_year: grouped(&format!("SELECT COALESCE(substr(date, 1, 4), 'undated'), COUNT(*) {live} GROUP BY 1 ORDER BY 1"))?,
            by_country: grouped(&format!("SELECT COALESCE(country, 'unknown'), COUNT(*) {live} GROUP BY 1 ORDER BY COUNT(*) DESC, 1"))?,
            transfers: {
                let mut stmt = self.conn.prepare(&format!(
                    "SELECT COALESCE(country, 'unknown'), to_country, COUNT(*) {live}
                     AND type IN ('deportation', 'extradition', 'rendition') AND to_country IS NOT NULL
                     GROUP BY 1, 2 ORDER BY COUNT(*) DESC, 1, 2"
                ))?;
                let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get::<_, i64>(2)? as usize)))?;
                rows.collect::<Result<_, _>>()?
            },
        })
    }

    fn check_integrity(&self) -> Result<(), String> {
        let result: Vec<String> = (|| -> rusqlite::Result<Vec<String>> {
            let mut stmt = self.conn.prepare("PRAGMA integrity_check")?;
            let rows = stmt.query_map([], |r| r.get(0))?;
            rows.collect()
        })()
        .map_err(|e| e.to_string())?;
        if result == ["ok"] {
            Ok(())
        } else {
            Err(result.join("; "))
        }
    }

    fn set_actor(&mut self, actor: &str) {
        self.actor = actor.to_string();
    }

    fn person(&self, id: &str) -> Result<Option<PersonRecord>> {
        self.refresh_hidden()?;
        let Ok(id) = decisions::person_id(&self.conn, id) else { return Ok(None) };
        let name: String = self.conn.query_row("SELECT name FROM persons WHERE id = ?1", [id], |r| r.get(0))?;
        Ok(Some(self.person_record(id, name, &self.statuses(Some(&[id]))?)?))
    }

    fn merge_persons(&mut self, keep: &str, absorb: &str) -> Result<DecisionRecord> {
        self.require(Role::Editor, "merge persons")?;
        self.refresh_hidden()?;
        self.merge(keep, absorb)
    }

    fn split_person(&mut self, person: &str, mentions: &[MentionSelector]) -> Result<(DecisionRecord, String)> {
        self.require(Role::Editor, "split persons")?;
        self.refresh_hidden()?;
        self.split(person, mentions)
    }

    fn mark_distinct(&mut self, a: &str, b: &str) -> Result<DecisionRecord> {
        self.require(Role::Editor, "mark persons distinct")?;
        self.refresh_hidden()?;
        self.distinct(a, b)
    }

    fn decisions(&self) -> Result<Vec<DecisionRecord>> {
        self.read_decisions()
    }

    fn replace_extraction(&mut self, document: &str, ex: &Extraction, extractor: &str) -> Result<Added> {
        self.require(Role::Editor, "re-extract documents")?;
        let limited = self.refresh_hidden()?;
        if self.is_hidden("hidden_docs", &document)? {
            return Err(StoreError::NotFound(format!("no document {document} on record")));
        }
        if limited && self.redactions()?.contains_key(document) {
            // This reader's text of it is redacted: an extraction from it would lose what is masked.
            return Err(StoreError::Refused(format!("{document} names records you may not see; an admin or a granted account re-extracts it")));
        }
        let actor = self.actor.clone();
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let published: Option<String> = tx
            .query_row("SELECT published FROM documents WHERE id = ?1", [document], |r| r.get(0))
            .optional()?
            .ok_or_else(|| StoreError::NotFound(format!("no document {document} on record")))?;
        let year = opt_date(published).map(|d| d.year);
        let reviews: Vec<(String, String, Option<String>)> = tx
            .prepare("SELECT id, review, corrected FROM events WHERE document_id = ?1 AND (review <> 'machine' OR corrected IS NOT NULL)")?
            .query_map([document], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<Result<_, _>>()?;
        let before: (i64, i64) = tx.query_row(
            "SELECT (SELECT COUNT(DISTINCT person_id) FROM mentions WHERE document_id = ?1), (SELECT COUNT(*) FROM events WHERE document_id = ?1)",
            [document],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        for sql in [
            "DELETE FROM event_sources WHERE event_id IN (SELECT id FROM events WHERE document_id = ?1)",
            "DELETE FROM event_participants WHERE event_id IN (SELECT id FROM events WHERE document_id = ?1)",
            "DELETE FROM events WHERE document_id = ?1",
            "DELETE FROM places WHERE document_id = ?1",
            "DELETE FROM mentions WHERE document_id = ?1",
            "DELETE FROM person_attributes WHERE document_id = ?1",
            "DELETE FROM person_links WHERE document_id = ?1",
            "DELETE FROM person_relations WHERE document_id = ?1",
        ] {
            tx.execute(sql, [document])?;
        }
        let written = write::write_extraction(&tx, document, year, ex)?;
        for (id, review, corrected) in &reviews {
            tx.execute("UPDATE events SET review = ?1, corrected = ?3 WHERE id = ?2", params![review, id, corrected])?;
            if let Some(c) = corrected.as_deref().and_then(|c| serde_json::from_str(c).ok()) {
                review::apply_correction(&tx, id, &c)?;
            }
        }
        tx.execute("UPDATE documents SET extractor = ?1 WHERE id = ?2", params![extractor, document])?;
        // Persons and organisations no document mentions any more.
        let orphans = "SELECT id FROM persons WHERE id NOT IN (SELECT person_id FROM mentions WHERE person_id IS NOT NULL)";
        let orphan_words: Vec<String> = {
            let ids: Vec<i64> = tx.prepare(orphans)?.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?;
            let mut words = Vec::new();
            for id in ids {
                words.extend(write::person_words(&tx, id)?);
            }
            words
        };
        write::count_name_words(&tx, orphan_words.iter().map(String::as_str), -1)?;
        for table in ["person_pins", "person_keys", "person_names", "person_attributes", "person_relations", "person_links", "event_participants"] {
            tx.execute(&format!("DELETE FROM {table} WHERE person_id IN ({orphans})"), [])?;
        }
        tx.execute(&format!("DELETE FROM person_distinct WHERE a IN ({orphans}) OR b IN ({orphans})"), [])?;
        tx.execute(&format!("DELETE FROM persons WHERE id IN ({orphans})"), [])?;
        tx.execute(
            "DELETE FROM organizations WHERE id NOT IN (SELECT org_id FROM mentions WHERE org_id IS NOT NULL)
             AND id NOT IN (SELECT org_id FROM event_participants WHERE org_id IS NOT NULL)",
            [],
        )?;
        audit::append(
            &tx,
            &actor,
            "document.reextract",
            document,
            &json!({ "extractor": extractor, "before": { "persons": before.0, "events": before.1 },
                     "after": { "persons": ex.persons.len(), "events": ex.events.len(), "linked": written.linked } }),
        )?;
        tx.commit()?;
        Ok(Added::New { persons_linked: written.linked, persons_created: written.created, events: ex.events.len() })
    }

    fn audit_log(&self) -> Result<Vec<AuditEntry>> {
        if !self.access.sees_everything() {
            // Entries name persons and documents, restricted ones among them.
            return Err(StoreError::Refused("the audit log is for admins: it names every record".into()));
        }
        audit::read(&self.conn)
    }

    fn events_where(&self, filter: &EventFilter) -> Result<Vec<EventRecord>> {
        self.read_events_where(filter)
    }

    fn review_event(&mut self, id: &str, review: chronicle_model::Review, correction: &EventCorrection) -> Result<EventRecord> {
        self.set_review(id, review, correction)
    }

    fn document_mentions(&self, document: &str) -> Result<Vec<EntityMention>> {
        self.read_document_mentions(document)
    }

    fn persons_named(&self, query: &str, limit: usize) -> Result<Vec<PersonRecord>> {
        let limited = self.refresh_hidden()?;
        let folded = fold(query);
        let pattern = format!("%{folded}%");
        let mut found = self.read_persons(
            "SELECT p.id, p.name FROM persons p WHERE p.id IN (SELECT person_id FROM person_names WHERE folded LIKE ?1)
             AND p.id NOT IN temp.hidden_persons ORDER BY p.id LIMIT ?2",
            &[&pattern, &(limit as i64)],
        )?;
        if limited {
            found.retain(|p| p.names.iter().any(|n| fold(n).contains(&folded)));
        }
        Ok(found)
    }

    fn names_of(&self, ids: &[String]) -> Result<HashMap<String, String>> {
        self.refresh_hidden()?;
        let mut out = HashMap::new();
        let mut person = self.conn.prepare_cached("SELECT name FROM persons WHERE id = ?1 AND id NOT IN temp.hidden_persons")?;
        let mut org = self.conn.prepare_cached("SELECT name FROM organizations WHERE key = ?1")?;
        for id in ids {
            let name: Option<String> = if let Some(n) = id.strip_prefix("person-").and_then(|n| n.parse::<i64>().ok()) {
                person.query_row([n], |r| r.get(0)).optional()?
            } else if let Some(k) = id.strip_prefix("org-") {
                org.query_row([k], |r| r.get(0)).optional()?
            } else {
                None
            };
            if let Some(name) = name {
                out.insert(id.clone(), name);
            }
        }
        Ok(out)
    }

    fn documents_page(&self, offset: usize, limit: usize) -> Result<Vec<DocumentRecord>> {
        let limited = self.refresh_hidden()?;
        let mut stmt = self.conn.prepare(
            "SELECT id, source, sha256, title, published, language, publisher, text, ingested_at FROM documents
             WHERE id NOT IN temp.hidden_docs ORDER BY COALESCE(published, '') DESC, source, id LIMIT ?1 OFFSET ?2",
        )?;
        let mut docs: Vec<DocumentRecord> = stmt.query_map(params![limit as i64, offset as i64], doc_row)?.collect::<Result<_, _>>()?;
        if limited {
            self.redact_texts(&mut docs)?;
        }
        Ok(docs)
    }

    fn create_token(&mut self, user: &str, label: &str) -> Result<String> {
        self.new_token(user, label)
    }

    fn token_user(&self, token: &str) -> Result<Option<String>> {
        self.token_owner(token)
    }

    fn act_as(&mut self, user: &str) -> Result<Access> {
        self.act_as_user(user)
    }

    fn act_as_public(&mut self) -> Result<()> {
        self.set_access(Access::Public)
    }

    fn access(&self) -> &Access {
        &self.access
    }

    fn add_user(&mut self, name: &str, role: Role, password: Option<&str>) -> Result<()> {
        self.add_user_row(name, role, password)
    }

    fn users(&self) -> Result<Vec<UserRecord>> {
        self.require(Role::Admin, "list accounts")?;
        self.read_users()
    }

    fn check_password(&self, name: &str, password: &str) -> Result<Option<UserRecord>> {
        self.verify_password(name, password)
    }

    fn grant(&mut self, user: &str, record: &str) -> Result<()> {
        self.set_grant(user, record, true)
    }

    fn revoke(&mut self, user: &str, record: &str) -> Result<()> {
        self.set_grant(user, record, false)
    }

    fn restrict(&mut self, record: &RecordRef, reason: Option<&str>) -> Result<()> {
        self.set_restricted(record, reason, true)
    }

    fn unrestrict(&mut self, record: &RecordRef) -> Result<()> {
        self.set_restricted(record, None, false)
    }

    fn restrictions(&self) -> Result<Vec<Restriction>> {
        self.read_restrictions()
    }

    fn verify_audit(&self) -> Result<Result<usize, crate::ChainBreak>> {
        Ok(audit::verify(&audit::read(&self.conn)?))
    }
}

fn doc_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<DocumentRecord> {
    Ok(DocumentRecord {
        document: Document {
            id: r.get(0)?,
            source: r.get(1)?,
            sha256: r.get(2)?,
            title: r.get(3)?,
            published: opt_date(r.get(4)?),
            language: r.get(5)?,
            publisher: r.get(6)?,
            text: r.get(7)?,
        },
        ingested_at: r.get(8)?,
    })
}
