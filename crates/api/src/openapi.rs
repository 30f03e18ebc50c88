//! The OpenAPI document: a base ([`ApiDoc`]) merged with the paths collected from the routes.

use actix_web::App;
use clp_api_types::{ErrorCode, FieldError, Problem};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_actix_web::AppExt as _;

/// Security scheme name of a customer session token sent as `Authorization: Bearer`.
pub const CUSTOMER_BEARER: &str = "customer_bearer";
/// Security scheme name of the customer session cookie (`clp_session`).
pub const CUSTOMER_COOKIE: &str = "customer_cookie";
/// Security scheme name of a partner access token from `POST /api/v1/oauth/token`.
pub const PARTNER_BEARER: &str = "partner_bearer";

/// The parts of the document that are not collected from the routes.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Open CLP API",
        description = "Open Customer Licensing Portal: partners create orders whose lines carry \
registration keys; customers preview a key, sign up or sign in, and activate or register the \
products. Errors are RFC 9457 problem details (`application/problem+json`) with a stable `code`.",
        license(name = "Apache-2.0", identifier = "Apache-2.0"),
    ),
    tags(
        (name = "health", description = "Liveness and readiness."),
        (name = "preview", description = "What a registration key unlocks."),
        (name = "accounts", description = "Customer sign-up."),
        (name = "session", description = "Customer sign-in and sign-out."),
        (name = "activations", description = "Account-based activation with email verification."),
        (name = "registrations", description = "Legacy registration of one line."),
        (name = "me", description = "The signed-in customer's products and XDR console."),
        (name = "partner-auth", description = "OAuth2 client credentials for partners."),
        (name = "partner-orders", description = "Orders created by partners."),
        (name = "partner-webhooks", description = "Signed event deliveries to partners."),
    ),
    components(schemas(Problem, FieldError, ErrorCode)),
    modifiers(&SecuritySchemes),
)]
pub struct ApiDoc;

/// Adds the bearer and cookie security schemes.
struct SecuritySchemes;

impl Modify for SecuritySchemes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        let bearer = |description: &str| {
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .description(Some(description))
                    .build(),
            )
        };
        components.add_security_scheme(
            CUSTOMER_BEARER,
            bearer("Customer session token returned by `POST /api/v1/session`."),
        );
        components.add_security_scheme(
            CUSTOMER_COOKIE,
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                crate::auth::SESSION_COOKIE,
                "The same session token, set as an HttpOnly cookie by `POST /api/v1/session`.",
            ))),
        );
        components.add_security_scheme(
            PARTNER_BEARER,
            bearer("Partner access token returned by `POST /api/v1/oauth/token`."),
        );
    }
}

/// The full document: [`ApiDoc`] plus every path registered by [`crate::startup::mount_api`].
///
/// Needs no database, so `clp-server openapi` can print it.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let (_, api) = crate::routes::mount(App::new().into_utoipa_app().openapi(ApiDoc::openapi()))
        .split_for_parts();
    api
}

/// [`openapi`] as pretty JSON with a trailing newline (the committed `openapi/openapi.json`).
pub fn openapi_json() -> Result<String, serde_json::Error> {
    let mut json = serde_json::to_string_pretty(&openapi())?;
    json.push('\n');
    Ok(json)
}
