use std::fmt;
use std::str::FromStr;

/// A date known to the precision the text gives: a year, a month or a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PartialDate {
    pub year: i32,
    pub month: Option<u8>,
    pub day: Option<u8>,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PartialDateError {
    #[error("not a partial ISO date (YYYY, YYYY-MM or YYYY-MM-DD): {0:?}")]
    Syntax(String),
    #[error("no such date: {0:?}")]
    OutOfRange(String),
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ => {
            if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 {
                29
            } else {
                28
            }
        }
    }
}

impl PartialDate {
    pub fn year(year: i32) -> Self {
        PartialDate { year, month: None, day: None }
    }
    pub fn month(year: i32, month: u8) -> Option<Self> {
        (1..=12).contains(&month).then_some(PartialDate { year, month: Some(month), day: None })
    }
    pub fn day(year: i32, month: u8, day: u8) -> Option<Self> {
        ((1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month))
            .then_some(PartialDate { year, month: Some(month), day: Some(day) })
    }
    /// True when the two dates do not contradict each other (one refines the other).
    pub fn compatible(&self, other: &PartialDate) -> bool {
        self.year == other.year
            && match (self.month, other.month) {
                (Some(a), Some(b)) if a != b => false,
                (Some(_), Some(_)) => match (self.day, other.day) {
                    (Some(a), Some(b)) => a == b,
                    _ => true,
                },
                _ => true,
            }
    }
    /// The same date cut to month precision at most.
    pub fn to_month(self) -> Self {
        PartialDate { day: None, ..self }
    }
    /// Days since 1970-01-01 of the first day this date covers (proleptic Gregorian).
    pub fn first_day_number(&self) -> i64 {
        days_from_civil(self.year, self.month.unwrap_or(1), self.day.unwrap_or(1))
    }
    /// A full date from a day number (inverse of [`first_day_number`](Self::first_day_number)).
    pub fn from_day_number(z: i64) -> Self {
        let (y, m, d) = civil_from_days(z);
        PartialDate { year: y, month: Some(m), day: Some(d) }
    }
    /// 0 = Monday … 6 = Sunday, for a full date.
    pub fn weekday(&self) -> Option<u8> {
        self.day?;
        Some(((self.first_day_number() + 3).rem_euclid(7)) as u8)
    }
    /// This date moved by `days` (full dates only).
    pub fn add_days(&self, days: i64) -> Option<Self> {
        self.day?;
        Some(Self::from_day_number(self.first_day_number() + days))
    }

    /// The month `months` after this date's (before it, when negative), at month precision.
    pub fn add_months(&self, months: i32) -> Self {
        let m0 = self.year * 12 + i32::from(self.month.unwrap_or(1)) - 1 + months;
        PartialDate { year: m0.div_euclid(12), month: Some((m0.rem_euclid(12) + 1) as u8), day: None }
    }
}

// Howard Hinnant's civil-calendar algorithms.
fn days_from_civil(y: i32, m: u8, d: u8) -> i64 {
    let y = i64::from(y) - i64::from(m <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe - 719468
}

fn civil_from_days(z: i64) -> (i32, u8, u8) {
    let z = z + 719468;
    let era = z.div_euclid(146097);
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    ((y + i64::from(m <= 2)) as i32, m, d)
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
            if let Some(d) = self.day {
                write!(f, "-{d:02}")?;
            }
        }
        Ok(())
    }
}

impl FromStr for PartialDate {
    type Err = PartialDateError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let syntax = || PartialDateError::Syntax(s.to_string());
        let parts: Vec<&str> = s.split('-').collect();
        let num = |p: &str, len: usize| -> Result<u32, PartialDateError> {
            if p.len() == len && p.bytes().all(|b| b.is_ascii_digit()) {
                p.parse().map_err(|_| syntax())
            } else {
                Err(syntax())
            }
        };
        let range = || PartialDateError::OutOfRange(s.to_string());
        match parts.as_slice() {
            [y] => Ok(PartialDate::year(num(y, 4)? as i32)),
            [y, m] => PartialDate::month(num(y, 4)? as i32, num(m, 2)? as u8).ok_or_else(range),
            [y, m, d] => PartialDate::day(num(y, 4)? as i32, num(m, 2)? as u8, num(d, 2)? as u8)
                .ok_or_else(range),
            _ => Err(syntax()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_every_precision() {
        for s in ["2023", "2023-05", "2023-05-24", "2024-02-29"] {
            assert_eq!(s.parse::<PartialDate>().unwrap().to_string(), s);
        }
    }

    #[test]
    fn rejects_impossible_and_malformed_dates() {
        assert!(matches!("2023-02-29".parse::<PartialDate>(), Err(PartialDateError::OutOfRange(_))));
        assert!(matches!("2023-13".parse::<PartialDate>(), Err(PartialDateError::OutOfRange(_))));
        assert!(matches!("23-05".parse::<PartialDate>(), Err(PartialDateError::Syntax(_))));
        assert!(matches!("May 2023".parse::<PartialDate>(), Err(PartialDateError::Syntax(_))));
    }

    #[test]
    fn knows_weekdays_and_day_arithmetic() {
        let d: PartialDate = "2023-05-24".parse().unwrap();
        assert_eq!(d.weekday(), Some(2)); // a Wednesday
        assert_eq!(d.add_days(-1).unwrap().to_string(), "2023-05-23");
        assert_eq!(d.add_days(8).unwrap().to_string(), "2023-06-01");
        let n: PartialDate = "2020-01-01".parse().unwrap();
        assert_eq!(n.add_days(-1).unwrap().to_string(), "2019-12-31");
    }

    #[test]
    fn compatibility_follows_precision() {
        let p = |s: &str| s.parse::<PartialDate>().unwrap();
        assert!(p("2019").compatible(&p("2019-12-05")));
        assert!(p("2019-12").compatible(&p("2019-12-05")));
        assert!(!p("2019-11").compatible(&p("2019-12-05")));
        assert!(!p("2019-12-04").compatible(&p("2019-12-05")));
    }
}

/// The month number of an English month name or its common abbreviation
/// ("May", "Feb.", "sept"), case-insensitive.
pub fn month_from_name(word: &str) -> Option<u8> {
    let w = word.trim_end_matches('.').to_ascii_lowercase();
    const MONTHS: [&str; 12] = [
        "january", "february", "march", "april", "may", "june", "july", "august", "september",
        "october", "november", "december",
    ];
    if w.len() < 3 {
        return None;
    }
    MONTHS.iter().position(|m| {
        *m == w || (w.len() >= 3 && m.starts_with(&w) && (w.len() <= 4 || *m == w))
    })
    .map(|i| i as u8 + 1)
}

#[cfg(test)]
mod month_tests {
    use super::month_from_name;

    #[test]
    fn months_are_added_across_years_at_month_precision() {
        let d = crate::PartialDate::day(2026, 2, 27).unwrap();
        assert_eq!(d.add_months(-3).to_string(), "2025-11");
        assert_eq!(d.add_months(11).to_string(), "2027-01");
        assert_eq!(crate::PartialDate::year(2020).add_months(1).to_string(), "2020-02");
    }

    #[test]
    fn reads_full_and_abbreviated_month_names() {
        assert_eq!(month_from_name("May"), Some(5));
        assert_eq!(month_from_name("Feb."), Some(2));
        assert_eq!(month_from_name("Sept"), Some(9));
        assert_eq!(month_from_name("december"), Some(12));
        assert_eq!(month_from_name("Mar"), Some(3));
        assert_eq!(month_from_name("Ma"), None);
        assert_eq!(month_from_name("Marching"), None);
    }
}
