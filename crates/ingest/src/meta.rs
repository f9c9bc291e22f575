//! Title, publication date and language found in a document's own text.

use chronicle_model::{month_from_name, PartialDate};
use regex::Regex;
use std::sync::OnceLock;

fn date_line_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"(?ix)^
            (?:(?:published|updated|posted|date)\s*:?\s*)?
            (?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?
            (?:
              (?P<m1>[a-z]{3,9}\.?)\s+(?P<d1>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y1>\d{4})
            | (?P<d2>\d{1,2})(?:st|nd|rd|th)?\s+(?P<m2>[a-z]{3,9}\.?),?\s+(?P<y2>\d{4})
            | (?P<y3>\d{4})-(?P<m3>\d{2})-(?P<d3>\d{2})
            | (?P<d4>\d{1,2})\.(?P<m4>\d{2})\.(?P<y4>\d{4})
            )
            (?:\s*[,|•·-]?\s*\d{1,2}:\d{2}(?:\s*[ap]\.?m\.?)?.{0,12})?
            $",
        )
        .expect("valid regex")
    })
}

/// Longer than any line that is only a date, with its label and time.
const MAX_DATE_LINE: usize = 120;

/// Reads a line that is only a date ("May 24, 2023", "Wednesday, May 8, 2019",
/// "24 May 2023", "2023-05-24", "Published: 08.05.2019").
pub fn parse_date_line(line: &str) -> Option<PartialDate> {
    // The longest date line is far shorter; a long line is not read through.
    if line.len() > MAX_DATE_LINE {
        return None;
    }
    let caps = date_line_re().captures(line.trim())?;
    let num = |name: &str| caps.name(name).and_then(|m| m.as_str().parse::<u32>().ok());
    let (y, m, d) = if let Some(m) = caps.name("m1") {
        (num("y1")?, u32::from(month_from_name(m.as_str())?), num("d1")?)
    } else if let Some(m) = caps.name("m2") {
        (num("y2")?, u32::from(month_from_name(m.as_str())?), num("d2")?)
    } else if caps.name("y3").is_some() {
        (num("y3")?, num("m3")?, num("d3")?)
    } else {
        (num("y4")?, num("m4")?, num("d4")?)
    };
    PartialDate::day(y as i32, m as u8, d as u8)
}

/// The publication date: a line near the top of the text that is only a date.
pub fn find_published(text: &str) -> Option<PartialDate> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .take(15)
        .find_map(|line| {
            parse_date_line(line).or_else(|| {
                // A dateline that opens a line: "May 24, 2023 - Moscow ..." is not taken;
                // a date that stands before a separator at the very top is.
                let mut end = line.len().min(MAX_DATE_LINE + 1);
                while !line.is_char_boundary(end) {
                    end += 1;
                }
                let head = line[..end].split(['|', '•']).next()?;
                (head.len() < line.len()).then(|| parse_date_line(head)).flatten()
            })
        })
}

/// The title: the first short line that is neither a date, a byline nor a section label.
pub fn find_title(text: &str) -> Option<String> {
    text.lines()
        .map(|l| l.trim().trim_start_matches(['•', '*', '-', '#']).trim())
        .filter(|l| !l.is_empty())
        .take(8)
        .find(|line| {
            line.len() <= 240
                && (3..=30).contains(&line.split_whitespace().count())
                && parse_date_line(line).is_none()
                && !line.to_lowercase().starts_with("by ")
                && !line.ends_with(':')
        })
        .map(|s| s.to_string())
}

/// ISO 639-1 code of the text's language, when it can be told with confidence.
pub fn guess_language(text: &str) -> Option<String> {
    let sample: String = text.chars().take(4000).collect();
    // Cyrillic script: Russian unless the statistics clearly say otherwise.
    let letters = sample.chars().filter(|c| c.is_alphabetic()).count().max(1);
    let cyrillic = sample.chars().filter(|c| ('\u{0400}'..='\u{04ff}').contains(c)).count();
    if cyrillic * 2 > letters {
        let lang = whatlang::detect(&sample).filter(|i| i.is_reliable()).map(|i| i.lang());
        return Some(match lang {
            Some(whatlang::Lang::Ukr) => "uk",
            Some(whatlang::Lang::Bel) => "be",
            _ => "ru",
        }.to_string());
    }
    let info = whatlang::detect(&sample)?;
    if !info.is_reliable() && info.confidence() < 0.5 {
        return None;
    }
    let code = match info.lang() {
        whatlang::Lang::Eng => "en",
        whatlang::Lang::Rus => "ru",
        whatlang::Lang::Ukr => "uk",
        whatlang::Lang::Uzb => "uz",
        whatlang::Lang::Tur => "tr",
        whatlang::Lang::Deu => "de",
        whatlang::Lang::Fra => "fr",
        whatlang::Lang::Spa => "es",
        whatlang::Lang::Kat => "ka",
        whatlang::Lang::Ara => "ar",
        whatlang::Lang::Pes => "fa",
        _ => return None,
    };
    Some(code.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_date_lines_reports_open_with() {
        let d = |s: &str| parse_date_line(s).map(|d| d.to_string());
        assert_eq!(d("May 24, 2023").as_deref(), Some("2023-05-24"));
        assert_eq!(d("Wednesday, May 8, 2019").as_deref(), Some("2019-05-08"));
        assert_eq!(d("24 May 2023").as_deref(), Some("2023-05-24"));
        assert_eq!(d("Published: 2021-11-22").as_deref(), Some("2021-11-22"));
        assert_eq!(d("Nov. 22, 2021, 10:45 am").as_deref(), Some("2021-11-22"));
        assert_eq!(d("He was detained on May 24, 2023"), None);
        assert_eq!(d("February 30, 2023"), None);
    }

    #[test]
    fn finds_title_and_date_at_the_top() {
        let text = "• Campaigns\n\nRussia: Investigate the abduction of a journalist\n\nNovember 22, 2021\n\nBody text.";
        assert_eq!(find_title(text).as_deref(), Some("Russia: Investigate the abduction of a journalist"));
        assert_eq!(find_published(text).unwrap().to_string(), "2021-11-22");
    }

    #[test]
    fn tells_english_from_russian() {
        assert_eq!(
            guess_language("The activist was detained by police in Moscow on Tuesday and charged with terrorism.").as_deref(),
            Some("en")
        );
        assert_eq!(
            guess_language("Правозащитник был задержан полицией в Москве во вторник и обвинен в терроризме.").as_deref(),
            Some("ru")
        );
    }
}
