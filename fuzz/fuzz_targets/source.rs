//! Fuzz the brief parser (front matter, CommonMark body, diagnostics) with the built-in
//! house's font coverage: any bytes must give a document or located errors, never a panic.
#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use briefpress::fonts::Coverage;
use briefpress::house::House;

/// The built-in house and its coverage, made once: loading the house reads its fonts.
fn house() -> &'static (House, Coverage) {
    static HOUSE: OnceLock<(House, Coverage)> = OnceLock::new();
    HOUSE.get_or_init(|| match briefpress::house::builtin() {
        Ok(house) => {
            let coverage = Coverage::of_house(&house);
            (house, coverage)
        }
        Err(e) => panic!("the built-in house does not load: {e}"),
    })
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let (house, coverage) = house();
    // Images resolve beside the fixture that has some, so image paths get read too.
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/constructs");
    let path = dir.join("fuzz.md");
    match briefpress::parse::parse_bytes(&path, "fuzz", &dir, data, coverage) {
        // The content (what all three editions must carry) is derived from every
        // parsed document.
        Ok(doc) => {
            let _ = briefpress::content::content(&doc, &house.style).digest();
        }
        // Rendering the diagnostics turns spans into lines and columns: exercise it.
        Err(e) => {
            let _ = e.to_string();
        }
    }
});
