//! The embedded store: one SQLite file.

use crate::{Added, DocumentRecord, EventRecord, MentionRecord, OrgRecord, PersonRecord, Result, SearchHit, SourceRecord, Stats, Store, StoreError};
use chronicle_link::{blocking_key, decide, names::fold, Candidate, LinkDecision, NewPerson};
use chronicle_model::{Document, EntityRef, EventType, Extraction, PersonStatus};
use rusqlite::{params, Connection, OptionalExtension};
use std::collections::HashMap;
use std::path::Path;

/// Schema migrations, applied in order; the store's `user_version` is the count applied.
const MIGRATIONS: &[&str] = &[include_str!("../migrations/sqlite/0001_initial.sql")];

pub struct SqliteStore {
    conn: Connection,
}

impl SqliteStore {
    /// Opens (creating if needed) the store at `path` and brings its schema up to date.
    pub fn open(path: impl AsRef<Path>) -> Result<Self> {
        let path_str = path.as_ref().display().to_string();
        let conn = Connection::open(path.as_ref()).map_err(|source| StoreError::Open { path: path_str.clone(), source })?;
        Self::init(conn, &path_str)
    }

    /// A store in memory, for tests and dry runs.
    pub fn open_in_memory() -> Result<Self> {
        Self::init(Connection::open_in_memory()?, ":memory:")
    }

    fn init(conn: Connection, path: &str) -> Result<Self> {
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        // WAL keeps readers and the writer apart; NORMAL sync is durable against process kills.
        conn.pragma_update(None, "journal_mode", "WAL").map_err(|source| StoreError::Open { path: path.into(), source })?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        let mut store = SqliteStore { conn };
        store.migrate(path)?;
        Ok(store)
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

    fn person_candidates(tx: &rusqlite::Transaction<'_>, keys: &[String]) -> Result<Vec<Candidate>> {
        let mut out: Vec<Candidate> = Vec::new();
        let mut by_key = tx.prepare_cached("SELECT id FROM persons WHERE blocking_key = ?1")?;
        let mut names = tx.prepare_cached("SELECT name FROM person_names WHERE person_id = ?1 ORDER BY name")?;
        let mut nat = tx.prepare_cached("SELECT DISTINCT value FROM person_attributes WHERE person_id = ?1 AND kind = 'nationality'")?;
        for key in keys {
            let ids: Vec<i64> = by_key.query_map([key], |r| r.get(0))?.collect::<Result<_, _>>()?;
            for id in ids {
                if out.iter().any(|c| c.id == id) {
                    continue;
                }
                out.push(Candidate {
                    id,
                    names: names.query_map([id], |r| r.get(0))?.collect::<Result<_, _>>()?,
                    nationality: nat.query_map([id], |r| r.get(0))?.collect::<Result<_, _>>()?,
                    distinct: false,
                });
            }
        }
        Ok(out)
    }

    fn mentions_of(&self, column: &str, id: i64) -> Result<Vec<MentionRecord>> {
        let sql = format!("SELECT document_id, text, start, end FROM mentions WHERE {column} = ?1 ORDER BY document_id, start");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map([id], |r| {
            Ok(MentionRecord { document: r.get(0)?, text: r.get(1)?, start: r.get::<_, i64>(2)? as usize, end: r.get::<_, i64>(3)? as usize })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn person_record(&self, id: i64, name: String, status: &HashMap<i64, PersonStatus>) -> Result<PersonRecord> {
        let mut names_stmt = self.conn.prepare_cached("SELECT name FROM person_names WHERE person_id = ?1 ORDER BY name")?;
        let names: Vec<String> = names_stmt.query_map([id], |r| r.get(0))?.collect::<Result<_, _>>()?;
        let mut attrs = self.conn.prepare_cached(
            "SELECT a.kind, a.value FROM person_attributes a JOIN documents d ON d.id = a.document_id
             WHERE a.person_id = ?1 ORDER BY d.published, d.source, a.rowid",
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
            mentions: self.mentions_of("person_id", id)?,
            age,
            birth_year,
            nationality,
            occupation,
            status: status.get(&id).copied(),
        })
    }

    /// The latest known status of each person, from the events they suffered.
    fn statuses(&self) -> Result<HashMap<i64, PersonStatus>> {
        let mut stmt = self.conn.prepare(
            "SELECT p.person_id, e.type FROM event_participants p
             JOIN events e ON e.id = p.event_id JOIN documents d ON d.id = e.document_id
             WHERE p.role = 'victim' AND p.person_id IS NOT NULL AND e.review <> 'rejected'
             ORDER BY COALESCE(e.date, d.published, ''), d.published, d.source, e.ordinal",
        )?;
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
        let status = self.statuses()?;
        let mut stmt = self.conn.prepare(sql)?;
        let rows: Vec<(i64, String)> = stmt.query_map(params, |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<Result<_, _>>()?;
        rows.into_iter().map(|(id, name)| self.person_record(id, name, &status)).collect()
    }
}

fn opt_date(s: Option<String>) -> Option<chronicle_model::PartialDate> {
    s.and_then(|s| s.parse().ok())
}

impl Store for SqliteStore {
    fn contains(&self, sha256: &str) -> Result<bool> {
        Ok(self.conn.query_row("SELECT 1 FROM documents WHERE sha256 = ?1", [sha256], |_| Ok(())).optional()?.is_some())
    }

    fn add_document(&mut self, doc: &Document, original: &[u8], ex: &Extraction, extractor: &str) -> Result<Added> {
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        if let Some(source) = tx.query_row("SELECT source FROM documents WHERE sha256 = ?1", [&doc.sha256], |r| r.get(0)).optional()? {
            return Ok(Added::AlreadyPresent { source });
        }
        let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        tx.execute(
            "INSERT INTO documents (id, sha256, source, title, published, language, publisher, text, original, ingested_at, extractor)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            params![doc.id, doc.sha256, doc.source, doc.title, doc.published.map(|d| d.to_string()), doc.language, doc.publisher, doc.text, original, now, extractor],
        )?;

        // Organisations: one row per key across all documents.
        let mut org_ids = Vec::with_capacity(ex.orgs.len());
        for o in &ex.orgs {
            tx.execute(
                "INSERT INTO organizations (key, name, category, country) VALUES (?1, ?2, ?3, ?4) ON CONFLICT(key) DO NOTHING",
                params![o.key, o.name, o.category.map(|c| c.as_str()), o.country.map(|c| c.to_string())],
            )?;
            let id: i64 = tx.query_row("SELECT id FROM organizations WHERE key = ?1", [&o.key], |r| r.get(0))?;
            for m in &o.mentions {
                tx.execute(
                    "INSERT INTO mentions (document_id, org_id, text, start, end) VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![doc.id, id, m.text, m.span.start as i64, m.span.end as i64],
                )?;
            }
            org_ids.push(id);
        }

        // Persons: linked to a person on record, or new.
        let (mut linked, mut created) = (0, 0);
        let mut person_ids = Vec::with_capacity(ex.persons.len());
        for (local, p) in ex.persons.iter().enumerate() {
            let mut names: Vec<String> = vec![p.name.clone()];
            for m in &p.mentions {
                if !names.contains(&m.text) {
                    names.push(m.text.clone());
                }
            }
            let new = NewPerson { names: names.clone(), age: p.age, nationality: p.nationality.iter().map(|c| c.to_string()).collect() };
            let mut keys: Vec<String> = names.iter().filter(|n| n.split_whitespace().count() >= 2).map(|n| blocking_key(n)).collect();
            keys.dedup();
            let candidates = Self::person_candidates(&tx, &keys)?;
            let (id, score, evidence) = match decide(&new, &candidates) {
                LinkDecision::Existing { id, score, evidence } => {
                    linked += 1;
                    (id, score, evidence)
                }
                LinkDecision::New => {
                    tx.execute(
                        "INSERT INTO persons (name, blocking_key, created_in) VALUES (?1, ?2, ?3)",
                        params![p.name, blocking_key(&p.name), doc.id],
                    )?;
                    created += 1;
                    (tx.last_insert_rowid(), 1.0, "first seen".to_string())
                }
            };
            tx.execute(
                "INSERT INTO person_links (person_id, document_id, local_index, score, evidence) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![id, doc.id, local as i64, score, evidence],
            )?;
            for n in &names {
                tx.execute("INSERT OR IGNORE INTO person_names (person_id, name, folded) VALUES (?1, ?2, ?3)", params![id, n, fold(n)])?;
            }
            for m in &p.mentions {
                tx.execute(
                    "INSERT INTO mentions (document_id, person_id, text, start, end) VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![doc.id, id, m.text, m.span.start as i64, m.span.end as i64],
                )?;
            }
            let attr = |kind: &str, value: String| {
                tx.execute("INSERT INTO person_attributes (person_id, document_id, kind, value) VALUES (?1, ?2, ?3, ?4)", params![id, doc.id, kind, value])
            };
            if let Some(a) = p.age {
                attr("age", a.to_string())?;
            }
            if let Some(y) = p.birth_year {
                attr("birth_year", y.to_string())?;
            }
            for c in &p.nationality {
                attr("nationality", c.to_string())?;
            }
            for o in &p.occupation {
                attr("occupation", o.clone())?;
            }
            person_ids.push(id);
        }

        for pl in &ex.places {
            tx.execute(
                "INSERT INTO places (document_id, name, country, start, end) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![doc.id, pl.name, pl.country.map(|c| c.to_string()), pl.span.start as i64, pl.span.end as i64],
            )?;
        }

        for (ordinal, e) in ex.events.iter().enumerate() {
            let id = format!("{}-e{}", doc.id, ordinal + 1);
            let charges = serde_json::to_string(&e.charges).map_err(|err| StoreError::Corrupt(err.to_string()))?;
            tx.execute(
                "INSERT INTO events (id, document_id, ordinal, type, date, place, country, to_country, term_years, regime, charges, confidence)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                params![
                    id, doc.id, ordinal as i64 + 1, e.kind.as_str(), e.date.map(|d| d.to_string()), e.place,
                    e.country.map(|c| c.to_string()), e.to_country.map(|c| c.to_string()), e.term_years, e.regime, charges,
                    f64::from(e.confidence)
                ],
            )?;
            for (role, list) in [("victim", &e.victims), ("perpetrator", &e.perpetrators)] {
                for (pos, r) in list.iter().enumerate() {
                    let missing = || StoreError::Corrupt(format!("event {id} names a participant the extraction does not have"));
                    let (person, org) = match *r {
                        EntityRef::Person(i) => (Some(*person_ids.get(i).ok_or_else(missing)?), None),
                        EntityRef::Org(i) => (None, Some(*org_ids.get(i).ok_or_else(missing)?)),
                    };
                    tx.execute(
                        "INSERT INTO event_participants (event_id, role, position, person_id, org_id) VALUES (?1, ?2, ?3, ?4, ?5)",
                        params![id, role, pos as i64, person, org],
                    )?;
                }
            }
            for s in &e.sources {
                tx.execute(
                    "INSERT INTO event_sources (event_id, document_id, start, end, quote) VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![id, doc.id, s.span.start as i64, s.span.end as i64, s.quote],
                )?;
            }
        }
        tx.commit()?;
        Ok(Added::New { persons_linked: linked, persons_created: created, events: ex.events.len() })
    }

    fn documents(&self) -> Result<Vec<DocumentRecord>> {
        let mut stmt = self.conn.prepare(
            "SELECT id, source, sha256, title, published, language, publisher, text, ingested_at FROM documents ORDER BY source, id",
        )?;
        let rows = stmt.query_map([], doc_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn document(&self, id: &str) -> Result<Option<DocumentRecord>> {
        Ok(self
            .conn
            .query_row("SELECT id, source, sha256, title, published, language, publisher, text, ingested_at FROM documents WHERE id = ?1", [id], doc_row)
            .optional()?)
    }

    fn original(&self, id: &str) -> Result<Option<Vec<u8>>> {
        Ok(self.conn.query_row("SELECT original FROM documents WHERE id = ?1", [id], |r| r.get(0)).optional()?)
    }

    fn persons(&self) -> Result<Vec<PersonRecord>> {
        self.read_persons("SELECT id, name FROM persons ORDER BY id", &[])
    }

    fn organizations(&self) -> Result<Vec<OrgRecord>> {
        let mut stmt = self.conn.prepare("SELECT id, key, name, category, country FROM organizations ORDER BY key")?;
        let rows: Vec<(i64, String, String, Option<String>, Option<String>)> =
            stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))?.collect::<Result<_, _>>()?;
        rows.into_iter()
            .map(|(id, key, name, category, country)| {
                let mentions = self.mentions_of("org_id", id)?;
                let mut names = vec![name.clone()];
                for m in &mentions {
                    if !names.contains(&m.text) {
                        names.push(m.text.clone());
                    }
                }
                Ok(OrgRecord { id: format!("org-{key}"), name, names, mentions, category: category.and_then(|c| c.parse().ok()), country })
            })
            .collect()
    }

    fn events(&self) -> Result<Vec<EventRecord>> {
        let mut participants: HashMap<String, (Vec<String>, Vec<String>)> = HashMap::new();
        {
            let mut stmt = self.conn.prepare(
                "SELECT p.event_id, p.role, p.person_id, o.key FROM event_participants p
                 LEFT JOIN organizations o ON o.id = p.org_id ORDER BY p.event_id, p.role, p.position",
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
            let mut stmt = self.conn.prepare("SELECT event_id, document_id, start, end, quote FROM event_sources ORDER BY event_id, start")?;
            for row in stmt.query_map([], |r| {
                Ok((r.get::<_, String>(0)?, SourceRecord { document: r.get(1)?, start: r.get::<_, i64>(2)? as usize, end: r.get::<_, i64>(3)? as usize, quote: r.get(4)? }))
            })? {
                let (event, s) = row?;
                sources.entry(event).or_default().push(s);
            }
        }
        let mut stmt = self.conn.prepare(
            "SELECT e.id, e.type, e.date, e.place, e.country, e.to_country, e.term_years, e.regime, e.charges, e.confidence, e.review
             FROM events e JOIN documents d ON d.id = e.document_id ORDER BY d.source, d.id, e.ordinal",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, Option<String>>(2)?, r.get::<_, Option<String>>(3)?,
                r.get::<_, Option<String>>(4)?, r.get::<_, Option<String>>(5)?, r.get::<_, Option<f64>>(6)?, r.get::<_, Option<String>>(7)?,
                r.get::<_, String>(8)?, r.get::<_, Option<f64>>(9)?, r.get::<_, String>(10)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, kind, date, place, country, to_country, term_years, regime, charges, confidence, review) = row?;
            let (victims, perpetrators) = participants.remove(&id).unwrap_or_default();
            out.push(EventRecord {
                kind: kind.parse().map_err(|e| StoreError::Corrupt(format!("event {id}: {e}")))?,
                date: opt_date(date),
                place,
                country,
                to_country,
                victims,
                perpetrators,
                term_years,
                regime,
                charges: serde_json::from_str(&charges).map_err(|e| StoreError::Corrupt(format!("event {id}: charges: {e}")))?,
                confidence,
                review: review.parse().map_err(|e| StoreError::Corrupt(format!("event {id}: {e}")))?,
                sources: sources.remove(&id).unwrap_or_default(),
                id,
            });
        }
        Ok(out)
    }

    fn find_persons(&self, query: &str) -> Result<Vec<PersonRecord>> {
        let folded = format!("%{}%", fold(query));
        self.read_persons(
            "SELECT DISTINCT p.id, p.name FROM persons p JOIN person_names n ON n.person_id = p.id WHERE n.folded LIKE ?1 ORDER BY p.id",
            &[&folded],
        )
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
        let mut stmt = self.conn.prepare(
            "SELECT d.id, d.source, d.title, snippet(documents_fts, 1, '[', ']', '…', 16)
             FROM documents_fts JOIN documents d ON d.rowid = documents_fts.rowid
             WHERE documents_fts MATCH ?1 ORDER BY rank LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![fts_query, limit as i64], |r| {
            Ok(SearchHit { document: r.get(0)?, source: r.get(1)?, title: r.get(2)?, snippet: r.get(3)? })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn stats(&self) -> Result<Stats> {
        let count = |sql: &str| -> Result<usize> { Ok(self.conn.query_row(sql, [], |r| r.get::<_, i64>(0))? as usize) };
        let grouped = |sql: &str| -> Result<Vec<(String, usize)>> {
            let mut stmt = self.conn.prepare(sql)?;
            let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)? as usize)))?;
            Ok(rows.collect::<Result<_, _>>()?)
        };
        let live = "FROM events WHERE review <> 'rejected'";
        Ok(Stats {
            documents: count("SELECT COUNT(*) FROM documents")?,
            persons: count("SELECT COUNT(*) FROM persons")?,
            organizations: count("SELECT COUNT(*) FROM organizations")?,
            events: count(&format!("SELECT COUNT(*) {live}"))?,
            by_type: grouped(&format!("SELECT type, COUNT(*) {live} GROUP BY type ORDER BY COUNT(*) DESC, type"))?,
            by_year: grouped(&format!("SELECT COALESCE(substr(date, 1, 4), 'undated'), COUNT(*) {live} GROUP BY 1 ORDER BY 1"))?,
            by_country: grouped(&format!("SELECT COALESCE(country, 'unknown'), COUNT(*) {live} GROUP BY 1 ORDER BY COUNT(*) DESC, 1"))?,
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
