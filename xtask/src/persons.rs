//! Invented persons and the many ways reports write their names: the stress
//! set for person linking, and the load for its benchmark.
//!
//! A name is kept as sounds (letters, with capitals for the sounds that
//! scripts and romanisations write differently) and written out under one of
//! the systems reports use: English-language press romanisation, a plain
//! one, Uzbek Latin, Turkmen Latin, and Russian, Uzbek and Tajik Cyrillic.
//! Mentions then vary in word order, add patronymics, decline Cyrillic names,
//! and carry typos and extraction damage. Hard non-matches come from a Zipf
//! distribution of surnames and given names, relatives sharing a surname, and
//! namesakes who share a full name but not a birth year.

use anyhow::{Context, Result};
use chronicle_link::{Index, NewPerson, Prepared};
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::HashMap;
use std::io::Write;
use std::path::Path;

// Sounds: X = х (kh), H = ҳ (h), Q = қ, G = ғ, J = дж/ҷ, Z = ж, S = ш, C = ч,
// O = ў, E = е after a vowel (ye), Y = й, A = я (ya), U = ю (yu), W = ё (yo).
const MALE: &[&str] = &[
    "aliSer", "baXrom", "baXtiYor", "dilSod", "farruX", "JamSid", "kamoliddin", "mirzo", "nodir", "otabek", "rustam", "sardor",
    "Serzod", "ulugbek", "zafar", "akmal", "bobur", "davron", "faridun", "ilHom", "komil", "murod", "nurlan", "parviz", "ravSan", "suHrob",
    "timur", "umid", "azamat", "bakit", "kanat", "marat", "abdulla", "abduraXmon", "aziz", "azizbek", "bekzod", "doniYor", "elYor",
    "GaYrat", "Gulomjon", "ikrom", "ismoil", "izzat", "JaHongir", "jasur", "Qodir", "maXmud", "muHammad", "muzaffar", "nuriddin",
    "oYbek", "raHim", "raSid", "ruslan", "sanjar", "SavQat", "SuHrat", "sobir", "tolib", "Utkir", "YusuF", "zoHid", "erlan",
    "serik", "daniYar", "askar", "bolat", "nurbek", "talGat", "almaz", "kubat", "tileK", "batir", "ilfat",
    "rinat", "damir", "ildar", "emomali", "maHmadali", "umarali", "buzurgmeHr", "muHiddin", "izatullo", "raHmatullo", "saidjon", "Hikmat",
];
const FEMALE: &[&str] = &[
    "aziza", "dilnoza", "gulnara", "madina", "nigora", "zarina", "malika", "feruza", "SaHnoza", "mutabar", "dilorom", "gulCeHra", "kamila",
    "lola", "munira", "nargiza", "nodira", "saodat", "sevara", "Soira", "umida", "zulfiYa", "aYgul", "aiJan", "dinara", "gulmira",
    "saltanat", "Colpon", "farida", "maXliYo", "ziyoda", "moHira",
];
/// Surname stems: most surnames of the region are a forefather's name with -ov/-ev.
const STEMS: &[&str] = &[
    "karim", "raHim", "Yusup", "nazar", "sadik", "tursun", "Xolmat", "ergaS", "mamat", "abdullaE", "rasul", "saidal", "umar", "XaYdar",
    "mirzaE", "toXtas", "Xamid", "ismoil", "nurmat", "Qodir", "Sarip", "juraE", "usmon", "toSmat", "kurbon", "aliE", "safar", "begmat",
    "kuCkar", "Xalil", "XamroE", "aXmed", "salim", "sultan", "Yakub", "tojib", "sobir", "rustam", "azim", "bakir", "Hasan", "Husain",
    "Jurab", "sayfullaE", "XudoYberdiE", "islom", "mansur", "maXmud", "murod", "nabi", "nosir", "rajab", "saYid", "tolib", "umaraliE",
    "zokir", "ergaSal", "mirsaid", "Sukur", "kuvvat", "kamol", "jalol", "doston", "berdiE", "annaE", "goZi", "Hojib",
];

#[derive(Clone, Copy, PartialEq)]
enum Script {
    English,
    Plain,
    UzbekLatin,
    TurkmenLatin,
    Russian,
    UzbekCyrillic,
    TajikCyrillic,
}

fn latin(sound: char, s: Script) -> &'static str {
    use Script::*;
    match (sound, s) {
        ('X', English) => "kh",
        ('X', Plain) => "h",
        ('X', UzbekLatin) => "x",
        ('X', TurkmenLatin) => "h",
        ('H', English) => "kh",
        ('H', _) => "h",
        ('Q', UzbekLatin) => "q",
        ('Q', _) => "k",
        ('G', UzbekLatin) => "gʻ",
        ('G', English) => "gh",
        ('G', _) => "g",
        ('J', English) => "dzh",
        ('J', TurkmenLatin) => "j",
        ('J', _) => "j",
        ('Z', UzbekLatin) => "j",
        ('Z', TurkmenLatin) => "ž",
        ('Z', _) => "zh",
        ('S', TurkmenLatin) => "ş",
        ('S', _) => "sh",
        ('C', TurkmenLatin) => "ç",
        ('C', _) => "ch",
        ('O', UzbekLatin) => "oʻ",
        ('O', English) => "u",
        ('O', _) => "o",
        ('E', Plain) => "e",
        ('E', _) => "ye",
        ('Y', TurkmenLatin) => "ý",
        ('Y', _) => "y",
        ('A', TurkmenLatin) => "ýa",
        ('A', _) => "ya",
        ('U', TurkmenLatin) => "ýu",
        ('U', _) => "yu",
        ('W', _) => "yo",
        ('F', _) => "f",
        ('K', _) => "k",
        _ => "?",
    }
}

fn cyrillic(sound: char, s: Script) -> &'static str {
    use Script::*;
    match (sound, s) {
        ('X', _) => "х",
        ('H', Russian) => "х",
        ('H', _) => "ҳ",
        ('Q', Russian) => "к",
        ('Q', _) => "қ",
        ('G', Russian) => "г",
        ('G', _) => "ғ",
        ('J', TajikCyrillic) => "ҷ",
        ('J', UzbekCyrillic) => "ж",
        ('J', _) => "дж",
        ('Z', _) => "ж",
        ('S', _) => "ш",
        ('C', _) => "ч",
        ('O', Russian) => "у",
        ('O', UzbekCyrillic) => "ў",
        ('O', _) => "ӯ",
        ('E', _) => "е",
        ('Y', _) => "й",
        ('A', _) => "я",
        ('U', _) => "ю",
        ('W', _) => "ё",
        ('F', _) => "ф",
        ('K', _) => "к",
        (c, _) => match c {
            'a' => "а", 'b' => "б", 'v' => "в", 'g' => "г", 'd' => "д", 'e' => "е", 'z' => "з", 'i' => "и", 'y' => "ы",
            'k' => "к", 'l' => "л", 'm' => "м", 'n' => "н", 'o' => "о", 'p' => "п", 'r' => "р", 's' => "с", 't' => "т",
            'u' => "у", 'f' => "ф", 'h' => "х", 'j' => "дж", 'q' => "к", 'w' => "в", 'x' => "кс", 'c' => "ц",
            _ => "",
        },
    }
}

fn is_cyrillic(s: Script) -> bool {
    matches!(s, Script::Russian | Script::UzbekCyrillic | Script::TajikCyrillic)
}

/// Writes sounds out in a script, capitalised.
fn write(sounds: &str, s: Script) -> String {
    let mut out = String::new();
    for c in sounds.chars() {
        if c.is_ascii_uppercase() {
            out.push_str(if is_cyrillic(s) { cyrillic(c, s) } else { latin(c, s) });
        } else if is_cyrillic(s) {
            out.push_str(cyrillic(c, s));
        } else {
            out.push(c);
        }
    }
    let mut chars = out.chars();
    match chars.next() {
        Some(f) => f.to_uppercase().chain(chars).collect(),
        None => out,
    }
}

/// A Russian-style case ending on a Cyrillic name (genitive, dative, instrumental).
fn decline(word: &str, rng: &mut ChaCha8Rng) -> String {
    let feminine = word.ends_with('а');
    if feminine {
        return format!("{}{}", word.trim_end_matches('а'), ["ой", "у"].choose(rng).unwrap());
    }
    if word.ends_with('в') || word.ends_with('н') {
        return format!("{word}{}", ["а", "у", "ым"].choose(rng).unwrap());
    }
    let last = word.chars().last().unwrap_or(' ');
    if "бвгджзклмнпрстфхцчшщҳқғ".contains(last) {
        return format!("{word}{}", ["а", "у", "ом"].choose(rng).unwrap());
    }
    word.to_string()
}

/// One slip of the hand or of a PDF reader in a word of five letters or more.
fn typo(word: &str, rng: &mut ChaCha8Rng) -> String {
    let mut c: Vec<char> = word.chars().collect();
    if c.len() < 5 {
        return word.to_string();
    }
    let i = rng.random_range(1..c.len() - 1);
    match rng.random_range(0..4) {
        0 => {
            c.remove(i);
        }
        1 => c.swap(i, i + 1),
        2 => c.insert(i, c[i]),
        _ => {
            // A neighbouring key, or a vowel for a vowel.
            const VOWELS: &str = "aeiou";
            if VOWELS.contains(c[i]) {
                c[i] = VOWELS.chars().nth(rng.random_range(0..5)).unwrap();
            } else {
                c.remove(i);
            }
        }
    }
    c.into_iter().collect()
}

/// An invented person.
pub struct Person {
    given: String,
    stem: String,
    female: bool,
    /// The father's given name, for the patronymic.
    father: &'static str,
    birth_year: i32,
    nationality: &'static str,
    occupation: &'static str,
    orgs: Vec<&'static str>,
    /// Shares a full name with another person: reports that tell them apart say how old they are.
    namesake: bool,
}

const NATIONALITIES: &[&str] = &["UZ", "TJ", "KG", "KZ", "TM"];
const OCCUPATIONS: &[&str] = &["activist", "blogger", "imam", "journalist", "lawyer", "labour migrant", "student", "human rights defender"];
const ORGS: &[&str] = &["federal-security-service", "memorial", "hizb-ut-tahrir", "investigative-committee", "group-24", "tablighi-jamaat", "civic-assistance"];

/// Picks from a list with Zipf-like weights: the first items several times
/// more often than the last (continuous power law, exponent 0.7).
fn zipf<'a, T>(list: &'a [T], rng: &mut ChaCha8Rng) -> &'a T {
    let n = list.len() as f64;
    let s = 0.7;
    // Inverse of the CDF of density x^-s on [1, n + 1].
    let u: f64 = rng.random();
    let top = (n + 1.0).powf(1.0 - s);
    let x = (1.0 + u * (top - 1.0)).powf(1.0 / (1.0 - s));
    let i = (x - 1.0).floor() as usize;
    &list[i.min(list.len() - 1)]
}

/// Surname stems: the list above and every man's given name (Alisherov, Rustamov).
fn stems() -> Vec<&'static str> {
    let mut all: Vec<&'static str> = STEMS.to_vec();
    all.extend(MALE.iter().filter(|m| !STEMS.contains(m)));
    all
}

/// Invents a person whose full name no earlier person has, except the
/// deliberate namesakes (a full name shared across a generation).
fn invent(rng: &mut ChaCha8Rng, others: &mut [Person], stems: &[&'static str], taken: &mut std::collections::HashSet<(String, String)>) -> Person {
    let female = rng.random_bool(0.25);
    let org_count = rng.random_range(0..3);
    let mut p = Person {
        given: String::new(),
        stem: String::new(),
        female,
        father: *zipf(MALE, rng),
        birth_year: rng.random_range(1950..2006),
        nationality: NATIONALITIES.choose(rng).unwrap(),
        occupation: OCCUPATIONS.choose(rng).unwrap(),
        orgs: ORGS.choose_multiple(rng, org_count).copied().collect(),
        namesake: false,
    };
    let roll: f64 = rng.random();
    if !others.is_empty() && roll < 0.02 {
        // A namesake: the same full name, another generation.
        let i = rng.random_range(0..others.len());
        others[i].namesake = true;
        let other = &others[i];
        p.given = other.given.clone();
        p.stem = other.stem.clone();
        p.female = other.female;
        p.birth_year = if other.birth_year > 1980 { other.birth_year - rng.random_range(8..30) } else { other.birth_year + rng.random_range(8..25) };
        p.namesake = true;
        return p;
    }
    let sibling = (!others.is_empty() && roll < 0.07).then(|| &others[rng.random_range(0..others.len())]);
    for attempt in 0.. {
        assert!(attempt < 100_000, "the name pools are too small for this many unique full names");
        // Most names are plain; some are compounds (Alisherjon, Mirkarimov,
        // Karimbekov), as in life, and more of them once the plain ones run out.
        let compound = if attempt < 20 { 0.0 } else { 0.6 };
        let mut given = if p.female { zipf(FEMALE, rng).to_string() } else { zipf(MALE, rng).to_string() };
        if rng.random_bool(compound) {
            given.push_str(if p.female { ["Xon", "oy", "gul"].choose(rng).unwrap() } else { ["jon", "bek", "ali", "mirzo"].choose(rng).unwrap() });
        }
        p.given = given;
        p.stem = match sibling.filter(|_| attempt < 20) {
            // A sibling: the same surname and father, another given name.
            Some(s) => {
                p.father = s.father;
                s.stem.clone()
            }
            None => {
                let mut stem = zipf(stems, rng).to_string();
                if rng.random_bool(compound) {
                    stem = format!("{}{stem}", ["mir", "nur", "abdu", "Xoja", "sayid"].choose(rng).unwrap());
                }
                if rng.random_bool(compound) && !stem.ends_with('E') {
                    stem.push_str(["bek", "jon", "quli", "berdiE"].choose(rng).unwrap());
                }
                stem
            }
        };
        if taken.insert((p.given.clone(), p.stem.clone())) {
            break;
        }
    }
    p
}

fn script_for(p: &Person, rng: &mut ChaCha8Rng) -> Script {
    use Script::*;
    let roll: f64 = rng.random();
    let local = match p.nationality {
        "UZ" => [UzbekLatin, UzbekCyrillic][rng.random_range(0..2)],
        "TJ" => TajikCyrillic,
        "TM" => TurkmenLatin,
        _ => Plain,
    };
    if roll < 0.4 {
        English
    } else if roll < 0.55 {
        Plain
    } else if roll < 0.8 {
        Russian
    } else {
        local
    }
}

/// One report's mention of a person: names (as the report writes them) and what it says.
pub fn mention(p: &Person, report_year: i32, rng: &mut ChaCha8Rng) -> NewPerson {
    let script = script_for(p, rng);
    let cyr = is_cyrillic(script);
    let given = write(&p.given, script);
    let suffix = match (p.female, p.stem.ends_with(['a', 'e', 'i', 'o', 'u', 'E'])) {
        (false, false) => "ov",
        (false, true) => "v",
        (true, false) => "ova",
        (true, true) => "va",
    };
    let mut surname = write(&format!("{}{suffix}", p.stem), script);
    if script == Script::TurkmenLatin {
        surname = surname.replace("ov", "ow");
    }
    let patronymic = if cyr || rng.random_bool(0.5) {
        let f = write(p.father, script);
        let ends_vowel = f.ends_with(['a', 'o', 'i', 'а', 'о', 'и']);
        match (cyr, p.female) {
            (true, false) => format!("{f}{}", if ends_vowel { "евич" } else { "ович" }),
            (true, true) => format!("{f}{}", if ends_vowel { "евна" } else { "овна" }),
            (false, false) => format!("{f}{}", if ends_vowel { "yevich" } else { "ovich" }),
            (false, true) => format!("{f}{}", if ends_vowel { "yevna" } else { "ovna" }),
        }
    } else {
        String::new()
    };
    let (mut g, mut s) = (given, surname);
    let declined = cyr && rng.random_bool(0.3);
    if declined {
        g = decline(&g, rng);
        s = decline(&s, rng);
    }
    if rng.random_bool(0.08) {
        if rng.random_bool(0.5) {
            g = typo(&g, rng);
        } else {
            s = typo(&s, rng);
        }
    }
    let form: f64 = rng.random();
    let name = if form < 0.6 || declined {
        format!("{g} {s}")
    } else if form < 0.78 {
        format!("{s} {g}")
    } else if form < 0.9 && !patronymic.is_empty() {
        format!("{} {g} {patronymic}", s.to_uppercase())
    } else if !patronymic.is_empty() {
        format!("{g} {patronymic} {s}")
    } else {
        format!("{g} {s}")
    };
    let mut m = NewPerson { names: vec![name], ..Default::default() };
    // Reports about one of two namesakes that can be told apart say how old he is.
    if rng.random_bool(if p.namesake { 0.9 } else { 0.4 }) {
        m.birth_years = if rng.random_bool(0.5) { vec![p.birth_year] } else { let age = report_year - p.birth_year; vec![report_year - age, report_year - age - 1] };
    }
    if rng.random_bool(0.5) {
        m.nationality = vec![p.nationality.to_string()];
    }
    if rng.random_bool(0.3) {
        m.occupation = vec![p.occupation.to_string()];
    }
    if rng.random_bool(0.3) {
        m.orgs = p.orgs.iter().map(|o| o.to_string()).collect();
    }
    m
}

/// Mentions of `persons` invented persons, shuffled, each with its person.
pub fn generate(persons: usize, seed: u64) -> Vec<(u32, NewPerson)> {
    generate_mentions(persons, None, seed)
}

fn generate_mentions(persons: usize, total: Option<usize>, seed: u64) -> Vec<(u32, NewPerson)> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut people: Vec<Person> = Vec::with_capacity(persons);
    let stems = stems();
    let mut taken = std::collections::HashSet::new();
    for _ in 0..persons {
        let p = invent(&mut rng, &mut people, &stems, &mut taken);
        people.push(p);
    }
    let mut out = Vec::new();
    for (id, p) in people.iter().enumerate() {
        // One to eight reports about each, three on average.
        let mut n = 1;
        while n < 8 && rng.random_bool(0.66) {
            n += 1;
        }
        for _ in 0..n {
            let year = rng.random_range(2015..2027);
            out.push((id as u32, mention(p, year, &mut rng)));
        }
    }
    if let Some(total) = total {
        while out.len() < total {
            let id = rng.random_range(0..people.len());
            let year = rng.random_range(2015..2027);
            out.push((id as u32, mention(&people[id], year, &mut rng)));
        }
        out.truncate(total);
    }
    // Reports arrive in no particular order.
    for i in (1..out.len()).rev() {
        let j = rng.random_range(0..=i);
        out.swap(i, j);
    }
    out
}

/// Pairwise precision and recall of a clustering against the truth.
pub struct PairScore {
    pub precision: f64,
    pub recall: f64,
    pub predicted_pairs: u64,
    pub true_pairs: u64,
    pub correct_pairs: u64,
}

pub fn pair_score(truth: &[u32], predicted: &[u32]) -> PairScore {
    let pairs = |n: u64| n * n.saturating_sub(1) / 2;
    let mut by_truth: HashMap<u32, u64> = HashMap::new();
    let mut by_pred: HashMap<u32, u64> = HashMap::new();
    let mut by_both: HashMap<(u32, u32), u64> = HashMap::new();
    for (&t, &p) in truth.iter().zip(predicted) {
        *by_truth.entry(t).or_default() += 1;
        *by_pred.entry(p).or_default() += 1;
        *by_both.entry((t, p)).or_default() += 1;
    }
    let true_pairs: u64 = by_truth.values().map(|&n| pairs(n)).sum();
    let predicted_pairs: u64 = by_pred.values().map(|&n| pairs(n)).sum();
    let correct_pairs: u64 = by_both.values().map(|&n| pairs(n)).sum();
    let ratio = |a: u64, b: u64| if b == 0 { 1.0 } else { a as f64 / b as f64 };
    PairScore { precision: ratio(correct_pairs, predicted_pairs), recall: ratio(correct_pairs, true_pairs), predicted_pairs, true_pairs, correct_pairs }
}

/// Writes the stress set: one line per mention, `person<TAB>name<TAB>birth years<TAB>nationality`.
pub fn write_set(persons: usize, seed: u64, path: &Path) -> Result<()> {
    let set = generate(persons, seed);
    let mut w = std::io::BufWriter::new(std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?);
    writeln!(w, "person\tname\tbirth_years\tnationality\toccupation\torgs")?;
    for (id, m) in &set {
        let years: Vec<String> = m.birth_years.iter().map(|y| y.to_string()).collect();
        writeln!(w, "{id}\t{}\t{}\t{}\t{}\t{}", m.names[0], years.join(","), m.nationality.join(","), m.occupation.join(","), m.orgs.join(","))?;
    }
    w.flush()?;
    eprintln!("{} mentions of {persons} invented persons written to {}", set.len(), path.display());
    Ok(())
}

/// Links the stress set in memory and reports pairwise precision and recall;
/// fails below the bars.
pub fn stress(persons: usize, seed: u64, min_precision: f64, min_recall: f64, show_errors: usize, trace: Option<&str>) -> Result<()> {
    let set = generate(persons, seed);
    let mut index = Index::new();
    let mut predicted = Vec::with_capacity(set.len());
    for (_, m) in &set {
        if trace == Some(m.names[0].as_str()) {
            for (id, score, evidence) in index.explain(m) {
                eprintln!("trace {:?}: person {id} {score:.3} {evidence}", m.names[0]);
            }
        }
        predicted.push(index.link(m).0);
    }
    let truth: Vec<u32> = set.iter().map(|(t, _)| *t).collect();
    if show_errors > 0 {
        report_errors(&set, &predicted, show_errors);
    }
    let s = pair_score(&truth, &predicted);
    println!(
        "persons={persons} mentions={} linked_persons={} true_pairs={} predicted_pairs={} correct_pairs={}",
        set.len(),
        index.len(),
        s.true_pairs,
        s.predicted_pairs,
        s.correct_pairs
    );
    println!("precision={:.4} recall={:.4}", s.precision, s.recall);
    if s.precision < min_precision || s.recall < min_recall {
        anyhow::bail!("below the bar: precision {:.4} (≥ {min_precision}), recall {:.4} (≥ {min_recall})", s.precision, s.recall);
    }
    Ok(())
}

/// Prints some false links (clusters holding several invented persons) and
/// missed links (persons spread over several clusters), for whoever tunes
/// the comparison.
fn report_errors(set: &[(u32, NewPerson)], predicted: &[u32], max: usize) {
    let mut clusters: HashMap<u32, Vec<usize>> = HashMap::new();
    let mut persons: HashMap<u32, Vec<usize>> = HashMap::new();
    for (i, ((t, _), p)) in set.iter().zip(predicted).enumerate() {
        clusters.entry(*p).or_default().push(i);
        persons.entry(*t).or_default().push(i);
    }
    let show = |i: usize| format!("{:?} {:?}", set[i].1.names[0], set[i].1.birth_years);
    let mut keys: Vec<u32> = clusters.keys().copied().collect();
    keys.sort_unstable();
    let mut shown = 0;
    for k in &keys {
        let members = &clusters[k];
        let mut truths: Vec<u32> = members.iter().map(|&i| set[i].0).collect();
        truths.sort_unstable();
        truths.dedup();
        if truths.len() > 1 && shown < max {
            shown += 1;
            let groups: Vec<String> = truths.iter().map(|t| members.iter().filter(|&&i| set[i].0 == *t).map(|&i| show(i)).collect::<Vec<_>>().join(" + ")).collect();
            eprintln!("false link: {}", groups.join("  ||  "));
        }
    }
    let mut keys: Vec<u32> = persons.keys().copied().collect();
    keys.sort_unstable();
    shown = 0;
    for k in &keys {
        let members = &persons[k];
        let mut preds: Vec<u32> = members.iter().map(|&i| predicted[i]).collect();
        preds.sort_unstable();
        preds.dedup();
        if preds.len() > 1 && shown < max {
            shown += 1;
            let groups: Vec<String> = preds.iter().map(|p| members.iter().filter(|&&i| predicted[i] == *p).map(|&i| show(i)).collect::<Vec<_>>().join(" + ")).collect();
            eprintln!("missed: {}", groups.join("  ||  "));
        }
    }
}

/// Links a million (or `mentions`) mentions in memory: time and peak memory.
/// Linking itself is sequential; taking names apart runs on a second core.
pub fn bench(mentions: usize, seed: u64) -> Result<()> {
    let persons = mentions / 3;
    let t0 = std::time::Instant::now();
    let set = generate_mentions(persons, Some(mentions), seed);
    let generated = t0.elapsed();
    let t1 = std::time::Instant::now();
    let mut index = Index::new();
    let bar = indicatif::ProgressBar::new(set.len() as u64);
    let mut predicted = Vec::with_capacity(set.len());
    // Names are taken apart on a second thread while this one links.
    std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<Prepared>>(16);
        let set = &set;
        scope.spawn(move || {
            for chunk in set.chunks(1024) {
                if tx.send(chunk.iter().map(|(_, m)| Prepared::new(m)).collect()).is_err() {
                    break;
                }
            }
        });
        for chunk in rx {
            for p in chunk {
                predicted.push(index.link_prepared(p).0);
            }
            bar.set_position(predicted.len() as u64);
        }
    });
    bar.finish_and_clear();
    let linked = t1.elapsed();
    let truth: Vec<u32> = set.iter().map(|(t, _)| *t).collect();
    let s = pair_score(&truth, &predicted);
    println!(
        "mentions={} invented_persons={persons} persons_after_linking={} comparisons_per_mention={:.1}",
        set.len(),
        index.len(),
        index.comparisons() as f64 / set.len() as f64
    );
    println!("generate={:.1}s link={:.1}s ({:.0} mentions/s) peak_rss={}", generated.as_secs_f64(), linked.as_secs_f64(), set.len() as f64 / linked.as_secs_f64(), peak_rss());
    println!("precision={:.4} recall={:.4}", s.precision, s.recall);
    Ok(())
}

/// The process's peak resident memory, as the kernel reports it.
fn peak_rss() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmHWM:")).map(|l| l.trim_start_matches("VmHWM:").trim().to_string()))
        .unwrap_or_else(|| "unknown".into())
}

/// Writes labelled name pairs (`left<TAB>right<TAB>1|0`) for `chronicle names
/// score`: two writings of one invented person, and two persons who share a
/// surname or a given name.
pub fn write_pairs(count: usize, seed: u64, path: &Path) -> Result<()> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let stems = stems();
    let mut taken = std::collections::HashSet::new();
    let mut people: Vec<Person> = Vec::new();
    for _ in 0..count.max(100) {
        let p = invent(&mut rng, &mut people, &stems, &mut taken);
        people.push(p);
    }
    let mut by_stem: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut by_given: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, p) in people.iter().enumerate() {
        if !p.namesake {
            by_stem.entry(p.stem.as_str()).or_default().push(i);
            by_given.entry(p.given.as_str()).or_default().push(i);
        }
    }
    // In a fixed order, so that one seed always gives the same pairs.
    let mut groups: Vec<&Vec<usize>> = by_stem.values().chain(by_given.values()).filter(|g| g.len() > 1).collect();
    groups.sort();
    let mut w = std::io::BufWriter::new(std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?);
    writeln!(w, "left\tright\tlabel")?;
    let (mut same, mut different) = (0, 0);
    while same + different < count {
        if same <= different {
            let p = &people[rng.random_range(0..people.len())];
            let (a, b) = (mention(p, 2024, &mut rng).names.remove(0), mention(p, 2024, &mut rng).names.remove(0));
            if a != b {
                writeln!(w, "{a}\t{b}\t1")?;
                same += 1;
            }
        } else {
            let g = groups.choose(&mut rng).unwrap();
            let (i, j) = (g[rng.random_range(0..g.len())], g[rng.random_range(0..g.len())]);
            if i != j {
                let (a, b) = (mention(&people[i], 2024, &mut rng).names.remove(0), mention(&people[j], 2024, &mut rng).names.remove(0));
                writeln!(w, "{a}\t{b}\t0")?;
                different += 1;
            }
        }
    }
    w.flush()?;
    eprintln!("{same} pairs of one person and {different} of two written to {}", path.display());
    Ok(())
}

/// The baseline the comparison must beat: Jaro-Winkler similarity of the
/// names folded to ASCII, at its best threshold for these pairs (an
/// advantage Chronicle's own fixed threshold does not get).
pub fn baseline(path: &Path) -> Result<()> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let mut scored: Vec<(f64, bool)> = Vec::new();
    for line in text.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
        let f: Vec<&str> = line.split('\t').collect();
        let label = match f.get(2).map(|l| l.trim()) {
            Some("1") => true,
            Some("0") => false,
            _ => continue,
        };
        let fold = |s: &str| deunicode::deunicode(s).to_lowercase();
        scored.push((strsim::jaro_winkler(&fold(f[0]), &fold(f[1])), label));
    }
    let positives = scored.iter().filter(|s| s.1).count();
    let mut best = (0.0, 0.0, 0.0, 0.0);
    for t in (50..=99).map(|t| f64::from(t) / 100.0) {
        let tp = scored.iter().filter(|s| s.1 && s.0 >= t).count();
        let predicted = scored.iter().filter(|s| s.0 >= t).count();
        let p = if predicted == 0 { 0.0 } else { tp as f64 / predicted as f64 };
        let r = if positives == 0 { 0.0 } else { tp as f64 / positives as f64 };
        let f1 = if p + r == 0.0 { 0.0 } else { 2.0 * p * r / (p + r) };
        if f1 > best.2 {
            best = (p, r, f1, t);
        }
    }
    println!("jaro-winkler on ASCII-folded names, best threshold: precision={:.4} recall={:.4} f1={:.4} threshold={}", best.0, best.1, best.2, best.3);
    Ok(())
}
