//! A thin XML writer over quick-xml that escapes every text and attribute value.
//!
//! Output is written without automatic indentation: whitespace between inline elements
//! is significant in XHTML (it separates or joins words), so callers add line breaks
//! only between block elements, with [`Xml::nl`].

use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::Writer;

/// An XML document being written into memory.
pub struct Xml {
    w: Writer<Vec<u8>>,
    /// The first write error, if any; writing into a `Vec` cannot fail in practice, but the
    /// error is kept rather than ignored so the renderer can report it.
    failed: Option<String>,
}

impl Xml {
    /// A new document starting with the XML declaration.
    pub fn new() -> Xml {
        let mut x = Xml {
            w: Writer::new(Vec::new()),
            failed: None,
        };
        x.event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)));
        x.nl();
        x
    }

    /// A fragment to be joined onto a document: no XML declaration.
    pub fn fragment() -> Xml {
        Xml {
            w: Writer::new(Vec::new()),
            failed: None,
        }
    }

    fn event(&mut self, e: Event<'_>) {
        if let Err(err) = self.w.write_event(e) {
            self.failed.get_or_insert_with(|| err.to_string());
        }
    }

    /// Write raw, trusted markup (a DOCTYPE); never used for document text.
    pub fn raw(&mut self, s: &str) {
        self.event(Event::DocType(BytesText::from_escaped(s)));
    }

    /// An opening tag with attributes; values are escaped.
    pub fn open(&mut self, name: &str, attrs: &[(&str, &str)]) {
        let start = BytesStart::new(name).with_attributes(attrs.iter().copied());
        self.event(Event::Start(start));
    }

    /// A closing tag.
    pub fn close(&mut self, name: &str) {
        self.event(Event::End(BytesEnd::new(name)));
    }

    /// An empty element such as `<img/>`.
    pub fn empty(&mut self, name: &str, attrs: &[(&str, &str)]) {
        let start = BytesStart::new(name).with_attributes(attrs.iter().copied());
        self.event(Event::Empty(start));
    }

    /// Escaped character data.
    pub fn text(&mut self, s: &str) {
        self.event(Event::Text(BytesText::new(s)));
    }

    /// An element holding only text.
    pub fn leaf(&mut self, name: &str, attrs: &[(&str, &str)], text: &str) {
        self.open(name, attrs);
        self.text(text);
        self.close(name);
    }

    /// A line break between block elements, for readable output.
    pub fn nl(&mut self) {
        self.text("\n");
    }

    /// Close `<body>` and `<html>` (each on its own line) and return the document.
    pub fn finish_document(mut self) -> Result<Vec<u8>, String> {
        self.close("body");
        self.nl();
        self.close("html");
        self.nl();
        self.finish()
    }

    /// The bytes written, or the first write error.
    pub fn finish(self) -> Result<Vec<u8>, String> {
        match self.failed {
            Some(e) => Err(e),
            None => Ok(self.w.into_inner()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_attributes_are_escaped() {
        let mut x = Xml::new();
        x.leaf("p", &[("title", "a \"b\" & <c>")], "x < y & z");
        let out = String::from_utf8(x.finish().unwrap_or_default()).unwrap_or_default();
        assert!(
            out.contains("title=\"a &quot;b&quot; &amp; &lt;c&gt;\""),
            "{out}"
        );
        assert!(out.contains(">x &lt; y &amp; z</p>"), "{out}");
    }
}
