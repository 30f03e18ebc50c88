//! `email_verifications.new_email`: a link of `POST /api/v1/me/email` carries the address it
//! moves the account to (NULL for the sign-up verification links).

use sea_orm_migration::{prelude::*, schema::*};

/// Adds `email_verifications.new_email` (nullable).
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(EmailVerifications::Table)
                    .add_column(string_null(EmailVerifications::NewEmail))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(EmailVerifications::Table)
                    .drop_column(EmailVerifications::NewEmail)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum EmailVerifications {
    Table,
    NewEmail,
}
