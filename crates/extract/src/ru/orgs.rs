//! Organisations in any case form, with their nominative names.
//!
//! Candidates come from four rules, and where they overlap the longest wins
//! (the lexicon on a tie):
//! - the lexicon (`data/ru/organizations.tsv`), by lemma, extended by the
//!   country after it ("ФСБ РФ", "генпрокуратура России"); another country
//!   makes it that country's namesake ("МВД Таджикистана");
//! - noun-phrase shapes on a head noun (`data/ru/org_heads.tsv`): its
//!   agreeing adjectives, then genitive complements, a place, "по" and a
//!   place, a number or a quoted name, counted only when something makes the
//!   phrase name one body (see the head file);
//! - quoted names after a reporting verb ("пишет «Медуза»"), names marked
//!   with an asterisk (banned in Russia), and news sites ("Фергана.ру").
//!
//! Mentions of one body share its key; a name without its complement
//! ("Басманного суда") joins the one body whose name it begins.

use super::gazetteer::{fold, is_quote, Gazetteer, Hit};
use super::inflect::{agreement, nominative_phrase, nominative_word};
use super::morph::Gram;
use super::places::{Kind as PlaceKind, PlaceLexicon};
use super::{Doc, FoundOrg, FoundPlace};
use crate::lexicon::slug;
use chronicle_model::{Country, OrgCategory};
// The word tables are looked up for every token: a fast hash (the Rust compiler's).
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::sync::OnceLock;

#[derive(Debug, Clone)]
pub(crate) struct KnownOrg {
    pub key: String,
    pub name: String,
    pub category: OrgCategory,
    pub country: Option<Country>,
}

#[derive(Debug, Clone)]
struct Head {
    category: OrgCategory,
    /// Alternatives, each a set of qualifier letters.
    qualifiers: Vec<String>,
    /// With a quoted name, the mention is the name alone.
    name_only: bool,
}

struct OrgLexicon {
    known: Gazetteer<KnownOrg>,
    /// (abbreviation or name as written, country) → the body: "ГКНБ" of KG.
    by_country: HashMap<(String, Country), KnownOrg>,
    heads: HashMap<String, Head>,
    words: HashMap<String, HashSet<String>>,
}

fn data_lines(src: &str) -> impl Iterator<Item = &str> {
    src.lines().filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
}

impl OrgLexicon {
    fn get() -> &'static OrgLexicon {
        static LEX: OnceLock<OrgLexicon> = OnceLock::new();
        LEX.get_or_init(OrgLexicon::load)
    }

    fn load() -> OrgLexicon {
        let mut lex = OrgLexicon { known: Gazetteer::new(), by_country: HashMap::default(), heads: HashMap::default(), words: HashMap::default() };
        let mut seen: HashSet<String> = HashSet::default();
        for line in data_lines(include_str!("../../data/ru/organizations.tsv")) {
            let cols: Vec<&str> = line.split('\t').collect();
            let [cat, country, key, names] = cols[..] else { panic!("ru/organizations.tsv: bad line {line:?}") };
            let names: Vec<&str> = names.split('|').collect();
            let display = names[0].replace(['«', '»'], "");
            let org = KnownOrg {
                key: if key == "-" { slug(&display) } else { key.to_string() },
                name: display,
                category: cat.parse().unwrap_or_else(|e| panic!("ru/organizations.tsv: {e}")),
                country: country.parse().ok(),
            };
            for n in names {
                if let Some(c) = org.country {
                    lex.by_country.insert((fold(n), c), org.clone());
                }
                // an abbreviation listed again for another country is that country's, not the default
                if seen.insert(fold(n)) {
                    lex.known.insert(n, org.clone());
                }
            }
        }
        for line in data_lines(include_str!("../../data/ru/org_heads.tsv")) {
            let cols: Vec<&str> = line.split('\t').collect();
            let [word, cat, quals, mention] = cols[..] else { panic!("ru/org_heads.tsv: bad line {line:?}") };
            let head = Head {
                category: cat.parse().unwrap_or_else(|e| panic!("ru/org_heads.tsv: {e}")),
                qualifiers: quals.split('|').map(str::to_string).collect(),
                name_only: mention == "name",
            };
            lex.heads.insert(fold(word), head);
        }
        for line in data_lines(include_str!("../../data/ru/org_words.tsv")) {
            let (kind, word) = line.split_once('\t').unwrap_or_else(|| panic!("ru/org_words.tsv: bad line {line:?}"));
            lex.words.entry(kind.to_string()).or_default().insert(fold(word));
        }
        lex
    }

    fn is(&self, kind: &str, lemma: &str) -> bool {
        let plain = !super::has_upper(lemma) && !lemma.contains('ё');
        self.words.get(kind).is_some_and(|w| if plain { w.contains(lemma) } else { w.contains(&fold(lemma)) })
    }

    /// The head noun at token `i`: by lemma, or an abbreviation as written.
    fn head_at(&self, doc: &Doc<'_>, i: usize) -> Option<(&Head, bool)> {
        let t = &doc.tokens[i];
        if !t.is_word() {
            return None;
        }
        let abbreviation = t.text.chars().count() >= 2 && !t.text.chars().any(char::is_lowercase);
        if abbreviation {
            return self.heads.get(doc.folded(i)).map(|h| (h, true));
        }
        doc.readings[i].iter().filter(|r| r.gram.has(Gram::NOUN)).find_map(|r| self.heads.get(r.plain.as_str())).map(|h| (h, false))
    }
}

/// One candidate mention.
#[derive(Debug, Clone)]
struct Candidate {
    start: usize,
    end: usize,
    key: String,
    name: String,
    category: OrgCategory,
    country: Option<Country>,
    /// Lexicon 3, shapes 2, the weaker cues 1: the winner on a tie.
    priority: u8,
    /// A shape's name, which a shorter mention of it may join.
    shaped: bool,
}

pub(crate) fn find_orgs(doc: &Doc<'_>, places: &[FoundPlace]) -> Vec<FoundOrg> {
    let lex = OrgLexicon::get();
    let at: HashMap<usize, &FoundPlace> = places.iter().map(|p| (p.start, p)).collect();
    let mut cands = Vec::new();
    for i in 0..doc.tokens.len() {
        cands.extend(lexicon_at(doc, lex, &at, i));
        cands.extend(shape_at(doc, lex, &at, i));
        cands.extend(cue_at(doc, lex, i));
    }
    group(resolve(cands))
}

/// The longest candidates that do not overlap.
fn resolve(mut cands: Vec<Candidate>) -> Vec<Candidate> {
    cands.sort_by_key(|c| (std::cmp::Reverse(c.end - c.start), std::cmp::Reverse(c.priority), c.start));
    let mut taken: Vec<Candidate> = Vec::new();
    for c in cands {
        if taken.iter().all(|t| c.end <= t.start || c.start >= t.end) {
            taken.push(c);
        }
    }
    taken.sort_by_key(|c| c.start);
    taken
}

/// Candidates grouped by key, a shape's shorter name joining the one longer name it begins.
fn group(cands: Vec<Candidate>) -> Vec<FoundOrg> {
    let mut orgs: Vec<FoundOrg> = Vec::new();
    let mut shaped: Vec<bool> = Vec::new();
    for c in &cands {
        match orgs.iter().position(|o| o.key == c.key) {
            Some(k) => orgs[k].mentions.push((c.start, c.end)),
            None => {
                orgs.push(FoundOrg { key: c.key.clone(), name: c.name.clone(), mentions: vec![(c.start, c.end)], category: Some(c.category), country: c.country });
                shaped.push(c.shaped);
            }
        }
    }
    let mut k = 0;
    while k < orgs.len() {
        let prefix = format!("{} ", orgs[k].name);
        let longer: Vec<usize> = (0..orgs.len()).filter(|&o| o != k && shaped[o] && shaped[k] && orgs[o].name.starts_with(&prefix)).collect();
        if let [o] = longer[..] {
            let mentions = orgs[k].mentions.clone();
            orgs[o].mentions.extend(mentions);
            orgs[o].mentions.sort();
            orgs.remove(k);
            shaped.remove(k);
            k = 0;
            continue;
        }
        k += 1;
    }
    orgs
}

fn sentence_start(doc: &Doc<'_>, i: usize) -> bool {
    let s = doc.sentence_of(i);
    (s.start..i).all(|k| !doc.tokens[k].is_word())
}

/// A lexicon body at token `i`, with the country after it.
fn lexicon_at(doc: &Doc<'_>, lex: &OrgLexicon, at: &HashMap<usize, &FoundPlace>, i: usize) -> Option<Candidate> {
    let hit: Hit<'_, KnownOrg> = lex.known.longest_at(doc, i)?;
    let org = hit.value;
    let single = hit.end - hit.start <= 2 && (hit.start..hit.end).filter(|&k| doc.tokens[k].is_word()).count() == 1;
    let w = (hit.start..hit.end).find(|&k| doc.tokens[k].is_word())?;
    let common = doc.readings[w].iter().any(|r| r.known && !r.gram.any(Gram::ORGN | Gram::ABBR | Gram::GEOX | Gram::SURN | Gram::NAME));
    if single && common && !hit.quoted && sentence_start(doc, w) {
        return None; // "Медуза" opening a sentence may be the animal
    }
    let mut c = Candidate { start: w, end: hit.end, key: org.key.clone(), name: org.name.clone(), category: org.category, country: org.country, priority: 3, shaped: false };
    if org.country.is_none() {
        return Some(c);
    }
    if let Some((end, country)) = po_complement(doc, at, hit.end) {
        // "МВД по Республике Татарстан": the body's department there
        let name = format!("{} {}", first_nominative(doc, c.start, hit.end, &org.name), doc.slice(hit.end, end));
        return Some(Candidate { end, key: slug(&name), name, country: country.or(org.country), ..c });
    }
    if let Some((end, place)) = place_complement(doc, at, hit.end) {
        let Some(country) = place.country else { return Some(c) };
        let written = fold(doc.slice(c.start, hit.end));
        if place_kind(place) == Some(PlaceKind::Country) && Some(country) == org.country {
            c.end = end;
        } else if let Some(other) = lex.by_country.get(&(written.clone(), country)).filter(|_| place_kind(place) == Some(PlaceKind::Country)) {
            c = Candidate { end, key: other.key.clone(), name: other.name.clone(), country: other.country, ..c };
        } else {
            let name = format!("{} {}", first_nominative(doc, c.start, hit.end, &org.name), doc.slice(hit.end, end));
            c = Candidate { end, key: slug(&name), name, country: Some(country), ..c };
        }
    }
    Some(c)
}

/// The matched words in the nominative ("Верховного суда" → "Верховный суд"),
/// or as written when they are an abbreviation.
fn first_nominative(doc: &Doc<'_>, a: usize, b: usize, listed: &str) -> String {
    let written = doc.slice(a, b);
    if written.chars().filter(|c| c.is_alphabetic()).all(char::is_uppercase) {
        return written.to_string();
    }
    match (a..b).find(|&k| doc.can_be(k, Gram::NOUN) && !doc.can_be(k, Gram::ADJF)) {
        Some(head) => nominative_phrase(doc, a, head, b),
        None => listed.to_string(),
    }
}

fn place_kind(p: &FoundPlace) -> Option<PlaceKind> {
    PlaceLexicon::get().named(&p.name).map(|k| k.kind)
}

/// One place in the genitive at token `j` ("Москвы", "г. Москвы", "РФ"),
/// not one of several joined by и/или: its end and the place.
fn place_complement<'p>(doc: &Doc<'_>, at: &HashMap<usize, &'p FoundPlace>, j: usize) -> Option<(usize, &'p FoundPlace)> {
    let from = j;
    let j = skip_town_word(doc, j);
    let p = at.get(&j)?;
    // after a town word the name keeps its own case: "Республики Татарстан"
    let genitive = (from..p.end).any(|k| doc.can_be(k, Gram::GENT) || doc.can_be(k, Gram::FIXD)) || doc.readings[p.start].is_empty();
    let joined = doc.tokens.get(p.end).is_some_and(|t| matches!(t.text, "и" | "или")) && at.contains_key(&skip_town_word(doc, p.end + 1));
    (genitive && !joined).then_some((p.end, *p))
}

/// Past "г." or a word like город, республика before a place's name ("Республики Татарстан").
fn skip_town_word(doc: &Doc<'_>, j: usize) -> usize {
    let g = doc.tokens.get(j).is_some_and(|t| t.text == "г") && doc.tokens.get(j + 1).is_some_and(|t| t.text == ".");
    if g {
        return j + 2;
    }
    let word = doc.tokens.get(j).is_some_and(|t| t.is_word()) && OrgLexicon::get().is("town", &doc.lemma(j));
    if word { j + 1 } else { j }
}

/// "по" and one or more places in the dative: its end and the first place's country.
fn po_complement(doc: &Doc<'_>, at: &HashMap<usize, &FoundPlace>, j: usize) -> Option<(usize, Option<Country>)> {
    if doc.folded(j) != "по" {
        return None;
    }
    let first = at.get(&skip_town_word(doc, j + 1))?;
    let mut end = first.end;
    while doc.tokens.get(end).is_some_and(|t| t.text == "и") {
        match at.get(&skip_town_word(doc, end + 1)) {
            Some(p) => end = p.end,
            None => break,
        }
    }
    Some((end, first.country))
}

/// What follows a head noun.
#[derive(Debug, Default)]
struct Complement {
    end: usize,
    genitive: bool,
    place: bool,
    po: bool,
    number: bool,
    /// The quoted name's words `[a, b)` and the token after its closing quote.
    quoted: Option<(usize, usize, usize)>,
    country: Option<Country>,
    category: Option<OrgCategory>,
}

/// `nouns`: the head takes genitive nouns ("министерства нацбезопасности").
fn complement(doc: &Doc<'_>, lex: &OrgLexicon, at: &HashMap<usize, &FoundPlace>, head: usize, nouns: bool) -> Complement {
    let mut c = Complement { end: head + 1, ..Default::default() };
    // genitive nouns, and bodies of the lexicon ("ГУ МВД", "Управление ФСБ")
    for _ in 0..3 {
        if let Some(hit) = lex.known.longest_at(doc, c.end).filter(|h| h.value.country.is_some() && h.start == c.end) {
            c.category = Some(hit.value.category);
            c.country = c.country.or(hit.value.country);
            c.genitive = true;
            c.end = hit.end;
        } else if let Some(end) = purpose_phrase(doc, lex, at, c.end).filter(|_| nouns) {
            c.genitive = true;
            c.end = end;
        } else if let Some(end) = genitive_phrase(doc, lex, at, c.end).filter(|_| nouns) {
            for k in c.end..end {
                if lex.is("security", &doc.lemma(k)) {
                    c.category = Some(OrgCategory::SecurityService);
                } else if lex.is("police", &doc.lemma(k)) {
                    c.category.get_or_insert(OrgCategory::Police);
                }
            }
            c.genitive = true;
            c.end = end;
        } else {
            break;
        }
    }
    // the place named after a body inside ("МВД Таджикистана") says whose it is
    if let Some((end, place)) = place_complement(doc, at, c.end) {
        c.place = true;
        c.country = place.country.or(c.country);
        c.end = end;
    }
    if let Some((end, country)) = po_complement(doc, at, c.end) {
        c.po = true;
        c.country = country.or(c.country);
        c.end = end;
    }
    let numbered = doc.tokens.get(c.end).is_some_and(|t| t.text == "№") && doc.tokens.get(c.end + 1).is_some_and(|t| t.kind == crate::text::Kind::Number);
    if numbered {
        c.number = true;
        c.end += 2;
    }
    c.quoted = quoted_at(doc, c.end);
    c
}

/// A lower-case word at `k`, not an abbreviation with its full stop ("г.", "ст.") nor a place.
fn plain_word(doc: &Doc<'_>, at: &HashMap<usize, &FoundPlace>, k: usize) -> bool {
    let Some(t) = doc.tokens.get(k) else { return false };
    let abbreviation = (t.text.chars().count() <= 2 || doc.can_be(k, Gram::ABBR)) && doc.tokens.get(k + 1).is_some_and(|d| d.text == "." && d.start == t.end);
    t.is_word() && !t.is_capitalised() && !abbreviation && !at.contains_key(&k)
}

/// A lower-case noun phrase at `j` (up to two adjectives, then a noun in `case`): its end.
fn noun_phrase(doc: &Doc<'_>, at: &HashMap<usize, &FoundPlace>, j: usize, case: Gram) -> Option<usize> {
    let lower = |k: usize| plain_word(doc, at, k);
    let mut k = j;
    while lower(k) && doc.can_be(k, Gram::ADJF | case) && !doc.can_be(k, Gram::NOUN) && k < j + 2 {
        k += 1;
    }
    (lower(k) && doc.can_be(k, Gram::NOUN | case)).then_some(k + 1)
}

/// "по" and what a body is for ("по борьбе с организованной преступностью"): its end.
fn purpose_phrase(doc: &Doc<'_>, lex: &OrgLexicon, at: &HashMap<usize, &FoundPlace>, j: usize) -> Option<usize> {
    if doc.tokens.get(j).is_none_or(|t| t.text != "по") {
        return None;
    }
    let mut end = noun_phrase(doc, at, j + 1, Gram::DATV)?;
    if doc.tokens.get(end).is_some_and(|t| lex.is("purpose", t.text)) {
        if let Some(e) = (0..64).map(|b| Gram(1 << b)).filter(|g| g.any(Gram::CASES)).find_map(|g| noun_phrase(doc, at, end + 1, g)) {
            end = e;
        }
    }
    while let Some(e) = genitive_phrase(doc, lex, at, end) {
        end = e;
    }
    Some(end)
}

/// A lower-case genitive noun phrase at `j` (adjectives then a noun), not a place or a name: its end.
fn genitive_phrase(doc: &Doc<'_>, lex: &OrgLexicon, at: &HashMap<usize, &FoundPlace>, j: usize) -> Option<usize> {
    let mut k = j;
    let lower = |k: usize| plain_word(doc, at, k);
    while lower(k) && doc.can_be(k, Gram::ADJF | Gram::GENT) && !doc.can_be(k, Gram::NOUN) && k < j + 2 {
        k += 1;
    }
    let noun = lower(k) && !at.contains_key(&k) && doc.readings[k].iter().any(|r| r.gram.has(Gram::NOUN | Gram::GENT) && !r.gram.any(Gram::NAME | Gram::SURN | Gram::PATR));
    if !noun || lex.head_at(doc, k).is_some() {
        return None;
    }
    Some(k + 1)
}

/// A name in quotation marks opening at token `j`: its words `[a, b)` and the token after the closing quote.
fn quoted_at(doc: &Doc<'_>, j: usize) -> Option<(usize, usize, usize)> {
    doc.tokens.get(j).filter(|t| is_quote(t.text) && t.text != "»")?;
    let first = doc.tokens.get(j + 1)?;
    if !(first.is_capitalised() || first.kind == crate::text::Kind::Number) {
        return None;
    }
    for k in j + 2..(j + 10).min(doc.tokens.len()) {
        let t = &doc.tokens[k];
        if t.kind == crate::text::Kind::Break || (t.kind == crate::text::Kind::Punct && matches!(t.text, "." | "," | ";" | ":" | "!" | "?") && !is_quote(t.text)) {
            return None;
        }
        if is_quote(t.text) && t.text != "«" && t.text != "„" {
            return Some((j + 1, k, k + 1));
        }
    }
    None
}

/// The modifiers before head `h`: where they start, whether one is a proper
/// adjective, the country adjective's and any place adjective's country.
struct Modifiers {
    start: usize,
    proper: bool,
    country_owner: Option<Option<Country>>,
    place_owner: Option<Option<Country>>,
    banned: bool,
}

fn modifiers(doc: &Doc<'_>, lex: &OrgLexicon, h: usize) -> Modifiers {
    let places = PlaceLexicon::get();
    let mut m = Modifiers { start: h, proper: false, country_owner: None, place_owner: None, banned: false };
    let mut k = h;
    while k > 0 && h - k < 5 {
        let j = k - 1;
        let t = &doc.tokens[j];
        if !t.is_word() || !doc.can_be(j, Gram::ADJF) || agreement(doc, j, h).0 == 0 {
            break;
        }
        let lemma = doc.readings[j].iter().find(|r| r.gram.has(Gram::ADJF)).map(|r| r.lemma.clone()).unwrap_or_default();
        if lex.is("stop", &lemma) || lex.is("banned", &lemma) {
            m.banned |= lex.is("banned", &lemma);
            break;
        }
        let place = places.adjective_at(doc, j);
        if let Some(p) = place {
            if p.kind == PlaceKind::Country {
                m.country_owner = Some(p.country);
            }
            m.place_owner = Some(p.country);
        }
        // opening a sentence, a descriptor or a place's adjective is capitalised for that alone
        // ("Московский суд продлил…"), save a district's name before a descriptor ("Тверской районный суд")
        let named_district = place.is_some() && h - j >= 2;
        if t.is_capitalised() && (!sentence_start(doc, j) || (!lex.is("generic", &lemma) && (place.is_none() || named_district))) {
            m.proper = true;
        }
        k = j;
    }
    m.start = k;
    // a proper name starts at its first capital: "оппозиционный Народный альянс" is Народный альянс
    if m.proper {
        if let Some(first) = (k..h).find(|&j| doc.tokens[j].is_capitalised()) {
            m.start = first;
        }
    }
    // a banned-organisation cue a few words before: "запрещённой в России организации"
    m.banned |= (m.start.saturating_sub(4)..m.start).any(|j| lex.is("banned", &doc.lemma(j)));
    m
}

/// A phrase on a head noun at token `h`.
fn shape_at(doc: &Doc<'_>, lex: &OrgLexicon, at: &HashMap<usize, &FoundPlace>, h: usize) -> Option<Candidate> {
    let (head, abbreviation) = lex.head_at(doc, h)?;
    let m = modifiers(doc, lex, h);
    let c = complement(doc, lex, at, h, head.qualifiers.iter().any(|q| q.contains('C')));
    let holds = |q: char| match q {
        // a capitalised head alone is a name only with its complement ("Управления по борьбе с…")
        'P' => m.proper || (h == m.start && doc.tokens[h].is_capitalised() && !sentence_start(doc, h) && !abbreviation && (c.genitive || c.po || c.place)),
        'G' => c.place,
        'A' => m.country_owner.is_some(),
        'L' => m.place_owner.is_some(),
        'M' => m.start < h,
        'C' => c.genitive,
        'D' => c.po,
        'N' => c.number,
        'Q' => c.quoted.is_some(),
        '*' => true,
        _ => false,
    };
    let qualifies = head.qualifiers.iter().any(|alt| alt.chars().all(holds));
    // a body is named in the singular ("суды России" are many), save "спецслужбы"
    let plural = !abbreviation && super::inflect::head_reading(doc, h, if m.start < h { agreement(doc, h - 1, h) } else { Gram(0) }).is_some_and(|r| r.gram.has(Gram::PLUR));
    if !qualifies || (plural && head.category != OrgCategory::SecurityService) {
        return None;
    }
    // a listed place is no body: "Европейский союз" is where, not who
    if at.get(&m.start).is_some_and(|p| p.end == c.end) {
        return None;
    }
    let banned = m.banned || c.quoted.is_some_and(|(_, _, after)| doc.tokens.get(after).is_some_and(|t| t.text == "*"));
    let category = if banned && c.quoted.is_some() { OrgCategory::BannedOrganization } else { c.category.unwrap_or(head.category) };
    let country = m.country_owner.flatten().or(m.place_owner.flatten()).or(c.country);
    if let (Some((a, b, _)), true) = (c.quoted, head.name_only) {
        // "движения «Группа 24»": the body is the quoted name
        let name = doc.slice(a, b).to_string();
        return Some(Candidate { start: a, end: b, key: slug(&name), name, category, country, priority: 2, shaped: false });
    }
    let end = c.quoted.map_or(c.end, |(_, _, after)| after);
    let name = if abbreviation && m.start == h { doc.slice(h, end).to_string() } else { nominative_phrase(doc, m.start, h, end) };
    Some(Candidate { start: m.start, end, key: slug(&name), name, category, country, priority: 2, shaped: true })
}

/// Weaker cues at token `i`: a quoted name after a reporting verb, a name
/// marked with an asterisk, a news site's address.
fn cue_at(doc: &Doc<'_>, lex: &OrgLexicon, i: usize) -> Option<Candidate> {
    let t = &doc.tokens[i];
    if let Some((a, b, after)) = quoted_at(doc, i) {
        // a name, not a quoted sentence: "сказал «Нет»" is no outlet
        let short = b - a <= 3 && (a..b).all(|k| doc.readings[k].first().is_none_or(|r| !r.known || r.gram.any(Gram::NOUN | Gram::ADJF)));
        let reported = short && i > 0 && doc.readings[i - 1].iter().any(|r| r.gram.any(Gram::VERB) && lex.is("report", &r.lemma));
        let starred = doc.tokens.get(after).is_some_and(|t| t.text == "*");
        if reported || starred {
            let name = if b == a + 1 { nominative_word(doc, a) } else { doc.slice(a, b).to_string() };
            let category = if starred { OrgCategory::BannedOrganization } else { OrgCategory::Media };
            return Some(Candidate { start: a, end: b, key: slug(&name), name, category, country: None, priority: 1, shaped: false });
        }
    }
    let site = t.is_word()
        && doc.tokens.get(i + 1).is_some_and(|d| d.text == "." && d.start == t.end)
        && doc.tokens.get(i + 2).is_some_and(|d| d.start == t.end + 1 && lex.is("tld", d.text))
        && doc.tokens.get(i + 3).is_none_or(|d| d.start > doc.tokens[i + 2].end || d.kind != crate::text::Kind::Word);
    if site && t.is_capitalised() {
        let name = doc.slice(i, i + 3).to_string();
        return Some(Candidate { start: i, end: i + 3, key: slug(&name), name, category: OrgCategory::Media, country: None, priority: 2, shaped: false });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Name, mentions as written, category, country, key.
    type Seen = (String, Vec<String>, Option<OrgCategory>, Option<String>, String);

    fn orgs(text: &str) -> Vec<Seen> {
        let doc = Doc::new(text, None);
        let places = super::super::places::find_places(&doc);
        find_orgs(&doc, &places)
            .into_iter()
            .map(|o| (o.name, o.mentions.iter().map(|&(a, b)| doc.slice(a, b).to_string()).collect(), o.category, o.country.map(|c| c.to_string()), o.key))
            .collect()
    }

    fn mention(text: &str, m: &str) -> Option<(String, Option<OrgCategory>, Option<String>, String)> {
        orgs(text).into_iter().find(|o| o.1.iter().any(|x| x == m)).map(|o| (o.0, o.2, o.3, o.4))
    }

    #[test]
    fn a_lexicon_abbreviation_shares_the_english_key() {
        let o = mention("Его задержали сотрудники ФСБ.", "ФСБ").unwrap();
        assert_eq!(o.3, "federal-security-service");
        assert_eq!(o.1, Some(OrgCategory::SecurityService));
    }

    #[test]
    fn the_own_country_joins_the_mention() {
        let o = mention("Об этом сообщили в ФСБ России.", "ФСБ России").unwrap();
        assert_eq!(o.3, "federal-security-service");
    }

    #[test]
    fn another_country_makes_a_namesake() {
        let o = mention("Его передали в МВД Таджикистана.", "МВД Таджикистана").unwrap();
        assert_eq!(o.2.as_deref(), Some("TJ"));
        assert_ne!(o.3, "ministry-of-internal-affairs");
    }

    #[test]
    fn a_namesake_is_named_by_its_own_words() {
        let o = mention("Приговор утвердил Верховный суд Узбекистана.", "Верховный суд Узбекистана").unwrap();
        assert_eq!(o.0, "Верховный суд Узбекистана");
        assert_eq!(o.2.as_deref(), Some("UZ"));
    }

    #[test]
    fn a_one_letter_name_in_the_lexicon() {
        let o = mention("Обыски провели сотрудники центра «Э».", "центра «Э»").unwrap();
        assert_eq!(o.3, "center-for-combating-extremism");
    }

    #[test]
    fn an_abbreviation_listed_twice_takes_the_named_country() {
        let o = mention("Его допросили в ГКНБ Киргизии.", "ГКНБ Киргизии").unwrap();
        assert_eq!(o.2.as_deref(), Some("KG"));
    }

    #[test]
    fn a_court_named_by_its_adjective_and_city() {
        let o = mention("Дело рассматривает Мещанский районный суд Москвы.", "Мещанский районный суд Москвы").unwrap();
        assert_eq!(o.0, "Мещанский районный суд Москвы");
        assert_eq!(o.1, Some(OrgCategory::Court));
    }

    #[test]
    fn a_generic_head_is_no_body() {
        assert!(orgs("Суд отклонил жалобу, а в полиции его избили.").is_empty());
        assert!(orgs("Он состоял в экстремистской организации.").is_empty());
    }

    #[test]
    fn two_countries_joined_are_not_one_body() {
        assert!(orgs("Его искали спецслужбы Киргизии и Казахстана.").is_empty());
    }

    #[test]
    fn a_regional_department_with_its_region() {
        let o = mention("Его вызвали в УФСБ по Оренбургской области.", "УФСБ по Оренбургской области").unwrap();
        assert_eq!(o.1, Some(OrgCategory::SecurityService));
        assert_eq!(o.2.as_deref(), Some("RU"));
    }

    #[test]
    fn a_department_named_by_its_purpose() {
        let text = "Его задержали сотрудники Управления по борьбе с организованной преступностью МВД Киргизии.";
        let o = mention(text, "Управления по борьбе с организованной преступностью МВД Киргизии").unwrap();
        assert_eq!(o.1, Some(OrgCategory::Police));
        assert_eq!(o.2.as_deref(), Some("KG"));
        assert!(orgs("Об этом сообщило Управление.").is_empty());
    }

    #[test]
    fn a_body_in_a_republic() {
        let o = mention("Обыск провели сотрудники МВД по Республике Татарстан.", "МВД по Республике Татарстан").unwrap();
        assert_ne!(o.3, "ministry-of-internal-affairs");
        assert!(mention("Прокуратура Республики Татарстан утвердила обвинение.", "Прокуратура Республики Татарстан").is_some());
    }

    #[test]
    fn a_shorter_mention_joins_the_longer_name() {
        let all = orgs("Его осудил Тверской районный суд Москвы. Решение Тверского районного суда обжаловано.");
        assert_eq!(all.len(), 1, "{all:?}");
        assert_eq!(all[0].1.len(), 2);
    }

    #[test]
    fn a_quoted_name_after_its_kind_is_the_body() {
        let o = mention("Он член партии «Демократический выбор».", "Демократический выбор").unwrap();
        assert_eq!(o.1, Some(OrgCategory::Other));
    }

    #[test]
    fn a_descriptor_opening_a_sentence_is_no_name() {
        assert!(orgs("Московский суд продлил арест.").is_empty());
        assert!(orgs("Районный суд отказал.").is_empty());
        assert!(mention("Тверской районный суд арестовал его.", "Тверской районный суд").is_some());
    }

    #[test]
    fn a_described_party_of_a_country() {
        assert!(mention("Исламское движение Узбекистана признано террористическим.", "Исламское движение Узбекистана").is_some());
    }

    #[test]
    fn many_courts_are_no_body() {
        assert!(orgs("Суды России рассмотрели тысячи дел.").is_empty());
    }

    #[test]
    fn a_quoted_sentence_is_no_outlet() {
        assert!(orgs("Он сказал «Нет» и ушёл.").is_empty());
        assert!(mention("Об этом пишет «Северный вестник».", "Северный вестник").is_some());
    }

    #[test]
    fn a_police_department_by_its_number() {
        let o = mention("Его доставили в отдел полиции № 7.", "отдел полиции № 7").unwrap();
        assert_eq!(o.1, Some(OrgCategory::Police));
        assert!(orgs("Его доставили в отдел полиции.").is_empty());
    }

    #[test]
    fn a_banned_cue_makes_a_banned_organisation() {
        let o = mention("Его обвинили в участии в запрещенной в России организации «Светлый путь».", "Светлый путь").unwrap();
        assert_eq!(o.1, Some(OrgCategory::BannedOrganization));
    }
}
