//! Verifying the record against its audit log: the chain, a head kept
//! outside the store, and the state each entry recorded (see `state`)
//! against the state the store holds now.

use super::state::{self, Columns, DocState, Recorded};
use super::{audit, SqlStore};
use crate::db::Db;
use crate::{AuditEntry, ChainBreak, Result};
use chronicle_model::Document;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};

/// The newest audit entry, by number and hash: printed by `chronicle audit
/// head` to be kept outside the store (on paper, with a colleague), and
/// checked by `chronicle audit verify --head`. The hash chains every entry
/// before it, so a log that still holds this entry unchanged holds every
/// earlier one unchanged. It is not secret and not signed: what it proves
/// comes from where it is kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditHead {
    pub seq: i64,
    pub hash: String,
}

const HEAD_PREFIX: &str = "chronicle-audit-head";

impl std::fmt::Display for AuditHead {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{HEAD_PREFIX}:{}:{}", self.seq, self.hash)
    }
}

impl std::str::FromStr for AuditHead {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let bad = || format!("{s:?} is not an audit head: `chronicle audit head` prints one as {HEAD_PREFIX}:SEQ:SHA256");
        let mut parts = s.trim().split(':');
        if parts.next() != Some(HEAD_PREFIX) {
            return Err(bad());
        }
        let seq = parts.next().and_then(|n| n.parse::<i64>().ok()).filter(|n| *n > 0).ok_or_else(bad)?;
        let hash = parts.next().filter(|h| h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit())).ok_or_else(bad)?;
        if parts.next().is_some() {
            return Err(bad());
        }
        Ok(AuditHead { seq, hash: hash.to_ascii_lowercase() })
    }
}

/// One way the record does not match its audit log.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuditProblem {
    #[error("{0}")]
    Chain(ChainBreak),
    #[error("the kept head names entry {seq}, which the log no longer holds: entries were removed or the log cut short")]
    HeadMissing { seq: i64 },
    #[error("audit entry {seq} is not the one the kept head names: the log up to it was rewritten")]
    HeadDiffers { seq: i64 },
    #[error("no audit entry records the store's state, though Chronicle records it in every entry since schema 6: the log was rewritten")]
    NoState,
    #[error("audit entry {seq} records no state, unlike every entry since {since}: it was not written by Chronicle")]
    Unstated { seq: i64, since: i64 },
    #[error("audit entry {seq} records a state that cannot be read: it was not written by Chronicle")]
    BadState { seq: i64 },
    #[error("table {table} differs from the state audit entry {seq} recorded ({recorded} rows then, {now} now): accounts, roles, grants, restrictions or tokens were changed outside the log")]
    Table { table: String, seq: i64, recorded: usize, now: usize },
    #[error("document {id} is in no audit entry: it was added outside the log")]
    DocumentUnrecorded { id: String },
    #[error("document {id}, recorded by audit entry {seq}, is gone")]
    DocumentMissing { id: String, seq: i64 },
    #[error("document {id} (its text, title, source, date, SHA-256 or other fields) differs from what audit entry {seq} recorded")]
    DocumentDiffers { id: String, seq: i64 },
    #[error("event {id} is in no audit entry (entry {seq} recorded its document without it): it was added outside the log")]
    EventUnrecorded { id: String, seq: i64 },
    #[error("event {id}, recorded by audit entry {seq}, is gone")]
    EventMissing { id: String, seq: i64 },
    #[error("event {id} (its type, review, correction, date, place, other fields or quotes) differs from what audit entry {seq} recorded")]
    EventDiffers { id: String, seq: i64 },
    #[error("document {id}: its original bytes do not have the SHA-256 on record")]
    OriginalDiffers { id: String },
    #[error("document {id}: its id does not follow from its SHA-256")]
    IdDiffers { id: String },
}

/// What verifying the record against its audit log found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditReport {
    /// Entries in the log.
    pub entries: usize,
    /// The first entry that records the state (older ones predate it).
    pub stated_from: Option<i64>,
    /// Documents checked against the log and against their originals.
    pub documents: usize,
    /// Entries after the kept head, when one was given: written since it was kept.
    pub after_head: Option<usize>,
    pub problems: Vec<AuditProblem>,
}

impl AuditReport {
    pub fn is_sound(&self) -> bool {
        self.problems.is_empty()
    }

    /// The problems, one a line.
    pub fn problem_lines(&self) -> String {
        self.problems.iter().map(|p| p.to_string()).collect::<Vec<_>>().join("\n")
    }
}

impl SqlStore {
    /// The newest audit entry as a head to keep; None for an empty log.
    pub fn audit_head(&self) -> Result<Option<AuditHead>> {
        let row = self.db.row("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1", &[])?;
        row.map(|r| Ok(AuditHead { seq: r.get(0)?, hash: r.get(1)? })).transpose()
    }

    /// Checks the record against its audit log, at one moment of it: the
    /// chain; the kept `head`, if given; the state the entries recorded
    /// against the state now (accounts, grants, restrictions, tokens,
    /// documents, events); and every original against its SHA-256 and id.
    pub fn verify_record(&self, head: Option<&AuditHead>) -> Result<AuditReport> {
        let snapshot = self.db.begin_snapshot()?;
        let report = check(&snapshot, head, true)?;
        snapshot.commit()?;
        Ok(report)
    }

    /// The chain and the recorded state, without reading the originals.
    pub(crate) fn verify_log(&self) -> Result<AuditReport> {
        let snapshot = self.db.begin_snapshot()?;
        let report = check(&snapshot, None, false)?;
        snapshot.commit()?;
        Ok(report)
    }
}

fn check(db: &Db, head: Option<&AuditHead>, originals: bool) -> Result<AuditReport> {
    let entries = audit::read(db)?;
    let mut problems = Vec::new();
    if let Err(b) = audit::verify(&entries) {
        problems.push(AuditProblem::Chain(b));
    }
    let after_head = head.map(|h| {
        match entries.iter().find(|e| e.seq == h.seq) {
            None => problems.push(AuditProblem::HeadMissing { seq: h.seq }),
            Some(e) if e.hash != h.hash => problems.push(AuditProblem::HeadDiffers { seq: h.seq }),
            Some(_) => {}
        }
        entries.iter().filter(|e| e.seq > h.seq).count()
    });
    let stated_from = entries.iter().find(|e| e.state.is_some()).map(|e| e.seq);
    let ids: Vec<String> = db.col("SELECT id FROM documents ORDER BY id", &[])?;
    match recorded(&entries, &mut problems) {
        Some(log) => compare(db, &log, &ids, &mut problems)?,
        None if entries.is_empty() => compare(db, &LogState::default(), &ids, &mut problems)?,
        None => problems.push(AuditProblem::NoState),
    }
    if originals {
        for id in &ids {
            check_original(db, id, &mut problems)?;
        }
    }
    Ok(AuditReport { entries: entries.len(), stated_from, documents: ids.len(), after_head, problems })
}

/// The state the log vouches for: each part as the latest entry recording it left it.
#[derive(Default)]
struct LogState {
    access: Option<(i64, BTreeMap<String, String>)>,
    documents: HashMap<String, (i64, Option<DocState>)>,
}

/// The latest recorded state of everything, from the entries that record one;
/// None when none does.
fn recorded(entries: &[AuditEntry], problems: &mut Vec<AuditProblem>) -> Option<LogState> {
    let first = entries.iter().position(|e| e.state.is_some())?;
    let mut log = LogState::default();
    for e in &entries[first..] {
        let Some(text) = &e.state else {
            problems.push(AuditProblem::Unstated { seq: e.seq, since: entries[first].seq });
            continue;
        };
        let Some(Recorded { access, documents }) = state::parse(text) else {
            problems.push(AuditProblem::BadState { seq: e.seq });
            continue;
        };
        if let Some(a) = access {
            log.access = Some((e.seq, a));
        }
        for (id, d) in documents {
            log.documents.insert(id, (e.seq, d));
        }
    }
    Some(log)
}

fn compare(db: &Db, log: &LogState, ids: &[String], problems: &mut Vec<AuditProblem>) -> Result<()> {
    let all: Vec<&str> = state::ACCESS_TABLES.iter().chain(["documents", "events", "event_sources"].iter()).copied().collect();
    let cols = Columns::read(db, &all)?;
    let now = state::access(db, &cols)?;
    for (table, digest) in &now {
        let (seq, was) = match &log.access {
            Some((seq, a)) => (*seq, a.get(table).cloned()),
            None => (0, None),
        };
        let empty = state::rows_of(digest) == 0 && was.is_none();
        if !empty && was.as_deref() != Some(digest.as_str()) {
            let recorded = was.as_deref().map_or(0, state::rows_of);
            problems.push(AuditProblem::Table { table: table.clone(), seq, recorded, now: state::rows_of(digest) });
        }
    }
    for id in ids {
        let current = state::document(db, &cols, id)?;
        match (log.documents.get(id), current) {
            (None | Some((_, None)), _) => problems.push(AuditProblem::DocumentUnrecorded { id: id.clone() }),
            (Some((seq, Some(was))), Some(now)) => compare_document(id, *seq, was, &now, problems),
            (Some(_), None) => {}
        }
    }
    let mut gone: Vec<(&String, i64)> = log.documents.iter().filter(|(id, (_, d))| d.is_some() && ids.binary_search(id).is_err()).map(|(id, (seq, _))| (id, *seq)).collect();
    gone.sort();
    problems.extend(gone.into_iter().map(|(id, seq)| AuditProblem::DocumentMissing { id: id.clone(), seq }));
    Ok(())
}

fn compare_document(id: &str, seq: i64, was: &DocState, now: &DocState, problems: &mut Vec<AuditProblem>) {
    if was.row != now.row {
        problems.push(AuditProblem::DocumentDiffers { id: id.to_string(), seq });
    }
    for (event, digest) in &now.events {
        match was.events.get(event) {
            None => problems.push(AuditProblem::EventUnrecorded { id: event.clone(), seq }),
            Some(d) if d != digest => problems.push(AuditProblem::EventDiffers { id: event.clone(), seq }),
            Some(_) => {}
        }
    }
    for event in was.events.keys().filter(|e| !now.events.contains_key(*e)) {
        problems.push(AuditProblem::EventMissing { id: event.clone(), seq });
    }
}

fn check_original(db: &Db, id: &str, problems: &mut Vec<AuditProblem>) -> Result<()> {
    let Some(row) = db.row("SELECT sha256, original FROM documents WHERE id = ?1", &[&id])? else { return Ok(()) };
    let (sha, original): (String, Vec<u8>) = (row.get(0)?, row.get(1)?);
    if format!("{:x}", Sha256::digest(&original)) != sha {
        problems.push(AuditProblem::OriginalDiffers { id: id.to_string() });
    }
    if Document::id_for_sha256(&sha) != id {
        problems.push(AuditProblem::IdDiffers { id: id.to_string() });
    }
    Ok(())
}
