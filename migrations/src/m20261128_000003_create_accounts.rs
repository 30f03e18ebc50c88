//! `accounts`: customer accounts (simplified and legacy profiles).
//!
//! It comes before the orders migration because `order_lines.registered_account_id` references
//! it, and SQLite cannot add a foreign key to an existing table.

use sea_orm_migration::{prelude::*, schema::*};

/// Creates the `accounts` table.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Accounts::Table)
                    .col(big_pk_auto(Accounts::Id))
                    .col(string(Accounts::Email))
                    .col(string_null(Accounts::LoginId))
                    .col(string(Accounts::PasswordHash))
                    .col(string(Accounts::FullName))
                    .col(string(Accounts::Company))
                    .col(string(Accounts::CompanyKey))
                    .col(string(Accounts::EmailDomain))
                    .col(string(Accounts::Country))
                    .col(string(Accounts::Profile))
                    .col(string_null(Accounts::Address))
                    .col(string_null(Accounts::City))
                    .col(string_null(Accounts::State))
                    .col(string_null(Accounts::PostalCode))
                    .col(string_null(Accounts::Phone))
                    .col(string_null(Accounts::ContactName))
                    .col(boolean(Accounts::EmailVerified).default(false))
                    .col(string_null(Accounts::XdrRegion))
                    .col(string(Accounts::Language))
                    .col(integer(Accounts::FailedLogins).default(0))
                    .col(timestamp_with_time_zone_null(Accounts::LockedUntil))
                    .col(timestamp_with_time_zone(Accounts::CreatedAt))
                    .to_owned(),
            )
            .await?;
        for (name, column, unique) in [
            ("ux_accounts_email", Accounts::Email, true),
            ("ux_accounts_login_id", Accounts::LoginId, true),
            ("idx_accounts_company_key", Accounts::CompanyKey, false),
            ("idx_accounts_email_domain", Accounts::EmailDomain, false),
        ] {
            let mut index = Index::create();
            index.name(name).table(Accounts::Table).col(column);
            if unique {
                index.unique();
            }
            manager.create_index(index).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Accounts::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
pub(crate) enum Accounts {
    Table,
    Id,
    Email,
    LoginId,
    PasswordHash,
    FullName,
    Company,
    CompanyKey,
    EmailDomain,
    Country,
    Profile,
    Address,
    City,
    State,
    PostalCode,
    Phone,
    ContactName,
    EmailVerified,
    XdrRegion,
    Language,
    FailedLogins,
    LockedUntil,
    CreatedAt,
}
