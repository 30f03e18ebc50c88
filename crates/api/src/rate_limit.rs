//! Per client IP throttling of the routes that guess keys or credentials: at most
//! `CLP_RATE_LIMIT_PER_MIN` requests per IP, per [`RouteClass`], per fixed minute window
//! (0 turns it off). Over the limit: 429 `rate_limited` with `Retry-After` (seconds to the end
//! of the window).
//!
//! The counters live in the database (`rate_limits`, see `clp_db::rate_limits`), because several
//! `clp-server` processes share one database and a client must not get the limit once per
//! process. Each limited request costs one upsert; once a bucket is over the limit, this process
//! remembers it until the window ends and refuses without asking the database again (counts
//! only grow within a window, so this never refuses what the database would allow).
//!
//! The client IP is the peer address, or with `CLP_TRUST_PROXY=1` the first address of
//! `Forwarded`/`X-Forwarded-For` (set it only behind a proxy that writes those headers).

use std::collections::HashSet;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Mutex, PoisonError};

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{FromRequest as _, HttpRequest, ResponseError as _, web};
use chrono::{DateTime, Utc};
use clp_db::{ConnectionTrait, Database};

use crate::auth::OptionalCustomerSession;
use crate::config::Config;
use crate::error::ApiError;
use crate::metrics;
use crate::route_class::RouteClass;

/// Length of a rate limit window, in seconds.
pub const WINDOW_SECS: i64 = 60;

/// The start of the fixed window holding `now`.
pub fn window_start(now: DateTime<Utc>) -> DateTime<Utc> {
    let secs = now.timestamp();
    DateTime::from_timestamp(secs - secs.rem_euclid(WINDOW_SECS), 0).unwrap_or(now)
}

/// Whole seconds from `now` to the end of its window, at least 1.
pub fn retry_after_secs(now: DateTime<Utc>) -> u64 {
    let end = window_start(now) + chrono::Duration::seconds(WINDOW_SECS);
    let millis = u64::try_from((end - now).num_milliseconds()).unwrap_or(0);
    millis.div_ceil(1000).max(1)
}

/// An IP address in canonical form (`203.0.113.7`, `2001:db8::1`) from an address that may
/// carry a port (`203.0.113.7:5123`, `[2001:db8::1]:443`); other text is kept, cut to 64
/// characters (a forwarded header may hold anything).
fn normalize_ip(addr: &str) -> String {
    let addr = addr.trim();
    if let Ok(socket) = addr.parse::<SocketAddr>() {
        return socket.ip().to_string();
    }
    if let Ok(ip) = addr.trim_matches(['[', ']']).parse::<IpAddr>() {
        return ip.to_string();
    }
    addr.chars().take(64).collect()
}

/// The client IP of `req`: the peer address, or with `trust_proxy` the first address of
/// `Forwarded`/`X-Forwarded-For` (falling back to the peer).
pub fn client_ip(req: &HttpRequest, trust_proxy: bool) -> Option<String> {
    if trust_proxy {
        return req.connection_info().realip_remote_addr().map(normalize_ip);
    }
    req.peer_addr().map(|addr| addr.ip().to_string())
}

/// The verdict on one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Under the limit (or limiting is off).
    Allowed,
    /// Over the limit: retry after this many seconds.
    Limited {
        /// Seconds to the end of the window.
        retry_after_secs: u64,
    },
}

/// The rate limiter of a process: the settings, and the buckets known to be over the limit in
/// the current window. Registered as `web::Data<RateLimiter>` (the middleware finds it there).
#[derive(Debug)]
pub struct RateLimiter {
    per_min: u32,
    trust_proxy: bool,
    /// (window start in Unix seconds, buckets over the limit in that window).
    blocked: Mutex<(i64, HashSet<String>)>,
}

impl RateLimiter {
    /// A limiter allowing `per_min` requests per window (0 = off).
    pub fn new(per_min: u32, trust_proxy: bool) -> Self {
        Self {
            per_min,
            trust_proxy,
            blocked: Mutex::new((0, HashSet::new())),
        }
    }

    /// The limiter of `CLP_RATE_LIMIT_PER_MIN` and `CLP_TRUST_PROXY`.
    pub fn from_config(config: &Config) -> Self {
        Self::new(config.rate_limit_per_min, config.trust_proxy)
    }

    /// Whether limiting is on.
    pub fn is_enabled(&self) -> bool {
        self.per_min > 0
    }

    /// Whether client IPs come from the forwarding headers.
    pub fn trusts_proxy(&self) -> bool {
        self.trust_proxy
    }

    fn known_blocked(&self, bucket: &str, window: i64) -> bool {
        let mut blocked = self.blocked.lock().unwrap_or_else(PoisonError::into_inner);
        if blocked.0 != window {
            *blocked = (window, HashSet::new());
            return false;
        }
        blocked.1.contains(bucket)
    }

    fn remember_blocked(&self, bucket: String, window: i64) {
        let mut blocked = self.blocked.lock().unwrap_or_else(PoisonError::into_inner);
        if blocked.0 != window {
            *blocked = (window, HashSet::new());
        }
        blocked.1.insert(bucket);
    }

    /// Counts a request of `class` from `ip` at `now` in the database and decides.
    pub async fn check(
        &self,
        db: &impl ConnectionTrait,
        class: RouteClass,
        ip: &str,
        now: DateTime<Utc>,
    ) -> Result<Verdict, clp_db::DbErr> {
        if !self.is_enabled() {
            return Ok(Verdict::Allowed);
        }
        let window = window_start(now);
        let limited = Verdict::Limited {
            retry_after_secs: retry_after_secs(now),
        };
        let bucket = format!("{ip}:{}", class.as_str());
        if self.known_blocked(&bucket, window.timestamp()) {
            return Ok(limited);
        }
        let hits = clp_db::rate_limits::hit(db, &bucket, window).await?;
        if hits > self.per_min {
            self.remember_blocked(bucket, window.timestamp());
            return Ok(limited);
        }
        Ok(Verdict::Allowed)
    }
}

/// Middleware refusing requests over the limit with 429 `rate_limited` and `Retry-After`.
///
/// A database failure lets the request through (logged): the handler then reports the
/// database itself.
pub async fn throttle(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    let (Some(limiter), Some(db)) = (
        req.app_data::<web::Data<RateLimiter>>().cloned(),
        req.app_data::<web::Data<Database>>().cloned(),
    ) else {
        return next
            .call(req)
            .await
            .map(ServiceResponse::map_into_left_body);
    };
    let Some((class, anonymous_only)) =
        RouteClass::of(req.method(), req.path()).filter(|_| limiter.is_enabled())
    else {
        return next
            .call(req)
            .await
            .map(ServiceResponse::map_into_left_body);
    };
    if anonymous_only
        && matches!(
            OptionalCustomerSession::extract(req.request()).await,
            Ok(OptionalCustomerSession(Some(_)))
        )
    {
        return next
            .call(req)
            .await
            .map(ServiceResponse::map_into_left_body);
    }
    let ip = client_ip(req.request(), limiter.trusts_proxy()).unwrap_or_else(|| "unknown".into());
    match limiter.check(db.get_ref(), class, &ip, Utc::now()).await {
        Ok(Verdict::Allowed) => next
            .call(req)
            .await
            .map(ServiceResponse::map_into_left_body),
        Ok(Verdict::Limited { retry_after_secs }) => {
            metrics::rate_limited(class);
            tracing::info!(
                route_class = class.as_str(),
                client_ip = %ip,
                retry_after_secs,
                "rate limited"
            );
            let response = ApiError::RateLimited { retry_after_secs }.error_response();
            Ok(req.into_response(response).map_into_right_body())
        }
        Err(e) => {
            tracing::warn!(error = %e, "rate limit: cannot count the request; letting it through");
            next.call(req)
                .await
                .map(ServiceResponse::map_into_left_body)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        let Ok(t) = DateTime::parse_from_rfc3339(text) else {
            panic!("bad time {text}");
        };
        t.with_timezone(&Utc)
    }

    #[test]
    fn windows_are_whole_minutes_and_retry_after_reaches_the_end() {
        let now = at("2026-03-01T12:34:56.250Z");
        assert_eq!(window_start(now), at("2026-03-01T12:34:00Z"));
        assert_eq!(retry_after_secs(now), 4);
        assert_eq!(retry_after_secs(at("2026-03-01T12:34:00Z")), 60);
        assert_eq!(retry_after_secs(at("2026-03-01T12:34:59.999Z")), 1);
    }

    #[test]
    fn ips_lose_their_port() {
        assert_eq!(normalize_ip("203.0.113.7:5123"), "203.0.113.7");
        assert_eq!(normalize_ip("203.0.113.7"), "203.0.113.7");
        assert_eq!(normalize_ip("[2001:db8::1]:443"), "2001:db8::1");
        assert_eq!(normalize_ip("2001:db8::1"), "2001:db8::1");
        assert_eq!(normalize_ip(&"x".repeat(100)).len(), 64);
    }

    #[test]
    fn a_bucket_known_blocked_is_forgotten_when_the_window_changes() {
        let limiter = RateLimiter::new(1, false);
        limiter.remember_blocked("ip:key".to_owned(), 60);
        assert!(limiter.known_blocked("ip:key", 60));
        assert!(!limiter.known_blocked("ip:sign_in", 60));
        assert!(!limiter.known_blocked("ip:key", 120));
        assert!(!limiter.known_blocked("ip:key", 60));
    }
}
