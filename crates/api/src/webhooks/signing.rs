//! Standard Webhooks signatures (<https://www.standardwebhooks.com/>).
//!
//! Headers: `webhook-id` (the message id, the same across retries), `webhook-timestamp`
//! (Unix seconds of the attempt) and `webhook-signature: v1,<base64 HMAC-SHA256>` over
//! `"{id}.{timestamp}.{body}"`, keyed with the base64-decoded part of the `whsec_` secret.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac as _};
use rand::RngCore as _;
use sha2::Sha256;

/// Header carrying the message id.
pub const WEBHOOK_ID: &str = "webhook-id";
/// Header carrying the Unix time of the attempt.
pub const WEBHOOK_TIMESTAMP: &str = "webhook-timestamp";
/// Header carrying the signature(s).
pub const WEBHOOK_SIGNATURE: &str = "webhook-signature";
/// Prefix of a signing secret.
pub const SECRET_PREFIX: &str = "whsec_";

/// The secret is not `whsec_<base64>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the signing secret is not `whsec_` followed by base64")]
pub struct BadSecret;

/// A new signing secret: `whsec_` and 32 random bytes in base64.
pub fn generate_secret() -> String {
    let mut key = [0_u8; 32];
    rand::rng().fill_bytes(&mut key);
    format!("{SECRET_PREFIX}{}", STANDARD.encode(key))
}

fn key_of(secret: &str) -> Result<Vec<u8>, BadSecret> {
    let encoded = secret.strip_prefix(SECRET_PREFIX).unwrap_or(secret);
    STANDARD.decode(encoded).map_err(|_| BadSecret)
}

fn mac(secret: &str, id: &str, timestamp: i64, body: &[u8]) -> Result<Hmac<Sha256>, BadSecret> {
    let key = key_of(secret)?;
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).map_err(|_| BadSecret)?;
    mac.update(id.as_bytes());
    mac.update(b".");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    Ok(mac)
}

/// The `webhook-signature` value of a message: `v1,<base64 signature>`.
pub fn sign(secret: &str, id: &str, timestamp: i64, body: &[u8]) -> Result<String, BadSecret> {
    let signature = mac(secret, id, timestamp, body)?.finalize().into_bytes();
    Ok(format!("v1,{}", STANDARD.encode(signature)))
}

/// Whether `header` (space-separated `v1,<sig>` entries) holds a valid signature of the
/// message. Compares in constant time. Receivers should also reject old timestamps.
pub fn verify(secret: &str, id: &str, timestamp: i64, body: &[u8], header: &str) -> bool {
    header.split_whitespace().any(|entry| {
        let Some(encoded) = entry.strip_prefix("v1,") else {
            return false;
        };
        let Ok(signature) = STANDARD.decode(encoded) else {
            return false;
        };
        mac(secret, id, timestamp, body).is_ok_and(|m| m.verify_slice(&signature).is_ok())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signature_matches_the_standard_webhooks_test_vector() {
        // From the Standard Webhooks reference libraries' tests.
        let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        let id = "msg_p5jXN8AQM9LWM0D4loKWxJek";
        let body = br#"{"test": 2432232314}"#;
        assert_eq!(
            sign(secret, id, 1_614_265_330, body).unwrap(),
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
        );
    }

    #[test]
    fn verification_accepts_the_signature_only() {
        let secret = generate_secret();
        assert!(secret.starts_with("whsec_"));
        let header = sign(&secret, "msg_1", 100, b"{}").unwrap();
        assert!(verify(&secret, "msg_1", 100, b"{}", &header));
        assert!(verify(
            &secret,
            "msg_1",
            100,
            b"{}",
            &format!("v1,AAAA {header}")
        ));
        assert!(!verify(&secret, "msg_1", 101, b"{}", &header));
        assert!(!verify(&secret, "msg_2", 100, b"{}", &header));
        assert!(!verify(&secret, "msg_1", 100, b"{ }", &header));
        assert!(!verify(&generate_secret(), "msg_1", 100, b"{}", &header));
    }

    #[test]
    fn a_malformed_secret_is_an_error() {
        assert_eq!(sign("whsec_***", "m", 1, b""), Err(BadSecret));
    }
}
