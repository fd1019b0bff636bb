//! PDF text strings (PDF 32000-1, 7.9.2.2): written by the renderer (outline titles,
//! tags' `/Alt` and `/Lang`) and by its finishing pass (the Info dictionary), read back by
//! the audit. A leaf module, so neither side imports the other for it.

use lopdf::{Object, StringFormat};

/// A PDF text string: printable ASCII as a literal, anything else as UTF-16BE with a
/// byte-order mark (PDFDocEncoding differs from Latin-1, so it is never used).
pub fn text_string(s: &str) -> Object {
    if s.bytes().all(|b| (0x20..0x7F).contains(&b)) {
        Object::String(s.as_bytes().to_vec(), StringFormat::Literal)
    } else {
        let mut bytes = vec![0xFE, 0xFF];
        for unit in s.encode_utf16() {
            bytes.extend_from_slice(&unit.to_be_bytes());
        }
        Object::String(bytes, StringFormat::Hexadecimal)
    }
}

/// Decode a PDF text string (UTF-16BE with BOM, or PDFDocEncoding read as Latin-1,
/// which agrees with it on printable ASCII, all that [`text_string`] writes that way).
pub fn decode_text(bytes: &[u8]) -> String {
    match bytes.strip_prefix(&[0xFE, 0xFF]) {
        Some(rest) => {
            let units: Vec<u16> = rest
                .chunks(2)
                .map(|c| u16::from_be_bytes([c[0], c.get(1).copied().unwrap_or(0)]))
                .collect();
            String::from_utf16_lossy(&units)
        }
        None => bytes.iter().map(|&b| char::from(b)).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_strings_round_trip() {
        for s in ["Plain (ASCII)", "Душанбе – Ürümqi", "emoji 😀"] {
            let Object::String(bytes, _) = text_string(s) else {
                panic!("not a string")
            };
            assert_eq!(decode_text(&bytes), s);
        }
    }
}
