//! FollowTheMoney entities (https://followthemoney.tech), one JSON object a
//! line: a `Person` per person, an `Organization` (a `PublicBody` for state
//! bodies) per organisation, an `Event` per event, a `Document` per report;
//! a `Documentation` per report and each person, organisation and event it
//! tells of, and an `UnknownLink` per party to an event with its role.
//! Ids are Chronicle's, prefixed `chronicle-`; countries lower-case ISO
//! codes, languages ISO 639-3, dates partial ISO, as FtM wants them.

use super::roles::{involvements, names, Role};
use super::Record;
use anyhow::Result;
use chronicle_model::{Document, OrgCategory};
use chronicle_store::{EventRecord, OrgRecord, PersonRecord};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::io::Write;

#[derive(Serialize)]
struct Entity {
    id: String,
    schema: &'static str,
    properties: BTreeMap<&'static str, Vec<String>>,
}

impl Entity {
    fn new(id: &str, schema: &'static str) -> Entity {
        Entity { id: ftm_id(id), schema, properties: BTreeMap::new() }
    }

    /// Adds the values that are not empty, once each, in order.
    fn put(&mut self, prop: &'static str, values: impl IntoIterator<Item = String>) -> &mut Entity {
        let list = self.properties.entry(prop).or_default();
        for v in values {
            if !v.is_empty() && !list.contains(&v) {
                list.push(v);
            }
        }
        if list.is_empty() {
            self.properties.remove(prop);
        }
        self
    }

    fn put_one(&mut self, prop: &'static str, value: Option<String>) -> &mut Entity {
        self.put(prop, value)
    }
}

/// An FtM id for a Chronicle id: `chronicle-` and the id where it is made of
/// what FtM ids may hold (letters, digits, `.` and `-`), else its other
/// characters replaced and a digest of the id added, so two ids stay two.
pub fn ftm_id(id: &str) -> String {
    if id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.') {
        return format!("chronicle-{id}");
    }
    let kept: String = id.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect();
    format!("chronicle-{kept}-{}", &chronicle_pipeline::sha256_hex(id.as_bytes())[..12])
}

/// A name as FtM keeps it: whitespace runs made one space.
fn name(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn country(code: &str) -> String {
    code.to_ascii_lowercase()
}

/// ISO 639-1 to the ISO 639-3 codes FtM knows (its whole list); other languages are left out.
const LANGUAGES: &[(&str, &str)] = &[
    ("af", "afr"), ("am", "amh"), ("ar", "ara"), ("az", "aze"), ("be", "bel"), ("bg", "bul"), ("bn", "ben"), ("bs", "bos"), ("ca", "cat"),
    ("cs", "ces"), ("da", "dan"), ("de", "deu"), ("el", "ell"), ("en", "eng"), ("es", "spa"), ("et", "est"), ("fa", "fas"), ("fi", "fin"),
    ("fr", "fra"), ("ga", "gle"), ("he", "heb"), ("hi", "hin"), ("hr", "hrv"), ("hu", "hun"), ("hy", "hye"), ("id", "ind"), ("is", "isl"),
    ("it", "ita"), ("ja", "jpn"), ("ka", "kat"), ("kk", "kaz"), ("km", "khm"), ("kn", "kan"), ("ko", "kor"), ("ky", "kir"), ("lb", "ltz"),
    ("lo", "lao"), ("lt", "lit"), ("lv", "lav"), ("mk", "mkd"), ("mn", "mon"), ("ms", "msa"), ("mt", "mlt"), ("my", "mya"), ("ne", "nep"),
    ("nl", "nld"), ("no", "nor"), ("pl", "pol"), ("ps", "pus"), ("pt", "por"), ("ro", "ron"), ("ru", "rus"), ("si", "sin"), ("sk", "slk"),
    ("sl", "slv"), ("sq", "sqi"), ("sr", "srp"), ("sv", "swe"), ("sw", "swa"), ("ta", "tam"), ("te", "tel"), ("tg", "tgk"), ("th", "tha"),
    ("tk", "tuk"), ("tl", "tgl"), ("tr", "tur"), ("uk", "ukr"), ("ur", "urd"), ("uz", "uzb"), ("vi", "vie"), ("zh", "zho"),
];

fn language(code: &str) -> Option<String> {
    LANGUAGES.iter().find(|(two, _)| *two == code).map(|(_, three)| three.to_string())
}

fn is_url(source: &str) -> bool {
    source.starts_with("http://") || source.starts_with("https://")
}

fn person(p: &PersonRecord) -> Entity {
    let mut e = Entity::new(&p.id, "Person");
    e.put("name", [name(&p.name)]);
    e.put("alias", p.names.iter().map(|n| name(n)).filter(|n| *n != name(&p.name)));
    e.put("nationality", p.nationality.iter().map(|c| country(c)));
    e.put_one("birthDate", p.birth_year.map(|y| format!("{y:04}")));
    e.put("profession", p.occupation.iter().cloned());
    e.put_one("status", p.status.map(|s| s.to_string()));
    e
}

/// Bodies of a state: FtM's `PublicBody`.
fn is_state_body(category: Option<OrgCategory>) -> bool {
    use OrgCategory::*;
    matches!(category, Some(SecurityService | Police | Court | Prosecutor | Government))
}

fn organization(o: &OrgRecord) -> Entity {
    let schema = if is_state_body(o.category) { "PublicBody" } else { "Organization" };
    let mut e = Entity::new(&o.id, schema);
    e.put("name", [name(&o.name)]);
    e.put("alias", o.names.iter().map(|n| name(n)).filter(|n| *n != name(&o.name)));
    e.put_one("country", o.country.as_deref().map(country));
    e.put_one("classification", o.category.map(|c| c.to_string()));
    e
}

fn document(d: &Document) -> Entity {
    let mut e = Entity::new(&d.id, "Document");
    e.put_one("title", d.title.clone());
    if is_url(&d.source) {
        e.put("sourceUrl", [d.source.clone()]);
    } else if d.source != d.id {
        // A public export's source is the document's id: no file name to give.
        let file = d.source.rsplit(['/', '\\']).next().unwrap_or(&d.source);
        e.put("fileName", [file.to_string()]);
    }
    e.put_one("publishedAt", d.published.map(|p| p.to_string()));
    e.put_one("language", d.language.as_deref().and_then(language));
    e.put("contentHash", [d.sha256.clone()]);
    e.put_one("publisher", d.publisher.clone());
    e
}

/// What the export holds: entity ids by Chronicle id, and the documents.
struct Known<'a> {
    entities: HashSet<&'a str>,
    documents: HashMap<&'a str, &'a Document>,
    names: HashMap<&'a str, &'a str>,
}

impl<'a> Known<'a> {
    fn of(record: &'a Record) -> Known<'a> {
        let mut entities: HashSet<&str> = record.persons.iter().map(|p| p.id.as_str()).collect();
        entities.extend(record.organizations.iter().map(|o| o.id.as_str()));
        let documents = record.documents.iter().map(|d| (d.document.id.as_str(), &d.document)).collect();
        Known { entities, documents, names: names(record) }
    }
}

/// "arrest of Ilhom Rashidov", or the type alone when no victim is named.
fn event_name(ev: &EventRecord, known: &Known) -> String {
    let victims: Vec<&str> = ev.victims.iter().filter_map(|v| known.names.get(v.as_str()).copied()).collect();
    match victims.as_slice() {
        [] => ev.kind.to_string(),
        vs => name(&format!("{} of {}", ev.kind, vs.join(", "))),
    }
}

/// What the event's other properties do not say: destination, term, regime, charges.
fn event_description(ev: &EventRecord) -> Option<String> {
    let mut parts = Vec::new();
    if let Some(to) = &ev.to_country {
        parts.push(format!("to {to}"));
    }
    if let Some(t) = ev.term_years {
        parts.push(format!("term {t} years"));
    }
    if let Some(r) = &ev.regime {
        parts.push(r.clone());
    }
    if !ev.charges.is_empty() {
        parts.push(format!("charges: {}", ev.charges.join("; ")));
    }
    (!parts.is_empty()).then(|| parts.join("; "))
}

fn event(ev: &EventRecord, known: &Known) -> Entity {
    let mut e = Entity::new(&ev.id, "Event");
    e.put("name", [event_name(ev, known)]);
    e.put("keywords", [ev.kind.to_string()]);
    e.put_one("date", ev.date.map(|d| d.to_string()));
    e.put_one("country", ev.country.as_deref().map(country));
    e.put_one("location", ev.place.clone());
    let parties = ev.victims.iter().chain(&ev.perpetrators).filter(|id| known.entities.contains(id.as_str()));
    e.put("involved", parties.map(|id| ftm_id(id)));
    e.put("summary", ev.sources.iter().map(|s| s.quote.clone()));
    e.put_one("description", event_description(ev));
    let documents: Vec<&Document> = ev.sources.iter().filter_map(|s| known.documents.get(s.document.as_str()).copied()).collect();
    e.put("proof", documents.iter().map(|d| ftm_id(&d.id)));
    e.put("sourceUrl", documents.iter().filter(|d| is_url(&d.source)).map(|d| d.source.clone()));
    e
}

/// Each document's entities and the roles they have in it: `victim` and
/// `perpetrator` of events it tells, `source` for the events themselves,
/// `mentioned` for whoever it names otherwise.
fn documented(record: &Record, known: &Known) -> BTreeMap<(String, String), BTreeSet<&'static str>> {
    let mut pairs: BTreeMap<(String, String), BTreeSet<&'static str>> = BTreeMap::new();
    let mentions = record.persons.iter().map(|p| (&p.id, &p.mentions)).chain(record.organizations.iter().map(|o| (&o.id, &o.mentions)));
    for (id, ms) in mentions {
        for m in ms.iter().filter(|m| known.documents.contains_key(m.document.as_str())) {
            pairs.entry((m.document.clone(), id.clone())).or_default();
        }
    }
    let events: HashMap<&str, &EventRecord> = record.events.iter().map(|e| (e.id.as_str(), e)).collect();
    for i in involvements(record).iter().filter(|i| matches!(i.role, Role::Victim | Role::Perpetrator)) {
        for s in events[i.event].sources.iter().filter(|s| known.documents.contains_key(s.document.as_str())) {
            if known.entities.contains(i.party) {
                pairs.entry((s.document.clone(), i.party.to_string())).or_default().insert(i.role.as_str());
            }
        }
    }
    for e in &record.events {
        for s in e.sources.iter().filter(|s| known.documents.contains_key(s.document.as_str())) {
            pairs.entry((s.document.clone(), e.id.clone())).or_default().insert("source");
        }
    }
    pairs
}

fn documentation(doc: &str, entity: &str, roles: &BTreeSet<&'static str>) -> Entity {
    let mut e = Entity::new(&format!("{doc}-tells-{entity}"), "Documentation");
    e.put("document", [ftm_id(doc)]).put("entity", [ftm_id(entity)]);
    if roles.is_empty() {
        e.put("role", ["mentioned".to_string()]);
    } else {
        e.put("role", roles.iter().map(|r| r.to_string()));
    }
    e
}

fn link(event: &str, party: &str, role: Role) -> Entity {
    let mut e = Entity::new(&format!("{event}-{}-{party}", role.as_str()), "UnknownLink");
    e.put("subject", [ftm_id(party)]).put("object", [ftm_id(event)]).put("role", [role.as_str().to_string()]);
    e
}

fn line(w: &mut dyn Write, e: &Entity) -> Result<()> {
    serde_json::to_writer(&mut *w, e)?;
    w.write_all(b"\n")?;
    Ok(())
}

/// Writes the record as FtM entities, one a line.
pub fn ftm(record: &Record, w: &mut dyn Write) -> Result<()> {
    let known = Known::of(record);
    for d in &record.documents {
        line(w, &document(&d.document))?;
    }
    for p in &record.persons {
        line(w, &person(p))?;
    }
    for o in &record.organizations {
        line(w, &organization(o))?;
    }
    for e in &record.events {
        line(w, &event(e, &known))?;
    }
    for ((doc, entity), roles) in documented(record, &known) {
        line(w, &documentation(&doc, &entity, &roles))?;
    }
    for i in involvements(record).into_iter().filter(|i| known.entities.contains(i.party)) {
        line(w, &link(i.event, i.party, i.role))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_chronicles_with_a_prefix_and_stay_apart_when_characters_are_replaced() {
        assert_eq!(ftm_id("doc-9aaa2e1bad861c5d-e1"), "chronicle-doc-9aaa2e1bad861c5d-e1");
        let (a, b) = (ftm_id("org-аль-вай"), ftm_id("org-аль-бай"));
        assert!(a.starts_with("chronicle-org-") && a != b, "{a} {b}");
        assert!(a.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'), "{a}");
    }

    #[test]
    fn languages_are_ftms_three_letter_codes_and_unknown_ones_are_left_out() {
        assert_eq!(language("ru").as_deref(), Some("rus"));
        assert_eq!(language("uz").as_deref(), Some("uzb"));
        assert_eq!(language("xx"), None);
    }
}
