//! Fuzz the ToUnicode CMap parser and decoder.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let (map, shown) = data.split_at(data.len() / 2);
    let m = briefpress::verify::cmap::ToUnicode::parse(map);
    let _ = m.decode(shown, 2);
});
