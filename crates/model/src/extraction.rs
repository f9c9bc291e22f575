use crate::{Country, EventType, OrgCategory, PartialDate};

/// A range of characters (Unicode scalar values) in a document's text, end exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        debug_assert!(start <= end);
        Span { start, end }
    }
    pub fn len(&self) -> usize {
        self.end - self.start
    }
    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }
    pub fn contains(&self, other: &Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }
    pub fn overlaps(&self, other: &Span) -> bool {
        self.start < other.end && other.start < self.end
    }
}

/// One place in a document where an entity is named.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Mention {
    pub text: String,
    pub span: Span,
}

/// A person as one document speaks of them, before linking across documents.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ExtractedPerson {
    /// The fullest name the document gives.
    pub name: String,
    pub mentions: Vec<Mention>,
    pub age: Option<u32>,
    pub birth_year: Option<i32>,
    pub nationality: Vec<Country>,
    pub occupation: Vec<String>,
    /// Organisations the person works for or belongs to (indices into the extraction's orgs).
    pub affiliations: Vec<usize>,
    /// Named only as the author or photographer of the report, not in its story.
    pub credit_only: bool,
    /// What the document says the person is to someone else ("brother",
    /// "wife"): relatives are withheld from public exports when so configured.
    pub relations: Vec<String>,
}

/// An organisation as one document speaks of it.
#[derive(Debug, Clone, PartialEq)]
pub struct ExtractedOrg {
    /// A key shared by every spelling of the same organisation, across documents.
    pub key: String,
    pub name: String,
    pub mentions: Vec<Mention>,
    pub category: Option<OrgCategory>,
    pub country: Option<Country>,
}

/// A place named in a document.
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    pub name: String,
    pub country: Option<Country>,
    pub span: Span,
}

/// A participant of an event, by index into the extraction's lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EntityRef {
    Person(usize),
    Org(usize),
}

/// Something that happened to someone, with the passage that says so.
#[derive(Debug, Clone, PartialEq)]
pub struct ExtractedEvent {
    pub kind: EventType,
    pub date: Option<PartialDate>,
    pub place: Option<String>,
    pub country: Option<Country>,
    pub to_country: Option<Country>,
    pub victims: Vec<EntityRef>,
    pub perpetrators: Vec<EntityRef>,
    pub term_years: Option<f64>,
    pub regime: Option<String>,
    pub charges: Vec<String>,
    pub confidence: f32,
    /// The passages that state it (several when a report tells it twice).
    pub sources: Vec<Source>,
}

/// A passage of a document that supports a fact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub span: Span,
    pub quote: String,
}

/// Everything one extractor found in one document.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Extraction {
    pub persons: Vec<ExtractedPerson>,
    pub orgs: Vec<ExtractedOrg>,
    pub places: Vec<Place>,
    pub events: Vec<ExtractedEvent>,
    /// Things the extractor noticed but could not resolve, for the analyst.
    pub warnings: Vec<String>,
}
