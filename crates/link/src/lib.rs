//! Person names across spellings and scripts, and the linking of a report's
//! persons to the persons already on record.
//!
//! Knows nothing of documents, stores or extraction: it folds scripts
//! ([`script`]), takes names apart ([`names`]), scores two names
//! ([`compare`]) and says which person a report's person is ([`linker`]).

pub mod compare;
pub mod eval;
pub mod linker;
pub mod names;
pub mod script;
pub mod variants;

pub use compare::{compare, Comparison, Frequencies};
pub use linker::{blocking_keys, blocking_keys_of, lookup_keys, decide, score, Candidate, Index, LinkDecision, NewPerson, Prepared, Profile, LINK_THRESHOLD};
