//! CSV responses (`Accept: text/csv`) of the listing routes: content negotiation and the
//! rows written with the `csv` crate (quoting and escaping as RFC 4180).

use actix_web::HttpRequest;
use actix_web::http::header;
use actix_web::web::Bytes;

use crate::error::ApiError;

/// `text/csv; charset=utf-8`.
pub const TEXT_CSV: &str = "text/csv; charset=utf-8";

/// The quality a client gives `wanted` (`type/subtype`) in its `Accept` header, wildcards
/// counted; `None` when it does not accept it.
fn quality(accept: &str, wanted: &str) -> Option<(f32, usize)> {
    let (wanted_type, _) = wanted.split_once('/')?;
    let mut best: Option<(f32, usize)> = None;
    for (position, item) in accept.split(',').enumerate() {
        let mut parts = item.split(';');
        let media = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
        let q = parts
            .filter_map(|p| p.trim().strip_prefix("q="))
            .find_map(|q| q.trim().parse::<f32>().ok())
            .unwrap_or(1.0);
        let matches =
            media == wanted || media == "*/*" || media.strip_suffix("/*") == Some(wanted_type);
        // An exact match ranks before a wildcard at the same quality.
        let rank = if media == wanted {
            position
        } else {
            usize::MAX
        };
        if matches && q > 0.0 && best.is_none_or(|(bq, br)| q > bq || (q == bq && rank < br)) {
            best = Some((q, rank));
        }
    }
    best
}

/// Whether the request asks for CSV: its `Accept` header names `text/csv` and prefers it to
/// JSON (at equal quality, whichever it names first; a wildcard alone means JSON).
pub fn wants_csv(req: &HttpRequest) -> bool {
    let Some(accept) = req
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    match (
        quality(accept, "text/csv"),
        quality(accept, "application/json"),
    ) {
        (Some((_, usize::MAX)), _) | (None, _) => false,
        (Some(_), None) => true,
        (Some((cq, cr)), Some((jq, jr))) => cq > jq || (cq == jq && cr < jr),
    }
}

/// CSV text of `rows` (each a record of fields), after `header` when given.
pub fn csv_bytes<R, F>(header: Option<&[&str]>, rows: R) -> Result<Bytes, ApiError>
where
    R: IntoIterator<Item = Vec<F>>,
    F: AsRef<[u8]>,
{
    let mut writer = csv::Writer::from_writer(Vec::new());
    if let Some(header) = header {
        writer.write_record(header).map_err(ApiError::internal)?;
    }
    for row in rows {
        writer.write_record(&row).map_err(ApiError::internal)?;
    }
    let bytes = writer.into_inner().map_err(ApiError::internal)?;
    Ok(Bytes::from(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    fn csv_for(accept: Option<&str>) -> bool {
        let mut req = TestRequest::default();
        if let Some(accept) = accept {
            req = req.insert_header((header::ACCEPT, accept));
        }
        wants_csv(&req.to_http_request())
    }

    #[test]
    fn csv_only_when_asked_for_by_name() {
        assert!(csv_for(Some("text/csv")));
        assert!(csv_for(Some("text/csv; charset=utf-8")));
        assert!(csv_for(Some("text/csv, application/json;q=0.5")));
        assert!(csv_for(Some("text/csv, */*")));
        assert!(!csv_for(None));
        assert!(!csv_for(Some("*/*")));
        assert!(!csv_for(Some("text/*")));
        assert!(!csv_for(Some("application/json")));
        assert!(!csv_for(Some("application/json, text/csv")));
        assert!(!csv_for(Some("text/csv;q=0.2, application/json")));
        assert!(!csv_for(Some("text/csv;q=0")));
    }

    #[test]
    fn fields_are_quoted_when_needed() {
        let bytes = csv_bytes(
            Some(&["a", "b"]),
            [vec!["Acme, Inc.".to_owned(), "say \"hi\"".to_owned()]],
        )
        .unwrap();
        assert_eq!(
            std::str::from_utf8(&bytes).unwrap(),
            "a,b\n\"Acme, Inc.\",\"say \"\"hi\"\"\"\n"
        );
    }
}
