//! Full-text search over the stems of documents' words ([`crate::stems`]),
//! the same on both engines: SQLite's FTS5 table and PostgreSQL's `fts`
//! vector (the `simple` configuration: no stemming of its own) hold the
//! stems of each document's title and text, written as the document is; a
//! query's words are stemmed the same way. Snippets are cut from the text
//! as written, with every word of a query's stem marked.

use super::{SqlStore, HIDDEN_DOCS};
use crate::db::{Db, Engine, Row};
use crate::stems::{stem, stemmed, words};
use crate::{Result, StoreError, MAX_SEARCH_BYTES, MAX_SEARCH_WORDS};
use std::collections::HashSet;

/// A search query as the engines are asked it.
#[derive(Debug, Default)]
pub(crate) struct Query {
    /// Each word of the query (as split at white space) as the stems of the
    /// words in it: one stem, or a phrase ("penal-colony").
    phrases: Vec<Vec<String>>,
    /// Every stem, once: each must stand in a document found.
    pub(crate) stems: HashSet<String>,
}

impl Query {
    /// The query's words, each once (whatever its case), as stems: user input
    /// never reaches the engines' query syntax. A query over
    /// [`MAX_SEARCH_BYTES`], or over [`MAX_SEARCH_WORDS`] different words or
    /// stems, or with a control character in it, is refused: each stem costs
    /// every engine a pass over its index, and a NUL is not text.
    pub(crate) fn parse(query: &str) -> Result<Query> {
        if query.len() > MAX_SEARCH_BYTES {
            return Err(StoreError::Query(format!("the search query has {} bytes, more than the {MAX_SEARCH_BYTES} a search may have", query.len())));
        }
        if let Some(c) = query.chars().find(|c| c.is_control() && !c.is_whitespace()) {
            return Err(StoreError::Query(format!("the search query holds the control character {c:?}; search for words")));
        }
        let mut seen = HashSet::new();
        let distinct: Vec<&str> = query.split_whitespace().filter(|w| seen.insert(w.to_lowercase())).collect();
        let mut q = Query::default();
        for w in &distinct {
            let phrase: Vec<String> = words(w).map(|(_, w)| stem(w)).collect();
            q.stems.extend(phrase.iter().cloned());
            if !phrase.is_empty() && !q.phrases.contains(&phrase) {
                q.phrases.push(phrase);
            }
        }
        let most = distinct.len().max(q.stems.len());
        if most > MAX_SEARCH_WORDS {
            return Err(StoreError::Query(format!("the search query has {most} different words, more than the {MAX_SEARCH_WORDS} a search may have")));
        }
        Ok(q)
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.phrases.is_empty()
    }

    /// FTS5's query: every phrase, each quoted (stems hold no quote).
    fn fts5(&self) -> String {
        self.phrases.iter().map(|p| format!("\"{}\"", p.join(" "))).collect::<Vec<_>>().join(" ")
    }

    /// The stems for PostgreSQL's `plainto_tsquery('simple', …)`: all of them.
    fn tsquery(&self) -> String {
        self.phrases.iter().flatten().cloned().collect::<Vec<_>>().join(" ")
    }
}

/// A document's title and text, stemmed for the index.
pub(crate) struct Indexed {
    title: String,
    text: String,
}

impl Indexed {
    pub(crate) fn of(title: Option<&str>, text: &str) -> Indexed {
        Indexed { title: title.map(stemmed).unwrap_or_default(), text: stemmed(text) }
    }

    /// Title and text in one, as PostgreSQL's vector holds them.
    pub(crate) fn whole(&self) -> String {
        format!("{} {}", self.title, self.text)
    }
}

/// What PostgreSQL's vector of a document is made from ([`Indexed::whole`]).
pub(crate) const PG_VECTOR: &str = "to_tsvector('simple', ?15)";

/// Indexes the stored document `id` on SQLite (PostgreSQL's vector is written
/// with the row, from [`PG_VECTOR`]).
pub(crate) fn index_document(tx: &Db, id: &str, indexed: &Indexed) -> Result<()> {
    if tx.engine() == Engine::Sqlite {
        tx.exec(
            "INSERT INTO documents_fts (rowid, title, text) SELECT rowid, ?2, ?3 FROM documents WHERE id = ?1",
            &[&id, &indexed.title, &indexed.text],
        )?;
    }
    Ok(())
}

/// Indexes every stored document again (a store made before search stemmed,
/// or one just copied in).
pub(crate) fn rebuild_index(tx: &Db) -> Result<()> {
    if tx.engine() == Engine::Sqlite {
        tx.exec("INSERT INTO documents_fts (documents_fts) VALUES ('delete-all')", &[])?;
    }
    let ids: Vec<String> = tx.col("SELECT id FROM documents ORDER BY id", &[])?;
    for id in ids {
        let Some(row) = tx.row("SELECT title, text FROM documents WHERE id = ?1", &[&id])? else { continue };
        let (title, text): (Option<String>, String) = (row.get(0)?, row.get(1)?);
        let indexed = Indexed::of(title.as_deref(), &text);
        match tx.engine() {
            Engine::Sqlite => index_document(tx, &id, &indexed)?,
            Engine::Postgres => {
                tx.exec("UPDATE documents SET fts = to_tsvector('simple', ?1) WHERE id = ?2", &[&indexed.whole(), &id])?;
            }
        }
    }
    tracing::info!("search index rebuilt");
    Ok(())
}

impl SqlStore {
    /// The documents the reader may see that hold every stem of `q`, best
    /// first, at most `asked`: id, source, title, text.
    pub(crate) fn search_rows(&self, q: &Query, asked: usize) -> Result<Vec<Row>> {
        match self.db.engine() {
            Engine::Sqlite => self.db.rows_bounded(
                &format!(
                    "SELECT d.id, d.source, d.title, d.text
                     FROM documents_fts JOIN documents d ON d.rowid = documents_fts.rowid
                     WHERE documents_fts MATCH ?1 AND d.id NOT IN {HIDDEN_DOCS} ORDER BY rank, d.id LIMIT ?2"
                ),
                &[&q.fts5(), &asked],
            ),
            Engine::Postgres => self.db.rows_bounded(
                &format!(
                    "SELECT d.id, d.source, d.title, d.text FROM documents d, plainto_tsquery('simple', ?1) q
                     WHERE d.fts @@ q AND d.id NOT IN {HIDDEN_DOCS}
                     ORDER BY ts_rank(d.fts, q) DESC, d.source, d.id LIMIT ?2"
                ),
                &[&q.tsquery(), &asked],
            ),
        }
    }
}

/// The bytes kept before and after the first word found, in a snippet.
const BEFORE: usize = 80;
const AFTER: usize = 120;

/// A passage of `text` around the first word whose stem is one of `stems`,
/// every such word in it between `[` and `]`; None when no word is.
pub(crate) fn snippet(text: &str, stems: &HashSet<String>) -> Option<String> {
    let found = |w: &str| stems.contains(&stem(w));
    let (first, _) = words(text).find(|(_, w)| found(w))?;
    let start = floor(text, first.saturating_sub(BEFORE));
    let end = floor(text, (first + AFTER).min(text.len()));
    let mut out = String::from(if start > 0 { "…" } else { "" });
    let mut at = start;
    for (i, w) in words(&text[start..end]).filter(|(_, w)| found(w)) {
        out.push_str(&text[at..start + i]);
        out.push_str(&format!("[{w}]"));
        at = start + i + w.len();
    }
    out.push_str(&text[at..end]);
    if end < text.len() {
        out.push('…');
    }
    Some(out)
}

/// The start of the character `i` falls in.
fn floor(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Whether every stem of `q` stands in `text` (what a reader sees of a
/// document), read until the last is found.
pub(crate) fn holds_all(text: &str, q: &HashSet<String>) -> bool {
    let mut missing: HashSet<&str> = q.iter().map(String::as_str).collect();
    let mut seen = HashSet::new();
    for (_, w) in words(text) {
        if seen.insert(w) {
            missing.remove(stem(w).as_str());
            if missing.is_empty() {
                return true;
            }
        }
    }
    missing.is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(q: &str) -> Query {
        Query::parse(q).unwrap()
    }

    #[test]
    fn a_snippet_marks_every_form_of_the_words_asked_for() {
        let text = "Хамроева задержали в Москве. Позже Хамроеву предъявили обвинение.";
        let s = snippet(text, &query("хамроев").stems).unwrap();
        assert_eq!(s, "[Хамроева] задержали в Москве. Позже [Хамроеву] предъявили обвинение…");
        assert_eq!(snippet(text, &query("освобожден").stems), None);
    }

    #[test]
    fn a_long_text_is_cut_around_the_first_word_found() {
        let text = format!("{} He was arrested. {}", "word ".repeat(100), "more ".repeat(100));
        let s = snippet(&text, &query("arrests").stems).unwrap();
        assert!(s.starts_with('…') && s.ends_with('…') && s.contains("He was [arrested]."), "{s}");
    }

    #[test]
    fn a_text_holds_a_query_when_it_has_a_form_of_every_word() {
        let seen = "Хамроеву ███████ предъявили обвинение.";
        assert!(holds_all(seen, &query("Хамроев обвинения").stems));
        assert!(!holds_all(seen, &query("Хамроев задержан").stems), "a word masked or missing is not seen");
    }

    #[test]
    fn a_query_is_phrases_of_stems_within_the_limits() {
        let q = query("Penal-colony ЗАДЕРЖАН задержан \"");
        assert_eq!(q.fts5(), format!("\"penal coloni\" \"{}\"", stem("задержан")));
        assert!(Query::parse("").unwrap().is_empty());
        let many = (0..MAX_SEARCH_WORDS + 1).map(|i| format!("w{i}")).collect::<Vec<_>>().join("-");
        assert!(matches!(Query::parse(&many), Err(StoreError::Query(_))), "stems are counted too");
    }
}
