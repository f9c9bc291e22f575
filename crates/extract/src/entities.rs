//! Named entities: places, organisations and persons, with in-document
//! coreference (surname, given name and damaged spellings tied to the full name).

use crate::lexicon::{slug, KnownPlace, Lexicon, PlaceKind};
use crate::text::{Kind, Sentence, Token};
use chronicle_link::names;
use chronicle_model::{Country, OrgCategory};
use std::collections::HashMap;

/// What a token belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tag {
    None,
    Person(usize),
    Org(usize),
    Place(usize),
    Demonym(Country),
}

#[derive(Debug, Clone)]
pub struct PersonCluster {
    /// Token ranges of the mentions, in document order.
    pub mentions: Vec<(usize, usize)>,
    pub name: String,
    pub age: Option<u32>,
    pub nationality: Vec<Country>,
    pub occupation: Vec<String>,
    /// Org cluster indices.
    pub affiliations: Vec<usize>,
    pub credit_only: bool,
    /// Kinship words said of the person ("brother", "wife").
    pub relations: Vec<String>,
}

impl PersonCluster {
    /// A role word said of the person: a kinship word ("brother") is a relation, anything else an occupation.
    fn add_role(&mut self, role: &str, lex: &Lexicon) {
        let last = role.rsplit(' ').next().unwrap_or(role);
        let (list, value) = if lex.kinship.contains(last) { (&mut self.relations, last) } else { (&mut self.occupation, role) };
        if !is_occupation(value) {
            return;
        }
        if !list.iter().any(|v| v == value) {
            list.push(value.to_string());
        }
    }
}

#[derive(Debug, Clone)]
pub struct OrgCluster {
    pub key: String,
    pub name: String,
    pub mentions: Vec<(usize, usize)>,
    pub category: Option<OrgCategory>,
    pub country: Option<Country>,
}

#[derive(Debug, Clone)]
pub struct PlaceMention {
    pub start: usize,
    pub end: usize,
    pub place: KnownPlace,
}

pub struct Entities {
    pub tags: Vec<Tag>,
    pub persons: Vec<PersonCluster>,
    pub orgs: Vec<OrgCluster>,
    pub places: Vec<PlaceMention>,
}

/// A sentence written in title case (a headline): only strong evidence names persons there.
pub fn is_headline(tokens: &[Token<'_>], s: &Sentence) -> bool {
    // A line that stops on "in", "of", "the" is a sentence cut short, not a title.
    const CUT: &[&str] = &["in", "of", "the", "a", "an", "and", "to", "at", "on", "for", "by", "with", "from", "or"];
    let words: Vec<&Token<'_>> = tokens[s.start..s.end].iter().filter(|t| t.is_word() && t.text.len() > 3).collect();
    words.len() >= 3
        && words.iter().filter(|t| t.is_capitalised()).count() * 10 >= words.len() * 7
        && tokens[s.end - 1].text != "."
        && !CUT.contains(&tokens[s.end - 1].text)
}

/// Role words that say where someone is from or lives, or who they are to
/// someone, not what they do: never an occupation.
const NOT_OCCUPATIONS: &[&str] = &["native", "natives", "national", "nationals", "citizen", "citizens", "resident", "residents", "colleague", "colleagues", "friend", "friends", "neighbour", "neighbor"];

fn is_occupation(occ: &str) -> bool {
    !NOT_OCCUPATIONS.contains(&occ.rsplit(' ').next().unwrap_or(occ))
}

/// Words after a place name that make it a place: "the Fergana region", "Sughd province".
const PLACE_HEADS: &[&str] = &["region", "regions", "valley", "oblast", "province", "district", "city", "town", "village", "republic"];

/// Words that may stand between a nationality and a name: "Uzbekistani film producer X".
const MODIFIERS: &[&str] = &[
    "film", "labour", "labor", "rights", "human", "opposition", "young", "former", "prominent", "independent",
    "well-known", "veteran", "religious", "political", "civil", "migrant", "migrants", "investigative", "construction",
    "exiled", "jailed", "detained", "imprisoned", "muslim", "islamic", "citizen", "national", "refugee", "asylum",
    "seeker", "asylum-seeker", "human-rights", "rights-activist", "anti-corruption", "independent", "local",
];

const CONNECTORS: &[&str] = &["of", "for", "the", "and", "on", "against", "in", "to"];
const SECURITY_NOUNS: &[&str] = &["service", "services", "agents", "agent", "forces", "officers", "officials", "agency", "operatives"];

/// A town or region of the Russian gazetteer in any romanisation ("Tiumen",
/// "Tyumen"), where the text says it is a place: after "in", "from", "to",
/// "near" or "at", or before "region", "oblast"….
fn romanised_place(tokens: &[Token<'_>], i: usize, lex: &Lexicon) -> Option<KnownPlace> {
    let t = &tokens[i];
    let after_preposition = i > 0 && matches!(tokens[i - 1].lower().as_str(), "in" | "from" | "to" | "near" | "at" | "central" | "northern" | "southern" | "eastern" | "western");
    let before_head = tokens.get(i + 1).is_some_and(|n| PLACE_HEADS.contains(&n.lower().as_str()));
    let next_capitalised = tokens.get(i + 1).is_some_and(|n| n.is_capitalised() && !before_head);
    if !t.is_capitalised() || t.text.len() < 4 || next_capitalised || !(after_preposition || before_head) {
        return None;
    }
    let &(country, kind) = lex.romanised_places.get(&names::canon(&chronicle_link::script::fold(t.text)))?;
    Some(KnownPlace { name: t.text.to_string(), country: Some(country), kind })
}

pub fn recognise(tokens: &[Token<'_>], sentences: &[Sentence], lex: &Lexicon) -> Entities {
    let mut tags = vec![Tag::None; tokens.len()];
    let mut orgs = Orgs::default();
    let mut places: Vec<PlaceMention> = Vec::new();
    let mut headline = vec![false; tokens.len()];
    for s in sentences {
        if is_headline(tokens, s) {
            headline[s.start..s.end].iter_mut().for_each(|h| *h = true);
        }
    }


    // 1. Known organisations and places: the longest match wins.
    let mut i = 0;
    while i < tokens.len() {
        let org = lex.orgs.longest_at(tokens, i);
        let place = lex.places.longest_at(tokens, i);
        // A name both an organisation's and a place's is the place before "region", "valley"…: "the Fergana region".
        let place_head = |n: usize| tokens.get(i + n).is_some_and(|t| PLACE_HEADS.contains(&t.lower().as_str()));
        match (org, place) {
            (Some((n, _)), _) if n == 1 && inside_a_name(tokens, &tags, i) => i += 1,
            (Some((n, o)), p) if p.is_none_or(|(pn, _)| n > pn || (n == pn && !place_head(pn))) => {
                // "Turkmenistan's Prosecutor General's Office": the possessive country is its country.
                let owner = i.checked_sub(2).and_then(|q| match (tags[q], tokens[q + 1].kind) {
                    (Tag::Place(pl), Kind::Possessive) if places[pl].place.kind == PlaceKind::Country => places[pl].place.country,
                    _ => None,
                });
                orgs.add(&mut tags, o.key.clone(), o.name.clone(), Some(o.category), owner.or(o.country), i, i + n);
                i += n;
            }
            (_, Some((n, p))) => {
                let idx = places.len();
                places.push(PlaceMention { start: i, end: i + n, place: p.clone() });
                for t in &mut tags[i..i + n] {
                    *t = Tag::Place(idx);
                }
                i += n;
            }
            _ => {
                if let Some(c) = lex.demonyms.get(tokens[i].text) {
                    tags[i] = Tag::Demonym(*c);
                } else if let Some(p) = romanised_place(tokens, i, lex) {
                    tags[i] = Tag::Place(places.len());
                    places.push(PlaceMention { start: i, end: i + 1, place: p });
                }
                i += 1;
            }
        }
    }

    // "the Investigative Committee of the Russian Federation": a known state body
    // and the country it is of are one mention.
    for o in 0..orgs.list.len() {
        let state = matches!(orgs.list[o].category, Some(OrgCategory::Court | OrgCategory::Prosecutor | OrgCategory::Government | OrgCategory::Police | OrgCategory::SecurityService));
        for m in 0..orgs.list[o].mentions.len() {
            let (start, end) = orgs.list[o].mentions[m];
            if let Some((e, c)) = named_with_place(tokens, &tags, &places, end, state) {
                orgs.list[o].mentions[m] = (start, e);
                tags[start..e].iter_mut().for_each(|t| *t = Tag::Org(o));
                orgs.list[o].country = orgs.list[o].country.or(c);
            }
        }
    }

    // 2. Security services described rather than named: "Tajik security service
    //    officers", "Uzbekistani security forces", "Russia's special services".
    for i in 0..tokens.len() {
        let country = match tags[i] {
            Tag::Demonym(c) => Some((c, i + 1)),
            Tag::Place(p) if places[p].place.kind == PlaceKind::Country && tokens.get(i + 1).is_some_and(|t| t.kind == Kind::Possessive) => {
                places[p].place.country.map(|c| (c, i + 2))
            }
            _ => None,
        };
        let Some((country, mut k)) = country else { continue };
        let lower = |k: usize| tokens.get(k).map(|t| t.lower()).unwrap_or_default();
        if matches!(lower(k).as_str(), "secret" | "special" | "intelligence" | "security") && tags[k] == Tag::None {
            let first = lower(k);
            k += 1;
            if first != "security" && lower(k) == "security" {
                k += 1;
            }
            if SECURITY_NOUNS.contains(&lower(k).as_str()) {
                let mut end = k + 1;
                // "security service officers": the service is the organisation.
                if lower(k).starts_with("service") || SECURITY_NOUNS.contains(&lower(end).as_str()) {
                    end = if lower(k).starts_with("service") { k + 1 } else { end + 1 };
                }
                if tags[i..end].iter().skip(1).all(|t| *t == Tag::None) {
                    let name = text_of(tokens, i, end);
                    orgs.add(&mut tags, format!("security-services-{}", country.as_str().to_lowercase()), name, Some(OrgCategory::SecurityService), Some(country), i, end);
                }
            }
        } else if lower(k) == "police" && tags[k] == Tag::None {
            let name = text_of(tokens, i, k + 1);
            orgs.add(&mut tags, format!("police-{}", country.as_str().to_lowercase()), name, Some(OrgCategory::Police), Some(country), i, k + 1);
        }
    }

    // 3. Named organisations by pattern: capitalised names that end in or
    //    contain an organisation word ("Second Western Military Garrison Court"),
    //    names in apposition to "organisation"/"group", "-based X".
    let mut i = 0;
    while i < tokens.len() {
        // "The Supreme Court …" at a sentence's start: the article is no part of the name.
        let article = tokens[i].text == "The" && tokens.get(i + 1).is_some_and(|t| t.is_capitalised());
        if !headline[i] {
            if let Some((end, cat)) = place_led_org(tokens, &tags, &places, i, lex) {
                let Tag::Place(p) = tags[i] else { unreachable!("a place starts the name") };
                let name = text_of(tokens, i, end);
                orgs.add(&mut tags, slug(&name), name, Some(cat), places[p].place.country, i, end);
                i = end;
                continue;
            }
        }
        if tags[i] != Tag::None || !tokens[i].is_capitalised() || headline[i] || article {
            i += 1;
            continue;
        }
        let mut end = cap_run(tokens, &tags, i, true);
        if let Some(start) = restart_within(tokens, i, end, lex) {
            i = start;
            continue;
        }
        let run = &tokens[i..end];
        let news = run.iter().any(|t| t.text == "News");
        let head = prosecutor(run).or_else(|| news.then_some(OrgCategory::Media)).or_else(|| run.iter().rev().find_map(|t| lex.org_heads.get(t.text).copied()));
        let prev = i.checked_sub(1).map(|p| tokens[p].lower()).unwrap_or_default();
        let prev2 = i.checked_sub(2).map(|p| tokens[p].lower()).unwrap_or_default();
        let cue = prev.ends_with("-based") || prev.ends_with("-headquartered")
            || matches!(prev.as_str(), "organization" | "organisation" | "group" | "movement" | "ngo")
            || (prev == "," && matches!(prev2.as_str(), "organization" | "organisation" | "group" | "movement"))
            || workplace(tokens, i);
        let words = run.iter().filter(|t| t.is_word()).count();
        // "Consulate General": a head word may be followed by "General".
        let head_at = |k: usize| lex.org_heads.contains_key(run[k].text);
        let headed = head_at(run.len() - 1) || (run.len() >= 2 && run[run.len() - 1].text == "General" && head_at(run.len() - 2)) || prosecutor(run).is_some();
        let of_country = |k: usize| tokens.get(k).is_some_and(|t| t.text == "of") && matches!(tags.get(k + 1), Some(Tag::Place(pl)) if places[*pl].place.kind == PlaceKind::Country && places[*pl].start == k + 1);
        // "Breaking News" alone on its line is a label of the page.
        let label = head == Some(OrgCategory::Media) && words <= 2 && alone_on_line(tokens, i, end);
        // "the Bank of Kyrgyzstan": one word of a body and its country.
        let single = headed && words == 1 && of_country(end);
        if ((head.is_some() && words >= 2 && headed) || (cue && words >= 1) || single) && !label {
            let mut country = i.checked_sub(2).and_then(|p| match (tags[p], tokens[p + 1].kind) {
                (Tag::Place(pl), Kind::Possessive) => places[pl].place.country,
                _ => None,
            });
            // "the Russian Supreme Court": a state body's name takes its demonym in.
            let state = matches!(head, Some(OrgCategory::Court | OrgCategory::Prosecutor | OrgCategory::Government | OrgCategory::Police));
            let start = match i.checked_sub(1).map(|p| (p, tags[p])) {
                Some((p, Tag::Demonym(c))) if state && tokens[i].start - tokens[p].end <= 1 => {
                    country = country.or(Some(c));
                    p
                }
                // "the national Bank of Kyrgyzstan": the adjective is part of its name.
                Some((p, Tag::None)) if single && matches!(tokens[p].text, "national" | "central" | "state") => p,
                _ => i,
            };
            let i = start;
            if let Some((e, c)) = named_with_place(tokens, &tags, &places, end, state) {
                country = c.or(country);
                end = e;
            }
            let name = text_of(tokens, i, end);
            let unheaded = if newsroom(tokens, i) { OrgCategory::Media } else { OrgCategory::Ngo };
            orgs.add(&mut tags, slug(&name), name, Some(head.unwrap_or(unheaded)), country, i, end);
        } else {
            // "the Assistance legal aid center", "Sota, an independent news site"
            let mut k = end;
            if tokens.get(k).is_some_and(|t| t.text == ",") && tokens.get(k + 1).is_some_and(|t| t.is("a") || t.is("an")) {
                k += 2;
                let mut j = k;
                while j < tokens.len() && j < k + 4 && tokens[j].is_word() && !tokens[j].is_capitalised() {
                    j += 1;
                }
                let desc: Vec<String> = tokens[k..j].iter().map(|t| t.lower()).collect();
                let media = desc.iter().any(|w| matches!(w.as_str(), "site" | "newspaper" | "outlet" | "website" | "agency" | "channel" | "publication" | "portal" | "broadcaster"))
                    && desc.iter().any(|w| matches!(w.as_str(), "news" | "media" | "newspaper" | "website" | "site" | "outlet" | "portal" | "channel" | "broadcaster" | "publication"));
                let ngo = desc.iter().any(|w| matches!(w.as_str(), "ngo" | "organization" | "organisation" | "group" | "charity" | "movement" | "initiative" | "association" | "foundation"));
                if (media || ngo) && end - i <= 4 {
                    let name = text_of(tokens, i, end);
                    let cat = if media { OrgCategory::Media } else { OrgCategory::Ngo };
                    orgs.add(&mut tags, slug(&name), name, Some(cat), None, i, end);
                    i = end;
                    continue;
                }
            }
            // "the Assistance legal aid center"; not "the Nobel Prize-winning rights group Memorial",
            // where the name follows the descriptor and the capitalised words are an adjective.
            let adjectival = tokens[end - 1].text.contains('-') && tokens[end - 1].text.rsplit('-').next().is_some_and(|t| t.chars().all(char::is_lowercase));
            if prev == "the" && end - i <= 3 && !adjectival {
                let mut j = end;
                while j < tokens.len() && j < end + 4 && tokens[j].is_word() && !tokens[j].is_capitalised() {
                    let named_after = tokens.get(j + 1).is_some_and(|t| t.is_capitalised());
                    if !named_after && matches!(tokens[j].lower().as_str(), "center" | "centre" | "group" | "organization" | "organisation" | "movement" | "foundation" | "association" | "network" | "union" | "society") {
                        let name = text_of(tokens, i, end);
                        orgs.add(&mut tags, slug(&name), name, Some(OrgCategory::Ngo), None, i, j + 1);
                        break;
                    }
                    j += 1;
                }
            }
        }
        i = end.max(i + 1);
    }

    // 4. Acronyms in parentheses name the organisation before them:
    //    "Federal Security Service (FSB)", "Turkmen security services (MNB)".
    for i in 1..tokens.len().saturating_sub(2) {
        if tokens[i].text != "(" || tokens[i + 2].text != ")" {
            continue;
        }
        let Tag::Org(before) = tags[i - 1] else { continue };
        let acro = &tokens[i + 1];
        if !acro.text.chars().all(|c| c.is_uppercase() || c == '-') || acro.text.len() < 2 {
            continue;
        }
        match tags[i + 1] {
            Tag::Org(known) if known != before => {
                // The description and the acronym are one organisation.
                merge_orgs(&mut orgs.list, &mut tags, known, before);
            }
            Tag::None => {
                orgs.mention(&mut tags, before, i + 1, i + 2);
                // Later bare uses of the acronym are the same organisation.
                orgs.later_uses(tokens, &mut tags, before, i + 1);
            }
            _ => {}
        }
    }
    crate::org_patterns::find(tokens, &mut tags, &mut orgs, &places, lex);
    // A described security service is the one named service of that country, if the report names exactly one.
    for c in 0..orgs.list.len() {
        if !orgs.list[c].key.starts_with("security-services-") || orgs.list[c].mentions.is_empty() {
            continue;
        }
        let named: Vec<usize> = (0..orgs.list.len())
            .filter(|&o| o != c && !orgs.list[o].mentions.is_empty() && orgs.list[o].category == Some(OrgCategory::SecurityService) && orgs.list[o].country == orgs.list[c].country && !orgs.list[o].key.starts_with("security-services-"))
            .collect();
        if let [one] = named[..] {
            merge_orgs(&mut orgs.list, &mut tags, one, c);
        }
    }

    // 5. Persons.
    let persons = recognise_persons(tokens, &mut tags, &headline, lex);
    the_applicant(tokens, &mut tags);
    Entities { tags, persons, orgs: orgs.list, places }
}

/// The organisations found so far, one per key.
#[derive(Default)]
pub(crate) struct Orgs {
    pub list: Vec<OrgCluster>,
    index: HashMap<String, usize>,
}

impl Orgs {
    /// Adds a mention `start..end` of the organisation `key` (created with this name,
    /// category and country if new) and tags its tokens; returns the organisation's index.
    #[allow(clippy::too_many_arguments)]
    pub fn add(&mut self, tags: &mut [Tag], key: String, name: String, category: Option<OrgCategory>, country: Option<Country>, start: usize, end: usize) -> usize {
        // "the Supreme Court of the Russian Federation … the Supreme Court": the
        // short form of a body named earlier with its place is that body.
        let longer = format!("{key}-of-");
        let mut longer_keys = self.index.keys().filter(|k| k.starts_with(&longer));
        let key = match (longer_keys.next(), longer_keys.next()) {
            // one such body only: with two ("of Tajikistan", "of Russia") the short form is neither
            (Some(k), None) if !self.index.contains_key(&key) => k.clone(),
            _ => key,
        };
        let list = &mut self.list;
        let idx = *self.index.entry(key.clone()).or_insert_with(|| {
            list.push(OrgCluster { key, name, mentions: Vec::new(), category, country });
            list.len() - 1
        });
        self.mention(tags, idx, start, end);
        idx
    }

    /// Adds `start..end` as a mention of the organisation `org` and tags its tokens.
    pub fn mention(&mut self, tags: &mut [Tag], org: usize, start: usize, end: usize) {
        self.list[org].mentions.push((start, end));
        tags[start..end].iter_mut().for_each(|t| *t = Tag::Org(org));
    }

    /// Every later bare use of the acronym at `at` is a mention of `org`.
    pub fn later_uses(&mut self, tokens: &[Token<'_>], tags: &mut [Tag], org: usize, at: usize) {
        for j in at + 1..tokens.len() {
            if tokens[j].text == tokens[at].text && tags[j] == Tag::None {
                self.mention(tags, org, j, j + 1);
            }
        }
    }
}

/// Moves every mention of org `from` into org `into`.
pub(crate) fn merge_orgs(orgs: &mut [OrgCluster], tags: &mut [Tag], into: usize, from: usize) {
    let moved = std::mem::take(&mut orgs[from].mentions);
    for &(s, e) in &moved {
        for t in &mut tags[s..e] {
            *t = Tag::Org(into);
        }
    }
    orgs[into].mentions.extend(moved);
    orgs[into].mentions.sort();
    if orgs[into].country.is_none() {
        orgs[into].country = orgs[from].country;
    }
}

pub(crate) fn text_of(tokens: &[Token<'_>], start: usize, end: usize) -> String {
    let mut s = String::new();
    for (k, t) in tokens[start..end].iter().enumerate() {
        if k > 0 && t.start > tokens[start + k - 1].end && t.kind != Kind::Possessive {
            s.push(' ');
        }
        s.push_str(t.text);
    }
    s
}

/// Whether the tokens `i..end` (and a closing mark) are all their line holds.
fn alone_on_line(tokens: &[Token<'_>], i: usize, end: usize) -> bool {
    let line_end = |k: usize| tokens.get(k).is_none_or(|t| t.kind == Kind::Break);
    let starts = i == 0 || tokens[i - 1].kind == Kind::Break;
    starts && (line_end(end) || (tokens[end].kind == Kind::Punct && line_end(end + 1)))
}

/// Whether the one-word name at `i` ("Assistance") is a word of a longer
/// capitalised name ("the Convention for Legal Assistance"): after a
/// capitalised word that neither starts the sentence nor is a known name.
/// Acronyms stand alone.
fn inside_a_name(tokens: &[Token<'_>], tags: &[Tag], i: usize) -> bool {
    let acronym = tokens[i].text.chars().all(|c| !c.is_lowercase());
    let Some(p) = i.checked_sub(1) else { return false };
    let sentence_start = p == 0 || matches!(tokens[p - 1].text, "." | "!" | "?" | ":" | "\"" | "“") || tokens[p - 1].kind == Kind::Break;
    !acronym && tokens[p].is_capitalised() && tags[p] == Tag::None && !sentence_start && tokens[i].start - tokens[p].end <= 1 && tokens[p].text != "The"
}

/// The end of a run of capitalised, untagged words starting at `i`, on one
/// line; with `connectors`, lower-case "of", "for", "the" … may join capitalised words.
/// Where people work: "her colleagues at Steppe Radio", "an editor at Daily
/// Word", "he worked for Open Lens" name an organisation, not a person.
fn workplace(tokens: &[Token<'_>], i: usize) -> bool {
    const STAFF: &[&str] = &["colleagues", "colleague", "editors", "editor", "reporters", "reporter", "journalists", "journalist", "correspondent", "correspondents", "staff", "researchers", "researcher", "lawyers", "lawyer", "worked", "works", "working", "work", "volunteers", "volunteer", "employee", "employees"];
    let lower = |k: Option<usize>| k.and_then(|k| tokens.get(k)).map(|t| t.lower()).unwrap_or_default();
    let (prev, prev2) = (lower(i.checked_sub(1)), lower(i.checked_sub(2)));
    matches!(prev.as_str(), "at" | "for") && STAFF.contains(&prev2.as_str())
}

/// Whether the words of the sentence before `i` speak of journalists: an unnamed kind of
/// organisation there is a newsroom.
fn newsroom(tokens: &[Token<'_>], i: usize) -> bool {
    const NEWS: &[&str] = &["journalist", "journalists", "editor", "editors", "reporter", "reporters", "correspondent", "correspondents", "newspaper", "outlet"];
    let sentence = tokens[..i].iter().rev().take(40).take_while(|t| t.text != "." && t.text != ";");
    workplace(tokens, i) && sentence.into_iter().any(|t| NEWS.contains(&t.lower().as_str()))
}

/// Words that make a court's name between its place and "court", in lower
/// case as well ("the Samara regional court").
const COURT_WORDS: &[&str] = &["regional", "district", "city", "military", "supreme", "constitutional", "criminal", "garrison", "oblast", "provincial", "appeals", "appellate", "arbitration", "municipal", "interdistrict", "inter-district", "court"];

/// A state body whose name begins with the place it serves: "the St. Petersburg
/// City Court", "the Samara regional court", "the Kazan Supreme Court", "the
/// Tashkent City Prosecutor's Office". Returns where the name ends and its category.
/// "Supreme Court of Tajikistan", "the District Court of Orenburg", "the Supreme
/// Court of the Russian Federation": the place after a body's name (ending at
/// `end`) is part of it and gives its country; a town or region only for a
/// state body. Returns where the name then ends, and the place's country.
fn named_with_place(tokens: &[Token<'_>], tags: &[Tag], places: &[PlaceMention], end: usize, state: bool) -> Option<(usize, Option<Country>)> {
    if tokens.get(end)?.text != "of" {
        return None;
    }
    let article = usize::from(tokens.get(end + 1).is_some_and(|t| t.text == "the"));
    let Tag::Place(pl) = *tags.get(end + 1 + article)? else { return None };
    let place = &places[pl];
    let named = place.place.kind == PlaceKind::Country || (state && article == 0 && matches!(place.place.kind, PlaceKind::City | PlaceKind::Region));
    (named && place.start == end + 1 + article).then_some((place.end, place.place.country))
}

/// "the Istanbul Provincial Directorate of Migration Management": capitalised
/// words after "of" or "for" that end a body's name are part of it.
fn name_tail(tokens: &[Token<'_>], tags: &[Tag], end: usize) -> usize {
    if !tokens.get(end).is_some_and(|t| matches!(t.text, "of" | "for")) {
        return end;
    }
    let mut k = end + 1;
    while k < tokens.len() && k < end + 4 && tokens[k].is_capitalised() && tags[k] == Tag::None && tokens[k].start - tokens[k - 1].end <= 1 {
        k += 1;
    }
    if k > end + 1 { k } else { end }
}

fn place_led_org(tokens: &[Token<'_>], tags: &[Tag], places: &[PlaceMention], i: usize, lex: &Lexicon) -> Option<(usize, OrgCategory)> {
    let Tag::Place(p) = tags[i] else { return None };
    if places[p].start != i {
        return None;
    }
    if places[p].place.kind == PlaceKind::Country {
        return country_led_group(tokens, tags, places[p].end, lex).map(|end| (end, OrgCategory::Ngo));
    }
    let (mut k, mut named) = (places[p].end, None);
    while let Some(t) = tokens.get(k) {
        let adjacent = t.start - tokens[k - 1].end <= 1;
        let lower = t.lower();
        let word = t.is_word() && tags[k] == Tag::None && adjacent;
        if word && t.is_capitalised() {
            if let Some(&cat) = lex.org_heads.get(t.text) {
                named = Some((k + 1, cat));
            }
        } else if word && COURT_WORDS.contains(&lower.as_str()) {
            if lower == "court" {
                named = Some((k + 1, OrgCategory::Court));
            }
        } else if !(t.kind == Kind::Possessive && tokens.get(k + 1).is_some_and(|n| n.text == "Office")) {
            break;
        }
        k += 1;
    }
    let (end, cat) = named?;
    let end = name_tail(tokens, tags, end);
    let cat = prosecutor(&tokens[i..end]).unwrap_or(cat);
    matches!(cat, OrgCategory::Court | OrgCategory::Prosecutor | OrgCategory::Police | OrgCategory::Government).then_some((end, cat))
}

/// "The applicant, Mr X, …", "X v. Russia": in a case, "the applicant" is the
/// person the case is about, named beside the word or in the case's title;
/// each "the applicant" stands for that person in the events told of him. It is
/// no spelling of his name: the word is tagged, not kept among his mentions, so
/// that two reports' applicants are never linked by it.
fn the_applicant(tokens: &[Token<'_>], tags: &mut [Tag]) {
    let uses: Vec<usize> = (1..tokens.len()).filter(|&k| tokens[k].lower() == "applicant" && tokens[k - 1].lower() == "the" && tags[k] == Tag::None).collect();
    let Some(&first) = uses.first() else { return };
    let person_at = |k: usize| match tags.get(k) {
        Some(&Tag::Person(p)) => Some(p),
        _ => None,
    };
    // Named beside the word: "the applicant, Mr X," / "the applicant X".
    let beside = uses.iter().find_map(|&k| (k + 1..(k + 5).min(tokens.len())).take_while(|&j| !matches!(tokens[j].text, "." | ";")).find_map(person_at));
    // Named in the title: the first line holds " v. ".
    let line_end = tokens.iter().position(|t| t.kind == Kind::Break).unwrap_or(tokens.len()).min(first);
    let titled = tokens[..line_end].iter().any(|t| matches!(t.text, "v" | "vs" | "versus")).then(|| (0..line_end).find_map(person_at)).flatten();
    let Some(p) = beside.or(titled) else { return };
    for k in uses {
        tags[k] = Tag::Person(p);
    }
}

/// "Kazakhstan International Bureau for Human Rights": a group whose name
/// begins with its country, two capitalised words or more after it and a
/// group's head word among them ("Bureau", "Foundation", "Network").
fn country_led_group(tokens: &[Token<'_>], tags: &[Tag], from: usize, lex: &Lexicon) -> Option<usize> {
    const GROUP_HEADS: &[&str] = &["Bureau", "Foundation", "Network", "Initiative", "Centre", "Center", "Coalition", "Association", "Union", "Society", "Alliance", "Watch", "Fund", "Institute", "Movement"];
    let end = cap_run(tokens, tags, from, true);
    let words = tokens[from..end].iter().filter(|t| t.is_word() && t.is_capitalised()).count();
    let headed = tokens[from..end].iter().any(|t| GROUP_HEADS.contains(&t.text));
    let state = tokens[from..end].iter().any(|t| matches!(lex.org_heads.get(t.text), Some(OrgCategory::Court | OrgCategory::Prosecutor | OrgCategory::Police | OrgCategory::Government)));
    (end > from && tokens[from].start - tokens[from - 1].end <= 1 && words >= 2 && headed && !state).then_some(end)
}

/// A prosecutor's office, whatever its last word: "Prosecutor's Office of
/// Kyrgyzstan", "Procurator General", "Prosecutor-General's Office".
fn prosecutor(run: &[Token<'_>]) -> Option<OrgCategory> {
    let office = |t: &Token<'_>| matches!(t.text, "Prosecutor" | "Procurator" | "Prosecutor-General" | "Procurator-General" | "Procuracy");
    let titled = run.len() >= 2 && run.last().is_some_and(|t| t.text == "General") && office(&run[run.len() - 2]);
    (titled || run.iter().any(|t| office(t)) && run.iter().any(|t| t.text == "Office")).then_some(OrgCategory::Prosecutor)
}

/// Where a run of capitalised words stops being one name and a name starts
/// afresh: after a bare "the" ("In February the Supreme Court"), after "and
/// the" ("Amnesty and the Helsinki Committee"), after a title or a person's
/// name and "of" ("Judge of the Leninsky District Court", "Olga Sims of the
/// Rights Institute"), and after "X-based" ("Paris-based Rights Watch").
fn restart_within(tokens: &[Token<'_>], i: usize, end: usize, lex: &Lexicon) -> Option<usize> {
    const TITLES: &[&str] = &["Judge", "Judges", "Chairman", "Chairwoman", "Head", "Director", "Spokesman", "Spokeswoman", "Spokesperson", "Chief", "Member", "Members", "Officers", "Officials"];
    let text = |k: usize| tokens.get(k).map_or("", |t| t.text);
    let person = lex.is_given_name(text(i)) && tokens.get(i + 1).is_some_and(|t| t.is_capitalised()) && text(i + 2) == "of";
    // "Judge Anvar Olimov of the City Court": a title, the name it goes with, "of".
    let titled = TITLES.contains(&text(i)).then(|| (i + 1..(i + 5).min(end)).find(|&k| text(k) == "of")).flatten()
        .filter(|&of| tokens[i + 1..of].iter().all(|t| t.is_capitalised()));
    if titled.is_some() || person {
        let of = titled.unwrap_or(i + 2);
        let after = of + 1 + usize::from(text(of + 1) == "the");
        return (after < end).then_some(after);
    }
    if text(i).ends_with("-based") && i + 1 < end {
        return Some(i + 1);
    }
    (i + 1..end.saturating_sub(1)).rev().find(|&j| text(j) == "the" && (!CONNECTORS.contains(&text(j - 1)) || (text(j - 1) == "and" && j >= i + 2))).map(|j| j + 1)
}

pub(crate) fn cap_run(tokens: &[Token<'_>], tags: &[Tag], i: usize, connectors: bool) -> usize {
    let mut end = i + 1;
    loop {
        let adjacent = |k: usize| tokens.get(k).is_some_and(|t| t.start - tokens[k - 1].end <= 1);
        match tokens.get(end) {
            Some(t) if t.is_capitalised() && tags[end] == Tag::None && adjacent(end) => end += 1,
            // "Channel 7 News Agency": a short number inside a name.
            Some(t) if connectors && crate::org_patterns::short_number(t) && adjacent(end)
                && !crate::org_patterns::NUMBERED_THINGS.contains(&tokens[end - 1].text)
                && tokens.get(end + 1).is_some_and(|n| n.is_capitalised() && tags[end + 1] == Tag::None) && adjacent(end + 1) => end += 1,
            // "Prosecutor's Office": a possessive inside the name.
            Some(t) if connectors && t.kind == Kind::Possessive && tokens.get(end + 1).is_some_and(|n| n.text == "Office") && adjacent(end + 1) => end += 1,
            Some(t) if connectors && t.is_word() && CONNECTORS.contains(&t.text) && adjacent(end) => {
                // A connector joins only if capitalised words follow.
                let mut k = end + 1;
                while tokens.get(k).is_some_and(|x| x.is_word() && CONNECTORS.contains(&x.text)) {
                    k += 1;
                }
                if tokens.get(k).is_some_and(|x| x.is_capitalised() && matches!(tags[k], Tag::None | Tag::Org(_))) && adjacent(k) {
                    if let Tag::Org(_) = tags[k] {
                        // "Central Media Office of Hizb ut Tahrir": take the named org in.
                        let mut e = k;
                        while e < tokens.len() && tags[e] == tags[k] {
                            e += 1;
                        }
                        return e;
                    }
                    end = k;
                } else {
                    break;
                }
            }
            _ => break,
        }
    }
    end
}

struct Candidate {
    start: usize,
    end: usize,
    role: Option<String>,
    /// Enough evidence to be a person on its own.
    strong: bool,
    /// Some evidence: a known given name or a surname's ending.
    named: bool,
}

fn recognise_persons(tokens: &[Token<'_>], tags: &mut [Tag], headline: &[bool], lex: &Lexicon) -> Vec<PersonCluster> {
    let mut cands: Vec<Candidate> = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        if tags[i] != Tag::None || !tokens[i].is_capitalised() {
            i += 1;
            continue;
        }
        // "Mr K. Yuldashev": the honorific is no part of the name.
        let honorific = matches!(tokens[i].text, "Mr" | "Mrs" | "Ms" | "Dr") && initials_and_surname(tokens, tags, i + 1, lex).is_some();
        if honorific {
            i += 1;
            continue;
        }
        if let Some(end) = initials_and_surname(tokens, tags, i, lex) {
            cands.push(Candidate { start: i, end, role: None, strong: true, named: true });
            i = end;
            continue;
        }
        let end = cap_run(tokens, tags, i, false);
        // Split the run at words that are never names ("Says", "Judge", "The").
        let mut s = i;
        // Role words capitalised at a sentence start ("Journalist X") are not name parts either.
        let not_name = |t: &Token<'_>| lex.common_words.contains(t.text) || t.text.chars().count() < 2 || lex.roles.contains(&t.lower());
        while s < end {
            if not_name(&tokens[s]) {
                s += 1;
                continue;
            }
            let mut e = s;
            while e < end && !not_name(&tokens[e]) {
                e += 1;
            }
            push_candidate(tokens, s, e, headline[s], lex, &mut cands);
            s = e;
        }
        i = end;
    }
    // Capitalised pairs with no evidence of their own are persons when listed
    // with persons ("A, B and Marufjo Maliko").
    let is_person_at = |cands: &[Candidate], k: usize| cands.iter().any(|c| (c.strong || c.named) && c.start <= k && k < c.end);
    for _ in 0..2 {
        for ci in 0..cands.len() {
            if cands[ci].strong || headline[cands[ci].start] || cands[ci].end - cands[ci].start < 2 {
                continue;
            }
            let (s, e) = (cands[ci].start, cands[ci].end);
            let before = s >= 2 && matches!(tokens[s - 1].text, "," | "and") && is_person_at(&cands, s - 2);
            let after = matches!(tokens.get(e).map(|t| t.text), Some("," | "and")) && is_person_at(&cands, e + 1);
            if before || after {
                cands[ci].strong = true;
            }
        }
    }
    cands.retain(|c| c.strong || c.end - c.start == 1);

    // Cluster: full names first, then single words tied to a full name.
    let mut clusters: Vec<PersonCluster> = Vec::new();
    let mut parts: Vec<(String, String)> = Vec::new(); // folded given name, surname of each cluster
    let fold = |s: &str| names::fold(s);
    let mut singles = Vec::new();
    for c in &cands {
        if c.end - c.start == 1 {
            singles.push(c);
            continue;
        }
        let given = fold(tokens[c.start].text);
        let surname = fold(tokens[c.end - 1].text);
        let text = text_of(tokens, c.start, c.end);
        // Two full names with one surname are one person only when their given names
        // agree (a damaged spelling of an unlisted one too): "Saule Baimukhanova" is
        // not "Yerlan Baimukhanov", whatever the lexicon knows of either name.
        let damaged = |g: &str| !lex.is_given_name(tokens[c.start].text) && names::edit_distance(g, &given) <= 2 && g.chars().next() == given.chars().next();
        let found = parts.iter().position(|(g, s)| {
            names::similar_word(s, &surname) && (names::similar_word(g, &given) || damaged(g))
        }).or_else(|| {
            // A damaged given name: the surname matches and this given name is no known name.
            parts.iter().position(|(g, s)| *s == surname && g.chars().next() == given.chars().next())
        });
        let idx = match found {
            Some(idx) => idx,
            None => {
                clusters.push(PersonCluster { mentions: Vec::new(), name: text.clone(), age: None, nationality: Vec::new(), occupation: Vec::new(), affiliations: Vec::new(), credit_only: false, relations: Vec::new() });
                parts.push((given.clone(), surname.clone()));
                clusters.len() - 1
            }
        };
        // The display name is the best-formed full name: a known given name wins.
        let current_known = lex.is_given_name(clusters[idx].name.split_whitespace().next().unwrap_or(""));
        if !current_known && lex.is_given_name(tokens[c.start].text) {
            clusters[idx].name = text;
            parts[idx] = (given, surname);
        }
        clusters[idx].mentions.push((c.start, c.end));
        if let Some(r) = &c.role {
            clusters[idx].add_role(r, lex);
        }
    }
    for c in singles {
        let w = fold(tokens[c.start].text);
        let by_surname: Vec<usize> = (0..parts.len()).filter(|&k| names::similar_word(&parts[k].1, &w)).collect();
        let by_given: Vec<usize> = (0..parts.len()).filter(|&k| parts[k].0 == w).collect();
        let idx = match (by_surname.as_slice(), by_given.as_slice()) {
            ([one], _) => Some(*one),
            ([], [one]) => Some(*one),
            // A surname two persons share: the one last named in full before it;
            // but a relative introduced as one ("his brother X") lends the family
            // name, and the bare surname stays with the person the story is about.
            (many, _) if many.len() > 1 => {
                let relative = |k: usize| clusters[k].mentions.iter().all(|m| (1..=2).any(|d| m.0 >= d && lex.kinship.contains(&tokens[m.0 - d].lower())));
                let others: Vec<usize> = many.iter().copied().filter(|&k| !relative(k)).collect();
                let pool = if others.is_empty() { many.to_vec() } else { others };
                pool.iter()
                    .filter_map(|&k| clusters[k].mentions.iter().filter(|m| m.1 <= c.start).map(|m| m.1).max().map(|e| (e, k)))
                    .max()
                    .map(|(_, k)| k)
            }
            _ => None,
        };
        match idx {
            Some(k) => clusters[k].mentions.push((c.start, c.end)),
            None if c.strong && by_surname.is_empty() && by_given.is_empty() => {
                // A person named once by one word: an official by surname, a listed given name.
                let text = tokens[c.start].text.to_string();
                if let Some(k) = clusters.iter().position(|cl| cl.name == text) {
                    clusters[k].mentions.push((c.start, c.end));
                } else {
                    let mut cl = PersonCluster { mentions: vec![(c.start, c.end)], name: text.clone(), age: None, nationality: Vec::new(), occupation: Vec::new(), affiliations: Vec::new(), credit_only: false, relations: Vec::new() };
                    if let Some(r) = &c.role {
                        cl.add_role(r, lex);
                    }
                    clusters.push(cl);
                    parts.push((w.clone(), w));
                }
            }
            None => {}
        }
    }
    for (idx, cl) in clusters.iter_mut().enumerate() {
        cl.mentions.sort();
        for &(s, e) in &cl.mentions {
            for t in &mut tags[s..e] {
                *t = Tag::Person(idx);
            }
        }
    }
    for idx in 0..clusters.len() {
        attributes(tokens, tags, &mut clusters[idx], lex);
    }
    clusters
}

/// A surname after one or two initials ("A.B. Karimov", "S. Nazarov"): a
/// person, where the surname has a surname's shape. Returns where it ends.
fn initials_and_surname(tokens: &[Token<'_>], tags: &[Tag], i: usize, lex: &Lexicon) -> Option<usize> {
    let initial = |k: usize| {
        tokens.get(k).is_some_and(|t| t.is_capitalised() && t.text.chars().count() == 1 && tags[k] == Tag::None)
            && tokens.get(k + 1).is_some_and(|t| t.text == "." && t.start == tokens[k].end)
    };
    if !initial(i) {
        return None;
    }
    let k = if initial(i + 2) && tokens[i + 2].start == tokens[i + 1].end { i + 4 } else { i + 2 };
    let surname = tokens.get(k)?;
    let close = surname.start - tokens[k - 1].end <= 1;
    (close && tags[k] == Tag::None && surname.is_capitalised() && lex.is_surname_shaped(surname.text)).then_some(k + 1)
}

fn push_candidate(tokens: &[Token<'_>], s: usize, e: usize, headline: bool, lex: &Lexicon, out: &mut Vec<Candidate>) {
    if e - s > 4 {
        return;
    }
    let words = &tokens[s..e];
    let given = lex.is_given_name(words[0].text) || words.iter().any(|t| lex.given_names.contains(t.text));
    let surname = lex.is_surname_shaped(words[e - s - 1].text);
    // Role words before: "researcher Syinat Sultanalieva", "President Emomali Rahmon".
    let mut role = None;
    let mut k = s;
    while k > 0 && k + 3 > s {
        k -= 1;
        let w = tokens[k].lower();
        // Only role words and their modifiers may stand between a role and the name.
        if !lex.roles.contains(&w) && !MODIFIERS.contains(&w.as_str()) {
            break;
        }
        if lex.roles.contains(&w) {
            let mut r = w;
            if k > 0 && tokens[k - 1].is_word() && !tokens[k - 1].is_capitalised() && !matches!(tokens[k - 1].lower().as_str(), "the" | "a" | "an" | "his" | "her" | "their" | "and" | "of") {
                r = format!("{} {}", tokens[k - 1].lower(), r);
            }
            role = Some(r);
            break;
        }
        if !tokens[k].is_word() || tokens[k].is_capitalised() {
            break;
        }
    }
    let speaks = tokens.get(e).is_some_and(|t| lex.speech_verbs.contains(&t.lower()));
    // "…," said Olga Sims, …: the one named right after a verb of saying speaks.
    let spoken = s > 0 && matches!(tokens[s - 1].lower().as_str(), "said" | "says" | "told" | "added" | "noted" | "explained" | "stated");
    let aged = tokens.get(e).is_some_and(|t| t.text == ",") && tokens.get(e + 1).is_some_and(|t| t.kind == Kind::Number && t.text.len() <= 2);
    let strong = if e - s == 1 {
        // One word: a surname with a role before it or speech after, or a listed given name.
        (surname && (role.is_some() || speaks || spoken || aged)) || (given && !headline && listed(tokens, s, e))
    } else if headline {
        given && surname
    } else {
        given || surname || role.is_some() || speaks || spoken || aged
    };
    if e - s == 1 && !(given || surname) {
        // A bare capitalised word may still be a surname used alone ("Amon"):
        // it is kept as a weak candidate, tied to a full name or dropped.
        if !headline && words[0].text.chars().count() >= 3 && words[0].text.chars().skip(1).all(char::is_lowercase) {
            out.push(Candidate { start: s, end: e, role: None, strong: false, named: false });
        }
        return;
    }
    out.push(Candidate { start: s, end: e, role, strong, named: given || surname });
}

/// Whether the words at `[s, e)` stand in a comma list.
fn listed(tokens: &[Token<'_>], s: usize, e: usize) -> bool {
    let before = s > 0 && tokens[s - 1].text == ",";
    let after = tokens.get(e).is_some_and(|t| t.text == ",");
    before || after
}

/// Age, nationality and occupation from the words around a person's mentions:
/// "Khamroyev, 59,", "35-year-old Uzbekistani film producer Mirsobir", "Azat Isakov of Turkmenistan".
fn attributes(tokens: &[Token<'_>], tags: &[Tag], cl: &mut PersonCluster, lex: &Lexicon) {
    for &(s, e) in &cl.mentions.clone() {
        // ", 59," after the name
        if tokens.get(e).is_some_and(|t| t.text == ",") {
            if let Some(t) = tokens.get(e + 1) {
                if t.kind == Kind::Number && t.text.len() <= 2 && tokens.get(e + 2).is_some_and(|x| matches!(x.text, "," | ")")) {
                    cl.age = cl.age.or(t.text.parse().ok());
                }
            }
        }
        // "his wife, Nigora Saidova," — a kinship word just before the comma that opens the name's apposition
        if s >= 2 && tokens[s - 1].text == "," && tokens.get(e).is_some_and(|t| matches!(t.text, "," | "." | ")")) {
            let word = tokens[s - 2].lower();
            if lex.kinship.contains(&word) && !cl.relations.contains(&word) {
                cl.relations.push(word);
            }
        }
        // the words before the name, back to a determiner or punctuation
        let mut k = s;
        while k > 0 && s - k < 8 {
            let t = &tokens[k - 1];
            if matches!(tags[k - 1], Tag::Person(_) | Tag::Org(_)) || (t.kind == Kind::Punct && t.text != "-") || t.kind == Kind::Break {
                break;
            }
            k -= 1;
            if t.is("a") || t.is("an") || t.is("the") || t.is("another") {
                break;
            }
        }
        for j in k..s {
            let t = &tokens[j];
            // A nationality word counts only when it describes the person:
            // nothing but role words and modifiers stand between it and the name.
            let describes = tokens[j + 1..s].iter().all(|x| {
                let w = x.lower();
                lex.roles.contains(&w) || MODIFIERS.contains(&w.as_str()) || x.text == "-" || x.is_capitalised()
            });
            if let (Tag::Demonym(c), true) = (tags[j], describes) {
                if !cl.nationality.contains(&c) {
                    cl.nationality.push(c);
                }
            }
            if t.text == "year-old" && j >= 2 && tokens[j - 1].text == "-" {
                cl.age = cl.age.or(tokens[j - 2].text.parse().ok());
            }
            if lex.roles.contains(&t.lower()) && j + 1 == s || (lex.roles.contains(&t.lower()) && tokens[j + 1..s].iter().all(|x| x.is_capitalised())) {
                let mut start = j;
                while start > k && tokens[start - 1].is_word() && !tokens[start - 1].is_capitalised() && !matches!(tokens[start - 1].lower().as_str(), "the" | "a" | "an" | "young" | "old" | "another" | "his" | "her" | "their" | "of" | "for" | "at" | "in" | "with" | "by" | "from" | "to" | "and") {
                    start -= 1;
                }
                let occ = tokens[start..=j].iter().map(|t| t.lower()).collect::<Vec<_>>().join(" ");
                let word = t.lower();
                if lex.kinship.contains(&word) {
                    if !cl.relations.contains(&word) {
                        cl.relations.push(word);
                    }
                } else if is_occupation(&occ) && !cl.occupation.contains(&occ) {
                    cl.occupation.push(occ);
                }
            }
        }
        // ", a young film producer," after the name
        if tokens.get(e).is_some_and(|t| t.text == ",") && tokens.get(e + 1).is_some_and(|t| t.is("a") || t.is("an")) {
            let mut j = e + 2;
            while j < tokens.len() && j < e + 10 && (tokens[j].is_word() || tokens[j].kind == Kind::Number || tokens[j].text == "-") {
                if tokens[j].text == "year-old" && j >= 2 && tokens[j - 1].text == "-" {
                    cl.age = cl.age.or(tokens[j - 2].text.parse().ok());
                }
                if let Tag::Demonym(c) = tags[j] {
                    if !cl.nationality.contains(&c) {
                        cl.nationality.push(c);
                    }
                }
                if lex.kinship.contains(&tokens[j].lower()) {
                    let word = tokens[j].lower();
                    if !cl.relations.contains(&word) {
                        cl.relations.push(word);
                    }
                    break;
                }
                if lex.roles.contains(&tokens[j].lower()) {
                    let occ = tokens[e + 2..=j]
                        .iter()
                        .filter(|t| t.is_word() && !t.is_capitalised() && !t.text.ends_with("-old") && !matches!(t.lower().as_str(), "young" | "former" | "prominent" | "well-known" | "a" | "an"))
                        .map(|t| t.lower())
                        .collect::<Vec<_>>()
                        .join(" ");
                    if !occ.is_empty() && is_occupation(&occ) && !cl.occupation.contains(&occ) {
                        cl.occupation.push(occ);
                    }
                    break;
                }
                j += 1;
            }
        }
        // Affiliation: "Human Rights Watch researcher X", "X, a member of Memorial", "X of Memorial".
        let mut j = s;
        while j > 0 && s - j < 4 && (lex.roles.contains(&tokens[j - 1].lower()) || MODIFIERS.contains(&tokens[j - 1].lower().as_str())) {
            j -= 1;
        }
        if j < s && j > 0 {
            if let Tag::Org(o) = tags[j - 1] {
                if !cl.affiliations.contains(&o) {
                    cl.affiliations.push(o);
                }
            }
        }
        let after: Vec<String> = (e..(e + 5).min(tokens.len())).map(|k| tokens[k].lower()).collect();
        let of_at = match after.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
            [",", "a" | "an", "member" | "activist" | "lawyer" | "researcher" | "volunteer" | "founder" | "head" | "director", "of", ..] => Some(e + 4),
            ["of", ..] => Some(e + 1),
            _ => None,
        };
        if let Some(Tag::Org(o)) = of_at.and_then(|k| tags.get(k).copied()) {
            if !cl.affiliations.contains(&o) {
                cl.affiliations.push(o);
            }
        }
        // "of Turkmenistan", "from Tajikistan" after the name
        if tokens.get(e).is_some_and(|t| t.is("of") || t.is("from")) {
            if let Some(Tag::Place(_)) = tags.get(e + 1) {
                if let Some(c) = country_at(tokens, e + 1, lex) {
                    if !cl.nationality.contains(&c) {
                        cl.nationality.push(c);
                    }
                }
            }
        }
    }
}

fn country_at(tokens: &[Token<'_>], i: usize, lex: &Lexicon) -> Option<Country> {
    let (_, p) = lex.places.longest_at(tokens, i)?;
    (p.kind == PlaceKind::Country).then_some(p.country).flatten()
}
