//! Many reports at once: read and extracted side by side, stored in order, so
//! that the record (person ids included) is the one a single worker makes.

use crate::{after_storing, ingest_bytes, prepare, NotExtracted, Options, PipelineError, Prepared, Stored};
use chronicle_store::{Added, QueueOutcome, QueuedReport, SqlStore, Store, StoreError};
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;

/// How a caller gives a report: its name (a path or file name, whose
/// extension gives the format) and bytes, or why it could not.
pub type ReadReport<'a, S, E> = dyn Fn(&S) -> Result<(String, Vec<u8>), E> + Sync + 'a;

/// Stores `reports` in their order: `read` gives each one's name (a path or
/// file name, whose extension gives the format) and bytes; on `workers`
/// threads they are read and extracted, on this one stored. `done` is told
/// what became of each, in order.
pub fn ingest_in_order<S: Sync, E: From<PipelineError> + Send>(
    store: &mut dyn Store,
    reports: &[S],
    workers: usize,
    options: &Options,
    read: &ReadReport<'_, S, E>,
    done: &mut dyn FnMut(usize, Result<Stored, E>),
) {
    if workers <= 1 {
        for (i, r) in reports.iter().enumerate() {
            done(i, read(r).and_then(|(name, bytes)| Ok(ingest_bytes(store, &name, &bytes, options)?)));
        }
        return;
    }
    let next = AtomicUsize::new(0);
    let (tx, rx) = mpsc::sync_channel::<(usize, Result<Prepared, E>)>(workers * 4);
    std::thread::scope(|scope| {
        for _ in 0..workers {
            let (tx, next) = (tx.clone(), &next);
            scope.spawn(move || loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(r) = reports.get(i) else { break };
                let prepared = read(r).and_then(|(name, bytes)| Ok(prepare(&name, bytes, options)?));
                if tx.send((i, prepared)).is_err() {
                    break;
                }
            });
        }
        drop(tx);
        store_in_order(store, rx, done);
    });
}

/// Stores prepared reports as they arrive, each once those before it are stored.
fn store_in_order<E: From<PipelineError>>(store: &mut dyn Store, rx: mpsc::Receiver<(usize, Result<Prepared, E>)>, done: &mut dyn FnMut(usize, Result<Stored, E>)) {
    let mut waiting = BTreeMap::new();
    let mut due = 0;
    for (i, prepared) in rx {
        waiting.insert(i, prepared);
        while let Some(prepared) = waiting.remove(&due) {
            done(due, prepared.and_then(|p| Ok(crate::store_prepared(store, &p)?)));
            due += 1;
        }
    }
}

/// One worker of a server store's ingestion queue (beside any number of
/// others, in any process): takes reports until none is left, reads and
/// extracts each, and tells `done` what became of it, with whether it was
/// stored now without extraction.
pub fn work_queue(
    store: &mut SqlStore,
    worker: &str,
    options: &Options,
    done: &mut dyn FnMut(&QueuedReport, QueueOutcome, Option<NotExtracted>),
) -> Result<(), StoreError> {
    // What of the report this worker prepared last is stored after it: its
    // id, whether it is one not extracted, its attachments.
    let last = RefCell::new(None::<(String, Option<NotExtracted>, Vec<Prepared>)>);
    let mut read = |r: &QueuedReport| -> Result<chronicle_store::Prepared, String> {
        last.replace(None);
        let p = prepare(&r.source, r.bytes.clone(), options).map_err(|e| e.to_string())?;
        last.replace(Some((p.document.id.clone(), p.not_extracted(), p.attachments.clone())));
        Ok((p.document, p.extraction, p.extractor.to_string()))
    };
    while let Some((report, outcome)) = store.work_queue(worker, &mut read)? {
        let (id, said, attachments) = last.take().unwrap_or_default();
        let stored = matches!(outcome, QueueOutcome::Stored(_));
        if stored && !id.is_empty() {
            after_storing(store, &id, attachments, options).map_err(|e| match e {
                PipelineError::Store(e) => e,
                e => StoreError::Refused(e.to_string()),
            })?;
        }
        let said = if matches!(outcome, QueueOutcome::Stored(Added::New { .. })) { said } else { None };
        done(&report, outcome, said);
    }
    Ok(())
}
