//! `chronicle review`: the analysts' queue of machine-extracted events, least
//! confident first, and their verdicts: confirm, reject, correct (which
//! confirms). The same store calls the workspace's review page makes; audited.

use anyhow::{Context, Result};
use chronicle_model::{EventType, PartialDate, Review};
use chronicle_store::{EventCorrection, EventFilter, EventRecord, Store};
use std::io::Write;

/// What `chronicle review` is asked to do.
#[derive(Debug, clap::Subcommand)]
pub enum Verdict {
    /// The event is right as the machine found it.
    Confirm { event: String },
    /// The event is wrong: it did not happen, or not as told.
    Reject { event: String },
    /// The event happened, with these fields instead of the machine's.
    Correct {
        event: String,
        #[arg(long = "type")]
        kind: Option<String>,
        /// YYYY, YYYY-MM or YYYY-MM-DD.
        #[arg(long)]
        date: Option<String>,
        #[arg(long)]
        place: Option<String>,
        /// ISO 3166-1 alpha-2 (RU, UZ …).
        #[arg(long)]
        country: Option<String>,
        /// Where a forced return went (ISO 3166-1 alpha-2).
        #[arg(long)]
        to_country: Option<String>,
    },
}

/// Prints the queue: events no analyst has judged, least confident first.
pub fn queue(store: &dyn Store, limit: usize, w: &mut dyn Write) -> Result<()> {
    let filter = EventFilter { review: Some(Review::Machine), least_confident_first: true, limit: Some(limit), ..Default::default() };
    let events = store.events_where(&filter)?;
    let names = store.names_of(&events.iter().flat_map(|e| e.victims.clone()).collect::<Vec<_>>())?;
    for e in &events {
        let victims: Vec<&str> = e.victims.iter().map(|v| names.get(v).map_or(v.as_str(), String::as_str)).collect();
        let confidence = e.confidence.map_or("-".to_string(), |c| format!("{c:.2}"));
        writeln!(w, "{}  {confidence}  {}  {}  {}", e.id, e.kind, e.date.map_or("undated".into(), |d| d.to_string()), victims.join("; "))?;
        if let Some(s) = e.sources.first() {
            writeln!(w, "    \"{}\"", s.quote.replace('\n', " "))?;
        }
    }
    writeln!(w, "{} event(s) to review; chronicle review confirm|reject|correct EVENT", events.len())?;
    Ok(())
}

/// Records a verdict and prints the event as it now stands.
pub fn judge(store: &mut dyn Store, verdict: Verdict, w: &mut dyn Write) -> Result<()> {
    let (event, review, correction) = match verdict {
        Verdict::Confirm { event } => (event, Review::Confirmed, EventCorrection::default()),
        Verdict::Reject { event } => (event, Review::Rejected, EventCorrection::default()),
        Verdict::Correct { event, kind, date, place, country, to_country } => {
            let correction = EventCorrection {
                kind: kind.as_deref().map(str::parse::<EventType>).transpose()?,
                date: date.as_deref().map(|d| d.parse::<PartialDate>().with_context(|| format!("--date {d:?}: YYYY, YYYY-MM or YYYY-MM-DD"))).transpose()?,
                place,
                country: country.map(|c| c.to_uppercase()),
                to_country: to_country.map(|c| c.to_uppercase()),
            };
            if correction.is_empty() {
                anyhow::bail!("say what to correct: --type, --date, --place, --country or --to-country");
            }
            (event, Review::Confirmed, correction)
        }
    };
    let e = store.review_event(&event, review, &correction).with_context(|| format!("reviewing {event}"))?;
    writeln!(w, "{}", line(&e))?;
    Ok(())
}

fn line(e: &EventRecord) -> String {
    let whereabouts = [e.place.clone(), e.country.clone()].into_iter().flatten().collect::<Vec<_>>().join(", ");
    format!("{}  {}  {}  {whereabouts}  [{}]", e.id, e.kind, e.date.map_or("undated".into(), |d| d.to_string()), e.review)
}
