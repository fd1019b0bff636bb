//! Shaping: styled text becomes glyph chunks (rustybuzz, per font run) and the
//! box/glue/penalty items that Knuth–Plass line breaking works on.
//!
//! Break opportunities come from UAX #14 (unicode-linebreak), hyphenation points from
//! hypher for the brief's language. A word is shaped whole (so kerning and ligatures
//! survive) and split afterwards at glyph-cluster boundaries; a hyphenation point that
//! falls inside a ligature is dropped rather than breaking the ligature.
//!
//! Each shaper keeps what it has built up (its `ShapeCache`, one per render, on the
//! render's thread): shape plans by font and script, words shaped by font and text,
//! words set at a size, and words cut at their hyphenation points. Briefs repeat their
//! words, so this pays for itself here. Measured with a release build (hyperfine, PDF
//! edition alone, medians of two alternating rounds on a loaded 2-core machine, so read
//! the ratios): the 100× book took 383 ms with the caches, 646 ms with only the plans
//! cached (1.7×) and 1423 ms with nothing cached (3.7×); the seed 32, 37 and 41 ms
//! (fastest runs 9.8, 12.7, 13.7 ms).

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;

use crate::fonts::{FontBook, Variant};
use crate::house::{Rgb, Typeset};
use crate::render::ties::Ties;

/// How a run of text is set.
#[derive(Debug, Clone, PartialEq)]
pub struct Style {
    pub variant: Variant,
    /// Type size in pt.
    pub size: f32,
    pub color: Rgb,
    /// Target of a link around this text.
    pub link: Option<String>,
    /// Furniture (note numbers, bullets): wrapped in `/Artifact` marked content.
    pub artifact: bool,
    /// Code (a code span): broken at its punctuation (`inner_breaks`) and where its
    /// words would be hyphenated, but never shown with an inserted hyphen, which a
    /// reader would take for part of it.
    pub verbatim: bool,
    /// Baseline shift in pt (superscripts).
    pub rise: f32,
    /// Extra space after every glyph in pt (letter-spacing, written as `Tc`), before
    /// `scale`: what shows is `tracking` times `1 + scale`.
    pub tracking: f32,
    /// How much wider (negative: narrower) the glyphs are set, as a share of their
    /// width (glyph scaling, written as `Tz`, which scales `Tc` and `TJ` numbers too).
    pub scale: f32,
    /// The structure element this text belongs to (`super::tags`); not part of how
    /// the text looks, so a shaping cache must not key on it.
    pub node: super::tags::NodeId,
}

impl Style {
    /// Upright serif at `size` pt in `color`: plain text, outside any structure
    /// element (the body's base style; the other styles are made from it).
    pub fn serif(size: f32, color: Rgb) -> Style {
        Style {
            variant: Variant {
                family: crate::house::Family::Serif,
                bold: false,
                italic: false,
            },
            size,
            color,
            link: None,
            artifact: false,
            verbatim: false,
            rise: 0.0,
            tracking: 0.0,
            scale: 0.0,
            node: super::tags::ROOT,
        }
    }
}

/// One shaped glyph.
#[derive(Debug, Clone, PartialEq)]
pub struct Glyph {
    /// Glyph id in the original (not subset) font.
    pub gid: u16,
    /// Advance in pt as shaped (kerning included), without tracking.
    pub advance: f32,
    /// Byte offset of the glyph's cluster in the chunk's source text.
    pub cluster: usize,
    /// The source text this glyph stands for (all letters of a ligature); empty for
    /// the second and later glyphs of a cluster.
    pub text: String,
}

/// Glyphs of one font and style, set one after another.
#[derive(Debug, Clone, PartialEq)]
pub struct Chunk {
    pub font: usize,
    pub style: Style,
    pub glyphs: Glyphs,
}

/// The glyphs of a chunk, shared by every chunk of the same word in the same font and
/// size (the shaper's `ShapeCache`): a brief repeats its words, and a glyph with its text is
/// about fifty bytes, so a 4 MB brief laid out with a copy per occurrence held
/// 420 MB of glyphs at once.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Glyphs(Arc<[Glyph]>);

impl std::ops::Deref for Glyphs {
    type Target = [Glyph];
    fn deref(&self) -> &[Glyph] {
        &self.0
    }
}

impl<'g> IntoIterator for &'g Glyphs {
    type Item = &'g Glyph;
    type IntoIter = std::slice::Iter<'g, Glyph>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl From<Vec<Glyph>> for Glyphs {
    fn from(v: Vec<Glyph>) -> Glyphs {
        Glyphs(v.into())
    }
}

impl Chunk {
    /// Advance width in pt, tracking and scale included.
    pub fn width(&self) -> f32 {
        let w: f32 = self
            .glyphs
            .iter()
            .map(|g| g.advance + self.style.tracking)
            .sum();
        w * (1.0 + self.style.scale)
    }
}

/// A Knuth–Plass item.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    Box(Chunk),
    /// A word space. `space` is the real space glyph written at that place; `None` for
    /// the glue that ends a paragraph.
    Glue {
        width: f32,
        stretch: f32,
        shrink: f32,
        space: Option<Chunk>,
    },
    /// A possible break. `hyphen` is the glyph shown when an inserted hyphen is taken.
    Penalty {
        width: f32,
        penalty: f32,
        flagged: bool,
        hyphen: Option<Chunk>,
    },
}

/// A penalty that forbids a break.
pub const INF: f32 = 10_000.0;

/// Hyphenation rules and break penalties, from the house's `[typeset]`.
#[derive(Debug, Clone)]
struct Rules {
    left: usize,
    right: usize,
    capitalised_penalty: f32,
    address_penalty: f32,
    /// Exceptions by the lowercase word: the character counts after which a break
    /// may fall.
    exceptions: HashMap<String, Vec<usize>>,
    hyphen_penalty: f32,
    explicit_penalty: f32,
    /// Words a number after them is tied to ([`crate::render::ties`]).
    tie_words: Vec<String>,
    /// The brief's language, for the one-letter words it ties to the next.
    tie_lang: String,
}

impl From<&Typeset> for Rules {
    fn from(t: &Typeset) -> Rules {
        let exceptions = t
            .hyphenation
            .iter()
            .map(|w| {
                let mut at = Vec::new();
                let mut n = 0;
                for c in w.chars() {
                    if c == '-' {
                        at.push(n);
                    } else {
                        n += 1;
                    }
                }
                (w.replace('-', "").to_lowercase(), at)
            })
            .collect();
        Rules {
            left: t.left_hyphen_min.max(1),
            right: t.right_hyphen_min.max(1),
            capitalised_penalty: t.capitalised_hyphen_penalty,
            address_penalty: t.address_break_penalty,
            exceptions,
            hyphen_penalty: t.hyphen_penalty,
            explicit_penalty: t.explicit_hyphen_penalty,
            tie_words: t.tie_before_numbers.clone(),
            tie_lang: String::new(),
        }
    }
}

/// `text` with its tabs (and the other ASCII controls that are white space, but for
/// the line feed of a forced break) as spaces, each one byte for one, so offsets hold.
/// The content reads them as word spaces; the fonts have no glyph for them, and a tab
/// after punctuation (`1;\t//`) or at a line's start was shaped as a glyph `check`
/// rightly reported as drawing something else than it reads.
fn word_spaces(text: &str) -> std::borrow::Cow<'_, str> {
    const CONTROLS: [char; 4] = ['\t', '\u{b}', '\u{c}', '\r'];
    if text.contains(CONTROLS) {
        text.replace(CONTROLS, " ").into()
    } else {
        text.into()
    }
}

/// Spaces that hold their neighbours together. UAX #14 (rule LB12a) still breaks
/// before one after a hyphen or a bar ("high-|\u{a0}and", "|x|\u{a0}x"), which
/// starts the next line with the space and leaves "high-" at a line's end, read as
/// "high-and"; a no-break space binds both sides here.
const NO_BREAK_SPACES: [char; 3] = ['\u{a0}', '\u{2007}', '\u{202f}'];

/// Whether the break UAX #14 offers at `pos` of `text` falls after a dash between
/// two digits ("2013–2018"), which would leave the end of a range alone.
fn inside_number_range(text: &str, pos: usize) -> bool {
    let before = text[..pos].chars().rev();
    let mut before = before.skip_while(|c| *c == ' ');
    let dash = before.next();
    let digit_before = before.next().is_some_and(|c| c.is_ascii_digit());
    let digit_after = text[pos..]
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_digit());
    matches!(
        dash,
        Some('-' | '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}')
    ) && digit_before
        && digit_after
}

/// Whether the break UAX #14 offers at `pos` of `text` falls after a hyphen with one
/// letter on either side of the break: "e-/mail", "X-/ray", French "va-t-/il" and
/// "vas-/y" (French breaks "va-/t-il", before the euphonic t). A single letter left
/// at a line's end or start reads as a stray; the word stays whole there.
fn lone_letter_at_hyphen(text: &str, pos: usize) -> bool {
    let Some(before) = text[..pos].strip_suffix(['-', '\u{2010}']) else {
        return false;
    };
    let piece = before
        .chars()
        .rev()
        .take_while(|c| c.is_alphanumeric())
        .count();
    let rest: usize = text[pos..]
        .split(char::is_whitespace)
        .next()
        .unwrap_or("")
        .chars()
        .filter(|c| c.is_alphanumeric())
        .count();
    piece == 1 || rest == 1
}

/// Whether the break UAX #14 offers at `pos` of `text` falls after a hyphen that a
/// sign follows, not a letter: the arrow "->" set as "-" at a line's end and ">" at
/// the next line's start, or "pre-(war)". A hyphen breaks a line only before a word.
fn hyphen_before_sign(text: &str, pos: usize) -> bool {
    text[..pos].ends_with(['-', '\u{2010}'])
        && text[pos..]
            .chars()
            .next()
            .is_some_and(|c| !c.is_alphanumeric() && !c.is_whitespace())
}

/// The fewest characters a token (a run without spaces) has for [`inner_breaks`] to
/// offer breaks inside it: "e.g.", "U.S." and "and/or" stay whole.
const INNER_MIN: usize = 12;

/// Byte offsets inside the long tokens of `text` (code, addresses, identifiers) where
/// a line may break although UAX #14 offers nothing: after `_ = + & ? # ; , ] ) }`,
/// before a `.` or `@` between letters (as style guides break addresses), and before
/// a `\` or an opening bracket that follows a letter or a closing one, with at least
/// three characters of the token on either side and never inside a number.
/// Without them "Using --from=markdown+wikilinks_title_after_pipe" can only end its
/// line after "Using" and a hole of the rest of the line. No hyphen is shown: the
/// line ends in the same invisible mark as a break after a slash
/// ([`super::marked::join_run`]), so every reader joins the token again.
fn inner_breaks(text: &str) -> Vec<usize> {
    let mut out = Vec::new();
    for (start, token) in tokens(text) {
        let chars: Vec<(usize, char)> = token.char_indices().collect();
        if chars.len() >= INNER_MIN {
            for i in 3..chars.len() - 2 {
                let (a, b) = (chars[i - 1].1, chars[i].1);
                let next = chars.get(i + 1).map_or(' ', |c| c.1);
                let after =
                    "_=+&?#;,])}".contains(a) && (b.is_alphanumeric() || "-\\[({<'\"".contains(b));
                let before = (".@".contains(b) && a.is_alphanumeric() && next.is_alphanumeric())
                    || ("\\[({".contains(b) && (a.is_alphanumeric() || "])}".contains(a)));
                // A number ("0.5", "1,234") stays whole.
                let digits = |x: char, y: char| x.is_ascii_digit() && y.is_ascii_digit();
                let number = (after && digits(chars[i - 2].1, b)) || (before && digits(a, next));
                if (after || before) && !number {
                    out.push(start + chars[i].0);
                }
            }
        }
    }
    out
}

/// Where a piece of an address (between the breaks after its slashes and at its
/// punctuation) may also break, at `penalty`: inside a run of letters and digits, with
/// two of them on either side ("revise|d?" is not a break), and not between two digits
/// ("2015" stays whole), nor inside the scheme ("htt|ps:"). A line of an address
/// has no word space to stretch; broken only at its slashes, it ended up to a third of
/// the column short of the edge, and the lines before it were stretched to holes to
/// avoid that (`…data.example` / `.org/api/v2/datasets/…`). LaTeX's `xurl` breaks
/// addresses anywhere for the same reason.
fn address_points(text: &str, penalty: f32) -> Vec<(usize, f32)> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let alnum = |i: usize| chars.get(i).is_some_and(|c| c.1.is_alphanumeric());
    // The run of letters and digits from `i` on ends at a colon: a scheme.
    let scheme = |i: usize| {
        chars[i..]
            .iter()
            .find(|c| !c.1.is_alphanumeric())
            .is_some_and(|c| c.1 == ':')
    };
    (2..chars.len().saturating_sub(1))
        .filter(|&i| alnum(i - 2) && alnum(i - 1) && alnum(i) && alnum(i + 1) && !scheme(i))
        .filter(|&i| !(chars[i - 1].1.is_ascii_digit() && chars[i].1.is_ascii_digit()))
        .map(|i| (chars[i].0, penalty))
        .collect()
}

/// The hyphenation patterns for a brief in BCP 47 language `lang` (by its primary
/// subtag, `en` of `en-GB`), if there are any.
pub fn patterns(lang: &str) -> Option<hypher::Lang> {
    let primary = lang.split(['-', '_']).next().unwrap_or("");
    match primary.to_ascii_lowercase().as_bytes() {
        &[a, b] => hypher::Lang::from_iso([a, b]),
        _ => None,
    }
}

/// What a token between spaces is, for breaking it between its letters.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Token {
    /// A web or mail address (`https://…`, `www.…`, `a@b.org`): broken after its
    /// slashes and dots as UAX #14 allows and at its punctuation ([`inner_breaks`]),
    /// never between letters, where a break would change the address.
    Address,
    /// A path (`/methods/discover/`, `src/garden/vegetables.rs`: one that starts with a
    /// slash or holds two) or an identifier (`sticky_sidenav`, `#principle-3`,
    /// `std::range::RangeFrom`: one that starts with `#` or `\`, or holds `_` or
    /// `::`): broken where its words would be hyphenated, as code is, with no hyphen
    /// shown, which a reader would take for part of it ("/methods/dis-cover/").
    Technical,
}

/// Byte ranges of `text` that are addresses, paths or identifiers ([`Token`]). A word
/// pair such as "economic/political" has one slash and stays prose, hyphenated as ever.
fn technical_ranges(text: &str) -> Vec<(usize, usize, Token)> {
    tokens(text)
        .filter_map(|(start, word)| {
            let w = word.trim_start_matches([
                '(', '<', '[', '"', '\'', '\u{201C}', '\u{2018}', '\u{201E}', '\u{AB}',
            ]);
            let kind = if w.contains("://")
                || w.starts_with("www.")
                || (w.contains('@') && w.contains('.'))
            {
                Token::Address
            } else if w.starts_with(['/', '#', '\\'])
                || w.matches('/').count() >= 2
                || w.contains('_')
                || w.contains("::")
            {
                Token::Technical
            } else {
                return None;
            };
            Some((start, start + word.len(), kind))
        })
        .collect()
}

/// How a word may be broken between its letters.
#[derive(Clone, Copy, PartialEq)]
enum Hyphens {
    /// Not at all.
    None,
    /// At its hyphenation points, with a hyphen shown.
    Shown,
    /// At its hyphenation points with no hyphen shown: the line ends in the invisible
    /// mark of a break after a slash (`marked::join_run`).
    Hidden,
    /// Between any two of its letters, with no hyphen shown, as `Hidden` (an address:
    /// a line of one has no space to stretch, so only such breaks let it reach the
    /// edge; [`address_points`]).
    Anywhere,
}

/// The runs of `text` between spaces, tabs and line breaks, each with its byte offset.
fn tokens(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.split([' ', '\n', '\t']).scan(0, |start, token| {
        let at = *start;
        *start += token.len() + 1;
        Some((at, token))
    })
}

impl Item {
    /// Natural width of the item.
    pub fn width(&self) -> f32 {
        match self {
            Item::Box(c) => c.width(),
            Item::Glue { width, .. } | Item::Penalty { width, .. } => *width,
        }
    }
}

/// Turns styled text into items.
pub struct Shaper<'b, 'a> {
    pub book: &'b FontBook<'a>,
    pub lang: Option<hypher::Lang>,
    /// Where words may be hyphenated, and what breaks cost.
    rules: Rules,
    /// Shape plans and shaped words of this shaper ([`ShapeCache`]).
    cache: ShapeCache,
}

/// What shaping a brief builds up once, owned by its shaper (one per render, on one
/// thread). A word's glyphs depend only on the font and the text, so whether they come
/// from here never shows in the output.
#[derive(Default)]
struct ShapeCache {
    /// Shaped words by font (the index) and text, in font units: briefs repeat their
    /// words. Keyed per font so a lookup needs no owned key.
    words: RefCell<Vec<HashMap<String, Arc<[Shaped]>>>>,
    /// Shape plans by font and segment properties: building a plan costs far more
    /// than shaping one word with it, and a brief needs only a handful.
    plans: RefCell<HashMap<PlanKey, Arc<rustybuzz::ShapePlan>>>,
    /// Words set in a font at a size ([`Glyphs`]), by font, size, offset of the word
    /// in its text, and the word.
    set: RefCell<HashMap<SetKey, ByWord<Glyphs>>>,
    /// Words cut at their hyphenation points: the parts' glyphs, by variant, size,
    /// language of hyphenation, and the word. Parts of words that are cut are as common
    /// as whole words, and as worth sharing.
    cut: RefCell<HashMap<CutKey, ByWord<Arc<[Part]>>>>,
}

/// Variant, type size (its bits) and the language it is hyphenated in, if it is: a
/// shaper that does not hyphenate shares the cache with one that does.
type CutKey = (Variant, u32, Option<hypher::Lang>);

/// A piece of a word as [`Shaper::word`] boxes it: glyphs in a font, then maybe the
/// hyphen shown should the line break after them.
#[derive(Debug, Clone)]
struct Part {
    font: usize,
    glyphs: Glyphs,
    /// The hyphen's glyphs (in `font`), when a break may follow this part.
    hyphen: Option<Glyphs>,
    /// The penalty of that break.
    penalty: f32,
    /// What the part's last glyph gets back when the line breaks after it, in pt: the
    /// word was shaped whole, so that glyph's advance is kerned against the letter
    /// after it ("contr|act": the r's advance is 0.2 pt short for the a), which is not
    /// beside it at a break. Set ending in the kerned advance, the line put its hyphen
    /// too close, or, with no hyphen (an address), ended with the r's box past the
    /// column's edge.
    unkern: f32,
}

/// What is kept per word (its text).
type ByWord<T> = HashMap<String, T>;

/// Font, type size (its bits) and offset of the clusters.
type SetKey = (usize, u32, usize);

impl ShapeCache {
    fn word(&self, font: usize, text: &str) -> Option<Arc<[Shaped]>> {
        let words = self.words.borrow();
        words.get(font).and_then(|m| m.get(text)).map(Arc::clone)
    }

    fn cut_word(&self, key: CutKey, text: &str) -> Option<Arc<[Part]>> {
        let cut = self.cut.borrow();
        cut.get(&key).and_then(|m| m.get(text)).map(Arc::clone)
    }

    fn insert_cut(&self, key: CutKey, text: &str, parts: &Arc<[Part]>) {
        let mut cut = self.cut.borrow_mut();
        cut.entry(key)
            .or_default()
            .entry(text.to_owned())
            .or_insert_with(|| Arc::clone(parts));
    }

    fn set_word(&self, key: SetKey, text: &str) -> Option<Glyphs> {
        let set = self.set.borrow();
        set.get(&key).and_then(|m| m.get(text)).cloned()
    }

    fn insert_set(&self, key: SetKey, text: &str, glyphs: &Glyphs) {
        let mut set = self.set.borrow_mut();
        set.entry(key)
            .or_default()
            .entry(text.to_owned())
            .or_insert_with(|| glyphs.clone());
    }

    fn insert(&self, font: usize, text: &str, glyphs: &Arc<[Shaped]>) {
        let mut words = self.words.borrow_mut();
        if words.len() <= font {
            words.resize_with(font + 1, HashMap::new);
        }
        words[font]
            .entry(text.to_owned())
            .or_insert_with(|| Arc::clone(glyphs));
    }

    /// The plan for `buf`'s segment properties in `font`, built on first use.
    fn plan(
        &self,
        font: usize,
        face: &rustybuzz::Face<'_>,
        buf: &rustybuzz::UnicodeBuffer,
    ) -> Arc<rustybuzz::ShapePlan> {
        let key = (font, buf.direction(), Some(buf.script()));
        let known = {
            let plans = self.plans.borrow();
            plans.get(&key).map(Arc::clone)
        };
        known.unwrap_or_else(|| {
            let plan = Arc::new(rustybuzz::ShapePlan::new(
                face,
                key.1,
                key.2,
                buf.language().as_ref(),
                &[],
            ));
            let mut plans = self.plans.borrow_mut();
            Arc::clone(plans.entry(key).or_insert(plan))
        })
    }
}

type PlanKey = (usize, rustybuzz::Direction, Option<rustybuzz::Script>);

/// One glyph of a shaped word, independent of the type size.
#[derive(Debug, Clone, Copy)]
struct Shaped {
    gid: u16,
    /// Horizontal advance in font units.
    advance: i32,
    /// Byte offset of the glyph's cluster in the word.
    cluster: u32,
}

/// Where a paragraph's text `full` may break: UAX #14's opportunities, then the ones
/// inside long tokens (`None`) where it has none; where both offer the same place,
/// UAX #14's is kept.
fn break_opportunities(full: &str) -> Vec<(usize, Option<unicode_linebreak::BreakOpportunity>)> {
    let mut breaks: Vec<(usize, Option<unicode_linebreak::BreakOpportunity>)> =
        unicode_linebreak::linebreaks(full)
            .map(|(pos, opp)| (pos, Some(opp)))
            .collect();
    breaks.extend(inner_breaks(full).into_iter().map(|pos| (pos, None)));
    breaks.sort_by_key(|b| b.0);
    breaks.dedup_by_key(|b| b.0);
    breaks
}

/// How a word in `style` of the token `kind` may be hyphenated, in a paragraph that is
/// hyphenated (`hyphenate`) or not. Without hyphenation (a table's widths with its
/// words whole) an address keeps its pieces between slashes whole too.
fn hyphens_in(hyphenate: bool, style: &Style, kind: Option<Token>) -> Hyphens {
    if !hyphenate || style.artifact {
        Hyphens::None
    } else if kind == Some(Token::Address) {
        Hyphens::Anywhere
    } else if style.verbatim || kind == Some(Token::Technical) {
        Hyphens::Hidden
    } else {
        Hyphens::Shown
    }
}

impl<'b, 'a> Shaper<'b, 'a> {
    /// A shaper for a brief in BCP 47 language `lang`, hyphenating (if `hyphenate`) and
    /// weighing breaks by the rules of `typeset`.
    pub fn new(book: &'b FontBook<'a>, lang: &str, hyphenate: bool, typeset: &Typeset) -> Self {
        let rules = Rules {
            tie_lang: lang.to_owned(),
            ..Rules::from(typeset)
        };
        let lang = if hyphenate { patterns(lang) } else { None };
        Shaper {
            book,
            lang,
            rules,
            cache: ShapeCache::default(),
        }
    }

    /// The glyphs of `text` in font `font`, shaped once per distinct word.
    fn shaped(&self, font: usize, face: &rustybuzz::Face<'_>, text: &str) -> Arc<[Shaped]> {
        if let Some(s) = self.cache.word(font, text) {
            return s;
        }
        let mut buf = rustybuzz::UnicodeBuffer::new();
        buf.push_str(text);
        buf.guess_segment_properties();
        // Each glyph's text must read back as what it shows (`docs/editions.md`): a
        // default-ignorable character (soft hyphen, joiner, bidi control) gets no
        // glyph, rather than a hidden space glyph that reads as a space; and a mark
        // without a precomposed glyph keeps its own cluster, so its glyph has its text.
        buf.set_flags(rustybuzz::BufferFlags::REMOVE_DEFAULT_IGNORABLES);
        buf.set_cluster_level(rustybuzz::BufferClusterLevel::MonotoneCharacters);
        let plan = self.cache.plan(font, face, &buf);
        let out = rustybuzz::shape_with_plan(face, &plan, buf);
        let glyphs: Arc<[Shaped]> = out
            .glyph_infos()
            .iter()
            .zip(out.glyph_positions())
            .map(|(info, p)| Shaped {
                gid: u16::try_from(info.glyph_id).unwrap_or(0),
                advance: p.x_advance,
                cluster: info.cluster,
            })
            .collect();
        self.cache.insert(font, text, &glyphs);
        glyphs
    }

    /// Shape `text` in `style`, one chunk per font run (fallback fonts per character).
    pub fn chunks(&self, text: &str, style: &Style) -> Vec<Chunk> {
        let text = &*word_spaces(text);
        let chain = self.book.chain(style.variant);
        let primary = chain.first().copied().unwrap_or(0);
        let mut runs: Vec<(usize, usize, usize)> = Vec::new(); // (font, start, end)
        let mut current = primary;
        // Where the cluster being read starts: its base character, before its marks.
        let mut base = 0;
        for (i, c) in text.char_indices() {
            let mark = i > 0 && unicode_normalization::char::is_combining_mark(c);
            if !mark {
                base = i;
            }
            if mark && !self.book.has(current, c) {
                // A combining mark goes in its letter's font: set apart, it is drawn
                // after the letter and over the next one (a keycap U+20E3 after a
                // digit). The cluster moves to the first font of the chain that has
                // all of it; when none has, the mark is set in a font of its own.
                let cluster = &text[base..i + c.len_utf8()];
                if let Some(font) = chain
                    .iter()
                    .copied()
                    .find(|&f| cluster.chars().all(|k| self.book.has(f, k)))
                {
                    if let Some(last) = runs.last_mut() {
                        last.2 = base;
                        if last.1 == last.2 {
                            runs.pop();
                        }
                    }
                    match runs.last_mut() {
                        Some(r) if r.0 == font => r.2 = i + c.len_utf8(),
                        _ => runs.push((font, base, i + c.len_utf8())),
                    }
                    current = font;
                    continue;
                }
            }
            // Spaces stay in the running font; otherwise the variant's own font wins,
            // then the running one (so a Georgian word stays in one run), then the chain.
            // A mark stays with its letter where that font has it.
            let font =
                if (c.is_whitespace() && !runs.is_empty()) || (mark && self.book.has(current, c)) {
                    current
                } else if self.book.has(primary, c) {
                    primary
                } else if self.book.has(current, c) {
                    current
                } else {
                    chain
                        .iter()
                        .copied()
                        .find(|&f| self.book.has(f, c))
                        .unwrap_or(primary)
                };
            current = font;
            match runs.last_mut() {
                Some(r) if r.0 == font => r.2 = i + c.len_utf8(),
                _ => runs.push((font, i, i + c.len_utf8())),
            }
        }
        runs.into_iter()
            .map(|(font, s, e)| self.shape_one(font, &text[s..e], s, style))
            .collect()
    }

    /// Shape one font run; clusters are offset by `base` into the caller's text.
    fn shape_one(&self, font: usize, text: &str, base: usize, style: &Style) -> Chunk {
        let key = (font, style.size.to_bits(), base);
        let glyphs = match self.cache.set_word(key, text) {
            Some(g) => g,
            None => {
                let g = Glyphs::from(self.set_one(font, text, base, style.size));
                self.cache.insert_set(key, text, &g);
                g
            }
        };
        Chunk {
            font,
            style: style.clone(),
            glyphs,
        }
    }

    /// The glyphs of one font run at `size` pt.
    fn set_one(&self, font: usize, text: &str, base: usize, size: f32) -> Vec<Glyph> {
        let mut glyphs = Vec::new();
        if let Some(face) = self.book.face(font) {
            let shaped = self.shaped(font, face, text);
            glyphs.reserve_exact(shaped.len());
            let scale = size / face.units_per_em().max(1) as f32;
            for (k, g) in shaped.iter().enumerate() {
                let start = g.cluster as usize;
                let first = k == 0 || shaped[k - 1].cluster != g.cluster;
                let end = shaped[k..]
                    .iter()
                    .map(|s| s.cluster as usize)
                    .find(|&c| c > start)
                    .unwrap_or(text.len());
                let t = if first {
                    text.get(start..end).unwrap_or("").to_owned()
                } else {
                    String::new()
                };
                // A mark with no letter before it (a word's first character) keeps the
                // advance its font gives it: the shaper gives a mark none, and drawn
                // from the pen it would cover the next letters.
                let standalone = base + start == 0
                    && first
                    && text[start..]
                        .chars()
                        .next()
                        .is_some_and(unicode_normalization::char::is_combining_mark);
                let advance = if standalone {
                    face.glyph_hor_advance(ttf_parser::GlyphId(g.gid))
                        .map_or(g.advance as f32, f32::from)
                } else {
                    g.advance as f32
                };
                glyphs.push(Glyph {
                    gid: g.gid,
                    advance: advance * scale,
                    cluster: base + start,
                    text: t,
                });
            }
        }
        glyphs
    }

    /// Items of a paragraph made of styled pieces; `hyphenate` allows inserted hyphens.
    pub fn items(&self, pieces: &[(String, Style)], hyphenate: bool) -> Vec<Item> {
        let mut full = String::new();
        let mut spans = Vec::new();
        for (t, s) in pieces {
            spans.push((full.len(), full.len() + t.len(), s));
            full.push_str(&word_spaces(t));
        }
        let mut items = Vec::new();
        let mut prev = 0;
        // The first span that does not end before the current word. Words come in
        // order, so the spans a word meets start here: looking through all of them for
        // every word would be quadratic in a long paragraph with much inline markup.
        let mut first = 0;
        let technical = technical_ranges(&full);
        let ties = Ties::new(&self.rules.tie_words, &self.rules.tie_lang);
        for (pos, opp) in break_opportunities(&full) {
            let mandatory = matches!(opp, Some(unicode_linebreak::BreakOpportunity::Mandatory));
            if !mandatory
                && pos < full.len()
                && (inside_number_range(&full, pos)
                    || lone_letter_at_hyphen(&full, pos)
                    || full[pos..].starts_with(NO_BREAK_SPACES)
                    || hyphen_before_sign(&full, pos)
                    || full[..pos].ends_with(SOFT_HYPHEN))
            {
                // The range, or the hyphened word, stays whole: its segments are set
                // as one word. So does a word with a soft hyphen, where UAX #14 breaks
                // with nothing shown: it is hyphenated there ([`Shaper::soft_points`]).
                continue;
            }
            let seg = &full[prev..pos];
            let word_len = seg.trim_end_matches([' ', '\n', '\t', '\r']).len();
            let (wstart, wend) = (prev, prev + word_len);
            while spans.get(first).is_some_and(|sp| sp.1 <= wstart) {
                first += 1;
            }
            for &(s, e, style) in spans[first..].iter().take_while(|sp| sp.0 < wend) {
                let (a, b) = (s.max(wstart), e.min(wend));
                if a < b {
                    let kind = technical.iter().find(|r| r.0 <= a && b <= r.1).map(|r| r.2);
                    let hyphens = hyphens_in(hyphenate, style, kind);
                    self.tied_word(&full[a..b], style, hyphens, &mut items);
                }
            }
            let at_end = pos >= full.len();
            if at_end {
                break;
            }
            if mandatory {
                forced_break(&mut items);
            } else if word_len < seg.len() {
                let style = spans[first..]
                    .iter()
                    .find(|(s, e, _)| *s <= wend && wend < *e)
                    .map(|x| x.2)
                    .or_else(|| spans.last().map(|x| x.2));
                if let Some(style) = style {
                    if ties.tied(&full[..wend], &full[pos..]) {
                        // `2.5 %`, `§ 4`, `Article 5`: a space that is no break.
                        self.tie(style, &mut items);
                    } else {
                        items.push(self.space(style));
                    }
                }
            } else if word_len > 0 {
                let explicit = seg.ends_with(['-', '\u{2010}', '\u{2013}', '\u{2014}']);
                items.push(Item::Penalty {
                    width: 0.0,
                    penalty: if explicit {
                        self.rules.explicit_penalty
                    } else if opp.is_none() {
                        self.rules.hyphen_penalty
                    } else {
                        100.0
                    },
                    flagged: explicit,
                    hyphen: None,
                });
            }
            prev = pos;
        }
        forced_break(&mut items);
        items
    }

    /// A word space in `style`: glue that stretches and shrinks.
    fn space(&self, style: &Style) -> Item {
        let space = self.shape_one(self.font_for(style, ' '), " ", 0, style);
        let w = space.width();
        Item::Glue {
            width: w,
            stretch: w * 0.6,
            shrink: w * 0.35,
            space: Some(space),
        }
    }

    /// A tie in `style`: a word space behind an infinite penalty, which stretches and
    /// shrinks with the line's other spaces and is never a break (TeX's `~`).
    fn tie(&self, style: &Style, items: &mut Vec<Item>) {
        items.push(Item::Penalty {
            width: 0.0,
            penalty: INF,
            flagged: false,
            hyphen: None,
        });
        items.push(self.space(style));
    }

    /// A word fragment whose no-break spaces (U+00A0: "M.\u{A0}Dupont", a French
    /// "question\u{A0}:") are ties ([`Self::tie`]). Set inside the word instead, a
    /// no-break space kept its natural width on a justified line whose other spaces
    /// grew. The narrow U+202F ("10\u{202F}000") and the figure
    /// space U+2007 keep their width: they are set as the word's own glyphs.
    fn tied_word(&self, text: &str, style: &Style, hyphens: Hyphens, items: &mut Vec<Item>) {
        for (i, part) in text.split('\u{A0}').enumerate() {
            if i > 0 {
                self.tie(style, items);
            }
            if !part.is_empty() {
                self.word(part, style, hyphens, items);
            }
        }
    }

    fn font_for(&self, style: &Style, c: char) -> usize {
        let chain = self.book.chain(style.variant);
        chain
            .iter()
            .copied()
            .find(|&f| self.book.has(f, c))
            .or_else(|| chain.first().copied())
            .unwrap_or(0)
    }

    /// Boxes (and hyphenation penalties) of one word fragment in one style.
    fn word(&self, text: &str, style: &Style, hyphens: Hyphens, items: &mut Vec<Item>) {
        let hyphenate = hyphens != Hyphens::None;
        let key = (
            style.variant,
            style.size.to_bits(),
            self.lang.filter(|_| hyphenate),
        );
        let parts = if hyphens == Hyphens::Anywhere {
            // Addresses are few and seldom repeated: not worth a cache of their own.
            let points = address_points(text, self.rules.address_penalty);
            self.cut_at(text, style, &points).into()
        } else {
            match self.cache.cut_word(key, text) {
                Some(p) => p,
                None => {
                    let p: Arc<[Part]> = self.cut(text, style, hyphenate).into();
                    self.cache.insert_cut(key, text, &p);
                    p
                }
            }
        };
        for part in parts.iter() {
            let chunk = |glyphs: &Glyphs| Chunk {
                font: part.font,
                style: style.clone(),
                glyphs: glyphs.clone(),
            };
            items.push(Item::Box(chunk(&part.glyphs)));
            // A break's width is what the line gains when it ends there: the advance
            // the last glyph gets back (`Part::unkern`, which `body::line_runs` gives
            // it) and the hyphen.
            let unkern = part.unkern * (1.0 + style.scale);
            if part.hyphen.is_some() && matches!(hyphens, Hyphens::Hidden | Hyphens::Anywhere) {
                // Code, paths and identifiers break where their words would be
                // hyphenated but show no hyphen, which a reader would take for part of
                // them; the line ends in the invisible mark of a break after a slash
                // (`marked::join_run`).
                items.push(Item::Penalty {
                    width: unkern,
                    penalty: part.penalty,
                    flagged: false,
                    hyphen: None,
                });
            } else if let Some(h) = &part.hyphen {
                let hyphen = chunk(h);
                items.push(Item::Penalty {
                    width: unkern + hyphen.width(),
                    penalty: part.penalty,
                    flagged: true,
                    hyphen: Some(hyphen),
                });
            }
        }
    }

    /// The parts of one word fragment: its font runs, cut at the hyphenation points
    /// that fall between glyph clusters.
    fn cut(&self, text: &str, style: &Style, hyphenate: bool) -> Vec<Part> {
        let points = if hyphenate {
            self.hyphen_points(text)
        } else {
            Vec::new()
        };
        self.cut_at(text, style, &points)
    }

    /// `text` shaped and cut at `points` (byte offset, penalty), where these fall
    /// between clusters.
    fn cut_at(&self, text: &str, style: &Style, points: &[(usize, f32)]) -> Vec<Part> {
        let mut parts = Vec::new();
        for chunk in self.chunks(text, style) {
            // The glyphs from `from` on are the rest of the word, not yet cut off.
            let mut from = 0;
            for &(p, penalty) in points {
                let rest = &chunk.glyphs[from..];
                let Some(k) = rest.iter().position(|g| g.cluster >= p) else {
                    continue;
                };
                if k == 0 || rest[k].cluster != p {
                    continue;
                }
                let hyphen = self.shape_one(chunk.font, "-", 0, style);
                parts.push(Part {
                    font: chunk.font,
                    glyphs: Glyphs::from(rest[..k].to_vec()),
                    hyphen: Some(hyphen.glyphs),
                    penalty,
                    unkern: self.unkern(chunk.font, &rest[k - 1], style.size),
                });
                from += k;
            }
            let glyphs = if from == 0 {
                chunk.glyphs
            } else {
                Glyphs::from(chunk.glyphs[from..].to_vec())
            };
            parts.push(Part {
                font: chunk.font,
                glyphs,
                hyphen: None,
                penalty: INF,
                unkern: 0.0,
            });
        }
        parts
    }

    /// What the last glyph of `c` gets back at a break after it ([`Self::unkern`]),
    /// as `c` is set.
    pub fn unkern_last(&self, c: &Chunk) -> f32 {
        c.glyphs.last().map_or(0.0, |g| {
            self.unkern(c.font, g, c.style.size) * (1.0 + c.style.scale)
        })
    }

    /// The pair kerning the shaper put into `g`'s advance at `size` pt (the font's own
    /// advance less the shaped one), which a break after `g` takes out again. Nothing
    /// for a mark, whose advance the shaper sets to nothing on purpose, or for a
    /// difference no kerning pair makes (over a quarter em).
    fn unkern(&self, font: usize, g: &Glyph, size: f32) -> f32 {
        let Some(face) = self.book.face(font) else {
            return 0.0;
        };
        let id = ttf_parser::GlyphId(g.gid);
        let gdef = face.tables().gdef;
        if gdef.and_then(|t| t.glyph_class(id)) == Some(ttf_parser::gdef::GlyphClass::Mark) {
            return 0.0;
        }
        let Some(own) = face.glyph_hor_advance(id) else {
            return 0.0;
        };
        let em = face.units_per_em().max(1) as f32;
        let diff = f32::from(own) * size / em - g.advance;
        if diff.abs() > size / 4.0 {
            return 0.0;
        }
        diff
    }

    /// Byte offsets inside `text` where a hyphen may be inserted, with the penalty of
    /// a break there.
    fn hyphen_points(&self, text: &str) -> Vec<(usize, f32)> {
        let Some(lang) = self.lang else {
            return Vec::new();
        };
        let mut out = Vec::new();
        let mut start = None;
        let mut scan = text
            .char_indices()
            .chain(std::iter::once((text.len(), ' ')));
        for (i, c) in &mut scan {
            // A soft hyphen belongs to the word it is written in.
            match (start, c.is_alphabetic() || c == SOFT_HYPHEN) {
                (None, true) => start = Some(i),
                (Some(s), false) => {
                    let word = &text[s..i];
                    if word.contains(SOFT_HYPHEN) {
                        self.soft_points(word, s, lang, &mut out);
                    } else {
                        self.word_points(word, s, lang, &mut out);
                    }
                    start = None;
                }
                _ => {}
            }
        }
        out
    }
}

/// U+00AD, the author's mark of where a word may be hyphenated.
const SOFT_HYPHEN: char = '\u{00AD}';

impl Shaper<'_, '_> {
    /// Hyphenation points of one word of letters that starts at byte `s` of its text:
    /// the house's exception if it has one, else the language's patterns, keeping the
    /// house's number of letters on either side; a capitalised word (a name, mostly;
    /// not in German, which capitalises its nouns) costs the house's higher penalty.
    fn word_points(&self, word: &str, s: usize, lang: hypher::Lang, out: &mut Vec<(usize, f32)>) {
        let r = &self.rules;
        let penalty = self.penalty_of(word, lang);
        if let Some(at) = r.exceptions.get(&word.to_lowercase()) {
            let penalty = penalty.min(INF - 1.0);
            out.extend(
                exception_points(word, at, r.left, r.right)
                    .into_iter()
                    .map(|b| (s + b, penalty)),
            );
            return;
        }
        if penalty >= INF || word.chars().count() < 6.max(r.left + r.right) {
            return;
        }
        let lang = foreign_lang(word, lang);
        let mut at = s;
        for syl in hypher::hyphenate_bounded(word, lang, r.left, r.right) {
            at += syl.len();
            if at < s + word.len() {
                out.push((at, penalty));
            }
        }
    }
}

impl Shaper<'_, '_> {
    /// The penalty of a hyphen inserted in `word`: a capitalised word (a name, mostly;
    /// not in German, which capitalises its nouns) costs the house's higher penalty.
    fn penalty_of(&self, word: &str, lang: hypher::Lang) -> f32 {
        let r = &self.rules;
        // German capitalises every noun: a capital there says nothing of a name.
        let names_capitalised = lang != hypher::Lang::German;
        if names_capitalised && word.chars().next().is_some_and(char::is_uppercase) {
            r.capitalised_penalty
        } else {
            r.hyphen_penalty
        }
    }

    /// Hyphenation points of a word that holds soft hyphens (U+00AD, as word processors
    /// and PDF extracts leave them): where they are, and nowhere else. The author chose
    /// them, as TeX's `\-`, which also keeps a word from its patterns; a soft hyphen
    /// at either end of the word marks nothing. A break there shows a hyphen; elsewhere
    /// the soft hyphen shows nothing (it gets no glyph, [`Shaper::shaped`]).
    fn soft_points(&self, word: &str, s: usize, lang: hypher::Lang, out: &mut Vec<(usize, f32)>) {
        let penalty = self.penalty_of(word, lang).min(INF - 1.0);
        for (i, c) in word.char_indices() {
            let after = i + c.len_utf8();
            if c == SOFT_HYPHEN
                && word[..i].chars().any(char::is_alphabetic)
                && word[after..].chars().any(char::is_alphabetic)
            {
                out.push((s + after, penalty));
            }
        }
    }
}

/// Byte offsets in `word` where its house exception `at` (the character counts after
/// which it may break) lets it break, keeping `left` letters before and `right` after:
/// the minimums hold for the exceptions too, as TeX's `\lefthyphenmin` and
/// `\righthyphenmin` hold for its `\hyphenation` list ("geo-eco-nom-ic" is not broken
/// before "ic").
fn exception_points(word: &str, at: &[usize], left: usize, right: usize) -> Vec<usize> {
    let bytes: Vec<usize> = word.char_indices().map(|(b, _)| b).collect();
    at.iter()
        .filter(|&&n| n >= left && bytes.len().saturating_sub(n) >= right)
        .filter_map(|&n| bytes.get(n).copied())
        .collect()
}

/// The writing systems whose words [`foreign_lang`] tells apart.
#[derive(PartialEq)]
enum Script {
    Latin,
    Cyrillic,
    Greek,
    Georgian,
}

fn script_of(c: char) -> Script {
    match u32::from(c) {
        0x0370..=0x03FF | 0x1F00..=0x1FFF => Script::Greek,
        0x0400..=0x052F => Script::Cyrillic,
        0x10A0..=0x10FF | 0x1C90..=0x1CBF => Script::Georgian,
        _ => Script::Latin,
    }
}

/// The patterns for `word` in a brief hyphenated in `lang`: the brief's own when the
/// word is in its writing system, else those of a language of the word's (a Russian
/// or Greek name in an English brief): the brief's patterns know nothing of its
/// letters and would leave it whole, however long. A Latin word with a letter only
/// one language writes (among those with patterns) takes that language's patterns
/// ([`latin_lang`]): English patterns leave "Gümüşhane" and "Świętokrzyskie" whole.
fn foreign_lang(word: &str, lang: hypher::Lang) -> hypher::Lang {
    use hypher::Lang as L;
    let Some(first) = word.chars().next() else {
        return lang;
    };
    if script_of(first) == Script::Latin {
        if let Some(own) = latin_lang(word) {
            return own;
        }
    }
    let own = match lang {
        L::Greek => Script::Greek,
        L::Georgian => Script::Georgian,
        L::Belarusian | L::Bulgarian | L::Mongolian | L::Russian | L::Serbian | L::Ukrainian => {
            Script::Cyrillic
        }
        _ => Script::Latin,
    };
    let script = script_of(first);
    if script == own {
        return lang;
    }
    match script {
        Script::Latin => L::English,
        Script::Cyrillic => L::Russian,
        Script::Greek => L::Greek,
        Script::Georgian => L::Georgian,
    }
}

/// The language a Latin `word` is in when it has a letter that, among the languages
/// with hyphenation patterns, only that one writes: ı ğ ş ə (Turkish, whose patterns
/// also serve Azerbaijani, written with the same letters and ə); ł ś ź ż ń ć
/// (Polish); ř ů ě (Czech); ő ű (Hungarian); ø æ (Norwegian, for Danish too); þ ð
/// (Icelandic); ß (German); ñ (Spanish); ã (Portuguese). Letters that several
/// languages share (é, ü, ç, å, š …) tell nothing, and the brief's patterns stay.
fn latin_lang(word: &str) -> Option<hypher::Lang> {
    use hypher::Lang as L;
    // İ lower-cases to i and a combining dot, so it is matched as it is.
    word.chars()
        .find_map(|c| match c.to_lowercase().next().unwrap_or(c) {
            _ if c == '\u{0130}' => Some(L::Turkish),
            '\u{0131}' | '\u{011F}' | '\u{015F}' | '\u{0259}' => Some(L::Turkish),
            '\u{0142}' | '\u{015B}' | '\u{017A}' | '\u{017C}' | '\u{0144}' | '\u{0107}' => {
                Some(L::Polish)
            }
            '\u{0159}' | '\u{016F}' | '\u{011B}' => Some(L::Czech),
            '\u{0151}' | '\u{0171}' => Some(L::Hungarian),
            '\u{00F8}' | '\u{00E6}' => Some(L::Norwegian),
            '\u{00FE}' | '\u{00F0}' => Some(L::Icelandic),
            '\u{00DF}' => Some(L::German),
            '\u{00F1}' => Some(L::Spanish),
            '\u{00E3}' => Some(L::Portuguese),
            _ => None,
        })
}

/// Whether `items[i]` is a tie's penalty ([`Shaper::tie`]): one before a word space.
/// A line that ends there (a run of ties wider than the line, [`super::linebreak::split_wide`])
/// ends between two words, not inside one.
pub(crate) fn tie_at(items: &[Item], i: usize) -> bool {
    matches!(items.get(i), Some(Item::Penalty { .. }))
        && matches!(items.get(i + 1), Some(Item::Glue { space: Some(_), .. }))
}

/// End a line by force with its last line set ragged: as TeX's `\penalty10000
/// \hskip\parfillskip \penalty-10000`. The first penalty forbids a break at the fill
/// glue itself, or the line before a hard break would be justified.
pub(crate) fn forced_break(items: &mut Vec<Item>) {
    items.push(Item::Penalty {
        width: 0.0,
        penalty: INF,
        flagged: false,
        hyphen: None,
    });
    items.push(Item::Glue {
        width: 0.0,
        stretch: INF,
        shrink: 0.0,
        space: None,
    });
    items.push(Item::Penalty {
        width: 0.0,
        penalty: -INF,
        flagged: false,
        hyphen: None,
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use hypher::Lang as L;

    /// The token as it would be cut at every break [`inner_breaks`] offers.
    fn cut_at_inner_breaks(text: &str) -> Vec<&str> {
        let mut out = Vec::new();
        let mut prev = 0;
        for at in inner_breaks(text) {
            out.push(&text[prev..at]);
            prev = at;
        }
        out.push(&text[prev..]);
        out
    }

    #[test]
    fn no_break_between_a_hyphen_and_a_sign() {
        let at =
            |t: &str, after: &str| hyphen_before_sign(t, t.find(after).unwrap_or(0) + after.len());
        assert!(at("China -> Tajikistan", "-"));
        assert!(at("pre-(war) plans", "pre-"));
        assert!(!at("the Russia-EU talks", "Russia-"));
        assert!(!at("high-level", "high-"));
        assert!(!at("a high- and low-level", "high-"));
        assert!(!at("Россия-ЕС", "Россия-"));
    }

    #[test]
    fn no_break_leaves_one_letter_at_a_hyphen() {
        let at = |t: &str, after: &str| {
            lone_letter_at_hyphen(t, t.find(after).unwrap_or(0) + after.len())
        };
        assert!(at("an e-mail", "e-"));
        assert!(at("ajoute-t-il", "ajoute-t-"));
        assert!(at("vas-y donc", "vas-"));
        assert!(!at("ajoute-t-il", "ajoute-"));
        assert!(!at("the Russia-EU talks", "Russia-"));
        assert!(!at("peut-être", "peut-"));
        assert!(!at("2013\u{2013}2018", "2013\u{2013}"));
    }

    #[test]
    fn exceptions_keep_the_house_minimums() {
        // "geo-eco-nom-ic": after 3, 6 and 9 letters; the last would leave "ic".
        assert_eq!(exception_points("geoeconomic", &[3, 6, 9], 2, 3), [3, 6]);
        assert_eq!(exception_points("Geoeconomic", &[3, 6, 9], 2, 2), [3, 6, 9]);
        // "Ka-zakh-stan" with a left minimum of 3 loses "Ka-".
        assert_eq!(exception_points("Kazakhstan", &[2, 7], 3, 3), [7]);
        // Byte offsets, for letters of two bytes: "Łó-dzkie".
        assert_eq!(exception_points("Łódzkie", &[2], 2, 3), ["Łó".len()]);
    }

    #[test]
    fn addresses_paths_and_identifiers_are_told_from_prose() {
        let kinds = |t: &'static str| -> Vec<(&'static str, Token)> {
            technical_ranges(t)
                .into_iter()
                .map(|(a, b, k)| (&t[a..b], k))
                .collect()
        };
        assert_eq!(
            kinds("see https://x.org/a, www.y.org and a@b.org on economic/political ties"),
            [
                ("https://x.org/a,", Token::Address),
                ("www.y.org", Token::Address),
                ("a@b.org", Token::Address)
            ]
        );
        assert_eq!(
            kinds("(\u{201C}/methods/discover/\u{201D} src/garden/mod.rs read_line #anchor and/or"),
            [
                ("(\u{201C}/methods/discover/\u{201D}", Token::Technical),
                ("src/garden/mod.rs", Token::Technical),
                ("read_line", Token::Technical),
                ("#anchor", Token::Technical)
            ]
        );
        // A qualified name (rust-lang/rfcs 3550 in running text): "RangeIn-clusive"
        // read as part of the name. A colon in prose ("Note: see") is not one.
        assert_eq!(
            kinds("std::range::RangeInclusive, Note: see"),
            [("std::range::RangeInclusive,", Token::Technical)]
        );
    }

    /// An address breaks between letters with two on either side, not between two
    /// digits, next to its punctuation or in its scheme.
    #[test]
    fn addresses_break_between_letters_not_in_numbers_punctuation_or_scheme() {
        let cut = |t: &str| -> Vec<String> {
            let points = address_points(t, 1.0);
            let mut at = 0;
            let mut out = Vec::new();
            for (p, _) in points {
                out.push(t[at..p].to_owned());
                at = p;
            }
            out.push(t[at..].to_owned());
            out
        };
        assert_eq!(cut("revised?"), ["re", "v", "i", "s", "ed?"]);
        assert_eq!(cut("2024/"), ["2024/"]);
        assert_eq!(cut("ab12cd"), ["ab", "12", "cd"]);
        assert_eq!(cut("https://"), ["https://"]);
        assert_eq!(cut("mailto:abcde@x"), ["mailto:ab", "c", "de@x"]);
        assert_eq!(cut("élan"), ["él", "an"]);
    }

    #[test]
    fn long_tokens_break_at_their_punctuation_short_words_never() {
        assert_eq!(
            cut_at_inner_breaks("--from=markdown+wikilinks_title_after_pipe"),
            [
                "--from=",
                "markdown+",
                "wikilinks_",
                "title_",
                "after_",
                "pipe"
            ]
        );
        assert_eq!(
            cut_at_inner_breaks("(jgm@berkeley.example.edu)."),
            ["(jgm", "@berkeley", ".example", ".edu)."]
        );
        assert_eq!(
            cut_at_inner_breaks("\\includegraphics[width=0.5\\textwidth]"),
            ["\\includegraphics", "[width=", "0.5", "\\textwidth]"]
        );
        // Short tokens, numbers and prose stay whole.
        for whole in [
            "e.g.",
            "U.S.-led",
            "and/or",
            "1,234,567,890.12",
            "counterterrorism,",
        ] {
            assert_eq!(cut_at_inner_breaks(whole), [whole]);
        }
    }

    #[test]
    fn a_word_takes_the_patterns_of_its_script_or_its_letters() {
        // The brief's own language for a word of its script without telling letters.
        assert_eq!(foreign_lang("Sakartvelo", L::English), L::English);
        assert_eq!(foreign_lang("Çanakkale", L::English), L::English);
        assert_eq!(foreign_lang("Москва", L::Russian), L::Russian);
        // Another script: a language of that script.
        assert_eq!(foreign_lang("Москва", L::English), L::Russian);
        assert_eq!(foreign_lang("Δημοκρατία", L::English), L::Greek);
        assert_eq!(foreign_lang("საქართველო", L::English), L::Georgian);
        assert_eq!(foreign_lang("Officials", L::Russian), L::English);
        // A Latin letter only one language writes.
        assert_eq!(foreign_lang("Gümüşhane", L::English), L::Turkish);
        assert_eq!(foreign_lang("İstanbul", L::English), L::Turkish);
        assert_eq!(foreign_lang("Azərbaycan", L::English), L::Turkish);
        assert_eq!(foreign_lang("Świętokrzyskie", L::English), L::Polish);
        assert_eq!(foreign_lang("Tromsø", L::German), L::Norwegian);
        assert_eq!(foreign_lang("Þingvellir", L::English), L::Icelandic);
        assert_eq!(foreign_lang("Straße", L::French), L::German);
        // Where the patterns differ, the break points do.
        let breaks = |w: &str, l| hypher::hyphenate_bounded(w, l, 2, 3).count();
        assert_eq!(breaks("Gümüşhane", L::English), 1);
        assert!(breaks("Gümüşhane", foreign_lang("Gümüşhane", L::English)) > 1);
    }

    /// A word shaped whole and cut: the part before the cut gets back, at a break,
    /// the kerning its last glyph had against the letter after the cut ("contr|act":
    /// the r against the a), so that it ends where the same letters shaped alone end.
    #[test]
    fn a_cut_gives_the_last_glyph_back_its_kerning() -> crate::error::Result<()> {
        let house = crate::house::builtin()?;
        let book = FontBook::new(&house);
        let shaper = Shaper::new(&book, "en", true, &house.style.typeset);
        let style = Style::serif(10.0, Rgb(0, 0, 0));
        let width = |g: &Glyphs| g.iter().map(|g| g.advance).sum::<f32>();
        for (word, cut) in [("contract", 5), ("Tajikistan", 2), ("Moscow", 3)] {
            let parts = shaper.cut_at(word, &style, &[(cut, 50.0)]);
            assert_eq!(parts.len(), 2, "{word}: {parts:?}");
            let alone = shaper.shape_one(parts[0].font, &word[..cut], 0, &style);
            let broken = width(&parts[0].glyphs) + parts[0].unkern;
            assert!(
                (broken - width(&alone.glyphs)).abs() < 0.001,
                "{word}: {broken} against {} shaped alone",
                width(&alone.glyphs)
            );
            assert_eq!(parts[1].unkern, 0.0);
        }
        // The r of "contract" is kerned against the a: something is given back.
        let parts = shaper.cut_at("contract", &style, &[(5, 50.0)]);
        assert!(parts[0].unkern > 0.05, "{:?}", parts[0].unkern);
        Ok(())
    }
}
