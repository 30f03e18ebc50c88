//! Entity of the `accounts` table: customer accounts (simplified and legacy profiles).

use sea_orm::entity::prelude::*;

/// One row of `accounts`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "accounts")]
pub struct Model {
    /// Surrogate primary key.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// Lower-case email.
    #[sea_orm(unique)]
    pub email: String,
    /// Login ID of legacy accounts.
    pub login_id: Option<String>,
    /// Argon2id PHC string.
    pub password_hash: String,
    /// Full name.
    pub full_name: String,
    /// Company.
    pub company: String,
    /// Normalized company, for existing-account hints.
    pub company_key: String,
    /// Domain of the email, for existing-account hints.
    pub email_domain: String,
    /// Country (ISO 3166 alpha-2).
    pub country: String,
    /// `simplified` or `legacy`.
    pub profile: String,
    /// Street address (legacy).
    pub address: Option<String>,
    /// City (legacy).
    pub city: Option<String>,
    /// State (legacy).
    pub state: Option<String>,
    /// Postal code (legacy).
    pub postal_code: Option<String>,
    /// Phone (legacy).
    pub phone: Option<String>,
    /// Contact name (legacy).
    pub contact_name: Option<String>,
    /// Whether the email was verified.
    pub email_verified: bool,
    /// XDR region, fixed once set.
    pub xdr_region: Option<String>,
    /// `en` or `ja`.
    pub language: String,
    /// Consecutive failed sign-ins.
    pub failed_logins: i32,
    /// Sign-in back-off end.
    pub locked_until: Option<DateTimeUtc>,
    /// Creation time.
    pub created_at: DateTimeUtc,
    /// Sessions carry the epoch they were issued in; a password reset or change increments it.
    pub session_epoch: i32,
}

/// No relations are declared: queries join explicitly.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
