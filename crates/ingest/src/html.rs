//! HTML pages: the article text without navigation, footers, related-story
//! boxes and comment widgets, and the metadata the page declares.

use crate::{Deadline, IngestError};
use ego_tree::NodeId;
use html5ever::tendril::{StrTendril, TendrilSink};
use html5ever::tree_builder::{ElementFlags, NodeOrText, QuirksMode, TreeSink};
use html5ever::{Attribute, QualName};
use scraper::{ElementRef, Html, HtmlTreeSink, Node, Selector};
use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;


#[derive(Debug, Default, Clone)]
pub struct Meta {
    pub title: Option<String>,
    pub published: Option<String>,
    pub language: Option<String>,
    pub publisher: Option<String>,
}

#[derive(Debug)]
pub struct Page {
    pub text: String,
    pub meta: Meta,
}

/// Elements whose content is never article text.
const DROPPED_TAGS: &[&str] = &[
    "script", "style", "noscript", "template", "nav", "footer", "aside", "form", "iframe", "svg",
    "button", "select", "option", "label", "input", "textarea", "menu", "dialog", "head", "object",
    "embed", "canvas", "video", "audio",
];

/// Class or id fragments that mark boilerplate containers.
const BOILERPLATE_MARKS: &[&str] = &[
    "nav", "menu", "footer", "comment", "related", "share", "social", "sidebar", "breadcrumb",
    "cookie", "subscribe", "newsletter", "advert", "promo", "widget", "banner", "popup", "signup",
    "masthead", "read-more", "readmore", "recommend", "tags",
];

const BLOCK_TAGS: &[&str] = &[
    "p", "div", "section", "article", "main", "header", "h1", "h2", "h3", "h4", "h5", "h6", "li",
    "ul", "ol", "blockquote", "pre", "table", "tr", "figure", "figcaption", "br", "hr", "dl", "dt",
    "dd", "address", "time", "caption", "body",
];

fn is_boilerplate(el: &scraper::node::Element) -> bool {
    if DROPPED_TAGS.contains(&el.name()) {
        return true;
    }
    if el.attr("hidden").is_some() || el.attr("aria-hidden") == Some("true") {
        return true;
    }
    if matches!(el.attr("role"), Some("navigation" | "banner" | "contentinfo" | "complementary")) {
        return true;
    }
    let marks = format!("{} {}", el.attr("class").unwrap_or(""), el.attr("id").unwrap_or(""))
        .to_ascii_lowercase();
    marks
        .split(|c: char| c.is_whitespace() || c == '_')
        .any(|token| BOILERPLATE_MARKS.iter().any(|m| token == *m || token.split('-').any(|p| p == *m)))
}

/// How deep elements may nest. Real pages stay far below; the HTML parser
/// slows with the square of the depth, so deeper is refused while parsing.
pub const MAX_DEPTH: usize = 5_000;
/// How many elements a page may have (large real pages have tens of thousands).
pub const MAX_ELEMENTS: usize = 200_000;
/// Input fed to the parser between two checks of the limits and the deadline.
const CHUNK: usize = 16 * 1024;

/// Parses the page, refusing it as soon as the tree builder nests elements
/// deeper than [`MAX_DEPTH`], creates more than [`MAX_ELEMENTS`], or the
/// deadline passes. Depth is the tree's as the parser builds it, so
/// self-closing `<div/>` and stray end tags count as the parser takes them.
fn parse(source: &str, deadline: Deadline) -> Result<Html, IngestError> {
    let refused = Rc::new(Cell::new(None));
    let sink = Guarded { inner: HtmlTreeSink::new(Html::new_document()), depths: RefCell::default(), elements: Cell::new(0), refused: refused.clone() };
    let mut parser = html5ever::driver::parse_document(sink, Default::default());
    let mut rest = source;
    while !rest.is_empty() {
        let mut cut = rest.len().min(CHUNK);
        while !rest.is_char_boundary(cut) {
            cut += 1;
        }
        parser.process(StrTendril::from_slice(&rest[..cut]));
        rest = &rest[cut..];
        if let Some(why) = refused.take() {
            return Err(why);
        }
        deadline.check()?;
    }
    let html = parser.finish();
    refused.take().map_or(Ok(html), Err)
}

/// scraper's tree sink, counting elements and the depth of each node.
struct Guarded {
    inner: HtmlTreeSink,
    depths: RefCell<HashMap<NodeId, usize>>,
    elements: Cell<usize>,
    refused: Rc<Cell<Option<IngestError>>>,
}

impl Guarded {
    fn depth(&self, node: &NodeId) -> usize {
        self.depths.borrow().get(node).copied().unwrap_or(0)
    }

    /// Records that `child` now sits at `depth`.
    fn place(&self, child: &NodeOrText<NodeId>, depth: usize) {
        if let NodeOrText::AppendNode(node) = child {
            self.depths.borrow_mut().insert(*node, depth);
            if depth > MAX_DEPTH {
                self.refused.set(Some(IngestError::TooDeep { limit: MAX_DEPTH }));
            }
        }
    }
}

impl TreeSink for Guarded {
    type Output = Html;
    type Handle = NodeId;
    type ElemName<'a> = <HtmlTreeSink as TreeSink>::ElemName<'a>;

    fn finish(self) -> Html {
        self.inner.finish()
    }
    fn parse_error(&self, msg: Cow<'static, str>) {
        self.inner.parse_error(msg)
    }
    fn get_document(&self) -> NodeId {
        self.inner.get_document()
    }
    fn elem_name<'a>(&'a self, target: &'a NodeId) -> Self::ElemName<'a> {
        self.inner.elem_name(target)
    }
    fn create_element(&self, name: QualName, attrs: Vec<Attribute>, flags: ElementFlags) -> NodeId {
        self.elements.set(self.elements.get() + 1);
        if self.elements.get() > MAX_ELEMENTS {
            self.refused.set(Some(IngestError::TooManyElements { limit: MAX_ELEMENTS }));
        }
        self.inner.create_element(name, attrs, flags)
    }
    fn create_comment(&self, text: StrTendril) -> NodeId {
        self.inner.create_comment(text)
    }
    fn create_pi(&self, target: StrTendril, data: StrTendril) -> NodeId {
        self.inner.create_pi(target, data)
    }
    fn append(&self, parent: &NodeId, child: NodeOrText<NodeId>) {
        self.place(&child, self.depth(parent) + 1);
        self.inner.append(parent, child)
    }
    fn append_based_on_parent_node(&self, element: &NodeId, prev_element: &NodeId, child: NodeOrText<NodeId>) {
        self.place(&child, self.depth(element).max(self.depth(prev_element)) + 1);
        self.inner.append_based_on_parent_node(element, prev_element, child)
    }
    fn append_doctype_to_document(&self, name: StrTendril, public_id: StrTendril, system_id: StrTendril) {
        self.inner.append_doctype_to_document(name, public_id, system_id)
    }
    fn mark_script_already_started(&self, node: &NodeId) {
        self.inner.mark_script_already_started(node)
    }
    fn pop(&self, node: &NodeId) {
        self.inner.pop(node)
    }
    fn get_template_contents(&self, target: &NodeId) -> NodeId {
        self.inner.get_template_contents(target)
    }
    fn same_node(&self, x: &NodeId, y: &NodeId) -> bool {
        self.inner.same_node(x, y)
    }
    fn set_quirks_mode(&self, mode: QuirksMode) {
        self.inner.set_quirks_mode(mode)
    }
    fn append_before_sibling(&self, sibling: &NodeId, new_node: NodeOrText<NodeId>) {
        self.place(&new_node, self.depth(sibling));
        self.inner.append_before_sibling(sibling, new_node)
    }
    fn add_attrs_if_missing(&self, target: &NodeId, attrs: Vec<Attribute>) {
        self.inner.add_attrs_if_missing(target, attrs)
    }
    fn associate_with_form(&self, target: &NodeId, form: &NodeId, nodes: (&NodeId, Option<&NodeId>)) {
        self.inner.associate_with_form(target, form, nodes)
    }
    fn remove_from_parent(&self, target: &NodeId) {
        self.inner.remove_from_parent(target)
    }
    fn reparent_children(&self, node: &NodeId, new_parent: &NodeId) {
        self.inner.reparent_children(node, new_parent)
    }
    fn is_mathml_annotation_xml_integration_point(&self, handle: &NodeId) -> bool {
        self.inner.is_mathml_annotation_xml_integration_point(handle)
    }
    fn set_current_line(&self, line_number: u64) {
        self.inner.set_current_line(line_number)
    }
    fn allow_declarative_shadow_roots(&self, intended_parent: &NodeId) -> bool {
        self.inner.allow_declarative_shadow_roots(intended_parent)
    }
    fn attach_declarative_shadow(&self, location: &NodeId, template: &NodeId, attrs: &[Attribute]) -> bool {
        self.inner.attach_declarative_shadow(location, template, attrs)
    }
    fn maybe_clone_an_option_into_selectedcontent(&self, option: &NodeId) {
        self.inner.maybe_clone_an_option_into_selectedcontent(option)
    }
}

/// The page's article text and metadata; refused past the limits or the deadline.
pub fn read(source: &str, deadline: Deadline) -> Result<Page, IngestError> {
    let doc = parse(source, deadline)?;
    let meta = read_meta(&doc);
    // Prefer the <article> or <main> element when the page has one.
    let root = ["article", "main", "body"]
        .iter()
        .filter_map(|t| Selector::parse(t).ok())
        .find_map(|sel| doc.select(&sel).next())
        .unwrap_or_else(|| doc.root_element());
    let mut text = String::new();
    // An explicit stack: deeply nested pages must not exhaust the call stack.
    enum Step<'a> {
        Enter(ego_tree::NodeRef<'a, Node>),
        Close(bool),
    }
    let mut stack = vec![Step::Enter(*root)];
    while let Some(step) = stack.pop() {
        match step {
            Step::Close(block) => {
                if block {
                    text.push_str("\n\n");
                }
            }
            Step::Enter(node) => match node.value() {
                Node::Text(t) => text.push_str(t),
                Node::Element(el) => {
                    if is_boilerplate(el) {
                        continue;
                    }
                    let block = BLOCK_TAGS.contains(&el.name());
                    if block {
                        text.push_str("\n\n");
                    }
                    stack.push(Step::Close(block));
                    let children: Vec<_> = node.children().collect();
                    for child in children.into_iter().rev() {
                        stack.push(Step::Enter(child));
                    }
                }
                _ => {}
            },
        }
    }
    // Inside a block, source line breaks are only whitespace.
    let text = text
        .split("\n\n")
        .map(|block| block.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|b| !b.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n");
    Ok(Page { text, meta })
}

fn read_meta(doc: &Html) -> Meta {
    let content = |selector: &str| -> Option<String> {
        let sel = Selector::parse(selector).ok()?;
        doc.select(&sel)
            .filter_map(|e| e.value().attr("content").or_else(|| e.value().attr("datetime")))
            .map(|s| s.trim().to_string())
            .find(|s| !s.is_empty())
    };
    let text_of = |selector: &str| -> Option<String> {
        let sel = Selector::parse(selector).ok()?;
        doc.select(&sel)
            .map(|e: ElementRef| e.text().collect::<String>().split_whitespace().collect::<Vec<_>>().join(" "))
            .find(|s| !s.is_empty())
    };
    Meta {
        title: content("meta[property='og:title']")
            .or_else(|| text_of("h1"))
            .or_else(|| text_of("title")),
        published: content("meta[property='article:published_time']")
            .or_else(|| content("meta[name='pubdate']"))
            .or_else(|| content("meta[name='date']"))
            .or_else(|| content("meta[name='DC.date']"))
            .or_else(|| content("meta[itemprop='datePublished']"))
            .or_else(|| content("time[datetime]")),
        language: Selector::parse("html")
            .ok()
            .and_then(|sel| doc.select(&sel).next()?.value().attr("lang").map(str::to_string))
            .map(|l| l.split(['-', '_']).next().unwrap_or("").to_ascii_lowercase())
            .filter(|l| l.len() == 2),
        publisher: content("meta[property='og:site_name']"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_article_and_drops_the_furniture() {
        let page = read(
            r#"<!doctype html><html lang="en"><head><title>Site | Story</title>
            <meta property="og:title" content="Activist detained in Moscow">
            <meta property="article:published_time" content="2023-05-24T08:00:00Z">
            <meta property="og:site_name" content="The Daily Record"></head>
            <body><nav><a href="/">Home</a> <a href="/news">News</a></nav>
            <article><h1>Activist detained in Moscow</h1>
            <p>Police detained   the activist
            on Tuesday.</p>
            <div class="related-articles"><p>Related article: Another story</p></div>
            <p>He denies the charges.</p><script>track()</script></article>
            <div id="comments">Post a comment</div>
            <footer>Copyright</footer></body></html>"#,
            soon(),
        )
        .unwrap();
        assert_eq!(
            page.text,
            "Activist detained in Moscow\n\nPolice detained the activist on Tuesday.\n\nHe denies the charges."
        );
        assert_eq!(page.meta.title.as_deref(), Some("Activist detained in Moscow"));
        assert_eq!(page.meta.published.as_deref(), Some("2023-05-24T08:00:00Z"));
        assert_eq!(page.meta.language.as_deref(), Some("en"));
        assert_eq!(page.meta.publisher.as_deref(), Some("The Daily Record"));
    }

    fn soon() -> Deadline {
        Deadline::after(std::time::Duration::from_secs(60))
    }

    #[test]
    fn depth_is_the_parsers_own() {
        let nested = |open: &str, close: &str, n: usize| format!("<body>{}<p>deep text</p>{}", open.repeat(n), close.repeat(n));
        assert!(read(&nested("<div>", "</div>", MAX_DEPTH - 10), soon()).unwrap().text.contains("deep text"));
        // Unclosed paragraphs and list items close one another: not nesting.
        assert!(read(&"<p>para <li>item ".repeat(50_000), soon()).is_ok());
        for (open, close) in [("<div>", "</div>"), ("<div/>", ""), ("<div>", "</b>"), ("<span><div/>", "")] {
            let err = read(&nested(open, close, MAX_DEPTH + 10), soon()).unwrap_err();
            assert!(matches!(err, IngestError::TooDeep { limit: MAX_DEPTH }), "{open}{close}: {err}");
        }
    }

    #[test]
    fn a_page_of_too_many_elements_is_refused() {
        let err = read(&"<br>".repeat(MAX_ELEMENTS + 1), soon()).unwrap_err();
        assert!(matches!(err, IngestError::TooManyElements { limit: MAX_ELEMENTS }), "{err}");
    }

    #[test]
    fn a_page_past_its_deadline_is_refused() {
        let past = Deadline::after(std::time::Duration::ZERO);
        let err = read(&"<p>text</p>".repeat(10_000), past).unwrap_err();
        assert!(matches!(err, IngestError::TimedOut { .. }), "{err}");
    }
}
