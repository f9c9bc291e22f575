//! Bytes to a `String`, whatever the encoding.

use crate::IngestError;
use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8};

/// Decodes text: a byte-order mark wins, then valid UTF-8, then the encoding
/// that `chardetng` finds most likely (Windows-1251 Russian, Latin-1 …).
/// Input with NUL bytes or many control characters is binary and refused.
pub fn decode(bytes: &[u8], warnings: &mut Vec<String>) -> Result<String, IngestError> {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let (text, had_errors) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        if had_errors {
            warnings.push(format!("some bytes were not valid {}", enc.name()));
        }
        return check_text(text.into_owned(), enc == UTF_16LE || enc == UTF_16BE);
    }
    if looks_binary(bytes) {
        return Err(IngestError::Binary);
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return check_text(s.to_string(), false);
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let enc = detector.guess(None, chardetng::Utf8Detection::Allow);
    let (text, _, had_errors) = enc.decode(bytes);
    if enc != UTF_8 {
        warnings.push(format!("decoded as {}", enc.name()));
    }
    if had_errors {
        warnings.push(format!("some bytes were not valid {}", enc.name()));
    }
    check_text(text.into_owned(), false)
}

fn looks_binary(bytes: &[u8]) -> bool {
    let sample = &bytes[..bytes.len().min(8192)];
    if sample.contains(&0) {
        return true;
    }
    let control = sample
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c))
        .count();
    control * 20 > sample.len()
}

fn check_text(text: String, utf16: bool) -> Result<String, IngestError> {
    if !utf16 && text.contains('\0') {
        return Err(IngestError::Binary);
    }
    let total = text.chars().count().max(1);
    let bad = text
        .chars()
        .filter(|&c| c == '\u{fffd}' || (c.is_control() && !c.is_whitespace()))
        .count();
    if bad * 10 > total {
        return Err(IngestError::Binary);
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_windows_1251_russian() {
        let original = "Правозащитник Бахром Хамроев был задержан в Москве сотрудниками ФСБ. \
                        Суд приговорил его к четырнадцати годам заключения.";
        let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(original);
        let mut warnings = Vec::new();
        let text = decode(&bytes, &mut warnings).unwrap();
        assert_eq!(text, original);
        assert!(warnings.iter().any(|w| w.contains("windows-1251")), "{warnings:?}");
    }

    #[test]
    fn honours_a_utf16_byte_order_mark() {
        let mut bytes = vec![0xff, 0xfe];
        for u in "Khamroyev".encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(decode(&bytes, &mut Vec::new()).unwrap(), "Khamroyev");
    }

    #[test]
    fn refuses_binary() {
        assert!(matches!(decode(b"\x7fELF\x02\x01\x01\0\0\0", &mut Vec::new()), Err(IngestError::Binary)));
    }
}
