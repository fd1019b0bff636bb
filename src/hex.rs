//! Hexadecimal, written and read in one place: digests and colours out, PDF hex
//! strings and `#xx` / `%xx` escapes in.
//!
//! The `hex` crate decodes whole even-length strings only; a PDF hex string may hold
//! white space and end on an odd digit (PDF 32000-1 7.3.4.3), and an escape is two
//! digits inside other text, so the digit is the unit here.

use std::fmt::Write as _;

/// Lower-case hexadecimal of `bytes`, two digits a byte.
pub fn encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        // Writing to a String cannot fail.
        let _ = write!(out, "{b:02x}");
    }
    out
}

/// The value of one hex digit (either case), or `None` for any other byte.
pub fn digit(d: u8) -> Option<u8> {
    match d {
        b'0'..=b'9' => Some(d - b'0'),
        b'a'..=b'f' => Some(d - b'a' + 10),
        b'A'..=b'F' => Some(d - b'A' + 10),
        _ => None,
    }
}

/// The bytes of a PDF hex string's body (what stands between `<` and `>`), appended
/// to `out`: bytes that are not hex digits (white space) are skipped, and an odd final
/// digit is followed by an implicit 0.
pub fn decode_pdf(body: &[u8], out: &mut Vec<u8>) {
    let mut high = None;
    for v in body.iter().filter_map(|&d| digit(d)) {
        match high.take() {
            None => high = Some(v << 4),
            Some(h) => out.push(h | v),
        }
    }
    if let Some(h) = high {
        out.push(h);
    }
}

/// `raw` with each `marker` that is followed by two hex digits replaced by that byte
/// (PDF names escape with `#`, URLs with `%`); any other `marker` stays as it is.
pub fn unescape(raw: &[u8], marker: u8) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while let Some(&c) = raw.get(i) {
        let pair = match (raw.get(i + 1), raw.get(i + 2)) {
            (Some(&h), Some(&l)) if c == marker => digit(h).zip(digit(l)),
            _ => None,
        };
        match pair {
            Some((h, l)) => {
                out.push(h << 4 | l);
                i += 3;
            }
            None => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_lower_case() {
        assert_eq!(encode(&[0x00, 0x0f, 0xab, 0xff]), "000fabff");
        assert_eq!(encode(&[]), "");
    }

    #[test]
    fn pdf_hex_strings_skip_space_and_pad_an_odd_digit() {
        let mut out = Vec::new();
        decode_pdf(b"48 65\n6c6C 6", &mut out);
        assert_eq!(out, b"Hell`");
        out.clear();
        decode_pdf(b"", &mut out);
        assert!(out.is_empty());
    }

    #[test]
    fn escapes_decode_only_when_complete() {
        assert_eq!(unescape(b"A#20B#2f", b'#'), b"A B/");
        assert_eq!(unescape(b"%41%2Fb%", b'%'), b"A/b%");
        assert_eq!(unescape(b"%+1%4%zz#41", b'%'), b"%+1%4%zz#41");
        assert_eq!(unescape(b"", b'%'), b"");
    }
}
