//! Why a typed key was not accepted.

/// Why a string is not a valid registration key or activation code.
///
/// Messages are sentences a customer can act on and never repeat the whole key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    /// The key has too few or too many letters and digits (separators are not counted).
    #[error(
        "the key should have {expected} letters and digits, not counting hyphens and spaces, \
         but it has {found}; check that none is missing or repeated"
    )]
    WrongLength {
        /// How many letters and digits a key of this kind has.
        expected: usize,
        /// How many letters and digits were typed.
        found: usize,
    },
    /// A character that is not allowed at its place in the key.
    #[error(
        "the character '{character}' is not allowed at position {position} of the key \
         (counting letters and digits only); check it against the original"
    )]
    InvalidCharacter {
        /// The offending character, as typed.
        character: char,
        /// Its 1-based position among the key's letters and digits (separators not counted).
        position: usize,
    },
    /// Every character is allowed but the check character does not match: a typo.
    #[error(
        "the key looks mistyped: its check character does not match; \
         check each character against the original"
    )]
    CheckFailed,
    /// A prefix given to key generation is not two letters A-Z.
    #[error("a key prefix must be two letters from A to Z")]
    BadPrefix,
}

impl KeyError {
    /// A stable snake_case code for this error, so the browser can pick a translated message.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::WrongLength { .. } => "wrong_length",
            Self::InvalidCharacter { .. } => "invalid_character",
            Self::CheckFailed => "check_failed",
            Self::BadPrefix => "bad_prefix",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_names_each_error_in_snake_case() {
        assert_eq!(
            KeyError::WrongLength {
                expected: 18,
                found: 17
            }
            .kind(),
            "wrong_length"
        );
        assert_eq!(
            KeyError::InvalidCharacter {
                character: 'x',
                position: 3
            }
            .kind(),
            "invalid_character"
        );
        assert_eq!(KeyError::CheckFailed.kind(), "check_failed");
        assert_eq!(KeyError::BadPrefix.kind(), "bad_prefix");
    }

    #[test]
    fn messages_name_the_problem_in_plain_words() {
        let wrong_length = KeyError::WrongLength {
            expected: 18,
            found: 17,
        }
        .to_string();
        assert!(wrong_length.contains("18") && wrong_length.contains("17"));
        let invalid = KeyError::InvalidCharacter {
            character: '!',
            position: 4,
        }
        .to_string();
        assert!(invalid.contains("'!'") && invalid.contains("position 4"));
        assert!(KeyError::CheckFailed.to_string().contains("looks mistyped"));
    }
}
