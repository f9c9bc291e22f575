//! The figures of score.py: persons, organisations, events, linkage, attributes.

use crate::gold::{Export, ExportEntity, ExportEvent, Gold, GoldEntity, GoldEvent};
use crate::matching::{date_compatible, date_correct, norm};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// Precision, recall and F1, rounded to four places as score.py does.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Prf {
    pub tp: usize,
    pub predicted: usize,
    pub gold: usize,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

impl Prf {
    fn new(tp: usize, predicted: usize, gold: usize) -> Prf {
        let p = if predicted > 0 { tp as f64 / predicted as f64 } else if gold == 0 { 1.0 } else { 0.0 };
        let r = if gold > 0 { tp as f64 / gold as f64 } else { 1.0 };
        let f = if p + r > 0.0 { 2.0 * p * r / (p + r) } else { 0.0 };
        Prf { tp, predicted, gold, precision: round4(p), recall: round4(r), f1: round4(f) }
    }
}

fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// One attribute over the matched events: how many were right of those the gold states.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Attribute {
    pub correct: usize,
    pub scored: usize,
    pub accuracy: Option<f64>,
}

/// A missed or spurious item, with the passage that states it (gold evidence or export quote).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Miss {
    pub kind: &'static str,
    pub text: String,
    pub passage: Option<String>,
}

/// What went wrong in one document.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct DocumentReport {
    pub found: bool,
    pub missed: Vec<Miss>,
    pub spurious: Vec<Miss>,
    /// Matched events with an attribute that disagrees with the gold: kind is the attribute.
    pub wrong: Vec<Miss>,
}

/// Every figure score.py prints, and per document what was missed and spurious.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scores {
    pub persons: Prf,
    pub organizations: Prf,
    pub events: Prf,
    pub linkage: Prf,
    pub attributes: BTreeMap<String, Attribute>,
    /// Exported events by confidence, in tenths: how many of each were right.
    pub calibration: Vec<Bin>,
    pub documents: BTreeMap<String, DocumentReport>,
    /// Each scored exported event's confidence and whether it matched a gold event.
    #[serde(skip)]
    pub judged: Vec<(f64, bool)>,
}

/// The events whose confidence lies in `[low, low + 0.1)` (the last bin takes 1.0):
/// how many there were and how many matched a gold event.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bin {
    pub low: f64,
    pub events: usize,
    pub right: usize,
}

fn calibration(judged: &[(f64, bool)]) -> Vec<Bin> {
    let mut bins: Vec<Bin> = (0..10).map(|b| Bin { low: f64::from(b) / 10.0, events: 0, right: 0 }).collect();
    for &(c, ok) in judged {
        let b = ((c * 10.0).floor() as usize).min(9);
        bins[b].events += 1;
        bins[b].right += usize::from(ok);
    }
    bins.retain(|b| b.events > 0);
    bins
}

#[derive(Default)]
struct Tally {
    totals: HashMap<&'static str, [usize; 3]>,
    attr: BTreeMap<String, [usize; 2]>,
    links: Vec<(String, Option<String>)>,
    /// Each scored exported event's confidence and whether it matched.
    judged: Vec<(f64, bool)>,
}

impl Tally {
    fn add(&mut self, cat: &'static str, tp: usize, pred: usize, gold: usize) {
        let t = self.totals.entry(cat).or_default();
        t[0] += tp;
        t[1] += pred;
        t[2] += gold;
    }
    fn prf(&self, cat: &str) -> Prf {
        let t = self.totals.get(cat).copied().unwrap_or_default();
        Prf::new(t[0], t[1], t[2])
    }
    fn attribute(&mut self, field: &str, ok: bool) {
        let a = self.attr.entry(field.to_string()).or_default();
        a[0] += ok as usize;
        a[1] += 1;
    }
}

fn doc_key(source: &str) -> String {
    let base = source.rsplit(['/', '\\']).next().unwrap_or(source);
    match base.rfind('.') {
        Some(i) if i > 0 => base[..i].to_string(),
        _ => base.to_string(),
    }
}

fn required<T>(items: &[T], optional: impl Fn(&T) -> bool) -> usize {
    items.iter().filter(|x| !optional(x)).count()
}

/// Scores the export against the gold files (given in file order).
pub fn score(gold: &[(String, Gold)], export: &Export) -> Scores {
    let by_key: HashMap<String, &str> = export.documents.iter().map(|d| (doc_key(&d.source), d.id.as_str())).collect();
    let mut tally = Tally::default();
    let mut documents = BTreeMap::new();
    for (_, g) in gold {
        let key = doc_key(&g.document);
        let report = match by_key.get(&key) {
            Some(did) => score_document(g, did, export, &mut tally),
            None => unfound(g, &mut tally),
        };
        documents.insert(key, report);
    }
    let linkage = linkage(&tally.links);
    let attributes = tally
        .attr
        .iter()
        .map(|(k, [c, n])| (k.clone(), Attribute { correct: *c, scored: *n, accuracy: (*n > 0).then(|| round4(*c as f64 / *n as f64)) }))
        .collect();
    let calibration = calibration(&tally.judged);
    Scores { persons: tally.prf("persons"), organizations: tally.prf("organizations"), events: tally.prf("events"), linkage, attributes, calibration, documents, judged: tally.judged }
}

fn unfound(g: &Gold, tally: &mut Tally) -> DocumentReport {
    tally.add("persons", 0, 0, required(&g.persons, |x| x.optional));
    tally.add("organizations", 0, 0, required(&g.organizations, |x| x.optional));
    tally.add("events", 0, 0, required(&g.events, |x| x.optional));
    tally.links.extend(g.persons.iter().filter(|p| !p.optional).map(|p| (p.key.clone(), None)));
    DocumentReport::default()
}

fn names_in_doc(e: &ExportEntity, did: &str) -> BTreeSet<String> {
    let mut names: BTreeSet<String> = e.mentions.iter().filter(|m| m.document == did).map(|m| norm(&m.text)).collect();
    if !names.is_empty() {
        names.insert(norm(&e.name));
    }
    names.remove("");
    names
}

/// The exported entities present in a document, with their folded names there.
type Present<'a> = Vec<(&'a ExportEntity, BTreeSet<String>)>;

/// Greedy one-to-one matching of gold entities to the exported ones present in the document.
fn match_entities<'a>(gold: &[GoldEntity], pred: &'a [ExportEntity], did: &str) -> (HashMap<String, &'a str>, Present<'a>) {
    let present: Vec<_> = pred.iter().map(|p| (p, names_in_doc(p, did))).filter(|(_, ns)| !ns.is_empty()).collect();
    let mut pairs = Vec::new();
    for g in gold {
        let full = norm(&g.name);
        let gnames: HashSet<String> = std::iter::once(full.clone()).chain(g.variants.iter().map(|v| norm(v))).collect();
        for (p, pnames) in &present {
            let overlap = gnames.iter().filter(|n| pnames.contains(*n)).count();
            if overlap > 0 {
                pairs.push((!pnames.contains(&full), std::cmp::Reverse(overlap), g.key.as_str(), p.id.as_str()));
            }
        }
    }
    pairs.sort();
    let mut g2p = HashMap::new();
    let mut used = HashSet::new();
    for (_, _, gkey, pid) in pairs {
        if !g2p.contains_key(gkey) && !used.contains(pid) {
            g2p.insert(gkey.to_string(), pid);
            used.insert(pid);
        }
    }
    (g2p, present)
}

fn score_document(g: &Gold, did: &str, export: &Export, tally: &mut Tally) -> DocumentReport {
    let mut report = DocumentReport { found: true, ..Default::default() };
    let mut mapping: HashMap<String, String> = HashMap::new();
    for (cat, glist, pred) in [("persons", &g.persons, &export.persons), ("organizations", &g.organizations, &export.organizations)] {
        let (g2p, present) = match_entities(glist, pred, did);
        let optional: HashSet<&str> = glist.iter().filter(|x| x.optional).filter_map(|x| g2p.get(&x.key).copied()).collect();
        let tp = glist.iter().filter(|x| !x.optional && g2p.contains_key(&x.key)).count();
        tally.add(cat, tp, present.iter().filter(|(p, _)| !optional.contains(p.id.as_str())).count(), required(glist, |x| x.optional));
        let kind = if cat == "persons" { "person" } else { "organization" };
        for x in glist.iter().filter(|x| !x.optional && !g2p.contains_key(&x.key)) {
            report.missed.push(Miss { kind, text: x.name.clone(), passage: None });
        }
        let matched: HashSet<&str> = g2p.values().copied().collect();
        for (p, _) in present.iter().filter(|(p, _)| !matched.contains(p.id.as_str())) {
            let m = p.mentions.iter().find(|m| m.document == did);
            report.spurious.push(Miss { kind, text: p.name.clone(), passage: m.map(|m| m.text.clone()) });
        }
        if cat == "persons" {
            tally.links.extend(glist.iter().filter(|x| !x.optional).map(|x| (x.key.clone(), g2p.get(&x.key).map(|s| s.to_string()))));
        }
        mapping.extend(g2p.into_iter().map(|(k, v)| (k, v.to_string())));
    }
    score_events(g, did, export, &mapping, tally, &mut report);
    report
}

fn event_pair(g: &GoldEvent, e: &ExportEvent, gv: &HashSet<&str>) -> Option<(u8, std::cmp::Reverse<usize>, u8)> {
    if e.kind != g.kind {
        return None;
    }
    let shared = e.victims.iter().filter(|v| gv.contains(v.as_str())).collect::<HashSet<_>>().len();
    let dscore = if !g.victims.is_empty() {
        if shared == 0 {
            return None;
        }
        u8::from(!date_compatible(g.date.as_deref(), e.date.as_deref()))
    } else {
        if !date_compatible(g.date.as_deref(), e.date.as_deref()) {
            return None;
        }
        if let (Some(gp), Some(ep)) = (g.place.as_deref().filter(|s| !s.is_empty()), e.place.as_deref().filter(|s| !s.is_empty())) {
            if norm(gp) != norm(ep) {
                return None;
            }
        }
        0
    };
    Some((dscore, std::cmp::Reverse(shared), u8::from(g.optional)))
}

fn score_events(g: &Gold, did: &str, export: &Export, mapping: &HashMap<String, String>, tally: &mut Tally, report: &mut DocumentReport) {
    let pred: Vec<&ExportEvent> = export.events.iter().filter(|e| e.sources.iter().any(|s| s.document == did)).collect();
    let mut pairs = Vec::new();
    for (gi, ge) in g.events.iter().enumerate() {
        let gv: HashSet<&str> = ge.victims.iter().filter_map(|k| mapping.get(k).map(|s| s.as_str())).collect();
        for (ei, e) in pred.iter().enumerate() {
            if let Some((d, s, o)) = event_pair(ge, e, &gv) {
                pairs.push((d, s, o, gi, ei));
            }
        }
    }
    pairs.sort();
    let mut gmatched: HashMap<usize, usize> = HashMap::new();
    let mut ematched = HashSet::new();
    for (_, _, _, gi, ei) in pairs {
        if !gmatched.contains_key(&gi) && !ematched.contains(&ei) {
            gmatched.insert(gi, ei);
            ematched.insert(ei);
        }
    }
    let optional_e = g.events.iter().enumerate().filter(|(gi, x)| x.optional && gmatched.contains_key(gi)).count();
    let tp = g.events.iter().enumerate().filter(|(gi, x)| !x.optional && gmatched.contains_key(gi)).count();
    tally.add("events", tp, pred.len() - optional_e, required(&g.events, |x| x.optional));
    for (gi, ge) in g.events.iter().enumerate() {
        match gmatched.get(&gi) {
            Some(ei) => attributes(ge, pred[*ei], tally, &mut report.wrong),
            None if !ge.optional => report.missed.push(Miss { kind: "event", text: describe(&ge.kind, ge.date.as_deref(), &ge.victims), passage: ge.evidence.clone() }),
            None => {}
        }
    }
    let optional_matched: HashSet<usize> = gmatched.iter().filter(|(gi, _)| g.events[**gi].optional).map(|(_, ei)| *ei).collect();
    for (ei, e) in pred.iter().enumerate().filter(|(ei, _)| !optional_matched.contains(ei)) {
        if let Some(c) = e.confidence {
            tally.judged.push((c, ematched.contains(&ei)));
        }
    }
    for (_, e) in pred.iter().enumerate().filter(|(ei, _)| !ematched.contains(ei)) {
        let quote = e.sources.iter().find(|s| s.document == did).map(|s| s.quote.clone());
        report.spurious.push(Miss { kind: "event", text: describe(&e.kind, e.date.as_deref(), &[]), passage: quote });
    }
}

fn describe(kind: &str, date: Option<&str>, victims: &[String]) -> String {
    let mut s = format!("{kind} {}", date.unwrap_or("(no date)"));
    if !victims.is_empty() {
        s.push_str(&format!(" [{}]", victims.join(", ")));
    }
    s
}

fn attributes(g: &GoldEvent, e: &ExportEvent, tally: &mut Tally, wrong: &mut Vec<Miss>) {
    let mut check = |field: &'static str, ok: bool, gold: String, got: Option<String>| {
        tally.attribute(field, ok);
        if !ok {
            let text = format!("{}: gold {gold}, got {}", describe(&g.kind, g.date.as_deref(), &g.victims), got.as_deref().unwrap_or("nothing"));
            wrong.push(Miss { kind: field, text, passage: g.evidence.clone() });
        }
    };
    if let Some(d) = &g.date {
        check("date", date_correct(Some(d), e.date.as_deref()), d.clone(), e.date.clone());
    }
    if let Some(t) = g.term_years {
        check("term_years", e.term_years == Some(t), t.to_string(), e.term_years.map(|x| x.to_string()));
    }
    for (field, gv, pv) in [("to_country", &g.to_country, &e.to_country), ("country", &g.country, &e.country)] {
        if let Some(gv) = gv {
            check(field, norm(gv) == norm(pv.as_deref().unwrap_or("")), gv.clone(), pv.clone());
        }
    }
}

/// Linkage: pairwise precision and recall over the (document, gold person) pairs.
fn linkage(links: &[(String, Option<String>)]) -> Prf {
    let (mut gold, mut pred, mut both) = (0, 0, 0);
    for (i, a) in links.iter().enumerate() {
        for b in &links[i + 1..] {
            let same_gold = a.0 == b.0;
            let same_pred = a.1.is_some() && a.1 == b.1;
            gold += same_gold as usize;
            pred += same_pred as usize;
            both += (same_gold && same_pred) as usize;
        }
    }
    Prf::new(both, pred, gold)
}
