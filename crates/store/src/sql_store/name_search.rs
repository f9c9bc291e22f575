//! Persons found by a name as people type it, in any spelling or script:
//! through the linker's blocking keys ("Bakhrom Khamroev" and "Бахром
//! Хамроев" share keys with "Bakhrom Khamroyev"), then kept where the
//! linker's comparison says the names are one (a full name) or a word of
//! their names has the same romanisation-neutral form (a single word:
//! Khamroev, Хамроев, Хамроеву and Khamroyev are one surname).

use super::{SqlStore, HIDDEN_PERSONS};
use crate::{PersonRecord, Result};
use chronicle_link::names::{parse, ParsedName};
use chronicle_link::{compare, lookup_keys, Frequencies, LINK_THRESHOLD};
use std::collections::BTreeSet;

/// Candidates read at most for one query.
const MAX_CANDIDATES: usize = 500;

impl SqlStore {
    /// Persons whose names are another spelling of `query`.
    pub(crate) fn persons_by_name_forms(&self, query: &str) -> Result<Vec<PersonRecord>> {
        let name = parse(query);
        let ids = match name.words.len() {
            0 => return Ok(Vec::new()),
            1 => self.ids_by_word(&name)?,
            _ => self.ids_by_keys(&lookup_keys(&name))?,
        };
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(", ");
        let persons = self.read_persons(&format!("SELECT p.id, p.name FROM persons p WHERE p.id IN ({list}) ORDER BY p.id"), &[])?;
        Ok(persons.into_iter().filter(|p| p.names.iter().any(|n| same_name(&name, query, n))).collect())
    }

    /// Persons with any of these keys.
    fn ids_by_keys(&self, keys: &[String]) -> Result<BTreeSet<i64>> {
        let mut ids = BTreeSet::new();
        for k in keys {
            let sql = format!("SELECT person_id FROM person_keys WHERE key = ?1 AND person_id NOT IN {HIDDEN_PERSONS} LIMIT {MAX_CANDIDATES}");
            ids.extend(self.db.col::<i64>(&sql, &[k])?);
            if ids.len() >= MAX_CANDIDATES {
                break;
            }
        }
        Ok(ids)
    }

    /// Persons one of whose keys pairs the word's skeleton with another word's.
    fn ids_by_word(&self, name: &ParsedName) -> Result<BTreeSet<i64>> {
        let word = &name.words[0];
        let mut ids = BTreeSet::new();
        for skeleton in std::iter::once(&word.skeleton).filter(|s| !s.is_empty()) {
            // Keys are "first|second": those starting "skeleton|" sort from there to "skeleton}".
            let (from, to) = (format!("{skeleton}|"), format!("{skeleton}}}"));
            let sql = format!("SELECT DISTINCT person_id FROM person_keys WHERE key >= ?1 AND key < ?2 AND person_id NOT IN {HIDDEN_PERSONS} LIMIT {MAX_CANDIDATES}");
            ids.extend(self.db.col::<i64>(&sql, &[&from, &to])?);
        }
        Ok(ids)
    }
}

/// Whether a person's name `theirs` is the name asked for.
fn same_name(asked: &ParsedName, query: &str, theirs: &str) -> bool {
    if asked.words.len() == 1 {
        let word = &asked.words[0];
        return parse(theirs).words.iter().any(|w| w.same_canon(word));
    }
    compare(query, theirs, &Frequencies::new()).score >= LINK_THRESHOLD
}

/// Persons a search word may name, at most.
const MAX_NAMED: usize = 20;

impl SqlStore {
    /// Widens a search by the spellings on record of the persons its words
    /// name: a word that is another spelling, script or case of a word of a
    /// person's name (`Khamroev`, `Хамроеву`) finds the reports that spell it
    /// as they do (`Khamroyev`).
    pub(crate) fn widen_by_names(&self, q: &mut super::search::Query) -> Result<()> {
        for (group, typed) in q.single_words() {
            let Some(asked) = parse(&typed).words.into_iter().next().filter(|w| w.canon.chars().count() >= 4) else { continue };
            let mut persons = self.persons_by_name_forms(&typed)?;
            persons.truncate(MAX_NAMED);
            for name in persons.iter().flat_map(|p| &p.names) {
                for word in name.split_whitespace() {
                    if parse(word).words.first().is_some_and(|w| w.same_canon(&asked)) {
                        q.also(group, word);
                    }
                }
            }
        }
        Ok(())
    }
}
