//! Start-up: the database, the actix `App` and the HTTP server.
//!
//! [`Application::build`] binds the listener (port 0 picks a free port, as the tests do),
//! connects to the database and runs the migrations; [`Application::run_until_stopped`] serves
//! until SIGINT/SIGTERM, then drains requests for up to 10 seconds.

use std::net::TcpListener;
use std::sync::Arc;
use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{Server, ServiceFactory, ServiceRequest, ServiceResponse, fn_service};
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::middleware::{Next, from_fn};
use actix_web::{App, HttpServer, ResponseError as _, web};
use clp_db::{Database, DbErr};
use clp_domain::catalog::Catalog;
use tracing::Instrument as _;
use utoipa_actix_web::AppExt as _;
use utoipa_swagger_ui::SwaggerUi;

use crate::config::Config;
use crate::error::{self, ApiError};
use crate::state::AppState;
use crate::sweeper::{ReminderSettings, Sweeper};
use crate::workers::outbox::{DelivererRegistry, OutboxWorker};
use crate::{i18n, metrics, openapi, rate_limit, routes, spa};

/// Content-Security-Policy of the app and the API.
pub const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; \
frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/// Content-Security-Policy of Swagger UI under `/docs`, whose page runs inline script.
pub const DOCS_CSP: &str = "default-src 'self'; script-src 'self' 'unsafe-inline'; \
style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; \
frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/// Header carrying the request ID, in and out.
pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// What can stop the server from starting.
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    /// The database cannot be reached or migrated.
    #[error("database: {0}")]
    Database(#[from] DbErr),
    /// A deliverer of the outbox cannot be built (e.g. a bad `CLP_SMTP_URL`).
    #[error("outbox: {0}")]
    Deliverers(String),
    /// The `CLP_PARTNER_BOOTSTRAP` partner cannot be created.
    #[error("partner bootstrap: {0}")]
    PartnerBootstrap(String),
    /// A Prometheus metric is badly defined (a bug: the unit tests define them all).
    #[error("metrics: {0}")]
    Metrics(String),
    /// The listen address cannot be bound, or another IO failure.
    #[error("{context}: {source}")]
    Io {
        /// What was being done.
        context: String,
        /// The underlying error.
        source: std::io::Error,
    },
}

/// The running server (built, bound, not yet awaited).
pub struct Application {
    port: u16,
    server: Server,
    worker: Option<OutboxWorker>,
    sweeper: Option<Sweeper>,
}

impl Application {
    /// Binds `config.bind`, connects and migrates the database, and builds the server.
    pub async fn build(config: Config) -> Result<Self, StartupError> {
        metrics::init().map_err(|e| StartupError::Metrics(e.to_string()))?;
        let listener = TcpListener::bind(&config.bind).map_err(|source| StartupError::Io {
            context: format!("cannot listen on {} (CLP_BIND)", config.bind),
            source,
        })?;
        let port = listener
            .local_addr()
            .map_err(|source| StartupError::Io {
                context: "cannot read the bound address".to_owned(),
                source,
            })?
            .port();
        let db = Database::connect_and_migrate(&config.database_url).await?;
        // The catalog is data seeded by a migration; it is read once and kept in memory.
        let catalog = clp_db::catalog::load_catalog(&db).await?;
        if let Some(bootstrap) = &config.partner_bootstrap {
            // The secret is never logged; the client ID is public.
            match crate::partners::ensure_bootstrap_partner(&db, bootstrap).await {
                Ok(true) => {
                    tracing::info!(client_id = %bootstrap.client_id, "bootstrap partner created")
                }
                Ok(false) => {
                    tracing::debug!(client_id = %bootstrap.client_id, "bootstrap partner exists")
                }
                Err(e) => return Err(StartupError::PartnerBootstrap(e.to_string())),
            }
        }
        let state = AppState::new(db, Arc::new(config)).with_catalog(catalog);
        let mut deliverers = DelivererRegistry::new();
        crate::deliverers::register_deliverers(&mut deliverers, &state.config, &state.db)
            .map_err(|e| StartupError::Deliverers(e.to_string()))?;
        let worker = OutboxWorker::spawn(state.db.clone(), deliverers, state.outbox_wakeup.clone());
        let sweeper = Sweeper::spawn(
            state.db.clone(),
            ReminderSettings {
                catalog: Arc::clone(&state.catalog),
                clock_offset_days: state.config.clock_offset_days,
            },
            state.config.sweep_interval,
            state.config.unverified_account_ttl,
            state.outbox_wakeup.clone(),
        );
        let server = run_with_state(listener, state).map_err(|source| StartupError::Io {
            context: "cannot start the HTTP server".to_owned(),
            source,
        })?;
        Ok(Self {
            port,
            server,
            worker: Some(worker),
            sweeper: Some(sweeper),
        })
    }

    /// The bound port (useful with port 0).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Serves until SIGTERM or SIGINT (or the server handle stops it).
    ///
    /// On either signal the server stops accepting at once and finishes the requests in flight
    /// (for up to 10 seconds; a second signal stops at once); then the outbox worker and the
    /// sweeper stop, each finishing the message or batch in hand first.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        // actix's own handling makes SIGINT a forced stop: both signals are handled here.
        let handle = self.server.handle();
        let signals = tokio::spawn(async move {
            shutdown_signal().await;
            tracing::info!("shutdown signal received: finishing the requests in flight");
            let graceful = tokio::spawn(handle.stop(true));
            shutdown_signal().await;
            tracing::warn!("second shutdown signal: stopping at once");
            handle.stop(false).await;
            let _ = graceful.await;
        });
        let served = self.server.await;
        signals.abort();
        tracing::info!("HTTP server stopped; stopping the workers");
        let worker = async {
            if let Some(worker) = self.worker {
                worker.shutdown().await;
            }
        };
        let sweeper = async {
            if let Some(sweeper) = self.sweeper {
                sweeper.shutdown().await;
            }
        };
        futures_util::future::join(worker, sweeper).await;
        served
    }
}

/// Builds the HTTP server on `listener` over `db`, with the product `catalog` read from it.
pub fn run(
    listener: TcpListener,
    db: Database,
    config: Config,
    catalog: Catalog,
) -> std::io::Result<Server> {
    run_with_state(
        listener,
        AppState::new(db, Arc::new(config)).with_catalog(catalog),
    )
}

/// Builds the HTTP server on `listener` over `state` (no outbox worker: [`Application::build`]
/// starts one). It does not handle signals: [`Application::run_until_stopped`] does.
pub fn run_with_state(listener: TcpListener, state: AppState) -> std::io::Result<Server> {
    if !state.config.static_dir.join("index.html").is_file() {
        tracing::warn!(
            dir = %state.config.static_dir.display(),
            "the web app is not built (no index.html in CLP_STATIC_DIR): run `make frontend`"
        );
    }
    let state = web::Data::new(state);
    // Each worker gets its own handle on the database (`Database::for_worker`: on PostgreSQL a
    // pool whose connections belong to the worker's runtime). Nagle's algorithm off: with it,
    // the last segment of a large answer (me/products) waited for the client's delayed ACK,
    // 40 ms on a third of the requests of one client.
    let server = HttpServer::new(move || {
        let mut worker = AppState::clone(&state);
        worker.db = state.db.for_worker();
        configure_app(web::Data::new(worker))
    })
    .tcp_nodelay(true)
    .listen(listener)?
    .shutdown_timeout(10)
    .disable_signals()
    .run();
    Ok(server)
}

/// Resolves on SIGTERM or SIGINT (Ctrl-C); never when no signal can be listened to.
async fn shutdown_signal() {
    let interrupt = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut terminate) => {
                terminate.recv().await;
            }
            Err(e) => {
                tracing::warn!(error = %e, "cannot listen to SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {}
        () = terminate => {}
    }
}

/// The whole application: state, extractor settings, middleware, the API, the OpenAPI
/// document and Swagger UI, and the SPA with its fallback.
pub fn configure_app(
    state: web::Data<AppState>,
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    let static_dir = state.config.static_dir.clone();
    let app = App::new()
        .into_utoipa_app()
        .openapi(<openapi::ApiDoc as utoipa::OpenApi>::openapi())
        // The extractors and middleware that need one part of the state find it alone.
        .app_data(web::Data::from(std::sync::Arc::clone(&state.jwt)))
        .app_data(web::Data::from(std::sync::Arc::clone(&state.rate_limiter)))
        .app_data(web::Data::new(state.db.clone()))
        .app_data(state)
        .app_data(error::json_config())
        .app_data(error::form_config())
        .app_data(error::query_config())
        .app_data(error::path_config())
        .map(|app| {
            // Innermost first: throttling, then metrics (which count its 429s), headers, the
            // request id span, and the language around everything (so that every problem
            // body, including those rendered by middleware, is in the request's language).
            app.wrap(from_fn(rate_limit::throttle))
                .wrap(from_fn(metrics::track))
                .wrap(from_fn(security_headers))
                .wrap(from_fn(request_id))
                .wrap(from_fn(i18n::negotiate_language))
        });
    routes::mount(app)
        .openapi_service(|api| SwaggerUi::new("/docs/{_:.*}").url("/api-docs/openapi.json", api))
        .map(|app| {
            app.service(web::redirect("/docs", "/docs/").permanent())
                .configure(|cfg| spa::configure_spa(cfg, &static_dir))
                .default_service(fn_service(|req: ServiceRequest| async {
                    Ok(req.into_response(ApiError::NotFound.error_response()))
                }))
        })
        .into_app()
}

/// Security headers on every response; `Cache-Control: no-store` on the API.
async fn security_headers(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let path = req.path();
    let is_docs = path == "/docs" || path.starts_with("/docs/");
    let is_api = path.starts_with("/api/");
    // Handler and extractor errors arrive here as responses already; an `Err` only comes from
    // a failing middleware and is rendered by actix after this.
    let mut res = next.call(req).await?;
    let headers = res.headers_mut();
    let csp = if is_docs { DOCS_CSP } else { CSP };
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(csp),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    if is_api && !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    Ok(res)
}

/// A sane incoming request ID: 1 to 128 characters of `[A-Za-z0-9._-]`.
fn is_sane_request_id(id: &str) -> bool {
    (1..=128).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
}

/// Tags the request with an ID (the incoming `x-request-id` if sane, else a UUID), runs it
/// in a tracing span carrying that ID, logs its outcome and echoes the ID in the response.
///
/// Only the path is logged, never the query string (`/activate/verify?token=...`) or a body.
async fn request_id(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let id = req
        .headers()
        .get(&REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .filter(|v| is_sane_request_id(v))
        .map_or_else(|| uuid::Uuid::new_v4().to_string(), str::to_owned);
    let span = tracing::info_span!(
        "request",
        request_id = %id,
        method = %req.method(),
        path = %req.path(),
    );
    let started = Instant::now();
    let mut res = match next.call(req).instrument(span.clone()).await {
        Ok(res) => res,
        Err(e) => {
            // An inner middleware failed: render its response here, so that it is logged and
            // carries the request id like every other response.
            let mut response = e.error_response();
            let elapsed_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
            let status = response.status().as_u16();
            span.in_scope(|| tracing::info!(status, elapsed_ms, "request finished"));
            if let Ok(value) = HeaderValue::from_str(&id) {
                response.headers_mut().insert(REQUEST_ID, value);
            }
            return Err(actix_web::error::InternalError::from_response(e, response).into());
        }
    };
    let status = res.status().as_u16();
    let elapsed_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    span.in_scope(|| tracing::info!(status, elapsed_ms, "request finished"));
    if let Ok(value) = HeaderValue::from_str(&id) {
        res.headers_mut().insert(REQUEST_ID, value);
    }
    Ok(res)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_ids_are_checked() {
        assert!(is_sane_request_id("abc-123_X.y"));
        assert!(!is_sane_request_id(""));
        assert!(!is_sane_request_id("a b"));
        assert!(!is_sane_request_id(&"x".repeat(129)));
    }
}
