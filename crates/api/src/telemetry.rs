//! Logging: tracing-subscriber, human-readable or JSON lines, filtered by `RUST_LOG`, written
//! through a [`LogSink`] (never by the thread that logs).
//!
//! Every line logged while a request is served carries its `request_id` (the `request` span of
//! the request id middleware in `startup`). Nothing logs a key, password or token: handlers log
//! ids and outcomes, the request line logs the path without its query string.

use tracing_subscriber::EnvFilter;
use tracing_subscriber::filter::LevelFilter;

use crate::config::LogFormat;
use crate::log_sink::LogSink;

/// The statement log of SeaORM's synchronous SQLite driver (the SQLite reader of the preview):
/// it logs every statement with its bound values (registration keys among them) at debug
/// level, so when `RUST_LOG` enables debug, that target is capped at `info`. (Added only then:
/// a target directive more verbose than the global level would raise the filter's maximum
/// level, and every `log` record of the dependencies would then be checked against it.)
const SYNC_STATEMENT_LOG_OFF: &str = "sea_orm::driver::rusqlite=info";

/// Installs the global subscriber (`RUST_LOG` filters, default `info`) writing to `sink`.
///
/// A write that fails is not reported anywhere (the sink counts it): tracing-subscriber's
/// report goes to standard error with `eprintln!`, which panics when that is a broken pipe.
/// A second call does nothing, so tests may call it freely.
pub fn init_tracing(format: LogFormat, sink: &LogSink) {
    let mut filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let debug_enabled = filter
        .max_level_hint()
        .is_none_or(|level| level > LevelFilter::INFO);
    if debug_enabled && let Ok(directive) = SYNC_STATEMENT_LOG_OFF.parse() {
        filter = filter.add_directive(directive);
    }
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(sink.writer())
        .log_internal_errors(false);
    let _ = match format {
        LogFormat::Pretty => builder.try_init(),
        // `span` is the innermost span; `spans` lists every enclosing one, so the request id
        // of the `request` span is on every line of a request even inside nested spans.
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .with_span_list(true)
            .try_init(),
    };
}
