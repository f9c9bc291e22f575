//! Organisations in any case form, with their nominative names.

use super::{Doc, FoundOrg, FoundPlace};

pub(crate) fn find_orgs(_doc: &Doc<'_>, _places: &[FoundPlace]) -> Vec<FoundOrg> {
    Vec::new()
}
