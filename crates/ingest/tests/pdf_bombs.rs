//! PDF decompression bombs, made in the test: each is refused as a bomb,
//! naming the limit it passes, before the PDF reader holds what it would
//! expand to; an ordinary compressed PDF is still read.

mod support;

use chronicle_ingest::{read_document, Format, IngestError, Limits, PdfBomb, MAX_EXPANDED_BYTES, MAX_STREAM_BYTES};
use support::*;

/// Just over what one stream may decode to.
const OVER: usize = MAX_STREAM_BYTES as usize + (1 << 20);

fn read(pdf: &[u8]) -> Result<String, IngestError> {
    read_document("bomb.pdf", pdf, Format::Pdf, &Limits::default()).map(|i| i.document.text)
}

fn bomb(pdf: &[u8]) -> PdfBomb {
    match read(pdf) {
        Err(IngestError::PdfBomb(b)) => b,
        other => panic!("not refused as a bomb: {:?}", other.map(|t| t.len())),
    }
}

#[test]
fn an_ordinary_compressed_pdf_is_read() {
    let text = read(&pdf(text_page("Rustam Karimov was detained in Tashkent."), vec![])).unwrap();
    assert!(text.contains("Rustam Karimov was detained"), "{text}");
}

#[test]
fn a_double_flate_stream_is_refused() {
    let inner = zlib_of_repeated(0, 300 << 20);
    let pdf = pdf(stream("/Filter [/FlateDecode /FlateDecode]", &zlib(&inner)), vec![]);
    assert!(pdf.len() < 4096, "a few kilobytes on disk: {}", pdf.len());
    let got = bomb(&pdf);
    assert_eq!(got, PdfBomb::Stream { object: "stream 4 0".into(), limit: MAX_STREAM_BYTES });
    assert!(IngestError::from(got).to_string().contains("decompression bomb"));
}

#[test]
fn an_lzw_stream_is_refused() {
    let zeros = vec![0u8; OVER];
    let lzw = weezl::encode::Encoder::with_tiff_size_switch(weezl::BitOrder::Msb, 8).encode(&zeros).unwrap();
    assert!(matches!(bomb(&pdf(stream("/Filter /LZWDecode", &lzw), vec![])), PdfBomb::Stream { .. }));
}

#[test]
fn run_length_ascii85_and_ascii_hex_stages_are_measured_too() {
    let run_length = zlib(&[129u8, b'x'].repeat(OVER / 128 + 1));
    assert!(matches!(bomb(&pdf(stream("/Filter [/FlateDecode /RunLengthDecode]", &run_length), vec![])), PdfBomb::Stream { .. }));
    let z85 = zlib(&b"z".repeat(OVER / 4 + 1));
    assert!(matches!(bomb(&pdf(stream("/Filter [/Fl /A85]", &z85), vec![])), PdfBomb::Stream { .. }));
    let hex: String = zlib_of_repeated(0, 300 << 20).iter().map(|b| format!("{b:02x}")).collect();
    assert!(matches!(bomb(&pdf(stream("/Filter [/ASCIIHexDecode /FlateDecode]", hex.as_bytes()), vec![])), PdfBomb::Stream { .. }));
}

#[test]
fn an_object_stream_is_measured_before_it_is_unpacked() {
    let mut objects = b"6 0 ".to_vec();
    objects.extend_from_slice(b"<< /Junk (");
    objects.resize(objects.len() + OVER, b'a');
    objects.extend_from_slice(b") >>");
    let packed = stream("/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode", &zlib(&objects));
    assert_eq!(bomb(&pdf(text_page("Report."), vec![packed])), PdfBomb::Stream { object: "stream 5 0".into(), limit: MAX_STREAM_BYTES });
}

#[test]
fn a_cross_reference_stream_is_measured_before_the_reader_loads_it() {
    let pdf = pdf_with_xref_stream(text_page("Report."), "/Filter [/FlateDecode /FlateDecode]", &zlib(&zlib_of_repeated(0, 300 << 20)));
    assert!(matches!(bomb(&pdf), PdfBomb::Stream { object, .. } if object.starts_with("the cross-reference stream at byte")));
}

#[test]
fn streams_each_under_the_cap_are_refused_together() {
    let one = zlib_of_repeated(b' ', MAX_STREAM_BYTES as usize - (1 << 20));
    let n = (MAX_EXPANDED_BYTES / MAX_STREAM_BYTES) as usize + 2;
    let images = (0..n).map(|_| stream("/Type /XObject /Subtype /Image /Filter /FlateDecode", &one)).collect();
    assert_eq!(bomb(&pdf(text_page("Report."), images)), PdfBomb::Document { limit: MAX_EXPANDED_BYTES });
}

#[test]
fn a_predictor_row_the_reader_would_allocate_is_refused() {
    let dict = "/Filter /FlateDecode /DecodeParms << /Predictor 12 /Colors 4 /Columns 100000000 >>";
    assert!(matches!(bomb(&pdf(stream(dict, &zlib(b"\x02\0\0\0\0")), vec![])), PdfBomb::Predictor { .. }));
}

#[test]
fn an_encrypted_file_with_object_streams_is_refused() {
    let pdf = pdf_with_xref_stream(text_page("Report."), "/Encrypt 9 0 R /ID [<00> <00>] /Filter /FlateDecode", &zlib(b"\x01\0\0\0\x09\0"));
    assert_eq!(bomb(&pdf), PdfBomb::EncryptedObjectStreams);
}
