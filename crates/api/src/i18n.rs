//! The language of a request, negotiated from `Accept-Language` (the texts of each language
//! are in [`crate::messages`]).
//!
//! [`negotiate_language`] runs around every request and keeps its [`Lang`] in a task-local,
//! so that [`crate::error::ApiError`] renders every problem body (handler, extractor and
//! middleware errors, the 404 fallback) in that language without each call site passing it:
//! [`Lang::current`] reads it, English outside a request. The `code` never changes with the
//! language; only `title`, `detail` and `errors[].message` do.

use std::future::Future;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderMap, HeaderValue};
use actix_web::middleware::Next;
use clp_api_types::PROBLEM_JSON;

pub use clp_domain::Lang;

tokio::task_local! {
    /// The language of the request being served.
    static REQUEST_LANG: Lang;
}

/// The language of a request: what its `Accept-Language` asks for, and the language of the
/// request being served.
pub trait RequestLang {
    /// The language asked for by the `Accept-Language` headers of a request.
    fn from_headers(headers: &HeaderMap) -> Lang;

    /// The language of the request being served; English outside a request.
    fn current() -> Lang;
}

impl RequestLang for Lang {
    fn from_headers(headers: &HeaderMap) -> Lang {
        let value = headers
            .get_all(header::ACCEPT_LANGUAGE)
            .filter_map(|v| v.to_str().ok())
            .collect::<Vec<_>>()
            .join(",");
        Lang::negotiate(&value)
    }

    fn current() -> Lang {
        REQUEST_LANG.try_with(|lang| *lang).unwrap_or_default()
    }
}

/// Runs `future` with `lang` as the [`Lang::current`] language (tests and background work).
pub async fn with_lang<F: Future>(lang: Lang, future: F) -> F::Output {
    REQUEST_LANG.scope(lang, future).await
}

/// Middleware: serves the request in the language of its `Accept-Language` header, and marks
/// every problem body as varying with that header.
///
/// Registered outermost, so that errors rendered by other middleware are localised too.
pub async fn negotiate_language(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let lang = Lang::from_headers(req.headers());
    let mut res = with_lang(lang, next.call(req)).await?;
    let is_problem = res
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(PROBLEM_JSON.as_bytes()));
    if is_problem {
        add_vary_accept_language(res.headers_mut());
    }
    Ok(res)
}

/// Adds `Vary: Accept-Language` unless a `Vary` header already names it (or `*`).
pub fn add_vary_accept_language(headers: &mut HeaderMap) {
    let present = headers
        .get_all(header::VARY)
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|v| {
            let v = v.trim();
            v == "*" || v.eq_ignore_ascii_case("accept-language")
        });
    if !present {
        headers.append(header::VARY, HeaderValue::from_static("Accept-Language"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[actix_web::test]
    async fn the_current_language_is_scoped_to_the_request() {
        assert_eq!(Lang::current(), Lang::En);
        assert_eq!(
            with_lang(Lang::Ja, async { Lang::current() }).await,
            Lang::Ja
        );
        assert_eq!(Lang::current(), Lang::En);
    }

    #[test]
    fn vary_is_added_once() {
        let mut headers = HeaderMap::new();
        add_vary_accept_language(&mut headers);
        add_vary_accept_language(&mut headers);
        assert_eq!(headers.get_all(header::VARY).count(), 1);
        let mut headers = HeaderMap::new();
        headers.insert(header::VARY, HeaderValue::from_static("Origin"));
        add_vary_accept_language(&mut headers);
        assert_eq!(headers.get_all(header::VARY).count(), 2);
    }
}
