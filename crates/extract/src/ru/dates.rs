//! Russian date expressions, resolved against the publication date.

use super::Doc;
use chronicle_model::PartialDate;

#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct DateMention {
    /// Token range `[start, end)`.
    pub start: usize,
    pub end: usize,
    pub date: PartialDate,
}

pub(crate) fn find_dates(_doc: &Doc<'_>) -> Vec<DateMention> {
    Vec::new()
}
