//! The Activation Code (AC): `PP-AAAA-AAAAA-AAAAA-AAAAA-AAAAA-AAAAA`.

use std::fmt;
use std::str::FromStr;

use super::mod37_36::{check_value, is_valid_values};
use super::{
    KeyError, check_prefix_letters, generation_prefix, hyphenate, normalize, uniform_below,
};

/// Letters and digits in an activation code: 2 prefix letters and 29 of `0-9A-Z`.
const LEN: usize = 31;
/// Group sizes of the canonical, hyphenated form.
const GROUPS: [usize; 7] = [2, 4, 5, 5, 5, 5, 5];
/// The alphabet of the hybrid system, in value order.
const ALPHABET: &[u8; 36] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

/// The value 0-35 of an upper-case character of `0-9A-Z`.
fn value(c: u8) -> Option<u8> {
    ALPHABET
        .iter()
        .position(|&a| a == c)
        .and_then(|v| u8::try_from(v).ok())
}

/// An Activation Code, `PP-AAAA-AAAAA-AAAAA-AAAAA-AAAAA-AAAAA`: a two-letter prefix and 29
/// characters of `0-9A-Z`, the last being the ISO/IEC 7064 MOD 37,36 check character of the
/// 30 before it (prefix included).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ActivationCode(String);

impl ActivationCode {
    /// Parses a code as customers type it: case, spaces, hyphens, underscores and surrounding
    /// whitespace are ignored.
    pub fn parse(input: &str) -> Result<Self, KeyError> {
        let chars = normalize(input)?;
        if chars.len() != LEN {
            return Err(KeyError::WrongLength {
                expected: LEN,
                found: chars.len(),
            });
        }
        check_prefix_letters(&chars)?;
        let mut values = Vec::with_capacity(LEN);
        for (index, &c) in chars.iter().enumerate() {
            let v = value(c).ok_or(KeyError::InvalidCharacter {
                character: char::from(c),
                position: index + 1,
            })?;
            values.push(v);
        }
        if !is_valid_values(&values) {
            return Err(KeyError::CheckFailed);
        }
        Ok(Self(hyphenate(&chars, &GROUPS)))
    }

    /// Generates a new code with the given two-letter prefix (either case): 28 uniformly random
    /// characters of `0-9A-Z` and their MOD 37,36 check character. `CryptoRng` implies
    /// `RngCore`, so any cryptographically secure generator fits.
    pub fn generate(prefix: &str, rng: &mut impl rand_core::CryptoRng) -> Result<Self, KeyError> {
        let prefix = generation_prefix(prefix)?;
        let mut values = Vec::with_capacity(LEN);
        for &c in &prefix {
            values.push(value(c).ok_or(KeyError::BadPrefix)?);
        }
        for _ in 0..LEN - 3 {
            values.push(uniform_below(rng, 36));
        }
        values.push(check_value(&values));
        let chars: Vec<u8> = values
            .iter()
            .map(|&v| ALPHABET[usize::from(v % 36)])
            .collect();
        Ok(Self(hyphenate(&chars, &GROUPS)))
    }

    /// The canonical, hyphenated upper-case form.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The two-letter product-line prefix.
    pub fn prefix(&self) -> &str {
        self.0.get(..2).unwrap_or_default()
    }
}

impl fmt::Display for ActivationCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for ActivationCode {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl FromStr for ActivationCode {
    type Err = KeyError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<&str> for ActivationCode {
    type Error = KeyError;

    fn try_from(value: &str) -> Result<Self, Self::Error> {
        Self::parse(value)
    }
}

impl TryFrom<String> for ActivationCode {
    type Error = KeyError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<ActivationCode> for String {
    fn from(code: ActivationCode) -> Self {
        code.0
    }
}

impl serde::Serialize for ActivationCode {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> serde::Deserialize<'de> for ActivationCode {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        Self::parse(&raw).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::super::mod37_36_check_char;
    use super::*;
    use proptest::prelude::*;
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    /// A valid code built from a fixed body and its check character.
    fn valid_code() -> String {
        let body = "XD0A1B2C3D4E5F6G7H8I9J0K1L2M3N";
        let check = mod37_36_check_char(body).unwrap();
        let bare = format!("{body}{check}");
        hyphenate(bare.as_bytes(), &GROUPS)
    }

    fn generated(prefix: &str, seed: u64) -> ActivationCode {
        ActivationCode::generate(prefix, &mut StdRng::seed_from_u64(seed)).unwrap()
    }

    #[test]
    fn canonical_form_has_37_characters_in_the_documented_groups() {
        let code = valid_code();
        assert_eq!(code.len(), 37);
        assert!(code.starts_with("XD-0A1B-2C3D4-"));
    }

    #[test]
    fn parse_accepts_the_canonical_form() {
        let code = ActivationCode::parse(&valid_code()).unwrap();
        assert_eq!(code.as_str(), valid_code());
        assert_eq!(code.to_string(), valid_code());
        assert_eq!(code.prefix(), "XD");
    }

    #[test]
    fn parse_accepts_lower_case_with_spaces_and_underscores() {
        let typed = format!(
            "\t{}\r\n",
            valid_code()
                .to_lowercase()
                .replacen('-', " ", 3)
                .replace('-', "_")
        );
        assert_eq!(
            ActivationCode::parse(&typed).unwrap().as_str(),
            valid_code()
        );
    }

    #[test]
    fn parse_rejects_an_extra_character_as_wrong_length() {
        let typed = format!("{}7", valid_code());
        assert_eq!(
            ActivationCode::parse(&typed),
            Err(KeyError::WrongLength {
                expected: 31,
                found: 32
            })
        );
    }

    #[test]
    fn parse_rejects_a_digit_in_the_prefix_with_its_position() {
        let typed = valid_code().replacen('X', "1", 1);
        assert_eq!(
            ActivationCode::parse(&typed),
            Err(KeyError::InvalidCharacter {
                character: '1',
                position: 1
            })
        );
    }

    #[test]
    fn parse_rejects_a_non_ascii_letter_with_its_position() {
        let typed = valid_code().replacen('A', "Ä", 1);
        assert_eq!(
            ActivationCode::parse(&typed),
            Err(KeyError::InvalidCharacter {
                character: 'Ä',
                position: 4
            })
        );
    }

    #[test]
    fn parse_rejects_a_wrong_check_character() {
        let code = valid_code();
        let last = code.chars().last().unwrap();
        let other = if last == 'Z' { 'Y' } else { 'Z' };
        let typed = format!("{}{other}", &code[..code.len() - 1]);
        assert_eq!(ActivationCode::parse(&typed), Err(KeyError::CheckFailed));
    }

    #[test]
    fn generated_code_parses_and_has_the_given_prefix() {
        let code = generated("tm", 11);
        assert_eq!(code.prefix(), "TM");
        assert_eq!(code.as_str().len(), 37);
        assert_eq!(ActivationCode::parse(code.as_str()), Ok(code));
    }

    #[test]
    fn generate_rejects_a_prefix_that_is_not_two_letters() {
        let mut rng = StdRng::seed_from_u64(1);
        assert_eq!(
            ActivationCode::generate("1X", &mut rng),
            Err(KeyError::BadPrefix)
        );
        assert_eq!(
            ActivationCode::generate("", &mut rng),
            Err(KeyError::BadPrefix)
        );
    }

    #[test]
    fn debug_shows_the_whole_code() {
        let code = ActivationCode::parse(&valid_code()).unwrap();
        assert!(format!("{code:?}").contains(&valid_code()));
    }

    #[test]
    fn serde_writes_the_canonical_string_and_reads_through_parse() {
        use serde::de::IntoDeserializer;
        use serde::de::value::{Error, StrDeserializer};

        let code = ActivationCode::parse(&valid_code()).unwrap();
        let typed = valid_code().to_lowercase();
        let de: StrDeserializer<'_, Error> = typed.as_str().into_deserializer();
        assert_eq!(
            <ActivationCode as serde::Deserialize>::deserialize(de),
            Ok(code)
        );
    }

    proptest! {
        #[test]
        fn parse_of_display_gives_back_a_generated_code(prefix in "[A-Za-z]{2}", seed in any::<u64>()) {
            let code = generated(&prefix, seed);
            prop_assert_eq!(ActivationCode::parse(code.to_string().as_str()), Ok(code.clone()));
            prop_assert_eq!(code.prefix(), prefix.to_ascii_uppercase());
        }

        #[test]
        fn every_single_character_substitution_is_rejected(seed in any::<u64>()) {
            let code = generated("XD", seed);
            let bare: Vec<u8> = code.as_str().bytes().filter(|&c| c != b'-').collect();
            for index in 0..bare.len() {
                // The prefix only takes letters; a digit there is caught before the check.
                let replacements: &[u8] = if index < 2 { &ALPHABET[10..] } else { ALPHABET };
                for &replacement in replacements {
                    if bare[index] == replacement {
                        continue;
                    }
                    let mut typed = bare.clone();
                    typed[index] = replacement;
                    let typed = String::from_utf8(typed).unwrap();
                    prop_assert_eq!(ActivationCode::parse(&typed), Err(KeyError::CheckFailed));
                }
            }
        }
    }
}
