//! Events: a trigger word, then its victims and perpetrators by the clause's
//! structure (voice, "by …", "of …", possessives, pronouns), its date, place,
//! destination, term, regime and charges; facts only (no requests, futures,
//! calls or negations).

use crate::dates::DateMention;
use crate::entities::{is_headline, Entities, Tag};
use crate::lexicon::{Form, KnownPlace, Lexicon, PlaceKind, Trigger};
use crate::text::{Kind, Sentence, Token};
use chronicle_model::{Country, EntityRef, EventType, OrgCategory, PartialDate};
use regex::Regex;
use std::sync::OnceLock;

#[derive(Debug, Clone)]
pub struct RawEvent {
    pub kind: EventType,
    pub victims: Vec<EntityRef>,
    pub perpetrators: Vec<EntityRef>,
    pub date: Option<PartialDate>,
    pub place: Option<String>,
    pub country: Option<Country>,
    pub to_country: Option<Country>,
    pub term_years: Option<f64>,
    pub regime: Option<String>,
    pub charges: Vec<String>,
    pub confidence: f32,
    /// Token range of the supporting sentence(s).
    pub sources: Vec<(usize, usize)>,
    pub sentence: usize,
    pub paragraph: usize,
}

const BE: &[&str] = &["was", "were", "is", "are", "been", "be", "being", "got", "get", "gets", "remains", "remain"];
const NEGATION: &[&str] = &["not", "never", "no", "n't", "nobody", "neither", "nor", "without", "denied", "failed", "deny", "denies", "refused"];
const PRONOUNS_M: &[&str] = &["he", "him", "his", "himself"];
const PRONOUNS_F: &[&str] = &["she", "her", "hers", "herself"];
const GROUP_NOUNS: &[&str] = &["prisoners", "detainees", "members", "mothers", "parents", "relatives", "activists", "residents", "people", "men", "women", "believers", "migrants", "protesters", "picketers", "them", "students", "journalists", "supporters", "followers", "muslims", "defendants", "participants", "families", "wives", "worshippers"];
const PREPOSITIONS: &[&str] = &["of", "to", "for", "with", "by", "from", "in", "on", "at", "against", "about", "into", "over", "after", "before", "as"];
const IMPERATIVES: &[&str] = &["call", "open", "demand", "urge", "join", "tell", "ask", "write", "sign", "release", "free", "stop", "end", "ensure", "investigate", "please", "help", "act"];

/// Where each sentence sits: its paragraph number.
pub struct Layout {
    pub paragraph: Vec<usize>,
}

impl Layout {
    pub fn new(tokens: &[Token<'_>], sentences: &[Sentence]) -> Layout {
        let mut paragraph = Vec::with_capacity(sentences.len());
        let mut p = 0;
        let mut last_end = 0;
        for s in sentences {
            // Two line breaks between sentences start a new paragraph.
            let breaks = tokens[last_end.min(s.start)..s.start].iter().filter(|t| t.kind == Kind::Break).count();
            if breaks > 0 && last_end > 0 {
                p += 1;
            }
            paragraph.push(p);
            last_end = s.end;
        }
        Layout { paragraph }
    }
}

/// Pronouns resolved to persons: pronoun token → person.
struct Refs {
    pronoun: std::collections::HashMap<usize, usize>,
}

fn looks_female(name: &str) -> bool {
    let l = name.to_lowercase();
    let first = l.split_whitespace().next().unwrap_or("");
    let last = l.split_whitespace().last().unwrap_or("");
    last.ends_with("ova") || last.ends_with("eva") || last.ends_with("ina") || last.ends_with("aya") || (first.ends_with('a') && !first.ends_with("ma") && first != last)
}

fn resolve_pronouns(tokens: &[Token<'_>], sentences: &[Sentence], ents: &Entities, lex: &Lexicon, salient: Option<usize>) -> Refs {
    let mut refs: Vec<(usize, usize, bool)> = Vec::new();
    let mut pronoun = std::collections::HashMap::new();
    let mut sent_of_ref: Vec<usize> = Vec::new();
    for (si, s) in sentences.iter().enumerate() {
        let mut first = true;
        let mut i = s.start;
        while i < s.end {
            match ents.tags[i] {
                Tag::Person(p) if !ents.persons[p].credit_only => {
                    // A name in a fronted phrase ("After the murder of X, he ...") is not the subject.
                    let subject = first && !(i > s.start && PREPOSITIONS.contains(&tokens[i - 1].lower().as_str()));
                    refs.push((i, p, subject));
                    sent_of_ref.push(si);
                    first = first && !subject;
                    while i < s.end && ents.tags[i] == Tag::Person(p) {
                        i += 1;
                    }
                    continue;
                }
                _ => {}
            }
            let w = tokens[i].lower();
            if let Some(p) = definite_reference(tokens, ents, lex, salient, &refs, i) {
                pronoun.insert(i, p);
                i += 1;
                continue;
            }
            let male = PRONOUNS_M.contains(&w.as_str());
            let female = PRONOUNS_F.contains(&w.as_str());
            if male || female {
                // Candidates: this sentence and the two before; subjects first, then recency.
                let window: Vec<&(usize, usize, bool)> = refs
                    .iter()
                    .zip(&sent_of_ref)
                    .filter(|(_, &rs)| rs + 4 >= si)
                    .map(|(r, _)| r)
                    .filter(|r| looks_female(&ents.persons[r.1].name) == female)
                    .collect();
                // With no one named nearby, a pronoun is the story's main person, named at least twice.
                let main = salient.filter(|&p| window.is_empty() && ents.persons[p].mentions.len() >= 2 && looks_female(&ents.persons[p].name) == female);
                let pick = window.iter().rev().find(|r| r.2).or_else(|| window.last()).map(|r| r.1).or(main);
                if let Some(p) = pick {
                    pronoun.insert(i, p);
                    refs.push((i, p, first));
                    sent_of_ref.push(si);
                    first = false;
                }
            }
            i += 1;
        }
    }
    Refs { pronoun }
}

/// "the victim" is the story's main person; "the journalist" the person last
/// introduced as one ("Uzbekistani journalist X ... the journalist is wanted").
fn definite_reference(tokens: &[Token<'_>], ents: &Entities, lex: &Lexicon, salient: Option<usize>, refs: &[(usize, usize, bool)], i: usize) -> Option<usize> {
    let w = tokens.get(i)?.lower();
    if i == 0 || tokens[i - 1].lower() != "the" || ents.tags.get(i + 1).is_some_and(|t| *t != Tag::None) || ents.tags[i] != Tag::None {
        return None;
    }
    if w == "victim" {
        return salient;
    }
    if !lex.roles.contains(&w) || lex.kinship.contains(&w) {
        return None;
    }
    refs.iter().rev().map(|r| r.1).find(|&p| ents.persons[p].occupation.iter().any(|o| o.rsplit(' ').next() == Some(w.as_str())))
}

struct Ctx<'a, 't> {
    text: &'a str,
    tokens: &'a [Token<'t>],
    ents: &'a Entities,
    refs: Refs,
    lex: &'a Lexicon,
}

impl Ctx<'_, '_> {
    fn lower(&self, i: usize) -> String {
        self.tokens.get(i).map(|t| t.lower()).unwrap_or_default()
    }

    /// The entity a token stands for: a named person or org, or a resolved pronoun.
    fn entity_at(&self, i: usize) -> Option<EntityRef> {
        match self.ents.tags.get(i) {
            Some(&Tag::Person(p)) => Some(EntityRef::Person(p)),
            Some(&Tag::Org(o)) => Some(EntityRef::Org(o)),
            _ => self.refs.pronoun.get(&i).map(|&p| EntityRef::Person(p)),
        }
    }

    /// The start token of the mention covering `i`.
    fn mention_start(&self, i: usize) -> usize {
        let mut k = i;
        while k > 0 && self.ents.tags[k - 1] == self.ents.tags[i] && self.ents.tags[i] != Tag::None {
            k -= 1;
        }
        k
    }

    fn mention_end(&self, i: usize) -> usize {
        let mut k = i + 1;
        while k < self.tokens.len() && self.ents.tags[k] == self.ents.tags[i] && self.ents.tags[i] != Tag::None {
            k += 1;
        }
        k
    }

    /// Words that may stand between the names of a list: an age, a role, a
    /// parenthesised other name ("X, 34, a teacher, Y and Z", "X (Turaev) and activist Y").
    fn is_list_filler(&self, k: usize) -> bool {
        let Some(t) = self.tokens.get(k) else { return false };
        let w = t.lower();
        if matches!(self.ents.tags.get(k), Some(Tag::Person(_) | Tag::Org(_))) || t.kind == Kind::Break {
            return false;
        }
        t.kind == Kind::Number
            || matches!(w.as_str(), "-" | "(" | ")" | "a" | "an" | "year" | "years" | "old" | "year-old" | "years-old" | "aged" | "his" | "her" | "their" | "from")
            || w.ends_with("-year-old")
            || self.lex.roles.contains(&w)
            || matches!(self.ents.tags.get(k), Some(Tag::Place(_)))
            || (t.is_capitalised() && k > 0 && self.tokens[k - 1].text == "(")
    }

    /// From `k` (exclusive) backwards over separators and fillers to the previous list member's last token.
    fn list_step_back(&self, k: usize, lo: usize) -> Option<usize> {
        let mut j = k;
        let mut separated = false;
        while j > lo && k - j < 14 {
            let t = &self.tokens[j - 1];
            if matches!(t.text, "," | "and") {
                separated = true;
            } else if !self.is_list_filler(j - 1) {
                break;
            }
            j -= 1;
        }
        (separated && j > lo && j < k && self.entity_at(j - 1).is_some()).then(|| j - 1)
    }

    /// From `k` (a mention's end) forwards over separators and fillers to the next list member.
    fn list_step_forward(&self, k: usize, hi: usize) -> Option<usize> {
        let mut j = k;
        let mut separated = false;
        while j < hi && j - k < 14 {
            let t = &self.tokens[j];
            if matches!(t.text, "," | "and" | "by" | "both") {
                separated = true;
            } else if !self.is_list_filler(j) {
                break;
            }
            j += 1;
        }
        (separated && j < hi && self.entity_at(j).is_some()).then_some(j)
    }

    /// Coordinated entities ending at `last` (scanning backwards through ", " and "and").
    fn group_backward(&self, last: usize, lo: usize, accept: &dyn Fn(EntityRef) -> bool) -> Vec<EntityRef> {
        let mut out = Vec::new();
        let mut k = self.mention_start(last);
        if let Some(e) = self.entity_at(last) {
            if accept(e) {
                out.push(e);
            }
        }
        while let Some(j) = self.list_step_back(k, lo) {
            match self.entity_at(j) {
                Some(e) if accept(e) => {
                    if !out.contains(&e) {
                        out.push(e);
                    }
                    k = self.mention_start(j);
                }
                _ => break,
            }
        }
        out.reverse();
        out
    }

    /// Coordinated entities starting at `first` (scanning forwards).
    fn group_forward(&self, first: usize, hi: usize, accept: &dyn Fn(EntityRef) -> bool) -> Vec<EntityRef> {
        let mut out = Vec::new();
        let mut k = first;
        while k < hi {
            match self.entity_at(k) {
                Some(e) if accept(e) => {
                    if !out.contains(&e) {
                        out.push(e);
                    }
                    match self.list_step_forward(self.mention_end(k), hi) {
                        Some(n) => k = n,
                        None => break,
                    }
                }
                _ => break,
            }
        }
        out
    }

    /// A list of persons set off by dashes just before `lo` ("Nine men arrested — A, B and C — were
    /// convicted"): the subject of the clause that follows.
    fn dash_list_before(&self, lo: usize, s: &Sentence, accept: &dyn Fn(EntityRef) -> bool) -> Vec<EntityRef> {
        if lo < s.start + 2 || !is_dash(self.tokens, lo - 1) || self.entity_at(lo - 2).is_none() {
            return Vec::new();
        }
        self.group_backward(lo - 2, s.start, accept)
    }

    /// A list of persons set off by a dash just after `hi`.
    fn dash_list_after(&self, hi: usize, s: &Sentence, accept: &dyn Fn(EntityRef) -> bool) -> Vec<EntityRef> {
        if hi + 1 >= s.end || !is_dash(self.tokens, hi) || self.entity_at(hi + 1).is_none() {
            return Vec::new();
        }
        let end = (hi + 1..s.end).find(|&k| is_dash(self.tokens, k)).unwrap_or(s.end);
        self.group_forward(hi + 1, end, accept)
    }
}

/// A spaced dash: "in Moscow - immigrants", not "29-year-old".
fn is_dash(tokens: &[Token<'_>], k: usize) -> bool {
    let Some(t) = tokens.get(k) else { return false };
    matches!(t.text, "-" | "–" | "—") && k > 0 && tokens[k - 1].end < t.start && tokens.get(k + 1).is_none_or(|n| n.start > t.end)
}

fn clause_bounds(tokens: &[Token<'_>], s: &Sentence, i: usize) -> (usize, usize) {
    // A dash bounds a clause only when spaced: "in Moscow - immigrants", not "29-year-old".
    let is_boundary = |k: usize| matches!(tokens[k].text, ";" | ":") || is_dash(tokens, k);
    let mut lo = i;
    while lo > s.start && !is_boundary(lo - 1) {
        lo -= 1;
    }
    let mut hi = i;
    while hi < s.end && !is_boundary(hi) {
        hi += 1;
    }
    (lo, hi)
}

/// Nouns after which a trigger noun only modifies: "detention centre", "search warrant".
const MODIFIED_NOUNS: &[&str] = &["centre", "center", "centres", "centers", "facility", "facilities", "cell", "cells", "camp", "unit", "conditions", "warrant", "order", "request", "requests", "proceedings", "officer", "officers", "period", "hearing", "hearings", "case", "cases", "rate", "rates", "wave", "campaign"];

fn match_trigger<'l>(tokens: &[Token<'_>], i: usize, lex: &'l Lexicon) -> Option<&'l Trigger> {
    let first = tokens.get(i).filter(|t| t.is_word())?;
    let key = if first.text.bytes().any(|b| b.is_ascii_uppercase()) { first.text.to_ascii_lowercase() } else { first.text.to_string() };
    let fits = |t: &&Trigger| {
        t.words.len() <= tokens.len() - i && t.words.iter().zip(&tokens[i..]).all(|(w, tok)| tok.is_word() && tok.text.eq_ignore_ascii_case(w))
    };
    let candidates = lex.trigger_index.get(&key)?;
    // After a determiner or a possessive a word is a noun: "the arrest of X", "X's torture".
    let determined = i > 0 && (tokens[i - 1].kind == Kind::Possessive || matches!(tokens[i - 1].lower().as_str(), "the" | "a" | "an" | "his" | "her" | "their" | "its"));
    let found = candidates.iter().map(|&k| &lex.triggers[k]).find(fits)?;
    let noun = candidates.iter().map(|&k| &lex.triggers[k]).filter(fits).find(|t| t.form == Form::Noun && t.words.len() == found.words.len());
    Some(match noun {
        Some(n) if determined && found.form == Form::Verb => n,
        _ => found,
    })
        .filter(|t| {
            !(t.form == Form::Noun
                && tokens.get(i + t.words.len()).is_some_and(|n| MODIFIED_NOUNS.contains(&n.lower().as_str())))
        })
}

fn regime_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?i)\b(maximum|strict|general|high|special|minimum|medium)[- ](security|regime)(?:[- ](penal|prison|correctional))?[- ](colony|prison|facility)").expect("valid regex")
    })
}

/// A prison term stated after a sentencing trigger: "to 14 years", "a 14-year
/// sentence", "eight years' imprisonment", "three and a half years", "18 months".
fn term_in(tokens: &[Token<'_>], lo: usize, hi: usize, lex: &Lexicon) -> Option<f64> {
    let lower = |k: usize| tokens.get(k).map(|t| t.lower()).unwrap_or_default();
    for k in lo..hi {
        // "14-year" is tokenised as "14" "-" "year"; "ten-year" stays one word.
        let (n, joined) = match lex.number(tokens[k].text) {
            Some(n) => (n, false),
            None => match tokens[k].text.split_once('-').and_then(|(a, u)| Some((lex.number(a)?, u))) {
                Some((n, u)) if matches!(u.to_ascii_lowercase().as_str(), "year" | "month") => (n, true),
                _ => continue,
            },
        };
        if tokens[k].kind == Kind::Word && matches!(lower(k).as_str(), "a" | "an" | "half") {
            continue;
        }
        let mut j = k + 1;
        let mut value = n;
        // "three and a half years"
        if !joined && lower(j) == "and" && matches!(lower(j + 1).as_str(), "a" | "one") && lower(j + 2) == "half" {
            value += 0.5;
            j += 3;
        }
        let hyphen = joined || tokens.get(j).is_some_and(|t| t.text == "-");
        if joined {
            j = k;
        } else if hyphen {
            j += 1;
        }
        let unit = if joined { lower(k).split_once('-').map_or(String::new(), |(_, u)| u.to_string()) } else { lower(j) };
        let unit = unit.trim_end_matches("-old");
        let mut years = match unit {
            "year" | "years" | "year's" | "years'" => value,
            "month" | "months" => value / 12.0,
            _ => continue,
        };
        // "seven years and six months"
        if years >= 1.0 && lower(j + 1) == "and" {
            if let (Some(m), true) = (lex.number(tokens.get(j + 2).map_or("", |t| t.text)), lower(j + 3).starts_with("month")) {
                years += m / 12.0;
            }
        }
        let prev = if k > 0 { lower(k - 1) } else { String::new() };
        let after = lower(j + 1);
        let after2 = lower(j + 2);
        let prison_after = matches!(after.as_str(), "in" | "of" | "imprisonment" | "prison" | "behind" | "jail" | "'" | "sentence" | "term" | "prison-term")
            && !(after == "of" && !matches!(after2.as_str(), "imprisonment" | "prison" | "jail" | "deprivation" | "strict" | "hard"))
            && !(after == "in" && !matches!(after2.as_str(), "prison" | "jail" | "a" | "penal" | "maximum" | "strict" | "general" | "colony"));
        // "to seven years", "received seven years", "gave him seven years"
        let stated = matches!(prev.as_str(), "to" | "for" | "of" | "received" | "got" | "given" | "him" | "her" | "them") || hyphen && matches!(after.as_str(), "sentence" | "prison" | "term" | "jail");
        if (stated || prison_after) && !(prev == "first" || prev == "last" || lower(k.saturating_sub(2)) == "up") {
            // An older person's age is no term: "59-year-old".
            if tokens.get(j).is_some_and(|t| t.text.ends_with("-old")) {
                continue;
            }
            return Some((years * 1000.0).round() / 1000.0);
        }
    }
    None
}

fn charges_in(tokens: &[Token<'_>], lo: usize, hi: usize) -> Vec<String> {
    let lower = |k: usize| tokens.get(k).map(|t| t.lower()).unwrap_or_default();
    let stop = |k: usize| {
        let t = &tokens[k];
        let next_names_a_place = tokens.get(k + 1).is_some_and(|n| n.is_capitalised() || n.kind == Kind::Number || matches!(n.lower().as_str(), "absentia" | "prison" | "jail" | "court" | "custody" | "the"));
        t.kind == Kind::Punct && t.text != "-" && t.text != "\"" && t.text != "'"
            || t.kind == Kind::Break
            || (t.lower() == "in" && next_names_a_place)
            || (t.lower() == "for" && !(k > 0 && matches!(lower(k - 1).as_str(), "calling" | "call" | "calls")))
            || matches!(t.lower().as_str(), "after" | "following" | "because" | "which" | "that" | "and" | "but" | "on" | "when" | "while" | "to" | "against" | "as" | "since" | "with" | "who" | "under")
    };
    let take = |from: usize| -> Option<String> {
        let mut e = from;
        while e < tokens.len() && e < hi + 8 && !stop(e) && e - from < 8 {
            e += 1;
        }
        let words: Vec<&str> = tokens[from..e].iter().filter(|t| t.is_word() || t.kind == Kind::Number || t.text == "-").map(|t| t.text).collect();
        (!words.is_empty()).then(|| words.join(" ").replace(" - ", "-"))
    };
    let mut out = Vec::new();
    for k in lo..hi {
        let w = lower(k);
        // "accused Khamroyev of X": the accused may stand between the verb and its preposition.
        let mut k1 = k + 1;
        if matches!(w.as_str(), "accused" | "accuse" | "accuses" | "charged" | "convicted" | "suspected") {
            while k1 < hi && k1 < k + 7 && tokens[k1].kind != Kind::Punct && !matches!(lower(k1).as_str(), "of" | "with") {
                k1 += 1;
            }
        }
        let k = if k1 > k + 1 && matches!(lower(k1).as_str(), "of" | "with") { k1 - 1 } else { k };
        let c = if (w == "charges" || w == "charge") && lower(k + 1) == "of" {
            take(k + 2)
        } else if (w == "charged" && lower(k + 1) == "with") || (matches!(w.as_str(), "accused" | "accuse" | "accuses" | "suspected") && lower(k + 1) == "of") || (w == "suspicion" && lower(k + 1) == "of") || (w == "those" && lower(k + 1) == "of") || (w == "convicted" && lower(k + 1) == "of") || (w == "guilty" && lower(k + 1) == "of") {
            take(k + 2)
        } else if (w == "charges" || w == "charge") && k > lo {
            // "on fraud charges", "on "anti-state" charges"
            let mut s = k;
            while s > lo && (tokens[s - 1].is_word() || matches!(tokens[s - 1].text, "\"" | "'" | "-")) && !matches!(lower(s - 1).as_str(), "on" | "the" | "of" | "criminal" | "new" | "his" | "her" | "their" | "these" | "those" | "changed" | "against" | "brought" | "faces" | "faced") {
                s -= 1;
            }
            (s < k && matches!(lower(s - 1).as_str(), "on" | "of" | "criminal")).then(|| {
                tokens[s..k].iter().filter(|t| t.is_word() || t.text == "-").map(|t| t.text).collect::<Vec<_>>().join(" ").replace(" - ", "-")
            })
        } else {
            None
        };
        if let Some(c) = c {
            let c = c.trim_matches(|ch: char| ch == '"' || ch == '\'').to_string();
            if !c.is_empty() && !out.contains(&c) && !matches!(c.as_str(), "ties" | "links" | "a" | "the") {
                out.push(c);
            }
        }
    }
    out
}

/// "On 6 May and 9 June the court rejected the appeals of A and B respectively":
/// one event for each victim, on its date.
fn split_respectively(ctx: &Ctx<'_, '_>, ev: RawEvent, s: &Sentence, dates: &[DateMention]) -> Vec<RawEvent> {
    let in_sentence: Vec<&DateMention> = dates.iter().filter(|d| d.start >= s.start && d.end <= s.end).collect();
    let respectively = (s.start..s.end).any(|k| ctx.lower(k) == "respectively");
    if !respectively || ev.victims.len() < 2 || in_sentence.len() != ev.victims.len() {
        return vec![ev];
    }
    ev.victims
        .iter()
        .zip(in_sentence)
        .map(|(v, d)| RawEvent { victims: vec![*v], date: Some(d.date), ..ev.clone() })
        .collect()
}

/// "sentenced A to five years and B to four years": one sentence for each
/// person, with that person's own term.
fn split_by_terms(ctx: &Ctx<'_, '_>, ev: RawEvent, s: &Sentence) -> Vec<RawEvent> {
    if ev.kind != EventType::Sentence {
        return vec![ev];
    }
    let mut each: Vec<(EntityRef, f64)> = Vec::new();
    let mut k = s.start;
    while k < s.end {
        let end = ctx.mention_end(k);
        if let (Some(Tag::Person(p)), Some("to")) = (ctx.ents.tags.get(k), ctx.tokens.get(end).map(|t| t.text)) {
            let stop = (end + 1..s.end).find(|&j| matches!(ctx.tokens[j].text, "and" | "," | ";" | ".")).unwrap_or(s.end);
            if let Some(term) = term_in(ctx.tokens, end, stop, ctx.lex) {
                each.push((EntityRef::Person(*p), term));
            }
        }
        k = end.max(k + 1);
    }
    let distinct = each.windows(2).all(|w| w[0].0 != w[1].0);
    if each.len() < 2 || !distinct || !ev.victims.contains(&each[0].0) {
        return vec![ev];
    }
    each.into_iter().map(|(v, term)| RawEvent { victims: vec![v], term_years: Some(term), ..ev.clone() }).collect()
}

/// Whether a trigger is a word of a label set in capitals ("PRESS RELEASE"):
/// itself in capitals, beside another word in capitals.
fn in_capital_label(tokens: &[Token<'_>], start: usize, end: usize, s: &Sentence) -> bool {
    let capitals = |t: &Token<'_>| t.is_word() && t.text.chars().filter(|c| c.is_alphabetic()).count() >= 2 && !t.text.chars().any(char::is_lowercase);
    let beside = (start > s.start && capitals(&tokens[start - 1])) || (end < s.end && capitals(&tokens[end]));
    tokens[start..end].iter().all(capitals) && beside
}

#[allow(clippy::too_many_arguments)]
pub fn extract_events(
    text: &str,
    tokens: &[Token<'_>],
    sentences: &[Sentence],
    layout: &Layout,
    ents: &Entities,
    dates: &[DateMention],
    lex: &Lexicon,
) -> Vec<RawEvent> {
    // The most-mentioned person: the subject of a story's lede.
    let salient = (0..ents.persons.len())
        .filter(|&p| !ents.persons[p].credit_only)
        .max_by_key(|&p| (ents.persons[p].mentions.len(), std::cmp::Reverse(p)));
    let refs = resolve_pronouns(tokens, sentences, ents, lex, salient);
    let ctx = Ctx { text, tokens, ents, refs, lex };
    let mut events: Vec<RawEvent> = Vec::new();
    let mut body_sentence = 0;
    for (si, s) in sentences.iter().enumerate() {
        if is_headline(tokens, s) {
            continue;
        }
        if tokens[s.start..s.end].iter().filter(|t| t.is_word()).count() >= 8 {
            body_sentence += 1;
        }
        let first_event_in_sentence = events.len();
        let mut i = s.start;
        while i < s.end {
            let Some(trig) = match_trigger(tokens, i, lex) else {
                i += 1;
                continue;
            };
            let t_start = i;
            let t_end = i + trig.words.len();
            i = t_end;
            if ents.tags[t_start..t_end].iter().any(|t| *t != Tag::None) || in_capital_label(tokens, t_start, t_end, s) {
                continue;
            }
            let before = (si > 0 && layout.paragraph[si - 1] == layout.paragraph[si]).then(|| (sentences[si - 1].start, sentences[si - 1].end));
            let (prior, earlier) = events.split_at(first_event_in_sentence);
            let prior = Prior { before: prior, in_sentence: earlier };
            if let Some(ev) = build_event(&ctx, trig, t_start, t_end, s, si, layout, dates, &prior, salient, body_sentence, before) {
                for ev in split_respectively(&ctx, ev, s, dates) {
                    events.extend(split_by_terms(&ctx, ev, s));
                }
            }
        }
        // Gapping: "...were arrested in Moscow; and in Chelyabinsk - Ilfat Galimov and Rustam Halikov."
        if events.len() > first_event_in_sentence {
            let last = events.last().unwrap().clone();
            let mut k = s.start;
            while k < s.end {
                if tokens[k].text == ";" {
                    let lo = k + 1;
                    let hi = (lo..s.end).find(|&j| tokens[j].text == ";").unwrap_or(s.end);
                    let has_trigger = (lo..hi).any(|j| match_trigger(tokens, j, lex).is_some());
                    let persons: Vec<usize> = (lo..hi).filter(|&j| matches!(ents.tags[j], Tag::Person(_)) && (j == lo || ents.tags[j - 1] != ents.tags[j])).collect();
                    if !has_trigger && !persons.is_empty() {
                        let victims = ctx.group_forward(persons[0], hi, &|e| matches!(e, EntityRef::Person(_)));
                        let place = (lo..hi).find_map(|j| match ents.tags[j] {
                            Tag::Place(p) if j == 0 || ents.tags[j - 1] != ents.tags[j] => Some(&ents.places[p].place),
                            _ => None,
                        });
                        if !victims.is_empty() && !victims.iter().any(|v| last.victims.contains(v)) {
                            let mut ev = last.clone();
                            ev.victims = victims;
                            if let Some(p) = place {
                                ev.country = p.country;
                                ev.place = (p.kind != PlaceKind::Country).then(|| p.name.clone());
                            }
                            ev.confidence = (ev.confidence - 0.1).max(0.3);
                            events.push(ev);
                        }
                    }
                }
                k += 1;
            }
        }
    }
    merge(events)
}

/// A place name that begins another name: "the Minsk Convention", "the Tashkent Declaration".
fn names_a_thing(ctx: &Ctx<'_, '_>, k: usize) -> bool {
    let end = ctx.mention_end(k);
    ctx.tokens.get(end).is_some_and(|t| matches!(t.text, "Convention" | "Declaration" | "Agreement" | "Treaty" | "Protocol" | "Accords" | "Accord" | "Process" | "Principles" | "Statute" | "Charter" | "Format" | "Summit" | "Conference"))
        || ends_a_name_with_acronym(ctx, k, end)
}

/// "the Committee for Rights in the Caucasus (CRC)": a place closing a
/// capitalised name that its acronym follows is part of that name.
fn ends_a_name_with_acronym(ctx: &Ctx<'_, '_>, k: usize, end: usize) -> bool {
    let tokens = ctx.tokens;
    let text = |i: usize| tokens.get(i).map_or("", |t| t.text);
    let acronym = text(end) == "(" && text(end + 2) == ")" && text(end + 1).len() >= 2 && text(end + 1).chars().all(|c| c.is_uppercase());
    let linked = k >= 2 && matches!(text(k - 1), "for" | "of" | "in") && text(k - 2).chars().next().is_some_and(char::is_uppercase);
    acronym && linked
}

/// The events found so far: before this sentence, and in it.
struct Prior<'e> {
    before: &'e [RawEvent],
    in_sentence: &'e [RawEvent],
}

impl Prior<'_> {
    /// The victims of the latest event of the last three sentences with at least
    /// two of them: who a plural "they" or "their" stands for.
    fn plural_victims(&self, si: usize) -> Option<Vec<EntityRef>> {
        self.latest_victims(si, 3, 2)
    }

    /// The last two persons who were victims of events in this or the three
    /// sentences before, latest first, each from an event of its own.
    fn last_two_victims(&self, si: usize) -> Option<Vec<EntityRef>> {
        let mut out: Vec<EntityRef> = Vec::new();
        let recent = self.in_sentence.iter().rev().chain(self.before.iter().rev()).take_while(|e| e.sentence + 3 >= si);
        for v in recent.flat_map(|e| e.victims.iter().copied()) {
            if !out.contains(&v) && matches!(v, EntityRef::Person(_)) {
                out.push(v);
            }
            if out.len() == 2 {
                return Some(out);
            }
        }
        None
    }

    /// The victims of the latest event of this or the two sentences before.
    fn last_victims(&self, si: usize) -> Option<Vec<EntityRef>> {
        self.latest_victims(si, 2, 1)
    }

    /// The victims of the latest event with at least `least` of them, in sentence
    /// `si` or the `back` sentences before it.
    fn latest_victims(&self, si: usize, back: usize, least: usize) -> Option<Vec<EntityRef>> {
        self.in_sentence
            .iter()
            .rev()
            .chain(self.before.iter().rev())
            .take_while(|e| e.sentence + back >= si)
            .find(|e| e.victims.len() >= least)
            .map(|e| e.victims.clone())
    }
}

/// Words of a decision or an order: what they decide (an extradition, a detention) has not happened yet.
const DECISION_WORDS: &[&str] = &["decision", "decisions", "decided", "decide", "decides", "order", "ordered", "orders", "authorised", "authorized", "ruling", "ruled", "upheld", "overturn", "overturned", "cancel", "cancelled", "canceled", "suspended", "suspend", "halt", "halted", "sanctioned", "approved", "granted", "against"];
/// Words after a noun trigger that make it not (yet) a fact: "his arrest was likely".
const UNREAL_AFTER: &[&str] = &["likely", "possible", "unlikely", "expected", "imminent", "feared", "planned", "pending", "probable"];
const MODALS: &[&str] = &["will", "would", "could", "might", "may", "should", "must", "can"];

/// Whether a trigger states an event: not a label ("Extradition/Torture"), not a
/// court's or official's decision about it ("ordered his extradition", "the decision to
/// deport"), not one only likely ("his arrest was likely"), not left behind ("released
/// from detention"), and a ruling only where a court or judge rules.
fn is_stated(ctx: &Ctx<'_, '_>, trig: &Trigger, kind: EventType, t_start: usize, t_end: usize, lo: usize, hi: usize) -> bool {
    let tokens = ctx.tokens;
    let word = |k: usize| ctx.lower(k);
    if (t_start > 0 && word(t_start - 1) == "/") || word(t_end) == "/" {
        return false;
    }
    let decided = matches!(kind, EventType::Arrest | EventType::Extradition | EventType::Deportation | EventType::Rendition | EventType::Transfer)
        && (t_start.saturating_sub(6).max(lo)..t_start).any(|k| DECISION_WORDS.contains(&word(k).as_str()) && !(word(k) == "against" && trig.form == Form::Verb));
    if decided {
        return false;
    }
    // "charging him with forming a group involved in an armed attack": what the charge says is no event.
    let charged_with = trig.form == Form::Noun
        && (t_start.saturating_sub(12).max(lo)..t_start).any(|k| {
            matches!(word(k).as_str(), "charging" | "charged" | "accused" | "accusing" | "suspected" | "suspicion" | "convicted" | "guilty")
                && (k + 1..t_start).any(|j| matches!(word(j).as_str(), "with" | "of"))
        });
    if charged_with {
        return false;
    }
    // "officers searched the flat and seized a computer": seizing a thing is no abduction.
    let passive = (1..=3).any(|n| t_start >= n && BE.contains(&word(t_start - n).as_str()));
    let a_thing = kind == EventType::Abduction && trig.form == Form::Verb && !passive
        && matches!(word(t_end).as_str(), "a" | "an" | "the" | "his" | "her" | "their" | "all" | "several" | "two" | "three")
        && tokens.get(t_end + 1).is_some_and(|t| t.is_word() && !t.is_capitalised())
        && !(ctx.lex.roles.contains(&word(t_end + 1)) || GROUP_NOUNS.contains(&word(t_end + 1).as_str()) || matches!(word(t_end + 1).as_str(), "man" | "woman" | "boy" | "girl" | "person" | "activist" | "blogger"));
    if a_thing {
        return false;
    }
    let unreal = (t_end..(t_end + 3).min(hi)).any(|k| BE.contains(&word(k).as_str()) && UNREAL_AFTER.contains(&word(k + 1).as_str()));
    if unreal {
        return false;
    }
    if trig.form == Form::Noun {
        let modal = MODALS.contains(&word(t_end).as_str()) && tokens.get(t_end).is_some_and(|t| t.text != "May");
        // "released from detention", "died in detention": where someone was, not an arrest.
        if modal || (kind == EventType::Arrest && t_start > 0 && matches!(word(t_start - 1).as_str(), "from" | "in")) {
            return false;
        }
        // "a warrant for his arrest", "a campaign for her release": what something is for has not happened.
        let owner = if t_start > 0 && (matches!(word(t_start - 1).as_str(), "his" | "her" | "their" | "the") || tokens[t_start - 1].kind == Kind::Possessive) { 2 } else { 1 };
        let purpose = t_start >= owner && word(t_start - owner) == "for";
        if purpose && matches!(kind, EventType::Arrest | EventType::Extradition | EventType::Deportation | EventType::Rendition | EventType::Release | EventType::Transfer) {
            return false;
        }
    }
    if trig.form == Form::Ruling {
        // "found X guilty" is the conviction, told by its sentencing trigger.
        let conviction = (t_end..(t_end + 5).min(hi)).any(|k| matches!(word(k).as_str(), "guilty" | "sentenced" | "convicted"));
        return !conviction && court_near(ctx, t_start, t_end, lo, hi);
    }
    true
}

/// A court or judge gives the ruling: one before the trigger in its clause, or
/// after it as the agent ("upheld by the Supreme Court", "decision of the city court").
fn court_near(ctx: &Ctx<'_, '_>, t_start: usize, t_end: usize, lo: usize, hi: usize) -> bool {
    let is_court = |k: usize| {
        matches!(ctx.lower(k).as_str(), "court" | "courts" | "judge" | "judges" | "tribunal")
            || matches!(ctx.ents.tags.get(k), Some(&Tag::Org(o)) if ctx.ents.orgs[o].category == Some(OrgCategory::Court))
    };
    // Back through the clause to the court, but not past a verb of speech or "that": "X told the court that police rejected ...".
    let before = (lo..t_start).rev().take_while(|&k| !(ctx.lex.speech_verbs.contains(&ctx.lower(k)) || ctx.lower(k) == "that")).any(is_court);
    let after = (t_end..(t_end + 8).min(hi)).any(|k| matches!(ctx.lower(k).as_str(), "by" | "of") && (k + 1..(k + 6).min(hi)).any(is_court));
    before || after
}

/// A person named as a judge ("Judge N. Petrova") or as the agent ("by X"): not whom a ruling is about.
fn is_judge(ctx: &Ctx<'_, '_>, k: usize) -> bool {
    let mut m = ctx.mention_start(k);
    // over initials: "Judge N.A. Petrova"
    while m > 0 && (ctx.tokens[m - 1].text == "." || (ctx.tokens[m - 1].text.len() == 1 && ctx.tokens[m - 1].is_capitalised())) {
        m -= 1;
    }
    let title = (1..=2).any(|n| m >= n && matches!(ctx.lower(m - n).as_str(), "judge" | "by" | "justice"));
    let occupation = matches!(ctx.ents.tags.get(k), Some(&Tag::Person(p)) if ctx.ents.persons[p].occupation.iter().any(|o| o.contains("judge")));
    title || occupation
}

/// Whom a court's ruling is about: the person after it ("cleared X of all charges",
/// "rejected his appeal", "in the case of X"), else one before it in the sentence ("the
/// case against X ... handed down a ruling"); for a ruling passed on ("were upheld",
/// "suspended their extradition"), the victims of the events before.
#[allow(clippy::too_many_arguments)]
fn ruling_victims(ctx: &Ctx<'_, '_>, s: &Sentence, si: usize, t_start: usize, t_end: usize, hi: usize, prior: &Prior<'_>, passive: bool) -> Vec<EntityRef> {
    let is_person = |e: EntityRef| matches!(e, EntityRef::Person(p) if !ctx.ents.persons[p].credit_only);
    let accept = |k: usize| ctx.entity_at(k).is_some_and(is_person) && !is_judge(ctx, k);
    for k in t_end..hi.min(t_end + 25) {
        let w = ctx.lower(k);
        if matches!(w.as_str(), "their" | "they" | "them") {
            return prior.plural_victims(si).unwrap_or_default();
        }
        // "ordered his detention", "remanded him in custody": the person just told of.
        if matches!(w.as_str(), "his" | "her" | "him") && k <= t_end + 2 {
            if let Some(v) = prior.last_victims(si) {
                return v;
            }
        }
        if accept(k) {
            return ctx.group_forward(k, hi, &is_person);
        }
        if ctx.lex.speech_verbs.contains(&w) {
            break;
        }
    }
    if let Some(v) = prior.last_victims(si).filter(|_| passive) {
        return v;
    }
    // Back to a person, not past a verb of speech: "Lawyer X said the court's decision was unlawful".
    let back = (s.start..t_start).rev().take_while(|&k| !ctx.lex.speech_verbs.contains(&ctx.lower(k))).find(|&k| accept(k));
    match back {
        Some(k) => ctx.group_backward(k, s.start, &is_person),
        // "The regional court overruled the order": a ruling that names no one
        // goes on with the court case told just before.
        None => prior.before.iter().rev().take_while(|e| e.sentence + 2 >= si).find(|e| e.kind == EventType::Trial).map(|e| e.victims.clone()).unwrap_or_default(),
    }
}

/// The subject of a passive verb set off by an apposition or a relative clause:
/// "X, an Uzbek reader of Y's works, has been arrested", "X, whom ... accuse, was arrested".
fn subject_before_apposition(ctx: &Ctx<'_, '_>, t_start: usize, lo: usize, accept: &dyn Fn(EntityRef) -> bool) -> Vec<EntityRef> {
    let mut c1 = t_start;
    while c1 > lo && (BE.contains(&ctx.lower(c1 - 1).as_str()) || matches!(ctx.lower(c1 - 1).as_str(), "also" | "reportedly" | "allegedly" | "has" | "have" | "had" | "then" | "later")) {
        c1 -= 1;
    }
    if c1 == t_start || c1 <= lo || ctx.lower(c1 - 1) != "," {
        return Vec::new();
    }
    let c1 = c1 - 1;
    let Some(c0) = (lo..c1).rev().take(30).find(|&k| ctx.lower(k) == ",") else { return Vec::new() };
    if c0 <= lo || c0 + 1 == c1 {
        return Vec::new();
    }
    match ctx.entity_at(c0 - 1) {
        Some(e) if accept(e) => ctx.group_backward(c0 - 1, lo, accept),
        _ => Vec::new(),
    }
}

/// Whether the trigger states a fact: not an attributive participle ("the arrested
/// members"), not the ground of a sentence, not requested, future, conditional,
/// negated, called for or generic.
fn is_fact(ctx: &Ctx<'_, '_>, trig: &Trigger, t_start: usize, t_end: usize, s: &Sentence, lo: usize, hi: usize) -> bool {
    let tokens = ctx.tokens;
    let kind = trig.kind;
    let prev = |k: usize, n: usize| -> String { if k >= n { ctx.lower(k - n) } else { String::new() } };
    // Attributive participles are not events: "the arrested members".
    if trig.form == Form::Verb && matches!(prev(t_start, 1).as_str(), "the" | "a" | "an" | "their" | "his" | "her")
        && tokens.get(t_end).is_some_and(|t| t.is_word() && !PREPOSITIONS.contains(&t.lower().as_str()) && !BE.contains(&t.lower().as_str()))
    {
        return false;
    }
    // Charges as the ground of a sentence ("on charges of") are not a charge event.
    if kind == EventType::Charge && tokens[t_start].lower() == "charges" && matches!(prev(t_start, 1).as_str(), "on" | "for") {
        return false;
    }
    if !is_stated(ctx, trig, kind, t_start, t_end, lo, hi) {
        return false;
    }
    // Facts only: no requests, futures, conditions, calls or negations before the trigger.
    let mut window_start = t_start.saturating_sub(10).max(lo).max(s.start);
    // "not seen since his disappearance": an event after "since", "after" or "following" is presupposed, out of the scope before it.
    if let Some(k) = (t_start.saturating_sub(3).max(window_start)..t_start).rev().find(|&k| trig.form == Form::Noun && matches!(ctx.lower(k).as_str(), "since" | "after" | "following" | "upon" | "during" | "despite")) {
        window_start = k + 1;
    }
    // A new clause with its own subject ends the scope: "refused to extradite X, and he was freed".
    if let Some(k) = (window_start..t_start).rev().find(|&k| {
        matches!(ctx.lower(k).as_str(), "and" | "but" | "whereas") && (ctx.entity_at(k + 1).is_some() || matches!(ctx.lower(k + 1).as_str(), "he" | "she" | "they")) && k + 1 < t_start
    }) {
        window_start = k + 1;
    }
    let only_to = |k: usize| k >= 1 && ctx.lower(k - 1) == "only";
    for k in window_start..t_start {
        let w = ctx.lower(k);
        // "On 14 May, police detained …": the month, not the modal.
        let month = w == "may" && tokens[k].text == "May" && (k > s.start || tokens.get(k + 1).is_some_and(|t| t.kind == Kind::Number));
        if (ctx.lex.irrealis.contains(&w) && !month) || NEGATION.contains(&w.as_str()) {
            // "he was not heard from since" is a trigger of its own, handled above.
            return false;
        }
        // "awaiting deportation": not yet; "awaiting trial" does say a prosecution is pending.
        if matches!(w.as_str(), "awaiting" | "awaits" | "await") && k + 1 == t_start && !matches!(kind, EventType::Charge | EventType::Trial) {
            return false;
        }
        if w == "to" && k + 1 == t_start && !only_to(k) && trig.form == Form::Verb {
            return false; // an infinitive: "to release"
        }
        if w == "to" && k + 2 == t_start && BE.contains(&ctx.lower(k + 1).as_str()) && !only_to(k) {
            return false; // "to be released"
        }
    }
    if IMPERATIVES.contains(&ctx.lower(s.start).as_str()) || (ctx.lower(s.start) == "-" && IMPERATIVES.contains(&ctx.lower(s.start + 1).as_str())) {
        return false;
    }
    // Generic statements in the present: "members are sentenced to up to 24 years".
    if matches!(prev(t_start, 1).as_str(), "are" | "is") && (t_end..hi).any(|k| ctx.lower(k) == "up" && ctx.lower(k + 1) == "to") {
        return false;
    }
    true
}

/// Perpetrators after the trigger: "by X (and by Y)", "with the assistance of X", "handed over to X".
fn agents_after(ctx: &Ctx<'_, '_>, kind: EventType, t_end: usize, hi: usize, victims: &[EntityRef], is_person: &dyn Fn(EntityRef) -> bool) -> Vec<EntityRef> {
    let prev = |k: usize, n: usize| -> String { if k >= n { ctx.lower(k - n) } else { String::new() } };
    let mut out = Vec::new();
    let mut k = t_end;
    while k < hi {
        let w = ctx.lower(k);
        // "despite a ruling by the UN Committee": what follows is about something else.
        if matches!(w.as_str(), "despite" | "although" | "though" | "whereas") {
            break;
        }
        // "a ruling by X", "a request by X": the agent of that noun, not of the event.
        let noun_agent = matches!(prev(k, 1).as_str(), "ruling" | "decision" | "request" | "requests" | "statement" | "report" | "complaint" | "appeal" | "call" | "calls" | "verdict" | "order" | "warning");
        let start = if w == "by" && !noun_agent {
            Some(k + 1)
        } else if (w == "of" && matches!(prev(k, 1).as_str(), "assistance" | "help" | "participation" | "hands" | "officers" | "agents")) || (w == "to" && kind.crosses_border() && k == t_end) {
            Some(k + 1)
        } else {
            None
        };
        if let Some(st) = start {
            let mut st = st;
            while st < hi && matches!(ctx.lower(st).as_str(), "the" | "both" | "a") {
                st += 1;
            }
            for e in ctx.group_forward(st, hi, &|e| matches!(e, EntityRef::Org(_)) || is_person(e)) {
                if !out.contains(&e) && !victims.contains(&e) {
                    out.push(e);
                }
            }
        }
        k += 1;
    }

    out
}

/// Where a trigger stands: its sentence, clause and the next trigger's start.
struct Span<'s> {
    s: &'s Sentence,
    si: usize,
    lo: usize,
    hi: usize,
    t_start: usize,
    t_end: usize,
    next_trigger: usize,
}

/// The event's date: the nearest in its clause, else in its sentence, else the narrative's.
fn event_date(ctx: &Ctx<'_, '_>, span: &Span<'_>, dates: &[DateMention], victims: &[EntityRef], kind: EventType, prior: &Prior<'_>, sentences_before: Option<(usize, usize)>) -> Option<PartialDate> {
    let Span { s, si, lo, hi, t_start, t_end, next_trigger } = *span;
    let tokens = ctx.tokens;
    // Date: in the clause after the trigger, then before it, then anywhere in the sentence.
    // Date: the nearest in the clause (a date after the trigger weighs a little
    // nearer: "was detained ... on Feb. 24"), else the nearest in the sentence,
    // else the narrative's: the last date of the sentence before, in the same paragraph.
    // Dates of reporting ("said on Sunday", "told AFP on Monday") date the telling, not the event.
    // "barred from entering until 2033": when something ends is not when it happened.
    let until = |d: &DateMention| d.start > 0 && matches!(ctx.lower(d.start - 1).as_str(), "until" | "till" | "through");
    let reporting = |d: &DateMention| (d.start.saturating_sub(4)..d.start).any(|k| ctx.lex.speech_verbs.contains(&ctx.lower(k))) || in_dateline(ctx, s, d) || until(d);
    let in_range = |a: usize, b: usize| dates.iter().filter(move |d| d.start >= a && d.end <= b && !reporting(d));
    // A date right after another trigger is that one's: "Nine men arrested in Moscow in May 2016 — ... — were convicted".
    // So is a date before another trigger that stands between it and this one: "In June X was extradited to Y, where he was sentenced".
    let stated_at = |k: usize| match_trigger(tokens, k, ctx.lex).is_some_and(|t| is_stated(ctx, t, t.kind, k, k + t.words.len(), s.start, s.end));
    let owned_by_other = |d: &DateMention| d.end <= t_start && ((d.start.saturating_sub(6).max(s.start)..d.start).any(stated_at) || (d.end..t_start).any(stated_at));
    // A date before "and" belongs to the verb before it: "handed down in February and upheld in September".
    let across_and = |d: &DateMention| (d.end..t_start).any(|k| ctx.lower(k) == "and");
    let distance = |d: &&DateMention| if d.start >= t_end { (d.start - t_end) * 2 } else { (t_start - d.end) * 3 + if across_and(d) { 40 } else { 0 } };
    let date = in_range(lo, next_trigger)
        .filter(|d| d.end <= t_start || d.start >= t_end)
        .filter(|d| !owned_by_other(d))
        .min_by_key(distance)
        .or_else(|| in_range(s.start, next_trigger.max(hi)).filter(|d| d.end <= t_start || (d.start >= t_end && (d.end <= next_trigger || d.start >= hi))).filter(|d| !owned_by_other(d)).min_by_key(distance))
        .or_else(|| {
            // A group's event takes the narrative's time ("some of them were detained");
            // a person's inherits from their previous event when events are merged.
            // A person's event with no date of its own takes the first date of the sentence
            // before, when that sentence is about the same person (narrative continuity).
            let (a, b) = sentences_before?;
            if victims.is_empty() {
                in_range(a, b).last()
            } else if (a..b).any(|k| ctx.entity_at(k).is_some_and(|e| victims.contains(&e))) {
                in_range(a, b).next()
            } else {
                None
            }
        })
        .map(|d| d.date);
    // Narrative time is the time of the last event told of the same person in the sentence before.
    // The same event told again takes its time, dated or not.
    let told_before = |same_kind: bool| {
        prior.before.iter().rev().take_while(|e| e.sentence + 1 >= si).find(|e| {
            e.sentence + 1 == si && e.victims.iter().any(|v| victims.contains(v)) && if same_kind { e.kind == kind } else { e.date.is_some() }
        })
    };
    let own_date = in_range(s.start, s.end).next().is_some();
    let date = match told_before(true).or_else(|| told_before(false)) {
        Some(e) if !own_date => e.date,
        _ => date,
    };
    date
}

/// "LONDON, March 3, 2020 (Agency) -- …": a date in the dateline opening a
/// report dates the report, not what it tells.
fn in_dateline(ctx: &Ctx<'_, '_>, s: &Sentence, d: &DateMention) -> bool {
    let tokens = ctx.tokens;
    let near_start = d.start <= s.start + 8;
    let dash = (d.end..(d.end + 8).min(s.end)).find(|&k| matches!(tokens[k].text, "--" | "—" | "–") || (tokens[k].text == "-" && tokens.get(k + 1).is_some_and(|t| t.text == "-")));
    let heading = |a: usize, b: usize| (a..b).all(|j| !tokens[j].is_word() || tokens[j].is_capitalised());
    // A timeline's "14 February 2020 -- Police detain X" has nothing around its date:
    // the date is the entry's, not a dateline's (which names a place or an agency).
    let framed = |k: usize| d.start > s.start || k > d.end;
    near_start && heading(s.start, d.start) && dash.is_some_and(|k| heading(d.end, k) && framed(k))
}

/// Where the event happened, where from and where to: "in Moscow" after the trigger,
/// else before it in the clause; "to X" is a destination. A transfer across a border is a rendition.
fn places_of<'a>(ctx: &Ctx<'a, '_>, trig: &Trigger, kind: &mut EventType, span: &Span<'_>) -> (Option<&'a KnownPlace>, Option<&'a KnownPlace>, Option<Country>) {
    let ents: &'a Entities = ctx.ents;
    let Span { lo, t_start, t_end, next_trigger, .. } = *span;
    let prev = |k: usize, n: usize| -> String { if k >= n { ctx.lower(k - n) } else { String::new() } };
    let place_at = |k: usize| -> Option<(usize, &'a KnownPlace)> {
        match ents.tags[k] {
            Tag::Place(p) if (k == 0 || ents.tags[k - 1] != ents.tags[k]) && !names_a_thing(ctx, k) => Some((k, &ents.places[p].place)),
            _ => None,
        }
    };
    let mut origin = None;
    let mut destination: Option<Country> = None;
    let mut place = None;
    let scan: Vec<usize> = (t_end..next_trigger).chain((lo..t_start).rev()).collect();
    for &k in &scan {
        let Some((k, p)) = place_at(k) else { continue };
        let before = prev(k, 1);
        let before2 = prev(k, 2);
        let before3 = prev(k, 3);
        let is_dest = before == "to" || before == "into" || (before2 == "to" && before == "the") || (before2 == "back" && before == "to") || before3 == "to" && matches!(before.as_str(), "home" | "homeland");
        let followed_by_where = ctx.lower(k + 1) == "where" || ctx.lower(k + 2) == "where";
        if (*kind).crosses_border() && k > t_start {
            if is_dest && destination.is_none() && !followed_by_where || is_dest && destination.is_none() {
                destination = p.country;
                continue;
            }
            if before == "from" && origin.is_none() {
                origin = Some(p);
                continue;
            }
        }
        // "on a warrant issued by Tashkent", "at the request of Uzbekistan": the state that asks is not where it happened.
        let asked_by = (before == "by" && matches!(before2.as_str(), "issued" | "requested" | "sought" | "signed" | "ordered" | "wanted"))
            || (before == "of" && matches!(before2.as_str(), "request" | "behalf" | "demand" | "orders"));
        if asked_by && k > t_start {
            continue;
        }
        // "arrested ... pursuant to a request from Uzbekistan": where something came from is not where it happened.
        if before == "from" && k > t_start && !(*kind).crosses_border() && !matches!(*kind, EventType::Release | EventType::Abduction | EventType::Disappearance) {
            continue;
        }
        if *kind == EventType::Release && (is_dest || (k > t_start && trig.words.iter().any(|w| w == "return" || w == "leave"))) {
            continue; // where a freed person goes is not where the release happened
        }
        // "to Uzbekistan where he was tortured": the destination is where a later event happened.
        if is_dest && !(followed_by_where && k < t_start) && *kind != EventType::Transfer {
            continue;
        }
        if *kind == EventType::Transfer && is_dest {
            // "transferred to Tajikistan" moves a person across a border.
            if p.kind == PlaceKind::Country || p.kind == PlaceKind::City {
                destination = p.country;
                *kind = EventType::Rendition;
            }
            continue;
        }
        // Before the trigger, "of X" or "from X" (also "a native of Uzbekistan's Fergana region") says where someone is from.
        let origin_phrase = k < t_start && (1..=3).any(|n| matches!(prev(k, n).as_str(), "of" | "from") && (1..n).all(|m| !matches!(prev(k, m).as_str(), "," | "in" | "at")));
        if place.is_none() && !origin_phrase {
            place = Some(p);
        }
    }
    (origin, place, destination)
}

#[allow(clippy::too_many_arguments)]
fn build_event(
    ctx: &Ctx<'_, '_>,
    trig: &Trigger,
    t_start: usize,
    t_end: usize,
    s: &Sentence,
    si: usize,
    layout: &Layout,
    dates: &[DateMention],
    prior: &Prior<'_>,
    salient: Option<usize>,
    body_sentence: usize,
    sentences_before: Option<(usize, usize)>,
) -> Option<RawEvent> {
    let tokens = ctx.tokens;
    let ents = ctx.ents;
    let earlier_in_sentence = prior.in_sentence;
    let (lo, hi) = clause_bounds(tokens, s, t_start);
    let prev = |k: usize, n: usize| -> String { if k >= n { ctx.lower(k - n) } else { String::new() } };
    let mut kind = trig.kind;

    // After the trigger, arguments are looked for only up to the next trigger: its words are its own.
    // A trigger that states nothing ("released from detention") does not end the arguments.
    let next_trigger = (t_end..hi).find(|&k| match_trigger(tokens, k, ctx.lex).is_some_and(|t| is_stated(ctx, t, t.kind, k, k + t.words.len(), lo, hi))).unwrap_or(hi);

    if !is_fact(ctx, trig, t_start, t_end, s, lo, hi) {
        return None;
    }
    // Verbs that mean sentencing only with a term: "handed him 14 years", "jailed for 14 years".
    let needs_term = matches!(tokens[t_start].lower().as_str(), "handed" | "given" | "jailed" | "imprisoned" | "received" | "got");
    let term_end = (t_end..hi).find(|&k| match_trigger(tokens, k, ctx.lex).is_some_and(|t| t.kind != EventType::Sentence)).unwrap_or(hi);
    // A noun trigger may have its term before it: "a ten-year sentence".
    let term_from = if trig.form == Form::Noun { t_start.saturating_sub(3).max(lo) } else { t_start };
    let term = if matches!(kind, EventType::Sentence) { term_in(tokens, term_from, term_end, ctx.lex) } else { None };
    if kind == EventType::Sentence && needs_term && term.is_none() {
        if tokens[t_start].lower() == "jailed" {
            kind = EventType::Arrest;
        } else {
            return None;
        }
    }

    let is_person = |e: EntityRef| matches!(e, EntityRef::Person(p) if !ents.persons[p].credit_only);
    let org_victims = matches!(kind, EventType::Ban | EventType::Search | EventType::Harassment);
    let victim_ok = |e: EntityRef| is_person(e) || (org_victims && matches!(e, EntityRef::Org(_)));
    // "and later released": an adverb may stand between the "and" and the verb.
    let adverb = matches!(prev(t_start, 1).as_str(), "later" | "then" | "subsequently" | "eventually" | "finally" | "also" | "soon" | "again" | "afterwards");
    let and_before = prev(t_start, 1) == "and" || (adverb && prev(t_start, 2) == "and");
    // "was taken to the airport, flown to Dushanbe and handed over": a chain of participles shares the passive.
    let chained = (and_before || prev(t_start, 1) == ",")
        && (t_start.saturating_sub(15).max(lo)..t_start).any(|k| BE.contains(&ctx.lower(k).as_str()))
        && ctx.entity_at(t_end).is_none()
        && !matches!(ctx.lower(t_end).as_str(), "his" | "her" | "their" | "him" | "them");
    // A database entry's "Arrested by police in 2009": a participle opening its clause.
    let opens = t_start == lo || tokens.get(t_start.wrapping_sub(1)).is_some_and(|t| t.kind == Kind::Break);
    let telegraphic = trig.form == Form::Verb && opens && tokens[t_start].is_capitalised() && PREPOSITIONS.contains(&ctx.lower(t_end).as_str());
    let passive = telegraphic
        || trig.form == Form::Verb && (1..=3).any(|n| BE.contains(&prev(t_start, n).as_str()))
        || trig.form == Form::Verb && and_before && !earlier_in_sentence.is_empty()
        || trig.form == Form::Verb && chained;
    let mut victims: Vec<EntityRef> = Vec::new();
    let mut perpetrators: Vec<EntityRef> = Vec::new();
    let mut group = false;
    let mut confidence: f32 = 0.8;

    // The subject before the trigger, nearest first.
    let victim_subject = passive || trig.subject_is_victim;
    let subject = |accept: &dyn Fn(EntityRef) -> bool| -> (Vec<EntityRef>, bool) {
        let apposed = subject_before_apposition(ctx, t_start, lo, accept);
        if !apposed.is_empty() {
            return (apposed, false);
        }
        let mut k = t_start;
        while k > lo {
            k -= 1;
            let w = ctx.lower(k);
            // A plural "they" stands for the victims of an event just told.
            // "Both men", "both": the two last told of, when no one event had them both.
            let both = w == "both" || (k > lo && ctx.lower(k - 1) == "both" && GROUP_NOUNS.contains(&w.as_str()));
            if (w == "they" || both) && t_start - k <= 6 && victim_subject {
                let pair = if both { prior.plural_victims(si).or_else(|| prior.last_two_victims(si)) } else { prior.plural_victims(si) };
                return match pair {
                    Some(v) => (v.into_iter().filter(|e| accept(*e)).collect(), false),
                    None => (Vec::new(), true),
                };
            }
            // A group as subject, not inside a phrase ("by unidentified men", "the rights of migrants").
            let in_phrase = {
                let mut j = k;
                // skip the group's modifiers: "unidentified men", "Tajik migrants"
                while j > lo && k - j < 2 && (matches!(ents.tags[j - 1], Tag::Demonym(_)) || (tokens[j - 1].is_word() && !tokens[j - 1].is_capitalised() && !PREPOSITIONS.contains(&ctx.lower(j - 1).as_str()))) {
                    j -= 1;
                }
                let quantified = w == "them" && j >= 2 && ctx.lower(j - 1) == "of"; // "some of them"
                j > 0 && !quantified && matches!(ctx.lower(j - 1).as_str(), "by" | "of" | "for" | "to" | "with" | "against" | "about")
            };
            if GROUP_NOUNS.contains(&w.as_str()) && t_start - k <= 8 && !in_phrase {
                return (Vec::new(), true);
            }
            // "her client was questioned": a possessive names someone else.
            if matches!(w.as_str(), "his" | "her" | "their") && k + 1 < t_start && tokens[k + 1].is_word() && !tokens[k + 1].is_capitalised() && !BE.contains(&ctx.lower(k + 1).as_str()) {
                // "He and his father were questioned": the one named before "and" is a subject too.
                if k >= lo + 2 && ctx.lower(k - 1) == "and" && ctx.entity_at(k - 2).is_some_and(|e| accept(e)) {
                    return (ctx.group_backward(k - 2, lo, accept), false);
                }
                return (Vec::new(), false);
            }
            if let Some(e) = ctx.entity_at(k) {
                if accept(e) {
                    return (ctx.group_backward(k, lo, accept), false);
                }
                if matches!(e, EntityRef::Person(_)) {
                    // Another person (a speaker, a byline) stands between: stop.
                    return (Vec::new(), false);
                }
            }
            // A verb of speech closes the subject search: its subject is the speaker.
            if ctx.lex.speech_verbs.contains(&w) {
                return (Vec::new(), false);
            }
        }
        (ctx.dash_list_before(lo, s, accept), false)
    };

    match (trig.form, passive || trig.subject_is_victim) {
        (Form::Ruling, _) => {
            let passed_on = (1..=3).any(|n| BE.contains(&prev(t_start, n).as_str())) || and_before || trig.words.iter().any(|w| BE.contains(&w.as_str()));
            victims = ruling_victims(ctx, s, si, t_start, t_end, hi, prior, passed_on);
            // The court that rules, before the trigger: its agent.
            let court = (lo..t_start).rev().find_map(|k| match ents.tags[k] {
                Tag::Org(o) if ents.orgs[o].category == Some(OrgCategory::Court) => Some(EntityRef::Org(o)),
                _ => None,
            });
            perpetrators.extend(court);
        }
        (Form::Verb, true) => {
            // A verb coordinated with an earlier one shares its subject:
            // "was abducted in Moscow ... and forcibly returned to Uzbekistan".
            let coordinated = (1..=2).any(|n| prev(t_start, n) == "and") && !(1..=2).any(|n| BE.contains(&prev(t_start, n).as_str()));
            if let (true, Some(prev_ev)) = (coordinated, earlier_in_sentence.last()) {
                victims = prev_ev.victims.clone();
            } else {
                let (v, g) = subject(&victim_ok);
                victims = v;
                group = g;
            }
            // Co-victims after the verb: "was detained along with X".
            if victims.is_empty() && !group {
                if let Some(prev_ev) = earlier_in_sentence.last() {
                    if prev(t_start, 1) == "and" || (1..=3).any(|n| prev(t_start, n) == "and") {
                        victims = prev_ev.victims.clone();
                        confidence -= 0.1;
                    }
                }
            }
            // A database entry's telegraphic "Arrested by police in 2009 in Moscow": the story's subject.
            if victims.is_empty() && !group && telegraphic {
                victims.extend(salient.map(EntityRef::Person));
                confidence -= 0.2;
            }
            // The lede's "A migrants' rights activist ... was sentenced": the story's subject.
            if victims.is_empty() && !group && body_sentence <= 3 && (ctx.lower(lo) == "a" || ctx.lower(lo) == "an") {
                if let Some(p) = salient {
                    if (lo..t_start).any(|k| ctx.lex.roles.contains(&ctx.lower(k))) {
                        victims.push(EntityRef::Person(p));
                        confidence -= 0.2;
                    }
                }
            }
            // PDF damage may push names past the verb: "... were arrested in Moscow Kholmatov and Marufjo Maliko".
            if !victims.is_empty() && matches!(kind, EventType::Arrest | EventType::Abduction | EventType::Deportation) {
                let mut k = t_end;
                while k < hi {
                    let w = ctx.lower(k);
                    if matches!(w.as_str(), "by" | "to" | "for" | "from" | "of" | "with" | "against" | "said" | "says" | "told" | "after" | "before" | "when" | "who" | "which") || match_trigger(tokens, k, ctx.lex).is_some() {
                        break;
                    }
                    if matches!(ents.tags[k], Tag::Person(_)) {
                        for e in ctx.group_forward(k, hi, &is_person) {
                            if !victims.contains(&e) {
                                victims.push(e);
                            }
                        }
                        break;
                    }
                    k += 1;
                }
            }
        }
        (Form::Verb, false) => {
            // Active voice: the object after the verb is the victim, the subject the perpetrator.
            let mut k = t_end;
            // "ordered the liquidation of X": the phrase's noun takes its object with "of".
            if ctx.lower(k) == "of" && trig.words.len() > 1 {
                k += 1;
            }
            while k < hi && k < t_end + 9 {
                let w = ctx.lower(k);
                // "searched the home of X", "questioned the relatives of X"
                let of_owner = w == "of" && k > t_end && matches!(ctx.lower(k - 1).as_str(), "home" | "homes" | "flat" | "apartment" | "house" | "office" | "offices" | "family" | "relatives" | "parents" | "car");
                if PREPOSITIONS.contains(&w.as_str()) && !matches!(w.as_str(), "against") && !of_owner {
                    break;
                }
                // "sentenced his cousin, Batyr Ovezov": "his" owns the noun; the object is the name after it.
                let possessor = matches!(w.as_str(), "his" | "her" | "their")
                    && tokens.get(k + 1).is_some_and(|t| t.is_word() && !t.is_capitalised());
                if let (Some(e), false) = (ctx.entity_at(k), possessor) {
                    if victim_ok(e) {
                        victims = ctx.group_forward(k, hi, &victim_ok);
                    }
                    break;
                }
                if possessor && ctx.lower(k + 2) == "," {
                    if let Some(e) = ctx.entity_at(k + 3).filter(|&e| victim_ok(e)) {
                        victims.push(e);
                        break;
                    }
                }
                if GROUP_NOUNS.contains(&w.as_str()) {
                    // "five men, including X and Y": the named ones are victims too.
                    let named = (k + 1..(k + 4).min(hi)).find(|&j| matches!(ctx.lower(j).as_str(), "including" | "among")).map(|j| j + 1 + usize::from(ctx.lower(j + 1) == "them"));
                    match named.and_then(|j| ctx.entity_at(j).filter(|&e| victim_ok(e)).map(|_| j)) {
                        Some(j) => victims = ctx.group_forward(j, hi, &victim_ok),
                        None => group = true,
                    }
                    break;
                }
                k += 1;
            }
            // "Nine Muslims arrested in Moscow in 2016 — A, B and C — were convicted": the dashed list names the group.
            if victims.is_empty() && !group && GROUP_NOUNS.contains(&prev(t_start, 1).as_str()) {
                victims = ctx.dash_list_after(hi, s, &victim_ok);
            }
            // "Hizb ut-Tahrir, an organization that Russia banned": the relative pronoun's antecedent.
            let relative = (t_start.saturating_sub(4).max(lo)..t_start).rev().find(|&k| matches!(ctx.lower(k).as_str(), "that" | "which" | "whom"));
            if let (true, Some(r)) = (victims.is_empty() && !group, relative) {
                let mut k = r;
                while k > s.start && r - k < 8 {
                    k -= 1;
                    if let Some(e) = ctx.entity_at(k) {
                        if victim_ok(e) {
                            victims.push(e);
                        }
                        break;
                    }
                }
                let (subj, _) = {
                    let between: Vec<EntityRef> = (r + 1..t_start).filter_map(|k| ctx.entity_at(k)).collect();
                    (between, false)
                };
                perpetrators.extend(subj.into_iter().filter(|e| !victims.contains(e)));
            } else {
                let (subj, _) = subject(&|e: EntityRef| matches!(e, EntityRef::Org(_)) || is_person(e));
                perpetrators.extend(subj.into_iter().filter(|e| !victims.contains(e)));
            }
            // "accused X of ..., then changed the charges": a coordinated verb with no
            // object of its own is about the same victim.
            if victims.is_empty() && !group {
                if let Some(prev_ev) = earlier_in_sentence.last() {
                    if (t_start.saturating_sub(3)..t_start).any(|k| matches!(ctx.lower(k).as_str(), "and" | "then")) {
                        victims = prev_ev.victims.clone();
                        confidence -= 0.15;
                    }
                }
            }
            confidence -= 0.05;
        }
        (Form::Noun, _) => {
            // "the abduction of X", "X's arrest", "his abduction"
            let mut k = t_end;
            while k < hi && k < t_end + 4 && !ctx.lower(k).eq("of") {
                k += 1;
            }
            if ctx.lower(k) == "of" && k + 1 < hi {
                if let Some(e) = ctx.entity_at(k + 1) {
                    if victim_ok(e) {
                        victims = ctx.group_forward(k + 1, hi, &victim_ok);
                    }
                } else if GROUP_NOUNS.contains(&ctx.lower(k + 1).as_str()) || GROUP_NOUNS.contains(&ctx.lower(k + 2).as_str()) {
                    group = true;
                }
            }
            if victims.is_empty() && t_start > lo {
                let mut k = t_start - 1;
                // skip adjectives: "his forcible abduction", "Mirsobir's abduction"
                while k > lo && tokens[k].is_word() && !tokens[k].is_capitalised() && ctx.entity_at(k).is_none() && t_start - k < 3 && !PREPOSITIONS.contains(&ctx.lower(k).as_str()) {
                    k -= 1;
                }
                if tokens[k].kind == Kind::Possessive && k > 0 {
                    k -= 1;
                }
                if let Some(e) = ctx.entity_at(k) {
                    if victim_ok(e) && (tokens[k + 1].kind == Kind::Possessive || matches!(ctx.lower(k).as_str(), "his" | "her")) {
                        victims.push(e);
                    }
                } else if ctx.lower(k) == "their" {
                    victims = prior.plural_victims(si).unwrap_or_default();
                }
            }
            let plural = tokens[t_end - 1].text.ends_with('s') && !tokens[t_end - 1].text.ends_with("ss");
            if victims.is_empty() && !group {
                // The sentence's subject: the nearest person before, else the only one after.
                // A plural noun ("raids", "arrests") takes only a group, never one person.
                let (v, g) = subject(&victim_ok);
                if !plural {
                    victims = v;
                }
                group = g;
                if victims.is_empty() && !group && !plural {
                    let after: Vec<EntityRef> = (t_end..s.end).filter_map(|k| ctx.entity_at(k)).filter(|e| victim_ok(*e)).collect();
                    if let Some(first) = after.first() {
                        if after.iter().all(|e| e == first) {
                            victims.push(*first);
                        }
                    }
                }
                confidence -= 0.2;
            }
        }
    }
    if victims.is_empty() {
        // Events without a named victim are kept only for groups that acted or were
        // acted on at a stated time: "mothers went to pickets", "members were arrested".
        let dated = dates.iter().any(|d| d.start >= s.start && d.end <= s.end);
        let narrative_dated = dates.iter().any(|d| d.end <= s.start) && layout.paragraph[si] == layout.paragraph[si.saturating_sub(1)];
        // Habits are not events: "members are regularly subjected to police raids".
        let habitual = (s.start..s.end).any(|k| matches!(ctx.lower(k).as_str(), "regularly" | "often" | "usually" | "routinely" | "frequently" | "sometimes" | "recent"));
        if habitual || !(group && matches!(kind, EventType::Arrest | EventType::Protest | EventType::Search) && (dated || narrative_dated)) {
            return None;
        }
        confidence = 0.4;
    }

    for e in agents_after(ctx, kind, t_end, hi, &victims, &is_person) {
        if !perpetrators.contains(&e) {
            perpetrators.push(e);
        }
    }
    perpetrators.retain(|p| !victims.contains(p));
    let span = Span { s, si, lo, hi, t_start, t_end, next_trigger };
    let (origin, place, mut destination) = places_of(ctx, trig, &mut kind, &span);
    if kind.crosses_border() && destination.is_none() {
        // "handed over to Uzbekistani security agents": the receiving state.
        destination = perpetrators.iter().find_map(|e| match e {
            EntityRef::Org(o) if ents.orgs[*o].country.is_some() && ents.orgs[*o].country != origin.or(place).and_then(|p| p.country) => ents.orgs[*o].country,
            _ => None,
        });
    }
    let located = origin.or(place);
    let mut country = located.and_then(|p| p.country);
    let place_name = located.filter(|p| p.kind != PlaceKind::Country).map(|p| p.name.clone());
    if destination.is_some() && destination == country && kind.crosses_border() && origin.is_none() {
        country = None;
    }

    let date = event_date(ctx, &span, dates, &victims, kind, prior, sentences_before);

    let regime = if matches!(kind, EventType::Sentence | EventType::Transfer) {
        let sentence_text = &ctx.text[tokens[s.start].start..tokens[s.end - 1].end];
        regime_re().find(sentence_text).map(|m| {
            let caps = regime_re().captures(m.as_str()).unwrap();
            format!("{}-{} {} {}", caps[1].to_lowercase(), caps[2].to_lowercase(), caps.get(3).map_or("penal", |c| c.as_str()).to_lowercase(), caps[4].to_lowercase())
        })
    } else {
        None
    };
    let charges = if matches!(kind, EventType::Charge | EventType::Sentence | EventType::Arrest | EventType::Trial) { charges_in(tokens, t_start, next_trigger) } else { Vec::new() };
    if date.is_some() {
        confidence += 0.1;
    }
    Some(RawEvent {
        kind,
        victims,
        perpetrators,
        date,
        place: place_name,
        country,
        to_country: if kind.crosses_border() { destination } else { None },
        term_years: term,
        regime,
        charges,
        confidence: confidence.clamp(0.05, 0.99),
        sources: vec![(s.start, s.end)],
        sentence: si,
        paragraph: layout.paragraph[si],
    })
}

/// Tells of the same event are one event: same type, a shared victim (or
/// both without one), dates and places that agree, no conflicting term or charges.
fn merge(events: Vec<RawEvent>) -> Vec<RawEvent> {
    // Narrative continuity: an undated event takes the date and place of the
    // event just before it in the same paragraph when they share a victim.
    let mut events = events;
    for i in 1..events.len() {
        let (before, rest) = events.split_at_mut(i);
        let e = &mut rest[0];
        let p = &before[i - 1];
        if e.kind == EventType::Release {
            // Released where the person had been taken.
            if let Some(t) = before.iter().rev().find(|b| b.kind.crosses_border() && b.to_country.is_some() && b.victims.iter().any(|v| e.victims.contains(v))) {
                e.country = t.to_country;
                e.place = None;
            }
        }
        if p.paragraph == e.paragraph && e.sentence <= p.sentence + 2 && p.victims.iter().any(|v| e.victims.contains(v)) {
            // A court's decision is not at the time of the arrest just told.
            let court = |k: EventType| matches!(k, EventType::Sentence | EventType::Trial);
            if e.date.is_none() && (court(e.kind) == court(p.kind)) {
                e.date = p.date;
            }
            // A charge is brought where the state that brings it is, not where the victim was last.
            if e.country.is_none() && e.place.is_none() && !p.kind.crosses_border() && p.kind != EventType::Charge && e.kind != EventType::Charge {
                e.country = p.country;
                e.place = p.place.clone();
            }
        }
        // Otherwise a victim is where the story last left them: where the last
        // event happened, or where a forced transfer took them.
        if e.country.is_none() && !e.victims.is_empty() && e.kind != EventType::Charge {
            e.country = before
                .iter()
                .rev()
                .take_while(|b| b.sentence + 4 >= e.sentence)
                .find(|b| {
                    b.victims.iter().any(|v| e.victims.contains(v))
                        // being charged or wanted by a state does not place a person there
                        && b.kind != EventType::Charge
                        && (b.country.is_some() || b.to_country.is_some())
                        // the story may go back in time: only what came before counts
                        && match (b.date, e.date) {
                            (Some(bd), Some(ed)) => bd.first_day_number() <= ed.first_day_number(),
                            _ => true,
                        }
                })
                // an entry ban is the ban of the state the person was removed from
                .and_then(|b| if b.kind.crosses_border() && e.kind != EventType::Ban { b.to_country.or(b.country) } else { b.country });
        }
    }
    let mut out: Vec<RawEvent> = Vec::new();
    for e in events {
        let same = out.iter().position(|o| {
            o.kind == e.kind
                && ((o.victims.is_empty() && e.victims.is_empty() && o.paragraph == e.paragraph)
                    || o.victims.iter().any(|v| e.victims.contains(v)))
                && match (o.date, e.date) {
                    (Some(a), Some(b)) => a.compatible(&b),
                    _ => true,
                }
                && match (o.country, e.country) {
                    (Some(a), Some(b)) => {
                        a == b
                            // told again on the same day: the same event, whatever place a telling suggests
                            || (o.date.is_some_and(|d| d.day.is_some()) && o.date == e.date)
                            || matches!(e.kind, EventType::Disappearance | EventType::Abduction)
                            // one forced return to one country, however often it is told
                            || (e.kind.crosses_border() && o.to_country.is_some() && o.to_country == e.to_country)
                    }
                    _ => true,
                }
                && match (o.term_years, e.term_years) {
                    (Some(a), Some(b)) => (a - b).abs() < 1e-6,
                    _ => true,
                }
                && (o.charges.is_empty() || e.charges.is_empty() || o.charges.iter().any(|c| e.charges.contains(c)))
                && !(o.kind == EventType::Charge && o.date.is_some() != e.date.is_some() && !o.charges.is_empty() && !e.charges.is_empty())
        });
        match same {
            Some(k) => {
                let o = &mut out[k];
                for v in e.victims {
                    if !o.victims.contains(&v) {
                        o.victims.push(v);
                    }
                }
                for p in e.perpetrators {
                    if !o.perpetrators.contains(&p) {
                        o.perpetrators.push(p);
                    }
                }
                let precision = |d: Option<PartialDate>| d.map_or(0, |d| 1 + usize::from(d.month.is_some()) + usize::from(d.day.is_some()));
                if precision(e.date) > precision(o.date) {
                    // The more precise telling also says best where it happened.
                    o.date = e.date;
                    if e.country.is_some() {
                        o.country = e.country;
                        o.place = e.place.clone();
                    }
                }
                o.place = o.place.take().or(e.place);
                o.country = o.country.or(e.country);
                o.to_country = o.to_country.or(e.to_country);
                o.term_years = o.term_years.or(e.term_years);
                o.regime = o.regime.take().or(e.regime);
                for c in e.charges {
                    if !o.charges.contains(&c) {
                        o.charges.push(c);
                    }
                }
                o.confidence = o.confidence.max(e.confidence);
                for s in e.sources {
                    if !o.sources.contains(&s) {
                        o.sources.push(s);
                    }
                }
            }
            None => out.push(e),
        }
    }
    out
}
