//! The built single-page app (`CLP_STATIC_DIR`): its files, with build-time compressed copies
//! picked by `Accept-Encoding`, and `index.html` for every deep link.
//!
//! `make frontend` (scripts/dist-assets.mjs) names the app's assets by content hash
//! (`clp_frontend_bg.<16 hex>.wasm`) and writes `<file>.br` and `<file>.gz` beside them. Hashed
//! names never change content, so they are cached for a year (`immutable`); `index.html` and
//! every other file revalidate (`no-cache`), so a new build is picked up on the next load.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use actix_files::NamedFile;
use actix_web::http::header::{self, ContentEncoding, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, guard, web};

/// Path prefixes that the SPA fallback never answers.
const NON_SPA_PREFIXES: &[&str] = &[
    "/api",
    "/api-docs",
    "/docs",
    "/healthz",
    "/readyz",
    "/metrics",
];

/// `Cache-Control` of an asset whose name carries its content hash.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// `Cache-Control` of everything else: use it, but ask first whether it changed.
const REVALIDATE: &str = "no-cache";

/// Whether `path` belongs to the SPA (everything but the API, docs and ops routes).
pub fn is_spa_path(path: &str) -> bool {
    !NON_SPA_PREFIXES.iter().any(|prefix| {
        path.strip_prefix(prefix)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    })
}

/// Serves the built SPA from `dir`, answering `index.html` for deep links that have no file,
/// or a page saying the app is not built.
pub fn configure_spa(cfg: &mut web::ServiceConfig, dir: &Path) {
    let spa_guard = guard::fn_guard(|ctx| {
        let head = ctx.head();
        matches!(
            head.method,
            actix_web::http::Method::GET | actix_web::http::Method::HEAD
        ) && is_spa_path(head.uri.path())
    });
    let dir = Arc::new(dir.to_owned());
    cfg.service(
        web::resource("/{tail:.*}")
            .guard(spa_guard)
            .to(move |req: HttpRequest| {
                let dir = Arc::clone(&dir);
                async move { serve(&req, &dir).await }
            }),
    );
}

/// The file `req` names in `dir` (in the best encoding the client accepts), else `index.html`.
async fn serve(req: &HttpRequest, dir: &Path) -> HttpResponse {
    if let Some(file) = asset_path(dir, req.path()) {
        return serve_file(req, &file).await;
    }
    let index = dir.join("index.html");
    // The app may be rebuilt under a running server: while index.html is missing, say so
    // instead of leaking the file system's error.
    if !index.is_file() {
        return not_built();
    }
    serve_file(req, &index).await
}

/// The regular file under `dir` that the URL `path` names, if any. Only plain names (letters,
/// digits, `.`, `_`, `-`, not starting with a dot) are looked up: nothing outside `dir`, no
/// hidden files, and never a compressed copy by its own name.
fn asset_path(dir: &Path, path: &str) -> Option<PathBuf> {
    let mut file = dir.to_owned();
    let mut any = false;
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        let plain = !segment.starts_with('.')
            && segment
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
        if !plain {
            return None;
        }
        file.push(segment);
        any = true;
    }
    let compressed_copy = matches!(file.extension().and_then(|e| e.to_str()), Some("br" | "gz"));
    (any && !compressed_copy && file.is_file()).then_some(file)
}

/// `file` with its caching headers, from its brotli or gzip copy when the client takes one.
async fn serve_file(req: &HttpRequest, file: &Path) -> HttpResponse {
    let mime = actix_files::file_extension_to_mime(
        file.extension().and_then(|e| e.to_str()).unwrap_or(""),
    );
    let (encoded, encoding) = match preferred_copy(req, file) {
        Some((copy, encoding)) => (copy, Some(encoding)),
        None => (file.to_owned(), None),
    };
    let Ok(named) = NamedFile::open_async(&encoded).await else {
        return not_built();
    };
    let mut named = named.set_content_type(mime).disable_content_disposition();
    if let Some(encoding) = encoding {
        named = named.set_content_encoding(encoding);
    }
    let mut res = named.into_response(req);
    let headers = res.headers_mut();
    let hashed = file
        .file_name()
        .and_then(|n| n.to_str())
        .is_some_and(has_content_hash);
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(if hashed { IMMUTABLE } else { REVALIDATE }),
    );
    if has_compressed_copy(file) {
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
    res
}

/// The brotli or gzip copy of `file` that the request accepts (brotli first), if one was built.
fn preferred_copy(req: &HttpRequest, file: &Path) -> Option<(PathBuf, ContentEncoding)> {
    let accepted = req
        .headers()
        .get_all(header::ACCEPT_ENCODING)
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(accepted_coding)
        .collect::<Vec<_>>();
    [
        ("br", ContentEncoding::Brotli),
        ("gz", ContentEncoding::Gzip),
    ]
    .into_iter()
    .filter(|(ext, _)| {
        let coding = if *ext == "gz" { "gzip" } else { "br" };
        accepted.iter().any(|c| *c == coding)
    })
    .map(|(ext, encoding)| (with_suffix(file, ext), encoding))
    .find(|(copy, _)| copy.is_file())
}

/// The coding of one `Accept-Encoding` item, unless its quality is zero.
fn accepted_coding(item: &str) -> Option<&str> {
    let mut parts = item.split(';').map(str::trim);
    let coding = parts.next().filter(|c| !c.is_empty())?;
    let refused = parts.any(|p| {
        p.strip_prefix("q=")
            .and_then(|q| q.parse::<f32>().ok())
            .is_some_and(|q| q <= 0.0)
    });
    (!refused).then_some(coding)
}

/// Whether a compressed copy of `file` exists (then the answer varies with `Accept-Encoding`).
fn has_compressed_copy(file: &Path) -> bool {
    ["br", "gz"]
        .into_iter()
        .any(|ext| with_suffix(file, ext).is_file())
}

/// `file` with `.ext` appended to its whole name (`app.js` → `app.js.br`).
fn with_suffix(file: &Path, ext: &str) -> PathBuf {
    let mut name = file.as_os_str().to_owned();
    name.push(".");
    name.push(ext);
    PathBuf::from(name)
}

/// Whether a file name carries a content hash as scripts/dist-assets.mjs writes it:
/// `<stem>.<16 lowercase hex digits>.<ext>`.
pub fn has_content_hash(name: &str) -> bool {
    let mut parts = name.rsplit('.');
    let (Some(_ext), Some(hash), Some(stem)) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    !stem.is_empty()
        && hash.len() == 16
        && hash
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// The page answered while the app is not built.
fn not_built() -> HttpResponse {
    HttpResponse::ServiceUnavailable()
        .content_type("text/html; charset=utf-8")
        .body(
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
             <title>Open CLP: app not built</title></head><body>\
             <h1>The web app is not built</h1>\
             <p>Run <code>make frontend</code> (or set <code>CLP_STATIC_DIR</code> to the built \
             app), then reload. The API is up: see <a href=\"/docs/\">/docs/</a>.</p>\
             </body></html>",
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spa_paths_exclude_api_docs_and_ops() {
        for path in [
            "/",
            "/products",
            "/FullRegistration",
            "/activate/verify",
            "/apis",
            "/docsx",
        ] {
            assert!(is_spa_path(path), "{path}");
        }
        for path in [
            "/api",
            "/api/v1/x",
            "/api-docs/openapi.json",
            "/docs",
            "/docs/",
            "/healthz",
            "/metrics",
        ] {
            assert!(!is_spa_path(path), "{path}");
        }
    }

    #[test]
    fn content_hashed_names_are_recognised() {
        assert!(has_content_hash("clp_frontend_bg.0123456789abcdef.wasm"));
        assert!(has_content_hash("style.fedcba9876543210.css"));
        assert!(!has_content_hash("index.html"));
        assert!(!has_content_hash("style.css"));
        assert!(!has_content_hash(".0123456789abcdef.css"));
        assert!(!has_content_hash("style.0123456789ABCDEF.css"));
        assert!(!has_content_hash("style.0123456789abcde.css"));
    }

    #[test]
    fn refused_codings_are_left_out() {
        assert_eq!(accepted_coding(" br"), Some("br"));
        assert_eq!(accepted_coding("gzip;q=0.5"), Some("gzip"));
        assert_eq!(accepted_coding("br; q=0"), None);
        assert_eq!(accepted_coding(""), None);
    }

    #[test]
    fn only_plain_names_inside_the_directory_are_assets() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("app.js"), "x").unwrap();
        std::fs::write(dir.path().join("app.js.br"), "x").unwrap();
        std::fs::write(dir.path().join(".secret"), "x").unwrap();
        assert!(asset_path(dir.path(), "/app.js").is_some());
        assert!(asset_path(dir.path(), "/app.js.br").is_none());
        assert!(asset_path(dir.path(), "/.secret").is_none());
        assert!(asset_path(dir.path(), "/../etc/passwd").is_none());
        assert!(asset_path(dir.path(), "/").is_none());
        assert!(asset_path(dir.path(), "/products").is_none());
    }
}
