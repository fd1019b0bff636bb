//! XMP metadata: the packet written into the PDF, and a small reader the audit uses to
//! check it (namespace-aware, so it judges meaning, not our own spelling).

use std::collections::BTreeMap;

use quick_xml::events::Event;
use quick_xml::name::ResolveResult;
use quick_xml::NsReader;

use super::meta::{keyword_line, part, xmp_date};
use super::pdfx::PDFX_VERSION;
use super::Info;
use crate::render::Edition;

pub const NS_RDF: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
pub const NS_DC: &str = "http://purl.org/dc/elements/1.1/";
pub const NS_PDF: &str = "http://ns.adobe.com/pdf/1.3/";
pub const NS_XMP: &str = "http://ns.adobe.com/xap/1.0/";
pub const NS_XMPMM: &str = "http://ns.adobe.com/xap/1.0/mm/";
pub const NS_PDFAID: &str = "http://www.aiim.org/pdfa/ns/id/";
pub const NS_PDFUAID: &str = "http://www.aiim.org/pdfua/ns/id/";
pub const NS_PDFXID: &str = "http://www.npes.org/pdfx/ns/id/";

/// The XMP packet for `info`; `instance` is the file ID in hex.
pub fn packet(info: &Info, instance: &str) -> String {
    let e = escape;
    let mut p = String::new();
    p += "<?xpacket begin=\"\u{FEFF}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n";
    p += "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n";
    p += &format!("<rdf:RDF xmlns:rdf=\"{NS_RDF}\">\n");
    p += &format!(
        "<rdf:Description rdf:about=\"\" xmlns:dc=\"{NS_DC}\" xmlns:pdf=\"{NS_PDF}\" \
         xmlns:xmp=\"{NS_XMP}\" xmlns:xmpMM=\"{NS_XMPMM}\" xmlns:pdfaid=\"{NS_PDFAID}\">\n"
    );
    p += "<dc:format>application/pdf</dc:format>\n";
    p += &alt("dc:title", &info.title);
    if !info.authors.is_empty() {
        p += "<dc:creator><rdf:Seq>";
        for a in &info.authors {
            p += &format!("<rdf:li>{}</rdf:li>", e(a));
        }
        p += "</rdf:Seq></dc:creator>\n";
    }
    p += &alt("dc:description", &info.subject);
    if !info.keywords.is_empty() {
        p += "<dc:subject><rdf:Bag>";
        for k in &info.keywords {
            p += &format!("<rdf:li>{}</rdf:li>", e(k));
        }
        p += "</rdf:Bag></dc:subject>\n";
        p += &format!(
            "<pdf:Keywords>{}</pdf:Keywords>\n",
            e(&keyword_line(&info.keywords))
        );
    }
    p += &format!(
        "<dc:language><rdf:Bag><rdf:li>{}</rdf:li></rdf:Bag></dc:language>\n",
        e(&info.language)
    );
    p += &format!("<pdf:Producer>{}</pdf:Producer>\n", e(&info.producer));
    p += &format!("<xmp:CreatorTool>{}</xmp:CreatorTool>\n", e(&info.producer));
    p += &format!(
        "<xmp:CreateDate>{}</xmp:CreateDate>\n",
        xmp_date(info.created)
    );
    p += &format!(
        "<xmp:ModifyDate>{}</xmp:ModifyDate>\n",
        xmp_date(info.modified)
    );
    p += &format!(
        "<xmp:MetadataDate>{}</xmp:MetadataDate>\n",
        xmp_date(info.modified)
    );
    let doc_id = uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_OID, info.id_seed.as_bytes());
    let inst_id = uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_OID, instance.as_bytes());
    p += &format!("<xmpMM:DocumentID>uuid:{doc_id}</xmpMM:DocumentID>\n");
    p += &format!("<xmpMM:InstanceID>uuid:{inst_id}</xmpMM:InstanceID>\n");
    p += &format!("<pdfaid:part>{}</pdfaid:part>\n", part(info.standard));
    p += "<pdfaid:conformance>B</pdfaid:conformance>\n";
    if info.edition == Edition::Print {
        // PDF/X-4 (ISO 15930-7) wants the trapping state and the version and
        // rendition of the document beside its ID; all three are properties of schemas
        // PDF/A predefines (pdf, xmpMM).
        p += "<pdf:Trapped>False</pdf:Trapped>\n";
        p += "<xmpMM:VersionID>1</xmpMM:VersionID>\n";
        p += "<xmpMM:RenditionClass>default</xmpMM:RenditionClass>\n";
    }
    p += "</rdf:Description>\n";
    if info.tagged || info.edition == Edition::Print {
        p += &extension_schemas(info.tagged, info.edition == Edition::Print);
    }
    p += "</rdf:RDF>\n</x:xmpmeta>\n";
    // Padding lets editors update the packet in place, as the XMP spec recommends.
    for _ in 0..20 {
        p += &" ".repeat(99);
        p += "\n";
    }
    p += "<?xpacket end=\"w\"?>";
    p
}

/// `pdfuaid` and `pdfxid` are not schemas PDF/A-2/3 predefines, so each used must be
/// described by a PDF/A extension schema in the same packet (ISO 19005-2, 6.6.2.3.2).
fn extension_schemas(pdfua: bool, pdfx: bool) -> String {
    let mut p = String::from(
        "<rdf:Description rdf:about=\"\" \
         xmlns:pdfaExtension=\"http://www.aiim.org/pdfa/ns/extension/\" \
         xmlns:pdfaSchema=\"http://www.aiim.org/pdfa/ns/schema#\" \
         xmlns:pdfaProperty=\"http://www.aiim.org/pdfa/ns/property#\">\n\
         <pdfaExtension:schemas><rdf:Bag>",
    );
    if pdfua {
        p += &schema(
            "PDF/UA Universal Accessibility Schema",
            NS_PDFUAID,
            "pdfuaid",
            "part",
            "Integer",
            "Indicates which part of ISO 14289 the file follows",
        );
    }
    if pdfx {
        p += &schema(
            "PDF/X ID Schema",
            NS_PDFXID,
            "pdfxid",
            "GTS_PDFXVersion",
            "Text",
            "ID of PDF/X standard",
        );
    }
    p += "</rdf:Bag></pdfaExtension:schemas>\n</rdf:Description>\n";
    if pdfua {
        p += &format!(
            "<rdf:Description rdf:about=\"\" xmlns:pdfuaid=\"{NS_PDFUAID}\">\n\
             <pdfuaid:part>1</pdfuaid:part>\n\
             </rdf:Description>\n"
        );
    }
    if pdfx {
        p += &format!(
            "<rdf:Description rdf:about=\"\" xmlns:pdfxid=\"{NS_PDFXID}\">\n\
             <pdfxid:GTS_PDFXVersion>{PDFX_VERSION}</pdfxid:GTS_PDFXVersion>\n\
             </rdf:Description>\n"
        );
    }
    p
}

/// One schema of a PDF/A extension with its one property.
fn schema(
    name: &str,
    uri: &str,
    prefix: &str,
    property: &str,
    value_type: &str,
    description: &str,
) -> String {
    format!(
        "<rdf:li rdf:parseType=\"Resource\">\n\
         <pdfaSchema:schema>{name}</pdfaSchema:schema>\n\
         <pdfaSchema:namespaceURI>{uri}</pdfaSchema:namespaceURI>\n\
         <pdfaSchema:prefix>{prefix}</pdfaSchema:prefix>\n\
         <pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType=\"Resource\">\n\
         <pdfaProperty:name>{property}</pdfaProperty:name>\n\
         <pdfaProperty:valueType>{value_type}</pdfaProperty:valueType>\n\
         <pdfaProperty:category>internal</pdfaProperty:category>\n\
         <pdfaProperty:description>{description}</pdfaProperty:description>\n\
         </rdf:li></rdf:Seq></pdfaSchema:property>\n\
         </rdf:li>"
    )
}

/// A language alternative with only the default entry.
fn alt(name: &str, value: &str) -> String {
    format!(
        "<{name}><rdf:Alt><rdf:li xml:lang=\"x-default\">{}</rdf:li></rdf:Alt></{name}>\n",
        escape(value)
    )
}

/// Escape text for XML content and attributes; drop characters XML 1.0 cannot carry.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// Properties of an XMP packet: `(namespace URI, local name)` → values (one for a simple
/// property, one per `rdf:li` for arrays).
pub type Properties = BTreeMap<(String, String), Vec<String>>;

/// Read the top-level properties of every `rdf:Description`. Fails on malformed XML.
pub fn read(xml: &[u8]) -> Result<Properties, String> {
    let text = std::str::from_utf8(xml).map_err(|e| format!("XMP is not UTF-8: {e}"))?;
    let mut reader = NsReader::from_str(text);
    let mut st = State::default();
    loop {
        let (ns, event) = reader
            .read_resolved_event()
            .map_err(|e| format!("XMP is not well-formed XML: {e}"))?;
        let ns = match ns {
            ResolveResult::Bound(n) => String::from_utf8_lossy(n.into_inner()).into_owned(),
            _ => String::new(),
        };
        match event {
            Event::Start(e) => st.open(&reader, ns, &e)?,
            Event::Empty(e) => {
                st.open(&reader, ns, &e)?;
                st.close();
            }
            Event::End(_) => st.close(),
            Event::Text(t) => {
                let t = t.decode().map_err(|e| format!("bad XMP text: {e}"))?;
                st.text(&t);
            }
            Event::CData(t) => {
                let t = t.decode().map_err(|e| format!("bad XMP text: {e}"))?;
                st.text(&t);
            }
            Event::GeneralRef(r) => {
                let c = match r.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    _ => match r.decode().as_deref() {
                        Ok("amp") => "&".into(),
                        Ok("lt") => "<".into(),
                        Ok("gt") => ">".into(),
                        Ok("quot") => "\"".into(),
                        Ok("apos") => "'".into(),
                        _ => return Err("XMP uses an undefined entity".into()),
                    },
                };
                st.text(&c);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !st.stack.is_empty() {
        return Err("XMP ends inside an element".into());
    }
    Ok(st.props)
}

/// Reader state: open elements, the property being read, what was read.
#[derive(Default)]
struct State {
    /// Open elements as (namespace, local name).
    stack: Vec<(String, String)>,
    /// The property being read: its depth in `stack`, its text, its array items.
    current: Option<(usize, String, Option<Vec<String>>)>,
    props: Properties,
}

impl State {
    fn open(
        &mut self,
        reader: &NsReader<&[u8]>,
        ns: String,
        e: &quick_xml::events::BytesStart,
    ) -> Result<(), String> {
        let local = String::from_utf8_lossy(e.local_name().into_inner()).into_owned();
        let in_description = self
            .stack
            .last()
            .is_some_and(|(n, l)| n == NS_RDF && l == "Description");
        if ns == NS_RDF && local == "Description" {
            // Simple properties may also be written as attributes of the description.
            for a in e.attributes().flatten() {
                let (res, name) = reader.resolve_attribute(a.key);
                if let ResolveResult::Bound(n) = res {
                    let n = String::from_utf8_lossy(n.into_inner()).into_owned();
                    if n != NS_RDF {
                        let v = a
                            .unescape_value()
                            .map_err(|e| format!("bad XMP attribute: {e}"))?;
                        let key = (n, String::from_utf8_lossy(name.into_inner()).into());
                        self.props.insert(key, vec![v.into_owned()]);
                    }
                }
            }
        }
        let d = self.stack.len();
        match &mut self.current {
            None if in_description => self.current = Some((d, String::new(), None)),
            Some((depth, _, items)) if d == *depth + 1 && ns == NS_RDF => {
                *items = Some(Vec::new());
            }
            Some((depth, _, Some(items))) if d == *depth + 2 && ns == NS_RDF && local == "li" => {
                items.push(String::new());
            }
            _ => {}
        }
        self.stack.push((ns, local));
        Ok(())
    }

    fn text(&mut self, t: &str) {
        let d = self.stack.len();
        match &mut self.current {
            Some((depth, simple, None)) if d == *depth + 1 => simple.push_str(t),
            Some((depth, _, Some(items))) if d == *depth + 3 => {
                if let Some(last) = items.last_mut() {
                    last.push_str(t);
                }
            }
            _ => {}
        }
    }

    fn close(&mut self) {
        let closed = self.stack.pop();
        let ends_property =
            matches!(&self.current, Some((depth, _, _)) if self.stack.len() == *depth);
        if let (Some(key), true) = (closed, ends_property) {
            if let Some((_, simple, items)) = self.current.take() {
                self.props
                    .insert(key, items.unwrap_or_else(|| vec![simple]));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_survives_a_round_trip() {
        let xml = format!(
            "<rdf:RDF xmlns:rdf=\"{NS_RDF}\"><rdf:Description xmlns:dc=\"{NS_DC}\">\
             <dc:title><rdf:Alt><rdf:li>{}</rdf:li></rdf:Alt></dc:title></rdf:Description></rdf:RDF>",
            escape("A & B <C> \"D\" 'E' \u{1}")
        );
        let p = read(xml.as_bytes()).unwrap_or_default();
        assert_eq!(
            p.get(&(NS_DC.into(), "title".into())),
            Some(&vec!["A & B <C> \"D\" 'E' ".to_string()])
        );
    }

    #[test]
    fn malformed_xml_is_an_error() {
        assert!(read(b"<a><b></a>").is_err());
    }
}
