//! HTML pages: the article text without navigation, footers, related-story
//! boxes and comment widgets, and the metadata the page declares.

use scraper::{ElementRef, Html, Node, Selector};

#[derive(Debug, Default, Clone)]
pub struct Meta {
    pub title: Option<String>,
    pub published: Option<String>,
    pub language: Option<String>,
    pub publisher: Option<String>,
}

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
/// slows with the square of the depth, so deeper is refused before parsing.
pub const MAX_DEPTH: usize = 5_000;

/// The deepest nesting of elements, estimated from the tags alone: opening
/// tags less closing ones, void and self-closing elements aside.
pub fn nesting_depth(source: &str) -> usize {
    const VOID: &[&str] = &["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr", "p", "li"];
    let b = source.as_bytes();
    let (mut depth, mut deepest) = (0usize, 0usize);
    let mut i = 0;
    while i + 1 < b.len() {
        if b[i] == b'<' {
            if b[i + 1] == b'/' {
                depth = depth.saturating_sub(1);
            } else if b[i + 1].is_ascii_alphabetic() {
                let name_end = b[i + 1..].iter().position(|c| !c.is_ascii_alphanumeric()).map_or(b.len(), |p| i + 1 + p);
                let name = source[i + 1..name_end].to_ascii_lowercase();
                let tag_end = b[name_end..].iter().position(|&c| c == b'>').map_or(b.len(), |p| name_end + p);
                let self_closing = tag_end > 0 && tag_end <= b.len() && b.get(tag_end.wrapping_sub(1)) == Some(&b'/');
                if !VOID.contains(&name.as_str()) && !self_closing {
                    depth += 1;
                    deepest = deepest.max(depth);
                }
                i = name_end;
                continue;
            }
        }
        i += 1;
    }
    deepest
}

pub fn read(source: &str) -> Page {
    let doc = Html::parse_document(source);
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
    Page { text, meta }
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
        );
        assert_eq!(
            page.text,
            "Activist detained in Moscow\n\nPolice detained the activist on Tuesday.\n\nHe denies the charges."
        );
        assert_eq!(page.meta.title.as_deref(), Some("Activist detained in Moscow"));
        assert_eq!(page.meta.published.as_deref(), Some("2023-05-24T08:00:00Z"));
        assert_eq!(page.meta.language.as_deref(), Some("en"));
        assert_eq!(page.meta.publisher.as_deref(), Some("The Daily Record"));
    }

    #[test]
    fn survives_deep_nesting() {
        let html = format!("{}deep text{}", "<div>".repeat(20_000), "</div>".repeat(20_000));
        assert!(read(&html).text.contains("deep text"));
        assert_eq!(nesting_depth(&html), 20_000);
        assert_eq!(nesting_depth("<p>a<br>b<img src=x/><div><span>c</span></div>"), 2);
    }
}
