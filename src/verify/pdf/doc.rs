//! A lazy, read-only view of a PDF file: the cross-reference table is read first and
//! objects are parsed from the file only when the reader asks for them. The reader
//! needs the pages, their resources, fonts and content: a few hundred of the thousands
//! of objects in a tagged PDF, whose structure tree it never reads. (lopdf parses every
//! object up front; that was a quarter of `check` on a long brief once content streams
//! were fast.)
//!
//! Only the plain form that briefpress writes is read here: a classic `xref` table
//! (with `/Prev` sections), streams without a filter or with `/FlateDecode`. Anything
//! else (cross-reference or object streams, other filters, a damaged table) is an
//! error, and [`super::extract`] then has lopdf read the file and write it out again in
//! that plain form. Parsing is bounded: nesting, reference chains, table sections.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use super::lexer::{self, int, Lexeme, Lexer, Tok};

/// Deepest nesting of arrays and dictionaries in an object.
const MAX_NESTING: usize = 32;
/// Longest chain of references followed to reach an object.
const MAX_REF_CHAIN: usize = 32;
/// Most cross-reference sections (`/Prev` links) read.
const MAX_SECTIONS: usize = 64;
/// Deepest page tree followed (as lopdf does).
const MAX_PAGE_TREE_DEPTH: usize = 256;
/// Most bytes of objects parsed, in multiples of the file's size (plus 1 MiB):
/// objects are parsed on each use, and a hostile file could otherwise have the same
/// large object parsed over and over.
const PARSE_BUDGET_FACTOR: usize = 16;

/// The error when the parsing budget is spent.
pub const TANGLED: &str = "objects parsed over and over: the file is too tangled to read";

/// An object number and generation.
pub type Id = (u32, u16);

/// A PDF object, borrowing from the file.
#[derive(Debug, Clone, PartialEq)]
pub enum Obj<'a> {
    Null,
    Bool(bool),
    Int(i64),
    /// A real number (page boxes, widths, colours).
    Real(f64),
    Name(Cow<'a, [u8]>),
    /// A string token, decoded by [`lexer::string`].
    Str(Tok<'a>),
    Array(Vec<Obj<'a>>),
    Dict(Dict<'a>),
    Ref(Id),
    Stream(Stream<'a>),
}

/// A dictionary; when a key repeats, the last one counts.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Dict<'a>(Vec<(Cow<'a, [u8]>, Obj<'a>)>);

/// A stream: its dictionary and its data as stored in the file.
#[derive(Debug, Clone, PartialEq)]
pub struct Stream<'a> {
    pub dict: Dict<'a>,
    raw: &'a [u8],
}

impl<'a> Dict<'a> {
    /// The value of `key`, if present.
    pub fn get(&self, key: &[u8]) -> Option<&Obj<'a>> {
        self.0
            .iter()
            .rev()
            .find(|(k, _)| **k == *key)
            .map(|(_, v)| v)
    }

    /// The name under `key`, if it is a direct name.
    pub fn name(&self, key: &[u8]) -> Option<&[u8]> {
        match self.get(key) {
            Some(Obj::Name(n)) => Some(n),
            _ => None,
        }
    }
}

/// Why the file cannot be read this way.
#[derive(Debug)]
pub enum OpenError {
    /// The file is encrypted: an edition never is.
    Encrypted,
    /// Not the plain form (or damaged): lopdf may still read it.
    Other(String),
}

/// A PDF file opened for reading.
#[derive(Debug)]
pub struct Doc<'a> {
    src: &'a [u8],
    /// Object number → (offset, generation), or `None` for a free entry.
    xref: HashMap<u32, Option<(usize, u16)>>,
    trailer: Dict<'a>,
    /// Bytes of objects that may still be parsed (shared by the threads reading pages).
    budget: AtomicUsize,
    /// The budget ran out.
    spent: AtomicBool,
}

impl<'a> Doc<'a> {
    /// Read the cross-reference table and trailer of `src`.
    pub fn open(src: &'a [u8]) -> Result<Doc<'a>, OpenError> {
        let other = OpenError::Other;
        let tail = src.len().saturating_sub(1024);
        let at = src[tail..]
            .windows(9)
            .rposition(|w| w == b"startxref")
            .ok_or_else(|| other("no startxref".into()))?;
        let mut lex = Lexer::new(src, tail + at + 9);
        let offset = match lex.next() {
            Ok(Some(Lexeme::Tok(t))) => int(&t).and_then(|n| usize::try_from(n).ok()),
            _ => None,
        }
        .ok_or_else(|| other("no offset after startxref".into()))?;
        let mut doc = Doc {
            src,
            xref: HashMap::new(),
            trailer: Dict::default(),
            budget: AtomicUsize::new(src.len().saturating_mul(PARSE_BUDGET_FACTOR) + (1 << 20)),
            spent: AtomicBool::new(false),
        };
        doc.read_xref(offset).map_err(other)?;
        if doc.trailer.get(b"Encrypt").is_some() {
            return Err(OpenError::Encrypted);
        }
        Ok(doc)
    }

    /// A view of `src` that knows only the objects at `offsets`, without reading its
    /// table (which may be damaged): to say why one object cannot be parsed.
    pub fn with_offsets(src: &'a [u8], offsets: impl IntoIterator<Item = (Id, usize)>) -> Doc<'a> {
        Doc {
            src,
            xref: offsets
                .into_iter()
                .map(|(id, offset)| (id.0, Some((offset, id.1))))
                .collect(),
            trailer: Dict::default(),
            budget: AtomicUsize::new(src.len().saturating_mul(PARSE_BUDGET_FACTOR) + (1 << 20)),
            spent: AtomicBool::new(false),
        }
    }

    /// Read the table at `offset` and the sections it links to with `/Prev`.
    fn read_xref(&mut self, mut offset: usize) -> Result<(), String> {
        let mut seen = Vec::new();
        loop {
            if seen.contains(&offset) || seen.len() >= MAX_SECTIONS {
                return Err("cross-reference sections loop".into());
            }
            seen.push(offset);
            let mut lex = Lexer::new(self.src, offset);
            if lex.next()? != Some(Lexeme::Word(b"xref")) {
                return Err(format!("no xref table at byte {offset}"));
            }
            loop {
                let first = match lex.next()? {
                    Some(Lexeme::Word(b"trailer")) => break,
                    Some(Lexeme::Tok(t)) => int(&t),
                    _ => None,
                };
                let count = next_int(&mut lex)?;
                let (Some(first), Some(count)) = (first, count) else {
                    return Err(format!("a malformed xref subsection at byte {}", lex.pos));
                };
                for i in 0..count {
                    let (off, gen) = (next_int(&mut lex)?, next_int(&mut lex)?);
                    let kind = lex.next()?;
                    let num = first
                        .checked_add(i)
                        .and_then(|n| u32::try_from(n).ok())
                        .ok_or("an object number out of range")?;
                    let entry = match (off, gen, kind) {
                        (Some(o), Some(g), Some(Lexeme::Word(b"n"))) => {
                            let o = usize::try_from(o).map_err(|_| "a bad offset")?;
                            Some((o, u16::try_from(g).map_err(|_| "a bad generation")?))
                        }
                        (Some(_), Some(_), Some(Lexeme::Word(b"f"))) => None,
                        _ => return Err(format!("a malformed xref entry at byte {}", lex.pos)),
                    };
                    // Newer sections are read first and win.
                    self.xref.entry(num).or_insert(entry);
                }
            }
            let Obj::Dict(trailer) = value(&mut lex, 0)? else {
                return Err("the trailer is not a dictionary".into());
            };
            if trailer.get(b"XRefStm").is_some() {
                return Err("a hybrid cross-reference table".into());
            }
            let prev = match trailer.get(b"Prev") {
                Some(Obj::Int(p)) => Some(usize::try_from(*p).map_err(|_| "a bad /Prev")?),
                _ => None,
            };
            if seen.len() == 1 {
                self.trailer = trailer;
            }
            match prev {
                Some(p) => offset = p,
                None => return Ok(()),
            }
        }
    }

    /// Whether the parsing budget is spent (then some read failed with [`TANGLED`]).
    pub fn tangled(&self) -> bool {
        self.spent.load(Ordering::Relaxed)
    }

    /// The object `id`; `Null` if the file has no such object (as PDF specifies).
    pub fn get(&self, id: Id) -> Result<Obj<'a>, String> {
        match self.xref.get(&id.0) {
            Some(Some((offset, gen))) if *gen == id.1 => self.parse_at(*offset, id, true),
            // Old generations are not kept by briefpress or lopdf: a damaged table.
            Some(Some(_)) => Err(format!(
                "object {} {}: another generation in the xref",
                id.0, id.1
            )),
            _ => Ok(Obj::Null),
        }
    }

    /// Follow references to a direct object.
    pub fn resolve<'o>(&self, o: &'o Obj<'a>) -> Result<Cow<'o, Obj<'a>>, String> {
        let Obj::Ref(mut id) = o else {
            return Ok(Cow::Borrowed(o));
        };
        for _ in 0..MAX_REF_CHAIN {
            match self.get(id)? {
                Obj::Ref(next) => id = next,
                other => return Ok(Cow::Owned(other)),
            }
        }
        Err("references chained too long".into())
    }

    /// The dictionary `key` of `d` names (directly or by reference); a stream's
    /// dictionary does not count, as with lopdf.
    pub fn dict_at(&self, d: &Dict<'a>, key: &[u8]) -> Result<Option<Dict<'a>>, String> {
        let Some(o) = d.get(key) else { return Ok(None) };
        Ok(match self.resolve(o)?.into_owned() {
            Obj::Dict(d) => Some(d),
            _ => None,
        })
    }

    fn parse_at(&self, offset: usize, id: Id, stream: bool) -> Result<Obj<'a>, String> {
        let mut lex = Lexer::new(self.src, offset);
        let head = (next_int(&mut lex)?, next_int(&mut lex)?, lex.next()?);
        if head
            != (
                Some(i64::from(id.0)),
                Some(i64::from(id.1)),
                Some(Lexeme::Word(b"obj")),
            )
        {
            return Err(format!(
                "object {} {} is not where the xref says",
                id.0, id.1
            ));
        }
        let parsed = value(&mut lex, 0);
        let used = lex.pos - offset;
        let spend = |left: usize| left.checked_sub(used);
        if self
            .budget
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, spend)
            .is_err()
        {
            self.spent.store(true, Ordering::Relaxed);
            return Err(TANGLED.into());
        }
        let dict = match parsed? {
            Obj::Dict(d) => d,
            other => return Ok(other),
        };
        let mut after = lex.clone();
        if !matches!(after.next(), Ok(Some(Lexeme::Word(b"stream")))) {
            return Ok(Obj::Dict(dict));
        }
        if !stream {
            return Err("a stream's /Length is a stream".into());
        }
        let start = match (self.src.get(after.pos), self.src.get(after.pos + 1)) {
            (Some(b'\r'), Some(b'\n')) => after.pos + 2,
            (Some(b'\n' | b'\r'), _) => after.pos + 1,
            _ => return Err("no line end after `stream`".into()),
        };
        let len = match dict.get(b"Length") {
            Some(Obj::Int(n)) => Some(*n),
            Some(Obj::Ref(l)) => match self.xref.get(&l.0) {
                Some(Some((o, g))) if *g == l.1 => match self.parse_at(*o, *l, false)? {
                    Obj::Int(n) => Some(n),
                    _ => None,
                },
                _ => None,
            },
            _ => None,
        };
        let n = len.ok_or_else(|| {
            format!(
                "object {} {}: the stream /Length is missing or not a whole number",
                id.0, id.1
            )
        })?;
        let end = usize::try_from(n)
            .ok()
            .and_then(|n| start.checked_add(n))
            .filter(|&e| e <= self.src.len())
            .ok_or_else(|| {
                format!(
                    "object {} {}: the stream /Length {n} runs past the end of the file \
                     ({} bytes)",
                    id.0,
                    id.1,
                    self.src.len()
                )
            })?;
        let mut tail = Lexer::new(self.src, end);
        if tail.next()? != Some(Lexeme::Word(b"endstream")) {
            return Err(format!(
                "object {} {}: the stream /Length is wrong",
                id.0, id.1
            ));
        }
        Ok(Obj::Stream(Stream {
            dict,
            raw: &self.src[start..end],
        }))
    }

    /// A stream's data, decoded; at most `limit` bytes.
    pub fn data(&self, s: &Stream<'a>, limit: usize) -> Result<Cow<'a, [u8]>, String> {
        let filter = match s.dict.get(b"Filter") {
            Some(f) => self.resolve(f)?.into_owned(),
            None => Obj::Null,
        };
        let flate = match &filter {
            Obj::Null => false,
            Obj::Name(n) if **n == *b"FlateDecode" => true,
            Obj::Array(a) if a.is_empty() => false,
            Obj::Array(a) if matches!(a.as_slice(), [Obj::Name(n)] if **n == *b"FlateDecode") => {
                true
            }
            _ => return Err("a stream filter other than /FlateDecode".into()),
        };
        if !matches!(s.dict.get(b"DecodeParms"), None | Some(Obj::Null)) {
            return Err("a stream with /DecodeParms".into());
        }
        if !flate {
            if s.raw.len() > limit {
                return Err(format!("a stream larger than {limit} bytes"));
            }
            return Ok(Cow::Borrowed(s.raw));
        }
        inflate(s.raw, limit).map(Cow::Owned)
    }

    /// The pages in order, as lopdf finds them: `/Kids` references whose `/Type` is
    /// `/Page` (a page) or `/Pages` (a subtree). A subtree that contains itself, a tree
    /// deeper than lopdf follows, or one with more nodes than the file has objects (a
    /// node reached twice over) is an error, never a silently shortened list of pages.
    pub fn pages(&self) -> Result<Vec<Id>, String> {
        let catalog = match self.trailer.get(b"Root") {
            Some(r) => self.resolve(r)?.into_owned(),
            None => Obj::Null,
        };
        let root = match &catalog {
            Obj::Dict(c) => match c.get(b"Pages") {
                Some(Obj::Ref(id)) => Some(*id),
                _ => None,
            },
            _ => None,
        };
        let mut out = Vec::new();
        let Some(root) = root else { return Ok(out) };
        let mut budget = self.xref.len();
        // The subtrees being walked, from the root down, and the kids each has left.
        let mut path = vec![root];
        let mut stack: Vec<std::vec::IntoIter<Obj<'a>>> = vec![self.kids(root)?.into_iter()];
        while let Some(level) = stack.last_mut() {
            let Some(kid) = level.next() else {
                stack.pop();
                path.pop();
                continue;
            };
            let Obj::Ref(id) = kid else { continue };
            if budget == 0 {
                return Err(format!(
                    "the page tree has more nodes than the file has objects ({}): \
                     a node is reached more than once",
                    self.xref.len()
                ));
            }
            budget -= 1;
            let Obj::Dict(d) = self.get(id)? else {
                continue;
            };
            match d.name(b"Type") {
                Some(b"Page") => out.push(id),
                Some(b"Pages") => {
                    if path.contains(&id) {
                        return Err(format!(
                            "the page tree is cyclic: page tree node {} {} is its own ancestor",
                            id.0, id.1
                        ));
                    }
                    if stack.len() > MAX_PAGE_TREE_DEPTH {
                        return Err(format!(
                            "the page tree is nested more than {MAX_PAGE_TREE_DEPTH} levels deep"
                        ));
                    }
                    path.push(id);
                    stack.push(self.kids(id)?.into_iter());
                }
                _ => {}
            }
        }
        Ok(out)
    }

    fn kids(&self, id: Id) -> Result<Vec<Obj<'a>>, String> {
        let Obj::Dict(d) = self.get(id)? else {
            return Ok(Vec::new());
        };
        Ok(match d.get(b"Kids") {
            Some(k) => match self.resolve(k)?.into_owned() {
                Obj::Array(a) => a,
                _ => Vec::new(),
            },
            None => Vec::new(),
        })
    }

    /// The decoded content streams of page `id`, each followed by a line end (as
    /// lopdf joins them), at most `limit` bytes in all.
    pub fn page_content(&self, page: &Dict<'a>, limit: usize) -> Result<Vec<u8>, String> {
        let mut ids = Vec::new();
        let mut contents = page.get(b"Contents").cloned();
        for _ in 0..MAX_REF_CHAIN {
            match contents.take() {
                Some(Obj::Ref(id)) => match self.get(id)? {
                    Obj::Null | Obj::Stream(_) => ids.push(id),
                    other => contents = Some(other),
                },
                Some(Obj::Array(items)) => ids.extend(items.iter().filter_map(|o| match o {
                    Obj::Ref(id) => Some(*id),
                    _ => None,
                })),
                _ => {}
            }
        }
        let mut out = Vec::new();
        for id in ids {
            if let Obj::Stream(s) = self.get(id)? {
                let data = self.data(&s, limit.saturating_sub(out.len()))?;
                out.extend_from_slice(&data);
                out.push(b'\n');
            }
        }
        Ok(out)
    }
}

/// Decompress zlib data, at most `limit` bytes, with libdeflate (linked already for
/// the renderers' compression): on the seed's PDF it took 1.2 M instructions where
/// flate2's streaming `Decompress` took 2.6 M (callgrind). libdeflate inflates whole
/// streams into a buffer of a size given in advance, so the buffer starts at four
/// times the input and is doubled, up to `limit` + 1, while it is too small.
fn inflate(raw: &[u8], limit: usize) -> Result<Vec<u8>, String> {
    use libdeflater::DecompressionError as E;
    thread_local! {
        static INFLATE: std::cell::RefCell<libdeflater::Decompressor> =
            std::cell::RefCell::new(libdeflater::Decompressor::new());
    }
    let run = |d: &mut libdeflater::Decompressor| -> Result<Vec<u8>, String> {
        let mut size = raw
            .len()
            .saturating_mul(4)
            .max(64)
            .min(limit.saturating_add(1));
        loop {
            let mut out = vec![0; size];
            match d.zlib_decompress(raw, &mut out) {
                Ok(n) if n <= limit => {
                    out.truncate(n);
                    return Ok(out);
                }
                Err(E::InsufficientSpace) if size <= limit => {
                    size = size.saturating_mul(2).min(limit.saturating_add(1));
                }
                Ok(_) | Err(E::InsufficientSpace) => {
                    return Err(format!("a stream decompresses to more than {limit} bytes"))
                }
                Err(E::BadData) => {
                    return Err(
                        "cannot decompress a stream: its data is corrupt or cut short".into(),
                    )
                }
            }
        }
    };
    INFLATE.with(|d| match d.try_borrow_mut() {
        Ok(mut d) => run(&mut d),
        Err(_) => run(&mut libdeflater::Decompressor::new()),
    })
}

fn next_int(lex: &mut Lexer<'_>) -> Result<Option<i64>, String> {
    Ok(match lex.next()? {
        Some(Lexeme::Tok(t)) => int(&t),
        _ => None,
    })
}

/// One item inside an array or dictionary: a value or the bracket closing it.
enum Item<'a> {
    Value(Obj<'a>),
    Close(Tok<'a>),
}

/// The object starting at the lexer's position.
fn value<'a>(lex: &mut Lexer<'a>, depth: usize) -> Result<Obj<'a>, String> {
    match item(lex, depth)? {
        Item::Value(v) => Ok(v),
        Item::Close(_) => Err(lex.err_at(lex.pos, "a closing bracket without its opening")),
    }
}

fn item<'a>(lex: &mut Lexer<'a>, depth: usize) -> Result<Item<'a>, String> {
    let start = lex.pos;
    let tok = match lex.next()? {
        Some(Lexeme::Tok(t)) => t,
        Some(Lexeme::Word(w)) => {
            let w = String::from_utf8_lossy(w);
            return Err(lex.err_at(start, &format!("unexpected `{w}`")));
        }
        None => return Err(lex.err_at(start, "the file ends inside an object")),
    };
    let open = matches!(tok, Tok::ArrayOpen | Tok::DictOpen);
    if open && depth >= MAX_NESTING {
        return Err(lex.err_at(start, "arrays and dictionaries nested too deeply"));
    }
    Ok(Item::Value(match tok {
        Tok::Number(_) => match int(&tok) {
            Some(n) => reference(lex, n).unwrap_or(Obj::Int(n)),
            None => Obj::Real(real(&tok)),
        },
        Tok::Name(n) => Obj::Name(lexer::name(n)),
        Tok::Literal(_) | Tok::Hex(_) => Obj::Str(tok),
        Tok::Keyword(b"true") => Obj::Bool(true),
        Tok::Keyword(b"false") => Obj::Bool(false),
        Tok::Keyword(_) => Obj::Null,
        Tok::ArrayOpen => {
            let mut items = Vec::new();
            loop {
                match item(lex, depth + 1)? {
                    Item::Value(v) => items.push(v),
                    Item::Close(Tok::ArrayClose) => break Obj::Array(items),
                    Item::Close(_) => return Err(lex.err_at(lex.pos, "`>>` closes an array")),
                }
            }
        }
        Tok::DictOpen => {
            let mut entries = Vec::new();
            loop {
                match item(lex, depth + 1)? {
                    Item::Value(Obj::Name(k)) => entries.push((k, value(lex, depth + 1)?)),
                    Item::Close(Tok::DictClose) => break Obj::Dict(Dict(entries)),
                    _ => return Err(lex.err_at(lex.pos, "a dictionary key is not a name")),
                }
            }
        }
        Tok::ArrayClose | Tok::DictClose => return Ok(Item::Close(tok)),
    }))
}

/// `n g R` after the number `n`, consuming it; `None` (consuming nothing) otherwise.
/// The value of a number token that is not an integer (0 if it cannot be read).
fn real(tok: &Tok<'_>) -> f64 {
    match tok {
        Tok::Number(raw) => std::str::from_utf8(raw)
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(0.0),
        _ => 0.0,
    }
}

fn reference<'a>(lex: &mut Lexer<'a>, n: i64) -> Option<Obj<'a>> {
    let mut ahead = lex.clone();
    let g = next_int(&mut ahead).ok()??;
    if ahead.next().ok()? != Some(Lexeme::Word(b"R")) {
        return None;
    }
    let id = (u32::try_from(n).ok()?, u16::try_from(g).ok()?);
    *lex = ahead;
    Some(Obj::Ref(id))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file with the objects `objs` (numbered from 1) and a classic xref table.
    fn file(objs: &[&str], trailer: &str) -> Vec<u8> {
        let mut out = b"%PDF-1.7\n".to_vec();
        let mut offsets = Vec::new();
        for (i, o) in objs.iter().enumerate() {
            offsets.push(out.len());
            out.extend(format!("{} 0 obj\n{o}\nendobj\n", i + 1).bytes());
        }
        let at = out.len();
        out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objs.len() + 1).bytes());
        for o in offsets {
            out.extend(format!("{o:010} 00000 n \n").bytes());
        }
        out.extend(format!("trailer\n{trailer}\nstartxref\n{at}\n%%EOF\n").bytes());
        out
    }

    #[test]
    fn objects_are_read_lazily_with_references_and_streams() {
        let src = file(
            &[
                "<< /Type /Catalog /Pages 2 0 R >>",
                "<< /Type /Pages /Kids [3 0 R 3 0 R 9 0 R] /Count 2 >>",
                "<< /Type /Page /Contents [4 0 R] /A [1 2.5 (x) <41> true null /N#41] >>",
                "<< /Length 5 0 R >>\nstream\nBT ET\nendstream",
                "5",
            ],
            "<< /Root 1 0 R /Size 6 >>",
        );
        let doc = Doc::open(&src).unwrap();
        let pages = doc.pages().unwrap();
        assert_eq!(pages, [(3, 0), (3, 0)]);
        let Obj::Dict(page) = doc.get((3, 0)).unwrap() else {
            panic!()
        };
        assert_eq!(doc.page_content(&page, 100).unwrap(), b"BT ET\n");
        let Some(Obj::Array(a)) = page.get(b"A") else {
            panic!()
        };
        assert!(matches!(a[1], Obj::Real(_)));
        assert_eq!(a[6], Obj::Name(Cow::Borrowed(b"NA")));
        assert_eq!(doc.get((9, 0)).unwrap(), Obj::Null);
        assert!(doc.page_content(&page, 3).is_err(), "over the limit");
    }

    #[test]
    fn inflate_grows_and_caps_its_output() {
        use std::io::Write;
        let data: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        z.write_all(&data).unwrap();
        let z = z.finish().unwrap();
        for _ in 0..2 {
            assert_eq!(inflate(&z, data.len()).unwrap(), data);
        }
        assert!(inflate(&z, data.len() - 1).is_err());
        assert!(inflate(&z[..z.len() / 2], data.len()).is_err());
        assert!(inflate(b"not zlib", 100).is_err());
        // Bytes after the end of the zlib stream (an end-of-line before `endstream`
        // counted into /Length) are left alone.
        let mut trailing = z.clone();
        trailing.extend(b"\r\n");
        assert_eq!(inflate(&trailing, data.len()).unwrap(), data);
        assert!(inflate(&z[..0], 10).unwrap_err().contains("corrupt"));
    }

    #[test]
    fn parsing_the_same_object_over_and_over_is_stopped() {
        let big = format!("[{}]", "0 ".repeat(20_000));
        let src = file(&["<< >>", &big], "<< /Root 1 0 R >>");
        let doc = Doc::open(&src).unwrap();
        let mut gets = 0;
        while doc.get((2, 0)).is_ok() {
            gets += 1;
            assert!(gets < 100, "not stopped");
        }
        assert!(doc.tangled());
        assert_eq!(doc.get((2, 0)).unwrap_err(), TANGLED);
    }

    #[test]
    fn incremental_updates_replace_objects() {
        let mut src = file(&["<< /Pages 2 0 R >>", "(old)"], "<< /Root 1 0 R >>");
        let prev = String::from_utf8_lossy(&src)
            .rsplit("startxref\n")
            .next()
            .and_then(|t| t.split_whitespace().next())
            .unwrap()
            .to_owned();
        let at = src.len();
        src.extend(b"2 0 obj\n(new)\nendobj\n");
        let xref = src.len();
        src.extend(
            format!("xref\n2 1\n{at:010} 00000 n \ntrailer\n<< /Prev {prev} >>\nstartxref\n{xref}\n%%EOF")
                .bytes(),
        );
        let doc = Doc::open(&src).unwrap();
        assert_eq!(doc.get((2, 0)).unwrap(), Obj::Str(Tok::Literal(b"new")));
        assert!(matches!(doc.get((1, 0)).unwrap(), Obj::Dict(_)));
    }

    #[test]
    fn other_forms_and_damage_are_errors() {
        let good = file(
            &["<< /Pages 2 0 R >>", "<< /Kids [] >>"],
            "<< /Root 1 0 R >>",
        );
        assert!(Doc::open(&good).is_ok());
        let encrypted = file(&["<< >>"], "<< /Root 1 0 R /Encrypt 1 0 R >>");
        assert!(matches!(Doc::open(&encrypted), Err(OpenError::Encrypted)));
        for bad in [
            &b"%PDF-1.7\nstartxref\n9\n%%EOF"[..],
            b"%PDF-1.7\n",
            b"xref\n0 1\n0000000000 65535 f \ntrailer\n<< /Prev 0 >>\nstartxref\n0",
        ] {
            assert!(Doc::open(bad).is_err(), "{}", String::from_utf8_lossy(bad));
        }
        // Offsets that point at the wrong object, a wrong stream length, deep nesting.
        let moved = file(&["<< /Pages 2 0 R >>", "<< >>"], "<< /Root 1 0 R >>");
        let moved = String::from_utf8(moved)
            .unwrap()
            .replace("0000000043 00000 n", "0000000009 00000 n");
        let doc = Doc::open(moved.as_bytes()).unwrap();
        assert!(doc.get((2, 0)).is_err());
        let short = file(&["<< /Length 2 >>\nstream\nabc\nendstream"], "<< >>");
        assert!(Doc::open(&short).unwrap().get((1, 0)).is_err());
        let deep = file(&[&"[".repeat(40)], "<< >>");
        assert!(Doc::open(&deep).unwrap().get((1, 0)).is_err());
    }
}
