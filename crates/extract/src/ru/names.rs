//! Persons in every case form, grouped to one nominative name.

use super::{Doc, FoundOrg, FoundPlace};
use chronicle_model::Country;

#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct FoundPerson {
    /// The nominative full name ("Бахром Хамроев").
    pub name: String,
    pub mentions: Vec<(usize, usize)>,
    pub age: Option<u32>,
    pub birth_year: Option<i32>,
    pub nationality: Vec<Country>,
    pub occupation: Vec<String>,
    pub affiliations: Vec<usize>,
    pub relations: Vec<String>,
}

pub(crate) fn find_persons(_doc: &Doc<'_>, _orgs: &[FoundOrg], _places: &[FoundPlace]) -> Vec<FoundPerson> {
    Vec::new()
}
