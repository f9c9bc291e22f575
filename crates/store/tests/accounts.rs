//! The lifecycle of accounts and API tokens, on both engines. Admins change
//! roles, set passwords, disable, enable and remove accounts, and list and
//! revoke tokens; nobody else does. The last enabled admin is never demoted,
//! disabled or removed. A disabled or removed account neither logs in nor
//! acts, its sessions end (its epoch moves) and its tokens stop working; a
//! token also stops when it expires or is revoked. A removed account stays
//! on record, so that the audit log still names it, and its name is not
//! given again. Every change is in the audit log, before and after.

mod common;

use chronicle_store::{AccountState, Role, SqlStore, Store, StoreError, DEFAULT_TOKEN_LIFE, MAX_TOKEN_LIFE};
use common::{each_backend, Fresh};
use std::time::Duration;

const DAY: Duration = Duration::from_secs(86_400);

/// ada (admin), ed (editor) and vic (viewer), each with a password.
fn accounts(f: &Fresh) {
    let mut s = f.open();
    s.add_user("ada", Role::Admin, Some("ada's long passphrase")).unwrap();
    s.act_as("ada").unwrap();
    s.add_user("ed", Role::Editor, Some("ed's long passphrase")).unwrap();
    s.add_user("vic", Role::Viewer, Some("vic's long passphrase")).unwrap();
}

fn open_as(f: &Fresh, name: &str) -> SqlStore {
    let mut s = f.open();
    s.act_as(name).unwrap_or_else(|e| panic!("acting as {name} on {}: {e}", f.engine));
    s
}

fn refused<T: std::fmt::Debug>(r: Result<T, StoreError>) -> String {
    match r {
        Err(StoreError::Refused(m)) => m,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

fn state_of(f: &Fresh, name: &str) -> AccountState {
    open_as(f, "ada").users().unwrap().into_iter().find(|u| u.name == name).unwrap().state
}

/// Changes the store as someone holding its database would: straight SQL on the engine.
fn raw_sql(f: &Fresh, sql: &str) {
    match &f.location {
        chronicle_store::Location::File(path) => rusqlite::Connection::open(path).unwrap().execute_batch(sql).unwrap(),
        chronicle_store::Location::Postgres(url) => postgres::Client::connect(url, postgres::NoTls).unwrap().batch_execute(sql).unwrap(),
    }
}

#[test]
fn an_admin_changes_roles_but_the_last_enabled_admin_stays_an_admin() {
    each_backend(|f| {
        accounts(&f);
        let mut ada = open_as(&f, "ada");
        let why = refused(ada.set_role("ada", Role::Editor));
        assert!(why.contains("last enabled admin"), "{why}");
        ada.set_role("vic", Role::Editor).unwrap();
        assert_eq!(open_as(&f, "vic").access(), &chronicle_store::Access::User { name: "vic".into(), role: Role::Editor });
        assert!(refused(ada.set_role("vic", Role::Editor)).contains("already editor"));
        ada.set_role("ed", Role::Admin).unwrap();
        ada.set_role("ada", Role::Viewer).unwrap();
        assert!(refused(ada.set_role("vic", Role::Viewer)).contains("admin role"), "ada, now a viewer, changes no role any more");
        let ed = open_as(&f, "ed");
        let roles: Vec<(String, Role)> = ed.users().unwrap().into_iter().map(|u| (u.name, u.role)).collect();
        assert_eq!(roles, [("ada".to_string(), Role::Viewer), ("ed".into(), Role::Admin), ("vic".into(), Role::Editor)]);
        assert!(matches!(open_as(&f, "ed").set_role("nobody", Role::Admin), Err(StoreError::NotFound(_))));
    });
}

#[test]
fn only_admins_change_accounts() {
    each_backend(|f| {
        accounts(&f);
        for name in ["ed", "vic"] {
            let mut s = open_as(&f, name);
            assert!(refused(s.set_role("vic", Role::Admin)).contains("admin role"), "{name}");
            assert!(refused(s.set_role(name, Role::Admin)).contains("admin role"), "{name} promotes nobody, not even themselves");
            assert!(refused(s.set_enabled("ada", false)).contains("admin role"), "{name}");
            assert!(refused(s.remove_user("ada")).contains("admin role"), "{name}");
            assert!(refused(s.set_password("ada", "a takeover passphrase")).contains("admin role"), "{name}");
            assert!(refused(s.tokens(Some("ada"))).contains("admin role"), "{name}");
            assert!(refused(s.create_token("ada", "x")).contains("admin role"), "{name}");
        }
        let mut public = f.open();
        public.act_as_public().unwrap();
        assert!(refused(public.set_enabled("ada", false)).contains("admin role"));
        assert_eq!(state_of(&f, "ada"), AccountState::Enabled);
        assert!(open_as(&f, "ada").check_password("ada", "a takeover passphrase").unwrap().is_none());
    });
}

#[test]
fn a_disabled_account_cannot_log_in_act_or_use_its_tokens_and_its_sessions_end() {
    each_backend(|f| {
        accounts(&f);
        let token = open_as(&f, "vic").create_token("vic", "laptop").unwrap();
        let mut ada = open_as(&f, "ada");
        let epoch = ada.session_epoch("vic").unwrap().expect("an enabled account's sessions go on");
        assert_eq!(ada.token_user(&token).unwrap().as_deref(), Some("vic"));

        ada.set_enabled("vic", false).unwrap();
        assert_eq!(state_of(&f, "vic"), AccountState::Disabled);
        assert!(ada.check_password("vic", "vic's long passphrase").unwrap().is_none(), "no login with the right password");
        assert!(refused(f.open().act_as("vic")).contains("disabled"));
        assert_eq!(ada.token_user(&token).unwrap(), None, "its token is refused");
        assert_eq!(ada.session_epoch("vic").unwrap(), None, "its sessions end");
        assert!(refused(ada.create_token("vic", "again")).contains("disabled"));
        assert!(refused(ada.set_enabled("vic", false)).contains("already disabled"));

        ada.set_enabled("vic", true).unwrap();
        assert!(ada.check_password("vic", "vic's long passphrase").unwrap().is_some(), "enabled, it logs in again");
        let after = ada.session_epoch("vic").unwrap().unwrap();
        assert_ne!(after, epoch, "a session from before the disable does not come back");
        assert_eq!(ada.token_user(&token).unwrap(), None, "nor does a token");
        assert!(open_as(&f, "vic").tokens(None).unwrap()[0].revoked_at.is_some(), "its tokens were revoked for good");
    });
}

#[test]
fn the_last_enabled_admin_cannot_be_disabled_or_removed() {
    each_backend(|f| {
        accounts(&f);
        let mut ada = open_as(&f, "ada");
        assert!(refused(ada.set_enabled("ada", false)).contains("last enabled admin"));
        assert!(refused(ada.remove_user("ada")).contains("last enabled admin"));
        ada.add_user("bea", Role::Admin, Some("bea's long passphrase")).unwrap();
        ada.set_enabled("bea", false).unwrap();
        assert!(refused(ada.set_enabled("ada", false)).contains("last enabled admin"), "a disabled admin does not count");
        assert!(refused(ada.remove_user("ada")).contains("last enabled admin"));
        ada.set_enabled("bea", true).unwrap();
        ada.set_enabled("ada", false).unwrap();
        assert_eq!(*ada.access(), chronicle_store::Access::Public, "who disabled their own account acts no more");
        let mut bea = open_as(&f, "bea");
        assert!(refused(bea.remove_user("bea")).contains("last enabled admin"));
        bea.remove_user("ada").unwrap();
    });
}

#[test]
fn a_removed_account_stays_named_in_the_audit_log_and_its_name_is_not_given_again() {
    each_backend(|f| {
        accounts(&f);
        let token = open_as(&f, "vic").create_token("vic", "script").unwrap();
        let mut ada = open_as(&f, "ada");
        ada.grant("vic", "*").unwrap();
        ada.remove_user("vic").unwrap();

        let vic = ada.users().unwrap().into_iter().find(|u| u.name == "vic").unwrap();
        assert_eq!((vic.state, vic.has_password, vic.grants.len()), (AccountState::Removed, false, 0));
        assert!(ada.check_password("vic", "vic's long passphrase").unwrap().is_none());
        assert!(refused(f.open().act_as("vic")).contains("removed"));
        assert_eq!(ada.token_user(&token).unwrap(), None);
        assert_eq!(ada.session_epoch("vic").unwrap(), None);
        assert!(refused(ada.add_user("vic", Role::Viewer, None)).contains("removed"), "the name stays the removed account's");
        assert!(refused(ada.set_enabled("vic", true)).contains("removed"), "a removed account does not come back");
        assert!(refused(ada.set_password("vic", "a fresh long passphrase")).contains("removed"));

        let log = ada.audit_log().unwrap();
        let about_vic: Vec<&str> = log.iter().filter(|e| e.subject == "vic").map(|e| e.action.as_str()).collect();
        assert_eq!(about_vic, ["user.add", "user.token", "user.grant", "user.remove"]);
        let removal = log.last().unwrap();
        assert!(removal.detail.contains(r#""before":{"grants":["*"]"#) || removal.detail.contains(r#""grants":["*"]"#), "{}", removal.detail);
        assert!(removal.detail.contains(r#""state":"removed""#) && removal.detail.contains(r#""tokens_revoked":1"#), "{}", removal.detail);
        assert_eq!(ada.verify_audit().unwrap(), Ok(log.len()));
    });
}

#[test]
fn a_new_password_replaces_the_old_ends_sessions_and_must_be_strong() {
    each_backend(|f| {
        accounts(&f);
        let mut ada = open_as(&f, "ada");
        let epoch = ada.session_epoch("ed").unwrap();
        for weak in ["", "short", "aaaaaaaaaaaaaaaa"] {
            assert!(refused(ada.set_password("ed", weak)).contains("password"), "{weak:?}");
        }
        assert!(chronicle_store::check_account_password("dilnoza", "Dilnoza-2024-dilnoza").is_err(), "nor built on the account's name");
        ada.set_password("ed", "a brand new passphrase").unwrap();
        assert!(ada.check_password("ed", "ed's long passphrase").unwrap().is_none());
        assert!(ada.check_password("ed", "a brand new passphrase").unwrap().is_some());
        assert_ne!(ada.session_epoch("ed").unwrap(), epoch, "sessions with the old password end");
        open_as(&f, "vic").set_password("vic", "my own new passphrase").unwrap();
        assert!(ada.check_password("vic", "my own new passphrase").unwrap().is_some(), "an account sets its own password");
        let log = ada.audit_log().unwrap();
        assert!(log.iter().all(|e| !e.detail.contains("passphrase")), "no password in the audit log");
        let last = log.last().unwrap();
        assert_eq!((last.actor.as_str(), last.action.as_str(), last.subject.as_str()), ("vic", "user.password", "vic"));
        assert!(last.detail.contains(r#""before":{"password":true}"#), "{}", last.detail);
    });
}

#[test]
fn tokens_expire_by_default_are_listed_without_their_secret_and_can_be_revoked() {
    each_backend(|f| {
        accounts(&f);
        let mut ada = open_as(&f, "ada");
        let default = ada.create_token_expiring("ed", "default", DEFAULT_TOKEN_LIFE).unwrap();
        let short = ada.create_token_expiring("ed", "short", 30 * DAY).unwrap();
        let own = open_as(&f, "vic").create_token("vic", "vic's").unwrap();
        let expires = |t: &chronicle_store::TokenRecord| chrono::DateTime::parse_from_rfc3339(&t.expires_at).unwrap();
        let created = chrono::DateTime::parse_from_rfc3339(&default.record.created_at).unwrap();
        assert_eq!((expires(&default.record) - created).num_days(), 90, "ninety days unless said otherwise");
        assert_eq!((expires(&short.record) - created).num_days(), 30);
        assert!(refused(ada.create_token_expiring("ed", "forever", MAX_TOKEN_LIFE + DAY)).contains("366 days"));
        assert!(refused(ada.create_token_expiring("ed", "none", Duration::ZERO)).contains("a minute"));

        let listed = ada.tokens(None).unwrap();
        let ids: Vec<(i64, &str, &str)> = listed.iter().map(|t| (t.id, t.user.as_str(), t.label.as_str())).collect();
        assert_eq!(ids, [(1, "ed", "default"), (2, "ed", "short"), (3, "vic", "vic's")]);
        assert_eq!(ada.tokens(Some("ed")).unwrap().len(), 2);
        assert_eq!(open_as(&f, "vic").tokens(None).unwrap().len(), 1, "an account lists its own");
        let secrets = format!("{listed:?}");
        assert!(![&default.token, &short.token, &own].iter().any(|t| secrets.contains(&t[4..])), "no secret in a listing");

        assert!(refused(open_as(&f, "vic").revoke_token(short.record.id)).contains("admin role"), "nor anyone else's to revoke");
        let revoked = ada.revoke_token(short.record.id).unwrap();
        assert!(revoked.revoked_at.is_some());
        assert_eq!(ada.token_user(&short.token).unwrap(), None, "a revoked token is refused");
        assert_eq!(ada.token_user(&default.token).unwrap().as_deref(), Some("ed"), "the others still work");
        assert!(refused(ada.revoke_token(short.record.id)).contains("already revoked"));
        assert!(matches!(ada.revoke_token(99), Err(StoreError::NotFound(_))));
        open_as(&f, "vic").revoke_token(3).unwrap();
        assert_eq!(ada.token_user(&own).unwrap(), None, "an account revokes its own");

        // Time passes: the token's expiry is behind us.
        raw_sql(&f, "UPDATE api_tokens SET expires_at = '2001-01-01T00:00:00Z' WHERE id = 1");
        assert_eq!(ada.token_user(&default.token).unwrap(), None, "an expired token is refused");
        let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let states: Vec<&str> = ada.tokens(None).unwrap().iter().map(|t| t.state_at(&now)).collect();
        assert_eq!(states, ["expired", "revoked", "revoked"]);
    });
}

#[test]
fn every_change_to_an_account_is_audited_with_before_and_after() {
    each_backend(|f| {
        accounts(&f);
        let mut ada = open_as(&f, "ada");
        let token = ada.create_token_expiring("ed", "ci", 7 * DAY).unwrap();
        ada.revoke_token(token.record.id).unwrap();
        ada.set_role("ed", Role::Viewer).unwrap();
        ada.set_password("ed", "another long passphrase").unwrap();
        ada.set_enabled("ed", false).unwrap();
        ada.set_enabled("ed", true).unwrap();
        ada.remove_user("ed").unwrap();
        let log = ada.audit_log().unwrap();
        let mine: Vec<_> = log.iter().filter(|e| e.subject == "ed" && e.action != "user.add").collect();
        let actions: Vec<&str> = mine.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(actions, ["user.token", "user.revoke-token", "user.role", "user.password", "user.disable", "user.enable", "user.remove"]);
        for e in &mine {
            assert_eq!(e.actor, "ada");
            assert!(e.detail.contains("\"before\"") && e.detail.contains("\"after\""), "{}: {}", e.action, e.detail);
        }
        assert!(mine[2].detail.contains(r#""before":{"role":"editor"}"#) && mine[2].detail.contains(r#""after":{"role":"viewer"}"#), "{}", mine[2].detail);
        assert_eq!(ada.verify_audit().unwrap(), Ok(log.len()));
    });
}

#[test]
fn a_store_made_before_account_lifecycles_opens_with_its_accounts_enabled_and_its_tokens_numbered_and_expiring() {
    each_backend(|f| {
        let version = {
            let mut s = f.open();
            s.add_user("ada", Role::Admin, None).unwrap();
            s.create_token("ada", "old").unwrap();
            s.schema_version().unwrap()
        };
        // Back to the store as the version before this one left it: no states, no token numbers, no expiry.
        let old = match f.engine {
            "sqlite" => "ALTER TABLE users DROP COLUMN epoch; ALTER TABLE users DROP COLUMN state;
                         DROP INDEX api_tokens_id; DROP INDEX api_tokens_user;
                         ALTER TABLE api_tokens DROP COLUMN id; ALTER TABLE api_tokens DROP COLUMN expires_at; ALTER TABLE api_tokens DROP COLUMN revoked_at;
                         UPDATE api_tokens SET created_at = '2026-01-10T08:00:00Z';
                         DROP TABLE document_tags; DROP INDEX documents_attached_to; ALTER TABLE documents DROP COLUMN reading; ALTER TABLE documents DROP COLUMN ocr_confidence; ALTER TABLE documents DROP COLUMN attached_to;",
            _ => "ALTER TABLE users DROP COLUMN epoch; ALTER TABLE users DROP COLUMN state; DROP INDEX api_tokens_user;
                  ALTER TABLE api_tokens DROP COLUMN id; ALTER TABLE api_tokens DROP COLUMN expires_at; ALTER TABLE api_tokens DROP COLUMN revoked_at;
                  UPDATE api_tokens SET created_at = '2026-01-10T08:00:00Z'; DROP TABLE document_tags; DROP INDEX documents_attached_to; ALTER TABLE documents DROP COLUMN reading; ALTER TABLE documents DROP COLUMN ocr_confidence; ALTER TABLE documents DROP COLUMN attached_to; UPDATE chronicle_schema SET version = version - 3;",
        };
        // The lifecycle's migration is the one before search stems' and documents' readings: the store is three versions behind.
        let behind = if f.engine == "sqlite" { format!("PRAGMA user_version = {};", version - 3) } else { String::new() };
        raw_sql(&f, &format!("{old}{behind}"));
        let ada = open_as(&f, "ada");
        assert_eq!(ada.schema_version().unwrap(), version);
        assert_eq!(ada.users().unwrap()[0].state, AccountState::Enabled);
        let tokens = ada.tokens(None).unwrap();
        assert_eq!((tokens[0].id, tokens[0].expires_at.as_str(), tokens[0].revoked_at.as_deref()), (1, "2026-04-10T08:00:00Z", None));
    });
}
