//! Organisations found by the shape of what is said of them, after the known
//! names and the capitalised names with an organisation word have been taken:
//! an acronym with its description ("the NSS secret police"), a quoted name
//! after a kind of body ("a group called “Unity”"), a state body of a country
//! in lower case ("Kazakhstan's prosecutor general"), a name with a number
//! ("Channel 7"), and the members of a list of organisations.

use crate::entities::{cap_run, text_of, Orgs, PlaceMention, Tag};
use crate::lexicon::{slug, Lexicon, PlaceKind};
use crate::text::{Kind, Token};
use chronicle_model::{Country, OrgCategory};

/// Runs every pattern in turn; each sees what the ones before it found.
pub(crate) fn find(tokens: &[Token<'_>], tags: &mut [Tag], orgs: &mut Orgs, places: &[PlaceMention], lex: &Lexicon) {
    described_acronyms(tokens, tags, orgs);
    acronyms_of_groups(tokens, tags, orgs);
    quoted_after_kind(tokens, tags, orgs);
    lowercase_state_bodies(tokens, tags, orgs, places);
    numbered_names(tokens, tags, orgs);
    listed_among_organisations(tokens, tags, orgs, lex);
    description_then_quoted_name(tokens, tags, orgs);
}

fn lower(tokens: &[Token<'_>], k: usize) -> String {
    tokens.get(k).map(|t| t.lower()).unwrap_or_default()
}

fn is_the(tokens: &[Token<'_>], k: usize) -> bool {
    tokens.get(k).is_some_and(|t| t.is("the"))
}

fn is_acronym(t: &Token<'_>) -> bool {
    t.is_word() && (2..=6).contains(&t.text.chars().count()) && t.text.chars().all(|c| c.is_uppercase())
}

/// "the NSS secret police", "the SGB security service": an acronym before the
/// description of a security service or police is that body, named by both.
fn described_acronyms(tokens: &[Token<'_>], tags: &mut [Tag], orgs: &mut Orgs) {
    for i in 0..tokens.len() {
        if tags[i] != Tag::None || !is_acronym(&tokens[i]) {
            continue;
        }
        let (a, b) = (lower(tokens, i + 1), lower(tokens, i + 2));
        let (end, cat) = match (a.as_str(), b.as_str()) {
            ("secret" | "political", "police") => (i + 3, OrgCategory::SecurityService),
            ("security" | "intelligence" | "special", "service" | "services") => (i + 3, OrgCategory::SecurityService),
            _ => continue,
        };
        if tags[i + 1..end].iter().any(|t| *t != Tag::None) {
            continue;
        }
        let name = text_of(tokens, i, end);
        let org = orgs.add(tags, slug(tokens[i].text), name, Some(cat), None, i, end);
        orgs.later_uses(tokens, tags, org, i);
    }
}

/// "joined the UFM", "members of the UFM", "a cell of the UFM": an acronym
/// that people join or belong to is an organisation.
fn acronyms_of_groups(tokens: &[Token<'_>], tags: &mut [Tag], orgs: &mut Orgs) {
    const BELONGING: &[&str] = &["member", "members", "cell", "cells", "leader", "leaders", "founder", "founders", "supporter", "supporters", "wing", "branch", "ranks", "membership"];
    for i in 2..tokens.len() {
        if tags[i] != Tag::None || !is_acronym(&tokens[i]) || lower(tokens, i - 1) != "the" {
            continue;
        }
        let before = lower(tokens, i - 2);
        let joined = matches!(before.as_str(), "joined" | "joining" | "join" | "joins");
        let belongs = before == "of" && i >= 3 && BELONGING.contains(&lower(tokens, i - 3).as_str());
        if joined || belongs {
            let org = orgs.add(tags, slug(tokens[i].text), tokens[i].text.to_string(), Some(OrgCategory::Other), None, i, i + 1);
            orgs.later_uses(tokens, tags, org, i);
        }
    }
}

const OPEN_QUOTES: &[&str] = &["\"", "“", "«", "'", "‘"];
const CLOSE_QUOTES: &[&str] = &["\"", "”", "»", "'", "’"];

/// The capitalised words in quotes starting at `q` (the opening quote): their
/// span, when the quote closes within five words.
fn quoted_name(tokens: &[Token<'_>], q: usize) -> Option<(usize, usize)> {
    if !OPEN_QUOTES.contains(&tokens.get(q)?.text) || !tokens.get(q + 1)?.is_capitalised() {
        return None;
    }
    let end = (q + 1..tokens.len().min(q + 7)).find(|&k| CLOSE_QUOTES.contains(&tokens[k].text))?;
    (end > q + 1 && tokens[q + 1..end].iter().all(|t| t.is_word() || t.text == "-")).then_some((q + 1, end))
}

/// "a group called “Unity”", "the movement “Light”", "an underground cell named
/// 'Dawn'": a quoted name after a kind of body is that body.
fn quoted_after_kind(tokens: &[Token<'_>], tags: &mut [Tag], orgs: &mut Orgs) {
    const KINDS: &[&str] = &["group", "organisation", "organization", "movement", "party", "cell", "network", "conspiracy", "community", "society", "association", "sect", "circle"];
    for k in 0..tokens.len() {
        if !KINDS.iter().any(|w| tokens[k].is(w)) {
            continue;
        }
        let mut q = k + 1;
        if matches!(lower(tokens, q).as_str(), "named" | "called" | "dubbed") {
            q += 1;
        } else if lower(tokens, q) == "known" && lower(tokens, q + 1) == "as" {
            q += 2;
        }
        let Some((s, e)) = quoted_name(tokens, q) else { continue };
        if tags[s..e].iter().all(|t| *t == Tag::None) {
            let name = text_of(tokens, s, e);
            orgs.add(tags, slug(&name), name, Some(OrgCategory::Other), None, s, e);
        }
    }
}

/// State bodies that are written in lower case after the country they belong
/// to: "Kazakhstan's prosecutor general", "Georgia's constitutional court";
/// later "the prosecutor general" is the same body.
fn lowercase_state_bodies(tokens: &[Token<'_>], tags: &mut [Tag], orgs: &mut Orgs, places: &[PlaceMention]) {
    const BODIES: &[(&str, &str, OrgCategory)] = &[
        ("prosecutor", "general", OrgCategory::Prosecutor),
        ("general", "prosecutor", OrgCategory::Prosecutor),
        ("prosecutor-general", "", OrgCategory::Prosecutor),
        ("constitutional", "court", OrgCategory::Court),
        ("supreme", "court", OrgCategory::Court),
        ("interior", "ministry", OrgCategory::Police),
        ("foreign", "ministry", OrgCategory::Government),
        ("justice", "ministry", OrgCategory::Government),
    ];
    let body_at = |tags: &[Tag], k: usize| {
        BODIES.iter().find_map(|&(a, b, cat)| {
            let len = if b.is_empty() { 1 } else { 2 };
            let fits = tokens.get(k).is_some_and(|t| t.text == a) && (b.is_empty() || tokens.get(k + 1).is_some_and(|t| t.text == b));
            (fits && tags[k..k + len].iter().all(|t| *t == Tag::None)).then_some((len, cat))
        })
    };
    for i in 0..tokens.len().saturating_sub(2) {
        let Tag::Place(p) = tags[i] else { continue };
        let place = &places[p].place;
        if place.kind != PlaceKind::Country || places[p].end != i + 1 || tokens[i + 1].kind != Kind::Possessive {
            continue;
        }
        let Some((len, cat)) = body_at(tags, i + 2) else { continue };
        let name = text_of(tokens, i + 2, i + 2 + len);
        let key = format!("{}-{}", slug(&name), place.country.map_or("xx".into(), |c: Country| c.as_str().to_lowercase()));
        let org = orgs.add(tags, key, name.clone(), Some(cat), place.country, i + 2, i + 2 + len);
        for j in i + 2 + len..tokens.len() {
            if lower(tokens, j.wrapping_sub(1)) == "the" && body_at(tags, j).is_some_and(|(l, _)| text_of(tokens, j, j + l) == name) {
                orgs.mention(tags, org, j, j + len);
            }
        }
    }
}

/// Words before a number that make it a reference, not a name: "Article 159", "Colony 7".
pub(crate) const NUMBERED_THINGS: &[&str] = &[
    "Article", "Articles", "Part", "Parts", "Paragraph", "Chapter", "Section", "Clause", "Point", "No", "Number", "Case", "Cell", "Colony", "Prison",
    "Room", "Block", "Ward", "Unit", "Building", "House", "Apartment", "Flat", "Street", "Page", "Figure", "Table", "Annex", "Appendix", "Protocol",
    "Resolution", "Decree", "Order", "Law", "Code", "Camp", "Zone", "Route", "Flight", "Bus", "Level", "Phase", "Stage", "Step", "Year", "Day", "Week",
    "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December",
];

/// A capitalised word and a number of one to three digits that make a name:
/// "Channel 7 News", "Forum 12", and not "Article 159" or "June 2010".
fn numbered_at(tokens: &[Token<'_>], tags: &[Tag], i: usize) -> bool {
    let (Some(w), Some(n)) = (tokens.get(i), tokens.get(i + 1)) else { return false };
    w.is_capitalised() && !is_acronym(w) && tags[i] == Tag::None && tags[i + 1] == Tag::None && short_number(n) && n.start - w.end == 1 && !NUMBERED_THINGS.contains(&w.text)
}

/// A number of one to three digits, as names hold ("Channel 9").
pub(crate) fn short_number(t: &Token<'_>) -> bool {
    t.kind == Kind::Number && t.text.len() <= 3 && t.text.bytes().all(|b| b.is_ascii_digit())
}

/// Names with a number in them. Followed by capitalised words with an
/// organisation word ("Channel 7 News Agency") the whole is the name; alone,
/// where people tell or report ("told Forum 12", "Forum 12 has learned"), the
/// number-name is an organisation, since no person's name holds a number.
/// Later uses of the number-name are the same organisation.
fn numbered_names(tokens: &[Token<'_>], tags: &mut [Tag], orgs: &mut Orgs) {
    for i in 0..tokens.len() {
        if !numbered_at(tokens, tags, i) || (i > 0 && tokens[i - 1].is_capitalised()) {
            continue;
        }
        let rest = if tokens.get(i + 2).is_some_and(|t| t.is_capitalised() && t.start - tokens[i + 1].end == 1) { cap_run(tokens, tags, i + 2, false) } else { i + 2 };
        let headed = rest > i + 2 && matches!(tokens[rest - 1].text, "Service" | "News" | "Agency" | "Group" | "Radio" | "Television" | "TV" | "Channel" | "Network" | "Centre" | "Center" | "Committee");
        let prev = lower(tokens, i.wrapping_sub(1));
        let next = lower(tokens, i + 2);
        let spoken = matches!(prev.as_str(), "told" | "tells" | "telling") || (prev == "to" && lower(tokens, i.wrapping_sub(2)) == "according")
            || matches!(next.as_str(), "has" | "reported" | "reports" | "said" | "says" | "learned" | "learnt");
        let known = orgs.list.iter().position(|o| o.name.split(' ').take(2).eq(tokens[i..i + 2].iter().map(|t| t.text)));
        let end = if headed { rest } else if spoken || known.is_some() { i + 2 } else { continue };
        let cat = if tokens[i..end].iter().any(|t| matches!(t.text, "News" | "Radio" | "Television" | "TV" | "Channel")) { OrgCategory::Media } else { OrgCategory::Ngo };
        let org = match known {
            Some(o) => {
                orgs.mention(tags, o, i, end);
                o
            }
            None => {
                let name = text_of(tokens, i, end);
                orgs.add(tags, slug(&name), name, Some(cat), None, i, end)
            }
        };
        for j in end..tokens.len().saturating_sub(1) {
            if numbered_at(tokens, tags, j) && tokens[j].text == tokens[i].text && tokens[j + 1].text == tokens[i + 1].text {
                orgs.mention(tags, org, j, j + 2);
            }
        }
    }
}

/// One item of a list at `i`: an organisation (with an acronym in brackets
/// after it) or a run of untagged capitalised words; its end and whether it
/// is an organisation.
fn list_item(tokens: &[Token<'_>], tags: &[Tag], i: usize) -> Option<(usize, bool)> {
    let i = if is_the(tokens, i) { i + 1 } else { i };
    match *tags.get(i)? {
        Tag::Org(o) => {
            let mut end = (i..tokens.len()).find(|&k| tags[k] != Tag::Org(o)).unwrap_or(tokens.len());
            if tokens.get(end).is_some_and(|t| t.text == "(") && tokens.get(end + 2).is_some_and(|t| t.text == ")") {
                end += 3;
            }
            Some((end, true))
        }
        Tag::None if tokens[i].is_capitalised() && !is_acronym(&tokens[i]) => Some((cap_run(tokens, tags, i, false), false)),
        _ => None,
    }
}

/// "Amnesty International, Open Doors, Rights Now and the Helsinki Committee":
/// in a list with at least two organisations, a capitalised name that is no
/// one's is an organisation too.
fn listed_among_organisations(tokens: &[Token<'_>], tags: &mut [Tag], orgs: &mut Orgs, lex: &Lexicon) {
    let mut i = 0;
    while i < tokens.len() {
        let mut items = Vec::new();
        let mut k = i;
        while let Some((end, org)) = list_item(tokens, tags, k) {
            items.push((k, end, org));
            let mut next = end;
            let comma = tokens.get(next).is_some_and(|t| t.text == ",");
            next += usize::from(comma);
            let and = lower(tokens, next) == "and";
            next += usize::from(and);
            if !(comma || and) || items.len() > 20 {
                break;
            }
            k = next;
        }
        let named = items.iter().filter(|it| it.2).count();
        if named >= 2 && items.len() >= 3 {
            for &(s, e, org) in &items {
                let s = if is_the(tokens, s) { s + 1 } else { s };
                if !org && e - s <= 5 && !lex.is_given_name(tokens[s].text) {
                    let name = text_of(tokens, s, e);
                    orgs.add(tags, slug(&name), name, Some(OrgCategory::Ngo), None, s, e);
                }
            }
        }
        i = items.last().map_or(i + 1, |it| it.1.max(i + 1));
    }
}

/// "the Rights Centre “Dawn”": a description of a body followed by its quoted
/// name is one organisation, the one the quoted name is.
fn description_then_quoted_name(tokens: &[Token<'_>], tags: &mut [Tag], orgs: &mut Orgs) {
    for q in 1..tokens.len() {
        let Tag::Org(desc) = tags[q - 1] else { continue };
        let Some((s, e)) = quoted_name(tokens, q) else { continue };
        match tags[s] {
            Tag::Org(named) if named != desc && tags[s..e].iter().all(|t| *t == Tag::Org(named)) => {
                crate::entities::merge_orgs(&mut orgs.list, tags, named, desc);
            }
            Tag::None if tags[s..e].iter().all(|t| *t == Tag::None) => {
                orgs.mention(tags, desc, s, e);
            }
            _ => {}
        }
    }
}
