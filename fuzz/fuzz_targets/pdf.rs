//! Fuzz the PDF reader: any bytes must give words or an error, never a panic.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = briefpress::verify::pdf::extract(data);
});
