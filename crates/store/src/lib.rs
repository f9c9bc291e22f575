//! Chronicle's record: the [`Store`] interface and its implementations.
//!
//! The CLI and the server speak only to [`Store`]. [`SqlStore`] implements
//! it once over a small SQL layer with two engines: an embedded SQLite file
//! (the default) and a PostgreSQL server (an organisation's shared record).
//! Each document is written with all its records in one transaction, so an
//! interrupted ingest leaves either the whole document or nothing.

mod db;
mod limits;
mod password;
mod records;
mod sql_store;
mod stems;

pub use limits::{Cancel, MAX_SEARCH_BYTES, MAX_SEARCH_WORDS, SEARCH_TIME};
pub use password::{check_account_password, check_password_strength, MAX_ACCOUNT_NAME_CHARS, MAX_PASSWORD_BYTES, MIN_PASSWORD_CHARS};
pub use records::*;
pub use sql_store::{AuditHead, AuditProblem, AuditReport};
pub use sql_store::{DEFAULT_TOKEN_LIFE, MAX_TOKEN_LIFE, audit_entry_hash, is_encrypted, redact, CopyReport, Location, Prepared, QueueCounts, QueueOutcome, QueuedReport, NameMask, SqlStore, StoreKey, MASK};
pub use sql_store::tags::{tag_of, MAX_TAG_CHARS};

use chronicle_model::{Document, Extraction};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("cannot open the store at {path}: {source}")]
    Open { path: String, source: rusqlite::Error },
    #[error("PostgreSQL: {0}")]
    Postgres(String),
    #[error("cannot connect to the store at {url}: {source}")]
    Connect { url: String, source: tokio_postgres::Error },
    #[error("the store at {path} was written by a newer Chronicle (schema {found}, this one knows {known})")]
    TooNew { path: String, found: i64, known: i64 },
    #[error("corrupt record in the store: {0}")]
    Corrupt(String),
    #[error("not found: {0}")]
    NotFound(String),
    #[error("refused: {0}")]
    Refused(String),
    #[error("the store at {path} is encrypted: give its passphrase (CHRONICLE_PASSPHRASE or the prompt) or --key-file")]
    Locked { path: String },
    #[error("the store at {path} did not open with this passphrase or key file: wrong key, or not a Chronicle store")]
    WrongKey { path: String },
    #[error("the store at {path} is not encrypted; open it without a key")]
    NotEncrypted { path: String },
    #[error("encryption: {0}")]
    Crypto(String),
    #[error("{path}: {source}")]
    Io { path: String, source: std::io::Error },
    /// A query the store will not run as given (a search too long, with too many words, or with a NUL).
    #[error("{0}")]
    Query(String),
    /// A query stopped: past its time limit, or its caller went away.
    #[error("{0}")]
    Interrupted(String),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Where the audit chain breaks: the first entry that was edited, removed or moved.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChainBreak {
    #[error("audit entry {seq} was edited: its hash does not match its contents")]
    Edited { seq: i64 },
    #[error("audit entries after {after} and before {next} were removed")]
    Missing { after: i64, next: i64 },
    #[error("audit entry {seq} does not follow the entry before it: entries were removed or reordered")]
    OutOfPlace { seq: i64 },
}

/// What happened to a document handed to [`Store::add_document`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Added {
    /// Stored with its records.
    New { persons_linked: usize, persons_created: usize, events: usize },
    /// The same bytes were already on record under this source.
    AlreadyPresent { source: String },
}

/// The one interface to Chronicle's record.
pub trait Store {
    /// Whether a document with these bytes (by SHA-256) is on record.
    fn contains(&self, sha256: &str) -> Result<bool>;
    /// Stores a document, its original bytes and its extraction, and links
    /// its persons to the persons on record, all in one transaction.
    fn add_document(&mut self, doc: &Document, original: &[u8], extraction: &Extraction, extractor: &str) -> Result<Added>;
    /// Every document, ordered by source.
    fn documents(&self) -> Result<Vec<DocumentRecord>>;
    fn document(&self, id: &str) -> Result<Option<DocumentRecord>>;
    /// The original bytes of a document.
    fn original(&self, id: &str) -> Result<Option<Vec<u8>>>;
    /// What made a document's records: an extractor's name (`rules-en/1`,
    /// `none`) or an import's (`import/1`). None for a document not on record.
    fn extractor(&self, id: &str) -> Result<Option<String>>;
    fn persons(&self) -> Result<Vec<PersonRecord>>;
    fn organizations(&self) -> Result<Vec<OrgRecord>>;
    /// Every event, ordered by document source and position.
    fn events(&self) -> Result<Vec<EventRecord>>;
    /// Persons any of whose spellings contains the query (case, accents and script folded).
    fn find_persons(&self, query: &str) -> Result<Vec<PersonRecord>>;
    /// Full-text search over documents, best first: words in any of their
    /// forms, `"phrases"`, `prefix*`, `OR`, `NOT word` or `-word`.
    fn search(&self, query: &str, limit: usize) -> Result<Vec<SearchHit>> {
        Ok(self.search_counted(query, limit)?.hits)
    }
    /// A search's first `limit` hits, and how many documents match in all.
    fn search_counted(&self, query: &str, limit: usize) -> Result<SearchResults>;
    fn stats(&self) -> Result<Stats>;
    /// The engine's own consistency check; `Ok(())` when the file is sound.
    fn check_integrity(&self) -> Result<(), String>;

    /// Who the following writes are recorded as, in decisions and the audit log.
    fn set_actor(&mut self, actor: &str);
    /// One person by id (`person-N`).
    fn person(&self, id: &str) -> Result<Option<PersonRecord>>;
    /// Analysts' decision: `absorb` is the same person as `keep`. Everything
    /// of `absorb` moves to `keep`, and stays there through later linking and
    /// re-extraction. Refused for persons said to be distinct.
    fn merge_persons(&mut self, keep: &str, absorb: &str) -> Result<DecisionRecord>;
    /// Analysts' decision: the selected mentions of `person` are someone
    /// else. They become a new person, distinct from the old one; returns the
    /// decision and the new person's id.
    fn split_person(&mut self, person: &str, mentions: &[MentionSelector]) -> Result<(DecisionRecord, String)>;
    /// Tags a report (`kazan-2024`, `lawyer-letters`): lower-case letters,
    /// digits and `- _ . : /`; a tag it has already is no change. Editors; audited.
    fn tag_document(&mut self, document: &str, tags: &[String]) -> Result<()>;
    /// A report's tags, in order (none for a report the reader may not see).
    fn document_tags(&self, document: &str) -> Result<Vec<String>>;
    /// An analyst's mark that a person may be named in public exports
    /// although no event makes them a victim or perpetrator (a relative, a
    /// witness, a source), or (`public` false) takes it back. Editors; audited.
    fn mark_public(&mut self, person: &str, public: bool) -> Result<()>;
    /// Analysts' decision: `a` and `b` are different people; never merged,
    /// and each document's person stays where it is through re-extraction.
    fn mark_distinct(&mut self, a: &str, b: &str) -> Result<DecisionRecord>;
    /// Every decision, oldest first.
    fn decisions(&self) -> Result<Vec<DecisionRecord>>;
    /// Replaces a document's extraction (a newer extractor) and links its
    /// persons again, following analysts' decisions; reviews of events that
    /// keep their id survive.
    fn replace_extraction(&mut self, document: &str, extraction: &Extraction, extractor: &str) -> Result<Added>;
    /// The audit log, oldest first.
    fn audit_log(&self) -> Result<Vec<AuditEntry>>;
    /// Checks the audit chain; `Ok(Ok(n))` for n sound entries, `Ok(Err(break))` naming the first bad one.
    fn verify_audit(&self) -> Result<Result<usize, ChainBreak>>;

    /// Reads and writes from now on as this account (and records changes as
    /// it). A store without accounts is its owner's: everything is visible and
    /// allowed. Refused for a name that is not an account of a store that has some.
    fn act_as(&mut self, user: &str) -> Result<Access>;
    /// Reads from now on as nobody in particular: no restricted record, no
    /// changes. What public exports are made from.
    fn act_as_public(&mut self) -> Result<()>;
    /// Whose eyes reads are for now.
    fn access(&self) -> &Access;
    /// Adds an account; the first must be an admin, later ones are added by
    /// an admin. The password, if any, is kept as an Argon2id hash.
    fn add_user(&mut self, name: &str, role: Role, password: Option<&str>) -> Result<()>;
    /// Every account with its grants (admins only).
    fn users(&self) -> Result<Vec<UserRecord>>;
    /// The account, if the password is its password.
    fn check_password(&self, name: &str, password: &str) -> Result<Option<UserRecord>>;
    /// Lets an account see a restricted record (by id, or `*` for all); admins only.
    fn grant(&mut self, user: &str, record: &str) -> Result<()>;
    fn revoke(&mut self, user: &str, record: &str) -> Result<()>;
    /// Marks a document, event or person restricted: from then on only
    /// admins and granted accounts see it, in every read. Editors and admins.
    fn restrict(&mut self, record: &RecordRef, reason: Option<&str>) -> Result<()>;
    /// Lifts a restriction (admins only).
    fn unrestrict(&mut self, record: &RecordRef) -> Result<()>;
    /// The restrictions this reader may know of.
    fn restrictions(&self) -> Result<Vec<Restriction>>;

    /// Events matching the filter (as this reader sees them), by date or least confident first.
    fn events_where(&self, filter: &EventFilter) -> Result<Vec<EventRecord>>;
    /// An analyst confirms or rejects an event, or corrects its fields (which
    /// confirms it). Kept through re-extraction while the event keeps its id; audited.
    fn review_event(&mut self, id: &str, review: chronicle_model::Review, correction: &EventCorrection) -> Result<EventRecord>;
    /// Where a document names persons and organisations, in order.
    fn document_mentions(&self, document: &str) -> Result<Vec<EntityMention>>;
    /// Like `find_persons`, at most `limit`, by id.
    fn persons_named(&self, query: &str, limit: usize) -> Result<Vec<PersonRecord>>;
    /// Display names of persons (`person-N`) and organisations (`org-KEY`) this reader may see.
    fn names_of(&self, ids: &[String]) -> Result<std::collections::HashMap<String, String>>;
    /// Documents ordered by publication date, newest first: a page of them.
    fn documents_page(&self, offset: usize, limit: usize) -> Result<Vec<DocumentRecord>>;
    /// A new API token for an account (its own, or any for an admin), working
    /// for [`DEFAULT_TOKEN_LIFE`]; shown once, kept hashed.
    fn create_token(&mut self, user: &str, label: &str) -> Result<String> {
        Ok(self.create_token_expiring(user, label, DEFAULT_TOKEN_LIFE)?.token)
    }
    /// A new API token that works for `valid_for` (a minute to [`MAX_TOKEN_LIFE`]):
    /// its secret, shown once and kept hashed, and its number. Audited.
    fn create_token_expiring(&mut self, user: &str, label: &str, valid_for: std::time::Duration) -> Result<NewToken>;
    /// The enabled account a token belongs to, while the token is neither
    /// expired nor revoked.
    fn token_user(&self, token: &str) -> Result<Option<String>>;
    /// API tokens, never their secrets, oldest first: `user`'s (an account's
    /// own; any account's for an admin), or with `None` the reader's own (an
    /// admin: every account's).
    fn tokens(&self, user: Option<&str>) -> Result<Vec<TokenRecord>>;
    /// Revokes a token by its number (the account's own, or any for an
    /// admin); it stops working at once. Audited.
    fn revoke_token(&mut self, id: i64) -> Result<TokenRecord>;
    /// Changes an account's role (admins; the last enabled admin stays one). Audited.
    fn set_role(&mut self, user: &str, role: Role) -> Result<()>;
    /// Sets an account's password (admins, or the account itself); the
    /// account's sessions end. Audited, without the password.
    fn set_password(&mut self, user: &str, password: &str) -> Result<()>;
    /// Disables (`false`) or enables an account (admins; the last enabled
    /// admin stays enabled). A disabled account neither logs in nor acts, its
    /// sessions end and its tokens are revoked for good. Audited.
    fn set_enabled(&mut self, user: &str, enabled: bool) -> Result<()>;
    /// Removes an account (admins; never the last enabled admin): it stays
    /// on record as removed, so that the audit log names one account, without
    /// password, grants or working tokens, and its name is not given again. Audited.
    fn remove_user(&mut self, user: &str) -> Result<()>;
    /// What a session of `user` is bound to: `Some(epoch)` while the account
    /// is enabled; the epoch changes whenever its sessions must end (disabled,
    /// enabled, removed, a new password). `None`: no session of it may go on.
    fn session_epoch(&self, user: &str) -> Result<Option<i64>>;
}
