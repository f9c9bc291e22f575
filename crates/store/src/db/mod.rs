//! The small SQL layer the store is written over: one connection to either
//! engine (SQLite or PostgreSQL), statements with `?N` parameters, rows of
//! plain values, and transactions that roll back unless committed.
//!
//! The store's queries are written once, in the SQL both engines share; where
//! the engines differ (full-text search, schema, locking) the store asks
//! [`Db::engine`] and says it both ways.

mod postgres;
mod sqlite;

use crate::limits::{Stop, SEARCH_TIME};
use crate::{Cancel, Result, StoreError};
use std::cell::{Cell, RefCell};
use std::time::Duration;

pub(crate) use postgres::{redact_url, remote_host, PgConn};

/// A value bound to a statement or read from a row.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
    Blob(Vec<u8>),
}

/// What can be bound to a statement's parameter.
pub(crate) trait ToValue {
    fn to_value(&self) -> Value;
}

macro_rules! int_to_value {
    ($($t:ty),*) => {$(
        impl ToValue for $t {
            fn to_value(&self) -> Value {
                Value::Int(*self as i64)
            }
        }
    )*};
}
int_to_value!(i64, i32, u32, usize);

impl ToValue for bool {
    fn to_value(&self) -> Value {
        Value::Int(i64::from(*self))
    }
}
impl ToValue for f64 {
    fn to_value(&self) -> Value {
        Value::Real(*self)
    }
}
impl ToValue for f32 {
    fn to_value(&self) -> Value {
        Value::Real(f64::from(*self))
    }
}
impl ToValue for str {
    fn to_value(&self) -> Value {
        Value::Text(self.to_string())
    }
}
impl ToValue for String {
    fn to_value(&self) -> Value {
        Value::Text(self.clone())
    }
}
impl ToValue for [u8] {
    fn to_value(&self) -> Value {
        Value::Blob(self.to_vec())
    }
}
impl ToValue for Vec<u8> {
    fn to_value(&self) -> Value {
        Value::Blob(self.clone())
    }
}
impl ToValue for Value {
    fn to_value(&self) -> Value {
        self.clone()
    }
}
impl<T: ToValue + ?Sized> ToValue for &T {
    fn to_value(&self) -> Value {
        (**self).to_value()
    }
}
impl<T: ToValue> ToValue for Option<T> {
    fn to_value(&self) -> Value {
        self.as_ref().map_or(Value::Null, T::to_value)
    }
}

/// What a column's value can be read as.
pub(crate) trait FromValue: Sized {
    fn from_value(v: &Value) -> Option<Self>;
}

impl FromValue for i64 {
    fn from_value(v: &Value) -> Option<Self> {
        match v {
            Value::Int(i) => Some(*i),
            _ => None,
        }
    }
}
impl FromValue for usize {
    fn from_value(v: &Value) -> Option<Self> {
        i64::from_value(v).and_then(|i| usize::try_from(i).ok())
    }
}
impl FromValue for bool {
    fn from_value(v: &Value) -> Option<Self> {
        i64::from_value(v).map(|i| i != 0)
    }
}
impl FromValue for f64 {
    fn from_value(v: &Value) -> Option<Self> {
        match v {
            Value::Real(f) => Some(*f),
            Value::Int(i) => Some(*i as f64),
            _ => None,
        }
    }
}
impl FromValue for f32 {
    fn from_value(v: &Value) -> Option<Self> {
        f64::from_value(v).map(|f| f as f32)
    }
}
impl FromValue for String {
    fn from_value(v: &Value) -> Option<Self> {
        match v {
            Value::Text(s) => Some(s.clone()),
            _ => None,
        }
    }
}
impl FromValue for Vec<u8> {
    fn from_value(v: &Value) -> Option<Self> {
        match v {
            Value::Blob(b) => Some(b.clone()),
            Value::Text(s) => Some(s.as_bytes().to_vec()),
            _ => None,
        }
    }
}
impl FromValue for Value {
    fn from_value(v: &Value) -> Option<Self> {
        Some(v.clone())
    }
}
impl<T: FromValue> FromValue for Option<T> {
    fn from_value(v: &Value) -> Option<Self> {
        match v {
            Value::Null => Some(None),
            v => T::from_value(v).map(Some),
        }
    }
}

/// One row of a result.
#[derive(Debug, Clone)]
pub(crate) struct Row(pub(crate) Vec<Value>);

impl Row {
    /// Column `i` as `T`; a mismatch is a corrupt record.
    pub(crate) fn get<T: FromValue>(&self, i: usize) -> Result<T> {
        let v = self.0.get(i).ok_or_else(|| StoreError::Corrupt(format!("a query read column {i} of a row of {}", self.0.len())))?;
        T::from_value(v).ok_or_else(|| StoreError::Corrupt(format!("column {i} holds {v:?}, not a {}", std::any::type_name::<T>())))
    }
}

/// Which engine a connection speaks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Engine {
    Sqlite,
    Postgres,
}

pub(crate) type Args<'a> = &'a [&'a dyn ToValue];

enum Conn {
    Sqlite(rusqlite::Connection),
    Postgres(RefCell<PgConn>),
}

/// Work a transaction does last, just before it commits (see [`Db::before_commit`]).
type BeforeCommit = Box<dyn FnOnce(&Db) -> Result<()> + Send>;

/// One connection to the store's database.
pub(crate) struct Db {
    conn: Conn,
    /// Raised when the caller of the read now running no longer wants it.
    cancel: Cancel,
    /// How long a bounded query ([`Db::rows_bounded`]) may run.
    query_time: Duration,
    /// Whether a transaction begun here is open.
    in_tx: Cell<bool>,
    /// What the open transaction does before it commits, in order.
    before_commit: RefCell<Vec<BeforeCommit>>,
}

fn values(args: Args<'_>) -> Vec<Value> {
    args.iter().map(|a| a.to_value()).collect()
}

impl Db {
    pub(crate) fn sqlite(conn: rusqlite::Connection) -> Db {
        Db { conn: Conn::Sqlite(conn), cancel: Cancel::default(), query_time: SEARCH_TIME, in_tx: Cell::new(false), before_commit: RefCell::new(Vec::new()) }
    }

    pub(crate) fn postgres(conn: PgConn) -> Db {
        Db { conn: Conn::Postgres(RefCell::new(conn)), cancel: Cancel::default(), query_time: SEARCH_TIME, in_tx: Cell::new(false), before_commit: RefCell::new(Vec::new()) }
    }

    /// The flag that stops bounded queries from now on.
    pub(crate) fn set_cancel(&mut self, cancel: Cancel) {
        self.cancel = cancel;
    }

    /// How long each bounded query may run from now on.
    pub(crate) fn set_query_time(&mut self, limit: Duration) {
        self.query_time = limit;
    }

    /// Every row of a query that may run long: stopped (with
    /// [`StoreError::Interrupted`]) past the time limit or once cancelled.
    pub(crate) fn rows_bounded(&self, sql: &str, args: Args<'_>) -> Result<Vec<Row>> {
        let stop = Stop::new(self.query_time, self.cancel.clone());
        if stop.should_stop() {
            return Err(stop.error());
        }
        match &self.conn {
            Conn::Sqlite(c) => sqlite::rows_bounded(c, sql, &values(args), &stop),
            Conn::Postgres(c) => c.borrow_mut().rows_bounded(sql, &values(args), &stop),
        }
    }

    pub(crate) fn engine(&self) -> Engine {
        match self.conn {
            Conn::Sqlite(_) => Engine::Sqlite,
            Conn::Postgres(_) => Engine::Postgres,
        }
    }

    pub(crate) fn is_postgres(&self) -> bool {
        self.engine() == Engine::Postgres
    }

    /// The SQLite connection, for what only SQLite does (keys, backups, pragmas).
    pub(crate) fn sqlite_conn(&self) -> Option<&rusqlite::Connection> {
        match &self.conn {
            Conn::Sqlite(c) => Some(c),
            Conn::Postgres(_) => None,
        }
    }

    /// Runs a statement; returns the rows it changed.
    pub(crate) fn exec(&self, sql: &str, args: Args<'_>) -> Result<usize> {
        match &self.conn {
            Conn::Sqlite(c) => sqlite::exec(c, sql, &values(args)),
            Conn::Postgres(c) => c.borrow_mut().exec(sql, &values(args)),
        }
    }

    /// Every row of a query.
    pub(crate) fn rows(&self, sql: &str, args: Args<'_>) -> Result<Vec<Row>> {
        match &self.conn {
            Conn::Sqlite(c) => sqlite::rows(c, sql, &values(args)),
            Conn::Postgres(c) => c.borrow_mut().rows(sql, &values(args)),
        }
    }

    /// Statements that do not depend on one another's results: PostgreSQL
    /// gets them all at once (one wait, not one each); SQLite runs them in turn.
    pub(crate) fn exec_all(&self, batch: &[(String, Vec<Value>)]) -> Result<()> {
        match &self.conn {
            Conn::Sqlite(c) => batch.iter().try_for_each(|(sql, args)| sqlite::exec(c, sql, args).map(drop)),
            Conn::Postgres(c) => c.borrow_mut().rows_all(batch).map(drop),
        }
    }

    /// Queries that do not depend on one another, sent together as `exec_all` sends statements.
    pub(crate) fn rows_all(&self, batch: &[(String, Vec<Value>)]) -> Result<Vec<Vec<Row>>> {
        match &self.conn {
            Conn::Sqlite(c) => batch.iter().map(|(sql, args)| sqlite::rows(c, sql, args)).collect(),
            Conn::Postgres(c) => c.borrow_mut().rows_all(batch),
        }
    }

    /// The first row, if any.
    pub(crate) fn row(&self, sql: &str, args: Args<'_>) -> Result<Option<Row>> {
        Ok(self.rows(sql, args)?.into_iter().next())
    }

    /// The first column of the first row, which must be there.
    pub(crate) fn one<T: FromValue>(&self, sql: &str, args: Args<'_>) -> Result<T> {
        self.row(sql, args)?.ok_or_else(|| StoreError::Corrupt(format!("no row from {sql}")))?.get(0)
    }

    /// The first column of the first row, if there is one.
    pub(crate) fn opt<T: FromValue>(&self, sql: &str, args: Args<'_>) -> Result<Option<T>> {
        self.row(sql, args)?.map(|r| r.get(0)).transpose()
    }

    /// The first column of every row.
    pub(crate) fn col<T: FromValue>(&self, sql: &str, args: Args<'_>) -> Result<Vec<T>> {
        self.rows(sql, args)?.iter().map(|r| r.get(0)).collect()
    }

    /// `INSERT` of many rows: `head` names the table and columns, `tail`
    /// follows the values (`ON CONFLICT …`). Rows go a few hundred values to
    /// a statement, so that a document's rows cost a few round trips, not one each.
    pub(crate) fn insert_rows(&self, head: &str, tail: &str, rows: &[Vec<Value>]) -> Result<usize> {
        let mut batch = Vec::new();
        insert_statements(&mut batch, head, tail, rows);
        batch.iter().map(|(sql, args)| self.exec(sql, &args.iter().map(|v| v as &dyn ToValue).collect::<Vec<_>>())).sum()
    }

    /// Statements separated by semicolons, without parameters.
    pub(crate) fn batch(&self, sql: &str) -> Result<()> {
        match &self.conn {
            Conn::Sqlite(c) => Ok(c.execute_batch(sql)?),
            Conn::Postgres(c) => c.borrow_mut().batch(sql),
        }
    }

    /// Runs `work` as the last thing the open transaction does before it
    /// commits (after every change it made), or at once outside a transaction.
    /// Dropped with the transaction if it rolls back.
    pub(crate) fn before_commit(&self, work: impl FnOnce(&Db) -> Result<()> + Send + 'static) -> Result<()> {
        if self.in_tx.get() {
            self.before_commit.borrow_mut().push(Box::new(work));
            Ok(())
        } else {
            work(self)
        }
    }

    fn opened(&self) -> Tx<'_> {
        self.in_tx.set(true);
        self.before_commit.borrow_mut().clear();
        Tx { db: self, open: true }
    }

    fn closed(&self) {
        self.in_tx.set(false);
        self.before_commit.borrow_mut().clear();
    }

    /// A transaction in the engine's default isolation (PostgreSQL: each
    /// statement sees what was committed before it).
    pub(crate) fn begin(&self) -> Result<Tx<'_>> {
        self.batch("BEGIN")?;
        Ok(self.opened())
    }

    /// A transaction that reads one moment of the store, however long it takes.
    pub(crate) fn begin_snapshot(&self) -> Result<Tx<'_>> {
        match self.engine() {
            Engine::Sqlite => self.batch("BEGIN")?,
            Engine::Postgres => self.batch("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")?,
        }
        Ok(self.opened())
    }

    /// A writing transaction: writers follow one another, one at a time, as
    /// SQLite's writers do (linking and the audit chain need it).
    pub(crate) fn begin_write(&self) -> Result<Tx<'_>> {
        match self.engine() {
            Engine::Sqlite => self.batch("BEGIN IMMEDIATE")?,
            Engine::Postgres => self.batch(&format!("BEGIN; SELECT pg_advisory_xact_lock({WRITER_LOCK})"))?,
        }
        Ok(self.opened())
    }
}

/// Appends to `batch` the `INSERT` statements for `rows` (see [`Db::insert_rows`]).
pub(crate) fn insert_statements(batch: &mut Vec<(String, Vec<Value>)>, head: &str, tail: &str, rows: &[Vec<Value>]) {
    let Some(width) = rows.first().map(Vec::len) else { return };
    for chunk in rows.chunks((400 / width.max(1)).max(1)) {
        let mut sql = format!("{head} VALUES ");
        for r in 0..chunk.len() {
            if r > 0 {
                sql.push_str(", ");
            }
            sql.push('(');
            sql.push_str(&marks(r * width + 1, width));
            sql.push(')');
        }
        if !tail.is_empty() {
            sql.push(' ');
            sql.push_str(tail);
        }
        batch.push((sql, chunk.iter().flatten().cloned().collect()));
    }
}

/// `?first, ?first+1, …`: `n` parameter marks for a list.
pub(crate) fn marks(first: usize, n: usize) -> String {
    (first..first + n).map(|i| format!("?{i}")).collect::<Vec<_>>().join(", ")
}

/// The PostgreSQL advisory lock every writing transaction holds.
const WRITER_LOCK: i64 = 0x0c4e_0001;

/// An open transaction; rolled back when dropped uncommitted.
pub(crate) struct Tx<'a> {
    db: &'a Db,
    open: bool,
}

impl Tx<'_> {
    /// Makes a transaction begun with [`Db::begin`] a writing one, from here on
    /// (SQLite takes its lock at the first write by itself).
    pub(crate) fn take_write_lock(&self) -> Result<()> {
        match self.db.engine() {
            Engine::Sqlite => Ok(()),
            Engine::Postgres => self.db.batch(&format!("SELECT pg_advisory_xact_lock({WRITER_LOCK})")),
        }
    }

    /// Does what was left for the end ([`Db::before_commit`]), then commits;
    /// rolls back if any of it fails.
    pub(crate) fn commit(mut self) -> Result<()> {
        loop {
            let pending = std::mem::take(&mut *self.db.before_commit.borrow_mut());
            if pending.is_empty() {
                break;
            }
            for work in pending {
                work(self.db)?;
            }
        }
        self.open = false;
        self.db.closed();
        self.db.batch("COMMIT")
    }
}

impl std::ops::Deref for Tx<'_> {
    type Target = Db;
    fn deref(&self) -> &Db {
        self.db
    }
}

impl Drop for Tx<'_> {
    fn drop(&mut self) {
        if self.open {
            self.db.closed();
            if let Err(e) = self.db.batch("ROLLBACK") {
                tracing::warn!(error = %e, "rolling back a transaction failed");
            }
        }
    }
}
