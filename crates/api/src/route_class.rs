//! [`RouteClass`]: the groups of routes that guess keys or credentials, each with one rate limit
//! counter per client IP (see [`crate::rate_limit`]) and one `clp_rate_limited_total` series.

use actix_web::http::Method;

/// A group of routes sharing one counter per client IP.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RouteClass {
    /// Routes that answer for a registration key, a link token or an activation id:
    /// `POST /preview`, `/activations` (anonymous callers), `/activations/verify`,
    /// `/activations/{id}/resend`, `/accounts/verify-email`, `/password-resets/confirm`,
    /// `/registrations`, and `DELETE /activations/{id}`.
    Key,
    /// `POST /session`, `POST /password-resets` (which tells nothing, but sends mail) and the
    /// routes that check a second-factor code: `POST /me/mfa/totp/confirm`, `DELETE /me/mfa/totp`.
    SignIn,
    /// `POST /accounts`, `POST /accounts/legacy`.
    SignUp,
    /// `POST /oauth/token`.
    OauthToken,
}

impl RouteClass {
    /// Every class, in exposition order.
    pub const ALL: [Self; 4] = [Self::Key, Self::SignIn, Self::SignUp, Self::OauthToken];

    /// The name used in the bucket and the metrics label.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Key => "key",
            Self::SignIn => "sign_in",
            Self::SignUp => "sign_up",
            Self::OauthToken => "oauth_token",
        }
    }

    /// The class of a request, `None` for routes that are not rate limited. The second value
    /// says whether the route is limited only for anonymous callers.
    pub fn of(method: &Method, path: &str) -> Option<(Self, bool)> {
        if *method == Method::DELETE {
            return match path {
                "/api/v1/me/mfa/totp" => Some((Self::SignIn, false)),
                _ if activation_route(path, "") => Some((Self::Key, false)),
                _ => None,
            };
        }
        if *method != Method::POST {
            return None;
        }
        match path {
            "/api/v1/preview"
            | "/api/v1/activations/verify"
            | "/api/v1/accounts/verify-email"
            | "/api/v1/password-resets/confirm"
            | "/api/v1/registrations" => Some((Self::Key, false)),
            // A signed-in customer has passed the sign-in limit already.
            "/api/v1/activations" => Some((Self::Key, true)),
            "/api/v1/session" | "/api/v1/password-resets" | "/api/v1/me/mfa/totp/confirm" => {
                Some((Self::SignIn, false))
            }
            _ if activation_route(path, "/resend") => Some((Self::Key, false)),
            "/api/v1/accounts" | "/api/v1/accounts/legacy" => Some((Self::SignUp, false)),
            "/api/v1/oauth/token" => Some((Self::OauthToken, false)),
            _ => None,
        }
    }
}

/// Whether `path` is `/api/v1/activations/{id}{suffix}` for one path segment `id` (not
/// `verify`).
fn activation_route(path: &str, suffix: &str) -> bool {
    path.strip_prefix("/api/v1/activations/")
        .and_then(|rest| rest.strip_suffix(suffix))
        .is_some_and(|id| !id.is_empty() && !id.contains('/') && id != "verify")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_cover_key_sign_in_sign_up_and_token_routes() {
        let post = Method::POST;
        assert_eq!(
            RouteClass::of(&post, "/api/v1/preview"),
            Some((RouteClass::Key, false))
        );
        assert_eq!(
            RouteClass::of(&post, "/api/v1/activations"),
            Some((RouteClass::Key, true))
        );
        assert_eq!(
            RouteClass::of(&post, "/api/v1/accounts/verify-email"),
            Some((RouteClass::Key, false))
        );
        assert_eq!(
            RouteClass::of(&post, "/api/v1/session"),
            Some((RouteClass::SignIn, false))
        );
        assert_eq!(
            RouteClass::of(&post, "/api/v1/accounts/legacy"),
            Some((RouteClass::SignUp, false))
        );
        assert_eq!(
            RouteClass::of(&post, "/api/v1/oauth/token"),
            Some((RouteClass::OauthToken, false))
        );
        assert_eq!(
            RouteClass::of(&post, "/api/v1/me/mfa/totp/confirm"),
            Some((RouteClass::SignIn, false))
        );
        assert_eq!(
            RouteClass::of(&Method::DELETE, "/api/v1/me/mfa/totp"),
            Some((RouteClass::SignIn, false))
        );
        assert_eq!(
            RouteClass::of(&post, "/api/v1/activations/0b7e/resend"),
            Some((RouteClass::Key, false))
        );
        assert_eq!(
            RouteClass::of(&Method::DELETE, "/api/v1/activations/0b7e"),
            Some((RouteClass::Key, false))
        );
        assert_eq!(
            RouteClass::of(&Method::DELETE, "/api/v1/activations/verify"),
            None
        );
        assert_eq!(
            RouteClass::of(&post, "/api/v1/activations/a/b/resend"),
            None
        );
        assert_eq!(RouteClass::of(&Method::GET, "/api/v1/preview"), None);
        assert_eq!(RouteClass::of(&Method::DELETE, "/api/v1/session"), None);
        assert_eq!(RouteClass::of(&post, "/api/v1/partner/orders"), None);
    }
}
