//! The tokens of emailed links (activation verification, email verification): 256 random bits
//! from the OS, base64url in the link, and only their SHA-256 in the database.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::TryRngCore as _;
use sha2::{Digest as _, Sha256};

use crate::error::ApiError;
use crate::messages::FieldProblem;

/// Random bytes of a token (256 bits).
const TOKEN_BYTES: usize = 32;
/// The longest token a verify route accepts (a real one has 43 characters).
pub const MAX_TOKEN_LEN: usize = 128;

/// A new token (base64url, 256 random bits from the OS) and the lower-case hex SHA-256 that is
/// stored instead of it.
pub fn new_token() -> Result<(String, String), ApiError> {
    let mut bytes = [0_u8; TOKEN_BYTES];
    rand::rngs::OsRng
        .try_fill_bytes(&mut bytes)
        .map_err(ApiError::internal)?;
    let token = URL_SAFE_NO_PAD.encode(bytes);
    let hash = token_hash(&token);
    Ok((token, hash))
}

/// The stored form of a token.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// The token sent to a verify route, trimmed: 422 on `field` when it is empty or too long to be
/// the token of a link.
pub fn checked(token: &str) -> Result<&str, ApiError> {
    let token = token.trim();
    if token.is_empty() || token.len() > MAX_TOKEN_LEN {
        return Err(ApiError::invalid_field(
            "token",
            FieldProblem::InvalidLinkToken,
        ));
    }
    Ok(token)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_carries_256_random_bits_and_only_its_hash_is_stored() {
        let (token, hash) = new_token().unwrap();
        assert_eq!(token.len(), 43);
        assert!(!token.contains(['+', '/', '=']));
        assert_eq!(hash.len(), 64);
        assert_eq!(hash, token_hash(&token));
        assert_ne!(new_token().unwrap().0, token);
    }

    #[test]
    fn empty_and_overlong_tokens_are_refused() {
        assert!(checked("  ").is_err());
        assert!(checked(&"a".repeat(MAX_TOKEN_LEN + 1)).is_err());
        assert_eq!(checked(" abc\n").unwrap(), "abc");
    }
}
