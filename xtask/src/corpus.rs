//! Invented reports with known persons and events, reproducible from a seed.
//!
//! A pool of invented persons (Central Asian given names and surnames, with
//! spelling variants) is shared across reports, so the same person appears in
//! several reports, sometimes under another romanisation. Each report tells one
//! to three events about one or two persons, in the styles Chronicle meets: a
//! news story, an NGO release (with PDF double spacing and hyphenation damage),
//! a blog post, a campaign page.
//!
//! The reports are in English, or in Russian ([`ru`]: the same kinds of
//! persons, events and page styles, written as Russian bulletins are).

mod ru;

use anyhow::{Context, Result};
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::io::Write;
use std::path::Path;

const GIVEN: &[&str] = &[
    "Alisher", "Bakhtiyor", "Dilshod", "Farrukh", "Jamshid", "Kamoliddin", "Mirzo", "Nodir", "Otabek", "Rustam",
    "Sardor", "Sherzod", "Ulugbek", "Zafar", "Akmal", "Bobur", "Davron", "Faridun", "Ilhom", "Komil", "Murod",
    "Nurlan", "Parviz", "Ravshan", "Suhrob", "Timur", "Umid", "Azamat", "Bakyt", "Kanat", "Marat", "Aziza",
    "Dilnoza", "Gulnara", "Madina", "Nigora", "Zarina", "Malika", "Feruza", "Shahnoza",
];
const SURNAME_STEMS: &[&str] = &[
    "Karim", "Rahim", "Yusup", "Nazar", "Sadyk", "Tursun", "Kholmat", "Ergash", "Mamat", "Abdullay", "Rasul",
    "Saidal", "Umar", "Khaydar", "Mirzay", "Tokhtas", "Khamid", "Ismoil", "Nurmat", "Qodir", "Sharip", "Juray",
    "Usmon", "Toshmat", "Kurbon", "Aliy", "Safar", "Begmat", "Kuchkar", "Khalil",
];
const CITIES_RU: &[&str] = &["Moscow", "Saint Petersburg", "Kazan", "Yekaterinburg", "Novosibirsk", "Samara", "Tyumen", "Krasnoyarsk", "Chelyabinsk", "Ufa"];
const HOME: &[(&str, &str, &str, &str)] = &[
    ("Uzbekistan", "UZ", "Uzbek", "Tashkent"),
    ("Tajikistan", "TJ", "Tajik", "Dushanbe"),
    ("Kyrgyzstan", "KG", "Kyrgyz", "Bishkek"),
    ("Turkmenistan", "TM", "Turkmen", "Ashgabat"),
    ("Kazakhstan", "KZ", "Kazakh", "Almaty"),
];
const ROLES: &[&str] = &["activist", "blogger", "imam", "journalist", "lawyer", "labour migrant", "opposition supporter", "human rights defender"];
const MONTHS: &[&str] = &["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const CHARGES: &[&str] = &["extremism", "terrorism", "participation in a terrorist organisation", "fraud", "calling for mass riots", "justifying terrorism"];

/// The language invented reports are written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Language {
    En,
    Ru,
}

/// What one language's invented reports are made of: its persons, one report
/// about a person (text and the events it states), the person as truth.jsonl records it.
trait Reports {
    type Person;
    fn invent(rng: &mut ChaCha8Rng, id: usize) -> Self::Person;
    fn report(rng: &mut ChaCha8Rng, p: &Self::Person) -> (String, Vec<serde_json::Value>);
    fn truth(p: &Self::Person) -> serde_json::Value;
}

/// English reports.
struct English;

impl Reports for English {
    type Person = Person;
    fn invent(rng: &mut ChaCha8Rng, id: usize) -> Person {
        invent_person(rng, id)
    }
    fn report(rng: &mut ChaCha8Rng, p: &Person) -> (String, Vec<serde_json::Value>) {
        report(rng, p)
    }
    fn truth(p: &Person) -> serde_json::Value {
        serde_json::json!({"key": format!("person-{}", p.id), "name": format!("{} {}", p.given, p.surname), "age": p.age, "nationality": HOME[p.home].1})
    }
}

#[derive(Clone)]
struct Person {
    id: usize,
    given: String,
    surname: String,
    /// Another romanisation of the surname, used in some reports.
    variant: String,
    female: bool,
    home: usize,
    role: &'static str,
    /// Age in [`FIRST_YEAR`].
    age: u32,
}

fn invent_person(rng: &mut ChaCha8Rng, id: usize) -> Person {
    let given = GIVEN.choose(rng).unwrap().to_string();
    let female = given.ends_with('a');
    let stem = SURNAME_STEMS.choose(rng).unwrap();
    let (suffix, variant_suffix) = if stem.ends_with('y') {
        if female { ("eva", "yeva") } else { ("ev", "yev") }
    } else if female { ("ova", "owa") } else { ("ov", "ow") };
    let surname = format!("{stem}{suffix}");
    let variant = if rng.random_bool(0.5) { format!("{stem}{variant_suffix}") } else { surname.replacen("Kh", "H", 1).replacen("Q", "K", 1) };
    Person { id, given, surname, variant, female, home: rng.random_range(0..HOME.len()), role: ROLES.choose(rng).unwrap(), age: rng.random_range(22..70) }
}

struct Date {
    y: i32,
    m: usize,
    d: u32,
}

impl Date {
    fn iso(&self) -> String {
        format!("{:04}-{:02}-{:02}", self.y, self.m + 1, self.d)
    }
    fn text(&self, rng: &mut ChaCha8Rng) -> String {
        if rng.random_bool(0.5) {
            format!("{} {}, {}", MONTHS[self.m], self.d, self.y)
        } else {
            format!("{} {} {}", self.d, MONTHS[self.m], self.y)
        }
    }
}

/// The first year events are invented in; a person's `age` is their age that year.
const FIRST_YEAR: i32 = 2014;

fn random_date(rng: &mut ChaCha8Rng) -> Date {
    Date { y: rng.random_range(FIRST_YEAR..2025), m: rng.random_range(0..12), d: rng.random_range(1..29) }
}

/// Invented report texts in `language`, at least `min_bytes` in all, for benchmarks.
pub fn texts(seed: u64, min_bytes: usize, language: Language) -> Vec<String> {
    match language {
        Language::En => texts_in::<English>(seed, min_bytes),
        Language::Ru => texts_in::<ru::Russian>(seed, min_bytes),
    }
}

fn texts_in<L: Reports>(seed: u64, min_bytes: usize) -> Vec<String> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let pool: Vec<L::Person> = (0..5000).map(|i| L::invent(&mut rng, i)).collect();
    let mut out = Vec::new();
    let mut total = 0;
    while total < min_bytes {
        let p = &pool[rng.random_range(0..pool.len())];
        let (text, _) = L::report(&mut rng, p);
        total += text.len();
        out.push(text);
    }
    out
}

/// Who publishes the invented reports, and the share of reports each publishes.
/// Each report's publisher is drawn on its own, whoever the report is about, so
/// the publishers are independent lists of the persons (what multiple systems
/// estimation supposes), and the pool is the true population they sample.
pub const PUBLISHERS: &[(&str, f64)] = &[("Steppe Rights Monitor", 0.5), ("Migrant Defence Network", 0.3), ("Caspian Herald", 0.2)];

/// Writes `count` reports in `language` under `dir` (1,000 a subfolder) and `dir/truth.jsonl`.
pub fn generate(count: u64, dir: &Path, seed: u64, language: Language) -> Result<()> {
    generate_with(count, dir, seed, language, None)
}

/// Like [`generate`], about a pool of `persons` (default: a tenth of the reports).
/// Each subfolder's `sources.tsv` names each report's publisher, and
/// `dir/lists.tsv` says which publishers report each person of the pool (none,
/// for the persons no report names).
pub fn generate_with(count: u64, dir: &Path, seed: u64, language: Language, persons: Option<usize>) -> Result<()> {
    match language {
        Language::En => generate_in::<English>(count, dir, seed, persons),
        Language::Ru => generate_in::<ru::Russian>(count, dir, seed, persons),
    }
}

fn generate_in<L: Reports>(count: u64, dir: &Path, seed: u64, persons: Option<usize>) -> Result<()> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    // Publishers from a stream of their own: the reports' texts stay what they were before publishers.
    let mut publishing = ChaCha8Rng::seed_from_u64(seed ^ 0x5eed_7ab1e5);
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    // A pool of persons a tenth the size of the corpus, so persons recur across reports.
    let pool_size = persons.unwrap_or((count / 10).clamp(5, 200_000) as usize).max(1);
    let pool: Vec<L::Person> = (0..pool_size).map(|i| L::invent(&mut rng, i)).collect();
    let truth_path = dir.join("truth.jsonl");
    let mut truth = std::io::BufWriter::new(std::fs::File::create(&truth_path).with_context(|| format!("creating {}", truth_path.display()))?);
    let bar = indicatif::ProgressBar::new(count);
    let mut reported_by: Vec<std::collections::BTreeSet<&str>> = vec![Default::default(); pool.len()];
    let mut sources: Option<std::io::BufWriter<std::fs::File>> = None;
    for n in 0..count {
        let sub = dir.join(format!("{:04}", n / 1000));
        if n % 1000 == 0 {
            std::fs::create_dir_all(&sub)?;
            if let Some(mut s) = sources.take() {
                s.flush()?;
            }
            let path = sub.join("sources.tsv");
            let mut s = std::io::BufWriter::new(std::fs::File::create(&path).with_context(|| format!("creating {}", path.display()))?);
            writeln!(s, "name\toutlet")?;
            sources = Some(s);
        }
        let i = rng.random_range(0..pool.len());
        let p = &pool[i];
        let (text, events) = L::report(&mut rng, p);
        let publisher = publisher(&mut publishing);
        reported_by[i].insert(publisher);
        let name = format!("report-{n:07}.txt");
        std::fs::write(sub.join(&name), text).with_context(|| format!("writing {name}"))?;
        if let Some(s) = sources.as_mut() {
            writeln!(s, "{name}\t{publisher}")?;
        }
        let record = serde_json::json!({
            "document": format!("{:04}/{name}", n / 1000),
            "publisher": publisher,
            "person": L::truth(p),
            "events": events,
        });
        writeln!(truth, "{record}")?;
        bar.inc(1);
    }
    bar.finish_and_clear();
    truth.flush()?;
    if let Some(mut s) = sources.take() {
        s.flush()?;
    }
    let lists_path = dir.join("lists.tsv");
    let mut lists = std::io::BufWriter::new(std::fs::File::create(&lists_path).with_context(|| format!("creating {}", lists_path.display()))?);
    writeln!(lists, "person\tpublishers")?;
    for (i, by) in reported_by.iter().enumerate() {
        writeln!(lists, "person-{i}\t{}", by.iter().copied().collect::<Vec<_>>().join(";"))?;
    }
    lists.flush()?;
    let reported = reported_by.iter().filter(|b| !b.is_empty()).count();
    eprintln!("wrote {count} reports, truth.jsonl and lists.tsv to {}", dir.display());
    eprintln!("{} persons in the pool, {reported} of them reported; each publisher's persons:", pool.len());
    for (name, _) in PUBLISHERS {
        eprintln!("  {name}: {}", reported_by.iter().filter(|b| b.contains(name)).count());
    }
    Ok(())
}

/// A report's publisher, by the publishers' shares.
fn publisher(rng: &mut ChaCha8Rng) -> &'static str {
    let mut u: f64 = rng.random();
    for (name, share) in PUBLISHERS {
        if u < *share {
            return name;
        }
        u -= share;
    }
    PUBLISHERS[PUBLISHERS.len() - 1].0
}

/// One report about one person: its text and the events it states.
fn report(rng: &mut ChaCha8Rng, p: &Person) -> (String, Vec<serde_json::Value>) {
    let (country, cc, demonym, capital) = HOME[p.home];
    let city = CITIES_RU.choose(rng).unwrap();
    let surname = if rng.random_bool(0.3) { &p.variant } else { &p.surname };
    let full = format!("{} {surname}", p.given);
    let (he, his) = if p.female { ("she", "her") } else { ("he", "his") };
    let arrest = random_date(rng);
    let published = Date { y: arrest.y + 1, m: rng.random_range(0..12), d: rng.random_range(1..29) };
    let mut events = vec![serde_json::json!({"type": "arrest", "date": arrest.iso(), "country": "RU", "place": city})];
    let mut body = Vec::new();
    body.push(format!(
        "{full}, {}, a {demonym} {}, was detained by police in {city} on {}.",
        // Persons age with the years: every report of one person gives one year of birth.
        p.age + (arrest.y - FIRST_YEAR) as u32, p.role, arrest.text(rng)
    ));
    let style = rng.random_range(0..4);
    match rng.random_range(0..4) {
        0 => {
            let years = rng.random_range(2..20);
            let charge = CHARGES.choose(rng).unwrap();
            body.push(format!(
                "A court in {city} later sentenced {surname} to {years} years in a {} penal colony on charges of {charge}.",
                ["general-regime", "strict-regime", "maximum-security"].choose(rng).unwrap()
            ));
            events.push(serde_json::json!({"type": "sentence", "term_years": years, "country": "RU", "charges": [charge]}));
        }
        1 => {
            let d = random_date(rng);
            body.push(format!("On {} {he} was deported to {country}, where {his} relatives say {he} was tortured.", d.text(rng)));
            events.push(serde_json::json!({"type": "deportation", "date": d.iso(), "to_country": cc}));
            events.push(serde_json::json!({"type": "torture", "country": cc}));
        }
        2 => {
            body.push(format!(
                "Days later {he} was abducted by unidentified men and forcibly returned to {country}. {} was later found in a detention centre in {capital}.",
                capitalise(he)
            ));
            events.push(serde_json::json!({"type": "abduction", "country": "RU"}));
            events.push(serde_json::json!({"type": "rendition", "to_country": cc}));
        }
        _ => {
            body.push(format!("{surname} was released on bail two weeks later but remains under investigation for {}.", CHARGES.choose(rng).unwrap()));
            events.push(serde_json::json!({"type": "release"}));
        }
    }
    body.push(format!("{his_cap} lawyer said the case against {} was politically motivated.", p.given, his_cap = capitalise(his)));
    let title = format!("{demonym} {} {} detained in {city}", p.role, surname);
    let title = if style == 0 { title_case(&title) } else { title };
    let text = page(style, &title, &published.text(rng), &body, &ENGLISH_PAGE);
    (text, events)
}

/// The words around a report's text on each kind of page.
struct PageWords {
    press_release: &'static str,
    posted_by: &'static str,
    no_comments: &'static str,
    post_comment: &'static str,
    campaigns: &'static str,
    take_action: &'static str,
}

const ENGLISH_PAGE: PageWords = PageWords {
    press_release: "PRESS RELEASE",
    posted_by: "Posted by a volunteer",
    no_comments: "No comments:",
    post_comment: "Post a Comment",
    campaigns: "Campaigns",
    take_action: "Take action now",
};

/// A report's body laid out in one of four page styles: a news story, an NGO
/// release as text extracted from a PDF, a blog post, a campaign page.
fn page(style: u32, title: &str, date_line: &str, body: &[String], w: &PageWords) -> String {
    match style {
        0 => format!("{title}\n\n{date_line}\n\n{}\n", body.join("\n\n")),
        1 => pdf_lines(&format!("{}\n{date_line}\n{}", w.press_release, body.join(" "))),
        2 => format!("{date_line}\n\n{title}\n\n{}\n\n{}\n\n{}\n\n{}\n", w.posted_by, body.join(" "), w.no_comments, w.post_comment),
        _ => format!("{}\n\n{title}\n\n{}\n\n{}\n", w.campaigns, body.join("\n\n"), w.take_action),
    }
}

/// Text as extracted from a PDF: hard wraps at about 70 characters, each line
/// followed by an empty one (double spacing).
fn pdf_lines(text: &str) -> String {
    let mut out = String::new();
    let mut line = String::new();
    let mut chars = 0;
    for word in text.split(' ') {
        let len = word.chars().count();
        if chars + len > 70 {
            out.push_str(line.trim_end());
            out.push_str(" \n\n");
            line.clear();
            chars = 0;
        }
        line.push_str(word);
        line.push(' ');
        chars += len + 1;
    }
    out.push_str(&line);
    out
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().collect::<String>() + c.as_str()).unwrap_or_default()
}

fn title_case(s: &str) -> String {
    s.split(' ').map(capitalise).collect::<Vec<_>>().join(" ")
}
