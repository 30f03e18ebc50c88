//! Two-factor sign-in codes: TOTP (RFC 6238) with `totp-rs` (SHA-1, 6 digits, 30-second steps,
//! one step of skew either way, issuer "Open CLP", the account's email as account name), and
//! the ten one-time recovery codes (only their SHA-256 is stored).

use chrono::{DateTime, Utc};
use rand::TryRngCore as _;
use sha2::{Digest as _, Sha256};
use totp_rs::{Algorithm, Builder, Secret, Totp};

use crate::error::ApiError;

/// The issuer an authenticator app shows.
pub const ISSUER: &str = "Open CLP";
/// Digits of a code.
const DIGITS: u8 = 6;
/// Seconds of a time step.
const STEP_SECS: i64 = 30;
/// Steps accepted before and after the current one (clock drift).
const SKEW: u16 = 1;
/// Random bytes of a secret (160 bits, as RFC 4226 recommends).
const SECRET_BYTES: usize = 20;
/// How many recovery codes an enrolment gives.
pub const RECOVERY_CODE_COUNT: usize = 10;
/// Characters of a recovery code (base32 lower case: no 0/1/8/9, so no o/l/b confusion).
const RECOVERY_ALPHABET: &[u8; 32] = b"abcdefghijklmnopqrstuvwxyz234567";
/// Random characters of a recovery code (10 × 5 bits), shown as `xxxxx-xxxxx`.
const RECOVERY_CHARS: usize = 10;

/// A new secret: base32 for typing, and the `otpauth://` URI for a QR code. `Debug` leaves
/// both out.
pub struct NewSecret {
    /// The secret, base32 without padding.
    pub secret: String,
    /// `otpauth://totp/Open%20CLP:<email>?secret=...&issuer=Open%20CLP`.
    pub otpauth_uri: String,
}

impl std::fmt::Debug for NewSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewSecret(..)")
    }
}

fn random_bytes<const N: usize>() -> Result<[u8; N], ApiError> {
    let mut bytes = [0_u8; N];
    rand::rngs::OsRng
        .try_fill_bytes(&mut bytes)
        .map_err(ApiError::internal)?;
    Ok(bytes)
}

fn builder(secret: Vec<u8>, email: &str) -> Builder {
    Builder::new()
        .with_algorithm(Algorithm::SHA1)
        .with_digits(DIGITS)
        .with_skew(SKEW)
        .with_step_duration(STEP_SECS.unsigned_abs())
        .with_secret(secret)
        .with_account_name(email)
        .with_issuer(Some(ISSUER))
}

fn totp_of(secret: &str, email: &str) -> Result<Totp, ApiError> {
    let bytes = Secret::try_from_base32(secret)
        .map_err(|_| ApiError::internal("a stored TOTP secret is not base32"))?;
    // An email with a `:` cannot be an otpauth account name; codes do not depend on it.
    let name = if email.contains(':') { "" } else { email };
    builder(bytes.to_vec(), name)
        .build()
        .map_err(|_| ApiError::internal("a stored TOTP secret was refused"))
}

/// A new random secret for `email` and its `otpauth://` URI.
pub fn new_secret(email: &str) -> Result<NewSecret, ApiError> {
    let bytes = random_bytes::<SECRET_BYTES>()?;
    let totp = builder(bytes.to_vec(), email)
        .build()
        .map_err(|_| ApiError::internal("the TOTP parameters were refused"))?;
    let otpauth_uri = totp
        .to_url()
        .map_err(|_| ApiError::internal("no otpauth URI for this account name"))?;
    Ok(NewSecret {
        secret: totp.secret().to_base32(),
        otpauth_uri,
    })
}

/// The time step of `now`.
pub fn step_of(now: DateTime<Utc>) -> i64 {
    now.timestamp().div_euclid(STEP_SECS)
}

/// Whether `code` has the shape of a TOTP code (six digits; spaces ignored).
pub fn is_totp_shaped(code: &str) -> bool {
    let digits: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    digits.len() == usize::from(DIGITS) && digits.chars().all(|c| c.is_ascii_digit())
}

/// The time step (within one step of `now`) whose code is `code`, if any.
pub fn matching_step(
    secret: &str,
    email: &str,
    code: &str,
    now: DateTime<Utc>,
) -> Result<Option<i64>, ApiError> {
    if !is_totp_shaped(code) {
        return Ok(None);
    }
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    let Ok(time) = u64::try_from(now.timestamp()) else {
        return Ok(None);
    };
    let totp = totp_of(secret, email)?;
    Ok(totp
        .check(&code, time)
        .and_then(|step| i64::try_from(step).ok()))
}

/// Ten new recovery codes (`xxxxx-xxxxx`, 50 random bits each), to show once.
pub fn new_recovery_codes() -> Result<Vec<String>, ApiError> {
    (0..RECOVERY_CODE_COUNT)
        .map(|_| {
            let bytes = random_bytes::<RECOVERY_CHARS>()?;
            let chars: String = bytes
                .iter()
                .map(|b| char::from(RECOVERY_ALPHABET[usize::from(b % 32)]))
                .collect();
            Ok(format!("{}-{}", &chars[..5], &chars[5..]))
        })
        .collect()
}

/// The stored form of a recovery code: the SHA-256 (hex) of the code in lower case without
/// hyphens or spaces, so `ABCDE-FGHIJ`, `abcdefghij` and `abcde fghij` are the same code.
pub fn recovery_code_hash(code: &str) -> String {
    let normalized: String = code
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .flat_map(char::to_lowercase)
        .collect();
    hex::encode(Sha256::digest(normalized.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_secret_is_160_bits_of_base32_and_its_uri_names_the_issuer_and_account() {
        let new = new_secret("jane@acme.example").unwrap();
        assert_eq!(new.secret.len(), 32);
        assert!(new.otpauth_uri.starts_with("otpauth://totp/"));
        assert!(new.otpauth_uri.contains("issuer=Open%20CLP"));
        assert!(new.otpauth_uri.contains("jane%40acme.example"));
        assert!(new.otpauth_uri.contains(&format!("secret={}", new.secret)));
        assert!(!format!("{new:?}").contains(&new.secret));
    }

    #[test]
    fn the_code_of_now_and_of_one_step_either_way_match_and_no_other() {
        let new = new_secret("jane@acme.example").unwrap();
        let now = Utc::now();
        let totp = totp_of(&new.secret, "jane@acme.example").unwrap();
        let at = |step: i64| {
            totp.generate(u64::try_from(step * STEP_SECS).unwrap())
                .to_string()
        };
        let step = step_of(now);
        for s in [step - 1, step, step + 1] {
            assert_eq!(
                matching_step(&new.secret, "x", &at(s), now).unwrap(),
                Some(s)
            );
        }
        let far = at(step - 3);
        if ![at(step - 1), at(step), at(step + 1)].contains(&far) {
            assert_eq!(matching_step(&new.secret, "x", &far, now).unwrap(), None);
        }
        assert_eq!(matching_step(&new.secret, "x", "12345", now).unwrap(), None);
    }

    #[test]
    fn rfc_6238_test_vector() {
        // RFC 6238 appendix B: the SHA-1 secret "12345678901234567890", T = 59 -> 94287082
        // (8 digits); the 6-digit code is its last six digits.
        let secret = Secret::from(b"12345678901234567890".to_vec()).to_base32();
        let at_59 = DateTime::<Utc>::from_timestamp(59, 0).unwrap();
        assert_eq!(
            matching_step(&secret, "x", "287082", at_59).unwrap(),
            Some(1)
        );
    }

    #[test]
    fn recovery_codes_are_ten_distinct_and_hash_the_same_whatever_the_case_or_hyphen() {
        let codes = new_recovery_codes().unwrap();
        assert_eq!(codes.len(), 10);
        let mut unique = codes.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), 10);
        let code = &codes[0];
        assert_eq!(code.len(), 11);
        assert_eq!(
            recovery_code_hash(code),
            recovery_code_hash(&code.replace('-', "").to_uppercase())
        );
        assert_ne!(recovery_code_hash(code), recovery_code_hash(&codes[1]));
    }
}
