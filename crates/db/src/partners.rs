//! Partners (distributors and resellers) and their OAuth2 client credentials. Only a hash of
//! the client secret is stored; the secret itself is shown once, when the partner is created.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveValue::{NotSet, Set},
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter,
};

use crate::entities::{activation_code, order, partner};

/// A partner to create.
#[derive(Debug, Clone)]
pub struct NewPartner {
    /// Display name.
    pub name: String,
    /// Public client ID (unique).
    pub client_id: String,
    /// PHC string of the client secret (argon2id).
    pub client_secret_hash: String,
    /// Scopes the partner may request.
    pub scopes: Vec<String>,
}

/// A stored partner.
#[derive(Clone, PartialEq, Eq)]
pub struct Partner {
    /// Id (the `sub` of its access tokens).
    pub id: i64,
    /// Display name.
    pub name: String,
    /// Public client ID.
    pub client_id: String,
    /// PHC string of the client secret.
    pub client_secret_hash: String,
    /// Scopes the partner may request.
    pub scopes: Vec<String>,
    /// Creation time.
    pub created_at: DateTime<Utc>,
}

// The secret hash stays out of logs even in debug output.
impl std::fmt::Debug for Partner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Partner")
            .field("id", &self.id)
            .field("name", &self.name)
            .field("client_id", &self.client_id)
            .field("scopes", &self.scopes)
            .field("created_at", &self.created_at)
            .finish_non_exhaustive()
    }
}

fn to_partner(row: partner::Model) -> Partner {
    Partner {
        id: row.id,
        name: row.name,
        client_id: row.client_id,
        client_secret_hash: row.client_secret_hash,
        scopes: row.scopes.split_whitespace().map(str::to_owned).collect(),
        created_at: row.created_at,
    }
}

/// Creates a partner; a duplicate client ID fails with a unique-constraint violation.
pub async fn create(
    conn: &impl ConnectionTrait,
    new: &NewPartner,
    now: DateTime<Utc>,
) -> Result<Partner, DbErr> {
    let inserted = partner::Entity::insert(partner::ActiveModel {
        id: NotSet,
        name: Set(new.name.clone()),
        client_id: Set(new.client_id.clone()),
        client_secret_hash: Set(new.client_secret_hash.clone()),
        scopes: Set(new.scopes.join(" ")),
        created_at: Set(now),
    })
    .exec(conn)
    .await?;
    find(conn, inserted.last_insert_id)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("partner just inserted".into()))
}

/// Loads a partner by id.
pub async fn find(conn: &impl ConnectionTrait, id: i64) -> Result<Option<Partner>, DbErr> {
    Ok(partner::Entity::find_by_id(id)
        .one(conn)
        .await?
        .map(to_partner))
}

/// Loads a partner by its client ID.
pub async fn find_by_client_id(
    conn: &impl ConnectionTrait,
    client_id: &str,
) -> Result<Option<Partner>, DbErr> {
    Ok(partner::Entity::find()
        .filter(partner::Column::ClientId.eq(client_id))
        .one(conn)
        .await?
        .map(to_partner))
}

/// When an order was created (the domain `Order` does not carry it).
pub async fn order_created_at(
    conn: &impl ConnectionTrait,
    order_id: i64,
) -> Result<Option<DateTime<Utc>>, DbErr> {
    Ok(order::Entity::find_by_id(order_id)
        .one(conn)
        .await?
        .map(|row| row.created_at))
}

/// Which of `codes` (canonical activation codes) exist in `activation_codes`.
pub async fn existing_activation_codes(
    conn: &impl ConnectionTrait,
    codes: &[String],
) -> Result<Vec<String>, DbErr> {
    if codes.is_empty() {
        return Ok(Vec::new());
    }
    Ok(activation_code::Entity::find()
        .filter(activation_code::Column::Code.is_in(codes.iter().cloned()))
        .all(conn)
        .await?
        .into_iter()
        .map(|row| row.code)
        .collect())
}
