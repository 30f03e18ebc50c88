//! Entity of the `idempotency_keys` table: stored responses of partner POSTs by Idempotency-Key.

use sea_orm::entity::prelude::*;

/// One row of `idempotency_keys`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "idempotency_keys")]
pub struct Model {
    /// Surrogate primary key.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// Partner.
    pub partner_id: i64,
    /// The Idempotency-Key header.
    pub idem_key: String,
    /// Hex SHA-256 of method, path and body.
    pub request_hash: String,
    /// Stored status, NULL while in flight.
    pub response_status: Option<i32>,
    /// Stored body.
    pub response_body: Option<String>,
    /// Creation time.
    pub created_at: DateTimeUtc,
}

/// No relations are declared: queries join explicitly.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
