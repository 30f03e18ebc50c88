//! Arbitrary bytes into `ActivationCode::parse`: it never panics, and an accepted code is
//! canonical (`PP-AAAA-AAAAA-AAAAA-AAAAA-AAAAA-AAAAA`, 37 characters), parses back to itself
//! from its display (in either case), keeps exactly the typed letters and digits and
//! round-trips through serde.

#![no_main]

use clp_domain::ActivationCode;
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    // Lossy, so invalid UTF-8 still exercises the parser (as U+FFFD) instead of being skipped.
    let input = String::from_utf8_lossy(data);
    let code = match ActivationCode::parse(&input) {
        Ok(code) => code,
        Err(error) => {
            // The customer-facing message must render for every rejection.
            let _ = error.to_string();
            return;
        }
    };

    let shown = code.to_string();
    assert_eq!(shown, code.as_str());
    assert_eq!(shown.len(), 37, "{shown:?}");
    common::assert_canonical(&shown, &[2, 4, 5, 5, 5, 5, 5], |c| {
        c.is_ascii_digit() || c.is_ascii_uppercase()
    });
    assert_eq!(common::without_hyphens(&shown), common::normalized(&input));
    assert_eq!(code.prefix(), &shown[..2]);

    assert_eq!(ActivationCode::parse(&shown).as_ref(), Ok(&code));
    assert_eq!(
        ActivationCode::parse(&shown.to_ascii_lowercase()).as_ref(),
        Ok(&code)
    );
    assert_eq!(shown.parse::<ActivationCode>().as_ref(), Ok(&code));

    let json = serde_json::to_string(&code).expect("a code serializes");
    assert_eq!(json, format!("\"{shown}\""));
    let back: ActivationCode = serde_json::from_str(&json).expect("a serialized code parses");
    assert_eq!(back, code);
});
