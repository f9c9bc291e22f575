//! What bounds a read that could run long: a time limit, and a flag its
//! caller raises when it no longer wants the answer (a client that went away).

use crate::StoreError;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The longest search query, in bytes.
pub const MAX_SEARCH_BYTES: usize = 1024;
/// The most different words a search may have.
pub const MAX_SEARCH_WORDS: usize = 32;
/// How long a search may run by default ([`crate::SqlStore::set_search_time`]).
pub const SEARCH_TIME: Duration = Duration::from_secs(10);

/// Raised by whoever asked for a read when the answer is no longer wanted;
/// the store stops the search that is running (see [`crate::SqlStore::set_cancel`]).
#[derive(Debug, Clone, Default)]
pub struct Cancel(Arc<AtomicBool>);

impl Cancel {
    pub fn new() -> Cancel {
        Cancel::default()
    }
    pub fn cancel(&self) {
        self.0.store(true, Ordering::Relaxed);
    }
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}

/// When one query must stop: at its deadline, or when its caller cancels.
#[derive(Debug, Clone)]
pub(crate) struct Stop {
    deadline: Instant,
    limit: Duration,
    cancel: Cancel,
}

impl Stop {
    pub(crate) fn new(limit: Duration, cancel: Cancel) -> Stop {
        Stop { deadline: Instant::now() + limit, limit, cancel }
    }

    pub(crate) fn should_stop(&self) -> bool {
        self.cancel.is_cancelled() || Instant::now() >= self.deadline
    }

    /// Completes once the query should stop.
    pub(crate) async fn stopped(&self) {
        while !self.should_stop() {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    /// Why the query was stopped.
    pub(crate) fn error(&self) -> StoreError {
        if self.cancel.is_cancelled() {
            StoreError::Interrupted("the search was stopped: whoever asked for it went away".into())
        } else {
            StoreError::Interrupted(format!("the search took longer than {:.1} s and was stopped; search for fewer or rarer words", self.limit.as_secs_f64()))
        }
    }
}
