//! The cross-reference chain, read from the raw bytes before the PDF reader
//! loads anything: the reader inflates cross-reference streams while it
//! loads, before any other check could see them, so they are measured here,
//! exactly where the reader looks for them (the last `startxref`, then every
//! `/Prev` and `/XRefStm`), with the same `/Length`.

use super::filters::Chain;

/// A cross-reference stream as the reader will decode it.
pub struct XrefStream<'a> {
    pub offset: usize,
    pub chain: Chain,
    pub content: &'a [u8],
}

/// What the chain says before the reader loads the file.
#[derive(Default)]
pub struct Xrefs<'a> {
    pub streams: Vec<XrefStream<'a>>,
    /// The newest trailer names an `/Encrypt` dictionary.
    pub encrypted: bool,
}

/// The most sections followed: the reader follows any number, each one's
/// cost counted against the document's budget; this bounds the walk itself.
const MAX_SECTIONS: usize = 10_000;

/// Walks the cross-reference chain; what cannot be parsed is left to the reader.
pub fn xrefs(bytes: &[u8]) -> Xrefs<'_> {
    let start = find_pdf_header(bytes);
    let b = &bytes[start..];
    let mut out = Xrefs::default();
    let Some(first) = last_startxref(b) else { return out };
    let (mut todo, mut seen) = (vec![first], std::collections::HashSet::new());
    while let Some(offset) = todo.pop() {
        if offset >= b.len() || !seen.insert(offset) || seen.len() > MAX_SECTIONS {
            continue;
        }
        let Some((dict, stream)) = section(b, offset) else { continue };
        if offset == first {
            out.encrypted = dict.get(b"Encrypt").is_some();
        }
        for key in [&b"Prev"[..], b"XRefStm"] {
            if let Some(Val::Int(n)) = dict.get(key) {
                todo.extend(usize::try_from(*n).ok());
            }
        }
        if let Some(content) = stream {
            out.streams.push(XrefStream { offset, chain: dict.chain(), content });
        }
    }
    out
}

fn find_pdf_header(bytes: &[u8]) -> usize {
    bytes.windows(5).position(|w| w == b"%PDF-").unwrap_or(0)
}

/// The offset after the last `startxref`, as the reader finds it.
fn last_startxref(b: &[u8]) -> Option<usize> {
    let at = b.windows(9).rposition(|w| w == b"startxref")?;
    let mut i = at + 9;
    skip_ws(b, &mut i);
    match number(b, &mut i)? {
        Val::Int(n) => usize::try_from(n).ok(),
        _ => None,
    }
}

/// The section at `offset`: a table's trailer, or a stream's dictionary and content.
fn section(b: &[u8], offset: usize) -> Option<(Dict, Option<&[u8]>)> {
    let mut i = offset;
    skip_ws(b, &mut i);
    if b[i..].starts_with(b"xref") {
        let at = b[i..].windows(7).position(|w| w == b"trailer")? + i + 7;
        let mut j = at;
        skip_ws(b, &mut j);
        return match value(b, &mut j, 0)? {
            Val::Dict(d) => Some((d, None)),
            _ => None,
        };
    }
    for _ in 0..2 {
        number(b, &mut i)?;
        skip_ws(b, &mut i);
    }
    i = i.checked_add(3).filter(|&e| b.get(i..e) == Some(b"obj"))?;
    skip_ws(b, &mut i);
    let Val::Dict(dict) = value(b, &mut i, 0)? else { return None };
    skip_ws(b, &mut i);
    let content = stream_content(b, i, &dict);
    Some((dict, content))
}

/// The content after `stream` and its end of line, `/Length` bytes long when
/// the length is direct (an indirect length leaves the reader nothing to decode here).
fn stream_content<'a>(b: &'a [u8], mut i: usize, dict: &Dict) -> Option<&'a [u8]> {
    i = i.checked_add(6).filter(|&e| b.get(i..e) == Some(b"stream"))?;
    while matches!(b.get(i), Some(b' ' | b'\t')) {
        i += 1;
    }
    if b.get(i) == Some(&b'\r') {
        i += 1;
    }
    if b.get(i) == Some(&b'\n') {
        i += 1;
    }
    match dict.get(b"Length") {
        Some(Val::Int(n)) if *n >= 0 => b.get(i..i.checked_add(*n as usize)?),
        _ => Some(&[]),
    }
}

/// A dictionary's entries, keys with their `#xx` escapes decoded.
#[derive(Debug, Default)]
pub struct Dict(Vec<(Vec<u8>, Val)>);

#[derive(Debug)]
pub enum Val {
    Name(Vec<u8>),
    Int(i64),
    Dict(Dict),
    Array(Vec<Val>),
    Other,
}

impl Dict {
    pub fn get(&self, key: &[u8]) -> Option<&Val> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    fn int(&self, key: &[u8]) -> Option<i64> {
        match self.get(key) {
            Some(Val::Int(n)) => Some(*n),
            _ => None,
        }
    }

    /// The filter chain, with the parameters the reader applies (a single `/DecodeParms` dictionary).
    pub fn chain(&self) -> Chain {
        let filters = match self.get(b"Filter") {
            Some(Val::Name(n)) => vec![n.clone()],
            Some(Val::Array(a)) => a.iter().filter_map(|v| if let Val::Name(n) = v { Some(n.clone()) } else { None }).collect(),
            _ => Vec::new(),
        };
        let params = match self.get(b"DecodeParms") {
            Some(Val::Dict(d)) => Some(d),
            _ => None,
        };
        let param = |k: &[u8], default: i64| params.and_then(|p| p.int(k)).unwrap_or(default);
        Chain {
            filters,
            early_change: param(b"EarlyChange", 1) != 0,
            predictor_row: params.and_then(|_| {
                Chain::predictor_row(param(b"Predictor", 1), param(b"Colors", 1), param(b"BitsPerComponent", 8), param(b"Columns", 1))
            }),
        }
    }
}

fn is_ws(c: u8) -> bool {
    matches!(c, b'\0' | b'\t' | b'\n' | b'\x0c' | b'\r' | b' ')
}

fn is_delim(c: u8) -> bool {
    is_ws(c) || b"()<>[]{}/%".contains(&c)
}

fn skip_ws(b: &[u8], i: &mut usize) {
    while let Some(&c) = b.get(*i) {
        if is_ws(c) {
            *i += 1;
        } else if c == b'%' {
            while b.get(*i).is_some_and(|&c| c != b'\n' && c != b'\r') {
                *i += 1;
            }
        } else {
            break;
        }
    }
}

/// How deep dictionaries and arrays may nest here (the reader's own limit is lower).
const MAX_NESTING: usize = 64;

fn value(b: &[u8], i: &mut usize, depth: usize) -> Option<Val> {
    if depth > MAX_NESTING {
        return None;
    }
    skip_ws(b, i);
    let rest = b.get(*i..)?;
    if rest.starts_with(b"<<") {
        *i += 2;
        return dict(b, i, depth).map(Val::Dict);
    }
    match *rest.first()? {
        b'/' => Some(Val::Name(name(b, i))),
        b'[' => {
            *i += 1;
            let mut items = Vec::new();
            loop {
                skip_ws(b, i);
                if *b.get(*i)? == b']' {
                    *i += 1;
                    return Some(Val::Array(items));
                }
                items.push(value(b, i, depth + 1)?);
            }
        }
        b'(' => literal_string(b, i),
        b'<' => {
            *i += rest.iter().position(|&c| c == b'>')? + 1;
            Some(Val::Other)
        }
        b'0'..=b'9' | b'+' | b'-' | b'.' => number_or_reference(b, i),
        c if !is_delim(c) => {
            while b.get(*i).is_some_and(|&c| !is_delim(c)) {
                *i += 1;
            }
            Some(Val::Other)
        }
        _ => None,
    }
}

fn dict(b: &[u8], i: &mut usize, depth: usize) -> Option<Dict> {
    let mut entries = Vec::new();
    loop {
        skip_ws(b, i);
        if b.get(*i..)?.starts_with(b">>") {
            *i += 2;
            return Some(Dict(entries));
        }
        let Val::Name(key) = value(b, i, depth + 1)? else { return None };
        let v = value(b, i, depth + 1)?;
        entries.push((key, v));
    }
}

fn name(b: &[u8], i: &mut usize) -> Vec<u8> {
    *i += 1;
    let mut out = Vec::new();
    while let Some(&c) = b.get(*i).filter(|&&c| !is_delim(c)) {
        let hex = b.get(*i + 1..*i + 3).and_then(|h| std::str::from_utf8(h).ok()).and_then(|h| u8::from_str_radix(h, 16).ok());
        match (c, hex) {
            (b'#', Some(v)) => {
                out.push(v);
                *i += 3;
            }
            _ => {
                out.push(c);
                *i += 1;
            }
        }
    }
    out
}

fn literal_string(b: &[u8], i: &mut usize) -> Option<Val> {
    let mut open = 0usize;
    while let Some(&c) = b.get(*i) {
        *i += 1;
        match c {
            b'\\' => *i += 1,
            b'(' => open += 1,
            b')' => {
                open -= 1;
                if open == 0 {
                    return Some(Val::Other);
                }
            }
            _ => {}
        }
    }
    None
}

fn number(b: &[u8], i: &mut usize) -> Option<Val> {
    let start = *i;
    while b.get(*i).is_some_and(|c| c.is_ascii_digit() || b"+-.".contains(c)) {
        *i += 1;
    }
    let text = std::str::from_utf8(&b[start..*i]).ok()?;
    if text.is_empty() {
        return None;
    }
    Some(text.parse::<i64>().map_or(Val::Other, Val::Int))
}

/// A number, or `N G R` (a reference, which this scan does not follow).
fn number_or_reference(b: &[u8], i: &mut usize) -> Option<Val> {
    let n = number(b, i)?;
    let mut j = *i;
    skip_ws(b, &mut j);
    if matches!(number(b, &mut j), Some(Val::Int(_))) {
        skip_ws(b, &mut j);
        if b.get(j) == Some(&b'R') && b.get(j + 1).map_or(true, |&c| is_delim(c)) {
            *i = j + 1;
            return Some(Val::Other);
        }
    }
    Some(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn follows_the_chain_the_reader_follows() {
        let pdf = b"%PDF-1.5\n9 0 obj\n<< /Type /XRef /Size 3 /Prev 60 /Filter [/FlateDecode /Fl] /DecodeParms << /Columns 4 /Predictor 12 >> /Length 5 /ID [<ab> <cd>] /Info 2 0 R >>\nstream\nxxxxxendstream\nendobj\nxref\n0 1\ntrailer\n<< /Encrypt 3 0 R /Size 3 >>\nstartxref\n9\n%%EOF";
        let (prev, _) = std::str::from_utf8(pdf).unwrap().split_once("xref\n0 1").unwrap();
        let pdf = std::str::from_utf8(pdf).unwrap().replace("/Prev 60", &format!("/Prev {}", prev.len()));
        let got = xrefs(pdf.as_bytes());
        assert_eq!(got.streams.len(), 1);
        assert_eq!(got.streams[0].content, b"xxxxx");
        assert_eq!(got.streams[0].chain.filters, vec![b"FlateDecode".to_vec(), b"Fl".to_vec()]);
        assert_eq!(got.streams[0].chain.predictor_row, Some(4));
        assert!(!got.encrypted, "the newest trailer is the stream's, without /Encrypt");
    }

    #[test]
    fn reads_names_with_escapes_and_survives_junk() {
        let mut i = 0;
        assert!(matches!(value(b"/Flate#44ecode", &mut i, 0), Some(Val::Name(n)) if n == b"FlateDecode"));
        assert!(xrefs(b"%PDF-1.4 startxref 999999").streams.is_empty());
        assert!(xrefs(&b"[".repeat(100_000)).streams.is_empty());
        let deep = format!("%PDF-1.4\n1 0 obj {}\nstartxref 9", "<< /A ".repeat(10_000));
        assert!(xrefs(deep.as_bytes()).streams.is_empty());
    }
}
