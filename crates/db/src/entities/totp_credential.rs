//! Entity of the `totp_credentials` table: the TOTP secret of an account (two-factor sign-in).

use sea_orm::entity::prelude::*;

/// One row of `totp_credentials` (at most one a account).
#[derive(Clone, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "totp_credentials")]
pub struct Model {
    /// Surrogate primary key.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The account.
    #[sea_orm(unique)]
    pub account_id: i64,
    /// The shared secret, base32.
    pub secret: String,
    /// When a first code confirmed it; `None` while the enrolment is pending (not active).
    pub confirmed_at: Option<DateTimeUtc>,
    /// The last time step (Unix time / 30 s) whose code was accepted.
    pub last_used_step: Option<i64>,
    /// When the enrolment started.
    pub created_at: DateTimeUtc,
}

impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TotpCredential")
            .field("id", &self.id)
            .field("account_id", &self.account_id)
            .field("confirmed_at", &self.confirmed_at)
            .field("last_used_step", &self.last_used_step)
            .finish_non_exhaustive()
    }
}

/// No relations are declared: queries join explicitly.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
