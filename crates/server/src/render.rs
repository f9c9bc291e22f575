//! Page building blocks. Every value goes through maud, which escapes it:
//! report text, names and titles can never become markup.

use chronicle_store::{EntityMention, EventRecord};
use maud::{html, Markup, DOCTYPE};
use std::collections::HashMap;

/// Who is looking, for the page frame and the controls it shows.
pub struct Viewer {
    pub user: String,
    pub role: chronicle_store::Role,
    pub csrf: String,
}

impl Viewer {
    pub fn may_edit(&self) -> bool {
        self.role >= chronicle_store::Role::Editor
    }
}

pub fn page(title: &str, viewer: Option<&Viewer>, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " — Chronicle" }
                link rel="stylesheet" href="/static/style.css";
                script src="/static/app.js" defer {}
            }
            body {
                header {
                    a.brand href="/" { "Chronicle" }
                    @if let Some(v) = viewer {
                        nav {
                            a href="/search" { "Search" }
                            a href="/events" { "Events" }
                            a href="/documents" { "Reports" }
                            a href="/stats" { "Statistics" }
                            @if v.may_edit() {
                                a href="/review" { "Review" }
                                a href="/upload" { "Upload" }
                            }
                            @if v.role == chronicle_store::Role::Admin { a href="/admin/accounts" { "Accounts" } }
                        }
                        form.logout method="post" action="/logout" {
                            span.who { (v.user) " (" (v.role) ")" }
                            input type="hidden" name="csrf" value=(v.csrf);
                            button type="submit" id="logout" { "Log out" }
                        }
                    }
                }
                main { (body) }
            }
        }
    }
}

pub fn error_page(status: u16, message: &str, viewer: Option<&Viewer>) -> Markup {
    page("Error", viewer, html! {
        h1 { "Error " (status) }
        p.error { (message) }
    })
}

/// The name of a person or organisation id, or the id.
pub fn entity<'a>(id: &'a str, names: &'a HashMap<String, String>) -> Markup {
    let name = names.get(id).map_or(id, String::as_str);
    html! {
        @if id.starts_with("person-") { a href={ "/persons/" (id) } { (name) } } @else { (name) }
    }
}

/// One event: type, date, place, victims, perpetrators, review state, and each quote linking to its passage.
pub fn event_item(e: &EventRecord, names: &HashMap<String, String>, viewer: &Viewer, back: &str) -> Markup {
    html! {
        li.event id={ "event-" (e.id) } data-review=(e.review.as_str()) {
            span.kind { (e.kind.as_str()) }
            " "
            span.date { (e.date.map(|d| d.to_string()).unwrap_or_else(|| "undated".into())) }
            @if let Some(p) = &e.place { " · " (p) }
            @if let Some(c) = &e.country { " · " (c) }
            @if let Some(t) = &e.to_country { " → " (t) }
            @if let Some(t) = e.term_years { " · " (t) " years" }
            @if let Some(r) = &e.regime { " · " (r) }
            " " span.review-state { "[" (e.review.as_str()) "]" }
            @if !e.victims.is_empty() {
                div { "victims: " @for (i, v) in e.victims.iter().enumerate() { @if i > 0 { ", " } (entity(v, names)) } }
            }
            @if !e.perpetrators.is_empty() {
                div { "by: " @for (i, v) in e.perpetrators.iter().enumerate() { @if i > 0 { ", " } (entity(v, names)) } }
            }
            @for s in &e.sources {
                blockquote {
                    a href={ "/documents/" (s.document) "?hl=" (s.start) "-" (s.end) "#hl" } { (s.quote) }
                }
            }
            @if viewer.may_edit() {
                form.review method="post" action={ "/events/" (e.id) "/review" } {
                    input type="hidden" name="csrf" value=(viewer.csrf);
                    input type="hidden" name="back" value=(back);
                    button type="submit" name="action" value="confirm" { "Confirm" }
                    button type="submit" name="action" value="reject" { "Reject" }
                    details {
                        summary { "Correct" }
                        label { "type " input name="type" value=(e.kind.as_str()); }
                        label { "date " input name="date" value=(e.date.map(|d| d.to_string()).unwrap_or_default()) placeholder="YYYY-MM-DD"; }
                        label { "place " input name="place" value=(e.place.clone().unwrap_or_default()); }
                        label { "country " input name="country" value=(e.country.clone().unwrap_or_default()) size="2"; }
                        label { "to " input name="to_country" value=(e.to_country.clone().unwrap_or_default()) size="2"; }
                        button type="submit" name="action" value="correct" { "Save correction" }
                    }
                }
            }
        }
    }
}

/// A document's text with its mentions linked and the passage `hl` (character offsets) marked.
pub fn document_text(text: &str, mentions: &[EntityMention], hl: Option<(usize, usize)>) -> Markup {
    let chars: Vec<char> = text.chars().collect();
    let mut cuts: Vec<usize> = vec![0, chars.len()];
    for m in mentions {
        cuts.extend([m.start.min(chars.len()), m.end.min(chars.len())]);
    }
    if let Some((a, b)) = hl {
        cuts.extend([a.min(chars.len()), b.min(chars.len())]);
    }
    cuts.sort_unstable();
    cuts.dedup();
    html! {
        div.text {
            @for w in cuts.windows(2) {
                @let (a, b) = (w[0], w[1]);
                @let piece: String = chars[a..b].iter().collect();
                @let mention = mentions.iter().find(|m| m.start <= a && b <= m.end);
                @let marked = hl.is_some_and(|(x, y)| x <= a && b <= y);
                @let first = hl.is_some_and(|(x, _)| x == a);
                @match (mention, marked) {
                    (Some(m), true) => mark.quote id=[first.then_some("hl")] { (mention_link(m, &piece)) },
                    (Some(m), false) => (mention_link(m, &piece)),
                    (None, true) => mark.quote id=[first.then_some("hl")] { (piece) },
                    (None, false) => (piece),
                }
            }
        }
    }
}

fn mention_link(m: &EntityMention, piece: &str) -> Markup {
    html! {
        @if m.entity.starts_with("person-") {
            a.mention.person href={ "/persons/" (m.entity) } title=(m.entity) { (piece) }
        } @else {
            span.mention.org title=(m.entity) { (piece) }
        }
    }
}

/// A search snippet, its matched words (between `[` and `]`) in bold.
pub fn snippet(s: &str) -> Markup {
    html! {
        @for (i, part) in s.split(['[', ']']).enumerate() {
            @if i % 2 == 1 { b { (part) } } @else { (part) }
        }
    }
}

/// A horizontal bar chart as SVG: one labelled bar a row, drawn on the server.
pub fn bar_chart(title: &str, rows: &[(String, usize)]) -> Markup {
    const LABEL: usize = 170;
    const WIDTH: usize = 640;
    const ROW: usize = 22;
    let max = rows.iter().map(|r| r.1).max().unwrap_or(1).max(1);
    let height = rows.len() * ROW + 8;
    html! {
        figure.chart {
            figcaption { (title) }
            svg xmlns="http://www.w3.org/2000/svg" width=(WIDTH) height=(height) viewBox={ "0 0 " (WIDTH) " " (height) } role="img" aria-label=(title) {
                @for (i, (label, n)) in rows.iter().enumerate() {
                    @let y = i * ROW + 4;
                    @let w = (WIDTH - LABEL - 60) * n / max;
                    text x=(LABEL - 8) y=(y + 15) text-anchor="end" font-size="13" { (label) }
                    rect x=(LABEL) y=(y + 2) width=(w.max(1)) height=(ROW - 6) fill="#4a7aa8" {}
                    text x=(LABEL + w + 6) y=(y + 15) font-size="13" { (n) }
                }
            }
        }
    }
}

/// Victims documented beside the estimate of all of them, with its 95%
/// interval, a row a period: a table, and a chart of the same (documented
/// counts as bars, each estimate a mark on the line of its interval).
pub fn estimates(rows: &[(String, chronicle_estimate::Estimate)]) -> Markup {
    const LABEL: usize = 90;
    const WIDTH: usize = 640;
    const ROW: usize = 22;
    let round = |x: f64| format!("{x:.0}");
    let max = rows.iter().map(|(_, e)| e.interval.map_or(e.documented as f64, |i| i.upper)).fold(1.0, f64::max);
    let scale = |x: f64| LABEL as f64 + (WIDTH - LABEL - 70) as f64 * x / max;
    let height = rows.len() * ROW + 8;
    html! {
        section #estimates {
            h2 { "Victims documented and estimated" }
            p.note {
                "How many victims there were, reported or not, estimated from how often the publishers name the same victims "
                "(multiple systems estimation: two lists by Chapman's estimator, more by log-linear models chosen by BIC, "
                "with a 95% profile-likelihood interval). It assumes a closed population, publishers that name victims "
                "independently but for the dependences the model allows, and victims equally likely to be named: "
                "victims no publisher can reach make it too low."
            }
            table.estimates {
                thead { tr { th { "Period" } th { "Lists" } th { "Documented" } th { "Estimated" } th { "95% interval" } th { "Model, or why no estimate" } } }
                tbody {
                    @for (period, e) in rows {
                        tr {
                            td.period { (period) }
                            td { (e.lists.len()) }
                            td.documented { (e.documented) }
                            @if let Some(i) = e.interval {
                                td.estimate { (round(i.estimate)) }
                                td.interval { (round(i.lower)) "–" (round(i.upper)) }
                                td { (e.method.as_deref().unwrap_or("")) }
                            } @else {
                                td.estimate { "—" }
                                td.interval { "—" }
                                td.why { (e.warnings.iter().find(|w| w.withholds()).map(|w| w.to_string()).unwrap_or_default()) }
                            }
                        }
                    }
                }
            }
            figure.chart {
                figcaption { "Victims documented (bars) and estimated (marks, on the line of the 95% interval)" }
                svg xmlns="http://www.w3.org/2000/svg" width=(WIDTH) height=(height) viewBox={ "0 0 " (WIDTH) " " (height) } role="img" aria-label="Victims documented and estimated" {
                    @for (n, (period, e)) in rows.iter().enumerate() {
                        @let y = n * ROW + 4;
                        @let bar = scale(e.documented as f64) - LABEL as f64;
                        text x=(LABEL - 8) y=(y + 15) text-anchor="end" font-size="13" { (period) }
                        rect.documented x=(LABEL) y=(y + 2) width=(format!("{:.1}", bar.max(1.0))) height=(ROW - 6) fill="#4a7aa8" {}
                        @if let Some(i) = e.interval {
                            line.interval x1=(format!("{:.1}", scale(i.lower))) x2=(format!("{:.1}", scale(i.upper))) y1=(y + 10) y2=(y + 10) stroke="#b03a2e" stroke-width="2" {}
                            circle.estimate cx=(format!("{:.1}", scale(i.estimate))) cy=(y + 10) r="4" fill="#b03a2e" {}
                            text x=(format!("{:.1}", scale(i.upper) + 6.0)) y=(y + 15) font-size="13" { (round(i.estimate)) }
                        } @else {
                            text x=(format!("{:.1}", scale(e.documented as f64) + 6.0)) y=(y + 15) font-size="13" { (e.documented) }
                        }
                    }
                }
            }
        }
    }
}
