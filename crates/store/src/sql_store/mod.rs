//! The store's logic, written once over the SQL layer ([`crate::db`]): the
//! embedded engine (one SQLite file, optionally encrypted) and PostgreSQL.

mod access;
mod accounts;
mod audit;
mod copy;
mod crypt;
mod decisions;
mod mask;
mod name_search;
mod queue;
mod review;
mod search;
mod state;
pub mod tags;
mod verify;
mod write;

pub use crypt::{is_encrypted, StoreKey};
pub use access::{redact, MASK};
pub use accounts::{DEFAULT_TOKEN_LIFE, MAX_TOKEN_LIFE};
pub use mask::NameMask;
pub use audit::entry_hash as audit_entry_hash;
pub use copy::CopyReport;
pub use queue::{Prepared, QueueCounts, QueueOutcome, QueuedReport};
pub use verify::{AuditHead, AuditProblem, AuditReport};

use crate::db::{Db, Engine, PgConn, Row, ToValue};
use crate::Cancel;
use crate::{
    EntityMention, EventCorrection, EventFilter, Access, Added, RecordRef, Restriction, Role, UserRecord, AuditEntry, DecisionRecord, DocumentRecord, EventRecord, LinkRecord, MentionRecord, MentionSelector, OrgRecord, PersonRecord, Result,
    SearchHit, SearchResults, SourceRecord, Stats, Store, StoreError,
};
use chronicle_link::names::fold;
use chronicle_model::{Document, EventType, Extraction, PersonStatus, Reading};
use rusqlite::Connection;
use serde_json::json;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// SQLite schema migrations, applied in order; the store's `user_version` is the count applied.
const SQLITE_MIGRATIONS: &[&str] = &[
    include_str!("../../migrations/sqlite/0001_initial.sql"),
    include_str!("../../migrations/sqlite/0002_linking_decisions_audit.sql"),
    include_str!("../../migrations/sqlite/0003_audit_append_only.sql"),
    include_str!("../../migrations/sqlite/0004_accounts_restricted.sql"),
    include_str!("../../migrations/sqlite/0005_review_tokens.sql"),
    include_str!("../../migrations/sqlite/0006_audit_state.sql"),
    include_str!("../../migrations/sqlite/0007_person_public.sql"),
    include_str!("../../migrations/sqlite/0008_account_lifecycle.sql"),
    include_str!("../../migrations/sqlite/0009_search_stems.sql"),
    include_str!("../../migrations/sqlite/0010_document_reading.sql"),
];

/// The schema version from which blocking keys and name counts follow the
/// name equivalents (given names, joined words, titles): a store made before it
/// has its link index computed again as it is upgraded.
const NAME_FORMS_VERSION: usize = 8;

/// The schema version from which search indexes the stems of words
/// (`search`): a store made before it has its index written again.
const SEARCH_STEMS_VERSION: usize = 9;

/// PostgreSQL schema migrations; `chronicle_schema.version` is the count applied.
/// The first is SQLite's five at once (the server store began at that schema).
const POSTGRES_MIGRATIONS: &[&str] = &[
    include_str!("../../migrations/postgres/0001_schema.sql"),
    include_str!("../../migrations/postgres/0002_audit_state.sql"),
    include_str!("../../migrations/postgres/0003_person_public.sql"),
    include_str!("../../migrations/postgres/0004_account_lifecycle.sql"),
    include_str!("../../migrations/postgres/0005_search_stems.sql"),
    include_str!("../../migrations/postgres/0006_document_reading.sql"),
];

/// The PostgreSQL schema version that corresponds to SQLite's `user_version`
/// (what `schema_version` reports, the same for both engines).
const POSTGRES_BASE_VERSION: i64 = 4;

/// The hidden-record tables (see `access`), as sets the queries leave out.
pub(crate) const HIDDEN_DOCS: &str = "(SELECT id FROM hidden_docs)";
pub(crate) const HIDDEN_EVENTS: &str = "(SELECT id FROM hidden_events)";
pub(crate) const HIDDEN_PERSONS: &str = "(SELECT id FROM hidden_persons)";

/// The time now, as recorded in the store.
pub(crate) fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// Where a store is: an SQLite file, or a PostgreSQL database by URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    File(PathBuf),
    Postgres(String),
}

impl Location {
    /// `postgres://…` or `postgresql://…` is a server; anything else a file path.
    pub fn parse(s: &str) -> Location {
        if s.starts_with("postgres://") || s.starts_with("postgresql://") {
            Location::Postgres(s.to_string())
        } else {
            Location::File(PathBuf::from(s))
        }
    }
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Location::File(p) => write!(f, "{}", p.display()),
            Location::Postgres(url) => f.write_str(&crate::db::redact_url(url)),
        }
    }
}

/// Chronicle's record over one database connection.
pub struct SqlStore {
    db: Db,
    /// Who writes are recorded as.
    actor: String,
    /// The SQLCipher key of an encrypted store (derived, never the passphrase), and its salt.
    key_spec: Option<String>,
    salt: Option<[u8; 16]>,
    /// The file path, or the server's URL.
    path: String,
    /// Whose eyes reads are for, and what changes they may make.
    access: Access,
}

impl SqlStore {
    /// From now on, a search stops (with [`StoreError::Interrupted`]) once
    /// `cancel` is raised: the server raises it when the client goes away.
    pub fn set_cancel(&mut self, cancel: Cancel) {
        self.db.set_cancel(cancel);
    }

    /// From now on, a search stops (with [`StoreError::Interrupted`]) once it
    /// has run for `limit` ([`crate::SEARCH_TIME`] unless said otherwise).
    pub fn set_search_time(&mut self, limit: std::time::Duration) {
        self.db.set_query_time(limit);
    }

    /// Opens (creating if needed) the plain store at `path` and brings its schema up to date.
    pub fn open(path: impl AsRef<Path>) -> Result<Self> {
        Self::open_with(path, None)
    }

    /// Opens the store at `location`: a file (with its key, if encrypted) or a server.
    pub fn open_location(location: &Location, key: Option<&StoreKey>) -> Result<Self> {
        match location {
            Location::File(path) => Self::open_with(path, key),
            Location::Postgres(url) if key.is_some() => {
                Err(StoreError::Refused(format!("{}: a server store is not encrypted by Chronicle (see SECURITY.md); give no key", crate::db::redact_url(url))))
            }
            Location::Postgres(url) => Self::connect(url),
        }
    }

    /// Connects to the PostgreSQL database at `url` and brings its schema up to date.
    pub fn connect(url: &str) -> Result<Self> {
        let db = Db::postgres(PgConn::connect(url)?);
        if let Some(host) = crate::db::remote_host(url) {
            tracing::warn!("the connection to {host} is not encrypted: reach a server on another machine through an SSH tunnel or a VPN (see SECURITY.md)");
        }
        let mut store = SqlStore { db, actor: "chronicle".to_string(), key_spec: None, salt: None, path: url.to_string(), access: Access::Owner };
        store.migrate_postgres()?;
        store.db.batch(access::TEMP_TABLES)?;
        Ok(store)
    }

    /// Opens (creating if needed) the store at `path`: encrypted when it is
    /// (the key is then needed) or when it is new and a key is given.
    pub fn open_with(path: impl AsRef<Path>, key: Option<&StoreKey>) -> Result<Self> {
        let path = path.as_ref();
        let path_str = path.display().to_string();
        let kind = crypt::file_kind(path).map_err(|e| StoreError::Io { path: path_str.clone(), source: e })?;
        let new = matches!(kind, crypt::FileKind::New);
        let salt = match (kind, key) {
            (crypt::FileKind::Encrypted(_), None) => return Err(StoreError::Locked { path: path_str }),
            (crypt::FileKind::Plain, Some(_)) => return Err(StoreError::NotEncrypted { path: path_str }),
            (crypt::FileKind::Encrypted(salt), Some(_)) => Some(salt),
            (crypt::FileKind::New, Some(k)) => {
                k.check_strength()?;
                Some(crypt::new_salt())
            }
            (crypt::FileKind::Plain | crypt::FileKind::New, None) => None,
        };
        if new {
            crypt::ensure_private(path)?;
        }
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
        conn.set_prepared_statement_cache_capacity(256);
        let mut store = SqlStore { db: Db::sqlite(conn), actor: "chronicle".to_string(), key_spec, salt: None, path: path.to_string(), access: Access::Owner };
        store.migrate_sqlite(path)?;
        store.db.batch(access::TEMP_TABLES)?;
        Ok(store)
    }

    /// Which engine holds this store.
    pub fn is_postgres(&self) -> bool {
        self.db.is_postgres()
    }

    /// Where this store is.
    pub fn location(&self) -> Location {
        if self.db.is_postgres() {
            Location::Postgres(self.path.clone())
        } else {
            Location::File(PathBuf::from(&self.path))
        }
    }

    /// Another connection to the same store, with the same key (not derived
    /// again) and the same reader: for a pool of connections.
    pub fn reopen(&self) -> Result<Self> {
        if self.db.is_postgres() {
            let mut store = Self::connect(&self.path)?;
            store.actor = self.actor.clone();
            store.access = self.access.clone();
            return Ok(store);
        }
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

    /// The SQLite connection, or a refusal naming what needs one.
    fn sqlite(&self, what: &str) -> Result<&Connection> {
        self.db.sqlite_conn().ok_or_else(|| StoreError::Refused(format!("{what} is for an embedded store; a PostgreSQL server has its own tools (pg_dump)")))
    }

    /// Changes the key of an encrypted store.
    pub fn rekey(&mut self, new: &StoreKey) -> Result<()> {
        let Some(salt) = self.salt else { return Err(StoreError::NotEncrypted { path: self.path.clone() }) };
        new.check_strength()?;
        // The salt stays; only the key changes.
        let spec = crypt::key_spec(new, &salt)?;
        let conn = self.sqlite("changing the key")?;
        // SQLCipher re-encrypts in rollback-journal mode.
        conn.pragma_update(None, "journal_mode", "DELETE")?;
        crypt::rekey(conn, &spec)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        self.key_spec = Some(spec);
        let tx = self.db.begin_write()?;
        audit::append(&tx, &self.actor, "store.rekey", &self.path, &json!({ "encrypted": true }))?;
        tx.commit()?;
        Ok(())
    }

    /// Writes a consistent copy of the store, while it is in use, to `target`
    /// (a new file), encrypted with the store's own key when the store is.
    pub fn backup_to(&self, target: &Path) -> Result<()> {
        let conn = self.sqlite("a backup file")?;
        if !matches!(crypt::file_kind(target), Ok(crypt::FileKind::New)) {
            return Err(StoreError::Refused(format!("{} already exists; a backup is written to a new file", target.display())));
        }
        crypt::ensure_private(target)?;
        let mut dst = Connection::open(target).map_err(|source| StoreError::Open { path: target.display().to_string(), source })?;
        if let Some(spec) = &self.key_spec {
            crypt::apply_key(&dst, spec)?;
        }
        {
            let backup = rusqlite::backup::Backup::new(conn, &mut dst)?;
            backup.run_to_completion(256, std::time::Duration::from_millis(0), None)?;
        }
        drop(dst);
        Ok(())
    }

    /// Replaces the store at `path` with the backup at `backup`, after
    /// checking that the backup opens with `key`, is sound, that its audit
    /// chain verifies and that its record is the one its log vouches for.
    /// Returns the number of audit entries verified.
    pub fn restore(backup: &Path, path: &Path, key: Option<&StoreKey>) -> Result<usize> {
        Self::restore_checked(backup, path, key, None)
    }

    /// [`SqlStore::restore`], also checking the backup against a kept audit head.
    pub fn restore_checked(backup: &Path, path: &Path, key: Option<&StoreKey>, head: Option<&AuditHead>) -> Result<usize> {
        let source = Self::open_with(backup, key)?;
        source.check_integrity().map_err(|e| StoreError::Corrupt(format!("{}: {e}", backup.display())))?;
        let report = source.verify_record(head)?;
        if !report.is_sound() {
            return Err(StoreError::Corrupt(format!("{} does not match its audit log:\n{}", backup.display(), report.problem_lines())));
        }
        let verified = report.entries;
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
        let restored = Self::open_with(path, key)?;
        let tx = restored.db.begin_write()?;
        audit::append(&tx, "chronicle", "store.restore", &path.display().to_string(), &json!({ "from": backup.display().to_string(), "verified_entries": verified }))?;
        tx.commit()?;
        Ok(verified)
    }

    fn migrate_sqlite(&mut self, path: &str) -> Result<()> {
        let version: i64 = self.db.one("PRAGMA user_version", &[])?;
        let known = SQLITE_MIGRATIONS.len() as i64;
        if version > known {
            return Err(StoreError::TooNew { path: path.into(), found: version, known });
        }
        for (i, sql) in SQLITE_MIGRATIONS.iter().enumerate().skip(version as usize) {
            let tx = self.db.begin_write()?;
            tx.batch(sql)?;
            if i + 1 == 2 || (i + 1 == NAME_FORMS_VERSION && version > 0) {
                // Blocking keys and name counts are computed, not declared.
                write::rebuild_link_index(&tx)?;
            }
            if i + 1 == SEARCH_STEMS_VERSION {
                search::rebuild_index(&tx)?;
            }
            tx.batch(&format!("PRAGMA user_version = {}", i + 1))?;
            if i + 1 == SQLITE_MIGRATIONS.len() {
                upgraded(&tx, version, known)?;
            }
            tx.commit()?;
            tracing::info!(version = i + 1, "applied store migration");
        }
        Ok(())
    }

    fn migrate_postgres(&mut self) -> Result<()> {
        let redacted = crate::db::redact_url(&self.path);
        // Two processes starting on a new database: one migrates, the other waits for it.
        let tx = self.db.begin_write()?;
        tx.batch("CREATE TABLE IF NOT EXISTS chronicle_schema (version BIGINT NOT NULL)")?;
        let version: i64 = match tx.opt::<i64>("SELECT version FROM chronicle_schema", &[])? {
            Some(v) => v,
            None => {
                tx.exec("INSERT INTO chronicle_schema (version) VALUES (0)", &[])?;
                0
            }
        };
        let known = POSTGRES_MIGRATIONS.len() as i64;
        if version > known {
            return Err(StoreError::TooNew { path: redacted, found: version + POSTGRES_BASE_VERSION, known: known + POSTGRES_BASE_VERSION });
        }
        for (i, sql) in POSTGRES_MIGRATIONS.iter().enumerate().skip(version as usize) {
            tx.batch(sql)?;
            tx.exec("UPDATE chronicle_schema SET version = ?1", &[&(i as i64 + 1)])?;
            tracing::info!(version = i + 1, "applied PostgreSQL store migration");
        }
        if version > 0 && version + POSTGRES_BASE_VERSION < NAME_FORMS_VERSION as i64 {
            write::rebuild_link_index(&tx)?;
        }
        if version + POSTGRES_BASE_VERSION < SEARCH_STEMS_VERSION as i64 {
            search::rebuild_index(&tx)?;
        }
        if version < known {
            upgraded(&tx, version + POSTGRES_BASE_VERSION, known + POSTGRES_BASE_VERSION)?;
        }
        tx.commit()
    }

    /// The schema version of the open store.
    pub fn schema_version(&self) -> Result<i64> {
        match self.db.engine() {
            Engine::Sqlite => self.db.one("PRAGMA user_version", &[]),
            Engine::Postgres => Ok(self.db.one::<i64>("SELECT version FROM chronicle_schema", &[])? + POSTGRES_BASE_VERSION),
        }
    }

    /// Documents read by `sql` (selecting `DOC_COLUMNS`), their texts masked where the reader is `limited`.
    fn read_documents(&self, sql: &str, args: &[&dyn ToValue], limited: bool) -> Result<Vec<DocumentRecord>> {
        let mut docs: Vec<DocumentRecord> = self.db.rows(sql, args)?.iter().map(doc_row).collect::<Result<_>>()?;
        if limited {
            self.redact_texts(&mut docs)?;
        }
        Ok(docs)
    }

    /// Masks, in documents' texts, titles, sources and publishers, what the reader may not see.
    fn redact_texts(&self, docs: &mut [DocumentRecord]) -> Result<()> {
        let masking = self.masking()?;
        if !masking.is_empty() {
            for d in docs {
                masking.document(&mut d.document);
            }
        }
        Ok(())
    }

    fn mentions_of(&self, column: &str, id: i64) -> Result<Vec<MentionRecord>> {
        let sql = format!(
            "SELECT document_id, text, start, \"end\" FROM mentions WHERE {column} = ?1 AND document_id NOT IN {HIDDEN_DOCS} ORDER BY document_id, start"
        );
        let rows = self.db.rows(&sql, &[&id])?;
        rows.iter().map(|r| Ok(MentionRecord { document: r.get(0)?, text: r.get(1)?, start: r.get(2)?, end: r.get(3)? })).collect()
    }

    fn person_record(&self, id: i64, name: String, status: &HashMap<i64, PersonStatus>) -> Result<PersonRecord> {
        let mentions = self.mentions_of("person_id", id)?;
        let mut names: Vec<String> = self.db.col("SELECT name FROM person_names WHERE person_id = ?1 ORDER BY name", &[&id])?;
        let mut name = name;
        let partly_hidden: bool =
            self.db.one(&format!("SELECT EXISTS (SELECT 1 FROM mentions WHERE person_id = ?1 AND document_id IN {HIDDEN_DOCS})"), &[&id])?;
        if partly_hidden {
            // Only the spellings of the documents this reader sees.
            names.retain(|n| mentions.iter().any(|m| &m.text == n));
            if !names.contains(&name) {
                name = names.iter().max_by_key(|t| (t.split_whitespace().count(), t.chars().count())).cloned().unwrap_or_default();
            }
        }
        let attrs = self.db.rows(
            &format!(
                "SELECT a.kind, a.value FROM person_attributes a JOIN documents d ON d.id = a.document_id
                 WHERE a.person_id = ?1 AND d.id NOT IN {HIDDEN_DOCS} ORDER BY COALESCE(d.published, ''), d.source, a.rowid"
            ),
            &[&id],
        )?;
        let mut age = None;
        let mut birth_year = None;
        let mut nationality: Vec<String> = Vec::new();
        let mut occupation: Vec<String> = Vec::new();
        for row in attrs {
            let (kind, value): (String, String) = (row.get(0)?, row.get(1)?);
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
            marked_public: self.db.one("SELECT EXISTS (SELECT 1 FROM person_public WHERE person_id = ?1)", &[&id])?,
        })
    }

    fn links_of(&self, id: i64) -> Result<Vec<LinkRecord>> {
        let rows = self.db.rows(
            &format!(
                "SELECT l.document_id, l.score, l.evidence FROM person_links l JOIN documents d ON d.id = l.document_id
                 WHERE l.person_id = ?1 AND d.id NOT IN {HIDDEN_DOCS} ORDER BY COALESCE(d.published, ''), d.source, l.local_index"
            ),
            &[&id],
        )?;
        rows.iter().map(|r| Ok(LinkRecord { document: r.get(0)?, score: r.get(1)?, evidence: r.get(2)? })).collect()
    }

    fn relations_of(&self, id: i64) -> Result<Vec<String>> {
        self.db.col(
            &format!("SELECT DISTINCT relation FROM person_relations WHERE person_id = ?1 AND document_id NOT IN {HIDDEN_DOCS} ORDER BY relation"),
            &[&id],
        )
    }

    /// The latest known status of each person (or of those given), from the events they suffered.
    fn statuses(&self, only: Option<&[i64]>) -> Result<HashMap<i64, PersonStatus>> {
        if only.is_some_and(|ids| ids.is_empty()) {
            return Ok(HashMap::new());
        }
        let which = match only {
            // Parsed integers: safe to write into the statement, where the index on person_id serves them.
            Some(ids) => format!("p.person_id IN ({})", ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")),
            None => "p.person_id IS NOT NULL".to_string(),
        };
        let rows = self.db.rows(
            &format!(
                "SELECT p.person_id, e.type FROM event_participants p
                 JOIN events e ON e.id = p.event_id JOIN documents d ON d.id = e.document_id
                 WHERE p.role = 'victim' AND {which} AND e.review <> 'rejected' AND e.id NOT IN {HIDDEN_EVENTS}
                 ORDER BY COALESCE(e.date, d.published, ''), COALESCE(d.published, ''), d.source, e.ordinal",
            ),
            &[],
        )?;
        let mut out: HashMap<i64, PersonStatus> = HashMap::new();
        for row in rows {
            let (person, kind): (i64, String) = (row.get(0)?, row.get(1)?);
            let Ok(kind) = kind.parse::<EventType>() else { continue };
            if let Some(s) = PersonStatus::then(out.get(&person).copied(), kind) {
                out.insert(person, s);
            }
        }
        Ok(out)
    }

    fn read_persons(&self, sql: &str, args: &[&dyn ToValue]) -> Result<Vec<PersonRecord>> {
        let rows: Vec<(i64, String)> = self.db.rows(sql, args)?.iter().map(|r| Ok((r.get(0)?, r.get(1)?))).collect::<Result<_>>()?;
        // A few persons: their statuses alone; many: everyone's in one pass.
        let ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
        let status = self.statuses((ids.len() <= 200).then_some(ids.as_slice()))?;
        rows.into_iter().map(|(id, name)| self.person_record(id, name, &status)).collect()
    }
    /// Stores a document with its records inside the caller's writing transaction.
    pub(crate) fn write_document(&self, tx: &Db, doc: &Document, original: &[u8], ex: &Extraction, extractor: &str) -> Result<Added> {
        match self.insert_document_row(tx, doc, original, extractor)? {
            Some(present) => Ok(present),
            None => self.write_records(tx, doc, ex, extractor),
        }
    }

    /// The document's own row, unless the same bytes are on record (then what is there).
    /// Needs no writer's lock: nothing else reads a document before its records are written.
    pub(crate) fn insert_document_row(&self, tx: &Db, doc: &Document, original: &[u8], extractor: &str) -> Result<Option<Added>> {
        let indexed = search::Indexed::of(doc.title.as_deref(), &doc.text);
        let (published, at, whole) = (doc.published.map(|d| d.to_string()), now(), indexed.whole());
        let (reading, confidence) = (doc.reading.as_str(), doc.reading.confidence().map(f64::from));
        let mut args: Vec<&dyn ToValue> = vec![
            &doc.id, &doc.sha256, &doc.source, &doc.title, &published, &doc.language, &doc.publisher, &doc.text, &original, &at, &extractor,
            &reading, &confidence, &doc.attached_to,
        ];
        // PostgreSQL's search vector is written with the row; SQLite's index beside it.
        if tx.is_postgres() {
            args.push(&whole);
        }
        let inserted = tx.exec(&document_insert(tx.is_postgres()), &args)?;
        if inserted == 1 {
            search::index_document(tx, &doc.id, &indexed)?;
            return Ok(None);
        }
        let row = tx
            .row(&format!("SELECT source, id IN {HIDDEN_DOCS} FROM documents WHERE sha256 = ?1"), &[&doc.sha256])?
            .ok_or_else(|| StoreError::Corrupt(format!("{} was refused as a duplicate, yet no document has its bytes", doc.source)))?;
        let (source, hidden): (String, bool) = (row.get(0)?, row.get(1)?);
        // Where a restricted document came from is not told.
        Ok(Some(Added::AlreadyPresent { source: if hidden { "a restricted document".into() } else { source } }))
    }

    /// A stored document's records (persons linked) and its audit entry: the
    /// part writers do one at a time.
    pub(crate) fn write_records(&self, tx: &Db, doc: &Document, ex: &Extraction, extractor: &str) -> Result<Added> {
        let written = write::write_extraction(tx, &doc.id, doc.published.map(|d| d.year), ex)?;
        audit::append(
            tx,
            &self.actor,
            "document.ingest",
            &doc.id,
            &json!({ "source": doc.source, "sha256": doc.sha256, "extractor": extractor,
                     "persons": ex.persons.len(), "linked": written.linked, "events": ex.events.len() }),
        )?;
        Ok(Added::New { persons_linked: written.linked, persons_created: written.created, events: ex.events.len() })
    }
}

/// The statement that inserts a document's row (on PostgreSQL with its search vector, from ?15).
fn document_insert(postgres: bool) -> String {
    let (column, vector) = if postgres { (", fts", format!(", {}", search::PG_VECTOR)) } else { ("", String::new()) };
    format!(
        "INSERT INTO documents (id, sha256, source, title, published, language, publisher, text, original, ingested_at, extractor,
                                reading, ocr_confidence, attached_to{column})
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14{vector}) ON CONFLICT DO NOTHING"
    )
}

fn opt_date(s: Option<String>) -> Option<chronicle_model::PartialDate> {
    s.and_then(|s| s.parse().ok())
}

impl Store for SqlStore {
    fn contains(&self, sha256: &str) -> Result<bool> {
        self.db.one("SELECT EXISTS (SELECT 1 FROM documents WHERE sha256 = ?1)", &[&sha256])
    }

    fn add_document(&mut self, doc: &Document, original: &[u8], ex: &Extraction, extractor: &str) -> Result<Added> {
        self.require(Role::Editor, "ingest reports")?;
        self.refresh_hidden()?;
        let tx = self.db.begin_write()?;
        let added = self.write_document(&tx, doc, original, ex, extractor)?;
        tx.commit()?;
        Ok(added)
    }

    fn documents(&self) -> Result<Vec<DocumentRecord>> {
        let limited = self.refresh_hidden()?;
        self.read_documents(&format!("SELECT {DOC_COLUMNS} FROM documents WHERE id NOT IN {HIDDEN_DOCS} ORDER BY source, id"), &[], limited)
    }

    fn document(&self, id: &str) -> Result<Option<DocumentRecord>> {
        let limited = self.refresh_hidden()?;
        let mut doc = self
            .db
            .row(&format!("SELECT {DOC_COLUMNS} FROM documents WHERE id = ?1 AND id NOT IN {HIDDEN_DOCS}"), &[&id])?
            .as_ref()
            .map(doc_row)
            .transpose()?;
        if let (Some(d), true) = (&mut doc, limited) {
            self.redact_texts(std::slice::from_mut(d))?;
        }
        Ok(doc)
    }

    fn original(&self, id: &str) -> Result<Option<Vec<u8>>> {
        if self.refresh_hidden()? && self.masks_document(id)? {
            return Err(StoreError::Refused(format!("the original of {id} names a restricted record; only its redacted text can be shown")));
        }
        self.db.opt(&format!("SELECT original FROM documents WHERE id = ?1 AND id NOT IN {HIDDEN_DOCS}"), &[&id])
    }

    fn extractor(&self, id: &str) -> Result<Option<String>> {
        self.db.opt("SELECT extractor FROM documents WHERE id = ?1", &[&id])
    }

    fn persons(&self) -> Result<Vec<PersonRecord>> {
        self.refresh_hidden()?;
        self.read_persons(&format!("SELECT id, name FROM persons WHERE id NOT IN {HIDDEN_PERSONS} ORDER BY id"), &[])
    }

    fn organizations(&self) -> Result<Vec<OrgRecord>> {
        let limited = self.refresh_hidden()?;
        let rows: Vec<(i64, String, String, Option<String>, Option<String>)> = self
            .db
            .rows("SELECT id, key, name, category, country FROM organizations ORDER BY key", &[])?
            .iter()
            .map(|r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))
            .collect::<Result<_>>()?;
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
        let redactions = if limited { self.text_masks(&self.masking()?, None)? } else { Default::default() };
        let mut participants: HashMap<String, (Vec<String>, Vec<String>)> = HashMap::new();
        {
            let rows = self.db.rows(
                &format!(
                    "SELECT p.event_id, p.role, p.person_id, o.key FROM event_participants p
                     LEFT JOIN organizations o ON o.id = p.org_id
                     WHERE p.person_id IS NULL OR p.person_id NOT IN {HIDDEN_PERSONS} ORDER BY p.event_id, p.role, p.position"
                ),
                &[],
            )?;
            for row in rows {
                let (event, role, person, org): (String, String, Option<i64>, Option<String>) = (row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?);
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
            let rows = self.db.rows(
                &format!("SELECT event_id, document_id, start, \"end\", quote FROM event_sources WHERE document_id NOT IN {HIDDEN_DOCS} ORDER BY event_id, start"),
                &[],
            )?;
            for r in rows {
                let event: String = r.get(0)?;
                let mut s = SourceRecord { document: r.get(1)?, start: r.get(2)?, end: r.get(3)?, quote: r.get(4)? };
                if let Some(spans) = redactions.get(&s.document) {
                    s.quote = redact(&s.quote, s.start, spans);
                }
                sources.entry(event).or_default().push(s);
            }
        }
        let rows = self.db.rows(
            &format!(
                "SELECT {} FROM events e JOIN documents d ON d.id = e.document_id WHERE e.id NOT IN {HIDDEN_EVENTS} ORDER BY d.source, d.id, e.ordinal",
                review::EVENT_COLUMNS
            ),
            &[],
        )?;
        let mut out = Vec::new();
        for row in &rows {
            let mut e = review::event_row(row)?;
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
            &format!(
                "SELECT DISTINCT p.id, p.name FROM persons p JOIN person_names n ON n.person_id = p.id
                 WHERE n.folded LIKE ?1 AND p.id NOT IN {HIDDEN_PERSONS} ORDER BY p.id"
            ),
            &[&pattern],
        )?;
        if limited {
            // Found by a spelling this reader may see, not by one from a hidden document.
            found.retain(|p| p.names.iter().any(|n| fold(n).contains(&folded)));
        }
        if found.is_empty() {
            // No spelling contains what was typed: another spelling of it, in any script.
            found = self.persons_by_name_forms(query)?;
        }
        Ok(found)
    }

    fn search_counted(&self, query: &str, limit: usize) -> Result<SearchResults> {
        let mut q = search::Query::parse(query)?;
        if q.is_empty() {
            return Ok(SearchResults { exact: true, ..Default::default() });
        }
        self.widen_by_names(&mut q)?;
        let limited = self.refresh_hidden()?;
        let masking = if limited { self.masking()? } else { Default::default() };
        if masking.is_empty() {
            let hits = self.search_rows(&q, limit)?.iter().map(|row| search_hit(row, &q)).collect::<Result<_>>()?;
            return Ok(SearchResults { hits, total: self.search_total(&q)?, exact: true });
        }
        // Some words are masked from this reader: every candidate is judged by
        // what the reader sees of it, words left out included (asking the
        // engine to leave a word out would tell where a masked one stands).
        let candidates = self.search_rows(&q.without_exclusions(), limit.saturating_mul(2).max(MASKED_CANDIDATES))?;
        let exact = candidates.len() < limit.saturating_mul(2).max(MASKED_CANDIDATES);
        let mut results = SearchResults { exact, ..Default::default() };
        for row in &candidates {
            let text: String = row.get(3)?;
            let mut hit = SearchHit { document: row.get(0)?, source: row.get(1)?, title: row.get(2)?, snippet: String::new() };
            match masking.search_hit(&mut hit, &text, &q) {
                mask::HitView::Gone => continue,
                mask::HitView::Masked => {}
                mask::HitView::Unmasked if !q.matches(&format!("{}\n{text}", hit.title.as_deref().unwrap_or(""))) => continue,
                mask::HitView::Unmasked => hit.snippet = search::snippet(&text, &q).unwrap_or_else(|| text.chars().take(160).collect()),
            }
            results.total += 1;
            if results.hits.len() < limit {
                results.hits.push(hit);
            }
        }
        Ok(results)
    }

    fn stats(&self) -> Result<Stats> {
        let count = |sql: &str| -> Result<usize> { self.db.one(sql, &[]) };
        let grouped = |sql: &str| -> Result<Vec<(String, usize)>> { self.db.rows(sql, &[])?.iter().map(|r| Ok((r.get(0)?, r.get(1)?))).collect() };
        let limited = self.refresh_hidden()?;
        let live = format!("FROM events WHERE review <> 'rejected' AND id NOT IN {HIDDEN_EVENTS}");
        Ok(Stats {
            documents: count(&format!("SELECT COUNT(*) FROM documents WHERE id NOT IN {HIDDEN_DOCS}"))?,
            persons: count(&format!("SELECT COUNT(*) FROM persons WHERE id NOT IN {HIDDEN_PERSONS}"))?,
            organizations: if limited {
                count(&format!("SELECT COUNT(DISTINCT org_id) FROM mentions WHERE org_id IS NOT NULL AND document_id NOT IN {HIDDEN_DOCS}"))?
            } else {
                count("SELECT COUNT(*) FROM organizations")?
            },
            events: count(&format!("SELECT COUNT(*) {live}"))?,
            by_type: grouped(&format!("SELECT type, COUNT(*) {live} GROUP BY type ORDER BY COUNT(*) DESC, type"))?,
            by_year: grouped(&format!("SELECT COALESCE(substr(date, 1, 4), 'undated'), COUNT(*) {live} GROUP BY 1 ORDER BY 1"))?,
            by_country: grouped(&format!("SELECT COALESCE(country, 'unknown'), COUNT(*) {live} GROUP BY 1 ORDER BY COUNT(*) DESC, 1"))?,
            transfers: {
                let rows = self.db.rows(
                    &format!(
                        "SELECT COALESCE(country, 'unknown'), to_country, COUNT(*) {live}
                         AND type IN ('deportation', 'extradition', 'rendition') AND to_country IS NOT NULL
                         GROUP BY 1, 2 ORDER BY COUNT(*) DESC, 1, 2"
                    ),
                    &[],
                )?;
                rows.iter().map(|r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).collect::<Result<_>>()?
            },
        })
    }

    fn check_integrity(&self) -> Result<(), String> {
        let result: Vec<String> = match self.db.engine() {
            Engine::Sqlite => self.db.col("PRAGMA integrity_check", &[]).map_err(|e| e.to_string())?,
            // The server checks its own pages; what the store can check is that it answers and its schema is whole.
            Engine::Postgres => match self.db.one::<i64>("SELECT COUNT(*) FROM chronicle_schema", &[]) {
                Ok(1) => vec!["ok".to_string()],
                Ok(n) => vec![format!("chronicle_schema has {n} rows, not one")],
                Err(e) => vec![e.to_string()],
            },
        };
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
        let Ok(id) = decisions::person_id(&self.db, id) else { return Ok(None) };
        let name: String = self.db.one("SELECT name FROM persons WHERE id = ?1", &[&id])?;
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

    fn tag_document(&mut self, document: &str, tags: &[String]) -> Result<()> {
        self.require(Role::Editor, "tag reports")?;
        self.refresh_hidden()?;
        self.add_tags(document, tags)
    }

    fn document_tags(&self, document: &str) -> Result<Vec<String>> {
        self.read_tags(document)
    }

    fn mark_public(&mut self, person: &str, public: bool) -> Result<()> {
        self.require(Role::Editor, "mark persons public")?;
        self.refresh_hidden()?;
        self.set_public(person, public)
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
        if limited && self.masks_document(document)? {
            // This reader's text of it is redacted: an extraction from it would lose what is masked.
            return Err(StoreError::Refused(format!("{document} names records you may not see; an admin or a granted account re-extracts it")));
        }
        let actor = self.actor.clone();
        let tx = self.db.begin_write()?;
        let published: Option<String> = tx
            .opt("SELECT published FROM documents WHERE id = ?1", &[&document])?
            .ok_or_else(|| StoreError::NotFound(format!("no document {document} on record")))?;
        let year = opt_date(published).map(|d| d.year);
        let reviews: Vec<(String, String, Option<String>)> = tx
            .rows("SELECT id, review, corrected FROM events WHERE document_id = ?1 AND (review <> 'machine' OR corrected IS NOT NULL)", &[&document])?
            .iter()
            .map(|r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .collect::<Result<_>>()?;
        let before: (i64, i64) = {
            let r = tx
                .row(
                    "SELECT (SELECT COUNT(DISTINCT person_id) FROM mentions WHERE document_id = ?1), (SELECT COUNT(*) FROM events WHERE document_id = ?1)",
                    &[&document],
                )?
                .ok_or_else(|| StoreError::Corrupt("no counts".into()))?;
            (r.get(0)?, r.get(1)?)
        };
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
            tx.exec(sql, &[&document])?;
        }
        let written = write::write_extraction(&tx, document, year, ex)?;
        for (id, review, corrected) in &reviews {
            tx.exec("UPDATE events SET review = ?1, corrected = ?3 WHERE id = ?2", &[review, id, corrected])?;
            if let Some(c) = corrected.as_deref().and_then(|c| serde_json::from_str(c).ok()) {
                review::apply_correction(&tx, id, &c)?;
            }
        }
        tx.exec("UPDATE documents SET extractor = ?1 WHERE id = ?2", &[&extractor, &document])?;
        // Persons and organisations no document mentions any more.
        let orphans = "SELECT id FROM persons WHERE id NOT IN (SELECT person_id FROM mentions WHERE person_id IS NOT NULL)";
        let orphan_words: Vec<String> = {
            let ids: Vec<i64> = tx.col(orphans, &[])?;
            let mut words = Vec::new();
            for id in ids {
                words.extend(write::person_words(&tx, id)?);
            }
            words
        };
        write::count_name_words(&tx, orphan_words.iter().map(String::as_str), -1)?;
        for table in ["person_public", "person_pins", "person_keys", "person_names", "person_attributes", "person_relations", "person_links", "event_participants"] {
            tx.exec(&format!("DELETE FROM {table} WHERE person_id IN ({orphans})"), &[])?;
        }
        tx.exec(&format!("DELETE FROM person_distinct WHERE a IN ({orphans}) OR b IN ({orphans})"), &[])?;
        tx.exec(&format!("DELETE FROM persons WHERE id IN ({orphans})"), &[])?;
        tx.exec(
            "DELETE FROM organizations WHERE id NOT IN (SELECT org_id FROM mentions WHERE org_id IS NOT NULL)
             AND id NOT IN (SELECT org_id FROM event_participants WHERE org_id IS NOT NULL)",
            &[],
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
        audit::read(&self.db)
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
            &format!(
                "SELECT p.id, p.name FROM persons p WHERE p.id IN (SELECT person_id FROM person_names WHERE folded LIKE ?1)
                 AND p.id NOT IN {HIDDEN_PERSONS} ORDER BY p.id LIMIT ?2"
            ),
            &[&pattern, &limit],
        )?;
        if limited {
            found.retain(|p| p.names.iter().any(|n| fold(n).contains(&folded)));
        }
        if found.is_empty() {
            found = self.persons_by_name_forms(query)?;
            found.truncate(limit);
        }
        Ok(found)
    }

    fn names_of(&self, ids: &[String]) -> Result<HashMap<String, String>> {
        self.refresh_hidden()?;
        let mut out = HashMap::new();
        let person = format!("SELECT name FROM persons WHERE id = ?1 AND id NOT IN {HIDDEN_PERSONS}");
        for id in ids {
            let name: Option<String> = if let Some(n) = id.strip_prefix("person-").and_then(|n| n.parse::<i64>().ok()) {
                self.db.opt(&person, &[&n])?
            } else if let Some(k) = id.strip_prefix("org-") {
                self.db.opt("SELECT name FROM organizations WHERE key = ?1", &[&k])?
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
        self.read_documents(
            &format!("SELECT {DOC_COLUMNS} FROM documents WHERE id NOT IN {HIDDEN_DOCS} ORDER BY COALESCE(published, '') DESC, source, id LIMIT ?1 OFFSET ?2"),
            &[&limit, &offset],
            limited,
        )
    }

    fn create_token_expiring(&mut self, user: &str, label: &str, valid_for: std::time::Duration) -> Result<crate::NewToken> {
        self.new_token(user, label, valid_for)
    }

    fn token_user(&self, token: &str) -> Result<Option<String>> {
        self.token_owner(token)
    }

    fn tokens(&self, user: Option<&str>) -> Result<Vec<crate::TokenRecord>> {
        self.read_tokens(user)
    }

    fn revoke_token(&mut self, id: i64) -> Result<crate::TokenRecord> {
        self.revoke_token_by_id(id)
    }

    fn set_role(&mut self, user: &str, role: Role) -> Result<()> {
        self.change_role(user, role)
    }

    fn set_password(&mut self, user: &str, password: &str) -> Result<()> {
        self.change_password(user, password)
    }

    fn set_enabled(&mut self, user: &str, enabled: bool) -> Result<()> {
        self.change_enabled(user, enabled)
    }

    fn remove_user(&mut self, user: &str) -> Result<()> {
        self.remove_account(user)
    }

    fn session_epoch(&self, user: &str) -> Result<Option<i64>> {
        self.login_epoch(user)
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
        Ok(audit::verify(&audit::read(&self.db)?))
    }
}

/// After a change of schema (which may change what the audit's digests
/// cover), an entry recording the whole store's state: unless the store is
/// new and empty.
fn upgraded(tx: &Db, from: i64, to: i64) -> Result<()> {
    let used: bool = tx.one("SELECT EXISTS (SELECT 1 FROM audit) OR EXISTS (SELECT 1 FROM documents) OR EXISTS (SELECT 1 FROM users)", &[])?;
    if used {
        audit::append_whole(tx, "chronicle", "store.upgrade", "schema", &json!({ "schema": { "from": from, "to": to } }))?;
    }
    Ok(())
}

/// Candidates judged one by one, at least, for a reader some words are masked from.
const MASKED_CANDIDATES: usize = 200;

/// A search row (id, source, title, text) as a hit, its snippet cut from the text.
fn search_hit(row: &Row, q: &search::Query) -> Result<SearchHit> {
    let text: String = row.get(3)?;
    let snippet = search::snippet(&text, q).unwrap_or_else(|| text.chars().take(160).collect());
    Ok(SearchHit { document: row.get(0)?, source: row.get(1)?, title: row.get(2)?, snippet })
}

/// The columns a [`DocumentRecord`] is read from, in order.
const DOC_COLUMNS: &str = "id, source, sha256, title, published, language, publisher, text, ingested_at, reading, ocr_confidence, attached_to";

fn doc_row(r: &Row) -> Result<DocumentRecord> {
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
            reading: Reading::from_stored(&r.get::<String>(9)?, r.get(10)?),
            attached_to: r.get(11)?,
        },
        ingested_at: r.get(8)?,
    })
}
