//! The text interpreter for one page: runs its content streams (and the Form XObjects
//! they draw) through [`super::lexer`] and assembles the words it shows, by the rules
//! in the module docs of [`super`].
//!
//! Pages are read independently (in parallel) and joined by [`super::words::join`]:
//! a word may continue from the previous page, so the first and last word of a page
//! are handed over raw rather than finished here.

use std::cell::OnceCell;
use std::sync::Arc;

use super::doc::{Dict, Doc, Id, Obj};
use super::lexer::{self, items, Ops, Tok};
use super::words::{PageWords, Words};
use super::{Font, Fonts, MAX_FORM_DEPTH, MAX_RUN_BYTES, MAX_STACK, MAX_STREAM_BYTES};
use crate::verify::cmap::utf16be;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mark {
    Artifact,
    ActualText,
    Other,
}

/// A resource dictionary, with the sub-dictionaries the interpreter uses looked up
/// once each.
struct Res<'a> {
    dict: Option<Dict<'a>>,
    font: OnceCell<Option<Dict<'a>>>,
    xobject: OnceCell<Option<Dict<'a>>>,
    properties: OnceCell<Option<Dict<'a>>>,
}

impl<'a> Res<'a> {
    fn new(dict: Option<Dict<'a>>) -> Res<'a> {
        Res {
            dict,
            font: OnceCell::new(),
            xobject: OnceCell::new(),
            properties: OnceCell::new(),
        }
    }

    fn sub<'r>(
        &self,
        doc: &Doc<'a>,
        cell: &'r OnceCell<Option<Dict<'a>>>,
        key: &[u8],
    ) -> Result<Option<&'r Dict<'a>>, String> {
        if cell.get().is_none() {
            let found = match &self.dict {
                Some(d) => doc.dict_at(d, key)?,
                None => None,
            };
            let _ = cell.set(found);
        }
        Ok(cell.get().and_then(Option::as_ref))
    }
}

/// The state of the interpreter on one page.
pub(super) struct Page<'a> {
    doc: &'a Doc<'a>,
    fonts: &'a Fonts,
    font: Option<Arc<Font>>,
    saved: Vec<Option<Arc<Font>>>,
    marks: Vec<Mark>,
    /// How many of `marks` hide what they enclose.
    hiding: usize,
    forms: Vec<Id>,
    /// Content bytes run so far.
    ran: usize,
    words: Words,
    /// Scratch buffers for a shown string's bytes and its text.
    bytes: Vec<u8>,
    text: String,
}

/// The words of page `page` (1-based), whose content is `content`.
pub(super) fn read<'a>(
    doc: &'a Doc<'a>,
    fonts: &'a Fonts,
    page: u32,
    content: &[u8],
    res: Option<Dict<'a>>,
) -> Result<PageWords, String> {
    let mut p = Page {
        doc,
        fonts,
        font: None,
        saved: Vec::new(),
        marks: Vec::new(),
        hiding: 0,
        forms: Vec::new(),
        ran: 0,
        words: Words::new(page),
        bytes: Vec::new(),
        text: String::new(),
    };
    p.run(content, &Res::new(res), 0)?;
    Ok(p.words.finish())
}

impl<'a> Page<'a> {
    /// Run one content stream with its resources.
    fn run(&mut self, content: &[u8], res: &Res<'a>, depth: usize) -> Result<(), String> {
        self.ran = self.ran.saturating_add(content.len());
        if self.ran > MAX_RUN_BYTES {
            return Err(format!(
                "more than {MAX_RUN_BYTES} bytes of content, Form XObjects included"
            ));
        }
        let mut ops = Ops::new(content);
        while let Some((op, args)) = ops.next_op()? {
            match op {
                b"BT" | b"ET" | b"Td" | b"TD" | b"T*" | b"Tm" => self.words.line_break(),
                b"Tj" => self.show(items(args).next()),
                b"'" => {
                    self.words.line_break();
                    self.show(items(args).next());
                }
                b"\"" => {
                    self.words.line_break();
                    self.show(items(args).nth(2));
                }
                b"TJ" => {
                    let array = items(args)
                        .next()
                        .filter(|a| a.first() == Some(&Tok::ArrayOpen))
                        .and_then(lexer::inner);
                    self.show(array.into_iter().flat_map(items));
                }
                b"Tf" => {
                    self.font = match items(args).next() {
                        Some([Tok::Name(n)]) if res.dict.is_some() => {
                            Some(self.font(res, &lexer::name(n))?)
                        }
                        _ => None,
                    };
                }
                b"q" => {
                    if self.saved.len() >= MAX_STACK {
                        return Err("graphics states nested too deeply".into());
                    }
                    self.saved.push(self.font.clone());
                }
                b"Q" => {
                    if let Some(f) = self.saved.pop() {
                        self.font = f;
                    }
                }
                b"BMC" | b"BDC" => self.begin_marked(args, res)?,
                b"EMC" => self.pop_mark(),
                b"Do" => {
                    if let Some([Tok::Name(n)]) = items(args).next() {
                        self.form(res, &lexer::name(n), depth)?;
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }

    fn push_mark(&mut self, mark: Mark) {
        if mark != Mark::Other {
            self.hiding += 1;
        }
        self.marks.push(mark);
    }

    fn pop_mark(&mut self) {
        if self.marks.pop().is_some_and(|m| m != Mark::Other) {
            self.hiding -= 1;
        }
    }

    fn begin_marked(&mut self, args: &[Tok<'_>], res: &Res<'a>) -> Result<(), String> {
        if self.marks.len() >= MAX_STACK {
            return Err("marked content nested too deeply".into());
        }
        let mut operands = items(args);
        let tag = match operands.next() {
            Some([Tok::Name(n)]) => lexer::name(n),
            _ => b"".into(),
        };
        // A label (`/Lbl`: a list bullet or number, a note's number) is furniture in a
        // tagged PDF, where it cannot be an artifact because the structure owns it.
        if *tag == *b"Artifact" || *tag == *b"Lbl" {
            self.push_mark(Mark::Artifact);
            return Ok(());
        }
        // Properties are inline or named in the resources' /Properties.
        self.bytes.clear();
        let actual = match operands.next() {
            Some(d) if lexer::is_dict(d) => match lexer::dict_get(d, b"ActualText") {
                Some([t]) => lexer::string(t, &mut self.bytes),
                _ => false,
            },
            Some([Tok::Name(n)]) => {
                let props = res.sub(self.doc, &res.properties, b"Properties")?;
                let entry = match props {
                    Some(p) => self.doc.dict_at(p, &lexer::name(n))?,
                    None => None,
                };
                match entry.as_ref().and_then(|e| e.get(b"ActualText")) {
                    Some(t) => match &*self.doc.resolve(t)? {
                        Obj::Str(t) => lexer::string(t, &mut self.bytes),
                        _ => false,
                    },
                    None => false,
                }
            }
            _ => false,
        };
        if actual {
            let text = match self.bytes.strip_prefix(b"\xFE\xFF") {
                Some(u) => utf16be(u),
                None => self.bytes.iter().map(|&b| b as char).collect(),
            };
            if self.hiding == 0 {
                self.words.text(&text);
            }
            self.push_mark(Mark::ActualText);
        } else {
            self.push_mark(Mark::Other);
        }
        Ok(())
    }

    fn font(&mut self, res: &Res<'a>, name: &[u8]) -> Result<Arc<Font>, String> {
        let shown = || String::from_utf8_lossy(name).into_owned();
        let fonts = res.sub(self.doc, &res.font, b"Font")?;
        let entry = fonts.and_then(|f| f.get(name));
        let id = match entry {
            Some(Obj::Ref(id)) => Some(*id),
            _ => None,
        };
        if let Some(f) = id.and_then(|id| self.fonts.get(id)) {
            return Ok(f);
        }
        let dict = match entry {
            Some(e) => self.doc.resolve(e)?.into_owned(),
            None => Obj::Null,
        };
        let Obj::Dict(dict) = dict else {
            return Err(format!(
                "font /{} is used but not defined in the resources",
                shown()
            ));
        };
        let font =
            Arc::new(Font::read(self.doc, &dict).map_err(|e| format!("font /{}{e}", shown()))?);
        if let Some(id) = id {
            self.fonts.insert(id, font.clone());
        }
        Ok(font)
    }

    fn form(&mut self, res: &Res<'a>, name: &[u8], depth: usize) -> Result<(), String> {
        let xobjects = res.sub(self.doc, &res.xobject, b"XObject")?;
        let Some(Obj::Ref(id)) = xobjects.and_then(|x| x.get(name)) else {
            return Ok(()); // Not a referenced XObject: nothing we can read text from.
        };
        let id = *id;
        let Obj::Stream(s) = self.doc.get(id)? else {
            return Ok(());
        };
        if s.dict.name(b"Subtype") != Some(b"Form") {
            return Ok(()); // An image.
        }
        if depth >= MAX_FORM_DEPTH || self.forms.contains(&id) {
            return Err("Form XObjects nested too deeply or in a cycle".into());
        }
        let content = self
            .doc
            .data(&s, MAX_STREAM_BYTES)
            .map_err(|e| format!("cannot read a Form XObject: {e}"))?;
        let own;
        let inner = match self.doc.dict_at(&s.dict, b"Resources")? {
            Some(d) => {
                own = Res::new(Some(d));
                &own
            }
            None => res,
        };
        self.forms.push(id);
        self.saved.push(self.font.clone());
        let r = self.run(&content, inner, depth + 1);
        self.font = self.saved.pop().flatten();
        self.forms.pop();
        r
    }

    /// Show string operands (other operands, such as `TJ` offsets, show nothing). The
    /// strings' text is taken as one piece: nothing happens between them.
    fn show<'t>(&mut self, operands: impl IntoIterator<Item = &'t [Tok<'t>]>) {
        if self.hiding > 0 {
            return;
        }
        self.text.clear();
        for operand in operands {
            let [tok] = operand else { continue };
            self.bytes.clear();
            if !lexer::string(tok, &mut self.bytes) {
                continue;
            }
            match &self.font {
                Some(f) => f.decode_into(&self.bytes, &mut self.text),
                None => self
                    .text
                    .extend(std::iter::repeat_n('\u{FFFD}', self.bytes.len())),
            }
        }
        self.words.text(&self.text);
    }
}
