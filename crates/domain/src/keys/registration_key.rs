//! The Registration Key (RK): `PP-DDDD-DDDD-DDDD-DDDD`, a secret of its holder.

use std::fmt;
use std::str::FromStr;

use super::damm::{damm_check_digit, damm_is_valid};
use super::{
    KeyError, check_prefix_letters, generation_prefix, hyphenate, normalize, uniform_below,
};

/// Letters and digits in a registration key: 2 prefix letters and 16 digits.
const LEN: usize = 18;
/// Group sizes of the canonical, hyphenated form.
const GROUPS: [usize; 5] = [2, 4, 4, 4, 4];

/// A Registration Key, `PP-DDDD-DDDD-DDDD-DDDD`: a two-letter product-line prefix and 16
/// digits, the last being the Damm check digit of the 15 before it.
///
/// It is a secret of its holder: `Debug` masks it, and it must not appear in a URL, a log line
/// or an analytics event.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RegistrationKey(String);

impl RegistrationKey {
    /// Parses a key as customers type it: case, spaces, hyphens, underscores and surrounding
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
        let mut digits = Vec::with_capacity(LEN - 2);
        for (index, &c) in chars.iter().enumerate().skip(2) {
            if !c.is_ascii_digit() {
                return Err(KeyError::InvalidCharacter {
                    character: char::from(c),
                    position: index + 1,
                });
            }
            digits.push(c - b'0');
        }
        if !damm_is_valid(&digits) {
            return Err(KeyError::CheckFailed);
        }
        Ok(Self(hyphenate(&chars, &GROUPS)))
    }

    /// Generates a new key with the given two-letter prefix (either case): 15 uniformly random
    /// digits and their Damm check digit. `CryptoRng` implies `RngCore`, so any
    /// cryptographically secure generator fits.
    pub fn generate(prefix: &str, rng: &mut impl rand_core::CryptoRng) -> Result<Self, KeyError> {
        let prefix = generation_prefix(prefix)?;
        let mut digits = Vec::with_capacity(LEN - 2);
        for _ in 0..LEN - 3 {
            digits.push(uniform_below(rng, 10));
        }
        digits.push(damm_check_digit(&digits));
        let chars: Vec<u8> = prefix
            .iter()
            .copied()
            .chain(digits.iter().map(|d| b'0' + d))
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

    /// The key with all but its prefix and last group hidden, e.g. `XD-****-****-****-1234`,
    /// for showing or logging which key is meant without revealing it.
    pub fn masked(&self) -> String {
        let last = self
            .0
            .get(self.0.len().saturating_sub(4)..)
            .unwrap_or_default();
        format!("{}-****-****-****-{last}", self.prefix())
    }
}

impl fmt::Debug for RegistrationKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RegistrationKey({})", self.masked())
    }
}

impl fmt::Display for RegistrationKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for RegistrationKey {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl FromStr for RegistrationKey {
    type Err = KeyError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<&str> for RegistrationKey {
    type Error = KeyError;

    fn try_from(value: &str) -> Result<Self, Self::Error> {
        Self::parse(value)
    }
}

impl TryFrom<String> for RegistrationKey {
    type Error = KeyError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<RegistrationKey> for String {
    fn from(key: RegistrationKey) -> Self {
        key.0
    }
}

impl serde::Serialize for RegistrationKey {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> serde::Deserialize<'de> for RegistrationKey {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        Self::parse(&raw).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    /// 15 digits `123456789012345` and their Damm check digit.
    fn valid_key() -> String {
        let digits = [1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5];
        let check = damm_check_digit(&digits);
        format!("XD-1234-5678-9012-345{check}")
    }

    fn generated(prefix: &str, seed: u64) -> RegistrationKey {
        RegistrationKey::generate(prefix, &mut StdRng::seed_from_u64(seed)).unwrap()
    }

    #[test]
    fn parse_accepts_the_canonical_form() {
        let key = RegistrationKey::parse(&valid_key()).unwrap();
        assert_eq!(key.as_str(), valid_key());
        assert_eq!(key.to_string(), valid_key());
        assert_eq!(key.prefix(), "XD");
    }

    #[test]
    fn parse_accepts_lower_case_with_spaces_and_underscores() {
        let typed = format!(
            "  {}\n",
            valid_key()
                .to_lowercase()
                .replacen('-', " ", 2)
                .replace('-', "_")
        );
        assert_eq!(
            RegistrationKey::parse(&typed).unwrap().as_str(),
            valid_key()
        );
    }

    #[test]
    fn parse_accepts_the_key_without_separators() {
        let bare = valid_key().replace('-', "");
        assert_eq!(RegistrationKey::parse(&bare).unwrap().as_str(), valid_key());
    }

    #[test]
    fn parse_rejects_a_missing_digit_as_wrong_length() {
        let short = &valid_key()[..valid_key().len() - 1];
        assert_eq!(
            RegistrationKey::parse(short),
            Err(KeyError::WrongLength {
                expected: 18,
                found: 17
            })
        );
        assert_eq!(
            RegistrationKey::parse(""),
            Err(KeyError::WrongLength {
                expected: 18,
                found: 0
            })
        );
    }

    #[test]
    fn parse_rejects_a_letter_among_the_digits_with_its_position() {
        let typed = valid_key().replacen('5', "S", 1);
        assert_eq!(
            RegistrationKey::parse(&typed),
            Err(KeyError::InvalidCharacter {
                character: 'S',
                position: 7
            })
        );
    }

    #[test]
    fn parse_rejects_a_digit_in_the_prefix() {
        let typed = valid_key().replacen('D', "0", 1);
        assert_eq!(
            RegistrationKey::parse(&typed),
            Err(KeyError::InvalidCharacter {
                character: '0',
                position: 2
            })
        );
    }

    #[test]
    fn parse_rejects_punctuation_with_its_position() {
        assert_eq!(
            RegistrationKey::parse("XD-1234.5678-9012-3456"),
            Err(KeyError::InvalidCharacter {
                character: '.',
                position: 7
            })
        );
    }

    #[test]
    fn parse_rejects_a_wrong_check_digit() {
        let key = valid_key();
        let last = key.chars().last().unwrap().to_digit(10).unwrap();
        let typed = format!("{}{}", &key[..key.len() - 1], (last + 1) % 10);
        assert_eq!(RegistrationKey::parse(&typed), Err(KeyError::CheckFailed));
    }

    #[test]
    fn generated_key_parses_and_has_the_given_prefix() {
        let key = generated("xd", 7);
        assert_eq!(key.prefix(), "XD");
        assert_eq!(key.as_str().len(), 22);
        assert_eq!(RegistrationKey::parse(key.as_str()), Ok(key));
    }

    #[test]
    fn generate_rejects_a_prefix_that_is_not_two_letters() {
        let mut rng = StdRng::seed_from_u64(1);
        assert_eq!(
            RegistrationKey::generate("X1", &mut rng),
            Err(KeyError::BadPrefix)
        );
        assert_eq!(
            RegistrationKey::generate("XDX", &mut rng),
            Err(KeyError::BadPrefix)
        );
    }

    #[test]
    fn generate_gives_different_keys_for_different_random_streams() {
        assert_ne!(generated("XD", 1), generated("XD", 2));
    }

    #[test]
    fn debug_and_masked_hide_all_but_the_prefix_and_last_group() {
        let key = RegistrationKey::parse(&valid_key()).unwrap();
        let last_group = &valid_key()[18..];
        assert_eq!(key.masked(), format!("XD-****-****-****-{last_group}"));
        let debug = format!("{key:?}");
        assert_eq!(
            debug,
            format!("RegistrationKey(XD-****-****-****-{last_group})")
        );
        assert!(!debug.contains("1234-5678"));
    }

    #[test]
    fn serde_writes_the_canonical_string_and_reads_through_parse() {
        use serde::de::IntoDeserializer;
        use serde::de::value::{Error, StrDeserializer};

        let key = RegistrationKey::parse(&valid_key()).unwrap();
        let typed = valid_key().to_lowercase();
        let de: StrDeserializer<'_, Error> = typed.as_str().into_deserializer();
        assert_eq!(
            <RegistrationKey as serde::Deserialize>::deserialize(de),
            Ok(key)
        );
        let de: StrDeserializer<'_, Error> = "XD-1".into_deserializer();
        assert!(<RegistrationKey as serde::Deserialize>::deserialize(de).is_err());
    }

    /// The 16 digits of a canonical key, as characters, with their indices in `as_str()`.
    fn digit_positions(key: &RegistrationKey) -> Vec<usize> {
        key.as_str()
            .char_indices()
            .filter(|(_, c)| c.is_ascii_digit())
            .map(|(i, _)| i)
            .collect()
    }

    proptest! {
        #[test]
        fn parse_of_display_gives_back_a_generated_key(prefix in "[A-Za-z]{2}", seed in any::<u64>()) {
            let key = generated(&prefix, seed);
            prop_assert_eq!(RegistrationKey::parse(key.to_string().as_str()), Ok(key.clone()));
            prop_assert_eq!(key.prefix(), prefix.to_ascii_uppercase());
        }

        #[test]
        fn parse_ignores_case_and_separators_anywhere(seed in any::<u64>(), separators in prop::collection::vec(prop::sample::select(vec!["", " ", "-", "_", "--"]), 18)) {
            let key = generated("XD", seed);
            let typed: String = key
                .as_str()
                .chars()
                .filter(|c| *c != '-')
                .zip(separators)
                .map(|(c, sep)| format!("{}{sep}", c.to_ascii_lowercase()))
                .collect();
            prop_assert_eq!(RegistrationKey::parse(&format!(" {typed}\n")), Ok(key));
        }

        #[test]
        fn every_single_digit_substitution_is_rejected(seed in any::<u64>()) {
            let key = generated("XD", seed);
            for index in digit_positions(&key) {
                for digit in '0'..='9' {
                    let mut typed: Vec<char> = key.as_str().chars().collect();
                    if typed[index] == digit {
                        continue;
                    }
                    typed[index] = digit;
                    let typed: String = typed.into_iter().collect();
                    prop_assert_eq!(RegistrationKey::parse(&typed), Err(KeyError::CheckFailed));
                }
            }
        }

        #[test]
        fn every_adjacent_transposition_of_different_digits_is_rejected(seed in any::<u64>()) {
            let key = generated("XD", seed);
            let mut digits: Vec<char> = key.as_str().chars().filter(char::is_ascii_digit).collect();
            for i in 0..digits.len() - 1 {
                if digits[i] == digits[i + 1] {
                    continue;
                }
                digits.swap(i, i + 1);
                let typed = format!("XD{}", digits.iter().collect::<String>());
                prop_assert_eq!(RegistrationKey::parse(&typed), Err(KeyError::CheckFailed));
                digits.swap(i, i + 1);
            }
        }
    }
}
