//! Request and response types of the Open CLP REST API (`/api/v1`).
//!
//! Plain serde structs shared by the server (`clp-api`), the typed client (`clp-client`) and
//! the browser app (`clp-frontend`). The crate has no IO and builds for `wasm32-unknown-unknown`;
//! with the feature `openapi` every type also derives `utoipa::ToSchema`, and each `///` line
//! becomes the description in the OpenAPI document.
//!
//! Keys (registration keys, activation codes) are plain `String`s here: `clp-domain` parses them.

pub mod accounts;
pub mod activations;
pub mod certificate;
pub mod error;
pub mod health;
pub mod lifecycle;
pub mod me;
pub mod partner;
pub mod preview;
pub mod registrations;
pub mod session;

pub use accounts::*;
pub use activations::*;
pub use certificate::*;
pub use error::*;
pub use health::*;
pub use lifecycle::*;
pub use me::*;
pub use partner::*;
pub use preview::*;
pub use registrations::*;
pub use session::*;

#[cfg(all(test, feature = "openapi"))]
mod openapi_tests {
    use utoipa::PartialSchema;

    use super::*;

    fn schema_json<T: PartialSchema>() -> serde_json::Value {
        serde_json::to_value(T::schema()).unwrap_or_default()
    }

    #[test]
    fn raw_type_fields_are_named_type_in_the_schema() {
        let order = schema_json::<CreateOrderRequest>();
        assert!(order["properties"]["type"].is_object(), "{order}");
        assert!(order["properties"].get("r#type").is_none());
        let problem = schema_json::<Problem>();
        assert!(problem["properties"]["type"].is_object(), "{problem}");
    }

    #[test]
    fn optional_fields_are_not_required_in_the_schema() {
        let problem = schema_json::<Problem>();
        let required = problem["required"].as_array().unwrap();
        assert!(required.contains(&serde_json::json!("code")));
        assert!(!required.contains(&serde_json::json!("errors")));
        assert!(!required.contains(&serde_json::json!("instance")));
    }

    #[test]
    fn error_code_schema_lists_every_code() {
        let codes = schema_json::<ErrorCode>();
        let listed = codes["enum"].as_array().unwrap();
        assert_eq!(listed.len(), ErrorCode::ALL.len());
        for c in ErrorCode::ALL {
            assert!(listed.contains(&serde_json::json!(c.as_str())));
        }
    }
}
