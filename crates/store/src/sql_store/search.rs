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

/// A search query as the engines are asked it: groups of terms, every group
/// needed and any term of a group enough (`a b OR c` is a and (b or c)),
/// and terms none of which may stand in a document found (`NOT d`, `-d`).
#[derive(Debug, Default, Clone)]
pub(crate) struct Query {
    groups: Vec<Vec<Term>>,
    excluded: Vec<Term>,
    /// The stems every term asked for stands under (for marking snippets).
    pub(crate) stems: HashSet<String>,
}

/// One term: the stems of a word, or of the words of a phrase ("penal
/// colony", penal-colony), the last of them perhaps only a prefix (`tortur*`).
#[derive(Debug, Clone, PartialEq)]
struct Term {
    stems: Vec<String>,
    prefix: bool,
    /// As typed.
    typed: String,
}

/// The fewest letters a prefix may have: a shorter one matches half the index.
const MIN_PREFIX: usize = 3;

impl Query {
    /// Parses what people type: words (each found in any of its forms),
    /// `"quoted phrases"`, `prefix*`, `OR` between terms, `NOT word` or
    /// `-word`. User input never reaches the engines' query syntax as
    /// written: every term is made of stems. A query over
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
        let mut q = Query::default();
        let (mut or_next, mut not_next) = (false, false);
        let mut distinct = HashSet::new();
        for token in tokens_of(query) {
            if let Token::Term { text, .. } = &token {
                distinct.insert(text.to_lowercase());
            }
            match token {
                Token::Or if !q.groups.is_empty() => or_next = true,
                Token::Not => not_next = true,
                Token::Or => {}
                Token::Term { text, quoted, negated } => {
                    let Some(term) = Term::of(&text, quoted)? else { continue };
                    if not_next || negated {
                        q.excluded.push(term);
                    } else {
                        q.stems.extend(term.stems.iter().cloned());
                        if or_next {
                            q.groups.last_mut().expect("OR follows a term").push(term);
                        } else if !q.groups.iter().any(|g| g.len() == 1 && g[0].stems == term.stems && g[0].prefix == term.prefix) {
                            q.groups.push(vec![term]);
                        }
                    }
                    (or_next, not_next) = (false, false);
                }
            }
        }
        if q.groups.is_empty() && !q.excluded.is_empty() {
            return Err(StoreError::Query("NOT only leaves out: say what to find, as in: arrest NOT released".into()));
        }
        let stems = q.stems.len() + q.excluded.iter().map(|t| t.stems.len()).sum::<usize>();
        let most = distinct.len().max(stems);
        if most > MAX_SEARCH_WORDS {
            return Err(StoreError::Query(format!("the search query has {most} different words, more than the {MAX_SEARCH_WORDS} a search may have")));
        }
        Ok(q)
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }

    /// The single words asked for (no phrase, no prefix), as typed, with
    /// where they stand: the words that may be a person's name.
    pub(crate) fn single_words(&self) -> Vec<(usize, String)> {
        let mut out = Vec::new();
        for (g, group) in self.groups.iter().enumerate() {
            for t in group.iter().filter(|t| t.stems.len() == 1 && !t.prefix) {
                out.push((g, t.typed.clone()));
            }
        }
        out
    }

    /// Another spelling of a word of group `g`, found as well (`Khamroev` finds "Khamroyev").
    pub(crate) fn also(&mut self, g: usize, word: &str) {
        let term = Term { stems: vec![stem(word)], prefix: false, typed: word.to_string() };
        if !self.groups[g].iter().any(|t| t.stems == term.stems && !t.prefix) {
            self.stems.extend(term.stems.iter().cloned());
            self.groups[g].push(term);
        }
    }

    /// The query with nothing left out.
    pub(crate) fn without_exclusions(&self) -> Query {
        Query { excluded: Vec::new(), ..self.clone() }
    }

    /// FTS5's query: `("a") AND ("b" OR "c" *) NOT ("d")`; stems hold no quote.
    fn fts5(&self) -> String {
        let term = |t: &Term| format!("\"{}\"{}", t.stems.join(" "), if t.prefix { " *" } else { "" });
        let any = |terms: &[Term]| format!("({})", terms.iter().map(term).collect::<Vec<_>>().join(" OR "));
        let mut out = self.groups.iter().map(|g| any(g)).collect::<Vec<_>>().join(" AND ");
        if !self.excluded.is_empty() {
            out.push_str(&format!(" NOT {}", any(&self.excluded)));
        }
        out
    }

    /// PostgreSQL's `to_tsquery('simple', …)`: `('a') & ('b' | 'c':*) & !('d')`, each lexeme quoted.
    fn tsquery(&self) -> String {
        let lexeme = |s: &str| format!("'{}'", s.replace('\'', "''"));
        let term = |t: &Term| {
            let mut lexemes: Vec<String> = t.stems.iter().map(|s| lexeme(s)).collect();
            if t.prefix {
                lexemes.last_mut().unwrap().push_str(":*");
            }
            format!("({})", lexemes.join(" <-> "))
        };
        let any = |terms: &[Term]| format!("({})", terms.iter().map(term).collect::<Vec<_>>().join(" | "));
        let mut parts: Vec<String> = self.groups.iter().map(|g| any(g)).collect();
        if !self.excluded.is_empty() {
            parts.push(format!("!{}", any(&self.excluded)));
        }
        parts.join(" & ")
    }

    /// Whether a text (what a reader sees of a document) answers the query:
    /// a form of every word of some term of each group, and of no excluded term.
    pub(crate) fn matches(&self, text: &str) -> bool {
        let stems: HashSet<String> = words(text).map(|(_, w)| stem(w)).collect();
        let holds = |t: &Term| {
            let (last, rest) = t.stems.split_last().expect("a term has a stem");
            rest.iter().all(|s| stems.contains(s)) && if t.prefix { stems.iter().any(|s| s.starts_with(last.as_str())) } else { stems.contains(last) }
        };
        self.groups.iter().all(|g| g.iter().any(holds)) && !self.excluded.iter().any(holds)
    }

    /// Whether a word of text is one asked for, to be marked in a snippet.
    pub(crate) fn marks(&self, word: &str) -> bool {
        let s = stem(word);
        self.stems.contains(&s) || self.groups.iter().flatten().any(|t| t.prefix && t.stems.last().is_some_and(|p| s.starts_with(p.as_str())))
    }
}

impl Term {
    /// A term of typed text; `None` when it has no word in it.
    fn of(text: &str, quoted: bool) -> Result<Option<Term>> {
        let prefix = !quoted && text.ends_with('*');
        let mut stems: Vec<String> = words(text).map(|(_, w)| stem(w)).collect();
        if prefix {
            let typed = words(text).last().map(|(_, w)| w.to_lowercase()).unwrap_or_default();
            if typed.chars().count() < MIN_PREFIX {
                return Err(StoreError::Query(format!("{text:?}: a prefix needs {MIN_PREFIX} letters or more")));
            }
            // A prefix as typed, or its stem where that is shorter ("arrested*" finds what "arrest*" does).
            let stemmed = stems.pop().unwrap_or_default();
            stems.push(if typed.starts_with(&stemmed) { stemmed } else { plain(&typed) });
        }
        Ok((!stems.is_empty()).then_some(Term { stems, prefix, typed: text.to_string() }))
    }
}

/// Lower-case Latin without its accents, as the index keeps words that have no stem.
fn plain(word: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    word.nfkd().filter(|c| !unicode_normalization::char::is_combining_mark(*c)).collect()
}

/// What a query is made of, as typed.
#[derive(Debug, PartialEq)]
enum Token {
    Term { text: String, quoted: bool, negated: bool },
    Or,
    Not,
}

/// The tokens of a query: `"quoted phrases"` whole, else runs between white space.
fn tokens_of(query: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut rest = query.trim_start();
    while !rest.is_empty() {
        let negated = rest.starts_with("-\"");
        let body = if negated { &rest[1..] } else { rest };
        if let Some(inner) = body.strip_prefix('"') {
            let end = inner.find('"').unwrap_or(inner.len());
            out.push(Token::Term { text: inner[..end].to_string(), quoted: true, negated });
            rest = inner.get(end + 1..).unwrap_or("").trim_start();
            continue;
        }
        let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        let word = &rest[..end];
        out.push(match word {
            "OR" => Token::Or,
            "NOT" => Token::Not,
            w if w.len() > 1 && w.starts_with('-') => Token::Term { text: w[1..].to_string(), quoted: false, negated: true },
            w => Token::Term { text: w.to_string(), quoted: false, negated: false },
        });
        rest = rest[end..].trim_start();
    }
    out
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
    /// How many documents the reader may see answer the query (as the engine reads them).
    pub(crate) fn search_total(&self, q: &Query) -> Result<usize> {
        let sql = match self.db.engine() {
            Engine::Sqlite => format!(
                "SELECT COUNT(*) FROM documents_fts JOIN documents d ON d.rowid = documents_fts.rowid
                 WHERE documents_fts MATCH ?1 AND d.id NOT IN {HIDDEN_DOCS}"
            ),
            Engine::Postgres => format!("SELECT COUNT(*) FROM documents d WHERE d.fts @@ to_tsquery('simple', ?1) AND d.id NOT IN {HIDDEN_DOCS}"),
        };
        let query = if self.db.engine() == Engine::Sqlite { q.fts5() } else { q.tsquery() };
        let rows = self.db.rows_bounded(&sql, &[&query])?;
        Ok(rows.first().map(|r| r.get::<i64>(0)).transpose()?.unwrap_or(0) as usize)
    }

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
                    "SELECT d.id, d.source, d.title, d.text FROM documents d, to_tsquery('simple', ?1) q
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

/// A passage of `text` around the first word the query asks for, every such
/// word in it between `[` and `]`; None when no word is.
pub(crate) fn snippet(text: &str, q: &Query) -> Option<String> {
    let found = |w: &str| q.marks(w);
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

#[cfg(test)]
mod tests {
    use super::*;

    fn query(q: &str) -> Query {
        Query::parse(q).unwrap()
    }

    #[test]
    fn a_snippet_marks_every_form_of_the_words_asked_for() {
        let text = "Хамроева задержали в Москве. Позже Хамроеву предъявили обвинение.";
        let s = snippet(text, &query("хамроев")).unwrap();
        assert_eq!(s, "[Хамроева] задержали в Москве. Позже [Хамроеву] предъявили обвинение…");
        assert_eq!(snippet(text, &query("освобожден")), None);
    }

    #[test]
    fn a_long_text_is_cut_around_the_first_word_found() {
        let text = format!("{} He was arrested. {}", "word ".repeat(100), "more ".repeat(100));
        let s = snippet(&text, &query("arrests")).unwrap();
        assert!(s.starts_with('…') && s.ends_with('…') && s.contains("He was [arrested]."), "{s}");
    }

    #[test]
    fn a_text_holds_a_query_when_it_has_a_form_of_every_word() {
        let seen = "Хамроеву ███████ предъявили обвинение.";
        assert!(query("Хамроев обвинения").matches(seen));
        assert!(!query("Хамроев задержан").matches(seen), "a word masked or missing is not seen");
    }

    #[test]
    fn prefixes_phrases_or_and_not_are_read_as_people_type_them() {
        let q = query("tortur* \"penal colony\" detained OR arrested -released NOT freed");
        assert_eq!(q.fts5(), "(\"tortur\" *) AND (\"penal coloni\") AND (\"detain\" OR \"arrest\") NOT (\"releas\" OR \"freed\")");
        assert_eq!(q.tsquery(), "(('tortur':*)) & (('penal' <-> 'coloni')) & (('detain') | ('arrest')) & !(('releas') | ('freed'))");
        assert!(q.matches("He was tortured in a penal colony after he was arrested."));
        assert!(!q.matches("He was tortured in a penal colony after he was arrested, and released."), "an excluded word");
        assert!(!q.matches("He was tortured in a colony after he was arrested."), "a phrase's every word");
        assert!(q.marks("torturers") && q.marks("Arrested") && !q.marks("released"));
        assert_eq!(query("arrested*").fts5(), "(\"arrest\" *)", "a prefix as short as its stem");
        assert!(matches!(Query::parse("to*"), Err(StoreError::Query(_))), "a prefix of two letters");
        assert!(matches!(Query::parse("NOT released"), Err(StoreError::Query(_))), "only a NOT");
        assert_eq!(query("OR arrest OR").fts5(), "(\"arrest\")", "a stray OR is no term");
    }

    #[test]
    fn a_query_is_phrases_of_stems_within_the_limits() {
        let q = query("Penal-colony ЗАДЕРЖАН задержан \"");
        assert_eq!(q.fts5(), format!("(\"penal coloni\") AND (\"{}\")", stem("задержан")));
        assert!(Query::parse("").unwrap().is_empty());
        let many = (0..MAX_SEARCH_WORDS + 1).map(|i| format!("w{i}")).collect::<Vec<_>>().join("-");
        assert!(matches!(Query::parse(&many), Err(StoreError::Query(_))), "stems are counted too");
    }
}
