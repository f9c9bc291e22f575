//! Every kind of PDF bomb, one after the other in one process: refused
//! without the process ever holding what they expand to (a few hundred
//! MiB to gigabytes each). Alone in its file so that no other test shares
//! the process's peak memory.

mod support;

use chronicle_ingest::{read_document, Format, IngestError, Limits, MAX_STREAM_BYTES};
use support::*;

#[test]
fn bombs_are_refused_within_bounded_memory() {
    let over = MAX_STREAM_BYTES as usize + (1 << 20);
    let double = zlib(&zlib_of_repeated(0, 1 << 30));
    let lzw = weezl::encode::Encoder::with_tiff_size_switch(weezl::BitOrder::Msb, 8).encode(&vec![0u8; over]).unwrap();
    let mut packed = b"6 0 << /A (".to_vec();
    packed.resize(packed.len() + over, b'a');
    packed.extend_from_slice(b") >>");
    let packed = zlib(&packed);
    let bombs = [
        pdf(stream("/Filter [/FlateDecode /FlateDecode]", &double), vec![]),
        pdf(stream("/Filter [/FlateDecode /FlateDecode /FlateDecode]", &zlib(&double)), vec![]),
        pdf(stream("/Filter /LZWDecode", &lzw), vec![]),
        pdf(text_page("Report."), vec![stream("/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode", &packed)]),
        pdf_with_xref_stream(text_page("Report."), "/Filter [/FlateDecode /FlateDecode]", &double),
    ];
    drop((lzw, packed));
    for (i, pdf) in bombs.iter().enumerate() {
        let got = read_document("bomb.pdf", pdf, Format::Pdf, &Limits::default());
        assert!(matches!(got, Err(IngestError::PdfBomb(_))), "bomb {i}: {:?}", got.map(|d| d.document.text.len()));
    }
    if let Some(peak) = peak_rss() {
        assert!(peak < 400 << 20, "peak resident memory {} MiB", peak >> 20);
    }
}
