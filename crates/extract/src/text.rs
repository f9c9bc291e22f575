//! Tokens, sentences and clauses, with byte offsets into the text.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Letters, possibly with inner hyphens or apostrophes ("ut-Tahrir", "O'Brien").
    Word,
    /// Digits, possibly with inner separators ("1,000", "3.5").
    Number,
    /// The possessive "'s" split off a word.
    Possessive,
    Punct,
    /// A line break inside a paragraph, or a paragraph break.
    Break,
}

#[derive(Debug, Clone, Copy)]
pub struct Token<'a> {
    pub text: &'a str,
    pub start: usize,
    pub end: usize,
    pub kind: Kind,
}

impl Token<'_> {
    pub fn is_word(&self) -> bool {
        self.kind == Kind::Word
    }
    /// Starts with an upper-case letter.
    pub fn is_capitalised(&self) -> bool {
        self.kind == Kind::Word && self.text.chars().next().is_some_and(char::is_uppercase)
    }
    pub fn is(&self, s: &str) -> bool {
        self.text.eq_ignore_ascii_case(s)
    }
    pub fn lower(&self) -> String {
        if self.text.bytes().all(|b| !b.is_ascii_uppercase() && b < 0x80) {
            self.text.to_string()
        } else {
            self.text.to_lowercase()
        }
    }
}

/// A letter: ASCII and the Russian alphabet answered at once, the rest by
/// Unicode's tables (which are slow to search, and most letters are these).
fn is_letter(c: char) -> bool {
    c.is_ascii_alphabetic() || matches!(c, 'А'..='я' | 'ё' | 'Ё') || (!c.is_ascii() && c.is_alphabetic())
}

fn is_alphanumeric(c: char) -> bool {
    c.is_ascii_digit() || is_letter(c) || (!c.is_ascii() && c.is_numeric())
}

/// Tokens of the text, found by walking its bytes: positions are byte
/// offsets and characters are decoded where they are looked at, so that no
/// copy of the text as characters is ever made (a 30 MB one-line report
/// would need 480 MB for one).
pub fn tokenize(text: &str) -> Vec<Token<'_>> {
    let mut tokens = Vec::new();
    // The character at byte `b`, and the byte after it.
    let at = |b: usize| text.get(b..).and_then(|s| s.chars().next());
    let next = |b: usize| b + at(b).map_or(1, char::len_utf8);
    let alnum = |b: usize| at(b).is_some_and(is_alphanumeric);
    let mut i = 0;
    while let Some(c) = at(i) {
        let start = i;
        if c == '\n' {
            tokens.push(Token { text: "\n", start, end: start + 1, kind: Kind::Break });
            while at(i).is_some_and(char::is_whitespace) {
                i = next(i);
            }
            continue;
        }
        if c.is_whitespace() {
            i = next(i);
            continue;
        }
        if is_letter(c) {
            let mut j = next(i);
            while let Some(d) = at(j) {
                if is_alphanumeric(d) {
                    j = next(j);
                } else if (d == '-' || d == '\'') && alnum(next(j)) {
                    // "'s" at a word's end is the possessive, split off below.
                    let possessive = d == '\'' && matches!(at(next(j)), Some('s' | 'S')) && !alnum(next(next(j)));
                    if possessive {
                        break;
                    }
                    j = next(next(j));
                } else {
                    break;
                }
            }
            tokens.push(Token { text: &text[start..j], start, end: j, kind: Kind::Word });
            i = j;
            continue;
        }
        if c.is_ascii_digit() {
            let mut j = next(i);
            while let Some(d) = at(j) {
                if d.is_ascii_digit() {
                    j = next(j);
                } else if (d == ',' || d == '.') && at(next(j)).is_some_and(|n| n.is_ascii_digit()) {
                    j = next(next(j));
                } else {
                    break;
                }
            }
            // Ordinal suffixes stay with the number: "5th", "22nd".
            let mut k = j;
            for _ in 0..2 {
                if at(k).is_some_and(|c| c.is_ascii_alphabetic()) {
                    k = next(k);
                }
            }
            let suffix = &text[j..k];
            if matches!(suffix.to_ascii_lowercase().as_str(), "st" | "nd" | "rd" | "th") && !alnum(k) {
                j = k;
            }
            tokens.push(Token { text: &text[start..j], start, end: j, kind: Kind::Number });
            i = j;
            continue;
        }
        let after_word = text[..i].chars().next_back().is_some_and(is_alphanumeric);
        if matches!(c, '\'' | '\u{2019}') && matches!(at(next(i)), Some('s' | 'S')) && !alnum(next(next(i))) && after_word {
            let end = next(next(i));
            tokens.push(Token { text: &text[start..end], start, end, kind: Kind::Possessive });
            i = end;
            continue;
        }
        let end = next(i);
        tokens.push(Token { text: &text[start..end], start, end, kind: Kind::Punct });
        i = end;
    }
    tokens
}

/// Words before a full stop that do not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "gen", "col", "lt", "capt", "sgt",
    "vs", "etc", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
    "dec", "art", "pt", "para", "approx", "inc", "ltd", "co", "corp", "dept", "gov", "rep", "sen",
    // Russian: "г." (year, city), "ст." (article), "ч." (part), "им." (named after), "обл.", "ул."…
    "г", "гг", "ст", "ч", "п", "пп", "им", "обл", "ул", "р", "т", "д", "др", "пр", "тыс", "млн",
    "руб", "св", "ред", "см", "рр", "гр", "пос", "с", "ок", "прим", "напр",
];

/// A sentence as a range of token indices `[start, end)`.
#[derive(Debug, Clone, Copy)]
pub struct Sentence {
    pub start: usize,
    pub end: usize,
}

pub fn sentences(tokens: &[Token<'_>]) -> Vec<Sentence> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < tokens.len() {
        let t = &tokens[i];
        let boundary = match t.kind {
            Kind::Break => true,
            Kind::Punct if matches!(t.text, "." | "!" | "?") => {
                let prev = i.checked_sub(1).map(|p| &tokens[p]);
                let abbreviation = prev.is_some_and(|p| {
                    p.end == t.start
                        && p.kind == Kind::Word
                        && (ABBREVIATIONS.contains(&p.lower().as_str())
                            || (p.text.chars().count() == 1 && p.is_capitalised()))
                });
                // The next real token must look like a sentence start.
                let mut n = i + 1;
                while n < tokens.len() && matches!(tokens[n].text, "\"" | "'" | ")" | "]") {
                    n += 1;
                }
                let next_starts = tokens.get(n).is_none_or(|nt| {
                    nt.kind == Kind::Break
                        || nt.text.chars().next().is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
                        || matches!(nt.text, "\"" | "'" | "(" | "-" | "•")
                });
                if !abbreviation && next_starts {
                    i = n - 1; // closing quotes belong to this sentence
                    true
                } else {
                    false
                }
            }
            _ => false,
        };
        if boundary {
            let end = if tokens[i].kind == Kind::Break { i } else { i + 1 };
            if end > start {
                out.push(Sentence { start, end });
            }
            start = i + 1;
        }
        i += 1;
    }
    if start < tokens.len() {
        out.push(Sentence { start, end: tokens.len() });
    }
    out
}

/// Byte offset to character offset, for the spans Chronicle stores.
pub struct CharIndex {
    /// Char count at each 64-byte block start, to keep the table small.
    blocks: Vec<usize>,
}

impl CharIndex {
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut blocks = Vec::with_capacity(bytes.len() / 64 + 1);
        let mut count = 0;
        for (i, b) in bytes.iter().enumerate() {
            if i % 64 == 0 {
                blocks.push(count);
            }
            if (b & 0xC0) != 0x80 {
                count += 1;
            }
        }
        blocks.push(count);
        CharIndex { blocks }
    }

    pub fn char_at(&self, text: &str, byte: usize) -> usize {
        let block = byte / 64;
        let base = self.blocks.get(block).copied().unwrap_or(0);
        let from = block * 64;
        base + text.as_bytes()[from.min(text.len())..byte.min(text.len())]
            .iter()
            .filter(|b| (**b & 0xC0) != 0x80)
            .count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<&str> {
        tokenize(s).iter().map(|t| t.text).collect()
    }

    #[test]
    fn splits_possessives_and_keeps_inner_hyphens() {
        assert_eq!(
            words("Russia's FSB and Hizb ut-Tahrir's 35-year-old member, O'Brien."),
            ["Russia", "'s", "FSB", "and", "Hizb", "ut-Tahrir", "'s", "35", "-", "year-old", "member", ",", "O'Brien", "."]
        );
        assert_eq!(words("on the 5th of December 2019"), ["on", "the", "5th", "of", "December", "2019"]);
    }

    #[test]
    fn sentences_end_at_stops_but_not_at_abbreviations_or_initials() {
        let text = "He was detained on Feb. 24, 2022. Mr. Khamroyev denied it. A. Isakov said \"no.\" Then.";
        let toks = tokenize(text);
        let s: Vec<String> = sentences(&toks)
            .iter()
            .map(|s| text[toks[s.start].start..toks[s.end - 1].end].to_string())
            .collect();
        assert_eq!(s, ["He was detained on Feb. 24, 2022.", "Mr. Khamroyev denied it.", "A. Isakov said \"no.\"", "Then."]);
    }

    #[test]
    fn maps_bytes_to_chars() {
        let text = "Хамроев and Khamroyev";
        let idx = CharIndex::new(text);
        let byte = text.find("Khamroyev").unwrap();
        assert_eq!(idx.char_at(text, byte), 12);
    }
}
