//! Invented Russian reports: the sentences of Russian human-rights bulletins
//! (arrests, searches, charges under articles of the Criminal Code, sentences
//! to years in a penal colony, deportations, extraditions and renditions)
//! about invented Central Asian persons, whose names are declined through the
//! cases as Russian text declines them, with invented Russian lawyers,
//! invented organisations, Russian dates and places.
//!
//! The same page styles as the English reports ([`super::page`]); the events
//! are recorded in truth.jsonl in the same shapes.

use super::{page, random_date, Date, PageWords, Reports};
use rand::seq::IndexedRandom;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use serde_json::{json, Value};

/// Given names as Russian text spells them; those ending in -а are women's.
const GIVEN: &[&str] = &[
    "Алишер", "Бахтиёр", "Дильшод", "Фаррух", "Джамшид", "Камолиддин", "Нодир", "Отабек", "Рустам", "Сардор",
    "Шерзод", "Улугбек", "Зафар", "Акмал", "Бобур", "Даврон", "Фаридун", "Ильхом", "Комил", "Мурод", "Нурлан",
    "Парвиз", "Равшан", "Сухроб", "Тимур", "Умид", "Азамат", "Бакыт", "Канат", "Марат", "Азиза", "Дильноза",
    "Гульнара", "Мадина", "Нигора", "Зарина", "Малика", "Феруза", "Шахноза", "Мохира",
];
const SURNAME_STEMS: &[&str] = &[
    "Карим", "Рахим", "Юсуп", "Назар", "Садык", "Турсун", "Холмат", "Эргаш", "Мамат", "Абдулла", "Расул",
    "Сайдал", "Умар", "Хайдар", "Мирза", "Тохтас", "Хамид", "Исмоил", "Нурмат", "Кодир", "Шарип", "Жура",
    "Усмон", "Тошмат", "Курбон", "Али", "Сафар", "Бегмат", "Кучкар", "Халил",
];
/// Lawyers' given names and surnames (men's forms; -а given names are women's).
const LAWYER_GIVEN: &[&str] = &["Алексей", "Андрей", "Дмитрий", "Сергей", "Игорь", "Михаил", "Николай", "Олег", "Анна", "Елена", "Ольга", "Мария", "Наталья", "Ирина"];
const LAWYER_SURNAMES: &[&str] = &["Петров", "Смирнов", "Никитин", "Соколов", "Ковалевский", "Зайцев", "Белоусов", "Орлов", "Громов", "Лебедев", "Воронин", "Ярцев"];

struct City {
    nom: &'static str,
    gen: &'static str,
    prep: &'static str,
}
const CITIES: &[City] = &[
    City { nom: "Москва", gen: "Москвы", prep: "Москве" },
    City { nom: "Санкт-Петербург", gen: "Санкт-Петербурга", prep: "Санкт-Петербурге" },
    City { nom: "Казань", gen: "Казани", prep: "Казани" },
    City { nom: "Екатеринбург", gen: "Екатеринбурга", prep: "Екатеринбурге" },
    City { nom: "Новосибирск", gen: "Новосибирска", prep: "Новосибирске" },
    City { nom: "Самара", gen: "Самары", prep: "Самаре" },
    City { nom: "Тюмень", gen: "Тюмени", prep: "Тюмени" },
    City { nom: "Красноярск", gen: "Красноярска", prep: "Красноярске" },
    City { nom: "Челябинск", gen: "Челябинска", prep: "Челябинске" },
    City { nom: "Уфа", gen: "Уфы", prep: "Уфе" },
];

struct Country {
    gen: &'static str,
    dat: &'static str,
    acc: &'static str,
    code: &'static str,
    capital_prep: &'static str,
}
const HOME: &[Country] = &[
    Country { gen: "Узбекистана", dat: "Узбекистану", acc: "Узбекистан", code: "UZ", capital_prep: "Ташкенте" },
    Country { gen: "Таджикистана", dat: "Таджикистану", acc: "Таджикистан", code: "TJ", capital_prep: "Душанбе" },
    Country { gen: "Киргизии", dat: "Киргизии", acc: "Киргизию", code: "KG", capital_prep: "Бишкеке" },
    Country { gen: "Туркменистана", dat: "Туркменистану", acc: "Туркменистан", code: "TM", capital_prep: "Ашхабаде" },
    Country { gen: "Казахстана", dat: "Казахстану", acc: "Казахстан", code: "KZ", capital_prep: "Алматы" },
];

/// Roles, the man's and the woman's word.
const ROLES: &[(&str, &str)] = &[
    ("активист", "активистка"),
    ("блогер", "блогер"),
    ("имам", "проповедница"),
    ("журналист", "журналистка"),
    ("юрист", "юрист"),
    ("трудовой мигрант", "трудовая мигрантка"),
    ("сторонник оппозиции", "сторонница оппозиции"),
    ("правозащитник", "правозащитница"),
];
const MONTHS_GEN: &[&str] = &["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября", "ноября", "декабря"];
/// Articles of the Criminal Code and what they punish.
const CHARGES: &[(&str, &str)] = &[
    ("ч. 2 ст. 205.5 УК РФ", "участие в деятельности террористической организации"),
    ("ч. 1 ст. 205.5 УК РФ", "организация деятельности террористической организации"),
    ("ч. 2 ст. 205.2 УК РФ", "публичное оправдание терроризма в интернете"),
    ("ч. 1 ст. 282.2 УК РФ", "организация деятельности экстремистской организации"),
    ("ч. 2 ст. 282.2 УК РФ", "участие в деятельности экстремистской организации"),
    ("ч. 2 ст. 280 УК РФ", "публичные призывы к экстремистской деятельности"),
    ("ч. 4 ст. 159 УК РФ", "мошенничество в особо крупном размере"),
    ("ч. 3 ст. 212 УК РФ", "призывы к массовым беспорядкам"),
];
/// Invented banned organisations and invented human-rights groups (masculine nouns).
const BANNED: &[&str] = &["Джамаат ан-Нур", "Хизб аль-Вахда", "Сабиль ас-Салям", "Ат-Тавба"];
const GROUPS: &[&str] = &["Правозащитный центр «Открытый голос»", "Проект «Право на защиту»", "Фонд «Мигрант и закон»", "Комитет «Белая линия»"];
const AGENCIES: &[&str] = &["сотрудники ФСБ", "сотрудники полиции", "оперативники Центра «Э»", "силовики", "сотрудники Следственного комитета"];
const DISTRICTS: &[&str] = &["Ленинский", "Октябрьский", "Советский", "Кировский", "Центральный"];
const MILITARY_COURTS: &[&str] = &["Южный окружной военный суд", "Центральный окружной военный суд", "Второй западный окружной военный суд"];
const REGIMES: &[&str] = &["общего режима", "строгого режима", "особого режима"];

const RUSSIAN_PAGE: PageWords = PageWords {
    press_release: "ПРЕСС-РЕЛИЗ",
    posted_by: "Опубликовал волонтёр",
    no_comments: "Комментариев нет:",
    post_comment: "Оставить комментарий",
    campaigns: "Кампании",
    take_action: "Присоединяйтесь к акции",
};

/// Russian reports.
pub(super) struct Russian;

impl Reports for Russian {
    type Person = Person;
    fn invent(rng: &mut ChaCha8Rng, id: usize) -> Person {
        invent_person(rng, id)
    }
    fn report(rng: &mut ChaCha8Rng, p: &Person) -> (String, Vec<Value>) {
        report(rng, p)
    }
    fn truth(p: &Person) -> Value {
        json!({"key": format!("person-{}", p.id), "name": format!("{} {}", p.given, p.surname), "age": p.age, "nationality": HOME[p.home].code})
    }
}

pub(super) struct Person {
    id: usize,
    given: &'static str,
    patronymic: String,
    surname: String,
    /// The surname in another spelling, used in some reports.
    variant: String,
    female: bool,
    home: usize,
    role: usize,
    age: u32,
}

fn invent_person(rng: &mut ChaCha8Rng, id: usize) -> Person {
    let given = *GIVEN.choose(rng).unwrap();
    let female = given.ends_with('а');
    let fathers: Vec<&str> = GIVEN.iter().copied().filter(|g| !g.ends_with('а')).collect();
    let father = *fathers.choose(rng).unwrap();
    let stem = *SURNAME_STEMS.choose(rng).unwrap();
    let russified = surname_ov(stem, female);
    let tajik = format!("{stem}зода");
    let (surname, variant) = if rng.random_bool(0.2) {
        (tajik, russified)
    } else {
        // Uzbek spelling keeps о where the Russified spelling writes а (Холматов, Халматов).
        let variant = match stem[2..].find('о') {
            Some(i) => surname_ov(&format!("{}{}а{}", &stem[..2], &stem[2..2 + i], &stem[2 + i + 'о'.len_utf8()..]), female),
            None => tajik,
        };
        (russified, variant)
    };
    Person {
        id,
        given,
        patronymic: patronymic(father, female),
        surname,
        variant,
        female,
        home: rng.random_range(0..HOME.len()),
        role: rng.random_range(0..ROLES.len()),
        age: rng.random_range(22..70),
    }
}

/// The -ов/-ев surname of a stem: -ев after a vowel or a hushing consonant.
fn surname_ov(stem: &str, female: bool) -> String {
    let last = stem.chars().last().unwrap_or(' ');
    let suffix = if "аеиоуяжшчщц".contains(last) { "ев" } else { "ов" };
    format!("{stem}{suffix}{}", if female { "а" } else { "" })
}

/// The patronymic from a father's given name: Рустамович, Сергеевна, Игоревич.
fn patronymic(father: &str, female: bool) -> String {
    let (stem, vowel) = if let Some(s) = father.strip_suffix("ий") {
        (format!("{s}и"), "е")
    } else if let Some(s) = father.strip_suffix(['й', 'ь']) {
        (s.to_string(), "е")
    } else if father.ends_with(['ж', 'ш', 'ч', 'щ', 'ц']) {
        (father.to_string(), "е")
    } else {
        (father.to_string(), "о")
    };
    format!("{stem}{vowel}{}", if female { "вна" } else { "вич" })
}

/// The six cases, in the order of the endings below.
#[derive(Clone, Copy, Debug)]
enum Case {
    Nom,
    Gen,
    Dat,
    Acc,
    Ins,
    Prep,
}

/// A word's case form: its last `cut` bytes replaced by the case's ending.
fn inflect(word: &str, cut: &str, endings: [&str; 6], case: Case) -> String {
    format!("{}{}", &word[..word.len() - cut.len()], endings[case as usize])
}

/// A given name or a patronymic in `case`, declined as a noun by its ending.
fn decline_name(word: &str, female: bool, case: Case) -> String {
    // After г, к, х and the hushing consonants the genitive of -а is -и.
    let before_a = word.chars().rev().nth(1).is_some_and(|c| "гкхжшчщ".contains(c));
    let hushing = word.ends_with(['ж', 'ш', 'ч', 'щ', 'ц']);
    if word.ends_with("ий") {
        inflect(word, "ий", ["ий", "ия", "ию", "ия", "ием", "ии"], case)
    } else if word.ends_with('й') {
        inflect(word, "й", ["й", "я", "ю", "я", "ем", "е"], case)
    } else if word.ends_with('ь') && !female {
        inflect(word, "ь", ["ь", "я", "ю", "я", "ем", "е"], case)
    } else if word.ends_with("ия") {
        inflect(word, "ия", ["ия", "ии", "ии", "ию", "ией", "ии"], case)
    } else if word.ends_with('я') {
        inflect(word, "я", ["я", "и", "е", "ю", "ей", "е"], case)
    } else if word.ends_with('а') {
        inflect(word, "а", ["а", if before_a { "и" } else { "ы" }, "е", "у", "ой", "е"], case)
    } else if female || word.ends_with(['о', 'е', 'и', 'у', 'ю', 'э']) {
        word.to_string()
    } else {
        inflect(word, "", ["", "а", "у", "а", if hushing { "ем" } else { "ом" }, "е"], case)
    }
}

/// A surname in `case`: -ов/-ин surnames and -ский ones decline as Russian
/// surnames do, -зода ones not at all, others as nouns.
fn decline_surname(word: &str, female: bool, case: Case) -> String {
    if word.ends_with("зода") {
        word.to_string()
    } else if !female && ends(word, &["ов", "ев", "ёв", "ин", "ын"]) {
        inflect(word, "", ["", "а", "у", "а", "ым", "е"], case)
    } else if female && ends(word, &["ова", "ева", "ёва", "ина", "ына"]) {
        inflect(word, "а", ["а", "ой", "ой", "у", "ой", "ой"], case)
    } else if !female && word.ends_with("кий") {
        inflect(word, "ий", ["ий", "ого", "ому", "ого", "им", "ом"], case)
    } else if female && word.ends_with("кая") {
        inflect(word, "ая", ["ая", "ой", "ой", "ую", "ой", "ой"], case)
    } else {
        decline_name(word, female, case)
    }
}

fn ends(word: &str, endings: &[&str]) -> bool {
    endings.iter().any(|e| word.ends_with(e))
}

/// A woman's form of a man's surname: Петрова, Ковалевская.
fn feminine_surname(surname: &str) -> String {
    match surname.strip_suffix("ий") {
        Some(stem) => format!("{stem}ая"),
        None => format!("{surname}а"),
    }
}

/// "год", "года" or "лет": the word for years after the number `n`.
fn years_gen(n: u32) -> &'static str {
    match (n % 10, n % 100) {
        (_, 11..=14) => "лет",
        (1, _) => "год",
        (2..=4, _) => "года",
        _ => "лет",
    }
}

/// "году" or "годам": the word for years after "к `n`".
fn years_dat(n: u32) -> &'static str {
    if n % 10 == 1 && n % 100 != 11 { "году" } else { "годам" }
}

/// A day one to five months after `d`.
fn after(d: &Date, rng: &mut ChaCha8Rng) -> Date {
    let m = d.m + rng.random_range(1..6);
    Date { y: d.y + (m / 12) as i32, m: m % 12, d: rng.random_range(1..29) }
}

fn date_text(d: &Date, rng: &mut ChaCha8Rng) -> String {
    if rng.random_bool(0.6) {
        format!("{} {} {} года", d.d, MONTHS_GEN[d.m], d.y)
    } else {
        format!("{:02}.{:02}.{}", d.d, d.m + 1, d.y)
    }
}

/// A report's person as the report writes them (the surname it uses, the
/// gender's word forms), and the banned organisation the case is about.
struct Subject<'a> {
    p: &'a Person,
    surname: &'a str,
    org: &'static str,
}

impl Subject<'_> {
    fn sur(&self, case: Case) -> String {
        decline_surname(self.surname, self.p.female, case)
    }
    fn given(&self, case: Case) -> String {
        decline_name(self.p.given, self.p.female, case)
    }
    fn full(&self, case: Case) -> String {
        format!("{} {}", self.given(case), self.sur(case))
    }
    /// The official order: surname, given name, patronymic.
    fn official(&self, case: Case) -> String {
        format!("{} {} {}", self.sur(case), self.given(case), decline_name(&self.p.patronymic, self.p.female, case))
    }
    /// The ending of a past verb or short participle: задержан, задержана.
    fn a(&self) -> &'static str {
        if self.p.female { "а" } else { "" }
    }
    /// Он/она, его/её, ему/ей, него/неё.
    fn he(&self) -> &'static str {
        if self.p.female { "она" } else { "он" }
    }
    fn him(&self) -> &'static str {
        if self.p.female { "её" } else { "его" }
    }
    fn to_him(&self) -> &'static str {
        if self.p.female { "ей" } else { "ему" }
    }
    fn after_prep(&self) -> &'static str {
        if self.p.female { "неё" } else { "него" }
    }
    fn role(&self) -> &'static str {
        let (m, f) = ROLES[self.p.role];
        if self.p.female { f } else { m }
    }
}

/// One report about one person: its text and the events it states.
fn report(rng: &mut ChaCha8Rng, p: &Person) -> (String, Vec<Value>) {
    let home = &HOME[p.home];
    let city = CITIES.choose(rng).unwrap();
    let s = Subject { p, surname: if rng.random_bool(0.3) { &p.variant } else { &p.surname }, org: BANNED.choose(rng).unwrap() };
    let arrest = random_date(rng);
    // Later events fall within five months of the arrest; the report is published after them.
    let published = Date { y: arrest.y + 1, m: rng.random_range(5..12), d: rng.random_range(1..29) };
    let (article, offence) = *CHARGES.choose(rng).unwrap();
    let mut events = vec![json!({"type": "arrest", "date": arrest.iso(), "country": "RU", "place": city.nom})];
    let mut body = vec![arrest_sentence(rng, &s, city, home, &arrest)];
    let style = rng.random_range(0..4);
    if rng.random_bool(0.4) {
        body.push(search_sentence(rng, &s, city));
        events.push(json!({"type": "search", "country": "RU", "place": city.nom}));
    }
    if rng.random_bool(0.5) {
        body.push(charge_sentence(rng, &s, article, offence));
        events.push(json!({"type": "charge", "country": "RU", "charges": [article]}));
    }
    let (sentence, mut outcome) = outcome(rng, &s, city, home, article, &arrest);
    body.push(sentence);
    events.append(&mut outcome);
    body.push(defence_sentence(rng, &s));
    let title = format!("{} {} из {} задержан{} в {}", super::capitalise(s.role()), s.sur(Case::Nom), home.gen, s.a(), city.prep);
    let date_line = if rng.random_bool(0.5) {
        format!("{} {} {}", published.d, MONTHS_GEN[published.m], published.y)
    } else {
        format!("{:02}.{:02}.{}", published.d, published.m + 1, published.y)
    };
    (page(style, &title, &date_line, &body, &RUSSIAN_PAGE), events)
}

fn arrest_sentence(rng: &mut ChaCha8Rng, s: &Subject<'_>, city: &City, home: &Country, arrest: &Date) -> String {
    let date = date_text(arrest, rng);
    let age = s.p.age;
    match rng.random_range(0..3) {
        0 => format!(
            "{date} в {} {} задержали {}, {age}-{} {} {}.",
            city.prep,
            AGENCIES.choose(rng).unwrap(),
            s.full(Case::Acc),
            if s.p.female { "летнюю" } else { "летнего" },
            if s.p.female { "гражданку" } else { "гражданина" },
            home.gen
        ),
        1 => format!(
            "{}, {}, {} {}, был{} задержан{} в {} {date}.",
            s.full(Case::Nom),
            s.role(),
            if s.p.female { "уроженка" } else { "уроженец" },
            home.gen,
            s.a(),
            s.a(),
            city.prep
        ),
        _ => format!(
            "{} ({age} {}) задержан{} {date} в {} по делу о причастности к организации «{}», запрещённой в России.",
            s.official(Case::Nom),
            years_gen(age),
            s.a(),
            city.prep,
            s.org
        ),
    }
}

fn search_sentence(rng: &mut ChaCha8Rng, s: &Subject<'_>, city: &City) -> String {
    if rng.random_bool(0.5) {
        format!("В тот же день в квартире {} в {} провели обыск: изъяли телефоны, ноутбук и религиозную литературу.", s.sur(Case::Gen), city.prep)
    } else {
        format!(
            "Во время обыска у {} силовики изъяли брошюры организации «{}», которую Верховный суд признал террористической.",
            s.full(Case::Gen),
            s.org
        )
    }
}

fn charge_sentence(rng: &mut ChaCha8Rng, s: &Subject<'_>, article: &str, offence: &str) -> String {
    match rng.random_range(0..3) {
        0 => format!("{} предъявлено обвинение по {article} ({offence}).", s.sur(Case::Dat)),
        1 => format!("Против {} возбуждено уголовное дело по {article} ({offence}).", s.full(Case::Gen)),
        _ => format!(
            "Следствие считает, что {} состоял{} в ячейке «{}», и вменяет {} {article}.",
            s.he(),
            s.a(),
            s.org,
            s.to_him()
        ),
    }
}

/// What became of the person: a sentence, a deportation, a rendition, an
/// extradition or a release; the sentence told and the events it states.
fn outcome(rng: &mut ChaCha8Rng, s: &Subject<'_>, city: &City, home: &Country, article: &str, arrest: &Date) -> (String, Vec<Value>) {
    match rng.random_range(0..5) {
        0 => {
            let years = rng.random_range(2..20);
            let regime = REGIMES.choose(rng).unwrap();
            let court = if rng.random_bool(0.5) {
                MILITARY_COURTS.choose(rng).unwrap().to_string()
            } else {
                format!("{} районный суд {}", DISTRICTS.choose(rng).unwrap(), city.gen)
            };
            let text = if rng.random_bool(0.5) {
                format!("{court} приговорил {} к {years} {} колонии {regime} по {article}.", s.sur(Case::Acc), years_dat(years))
            } else {
                format!(
                    "Позднее {court} назначил {} {years} {} лишения свободы с отбыванием наказания в колонии {regime}.",
                    s.full(Case::Dat),
                    years_gen(years)
                )
            };
            (text, vec![json!({"type": "sentence", "term_years": years, "country": "RU", "charges": [article]})])
        }
        1 => {
            let d = after(arrest, rng);
            let text = if rng.random_bool(0.5) {
                format!("{} {} депортировали в {}, где, по словам родственников, {} пытали в отделении полиции.", date_text(&d, rng), s.sur(Case::Acc), home.acc, s.him())
            } else {
                format!(
                    "Суд постановил выдворить {} за пределы России, и {} {} был{} депортирован{} в {}. Родственники говорят, что на родине {} пытали.",
                    s.sur(Case::Acc),
                    date_text(&d, rng),
                    s.he(),
                    s.a(),
                    s.a(),
                    home.acc,
                    s.him()
                )
            };
            (text, vec![json!({"type": "deportation", "date": d.iso(), "to_country": home.code}), json!({"type": "torture", "country": home.code})])
        }
        2 => (
            format!(
                "Через несколько дней {} похитили неизвестные в штатском и насильно вывезли в {}. Позднее {} оказал{} в следственном изоляторе в {}.",
                s.him(),
                home.acc,
                s.he(),
                if s.p.female { "ась" } else { "ся" },
                home.capital_prep
            ),
            vec![json!({"type": "abduction", "country": "RU"}), json!({"type": "rendition", "to_country": home.code})],
        ),
        3 => {
            let d = after(arrest, rng);
            (
                format!("{} Генеральная прокуратура выдала {} {}, где {} обвиняют в экстремизме.", date_text(&d, rng), s.full(Case::Acc), home.dat, s.him()),
                vec![json!({"type": "extradition", "date": d.iso(), "to_country": home.code})],
            )
        }
        _ => (
            format!("Через две недели {} отпустили под домашний арест, но уголовное дело по {article} против {} не прекращено.", s.sur(Case::Acc), s.after_prep()),
            vec![json!({"type": "release"})],
        ),
    }
}

fn defence_sentence(rng: &mut ChaCha8Rng, s: &Subject<'_>) -> String {
    match rng.random_range(0..5) {
        0 => {
            let given = *LAWYER_GIVEN.choose(rng).unwrap();
            let female = given.ends_with(['а', 'я']);
            let surname = LAWYER_SURNAMES.choose(rng).unwrap();
            let surname = if female { feminine_surname(surname) } else { surname.to_string() };
            format!("Адвокат {} {given} {surname} заявил{}, что дело против {} сфабриковано.", s.sur(Case::Gen), if female { "а" } else { "" }, s.given(Case::Gen))
        }
        1 => format!(
            "{} признал {} политзаключённ{}.",
            GROUPS.choose(rng).unwrap(),
            s.full(Case::Acc),
            if s.p.female { "ой" } else { "ым" }
        ),
        2 => format!("Сам{} {} вину не признаёт, защита намерена обжаловать решение.", s.a(), s.sur(Case::Nom)),
        3 => format!("Адвокату несколько недель не давали встретиться с {} в изоляторе.", s.full(Case::Ins)),
        _ => {
            let name = s.full(Case::Prep);
            let about = if name.starts_with(['А', 'И', 'О', 'У', 'Э']) { "об" } else { "о" };
            format!("Подробнее {about} {name} — на странице кампании.")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn declines_names_by_their_endings() {
        let all = |w: &str, f: bool| [Case::Nom, Case::Gen, Case::Dat, Case::Acc, Case::Ins, Case::Prep].map(|c| decline_name(w, f, c)).join(" ");
        assert_eq!(all("Алишер", false), "Алишер Алишера Алишеру Алишера Алишером Алишере");
        assert_eq!(all("Малика", true), "Малика Малики Малике Малику Маликой Малике");
        assert_eq!(all("Зарина", true), "Зарина Зарины Зарине Зарину Зариной Зарине");
        assert_eq!(all("Дмитрий", false), "Дмитрий Дмитрия Дмитрию Дмитрия Дмитрием Дмитрии");
        assert_eq!(all("Игорь", false), "Игорь Игоря Игорю Игоря Игорем Игоре");
        assert_eq!(all("Рустамович", false), "Рустамович Рустамовича Рустамовичу Рустамовича Рустамовичем Рустамовиче");
        assert_eq!(all("Рустамовна", true), "Рустамовна Рустамовны Рустамовне Рустамовну Рустамовной Рустамовне");
    }

    #[test]
    fn declines_surnames_as_russian_surnames() {
        let all = |w: &str, f: bool| [Case::Nom, Case::Gen, Case::Dat, Case::Acc, Case::Ins, Case::Prep].map(|c| decline_surname(w, f, c)).join(" ");
        assert_eq!(all("Каримов", false), "Каримов Каримова Каримову Каримова Каримовым Каримове");
        assert_eq!(all("Каримова", true), "Каримова Каримовой Каримовой Каримову Каримовой Каримовой");
        assert_eq!(all("Ковалевская", true), "Ковалевская Ковалевской Ковалевской Ковалевскую Ковалевской Ковалевской");
        assert_eq!(all("Сафарзода", false), "Сафарзода Сафарзода Сафарзода Сафарзода Сафарзода Сафарзода");
    }

    #[test]
    fn forms_surnames_patronymics_and_year_words() {
        assert_eq!(surname_ov("Абдулла", false), "Абдуллаев");
        assert_eq!(surname_ov("Эргаш", true), "Эргашева");
        assert_eq!(patronymic("Сергей", false), "Сергеевич");
        assert_eq!(patronymic("Дмитрий", true), "Дмитриевна");
        assert_eq!(patronymic("Тимур", true), "Тимуровна");
        assert_eq!([1, 3, 5, 11, 21, 22].map(years_gen), ["год", "года", "лет", "лет", "год", "года"]);
        assert_eq!([1, 5, 11, 21].map(years_dat), ["году", "годам", "годам", "году"]);
    }

    #[test]
    fn spells_variants_the_other_way() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let people: Vec<Person> = (0..300).map(|i| invent_person(&mut rng, i)).collect();
        assert!(people.iter().all(|p| p.surname != p.variant));
        assert!(people.iter().any(|p| p.surname.starts_with("Холмат") && p.variant.starts_with("Халмат")));
        assert!(people.iter().any(|p| p.surname.ends_with("зода")));
    }

    #[test]
    fn reports_are_russian_and_reproducible() {
        let a = super::super::texts(3, 20_000, super::super::Language::Ru);
        assert_eq!(a, super::super::texts(3, 20_000, super::super::Language::Ru));
        let text = a.join("\n");
        let letters = text.chars().filter(|c| c.is_alphabetic()).count();
        let cyrillic = text.chars().filter(|c| ('\u{0400}'..='\u{04ff}').contains(c)).count();
        assert!(cyrillic * 10 > letters * 9, "{cyrillic} Cyrillic letters of {letters}");
        assert!(text.contains("ст. 205.5 УК РФ") || text.contains("ст. 282.2 УК РФ"));
        // Ingestion takes them for Russian, and so hands them to the Russian extractor.
        assert!(a.iter().all(|t| chronicle_ingest::guess_language(t).as_deref() == Some("ru")));
    }

    #[test]
    fn numeric_date_lines_are_read_as_the_publication_date() {
        let texts = super::super::texts(4, 20_000, super::super::Language::Ru);
        let numeric: Vec<&String> = texts.iter().filter(|t| t.lines().take(3).any(|l| l.len() == 10 && l.as_bytes()[2] == b'.')).collect();
        assert!(numeric.len() * 4 > texts.len(), "{} of {}", numeric.len(), texts.len());
        assert!(numeric.iter().all(|t| chronicle_ingest::find_published(t).is_some()));
    }
}
