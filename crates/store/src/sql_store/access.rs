//! Accounts, grants and restricted records.
//!
//! Every read of the store goes through [`SqlStore::refresh_hidden`]: for a
//! reader who may not see every record it fills three temporary tables
//! (`hidden_docs`, `hidden_events`, `hidden_persons`) that the read queries
//! leave out, and the places in visible texts that name a hidden person or
//! tell a hidden event are masked ([`redact`]). Hidden are: restricted
//! documents, events and persons not granted; the events and persons of
//! hidden documents (persons no visible document names); events whose every
//! victim is hidden. For the owner of a store
//! without accounts, and for admins, the tables stay empty.

use super::{audit, now, SqlStore, HIDDEN_DOCS, HIDDEN_EVENTS, HIDDEN_PERSONS};
use crate::{Access, RecordRef, Restriction, Result, Role, StoreError, UserRecord};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use crate::db::ToValue;
use serde_json::json;
use std::collections::{HashMap, HashSet};

/// The character that stands for each withheld character.
pub const MASK: char = '█';

/// Places in documents' texts to mask, by document: character ranges.
pub(crate) type Redactions = HashMap<String, Vec<(usize, usize)>>;

/// The hidden-record tables, one set per connection (both engines keep
/// temporary tables to the connection that made them).
pub(crate) const TEMP_TABLES: &str = "
    CREATE TEMP TABLE IF NOT EXISTS hidden_docs (id TEXT PRIMARY KEY);
    CREATE TEMP TABLE IF NOT EXISTS hidden_events (id TEXT PRIMARY KEY);
    CREATE TEMP TABLE IF NOT EXISTS hidden_persons (id BIGINT PRIMARY KEY);";

const CLEAR_HIDDEN: &str = "DELETE FROM hidden_docs; DELETE FROM hidden_events; DELETE FROM hidden_persons;";

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

pub(crate) fn hash_password(password: &str) -> Result<String> {
    let mut salt = [0u8; 16];
    rand::Rng::fill(&mut rand::rng(), &mut salt);
    let salt = SaltString::encode_b64(&salt).map_err(|e| StoreError::Crypto(e.to_string()))?;
    Ok(argon2::Argon2::default().hash_password(password.as_bytes(), &salt).map_err(|e| StoreError::Crypto(e.to_string()))?.to_string())
}

impl SqlStore {
    /// Whether the store has accounts at all.
    pub(crate) fn has_users(&self) -> Result<bool> {
        self.db.one("SELECT EXISTS (SELECT 1 FROM users)", &[])
    }

    /// Whether any account can log in with a password (what the server needs).
    pub fn any_password(&self) -> Result<bool> {
        self.db.one("SELECT EXISTS (SELECT 1 FROM users WHERE password IS NOT NULL)", &[])
    }

    pub(crate) fn set_access(&mut self, access: Access) -> Result<()> {
        self.db.batch(CLEAR_HIDDEN)?;
        self.access = access;
        Ok(())
    }

    pub(crate) fn act_as_user(&mut self, name: &str) -> Result<Access> {
        let access = if self.has_users()? {
            let row = self
                .db
                .row("SELECT role, state FROM users WHERE name = ?1", &[&name])?
                .ok_or_else(|| StoreError::Refused(format!("this store has accounts and {name:?} is not one of them (give --actor NAME)")))?;
            let (role, state): (String, String) = (row.get(0)?, row.get(1)?);
            if state != "enabled" {
                return Err(StoreError::Refused(format!("the account {name} is {state}: it may not act")));
            }
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
        let c = &self.db;
        c.batch(CLEAR_HIDDEN)?;
        let everything: bool = c.one("SELECT EXISTS (SELECT 1 FROM grants WHERE \"user\" = ?1 AND target = '*')", &[&user])?;
        if everything {
            return Ok(false);
        }
        let granted = "(SELECT target FROM grants WHERE \"user\" = ?1)";
        c.exec(&format!("INSERT INTO hidden_docs SELECT target FROM restricted WHERE kind = 'document' AND target NOT IN {granted}"), &[&user])?;
        c.exec(
            &format!("INSERT INTO hidden_events SELECT target FROM restricted WHERE kind = 'event' AND target NOT IN {granted} ON CONFLICT DO NOTHING"),
            &[&user],
        )?;
        c.exec(&format!("INSERT INTO hidden_events SELECT id FROM events WHERE document_id IN {HIDDEN_DOCS} ON CONFLICT DO NOTHING"), &[])?;
        c.exec(
            &format!(
                "INSERT INTO hidden_persons SELECT DISTINCT m.person_id FROM mentions m
                 JOIN restricted_mentions r ON r.document_id = m.document_id AND r.text = m.text
                 WHERE m.person_id IS NOT NULL AND r.target NOT IN {granted} ON CONFLICT DO NOTHING"
            ),
            &[&user],
        )?;
        c.exec(
            &format!(
                "INSERT INTO hidden_persons SELECT CAST(substr(target, 8) AS BIGINT) FROM restricted
                 WHERE kind = 'person' AND target NOT IN {granted} ON CONFLICT DO NOTHING"
            ),
            &[&user],
        )?;
        let any_docs: bool = c.one("SELECT EXISTS (SELECT 1 FROM hidden_docs)", &[])?;
        if any_docs {
            // Persons known only from hidden documents.
            c.exec(
                &format!(
                    "INSERT INTO hidden_persons SELECT p.id FROM persons p WHERE NOT EXISTS
                     (SELECT 1 FROM mentions m WHERE m.person_id = p.id AND m.document_id NOT IN {HIDDEN_DOCS}) ON CONFLICT DO NOTHING"
                ),
                &[],
            )?;
        }
        // Events that happened only to hidden persons.
        c.exec(
            &format!(
                "INSERT INTO hidden_events SELECT DISTINCT p.event_id FROM event_participants p
                 WHERE p.role = 'victim' AND p.person_id IN {HIDDEN_PERSONS} AND NOT EXISTS
                 (SELECT 1 FROM event_participants v WHERE v.event_id = p.event_id AND v.role = 'victim'
                  AND (v.person_id IS NULL OR v.person_id NOT IN {HIDDEN_PERSONS})) ON CONFLICT DO NOTHING"
            ),
            &[],
        )?;
        Ok(true)
    }

    /// Places in visible documents that name a hidden person or tell a hidden event.
    pub(crate) fn redactions(&self) -> Result<Redactions> {
        let mut out: Redactions = HashMap::new();
        let rows = self.db.rows(
            &format!(
                "SELECT document_id, start, \"end\" FROM mentions WHERE person_id IN {HIDDEN_PERSONS} AND document_id NOT IN {HIDDEN_DOCS}
                 UNION ALL
                 SELECT document_id, start, \"end\" FROM event_sources WHERE event_id IN {HIDDEN_EVENTS} AND document_id NOT IN {HIDDEN_DOCS}"
            ),
            &[],
        )?;
        for row in rows {
            let (doc, a, b): (String, usize, usize) = (row.get(0)?, row.get(1)?, row.get(2)?);
            out.entry(doc).or_default().push((a, b));
        }
        Ok(out)
    }

    pub(crate) fn is_hidden(&self, table: &str, id: &dyn ToValue) -> Result<bool> {
        self.db.one(&format!("SELECT EXISTS (SELECT 1 FROM {table} WHERE id = ?1)"), &[id])
    }

    pub(crate) fn add_user_row(&mut self, name: &str, role: Role, password: Option<&str>) -> Result<()> {
        if name.trim().is_empty() || name.chars().any(|c| c.is_control() || c.is_whitespace()) {
            return Err(StoreError::Refused(format!("{name:?} is not an account name: one word, no spaces")));
        }
        if name.chars().count() > crate::MAX_ACCOUNT_NAME_CHARS {
            return Err(StoreError::Refused(format!("an account name has at most {} characters", crate::MAX_ACCOUNT_NAME_CHARS)));
        }
        password.map(|p| crate::check_account_password(name, p)).transpose()?;
        let first = !self.has_users()?;
        if first && role != Role::Admin {
            return Err(StoreError::Refused("the first account must be an admin (--role admin): someone has to manage the others".into()));
        }
        if !first {
            self.require(Role::Admin, "add accounts")?;
        }
        let hash = password.map(hash_password).transpose()?;
        let actor = self.actor.clone();
        let tx = self.db.begin_write()?;
        let state: Option<String> = tx.opt("SELECT state FROM users WHERE name = ?1", &[&name])?;
        match state.as_deref() {
            None => {}
            // The audit log names the removed account by this name: it stays that account's.
            Some("removed") => return Err(StoreError::Refused(format!("{name:?} was an account, now removed; its name stays its own in the audit log: choose another"))),
            Some(_) => return Err(StoreError::Refused(format!("an account {name:?} already exists"))),
        }
        tx.exec("INSERT INTO users (name, role, password, created_at) VALUES (?1, ?2, ?3, ?4)", &[&name, &role.as_str(), &hash, &now()])?;
        audit::append(&tx, &actor, "user.add", name, &json!({ "before": null, "after": { "role": role.as_str(), "password": hash.is_some() } }))?;
        tx.commit()?;
        Ok(())
    }

    pub(crate) fn read_users(&self) -> Result<Vec<UserRecord>> {
        let rows = self.db.rows("SELECT name, role, password IS NOT NULL, created_at, state, epoch FROM users ORDER BY name", &[])?;
        rows.iter()
            .map(|r| {
                let (name, role, has_password, created_at, state, epoch): (String, String, bool, String, String, i64) =
                    (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?);
                let granted: Vec<String> = self.db.col("SELECT target FROM grants WHERE \"user\" = ?1 ORDER BY target", &[&name])?;
                let (role, state) = (role.parse().map_err(StoreError::Corrupt)?, state.parse().map_err(StoreError::Corrupt)?);
                Ok(UserRecord { role, name, created_at, has_password, grants: granted, state, epoch })
            })
            .collect()
    }

    pub(crate) fn verify_password(&self, name: &str, password: &str) -> Result<Option<UserRecord>> {
        // A disabled or removed account does not log in, whatever its password.
        let hash: Option<Option<String>> = self.db.opt("SELECT password FROM users WHERE name = ?1 AND state = 'enabled'", &[&name])?;
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
        let tx = self.db.begin_write()?;
        let exists: bool = tx.one("SELECT EXISTS (SELECT 1 FROM users WHERE name = ?1)", &[&user])?;
        if !exists {
            return Err(StoreError::NotFound(format!("no account {user:?}")));
        }
        let changed = if on {
            tx.exec("INSERT INTO grants (\"user\", target, actor, at) VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING", &[&user, &target, &actor, &now()])?
        } else {
            tx.exec("DELETE FROM grants WHERE \"user\" = ?1 AND target = ?2", &[&user, &target])?
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
        let tx = self.db.begin_write()?;
        let exists: bool = match record {
            RecordRef::Document(id) => tx.one(&format!("SELECT EXISTS (SELECT 1 FROM documents WHERE id = ?1 AND id NOT IN {HIDDEN_DOCS})"), &[id])?,
            RecordRef::Event(id) => tx.one(&format!("SELECT EXISTS (SELECT 1 FROM events WHERE id = ?1 AND id NOT IN {HIDDEN_EVENTS})"), &[id])?,
            RecordRef::Person(id) => {
                let n: i64 = id["person-".len()..].parse().map_err(|_| StoreError::NotFound(format!("no {id} on record")))?;
                tx.one(&format!("SELECT EXISTS (SELECT 1 FROM persons WHERE id = ?1 AND id NOT IN {HIDDEN_PERSONS})"), &[&n])?
            }
        };
        if on && !exists {
            return Err(StoreError::NotFound(format!("no {} {target} on record", record.kind())));
        }
        if on {
            let added = tx.exec(
                "INSERT INTO restricted (target, kind, reason, actor, at) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT DO NOTHING",
                &[&target, &record.kind(), &reason, &actor, &now()],
            )?;
            if added == 0 {
                return Err(StoreError::Refused(format!("{target} is already restricted")));
            }
            if let RecordRef::Person(id) = record {
                let n: i64 = id["person-".len()..].parse().unwrap_or_default();
                tx.exec(
                    "INSERT INTO restricted_mentions (document_id, text, target)
                     SELECT DISTINCT document_id, text, CAST(?2 AS TEXT) FROM mentions WHERE person_id = ?1 ON CONFLICT DO NOTHING",
                    &[&n, &target],
                )?;
            }
        } else {
            let removed = tx.exec("DELETE FROM restricted WHERE target = ?1", &[&target])?;
            tx.exec("DELETE FROM restricted_mentions WHERE target = ?1", &[&target])?;
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
        let rows: Vec<(String, Option<String>, String, String)> = self
            .db
            .rows("SELECT target, reason, actor, at FROM restricted ORDER BY at, target", &[])?
            .iter()
            .map(|r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .collect::<Result<_>>()?;
        let granted: HashSet<String> = match &self.access {
            Access::User { name, .. } if hidden => {
                self.db.col::<String>("SELECT target FROM grants WHERE \"user\" = ?1", &[name])?.into_iter().collect()
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
