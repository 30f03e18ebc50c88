//! Partner credentials: creation (`clp-server partner create`, `CLP_PARTNER_BOOTSTRAP`) and
//! the scopes of the partner API.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::Utc;
use clp_db::partners::{self, NewPartner, Partner};
use rand::RngCore as _;
use sea_orm::DatabaseConnection;

use crate::auth::password::hash_password;
use crate::config::PartnerBootstrap;
use crate::error::ApiError;

/// Read the partner's orders.
pub const SCOPE_ORDERS_READ: &str = "orders:read";
/// Create orders.
pub const SCOPE_ORDERS_WRITE: &str = "orders:write";
/// Manage webhook subscriptions and their deliveries.
pub const SCOPE_WEBHOOKS_MANAGE: &str = "webhooks:manage";
/// Every partner scope.
pub const ALL_SCOPES: [&str; 3] = [SCOPE_ORDERS_READ, SCOPE_ORDERS_WRITE, SCOPE_WEBHOOKS_MANAGE];

/// Newly created credentials; the secret exists only here, the database keeps its hash.
pub struct NewCredentials {
    /// The stored partner.
    pub partner: Partner,
    /// The client secret, to show once.
    pub client_secret: String,
}

impl std::fmt::Debug for NewCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewCredentials")
            .field("partner", &self.partner)
            .finish_non_exhaustive()
    }
}

/// Checks a list of scopes: every one must be a known partner scope. Returns them deduplicated
/// A scope that no partner can hold.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown scope `{0}`; expected some of {scopes}", scopes = ALL_SCOPES.join(", "))]
pub struct UnknownScope(pub String);

/// in canonical order.
pub fn parse_scopes<'a>(
    scopes: impl IntoIterator<Item = &'a str>,
) -> Result<Vec<String>, UnknownScope> {
    let mut wanted = Vec::new();
    for scope in scopes {
        if !ALL_SCOPES.contains(&scope) {
            return Err(UnknownScope(scope.to_owned()));
        }
        wanted.push(scope);
    }
    Ok(ALL_SCOPES
        .iter()
        .filter(|s| wanted.contains(s))
        .map(|s| (*s).to_owned())
        .collect())
}

fn random_token(bytes: usize) -> String {
    let mut buf = vec![0_u8; bytes];
    rand::rng().fill_bytes(&mut buf);
    URL_SAFE_NO_PAD.encode(buf)
}

/// Creates a partner with freshly generated credentials (`clp_<random>` client ID, a 256-bit
/// secret) and `scopes`.
pub async fn create_partner(
    db: &DatabaseConnection,
    name: &str,
    scopes: Vec<String>,
) -> Result<NewCredentials, ApiError> {
    let mut id = [0_u8; 12];
    rand::rng().fill_bytes(&mut id);
    let client_id = format!("clp_{}", hex::encode(id));
    let client_secret = random_token(32);
    let partner = insert(db, name, &client_id, &client_secret, scopes).await?;
    Ok(NewCredentials {
        partner,
        client_secret,
    })
}

async fn insert(
    db: &DatabaseConnection,
    name: &str,
    client_id: &str,
    client_secret: &str,
    scopes: Vec<String>,
) -> Result<Partner, ApiError> {
    let secret = client_secret.to_owned();
    let hash = tokio::task::spawn_blocking(move || hash_password(&secret))
        .await
        .map_err(ApiError::internal)??;
    let new = NewPartner {
        name: name.to_owned(),
        client_id: client_id.to_owned(),
        client_secret_hash: hash,
        scopes,
    };
    Ok(partners::create(db, &new, Utc::now()).await?)
}

/// Creates the `CLP_PARTNER_BOOTSTRAP` partner with every scope unless its client ID exists.
/// Returns whether it was created.
pub async fn ensure_bootstrap_partner(
    db: &DatabaseConnection,
    bootstrap: &PartnerBootstrap,
) -> Result<bool, ApiError> {
    if partners::find_by_client_id(db, &bootstrap.client_id)
        .await?
        .is_some()
    {
        return Ok(false);
    }
    let scopes = ALL_SCOPES.iter().map(|s| (*s).to_owned()).collect();
    match insert(
        db,
        "bootstrap partner",
        &bootstrap.client_id,
        bootstrap.client_secret.expose(),
        scopes,
    )
    .await
    {
        Ok(_) => Ok(true),
        // Another process created it meanwhile.
        Err(ApiError::Conflict(_)) => Ok(false),
        Err(e) => Err(e),
    }
}

/// `clp-server partner create`: migrates the database, creates the partner and returns the
/// text to print, with the client secret (shown this once; only its hash is stored).
/// No scopes means every scope.
pub async fn run_partner_create(
    config: &crate::config::Config,
    name: &str,
    scopes: Vec<String>,
) -> Result<String, Box<dyn std::error::Error + Send + Sync>> {
    let db = crate::startup::connect_and_migrate(&config.database_url).await?;
    let scopes = if scopes.is_empty() {
        ALL_SCOPES.iter().map(|s| (*s).to_owned()).collect()
    } else {
        scopes
    };
    let created = create_partner(&db, name, scopes).await?;
    Ok(format!(
        "Partner created: {name} (id {id})\n\
         client_id:     {client_id}\n\
         client_secret: {secret}\n\
         scopes:        {scopes}\n\
         \n\
         Store the secret now: it is not shown again (only its hash is kept).\n",
        id = created.partner.id,
        client_id = created.partner.client_id,
        secret = created.client_secret,
        scopes = created.partner.scopes.join(" "),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_are_checked_and_ordered() {
        assert_eq!(
            parse_scopes(["webhooks:manage", "orders:read", "orders:read"]).unwrap(),
            vec!["orders:read".to_owned(), "webhooks:manage".to_owned()]
        );
        assert_eq!(
            parse_scopes(["admin"]).unwrap_err(),
            UnknownScope("admin".to_owned())
        );
    }

    #[test]
    fn random_tokens_are_long_and_distinct() {
        let a = random_token(32);
        assert_eq!(a.len(), 43);
        assert_ne!(a, random_token(32));
    }
}
