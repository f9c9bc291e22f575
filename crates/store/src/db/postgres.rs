//! Statements on a PostgreSQL connection: `?N` parameters become `$N`, each
//! statement is prepared once per connection, and values are converted to
//! and from the column types the schema uses.

use super::{Row, Value};
use crate::limits::Stop;
use crate::{Result, StoreError};
use bytes::BytesMut;
use std::collections::HashMap;
use tokio_postgres::types::{to_sql_checked, IsNull, ToSql, Type};
use tokio_postgres::{Client, NoTls, Statement};

/// A connection with its prepared statements. The client's own runtime
/// (one thread: this one) drives the connection while a call waits on it.
pub(crate) struct PgConn {
    runtime: Runtime,
    client: Client,
    statements: HashMap<String, Statement>,
}

/// The connection's runtime, let go without waiting when the connection is
/// dropped (a server drops its connections from inside its own runtime).
struct Runtime(Option<tokio::runtime::Runtime>);

impl Runtime {
    fn block_on<F: std::future::Future>(&self, f: F) -> F::Output {
        self.0.as_ref().expect("the runtime lives as long as its connection").block_on(f)
    }
}

impl Drop for Runtime {
    fn drop(&mut self) {
        if let Some(rt) = self.0.take() {
            rt.shutdown_background();
        }
    }
}

fn db_error(e: tokio_postgres::Error) -> StoreError {
    StoreError::Postgres(match e.as_db_error() {
        // The server's own words, with what it says of where.
        Some(db) => match (db.detail(), db.hint()) {
            (Some(d), _) => format!("{}: {d}", db.message()),
            (None, Some(h)) => format!("{} ({h})", db.message()),
            _ => db.message().to_string(),
        },
        None => e.to_string(),
    })
}

fn params(args: &[Value]) -> Vec<&(dyn ToSql + Sync)> {
    args.iter().map(|v| v as &(dyn ToSql + Sync)).collect()
}

impl PgConn {
    /// Connects to `url` (`postgres://user:password@host:port/database`).
    pub(crate) fn connect(url: &str) -> Result<PgConn> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| StoreError::Postgres(format!("starting the connection's runtime: {e}")))?;
        let (client, connection) =
            runtime.block_on(tokio_postgres::connect(url, NoTls)).map_err(|source| StoreError::Connect { url: redact_url(url), source })?;
        runtime.spawn(async move {
            if let Err(e) = connection.await {
                tracing::warn!(error = %e, "PostgreSQL connection ended");
            }
        });
        Ok(PgConn { runtime: Runtime(Some(runtime)), client, statements: HashMap::new() })
    }

    /// The prepared statements for `sqls`, preparing the new ones together.
    fn prepare_all(&mut self, sqls: &[&str]) -> Result<Vec<Statement>> {
        let missing: Vec<&str> = {
            let mut m: Vec<&str> = sqls.iter().copied().filter(|s| !self.statements.contains_key(*s)).collect();
            m.dedup();
            m
        };
        if !missing.is_empty() {
            let client = &self.client;
            let texts: Vec<String> = missing.iter().map(|s| dollar_params(s)).collect();
            let prepared = self
                .runtime
                .block_on(futures_util::future::try_join_all(texts.iter().map(|t| client.prepare(t))))
                .map_err(db_error)?;
            for (sql, stmt) in missing.into_iter().zip(prepared) {
                self.statements.insert(sql.to_string(), stmt);
            }
        }
        Ok(sqls.iter().map(|s| self.statements[*s].clone()).collect())
    }

    pub(crate) fn exec(&mut self, sql: &str, args: &[Value]) -> Result<usize> {
        let stmt = self.prepare_all(&[sql])?.remove(0);
        Ok(self.runtime.block_on(self.client.execute(&stmt, &params(args))).map_err(db_error)? as usize)
    }

    pub(crate) fn rows(&mut self, sql: &str, args: &[Value]) -> Result<Vec<Row>> {
        let stmt = self.prepare_all(&[sql])?.remove(0);
        let rows = self.runtime.block_on(self.client.query(&stmt, &params(args))).map_err(db_error)?;
        rows.iter().map(read_row).collect()
    }

    /// Statements that do not depend on one another, sent together: one wait
    /// for all of them instead of one each. The server runs them in order; the
    /// first error stops them.
    pub(crate) fn rows_all(&mut self, batch: &[(String, Vec<Value>)]) -> Result<Vec<Vec<Row>>> {
        let sqls: Vec<&str> = batch.iter().map(|(s, _)| s.as_str()).collect();
        let stmts = self.prepare_all(&sqls)?;
        let client = &self.client;
        let all: Vec<Vec<&(dyn ToSql + Sync)>> = batch.iter().map(|(_, a)| params(a)).collect();
        let results = self
            .runtime
            .block_on(futures_util::future::try_join_all(stmts.iter().zip(&all).map(|(st, p)| client.query(st, p))))
            .map_err(db_error)?;
        results.iter().map(|rows| rows.iter().map(read_row).collect()).collect()
    }

    /// `rows`, cancelled on the server (as psql's Ctrl-C does) once `stop`
    /// says so, while the statement is prepared or while it runs.
    pub(crate) fn rows_bounded(&mut self, sql: &str, args: &[Value], stop: &Stop) -> Result<Vec<Row>> {
        let cached = self.statements.get(sql).cloned();
        let (client, text, args) = (&self.client, dollar_params(sql), params(args));
        let work = async {
            let stmt = match cached {
                Some(s) => s,
                None => client.prepare(&text).await?,
            };
            let rows = client.query(&stmt, &args).await?;
            Ok::<_, tokio_postgres::Error>((stmt, rows))
        };
        let (stmt, rows) = self.runtime.block_on(async {
            tokio::pin!(work);
            tokio::select! {
                done = &mut work => done.map_err(db_error),
                _ = stop.stopped() => {
                    if let Err(e) = client.cancel_token().cancel_query(NoTls).await {
                        tracing::warn!(error = %e, "cancelling a query past its limit");
                    }
                    // The server answers either way: rows if it finished first, else an error.
                    work.await.map_err(|_| stop.error())
                }
            }
        })?;
        self.statements.insert(sql.to_string(), stmt);
        rows.iter().map(read_row).collect()
    }

    pub(crate) fn batch(&mut self, sql: &str) -> Result<()> {
        self.runtime.block_on(self.client.batch_execute(sql)).map_err(db_error)
    }
}

/// The URL without its password, for messages.
pub(crate) fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{user}:…{}", &url[..s + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

/// The host a URL names when it is another machine (not loopback, not a Unix socket).
pub(crate) fn remote_host(url: &str) -> Option<String> {
    let config: tokio_postgres::Config = url.parse().ok()?;
    config.get_hosts().iter().find_map(|h| match h {
        tokio_postgres::config::Host::Tcp(name) if !matches!(name.as_str(), "localhost" | "127.0.0.1" | "::1") && !name.starts_with("127.") => {
            Some(name.clone())
        }
        _ => None,
    })
}

/// `?1` → `$1`, outside quoted strings and identifiers.
fn dollar_params(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut quote: Option<char> = None;
    for c in sql.chars() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '\'' || c == '"' => quote = Some(c),
            None if c == '?' => {
                out.push('$');
                continue;
            }
            None => {}
        }
        out.push(c);
    }
    out
}

fn read_row(r: &tokio_postgres::Row) -> Result<Row> {
    let mut row = Vec::with_capacity(r.len());
    for (i, col) in r.columns().iter().enumerate() {
        let ty = col.type_();
        let get = |e: tokio_postgres::Error| StoreError::Postgres(format!("column {}: {e}", col.name()));
        let v = if *ty == Type::INT8 {
            r.try_get::<_, Option<i64>>(i).map_err(get)?.map(Value::Int)
        } else if *ty == Type::INT4 {
            r.try_get::<_, Option<i32>>(i).map_err(get)?.map(|v| Value::Int(v.into()))
        } else if *ty == Type::INT2 {
            r.try_get::<_, Option<i16>>(i).map_err(get)?.map(|v| Value::Int(v.into()))
        } else if *ty == Type::BOOL {
            r.try_get::<_, Option<bool>>(i).map_err(get)?.map(|v| Value::Int(v.into()))
        } else if *ty == Type::FLOAT8 {
            r.try_get::<_, Option<f64>>(i).map_err(get)?.map(Value::Real)
        } else if *ty == Type::FLOAT4 {
            r.try_get::<_, Option<f32>>(i).map_err(get)?.map(|v| Value::Real(v.into()))
        } else if *ty == Type::BYTEA {
            r.try_get::<_, Option<Vec<u8>>>(i).map_err(get)?.map(Value::Blob)
        } else if [Type::TEXT, Type::VARCHAR, Type::BPCHAR, Type::NAME].contains(ty) {
            r.try_get::<_, Option<String>>(i).map_err(get)?.map(Value::Text)
        } else {
            return Err(StoreError::Postgres(format!("column {} is of type {ty}, which the store does not read", col.name())));
        };
        row.push(v.unwrap_or(Value::Null));
    }
    Ok(Row(row))
}

impl ToSql for Value {
    fn to_sql(&self, ty: &Type, out: &mut BytesMut) -> std::result::Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        match self {
            Value::Null => Ok(IsNull::Yes),
            Value::Int(i) => {
                if *ty == Type::INT8 {
                    i.to_sql(ty, out)
                } else if *ty == Type::INT4 {
                    i32::try_from(*i)?.to_sql(ty, out)
                } else if *ty == Type::INT2 {
                    i16::try_from(*i)?.to_sql(ty, out)
                } else if *ty == Type::FLOAT8 {
                    (*i as f64).to_sql(ty, out)
                } else if *ty == Type::BOOL {
                    (*i != 0).to_sql(ty, out)
                } else {
                    i.to_string().to_sql(ty, out)
                }
            }
            Value::Real(f) => {
                if *ty == Type::FLOAT4 {
                    (*f as f32).to_sql(ty, out)
                } else if *ty == Type::FLOAT8 {
                    f.to_sql(ty, out)
                } else {
                    f.to_string().to_sql(ty, out)
                }
            }
            Value::Text(s) => {
                if *ty == Type::INT8 {
                    s.parse::<i64>()?.to_sql(ty, out)
                } else if *ty == Type::INT4 {
                    s.parse::<i32>()?.to_sql(ty, out)
                } else if *ty == Type::BYTEA {
                    s.as_bytes().to_sql(ty, out)
                } else {
                    s.as_str().to_sql(ty, out)
                }
            }
            Value::Blob(b) => b.as_slice().to_sql(ty, out),
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    to_sql_checked!();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn question_marks_outside_quotes_become_dollars() {
        assert_eq!(dollar_params("SELECT a FROM t WHERE b = ?1 AND c = '?' AND \"d?\" = ?12"), "SELECT a FROM t WHERE b = $1 AND c = '?' AND \"d?\" = $12");
    }

    #[test]
    fn only_other_machines_are_remote() {
        assert_eq!(remote_host("postgres://u@db.example.org:5432/c"), Some("db.example.org".to_string()));
        assert_eq!(remote_host("postgres://u@127.0.0.1:5432/c"), None);
        assert_eq!(remote_host("postgres://u@localhost/c"), None);
        assert_eq!(remote_host("postgresql:///c?host=/var/run/postgresql"), None);
    }

    #[test]
    fn passwords_stay_out_of_messages() {
        assert_eq!(redact_url("postgres://ann:s3cret@db.example:5432/chronicle"), "postgres://ann:…@db.example:5432/chronicle");
        assert_eq!(redact_url("postgres://localhost/chronicle"), "postgres://localhost/chronicle");
    }
}
