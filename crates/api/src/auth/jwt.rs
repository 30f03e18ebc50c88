//! Signed tokens: customer sessions (audience `clp-customer`) and partner access tokens
//! (audience `clp-partner`), both HS256 with issuer `open-clp`.
//!
//! Verification pins the algorithm to HS256, so `alg: none` and algorithm-confusion tokens are
//! refused, and requires `exp`, `iss`, `aud` and `sub`. Every failure is a 401 `unauthorized`.

use std::time::Duration;

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

use crate::error::ApiError;

/// The `iss` of every token.
pub const ISSUER: &str = "open-clp";
/// The `aud` of customer session tokens.
pub const CUSTOMER_AUDIENCE: &str = "clp-customer";
/// The `aud` of partner access tokens.
pub const PARTNER_AUDIENCE: &str = "clp-partner";
/// Lifetime of a customer session (token and cookie).
pub const CUSTOMER_SESSION_TTL: Duration = Duration::from_secs(12 * 60 * 60);
/// Lifetime of a partner access token (`expires_in` of the token response): 15 minutes.
pub const PARTNER_TOKEN_TTL: Duration = Duration::from_secs(15 * 60);

/// Claims of a customer session token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerClaims {
    /// Always [`ISSUER`].
    pub iss: String,
    /// Always [`CUSTOMER_AUDIENCE`].
    pub aud: String,
    /// The account ID, as a decimal string.
    pub sub: String,
    /// Issued at (seconds since the epoch).
    pub iat: u64,
    /// Expiry (seconds since the epoch).
    pub exp: u64,
    /// The account's session epoch when issued (`accounts.session_epoch`): a password reset or
    /// change starts a new epoch, which ends every session of an earlier one.
    #[serde(default)]
    pub epoch: i32,
}

/// Claims of a partner access token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartnerClaims {
    /// Always [`ISSUER`].
    pub iss: String,
    /// Always [`PARTNER_AUDIENCE`].
    pub aud: String,
    /// The partner ID, as a decimal string.
    pub sub: String,
    /// Granted scopes, space separated (OAuth2 style).
    pub scope: String,
    /// Issued at (seconds since the epoch).
    pub iat: u64,
    /// Expiry (seconds since the epoch).
    pub exp: u64,
}

/// The signing key and the validation rules of both audiences.
#[derive(Clone)]
pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    customer: Validation,
    partner: Validation,
}

impl std::fmt::Debug for JwtKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("JwtKeys(..)")
    }
}

impl JwtKeys {
    /// Keys from the shared HMAC secret (`Config::jwt_secret`).
    pub fn new(secret: &[u8]) -> Self {
        let validation = |audience: &str| {
            let mut v = Validation::new(Algorithm::HS256);
            v.set_issuer(&[ISSUER]);
            v.set_audience(&[audience]);
            v.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
            // Issuer and verifier are the same server: no clock skew to allow for.
            v.leeway = 0;
            v
        };
        Self {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            customer: validation(CUSTOMER_AUDIENCE),
            partner: validation(PARTNER_AUDIENCE),
        }
    }

    /// A customer session token for `account_id` in its session `epoch`, valid for `ttl`.
    pub fn issue_customer(
        &self,
        account_id: i64,
        epoch: i32,
        ttl: Duration,
    ) -> Result<String, ApiError> {
        let (iat, exp) = lifetime(ttl);
        let claims = CustomerClaims {
            iss: ISSUER.to_owned(),
            aud: CUSTOMER_AUDIENCE.to_owned(),
            sub: account_id.to_string(),
            iat,
            exp,
            epoch,
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(ApiError::internal)
    }

    /// The claims of a valid customer token; 401 `unauthorized` otherwise.
    pub fn verify_customer(&self, token: &str) -> Result<CustomerClaims, ApiError> {
        jsonwebtoken::decode::<CustomerClaims>(token, &self.decoding, &self.customer)
            .map(|data| data.claims)
            .map_err(|e| {
                tracing::debug!(error = %e, "customer token refused");
                ApiError::Unauthorized
            })
    }

    /// A partner access token for `partner_id` with `scopes`, valid for `ttl`.
    pub fn issue_partner(
        &self,
        partner_id: i64,
        scopes: &[&str],
        ttl: Duration,
    ) -> Result<String, ApiError> {
        let (iat, exp) = lifetime(ttl);
        let claims = PartnerClaims {
            iss: ISSUER.to_owned(),
            aud: PARTNER_AUDIENCE.to_owned(),
            sub: partner_id.to_string(),
            scope: scopes.join(" "),
            iat,
            exp,
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(ApiError::internal)
    }

    /// The claims of a valid partner token; 401 `unauthorized` otherwise.
    pub fn verify_partner(&self, token: &str) -> Result<PartnerClaims, ApiError> {
        jsonwebtoken::decode::<PartnerClaims>(token, &self.decoding, &self.partner)
            .map(|data| data.claims)
            .map_err(|e| {
                tracing::debug!(error = %e, "partner token refused");
                ApiError::Unauthorized
            })
    }
}

fn lifetime(ttl: Duration) -> (u64, u64) {
    let now = jsonwebtoken::get_current_timestamp();
    (now, now.saturating_add(ttl.as_secs()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine as _;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;

    const SECRET: &[u8] = b"0123456789abcdef0123456789abcdef";

    #[test]
    fn customer_token_round_trips() {
        let keys = JwtKeys::new(SECRET);
        let token = keys.issue_customer(42, 0, Duration::from_secs(60)).unwrap();
        assert_eq!(keys.verify_customer(&token).unwrap().sub, "42");
    }

    #[test]
    fn audiences_do_not_mix() {
        let keys = JwtKeys::new(SECRET);
        let partner = keys
            .issue_partner(7, &["orders:write"], Duration::from_secs(60))
            .unwrap();
        let customer = keys.issue_customer(7, 0, Duration::from_secs(60)).unwrap();
        assert!(keys.verify_customer(&partner).is_err());
        assert!(keys.verify_partner(&customer).is_err());
        assert_eq!(keys.verify_partner(&partner).unwrap().scope, "orders:write");
    }

    #[test]
    fn expired_token_is_refused() {
        let keys = JwtKeys::new(SECRET);
        let token = keys.issue_customer(1, 0, Duration::ZERO).unwrap();
        std::thread::sleep(Duration::from_millis(1100));
        assert!(matches!(
            keys.verify_customer(&token),
            Err(ApiError::Unauthorized)
        ));
    }

    #[test]
    fn other_secret_and_alg_none_are_refused() {
        let keys = JwtKeys::new(SECRET);
        let other = JwtKeys::new(b"another secret another secret 123");
        let token = other.issue_customer(1, 0, Duration::from_secs(60)).unwrap();
        assert!(keys.verify_customer(&token).is_err());

        let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
        let claims = URL_SAFE_NO_PAD.encode(
            serde_json::json!({
                "iss": ISSUER, "aud": CUSTOMER_AUDIENCE, "sub": "1",
                "iat": 0, "exp": jsonwebtoken::get_current_timestamp() + 600,
            })
            .to_string(),
        );
        assert!(
            keys.verify_customer(&format!("{header}.{claims}."))
                .is_err()
        );
    }
}
