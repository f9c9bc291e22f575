//! Events from trigger lemmas, with victims and perpetrators found by case and voice.
//!
//! A trigger is a word whose lemma is in `data/ru/triggers.tsv` (with the
//! further lemmas some need: возбудить + дело). What did not happen (a
//! negation, a threat, a request: `data/ru/irrealis.txt` just before the
//! trigger) is no event. The victims are the persons of the sentence in the
//! case the trigger's voice gives them: the nominative subject of a passive
//! form (был задержан Хамроев), the accusative object of an active verb
//! (задержали Хамроева), the genitive after a noun (задержание Хамроева);
//! failing that, every person of the sentence who is not an official or a
//! speaker; failing that, the persons a pronoun refers back to. The agents are
//! the state bodies of the sentence. Events of one type told twice of the
//! same victims are one event with two sources.

use super::dates::DateMention;
use super::decline::Case;
use super::morph::Gram;
use super::names::FoundPerson;
use super::terms;
use super::{Doc, FoundOrg, FoundPlace};
use crate::text::Kind;
use chronicle_model::{Country, EntityRef, EventType, ExtractedEvent, OrgCategory, PartialDate, Source};
// The word tables are looked up for every token: a fast hash (the Rust compiler's).
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::sync::OnceLock;

struct Lexicon {
    /// First lemma → (type, further lemmas).
    /// First lemma → (type, further lemmas, whether only a destination abroad makes it one).
    triggers: HashMap<String, Vec<(EventType, Vec<String>, bool)>>,
    irrealis: HashSet<String>,
    roles: HashSet<String>,
    speech: HashSet<String>,
    groups: HashSet<String>,
    kinship: HashSet<String>,
}

fn lines(src: &'static str) -> impl Iterator<Item = &'static str> {
    src.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#'))
}

fn lexicon() -> &'static Lexicon {
    static LEX: OnceLock<Lexicon> = OnceLock::new();
    LEX.get_or_init(|| {
        let mut triggers: HashMap<String, Vec<(EventType, Vec<String>, bool)>> = HashMap::default();
        for l in lines(include_str!("../../data/ru/triggers.tsv")) {
            let (kind, lemmas) = l.split_once('\t').expect("triggers.tsv: type<TAB>lemmas");
            let kind: EventType = kind.parse().expect("triggers.tsv: an event type");
            let mut words = lemmas.split('+').map(|w| norm(w.trim()));
            let first = words.next().expect("a lemma");
            triggers.entry(first).or_default().push((kind, words.collect(), false));
        }
        // Verbs of sending come after the listed triggers, so that "тайно вывезен" stays one whatever its destination.
        for l in lines(include_str!("../../data/ru/sent_verbs.txt")) {
            triggers.entry(norm(l)).or_default().push((EventType::Rendition, Vec::new(), true));
        }
        let set = |src: &'static str| lines(src).map(norm).collect();
        Lexicon {
            triggers,
            irrealis: set(include_str!("../../data/ru/irrealis.txt")),
            roles: set(include_str!("../../data/ru/roles.txt")),
            speech: set(include_str!("../../data/ru/speech_verbs.txt")),
            groups: set(include_str!("../../data/ru/group_nouns.txt")),
            kinship: set(include_str!("../../data/ru/kinship.txt")),
        }
    })
}

/// Lemmas compared without the distinction of ё and е.
fn norm(s: &str) -> String {
    s.to_lowercase().replace('ё', "е")
}

/// How the trigger relates to its victim.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Voice {
    Active,
    Passive,
    Noun,
    /// A full participle qualifying a noun ("пропавших без вести мигрантов",
    /// "Хамроев, задержанный в мае"): its victims are the words it qualifies.
    Attribute,
}

#[derive(Debug, Clone)]
struct Trigger {
    kind: EventType,
    at: usize,
    voice: Voice,
    /// A verb of sending: an event only when the destination is abroad.
    abroad_only: bool,
}

/// The lemmas of token `i` (ё written е); a word without readings, as written.
fn lemmas<'d>(doc: &'d Doc<'_>, i: usize) -> impl Iterator<Item = &'d str> + 'd {
    let readings = &doc.readings[i];
    let bare = (readings.is_empty() && doc.tokens[i].is_word()).then(|| doc.lower(i));
    readings.iter().map(|r| r.plain.as_str()).chain(bare)
}

fn triggers(doc: &Doc<'_>) -> Vec<Trigger> {
    let lex = lexicon();
    let mut out = Vec::new();
    for i in 0..doc.tokens.len() {
        for lemma in lemmas(doc, i) {
            for (kind, more, abroad_only) in lex.triggers.get(lemma).into_iter().flatten() {
                if more.iter().all(|m| near_lemma(doc, i, m)) {
                    out.push(Trigger { kind: *kind, at: i, voice: voice(doc, i), abroad_only: *abroad_only });
                }
            }
        }
    }
    out.dedup_by(|a, b| a.at == b.at && a.kind == b.kind);
    out
}

/// Whether a word of lemma `m` stands within four words of token `i`, in its sentence.
fn near_lemma(doc: &Doc<'_>, i: usize, m: &str) -> bool {
    let s = doc.sentence_of(i);
    let (a, b) = (i.saturating_sub(4).max(s.start), (i + 5).min(s.end));
    (a..b).filter(|&k| k != i).any(|k| lemmas(doc, k).any(|l| l == m || l.starts_with(m) && m.len() >= 10))
}

/// A verb in the first or second person, the future or the imperative tells
/// of no event ("я лучше умру", "его выдадут").
fn not_told_as_done(doc: &Doc<'_>, i: usize) -> bool {
    let best = doc.readings[i].first().map(|r| r.gram).unwrap_or_default();
    best.has(Gram::VERB) && (best.any(Gram::PER1 | Gram::PER2 | Gram::FUTR | Gram::IMPR))
}

fn voice(doc: &Doc<'_>, i: usize) -> Voice {
    let r = &doc.readings[i];
    let best = r.first().map(|r| r.gram).unwrap_or_default();
    if best.has(Gram::PRTF) && !doc.tokens[i].is_capitalised() {
        Voice::Attribute
    } else if r.iter().any(|r| r.gram.any(Gram::PRTS) || (r.gram.has(Gram::PRTF) && r.gram.has(Gram::PSSV))) && !best.has(Gram::NOUN) {
        Voice::Passive
    } else if best.any(Gram::VERB | Gram::INFN | Gram::GRND) || (best.has(Gram::PRTF) && best.has(Gram::ACTV)) {
        Voice::Active
    } else {
        Voice::Noun
    }
}

/// A decision about a removal is not the removal: "решение о выдворении".
fn decided_only(doc: &Doc<'_>, t: &Trigger) -> bool {
    t.voice == Voice::Noun
        && t.kind.crosses_border()
        && (t.at.saturating_sub(3)..t.at).any(|k| lemmas(doc, k).any(|l| matches!(l, "решение" | "постановление" | "ходатайство" | "требование")))
}

/// A negation, threat, request or possibility just before the trigger.
fn irrealis(doc: &Doc<'_>, t: &Trigger) -> bool {
    if decided_only(doc, t) {
        return true;
    }
    let lex = lexicon();
    let s = doc.sentence_of(t.at);
    let mut seen = 0;
    for k in (s.start..t.at).rev() {
        let tok = &doc.tokens[k];
        if tok.kind == Kind::Punct && matches!(tok.text, "," | ";" | ":" | "—" | "(") {
            break;
        }
        if !tok.is_word() {
            continue;
        }
        if lex.irrealis.contains(doc.folded(k)) || lemmas(doc, k).any(|l| lex.irrealis.contains(l)) {
            return true;
        }
        seen += 1;
        if seen == 3 {
            break;
        }
    }
    false
}

pub(crate) fn find_events(doc: &Doc<'_>, persons: &[FoundPerson], orgs: &[FoundOrg], places: &[FoundPlace], dates: &[DateMention]) -> Vec<ExtractedEvent> {
    let mentions = mention_index(doc, persons);
    let home = home_country(doc, places);
    let mut events: Vec<ExtractedEvent> = Vec::new();
    let mut last_victims: Vec<EntityRef> = Vec::new();
    for t in triggers(doc) {
        if irrealis(doc, &t) || not_told_as_done(doc, t.at) {
            continue;
        }
        let s = doc.sentence_of(t.at);
        let (ca, cb) = clause(doc, t.at);
        let victims = victims_of(doc, &mentions, orgs, &t, &last_victims);
        // An unnamed group, or an unnamed relative of someone named ("брата активиста X").
        let unnamed = || counted_group(doc, s.start, s.end) || mentions.iter().any(|m| m.start >= ca && m.end <= cb && kin_of(doc, m.start));
        if victims.is_empty() && !(matches!(t.voice, Voice::Active | Voice::Passive) && t.kind != EventType::Ban && unnamed()) {
            continue;
        }
        if !victims.is_empty() {
            last_victims = victims.clone();
        }
        let Some(Where { place, country, to_country }) = whereabouts(doc, places, home, &t) else { continue };
        let sentence = t.kind == EventType::Sentence;
        let ev = ExtractedEvent {
            kind: t.kind,
            date: date_for(doc, dates, t.at, s.start, s.end),
            place,
            country,
            to_country,
            victims,
            perpetrators: perpetrators(orgs, s.start, s.end, t.kind),
            term_years: sentence.then(|| terms::term_years(doc, ca, cb)).flatten(),
            regime: sentence.then(|| terms::regime(doc, ca, cb)).flatten(),
            charges: if matches!(t.kind, EventType::Charge | EventType::Sentence) { terms::charges(doc, s.start, s.end) } else { Vec::new() },
            confidence: 0.7,
            sources: vec![source(doc, s.start, s.end)],
        };
        merge_into(&mut events, ev);
    }
    events
}

/// The victims of a trigger: a banned body; the persons of its clause, then
/// of its sentence, in the case its voice gives them; the persons a pronoun
/// stands for.
fn victims_of(doc: &Doc<'_>, mentions: &[Mentioned], orgs: &[FoundOrg], t: &Trigger, last: &[EntityRef]) -> Vec<EntityRef> {
    let s = doc.sentence_of(t.at);
    let (ca, cb) = clause(doc, t.at);
    let mut found = if t.kind == EventType::Ban { banned(doc, orgs, s.start, s.end) } else { Vec::new() };
    if found.is_empty() {
        found = victims(doc, mentions, t, ca, cb);
    }
    if found.is_empty() && (ca, cb) != (s.start, s.end) {
        found = victims(doc, mentions, t, s.start, s.end);
    }
    if found.is_empty() {
        found = referred(doc, mentions, last, s.start, s.end);
    }
    found
}

/// Where an event happened and, for a removal, where to.
struct Where {
    place: Option<String>,
    country: Option<Country>,
    to_country: Option<Country>,
}

/// The sentence's places, read for the event at `t`; `None` when a verb of
/// sending sends no one abroad (no event).
fn whereabouts(doc: &Doc<'_>, places: &[FoundPlace], home: Option<Country>, t: &Trigger) -> Option<Where> {
    let s = doc.sentence_of(t.at);
    // Not where it happened: a place in a purpose after the trigger ("для его высылки в Таджикистан").
    let purpose = (t.at..s.end).find(|&k| matches!(doc.lower(k), "для" | "ради" | "чтобы")).unwrap_or(s.end);
    let in_sentence: Vec<&FoundPlace> = places.iter().filter(|p| p.start >= s.start && p.end <= purpose).collect();
    let to_country = t.kind.crosses_border().then(|| destination(doc, &in_sentence, t.at)).flatten();
    let from = origin(doc, &in_sentence, t.at, to_country);
    // Sent to where it happened is no destination; a destination is not where it happened.
    let to_country = to_country.filter(|c| Some(*c) != from);
    if t.abroad_only && (to_country.is_none() || to_country == from.or(home)) {
        return None;
    }
    let country = from.or(home.filter(|h| Some(*h) != to_country));
    // The place: the sentence's first in the country it happened, a town before its region.
    let place = in_sentence.iter().find(|p| p.country.is_some() && p.country == from && !is_country_name(p)).map(|p| p.name.clone());
    Some(Where { place, country, to_country })
}

/// A place that is a whole country ("Россия"): the country says it already.
fn is_country_name(p: &FoundPlace) -> bool {
    p.country.is_some_and(|c| super::places::is_country(&p.name, c))
}

/// "задержанных", "арестованные": a participle standing for the persons just named.
fn stands_for_victims(w: &str) -> bool {
    ["задержанн", "арестованн", "похищенн", "осужденн", "осуждённ", "пропавш"].iter().any(|p| w.starts_with(p)) && (w.ends_with("ые") || w.ends_with("ых") || w.ends_with("ым"))
}

/// The persons a pronoun of the sentence stands for: one named just before
/// for "он", "его", "ему"; the last event's victims for "они", "их".
fn referred(doc: &Doc<'_>, mentions: &[Mentioned], last: &[EntityRef], a: usize, b: usize) -> Vec<EntityRef> {
    let words: Vec<&str> = (a..b).map(|k| doc.lower(k)).collect();
    let singular = words.iter().any(|w| matches!(*w, "он" | "она" | "его" | "её" | "ее" | "ему" | "ей" | "него" | "неё" | "нее" | "нему" | "ней"));
    let plural = words.iter().any(|w| matches!(*w, "они" | "их" | "им" | "них" | "ним" | "оба" | "обоих" | "обоим") || stands_for_victims(w));
    if plural {
        // The persons of the sentence before, when it names several; else the last event's.
        let before = a.checked_sub(1).map(|k| doc.sentence_of(k));
        let mut named: Vec<EntityRef> = Vec::new();
        for m in mentions.iter().filter(|m| !m.official && before.is_some_and(|s| m.start >= s.start && m.end <= s.end)) {
            if !named.contains(&EntityRef::Person(m.person)) {
                named.push(EntityRef::Person(m.person));
            }
        }
        if named.len() >= 2 || (last.is_empty() && !named.is_empty()) {
            return named;
        }
        if !last.is_empty() {
            return last.to_vec();
        }
    }
    if singular {
        let before = mentions.iter().rev().find(|m| m.end <= a && !m.official);
        return before.map(|m| vec![EntityRef::Person(m.person)]).unwrap_or_default();
    }
    Vec::new()
}

/// "задержали семерых иностранцев", "более 20 уроженцев Таджикистана": a counted group of people.
fn counted_group(doc: &Doc<'_>, a: usize, b: usize) -> bool {
    let lex = lexicon();
    (a..b).any(|k| {
        let counted = doc.tokens[k].kind == Kind::Number || doc.readings[k].iter().any(|r| r.gram.has(Gram::NUMR));
        counted && (k + 1..(k + 4).min(b)).any(|j| doc.readings[j].iter().any(|r| r.gram.has(Gram::NOUN) && lex.groups.contains(r.plain.as_str())))
    })
}

/// The clause of the sentence around token `at`: clauses end at a semicolon
/// and at a comma before "но", "а", "однако", "хотя".
fn clause(doc: &Doc<'_>, at: usize) -> (usize, usize) {
    let s = doc.sentence_of(at);
    // "Алиеву — семь лет, Назарову — пять": a comma before a name and a dash parts two clauses.
    let named_dash = |k: usize| (k + 2..(k + 5).min(s.end)).find(|&d| doc.tokens[d].text == "—").is_some_and(|d| (k + 1..d).all(|j| doc.tokens[j].is_capitalised()));
    let boundary = |k: usize| {
        doc.tokens[k].text == ";"
            || (doc.tokens[k].text == "," && (matches!(doc.lower(k + 1), "но" | "а" | "однако" | "хотя") || named_dash(k)))
    };
    let start = (s.start..at).rev().find(|&k| boundary(k)).map_or(s.start, |k| k + 1);
    let end = (at..s.end).find(|&k| boundary(k)).unwrap_or(s.end);
    (start, end)
}

/// Every mention: its tokens, its person, the cases it can be in, and
/// whether it names an official or a speaker (worked out once, not per trigger).
struct Mentioned {
    start: usize,
    end: usize,
    person: usize,
    cases: Vec<Case>,
    official: bool,
}

fn mention_index(doc: &Doc<'_>, persons: &[FoundPerson]) -> Vec<Mentioned> {
    let mut out: Vec<Mentioned> = persons
        .iter()
        .enumerate()
        .flat_map(|(person, p)| p.mentions.iter().map(move |&(start, end)| (start, end, person)))
        .map(|(start, end, person)| Mentioned { start, end, person, cases: super::names::mention_cases(doc, start, end), official: official(doc, start, end) })
        .collect();
    out.sort_by_key(|m| (m.start, m.end));
    out
}

fn victims(doc: &Doc<'_>, mentions: &[Mentioned], t: &Trigger, a: usize, b: usize) -> Vec<EntityRef> {
    let candidates: Vec<&Mentioned> = mentions.iter().filter(|m| m.start >= a && m.end <= b && !m.official && !kin_of(doc, m.start)).collect();
    let wanted: &[Case] = match t.voice {
        Voice::Passive => &[Case::Nom],
        Voice::Active => &[Case::Acc],
        Voice::Noun => &[Case::Gen],
        Voice::Attribute => return qualified(doc, &candidates, t.at),
    };
    let by_case: Vec<usize> = candidates.iter().filter(|m| m.cases.iter().any(|c| wanted.contains(c))).map(|m| m.person).collect();
    let chosen: Vec<usize> = if by_case.is_empty() { candidates.iter().map(|m| m.person).collect() } else { by_case };
    let mut out: Vec<EntityRef> = Vec::new();
    for p in chosen {
        if !out.contains(&EntityRef::Person(p)) {
            out.push(EntityRef::Person(p));
        }
    }
    out
}

/// The person a participle qualifies: named just before it, after a comma
/// ("Хамроев, задержанный …"), or just after it ("задержанного Хамроева").
fn qualified(doc: &Doc<'_>, candidates: &[&Mentioned], at: usize) -> Vec<EntityRef> {
    let before = candidates.iter().find(|m| m.end < at && at - m.end <= 2 && (m.end..at).all(|k| matches!(doc.tokens[k].text, "," | "—")));
    let after = candidates.iter().find(|m| m.start > at && m.start - at <= 3 && (at + 1..m.start).all(|k| doc.tokens[k].is_word() && !doc.tokens[k].is_capitalised() && !doc.can_be(k, Gram::NOUN)));
    before.or(after).map(|m| vec![EntityRef::Person(m.person)]).unwrap_or_default()
}

/// "брата активиста Шамсиддина Кодирова": the named man only tells whose
/// relative the victim is (a kinship noun, perhaps a role, then the name).
/// With a possessive before the kinship noun ("его брата Сухроба Ашурова") the name is the relative's own.
fn kin_of(doc: &Doc<'_>, s: usize) -> bool {
    let lex = lexicon();
    let possessive = |k: usize| k > 0 && matches!(doc.lower(k - 1), "его" | "её" | "ее" | "их" | "свой" | "своего" | "своей" | "своих" | "свою" | "своя" | "своему" | "своим");
    (s.saturating_sub(2)..s).rev().take_while(|&k| doc.tokens[k].is_word()).any(|k| lemmas(doc, k).any(|l| lex.kinship.contains(l)) && !possessive(k))
}

/// A judge, lawyer or official named with their role, or the subject of a verb of saying.
fn official(doc: &Doc<'_>, s: usize, e: usize) -> bool {
    let lex = lexicon();
    // The role may stand before the body it serves ("судья Ленинского суда Олег Пахомов"), not before a verb.
    let is_verb = |k: usize| doc.readings[k].first().is_some_and(|r| r.gram.any(Gram::VERB | Gram::PRTS | Gram::INFN | Gram::GRND));
    let role_before = (s.saturating_sub(4)..s).rev().take_while(|&k| doc.tokens[k].is_word() && !is_verb(k)).any(|k| lemmas(doc, k).any(|l| lex.roles.contains(l)));
    let sentence = doc.sentence_of(s);
    // The subject of a verb of saying, not whom it speaks of: "X сообщил", "сообщила адвокат X",
    // but not "сообщил, что X задержан".
    let saying = |k: usize| lemmas(doc, k).any(|l| lex.speech.contains(l)) && doc.readings[k].iter().any(|r| r.gram.any(Gram::VERB | Gram::GRND));
    let that_between = |a: usize, b: usize| (a..b).any(|k| matches!(doc.lower(k), "что" | "," | "о" | "об"));
    let speaks = (e..(e + 3).min(sentence.end)).any(|k| saying(k) && !that_between(e, k))
        || (s.saturating_sub(3).max(sentence.start)..s).any(|k| saying(k) && !that_between(k + 1, s));
    // "Анвар Тошев, защитник прав мигрантов": the role in apposition after the name.
    let role_after = doc.tokens.get(e).is_some_and(|t| t.text == ",") && e + 1 < doc.tokens.len() && lemmas(doc, e + 1).any(|l| lex.roles.contains(l));
    // A photo credit: "© Агентство / Имя Фамилия".
    let credit = (sentence.start..s).rev().take_while(|&k| doc.tokens[k].kind != crate::text::Kind::Break).any(|k| doc.tokens[k].text == "©" || doc.lower(k) == "фото");
    role_before || role_after || speaks || credit
}

/// Organisations the sentence says were banned.
fn banned(_doc: &Doc<'_>, orgs: &[FoundOrg], a: usize, b: usize) -> Vec<EntityRef> {
    orgs.iter()
        .enumerate()
        .filter(|(_, o)| o.category == Some(OrgCategory::BannedOrganization) && o.mentions.iter().any(|&(s, e)| s >= a && e <= b))
        .map(|(i, _)| EntityRef::Org(i))
        .collect()
}

/// State bodies named in the sentence.
fn perpetrators(orgs: &[FoundOrg], a: usize, b: usize, kind: EventType) -> Vec<EntityRef> {
    use OrgCategory::*;
    if matches!(kind, EventType::Ban | EventType::Protest | EventType::Release | EventType::Disappearance | EventType::Death) {
        return Vec::new();
    }
    orgs.iter()
        .enumerate()
        .filter(|(_, o)| matches!(o.category, Some(SecurityService | Police | Court | Prosecutor)) && o.mentions.iter().any(|&(s, e)| s >= a && e <= b))
        .map(|(i, _)| EntityRef::Org(i))
        .collect()
}

/// The date nearest the trigger in its sentence; else the publication date, to its month.
fn date_for(doc: &Doc<'_>, dates: &[DateMention], at: usize, a: usize, b: usize) -> Option<PartialDate> {
    let near = dates.iter().filter(|d| d.start >= a && d.end <= b).min_by_key(|d| if d.start > at { d.start - at } else { at - d.end + 1 });
    near.map(|d| d.date).or_else(|| doc.published.map(PartialDate::to_month))
}

/// The country the document is mostly about: its most named one.
fn home_country(doc: &Doc<'_>, places: &[FoundPlace]) -> Option<Country> {
    let mut counts: Vec<(Country, usize)> = Vec::new();
    // A place in a purpose ("для его высылки в Таджикистан") is not where things happen.
    let in_purpose = |p: &FoundPlace| (p.start.saturating_sub(5).max(doc.sentence_of(p.start).start)..p.start).any(|k| matches!(doc.lower(k), "для" | "ради" | "чтобы"));
    for c in places.iter().filter(|p| !in_purpose(p)).filter_map(|p| p.country) {
        match counts.iter_mut().find(|(x, _)| *x == c) {
            Some((_, n)) => *n += 1,
            None => counts.push((c, 1)),
        }
    }
    counts.into_iter().max_by_key(|&(_, n)| n).map(|(c, _)| c)
}

/// Prepositions: a country after one of them is not in the bare dative of a destination.
const PREPOSITIONS: &[&str] = &["из", "от", "с", "со", "в", "во", "на", "у", "до", "по", "к", "ко", "о", "об", "при", "из-за", "без", "для", "через"];

/// Where someone was sent: a place after "в" or a country in the dative (выдан Узбекистану), after the trigger.
fn destination(doc: &Doc<'_>, places: &[&FoundPlace], at: usize) -> Option<Country> {
    let ordered = places.iter().filter(|p| p.start > at).chain(places.iter().filter(|p| p.start < at));
    let to = ordered.clone().find(|p| {
        let prev = p.start.checked_sub(1).map_or("", |k| doc.lower(k));
        let power = p.start.checked_sub(1).is_some_and(|k| lemmas(doc, k).any(|l| l == "власть" || l == "спецслужба"));
        let preposition = p.start > 0 && PREPOSITIONS.contains(&doc.lower(p.start - 1));
        matches!(prev, "в" | "во" | "на") && doc.can_be(p.start, Gram::ACCS | Gram::SING) || doc.can_be(p.start, Gram::DATV | Gram::SING) && !preposition || power
    });
    to.and_then(|p| p.country)
}

/// Where it happened: the sentence's place that is not the destination.
fn origin(doc: &Doc<'_>, places: &[&FoundPlace], _at: usize, to: Option<Country>) -> Option<Country> {
    let _ = doc;
    places.iter().filter_map(|p| p.country).find(|c| Some(*c) != to).or_else(|| places.iter().find_map(|p| p.country).filter(|_| to.is_none()))
}

fn source(doc: &Doc<'_>, a: usize, b: usize) -> Source {
    Source { span: super::span_of(doc, doc.chars(), a, b), quote: doc.slice(a, b).to_string() }
}

/// Adds `ev`, or folds it into an event of the same type, victims and a compatible date.
fn merge_into(events: &mut Vec<ExtractedEvent>, ev: ExtractedEvent) {
    let same = events.iter_mut().find(|e| {
        // An unnamed group's event folds into one of the same type and date told with names.
        let victims = e.victims.iter().any(|v| ev.victims.contains(v)) || e.victims.is_empty() || ev.victims.is_empty();
        e.kind == ev.kind && victims && match (e.date, ev.date) {
            (Some(a), Some(b)) => a.compatible(&b),
            _ => true,
        }
    });
    let Some(e) = same else {
        events.push(ev);
        return;
    };
    for v in ev.victims {
        if !e.victims.contains(&v) {
            e.victims.push(v);
        }
    }
    for p in ev.perpetrators {
        if !e.perpetrators.contains(&p) {
            e.perpetrators.push(p);
        }
    }
    if e.date.is_none_or(|d| ev.date.is_some_and(|n| n.day.is_some() && d.day.is_none())) {
        e.date = ev.date.or(e.date);
    }
    e.to_country = e.to_country.or(ev.to_country);
    e.term_years = e.term_years.or(ev.term_years);
    e.regime = e.regime.take().or(ev.regime);
    for c in ev.charges {
        if !e.charges.contains(&c) {
            e.charges.push(c);
        }
    }
    if !e.sources.iter().any(|s| ev.sources.iter().any(|n| n.span == s.span)) {
        e.sources.extend(ev.sources);
    }
}
