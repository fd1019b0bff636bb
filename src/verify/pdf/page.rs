//! The text interpreter for one page: runs its content streams (and the Form XObjects
//! they draw) through [`super::lexer`] and assembles the words it shows, by the rules
//! in the module docs of [`super`].
//!
//! Pages are read independently (in parallel) and joined by [`super::words::join`]:
//! a word may continue from the previous page, so the first and last word of a page
//! are handed over raw rather than finished here.

use std::sync::Arc;

use lopdf::{Dictionary, Document, Object, ObjectId};

use super::lexer::{self, items, Ops, Tok};
use super::words::{PageWords, Words};
use super::{deref, dict_at, Font, Fonts, MAX_FORM_DEPTH, MAX_STACK, MAX_STREAM_BYTES};
use crate::verify::cmap::utf16be;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mark {
    Artifact,
    ActualText,
    Other,
}

/// The state of the interpreter on one page.
pub(super) struct Page<'a> {
    doc: &'a Document,
    fonts: &'a Fonts,
    font: Option<Arc<Font>>,
    saved: Vec<Option<Arc<Font>>>,
    marks: Vec<Mark>,
    /// How many of `marks` hide what they enclose.
    hiding: usize,
    forms: Vec<ObjectId>,
    words: Words,
    /// Scratch buffers for a shown string's bytes and its text.
    bytes: Vec<u8>,
    text: String,
}

/// The words of page `page` (1-based), whose content is `content`.
pub(super) fn read(
    doc: &Document,
    fonts: &Fonts,
    page: u32,
    content: &[u8],
    res: Option<&Dictionary>,
) -> Result<PageWords, String> {
    let mut p = Page {
        doc,
        fonts,
        font: None,
        saved: Vec::new(),
        marks: Vec::new(),
        hiding: 0,
        forms: Vec::new(),
        words: Words::new(page),
        bytes: Vec::new(),
        text: String::new(),
    };
    p.run(content, res, 0)?;
    Ok(p.words.finish())
}

impl<'a> Page<'a> {
    /// Run one content stream with its resources.
    fn run(
        &mut self,
        content: &[u8],
        res: Option<&'a Dictionary>,
        depth: usize,
    ) -> Result<(), String> {
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
                    for item in array.into_iter().flat_map(items) {
                        self.show(Some(item));
                    }
                }
                b"Tf" => {
                    self.font = match (items(args).next(), res) {
                        (Some([Tok::Name(n)]), Some(r)) => Some(self.font(r, &lexer::name(n))?),
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
                    if let (Some([Tok::Name(n)]), Some(r)) = (items(args).next(), res) {
                        self.form(r, &lexer::name(n), depth)?;
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

    fn begin_marked(
        &mut self,
        args: &[Tok<'_>],
        res: Option<&'a Dictionary>,
    ) -> Result<(), String> {
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
                let bytes = res
                    .and_then(|r| dict_at(self.doc, r, b"Properties"))
                    .and_then(|p| dict_at(self.doc, p, &lexer::name(n)))
                    .and_then(|p| p.get(b"ActualText").ok())
                    .and_then(|o| deref(self.doc, o))
                    .and_then(|o| o.as_str().ok());
                bytes.inspect(|b| self.bytes.extend_from_slice(b)).is_some()
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

    fn font(&mut self, res: &'a Dictionary, name: &[u8]) -> Result<Arc<Font>, String> {
        let fonts = dict_at(self.doc, res, b"Font");
        let entry = fonts.and_then(|f| f.get(name).ok());
        let id = entry.and_then(|o| o.as_reference().ok());
        if let Some(f) = id.and_then(|id| self.fonts.get(id)) {
            return Ok(f);
        }
        let shown = String::from_utf8_lossy(name).into_owned();
        let dict = entry
            .and_then(|o| deref(self.doc, o))
            .and_then(|o| o.as_dict().ok())
            .ok_or_else(|| format!("font /{shown} is used but not defined in the resources"))?;
        let font = Arc::new(Font::read(self.doc, dict).map_err(|e| format!("font /{shown}{e}"))?);
        if let Some(id) = id {
            self.fonts.insert(id, font.clone());
        }
        Ok(font)
    }

    fn form(&mut self, res: &'a Dictionary, name: &[u8], depth: usize) -> Result<(), String> {
        let Some(Ok(id)) = dict_at(self.doc, res, b"XObject")
            .and_then(|x| x.get(name).ok())
            .map(Object::as_reference)
        else {
            return Ok(()); // Not a referenced XObject: nothing we can read text from.
        };
        let Ok(Object::Stream(s)) = self.doc.get_object(id) else {
            return Ok(());
        };
        if s.dict.get(b"Subtype").and_then(|o| o.as_name()).ok() != Some(b"Form") {
            return Ok(()); // An image.
        }
        if depth >= MAX_FORM_DEPTH || self.forms.contains(&id) {
            return Err("Form XObjects nested too deeply or in a cycle".into());
        }
        let content = s
            .get_plain_content_with_limit(MAX_STREAM_BYTES)
            .map_err(|e| format!("cannot read a Form XObject: {e}"))?;
        let inner = dict_at(self.doc, &s.dict, b"Resources").or(Some(res));
        self.forms.push(id);
        self.saved.push(self.font.clone());
        let r = self.run(&content, inner, depth + 1);
        self.font = self.saved.pop().flatten();
        self.forms.pop();
        r
    }

    /// Show a string operand (other operands, such as `TJ` offsets, show nothing).
    fn show(&mut self, operand: Option<&[Tok<'_>]>) {
        let Some([tok]) = operand else { return };
        if self.hiding > 0 {
            return;
        }
        self.bytes.clear();
        if !lexer::string(tok, &mut self.bytes) {
            return;
        }
        self.text.clear();
        match &self.font {
            Some(f) => f.decode_into(&self.bytes, &mut self.text),
            None => self
                .text
                .extend(std::iter::repeat_n('\u{FFFD}', self.bytes.len())),
        }
        self.words.text(&self.text);
    }
}
