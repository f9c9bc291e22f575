//! Hostile files made in the test: PDFs written by hand, bombs compressed on the fly.
#![allow(dead_code)]

use std::io::Write;

/// `len` copies of `byte`, compressed by zlib without ever being held whole.
pub fn zlib_of_repeated(byte: u8, len: usize) -> Vec<u8> {
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    let chunk = vec![byte; 1 << 20];
    let mut left = len;
    while left > 0 {
        let n = left.min(chunk.len());
        z.write_all(&chunk[..n]).unwrap();
        left -= n;
    }
    z.finish().unwrap()
}

pub fn zlib(data: &[u8]) -> Vec<u8> {
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    z.write_all(data).unwrap();
    z.finish().unwrap()
}

/// A stream object's body: its dictionary entries (besides /Length) and its bytes.
pub fn stream(dict: &str, data: &[u8]) -> Vec<u8> {
    [format!("<< /Length {} {dict} >>\nstream\n", data.len()).into_bytes(), data.to_vec(), b"\nendstream".to_vec()].concat()
}

/// The catalog, page tree and one page whose content is object 4; `extra` objects follow as 5, 6, …
pub fn pdf(content: Vec<u8>, extra: Vec<Vec<u8>>) -> Vec<u8> {
    let mut objects = page_objects(content);
    objects.extend(extra);
    let (mut pdf, offsets) = body(&objects);
    let xref = pdf.len();
    pdf.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for o in offsets {
        pdf.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    pdf.extend_from_slice(format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1).as_bytes());
    pdf
}

/// The same page, its cross-reference section a stream whose bytes are
/// `xref_data` under `xref_dict` (filters, and whatever else the trailer says).
pub fn pdf_with_xref_stream(content: Vec<u8>, xref_dict: &str, xref_data: &[u8]) -> Vec<u8> {
    let objects = page_objects(content);
    let (mut pdf, _) = body(&objects);
    let xref = pdf.len();
    let n = objects.len() + 1;
    pdf.extend_from_slice(format!("{n} 0 obj\n").as_bytes());
    pdf.extend_from_slice(&stream(&format!("/Type /XRef /Size {} /Root 1 0 R /W [1 4 1] {xref_dict}", n + 1), xref_data));
    pdf.extend_from_slice(format!("\nendobj\nstartxref\n{xref}\n%%EOF\n").as_bytes());
    pdf
}

/// A page showing `text` in Helvetica, its content compressed.
pub fn text_page(text: &str) -> Vec<u8> {
    stream("/Filter /FlateDecode", &zlib(format!("BT /F1 12 Tf 72 720 Td ({text}) Tj ET").as_bytes()))
}

fn page_objects(content: Vec<u8>) -> Vec<Vec<u8>> {
    vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >> >>".to_vec(),
        content,
    ]
}

fn body(objects: &[Vec<u8>]) -> (Vec<u8>, Vec<usize>) {
    let mut pdf = b"%PDF-1.5\n".to_vec();
    let mut offsets = Vec::new();
    for (i, object) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        pdf.extend_from_slice(object);
        pdf.extend_from_slice(b"\nendobj\n");
    }
    (pdf, offsets)
}

/// This process's peak resident memory, in bytes (Linux), if known.
pub fn peak_rss() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}
