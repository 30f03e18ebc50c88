//! Two-factor sign-in (TOTP, RFC 6238): `totp_credentials` (one a account: the secret, pending
//! until confirmed with a first code, and the last time step accepted, so a code is not
//! accepted twice) and `mfa_recovery_codes` (the SHA-256 of the ten one-time codes).
//!
//! Both cascade when their account is deleted (an unverified account may be swept).

use sea_orm_migration::{prelude::*, schema::*};

/// Creates `totp_credentials` and `mfa_recovery_codes`.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(TotpCredentials::Table)
                    .col(big_pk_auto(TotpCredentials::Id))
                    .col(big_integer(TotpCredentials::AccountId))
                    .col(string(TotpCredentials::Secret))
                    .col(timestamp_with_time_zone_null(TotpCredentials::ConfirmedAt))
                    .col(big_integer_null(TotpCredentials::LastUsedStep))
                    .col(timestamp_with_time_zone(TotpCredentials::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_totp_credentials_account_id")
                            .from(TotpCredentials::Table, TotpCredentials::AccountId)
                            .to(Accounts::Table, Accounts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_totp_credentials_account_id")
                    .table(TotpCredentials::Table)
                    .col(TotpCredentials::AccountId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(MfaRecoveryCodes::Table)
                    .col(big_pk_auto(MfaRecoveryCodes::Id))
                    .col(big_integer(MfaRecoveryCodes::AccountId))
                    .col(string(MfaRecoveryCodes::CodeHash))
                    .col(timestamp_with_time_zone(MfaRecoveryCodes::CreatedAt))
                    .col(timestamp_with_time_zone_null(MfaRecoveryCodes::UsedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_mfa_recovery_codes_account_id")
                            .from(MfaRecoveryCodes::Table, MfaRecoveryCodes::AccountId)
                            .to(Accounts::Table, Accounts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_mfa_recovery_codes_account_id_code_hash")
                    .table(MfaRecoveryCodes::Table)
                    .col(MfaRecoveryCodes::AccountId)
                    .col(MfaRecoveryCodes::CodeHash)
                    .unique()
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(MfaRecoveryCodes::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(TotpCredentials::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum TotpCredentials {
    Table,
    Id,
    AccountId,
    Secret,
    ConfirmedAt,
    LastUsedStep,
    CreatedAt,
}

#[derive(DeriveIden)]
enum MfaRecoveryCodes {
    Table,
    Id,
    AccountId,
    CodeHash,
    CreatedAt,
    UsedAt,
}

#[derive(DeriveIden)]
enum Accounts {
    Table,
    Id,
}
