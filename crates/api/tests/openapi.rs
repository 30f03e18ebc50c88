//! The committed OpenAPI document matches the code.

use std::path::Path;

#[test]
fn openapi_spec_matches_committed_file() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../openapi/openapi.json");
    let generated = clp_api::openapi::openapi_json().unwrap();
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "openapi/openapi.json is out of date with the code: run `make openapi` \
         (cargo run -p clp-api -- openapi > openapi/openapi.json) and commit the result"
    );
}
