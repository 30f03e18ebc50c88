//! ISO/IEC 7064 MOD 37,36: the hybrid system over the alphabet `0-9A-Z`, with one check
//! character from the same alphabet. It catches every single-character substitution.

/// The modulus M of the hybrid system; M + 1 = 37 is prime.
const M: u16 = 36;

/// The value 0-35 of a character of `0-9A-Z` (either case), or `None`.
fn value(c: char) -> Option<u8> {
    // to_digit(36) maps 0-9 to 0-9 and A-Z/a-z to 10-35.
    c.to_digit(36).and_then(|v| u8::try_from(v).ok())
}

/// The character of `0-9A-Z` for a value 0-35.
fn character(value: u8) -> char {
    char::from_digit(u32::from(value), 36)
        .map(|c| c.to_ascii_uppercase())
        .unwrap_or('0')
}

/// Runs the hybrid system over values 0-35 and returns the final product P (1-36).
fn product(values: &[u8]) -> u16 {
    values.iter().fold(M, |p, &v| {
        let s = (p + u16::from(v)) % M;
        let s = if s == 0 { M } else { s };
        (2 * s) % (M + 1)
    })
}

/// The check value 0-35 of values 0-35.
pub(super) fn check_value(values: &[u8]) -> u8 {
    // The check character c makes (P + c) mod M equal 1.
    let c = (M + 1 - product(values)) % M;
    // c < 36, so this never falls back.
    u8::try_from(c).unwrap_or(0)
}

/// Whether values 0-35 end with their correct check value.
pub(super) fn is_valid_values(values_with_check: &[u8]) -> bool {
    match values_with_check.split_last() {
        Some((&last, body)) => check_value(body) == last,
        None => false,
    }
}

/// The ISO/IEC 7064 MOD 37,36 check character of `chars` (alphabet `0-9A-Z`, either case),
/// e.g. `A12425GABC1234002` gives `M`; `None` when a character is outside the alphabet.
pub fn mod37_36_check_char(chars: &str) -> Option<char> {
    let values = chars.chars().map(value).collect::<Option<Vec<u8>>>()?;
    Some(character(check_value(&values)))
}

/// Whether `chars` (alphabet `0-9A-Z`, either case) ends with its correct MOD 37,36 check
/// character.
pub fn mod37_36_is_valid(chars_with_check: &str) -> bool {
    chars_with_check
        .chars()
        .map(value)
        .collect::<Option<Vec<u8>>>()
        .is_some_and(|values| is_valid_values(&values))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mod37_36_check_char_matches_the_iso_7064_example() {
        // The worked example of ISO/IEC 7064 (also used by python-stdnum).
        assert_eq!(mod37_36_check_char("A12425GABC1234002"), Some('M'));
        assert!(mod37_36_is_valid("A12425GABC1234002M"));
    }

    #[test]
    fn mod37_36_ignores_case() {
        assert_eq!(mod37_36_check_char("a12425gabc1234002"), Some('M'));
        assert!(mod37_36_is_valid("a12425gabc1234002m"));
    }

    #[test]
    fn mod37_36_rejects_characters_outside_the_alphabet() {
        assert_eq!(mod37_36_check_char("AB-12"), None);
        assert!(!mod37_36_is_valid("A12425GABC1234002-"));
        assert!(!mod37_36_is_valid(""));
    }

    #[test]
    fn mod37_36_rejects_a_wrong_check_character() {
        assert!(!mod37_36_is_valid("A12425GABC1234002N"));
    }

    #[test]
    fn mod37_36_check_value_round_trips_through_characters() {
        for v in 0..36 {
            assert_eq!(value(character(v)), Some(v));
        }
    }
}
