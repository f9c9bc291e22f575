//! A stream's filter chain, decoded with every stage's output capped.
//!
//! The decoders follow the PDF reader's (lopdf's) where it has one — Flate
//! with its raw-deflate fallback, LZW with `EarlyChange`, ASCII85 — and add
//! ASCIIHex and RunLength, so that a chain is measured as far as any reader
//! could take it. No stage ever holds more than the cap plus one chunk.

use std::io::Read;

/// How a stream's bytes are to be decoded, read from its dictionary.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Chain {
    /// Filter names in decoding order.
    pub filters: Vec<Vec<u8>>,
    /// `/EarlyChange` of LZW (default on).
    pub early_change: bool,
    /// Bytes in one row of a PNG predictor (`/Predictor` 10–15), which the
    /// reader allocates before decoding; `None` without a predictor,
    /// `Some(u64::MAX)` when the parameters overflow.
    pub predictor_row: Option<u64>,
}

impl Chain {
    /// From `/Predictor`, `/Colors`, `/BitsPerComponent` and `/Columns`, as the reader reads them.
    pub fn predictor_row(predictor: i64, colors: i64, bits: i64, columns: i64) -> Option<u64> {
        if !(10..=15).contains(&predictor) {
            return None;
        }
        let pixel = (colors.max(1) as u64).checked_mul(bits.max(8) as u64).map(|b| b / 8);
        Some(pixel.and_then(|p| p.checked_mul(columns.max(1) as u64)).unwrap_or(u64::MAX))
    }
}

/// Why a stream was not decoded to its end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overrun {
    /// The output would pass the cap.
    Output,
    /// The predictor's row alone would pass the cap.
    Predictor(u64),
}

/// Decodes the chain over `content`, refusing as soon as any stage's output
/// passes `cap` bytes. Returns the decoded bytes; an unknown filter (an image
/// codec) ends the chain there, with the bytes as they are.
pub fn decode(content: &[u8], chain: &Chain, cap: u64) -> Result<Vec<u8>, Overrun> {
    if let Some(row) = chain.predictor_row {
        if row > cap {
            return Err(Overrun::Predictor(row));
        }
    }
    let mut data = std::borrow::Cow::Borrowed(content);
    for filter in &chain.filters {
        let next = match filter.as_slice() {
            b"FlateDecode" | b"Fl" => flate(&data, cap)?,
            b"LZWDecode" | b"LZW" => lzw(&data, chain.early_change, cap)?,
            b"ASCII85Decode" | b"A85" => ascii85(&data, cap)?,
            b"ASCIIHexDecode" | b"AHx" => ascii_hex(&data, cap)?,
            b"RunLengthDecode" | b"RL" => run_length(&data, cap)?,
            _ => break,
        };
        data = std::borrow::Cow::Owned(next);
    }
    Ok(data.into_owned())
}

fn over(out: &[u8], cap: u64) -> Result<(), Overrun> {
    if out.len() as u64 > cap {
        return Err(Overrun::Output);
    }
    Ok(())
}

/// Zlib, and raw deflate after the two header bytes when zlib gives nothing (as the reader does).
fn flate(input: &[u8], cap: u64) -> Result<Vec<u8>, Overrun> {
    let mut out = Vec::new();
    let failed = flate2::read::ZlibDecoder::new(input).take(cap + 1).read_to_end(&mut out).is_err();
    if failed && out.is_empty() && input.len() > 2 {
        let _ = flate2::read::DeflateDecoder::new(&input[2..]).take(cap + 1).read_to_end(&mut out);
    }
    over(&out, cap)?;
    Ok(out)
}

fn lzw(input: &[u8], early_change: bool, cap: u64) -> Result<Vec<u8>, Overrun> {
    use weezl::{decode::Decoder, BitOrder, LzwStatus};
    let mut decoder = if early_change {
        Decoder::with_tiff_size_switch(BitOrder::Msb, 8)
    } else {
        Decoder::new(BitOrder::Msb, 8)
    };
    let (mut out, mut chunk, mut rest) = (Vec::new(), vec![0u8; 64 * 1024], input);
    loop {
        let r = decoder.decode_bytes(rest, &mut chunk);
        out.extend_from_slice(&chunk[..r.consumed_out]);
        over(&out, cap)?;
        rest = &rest[r.consumed_in..];
        match r.status {
            Ok(LzwStatus::Ok) if r.consumed_in + r.consumed_out > 0 => {}
            _ => return Ok(out),
        }
    }
}

fn ascii85(input: &[u8], cap: u64) -> Result<Vec<u8>, Overrun> {
    let input = input.strip_suffix(b"~>").unwrap_or(input);
    let (mut out, mut group, mut count) = (Vec::new(), 0u64, 0);
    for &c in input {
        match c {
            b'z' if count == 0 => out.extend_from_slice(&[0; 4]),
            c if c.is_ascii_whitespace() => continue,
            b'!'..=b'u' => {
                group = group * 85 + u64::from(c - b'!');
                count += 1;
                if count == 5 {
                    out.extend_from_slice(&(group as u32).to_be_bytes());
                    (group, count) = (0, 0);
                }
            }
            _ => break,
        }
        over(&out, cap)?;
    }
    if count > 1 {
        for _ in count..5 {
            group = group * 85 + 84;
        }
        out.extend_from_slice(&(group as u32).to_be_bytes()[..count - 1]);
    }
    over(&out, cap)?;
    Ok(out)
}

fn ascii_hex(input: &[u8], cap: u64) -> Result<Vec<u8>, Overrun> {
    let mut out = Vec::with_capacity(input.len() / 2 + 1);
    let mut high: Option<u8> = None;
    for &c in input {
        if c == b'>' {
            break;
        }
        let Some(v) = (c as char).to_digit(16) else { continue };
        match high.take() {
            Some(h) => out.push(h << 4 | v as u8),
            None => high = Some(v as u8),
        }
    }
    if let Some(h) = high {
        out.push(h << 4);
    }
    over(&out, cap)?;
    Ok(out)
}

fn run_length(input: &[u8], cap: u64) -> Result<Vec<u8>, Overrun> {
    let (mut out, mut i) = (Vec::new(), 0);
    while let Some(&n) = input.get(i) {
        match n {
            128 => break,
            0..=127 => {
                let end = (i + 2 + n as usize).min(input.len());
                out.extend_from_slice(&input[i + 1..end]);
                i = end;
            }
            _ => {
                let Some(&b) = input.get(i + 1) else { break };
                out.resize(out.len() + 257 - n as usize, b);
                i += 2;
            }
        }
        over(&out, cap)?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn chain(filters: &[&str]) -> Chain {
        Chain { filters: filters.iter().map(|f| f.as_bytes().to_vec()).collect(), early_change: true, predictor_row: None }
    }

    fn zlib(data: &[u8]) -> Vec<u8> {
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        z.write_all(data).unwrap();
        z.finish().unwrap()
    }

    #[test]
    fn decodes_each_filter_as_the_reader_does() {
        assert_eq!(decode(&zlib(b"BT (Hi) Tj ET"), &chain(&["FlateDecode"]), 100).unwrap(), b"BT (Hi) Tj ET");
        assert_eq!(decode(b"48 69>", &chain(&["ASCIIHexDecode"]), 100).unwrap(), b"Hi");
        assert_eq!(decode(b"87cURDZ~>", &chain(&["ASCII85Decode"]), 100).unwrap(), b"Hello");
        assert_eq!(decode(&[1, b'a', b'b', 254, b'c', 128], &chain(&["RunLengthDecode"]), 100).unwrap(), b"abccc");
        let lzw = weezl::encode::Encoder::with_tiff_size_switch(weezl::BitOrder::Msb, 8).encode(b"abababab").unwrap();
        assert_eq!(decode(&lzw, &chain(&["LZWDecode"]), 100).unwrap(), b"abababab");
        let hex_of_flate: String = zlib(b"two stages").iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(decode(hex_of_flate.as_bytes(), &chain(&["AHx", "Fl"]), 100).unwrap(), b"two stages");
    }

    #[test]
    fn every_stage_stops_at_the_cap() {
        let zeros = vec![0u8; 10_000];
        assert_eq!(decode(&zlib(&zeros), &chain(&["FlateDecode"]), 9_999), Err(Overrun::Output));
        assert_eq!(decode(&zlib(&zlib(&zeros)), &chain(&["FlateDecode", "FlateDecode"]), 9_999), Err(Overrun::Output));
        let lzw = weezl::encode::Encoder::with_tiff_size_switch(weezl::BitOrder::Msb, 8).encode(&zeros).unwrap();
        assert_eq!(decode(&lzw, &chain(&["LZWDecode"]), 9_999), Err(Overrun::Output));
        assert_eq!(decode(&[129, 0].repeat(100), &chain(&["RunLengthDecode"]), 9_999), Err(Overrun::Output));
        assert_eq!(decode(&b"z".repeat(2_500), &chain(&["ASCII85Decode"]), 9_999), Err(Overrun::Output));
        assert!(decode(&zlib(&zeros), &chain(&["FlateDecode"]), 10_000).is_ok());
    }

    #[test]
    fn a_huge_predictor_row_is_refused_before_decoding() {
        let row = Chain::predictor_row(12, 4, 8, 1 << 40);
        let chain = Chain { predictor_row: row, ..chain(&["FlateDecode"]) };
        assert!(matches!(decode(&zlib(b"x"), &chain, 1 << 20), Err(Overrun::Predictor(_))));
        assert_eq!(Chain::predictor_row(1, 4, 8, 1 << 40), None);
    }
}
