//! `pdftotext -bbox-layout`'s XHTML to text: pages of flows (columns, in
//! reading order) of blocks (paragraphs) of lines of words. Blocks become
//! paragraphs, so a paragraph's end survives even where the PDF has no blank
//! line to show it; lines stay lines, for the cleaner to rejoin.

use roxmltree::Node;

/// The text, the number of pages, and the title the PDF's metadata gives.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct Laid {
    pub text: String,
    pub pages: usize,
    pub title: Option<String>,
}

/// One line as laid out: its words and where it stands on the page.
struct Line {
    words: String,
    top: f64,
    height: f64,
}

/// One block (a paragraph, to poppler) of lines.
struct Block {
    lines: Vec<Line>,
    /// The first block of a page.
    starts_page: bool,
}

/// Reads the XHTML; `None` when it is not what `pdftotext` writes. Between
/// blocks go as many blank lines as the page leaves there (one at least), so
/// that a PDF made from double-spaced text keeps the difference between a
/// blank line and a paragraph's gap, as the text itself did.
pub(crate) fn read(xhtml: &str) -> Option<Laid> {
    let doc = roxmltree::Document::parse_with_options(xhtml, roxmltree::ParsingOptions { allow_dtd: true, ..Default::default() }).ok()?;
    let pages = doc.descendants().filter(|n| named(n, "page")).count();
    let blocks = blocks(&doc);
    let pitch = pitch(&blocks);
    let mut text = String::new();
    let mut above: Option<&Line> = None;
    for block in &blocks {
        if let (Some(prev), Some(first)) = (above.filter(|_| !block.starts_page), block.lines.first()) {
            let blanks = ((first.top - prev.top) / pitch).round() as i64 - 1;
            text.push_str(&"\n".repeat(1 + blanks.clamp(1, 4) as usize));
        } else if !text.is_empty() {
            text.push_str("\n\n");
        }
        text.push_str(&block.lines.iter().map(|l| l.words.as_str()).collect::<Vec<_>>().join("\n"));
        above = block.lines.last().or(above);
    }
    let title = doc.descendants().find(|n| named(n, "title")).and_then(|t| t.text()).map(|t| t.split_whitespace().collect::<Vec<_>>().join(" ")).filter(|t| !t.is_empty());
    Some(Laid { text, pages, title })
}

fn named(n: &Node, name: &str) -> bool {
    n.is_element() && n.tag_name().name() == name
}

fn number(n: &Node, attr: &str) -> f64 {
    n.attribute(attr).and_then(|v| v.parse().ok()).unwrap_or(0.0)
}

/// Every block with words, in reading order (poppler's flows, columns or
/// runs of text apart from the rest, one after the other on each page).
fn blocks(doc: &roxmltree::Document) -> Vec<Block> {
    let mut out = Vec::new();
    for page in doc.descendants().filter(|n| named(n, "page")) {
        let mut starts_page = true;
        for block in page.descendants().filter(|n| named(n, "block")) {
            let lines: Vec<Line> = block
                .children()
                .filter(|n| named(n, "line"))
                .map(|line| Line {
                    words: line.children().filter(|n| named(n, "word")).filter_map(|w| w.text()).collect::<Vec<_>>().join(" "),
                    top: number(&line, "yMin"),
                    height: number(&line, "yMax") - number(&line, "yMin"),
                })
                .filter(|l| !l.words.is_empty())
                .collect();
            if !lines.is_empty() {
                out.push(Block { lines, starts_page });
                starts_page = false;
            }
        }
    }
    out
}

/// The distance from one line to the next within a paragraph: the median
/// step between a block's lines, or, where every block is one line, a line's
/// height and a fifth.
fn pitch(blocks: &[Block]) -> f64 {
    let median = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v.get(v.len() / 2).copied()
    };
    let steps: Vec<f64> = blocks.iter().flat_map(|b| b.lines.windows(2).map(|w| w[1].top - w[0].top)).filter(|d| *d > 0.0).collect();
    let heights: Vec<f64> = blocks.iter().flat_map(|b| b.lines.iter().map(|l| l.height)).filter(|h| *h > 0.0).collect();
    median(steps).or_else(|| median(heights).map(|h| h * 1.2)).unwrap_or(12.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_are_paragraphs_and_lines_stay_lines() {
        let xhtml = r#"<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd"><html xmlns="http://www.w3.org/1999/xhtml"><head><title>Appeal  ruling</title></head><body><doc>
            <page width="595" height="842"><flow><block><line yMin="10" yMax="18"><word>A</word><word>heading</word></line></block>
            <block><line yMin="22" yMax="30"><word>First</word><word>line,</word></line><line yMin="34" yMax="42"><word>second</word><word>&amp;</word><word>last.</word></line></block>
            <block><line yMin="82" yMax="90"><word>Far</word><word>below.</word></line></block></flow></page>
            <page width="595" height="842"><flow><block><line yMin="10" yMax="18"><word>Page</word><word>two.</word></line></block></flow></page>
            </doc></body></html>"#;
        let got = read(xhtml).unwrap();
        // Lines 12 apart: the block 48 below the last line leaves three blank lines.
        assert_eq!(got.text, "A heading\n\nFirst line,\nsecond & last.\n\n\n\nFar below.\n\nPage two.");
        assert_eq!((got.pages, got.title.as_deref()), (2, Some("Appeal ruling")));
    }
}
