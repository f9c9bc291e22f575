//! Person names across spellings and scripts, and the linking of a report's
//! persons to the persons already on record.
//!
//! Knows nothing of documents, stores or extraction: it compares names and
//! attributes and says which person a new mention belongs to.

pub mod names;
mod linker;

pub use linker::{Candidate, LinkDecision, NewPerson};
pub use linker::{blocking_key, decide, score, LINK_THRESHOLD};
