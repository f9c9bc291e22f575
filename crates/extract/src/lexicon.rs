//! The lexicons under `data/`, loaded once.

use crate::text::{tokenize, Kind, Token};
use chronicle_model::{Country, EventType, OrgCategory};
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

/// Multi-word names matched token by token (case-sensitive).
pub struct Gazetteer<T> {
    by_first: HashMap<String, Vec<(Vec<String>, T)>>,
}

impl<T> Gazetteer<T> {
    fn new() -> Self {
        Gazetteer { by_first: HashMap::new() }
    }
    fn insert(&mut self, name: &str, value: T) {
        let toks: Vec<String> = tokenize(name)
            .iter()
            .filter(|t| t.kind != Kind::Break)
            .map(|t| t.text.to_string())
            .collect();
        if toks.is_empty() {
            return;
        }
        let entry = self.by_first.entry(toks[0].clone()).or_default();
        entry.push((toks, value));
        entry.sort_by_key(|(t, _)| std::cmp::Reverse(t.len()));
    }
    /// The longest entry starting at token `i`: its length in tokens and value.
    pub fn longest_at(&self, tokens: &[Token<'_>], i: usize) -> Option<(usize, &T)> {
        let cands = self.by_first.get(tokens.get(i)?.text)?;
        cands.iter().find_map(|(toks, v)| {
            let fits = toks.len() <= tokens.len() - i
                && toks.iter().zip(&tokens[i..]).all(|(a, b)| a == b.text)
                // the tokens must be adjacent in the text (one space at most between)
                && tokens[i..i + toks.len()].windows(2).all(|w| w[1].start - w[0].end <= 1);
            fits.then_some((toks.len(), v))
        })
    }
}

#[derive(Debug, Clone)]
pub struct KnownOrg {
    pub key: String,
    pub name: String,
    pub category: OrgCategory,
    pub country: Option<Country>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlaceKind {
    Country,
    Region,
    City,
    Site,
}

#[derive(Debug, Clone)]
pub struct KnownPlace {
    pub name: String,
    pub country: Option<Country>,
    pub kind: PlaceKind,
}

/// How a trigger word signals its event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// A verb form: its subject or object is the victim depending on voice.
    Verb,
    /// A noun: "his arrest", "the abduction of X".
    Noun,
    /// A court's ruling ("the court upheld", "rejected his appeal"): an event only
    /// when a court or judge gives it; its victim is the person the case is about.
    Ruling,
}

#[derive(Debug, Clone)]
pub struct Trigger {
    pub words: Vec<String>,
    pub kind: EventType,
    pub form: Form,
    /// A verb whose active subject is the victim ("he disappeared", "she died").
    pub subject_is_victim: bool,
}

pub struct Lexicon {
    pub orgs: Gazetteer<KnownOrg>,
    pub places: Gazetteer<KnownPlace>,
    /// The Russian gazetteer's one-word towns and regions by their
    /// romanisation-neutral form, so that an English report's "Tiumen" or
    /// "Lipetsk" is found whatever romanisation it uses.
    pub romanised_places: HashMap<String, (Country, PlaceKind)>,
    pub demonyms: HashMap<String, Country>,
    pub org_heads: HashMap<String, OrgCategory>,
    pub given_names: HashSet<String>,
    pub given_suffixes: Vec<String>,
    pub surname_suffixes: Vec<String>,
    pub common_words: HashSet<String>,
    /// Role words, kinship words included.
    pub roles: HashSet<String>,
    pub kinship: HashSet<String>,
    pub triggers: Vec<Trigger>,
    /// Trigger indices by their first word, longest first.
    pub trigger_index: HashMap<String, Vec<usize>>,
    pub irrealis: HashSet<String>,
    pub speech_verbs: HashSet<String>,
    pub numbers: HashMap<String, f64>,
}

fn data_lines(src: &str) -> impl Iterator<Item = &str> {
    src.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#'))
}

/// A slug for keys: lower case letters and digits joined by '-'.
pub fn slug(s: &str) -> String {
    let mut out = String::new();
    for w in s.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(&w.to_lowercase());
    }
    out
}

impl Lexicon {
    pub fn get() -> &'static Lexicon {
        static LEX: OnceLock<Lexicon> = OnceLock::new();
        LEX.get_or_init(Lexicon::load)
    }

    fn load() -> Lexicon {
        let mut orgs = Gazetteer::new();
        for line in data_lines(include_str!("../data/organizations.tsv")) {
            let cols: Vec<&str> = line.split('\t').collect();
            let [cat, country, names] = cols[..] else { panic!("organizations.tsv: bad line {line:?}") };
            let names: Vec<&str> = names.split('|').collect();
            let org = KnownOrg {
                key: slug(names[0]),
                name: names[0].to_string(),
                category: cat.parse().unwrap_or_else(|e| panic!("organizations.tsv: {e}")),
                country: country.parse().ok(),
            };
            for n in names {
                orgs.insert(n, org.clone());
            }
        }
        let mut places = Gazetteer::new();
        for line in data_lines(include_str!("../data/places.tsv")) {
            let cols: Vec<&str> = line.split('\t').collect();
            let [name, country, kind] = cols[..] else { panic!("places.tsv: bad line {line:?}") };
            // A site ("Kremlin") is reported as the city it stands in.
            let (kind, city) = match kind.split_once(':') {
                Some((_, city)) => (PlaceKind::Site, Some(city)),
                None => (
                    match kind {
                        "country" => PlaceKind::Country,
                        "region" => PlaceKind::Region,
                        "city" => PlaceKind::City,
                        _ => PlaceKind::Site,
                    },
                    None,
                ),
            };
            let display = city.unwrap_or_else(|| name.strip_prefix("the ").unwrap_or(name));
            places.insert(name, KnownPlace { name: display.to_string(), country: country.parse().ok(), kind });
        }
        let romanised_places = romanised_places();
        let demonyms = data_lines(include_str!("../data/demonyms.tsv"))
            .filter_map(|l| {
                let (w, c) = l.split_once('\t')?;
                Some((w.to_string(), c.parse().ok()?))
            })
            .collect();
        let org_heads = data_lines(include_str!("../data/org_heads.tsv"))
            .filter_map(|l| {
                let (w, c) = l.split_once('\t')?;
                Some((w.to_string(), c.parse().ok()?))
            })
            .collect();
        let words = |src: &'static str| -> HashSet<String> {
            data_lines(src).flat_map(str::split_whitespace).map(str::to_string).collect()
        };
        let list = |src: &'static str| -> Vec<String> { data_lines(src).map(str::to_string).collect() };
        let mut triggers = Vec::new();
        for line in data_lines(include_str!("../data/triggers.tsv")) {
            let cols: Vec<&str> = line.split('\t').collect();
            let [kind, form, phrase] = cols[..] else { panic!("triggers.tsv: bad line {line:?}") };
            let kind: EventType = kind.parse().unwrap_or_else(|e| panic!("triggers.tsv: {e}"));
            let (form, subject_is_victim) = match form {
                "verb" => (Form::Verb, false),
                "verb-intransitive" => (Form::Verb, true),
                "noun" => (Form::Noun, false),
                "ruling" => (Form::Ruling, false),
                other => panic!("triggers.tsv: unknown form {other}"),
            };
            for variant in phrase.split('|') {
                triggers.push(Trigger {
                    words: variant.split_whitespace().map(str::to_lowercase).collect(),
                    kind,
                    form,
                    subject_is_victim,
                });
            }
        }
        triggers.sort_by_key(|t| std::cmp::Reverse(t.words.len()));
        let mut trigger_index: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, t) in triggers.iter().enumerate() {
            trigger_index.entry(t.words[0].clone()).or_default().push(i);
        }
        let numbers = data_lines(include_str!("../data/numbers.tsv"))
            .filter_map(|l| {
                let (w, n) = l.split_once('\t')?;
                Some((w.to_string(), n.parse().ok()?))
            })
            .collect();
        Lexicon {
            orgs,
            places,
            romanised_places,
            demonyms,
            org_heads,
            given_names: words(chronicle_link::names::GIVEN_NAMES),
            given_suffixes: list(chronicle_link::names::GIVEN_SUFFIXES),
            surname_suffixes: list(include_str!("../data/name_suffixes.txt")),
            common_words: words(include_str!("../data/common_words.txt")),
            roles: words(include_str!("../data/roles.txt")).into_iter().chain(words(include_str!("../data/kinship.txt"))).collect(),
            kinship: words(include_str!("../data/kinship.txt")),
            triggers,
            trigger_index,
            irrealis: words(include_str!("../data/irrealis.txt")),
            speech_verbs: words(include_str!("../data/speech_verbs.txt")),
            numbers,
        }
    }

    pub fn is_given_name(&self, w: &str) -> bool {
        self.given_names.contains(w)
            || (w.chars().count() >= 5
                && self.given_suffixes.iter().any(|s| w.to_lowercase().ends_with(s.as_str())))
    }

    pub fn is_surname_shaped(&self, w: &str) -> bool {
        let lower = w.to_lowercase();
        w.chars().count() >= 4
            && !self.common_words.contains(w)
            && self.surname_suffixes.iter().any(|s| lower.ends_with(s.as_str()) && lower.len() > s.len() + 1)
    }

    /// A number written in figures or words ("14", "fourteen", "three and a half" is handled by callers).
    pub fn number(&self, word: &str) -> Option<f64> {
        word.replace(',', "").parse::<f64>().ok().or_else(|| self.numbers.get(&word.to_lowercase()).copied())
    }
}

/// One-word towns and regions of the Russian gazetteer, keyed by their
/// romanisation-neutral form. Names flagged as also common words or
/// surnames ("cue") are left out: in English they would need the context
/// the Russian reader has.
fn romanised_places() -> HashMap<String, (Country, PlaceKind)> {
    let mut out = HashMap::new();
    for line in data_lines(include_str!("../data/ru/places.tsv")) {
        let cols: Vec<&str> = line.split('\t').collect();
        let (Some(name), Some(country), Some(kind)) = (cols.first(), cols.get(1), cols.get(2)) else { continue };
        let kind = match *kind {
            "city" => PlaceKind::City,
            "region" => PlaceKind::Region,
            _ => continue,
        };
        let (Ok(country), false, false) = (country.parse::<Country>(), name.contains(' '), cols.get(4).is_some_and(|f| f.contains("cue"))) else { continue };
        let key = chronicle_link::names::canon(&chronicle_link::script::fold(name));
        if key.len() >= 4 {
            out.insert(key, (country, kind));
        }
    }
    out
}
