//! The record as read back: what exports, dossiers and pages are made from.

use chronicle_model::{Document, EventType, OrgCategory, PartialDate, PersonStatus, Review};

/// A document on record: the document and when it was ingested.
#[derive(Debug, Clone, PartialEq)]
pub struct DocumentRecord {
    pub document: Document,
    pub ingested_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MentionRecord {
    pub document: String,
    pub text: String,
    pub start: usize,
    pub end: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PersonRecord {
    pub id: String,
    pub name: String,
    pub names: Vec<String>,
    pub mentions: Vec<MentionRecord>,
    pub age: Option<u32>,
    pub birth_year: Option<i32>,
    pub nationality: Vec<String>,
    pub occupation: Vec<String>,
    pub status: Option<PersonStatus>,
    /// What reports say the person is to someone ("brother", "wife").
    pub relations: Vec<String>,
    /// Why each document's person was linked to this person.
    pub links: Vec<LinkRecord>,
    /// An analyst marked the person public: a public export names them
    /// even if no event makes them a victim or perpetrator.
    pub marked_public: bool,
}

/// How a document's person came to be this person.
#[derive(Debug, Clone, PartialEq)]
pub struct LinkRecord {
    pub document: String,
    pub score: f64,
    pub evidence: String,
}

/// Which mentions a split takes: all of a person's mentions in a document,
/// or one mention by its place (`DOC` or `DOC:START-END`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MentionSelector {
    pub document: String,
    pub span: Option<(usize, usize)>,
}

impl std::str::FromStr for MentionSelector {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let bad = || format!("{s:?} is not DOC or DOC:START-END");
        match s.rsplit_once(':') {
            None if !s.is_empty() => Ok(MentionSelector { document: s.to_string(), span: None }),
            None => Err(bad()),
            Some((doc, range)) => {
                let (a, b) = range.split_once('-').ok_or_else(bad)?;
                let (a, b) = (a.parse().map_err(|_| bad())?, b.parse().map_err(|_| bad())?);
                if doc.is_empty() || a >= b {
                    return Err(bad());
                }
                Ok(MentionSelector { document: doc.to_string(), span: Some((a, b)) })
            }
        }
    }
}

/// An analyst's decision on persons, as recorded.
#[derive(Debug, Clone, PartialEq)]
pub struct DecisionRecord {
    pub id: i64,
    pub kind: String,
    pub actor: String,
    pub at: String,
    /// What was decided, as JSON.
    pub detail: String,
}

/// One entry of the audit log.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditEntry {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub subject: String,
    /// Before and after, as JSON.
    pub detail: String,
    /// Digests of the state the write left (JSON, see SECURITY.md); none in
    /// entries written before Chronicle recorded them.
    pub state: Option<String>,
    pub prev_hash: String,
    pub hash: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct OrgRecord {
    pub id: String,
    pub name: String,
    pub names: Vec<String>,
    pub mentions: Vec<MentionRecord>,
    pub category: Option<OrgCategory>,
    pub country: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SourceRecord {
    pub document: String,
    pub start: usize,
    pub end: usize,
    pub quote: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EventRecord {
    pub id: String,
    pub kind: EventType,
    pub date: Option<PartialDate>,
    pub place: Option<String>,
    pub country: Option<String>,
    pub to_country: Option<String>,
    pub victims: Vec<String>,
    pub perpetrators: Vec<String>,
    pub term_years: Option<f64>,
    pub regime: Option<String>,
    pub charges: Vec<String>,
    pub confidence: Option<f64>,
    pub review: Review,
    pub sources: Vec<SourceRecord>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SearchHit {
    pub document: String,
    pub source: String,
    pub title: Option<String>,
    /// A passage with the matched words between `[` and `]`.
    pub snippet: String,
}

/// The hits shown of a search, and how many documents match in all.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SearchResults {
    pub hits: Vec<SearchHit>,
    pub total: usize,
    /// False when `total` is a floor: for a reader from whom some words are
    /// masked, only so many candidates are judged by what the reader sees.
    pub exact: bool,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Stats {
    pub documents: usize,
    pub persons: usize,
    pub organizations: usize,
    pub events: usize,
    pub by_type: Vec<(String, usize)>,
    pub by_year: Vec<(String, usize)>,
    pub by_country: Vec<(String, usize)>,
    /// Deportations, extraditions and renditions: (from the country where
    /// it happened, to the country the person was sent to, how many).
    pub transfers: Vec<(String, String, usize)>,
}

/// What an account may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    /// Reads what it is allowed to see.
    Viewer,
    /// Also ingests, reviews, merges, splits and restricts.
    Editor,
    /// Also manages accounts and grants, lifts restrictions, and sees every record.
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Editor => "editor",
            Role::Admin => "admin",
        }
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Role {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "viewer" => Ok(Role::Viewer),
            "editor" => Ok(Role::Editor),
            "admin" => Ok(Role::Admin),
            _ => Err(format!("{s:?} is not a role (viewer, editor, admin)")),
        }
    }
}

/// Whose eyes the store reads for, and what they may change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Access {
    /// A store without accounts: one person's, who sees and may do everything.
    Owner,
    /// An account: restricted records only where granted (admins: all).
    User { name: String, role: Role },
    /// Nobody in particular: no restricted record, no changes (public exports).
    Public,
}

impl Access {
    /// Whether this reader sees every record without asking for grants.
    pub fn sees_everything(&self) -> bool {
        matches!(self, Access::Owner | Access::User { role: Role::Admin, .. })
    }
    /// Whether this reader may make changes of `role`'s level.
    pub fn may(&self, role: Role) -> bool {
        match self {
            Access::Owner => true,
            Access::User { role: mine, .. } => *mine >= role,
            Access::Public => false,
        }
    }
}

/// An account, as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserRecord {
    pub name: String,
    pub role: Role,
    pub created_at: String,
    pub has_password: bool,
    /// Restricted records this account may see (`*`: every one).
    pub grants: Vec<String>,
    /// Whether it may log in and act.
    pub state: AccountState,
    /// What its sessions are bound to: it changes whenever they must end
    /// (see [`crate::Store::session_epoch`]).
    pub epoch: i64,
}

/// Whether an account may log in and act.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountState {
    /// Logs in, acts, and its tokens work.
    Enabled,
    /// Neither logs in nor acts until an admin enables it again.
    Disabled,
    /// Gone for good; kept so that the audit log's mentions of its name name
    /// one account, and no new account may take the name.
    Removed,
}

impl AccountState {
    pub fn as_str(self) -> &'static str {
        match self {
            AccountState::Enabled => "enabled",
            AccountState::Disabled => "disabled",
            AccountState::Removed => "removed",
        }
    }
}

impl std::fmt::Display for AccountState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for AccountState {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "enabled" => Ok(AccountState::Enabled),
            "disabled" => Ok(AccountState::Disabled),
            "removed" => Ok(AccountState::Removed),
            _ => Err(format!("{s:?} is not an account state (enabled, disabled, removed)")),
        }
    }
}

/// An API token as listed: never the token itself, which only its maker saw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenRecord {
    /// The number it is revoked by.
    pub id: i64,
    pub user: String,
    pub label: String,
    pub created_at: String,
    /// When it stops working (RFC 3339, UTC).
    pub expires_at: String,
    /// When an admin or its account revoked it, if one did.
    pub revoked_at: Option<String>,
}

impl TokenRecord {
    /// `active`, `expired` or `revoked`, now.
    pub fn state(&self) -> &'static str {
        self.state_at(&crate::sql_store::now())
    }
    /// `active`, `expired` or `revoked`, at the time `now` (RFC 3339, UTC, as the store writes it).
    pub fn state_at(&self, now: &str) -> &'static str {
        if self.revoked_at.is_some() {
            "revoked"
        } else if self.expires_at.as_str() <= now {
            "expired"
        } else {
            "active"
        }
    }
}

/// A token just made: the secret, shown once, and how it is listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewToken {
    pub token: String,
    pub record: TokenRecord,
}

/// A record that can be restricted: a document, an event or a person, by id.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum RecordRef {
    Document(String),
    Event(String),
    Person(String),
}

impl RecordRef {
    pub fn id(&self) -> &str {
        match self {
            RecordRef::Document(s) | RecordRef::Event(s) | RecordRef::Person(s) => s,
        }
    }
    pub fn kind(&self) -> &'static str {
        match self {
            RecordRef::Document(_) => "document",
            RecordRef::Event(_) => "event",
            RecordRef::Person(_) => "person",
        }
    }
}

impl std::str::FromStr for RecordRef {
    type Err = String;
    /// `doc-HASH`, `doc-HASH-eN` or `person-N`, as exports and dossiers show them.
    fn from_str(s: &str) -> Result<Self, String> {
        let bad = || format!("{s:?} is not a record id (doc-…, doc-…-eN or person-N)");
        if let Some(n) = s.strip_prefix("person-") {
            n.parse::<u64>().map_err(|_| bad())?;
            return Ok(RecordRef::Person(s.to_string()));
        }
        let rest = s.strip_prefix("doc-").ok_or_else(bad)?;
        match rest.split_once('-') {
            None if !rest.is_empty() => Ok(RecordRef::Document(s.to_string())),
            Some((hash, e)) if !hash.is_empty() && e.strip_prefix('e').is_some_and(|n| n.parse::<u32>().is_ok()) => Ok(RecordRef::Event(s.to_string())),
            _ => Err(bad()),
        }
    }
}

/// A restricted record, as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Restriction {
    pub record: RecordRef,
    pub reason: Option<String>,
    pub actor: String,
    pub at: String,
}

/// Which events to read: every field given must hold.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EventFilter {
    pub kind: Option<chronicle_model::EventType>,
    /// Where it happened (ISO 3166-1 alpha-2).
    pub country: Option<String>,
    pub year: Option<i32>,
    /// A victim or perpetrator (`person-N`).
    pub person: Option<String>,
    /// Told by this document.
    pub document: Option<String>,
    /// Told by any of these documents (when not empty).
    pub documents: Vec<String>,
    /// Without victims, perpetrators and sources: cheaper, for counting.
    pub brief: bool,
    pub review: Option<Review>,
    pub offset: usize,
    pub limit: Option<usize>,
    /// Least confident first (a review queue); otherwise by date.
    pub least_confident_first: bool,
}

/// An analyst's correction of an event's fields; the fields given replace the machine's.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EventCorrection {
    pub kind: Option<chronicle_model::EventType>,
    pub date: Option<PartialDate>,
    pub place: Option<String>,
    pub country: Option<String>,
    pub to_country: Option<String>,
}

impl EventCorrection {
    pub fn is_empty(&self) -> bool {
        *self == EventCorrection::default()
    }
}

/// A place in a document that names a person or an organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntityMention {
    /// `person-N` or `org-KEY`.
    pub entity: String,
    pub text: String,
    pub start: usize,
    pub end: usize,
}
