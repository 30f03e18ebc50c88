//! Entity of the `audit_events` table: the append-only audit trail.

use sea_orm::entity::prelude::*;

/// One row of `audit_events`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_events")]
pub struct Model {
    /// Surrogate primary key.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// Time.
    pub at: DateTimeUtc,
    /// Event kind.
    pub kind: String,
    /// Who acted.
    pub actor: String,
    /// Client IP.
    pub client_ip: Option<String>,
    /// Order concerned.
    pub order_id: Option<i64>,
    /// Account concerned.
    pub account_id: Option<i64>,
    /// JSON detail.
    pub detail: String,
}

/// No relations are declared: queries join explicitly.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
