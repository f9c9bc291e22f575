//! A few connections to the store, shared by the request handlers. Each
//! request borrows one on a blocking thread, acts as its account on it, and
//! gives it back.

use crate::error::AppError;
use chronicle_store::{Cancel, SqlStore, Store, StoreError};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

pub struct Pool {
    stores: Arc<Vec<Mutex<SqlStore>>>,
    next: AtomicUsize,
}

impl Pool {
    /// `size` connections like `first` (same file, same key).
    pub fn new(first: SqlStore, size: usize) -> Result<Pool, StoreError> {
        let mut stores = Vec::with_capacity(size.max(1));
        for _ in 1..size.max(1) {
            stores.push(Mutex::new(first.reopen()?));
        }
        stores.push(Mutex::new(first));
        Ok(Pool { stores: Arc::new(stores), next: AtomicUsize::new(0) })
    }

    /// Runs `f` on a connection acting as `user` (None: as nobody in
    /// particular, which sees no restricted record and changes nothing).
    /// When the request goes away before `f` is done (its client closed the
    /// connection), the search `f` is running is stopped.
    pub async fn run<T, F>(&self, user: Option<String>, f: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce(&mut SqlStore) -> Result<T, AppError> + Send + 'static,
    {
        let stores = Arc::clone(&self.stores);
        let start = self.next.fetch_add(1, Ordering::Relaxed);
        let cancel = Cancel::new();
        let _on_drop = CancelOnDrop(cancel.clone());
        tokio::task::spawn_blocking(move || {
            if cancel.is_cancelled() {
                return Err(AppError::Store(StoreError::Interrupted("the request went away before it was served".into())));
            }
            let n = stores.len();
            // A free connection if there is one, else wait for ours.
            let mut guard = (0..n)
                .find_map(|i| stores[(start + i) % n].try_lock().ok())
                .unwrap_or_else(|| stores[start % n].lock().unwrap_or_else(|p| p.into_inner()));
            match &user {
                Some(u) => {
                    guard.act_as(u)?;
                }
                None => guard.act_as_public()?,
            }
            guard.set_cancel(cancel);
            let done = f(&mut guard);
            guard.set_cancel(Cancel::default());
            done
        })
        .await
        .map_err(|e| AppError::Internal(format!("a request's worker failed: {e}")))?
    }
}

/// Raises its flag when dropped: when the future awaiting the store's work is
/// dropped, or when it is done (the flag is then no longer looked at).
struct CancelOnDrop(Cancel);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        self.0.cancel();
    }
}
