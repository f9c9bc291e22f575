//! The ingestion queue of a server store: reports are queued once (by their
//! bytes), and any number of workers — threads of one `chronicle ingest`, or
//! several processes on several machines — claim them one at a time
//! (`FOR UPDATE SKIP LOCKED`), read and extract them at once, and store them
//! in the order they were queued. Storing in queue order keeps linking (and
//! so the persons' ids) the same as one worker's; reading and extracting, the
//! slow part, is what runs side by side.
//!
//! A claim is a row lock held by the worker's transaction: a worker that
//! dies leaves the report to be claimed again, and nothing half-stored.

use super::SqlStore;
use crate::{Added, Result, StoreError};
use chronicle_model::{Document, Extraction};
use sha2::{Digest, Sha256};

/// A report taken from the queue.
#[derive(Debug, Clone)]
pub struct QueuedReport {
    pub seq: i64,
    /// Where the report came from (the path it was queued by).
    pub source: String,
    pub bytes: Vec<u8>,
}

/// What became of a report a worker took.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QueueOutcome {
    Stored(Added),
    /// It could not be read or extracted: why.
    Failed(String),
}

/// A report read and extracted by a worker: the document, its extraction and the extractor's name.
pub type Prepared = (Document, Extraction, String);

/// How many reports are in the queue, by state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct QueueCounts {
    pub pending: usize,
    pub done: usize,
    pub failed: usize,
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

impl SqlStore {
    fn require_queue(&self) -> Result<()> {
        if self.db.is_postgres() {
            Ok(())
        } else {
            Err(StoreError::Refused("the ingestion queue is a server store's (PostgreSQL); an embedded store ingests with `--workers` in one process".into()))
        }
    }

    /// Queues reports (source, bytes), in this order, in one transaction.
    /// Bytes already queued, or already on record, are not queued again;
    /// bytes that failed before are.
    /// Returns how many were queued, and how many were on record already.
    pub fn enqueue(&mut self, reports: &[(String, Vec<u8>)]) -> Result<(usize, usize)> {
        self.require(crate::Role::Editor, "ingest reports")?;
        self.require_queue()?;
        let tx = self.db.begin_write()?;
        let (mut queued, mut on_record) = (0, 0);
        for (source, bytes) in reports {
            let sha = sha256_hex(bytes);
            if tx.one::<bool>("SELECT EXISTS (SELECT 1 FROM documents WHERE sha256 = ?1)", &[&sha])? {
                on_record += 1;
                continue;
            }
            let added = tx.exec(
                "INSERT INTO ingest_queue (sha256, source, bytes, queued_at) VALUES (?1, ?2, ?3, ?4) ON CONFLICT (sha256) DO NOTHING",
                &[&sha, source, bytes, &super::now()],
            )?;
            // A report that failed before is taken again (a newer Chronicle may
            // read it). Not with ON CONFLICT DO UPDATE: that locks the row it
            // meets whatever its state, and a row a worker holds would make this
            // wait for the worker while the worker waits for the writers' lock.
            let again = if added == 0 {
                tx.exec(
                    "UPDATE ingest_queue SET state = 'pending', source = ?2, bytes = ?3, outcome = NULL, worker = NULL, queued_at = ?4, done_at = NULL
                     WHERE sha256 = ?1 AND state = 'failed'",
                    &[&sha, source, bytes, &super::now()],
                )?
            } else {
                0
            };
            queued += added + again;
        }
        tx.commit()?;
        Ok((queued, on_record))
    }

    /// Takes the next report from the queue, prepares it (reads and extracts:
    /// done while other workers do the same), waits for the reports queued
    /// before it to be stored, and stores it — or records why it failed — in
    /// one transaction. `None` when nothing is left to take.
    pub fn work_queue(&mut self, worker: &str, prepare: &mut dyn FnMut(&QueuedReport) -> Result<Prepared, String>) -> Result<Option<(QueuedReport, QueueOutcome)>> {
        self.require(crate::Role::Editor, "ingest reports")?;
        self.require_queue()?;
        self.refresh_hidden()?;
        loop {
            let tx = self.db.begin()?;
            let Some(row) = tx.row("SELECT seq, source, bytes FROM ingest_queue WHERE state = 'pending' ORDER BY seq LIMIT 1 FOR UPDATE SKIP LOCKED", &[])? else {
                tx.commit()?;
                return Ok(None);
            };
            let report = QueuedReport { seq: row.get(0)?, source: row.get(1)?, bytes: row.get::<Option<Vec<u8>>>(2)?.unwrap_or_default() };
            let prepared = prepare(&report);
            // The document's row (its text indexed for search: the dearest
            // write) goes in now, beside the other workers' writing.
            let present = match &prepared {
                Ok((doc, _, extractor)) => self.insert_document_row(&tx, doc, &report.bytes, extractor)?,
                Err(_) => None,
            };
            // Wait for the report just before this one still being worked on
            // (its worker waited for the one before it, and so on down): the
            // lock on that one row is the only one waited for, so waits only go
            // down the queue and never round in a circle. A report before this
            // one that is pending and held by nobody was let go by a worker
            // that stopped: give this one back and take the first of those.
            let orphan = tx.row(
                "SELECT seq FROM ingest_queue WHERE seq < ?1 AND state = 'pending' ORDER BY seq DESC LIMIT 1 FOR SHARE",
                &[&report.seq],
            )?;
            if let Some(orphan) = orphan {
                tracing::info!(report = report.seq, earlier = orphan.get::<i64>(0)?, "an earlier report is pending and held by no worker: taking that first");
                drop(tx);
                std::thread::sleep(std::time::Duration::from_millis(20));
                continue;
            }
            tx.take_write_lock()?;
            // The report and its queue entry commit together: should the server
            // stop before the commit reaches the disk, both are lost together and the
            // report is taken again. So the commit need not wait for the disk, and the
            // next worker need not wait for it.
            tx.batch("SET LOCAL synchronous_commit = off")?;
            let outcome = match (prepared, present) {
                (Ok(_), Some(present)) => QueueOutcome::Stored(present),
                (Ok((doc, ex, extractor)), None) => QueueOutcome::Stored(self.write_records(&tx, &doc, &ex, &extractor)?),
                (Err(why), _) => QueueOutcome::Failed(why),
            };
            let (state, note) = match &outcome {
                QueueOutcome::Stored(Added::New { .. }) => ("done", "stored".to_string()),
                QueueOutcome::Stored(Added::AlreadyPresent { source }) => ("done", format!("already on record as {source}")),
                QueueOutcome::Failed(why) => ("failed", why.clone()),
            };
            tx.exec(
                "UPDATE ingest_queue SET state = ?2, outcome = ?3, worker = ?4, done_at = ?5, bytes = NULL WHERE seq = ?1",
                &[&report.seq, &state, &note, &worker, &super::now()],
            )?;
            tx.commit()?;
            return Ok(Some((report, outcome)));
        }
    }

    /// How many reports the queue holds, by state.
    pub fn queue_counts(&self) -> Result<QueueCounts> {
        self.require_queue()?;
        let mut counts = QueueCounts::default();
        for row in self.db.rows("SELECT state, COUNT(*) FROM ingest_queue GROUP BY state", &[])? {
            let (state, n): (String, usize) = (row.get(0)?, row.get(1)?);
            match state.as_str() {
                "pending" => counts.pending = n,
                "done" => counts.done = n,
                _ => counts.failed = n,
            }
        }
        Ok(counts)
    }
}
