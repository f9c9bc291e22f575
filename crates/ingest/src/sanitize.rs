//! What a terminal would obey, taken out of text that reports bring.
//!
//! A title such as `"\x1b]0;owned\x07Report"` would retitle an analyst's
//! terminal, clear it or hide lines when printed. Ingest removes escape
//! sequences whole (CSI, OSC, DCS and the other string sequences, opened by
//! ESC or by their C1 forms), every other C0 and C1 control and DEL; a
//! document's text keeps its line breaks and tabs, metadata keeps neither.

use std::borrow::Cow;

/// Which white-space controls survive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keep {
    /// Document text: line feeds, carriage returns, tabs (and vertical tabs and
    /// form feeds, which the cleaner turns into line breaks) stay.
    Lines,
    /// Titles, publishers, sources: line breaks and tabs become spaces.
    Nothing,
}

/// The longest string sequence (OSC, DCS …) removed whole; an unterminated
/// one loses only its opening, so that text after it is not swallowed.
const MAX_STRING_SEQUENCE: usize = 512;

/// `s` without escape sequences and control characters (borrowed when it has none).
pub fn strip_controls(s: &str, keep: Keep) -> Cow<'_, str> {
    let kept = |c: char| keep == Keep::Lines && matches!(c, '\n' | '\r' | '\t' | '\u{b}' | '\u{c}');
    if !any_control(s, keep) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while let Some(c) = s[i..].chars().next() {
        i += c.len_utf8();
        let rest = &s[i..];
        i += match c {
            c if kept(c) => {
                out.push(c);
                0
            }
            '\n' | '\r' | '\t' => {
                out.push(' ');
                0
            }
            '\u{1b}' => escape_len(rest),
            '\u{9b}' => csi_len(rest),
            '\u{90}' | '\u{98}' | '\u{9d}' | '\u{9e}' | '\u{9f}' => string_len(rest),
            c if c.is_control() => 0,
            c => {
                out.push(c);
                0
            }
        };
    }
    Cow::Owned(out)
}

/// Whether `s` has a control character that `keep` does not keep (found by
/// the regex engine: fast on the longest texts, even in a debug build).
fn any_control(s: &str, keep: Keep) -> bool {
    static ANY: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    static UNSAFE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let re = match keep {
        Keep::Nothing => ANY.get_or_init(|| regex::Regex::new(r"[\x00-\x1f\x7f-\x{9f}]").expect("valid regex")),
        Keep::Lines => UNSAFE.get_or_init(|| regex::Regex::new(r"[\x00-\x08\x0e-\x1f\x7f-\x{9f}]").expect("valid regex")),
    };
    re.is_match(s)
}

/// After ESC: a CSI, a string sequence, or intermediates and a final character. In bytes.
fn escape_len(rest: &str) -> usize {
    match rest.chars().next() {
        Some('[') => 1 + csi_len(&rest[1..]),
        Some(']' | 'P' | 'X' | '^' | '_') => 1 + string_len(&rest[1..]),
        Some(_) => {
            let intermediates = rest.bytes().take_while(|b| (0x20..=0x2f).contains(b)).count();
            intermediates + usize::from(rest.as_bytes().get(intermediates).is_some_and(|b| (0x30..=0x7e).contains(b)))
        }
        None => 0,
    }
}

/// Parameters and intermediates, then the final character. In bytes.
fn csi_len(rest: &str) -> usize {
    let params = rest.bytes().take_while(|b| (0x20..=0x3f).contains(b)).count();
    params + usize::from(rest.as_bytes().get(params).is_some_and(|b| (0x40..=0x7e).contains(b)))
}

/// Up to BEL or ST (ESC \ or U+009C), when one comes soon enough. In bytes.
fn string_len(rest: &str) -> usize {
    let mut chars = rest.char_indices().take(MAX_STRING_SEQUENCE).peekable();
    while let Some((k, c)) = chars.next() {
        match c {
            '\u{7}' | '\u{9c}' => return k + c.len_utf8(),
            '\u{1b}' if chars.peek().is_some_and(|&(_, n)| n == '\\') => return k + 2,
            _ => {}
        }
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_go_whole() {
        let s = "\u{1b}]0;owned\u{7}Report \u{1b}[2J\u{1b}[1;31mred\u{1b}[0m \u{9b}31mC1\u{1b}(B done\u{1b}";
        assert_eq!(strip_controls(s, Keep::Nothing), "Report red C1 done");
    }

    #[test]
    fn text_keeps_its_lines_and_tabs_metadata_does_not() {
        let s = "one\ttwo\r\nthree\u{0}\u{7f}\u{85}\u{8}";
        assert_eq!(strip_controls(s, Keep::Lines), "one\ttwo\r\nthree");
        assert_eq!(strip_controls(s, Keep::Nothing), "one two  three");
    }

    #[test]
    fn an_unterminated_string_sequence_does_not_swallow_the_text() {
        let s = format!("\u{1b}]0;{}", "text ".repeat(200));
        assert_eq!(strip_controls(&s, Keep::Lines), format!("0;{}", "text ".repeat(200)));
    }

    #[test]
    fn clean_text_is_borrowed() {
        assert!(matches!(strip_controls("plain text\n", Keep::Lines), Cow::Borrowed(_)));
    }
}
