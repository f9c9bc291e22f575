//! Places in any case form, with their countries.
//!
//! - listed places (`data/ru/places.tsv`), matched by lemma: "в Нижнем
//!   Новгороде" is Нижний Новгород (RU); a name that is also a common word or
//!   surname (Королёв, Орёл) counts only after a locative cue (в, из, под…),
//!   after a place adjective ("подмосковном Королеве") or before a region;
//! - regions by shape: a capitalised adjective and область/край/республика
//!   ("Оренбургской области");
//! - towns the dictionary knows as places, before a region ("в Бугуруслане
//!   Оренбургской области": the region's country), after a settlement word
//!   ("в городе Бугуруслане") or after a place adjective.

use super::gazetteer::{fold, Gazetteer};
use super::inflect::{agreement, like_case, nominative_phrase};
use super::morph::Gram;
use super::{Doc, FoundPlace};
use chronicle_model::Country;
// The word tables are looked up for every token: a fast hash (the Rust compiler's).
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::sync::OnceLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Country,
    Region,
    City,
}

#[derive(Debug, Clone)]
pub(crate) struct KnownPlace {
    pub name: String,
    pub country: Option<Country>,
    pub kind: Kind,
    /// Also a common word or surname: a place only with a cue.
    pub needs_cue: bool,
}

pub(crate) struct PlaceLexicon {
    pub gazetteer: Gazetteer<KnownPlace>,
    /// Place adjectives ("подмосковный", "таджикский") to the place.
    pub adjectives: HashMap<String, KnownPlace>,
    by_name: HashMap<String, KnownPlace>,
    cues: HashSet<String>,
    regions: HashSet<String>,
    settlements: HashSet<String>,
}

fn data_lines(src: &str) -> impl Iterator<Item = &str> {
    src.lines().filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
}

impl PlaceLexicon {
    pub fn get() -> &'static PlaceLexicon {
        static LEX: OnceLock<PlaceLexicon> = OnceLock::new();
        LEX.get_or_init(PlaceLexicon::load)
    }

    fn load() -> PlaceLexicon {
        let mut lex = PlaceLexicon { gazetteer: Gazetteer::new(), adjectives: HashMap::default(), by_name: HashMap::default(), cues: HashSet::default(), regions: HashSet::default(), settlements: HashSet::default() };
        for line in data_lines(include_str!("../../data/ru/places.tsv")) {
            let cols: Vec<&str> = line.split('\t').collect();
            let (name, country, kind, adjectives) = match cols[..] {
                [n, c, k, a] | [n, c, k, a, _] => (n, c, k, a),
                _ => panic!("ru/places.tsv: bad line {line:?}"),
            };
            let kind = match kind {
                "country" => Kind::Country,
                "region" => Kind::Region,
                "city" => Kind::City,
                other => panic!("ru/places.tsv: unknown kind {other:?}"),
            };
            let place = KnownPlace { name: name.to_string(), country: country.parse().ok(), kind, needs_cue: cols.get(4) == Some(&"cue") };
            for adj in adjectives.split(',').filter(|a| *a != "-") {
                lex.adjectives.insert(fold(adj), place.clone());
            }
            lex.by_name.insert(fold(name), place.clone());
            lex.gazetteer.insert(name, place);
        }
        for line in data_lines(include_str!("../../data/ru/place_words.tsv")) {
            let (kind, word) = line.split_once('\t').unwrap_or_else(|| panic!("ru/place_words.tsv: bad line {line:?}"));
            let set = match kind {
                "cue" => &mut lex.cues,
                "region" => &mut lex.regions,
                "settlement" => &mut lex.settlements,
                other => panic!("ru/place_words.tsv: unknown kind {other:?}"),
            };
            set.insert(fold(word));
        }
        lex
    }

    /// The listed place of this nominative name.
    pub fn named(&self, name: &str) -> Option<&KnownPlace> {
        self.by_name.get(&fold(name))
    }

    /// The place an adjective of token `i` names ("таджикского" → Таджикистан).
    pub fn adjective_at(&self, doc: &Doc<'_>, i: usize) -> Option<&KnownPlace> {
        doc.readings[i].iter().filter(|r| r.gram.has(Gram::ADJF)).find_map(|r| self.adjectives.get(r.plain.as_str()))
    }
}

/// Whether `name` is the listed name of a whole country (of `country`).
pub(crate) fn is_country(name: &str, country: Country) -> bool {
    PlaceLexicon::get().named(name).is_some_and(|p| p.kind == Kind::Country && p.country == Some(country))
}

pub(crate) fn find_places(doc: &Doc<'_>) -> Vec<FoundPlace> {
    let lex = PlaceLexicon::get();
    let mut out: Vec<FoundPlace> = Vec::new();
    let mut i = 0;
    while i < doc.tokens.len() {
        match place_at(doc, lex, i) {
            Some(p) => {
                i = p.end;
                out.push(p);
            }
            None => i += 1,
        }
    }
    // a town named again without its region keeps the region's country
    let known: HashMap<String, Country> = out.iter().filter_map(|p| Some((p.name.clone(), p.country?))).collect();
    for p in &mut out {
        if p.country.is_none() {
            p.country = known.get(&p.name).copied();
        }
    }
    out
}

/// The place starting at token `i`, if any.
fn place_at(doc: &Doc<'_>, lex: &PlaceLexicon, i: usize) -> Option<FoundPlace> {
    if let Some(adj) = lex.adjective_at(doc, i).filter(|_| doc.tokens.get(i + 1).is_some_and(|t| t.is_capitalised())) {
        if let Some(p) = after_place_adjective(doc, lex, i + 1, adj) {
            return Some(p);
        }
    }
    if let Some(p) = listed(doc, lex, i) {
        return Some(p);
    }
    if let Some((end, name, country)) = region_at(doc, lex, i) {
        return Some(FoundPlace { name, country, start: i, end });
    }
    if doc.tokens[i].is_capitalised() && is_geox(doc, i) && !sentence_start(doc, i) {
        let region = region_at(doc, lex, i + 1).filter(|_| doc.can_be(i + 1, Gram::GENT));
        let settled = i > 0 && lex.settlements.contains(doc.lemma(i - 1));
        if region.is_some() || settled || cued(doc, lex, i) {
            let country = region.and_then(|(_, _, c)| c);
            return Some(FoundPlace { name: place_name(doc, i), country, start: i, end: i + 1 });
        }
    }
    None
}

/// A listed place at token `i`, with its cue where it needs one.
fn listed(doc: &Doc<'_>, lex: &PlaceLexicon, i: usize) -> Option<FoundPlace> {
    let hit = lex.gazetteer.longest_at(doc, i)?;
    if hit.quoted {
        return None; // «Фергана» is a newspaper
    }
    let p = hit.value;
    let single = hit.end == i + 1;
    let ambiguous = p.needs_cue || (single && doc.tokens[i].is_word() && !doc.readings[i].is_empty() && !is_geox(doc, i) && !doc.can_be(i, Gram::ABBR));
    if ambiguous && !cued(doc, lex, i) && region_at(doc, lex, hit.end).is_none() {
        return None;
    }
    Some(FoundPlace { name: written_yo(&p.name, doc.slice(hit.start, hit.end)), country: p.country, start: hit.start, end: hit.end })
}

/// A place after a place adjective: "подмосковном Королеве", "российского Нижнего Новгорода".
fn after_place_adjective(doc: &Doc<'_>, lex: &PlaceLexicon, j: usize, adj: &KnownPlace) -> Option<FoundPlace> {
    if let Some(hit) = lex.gazetteer.longest_at(doc, j).filter(|h| !h.quoted) {
        let p = hit.value;
        return Some(FoundPlace { name: written_yo(&p.name, doc.slice(hit.start, hit.end)), country: p.country.or(adj.country), start: j, end: hit.end });
    }
    let noun = doc.readings[j].iter().any(|r| r.gram.has(Gram::NOUN) && (r.gram.any(Gram::GEOX | Gram::SURN) || !r.known));
    if adj.kind == Kind::Country || !noun || agreement(doc, j - 1, j).0 == 0 {
        return None;
    }
    Some(FoundPlace { name: place_name(doc, j), country: adj.country, start: j, end: j + 1 })
}

/// A region by shape at token `i`: a capitalised adjective and a region noun
/// that agree ("Оренбургской области"): its end, nominative and country.
pub(crate) fn region_at(doc: &Doc<'_>, lex: &PlaceLexicon, i: usize) -> Option<(usize, String, Option<Country>)> {
    let t = doc.tokens.get(i)?;
    let noun = doc.tokens.get(i + 1)?;
    if !t.is_capitalised() || !noun.is_word() || !doc.can_be(i, Gram::ADJF) || !lex.regions.contains(doc.lemma(i + 1)) {
        return None;
    }
    if agreement(doc, i, i + 1).0 == 0 {
        return None;
    }
    let name = nominative_phrase(doc, i, i + 1, i + 2);
    let country = lex.named(&name).and_then(|p| p.country);
    Some((i + 2, name, country))
}

/// The best reading is a place noun (not "Басманный", a district's adjective).
fn is_geox(doc: &Doc<'_>, i: usize) -> bool {
    doc.readings[i].first().is_some_and(|r| r.gram.has(Gram::GEOX | Gram::NOUN))
}

fn sentence_start(doc: &Doc<'_>, i: usize) -> bool {
    let s = doc.sentence_of(i);
    (s.start..i).all(|k| !doc.tokens[k].is_word())
}

/// A locative cue before token `i`: в, из, под… or a place adjective.
fn cued(doc: &Doc<'_>, lex: &PlaceLexicon, i: usize) -> bool {
    let Some(p) = i.checked_sub(1) else { return false };
    let prev = &doc.tokens[p];
    if prev.text == "." && p > 0 && lex.cues.contains(doc.folded(p - 1)) {
        return true; // "г. Москве"
    }
    lex.cues.contains(doc.folded(p)) || lex.cues.contains(doc.lemma(p)) || lex.adjective_at(doc, p).is_some()
}

/// The nominative of a one-word place: the lemma of its place reading (or
/// its surname reading: Королёв), written like the text.
fn place_name(doc: &Doc<'_>, i: usize) -> String {
    let t = doc.tokens[i].text;
    let rs = &doc.readings[i];
    let r = rs.iter().find(|r| r.gram.has(Gram::GEOX)).or_else(|| rs.iter().find(|r| r.gram.has(Gram::SURN) && r.gram.has(Gram::MASC))).or_else(|| rs.first());
    match r {
        Some(r) => written_yo(&like_case(&r.lemma, t), t),
        None => t.to_string(),
    }
}

/// A name with ё only where the text writes ё.
fn written_yo(name: &str, text: &str) -> String {
    if text.contains(['ё', 'Ё']) { name.to_string() } else { name.replace('ё', "е").replace('Ё', "Е") }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn places(text: &str) -> Vec<(String, Option<String>)> {
        let doc = Doc::new(text, None);
        find_places(&doc).into_iter().map(|p| (p.name, p.country.map(|c| c.to_string()))).collect()
    }

    fn has(text: &str, name: &str, country: Option<&str>) -> bool {
        places(text).iter().any(|(n, c)| n == name && c.as_deref() == country)
    }

    #[test]
    fn a_town_before_its_region_gets_the_region_country() {
        let text = "Его задержали в Бугуруслане Оренбургской области.";
        assert!(has(text, "Бугуруслан", Some("RU")), "{:?}", places(text));
        assert!(has(text, "Оренбургская область", Some("RU")), "{:?}", places(text));
    }

    #[test]
    fn adjective_and_noun_agree_in_a_city_name() {
        assert!(has("Он живёт в Нижнем Новгороде.", "Нижний Новгород", Some("RU")));
    }

    #[test]
    fn countries_in_oblique_cases() {
        let text = "Выходцы из Таджикистана и Киргизии уехали в Турцию.";
        assert!(has(text, "Таджикистан", Some("TJ")) && has(text, "Киргизия", Some("KG")) && has(text, "Турция", Some("TR")), "{:?}", places(text));
    }

    #[test]
    fn a_surname_is_a_place_only_with_a_cue() {
        assert!(has("Его задержали в подмосковном Королеве.", "Королев", Some("RU")));
        assert!(places("Об этом рассказал Королев.").is_empty());
    }

    #[test]
    fn a_town_named_again_keeps_its_country() {
        let doc = Doc::new("Их задержали в Бугуруслане Оренбургской области. Позже в Бугуруслане задержали ещё двоих.", None);
        let found = find_places(&doc);
        assert_eq!(found.iter().filter(|p| p.name == "Бугуруслан" && p.country.is_some()).count(), 2, "{found:?}");
    }

    #[test]
    fn an_initial_is_not_a_city() {
        assert!(places("Его брат М. Каримов уехал.").is_empty());
    }

    #[test]
    fn a_district_adjective_is_not_a_place() {
        assert!(places("Его отвезли в Хамовнический суд.").is_empty(), "{:?}", places("Его отвезли в Хамовнический суд."));
    }

    #[test]
    fn a_quoted_city_name_is_not_a_place() {
        assert!(!has("Об этом сообщила «Фергане» сестра.", "Фергана", Some("UZ")));
    }
}
