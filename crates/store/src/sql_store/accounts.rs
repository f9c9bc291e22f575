//! The lifecycle of accounts and API tokens: roles changed, passwords set,
//! accounts disabled, enabled and removed; tokens made with an expiry,
//! listed and revoked.
//!
//! Every change is the admins' (a password and a token also their
//! account's own), audited in the transaction that makes it with what was
//! before and what is after. The last enabled admin is never demoted,
//! disabled or removed. A removed account stays on record, without password,
//! grants or working tokens, so that the audit log's mentions of its name
//! name one account and no new account takes the name. An account's `epoch`
//! changes whenever its sessions must end (disabled, enabled, removed, new
//! password): a server binds each session to the epoch it began in.

use super::access::hash_password;
use super::{audit, now, SqlStore};
use crate::db::{Db, Row};
use crate::{Access, AccountState, NewToken, Result, Role, StoreError, TokenRecord};
use serde_json::json;
use sha2::{Digest, Sha256};
use std::time::Duration;

/// How long a token works when its maker does not say.
pub const DEFAULT_TOKEN_LIFE: Duration = Duration::from_secs(90 * 86_400);
/// The longest a token may work: tokens are made again, not kept forever.
pub const MAX_TOKEN_LIFE: Duration = Duration::from_secs(366 * 86_400);
const TOKEN_COLUMNS: &str = "id, \"user\", label, created_at, expires_at, revoked_at";

/// The longest label a token may carry.
const MAX_LABEL_CHARS: usize = 200;

pub(crate) fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// The time `after` from now, as the store writes times.
fn later(after: Duration) -> Result<String> {
    let after = chrono::Duration::from_std(after).map_err(|e| StoreError::Refused(format!("a token's life: {e}")))?;
    Ok((chrono::Utc::now() + after).to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
}

fn token_row(r: &Row) -> Result<TokenRecord> {
    Ok(TokenRecord {
        id: r.get(0)?,
        user: r.get(1)?,
        label: r.get(2)?,
        created_at: r.get(3)?,
        // A token without an expiry never works: it reads as expired.
        expires_at: r.get::<Option<String>>(4)?.unwrap_or_default(),
        revoked_at: r.get(5)?,
    })
}

/// An account's role and state; not found names it.
fn account(db: &Db, name: &str) -> Result<(Role, AccountState)> {
    let row = db.row("SELECT role, state FROM users WHERE name = ?1", &[&name])?.ok_or_else(|| StoreError::NotFound(format!("no account {name:?}")))?;
    let (role, state): (String, String) = (row.get(0)?, row.get(1)?);
    Ok((role.parse().map_err(StoreError::Corrupt)?, state.parse().map_err(StoreError::Corrupt)?))
}

/// Like [`account`], refusing a removed account: nothing about it changes any more.
fn live_account(db: &Db, name: &str) -> Result<(Role, AccountState)> {
    let found = account(db, name)?;
    if found.1 == AccountState::Removed {
        return Err(StoreError::Refused(format!("the account {name} was removed")));
    }
    Ok(found)
}

/// Refuses to take `name`, an enabled admin, away from the admins: someone must manage the accounts.
fn keep_an_admin(db: &Db, name: &str, role: Role, state: AccountState, what: &str) -> Result<()> {
    if role != Role::Admin || state != AccountState::Enabled {
        return Ok(());
    }
    let others: i64 = db.one("SELECT COUNT(*) FROM users WHERE role = 'admin' AND state = 'enabled' AND name <> ?1", &[&name])?;
    if others == 0 {
        return Err(StoreError::Refused(format!("{name} is the last enabled admin and cannot be {what}: make another account admin first")));
    }
    Ok(())
}

/// Revokes every token of `user` not revoked yet; how many.
fn revoke_all(db: &Db, user: &str) -> Result<usize> {
    db.exec("UPDATE api_tokens SET revoked_at = ?1 WHERE \"user\" = ?2 AND revoked_at IS NULL", &[&now(), &user])
}

impl SqlStore {
    /// Whether the reader is the account `name` itself.
    fn is_own(&self, name: &str) -> bool {
        matches!(&self.access, Access::User { name: me, .. } if me == name)
    }

    /// After a change to the reader's own account: act with what it now may (or as nobody, if it may not act).
    fn follow_own_change(&mut self, name: &str) -> Result<()> {
        if self.is_own(name) && self.act_as_user(name).is_err() {
            self.set_access(Access::Public)?;
        }
        Ok(())
    }

    pub(crate) fn change_role(&mut self, name: &str, role: Role) -> Result<()> {
        self.require(Role::Admin, "change roles")?;
        let actor = self.actor.clone();
        let tx = self.db.begin_write()?;
        let (before, state) = live_account(&tx, name)?;
        if before == role {
            return Err(StoreError::Refused(format!("{name} is already {role}")));
        }
        keep_an_admin(&tx, name, before, state, "demoted")?;
        tx.exec("UPDATE users SET role = ?1 WHERE name = ?2", &[&role.as_str(), &name])?;
        audit::append(&tx, &actor, "user.role", name, &json!({ "before": { "role": before.as_str() }, "after": { "role": role.as_str() } }))?;
        tx.commit()?;
        self.follow_own_change(name)
    }

    pub(crate) fn change_password(&mut self, name: &str, password: &str) -> Result<()> {
        if !self.is_own(name) {
            self.require(Role::Admin, "set other accounts' passwords")?;
        }
        crate::check_account_password(name, password)?;
        // Hashed before the write lock is taken: Argon2id takes a while.
        let hash = hash_password(password)?;
        let actor = self.actor.clone();
        let tx = self.db.begin_write()?;
        live_account(&tx, name)?;
        let had: bool = tx.one("SELECT password IS NOT NULL FROM users WHERE name = ?1", &[&name])?;
        tx.exec("UPDATE users SET password = ?1, epoch = epoch + 1 WHERE name = ?2", &[&hash, &name])?;
        let detail = json!({ "before": { "password": had }, "after": { "password": true }, "sessions": "ended" });
        audit::append(&tx, &actor, "user.password", name, &detail)?;
        tx.commit()
    }

    pub(crate) fn change_enabled(&mut self, name: &str, enabled: bool) -> Result<()> {
        self.require(Role::Admin, if enabled { "enable accounts" } else { "disable accounts" })?;
        let actor = self.actor.clone();
        let tx = self.db.begin_write()?;
        let (role, before) = live_account(&tx, name)?;
        let after = if enabled { AccountState::Enabled } else { AccountState::Disabled };
        if before == after {
            return Err(StoreError::Refused(format!("{name} is already {after}")));
        }
        keep_an_admin(&tx, name, role, before, "disabled")?;
        tx.exec("UPDATE users SET state = ?1, epoch = epoch + 1 WHERE name = ?2", &[&after.as_str(), &name])?;
        // Tokens made before a disable never come back: whoever held them may not be who should.
        let revoked = if enabled { 0 } else { revoke_all(&tx, name)? };
        let action = if enabled { "user.enable" } else { "user.disable" };
        let detail = json!({ "before": { "state": before.as_str() }, "after": { "state": after.as_str() }, "tokens_revoked": revoked, "sessions": "ended" });
        audit::append(&tx, &actor, action, name, &detail)?;
        tx.commit()?;
        self.follow_own_change(name)
    }

    pub(crate) fn remove_account(&mut self, name: &str) -> Result<()> {
        self.require(Role::Admin, "remove accounts")?;
        let actor = self.actor.clone();
        let tx = self.db.begin_write()?;
        let (role, state) = live_account(&tx, name)?;
        keep_an_admin(&tx, name, role, state, "removed")?;
        let grants: Vec<String> = tx.col("SELECT target FROM grants WHERE \"user\" = ?1 ORDER BY target", &[&name])?;
        let had_password: bool = tx.one("SELECT password IS NOT NULL FROM users WHERE name = ?1", &[&name])?;
        tx.exec("DELETE FROM grants WHERE \"user\" = ?1", &[&name])?;
        let revoked = revoke_all(&tx, name)?;
        tx.exec("UPDATE users SET state = 'removed', password = NULL, epoch = epoch + 1 WHERE name = ?1", &[&name])?;
        let detail = json!({
            "before": { "role": role.as_str(), "state": state.as_str(), "password": had_password, "grants": grants },
            "after": { "role": role.as_str(), "state": "removed", "password": false, "grants": [] },
            "tokens_revoked": revoked, "sessions": "ended",
        });
        audit::append(&tx, &actor, "user.remove", name, &detail)?;
        tx.commit()?;
        self.follow_own_change(name)
    }

    /// What a session of `name` is bound to while the account is enabled.
    pub(crate) fn login_epoch(&self, name: &str) -> Result<Option<i64>> {
        self.db.opt("SELECT epoch FROM users WHERE name = ?1 AND state = 'enabled'", &[&name])
    }

    pub(crate) fn new_token(&mut self, user: &str, label: &str, valid_for: Duration) -> Result<NewToken> {
        if !self.is_own(user) {
            self.require(Role::Admin, "make tokens for other accounts")?;
        }
        if valid_for < Duration::from_secs(60) || valid_for > MAX_TOKEN_LIFE {
            return Err(StoreError::Refused(format!(
                "a token works from a minute to {} days; {} days were asked",
                MAX_TOKEN_LIFE.as_secs() / 86_400,
                valid_for.as_secs() / 86_400
            )));
        }
        if label.chars().count() > MAX_LABEL_CHARS || label.chars().any(char::is_control) {
            return Err(StoreError::Refused(format!("a token's label is one line of at most {MAX_LABEL_CHARS} characters")));
        }
        let mut bytes = [0u8; 32];
        rand::Rng::fill(&mut rand::rng(), &mut bytes);
        let token = format!("chr_{}", bytes.iter().map(|b| format!("{b:02x}")).collect::<String>());
        let (created_at, expires_at) = (now(), later(valid_for)?);
        let actor = self.actor.clone();
        let tx = self.db.begin_write()?;
        let (_, state) = account(&tx, user)?;
        if state != AccountState::Enabled {
            return Err(StoreError::Refused(format!("the account {user} is {state}: it gets no tokens")));
        }
        let id: i64 = tx.one("SELECT COALESCE(MAX(id), 0) + 1 FROM api_tokens", &[])?;
        tx.exec(
            "INSERT INTO api_tokens (hash, \"user\", label, created_at, id, expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            &[&token_hash(&token), &user, &label, &created_at, &id, &expires_at],
        )?;
        let detail = json!({ "token": id, "label": label, "before": null, "after": { "token": id, "expires_at": expires_at } });
        audit::append(&tx, &actor, "user.token", user, &detail)?;
        tx.commit()?;
        let record = TokenRecord { id, user: user.to_string(), label: label.to_string(), created_at, expires_at, revoked_at: None };
        Ok(NewToken { token, record })
    }

    /// The enabled account a live token (not expired, not revoked) belongs to.
    pub(crate) fn token_owner(&self, token: &str) -> Result<Option<String>> {
        self.db.opt(
            "SELECT t.\"user\" FROM api_tokens t JOIN users u ON u.name = t.\"user\"
             WHERE t.hash = ?1 AND t.revoked_at IS NULL AND t.expires_at > ?2 AND u.state = 'enabled'",
            &[&token_hash(token), &now()],
        )
    }

    pub(crate) fn read_tokens(&self, user: Option<&str>) -> Result<Vec<TokenRecord>> {
        let user = match (user, &self.access) {
            (Some(u), _) if self.is_own(u) => Some(u.to_string()),
            // An account that is not an admin lists its own.
            (None, Access::User { name, role }) if *role < Role::Admin => Some(name.clone()),
            (u, _) => {
                self.require(Role::Admin, "list other accounts' tokens")?;
                u.map(str::to_string)
            }
        };
        let rows = match &user {
            Some(u) => {
                account(&self.db, u)?;
                self.db.rows(&format!("SELECT {TOKEN_COLUMNS} FROM api_tokens WHERE \"user\" = ?1 ORDER BY id"), &[u])?
            }
            None => self.db.rows(&format!("SELECT {TOKEN_COLUMNS} FROM api_tokens ORDER BY id"), &[])?,
        };
        rows.iter().map(token_row).collect()
    }

    pub(crate) fn revoke_token_by_id(&mut self, id: i64) -> Result<TokenRecord> {
        let actor = self.actor.clone();
        let tx = self.db.begin_write()?;
        let row = tx.row(&format!("SELECT {TOKEN_COLUMNS} FROM api_tokens WHERE id = ?1"), &[&id])?;
        let mut token = row.as_ref().map(token_row).transpose()?.ok_or_else(|| StoreError::NotFound(format!("no token {id}")))?;
        if !self.is_own(&token.user) {
            self.require(Role::Admin, "revoke other accounts' tokens")?;
        }
        if let Some(at) = &token.revoked_at {
            return Err(StoreError::Refused(format!("token {id} was already revoked at {at}")));
        }
        let at = now();
        tx.exec("UPDATE api_tokens SET revoked_at = ?1 WHERE id = ?2", &[&at, &id])?;
        let detail = json!({ "token": id, "label": token.label, "before": { "revoked": false }, "after": { "revoked": true } });
        audit::append(&tx, &actor, "user.revoke-token", &token.user, &detail)?;
        tx.commit()?;
        token.revoked_at = Some(at);
        Ok(token)
    }
}
