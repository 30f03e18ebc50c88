//! `password_resets`: the single-use links of `POST /api/v1/password-resets`. Only the hash of a
//! link's token is stored.

use sea_orm_migration::{prelude::*, schema::*};

/// Creates the `password_resets` table.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(PasswordResets::Table)
                    .col(big_pk_auto(PasswordResets::Id))
                    .col(big_integer(PasswordResets::AccountId))
                    .col(string(PasswordResets::TokenHash))
                    .col(timestamp_with_time_zone(PasswordResets::CreatedAt))
                    .col(timestamp_with_time_zone(PasswordResets::ExpiresAt))
                    .col(timestamp_with_time_zone_null(PasswordResets::UsedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_password_resets_account_id")
                            .from(PasswordResets::Table, PasswordResets::AccountId)
                            .to(Accounts::Table, Accounts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, column, unique) in [
            (
                "ux_password_resets_token_hash",
                PasswordResets::TokenHash,
                true,
            ),
            (
                "idx_password_resets_account_id",
                PasswordResets::AccountId,
                false,
            ),
        ] {
            let mut index = Index::create();
            index.name(name).table(PasswordResets::Table).col(column);
            if unique {
                index.unique();
            }
            manager.create_index(index).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(PasswordResets::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum PasswordResets {
    Table,
    Id,
    AccountId,
    TokenHash,
    CreatedAt,
    ExpiresAt,
    UsedAt,
}

#[derive(DeriveIden)]
enum Accounts {
    Table,
    Id,
}
