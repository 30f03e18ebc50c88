//! The append-only audit trail: every step of an order's life, with actor, client IP, order
//! and account. Rows are only ever inserted.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveValue::{NotSet, Set},
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    QueryTrait,
};

use crate::entities::audit_event;
use crate::writes::StatementWriter;

/// What happened (stored as `order.created`, `line.registered`, ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AuditKind {
    /// A partner created an order.
    OrderCreated,
    /// An account-based activation was requested (its link emailed).
    ActivationRequested,
    /// The link of an activation was followed and the order registered.
    ActivationVerified,
    /// An activation expired unverified.
    ActivationExpired,
    /// A line was registered to an account.
    LineRegistered,
    /// A renewal extended an activation code.
    RenewalApplied,
    /// An account was created.
    AccountCreated,
    /// An account's email was verified by its link.
    AccountEmailVerified,
    /// A customer signed in.
    SessionCreated,
    /// A sign-in failed.
    SessionFailed,
    /// A webhook was delivered.
    WebhookDelivered,
    /// A webhook delivery attempt failed.
    WebhookFailed,
    /// A password reset link was asked for (recorded whether or not an account has the
    /// address; `account_id` only when one has).
    PasswordResetRequested,
    /// A password was reset through its emailed link (every earlier session ended).
    PasswordReset,
    /// A signed-in customer changed the password (every other session ended).
    PasswordChanged,
    /// A signed-in customer asked to change the email address (link sent to the new one).
    EmailChangeRequested,
    /// The email address changed: the link sent to the new address was followed.
    EmailChanged,
    /// A signed-in customer changed the profile (name, company, country, language).
    ProfileUpdated,
    /// An unverified account holding nothing was deleted: replaced by a new sign-up with its
    /// address, or left unverified past `CLP_UNVERIFIED_ACCOUNT_TTL`.
    AccountDeleted,
    /// A fresh verification link of a pending activation was sent (the earlier one stopped).
    ActivationResent,
    /// A pending activation was cancelled (its link stopped working).
    ActivationCancelled,
    /// Two-factor sign-in (TOTP) was turned on.
    MfaEnabled,
    /// Two-factor sign-in (TOTP) was turned off.
    MfaDisabled,
    /// A recovery code was used in place of a TOTP code.
    MfaRecoveryCodeUsed,
}

impl AuditKind {
    /// Every kind.
    pub const ALL: [AuditKind; 24] = [
        AuditKind::OrderCreated,
        AuditKind::ActivationRequested,
        AuditKind::ActivationVerified,
        AuditKind::ActivationExpired,
        AuditKind::LineRegistered,
        AuditKind::RenewalApplied,
        AuditKind::AccountCreated,
        AuditKind::AccountEmailVerified,
        AuditKind::SessionCreated,
        AuditKind::SessionFailed,
        AuditKind::WebhookDelivered,
        AuditKind::WebhookFailed,
        AuditKind::PasswordResetRequested,
        AuditKind::PasswordReset,
        AuditKind::PasswordChanged,
        AuditKind::EmailChangeRequested,
        AuditKind::EmailChanged,
        AuditKind::ProfileUpdated,
        AuditKind::AccountDeleted,
        AuditKind::ActivationResent,
        AuditKind::ActivationCancelled,
        AuditKind::MfaEnabled,
        AuditKind::MfaDisabled,
        AuditKind::MfaRecoveryCodeUsed,
    ];

    /// The stored (and API) name.
    pub const fn as_str(self) -> &'static str {
        match self {
            AuditKind::OrderCreated => "order.created",
            AuditKind::ActivationRequested => "activation.requested",
            AuditKind::ActivationVerified => "activation.verified",
            AuditKind::ActivationExpired => "activation.expired",
            AuditKind::LineRegistered => "line.registered",
            AuditKind::RenewalApplied => "renewal.applied",
            AuditKind::AccountCreated => "account.created",
            AuditKind::AccountEmailVerified => "account.email_verified",
            AuditKind::SessionCreated => "session.created",
            AuditKind::SessionFailed => "session.failed",
            AuditKind::WebhookDelivered => "webhook.delivered",
            AuditKind::WebhookFailed => "webhook.failed",
            AuditKind::PasswordResetRequested => "password.reset_requested",
            AuditKind::PasswordReset => "password.reset",
            AuditKind::PasswordChanged => "password.changed",
            AuditKind::EmailChangeRequested => "account.email_change_requested",
            AuditKind::EmailChanged => "account.email_changed",
            AuditKind::ProfileUpdated => "account.profile_updated",
            AuditKind::AccountDeleted => "account.deleted",
            AuditKind::ActivationResent => "activation.resent",
            AuditKind::ActivationCancelled => "activation.cancelled",
            AuditKind::MfaEnabled => "mfa.enabled",
            AuditKind::MfaDisabled => "mfa.disabled",
            AuditKind::MfaRecoveryCodeUsed => "mfa.recovery_code_used",
        }
    }
}

impl fmt::Display for AuditKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A stored value that names no audit kind or actor.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown audit {0}")]
pub struct UnknownAuditValue(String);

impl FromStr for AuditKind {
    type Err = UnknownAuditValue;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        AuditKind::ALL
            .into_iter()
            .find(|kind| kind.as_str() == s)
            .ok_or_else(|| UnknownAuditValue(format!("kind `{s}`")))
    }
}

/// Who acted (stored as `account:12`, `partner:3`, `system`, `anonymous`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Actor {
    /// A customer's account.
    Account(i64),
    /// A partner.
    Partner(i64),
    /// The server itself (the sweeper).
    System,
    /// Someone not signed in.
    Anonymous,
}

impl fmt::Display for Actor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Actor::Account(id) => write!(f, "account:{id}"),
            Actor::Partner(id) => write!(f, "partner:{id}"),
            Actor::System => f.write_str("system"),
            Actor::Anonymous => f.write_str("anonymous"),
        }
    }
}

impl FromStr for Actor {
    type Err = UnknownAuditValue;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let unknown = || UnknownAuditValue(format!("actor `{s}`"));
        match s.split_once(':') {
            Some(("account", id)) => id.parse().map(Actor::Account).map_err(|_| unknown()),
            Some(("partner", id)) => id.parse().map(Actor::Partner).map_err(|_| unknown()),
            None if s == "system" => Ok(Actor::System),
            None if s == "anonymous" => Ok(Actor::Anonymous),
            _ => Err(unknown()),
        }
    }
}

/// One step to record.
#[derive(Debug, Clone)]
pub struct AuditEntry {
    /// What happened.
    pub kind: AuditKind,
    /// Who acted.
    pub actor: Actor,
    /// Client IP of the request, when there was one.
    pub client_ip: Option<String>,
    /// Order concerned.
    pub order_id: Option<i64>,
    /// Account concerned.
    pub account_id: Option<i64>,
    /// Free-form detail; never a key, password or token.
    pub detail: serde_json::Value,
}

/// A recorded step.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditRecord {
    /// Time of the step.
    pub at: DateTime<Utc>,
    /// What happened.
    pub kind: AuditKind,
    /// Who acted.
    pub actor: Actor,
    /// Client IP.
    pub client_ip: Option<String>,
    /// Order concerned.
    pub order_id: Option<i64>,
    /// Account concerned.
    pub account_id: Option<i64>,
    /// Detail.
    pub detail: serde_json::Value,
}

/// Appends one entry.
pub async fn record(
    conn: &impl StatementWriter,
    entry: AuditEntry,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    record_all(conn, vec![entry], now).await
}

/// Appends `entries` in one multi-row insert (in their order).
pub async fn record_all(
    conn: &impl StatementWriter,
    entries: Vec<AuditEntry>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    if entries.is_empty() {
        return Ok(());
    }
    let insert = audit_event::Entity::insert_many(entries.into_iter().map(|entry| {
        audit_event::ActiveModel {
            id: NotSet,
            at: Set(now),
            kind: Set(entry.kind.as_str().to_owned()),
            actor: Set(entry.actor.to_string()),
            client_ip: Set(entry.client_ip),
            order_id: Set(entry.order_id),
            account_id: Set(entry.account_id),
            detail: Set(entry.detail.to_string()),
        }
    }));
    conn.write(insert.build(conn.backend())).await?;
    Ok(())
}

fn to_record(row: audit_event::Model) -> Result<AuditRecord, DbErr> {
    let unknown = |e: UnknownAuditValue| DbErr::Type(e.to_string());
    Ok(AuditRecord {
        at: row.at,
        kind: row.kind.parse().map_err(unknown)?,
        actor: row.actor.parse().map_err(unknown)?,
        client_ip: row.client_ip,
        order_id: row.order_id,
        account_id: row.account_id,
        detail: serde_json::from_str(&row.detail).unwrap_or(serde_json::Value::Null),
    })
}

/// The latest `limit` events of an account, oldest first.
pub async fn for_account(
    conn: &impl ConnectionTrait,
    account_id: i64,
    limit: u64,
) -> Result<Vec<AuditRecord>, DbErr> {
    let mut rows = audit_event::Entity::find()
        .filter(audit_event::Column::AccountId.eq(account_id))
        .order_by_desc(audit_event::Column::Id)
        .limit(limit)
        .all(conn)
        .await?;
    rows.reverse();
    rows.into_iter().map(to_record).collect()
}

/// Every event of an order, oldest first.
pub async fn for_order(
    conn: &impl ConnectionTrait,
    order_id: i64,
) -> Result<Vec<AuditRecord>, DbErr> {
    let rows = audit_event::Entity::find()
        .filter(audit_event::Column::OrderId.eq(order_id))
        .order_by_asc(audit_event::Column::Id)
        .all(conn)
        .await?;
    rows.into_iter().map(to_record).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_and_actors_read_back_as_stored() {
        for kind in AuditKind::ALL {
            assert_eq!(kind.as_str().parse::<AuditKind>(), Ok(kind));
        }
        for actor in [
            Actor::Account(12),
            Actor::Partner(3),
            Actor::System,
            Actor::Anonymous,
        ] {
            assert_eq!(actor.to_string().parse::<Actor>(), Ok(actor));
        }
        assert_eq!(Actor::Account(12).to_string(), "account:12");
        assert!("account:x".parse::<Actor>().is_err());
        assert!("order.deleted".parse::<AuditKind>().is_err());
    }
}
