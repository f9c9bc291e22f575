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

pub fn tokenize(text: &str) -> Vec<Token<'_>> {
    let mut tokens = Vec::new();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let end_of = |i: usize| chars.get(i).map_or(text.len(), |&(b, _)| b);
    let mut i = 0;
    while i < chars.len() {
        let (start, c) = chars[i];
        if c == '\n' {
            tokens.push(Token { text: "\n", start, end: start + 1, kind: Kind::Break });
            while i < chars.len() && chars[i].1.is_whitespace() {
                i += 1;
            }
            continue;
        }
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        if c.is_alphabetic() {
            let mut j = i + 1;
            while j < chars.len() {
                let d = chars[j].1;
                if d.is_alphanumeric() {
                    j += 1;
                } else if (d == '-' || d == '\'') && chars.get(j + 1).is_some_and(|n| n.1.is_alphanumeric()) {
                    // "'s" at a word's end is the possessive, split off below.
                    let possessive = d == '\''
                        && chars.get(j + 1).is_some_and(|n| n.1 == 's' || n.1 == 'S')
                        && chars.get(j + 2).is_none_or(|n| !n.1.is_alphanumeric());
                    if possessive {
                        break;
                    }
                    j += 2;
                } else {
                    break;
                }
            }
            tokens.push(Token { text: &text[start..end_of(j)], start, end: end_of(j), kind: Kind::Word });
            i = j;
            continue;
        }
        if c.is_ascii_digit() {
            let mut j = i + 1;
            while j < chars.len() {
                let d = chars[j].1;
                if d.is_ascii_digit() {
                    j += 1;
                } else if (d == ',' || d == '.') && chars.get(j + 1).is_some_and(|n| n.1.is_ascii_digit()) {
                    j += 2;
                } else {
                    break;
                }
            }
            // Ordinal suffixes stay with the number: "5th", "22nd".
            let mut k = j;
            while k < chars.len() && chars[k].1.is_ascii_alphabetic() && k - j < 2 {
                k += 1;
            }
            let suffix = &text[end_of(j)..end_of(k)];
            if matches!(suffix.to_ascii_lowercase().as_str(), "st" | "nd" | "rd" | "th")
                && chars.get(k).is_none_or(|n| !n.1.is_alphanumeric())
            {
                j = k;
            }
            tokens.push(Token { text: &text[start..end_of(j)], start, end: end_of(j), kind: Kind::Number });
            i = j;
            continue;
        }
        if c == '\'' && chars.get(i + 1).is_some_and(|n| n.1 == 's' || n.1 == 'S')
            && chars.get(i + 2).is_none_or(|n| !n.1.is_alphanumeric())
            && i > 0 && chars[i - 1].1.is_alphanumeric()
        {
            tokens.push(Token { text: &text[start..end_of(i + 2)], start, end: end_of(i + 2), kind: Kind::Possessive });
            i += 2;
            continue;
        }
        tokens.push(Token { text: &text[start..end_of(i + 1)], start, end: end_of(i + 1), kind: Kind::Punct });
        i += 1;
    }
    tokens
}

/// Words before a full stop that do not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "gen", "col", "lt", "capt", "sgt",
    "vs", "etc", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
    "dec", "art", "pt", "para", "approx", "inc", "ltd", "co", "corp", "dept", "gov", "rep", "sen",
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
