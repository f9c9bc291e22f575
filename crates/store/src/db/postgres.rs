//! Statements on a PostgreSQL connection: `?N` parameters become `$N`, each
//! statement is prepared once per connection, and values are converted to
//! and from the column types the schema uses.

use super::{Row, Value};
use crate::{Result, StoreError};
use bytes::BytesMut;
use postgres::types::{to_sql_checked, IsNull, ToSql, Type};
use postgres::{Client, NoTls, Statement};
use std::collections::HashMap;

/// A connection with its prepared statements.
pub(crate) struct PgConn {
    client: Client,
    statements: HashMap<String, Statement>,
}

fn db_error(e: postgres::Error) -> StoreError {
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

impl PgConn {
    /// Connects to `url` (`postgres://user:password@host:port/database`).
    pub(crate) fn connect(url: &str) -> Result<PgConn> {
        let client = Client::connect(url, NoTls).map_err(|source| StoreError::Connect { url: redact_url(url), source })?;
        Ok(PgConn { client, statements: HashMap::new() })
    }

    fn prepare(&mut self, sql: &str) -> Result<Statement> {
        if let Some(s) = self.statements.get(sql) {
            return Ok(s.clone());
        }
        let stmt = self.client.prepare(&dollar_params(sql)).map_err(db_error)?;
        self.statements.insert(sql.to_string(), stmt.clone());
        Ok(stmt)
    }

    pub(crate) fn exec(&mut self, sql: &str, args: &[Value]) -> Result<usize> {
        let stmt = self.prepare(sql)?;
        let params: Vec<&(dyn ToSql + Sync)> = args.iter().map(|v| v as &(dyn ToSql + Sync)).collect();
        Ok(self.client.execute(&stmt, &params).map_err(db_error)? as usize)
    }

    pub(crate) fn rows(&mut self, sql: &str, args: &[Value]) -> Result<Vec<Row>> {
        let stmt = self.prepare(sql)?;
        let params: Vec<&(dyn ToSql + Sync)> = args.iter().map(|v| v as &(dyn ToSql + Sync)).collect();
        let rows = self.client.query(&stmt, &params).map_err(db_error)?;
        rows.iter().map(read_row).collect()
    }

    pub(crate) fn batch(&mut self, sql: &str) -> Result<()> {
        self.client.batch_execute(sql).map_err(db_error)
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

fn read_row(r: &postgres::Row) -> Result<Row> {
    let mut row = Vec::with_capacity(r.len());
    for (i, col) in r.columns().iter().enumerate() {
        let ty = col.type_();
        let get = |e: postgres::Error| StoreError::Postgres(format!("column {}: {e}", col.name()));
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
    fn passwords_stay_out_of_messages() {
        assert_eq!(redact_url("postgres://ann:s3cret@db.example:5432/chronicle"), "postgres://ann:…@db.example:5432/chronicle");
        assert_eq!(redact_url("postgres://localhost/chronicle"), "postgres://localhost/chronicle");
    }
}
