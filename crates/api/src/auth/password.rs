//! Password hashing: argon2id with the OWASP parameters (m = 19456 KiB, t = 2, p = 1).

use argon2::password_hash::{PasswordHash, PasswordHasher as _, PasswordVerifier as _, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use rand::RngCore as _;

use crate::error::ApiError;

/// Memory cost in KiB (OWASP: 19 MiB).
const M_COST_KIB: u32 = 19_456;
/// Iterations.
const T_COST: u32 = 2;
/// Parallelism.
const P_COST: u32 = 1;

fn argon2() -> Result<Argon2<'static>, ApiError> {
    let params = Params::new(M_COST_KIB, T_COST, P_COST, None).map_err(ApiError::internal)?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// The PHC string (`$argon2id$v=19$m=19456,t=2,p=1$...`) of `password` with a fresh random salt.
///
/// CPU-heavy (tens of milliseconds): call it from `web::block` or `spawn_blocking` in handlers.
pub fn hash_password(password: &str) -> Result<String, ApiError> {
    let mut salt = [0_u8; 16];
    rand::rng().fill_bytes(&mut salt);
    let salt = SaltString::encode_b64(&salt).map_err(ApiError::internal)?;
    let hash = argon2()?
        .hash_password(password.as_bytes(), &salt)
        .map_err(ApiError::internal)?;
    Ok(hash.to_string())
}

/// Whether `password` matches the stored PHC string `hash`.
///
/// A malformed stored hash is an internal error, not a mismatch. CPU-heavy like
/// [`hash_password`].
pub fn verify_password(password: &str, hash: &str) -> Result<bool, ApiError> {
    let parsed = PasswordHash::new(hash).map_err(ApiError::internal)?;
    match argon2()?.verify_password(password.as_bytes(), &parsed) {
        Ok(()) => Ok(true),
        Err(argon2::password_hash::Error::Password) => Ok(false),
        Err(e) => Err(ApiError::internal(e)),
    }
}

/// Spends the same time as [`verify_password`] when there is no account for the login, so
/// the response time does not tell whether an account exists. Always `false`.
pub fn verify_dummy(password: &str) -> bool {
    // A hash of a random password with the same parameters, computed once.
    static DUMMY: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
    let dummy = DUMMY.get_or_init(|| {
        let mut random = [0_u8; 32];
        rand::rng().fill_bytes(&mut random);
        hash_password(&hex::encode(random)).ok()
    });
    if let Some(hash) = dummy {
        let _ = verify_password(password, hash);
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_verifies_the_same_password_only() {
        let hash = hash_password("correct horse battery staple").unwrap();
        assert!(
            hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{hash}"
        );
        assert!(verify_password("correct horse battery staple", &hash).unwrap());
        assert!(!verify_password("correct horse battery stapler", &hash).unwrap());
        assert_ne!(hash, hash_password("correct horse battery staple").unwrap());
    }

    #[test]
    fn dummy_verification_never_succeeds() {
        assert!(!verify_dummy("anything"));
    }

    #[test]
    fn malformed_hash_is_an_error() {
        assert!(verify_password("x", "not a hash").is_err());
    }
}
