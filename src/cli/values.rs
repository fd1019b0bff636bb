//! The library's named values ([`Format`], [`Edition`], [`PdfStandard`]) as clap
//! arguments: the names `--help`, the completions and the man page list (the library's
//! `ALL` and names, with the help shown beside each), parsed into the library's own types.

use std::ffi::OsStr;
use std::marker::PhantomData;

use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use clap::error::ErrorKind;

use briefpress::render::{Edition, Format, PdfStandard};

/// A value parser for one of the library's enums: clap's [`PossibleValuesParser`] checks
/// the name (and lists the names in `--help` and in its error), then the library's
/// `FromStr` turns it into a `T`.
#[derive(Clone)]
pub(super) struct OneOf<T> {
    names: PossibleValuesParser,
    into: PhantomData<fn() -> T>,
}

impl<T> OneOf<T> {
    fn new(values: impl IntoIterator<Item = PossibleValue>) -> Self {
        OneOf {
            names: PossibleValuesParser::new(values),
            into: PhantomData,
        }
    }
}

impl<T> TypedValueParser for OneOf<T>
where
    T: std::str::FromStr + Clone + Send + Sync + 'static,
    T::Err: std::fmt::Display,
{
    type Value = T;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &OsStr,
    ) -> Result<T, clap::Error> {
        // A value that is not UTF-8 is checked as its lossy text, so its error lists the
        // possible values like any other unknown name's (as clap's own enum parser does).
        let name = self
            .names
            .parse_ref(cmd, arg, OsStr::new(&*value.to_string_lossy()))?;
        // Every name listed parses (see the tests below); this error is for a list and
        // a `FromStr` that disagree.
        name.parse::<T>()
            .map_err(|e| clap::Error::raw(ErrorKind::InvalidValue, format!("{e}\n")).with_cmd(cmd))
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        self.names.possible_values()
    }
}

/// `--format`: each edition's name.
pub(super) fn formats() -> OneOf<Format> {
    OneOf::new(Format::ALL.map(|f| PossibleValue::new(f.ext())))
}

/// `--edition`: the PDF editions, each with what it is.
pub(super) fn editions() -> OneOf<Edition> {
    OneOf::new(Edition::ALL.map(|e| {
        PossibleValue::new(e.name()).help(match e {
            Edition::Screen => "MediaBox = TrimBox = A4, live links, outline",
            Edition::Print => "Bleed and crop marks for the printer",
        })
    }))
}

/// `--pdf-standard`: the PDF/A levels, each with what it is.
pub(super) fn pdf_standards() -> OneOf<PdfStandard> {
    OneOf::new(PdfStandard::ALL.map(|p| {
        PossibleValue::new(p.name()).help(match p {
            PdfStandard::A2b => "PDF/A-2b: archival, self-contained, no attachments",
            PdfStandard::A3b => {
                "PDF/A-3b: as A-2b, with the Markdown source and the text edition attached"
            }
        })
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every name a parser lists parses into the value of that name.
    fn each_name_parses<T>(parser: &OneOf<T>, name: fn(&T) -> String)
    where
        T: std::str::FromStr + Clone + Send + Sync + 'static,
        T::Err: std::fmt::Display,
    {
        let cmd = clap::Command::new("test");
        let names: Vec<String> = parser
            .possible_values()
            .into_iter()
            .flatten()
            .map(|v| v.get_name().to_owned())
            .collect();
        assert!(!names.is_empty());
        for n in names {
            let v = parser.parse_ref(&cmd, None, OsStr::new(&n)).unwrap();
            assert_eq!(name(&v), n);
        }
        assert!(parser
            .parse_ref(&cmd, None, OsStr::new("nonesuch"))
            .is_err());
    }

    #[test]
    fn every_listed_name_parses() {
        each_name_parses(&formats(), |f| f.ext().to_owned());
        each_name_parses(&editions(), |e| e.name().to_owned());
        each_name_parses(&pdf_standards(), |p| p.name().to_owned());
    }
}
