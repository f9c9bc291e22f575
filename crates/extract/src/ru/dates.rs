//! Russian date expressions, resolved against the publication date.
//!
//! Words are matched by lemma ([`super::morph`]), so "февраля", "феврале" and
//! "февраль" are one month; the word lists are in `data/ru/date_words.tsv`.
//! Covered:
//! - absolute: "7 декабря 2019 года", "1-го марта", "пятого февраля",
//!   "24.02.2022", "24.02.22", "в 2019 году", "2019 г.", "в мае 2020 года",
//!   "в конце октября", "в марте прошлого года", "2 марта с.г.";
//! - year-less days and months: the year of a bare year earlier in the
//!   sentence ("в 2019 году, 15 марта"); else the publication year, or the year
//!   before when the date would fall after publication, unless it is a
//!   deadline ("до 27 апреля"); without a publication date, the last date's year;
//! - lists and ranges before one month: "1, 8 и 14 апреля" (three dates),
//!   "с 1 по 5 мая" (the first day), "в ночь с 15 на 16 апреля" (the day named
//!   last, the one annotators give);
//! - relative to publication: "вчера", "сегодня", "позавчера", "в понедельник",
//!   "в прошлом году", "в этом месяце", "с.г.", "текущего года", "три дня назад",
//!   "летом", "весной 2020 года" (a season gives its year only: its months
//!   cannot be told from the word);
//!   "на прошлой неделе" gives the month when the whole calendar week lies in one
//!   month, and nothing otherwise: the week itself cannot be written as a date;
//! - relative to the narrative's last date (in this sentence or the one before):
//!   "спустя два дня", "через неделю", "два дня спустя", "на следующий день",
//!   "в тот же день", "в том же году", "в следующем году".
//!
//! A decade ("в 1990-х") is no date; nor are article numbers ("ст. 205.5"),
//! ages ("59-летний"), terms ("14 лет"), counts ("до 2000 человек"), birth
//! years ("1966 г.р.") or phone numbers.

use super::morph::Gram;
use super::Doc;
use crate::text::Kind;
use chronicle_model::PartialDate;
// The word tables are looked up for every token: a fast hash (the Rust compiler's).
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::sync::OnceLock;

#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct DateMention {
    /// Token range `[start, end)`.
    pub start: usize,
    pub end: usize,
    pub date: PartialDate,
}

const DATE_WORDS: &str = include_str!("../../data/ru/date_words.tsv");

/// The word lists: kind → word → value; and every word of them, as a date
/// can only start at a number or at one of these (most tokens are passed over).
struct Words(HashMap<&'static str, HashMap<&'static str, &'static str>>, HashSet<&'static str>);

fn words() -> &'static Words {
    static WORDS: OnceLock<Words> = OnceLock::new();
    WORDS.get_or_init(|| {
        let mut map: HashMap<&str, HashMap<&str, &str>> = HashMap::default();
        let mut starts = HashSet::default();
        for line in DATE_WORDS.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
            let mut f = line.split('\t');
            if let (Some(kind), Some(word), Some(value)) = (f.next(), f.next(), f.next()) {
                map.entry(kind).or_default().insert(word, value);
                starts.insert(word.split('.').next().unwrap_or(word));
            }
        }
        Words(map, starts)
    })
}

impl Words {
    fn get(&self, kind: &str, word: &str) -> Option<&'static str> {
        self.0.get(kind)?.get(word).copied()
    }
    fn has(&self, kind: &str, word: &str) -> bool {
        self.get(kind, word).is_some()
    }
}

/// The cases a `prep` entry names ("loct,accs").
fn cases_of(names: &str) -> Gram {
    names.split(',').fold(Gram(0), |g, n| {
        g | match n {
            "nomn" => Gram::NOMN,
            "gent" => Gram::GENT,
            "datv" => Gram::DATV,
            "accs" => Gram::ACCS,
            "ablt" => Gram::ABLT,
            "loct" => Gram::LOCT,
            _ => Gram(0),
        }
    })
}

pub(crate) fn find_dates(doc: &Doc<'_>) -> Vec<DateMention> {
    let mut scan = Scan { doc, w: words(), out: Vec::new() };
    let mut i = 0;
    while i < doc.tokens.len() {
        if !scan.may_start(i) {
            i += 1;
            continue;
        }
        match scan.at(i) {
            Some(found) => {
                i = found.iter().map(|m| m.end).max().unwrap_or(i).max(i + 1);
                scan.out.extend(found);
            }
            None => i += 1,
        }
    }
    scan.out
}

struct Scan<'d, 'a> {
    doc: &'d Doc<'a>,
    w: &'static Words,
    /// The dates found so far: the narrative that year-less and anaphoric dates follow.
    out: Vec<DateMention>,
}

/// A date found at a token: where it ends, and the date.
type Found = Option<(usize, PartialDate)>;

impl<'d> Scan<'d, '_> {
    /// A number, or a word (as written or by a lemma) of the date word lists.
    fn may_start(&self, i: usize) -> bool {
        self.doc.tokens[i].kind == Kind::Number
            || self.w.1.contains(self.low(i))
            || self.doc.readings[i].iter().any(|r| self.w.1.contains(r.lemma.as_str()))
    }

    /// Every date starting at token `i` (several for a list of days).
    fn at(&self, i: usize) -> Option<Vec<DateMention>> {
        if let Some(v) = self.night_or_days(i) {
            return Some(v);
        }
        let matchers: [fn(&Self, usize) -> Found; 11] = [
            Self::numeric,
            Self::year_alone,
            Self::month_alone,
            Self::season,
            Self::relative_unit,
            Self::abbreviation,
            Self::weekday,
            Self::deictic,
            Self::ago,
            Self::after,
            Self::later,
        ];
        let (end, date) = matchers.iter().find_map(|f| f(self, i))?;
        Some(vec![DateMention { start: i, end, date }])
    }

    // ---- tokens ----

    fn low(&self, i: usize) -> &'d str {
        self.doc.lower(i)
    }

    fn number(&self, i: usize) -> Option<&str> {
        self.doc.tokens.get(i).filter(|t| t.kind == Kind::Number).map(|t| t.text)
    }

    /// Tokens `a` and `b` touch (no space between).
    fn touch(&self, a: usize, b: usize) -> bool {
        matches!((self.doc.tokens.get(a), self.doc.tokens.get(b)), (Some(x), Some(y)) if x.end == y.start)
    }

    /// The value of the `kind` word that some reading of token `i` (with all of `g`) is a form of.
    fn lemma_value(&self, i: usize, kind: &str, g: Gram) -> Option<&'static str> {
        let readings = self.doc.readings.get(i)?;
        readings.iter().filter(|r| r.gram.has(g)).find_map(|r| self.w.get(kind, &r.lemma))
    }

    /// The ending after a hyphen that touches token `i` ("1-го"): its index past it, if of `kind`.
    fn suffix(&self, i: usize, kind: &str) -> Option<usize> {
        (self.low(i + 1) == "-" && self.touch(i, i + 1) && self.touch(i + 1, i + 2) && self.w.has(kind, &self.low(i + 2))).then_some(i + 3)
    }

    /// A day of the month, "16", "1-го" or "двадцать пятого": the day and the index past it.
    fn day_at(&self, i: usize) -> Option<(u8, usize)> {
        let Some(n) = self.number(i).filter(|n| n.len() <= 2 && n.bytes().all(|b| b.is_ascii_digit())) else {
            return self.day_in_words(i);
        };
        let d: u8 = n.parse().ok().filter(|d| (1..=31).contains(d))?;
        Some((d, self.suffix(i, "ordinal").unwrap_or(i + 1)))
    }

    /// A day as an ordinal in words: "пятого", "двадцать первого" (the
    /// dictionary gives an ordinal its number's lemma: пятого → пять).
    fn day_in_words(&self, i: usize) -> Option<(u8, usize)> {
        let ordinal = |k: usize| self.lemma_value(k, "number", Gram::ADJF).and_then(|v| v.parse::<u8>().ok());
        let tens = self.lemma_value(i, "number", Gram::NUMR).and_then(|v| v.parse::<u8>().ok()).filter(|t| *t == 20 || *t == 30);
        let (d, end) = match tens {
            Some(t) => (t + ordinal(i + 1).filter(|u| *u < 10)?, i + 2),
            None => (ordinal(i)?, i + 1),
        };
        (1..=31).contains(&d).then_some((d, end))
    }

    /// A four-digit year, 1900–2100.
    fn year_num(&self, i: usize) -> Option<i32> {
        let n = self.number(i).filter(|n| n.len() == 4 && n.bytes().all(|b| b.is_ascii_digit()))?;
        n.parse().ok().filter(|y| (1900..=2100).contains(y))
    }

    /// A month name in one of `cases`: its number.
    fn month_at(&self, i: usize, cases: Gram) -> Option<u8> {
        let readings = self.doc.readings.get(i)?;
        let r = readings.iter().find(|r| r.gram.has(Gram::NOUN) && r.gram.any(cases) && self.w.has("month", &r.lemma))?;
        self.w.get("month", &r.lemma)?.parse().ok()
    }

    /// "года", "году", "год" (singular), "г." (a word too short for the
    /// morphology, read by its text), or also "годы", "гг." when `plural`: the index past it.
    fn year_word(&self, i: usize, plural: bool) -> Option<usize> {
        if let Some(n) = self.w.get("year_abbr", &self.low(i)) {
            if n == "plural" && !plural {
                return None;
            }
            return Some(if self.low(i + 1) == "." && self.touch(i, i + 1) { i + 2 } else { i + 1 });
        }
        let number = if plural { Gram(0) } else { Gram::SING };
        self.lemma_value(i, "unit", Gram::NOUN | number).filter(|u| *u == "y")?;
        Some(i + 1)
    }

    fn sentence(&self, i: usize) -> usize {
        self.doc.sentences.partition_point(|s| s.end <= i)
    }

    // ---- anchors ----

    /// The last date found, when it is in the sentence of token `i` or the one before.
    fn narrative(&self, i: usize) -> Option<PartialDate> {
        let last = self.out.last()?;
        (self.sentence(last.start) + 1 >= self.sentence(i)).then_some(last.date)
    }

    /// A day or month without a year, at token `i`: in the year of a bare year
    /// just before it in the sentence ("в 2019 году, 15 марта"); else in the
    /// publication year, or the year before when it would fall after
    /// publication, unless it is a deadline; without a publication date, in
    /// the year of the last date found.
    fn place_year(&self, i: usize, month: u8, day: Option<u8>) -> Option<PartialDate> {
        let last = self.out.last().filter(|m| self.sentence(m.start) == self.sentence(i) && m.date.month.is_none());
        let (year, later) = match (last, self.doc.published) {
            (Some(m), _) => (m.date.year, false),
            (None, Some(p)) => (p.year, !self.deadline(i) && p.month.is_some_and(|pm| (month, day.unwrap_or(1)) > (pm, p.day.unwrap_or(31)))),
            (None, None) => (self.out.last()?.date.year, false),
        };
        let year = year - i32::from(later);
        match day {
            Some(d) => PartialDate::day(year, month, d),
            None => PartialDate::month(year, month),
        }
    }

    /// Token `i` follows "до", "к" or "на" (not "в ночь на"): "арестован до 27
    /// апреля", "суд назначен на 3 мая" name a day ahead, not one a year ago.
    fn deadline(&self, i: usize) -> bool {
        let prev = if i > 0 { self.low(i - 1) } else { "" };
        self.w.has("deadline_prep", &prev) && !(i >= 2 && self.doc.is_lemma(i - 2, "ночь", Gram(0)))
    }

    /// A year after a day or month: "2019 года", "2019 г.", "2019", "прошлого года", "с.г.".
    fn year_spec(&self, i: usize) -> Option<(usize, i32)> {
        if let Some(y) = self.year_num(i) {
            let k = self.suffix(i, "ordinal").unwrap_or(i + 1);
            return Some((self.year_word(k, false).unwrap_or(k), y));
        }
        if let Some((end, date)) = self.abbreviation(i) {
            return Some((end, date.year));
        }
        let rel = self.lemma_value(i, "relative", Gram::ADJF)?;
        let k = if self.low(i + 1) == "же" { i + 2 } else { i + 1 };
        let end = self.year_word(k, false).filter(|_| self.lemma_value(k, "unit", Gram::GENT).is_some())?;
        let year = match rel {
            "next" => self.narrative(i)?.year + 1,
            "that" => self.narrative(i)?.year,
            n => self.doc.published?.year + n.parse::<i32>().ok()?,
        };
        Some((end, year))
    }

    // ---- absolute dates ----

    /// "24.02.2022", "24.02.22" (a two-digit year in the century that keeps it
    /// on or before publication), with "г." after it if written.
    fn numeric(&self, i: usize) -> Found {
        let parts: Vec<&str> = self.number(i)?.split('.').collect();
        let [d, m, y] = parts[..] else { return None };
        if d.len() > 2 || m.len() > 2 || !matches!(y.len(), 2 | 4) {
            return None;
        }
        let (d, m, mut y): (u8, u8, i32) = (d.parse().ok()?, m.parse().ok()?, y.parse().ok()?);
        if y < 100 {
            let limit = self.doc.published.map_or(2049, |p| p.year);
            y += if 2000 + y <= limit { 2000 } else { 1900 };
        }
        Some((self.year_word(i + 1, false).unwrap_or(i + 1), PartialDate::day(y, m, d)?))
    }

    /// Day numbers before one month, then a year if written: "27 февраля",
    /// "7 декабря 2019 года", "1, 8 и 14 апреля", "с 1 по 5 мая", "с 15 на 16 апреля".
    fn days(&self, i: usize) -> Option<Vec<DateMention>> {
        let (d, mut k) = self.day_at(i)?;
        // (start, end, day) of each date
        let mut days = vec![(i, k, d)];
        let month = loop {
            if let Some(m) = self.month_at(k, Gram::CASES) {
                break m;
            }
            let join = self.w.get("join", &self.low(k))?;
            let (d2, k2) = self.day_at(k + 1)?;
            match join {
                "list" => days.push((k + 1, k2, d2)),
                "night" => {
                    let last = days.last_mut()?;
                    *last = (last.0, k2, d2);
                }
                _ => days.last_mut()?.1 = k2,
            }
            k = k2;
        };
        let (end, year) = match self.year_spec(k + 1) {
            Some((e, y)) => (e, Some(y)),
            None => (k + 1, None),
        };
        let n = days.len();
        let out: Vec<DateMention> = days
            .iter()
            .enumerate()
            .filter_map(|(j, &(s, e, d))| {
                let date = match year {
                    Some(y) => PartialDate::day(y, month, d),
                    None => self.place_year(s, month, Some(d)),
                };
                Some(DateMention { start: s, end: if j + 1 == n { end } else { e }, date: date? })
            })
            .collect();
        (!out.is_empty()).then_some(out)
    }

    /// Days, and "в ночь с 30 апреля на 1 мая" as one date: the day named last.
    fn night_or_days(&self, i: usize) -> Option<Vec<DateMention>> {
        let found = self.days(i)?;
        let night = i >= 2 && self.low(i - 1) == "с" && self.doc.is_lemma(i - 2, "ночь", Gram(0));
        let end = found.last()?.end;
        if night && found.len() == 1 && self.low(end) == "на" {
            if let Some(next) = self.days(end + 1).filter(|n| n.len() == 1) {
                return Some(vec![DateMention { start: i, end: next[0].end, date: next[0].date }]);
            }
        }
        Some(found)
    }

    /// "в 2019 году", "2019 г.", "в 2019-м", "в 2019–2020 годах" (the first year);
    /// "1990-х" is a decade, "1978 г.р." a birth year: no date.
    fn year_alone(&self, i: usize) -> Found {
        let y = self.year_num(i)?;
        if self.suffix(i, "decade").is_some() {
            return None;
        }
        let mut k = self.suffix(i, "ordinal").unwrap_or(i + 1);
        let range = matches!(self.low(k), "-" | "–" | "—") && self.year_num(k + 1).is_some();
        if range {
            if self.suffix(k + 1, "decade").is_some() {
                return None;
            }
            k += 2;
        }
        if let Some(end) = self.year_word(k, range) {
            return (!self.birth(end)).then_some((end, PartialDate::year(y)));
        }
        // "в 2017 он уехал", but not "до 2000 человек".
        let after_prep = i > 0 && self.w.has("year_prep", &self.low(i - 1));
        let counts = self.doc.tokens.get(k).is_some_and(|t| !t.is_capitalised()) && self.doc.can_be(k, Gram::NOUN);
        (after_prep && !counts).then_some((k, PartialDate::year(y)))
    }

    /// "рождения", "г.р.": the year before is a birth year.
    fn birth(&self, i: usize) -> bool {
        self.doc.is_lemma(i, "рождение", Gram(0)) || self.w.has("birth", &self.low(i))
    }

    /// A month without a day: "в мае", "с февраля 2022 года", "в конце октября",
    /// "в марте прошлого года". A capitalised month word inside a sentence
    /// that is also a given name (Марта, Августа) is taken for the name.
    fn month_alone(&self, i: usize) -> Found {
        let m = self.month_at(i, Gram::CASES)?;
        let tok = &self.doc.tokens[i];
        let mid_sentence = self.doc.sentence_of(i).start != i;
        if tok.is_capitalised() && mid_sentence && self.doc.can_be(i, Gram::NAME) {
            return None;
        }
        if let Some((end, y)) = self.year_spec(i + 1) {
            return Some((end, PartialDate::month(y, m)?));
        }
        let prev = if i > 0 { self.low(i - 1) } else { "" };
        let after_part = i > 0 && self.lemma_value(i - 1, "part", Gram::NOUN).is_some() && self.month_at(i, Gram::GENT).is_some();
        let after_prep = self.w.get("prep", &prev).is_some_and(|c| self.month_at(i, cases_of(c)).is_some());
        (after_part || after_prep).then(|| self.place_year(i, m, None)).flatten().map(|d| (i + 1, d))
    }

    // ---- relative to publication ----

    /// "весной 2020 года", "летом прошлого года", "летом", "этим летом",
    /// "прошлой весной": the year only (a season spans months; winter, two
    /// years, so a winter without a written year gives nothing).
    fn season(&self, i: usize) -> Found {
        let adverb = self.lemma_value(i, "season", Gram::ADVB);
        let noun = self.lemma_value(i, "season", Gram::NOUN | Gram::ABLT);
        let of_part = i > 0 && self.lemma_value(i - 1, "part", Gram::NOUN).is_some();
        let noun_gent = self.lemma_value(i, "season", Gram::NOUN | Gram::GENT).filter(|_| of_part);
        let start: u8 = adverb.or(noun).or(noun_gent)?.parse().ok()?;
        if let Some((end, y)) = self.year_spec(i + 1) {
            return Some((end, PartialDate::year(y)));
        }
        let p = self.doc.published?;
        let rel = if i > 0 { self.lemma_value(i - 1, "relative", Gram::ADJF) } else { None };
        if start == 12 || matches!(rel, Some("next" | "that")) {
            return None;
        }
        let begun = p.month.is_none_or(|pm| pm >= start);
        let year = match rel {
            Some("0") => p.year,
            Some(_) => p.year - 1,
            None => p.year - i32::from(!begun),
        };
        Some((i + 1, PartialDate::year(year)))
    }

    /// An adjective and a unit: "в прошлом году", "в этом месяце", "текущего
    /// года", "на прошлой неделе", "в следующем году" (after the narrative's
    /// year), "на следующий день", "в тот же день".
    fn relative_unit(&self, i: usize) -> Found {
        let rel = self.lemma_value(i, "relative", Gram::ADJF)?;
        let k = if self.low(i + 1) == "же" { i + 2 } else { i + 1 };
        let unit = self.lemma_value(k, "unit", Gram::NOUN | Gram::SING)?;
        let date = match (rel, unit) {
            ("next", "w") => return None,
            ("next", u) => shift(self.narrative(i)?, u, 1)?,
            ("that", u) | ("0", u @ "d") => truncate(self.narrative(i)?, u),
            (n, u) => self.published_shift(u, n.parse().ok()?)?,
        };
        Some((k + 1, date))
    }

    /// The publication date moved by `n` units, at the unit's precision.
    fn published_shift(&self, unit: &str, n: i64) -> Option<PartialDate> {
        let p = self.doc.published?;
        match unit {
            "y" => Some(PartialDate::year(p.year + n as i32)),
            "m" => p.month.map(|_| p.add_months(n as i32)),
            "w" => week_month(p, n),
            _ => p.add_days(n),
        }
    }

    /// "с.г.", "т.г." (this year), "п.г." (last year).
    fn abbreviation(&self, i: usize) -> Found {
        let (a, b) = (self.low(i), self.low(i + 2));
        let joined = self.low(i + 1) == "." && self.touch(i, i + 1) && self.touch(i + 1, i + 2);
        if !joined {
            return None;
        }
        let n: i32 = self.w.get("abbr", &format!("{a}.{b}"))?.parse().ok()?;
        let end = if self.low(i + 3) == "." && self.touch(i + 2, i + 3) { i + 4 } else { i + 3 };
        Some((end, PartialDate::year(self.doc.published?.year + n)))
    }

    /// "в понедельник", "в ночь на вторник", "в эту пятницу", "в прошлую среду":
    /// the latest such day on or before publication (before it, for "прошлый").
    fn weekday(&self, i: usize) -> Found {
        let w: i64 = self.lemma_value(i, "weekday", Gram::NOUN | Gram::ACCS | Gram::SING)?.parse().ok()?;
        let rel = if i > 0 { self.lemma_value(i - 1, "relative", Gram::ADJF) } else { None };
        let last = rel == Some("-1");
        let rel = matches!(rel, Some("0" | "-1"));
        let prep_at = if rel { i.checked_sub(2)? } else { i.checked_sub(1)? };
        // "на" only in "в ночь (с понедельника) на вторник": "назначено на вторник" is a day ahead.
        let night = (prep_at.saturating_sub(3)..prep_at).any(|k| self.doc.is_lemma(k, "ночь", Gram(0)));
        match self.w.get("weekday_prep", &self.low(prep_at)) {
            Some("any") => {}
            Some("night") if night => {}
            _ => return None,
        }
        let p = self.doc.published?;
        let mut back = (i64::from(p.weekday()?) - w).rem_euclid(7);
        if last && back == 0 {
            back = 7;
        }
        Some((i + 1, p.add_days(-back)?))
    }

    /// "вчера", "сегодня", "позавчера".
    fn deictic(&self, i: usize) -> Found {
        let n: i64 = self.w.get("deictic", &self.low(i))?.parse().ok()?;
        Some((i + 1, self.doc.published?.add_days(n)?))
    }

    /// A count and a unit at `i`: "три дня", "2 недели", "неделю" (one, when the
    /// unit is a singular accusative), "полгода". The count, unit and index past it.
    fn count_unit(&self, i: usize) -> Option<(i64, &'static str, usize)> {
        if let Some((n, u)) = self.lemma_value(i, "span", Gram::NOUN).and_then(|v| v.split_once(' ')) {
            return Some((n.parse().ok()?, u, i + 1));
        }
        if let Some(u) = self.lemma_value(i, "unit", Gram::NOUN | Gram::SING | Gram::ACCS) {
            return Some((1, u, i + 1));
        }
        let word = |k: usize| self.lemma_value(k, "number", Gram::NUMR).and_then(|v| v.parse::<i64>().ok());
        let (n, k) = match self.number(i) {
            Some(t) => (t.parse().ok().filter(|n| (1..=1000).contains(n))?, i + 1),
            // "двадцать пять лет": tens and units
            None => match (word(i)?, word(i + 1)) {
                (t, Some(u)) if t >= 20 && u < 10 => (t + u, i + 2),
                (n, _) => (n, i + 1),
            },
        };
        Some((n, self.lemma_value(k, "unit", Gram::NOUN)?, k + 1))
    }

    /// "три дня назад", "неделю назад", "два года назад".
    fn ago(&self, i: usize) -> Found {
        let (n, unit, k) = self.count_unit(i)?;
        if !self.w.has("ago", &self.low(k)) {
            return None;
        }
        Some((k + 1, shift(self.doc.published?, unit, -n)?))
    }

    /// "спустя два дня", "через неделю": after the narrative's last date.
    fn after(&self, i: usize) -> Found {
        if !self.w.has("after", &self.low(i)) {
            return None;
        }
        let (n, unit, k) = self.count_unit(i + 1)?;
        Some((k, shift(self.narrative(i)?, unit, n)?))
    }

    /// "два дня спустя", "неделю спустя", "месяц позже".
    fn later(&self, i: usize) -> Found {
        let (n, unit, k) = self.count_unit(i)?;
        if !self.w.has("later", &self.low(k)) {
            return None;
        }
        Some((k + 1, shift(self.narrative(i)?, unit, n)?))
    }
}

/// `d` moved by `n` units, where its precision allows: days and weeks need a
/// day, months a month; years give the year only.
fn shift(d: PartialDate, unit: &str, n: i64) -> Option<PartialDate> {
    match unit {
        "y" => Some(PartialDate::year(d.year + n as i32)),
        "m" => d.month.map(|_| d.add_months(n as i32)),
        "w" => d.add_days(7 * n),
        _ => d.add_days(n),
    }
}

/// `d` at the precision of `unit` at most: "в том же году" after a day is its year.
fn truncate(d: PartialDate, unit: &str) -> PartialDate {
    match unit {
        "y" => PartialDate::year(d.year),
        "m" | "w" => d.to_month(),
        _ => d,
    }
}

/// The calendar week `n` weeks from `p`'s (0: this one, up to `p`), as its
/// month when it lies in one month: a week is no date, its month is.
fn week_month(p: PartialDate, n: i64) -> Option<PartialDate> {
    let monday = p.add_days(-i64::from(p.weekday()?) + 7 * n)?;
    let last = if n == 0 { p } else { monday.add_days(6)? };
    (monday.to_month() == last.to_month()).then(|| monday.to_month())
}


#[cfg(test)]
mod tests {
    use super::*;

    /// "text=date" of every date found; `published` "" for none.
    fn dates(text: &str, published: &str) -> Vec<String> {
        let doc = Doc::new(text, published.parse().ok());
        find_dates(&doc).iter().map(|d| format!("{}={}", doc.slice(d.start, d.end), d.date)).collect()
    }

    const P: &str = "2026-03-05"; // a Thursday

    #[test]
    fn a_day_and_month_in_any_case_takes_the_publication_year() {
        assert_eq!(dates("Его задержали 27 февраля в Казани.", P), ["27 февраля=2026-02-27"]);
        assert_eq!(dates("Обыск прошёл 3 марта.", P), ["3 марта=2026-03-03"]);
        // Ungrammatical but written: the month word in another case.
        assert_eq!(dates("Суд назначен на 27 феврале.", P), ["27 феврале=2026-02-27"]);
        assert_eq!(dates("Срок истёк 27 февраль.", P), ["27 февраль=2026-02-27"]);
    }

    #[test]
    fn a_day_after_publication_is_of_the_year_before() {
        assert_eq!(dates("Его задержали 15 марта.", P), ["15 марта=2025-03-15"]);
        assert_eq!(dates("В ночь на 15 марта его задержали.", P), ["15 марта=2025-03-15"]);
        assert_eq!(dates("В мае его задержали.", P), ["мае=2025-05"]);
        assert_eq!(dates("Его задержали 30 декабря.", "2026-01-10"), ["30 декабря=2025-12-30"]);
    }

    #[test]
    fn a_deadline_after_publication_is_of_the_publication_year() {
        assert_eq!(dates("Суд арестовал его до 27 апреля.", P), ["27 апреля=2026-04-27"]);
        assert_eq!(dates("Заседание назначено на 3 мая.", P), ["3 мая=2026-05-03"]);
        assert_eq!(dates("Срок продлён до мая.", P), ["мая=2026-05"]);
    }

    #[test]
    fn a_written_year_and_an_ordinal_day() {
        assert_eq!(dates("Его задержали 7 декабря 2019 года.", P), ["7 декабря 2019 года=2019-12-07"]);
        assert_eq!(dates("Приговор вынесен 2 марта 2020 г. в Уфе.", P), ["2 марта 2020 г.=2020-03-02"]);
        assert_eq!(dates("Задержание произошло 1-го марта.", P), ["1-го марта=2026-03-01"]);
        assert_eq!(dates("Его вызвали 12 мая 2021.", P), ["12 мая 2021=2021-05-12"]);
    }

    #[test]
    fn a_day_in_words() {
        assert_eq!(dates("Его задержали пятого февраля.", P), ["пятого февраля=2026-02-05"]);
        assert_eq!(dates("Его задержали двадцать первого января.", P), ["двадцать первого января=2026-01-21"]);
        assert_eq!(dates("Его задержали первого марта 2020 года.", P), ["первого марта 2020 года=2020-03-01"]);
        assert!(dates("Его задержали в первой половине дня.", P).is_empty());
    }

    #[test]
    fn a_year_alone() {
        assert_eq!(dates("Он осуждён в 2019 году.", P), ["2019 году=2019"]);
        assert_eq!(dates("Дело возбуждено в 2019 г. в Омске.", P), ["2019 г.=2019"]);
        assert_eq!(dates("Дело возбуждено 2019 г.", P), ["2019 г.=2019"]);
        assert_eq!(dates("В 2019-м году его выслали.", P), ["2019-м году=2019"]);
        assert_eq!(dates("В 2018–2020 годах он жил в Бишкеке.", P), ["2018–2020 годах=2018"]);
        assert_eq!(dates("Он уехал в 2017.", P), ["2017=2017"]);
        assert_eq!(dates("В 2017 он уехал.", P), ["2017=2017"]);
        assert_eq!(dates("Он жил там в 2019–2020 гг.", P), ["2019–2020 гг.=2019"]);
        assert_eq!(dates("С 2014 по 2019 год он жил в Оше.", P), ["2014=2014", "2019 год=2019"]);
    }

    #[test]
    fn a_birth_year_or_a_count_is_no_date() {
        assert!(dates("Иван Петров, 1978 г.р., задержан.", P).is_empty());
        assert!(dates("Иван Петров, 1978 года рождения, задержан.", P).is_empty());
        assert!(dates("На акцию вышли до 2000 человек.", P).is_empty());
    }

    #[test]
    fn a_decade_is_no_date() {
        assert!(dates("Он эмигрировал в 1990-х.", P).is_empty());
        assert!(dates("В 90-х годах он работал учителем.", P).is_empty());
        assert!(dates("В 1990-е годы он работал учителем.", P).is_empty());
    }

    #[test]
    fn numeric_dates_with_two_or_four_digit_years() {
        assert_eq!(dates("Протокол от 24.02.2022 подписан.", P), ["24.02.2022=2022-02-24"]);
        assert_eq!(dates("Протокол от 24.02.22 подписан.", P), ["24.02.22=2022-02-24"]);
        assert_eq!(dates("Справка от 03.11.98 утеряна.", P), ["03.11.98=1998-11-03"]);
        assert_eq!(dates("Постановление от 24.02.2022 г. отменено.", P), ["24.02.2022 г.=2022-02-24"]);
        assert!(dates("Дело по ч. 2 ст. 205.5 УК РФ.", P).is_empty());
        assert!(dates("Приказ 31.13.2022 недействителен.", P).is_empty());
    }

    #[test]
    fn a_month_alone_has_month_precision() {
        assert_eq!(dates("В феврале его задержали.", P), ["феврале=2026-02"]);
        assert_eq!(dates("Его задержали в мае.", P), ["мае=2025-05"]);
        assert_eq!(dates("Его задержали в мае 2020 года.", P), ["мае 2020 года=2020-05"]);
        assert_eq!(dates("Он под арестом с февраля 2022 года.", P), ["февраля 2022 года=2022-02"]);
        assert_eq!(dates("Его задержали в марте прошлого года.", P), ["марте прошлого года=2025-03"]);
        assert_eq!(dates("Его задержали в январе текущего года.", P), ["январе текущего года=2026-01"]);
    }

    #[test]
    fn the_beginning_middle_or_end_of_a_month_is_the_month() {
        assert_eq!(dates("Его задержали в начале октября.", P), ["октября=2025-10"]);
        assert_eq!(dates("Его задержали в середине января.", P), ["января=2026-01"]);
        assert_eq!(dates("Его задержали в конце октября 2023 года.", P), ["октября 2023 года=2023-10"]);
        assert_eq!(dates("Его задержали в первых числах февраля.", P), ["февраля=2026-02"]);
    }

    #[test]
    fn a_month_word_that_is_a_name_is_not_a_date() {
        assert!(dates("Журналист передал письмо Марте Ковальчук.", P).is_empty());
        assert!(dates("Суд допросил Августа Левина.", P).is_empty());
    }

    #[test]
    fn a_season_gives_its_year() {
        assert_eq!(dates("Весной 2020 года его задержали.", P), ["Весной 2020 года=2020"]);
        assert_eq!(dates("Его задержали летом прошлого года.", P), ["летом прошлого года=2025"]);
        assert_eq!(dates("Его задержали в конце лета 2019 года.", P), ["лета 2019 года=2019"]);
        // The latest such season begun by publication.
        assert_eq!(dates("Его задержали летом.", P), ["летом=2025"]);
        assert_eq!(dates("Его задержали летом.", "2025-11-20"), ["летом=2025"]);
        assert_eq!(dates("Его задержали этим летом.", "2025-11-20"), ["летом=2025"]);
        assert_eq!(dates("Его задержали прошлой осенью.", "2025-11-20"), ["осенью=2024"]);
        assert_eq!(dates("Зимой 2021 года его выслали.", P), ["Зимой 2021 года=2021"]);
        // A winter spans two years: without a written year, no date.
        assert!(dates("Его задержали зимой.", P).is_empty());
    }

    #[test]
    fn this_and_last_year_and_month() {
        assert_eq!(dates("В прошлом году его задержали.", P), ["прошлом году=2025"]);
        assert_eq!(dates("В этом году его задержали.", P), ["этом году=2026"]);
        assert_eq!(dates("В позапрошлом году его задержали.", P), ["позапрошлом году=2024"]);
        assert_eq!(dates("Приговор вынесен в январе текущего года.", P), ["январе текущего года=2026-01"]);
        assert_eq!(dates("Дело прекращено в начале текущего года.", P), ["текущего года=2026"]);
        assert_eq!(dates("В прошлом месяце его задержали.", P), ["прошлом месяце=2026-02"]);
        assert_eq!(dates("В прошлом он работал учителем.", P), Vec::<String>::new());
    }

    #[test]
    fn the_year_abbreviations() {
        assert_eq!(dates("Его задержали 2 марта с.г. в Уфе.", P), ["2 марта с.г.=2026-03-02"]);
        assert_eq!(dates("Задержания продолжаются в с.г. повсеместно.", P), ["с.г.=2026"]);
        assert_eq!(dates("Его выслали 4 мая п.г.", P), ["4 мая п.г.=2025-05-04"]);
    }

    #[test]
    fn a_weekday_is_the_latest_on_or_before_publication() {
        assert_eq!(dates("В понедельник его задержали.", P), ["понедельник=2026-03-02"]);
        assert_eq!(dates("Во вторник его задержали.", P), ["вторник=2026-03-03"]);
        assert_eq!(dates("В четверг его задержали.", P), ["четверг=2026-03-05"]);
        assert_eq!(dates("В пятницу его задержали.", P), ["пятницу=2026-02-27"]);
        assert_eq!(dates("В ночь на субботу его задержали.", P), ["субботу=2026-02-28"]);
        assert_eq!(dates("В прошлый четверг его задержали.", P), ["четверг=2026-02-26"]);
        assert_eq!(dates("В эту среду его задержали.", P), ["среду=2026-03-04"]);
        assert_eq!(dates("В ночь с воскресенья на понедельник его задержали.", P), ["понедельник=2026-03-02"]);
        // "в среде" is the environment, not Wednesday (that is "в среду").
        assert!(dates("Он вырос в среде верующих.", P).is_empty());
        assert!(dates("Заседание назначено на понедельник.", P).is_empty());
        assert!(dates("В понедельник его задержали.", "").is_empty());
    }

    #[test]
    fn yesterday_today_and_the_day_before() {
        assert_eq!(dates("Вчера его задержали.", P), ["Вчера=2026-03-04"]);
        assert_eq!(dates("Сегодня его задержали.", P), ["Сегодня=2026-03-05"]);
        assert_eq!(dates("Позавчера его задержали.", P), ["Позавчера=2026-03-03"]);
        assert!(dates("Вчера его задержали.", "2026-03").is_empty());
        assert!(dates("Вчера его задержали.", "").is_empty());
    }

    #[test]
    fn a_week_is_its_month_when_it_lies_in_one() {
        // 2025-11-20 is a Thursday: last week was 10–16 November.
        assert_eq!(dates("На прошлой неделе его задержали.", "2025-11-20"), ["прошлой неделе=2025-11"]);
        // 2026-03-05: last week was 23 February – 1 March, two months: no date.
        assert!(dates("На прошлой неделе его задержали.", P).is_empty());
        assert_eq!(dates("На этой неделе его задержали.", P), ["этой неделе=2026-03"]);
    }

    #[test]
    fn a_night_is_the_day_named_last() {
        let p = "2026-05-01";
        assert_eq!(dates("В ночь на 23 апреля его задержали.", p), ["23 апреля=2026-04-23"]);
        assert_eq!(dates("В ночь с 15 на 16 апреля его задержали.", p), ["15 на 16 апреля=2026-04-16"]);
        assert_eq!(dates("В ночь с 30 апреля на 1 мая его задержали.", "2026-05-02"), ["30 апреля на 1 мая=2026-05-01"]);
    }

    #[test]
    fn a_range_of_days_is_its_first_day() {
        let p = "2026-06-01";
        assert_eq!(dates("С 1 по 5 мая он был под арестом.", p), ["1 по 5 мая=2026-05-01"]);
        assert_eq!(dates("Митинги шли 1–5 мая 2024 года.", p), ["1–5 мая 2024 года=2024-05-01"]);
    }

    #[test]
    fn each_day_in_a_list_is_a_date_of_the_month_after_it() {
        let p = "2026-05-01";
        assert_eq!(
            dates("Обыски прошли 3 января, 9, 12 и 17 марта.", p),
            ["3 января=2026-01-03", "9=2026-03-09", "12=2026-03-12", "17 марта=2026-03-17"]
        );
        assert_eq!(dates("Суды прошли 3 и 4 марта 2021 года.", p), ["3=2021-03-03", "4 марта 2021 года=2021-03-04"]);
        assert!(dates("Его судили по статьям 205, 206 и 210.", p).is_empty());
    }

    #[test]
    fn counts_of_units_ago() {
        assert_eq!(dates("Три дня назад его задержали.", P), ["Три дня назад=2026-03-02"]);
        assert_eq!(dates("Его задержали 2 недели назад.", P), ["2 недели назад=2026-02-19"]);
        assert_eq!(dates("Его задержали неделю назад.", P), ["неделю назад=2026-02-26"]);
        assert_eq!(dates("Его задержали пять месяцев назад.", P), ["пять месяцев назад=2025-10"]);
        assert_eq!(dates("Его задержали два года назад.", P), ["два года назад=2024"]);
        assert_eq!(dates("Его задержали 14 лет назад.", P), ["14 лет назад=2012"]);
        assert_eq!(dates("Его задержали год назад.", P), ["год назад=2025"]);
        assert_eq!(dates("Его задержали полгода назад.", P), ["полгода назад=2025-09"]);
        assert_eq!(dates("Его осудили двадцать пять лет назад.", P), ["двадцать пять лет назад=2001"]);
        assert!(dates("Его задержали несколько лет назад.", P).is_empty());
    }

    #[test]
    fn later_dates_follow_the_narrative() {
        assert_eq!(
            dates("Его задержали 3 марта. Спустя два дня суд арестовал его.", P),
            ["3 марта=2026-03-03", "Спустя два дня=2026-03-05"]
        );
        assert_eq!(dates("Его задержали 3 марта, а через неделю осудили.", P), ["3 марта=2026-03-03", "через неделю=2026-03-10"]);
        assert_eq!(dates("Его задержали 3 марта, а два дня спустя выслали.", P), ["3 марта=2026-03-03", "два дня спустя=2026-03-05"]);
        assert_eq!(dates("Его задержали 3 марта, а на следующий день выслали.", P), ["3 марта=2026-03-03", "следующий день=2026-03-04"]);
        assert_eq!(dates("Его задержали 3 марта и в тот же день выслали.", P), ["3 марта=2026-03-03", "тот же день=2026-03-03"]);
        assert_eq!(dates("В 2019 году его задержали, а в следующем году осудили.", P), ["2019 году=2019", "следующем году=2020"]);
        assert_eq!(dates("В мае 2020 года его задержали, а через месяц осудили.", P), ["мае 2020 года=2020-05", "через месяц=2020-06"]);
        assert_eq!(dates("Его задержали 3 марта 2021 года, в том же году осудили.", P), ["3 марта 2021 года=2021-03-03", "том же году=2021"]);
        assert_eq!(dates("Его задержали в мае 2020 года, а в декабре того же года осудили.", P), ["мае 2020 года=2020-05", "декабре того же года=2020-12"]);
    }

    #[test]
    fn a_later_date_needs_a_near_narrative_date() {
        assert!(dates("Через неделю суд рассмотрит жалобу.", P).is_empty());
        let far = "Его задержали 3 марта. Он отрицает вину. Адвокат обжалует арест. Через неделю суд рассмотрит жалобу.";
        assert_eq!(dates(far, P), ["3 марта=2026-03-03"]);
    }

    #[test]
    fn without_a_publication_date_a_year_less_day_takes_the_narratives_year() {
        assert_eq!(
            dates("7 декабря 2019 года его задержали, а 9 декабря арестовали.", ""),
            ["7 декабря 2019 года=2019-12-07", "9 декабря=2019-12-09"]
        );
        assert!(dates("Его задержали 9 декабря.", "").is_empty());
    }

    #[test]
    fn a_bare_year_before_a_year_less_day_in_the_sentence_is_its_year() {
        assert_eq!(dates("В 2019 году, 15 марта, его задержали.", P), ["2019 году=2019", "15 марта=2019-03-15"]);
        assert_eq!(dates("В прошлом году в мае его задержали.", P), ["прошлом году=2025", "мае=2025-05"]);
        // Not across sentences, nor after a full date.
        assert_eq!(dates("Он уехал в 2019 году. 2 марта его задержали.", P), ["2019 году=2019", "2 марта=2026-03-02"]);
        assert!(dates("В прошлом году его задержали.", "").is_empty());
    }

    #[test]
    fn articles_ages_terms_and_phones_are_not_dates() {
        for text in [
            "Его обвиняют по ч. 2 ст. 205.5 УК РФ.",
            "Статья 205 предусматривает до 20 лет.",
            "59-летний мужчина задержан.",
            "Его приговорили к 14 годам колонии.",
            "Ему грозит до 14 лет лишения свободы.",
            "Звоните по телефону +7 (495) 123-45-67.",
            "В возрасте 35 лет он уехал.",
            "Часть 1 статьи 282.2 УК РФ.",
        ] {
            assert!(dates(text, P).is_empty(), "{text}: {:?}", dates(text, P));
        }
    }

    /// The date each `date_*` fixture expects of its events is among the dates found
    /// (the fixtures themselves pass once the event finder dates its events).
    #[test]
    fn every_date_fixture_date_is_found() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ru");
        let mut checked = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if !path.file_name().unwrap().to_string_lossy().starts_with("date_") {
                continue;
            }
            let src = std::fs::read_to_string(&path).unwrap();
            let (head, rest) = src.split_once("\ntext:\n").unwrap();
            let (text, expect) = rest.split_once("\nexpect:\n").unwrap();
            let published = head.lines().find_map(|l| l.strip_prefix("published:")).map_or("", str::trim);
            let found: Vec<String> = dates(text, published).iter().map(|d| d.rsplit('=').next().unwrap().to_string()).collect();
            for want in expect.lines().flat_map(|l| l.split('|')).filter_map(|a| a.trim().strip_prefix("date=")) {
                assert!(found.iter().any(|f| f == want), "{}: {want} not in {found:?}", path.display());
                checked += 1;
            }
        }
        assert!(checked >= 6, "only {checked} fixture dates");
    }
}
