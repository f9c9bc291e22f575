//! Date expressions: absolute, relative to the publication date, and
//! anaphoric ("that day", "the next day", "two weeks later") resolved against
//! the narrative's last date.

use crate::text::{Kind, Token};
use chronicle_model::{month_from_name, PartialDate};

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DateMention {
    /// Token range `[start, end)`.
    pub start: usize,
    pub end: usize,
    pub date: PartialDate,
}

fn year_of(t: &Token<'_>) -> Option<i32> {
    if t.kind != Kind::Number || t.text.len() != 4 {
        return None;
    }
    let y: i32 = t.text.parse().ok()?;
    (1900..=2100).contains(&y).then_some(y)
}

fn day_of(t: &Token<'_>) -> Option<u8> {
    if t.kind != Kind::Number {
        return None;
    }
    let digits = t.text.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let d: u8 = digits.parse().ok()?;
    (1..=31).contains(&d).then_some(d)
}

fn month_of(t: &Token<'_>) -> Option<u8> {
    if !t.is_capitalised() {
        return None;
    }
    month_from_name(t.text)
}

fn weekday_of(t: &Token<'_>) -> Option<u8> {
    const DAYS: [&str; 7] = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
    DAYS.iter().position(|d| t.lower() == *d).map(|i| i as u8)
}

fn number_word(t: &Token<'_>) -> Option<i64> {
    if t.kind == Kind::Number {
        return t.text.parse().ok();
    }
    const WORDS: [&str; 12] = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven"];
    match t.lower().as_str() {
        "a" | "an" => Some(1),
        "several" | "few" => None,
        w => WORDS.iter().position(|x| *x == w).map(|i| i as i64),
    }
}

/// A date refined to precision `to`'s level: a day shift applies only to full dates.
fn shift_days(d: PartialDate, days: i64) -> PartialDate {
    d.add_days(days).unwrap_or(if days.abs() >= 28 { d.add_months((days / 30) as i32) } else { d })
}

/// The date a month without a year is placed by, when no publication date
/// anchors it: the last date named with its month, or a bare year named after
/// it that moves the story on. A bare year earlier than the last dated moment
/// is background ("a movement banned in 2014"), not the year the story is in.
fn narrative_year(found: &[DateMention]) -> Option<PartialDate> {
    let dated = found.iter().rposition(|d| d.date.month.is_some());
    let Some(at) = dated else { return found.last().map(|d| d.date) };
    let last_dated = found[at].date;
    let later_year = found[at + 1..].iter().rev().find(|d| d.date.year > last_dated.year);
    Some(later_year.map_or(last_dated, |d| d.date))
}

/// A month without a year, placed in the year of `reference` (or the year before
/// when it would fall after the reference).
fn in_reference_year(month: u8, day: Option<u8>, reference: Option<PartialDate>, published: bool) -> Option<PartialDate> {
    let r = reference?;
    let mut year = r.year;
    if let (Some(rm), true) = (r.month, published) {
        if month > rm || (month == rm && day.zip(r.day).is_some_and(|(d, rd)| d > rd)) {
            year -= 1;
        }
    }
    match day {
        Some(d) => PartialDate::day(year, month, d),
        None => PartialDate::month(year, month),
    }
}

/// Finds every date expression in the tokens. `published` anchors relative
/// expressions; without it, month-only dates take the year of the last full
/// date before them.
pub fn find_dates(tokens: &[Token<'_>], published: Option<PartialDate>) -> Vec<DateMention> {
    let mut out: Vec<DateMention> = Vec::new();
    let mut i = 0;
    let t = |k: usize| tokens.get(k);
    let lower = |k: usize| tokens.get(k).map(|t| t.lower()).unwrap_or_default();
    while i < tokens.len() {
        // The last date with a year, for year-less months and "that day".
        let narrative = out.last().map(|d| d.date);
        let year_ref = published.or_else(|| narrative_year(&out));
        let found: Option<(usize, PartialDate)> = (|| {
            let tok = &tokens[i];
            // "Feb. 24, 2022", "February 24 2022", "November 4th", "May 7"
            if let Some(m) = month_of(tok) {
                let mut k = i + 1;
                if t(k).is_some_and(|x| x.text == ".") {
                    k += 1;
                }
                if let Some(d) = t(k).and_then(day_of) {
                    let mut e = k + 1;
                    if t(e).is_some_and(|x| x.text == ",") {
                        e += 1;
                    }
                    if let Some(y) = t(e).and_then(year_of) {
                        return Some((e + 1, PartialDate::day(y, m, d)?));
                    }
                    if t(k).is_some_and(|x| x.text.len() <= 4) {
                        return Some((k + 1, in_reference_year(m, Some(d), year_ref, published.is_some())?));
                    }
                }
                // "June 2014", "March, 2021"
                let mut e = k;
                if t(e).is_some_and(|x| x.text == ",") {
                    e += 1;
                }
                if let Some(y) = t(e).and_then(year_of) {
                    return Some((e + 1, PartialDate::month(y, m)?));
                }
                // "in March", "since April": a month alone, after a preposition.
                if i > 0 && matches!(lower(i - 1).as_str(), "in" | "since" | "until" | "by" | "of" | "early" | "late" | "mid") {
                    return Some((k, in_reference_year(m, None, year_ref, published.is_some())?));
                }
                return None;
            }
            // "24 February 2022", "the 7th of December 2019", "the 5th of December"
            if let Some(d) = day_of(tok) {
                let mut k = i + 1;
                if lower(k) == "of" {
                    k += 1;
                }
                if let Some(m) = t(k).and_then(month_of) {
                    let mut e = k + 1;
                    if t(e).is_some_and(|x| x.text == ",") {
                        e += 1;
                    }
                    if let Some(y) = t(e).and_then(year_of) {
                        return Some((e + 1, PartialDate::day(y, m, d)?));
                    }
                    return Some((k + 1, in_reference_year(m, Some(d), year_ref, published.is_some())?));
                }
            }
            // "in 2019", "since 2003", "the summer of 2019", "2021"
            if let Some(y) = year_of(tok) {
                let prev = if i > 0 { lower(i - 1) } else { String::new() };
                let before_ok = matches!(
                    prev.as_str(),
                    "in" | "since" | "until" | "by" | "of" | "from" | "during" | "early" | "late" | "mid" | "end" | "spring" | "summer" | "autumn" | "fall" | "winter" | "and" | "to" | "year" | ","
                );
                let next_is_noun = t(i + 1).is_some_and(|x| x.is_word() && x.text.chars().next().is_some_and(char::is_lowercase) && !matches!(x.lower().as_str(), "and" | "to" | "when" | "after" | "before" | "in" | "on" | "for" | "he" | "she" | "they"));
                if before_ok && !next_is_noun {
                    return Some((i + 1, PartialDate::year(y)));
                }
            }
            let p = published?;
            // "on Monday", "late Tuesday": the latest such day on or before publication.
            if let Some(w) = weekday_of(tok) {
                let pw = p.weekday()?;
                let back = (i64::from(pw) - i64::from(w)).rem_euclid(7);
                return Some((i + 1, p.add_days(-back)?));
            }
            match tok.lower().as_str() {
                "yesterday" => return Some((i + 1, p.add_days(-1)?)),
                "today" if p.day.is_some() => return Some((i + 1, p)),
                "last" | "this" | "past" | "earlier" => {
                    let this = tok.lower() != "last" && tok.lower() != "past";
                    let mut k = i + 1;
                    if tok.lower() == "earlier" && lower(k) == "this" {
                        k += 1;
                    }
                    let unit = lower(k);
                    let d = match unit.as_str() {
                        "month" => if this { p.to_month() } else { p.add_months(-1) },
                        "year" => PartialDate::year(if this { p.year } else { p.year - 1 }),
                        "week" => {
                            if this { p.to_month() } else { shift_days(p, -7).to_month() }
                        }
                        "fall" | "autumn" | "summer" | "spring" | "winter" => {
                            let season_start: u8 = match unit.as_str() {
                                "spring" => 3,
                                "summer" => 6,
                                "fall" | "autumn" => 9,
                                _ => 12,
                            };
                            let pm = p.month.unwrap_or(12);
                            let year = if this || (pm >= season_start + 3 && season_start != 12) {
                                p.year
                            } else {
                                p.year - 1
                            };
                            PartialDate::year(year)
                        }
                        _ => return None,
                    };
                    return Some((k + 1, d));
                }
                _ => {}
            }
            // "two years ago", "three months ago", "a week ago"
            if let (Some(n), Some(unit)) = (number_word(tok), t(i + 1)) {
                if lower(i + 2) == "ago" {
                    let unit = unit.lower();
                    let d = match unit.trim_end_matches('s') {
                        "year" => PartialDate::year(p.year - n as i32),
                        "month" => p.add_months(-(n as i32)),
                        "week" => shift_days(p, -7 * n),
                        "day" => shift_days(p, -n),
                        _ => return None,
                    };
                    return Some((i + 3, d));
                }
            }
            None
        })();
        let found = numeric(tokens, i).or(found).or_else(|| anaphoric(tokens, i, narrative));
        match found {
            Some((end, date)) => {
                out.push(DateMention { start: i, end, date });
                i = end;
            }
            None => i += 1,
        }
    }
    out
}

/// Dates written in figures: "19.03.2018" and "5.3.2018" (day first, as in
/// the region's reports) and ISO's "2018-03-19".
fn numeric(tokens: &[Token<'_>], i: usize) -> Option<(usize, PartialDate)> {
    let tok = tokens.get(i).filter(|t| t.kind == Kind::Number)?;
    let parts: Vec<&str> = tok.text.split('.').collect();
    if let [d, m, y] = parts[..] {
        if d.len() <= 2 && m.len() <= 2 && y.len() == 4 {
            return Some((i + 1, PartialDate::day(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)?));
        }
        return None;
    }
    let number = |k: usize, len: usize| tokens.get(k).filter(|t| t.kind == Kind::Number && t.text.len() == len && t.text.bytes().all(|b| b.is_ascii_digit()));
    let dash = |k: usize| tokens.get(k).is_some_and(|t| t.text == "-" && t.start == tokens[k - 1].end && tokens.get(k + 1).is_some_and(|n| n.start == t.end));
    if number(i, 4).is_some() && dash(i + 1) && number(i + 2, 2).is_some() && dash(i + 3) && number(i + 4, 2).is_some() {
        let n = |k: usize| tokens[k].text.parse().ok();
        return Some((i + 5, PartialDate::day(n(i)?, n(i + 2)? as u8, n(i + 4)? as u8)?));
    }
    None
}

/// "that day", "the same day", "the next day", "two weeks later": dates told
/// against the last date of the narrative.
fn anaphoric(tokens: &[Token<'_>], i: usize, narrative: Option<PartialDate>) -> Option<(usize, PartialDate)> {
    let n = narrative?;
    let w = |k: usize| tokens.get(k).map(|t| t.lower()).unwrap_or_default();
    match (w(i).as_str(), w(i + 1).as_str(), w(i + 2).as_str()) {
        ("that", "day" | "night" | "evening" | "morning", _) => Some((i + 2, n)),
        ("the", "same", "day" | "night" | "evening") => Some((i + 3, n)),
        ("the", "next" | "following", "day" | "morning" | "night") => Some((i + 3, shift_days(n, 1))),
        ("a", "day", "later") => Some((i + 3, shift_days(n, 1))),
        (_, unit, "later") => {
            let count = number_word(&tokens[i])?;
            let d = match unit.trim_end_matches('s') {
                "day" => shift_days(n, count),
                "week" => shift_days(n, 7 * count),
                "month" => if n.month.is_some() { n.add_months(count as i32) } else { n },
                "year" => PartialDate::year(n.year + count as i32),
                _ => return None,
            };
            Some((i + 3, d))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::tokenize;

    fn dates(text: &str, published: Option<&str>) -> Vec<String> {
        let toks = tokenize(text);
        find_dates(&toks, published.map(|p| p.parse().unwrap()))
            .iter()
            .map(|d| format!("{}={}", &text[toks[d.start].start..toks[d.end - 1].end], d.date))
            .collect()
    }

    #[test]
    fn absolute_dates_in_the_forms_reports_use() {
        assert_eq!(
            dates("detained on Feb. 24, 2022 and tried on 7 March 2023, in June 2014, and in 2019.", None),
            ["Feb. 24, 2022=2022-02-24", "7 March 2023=2023-03-07", "June 2014=2014-06", "2019=2019"]
        );
        assert_eq!(dates("On the 7th of December 2019 relatives met.", None), ["7th of December 2019=2019-12-07"]);
    }

    #[test]
    fn dates_in_figures_are_read_day_first_or_as_iso() {
        assert_eq!(
            dates("arrested on 19.03.2018, freed on 5.4.2018 and tried on 2019-01-22; case 12.5 and 1.2.3 are no dates.", None),
            ["19.03.2018=2018-03-19", "5.4.2018=2018-04-05", "2019-01-22=2019-01-22"]
        );
        assert!(dates("on 31.02.2018", None).is_empty(), "no 31 February");
    }

    #[test]
    fn year_less_dates_take_the_year_of_the_narrative() {
        assert_eq!(
            dates("On the 7th of December 2019 they met. Earlier, on November 4th, and on the 5th of December.", None),
            ["7th of December 2019=2019-12-07", "November 4th=2019-11-04", "5th of December=2019-12-05"]
        );
        // A month after the publication month belongs to the year before.
        assert_eq!(dates("arrested on December 30", Some("2020-01-15")), ["December 30=2019-12-30"]);
    }

    #[test]
    fn relative_dates_resolve_against_publication() {
        let p = Some("2023-05-24"); // a Wednesday
        assert_eq!(dates("sentenced late Tuesday", p), ["Tuesday=2023-05-23"]);
        assert_eq!(dates("said on Wednesday", p), ["Wednesday=2023-05-24"]);
        assert_eq!(dates("changed the charges last fall", p), ["last fall=2022"]);
        assert_eq!(dates("said last month", p), ["last month=2023-04"]);
        assert_eq!(dates("two years ago", p), ["two years ago=2021"]);
        assert_eq!(dates("earlier this month", p), ["earlier this month=2023-05"]);
        assert_eq!(dates("yesterday", p), ["yesterday=2023-05-23"]);
        assert!(dates("two years ago", None).is_empty());
    }

    #[test]
    fn anaphoric_dates_follow_the_narrative() {
        assert_eq!(
            dates("taken on October 20, 2021. He was not heard from since that day.", None),
            ["October 20, 2021=2021-10-20", "that day=2021-10-20"]
        );
        assert_eq!(dates("in June 2014. The next day he was flown out.", None), ["June 2014=2014-06", "The next day=2014-06"]);
        assert_eq!(dates("in 2019, then two weeks later", None), ["2019=2019", "two weeks later=2019"]);
    }

    #[test]
    fn dotted_dates_are_day_month_year() {
        assert_eq!(dates("He was detained on 11.04.2018 in Moscow.", None), vec!["11.04.2018=2018-04-11"]);
        assert!(dates("Article 205.5 and 12.5.20 are no dates.", None).is_empty());
    }

    #[test]
    fn numbers_that_are_not_years_are_not_dates() {
        assert!(dates("sentenced to 2000 hours of community service", None).is_empty());
        assert!(dates("Article 205 of the Criminal Code", None).is_empty());
    }
}
