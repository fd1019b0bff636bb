//! Fuzz the text-edition reader.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(s) = std::str::from_utf8(data) {
        let _ = briefpress::verify::text::extract(s);
    }
});
