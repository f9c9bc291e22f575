//! The store suite runs on both engines: each test body is run once on a
//! fresh SQLite file and once on a fresh PostgreSQL database.
//!
//! PostgreSQL is the server named by `CHRONICLE_TEST_POSTGRES` (a URL of a
//! database the tests may create databases from, such as
//! `postgres://postgres@127.0.0.1:5432/postgres`). Without it the suite runs
//! on SQLite alone and says so; with `CHRONICLE_REQUIRE_POSTGRES=1` (as in CI)
//! a missing server fails every test instead.
#![allow(dead_code)]

use chronicle_store::{Location, SqlStore};
use std::sync::atomic::{AtomicUsize, Ordering};

/// A store nobody has used yet, on one engine; opened as many times as a test likes.
pub struct Fresh {
    pub location: Location,
    pub engine: &'static str,
    _dir: Option<tempfile::TempDir>,
    database: Option<(String, String)>,
}

impl Fresh {
    pub fn open(&self) -> SqlStore {
        SqlStore::open_location(&self.location, None).unwrap_or_else(|e| panic!("opening the {} store: {e}", self.engine))
    }
}

impl Drop for Fresh {
    fn drop(&mut self) {
        if let Some((admin, name)) = &self.database {
            if let Ok(mut c) = postgres::Client::connect(admin, postgres::NoTls) {
                let _ = c.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
            }
        }
    }
}

fn postgres_admin() -> Option<String> {
    match std::env::var("CHRONICLE_TEST_POSTGRES") {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            if std::env::var("CHRONICLE_REQUIRE_POSTGRES").is_ok_and(|v| v == "1") {
                panic!("CHRONICLE_REQUIRE_POSTGRES=1 but CHRONICLE_TEST_POSTGRES names no server: the suite must run on PostgreSQL too");
            }
            eprintln!("note: CHRONICLE_TEST_POSTGRES is not set; this test ran on SQLite only");
            None
        }
    }
}

pub fn fresh_sqlite() -> Fresh {
    let dir = tempfile::tempdir().unwrap();
    Fresh { location: Location::File(dir.path().join("store.db")), engine: "sqlite", _dir: Some(dir), database: None }
}

pub fn fresh_postgres(admin: &str) -> Fresh {
    static N: AtomicUsize = AtomicUsize::new(0);
    let name = format!("chronicle_test_{}_{}", std::process::id(), N.fetch_add(1, Ordering::SeqCst));
    let mut c = postgres::Client::connect(admin, postgres::NoTls).unwrap_or_else(|e| panic!("connecting to {admin}: {e}"));
    c.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).unwrap();
    c.batch_execute(&format!("CREATE DATABASE {name}")).unwrap();
    let base = admin.rsplit_once('/').map_or(admin, |(b, _)| b);
    Fresh { location: Location::Postgres(format!("{base}/{name}")), engine: "postgres", _dir: None, database: Some((admin.to_string(), name)) }
}

/// Runs `test` on a fresh store of each engine in turn.
pub fn each_backend(test: impl Fn(Fresh)) {
    test(fresh_sqlite());
    if let Some(admin) = postgres_admin() {
        test(fresh_postgres(&admin));
    }
}
