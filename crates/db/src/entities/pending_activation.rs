//! Entity of the `pending_activations` table: account-based activations waiting for email verification.

use sea_orm::entity::prelude::*;

/// One row of `pending_activations`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "pending_activations")]
pub struct Model {
    /// Surrogate primary key.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// Public UUID.
    #[sea_orm(unique)]
    pub public_id: String,
    /// Order to activate.
    pub order_id: i64,
    /// Target account.
    pub account_id: i64,
    /// Requested XDR region.
    pub region: Option<String>,
    /// Hex SHA-256 of the verification token.
    #[sea_orm(unique)]
    pub token_hash: String,
    /// `pending`, `completed`, `expired` or `failed`.
    pub status: String,
    /// Whether the account was created with this activation.
    pub new_account: bool,
    /// Language of the emails.
    pub language: String,
    /// Creation time.
    pub created_at: DateTimeUtc,
    /// Link expiry.
    pub expires_at: DateTimeUtc,
    /// Completion time.
    pub completed_at: Option<DateTimeUtc>,
    /// How many fresh links were sent after the first.
    pub resend_count: i32,
}

/// No relations are declared: queries join explicitly.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
