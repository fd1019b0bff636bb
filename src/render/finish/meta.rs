//! The document's metadata as the PDF writes it, in both places it goes: the Info
//! dictionary ([`super::pdfa`]) and the XMP packet ([`super::xmp`]), which must agree;
//! the audit reads them back with the same functions.

use sha2::Digest;

use super::Info;
use crate::model::civil_from_days;
use crate::render::PdfStandard;

/// The 16-byte file identifier: a hash of the ID seed, the edition and the standard, so
/// equal content gives an equal ID and the two editions differ.
pub fn file_id(info: &Info) -> [u8; 16] {
    let mut h = sha2::Sha256::new();
    h.update(b"briefpress pdf id\n");
    h.update(info.id_seed.as_bytes());
    h.update(format!("\n{:?}\n{:?}", info.edition, info.standard).as_bytes());
    let digest = h.finalize();
    let mut id = [0u8; 16];
    id.copy_from_slice(&digest[..16]);
    id
}

/// [`file_id`] in lower-case hexadecimal.
pub fn file_id_hex(info: &Info) -> String {
    crate::hex::encode(&file_id(info))
}

/// The Info `/Author` value: names joined with ", " (the XMP has one entry per author).
pub fn author_line(authors: &[String]) -> String {
    authors.join(", ")
}

/// The Info `/Keywords` and XMP `pdf:Keywords` value.
pub fn keyword_line(keywords: &[String]) -> String {
    keywords.join(", ")
}

/// `pdfaid:part` of a standard.
pub fn part(standard: PdfStandard) -> u8 {
    match standard {
        PdfStandard::A2b => 2,
        PdfStandard::A3b => 3,
    }
}

/// Civil UTC time of an epoch: (year, month, day, hour, minute, second).
fn civil(epoch: i64) -> (i64, u32, u32, i64, i64, i64) {
    let (y, m, d) = civil_from_days(epoch.div_euclid(86_400));
    let s = epoch.rem_euclid(86_400);
    (y, m, d, s / 3600, s / 60 % 60, s % 60)
}

/// A PDF date, `D:YYYYMMDDHHmmSS+00'00'` (UTC, written with an explicit offset).
pub fn pdf_date(epoch: i64) -> String {
    let (y, mo, d, h, mi, s) = civil(epoch);
    format!("D:{y:04}{mo:02}{d:02}{h:02}{mi:02}{s:02}+00'00'")
}

/// An XMP date, `YYYY-MM-DDTHH:MM:SS+00:00`: the same instant as [`pdf_date`].
pub fn xmp_date(epoch: i64) -> String {
    let (y, mo, d, h, mi, s) = civil(epoch);
    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}+00:00")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_agree_and_handle_times_and_old_dates() {
        assert_eq!(pdf_date(1_477_958_400), "D:20161101000000+00'00'");
        assert_eq!(xmp_date(1_477_958_400), "2016-11-01T00:00:00+00:00");
        assert_eq!(pdf_date(86_399), "D:19700101235959+00'00'");
        assert_eq!(xmp_date(-1), "1969-12-31T23:59:59+00:00");
    }
}
