//! Arbitrary bytes into `RegistrationKey::parse`: it never panics, and an accepted key is
//! canonical (`PP-DDDD-DDDD-DDDD-DDDD`, 22 characters), parses back to itself from its display
//! (in either case), keeps exactly the typed letters and digits, round-trips through serde and
//! never shows its secret digits in `Debug` or `masked()`.

#![no_main]

use clp_domain::RegistrationKey;
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    // Lossy, so invalid UTF-8 still exercises the parser (as U+FFFD) instead of being skipped.
    let input = String::from_utf8_lossy(data);
    let key = match RegistrationKey::parse(&input) {
        Ok(key) => key,
        Err(error) => {
            // The customer-facing message must render for every rejection.
            let _ = error.to_string();
            return;
        }
    };

    let shown = key.to_string();
    assert_eq!(shown, key.as_str());
    assert_eq!(shown.len(), 22, "{shown:?}");
    common::assert_canonical(&shown, &[2, 4, 4, 4, 4], |c| c.is_ascii_digit());
    assert_eq!(common::without_hyphens(&shown), common::normalized(&input));
    assert_eq!(key.prefix(), &shown[..2]);

    assert_eq!(RegistrationKey::parse(&shown).as_ref(), Ok(&key));
    assert_eq!(
        RegistrationKey::parse(&shown.to_ascii_lowercase()).as_ref(),
        Ok(&key)
    );
    assert_eq!(shown.parse::<RegistrationKey>().as_ref(), Ok(&key));

    // The key is a secret: Debug and masked() show only the prefix and the last group.
    let masked = key.masked();
    assert_eq!(
        masked,
        format!("{}-****-****-****-{}", &shown[..2], &shown[18..])
    );
    let debug = format!("{key:?}");
    assert!(
        !debug.contains(&shown[3..17]),
        "Debug leaks the key: {debug}"
    );

    let json = serde_json::to_string(&key).expect("a key serializes");
    assert_eq!(json, format!("\"{shown}\""));
    let back: RegistrationKey = serde_json::from_str(&json).expect("a serialized key parses");
    assert_eq!(back, key);
});
