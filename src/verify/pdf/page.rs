//! The text interpreter for one page: runs its content streams (and the Form XObjects
//! they draw) through [`super::lexer`] and assembles the words it shows, by the rules
//! in the module docs of [`super`].
//!
//! Pages are read independently (in parallel) and joined by [`super::words::join`]:
//! a word may continue from the previous page, so the first and last word of a page
//! are handed over raw rather than finished here.
//!
//! Beside the words, the interpreter tracks what decides whether they are seen: the
//! graphics state (CTM, fill colour, clip, transparency), the text state (matrix, font
//! and size, `Tc`, `Tw`, `Tz`, `TL`, `Ts`, `Tr`), painted paths and images, and
//! marked content (artifacts, `/ActualText`, optional content). Each shown string is
//! placed on the page from the fonts' widths and handed to [`super::profile`], which
//! names what a reader would not see; artifact text is kept for the furniture check.

use std::cell::OnceCell;
use std::sync::Arc;

use super::doc::{Dict, Doc, Id, Obj};
use super::geometry::{num, obj_num, obj_rect, Matrix, Rect};
use super::lexer::{self, items, Ops, Tok};
use super::profile::{quote, Finding, Look, Profile, Shown};
use super::words::{PageWords, Words};
use super::{Font, Fonts, MAX_FORM_DEPTH, MAX_RUN_BYTES, MAX_STACK, MAX_STREAM_BYTES};
use crate::verify::cmap::utf16be;
use crate::verify::compare::Place;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mark {
    Artifact,
    /// An `/ActualText` span: its index in `Page::actual`.
    ActualText,
    /// Optional content (`/OC`): whether it shows depends on the viewer.
    Optional,
    Other,
}

/// The graphics state, as far as visibility goes (saved by `q`, restored by `Q`).
#[derive(Debug, Clone)]
struct Gs {
    ctm: Matrix,
    fill: [f64; 3],
    stroke: [f64; 3],
    /// The fill is a pattern (its cells can hold text of their own).
    pattern: bool,
    /// Why fills are not opaque (an ExtGState's alpha, soft mask or blend mode).
    transparent: Option<String>,
    clip: Rect,
    line_width: f64,
    font: Option<Arc<Font>>,
    size: f64,
    char_space: f64,
    word_space: f64,
    scale: f64,
    leading: f64,
    rise: f64,
    render_mode: i64,
}

impl Gs {
    fn new(ctm: Matrix) -> Gs {
        Gs {
            ctm,
            fill: [0.0; 3],
            stroke: [0.0; 3],
            pattern: false,
            transparent: None,
            clip: Rect::ALL,
            line_width: 1.0,
            font: None,
            size: 0.0,
            char_space: 0.0,
            word_space: 0.0,
            scale: 100.0,
            leading: 0.0,
            rise: 0.0,
            render_mode: 0,
        }
    }
}

/// Text marked as an artifact, for the furniture check: consecutive artifact strings
/// of one text object make one piece (a running head is many words).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Furniture {
    pub place: Place,
    pub text: String,
}

/// What a page gives besides its words.
#[derive(Debug, Default)]
pub(super) struct PageCheck {
    pub findings: Vec<Finding>,
    pub furniture: Vec<Furniture>,
    /// The page has marked content (our editions mark every page).
    pub marked: bool,
}

/// A resource dictionary, with the sub-dictionaries the interpreter uses looked up
/// once each.
struct Res<'a> {
    dict: Option<Dict<'a>>,
    font: OnceCell<Option<Dict<'a>>>,
    xobject: OnceCell<Option<Dict<'a>>>,
    properties: OnceCell<Option<Dict<'a>>>,
    ext_gstate: OnceCell<Option<Dict<'a>>>,
    colour_space: OnceCell<Option<Dict<'a>>>,
}

impl<'a> Res<'a> {
    fn new(dict: Option<Dict<'a>>) -> Res<'a> {
        Res {
            dict,
            font: OnceCell::new(),
            xobject: OnceCell::new(),
            properties: OnceCell::new(),
            ext_gstate: OnceCell::new(),
            colour_space: OnceCell::new(),
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
    fonts: &'a Fonts<'a>,
    gs: Gs,
    saved: Vec<Gs>,
    /// Text matrix and text line matrix.
    tm: Matrix,
    tlm: Matrix,
    /// The current path's box in device space, and whether it becomes a clip.
    path: Rect,
    clip_next: bool,
    marks: Vec<Mark>,
    /// How many of `marks` hide what they enclose (artifacts, `/ActualText`).
    hiding: usize,
    /// How many are artifacts.
    artifacts: usize,
    /// How many are optional content.
    optional: usize,
    /// Open `/ActualText` spans: the text and the glyphs' text so far.
    actual: Vec<(String, String)>,
    /// The artifact piece being gathered, and whether the last string was one.
    piece: Option<Furniture>,
    profile: Profile,
    check: PageCheck,
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
    fonts: &'a Fonts<'a>,
    page: u32,
    dict: &Dict<'a>,
    content: &[u8],
    res: Option<Dict<'a>>,
) -> Result<(PageWords, PageCheck), String> {
    let (visible, trimmed) = visible_box(doc, dict);
    let mut p = Page {
        doc,
        fonts,
        gs: Gs::new(Matrix::IDENTITY),
        saved: Vec::new(),
        tm: Matrix::IDENTITY,
        tlm: Matrix::IDENTITY,
        path: Rect::EMPTY,
        clip_next: false,
        marks: Vec::new(),
        hiding: 0,
        artifacts: 0,
        optional: 0,
        actual: Vec::new(),
        piece: None,
        profile: Profile::new(page, visible, trimmed),
        check: PageCheck::default(),
        forms: Vec::new(),
        ran: 0,
        words: Words::new(page),
        bytes: Vec::new(),
        text: String::new(),
    };
    p.run(content, &Res::new(res), 0)?;
    p.end_piece();
    p.annotations(dict)?;
    let mut check = p.check;
    check.findings.extend(p.profile.findings);
    Ok((p.words.finish(), check))
}

/// The page's visible box: the CropBox (else the MediaBox; both inherited), within
/// the TrimBox when the page has one. Whether a TrimBox narrows it.
fn visible_box(doc: &Doc<'_>, page: &Dict<'_>) -> (Rect, bool) {
    let inherited = |key: &[u8]| -> Option<Rect> {
        let mut node = std::borrow::Cow::Borrowed(page);
        for _ in 0..super::MAX_TREE_DEPTH {
            if let Some(o) = node.get(key) {
                return doc.resolve(o).ok().and_then(|o| obj_rect(&o));
            }
            match doc.dict_at(&node, b"Parent").ok().flatten() {
                Some(parent) => node = std::borrow::Cow::Owned(parent),
                None => return None,
            }
        }
        None
    };
    let media = inherited(b"MediaBox").unwrap_or(Rect::ALL);
    let crop = inherited(b"CropBox").map_or(media, |c| c.intersect(&media));
    let trim = page
        .get(b"TrimBox")
        .and_then(|o| doc.resolve(o).ok())
        .and_then(|o| obj_rect(&o));
    match trim {
        Some(t) => {
            let trimmed = !t.contains(&crop, 0.01);
            (crop.intersect(&t), trimmed)
        }
        None => (crop, false),
    }
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
                b"BT" | b"ET" | b"Td" | b"TD" | b"T*" | b"Tm" => self.text_object(op, args),
                b"Tj" | b"'" | b"\"" | b"TJ" => self.show_text(op, args),
                b"Tf" | b"Tc" | b"Tw" | b"Tz" | b"TL" | b"Ts" | b"Tr" => {
                    self.text_state(op, args, res)?
                }
                b"q" | b"Q" | b"cm" | b"w" | b"rg" | b"g" | b"k" | b"sc" | b"scn" | b"RG"
                | b"G" | b"K" | b"SC" | b"SCN" | b"cs" | b"gs" => {
                    self.graphics_state(op, args, res)?
                }
                b"re" | b"m" | b"l" | b"c" | b"v" | b"y" | b"W" | b"W*" | b"f" | b"F" | b"f*"
                | b"B" | b"B*" | b"b" | b"b*" | b"S" | b"s" | b"n" | b"sh" | b"ID" => {
                    self.path_and_paint(op, args)
                }
                b"BMC" | b"BDC" | b"EMC" => self.marked_content(op, args, res)?,
                b"Do" => self.xobject(args, res, depth)?,
                _ => {}
            }
        }
        Ok(())
    }

    /// Text objects and positioning: `BT`, `ET`, `Td`, `TD`, `T*`, `Tm`.
    fn text_object(&mut self, op: &[u8], args: &[Tok<'_>]) {
        match op {
            b"BT" => {
                self.end_piece();
                self.tm = Matrix::IDENTITY;
                self.tlm = Matrix::IDENTITY;
                self.words.line_break();
            }
            b"ET" => {
                self.end_piece();
                self.words.line_break();
            }
            b"Td" | b"TD" => {
                let (x, y) = two(args);
                if op == b"TD" {
                    self.gs.leading = -y;
                }
                self.next_line(x, y);
            }
            b"T*" => self.next_line(0.0, -self.gs.leading),
            b"Tm" => {
                if let Some(m) = matrix(args) {
                    self.tm = m;
                    self.tlm = m;
                }
                self.words.line_break();
            }
            _ => {}
        }
    }

    /// Text showing: `Tj`, `'`, `"`, `TJ`.
    fn show_text(&mut self, op: &[u8], args: &[Tok<'_>]) {
        match op {
            b"Tj" => self.show(items(args).next()),
            b"'" => {
                self.next_line(0.0, -self.gs.leading);
                self.show(items(args).next());
            }
            b"\"" => {
                let mut it = items(args);
                self.gs.word_space = it.next().and_then(num).unwrap_or(0.0);
                self.gs.char_space = it.next().and_then(num).unwrap_or(0.0);
                self.next_line(0.0, -self.gs.leading);
                self.show(it.next());
            }
            b"TJ" => {
                let array = items(args)
                    .next()
                    .filter(|a| a.first() == Some(&Tok::ArrayOpen))
                    .and_then(lexer::inner);
                self.show(array.into_iter().flat_map(items));
            }
            _ => {}
        }
    }

    /// Text state: `Tf`, `Tc`, `Tw`, `Tz`, `TL`, `Ts`, `Tr`.
    fn text_state(&mut self, op: &[u8], args: &[Tok<'_>], res: &Res<'a>) -> Result<(), String> {
        match op {
            b"Tf" => {
                let mut it = items(args);
                self.gs.font = match it.next() {
                    Some([Tok::Name(n)]) if res.dict.is_some() => {
                        Some(self.font(res, &lexer::name(n))?)
                    }
                    _ => None,
                };
                self.gs.size = it.next().and_then(num).unwrap_or(0.0);
            }
            b"Tc" => self.gs.char_space = first(args),
            b"Tw" => self.gs.word_space = first(args),
            b"Tz" => self.gs.scale = first(args),
            b"TL" => self.gs.leading = first(args),
            b"Ts" => self.gs.rise = first(args),
            b"Tr" => self.gs.render_mode = first(args) as i64,
            _ => {}
        }
        Ok(())
    }

    /// Graphics state: `q`, `Q`, `cm`, `w`, the colour operators, `cs`, `gs`.
    fn graphics_state(&mut self, op: &[u8], args: &[Tok<'_>], res: &Res<'a>) -> Result<(), String> {
        match op {
            b"q" => {
                if self.saved.len() >= MAX_STACK {
                    return Err("graphics states nested too deeply".into());
                }
                self.saved.push(self.gs.clone());
            }
            b"Q" => {
                if let Some(g) = self.saved.pop() {
                    self.gs = g;
                }
            }
            b"cm" => {
                if let Some(m) = matrix(args) {
                    self.gs.ctm = m.then(&self.gs.ctm);
                }
            }
            b"w" => self.gs.line_width = first(args),
            b"rg" | b"g" | b"k" | b"sc" | b"scn" => {
                if op == b"scn" && args.iter().any(|t| matches!(t, Tok::Name(_))) {
                    self.gs.pattern = true;
                } else if let Some(c) = colour(args) {
                    self.gs.fill = c;
                    if matches!(op, b"rg" | b"g" | b"k") {
                        self.gs.pattern = false;
                    }
                }
            }
            b"RG" | b"G" | b"K" | b"SC" | b"SCN" => {
                if let Some(c) = colour(args) {
                    self.gs.stroke = c;
                }
            }
            b"cs" => self.gs.pattern = self.is_pattern(args, res)?,
            b"gs" => self.ext_gstate(args, res)?,
            _ => {}
        }
        Ok(())
    }

    /// Path construction, clipping and painting: `re`, `m`, `l`, `c`, `v`, `y`, `W`,
    /// `W*`, the path-painting operators, `sh` and inline images (`ID`).
    fn path_and_paint(&mut self, op: &[u8], args: &[Tok<'_>]) {
        match op {
            b"re" => {
                let v: Vec<f64> = items(args).filter_map(num).collect();
                if let [x, y, w, h] = v[..] {
                    let r = Rect::new(x, y, x + w, y + h);
                    self.path.union(&self.gs.ctm.bound(&r));
                }
            }
            b"m" | b"l" | b"c" | b"v" | b"y" => {
                let v: Vec<f64> = items(args).filter_map(num).collect();
                for p in v.chunks_exact(2) {
                    let (x, y) = self.gs.ctm.apply(p[0], p[1]);
                    self.path.add(x, y);
                }
            }
            b"W" | b"W*" => self.clip_next = true,
            b"f" | b"F" | b"f*" | b"B" | b"B*" | b"b" | b"b*" | b"S" | b"s" | b"n" => {
                self.paint_path(op);
            }
            b"sh" => {
                // A shading fills the clip (everything when there is none).
                self.profile.paint(self.gs.clip, None);
            }
            b"ID" => {
                let r = self.gs.ctm.bound(&Rect::new(0.0, 0.0, 1.0, 1.0));
                self.profile.paint(r.intersect(&self.gs.clip), None);
            }
            _ => {}
        }
    }

    /// Marked content: `BMC`, `BDC`, `EMC`.
    fn marked_content(&mut self, op: &[u8], args: &[Tok<'_>], res: &Res<'a>) -> Result<(), String> {
        match op {
            b"BMC" | b"BDC" => {
                self.check.marked = true;
                self.begin_marked(args, res)?;
            }
            b"EMC" => self.pop_mark(),
            _ => {}
        }
        Ok(())
    }

    /// XObjects: `Do` runs the named Form XObject.
    fn xobject(&mut self, args: &[Tok<'_>], res: &Res<'a>, depth: usize) -> Result<(), String> {
        if let Some([Tok::Name(n)]) = items(args).next() {
            self.form(res, &lexer::name(n), depth)?;
        }
        Ok(())
    }

    /// A new text line `(x, y)` from the start of the current one.
    fn next_line(&mut self, x: f64, y: f64) {
        self.tlm = Matrix::translate(x, y).then(&self.tlm);
        self.tm = self.tlm;
        self.words.line_break();
    }

    /// Paint (or only end) the current path.
    fn paint_path(&mut self, op: &[u8]) {
        let path = std::mem::replace(&mut self.path, Rect::EMPTY);
        if std::mem::take(&mut self.clip_next) {
            self.gs.clip = self.gs.clip.intersect(&path);
        }
        if self.gs.transparent.is_some() {
            return; // Not opaque: what lies beneath still shows.
        }
        let visible = path.intersect(&self.gs.clip);
        match op {
            b"n" => {}
            b"S" | b"s" => {
                let grown = path.grow(self.gs.line_width / 2.0).intersect(&self.gs.clip);
                self.profile.paint(grown, Some(self.gs.stroke));
            }
            _ => {
                if self.gs.pattern && !visible.is_empty() {
                    // A tiling pattern's cell is a content stream: it can draw text
                    // the word reader never sees.
                    let line = self.words.line();
                    self.profile.find(
                        line,
                        "a pattern fill, whose cells can draw text of their own",
                        String::new(),
                    );
                }
                let colour = (!self.gs.pattern).then_some(self.gs.fill);
                self.profile.paint(visible, colour);
            }
        }
    }

    fn is_pattern(&self, args: &[Tok<'_>], res: &Res<'a>) -> Result<bool, String> {
        let Some([Tok::Name(n)]) = items(args).next() else {
            return Ok(false);
        };
        let n = lexer::name(n);
        if *n == *b"Pattern" {
            return Ok(true);
        }
        let spaces = res.sub(self.doc, &res.colour_space, b"ColorSpace")?;
        let Some(o) = spaces.and_then(|s| s.get(&n)) else {
            return Ok(false);
        };
        Ok(match &*self.doc.resolve(o)? {
            Obj::Name(p) => **p == *b"Pattern",
            Obj::Array(a) => matches!(a.first(), Some(Obj::Name(p)) if **p == *b"Pattern"),
            _ => false,
        })
    }

    /// `gs`: only what makes fills see-through matters here.
    fn ext_gstate(&mut self, args: &[Tok<'_>], res: &Res<'a>) -> Result<(), String> {
        let Some([Tok::Name(n)]) = items(args).next() else {
            return Ok(());
        };
        let states = res.sub(self.doc, &res.ext_gstate, b"ExtGState")?;
        let Some(state) = states
            .map(|s| self.doc.dict_at(s, &lexer::name(n)))
            .transpose()?
        else {
            return Ok(());
        };
        let Some(state) = state else { return Ok(()) };
        if let Some(ca) = state.get(b"ca").and_then(obj_num) {
            self.gs.transparent = (ca < 0.99).then(|| format!("fill opacity /ca {ca}"));
        }
        if let Some(o) = state.get(b"SMask") {
            if !matches!(o, Obj::Name(n) if **n == *b"None") {
                self.gs.transparent = Some("a soft mask (/SMask)".into());
            }
        }
        if let Some(Obj::Name(bm)) = state.get(b"BM") {
            if !matches!(&**bm, b"Normal" | b"Compatible") {
                let bm = String::from_utf8_lossy(bm).into_owned();
                self.gs.transparent = Some(format!("blend mode /{bm}"));
            }
        }
        Ok(())
    }

    fn push_mark(&mut self, mark: Mark) {
        match mark {
            Mark::Artifact => {
                self.hiding += 1;
                self.artifacts += 1;
            }
            Mark::ActualText => self.hiding += 1,
            Mark::Optional => self.optional += 1,
            Mark::Other => {}
        }
        self.marks.push(mark);
    }

    fn pop_mark(&mut self) {
        match self.marks.pop() {
            Some(Mark::Artifact) => {
                self.hiding -= 1;
                self.artifacts -= 1;
            }
            Some(Mark::ActualText) => {
                self.hiding -= 1;
                if let Some((actual, glyphs)) = self.actual.pop() {
                    self.check_actual(&actual, &glyphs);
                }
            }
            Some(Mark::Optional) => self.optional -= 1,
            _ => {}
        }
    }

    /// `/ActualText` may only stand for the same letters: a soft hyphen for the
    /// hyphen drawn at a break, a ligature's letters for the ligature.
    fn check_actual(&mut self, actual: &str, glyphs: &str) {
        if self.artifacts > 0 {
            return; // Furniture's text is checked as furniture.
        }
        let norm = |t: &str| {
            crate::content::normalize(t)
                .split_whitespace()
                .collect::<String>()
        };
        let hyphen = actual == "\u{AD}" && matches!(glyphs, "-" | "\u{2010}" | "\u{AD}");
        if hyphen || norm(actual) == norm(glyphs) {
            return;
        }
        let what = format!(
            ": {} stands for the glyphs {}",
            quote(actual),
            quote(glyphs)
        );
        let line = self.words.line();
        self.profile.find(
            line,
            "/ActualText that says other words than its glyphs",
            what,
        );
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
        if *tag == *b"OC" {
            self.push_mark(Mark::Optional);
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
            self.actual.push((text, String::new()));
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
        let font = Arc::new(
            Font::read(self.doc, &dict, self.fonts.house)
                .map_err(|e| format!("font /{}{e}", shown()))?,
        );
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
            // An image: opaque paint over the unit square.
            let r = self.gs.ctm.bound(&Rect::new(0.0, 0.0, 1.0, 1.0));
            if self.gs.transparent.is_none() && s.dict.get(b"SMask").is_none() {
                self.profile.paint(r.intersect(&self.gs.clip), None);
            }
            return Ok(());
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
        self.saved.push(self.gs.clone());
        // The form's matrix, then its bounding box as a clip.
        let fm = s
            .dict
            .get(b"Matrix")
            .and_then(|o| match o {
                Obj::Array(a) if a.len() == 6 => {
                    let v: Vec<f64> = a.iter().filter_map(obj_num).collect();
                    <[f64; 6]>::try_from(v).ok().map(Matrix)
                }
                _ => None,
            })
            .unwrap_or(Matrix::IDENTITY);
        self.gs.ctm = fm.then(&self.gs.ctm);
        if let Some(b) = s.dict.get(b"BBox").and_then(obj_rect) {
            self.gs.clip = self.gs.clip.intersect(&self.gs.ctm.bound(&b));
        }
        let optional = s.dict.get(b"OC").is_some();
        if optional {
            self.push_mark(Mark::Optional);
        }
        let r = self.run(&content, inner, depth + 1);
        if optional {
            self.pop_mark();
        }
        if let Some(g) = self.saved.pop() {
            self.gs = g;
        }
        self.forms.pop();
        r
    }

    /// Decode string operands into `self.text` and measure them from the font's
    /// widths and the text state; numbers among them are `TJ` offsets.
    fn decode<'t>(
        &mut self,
        operands: impl IntoIterator<Item = &'t [Tok<'t>]>,
        font: Option<&Font>,
        size: f64,
        h: f64,
    ) -> Advance {
        let mut a = Advance::default();
        // The code and width (thousandths of an em) of the glyph shown last.
        let mut last: Option<(u32, f64)> = None;
        for operand in operands {
            if let Some(n) = num(operand) {
                a.x -= n / 1000.0 * size * h;
                a.back = a.back.max(n - mark_width(font, last, n));
                a.on = a.on.min(n);
                last = None;
                continue;
            }
            let [tok] = operand else { continue };
            self.bytes.clear();
            if !lexer::string(tok, &mut self.bytes) {
                continue;
            }
            let Some(f) = font else {
                self.text
                    .extend(std::iter::repeat_n('\u{FFFD}', self.bytes.len()));
                continue;
            };
            f.decode_into(&self.bytes, &mut self.text);
            let len = f.code_len.max(1);
            for code in self.bytes.chunks(len) {
                let c = code.iter().fold(0u32, |a, &b| (a << 8) | u32::from(b));
                let space = len == 1 && c == 32;
                last = Some((c, f.metrics.width(c)));
                let w = f.metrics.width(c) / 1000.0 * size;
                a.x += (w + self.gs.char_space + if space { self.gs.word_space } else { 0.0 }) * h;
                a.lo = a.lo.min(a.x);
                a.hi = a.hi.max(a.x);
                if a.bad.is_none() && !f.metrics.bad.is_empty() {
                    a.bad = f.metrics.bad.get(&c).cloned();
                }
            }
        }
        a
    }

    /// Show string operands; numbers among them are `TJ` offsets. The strings' text is
    /// taken as one piece: nothing happens between them. The string is placed on the
    /// page from the font's widths and the text state, and the text matrix advances.
    fn show<'t>(&mut self, operands: impl IntoIterator<Item = &'t [Tok<'t>]>) {
        self.text.clear();
        let font = self.gs.font.clone();
        let size = self.gs.size;
        let h = self.gs.scale / 100.0;
        let line = self.words.line();
        let Advance {
            x,
            lo,
            hi,
            back,
            on,
            bad,
        } = self.decode(operands, font.as_deref(), size, h);
        let trm = self.tm.then(&self.gs.ctm);
        let start = trm.apply(0.0, self.gs.rise);
        let end = trm.apply(x, self.gs.rise);
        let ascent = 0.75 * size + self.gs.rise;
        let descent = -0.25 * size + self.gs.rise;
        let bbox = trm.bound(&Rect::new(lo.min(x), descent, hi.max(x), ascent));
        self.tm = Matrix::translate(x, 0.0).then(&self.tm);
        if let Some((_, glyphs)) = self.actual.last_mut() {
            glyphs.push_str(&self.text);
        }
        let visible = self.text.chars().any(|c| !c.is_whitespace());
        if self.artifacts > 0 {
            if visible || self.piece.is_some() {
                self.furniture(line);
            }
            return;
        }
        if self.hiding == 0 {
            self.words.text(&self.text);
        }
        if !visible {
            // A space of the content between two artifacts keeps them apart: note
            // references "1 2" are two numbers, not note 12.
            if let Some(p) = &mut self.piece {
                p.text.push(' ');
            }
            return;
        }
        self.end_piece();
        for n in [back, on] {
            self.profile.offset(n, line);
        }
        self.odd_state(line, bad, font.as_deref());
        let look = Look {
            render_mode: self.gs.render_mode,
            scale: self.gs.scale,
            letter_spacing: if size.abs() > 0.0 {
                self.gs.char_space / size.abs()
            } else {
                0.0
            },
            rise: self.gs.rise,
            height: size.abs() * trm_vertical(&self.tm, &self.gs.ctm),
            width: size.abs() * h.abs() * self.tm.then(&self.gs.ctm).horizontal_scale(),
            fill: self.gs.fill,
            clip: self.gs.clip,
        };
        let shown = Shown {
            bbox,
            x: start.0,
            y: start.1,
            end: end.0,
            size: size.abs() * trm.vertical_scale(),
            line,
            // Enough for messages; the words themselves are read elsewhere.
            text: self.text.chars().take(48).collect(),
        };
        self.profile.show(shown, &look);
    }

    /// Findings about the state a content string is shown in that need no geometry:
    /// a glyph the map misreads, Type 3 and unchecked fonts, optional content,
    /// patterns, transparency. The text is quoted only when something is found.
    fn odd_state(&mut self, line: u32, bad: Option<String>, font: Option<&Font>) {
        let type3 = font.is_some_and(|f| f.metrics.type3);
        let unchecked = font.and_then(|f| f.metrics.unchecked.as_ref());
        if bad.is_none()
            && !type3
            && unchecked.is_none()
            && self.optional == 0
            && !self.gs.pattern
            && self.gs.transparent.is_none()
        {
            return;
        }
        let q = quote(&self.text);
        if let Some(why) = bad {
            let what = format!("{why}, in {q}");
            self.profile
                .find(line, "a glyph hidden by the font's ToUnicode map: ", what);
        }
        if type3 {
            self.profile
                .find(line, "text in a Type 3 font: ", q.clone());
        }
        if let Some(why) = unchecked {
            self.profile
                .find(line, "a font outside the house fonts: ", why.clone());
        }
        if self.optional > 0 {
            let kind = "text in optional content (/OC), which a viewer may hide: ";
            self.profile.find(line, kind, q.clone());
        }
        if self.gs.pattern {
            self.profile
                .find(line, "text filled with a pattern: ", q.clone());
        }
        if let Some(why) = &self.gs.transparent {
            let what = format!("({why}): {q}");
            self.profile.find(line, "see-through text ", what);
        }
    }

    /// Gather artifact text into the current furniture piece.
    fn furniture(&mut self, line: u32) {
        let piece = self.piece.get_or_insert_with(|| Furniture {
            place: Place {
                page: Some(self.words.page()),
                line: Some(line),
                ..Place::default()
            },
            text: String::new(),
        });
        piece.text.push_str(&self.text);
    }

    /// The current furniture piece is complete.
    fn end_piece(&mut self) {
        if let Some(p) = self.piece.take() {
            self.check.furniture.push(p);
        }
    }

    /// Annotations: only links, and no text in their appearances.
    fn annotations(&mut self, page: &Dict<'a>) -> Result<(), String> {
        let annots = match page.get(b"Annots") {
            Some(o) => self.doc.resolve(o)?.into_owned(),
            None => return Ok(()),
        };
        let Obj::Array(annots) = annots else {
            return Ok(());
        };
        for a in annots.iter().take(MAX_STACK) {
            let Obj::Dict(a) = self.doc.resolve(a)?.into_owned() else {
                continue;
            };
            let kind = a.name(b"Subtype").map_or_else(
                || "untyped".to_owned(),
                |k| String::from_utf8_lossy(k).into_owned(),
            );
            if kind != "Link" {
                self.profile.find(
                    0,
                    "an annotation other than a link: ",
                    format!("/{kind} (its appearance is drawn over the page)"),
                );
                continue;
            }
            if let Some(ap) = self.doc.dict_at(&a, b"AP")? {
                if let Some(n) = ap.get(b"N") {
                    if let Obj::Stream(s) = self.doc.resolve(n)?.into_owned() {
                        let data = self.doc.data(&s, MAX_STREAM_BYTES)?;
                        let mut ops = Ops::new(&data);
                        while let Some((op, _)) = ops.next_op()? {
                            if matches!(op, b"Tj" | b"TJ" | b"'" | b"\"" | b"Do") {
                                self.profile.find(
                                    0,
                                    "a link whose appearance draws text or a form",
                                    String::new(),
                                );
                                break;
                            }
                        }
                    }
                }
            }
        }
        Ok(())
    }
}

/// The vertical scale of text space on the page.
fn trm_vertical(tm: &Matrix, ctm: &Matrix) -> f64 {
    tm.then(ctm).vertical_scale()
}

/// The first operand as a number (0 when missing).
fn first(args: &[Tok<'_>]) -> f64 {
    items(args).next().and_then(num).unwrap_or(0.0)
}

/// Two number operands.
fn two(args: &[Tok<'_>]) -> (f64, f64) {
    let mut it = items(args).map(|a| num(a).unwrap_or(0.0));
    (it.next().unwrap_or(0.0), it.next().unwrap_or(0.0))
}

/// Six number operands as a matrix.
fn matrix(args: &[Tok<'_>]) -> Option<Matrix> {
    let v: Vec<f64> = items(args).filter_map(num).collect();
    <[f64; 6]>::try_from(v).ok().map(Matrix)
}

/// A colour from gray, RGB or CMYK operands, as RGB.
fn colour(args: &[Tok<'_>]) -> Option<[f64; 3]> {
    let v: Vec<f64> = items(args).filter_map(num).collect();
    match v[..] {
        [g] => Some([g; 3]),
        [r, g, b] => Some([r, g, b]),
        [c, m, y, k] => Some([
            (1.0 - c) * (1.0 - k),
            (1.0 - m) * (1.0 - k),
            (1.0 - y) * (1.0 - k),
        ]),
        _ => None,
    }
}

/// How much of a `TJ` offset `n` moving back only takes back the width of the glyph
/// before it when that glyph is a combining mark (its map's text is a mark): the
/// shaper gives a mark no advance, but a font may give it one (the enclosing keycap
/// U+20E3 of Noto Sans Symbols, 1022), and the writer's offset cancels it. Anything
/// beyond that width, or after another glyph, still counts. Looked up only for an
/// offset that would be a finding, so the common path decodes nothing twice.
fn mark_width(font: Option<&Font>, last: Option<(u32, f64)>, n: f64) -> f64 {
    let (Some(f), Some((code, width))) = (font, last) else {
        return 0.0;
    };
    if n <= super::profile::MAX_BACK_OFFSET || width <= 0.0 {
        return 0.0;
    }
    let len = f.code_len.max(1);
    let bytes: Vec<u8> = (0..len).rev().map(|i| (code >> (8 * i)) as u8).collect();
    let mut text = String::new();
    f.decode_into(&bytes, &mut text);
    let mark = !text.is_empty()
        && text
            .chars()
            .all(unicode_normalization::char::is_combining_mark);
    // Rounded to thousandths by the writer: within one of the width cancels it.
    if mark && n <= width + 1.0 {
        width.min(n)
    } else {
        0.0
    }
}

/// How far shown strings advance the text position (`x`, in text space), how far
/// they reach either side of the start (`lo`, `hi`), the largest `TJ` moves back and
/// on (for the offset check), and the first glyph the font's map misreads.
#[derive(Default)]
struct Advance {
    x: f64,
    lo: f64,
    hi: f64,
    back: f64,
    on: f64,
    bad: Option<String>,
}
