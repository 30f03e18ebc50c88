//! Shared application state, registered once as `web::Data<AppState>`.

use std::sync::Arc;

use clp_db::Database;
use clp_domain::catalog::Catalog;

use crate::auth::JwtKeys;
use crate::certificate::CertificateFont;
use crate::config::Config;
use crate::rate_limit::RateLimiter;
use crate::workers::outbox::OutboxWakeup;

/// What every handler can reach through `web::Data<AppState>`.
#[derive(Debug, Clone)]
pub struct AppState {
    /// The database: its pool, and on a SQLite file the read pool and the synchronous reader
    /// and writer of the hot paths (`Database` picks which serves a call).
    pub db: Database,
    /// The configuration.
    pub config: Arc<Config>,
    /// Token signing and verification keys (also registered alone, for the auth extractors).
    pub jwt: Arc<JwtKeys>,
    /// The product catalog, read from the database once at start.
    pub catalog: Arc<Catalog>,
    /// Wakes the outbox worker: call `notify()` after committing a transaction that enqueued.
    pub outbox_wakeup: OutboxWakeup,
    /// Per client IP throttling of the key, sign-in and sign-up routes (shared by the workers).
    pub rate_limiter: Arc<RateLimiter>,
    /// The font of the license certificates (`CLP_CERTIFICATE_FONT`), read on first use.
    pub certificate_font: Arc<CertificateFont>,
}

impl AppState {
    /// State over `db` with keys derived from `config.jwt_secret`.
    pub fn new(db: Database, config: Arc<Config>) -> Self {
        let jwt = Arc::new(JwtKeys::new(config.jwt_secret.expose().as_bytes()));
        let rate_limiter = Arc::new(RateLimiter::from_config(&config));
        let certificate_font = Arc::new(CertificateFont::new(config.certificate_font.clone()));
        Self {
            db,
            config,
            jwt,
            catalog: Arc::new(Catalog::default()),
            outbox_wakeup: OutboxWakeup::new(),
            rate_limiter,
            certificate_font,
        }
    }

    /// The same state with the product `catalog` (the server loads it from the database at
    /// start; until then the catalog is empty).
    pub fn with_catalog(mut self, catalog: Catalog) -> Self {
        self.catalog = Arc::new(catalog);
        self
    }
}
