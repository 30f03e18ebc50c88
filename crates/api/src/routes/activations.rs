//! The account-based flow: `POST /api/v1/activations` (request the activation of a whole
//! order; a verification email is sent), `POST /api/v1/activations/verify` (the link was
//! followed: complete it) and `GET /api/v1/activations/{id}` (its status, for its owner).

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chrono::{DateTime, Utc};
use clp_api_types::{
    ActivationAccepted, ActivationResponse, ActivationStatus as ApiStatus, CreateAccountRequest,
    CreateActivationRequest, NewAccountForActivation, Problem, VerifyActivationRequest,
    VerifyActivationResponse, XdrInfo,
};
use clp_db::accounts::{self, Account, NewSimplifiedAccount};
use clp_db::activation_links;
use clp_db::activations::{
    self, ActivationStatus, Completion, CompletionError, NewPendingActivation,
};
use clp_db::audit::{self, Actor, AuditEntry, AuditKind};
use clp_db::holdings::{find_ac_owners, load_holdings, referenced_codes};
use clp_db::orders::{find_order, find_order_by_key};
use clp_domain::RegistrationKey;
use clp_domain::account::{AccountId, Holdings};
use clp_domain::conflict::{Conflict, ConflictReason, Target};
use clp_domain::order::Order;
use clp_domain::plan::{ActivationPlan, plan_activation};
use clp_domain::region::Region;
use sea_orm::TransactionTrait as _;
use serde_json::json;
use uuid::Uuid;

use super::ServiceConfig;
use super::accounts::prepare_simplified;
use super::flow_support::{
    client_ip, mail_product, parse_key, region_code, region_of, registered_line,
};
use crate::auth::link_token::{self, new_token, token_hash};
use crate::auth::{CustomerSession, OptionalCustomerSession};
use crate::error::ApiError;
use crate::mail::{
    ActivationConfirmationMail, MailPayload, MailProduct, MailTemplate, VerificationMail,
};
use crate::messages::{ConflictKind, FieldProblem};
use crate::metrics::{self, ActivationOutcome, RegistrationFlow};
use crate::state::AppState;

/// Registers the activation routes.
pub fn configure(cfg: &mut ServiceConfig) {
    // `verify` before `{id}`: both are literal segments under `/activations`.
    cfg.service(create_activation)
        .service(verify_activation)
        .service(get_activation);
}

fn api_status(status: ActivationStatus) -> ApiStatus {
    match status {
        ActivationStatus::Pending => ApiStatus::Pending,
        ActivationStatus::Completed => ApiStatus::Completed,
        ActivationStatus::Expired => ApiStatus::Expired,
        ActivationStatus::Failed => ApiStatus::Failed,
    }
}

/// Requests the activation of a whole order (account-based flow).
///
/// Signed in, the order is activated into that account; otherwise `account` creates a new
/// (unverified) account with the simplified form. Every restriction is checked now, and again
/// when the link is followed. The XDR region is the order's pin, else the account's, else
/// `region`, else the default of the order's country. Nothing is registered until the
/// verification link emailed to the account is followed.
#[utoipa::path(
    tag = "activations",
    request_body = CreateActivationRequest,
    security((), ("customer_bearer" = []), ("customer_cookie" = [])),
    responses(
        (status = 202, description = "Pending: the verification email is sent.",
            body = ActivationAccepted),
        (status = 400, description = "Unreadable body (`bad_request`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Neither signed in nor a new `account` (`unauthorized`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No order line has this key (`unknown_key`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A restriction (`saas_conflict`, `region_conflict`, \
            `crossgrade_account_required`, `renewal_account_mismatch`, `nothing_to_activate`, \
            `wrong_flow` naming `POST /api/v1/registrations`), or the new account's email \
            exists (`account_exists`: sign in instead).",
            body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Malformed key (`invalid_key`) or invalid account fields \
            (`validation_failed`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many requests (`rate_limited`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 500, description = "Unexpected failure (`internal`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unavailable (`unavailable`).",
            body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/activations")]
pub async fn create_activation(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: OptionalCustomerSession,
    body: web::Json<CreateActivationRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let key = parse_key(&body.key)?;
    let now = Utc::now();
    let destination = destination(&state, session, body.account).await?;
    let target = match &destination {
        Destination::Existing { holdings, .. } => Target::Existing(holdings),
        Destination::SignUp(_) => Target::NewAccount,
    };
    let (order, plan) = plan_for(&state, &key, &target, body.region.map(region_of), now).await?;
    let account = match destination {
        Destination::Existing { account, .. } => Recipient::Existing(account),
        Destination::SignUp(form) => {
            Recipient::New(new_simplified_account(&state, form, &order).await?)
        }
    };
    request_verification(&state, &req, &order, &plan, account, now).await
}

/// The account an activation goes into, as the request names it: the signed-in account (with
/// what it holds), or the simplified form of a new account in the body.
enum Destination {
    Existing {
        account: Box<Account>,
        holdings: Holdings,
    },
    SignUp(NewAccountForActivation),
}

/// The account of the pending activation: an existing one, or one created with it.
enum Recipient {
    Existing(Box<Account>),
    New(NewSimplifiedAccount),
}

/// Signed in, the signed-in account (a body `account` is refused); signed out, the body's
/// `account`; neither is 401.
async fn destination(
    state: &AppState,
    session: OptionalCustomerSession,
    account: Option<NewAccountForActivation>,
) -> Result<Destination, ApiError> {
    match (session.0, account) {
        (Some(_), Some(_)) => Err(ApiError::invalid_field(
            "account",
            FieldProblem::AccountWhileSignedIn,
        )),
        (Some(session), None) => {
            let id = AccountId(session.account_id);
            let account = accounts::find_by_id(&state.db, id)
                .await?
                .ok_or(ApiError::Unauthorized)?;
            let holdings = load_holdings(&state.db, id)
                .await?
                .ok_or(ApiError::Unauthorized)?;
            Ok(Destination::Existing {
                account: Box::new(account),
                holdings,
            })
        }
        (None, Some(account)) => Ok(Destination::SignUp(account)),
        (None, None) => Err(ApiError::Unauthorized),
    }
}

/// The order of `key` and its activation plan into `target`, or the restrictions in the way.
async fn plan_for(
    state: &AppState,
    key: &RegistrationKey,
    target: &Target<'_>,
    region: Option<Region>,
    now: DateTime<Utc>,
) -> Result<(Order, ActivationPlan), ApiError> {
    let order = find_order_by_key(&state.db, key)
        .await?
        .ok_or(ApiError::UnknownKey)?;
    let owners = find_ac_owners(&state.db, &referenced_codes(&order)).await?;
    let plan = plan_activation(&order, &state.catalog, target, &owners, region, now).map_err(
        |conflicts| {
            metrics::activation(ActivationOutcome::Conflict);
            ApiError::restricted(conflicts)
        },
    )?;
    Ok((order, plan))
}

/// In one transaction: the account created (for a sign-up), the pending activation, its audit
/// entry and its verification email; then 202.
async fn request_verification(
    state: &AppState,
    req: &HttpRequest,
    order: &Order,
    plan: &ActivationPlan,
    recipient: Recipient,
    now: DateTime<Utc>,
) -> Result<HttpResponse, ApiError> {
    let (token, hash) = new_token()?;
    let ttl =
        chrono::Duration::from_std(state.config.verification_ttl).map_err(ApiError::internal)?;
    let expires_at = now + ttl;
    let is_new = matches!(recipient, Recipient::New(_));

    let txn = state.db.begin().await?;
    let account = match recipient {
        Recipient::Existing(account) => *account,
        Recipient::New(new) => {
            clp_db::unverified_accounts::release_email(
                &txn,
                &new.email,
                client_ip(state, req),
                now,
            )
            .await?;
            accounts::create_simplified(&txn, &new, now).await?
        }
    };
    let pending = activations::create_pending(
        &txn,
        &NewPendingActivation {
            order_id: order.id,
            account_id: account.id,
            region: Some(plan.xdr.region),
            token_hash: hash,
            language: account.language,
            new_account: is_new,
            expires_at,
        },
        now,
    )
    .await?;
    audit::record(
        &txn,
        AuditEntry {
            kind: AuditKind::ActivationRequested,
            actor: Actor::Account(account.id.0),
            client_ip: client_ip(state, req),
            order_id: Some(order.id),
            account_id: Some(account.id.0),
            detail: json!({
                "activation_id": pending.public_id,
                "new_account": is_new,
                "region": plan.xdr.region.as_str(),
                "line_ids": plan.lines.iter().map(|l| l.line_id).collect::<Vec<_>>(),
                "expires_at": expires_at,
            }),
        },
        now,
    )
    .await?;
    let mail = verification_mail(
        state,
        order,
        Some(plan.xdr.region),
        &account,
        token,
        expires_at,
        is_new,
    );
    clp_db::outbox::enqueue(&txn, mail.outbox_message(), now).await?;
    txn.commit().await?;
    state.outbox_wakeup.notify();
    metrics::activation(ActivationOutcome::Requested);

    Ok(
        HttpResponse::build(StatusCode::ACCEPTED).json(ActivationAccepted {
            activation_id: pending.public_id,
            status: ApiStatus::Pending,
            expires_at,
        }),
    )
}

/// The email with the verification link of an activation, listing what it will register.
pub(super) fn verification_mail(
    state: &AppState,
    order: &Order,
    region: Option<Region>,
    account: &Account,
    token: String,
    expires_at: DateTime<Utc>,
    new_account: bool,
) -> MailPayload {
    let catalog = state.catalog.as_ref();
    let products: Vec<MailProduct> = order
        .unregistered_lines()
        .into_iter()
        .map(|line| MailProduct {
            sku: line.sku.clone(),
            product_name: catalog.name_of(&line.sku).to_owned(),
            seats: line.seats,
            term_start: Some(line.term_start),
            term_end: Some(line.term_end),
            activation_codes: Vec::new(),
            saas_service: None,
        })
        .collect();
    MailPayload::new(
        account.email.clone(),
        account.language,
        MailTemplate::Verification(VerificationMail {
            token,
            expires_at,
            order_number: order.order_number.clone(),
            full_name: account.full_name.clone(),
            new_account,
            region: region.map(|region| region.as_str().to_owned()),
            products,
        }),
    )
}

/// The account to create from the simplified form (validated like `POST /api/v1/accounts`,
/// field paths prefixed `account.`): the email must be free (409 `account_exists`: sign in
/// instead); company and country default to the order's.
async fn new_simplified_account(
    state: &AppState,
    account: NewAccountForActivation,
    order: &Order,
) -> Result<NewSimplifiedAccount, ApiError> {
    // Checked before the password is hashed; the unique index decides in the transaction. An
    // unverified account holding nothing does not count: it is replaced.
    if clp_db::unverified_accounts::email_taken(&state.db, &account.email).await? {
        return Err(ApiError::AccountExists);
    }
    let request = CreateAccountRequest {
        email: account.email,
        password: account.password,
        full_name: account.full_name,
        company: account.company,
        country: account.country,
        language: account.language,
    };
    let mut new = prepare_simplified(request, "account.").await?;
    if new.company.trim().is_empty() {
        new.company.clone_from(&order.end_customer.company);
    }
    if new.country.trim().is_empty() {
        new.country.clone_from(&order.end_customer.country);
    }
    Ok(new)
}

/// Completes an activation: the customer followed the verification link.
///
/// Every unregistered line of the order is registered to the account in one transaction, with
/// every restriction checked again (the last check decides): codes are issued, SaaS instances
/// provisioned, XDR enabled in the account's region, a new account's email verified, and the
/// confirmation email and partner events queued. A link works once.
#[utoipa::path(
    tag = "activations",
    request_body = VerifyActivationRequest,
    responses(
        (status = 200, description = "Completed: the registered lines and the XDR console.",
            body = VerifyActivationResponse),
        (status = 400, description = "Unreadable body (`bad_request`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No activation has this token (`not_found`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The link was already used (`nothing_to_activate`), the \
            activation was stopped earlier (`conflict`), or a restriction holds now \
            (`saas_conflict`, `region_conflict`, `crossgrade_account_required`, \
            `renewal_account_mismatch`, `nothing_to_activate`, `already_registered`); nothing \
            was activated.",
            body = Problem, content_type = "application/problem+json"),
        (status = 410, description = "The link expired, was replaced by a resend, or its \
            activation was cancelled; nothing was activated: start the activation again, or \
            follow the newest link (`verification_expired`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The token is empty or too long (`validation_failed`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 500, description = "Unexpected failure (`internal`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unavailable (`unavailable`).",
            body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/activations/verify")]
pub async fn verify_activation(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Json<VerifyActivationRequest>,
) -> Result<web::Json<VerifyActivationResponse>, ApiError> {
    let token = link_token::checked(&body.token)?;
    let hash = token_hash(token);
    let catalog = state.catalog.as_ref();
    let console_urls = &state.config.xdr_console_urls;
    let completion = match activations::complete_activation(
        &state.db,
        catalog,
        &hash,
        client_ip(&state, &req),
        Utc::now(),
        |completion| confirmation_mail(&state, completion).outbox_message(),
    )
    .await
    {
        Ok(completion) => completion,
        // A link replaced by a resend: it expired (the newest link works).
        Err(CompletionError::NotFound)
            if activation_links::is_superseded(&state.db, &hash).await? =>
        {
            metrics::activation(ActivationOutcome::Expired);
            return Err(ApiError::restricted(vec![Conflict::new(
                None,
                ConflictReason::LinkExpired,
            )]));
        }
        Err(error) => return Err(completion_error(error)),
    };
    state.outbox_wakeup.notify();
    metrics::activation(ActivationOutcome::Completed);
    metrics::registration(RegistrationFlow::AccountBased);
    let console_url = console_urls
        .get(completion.region.as_str())
        .ok_or_else(|| ApiError::internal("no XDR console URL for the region"))?
        .to_owned();
    Ok(web::Json(VerifyActivationResponse {
        activation_id: completion.activation.public_id,
        status: ApiStatus::Completed,
        order_number: completion.order.order_number.clone(),
        registered_lines: completion
            .lines
            .iter()
            .map(|line| registered_line(catalog, line))
            .collect(),
        xdr: XdrInfo {
            region: region_code(completion.region),
            console_url,
        },
    }))
}

/// The confirmation email of a completed activation.
fn confirmation_mail(state: &AppState, completion: &Completion) -> MailPayload {
    let region = completion.region.as_str();
    MailPayload::new(
        completion.account.email.clone(),
        completion.account.language,
        MailTemplate::ActivationConfirmation(ActivationConfirmationMail {
            order_number: completion.order.order_number.clone(),
            full_name: completion.account.full_name.clone(),
            region: Some(region.to_owned()),
            console_url: state.config.xdr_console_urls.get(region).map(str::to_owned),
            products: completion
                .lines
                .iter()
                .map(|line| mail_product(&state.catalog, line))
                .collect(),
        }),
    )
}

fn completion_error(error: CompletionError) -> ApiError {
    match &error {
        CompletionError::Expired(_) => metrics::activation(ActivationOutcome::Expired),
        CompletionError::Restricted { .. }
        | CompletionError::AlreadyCompleted(_)
        | CompletionError::AlreadyFailed(_) => metrics::activation(ActivationOutcome::Conflict),
        CompletionError::NotFound | CompletionError::Db(_) => {}
    }
    match error {
        CompletionError::NotFound => ApiError::NotFound,
        CompletionError::Expired(_) => {
            ApiError::restricted(vec![Conflict::new(None, ConflictReason::LinkExpired)])
        }
        CompletionError::AlreadyCompleted(_) => {
            ApiError::restricted(vec![Conflict::new(None, ConflictReason::LinkUsed)])
        }
        CompletionError::AlreadyFailed(_) => ApiError::Conflict(ConflictKind::ActivationStopped),
        CompletionError::Restricted { conflicts, .. } => ApiError::restricted(conflicts),
        CompletionError::Db(err) => err.into(),
    }
}

/// The status of an activation, for the account it activates into (others get 404).
#[utoipa::path(
    tag = "activations",
    params(("id" = Uuid, Path, description = "The `activation_id`.")),
    security(("customer_bearer" = []), ("customer_cookie" = [])),
    responses(
        (status = 200, description = "The activation.", body = ActivationResponse),
        (status = 401, description = "Not signed in (`unauthorized`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such activation of this account (`not_found`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 500, description = "Unexpected failure (`internal`).",
            body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unavailable (`unavailable`).",
            body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/activations/{id}")]
pub async fn get_activation(
    state: web::Data<AppState>,
    session: CustomerSession,
    path: web::Path<String>,
) -> Result<web::Json<ActivationResponse>, ApiError> {
    let id = Uuid::parse_str(&path.into_inner()).map_err(|_| ApiError::NotFound)?;
    let activation = activations::find_by_public_id(&state.db, id)
        .await?
        .filter(|a| a.account_id == AccountId(session.account_id))
        .ok_or(ApiError::NotFound)?;
    let order = find_order(&state.db, activation.order_id)
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(web::Json(ActivationResponse {
        activation_id: activation.public_id,
        status: api_status(shown_status(
            activation.status,
            activation.expires_at,
            Utc::now(),
        )),
        order_number: order.order_number,
        expires_at: activation.expires_at,
        completed_at: activation.completed_at,
    }))
}

/// A pending activation past its expiry is shown `expired` even before it is marked so.
fn shown_status(
    status: ActivationStatus,
    expires_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> ActivationStatus {
    match status {
        ActivationStatus::Pending if expires_at <= now => ActivationStatus::Expired,
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pending_activation_past_its_expiry_shows_expired() {
        let now = Utc::now();
        let past = now - chrono::Duration::seconds(1);
        assert_eq!(
            shown_status(ActivationStatus::Pending, past, now),
            ActivationStatus::Expired
        );
        assert_eq!(
            shown_status(
                ActivationStatus::Pending,
                now + chrono::Duration::hours(1),
                now
            ),
            ActivationStatus::Pending
        );
        assert_eq!(
            shown_status(ActivationStatus::Completed, past, now),
            ActivationStatus::Completed
        );
    }
}
