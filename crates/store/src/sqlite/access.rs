//! Accounts, grants and restricted records.
//!
//! Every read of the store goes through [`SqliteStore::refresh_hidden`]: for a
//! reader who may not see every record it fills three temporary tables
//! (`hidden_docs`, `hidden_events`, `hidden_persons`) that the read queries
//! leave out, and the places in visible texts that name a hidden person or
//! tell a hidden event are masked ([`redact`]). Hidden are: restricted
//! documents, events and persons not granted; the events and persons of
//! hidden documents (persons no visible document names); events whose every
//! victim is hidden. For the owner of a store
//! without accounts, and for admins, the tables stay empty.

use super::{audit, now, SqliteStore};
use crate::{Access, RecordRef, Restriction, Result, Role, StoreError, UserRecord};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use rusqlite::{params, OptionalExtension};
use serde_json::json;
use std::collections::{HashMap, HashSet};

/// The character that stands for each withheld character.
pub const MASK: char = '█';

/// Places in documents' texts to mask, by document: character ranges.
pub(crate) type Redactions = HashMap<String, Vec<(usize, usize)>>;

pub(crate) const TEMP_TABLES: &str = "
    CREATE TEMP TABLE IF NOT EXISTS hidden_docs (id TEXT PRIMARY KEY);
    CREATE TEMP TABLE IF NOT EXISTS hidden_events (id TEXT PRIMARY KEY);
    CREATE TEMP TABLE IF NOT EXISTS hidden_persons (id INTEGER PRIMARY KEY);";

/// Masks the characters of `text` (which starts at character `offset` of its
/// document) that fall in any of `spans`, keeping its length in characters so
/// that offsets into it stay true.
pub fn redact(text: &str, offset: usize, spans: &[(usize, usize)]) -> String {
    if spans.is_empty() {
        return text.to_string();
    }
    text.chars()
        .enumerate()
        .map(|(i, c)| {
            let at = offset + i;
            if !c.is_whitespace() && spans.iter().any(|&(a, b)| a <= at && at < b) {
                MASK
            } else {
                c
            }
        })
        .collect()
}

fn hash_password(password: &str) -> Result<String> {
    let mut salt = [0u8; 16];
    rand::Rng::fill(&mut rand::rng(), &mut salt);
    let salt = SaltString::encode_b64(&salt).map_err(|e| StoreError::Crypto(e.to_string()))?;
    Ok(argon2::Argon2::default().hash_password(password.as_bytes(), &salt).map_err(|e| StoreError::Crypto(e.to_string()))?.to_string())
}

impl SqliteStore {
    /// Whether the store has accounts at all.
    pub(crate) fn has_users(&self) -> Result<bool> {
        Ok(self.conn.query_row("SELECT EXISTS (SELECT 1 FROM users)", [], |r| r.get(0))?)
    }

    /// Whether any account can log in with a password (what the server needs).
    pub fn any_password(&self) -> Result<bool> {
        Ok(self.conn.query_row("SELECT EXISTS (SELECT 1 FROM users WHERE password IS NOT NULL)", [], |r| r.get(0))?)
    }

    pub(crate) fn set_access(&mut self, access: Access) -> Result<()> {
        self.conn.execute_batch("DELETE FROM temp.hidden_docs; DELETE FROM temp.hidden_events; DELETE FROM temp.hidden_persons;")?;
        self.access = access;
        Ok(())
    }

    pub(crate) fn act_as_user(&mut self, name: &str) -> Result<Access> {
        let access = if self.has_users()? {
            let role: String = self
                .conn
                .query_row("SELECT role FROM users WHERE name = ?1", [name], |r| r.get(0))
                .optional()?
                .ok_or_else(|| StoreError::Refused(format!("this store has accounts and {name:?} is not one of them (give --actor NAME)")))?;
            Access::User { name: name.to_string(), role: role.parse().map_err(StoreError::Corrupt)? }
        } else {
            Access::Owner
        };
        self.actor = name.to_string();
        self.set_access(access.clone())?;
        Ok(access)
    }

    /// Refuses a change the current reader may not make.
    pub(crate) fn require(&self, role: Role, what: &str) -> Result<()> {
        if self.access.may(role) {
            return Ok(());
        }
        let who = match &self.access {
            Access::User { name, role } => format!("{name} ({role})"),
            _ => "a public reader".to_string(),
        };
        Err(StoreError::Refused(format!("{who} may not {what}: it needs the {role} role")))
    }

    /// Fills the hidden-record tables for the current reader. Returns whether
    /// anything may be hidden (false: every record is visible).
    pub(crate) fn refresh_hidden(&self) -> Result<bool> {
        let user = match &self.access {
            Access::Owner | Access::User { role: Role::Admin, .. } => return Ok(false),
            Access::User { name, .. } => name.as_str(),
            Access::Public => "",
        };
        let c = &self.conn;
        c.execute_batch("DELETE FROM temp.hidden_docs; DELETE FROM temp.hidden_events; DELETE FROM temp.hidden_persons;")?;
        let everything: bool = c.query_row("SELECT EXISTS (SELECT 1 FROM grants WHERE user = ?1 AND target = '*')", [user], |r| r.get(0))?;
        if everything {
            return Ok(false);
        }
        let granted = "(SELECT target FROM grants WHERE user = ?1)";
        c.execute(&format!("INSERT INTO temp.hidden_docs SELECT target FROM restricted WHERE kind = 'document' AND target NOT IN {granted}"), [user])?;
        c.execute(&format!("INSERT OR IGNORE INTO temp.hidden_events SELECT target FROM restricted WHERE kind = 'event' AND target NOT IN {granted}"), [user])?;
        c.execute("INSERT OR IGNORE INTO temp.hidden_events SELECT id FROM events WHERE document_id IN temp.hidden_docs", [])?;
        c.execute(
            &format!(
                "INSERT OR IGNORE INTO temp.hidden_persons SELECT DISTINCT m.person_id FROM mentions m
                 JOIN restricted_mentions r ON r.document_id = m.document_id AND r.text = m.text
                 WHERE m.person_id IS NOT NULL AND r.target NOT IN {granted}"
            ),
            [user],
        )?;
        c.execute(
            &format!("INSERT OR IGNORE INTO temp.hidden_persons SELECT CAST(substr(target, 8) AS INTEGER) FROM restricted WHERE kind = 'person' AND target NOT IN {granted}"),
            [user],
        )?;
        let any_docs: bool = c.query_row("SELECT EXISTS (SELECT 1 FROM temp.hidden_docs)", [], |r| r.get(0))?;
        if any_docs {
            // Persons known only from hidden documents.
            c.execute(
                "INSERT OR IGNORE INTO temp.hidden_persons SELECT p.id FROM persons p WHERE NOT EXISTS
                 (SELECT 1 FROM mentions m WHERE m.person_id = p.id AND m.document_id NOT IN temp.hidden_docs)",
                [],
            )?;
        }
        // Events that happened only to hidden persons.
        c.execute(
            "INSERT OR IGNORE INTO temp.hidden_events SELECT DISTINCT p.event_id FROM event_participants p
             WHERE p.role = 'victim' AND p.person_id IN temp.hidden_persons AND NOT EXISTS
             (SELECT 1 FROM event_participants v WHERE v.event_id = p.event_id AND v.role = 'victim'
              AND (v.person_id IS NULL OR v.person_id NOT IN temp.hidden_persons))",
            [],
        )?;
        Ok(true)
    }

    /// Places in visible documents that name a hidden person or tell a hidden event.
    pub(crate) fn redactions(&self) -> Result<Redactions> {
        let mut out: Redactions = HashMap::new();
        let mut stmt = self.conn.prepare(
            "SELECT document_id, start, end FROM mentions WHERE person_id IN temp.hidden_persons AND document_id NOT IN temp.hidden_docs
             UNION ALL
             SELECT document_id, start, end FROM event_sources WHERE event_id IN temp.hidden_events AND document_id NOT IN temp.hidden_docs",
        )?;
        for row in stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)? as usize, r.get::<_, i64>(2)? as usize)))? {
            let (doc, a, b) = row?;
            out.entry(doc).or_default().push((a, b));
        }
        Ok(out)
    }

    pub(crate) fn is_hidden(&self, table: &str, id: &dyn rusqlite::ToSql) -> Result<bool> {
        Ok(self.conn.query_row(&format!("SELECT EXISTS (SELECT 1 FROM temp.{table} WHERE id = ?1)"), [id], |r| r.get(0))?)
    }

    pub(crate) fn add_user_row(&mut self, name: &str, role: Role, password: Option<&str>) -> Result<()> {
        if name.trim().is_empty() || name.chars().any(|c| c.is_control() || c.is_whitespace()) {
            return Err(StoreError::Refused(format!("{name:?} is not an account name: one word, no spaces")));
        }
        let first = !self.has_users()?;
        if first && role != Role::Admin {
            return Err(StoreError::Refused("the first account must be an admin (--role admin): someone has to manage the others".into()));
        }
        if !first {
            self.require(Role::Admin, "add accounts")?;
        }
        let hash = password.map(hash_password).transpose()?;
        let actor = self.actor.clone();
        let tx = self.conn.transaction()?;
        let exists: bool = tx.query_row("SELECT EXISTS (SELECT 1 FROM users WHERE name = ?1)", [name], |r| r.get(0))?;
        if exists {
            return Err(StoreError::Refused(format!("an account {name:?} already exists")));
        }
        tx.execute("INSERT INTO users (name, role, password, created_at) VALUES (?1, ?2, ?3, ?4)", params![name, role.as_str(), hash, now()])?;
        audit::append(&tx, &actor, "user.add", name, &json!({ "before": null, "after": { "role": role.as_str(), "password": hash.is_some() } }))?;
        tx.commit()?;
        Ok(())
    }

    pub(crate) fn read_users(&self) -> Result<Vec<UserRecord>> {
        let mut stmt = self.conn.prepare("SELECT name, role, password IS NOT NULL, created_at FROM users ORDER BY name")?;
        let rows: Vec<(String, String, bool, String)> = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?.collect::<Result<_, _>>()?;
        let mut grants = self.conn.prepare("SELECT target FROM grants WHERE user = ?1 ORDER BY target")?;
        rows.into_iter()
            .map(|(name, role, has_password, created_at)| {
                let granted: Vec<String> = grants.query_map([&name], |r| r.get(0))?.collect::<Result<_, _>>()?;
                Ok(UserRecord { role: role.parse().map_err(StoreError::Corrupt)?, name, created_at, has_password, grants: granted })
            })
            .collect()
    }

    pub(crate) fn verify_password(&self, name: &str, password: &str) -> Result<Option<UserRecord>> {
        let hash: Option<Option<String>> = self.conn.query_row("SELECT password FROM users WHERE name = ?1", [name], |r| r.get(0)).optional()?;
        let Some(Some(hash)) = hash else {
            // As slow as a real check, so that the time taken does not tell which accounts exist.
            let _ = hash_password(password);
            return Ok(None);
        };
        let parsed = PasswordHash::new(&hash).map_err(|e| StoreError::Corrupt(format!("password of {name}: {e}")))?;
        if argon2::Argon2::default().verify_password(password.as_bytes(), &parsed).is_err() {
            return Ok(None);
        }
        Ok(self.read_users()?.into_iter().find(|u| u.name == name))
    }

    pub(crate) fn set_grant(&mut self, user: &str, target: &str, on: bool) -> Result<()> {
        self.require(Role::Admin, "grant access")?;
        if target != "*" {
            target.parse::<RecordRef>().map_err(StoreError::Refused)?;
        }
        let actor = self.actor.clone();
        let tx = self.conn.transaction()?;
        let exists: bool = tx.query_row("SELECT EXISTS (SELECT 1 FROM users WHERE name = ?1)", [user], |r| r.get(0))?;
        if !exists {
            return Err(StoreError::NotFound(format!("no account {user:?}")));
        }
        let changed = if on {
            tx.execute("INSERT OR IGNORE INTO grants (user, target, actor, at) VALUES (?1, ?2, ?3, ?4)", params![user, target, actor, now()])?
        } else {
            tx.execute("DELETE FROM grants WHERE user = ?1 AND target = ?2", params![user, target])?
        };
        if changed == 0 {
            return Err(StoreError::Refused(format!("{user} {} {target}", if on { "already has access to" } else { "has no grant for" })));
        }
        let action = if on { "user.grant" } else { "user.revoke" };
        audit::append(&tx, &actor, action, user, &json!({ "record": target, "before": !on, "after": on }))?;
        tx.commit()?;
        Ok(())
    }

    pub(crate) fn set_restricted(&mut self, record: &RecordRef, reason: Option<&str>, on: bool) -> Result<()> {
        if on {
            self.require(Role::Editor, "restrict records")?;
        } else {
            self.require(Role::Admin, "lift restrictions")?;
        }
        // Only what the reader can see can be restricted by them.
        self.refresh_hidden()?;
        let actor = self.actor.clone();
        let target = record.id().to_string();
        let tx = self.conn.transaction()?;
        let exists: bool = match record {
            RecordRef::Document(id) => tx.query_row("SELECT EXISTS (SELECT 1 FROM documents WHERE id = ?1 AND id NOT IN temp.hidden_docs)", [id], |r| r.get(0))?,
            RecordRef::Event(id) => tx.query_row("SELECT EXISTS (SELECT 1 FROM events WHERE id = ?1 AND id NOT IN temp.hidden_events)", [id], |r| r.get(0))?,
            RecordRef::Person(id) => {
                let n: i64 = id["person-".len()..].parse().map_err(|_| StoreError::NotFound(format!("no {id} on record")))?;
                tx.query_row("SELECT EXISTS (SELECT 1 FROM persons WHERE id = ?1 AND id NOT IN temp.hidden_persons)", [n], |r| r.get(0))?
            }
        };
        if on && !exists {
            return Err(StoreError::NotFound(format!("no {} {target} on record", record.kind())));
        }
        if on {
            let added = tx.execute(
                "INSERT OR IGNORE INTO restricted (target, kind, reason, actor, at) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![target, record.kind(), reason, actor, now()],
            )?;
            if added == 0 {
                return Err(StoreError::Refused(format!("{target} is already restricted")));
            }
            if let RecordRef::Person(id) = record {
                let n: i64 = id["person-".len()..].parse().unwrap_or_default();
                tx.execute(
                    "INSERT OR IGNORE INTO restricted_mentions (document_id, text, target) SELECT DISTINCT document_id, text, ?2 FROM mentions WHERE person_id = ?1",
                    params![n, target],
                )?;
            }
        } else {
            let removed = tx.execute("DELETE FROM restricted WHERE target = ?1", [&target])?;
            tx.execute("DELETE FROM restricted_mentions WHERE target = ?1", [&target])?;
            if removed == 0 {
                return Err(StoreError::Refused(format!("{target} is not restricted")));
            }
        }
        let action = if on { "record.restrict" } else { "record.unrestrict" };
        audit::append(&tx, &actor, action, &target, &json!({ "kind": record.kind(), "reason": reason, "before": !on, "after": on }))?;
        tx.commit()?;
        Ok(())
    }

    pub(crate) fn read_restrictions(&self) -> Result<Vec<Restriction>> {
        self.require(Role::Editor, "list restrictions")?;
        let hidden = self.refresh_hidden()?;
        let mut stmt = self.conn.prepare("SELECT target, reason, actor, at FROM restricted ORDER BY at, target")?;
        let rows: Vec<(String, Option<String>, String, String)> = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?.collect::<Result<_, _>>()?;
        let granted: HashSet<String> = match &self.access {
            Access::User { name, .. } if hidden => {
                self.conn.prepare("SELECT target FROM grants WHERE user = ?1")?.query_map([name], |r| r.get(0))?.collect::<Result<_, _>>()?
            }
            _ => HashSet::new(),
        };
        Ok(rows
            .into_iter()
            // A reader learns only of the restrictions they were granted.
            .filter(|(target, ..)| !hidden || granted.contains(target))
            .filter_map(|(target, reason, actor, at)| Some(Restriction { record: target.parse().ok()?, reason, actor, at }))
            .collect())
    }
}
