//! Where an event happened, when its own sentence names no place: the country
//! of the state body that did it ("the Russian court", "Uzbek security
//! services"), a demonym on the custody it speaks of ("in Russian custody"),
//! and, failing both, the country where the report's other events happened;
//! and where a forced return with no destination took its victim: home.

use crate::entities::{Entities, Tag};
use crate::lexicon::{Lexicon, PlaceKind};
use crate::events::RawEvent;
use crate::text::{Kind, Token};
use chronicle_model::{Country, EntityRef, EventType, OrgCategory};

/// Nouns a demonym places an event by: "in Russian custody", "a Kyrgyz prison".
const HELD_IN: &[&str] = &["custody", "detention", "prison", "prisons", "jail", "colony", "court", "courts", "police", "authorities", "officers", "officials", "investigators", "territory"];

pub fn fill_countries(events: &mut [RawEvent], tokens: &[Token<'_>], ents: &Entities, lex: &Lexicon) {
    for e in events.iter_mut() {
        if let Some(c) = by_described_place(e, tokens, ents) {
            e.country = Some(c);
        }
    }
    // Only where the country it left is known: a nationality is then another country.
    let reported = title_country(tokens, ents, lex);
    let respondent = respondent_state(tokens, ents);
    let reported = respondent.or(reported);
    for e in events.iter_mut().filter(|e| e.country.is_none() && e.place.is_none() && e.kind != EventType::Charge && respondent.is_some()) {
        e.country = by_state(e, tokens, ents).or(respondent);
    }
    let charged_by: Vec<Option<Country>> = events.iter().map(|e| charging_state(e, events, tokens, ents)).collect();
    for (e, charged) in events.iter_mut().zip(charged_by).filter(|(e, _)| e.kind.crosses_border() && e.to_country.is_none() && e.country.is_some()) {
        e.to_country = home_of_victim(e, ents).or(charged).or(reported).filter(|c| Some(*c) != e.country);
    }
    after_returns(events);
    for e in events.iter_mut().filter(|e| e.country.is_none()) {
        e.country = by_state(e, tokens, ents).filter(|c| Some(*c) != e.to_country);
    }
    let seeking: Vec<Option<Country>> = events.iter().map(|e| seeking_state(e, events, tokens, ents)).collect();
    for (e, c) in events.iter_mut().zip(seeking) {
        if e.kind == EventType::Charge && e.country.is_none() {
            e.country = c;
        }
    }
    let Some(main) = main_country(events).or(reported) else { return };
    let main = reported.unwrap_or(main);
    for e in events.iter_mut().filter(|e| e.country.is_none() && !e.victims.is_empty()) {
        if Some(main) != e.to_country && e.kind != EventType::Protest {
            e.country = Some(main);
        }
    }
}

/// "an Uzbek migrant … extradited from Russia": a forced return with no
/// destination named takes its victim home, to the country of his nationality.
fn home_of_victim(e: &RawEvent, ents: &Entities) -> Option<Country> {
    e.victims.iter().find_map(|v| match *v {
        EntityRef::Person(p) => ents.persons[p].nationality.first().copied(),
        EntityRef::Org(_) => None,
    })
}

/// "X v. Russia": a case's title names the state that answers for what
/// the case tells; what happened with no place of its own happened there.
fn respondent_state(tokens: &[Token<'_>], ents: &Entities) -> Option<Country> {
    let first = tokens.iter().position(|t| t.is_word())?;
    let line_end = tokens[first..].iter().position(|t| t.kind == Kind::Break).map_or(tokens.len(), |n| first + n);
    let k = (first..line_end).find(|&k| matches!(tokens[k].text, "v" | "vs" | "versus"))?;
    let next = if tokens.get(k + 1).is_some_and(|t| t.text == ".") { k + 2 } else { k + 1 };
    match ents.tags.get(next) {
        Some(&Tag::Place(p)) if ents.places[p].place.kind == PlaceKind::Country && ents.places[p].end == line_end => ents.places[p].place.country,
        _ => None,
    }
}

/// The country whose charges a victim of a forced return faces, when it is
/// not where he was taken from: where he was sent back to face them.
fn charging_state(e: &RawEvent, events: &[RawEvent], tokens: &[Token<'_>], ents: &Entities) -> Option<Country> {
    let charges = events.iter().filter(|o| o.kind == EventType::Charge && o.victims.iter().any(|v| e.victims.contains(v)));
    charges.filter_map(|o| o.country.or_else(|| by_state(o, tokens, ents))).find(|c| Some(*c) != e.country)
}

/// The country a report is about when its first line begins with it:
/// "KAZAKHSTAN: …", "Tajikistan jails …".
fn title_country(tokens: &[Token<'_>], ents: &Entities, lex: &Lexicon) -> Option<Country> {
    let first = tokens.iter().position(|t| t.is_word())?;
    if let Tag::Place(p) = ents.tags[first] {
        let place = &ents.places[p];
        return (place.place.kind == PlaceKind::Country && place.start == first).then_some(place.place.country).flatten();
    }
    // A title in capitals: the country's name as it is written in a sentence.
    let word = tokens[first].text;
    let titled: String = word.chars().take(1).chain(word.chars().skip(1).flat_map(char::to_lowercase)).collect();
    let token = Token { text: &titled, start: 0, end: titled.len(), kind: Kind::Word };
    match lex.places.longest_at(&[token], 0) {
        Some((1, p)) if p.kind == PlaceKind::Country && word.chars().all(|c| !c.is_lowercase()) => p.country,
        _ => None,
    }
}

/// After a forced return, a victim is where it took him: his later events
/// with no place of their own happen in the destination, not in the country
/// he was taken from.
fn after_returns(events: &mut [RawEvent]) {
    for i in 0..events.len() {
        let (kind, to, from) = (events[i].kind, events[i].to_country, events[i].country);
        let Some(to) = to.filter(|_| kind.crosses_border()) else { continue };
        let (sentence, victims, when) = (events[i].sentence, events[i].victims.clone(), events[i].date);
        for e in events.iter_mut() {
            // Told later but dated before the return: it happened before it.
            let dated_before = matches!((e.date, when), (Some(d), Some(r)) if d.first_day_number() < r.first_day_number() && !d.compatible(&r));
            // An abduction is how a forced return begins, wherever it is told.
            let later = e.sentence >= sentence && !dated_before && !e.kind.crosses_border() && !matches!(e.kind, EventType::Release | EventType::Abduction);
            if later && e.victims.iter().any(|v| victims.contains(v)) && e.place.is_none() && (e.country.is_none() || e.country == from) {
                e.country = Some(to);
            }
        }
    }
}

/// "arrested under an extradition request from the Tajik authorities", "a
/// warrant issued by Uzbekistan", "wanted in Kyrgyzstan": the state that seeks
/// a person is the one that charges him. Sought in the sentences of his events.
fn seeking_state(e: &RawEvent, events: &[RawEvent], tokens: &[Token<'_>], ents: &Entities) -> Option<Country> {
    const SOUGHT: &[&str] = &["request", "requests", "requested", "warrant", "warrants", "notice", "wanted"];
    let his = |o: &RawEvent| o.victims.iter().any(|v| e.victims.contains(v));
    let spans = events.iter().filter(|o| his(o)).flat_map(|o| o.sources.iter().copied());
    let state_at = |k: usize| match ents.tags[k] {
        Tag::Demonym(c) => Some(c),
        Tag::Place(p) if ents.places[p].place.kind == PlaceKind::Country => ents.places[p].place.country,
        _ => None,
    };
    let mut found = spans.flat_map(|(lo, hi)| (lo..hi).filter(move |&k| SOUGHT.contains(&tokens[k].lower().as_str())).map(move |k| (k, hi))).filter_map(|(k, hi)| {
        (k + 1..(k + 6).min(hi)).take_while(|&j| !matches!(tokens[j].text, "," | ";" | ".")).find_map(state_at)
    });
    let first = found.next()?;
    found.all(|c| c == first).then_some(first)
}

/// The country of the state that acted, as the event's sentence tells it: a
/// state body among the perpetrators or in the sentence, or a demonym on custody.
fn by_state(e: &RawEvent, tokens: &[Token<'_>], ents: &Entities) -> Option<Country> {
    by_perpetrator(e, ents).or_else(|| by_state_body_in_sentence(e, ents)).or_else(|| by_demonym(e, tokens, ents))
}

/// The country of a state body among the perpetrators.
fn by_perpetrator(e: &RawEvent, ents: &Entities) -> Option<Country> {
    e.perpetrators.iter().find_map(|p| match *p {
        EntityRef::Org(o) => {
            let org = &ents.orgs[o];
            let state = matches!(org.category, Some(OrgCategory::Court | OrgCategory::Prosecutor | OrgCategory::Police | OrgCategory::SecurityService | OrgCategory::Government));
            state.then_some(org.country).flatten()
        }
        EntityRef::Person(_) => None,
    })
}

/// "in the Russian city of Kemerovo", "from the Kazakh town of X": the place
/// is described by its country, whatever else the sentence names.
fn by_described_place(e: &RawEvent, tokens: &[Token<'_>], ents: &Entities) -> Option<Country> {
    const KINDS: &[&str] = &["city", "town", "village", "region", "province", "capital", "republic", "oblast", "district", "port", "settlement"];
    let &(lo, hi) = e.sources.first()?;
    let lower = |k: usize| tokens.get(k).map(|t| t.lower()).unwrap_or_default();
    (lo.max(2)..hi.saturating_sub(2)).find_map(|k| match ents.tags[k] {
        Tag::Demonym(c) if lower(k - 1) == "the" && matches!(lower(k - 2).as_str(), "in" | "from" | "near" | "at") && KINDS.contains(&lower(k + 1).as_str()) && lower(k + 2) == "of" => Some(c),
        _ => None,
    })
}

/// "a court in Tyumen region has ruled … Yusupov was released": the state
/// bodies the event's sentence names, when they are all of one country, say
/// where what they do happened (courts try, prosecutors charge, police arrest).
fn by_state_body_in_sentence(e: &RawEvent, ents: &Entities) -> Option<Country> {
    use EventType::*;
    if !matches!(e.kind, Arrest | Charge | Trial | Sentence | Release | Search | Transfer) {
        return None;
    }
    let &(lo, hi) = e.sources.first()?;
    let mut countries = (lo..hi).filter_map(|k| match ents.tags[k] {
        Tag::Org(o) if matches!(ents.orgs[o].category, Some(OrgCategory::Court | OrgCategory::Prosecutor | OrgCategory::Police | OrgCategory::SecurityService)) => ents.orgs[o].country,
        _ => None,
    });
    let first = countries.next()?;
    countries.all(|c| c == first).then_some(first)
}

/// A demonym right before a noun of custody or of the state in the event's sentence.
fn by_demonym(e: &RawEvent, tokens: &[Token<'_>], ents: &Entities) -> Option<Country> {
    let &(lo, hi) = e.sources.first()?;
    (lo..hi.saturating_sub(1)).find_map(|k| match ents.tags[k] {
        Tag::Demonym(c) if HELD_IN.contains(&tokens[k + 1].lower().as_str()) => Some(c),
        _ => None,
    })
}

/// The country most of the report's events happened in, where one does.
fn main_country(events: &[RawEvent]) -> Option<Country> {
    let mut counts: Vec<(Country, usize)> = Vec::new();
    for c in events.iter().filter_map(|e| e.country) {
        match counts.iter_mut().find(|(k, _)| *k == c) {
            Some((_, n)) => *n += 1,
            None => counts.push((c, 1)),
        }
    }
    let total: usize = counts.iter().map(|(_, n)| n).sum();
    let &(c, n) = counts.iter().max_by_key(|(_, n)| *n)?;
    (2 * n > total).then_some(c)
}
