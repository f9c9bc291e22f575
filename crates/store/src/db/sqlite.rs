//! Statements on an SQLite connection (cached, so each is parsed once).

use super::{Row, Value};
use crate::limits::Stop;
use crate::Result;
use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::{params_from_iter, Connection};

impl rusqlite::ToSql for Value {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match self {
            Value::Null => ToSqlOutput::Borrowed(ValueRef::Null),
            Value::Int(i) => ToSqlOutput::Borrowed(ValueRef::Integer(*i)),
            Value::Real(f) => ToSqlOutput::Borrowed(ValueRef::Real(*f)),
            Value::Text(s) => ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes())),
            Value::Blob(b) => ToSqlOutput::Borrowed(ValueRef::Blob(b)),
        })
    }
}

pub(super) fn exec(conn: &Connection, sql: &str, args: &[Value]) -> Result<usize> {
    let mut stmt = conn.prepare_cached(sql)?;
    Ok(stmt.execute(params_from_iter(args.iter()))?)
}

pub(super) fn rows(conn: &Connection, sql: &str, args: &[Value]) -> Result<Vec<Row>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let width = stmt.column_count();
    let mut rows = stmt.query(params_from_iter(args.iter()))?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let mut row = Vec::with_capacity(width);
        for i in 0..width {
            row.push(match r.get_ref(i)? {
                ValueRef::Null => Value::Null,
                ValueRef::Integer(i) => Value::Int(i),
                ValueRef::Real(f) => Value::Real(f),
                ValueRef::Text(t) => Value::Text(String::from_utf8_lossy(t).into_owned()),
                ValueRef::Blob(b) => Value::Blob(b.to_vec()),
            });
        }
        out.push(Row(row));
    }
    Ok(out)
}

/// Virtual-machine steps between two looks at whether a bounded query should stop.
const STEPS: std::ffi::c_int = 1000;

/// `rows`, interrupted by SQLite itself once `stop` says so.
pub(super) fn rows_bounded(conn: &Connection, sql: &str, args: &[Value], stop: &Stop) -> Result<Vec<Row>> {
    let watch = stop.clone();
    conn.progress_handler(STEPS, Some(move || watch.should_stop()))?;
    let out = rows(conn, sql, args);
    conn.progress_handler(0, None::<fn() -> bool>)?;
    match out {
        Err(_) if stop.should_stop() => Err(stop.error()),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Cancel, StoreError};
    use std::time::{Duration, Instant};

    /// Counts to a billion: minutes of work, unless stopped.
    const LONG: &str = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1000000000) SELECT count(*) FROM c";

    #[test]
    fn a_long_query_is_interrupted_at_its_time_limit_and_the_connection_goes_on() {
        let conn = Connection::open_in_memory().unwrap();
        let started = Instant::now();
        let err = rows_bounded(&conn, LONG, &[], &Stop::new(Duration::from_millis(200), Cancel::new())).unwrap_err();
        assert!(matches!(err, StoreError::Interrupted(_)), "{err}");
        assert!(started.elapsed() < Duration::from_secs(10), "{:?}", started.elapsed());
        assert_eq!(rows(&conn, "SELECT 1", &[]).unwrap().len(), 1);
    }

    #[test]
    fn a_long_query_stops_when_its_caller_cancels() {
        let conn = Connection::open_in_memory().unwrap();
        let cancel = Cancel::new();
        let started = Instant::now();
        let err = std::thread::scope(|s| {
            let later = cancel.clone();
            s.spawn(move || {
                std::thread::sleep(Duration::from_millis(100));
                later.cancel();
            });
            rows_bounded(&conn, LONG, &[], &Stop::new(Duration::from_secs(600), cancel.clone())).unwrap_err()
        });
        assert!(err.to_string().contains("went away"), "{err}");
        assert!(started.elapsed() < Duration::from_secs(10), "{:?}", started.elapsed());
    }
}
