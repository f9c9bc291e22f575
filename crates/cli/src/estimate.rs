//! `chronicle estimate`: the estimates of `chronicle-estimate` over the
//! record the reader sees, as a table for people or as JSON (the serde twins
//! of the estimate's types live here, with the other wire formats).

use anyhow::{Context, Result};
use chronicle_estimate::record::{tables, By, Lists, Selection};
use chronicle_estimate::{estimate, Criterion, Estimate};
use chronicle_store::Store;
use serde::Serialize;
use std::collections::HashMap;
use std::io::Write;
use std::path::Path;

/// What every estimate rests on, said with every estimate.
pub const ASSUMPTIONS: &str = "Assumes a closed population (the same victims could have been named by every list over the period), \
lists that name victims independently of one another (except the dependences the chosen model allows), and victims equally likely \
to be named; victims hard for every list to reach make the estimate too low. See docs/estimates.md.";

/// The lists as the analyst chose them: `publisher`, or a file of `publisher<TAB>list` lines.
pub fn lists(arg: &str) -> Result<Lists> {
    if arg == "publisher" {
        return Ok(Lists::Publisher);
    }
    let path = Path::new(arg);
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("--lists {arg}: neither `publisher` nor a readable grouping file (publisher<TAB>list a line)"))?;
    let mut groups = HashMap::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let (publisher, list) = line.split_once('\t').with_context(|| format!("{}, line {}: not publisher<TAB>list", path.display(), n + 1))?;
        groups.insert(publisher.trim().to_string(), list.trim().to_string());
    }
    Ok(Lists::Grouped(groups))
}

/// One part's estimate, as JSON writes it.
#[derive(Serialize)]
pub struct Part {
    /// `all`, a year, or an event type.
    pub part: String,
    pub lists: Vec<ListSize>,
    pub documented: u64,
    pub method: Option<String>,
    pub estimate: Option<f64>,
    pub lower: Option<f64>,
    pub upper: Option<f64>,
    pub candidates: Vec<CandidateOut>,
    pub warnings: Vec<String>,
}

#[derive(Serialize)]
pub struct ListSize {
    pub name: String,
    pub victims: u64,
}

#[derive(Serialize)]
pub struct CandidateOut {
    pub model: String,
    pub parameters: usize,
    pub df: usize,
    pub deviance: Option<f64>,
    pub aic: Option<f64>,
    pub bic: Option<f64>,
    pub estimate: Option<f64>,
    pub chosen: bool,
}

#[derive(Serialize)]
pub struct Report {
    pub lists: String,
    pub criterion: &'static str,
    pub public: bool,
    pub parts: Vec<Part>,
    pub assumptions: &'static str,
}

fn finite(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}

fn part(name: String, e: &Estimate) -> Part {
    Part {
        part: name,
        lists: e.lists.iter().zip(&e.list_sizes).map(|(n, &v)| ListSize { name: n.clone(), victims: v }).collect(),
        documented: e.documented,
        method: e.method.clone(),
        estimate: e.interval.map(|i| i.estimate),
        lower: e.interval.map(|i| i.lower),
        upper: e.interval.map(|i| i.upper),
        candidates: e
            .candidates
            .iter()
            .map(|c| CandidateOut {
                model: c.name.clone(),
                parameters: c.parameters,
                df: c.df,
                deviance: finite(c.deviance),
                aic: finite(c.aic),
                bic: finite(c.bic),
                estimate: c.estimate,
                chosen: c.chosen,
            })
            .collect(),
        warnings: e.warnings.iter().map(|w| w.to_string()).collect(),
    }
}

/// The estimates of the record as `store` shows it to its reader.
pub fn report(store: &dyn Store, selection: &Selection, lists: &Lists, lists_name: &str, by: By, criterion: Criterion, public: bool) -> Result<Report> {
    let events = store.events()?;
    let documents = store.documents()?;
    let parts = tables(&events, &documents, selection, lists, by).into_iter().map(|(name, table)| part(name, &estimate(&table, criterion))).collect();
    let criterion = match criterion {
        Criterion::Aic => "AIC",
        Criterion::Bic => "BIC",
    };
    Ok(Report { lists: lists_name.to_string(), criterion, public, parts, assumptions: ASSUMPTIONS })
}

fn round(x: f64) -> String {
    format!("{:.0}", x)
}

/// The report for people: a line a part, then each part's lists, models and warnings.
pub fn print(r: &Report, w: &mut dyn Write) -> Result<()> {
    let whose = if r.public { ", public: no restricted victim" } else { "" };
    writeln!(w, "victims documented and estimated (lists: {}; model chosen by {}{whose})", r.lists, r.criterion)?;
    if r.parts.is_empty() {
        writeln!(w, "no victim of the events selected")?;
        return Ok(());
    }
    writeln!(w, "{:<14} {:>10} {:>9}  {:<17}  method", "part", "documented", "estimate", "95% interval")?;
    for p in &r.parts {
        let (est, interval) = match (p.estimate, p.lower, p.upper) {
            (Some(e), Some(l), Some(u)) => (round(e), format!("{}–{}", round(l), round(u))),
            _ => ("—".to_string(), "(no estimate)".to_string()),
        };
        writeln!(w, "{:<14} {:>10} {:>9}  {:<17}  {}", p.part, p.documented, est, interval, p.method.as_deref().unwrap_or("—"))?;
    }
    for p in &r.parts {
        writeln!(w)?;
        writeln!(w, "{}: {} lists", p.part, p.lists.len())?;
        for l in &p.lists {
            writeln!(w, "  {:<40} {:>6} victims", l.name, l.victims)?;
        }
        if !p.candidates.is_empty() {
            let width = p.candidates.iter().map(|c| c.model.chars().count()).max().unwrap_or(0).max(12);
            writeln!(w, "  {:<width$} {:>6} {:>3} {:>10} {:>10} {:>10} {:>9}", "model", "params", "df", "deviance", "AIC", "BIC", "estimate")?;
            for c in &p.candidates {
                let num = |x: Option<f64>| x.map_or("—".to_string(), |x| format!("{x:.2}"));
                let mark = if c.chosen { " *" } else { "" };
                let est = c.estimate.map_or("(unstable)".to_string(), round);
                writeln!(
                    w,
                    "  {:<width$} {:>6} {:>3} {:>10} {:>10} {:>10} {:>9}{mark}",
                    c.model,
                    c.parameters,
                    c.df,
                    num(c.deviance),
                    num(c.aic),
                    num(c.bic),
                    est
                )?;
            }
        }
        for warning in &p.warnings {
            writeln!(w, "  warning: {warning}")?;
        }
    }
    writeln!(w)?;
    writeln!(w, "{}", r.assumptions)?;
    Ok(())
}
