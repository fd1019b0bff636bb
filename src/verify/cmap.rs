//! Fonts' `/ToUnicode` CMaps: from character codes in a PDF string to Unicode text.
//!
//! Only what ToUnicode maps use is read: `codespacerange` (how many bytes a code
//! has), `bfchar` and `bfrange` (both the incrementing and the array form). Targets
//! are UTF-16BE and may hold several characters, which is how ligature glyphs map
//! to all their letters. Everything is bounded so a hostile map cannot exhaust memory.

use std::collections::HashMap;

/// Most code → text entries one map may define.
const MAX_ENTRIES: usize = 1 << 17;

/// A parsed ToUnicode map.
#[derive(Debug, Clone, Default)]
pub struct ToUnicode {
    map: HashMap<u32, String>,
    /// The map instead, when its codes are small and dense (a font subset's are):
    /// for each code, an index into `texts` plus one (0: unmapped). Decoding is a
    /// lookup per glyph; this one needs no hashing. Built only when it stays
    /// proportional to the map's size.
    dense: Vec<u32>,
    texts: Vec<String>,
    /// Byte lengths of codes, from the codespace ranges (lo, hi, len).
    spaces: Vec<(u32, u32, usize)>,
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Hex(Vec<u8>),
    Open,
    Close,
    Word(String),
}

fn tokens(src: &[u8]) -> Vec<Tok> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < src.len() {
        match src[i] {
            b'%' => {
                while i < src.len() && src[i] != b'\n' && src[i] != b'\r' {
                    i += 1;
                }
            }
            b'<' if src.get(i + 1) == Some(&b'<') => {
                i += 2;
                out.push(Tok::Word("<<".into()));
            }
            b'<' => {
                let end = src[i..]
                    .iter()
                    .position(|&b| b == b'>')
                    .map_or(src.len(), |p| i + p);
                let mut bytes = Vec::new();
                crate::hex::decode_pdf(&src[i + 1..end], &mut bytes);
                out.push(Tok::Hex(bytes));
                i = end + 1;
            }
            b'[' => {
                out.push(Tok::Open);
                i += 1;
            }
            b']' => {
                out.push(Tok::Close);
                i += 1;
            }
            b if b.is_ascii_whitespace() => i += 1,
            _ => {
                let start = i;
                while i < src.len() && !b"<>[]% \t\r\n\x0c\0".contains(&src[i]) {
                    i += 1;
                }
                if i == start {
                    i += 1; // a stray '>' or similar: skip it
                }
                out.push(Tok::Word(
                    String::from_utf8_lossy(&src[start..i]).into_owned(),
                ));
            }
        }
    }
    out
}

fn code(bytes: &[u8]) -> u32 {
    bytes
        .iter()
        .take(4)
        .fold(0, |acc, &b| (acc << 8) | b as u32)
}

/// UTF-16BE bytes to text; unpaired surrogates become U+FFFD.
pub fn utf16be(bytes: &[u8]) -> String {
    let units: Vec<u16> = bytes
        .chunks(2)
        .map(|c| u16::from_be_bytes([c[0], c.get(1).copied().unwrap_or(0)]))
        .collect();
    String::from_utf16_lossy(&units)
}

impl ToUnicode {
    /// Parse a ToUnicode CMap stream; unknown operators are ignored.
    pub fn parse(src: &[u8]) -> ToUnicode {
        let toks = tokens(src);
        let mut m = ToUnicode::default();
        let mut i = 0;
        while i < toks.len() {
            let section = match &toks[i] {
                Tok::Word(w) => w.as_str(),
                _ => {
                    i += 1;
                    continue;
                }
            };
            i += 1;
            match section {
                "begincodespacerange" => {
                    while let (Some(Tok::Hex(lo)), Some(Tok::Hex(hi))) =
                        (toks.get(i), toks.get(i + 1))
                    {
                        if !lo.is_empty() && lo.len() <= 4 {
                            m.spaces.push((code(lo), code(hi), lo.len()));
                        }
                        i += 2;
                    }
                }
                "beginbfchar" => {
                    while let (Some(Tok::Hex(src)), Some(Tok::Hex(dst))) =
                        (toks.get(i), toks.get(i + 1))
                    {
                        m.insert(code(src), utf16be(dst));
                        i += 2;
                    }
                }
                "beginbfrange" => {
                    while let (Some(Tok::Hex(lo)), Some(Tok::Hex(hi))) =
                        (toks.get(i), toks.get(i + 1))
                    {
                        let (lo, hi) = (code(lo), code(hi));
                        i += 2;
                        match toks.get(i) {
                            Some(Tok::Hex(dst)) => {
                                for (n, c) in (lo..=hi).take(MAX_ENTRIES).enumerate() {
                                    m.insert(c, increment(dst, n as u32));
                                }
                                i += 1;
                            }
                            Some(Tok::Open) => {
                                i += 1;
                                let mut c = lo;
                                while let Some(Tok::Hex(dst)) = toks.get(i) {
                                    if c <= hi {
                                        m.insert(c, utf16be(dst));
                                    }
                                    c = c.saturating_add(1);
                                    i += 1;
                                }
                                if toks.get(i) == Some(&Tok::Close) {
                                    i += 1;
                                }
                            }
                            _ => break,
                        }
                    }
                }
                _ => {}
            }
        }
        m.index();
        m
    }

    /// Build `dense` (see there).
    fn index(&mut self) {
        let Some(&max) = self.map.keys().max() else {
            return;
        };
        let len = usize::try_from(max).unwrap_or(usize::MAX).saturating_add(1);
        if len > 8 * self.map.len() + 256 {
            return;
        }
        self.dense = vec![0; len];
        self.texts = Vec::with_capacity(self.map.len());
        for (code, text) in std::mem::take(&mut self.map) {
            self.texts.push(text);
            // At most MAX_ENTRIES texts, so the index fits.
            self.dense[code as usize] = self.texts.len() as u32;
        }
    }

    fn lookup(&self, code: u32) -> Option<&str> {
        match self.dense.get(code as usize) {
            Some(0) => None,
            Some(&i) => self.texts.get(i as usize - 1).map(String::as_str),
            None if self.dense.is_empty() => self.map.get(&code).map(String::as_str),
            None => None,
        }
    }

    fn insert(&mut self, code: u32, text: String) {
        if self.map.len() < MAX_ENTRIES || self.map.contains_key(&code) {
            self.map.insert(code, text);
        }
    }

    /// Decode a shown string. `default_len` is the code length when the map declares
    /// no codespace (2 for Type0 fonts, 1 for simple fonts). Unmapped codes become
    /// U+FFFD, so they surface as differences rather than vanish.
    pub fn decode(&self, bytes: &[u8], default_len: usize) -> String {
        let mut out = String::new();
        self.decode_into(bytes, default_len, &mut out);
        out
    }

    /// [`ToUnicode::decode`], appending to `out`.
    pub fn decode_into(&self, bytes: &[u8], default_len: usize, out: &mut String) {
        let mut i = 0;
        while i < bytes.len() {
            let len = self.code_len(&bytes[i..]).unwrap_or(default_len).max(1);
            let end = (i + len).min(bytes.len());
            match self.lookup(code(&bytes[i..end])) {
                Some(t) => out.push_str(t),
                None => out.push('\u{FFFD}'),
            }
            i = end;
        }
    }

    fn code_len(&self, rest: &[u8]) -> Option<usize> {
        self.spaces.iter().find_map(|&(lo, hi, len)| {
            let c = code(rest.get(..len)?);
            (lo <= c && c <= hi).then_some(len)
        })
    }
}

/// The target of the `n`-th code of a bfrange: the last UTF-16 unit incremented by `n`.
fn increment(dst: &[u8], n: u32) -> String {
    let mut units: Vec<u16> = dst
        .chunks(2)
        .map(|c| u16::from_be_bytes([c[0], c.get(1).copied().unwrap_or(0)]))
        .collect();
    if let Some(last) = units.last_mut() {
        *last = last.wrapping_add(n as u16);
    }
    String::from_utf16_lossy(&units)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bfchar_bfrange_and_ligatures() {
        let src = b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap
1 begincodespacerange <0000> <FFFF> endcodespacerange
2 beginbfchar <0003> <0020> <0010> <00660069> endbfchar
2 beginbfrange <0020> <0022> <0041> <0030> <0031> [<0078> <D835DC00>] endbfrange
endcmap";
        let m = ToUnicode::parse(src);
        assert_eq!(
            m.decode(&[0, 0x20, 0, 0x21, 0, 3, 0, 0x10, 0, 0x22], 2),
            "AB fiC"
        );
        assert_eq!(
            m.decode(&[0, 0x30, 0, 0x31, 0, 0x99], 2),
            "x\u{1D400}\u{FFFD}"
        );
    }

    #[test]
    fn garbage_does_not_panic() {
        for src in [
            &b"beginbfrange <00> <FFFFFFFF> <0041>"[..],
            b"<",
            b"beginbfchar <0",
            b"[[[ ] >",
        ] {
            let m = ToUnicode::parse(src);
            let _ = m.decode(b"\xff\xfe\x00", 2);
        }
    }
}
