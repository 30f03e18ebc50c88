//! Registration keys and activation codes: tolerant parsing, canonical display, check
//! characters that catch typos before any request, and generation from a caller-supplied
//! cryptographically secure random source.

mod activation_code;
mod damm;
mod error;
mod mod37_36;
mod registration_key;

pub use activation_code::ActivationCode;
pub use damm::{damm_check_digit, damm_is_valid};
pub use error::KeyError;
pub use mod37_36::{mod37_36_check_char, mod37_36_is_valid};
pub use registration_key::RegistrationKey;

/// Strips what customers add when copying keys from paper and PDFs (surrounding whitespace,
/// spaces, hyphens, underscores) and upper-cases the rest.
///
/// Returns the separator-free characters; a character that can never be part of a key is
/// reported here with its 1-based position, before the length, because "this character is
/// wrong" is more useful than a length that counts it.
fn normalize(input: &str) -> Result<Vec<u8>, KeyError> {
    let mut out = Vec::with_capacity(input.len());
    for typed in input.trim().chars() {
        if typed == '-' || typed == '_' || typed.is_whitespace() {
            continue;
        }
        if !typed.is_ascii_alphanumeric() {
            return Err(KeyError::InvalidCharacter {
                character: typed,
                position: out.len() + 1,
            });
        }
        // ASCII, so the byte is the character.
        out.push(typed.to_ascii_uppercase() as u8);
    }
    Ok(out)
}

/// Checks that the first two characters are letters (the product-line prefix).
fn check_prefix_letters(chars: &[u8]) -> Result<(), KeyError> {
    for (index, &c) in chars.iter().take(2).enumerate() {
        if !c.is_ascii_uppercase() {
            return Err(KeyError::InvalidCharacter {
                character: char::from(c),
                position: index + 1,
            });
        }
    }
    Ok(())
}

/// Validates and upper-cases a prefix given to `generate`.
fn generation_prefix(prefix: &str) -> Result<[u8; 2], KeyError> {
    match prefix.as_bytes() {
        &[a, b] if a.is_ascii_alphabetic() && b.is_ascii_alphabetic() => {
            Ok([a.to_ascii_uppercase(), b.to_ascii_uppercase()])
        }
        _ => Err(KeyError::BadPrefix),
    }
}

/// Draws one value uniformly from `0..modulus` by rejection sampling on random bytes, so no
/// value is more likely than another.
fn uniform_below(rng: &mut impl rand_core::RngCore, modulus: u8) -> u8 {
    // Largest multiple of `modulus` that fits in a byte; bytes at or above it are rejected.
    let limit = 256 - (256 % u16::from(modulus));
    loop {
        let mut byte = [0_u8; 1];
        rng.fill_bytes(&mut byte);
        if u16::from(byte[0]) < limit {
            return byte[0] % modulus;
        }
    }
}

/// Joins separator-free characters into groups of the given sizes with hyphens.
fn hyphenate(chars: &[u8], groups: &[usize]) -> String {
    let mut out = String::with_capacity(chars.len() + groups.len());
    let mut start = 0;
    for (index, &size) in groups.iter().enumerate() {
        if index > 0 {
            out.push('-');
        }
        for &c in chars.iter().skip(start).take(size) {
            out.push(char::from(c));
        }
        start += size;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_drops_separators_and_surrounding_whitespace() {
        let chars = normalize("  xd-12_34 56\n").unwrap();
        assert_eq!(chars, b"XD123456");
    }

    #[test]
    fn normalize_reports_a_foreign_character_with_its_position_without_separators() {
        assert_eq!(
            normalize("XD-12.3"),
            Err(KeyError::InvalidCharacter {
                character: '.',
                position: 5
            })
        );
    }

    #[test]
    fn generation_prefix_accepts_two_letters_in_any_case_only() {
        assert_eq!(generation_prefix("xd"), Ok(*b"XD"));
        assert_eq!(generation_prefix("X"), Err(KeyError::BadPrefix));
        assert_eq!(generation_prefix("X1"), Err(KeyError::BadPrefix));
        assert_eq!(generation_prefix("XDA"), Err(KeyError::BadPrefix));
        assert_eq!(generation_prefix("É"), Err(KeyError::BadPrefix));
    }

    #[test]
    fn hyphenate_groups_characters() {
        assert_eq!(hyphenate(b"AB123456", &[2, 3, 3]), "AB-123-456");
    }
}
