//! Activations: pending account-based activations (a verification token's hash and expiry),
//! their completion in one transaction applying an [`ActivationPlan`], the legacy registration
//! of one line applying a [`LegacyPlan`].
//!
//! Every rule that must hold under concurrency is held by the database: a pending activation is
//! claimed by a conditional update (`status = 'pending' AND expires_at > now`), a line is
//! registered by a conditional update (`registered_account_id IS NULL`), an account's XDR region
//! is set only while it is NULL, and the unique index on `saas_instances(account_id,
//! active_service)` keeps one active instance per service. The plan is computed again inside
//! the transaction, on data read there: the last check decides.

use crate::language::stored_lang;
use chrono::{DateTime, NaiveDate, Utc};
use clp_domain::Lang;
use clp_domain::account::{AccountId, Holdings};
use clp_domain::catalog::Catalog;
use clp_domain::conflict::{Conflict, ConflictReason, Target};
use clp_domain::order::Order;
use clp_domain::plan::{
    ActivationPlan, LegacyPlan, PlannedCode, PlannedLine, PlannedSaas, plan_activation,
    plan_legacy_registration,
};
use clp_domain::region::Region;
use clp_domain::{ActivationCode, RegistrationKey};
use sea_orm::sea_query::{Expr, ExprTrait, Func};
use sea_orm::{
    ActiveValue::{NotSet, Set},
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryTrait, TransactionTrait,
};
use serde_json::json;
use uuid::Uuid;

use crate::Database;
pub use crate::activation_status::ActivationStatus;
use crate::audit::{self, Actor, AuditEntry, AuditKind};
use crate::entities::{account, activation_code, order_line, pending_activation, saas_instance};
use crate::events::{self, EventKind, OrderEvent};
use crate::holdings::{find_ac_owners, find_account_head, holdings_of, referenced_codes};
use crate::order_state::{lock_unless_cancelled, refresh_status};
use crate::orders::{find_order, find_order_by_key};
use crate::outbox::{self, NewMessage};
use crate::rows::{FromRow, RowRead, RowSource};
use crate::writes::{StatementWriter, WriteTransaction};

/// A pending activation to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPendingActivation {
    /// The order to activate.
    pub order_id: i64,
    /// The account the order is activated into.
    pub account_id: AccountId,
    /// The XDR region the customer asked for, if any.
    pub region: Option<Region>,
    /// Lower-case hex SHA-256 of the verification token (the token itself is never stored).
    pub token_hash: String,
    /// Language of the emails.
    pub language: Lang,
    /// Whether the account was created together with this activation (unverified until the
    /// link is followed).
    pub new_account: bool,
    /// When the verification link expires.
    pub expires_at: DateTime<Utc>,
}

/// A stored pending activation (whatever its state).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingActivation {
    /// Database id.
    pub id: i64,
    /// Public identifier (`activation_id` in the API).
    pub public_id: Uuid,
    /// The order.
    pub order_id: i64,
    /// The account.
    pub account_id: AccountId,
    /// The requested XDR region.
    pub region: Option<Region>,
    /// State.
    pub status: ActivationStatus,
    /// Whether the account was created with this activation.
    pub new_account: bool,
    /// Language of the emails.
    pub language: Lang,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// Link expiry.
    pub expires_at: DateTime<Utc>,
    /// Completion time.
    pub completed_at: Option<DateTime<Utc>>,
}

pub(crate) fn to_pending(row: pending_activation::Model) -> Result<PendingActivation, DbErr> {
    Ok(PendingActivation {
        id: row.id,
        public_id: Uuid::parse_str(&row.public_id)
            .map_err(|_| DbErr::Custom("stored activation public id is not a UUID".into()))?,
        order_id: row.order_id,
        account_id: AccountId(row.account_id),
        region: row
            .region
            .as_deref()
            .map(str::parse)
            .transpose()
            .map_err(|_| DbErr::Custom("stored activation region is unknown".into()))?,
        status: ActivationStatus::parse(&row.status)?,
        new_account: row.new_account,
        language: stored_lang(&row.language),
        created_at: row.created_at,
        expires_at: row.expires_at,
        completed_at: row.completed_at,
    })
}

/// Stores a pending activation with a new random public id. Run it in the transaction that
/// creates the account (for a new account) and enqueues the verification email.
pub async fn create_pending(
    conn: &impl ConnectionTrait,
    new: &NewPendingActivation,
    now: DateTime<Utc>,
) -> Result<PendingActivation, DbErr> {
    let public_id = Uuid::new_v4();
    let inserted = pending_activation::Entity::insert(pending_activation::ActiveModel {
        id: NotSet,
        public_id: Set(public_id.to_string()),
        order_id: Set(new.order_id),
        account_id: Set(new.account_id.0),
        region: Set(new.region.map(|r| r.as_str().to_owned())),
        token_hash: Set(new.token_hash.clone()),
        status: Set(ActivationStatus::Pending.as_str().to_owned()),
        new_account: Set(new.new_account),
        language: Set(new.language.code().to_owned()),
        created_at: Set(now),
        expires_at: Set(new.expires_at),
        completed_at: Set(None),
        resend_count: Set(0),
    })
    .exec(conn)
    .await?;
    Ok(PendingActivation {
        id: inserted.last_insert_id,
        public_id,
        order_id: new.order_id,
        account_id: new.account_id,
        region: new.region,
        status: ActivationStatus::Pending,
        new_account: new.new_account,
        language: new.language,
        created_at: now,
        expires_at: new.expires_at,
        completed_at: None,
    })
}

/// The pending activation whose token hashes to `token_hash`.
pub async fn find_by_token_hash(
    conn: &impl ConnectionTrait,
    token_hash: &str,
) -> Result<Option<PendingActivation>, DbErr> {
    pending_activation::Entity::find()
        .filter(pending_activation::Column::TokenHash.eq(token_hash))
        .one(conn)
        .await?
        .map(to_pending)
        .transpose()
}

/// The pending activation with this public id.
pub async fn find_by_public_id(
    conn: &impl ConnectionTrait,
    public_id: Uuid,
) -> Result<Option<PendingActivation>, DbErr> {
    pending_activation::Entity::find()
        .filter(pending_activation::Column::PublicId.eq(public_id.to_string()))
        .one(conn)
        .await?
        .map(to_pending)
        .transpose()
}

/// Marks a pending activation whose link is past its expiry `expired` (a conditional update:
/// only a `pending` row past `expires_at` changes), and, when it changed, records
/// `activation.expired` in the audit trail and emits the partner event. Returns whether this
/// call expired it. Run it in a transaction.
pub async fn mark_expired(
    conn: &impl ConnectionTrait,
    activation_id: i64,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let updated = pending_activation::Entity::update_many()
        .col_expr(
            pending_activation::Column::Status,
            Expr::value(ActivationStatus::Expired.as_str()),
        )
        .filter(pending_activation::Column::Id.eq(activation_id))
        .filter(pending_activation::Column::Status.eq(ActivationStatus::Pending.as_str()))
        .filter(pending_activation::Column::ExpiresAt.lte(now))
        .exec(conn)
        .await?;
    if updated.rows_affected == 0 {
        return Ok(false);
    }
    let Some(row) = pending_activation::Entity::find_by_id(activation_id)
        .one(conn)
        .await?
    else {
        return Ok(false);
    };
    let activation = to_pending(row)?;
    audit::record(
        conn,
        AuditEntry {
            kind: AuditKind::ActivationExpired,
            actor: Actor::System,
            client_ip: None,
            order_id: Some(activation.order_id),
            account_id: Some(activation.account_id.0),
            detail: json!({ "activation_id": activation.public_id }),
        },
        now,
    )
    .await?;
    if let Some(order) = find_order(conn, activation.order_id).await? {
        events::emit(
            conn,
            &OrderEvent {
                kind: EventKind::ActivationExpired,
                order_id: order.id,
                partner_id: order.partner_id,
                account_id: Some(activation.account_id.0),
                data: json!({
                    "activation_id": activation.public_id,
                    "expires_at": activation.expires_at,
                }),
            },
            now,
        )
        .await?;
    }
    Ok(true)
}

/// Who an activation or registration was made for, as its emails need it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountContact {
    /// The account.
    pub id: AccountId,
    /// Its email address.
    pub email: String,
    /// Its holder's full name.
    pub full_name: String,
    /// Its language.
    pub language: Lang,
}

/// One order line registered to an account, with what it delivered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegisteredLineRecord {
    /// The order line.
    pub line_id: i64,
    /// Its position in the order.
    pub line_no: u32,
    /// Product SKU.
    pub sku: String,
    /// Seats.
    pub seats: u32,
    /// First day of the term.
    pub term_start: NaiveDate,
    /// Last day of the term.
    pub term_end: NaiveDate,
    /// The codes issued or extended by the registration (a suite: one per component).
    pub activation_codes: Vec<ActivationCode>,
    /// The SaaS service provisioned, for a SaaS line.
    pub saas_service: Option<String>,
    /// Whether the line renewed an existing code.
    pub renewal: bool,
    /// When the line was registered.
    pub registered_at: DateTime<Utc>,
}

/// A completed account-based activation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    /// The activation, now `completed`.
    pub activation: PendingActivation,
    /// The order, as it was before the completion registered its lines.
    pub order: Order,
    /// The account the order was registered to.
    pub account: AccountContact,
    /// The account's XDR region after the activation.
    pub region: Region,
    /// Whether this activation enabled XDR in the account.
    pub xdr_newly_enabled: bool,
    /// The lines registered, in order.
    pub lines: Vec<RegisteredLineRecord>,
}

/// Why a verification link did not complete its activation.
#[derive(Debug, thiserror::Error)]
pub enum CompletionError {
    /// No pending activation has this token.
    #[error("no activation has this token")]
    NotFound,
    /// The link is past its expiry; the activation is now `expired` and nothing was activated.
    #[error("verification link expired")]
    Expired(PendingActivation),
    /// The link was already followed and the activation completed.
    #[error("activation already completed")]
    AlreadyCompleted(PendingActivation),
    /// A restriction stopped the activation earlier; it stays `failed`.
    #[error("activation failed earlier")]
    AlreadyFailed(PendingActivation),
    /// A restriction holds at completion: everything was rolled back and the activation is
    /// now `failed`.
    #[error("activation stopped by {}", .conflicts.first().map_or("a restriction", Conflict::code))]
    Restricted {
        /// The activation, now `failed`.
        activation: PendingActivation,
        /// The restrictions found (at least one).
        conflicts: Vec<Conflict>,
    },
    /// The partner cancelled the order: nothing was activated (the activation stays pending
    /// until it expires).
    #[error("order cancelled")]
    OrderCancelled,
    /// The database failed; nothing was changed.
    #[error(transparent)]
    Db(#[from] DbErr),
}

/// Why a step inside the completion transaction stopped it.
enum Stop {
    Conflicts(Vec<Conflict>),
    /// The partner cancelled the order (found under the order's row lock).
    Cancelled,
    Db(DbErr),
}

impl From<DbErr> for Stop {
    fn from(err: DbErr) -> Self {
        Stop::Db(err)
    }
}

/// Completes the pending activation whose token hashes to `token_hash`, in ONE transaction:
/// claims it (`pending` and unexpired -> `completed`, returning the row), reloads the order, the
/// account's holdings and the owners of the order's ACs and plans again with
/// [`plan_activation`], registers every planned line by one conditional update, issues ACs (one
/// multi-row insert) and extends ACs, provisions SaaS instances, sets the account's XDR region
/// if it had none and verifies a new account's email (one update), records the audit trail, and
/// enqueues, in one multi-row insert, the messages of `order.activated` and of one
/// `line.registered` per line and the confirmation email (`confirmation` builds its outbox
/// message from the completion).
///
/// A typical completion is about a dozen statements whatever the number of lines: on SQLite
/// every write waits for the one writer, so the transaction's length bounds the throughput.
///
/// Any restriction rolls everything back; the activation is then marked `failed` (a separate
/// statement after the rollback). An expired link marks the activation `expired`.
///
/// The transaction is [`Database::begin_write`]'s: on a SQLite file a synchronous write
/// session on the calling thread, otherwise a transaction of the pool. The statements are the
/// same.
pub async fn complete_activation(
    db: &Database,
    catalog: &Catalog,
    token_hash: &str,
    client_ip: Option<String>,
    now: DateTime<Utc>,
    confirmation: impl FnOnce(&Completion) -> NewMessage,
) -> Result<Completion, CompletionError> {
    let request = CompletionRequest {
        catalog,
        token_hash,
        client_ip,
        now,
    };
    complete_in(db.begin_write().await?, db, request, confirmation).await
}

/// What [`complete_activation`] was asked to complete.
struct CompletionRequest<'a> {
    catalog: &'a Catalog,
    token_hash: &'a str,
    client_ip: Option<String>,
    now: DateTime<Utc>,
}

/// [`complete_activation`] in the transaction `txn` of the database `db` (which
/// records the outcome of a failed claim or a restriction after `txn` has ended).
async fn complete_in(
    txn: impl WriteTransaction,
    db: &Database,
    request: CompletionRequest<'_>,
    confirmation: impl FnOnce(&Completion) -> NewMessage,
) -> Result<Completion, CompletionError> {
    let CompletionRequest {
        catalog,
        token_hash,
        client_ip,
        now,
    } = request;
    // The claim is the transaction's first statement: on SQLite it takes the write lock before
    // any read (a deferred transaction that read first could not upgrade under contention).
    // It returns the claimed row, so nothing is read again.
    let mut claim = pending_activation::Entity::update_many()
        .col_expr(
            pending_activation::Column::Status,
            Expr::value(ActivationStatus::Completed.as_str()),
        )
        .col_expr(
            pending_activation::Column::CompletedAt,
            Expr::value(Some(now)),
        )
        .filter(pending_activation::Column::TokenHash.eq(token_hash))
        .filter(pending_activation::Column::Status.eq(ActivationStatus::Pending.as_str()))
        .filter(pending_activation::Column::ExpiresAt.gt(now))
        .into_query();
    claim.returning_all();
    let claimed: Vec<pending_activation::Model> = txn.rows(txn.backend().build(&claim)).await?;
    let Some(row) = claimed.into_iter().next() else {
        txn.rollback().await?;
        return Err(unclaimable(db, token_hash, now).await);
    };
    let activation = to_pending(row)?;

    match apply_activation(&txn, catalog, &activation, client_ip, now, confirmation).await {
        Ok(completion) => {
            txn.commit().await?;
            Ok(completion)
        }
        Err(Stop::Db(err)) => Err(CompletionError::Db(err)),
        Err(Stop::Cancelled) => {
            txn.rollback().await?;
            Err(CompletionError::OrderCancelled)
        }
        Err(Stop::Conflicts(conflicts)) => {
            txn.rollback().await?;
            mark_failed(db, activation.id).await?;
            let activation = PendingActivation {
                status: ActivationStatus::Failed,
                completed_at: None,
                ..activation
            };
            Err(CompletionError::Restricted {
                activation,
                conflicts,
            })
        }
    }
}

impl FromRow for pending_activation::Model {
    fn from_row(row: &dyn RowRead) -> Result<Self, DbErr> {
        Ok(Self {
            id: row.i64("id")?,
            public_id: row.string("public_id")?,
            order_id: row.i64("order_id")?,
            account_id: row.i64("account_id")?,
            region: row.opt_string("region")?,
            token_hash: row.string("token_hash")?,
            status: row.string("status")?,
            new_account: row.bool("new_account")?,
            language: row.string("language")?,
            created_at: row.timestamp("created_at")?,
            expires_at: row.timestamp("expires_at")?,
            completed_at: row.opt_timestamp("completed_at")?,
            resend_count: row.i32("resend_count")?,
        })
    }
}

/// Why the claim of `token_hash` changed no row: unknown, expired (now marked so), completed
/// or failed.
async fn unclaimable(db: &Database, token_hash: &str, now: DateTime<Utc>) -> CompletionError {
    let found = match find_by_token_hash(db, token_hash).await {
        Ok(found) => found,
        Err(err) => return CompletionError::Db(err),
    };
    let Some(activation) = found else {
        return CompletionError::NotFound;
    };
    match activation.status {
        ActivationStatus::Completed => CompletionError::AlreadyCompleted(activation),
        ActivationStatus::Failed => CompletionError::AlreadyFailed(activation),
        ActivationStatus::Expired => CompletionError::Expired(activation),
        ActivationStatus::Pending => {
            let expired = async {
                let txn = db.begin().await?;
                mark_expired(&txn, activation.id, now).await?;
                txn.commit().await
            };
            if let Err(err) = expired.await {
                return CompletionError::Db(err);
            }
            CompletionError::Expired(PendingActivation {
                status: ActivationStatus::Expired,
                ..activation
            })
        }
    }
}

/// Marks a claimed-then-rolled-back activation `failed` (only while it is still `pending`).
async fn mark_failed(conn: &impl ConnectionTrait, activation_id: i64) -> Result<(), DbErr> {
    pending_activation::Entity::update_many()
        .col_expr(
            pending_activation::Column::Status,
            Expr::value(ActivationStatus::Failed.as_str()),
        )
        .filter(pending_activation::Column::Id.eq(activation_id))
        .filter(pending_activation::Column::Status.eq(ActivationStatus::Pending.as_str()))
        .exec(conn)
        .await?;
    Ok(())
}

/// Reads the account's row once: its holdings (two more reads), its contact and whether its
/// email is verified. Nothing the contact shows is changed by an activation or a registration,
/// so it is read before them.
async fn load_account(
    conn: &impl RowSource,
    account_id: AccountId,
) -> Result<(Holdings, AccountContact, bool), DbErr> {
    let row = find_account_head(conn, account_id)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound(format!("account {account_id}")))?;
    let holdings = holdings_of(conn, &row).await?;
    let verified = row.email_verified;
    let contact = AccountContact {
        id: account_id,
        email: row.email,
        full_name: row.full_name,
        language: row.language,
    };
    Ok((holdings, contact, verified))
}

/// The steps of [`complete_activation`] after the claim, inside its transaction.
async fn apply_activation(
    txn: &impl StatementWriter,
    catalog: &Catalog,
    activation: &PendingActivation,
    client_ip: Option<String>,
    now: DateTime<Utc>,
    confirmation: impl FnOnce(&Completion) -> NewMessage,
) -> Result<Completion, Stop> {
    if !lock_unless_cancelled(txn, activation.order_id).await? {
        return Err(Stop::Cancelled);
    }
    let order = find_order(txn, activation.order_id)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound(format!("order {}", activation.order_id)))?;
    let (holdings, contact, email_verified) = load_account(txn, activation.account_id).await?;
    let owners = find_ac_owners(txn, &referenced_codes(&order)).await?;
    let plan: ActivationPlan = plan_activation(
        &order,
        catalog,
        &Target::Existing(&holdings),
        &owners,
        activation.region,
        now,
    )
    .map_err(Stop::Conflicts)?;

    let account_id = activation.account_id;
    let line_ids: Vec<i64> = plan.lines.iter().map(|l| l.line_id).collect();
    register_lines(txn, &order, &line_ids, account_id, now).await?;
    let codes = apply_codes(txn, &order, &plan.lines, account_id, now).await?;
    let mut lines = Vec::with_capacity(plan.lines.len());
    for (planned, codes) in plan.lines.iter().zip(codes) {
        let saas = plan.saas.iter().find(|s| s.line_id == planned.line_id);
        if let Some(instance) = saas {
            provision_saas(txn, catalog, &order, instance, account_id, now).await?;
        }
        lines.push(line_record(&order, planned, codes, saas, now)?);
    }
    let region = settle_account(
        txn,
        catalog,
        &order,
        &holdings,
        plan.xdr.region,
        // The link reached the account's address: whoever follows it owns the address, new
        // account or not (no statement when it is verified already).
        !email_verified,
    )
    .await?;

    let completion = Completion {
        activation: PendingActivation {
            status: ActivationStatus::Completed,
            completed_at: Some(now),
            ..activation.clone()
        },
        account: contact,
        region,
        xdr_newly_enabled: plan.xdr.newly_enabled,
        lines,
        order,
    };
    let mut messages = record_completion(txn, catalog, &completion, client_ip, now).await?;
    messages.push(confirmation(&completion));
    outbox::enqueue_all(txn, messages, now).await?;
    Ok(completion)
}

/// Records the audit entries of a completed activation and returns the outbox messages of its
/// partner events (`order.activated`, then one `line.registered` a line), for the caller to
/// write with its own.
async fn record_completion(
    txn: &impl StatementWriter,
    catalog: &Catalog,
    completion: &Completion,
    client_ip: Option<String>,
    now: DateTime<Utc>,
) -> Result<Vec<NewMessage>, DbErr> {
    let order = &completion.order;
    let account_id = completion.account.id.0;
    let activation_id = completion.activation.public_id;
    let line_ids: Vec<i64> = completion.lines.iter().map(|l| l.line_id).collect();
    // One multi-row insert for the audit entries, one read of the partner's subscriptions for
    // the events (the order and its lines are in memory).
    let mut entries = Vec::with_capacity(completion.lines.len() + 1);
    entries.push(AuditEntry {
        kind: AuditKind::ActivationVerified,
        actor: Actor::Account(account_id),
        client_ip: client_ip.clone(),
        order_id: Some(order.id),
        account_id: Some(account_id),
        detail: json!({
            "activation_id": activation_id,
            "line_ids": line_ids,
            "region": completion.region.as_str(),
            "new_account": completion.activation.new_account,
        }),
    });
    for line in &completion.lines {
        entries.push(AuditEntry {
            kind: AuditKind::LineRegistered,
            actor: Actor::Account(account_id),
            client_ip: client_ip.clone(),
            order_id: Some(order.id),
            account_id: Some(account_id),
            detail: json!({
                "flow": "account_based",
                "activation_id": activation_id,
                "line_id": line.line_id,
                "line_no": line.line_no,
                "sku": line.sku,
            }),
        });
    }
    audit::record_all(txn, entries, now).await?;
    let mut order_events = Vec::with_capacity(completion.lines.len() + 1);
    order_events.push(OrderEvent {
        kind: EventKind::OrderActivated,
        order_id: order.id,
        partner_id: order.partner_id,
        account_id: Some(account_id),
        data: json!({
            "activation_id": activation_id,
            "line_ids": line_ids,
            "xdr_region": completion.region.as_str(),
        }),
    });
    order_events.extend(
        completion
            .lines
            .iter()
            .map(|line| line_registered_event(order, account_id, line)),
    );
    events::order_messages(
        txn,
        catalog,
        order,
        &order_events,
        Some(completion.region),
        now,
    )
    .await
}

/// The `line.registered` event of `line`.
fn line_registered_event(
    order: &Order,
    account_id: i64,
    line: &RegisteredLineRecord,
) -> OrderEvent {
    OrderEvent {
        kind: EventKind::LineRegistered,
        order_id: order.id,
        partner_id: order.partner_id,
        account_id: Some(account_id),
        data: json!({
            "line_id": line.line_id,
            "line_no": line.line_no,
            "sku": line.sku,
            "registered_at": line.registered_at,
        }),
    }
}

/// Registers the lines `line_ids` by ONE conditional update (`registered_account_id IS NULL`)
/// that returns the ids it registered; a line registered meanwhile (the first of `line_ids` not
/// returned) stops everything.
async fn register_lines(
    conn: &impl StatementWriter,
    order: &Order,
    line_ids: &[i64],
    account_id: AccountId,
    now: DateTime<Utc>,
) -> Result<(), Stop> {
    if line_ids.is_empty() {
        return Ok(());
    }
    let mut update = order_line::Entity::update_many()
        .col_expr(
            order_line::Column::RegisteredAccountId,
            Expr::value(Some(account_id.0)),
        )
        .col_expr(order_line::Column::RegisteredAt, Expr::value(Some(now)))
        .filter(order_line::Column::Id.is_in(line_ids.iter().copied()))
        .filter(order_line::Column::RegisteredAccountId.is_null())
        .into_query();
    update.returning_col(order_line::Column::Id);
    let registered: Vec<i64> = conn
        .rows::<Id>(conn.backend().build(&update))
        .await?
        .into_iter()
        .map(|id| id.0)
        .collect();
    if registered.len() == line_ids.len() {
        refresh_status(conn, order.id).await?;
        return Ok(());
    }
    let taken = line_ids.iter().copied().find(|id| !registered.contains(id));
    Err(Stop::Conflicts(vec![Conflict::new(
        taken,
        ConflictReason::RegisteredMeanwhile {
            order_number: order.order_number.clone(),
        },
    )]))
}

/// A fresh activation code. The RNG lives only inside this function (it is not `Send`).
fn generate_code(prefix: &str) -> Result<ActivationCode, DbErr> {
    let mut rng = rand::rng();
    ActivationCode::generate(prefix, &mut rng)
        .map_err(|e| DbErr::Custom(format!("cannot generate an activation code: {e}")))
}

/// Issues and extends the codes of the planned lines; returns each line's codes in plan order.
/// Extensions are conditional updates, one a code; the new codes of every line go in one
/// multi-row insert.
async fn apply_codes(
    conn: &impl StatementWriter,
    order: &Order,
    planned_lines: &[PlannedLine],
    account_id: AccountId,
    now: DateTime<Utc>,
) -> Result<Vec<Vec<ActivationCode>>, Stop> {
    let mut issued = Vec::new();
    let mut lines = Vec::with_capacity(planned_lines.len());
    for planned in planned_lines {
        let renewal = order.line(planned.line_id).is_some_and(|l| l.is_renewal());
        let mut codes = Vec::with_capacity(planned.codes.len());
        for code in &planned.codes {
            match code {
                PlannedCode::Issue {
                    sku,
                    prefix,
                    term_start,
                    term_end,
                } => {
                    let code = generate_code(prefix)?;
                    issued.push(activation_code::ActiveModel {
                        id: NotSet,
                        code: Set(code.as_str().to_owned()),
                        account_id: Set(account_id.0),
                        sku: Set(sku.clone()),
                        line_id: Set(Some(planned.line_id)),
                        term_start: Set(*term_start),
                        term_end: Set(*term_end),
                        created_at: Set(now),
                        updated_at: Set(now),
                    });
                    codes.push(code);
                }
                PlannedCode::Extend {
                    code, new_term_end, ..
                } => {
                    extend_code(
                        conn,
                        code,
                        *new_term_end,
                        planned.line_id,
                        renewal,
                        account_id,
                        now,
                    )
                    .await?;
                    codes.push(code.clone());
                }
            }
        }
        lines.push(codes);
    }
    if !issued.is_empty() {
        conn.write(activation_code::Entity::insert_many(issued).build(conn.backend()))
            .await?;
    }
    Ok(lines)
}

/// Extends `code` to `new_term_end` for the line `line_id`: never shortened, and only in the
/// account that owns the code (a conditional update).
async fn extend_code(
    conn: &impl StatementWriter,
    code: &ActivationCode,
    new_term_end: NaiveDate,
    line_id: i64,
    renewal: bool,
    account_id: AccountId,
    now: DateTime<Utc>,
) -> Result<(), Stop> {
    let update = activation_code::Entity::update_many()
        .col_expr(
            activation_code::Column::TermEnd,
            Expr::case(
                Expr::col(activation_code::Column::TermEnd).lt(new_term_end),
                Expr::value(new_term_end),
            )
            .finally(Expr::col(activation_code::Column::TermEnd))
            .into(),
        )
        .col_expr(activation_code::Column::LineId, Expr::value(Some(line_id)))
        .col_expr(activation_code::Column::UpdatedAt, Expr::value(now))
        .filter(activation_code::Column::Code.eq(code.as_str()))
        .filter(activation_code::Column::AccountId.eq(account_id.0));
    if conn.write(update.build(conn.backend())).await? > 0 {
        return Ok(());
    }
    Err(Stop::Conflicts(vec![Conflict::new(
        Some(line_id),
        ConflictReason::ExtendedCodeElsewhere { renewal },
    )]))
}

/// Provisions a SaaS instance; the unique index on `(account_id, active_service)` turns a
/// second active instance of the service into `saas_conflict`.
async fn provision_saas(
    conn: &impl StatementWriter,
    catalog: &Catalog,
    order: &Order,
    instance: &PlannedSaas,
    account_id: AccountId,
    now: DateTime<Utc>,
) -> Result<(), Stop> {
    let insert = saas_instance::Entity::insert(saas_instance::ActiveModel {
        id: NotSet,
        account_id: Set(account_id.0),
        service: Set(instance.service.clone()),
        line_id: Set(instance.line_id),
        status: Set("active".to_owned()),
        active_service: Set(Some(instance.service.clone())),
        created_at: Set(now),
    });
    match conn
        .write_unless_duplicate(insert.build(conn.backend()))
        .await?
    {
        Some(_) => Ok(()),
        None => {
            let name = order
                .line(instance.line_id)
                .map_or(instance.service.as_str(), |l| catalog.name_of(&l.sku));
            Err(Stop::Conflicts(vec![Conflict::new(
                Some(instance.line_id),
                ConflictReason::SaasServiceHeld {
                    product: name.to_owned(),
                    service: instance.service.clone(),
                },
            )]))
        }
    }
}

/// Sets the account's XDR region if it has none and verifies the account's email
/// (`verify_email`), in one update: `xdr_region = COALESCE(xdr_region, planned)` never changes a
/// region, and returns the account's region. When another activation set one meanwhile, the
/// order keeps it, unless the order pins another region: `region_conflict`. No statement when
/// the account had a region and nothing is to verify.
async fn settle_account(
    conn: &impl StatementWriter,
    catalog: &Catalog,
    order: &Order,
    holdings: &Holdings,
    planned: Region,
    verify_email: bool,
) -> Result<Region, Stop> {
    if let Some(region) = holdings.xdr_region {
        if verify_email {
            crate::accounts::mark_email_verified(conn, holdings.account_id).await?;
        }
        return Ok(region);
    }
    let mut update = account::Entity::update_many()
        .col_expr(
            account::Column::XdrRegion,
            Func::coalesce([
                Expr::col(account::Column::XdrRegion),
                Expr::value(planned.as_str()),
            ])
            .into(),
        )
        .filter(account::Column::Id.eq(holdings.account_id.0));
    if verify_email {
        update = update.col_expr(account::Column::EmailVerified, Expr::value(true));
    }
    let mut update = update.into_query();
    update.returning_col(account::Column::XdrRegion);
    let current = conn
        .rows::<XdrRegion>(conn.backend().build(&update))
        .await?
        .into_iter()
        .next()
        .and_then(|row| row.0)
        .and_then(|code| code.parse::<Region>().ok());
    if current == Some(planned) {
        return Ok(planned);
    }
    let pin = order
        .unregistered_lines()
        .into_iter()
        .find_map(|l| catalog.get(&l.sku).and_then(|p| p.region_pin));
    match (current, pin) {
        (Some(current), Some(pin)) if current != pin => Err(Stop::Conflicts(vec![Conflict::new(
            None,
            ConflictReason::RegionConflict {
                product: None,
                account_region: current,
                order_region: pin,
            },
        )])),
        (Some(current), _) => Ok(current),
        (None, _) => Err(Stop::Db(DbErr::Custom(
            "the account's XDR region could not be set".into(),
        ))),
    }
}

/// The `id` column of a `RETURNING id`.
struct Id(i64);

impl FromRow for Id {
    fn from_row(row: &dyn RowRead) -> Result<Self, DbErr> {
        row.i64("id").map(Id)
    }
}

/// The `xdr_region` column of an account's `RETURNING xdr_region`.
struct XdrRegion(Option<String>);

impl FromRow for XdrRegion {
    fn from_row(row: &dyn RowRead) -> Result<Self, DbErr> {
        row.opt_string("xdr_region").map(XdrRegion)
    }
}

fn line_record(
    order: &Order,
    planned: &PlannedLine,
    codes: Vec<ActivationCode>,
    saas: Option<&PlannedSaas>,
    now: DateTime<Utc>,
) -> Result<RegisteredLineRecord, DbErr> {
    let line = order
        .line(planned.line_id)
        .ok_or_else(|| DbErr::RecordNotFound(format!("order line {}", planned.line_id)))?;
    Ok(RegisteredLineRecord {
        line_id: line.id,
        line_no: line.line_no,
        sku: line.sku.clone(),
        seats: line.seats,
        term_start: line.term_start,
        term_end: line.term_end,
        activation_codes: codes,
        saas_service: saas.map(|s| s.service.clone()),
        renewal: line.is_renewal(),
        registered_at: now,
    })
}

/// A completed legacy registration of one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LegacyRegistration {
    /// The order, as it was before the line was registered.
    pub order: Order,
    /// The account the line was registered to.
    pub account: AccountContact,
    /// The registered line.
    pub line: RegisteredLineRecord,
}

/// Why a legacy registration did not happen.
#[derive(Debug, thiserror::Error)]
pub enum RegistrationError {
    /// No order line has this key.
    #[error("unknown registration key")]
    UnknownKey,
    /// A restriction holds (`wrong_flow`, `already_registered`, `renewal_account_mismatch`,
    /// `saas_conflict`): nothing was changed.
    #[error("registration stopped by {}", .0.code())]
    Restricted(Conflict),
    /// The partner cancelled the order: nothing was changed.
    #[error("order cancelled")]
    OrderCancelled,
    /// The database failed; nothing was changed.
    #[error(transparent)]
    Db(#[from] DbErr),
}

/// Registers the line of `key` to `account_id` (legacy flow), in ONE transaction: plans with
/// [`plan_legacy_registration`] on data read inside it, registers the line by a conditional
/// update, issues its codes or extends the renewed AC (only in the account that owns it),
/// provisions its SaaS instance, records `line.registered`, and enqueues the messages of
/// `line.registered` and the notice email (`notice` builds its outbox message) in one insert.
pub async fn register_legacy(
    db: &Database,
    catalog: &Catalog,
    key: &RegistrationKey,
    account_id: AccountId,
    client_ip: Option<String>,
    now: DateTime<Utc>,
    notice: impl FnOnce(&LegacyRegistration) -> NewMessage,
) -> Result<LegacyRegistration, RegistrationError> {
    let txn = db.begin().await?;
    // A no-op write first: on SQLite it takes the write lock before any read (a deferred
    // transaction that read first could not upgrade under contention); on PostgreSQL it locks
    // the line, so concurrent registrations of one key queue up and each reads the outcome of
    // the one before.
    let locked = order_line::Entity::update_many()
        .col_expr(
            order_line::Column::RegisteredAt,
            Expr::col(order_line::Column::RegisteredAt),
        )
        .filter(order_line::Column::RegistrationKey.eq(key.as_str()))
        .exec(&txn)
        .await?;
    if locked.rows_affected == 0 {
        return Err(RegistrationError::UnknownKey);
    }
    match apply_legacy(&txn, catalog, key, account_id, client_ip, now, notice).await {
        Ok(registration) => {
            txn.commit().await?;
            Ok(registration)
        }
        Err(Stop::Db(err)) => Err(RegistrationError::Db(err)),
        Err(Stop::Cancelled) => {
            txn.rollback().await?;
            Err(RegistrationError::OrderCancelled)
        }
        Err(Stop::Conflicts(mut conflicts)) => {
            txn.rollback().await?;
            match conflicts.is_empty() {
                true => Err(RegistrationError::Db(DbErr::Custom(
                    "empty conflict list".into(),
                ))),
                false => Err(RegistrationError::Restricted(conflicts.swap_remove(0))),
            }
        }
    }
}

/// The steps of [`register_legacy`] after the lock, inside its transaction.
async fn apply_legacy(
    txn: &impl ConnectionTrait,
    catalog: &Catalog,
    key: &RegistrationKey,
    account_id: AccountId,
    client_ip: Option<String>,
    now: DateTime<Utc>,
    notice: impl FnOnce(&LegacyRegistration) -> NewMessage,
) -> Result<LegacyRegistration, Stop> {
    let order = find_order_by_key(txn, key)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("order of the key".into()))?;
    if !lock_unless_cancelled(txn, order.id).await? {
        return Err(Stop::Cancelled);
    }
    let (holdings, contact, _) = load_account(txn, account_id).await?;
    let owners = find_ac_owners(txn, &referenced_codes(&order)).await?;
    let plan: LegacyPlan = plan_legacy_registration(
        &order,
        catalog,
        key,
        &Target::Existing(&holdings),
        &owners,
        now,
    )
    .map_err(|c| Stop::Conflicts(vec![c]))?;
    let planned = &plan.line;
    register_lines(txn, &order, &[planned.line_id], account_id, now)
        .await
        .map_err(|stop| match stop {
            Stop::Conflicts(_) => Stop::Conflicts(vec![Conflict::new(
                Some(planned.line_id),
                ConflictReason::LineRegistered {
                    product: catalog.name_of(&planned.sku).to_owned(),
                    order_number: order.order_number.clone(),
                },
            )]),
            other => other,
        })?;
    let codes = apply_codes(txn, &order, std::slice::from_ref(planned), account_id, now)
        .await?
        .into_iter()
        .next()
        .unwrap_or_default();
    if let Some(instance) = &plan.saas {
        provision_saas(txn, catalog, &order, instance, account_id, now).await?;
    }
    let line = line_record(&order, planned, codes, plan.saas.as_ref(), now)?;
    let mut entries = vec![AuditEntry {
        kind: AuditKind::LineRegistered,
        actor: Actor::Account(account_id.0),
        client_ip: client_ip.clone(),
        order_id: Some(order.id),
        account_id: Some(account_id.0),
        detail: json!({
            "flow": "legacy",
            "line_id": line.line_id,
            "line_no": line.line_no,
            "sku": line.sku,
            "renewal": line.renewal,
        }),
    }];
    if line.renewal {
        // A step of its own in the trail: the renewed code's term was extended.
        entries.push(AuditEntry {
            kind: AuditKind::RenewalApplied,
            actor: Actor::Account(account_id.0),
            client_ip,
            order_id: Some(order.id),
            account_id: Some(account_id.0),
            detail: json!({
                "line_id": line.line_id,
                "sku": line.sku,
                "term_end": line.term_end,
            }),
        });
    }
    audit::record_all(txn, entries, now).await?;
    let event = line_registered_event(&order, account_id.0, &line);
    let mut messages = events::order_messages(
        txn,
        catalog,
        &order,
        std::slice::from_ref(&event),
        None,
        now,
    )
    .await?;
    let registration = LegacyRegistration {
        account: contact,
        line,
        order,
    };
    messages.push(notice(&registration));
    outbox::enqueue_all(txn, messages, now).await?;
    Ok(registration)
}
