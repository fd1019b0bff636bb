//! Fuzz the EPUB reader (zip directory checks, container, package, XHTML).
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = briefpress::verify::epub::extract(data);
});
