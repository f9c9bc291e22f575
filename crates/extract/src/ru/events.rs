//! Events from trigger lemmas, with victims and perpetrators found by case and voice.

use super::dates::DateMention;
use super::names::FoundPerson;
use super::{Doc, FoundOrg, FoundPlace};
use chronicle_model::ExtractedEvent;

pub(crate) fn find_events(_doc: &Doc<'_>, _persons: &[FoundPerson], _orgs: &[FoundOrg], _places: &[FoundPlace], _dates: &[DateMention]) -> Vec<ExtractedEvent> {
    Vec::new()
}
