//! The tamper corpus of issue 14: EPUB and text editions whose visible words differ from
//! the source, though their words as read may not. Each case starts from a fresh real
//! build of a fixture (manifest removed, so only content is judged), changes it the way
//! an attacker would (unzip, edit, re-zip with the `zip` crate) and must make `check`
//! exit 3 naming the construct and its place. The rewrite corpus (re-zipped EPUBs, text
//! with other line endings or wrapping) must still pass.

use crate::common::{self, fixture, Run, Sandbox};

use std::io::{Read, Write};

/// The entries of an EPUB, in archive order.
type Entries = Vec<(String, Vec<u8>)>;

/// A sandbox with a fresh build of `case`'s EPUB and text edition, manifest removed.
struct Built {
    sb: Sandbox,
    slug: String,
}

impl Built {
    fn new(case: &str) -> Built {
        Built::with_env(case, &[])
    }

    fn with_env(case: &str, env: &[(&str, &str)]) -> Built {
        let sb = Sandbox::new();
        let src = fixture(case);
        let slug = src
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .expect("slug");
        sb.copy(&src, &format!("source/{slug}.md"));
        for asset in ["chart.png", "photo.jpg"] {
            let p = common::root().join("tests/fixtures/constructs").join(asset);
            sb.copy(&p, &format!("source/{asset}"));
        }
        sb.run_env(&["build", "--format", "epub,txt"], env)
            .expect_code(0);
        std::fs::remove_file(sb.path(&format!("dist/{slug}.manifest.json"))).expect("rm manifest");
        Built { sb, slug }
    }

    fn path(&self, ext: &str) -> std::path::PathBuf {
        self.sb.path(&format!("dist/{}.{ext}", self.slug))
    }

    fn epub(&self) -> Entries {
        unzip(&std::fs::read(self.path("epub")).expect("epub"))
    }

    fn txt(&self) -> String {
        std::fs::read_to_string(self.path("txt")).expect("txt")
    }

    /// Check with the EPUB replaced by `bytes` (the text edition by `txt`), then put
    /// the originals back.
    fn check_with(&self, ext: &str, bytes: &[u8]) -> Run {
        let path = self.path(ext);
        let good = std::fs::read(&path).expect("edition");
        std::fs::write(&path, bytes).expect("tamper");
        let run = self.sb.run(&["check"]);
        std::fs::write(&path, good).expect("restore");
        run
    }
}

fn unzip(bytes: &[u8]) -> Entries {
    let mut a = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("zip");
    (0..a.len())
        .map(|i| {
            let mut f = a.by_index(i).expect("entry");
            let mut v = Vec::new();
            f.read_to_end(&mut v).expect("read");
            (f.name().to_owned(), v)
        })
        .collect()
}

/// A zip of `entries` in order; `stored` keeps every entry uncompressed, else all are
/// deflated (the `mimetype` too, which readers accept and the spec frowns on).
fn zip_of(entries: &[(String, Vec<u8>)], stored: bool) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let method = if stored {
        zip::CompressionMethod::Stored
    } else {
        zip::CompressionMethod::Deflated
    };
    let o = zip::write::SimpleFileOptions::default().compression_method(method);
    for (name, bytes) in entries {
        if name.ends_with('/') {
            w.add_directory(name.as_str(), o).expect("dir");
        } else {
            w.start_file(name.as_str(), o).expect("start");
            w.write_all(bytes).expect("write");
        }
    }
    w.finish().expect("finish").into_inner()
}

/// Entry `name` as text.
fn text(e: &Entries, name: &str) -> String {
    e.iter()
        .find(|(n, _)| n == name)
        .map(|(_, b)| String::from_utf8(b.clone()).expect("utf8"))
        .unwrap_or_else(|| panic!("no entry {name}"))
}

/// Replace entry `name` (added at the end when missing).
fn put(e: &mut Entries, name: &str, bytes: impl Into<Vec<u8>>) {
    let bytes = bytes.into();
    match e.iter_mut().find(|(n, _)| n == name) {
        Some(entry) => entry.1 = bytes,
        None => e.push((name.to_owned(), bytes)),
    }
}

/// Edit entry `name` as text; the edit must change it.
fn edit(e: &mut Entries, name: &str, f: impl FnOnce(&str) -> String) {
    let old = text(e, name);
    let new = f(&old);
    assert_ne!(old, new, "the edit of {name} changed nothing");
    put(e, name, new);
}

/// `s` with the first `from` replaced, which must be there.
fn swap(s: &str, from: &str, to: &str) -> String {
    assert!(s.contains(from), "{from:?} not found");
    s.replacen(from, to, 1)
}

const BRIEF: &str = "EPUB/brief.xhtml";
const CSS: &str = "EPUB/css/brief.css";
const OPF: &str = "EPUB/package.opf";

/// Append a rule to the stylesheet.
fn css_rule(rule: &'static str) -> impl Fn(&mut Entries) {
    move |e| edit(e, CSS, |s| format!("{s}{rule}\n"))
}

/// A font like `font` whose `cmap` maps each of its characters to the same glyph,
/// except `from`, drawn with the glyph of `to` (format 4, one segment each).
fn font_drawing(font: &[u8], from: char, to: char) -> Vec<u8> {
    let face = ttf_parser::Face::parse(font, 0).expect("font");
    let mut chars = Vec::new();
    for sub in face.tables().cmap.expect("cmap").subtables {
        if sub.is_unicode() {
            sub.codepoints(|c| chars.push(c));
        }
    }
    chars.sort_unstable();
    chars.dedup();
    let gid = |c: char| face.glyph_index(c).expect("glyph").0;
    let map: Vec<(u16, u16)> = chars
        .iter()
        .filter_map(|&c| char::from_u32(c).filter(|c| (*c as u32) < 0xFFFF))
        .map(|c| (c as u16, gid(if c == from { to } else { c })))
        .collect();
    let put16 = |v: &mut Vec<u8>, x: u16| v.extend_from_slice(&x.to_be_bytes());
    let mut segs = map;
    segs.push((0xFFFF, 0));
    let n = segs.len() as u16;
    let mut cmap = Vec::new();
    for v in [0, 1, 3, 1, 0, 12, 4, 16 + 8 * n, 0, 2 * n, 2, 0, 0] {
        put16(&mut cmap, v);
    }
    segs.iter().for_each(|s| put16(&mut cmap, s.0));
    put16(&mut cmap, 0);
    segs.iter().for_each(|s| put16(&mut cmap, s.0));
    segs.iter()
        .for_each(|s| put16(&mut cmap, s.1.wrapping_sub(s.0)));
    segs.iter().for_each(|_| put16(&mut cmap, 0));
    // The new table goes at the end; only its directory record changes.
    let mut out = font.to_vec();
    out.resize(out.len().next_multiple_of(4), 0);
    let at = out.len() as u32;
    out.extend_from_slice(&cmap);
    for i in 0..usize::from(u16::from_be_bytes([font[4], font[5]])) {
        let rec = 12 + 16 * i;
        if &font[rec..rec + 4] == b"cmap" {
            out[rec + 8..rec + 12].copy_from_slice(&at.to_be_bytes());
            out[rec + 12..rec + 16].copy_from_slice(&(cmap.len() as u32).to_be_bytes());
        }
    }
    out
}

const SVG_WITH_TEXT: &str = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"100\" \
    height=\"20\"><text x=\"0\" y=\"15\">Words nobody checked</text></svg>";

/// A hidden spine document and its manifest and spine entries.
fn add_spine_item(e: &mut Entries, href: &str, media: &str, bytes: &str, linear: &str) {
    put(e, &format!("EPUB/{href}"), bytes);
    edit(e, OPF, |s| {
        let s = swap(
            s,
            "</manifest>",
            &format!("<item id=\"extra\" href=\"{href}\" media-type=\"{media}\"/>\n</manifest>"),
        );
        swap(
            &s,
            "</spine>",
            &format!("<itemref idref=\"extra\"{linear}/>\n</spine>"),
        )
    });
}

/// An EPUB case: a name, the edit, and what the report must name.
type EpubCase = (&'static str, Box<dyn Fn(&mut Entries)>, &'static str);

/// The EPUB cases in the stylesheet and the fonts (and, through the others, all).
fn epub_cases() -> Vec<EpubCase> {
    let mut all: Vec<EpubCase> = vec![
        ("css display:none", Box::new(css_rule("main > p:first-child { display: none; }")), "display:none"),
        ("css visibility", Box::new(css_rule("h2 { visibility: hidden; }")), "visibility"),
        ("css font-size 0", Box::new(css_rule("blockquote p { font-size: 0; }")), "font size (0)"),
        (
            "text coloured like the background",
            Box::new(|e: &mut Entries| {
                edit(e, CSS, |s| {
                    s.lines()
                        .map(|l| if l.starts_with("html {") { "html { color: #ffffff; }" } else { l })
                        .collect::<Vec<_>>()
                        .join("\n")
                })
            }),
            "text colour (#ffffff",
        ),
        ("css ::before content", Box::new(css_rule("h1::before { content: \"Not \"; }")), "generated text (content)"),
        ("css ::after content", Box::new(css_rule("h2::after { content: \" (retracted)\"; }")), "::before/::after"),
        ("css flex order", Box::new(css_rule(".band .date { order: -1; }")), "flex order"),
        (
            "css bidi-override",
            Box::new(css_rule("blockquote p { unicode-bidi: bidi-override; direction: rtl; }")),
            "bidi override (unicode-bidi)",
        ),
        (
            "css @font-face",
            Box::new(|e: &mut Entries| {
                let font = text_bytes(e, "EPUB/fonts/NotoSerif-Regular.ttf");
                put(e, "EPUB/fonts/Other.ttf", font);
                css_rule("@font-face { font-family: \"House Serif\"; src: url(\"../fonts/Other.ttf\"); }")(e);
            }),
            "@font-face",
        ),
        (
            "font cmap draws other digits",
            Box::new(|e: &mut Entries| {
                let name = "EPUB/fonts/NotoSerif-Regular.ttf";
                let font = font_drawing(&text_bytes(e, name), '3', '8');
                put(e, name, font);
            }),
            "its cmap draws '3' (U+0033) with another glyph than the house font's (the glyph of '8'",
        ),
    ];
    all.extend(markup_cases());
    all.extend(structure_cases());
    all.extend(package_cases());
    all.extend(metadata_cases());
    all
}

/// The EPUB cases in the content documents' markup.
fn markup_cases() -> Vec<EpubCase> {
    vec![
        (
            "inline style",
            Box::new(|e: &mut Entries| {
                edit(e, BRIEF, |s| {
                    swap(s, "<p>Maritime", "<p style=\"color: #fff\">Maritime")
                })
            }),
            "inline style (style=…)",
        ),
        (
            "hidden attribute",
            Box::new(|e: &mut Entries| {
                edit(e, BRIEF, |s| {
                    swap(
                        s,
                        "<p>The chart above",
                        "<p hidden=\"hidden\">The chart above",
                    )
                })
            }),
            "the hidden attribute",
        ),
        (
            "bdo element",
            Box::new(|e: &mut Entries| {
                edit(e, BRIEF, |s| {
                    swap(s, "<p>The measures proposed are, in order of cost:</p>",
                        "<p><bdo dir=\"rtl\">The measures proposed are, in order of cost:</bdo></p>")
                })
            }),
            "bidi override (<bdo>)",
        ),
        (
            "extra words marked aria-hidden",
            Box::new(|e: &mut Entries| {
                edit(e, BRIEF, |s| {
                    swap(
                        s,
                        "The chart above",
                        "The chart <span aria-hidden=\"true\">never</span> above",
                    )
                })
            }),
            "aria-hidden",
        ),
        (
            "extra words inside a noteref",
            Box::new(|e: &mut Entries| {
                edit(e, BRIEF, |s| {
                    swap(
                        s,
                        ">1</a> Its purpose",
                        ">1 and nothing else</a> Its purpose",
                    )
                })
            }),
            "inside a note reference marker",
        ),
        (
            "extra words inside a back-link",
            Box::new(|e: &mut Entries| {
                // The second back-link of note 1, whatever attributes it carries.
                edit(e, BRIEF, |s| {
                    let at = s.find("class=\"note-back\"").expect("a second back-link");
                    let end = at + s[at..].find(">2</a>").expect("its number");
                    format!("{}>2 (withdrawn)</a>{}", &s[..end], &s[end + 6..])
                })
            }),
            "role=\"doc-backlink\"",
        ),
    ]
}

/// The EPUB cases in the body's structure and its stylesheets.
fn structure_cases() -> Vec<EpubCase> {
    vec![
        (
            "a nav in the body",
            Box::new(|e: &mut Entries| {
                edit(e, BRIEF, |s| {
                    swap(s, "<hr/>", "<hr/><nav><p>Words the reader skips</p></nav>")
                })
            }),
            "a <nav> in the body",
        ),
        (
            "an embedded stylesheet",
            Box::new(|e: &mut Entries| {
                edit(e, BRIEF, |s| {
                    swap(s, "</head>", "<style>h2 { display: none; }</style></head>")
                })
            }),
            "an embedded stylesheet",
        ),
        (
            "another stylesheet",
            Box::new(|e: &mut Entries| {
                put(e, "EPUB/css/extra.css", "h2 { display: none; }");
                edit(e, BRIEF, |s| {
                    swap(
                        s,
                        "</head>",
                        "<link rel=\"stylesheet\" href=\"css/extra.css\"/></head>",
                    )
                });
            }),
            "a link to another stylesheet",
        ),
        (
            "a class the stylesheet styles otherwise",
            Box::new(|e: &mut Entries| {
                edit(e, BRIEF, |s| {
                    swap(s, "<p class=\"subtitle\">", "<p class=\"note-marks\">")
                })
            }),
            "class=\"note-marks\"",
        ),
    ]
}

/// The EPUB cases in the package's spine and images.
fn package_cases() -> Vec<EpubCase> {
    vec![
        (
            "a spine item linear=no",
            Box::new(|e: &mut Entries| {
                let doc = swap(
                    &text(e, "EPUB/cover.xhtml"),
                    "<body",
                    "<body><p>An appendix nobody checked</p><div",
                );
                let doc = swap(&doc, "</body>", "</div></body>");
                add_spine_item(
                    e,
                    "extra.xhtml",
                    "application/xhtml+xml",
                    &doc,
                    " linear=\"no\"",
                );
            }),
            "linear=\"no\"",
        ),
        (
            "an SVG spine item",
            Box::new(|e: &mut Entries| {
                add_spine_item(e, "extra.svg", "image/svg+xml", SVG_WITH_TEXT, "")
            }),
            "an SVG image the house EPUB does not have",
        ),
        (
            "text in the cover SVG",
            Box::new(|e: &mut Entries| {
                edit(e, "EPUB/images/cover.svg", |s| {
                    swap(
                        s,
                        "</svg>",
                        "<text x=\"60\" y=\"900\">Withdrawn</text></svg>",
                    )
                })
            }),
            "SVG text (<text>)",
        ),
        (
            "an SVG image referenced by an img",
            Box::new(|e: &mut Entries| {
                put(e, "EPUB/images/figure-1.svg", SVG_WITH_TEXT);
                edit(e, BRIEF, |s| {
                    swap(
                        s,
                        "src=\"images/figure-1.png\"",
                        "src=\"images/figure-1.svg\"",
                    )
                });
            }),
            "src=\"images/figure-1.svg\"",
        ),
    ]
}

/// The EPUB cases in the navigation and the package metadata; and a homoglyph.
fn metadata_cases() -> Vec<EpubCase> {
    vec![
        (
            "only the nav changed",
            Box::new(|e: &mut Entries| {
                edit(e, "EPUB/nav.xhtml", |s| {
                    swap(s, "Why a test brief", "Why we were right")
                })
            }),
            "the navigation",
        ),
        (
            "only the OPF title changed",
            Box::new(|e: &mut Entries| {
                edit(e, OPF, |s| {
                    swap(
                        s,
                        "<dc:title id=\"title\">Every construct",
                        "<dc:title id=\"title\">No construct",
                    )
                })
            }),
            "the package metadata's title (dc:title)",
        ),
        (
            "the OPF creator changed",
            Box::new(|e: &mut Entries| {
                edit(e, OPF, |s| {
                    swap(s, ">Ada Example</dc:creator>", ">Eve Example</dc:creator>")
                })
            }),
            "creator (dc:creator)",
        ),
        (
            "the OPF date changed",
            Box::new(|e: &mut Entries| {
                edit(e, OPF, |s| {
                    swap(s, "<dc:date>2024-03-15", "<dc:date>2023-03-15")
                })
            }),
            "date (dc:date)",
        ),
        (
            "the OPF language changed",
            Box::new(|e: &mut Entries| {
                edit(e, OPF, |s| swap(s, "<dc:language>en<", "<dc:language>fr<"))
            }),
            "language (dc:language)",
        ),
        (
            "the OPF identifier changed",
            Box::new(|e: &mut Entries| {
                edit(e, OPF, |s| {
                    swap(s, "id=\"pub-id\">urn:", "id=\"pub-id\">urn:x-")
                })
            }),
            "identifier (dc:identifier)",
        ),
        (
            "a homoglyph swap",
            Box::new(|e: &mut Entries| {
                edit(e, BRIEF, |s| swap(s, "<p>Maritime", "<p>M\u{430}ritime"))
            }),
            "expected \"Maritime\", found \"M\u{430}ritime\"",
        ),
    ]
}

fn text_bytes(e: &Entries, name: &str) -> Vec<u8> {
    e.iter()
        .find(|(n, _)| n == name)
        .map(|(_, b)| b.clone())
        .unwrap_or_else(|| panic!("no entry {name}"))
}

#[test]
fn every_epub_tamper_is_caught_and_named() {
    let b = Built::new("constructs");
    let good = b.epub();
    b.check_with("epub", &zip_of(&good, false)).expect_code(0);
    for (what, tamper, name) in epub_cases() {
        let mut e = good.clone();
        tamper(&mut e);
        let run = b.check_with("epub", &zip_of(&e, false));
        let all = format!("{}{}", run.stdout, run.stderr);
        assert_eq!(run.code, 3, "{what}: exit {}\n{all}", run.code);
        assert!(all.contains("--> epub (EPUB/"), "{what}: no place\n{all}");
        assert!(all.contains(name), "{what}: {name:?} not named\n{all}");
    }
}

#[test]
fn a_construct_is_a_difference_with_a_place_in_the_json_report() {
    let b = Built::new("seed");
    let mut e = b.epub();
    edit(&mut e, BRIEF, |s| {
        swap(s, "<p>", "<p style=\"display: none\">")
    });
    let path = b.path("epub");
    std::fs::write(&path, zip_of(&e, true)).expect("tamper");
    let run = b.sb.run(&["check", "--json"]).expect_code(3);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).expect("json");
    let epub = v["briefs"][0]["editions"]
        .as_array()
        .expect("editions")
        .iter()
        .find(|e| e["format"] == "epub")
        .expect("epub")
        .clone();
    let d = &epub["differences"][0];
    assert!(
        d["construct"]
            .as_str()
            .expect("construct")
            .contains("inline style"),
        "{d}"
    );
    assert_eq!(d["location"]["file"], "EPUB/brief.xhtml", "{d}");
    assert!(d["location"]["line"].as_u64().is_some(), "{d}");
    assert!(
        d["place"]
            .as_str()
            .expect("place")
            .starts_with("EPUB/brief.xhtml, line "),
        "{d}"
    );
}

#[test]
fn every_text_tamper_is_caught_and_named() {
    let b = Built::new("constructs");
    let good = b.txt();
    let cases: &[(&str, &str, &str, &str)] = &[
        (
            "link target changed",
            "<https://www.example.org/briefs>",
            "<https://evil.example/briefs>",
            "link target",
        ),
        (
            "link target added",
            "strong words,",
            "strong words <https://evil.example/>,",
            "link target",
        ),
        ("note marker changed", "2014.[2]", "2014.[1]", "note marker"),
        (
            "note marker glued on",
            "steadily after",
            "steadily[2] after",
            "note marker",
        ),
        (
            "note marker at a line start",
            "\n[2] Traffic",
            "\n[7] Traffic",
            "note marker",
        ),
        (
            "list marker added",
            "\nThe measures proposed",
            "\n- The measures proposed",
            "list marker",
        ),
        (
            "list number changed",
            "\n3. exercises",
            "\n4. exercises",
            "list number",
        ),
        (
            "quote marker added",
            "\nThe chart above",
            "\n> The chart above",
            "quote markers",
        ),
        (
            "a homoglyph swap",
            "Maritime",
            "M\u{430}ritime",
            "found \"M\u{430}ritime\"",
        ),
    ];
    for (what, from, to, name) in cases {
        let bad = swap(&good, from, to);
        let run = b.check_with("txt", bad.as_bytes());
        let all = format!("{}{}", run.stdout, run.stderr);
        assert_eq!(run.code, 3, "{what}: exit {}\n{all}", run.code);
        assert!(all.contains("--> txt (line "), "{what}: no line\n{all}");
        assert!(all.contains(name), "{what}: {name:?} not named\n{all}");
    }
}

#[test]
fn faithful_epub_rewrites_pass() {
    let b = Built::new("constructs");
    let good = b.epub();
    let mut reversed = good.clone();
    reversed.reverse();
    b.check_with("epub", &zip_of(&reversed, false))
        .expect_code(0);
    // Stored, with the directory entries `zip -r` writes.
    let mut dirs: Entries = [
        "META-INF/",
        "EPUB/",
        "EPUB/css/",
        "EPUB/fonts/",
        "EPUB/images/",
    ]
    .iter()
    .map(|d| ((*d).to_owned(), Vec::new()))
    .collect();
    dirs.extend(good.iter().cloned());
    b.check_with("epub", &zip_of(&dirs, true)).expect_code(0);
    // The unzip and zip tools, in the usual recipe and in another order.
    if common::need_tool("zip") && common::need_tool("unzip") {
        let x = b.sb.path("x");
        let epub = b.path("epub");
        let sh = |cmd: &str| {
            let ok = std::process::Command::new("sh")
                .args(["-c", cmd])
                .current_dir(b.sb.path(""))
                .status()
                .expect("sh")
                .success();
            assert!(ok, "{cmd}");
        };
        sh(&format!("unzip -q -o {} -d x", epub.display()));
        for (out, recipe) in [
            ("y.epub", "zip -q -X -r ../y.epub mimetype META-INF EPUB"),
            (
                "z.epub",
                "zip -q -X0 ../z.epub mimetype && zip -q -X -9 -r ../z.epub EPUB META-INF",
            ),
        ] {
            sh(&format!("cd {} && {recipe}", x.display()));
            let bytes = std::fs::read(b.sb.path(out)).expect("zipped");
            let run = b.check_with("epub", &bytes);
            assert_eq!(run.code, 0, "{recipe}\n{}{}", run.stdout, run.stderr);
        }
    }
}

#[test]
fn an_epub_built_with_another_epoch_passes() {
    // SOURCE_DATE_EPOCH reaches dcterms:modified and the ZIP's timestamps only.
    let b = Built::with_env("seed", &[("SOURCE_DATE_EPOCH", "1700000000")]);
    b.sb.run(&["check"]).expect_code(0);
}

#[test]
fn faithful_text_rewrites_pass() {
    let b = Built::new("constructs");
    let good = b.txt();
    let crlf = good.replace('\n', "\r\n");
    b.check_with("txt", crlf.as_bytes()).expect_code(0);
    let padded: String = good.lines().map(|l| format!("{l}   \n")).collect();
    b.check_with("txt", format!("\u{feff}{padded}").as_bytes())
        .expect_code(0);
    // Plain paragraphs re-wrapped at 50 columns (lists, quotes, notes, rules and the
    // table keep their lines).
    let rewrapped: Vec<String> = good
        .split("\n\n")
        .map(|block| {
            let plain = block.lines().all(|l| {
                l.chars().next().is_some_and(char::is_alphabetic)
                    && !l.trim().contains("  ")
                    && !l.chars().all(|c| matches!(c, '=' | '-' | '*' | ' '))
            }) && !block.contains("\n=")
                && !block.contains("\n-");
            if !plain {
                return block.to_owned();
            }
            let mut out = String::new();
            let mut width = 0;
            for w in block.split_whitespace() {
                if width > 0 && width + 1 + w.len() > 50 {
                    out.push('\n');
                    width = 0;
                } else if width > 0 {
                    out.push(' ');
                    width += 1;
                }
                out.push_str(w);
                width += w.len();
            }
            out
        })
        .collect();
    let rewrapped = rewrapped.join("\n\n");
    assert_ne!(rewrapped, good, "the re-wrap changed nothing");
    let run = b.check_with("txt", rewrapped.as_bytes());
    assert_eq!(run.code, 0, "{}{}\n{rewrapped}", run.stdout, run.stderr);
}
