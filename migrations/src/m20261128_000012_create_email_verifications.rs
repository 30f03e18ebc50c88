//! `email_verifications`: the links that verify the email of an account created with the
//! simplified sign-up (`POST /api/v1/accounts`). Only the hash of a link's token is stored.

use sea_orm_migration::{prelude::*, schema::*};

/// Creates the `email_verifications` table.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(EmailVerifications::Table)
                    .col(big_pk_auto(EmailVerifications::Id))
                    .col(big_integer(EmailVerifications::AccountId))
                    .col(string(EmailVerifications::TokenHash))
                    .col(timestamp_with_time_zone(EmailVerifications::ExpiresAt))
                    .col(timestamp_with_time_zone_null(EmailVerifications::UsedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_email_verifications_account_id")
                            .from(EmailVerifications::Table, EmailVerifications::AccountId)
                            .to(Accounts::Table, Accounts::Id),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, column, unique) in [
            (
                "ux_email_verifications_token_hash",
                EmailVerifications::TokenHash,
                true,
            ),
            (
                "idx_email_verifications_account_id",
                EmailVerifications::AccountId,
                false,
            ),
        ] {
            let mut index = Index::create();
            index
                .name(name)
                .table(EmailVerifications::Table)
                .col(column);
            if unique {
                index.unique();
            }
            manager.create_index(index).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(EmailVerifications::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum EmailVerifications {
    Table,
    Id,
    AccountId,
    TokenHash,
    ExpiresAt,
    UsedAt,
}

#[derive(DeriveIden)]
enum Accounts {
    Table,
    Id,
}
