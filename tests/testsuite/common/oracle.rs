//! A second reading of a brief's content, apart from `src/content.rs` and `src/parse/`:
//! the words every edition must carry, worked out from the source file and
//! `branding/house.toml` by the rule the README states ("What 'the same content'
//! means"), written out again here. The Markdown is read as pulldown-cmark's plain
//! event stream, the front matter as YAML into this file's own struct, the house file
//! as TOML values. The word-for-word tests compare the editions with this, so a bug in
//! the content model or the parser cannot pass by agreeing with itself.

use std::collections::BTreeMap;
use std::path::Path;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use unicode_normalization::UnicodeNormalization;

#[derive(serde::Deserialize)]
struct Front {
    title: String,
    subtitle: Option<String>,
    region: String,
    date: String,
    lang: Option<String>,
    authors: Vec<Author>,
}

#[derive(serde::Deserialize)]
struct Author {
    name: String,
    bio: Option<String>,
}

/// The house values content depends on: masthead lines and two labels.
pub struct HouseWords {
    pub masthead: Vec<String>,
    pub figure: String,
    pub notes: String,
}

/// Read them from a house file (TOML values, not the crate's typed config).
pub fn house_words(house_toml: &Path) -> HouseWords {
    let text = std::fs::read_to_string(house_toml).expect("house.toml");
    let v: toml::Table = toml::from_str(&text).expect("house.toml parses");
    let lines = v["organisation"]["lines"]
        .as_array()
        .expect("organisation.lines")
        .iter()
        .map(|l| l.as_str().expect("a line").to_owned())
        .collect();
    let label = |k: &str| v["labels"][k].as_str().expect("label").to_owned();
    HouseWords {
        masthead: lines,
        figure: label("figure"),
        notes: label("notes"),
    }
}

/// The built-in house: `branding/house.toml` of the repository.
pub fn builtin_house() -> HouseWords {
    house_words(&Path::new(env!("CARGO_MANIFEST_DIR")).join("branding/house.toml"))
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// "November 2016" or "15 March 2024" (English; the fixtures are all English).
fn date_display(date: &str, lang: &str) -> String {
    assert!(
        lang == "en" || lang.starts_with("en-"),
        "the oracle knows English month names only, not {lang}"
    );
    let parts: Vec<u32> = date
        .split('-')
        .map(|p| p.parse().expect("date digits"))
        .collect();
    let month = MONTHS[parts[1] as usize - 1];
    match parts.get(2) {
        Some(d) => format!("{d} {month} {}", parts[0]),
        None => format!("{month} {}", parts[0]),
    }
}

/// The content words of the brief at `source` under `house`, in reading order.
pub fn words(source: &Path, house: &HouseWords) -> Vec<String> {
    let text = std::fs::read_to_string(source).expect("source");
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(&text);
    let rest = text.strip_prefix("---\n").expect("front matter opens");
    let end = rest.find("\n---\n").expect("front matter closes");
    let front: Front = serde_saphyr::from_str(&rest[..end]).expect("front matter");
    let body = &rest[end + 5..];

    // Content: masthead, REGION, date, title, subtitle, author names, body, notes,
    // "Name – bio" lines.
    let mut out = String::new();
    let mut push = |s: &str| {
        out.push_str(s);
        out.push('\n');
    };
    for l in &house.masthead {
        push(l);
    }
    push(&capitals(
        &front.region,
        front.lang.as_deref().unwrap_or("en"),
    ));
    push(&date_display(
        front.date.trim(),
        front.lang.as_deref().unwrap_or("en"),
    ));
    push(&front.title);
    if let Some(s) = &front.subtitle {
        push(s);
    }
    for a in &front.authors {
        push(&a.name);
    }
    push(&body_text(body, house));
    for a in &front.authors {
        if let Some(bio) = &a.bio {
            push(&format!("{} \u{2013} {bio}", a.name));
        }
    }
    split(&out)
}

/// The body's words in reading order, then the notes heading and the notes in order
/// of first reference. Without math: a brief with a formula is refused, and dollar
/// signs of amounts are text. Block starts and ends separate words; inline markup, note
/// references and link targets add nothing; an image becomes "Figure N. alt".
fn body_text(body: &str, house: &HouseWords) -> String {
    let opts = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_STRIKETHROUGH;
    let mut main = String::new();
    let mut notes: BTreeMap<String, String> = BTreeMap::new();
    let mut order: Vec<String> = Vec::new();
    // The note being defined, if any; its text goes apart from the body's.
    let mut in_note: Option<String> = None;
    let mut figures = 0;
    // Smart punctuation outside written links, as (shown, typed), each standing in the
    // text as a private-use character until `as_typed_in_addresses` resolves it.
    let mut smart: Vec<(String, String)> = Vec::new();
    let mut in_link = 0;
    let mut events = Parser::new_ext(body, opts).into_offset_iter();
    while let Some((e, at)) = events.next() {
        let sink = match &in_note {
            Some(l) => notes.entry(l.clone()).or_default(),
            None => &mut main,
        };
        match e {
            Event::Start(Tag::Link { .. }) => in_link += 1,
            Event::End(TagEnd::Link) => in_link -= 1,
            Event::Text(t) if in_link == 0 && is_smart(&t, &body[at.clone()]) => {
                let mark = char::from_u32(0xF0000 + smart.len() as u32).expect("private use");
                smart.push((t.to_string(), body[at].to_owned()));
                sink.push(mark);
            }
            Event::Text(t) | Event::Code(t) => sink.push_str(&t),
            Event::SoftBreak | Event::HardBreak => sink.push(' '),
            Event::FootnoteReference(l) => {
                if !order.iter().any(|o| *o == *l) {
                    order.push(l.to_string());
                }
            }
            Event::Start(Tag::FootnoteDefinition(l)) => in_note = Some(l.to_string()),
            Event::End(TagEnd::FootnoteDefinition) => in_note = None,
            Event::Start(Tag::Image { .. }) => {
                figures += 1;
                let mut alt = String::new();
                for (e, _) in events.by_ref() {
                    match e {
                        Event::End(TagEnd::Image) => break,
                        Event::Text(t) | Event::Code(t) => alt.push_str(&t),
                        Event::SoftBreak | Event::HardBreak => alt.push(' '),
                        _ => {}
                    }
                }
                sink.push_str(&format!(" {} {figures}. {alt} ", house.figure));
            }
            Event::Start(t) if !inline(&t) => sink.push('\n'),
            Event::End(t) if !inline_end(&t) => sink.push('\n'),
            Event::Start(_) | Event::End(_) | Event::Rule => {}
            other => panic!("the oracle reads no {other:?} (the brief should be refused)"),
        }
    }
    if !order.is_empty() {
        main.push_str(&format!("\n{}\n", house.notes));
        for l in order {
            main.push_str(notes.get(&l).map_or("", String::as_str));
            main.push('\n');
        }
    }
    as_typed_in_addresses(&main, &smart)
}

/// `text` in capitals as its language writes them (the README's rule): Turkish and
/// Azerbaijani dotted i is İ; Greek capitals keep no accent but the diaeresis.
fn capitals(text: &str, lang: &str) -> String {
    let lang = lang.to_lowercase();
    let primary = lang.split(['-', '_']).next().unwrap_or("");
    let text: String = match primary {
        "tr" | "az" => text.replace('i', "\u{130}"),
        "el" => text
            .nfd()
            .filter(|&c| !('\u{300}'..='\u{36F}').contains(&c) || c == '\u{308}')
            .nfc()
            .collect(),
        _ => text.to_owned(),
    };
    text.to_uppercase()
}

/// Whether pulldown-cmark's smart punctuation made `shown` of the source `typed`.
fn is_smart(shown: &str, typed: &str) -> bool {
    shown != typed
        && [
            "\u{2018}", "\u{2019}", "\u{201C}", "\u{201D}", "\u{2013}", "\u{2014}", "\u{2026}",
        ]
        .contains(&shown)
}

/// The README's rule for bare addresses: inside one (from `http://`, `https://` or
/// `www.` to its end, less the punctuation that ends a sentence after it) what smart
/// punctuation changed is as typed; elsewhere it is as shown.
fn as_typed_in_addresses(text: &str, smart: &[(String, String)]) -> String {
    let mark = |c: char| {
        (u32::from(c))
            .checked_sub(0xF0000)
            .and_then(|i| smart.get(i as usize))
    };
    let shown = |c: char| mark(c).map_or(c.to_string(), |(s, _)| s.clone());
    let mut out = String::with_capacity(text.len());
    let mut word: Vec<char> = Vec::new();
    let flush = |word: &mut Vec<char>, out: &mut String| {
        let plain: String = word.iter().map(|&c| shown(c)).collect::<Vec<_>>().concat();
        // Where the address starts, in characters of `word` (each mark is one).
        let start = ["https://", "http://", "www."].iter().find_map(|p| {
            let at = plain.find(p)?;
            let before = plain[..at].chars().next_back();
            (!before.is_some_and(|b| b.is_alphanumeric())).then(|| {
                let mut shown_len = 0;
                word.iter()
                    .position(|&c| {
                        let hit = shown_len >= at;
                        shown_len += shown(c).len();
                        hit
                    })
                    .unwrap_or(word.len())
            })
        });
        let mut end = word.len();
        if let Some(start) = start {
            while end > start {
                let last = shown(word[end - 1]);
                let closes = last == ")" && {
                    let inside: String = word[start..end].iter().map(|&c| shown(c)).collect();
                    inside.matches(')').count() > inside.matches('(').count()
                };
                if [
                    ".", ",", ":", ";", "!", "?", "\u{2026}", "\u{2019}", "\u{201D}", "'", "\"",
                ]
                .contains(&last.as_str())
                    || closes
                {
                    end -= 1;
                } else {
                    break;
                }
            }
        }
        for (i, &c) in word.iter().enumerate() {
            match (mark(c), start) {
                (Some((_, typed)), Some(s)) if i >= s && i < end => out.push_str(typed),
                _ => out.push_str(&shown(c)),
            }
        }
        word.clear();
    };
    for c in text.chars() {
        if c.is_whitespace() {
            flush(&mut word, &mut out);
            out.push(c);
        } else {
            word.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

fn inline(t: &Tag<'_>) -> bool {
    matches!(t, Tag::Emphasis | Tag::Strong | Tag::Link { .. })
}

fn inline_end(t: &TagEnd) -> bool {
    matches!(t, TagEnd::Emphasis | TagEnd::Strong | TagEnd::Link)
}

/// Words after the README's normalisation: default-ignorable characters (Unicode's
/// `Default_Ignorable_Code_Point`: soft hyphen, zero-width characters, joiners, bidi
/// controls, variation selectors …) dropped, then NFC, ligatures expanded, any white
/// space a separator.
pub fn split(text: &str) -> Vec<String> {
    let ignorable = |c: char| {
        matches!(u32::from(c), 0xAD | 0x34F | 0x61C | 0x115F..=0x1160 | 0x17B4..=0x17B5
            | 0x180B..=0x180F | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x206F | 0x3164
            | 0xFE00..=0xFE0F | 0xFEFF | 0xFFA0 | 0xFFF0..=0xFFF8 | 0x1BCA0..=0x1BCA3
            | 0x1D173..=0x1D17A | 0xE0000..=0xE0FFF)
    };
    let visible: String = text.chars().filter(|&c| !ignorable(c)).collect();
    let mut s = String::new();
    for c in visible.nfc() {
        match c {
            '\u{FB00}' => s.push_str("ff"),
            '\u{FB01}' => s.push_str("fi"),
            '\u{FB02}' => s.push_str("fl"),
            '\u{FB03}' => s.push_str("ffi"),
            '\u{FB04}' => s.push_str("ffl"),
            '\u{FB05}' | '\u{FB06}' => s.push_str("st"),
            c => s.push(c),
        }
    }
    s.split_whitespace().map(str::to_owned).collect()
}
