//! Repair of text as it really arrives.

use std::borrow::Cow;
use unicode_normalization::UnicodeNormalization;

const BOILERPLATE: &str = include_str!("../data/boilerplate.txt");

/// Words that stand alone before a hyphen at a line end ("well-\nknown"): the
/// hyphen is kept when the line is rejoined.
const HYPHEN_PREFIXES: &[&str] = &[
    "well", "self", "non", "anti", "pro", "ex", "co", "post", "pre", "long", "short", "high", "low",
    "full", "part", "half", "so", "one", "two", "three", "four", "five", "six", "seven", "eight",
    "nine", "ten", "year", "old", "far", "cross", "ill", "all", "state", "pan", "de", "re", "semi",
    "multi", "mid", "vice", "quasi", "counter", "first", "second", "third", "human",
    "rights", "so-called", "much", "best", "worst", "left", "right", "north", "south", "east", "west",
];

/// Cleans extracted text: Unicode NFC, straight quotes, plain spaces, no
/// zero-width or soft hyphens, markdown links reduced to their text,
/// hard-wrapped lines rejoined into paragraphs (with words hyphenated across
/// lines mended and real hyphens kept), boilerplate lines dropped.
/// `from_pdf` tells that single blank lines are soft wraps when the text is
/// double-spaced (a blank line after every line).
pub fn clean_text(raw: &str, from_pdf: bool) -> String {
    let normalised = normalise_chars(raw);
    let lines: Vec<&str> = normalised.lines().map(str::trim).collect();
    let double_spaced = is_double_spaced(&lines) || (from_pdf && blank_ratio(&lines) >= 0.3);
    // Paragraphs: runs of non-blank lines. In double-spaced text one blank
    // line is a soft break; two or more end the paragraph.
    let mut paragraphs: Vec<Vec<&str>> = vec![Vec::new()];
    let mut blanks = 0;
    for line in &lines {
        if line.is_empty() {
            blanks += 1;
            continue;
        }
        let breaks = if double_spaced { blanks >= 2 } else { blanks >= 1 && !(blanks == 1 && soft_break(&paragraphs, line)) };
        if breaks && !paragraphs.last().is_some_and(Vec::is_empty) {
            paragraphs.push(Vec::new());
        }
        blanks = 0;
        if is_boilerplate(line) {
            if !paragraphs.last().is_some_and(Vec::is_empty) {
                paragraphs.push(Vec::new());
            }
            continue;
        }
        paragraphs.last_mut().unwrap().push(line);
    }
    // The width text was wrapped at: lines much shorter than it end on purpose
    // (a caption before its credit line, a heading), unless the next line goes on in lower case.
    let wrap_width = lines.iter().filter(|l| !l.starts_with("http")).map(|l| l.chars().count()).max().unwrap_or(0);
    let mut out = String::with_capacity(normalised.len());
    for para in paragraphs.iter().filter(|p| !p.is_empty()) {
        if !out.is_empty() {
            out.push_str("\n\n");
        }
        // One line (a whole one-line report, say) goes out without a copy of its own.
        if let [line] = para.as_slice() {
            push_collapsed(&mut out, line);
            continue;
        }
        let mut joined = String::new();
        for (i, line) in para.iter().enumerate() {
            if i > 0 {
                let prev = para[i - 1];
                // (In double-spaced text every line is a wrapped line, short or long.)
                let short = !double_spaced
                    && prev.chars().count() * 10 < wrap_width * 6
                    && !prev.ends_with('-')
                    && !line.chars().next().is_some_and(char::is_lowercase);
                if short || !continues(prev, line) {
                    // A line break that is meaningful (a list, a heading): keep it.
                    joined.push('\n');
                    joined.push_str(line);
                    continue;
                }
                let hyphenated = joined.ends_with('-') && joined[..joined.len() - 1].chars().last().is_some_and(char::is_alphanumeric);
                if let Some(stem) = joined.strip_suffix('-').filter(|_| hyphenated) {
                    let left = stem.rsplit(|c: char| !c.is_alphanumeric()).next().unwrap_or("");
                    let next_lower = line.chars().next().is_some_and(char::is_lowercase);
                    let is_word_break = !left.is_empty()
                        && left.chars().all(char::is_alphabetic)
                        && next_lower
                        && !HYPHEN_PREFIXES.contains(&left.to_lowercase().as_str());
                    if is_word_break {
                        joined.pop();
                    }
                } else {
                    joined.push(' ');
                }
            }
            joined.push_str(line);
        }
        push_collapsed(&mut out, &joined);
    }
    out
}

/// Whether one blank line before `line` is a soft wrap, not a paragraph's
/// end: the line before stops mid-sentence (on a word broken by a hyphen, a
/// comma or a lower-case word) and `line` goes on in lower case. Text
/// double-spaced in part (a re-wrapped PDF extraction, a quoted e-mail) has
/// such breaks where a paragraph never ends.
fn soft_break(paragraphs: &[Vec<&str>], line: &str) -> bool {
    let Some(prev) = paragraphs.last().and_then(|p| p.last()) else { return false };
    let goes_on = line.chars().next().is_some_and(char::is_lowercase);
    let last = prev.chars().last();
    let stops_open = last.is_some_and(|c| c == ',' || c.is_lowercase())
        || (last == Some('-') && prev.chars().rev().nth(1).is_some_and(char::is_alphabetic));
    goes_on && stops_open
}

/// Whether a line continues the previous one within a paragraph.
fn continues(prev: &str, line: &str) -> bool {
    let bullet = |s: &str| s.starts_with(['-', '•', '*', '–']) && s.chars().nth(1) == Some(' ');
    let url = |s: &str| s.starts_with("http://") || s.starts_with("https://") || s.starts_with('<');
    // A short label line ("News:", "Comment:") stands apart from a sentence that starts anew.
    let label = |s: &str| s.ends_with(':') && s.split_whitespace().count() <= 3;
    let starts_upper = line.chars().next().is_some_and(|c| c.is_uppercase() || c.is_ascii_digit());
    !(bullet(line) || url(line) || url(prev) || label(line) || (label(prev) && starts_upper))
}

fn blank_ratio(lines: &[&str]) -> f64 {
    if lines.is_empty() {
        return 0.0;
    }
    lines.iter().filter(|l| l.is_empty()).count() as f64 / lines.len() as f64
}

/// Double-spaced text: most lines are followed by one blank line, and many of
/// them stop mid-sentence (the mark of a PDF's wrapped lines, not of paragraphs).
fn is_double_spaced(lines: &[&str]) -> bool {
    let mut text_lines = 0;
    let mut followed_by_blank = 0;
    let mut mid_sentence = 0;
    for (i, line) in lines.iter().enumerate() {
        if line.is_empty() {
            continue;
        }
        text_lines += 1;
        let next_blank = lines.get(i + 1).is_some_and(|l| l.is_empty());
        let next_text = lines.get(i + 2).is_some_and(|l| !l.is_empty());
        if next_blank && next_text {
            followed_by_blank += 1;
            let next = lines[i + 2];
            let ends_open = !line.ends_with(['.', '!', '?', ':', '"', ')']);
            if ends_open && next.chars().next().is_some_and(char::is_lowercase) {
                mid_sentence += 1;
            }
        }
    }
    text_lines >= 4 && followed_by_blank * 10 >= text_lines * 6 && mid_sentence * 10 >= text_lines * 3
}

/// Longer than any boilerplate prefix in `data/boilerplate.txt`.
const MAX_PREFIX_CHARS: usize = 200;

fn is_boilerplate(line: &str) -> bool {
    static PREFIXES: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
    let prefixes = PREFIXES.get_or_init(|| {
        BOILERPLATE.lines().map(str::trim).filter(|p| !p.is_empty() && !p.starts_with('#')).collect()
    });
    // The longest prefix is short: a long line is lowered only as far as it could match.
    let head: String = line.chars().take(MAX_PREFIX_CHARS).collect();
    let lower = head.to_lowercase();
    prefixes.iter().any(|p| lower.starts_with(p))
}

fn normalise_chars(raw: &str) -> Cow<'_, str> {
    let raw = crate::sanitize::strip_controls(raw, crate::sanitize::Keep::Lines);
    let chars = if raw.is_ascii() {
        // ASCII is its own NFC; only a few characters change, and text without them is not copied.
        static ASCII: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
        let ascii = ASCII.get_or_init(|| regex::Regex::new("[`\t\r\x0b\x0c]").expect("valid regex"));
        let changed = owned(ascii.replace_all(&raw, |c: &regex::Captures| {
            let mut s = String::new();
            push_normalised(&mut s, c[0].chars().next().unwrap_or(' '));
            s
        }));
        changed.map_or(raw, Cow::Owned)
    } else {
        let mut s = String::with_capacity(raw.len());
        raw.nfc().for_each(|c| push_normalised(&mut s, c));
        Cow::Owned(s)
    };
    strip_markdown_links(chars)
}

/// The string a replacement made, if it made one.
fn owned(s: Cow<'_, str>) -> Option<String> {
    match s {
        Cow::Owned(s) => Some(s),
        Cow::Borrowed(_) => None,
    }
}

fn push_normalised(s: &mut String, c: char) {
    match c {
        '\u{2018}' | '\u{2019}' | '\u{201a}' | '\u{201b}' | '\u{2032}' | '`' => s.push('\''),
        '\u{201c}' | '\u{201d}' | '\u{201e}' | '\u{201f}' | '\u{2033}' | '«' | '»' => s.push('"'),
        '\u{00ad}' | '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}' => {}
        '\u{2010}' | '\u{2011}' => s.push('-'),
        '\r' => {}
        '\t' | '\u{00a0}' | '\u{2000}'..='\u{200a}' | '\u{202f}' | '\u{205f}' | '\u{3000}' => s.push(' '),
        '\u{2028}' | '\u{2029}' | '\u{000b}' | '\u{000c}' => s.push('\n'),
        c if c.is_control() && c != '\n' => {}
        c => s.push(c),
    }
}

/// `[text](target)` becomes `text`; `<https://…>` autolinks lose their brackets.
/// The text is copied only where a link was found.
fn strip_markdown_links(s: Cow<'_, str>) -> Cow<'_, str> {
    static LINK: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    static AUTO: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let link = LINK.get_or_init(|| regex::Regex::new(r"\[([^\]\n]{1,200})\]\([^)\s]{0,500}\)").expect("valid regex"));
    let auto = AUTO.get_or_init(|| regex::Regex::new(r"<(https?://[^>\s]+)>").expect("valid regex"));
    let s = owned(link.replace_all(&s, "$1")).map_or(s, Cow::Owned);
    let s = owned(auto.replace_all(&s, "$1")).map_or(s, Cow::Owned);
    s
}

/// Appends `s` to `out` with runs of spaces reduced to one.
fn push_collapsed(out: &mut String, s: &str) {
    let mut rest = s;
    while let Some(at) = rest.find("  ") {
        out.push_str(&rest[..at + 1]);
        rest = rest[at..].trim_start_matches(' ');
    }
    out.push_str(rest);
}

#[cfg(test)]
mod tests {
    use super::clean_text;

    #[test]
    fn rejoins_double_spaced_pdf_lines_into_paragraphs() {
        let raw = "On the 5th of December police detained \n\nfour men in Moscow and took them \n\nto the station for questioning. \n\n\n\nComment: \n\nthe families were not \n\ntold where they were held.\n";
        assert_eq!(
            clean_text(raw, true),
            "On the 5th of December police detained four men in Moscow and took them to the station for questioning.\n\nComment: the families were not told where they were held."
        );
    }

    #[test]
    fn mends_words_broken_across_lines_but_keeps_real_hyphens() {
        let raw = "migrants from Central Asi-\nan countries who support Hizb ut-\nTahrir, a well-\nknown group, and a 35-\nyear-old man";
        assert_eq!(
            clean_text(raw, false),
            "migrants from Central Asian countries who support Hizb ut-Tahrir, a well-known group, and a 35-year-old man"
        );
    }

    #[test]
    fn normalises_quotes_spaces_and_markdown_links() {
        let raw = "By [AFP](#)\u{00a0}\u{00a0}said \u{201c}ludicrous\u{201d} and \u{2018}terrorism\u{2019}\u{200b}.";
        assert_eq!(clean_text(raw, false), "By AFP said \"ludicrous\" and 'terrorism'.");
    }

    #[test]
    fn drops_boilerplate_lines() {
        let raw = "He was detained.\n\nRelated article: Another Activist Jailed for 17 Years\n\nNo comments:\n\nPost a Comment\n\nHe denies it.";
        assert_eq!(clean_text(raw, false), "He was detained.\n\nHe denies it.");
    }

    #[test]
    fn a_blank_line_inside_a_sentence_is_a_soft_wrap() {
        let raw = "Police detained the two brothers\nin Kazan on a warrant from their\nhome coun-\n\ntry, which accuses them of\nextremism, and held them for\n\nthree days.\n\nTheir lawyer appealed.";
        assert_eq!(
            clean_text(raw, false),
            "Police detained the two brothers in Kazan on a warrant from their home country, which accuses them of extremism, and held them for three days.\n\nTheir lawyer appealed."
        );
    }

    #[test]
    fn single_spaced_paragraphs_stay_apart() {
        let raw = "First paragraph ends here.\n\nSecond paragraph, also one line.\n\nThird one.\n\nFourth.";
        assert_eq!(clean_text(raw, false), raw);
    }
}
