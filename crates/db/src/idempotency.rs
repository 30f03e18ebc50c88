//! Stored responses of partner `POST`s by `Idempotency-Key`.
//!
//! The key is claimed first, by inserting `(partner, key, request hash)` under the unique
//! index: of several concurrent requests with one key exactly one inserts the row and runs;
//! the others find the row and either replay its stored response, wait for it, or are told
//! the body differs. Rows older than the time to live are ignored and replaced.

use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveValue::{NotSet, Set},
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter,
};

use crate::entities::idempotency_key;
use crate::failure::DbFailure;

/// How long a key is remembered.
pub const KEY_TTL_HOURS: i64 = 24;

/// After this long without a stored response, a claim is considered abandoned.
pub const STALE_CLAIM_SECS: i64 = 120;

/// What to do with a request carrying an `Idempotency-Key`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// The key is new (or expired): this request runs and stores its response afterwards.
    Started,
    /// A request with the same key and body already completed: send this response again.
    Replay {
        /// HTTP status of the first response.
        status: u16,
        /// Body of the first response.
        body: String,
    },
    /// A request with the same key and body is still running.
    InFlight,
    /// The key was used with another request body.
    Mismatch,
}

/// Claims `key` for a request whose body hashes to `request_hash`.
pub async fn claim(
    conn: &impl ConnectionTrait,
    partner_id: i64,
    key: &str,
    request_hash: &str,
    now: DateTime<Utc>,
) -> Result<Claim, DbErr> {
    // An expired key is forgotten: the request runs as if the key were new.
    idempotency_key::Entity::delete_many()
        .filter(idempotency_key::Column::PartnerId.eq(partner_id))
        .filter(idempotency_key::Column::IdemKey.eq(key))
        .filter(idempotency_key::Column::CreatedAt.lt(now - Duration::hours(KEY_TTL_HOURS)))
        .exec(conn)
        .await?;
    // A claim whose request never stored a response (its process died) is taken over.
    idempotency_key::Entity::delete_many()
        .filter(idempotency_key::Column::PartnerId.eq(partner_id))
        .filter(idempotency_key::Column::IdemKey.eq(key))
        .filter(idempotency_key::Column::ResponseStatus.is_null())
        .filter(idempotency_key::Column::CreatedAt.lt(now - Duration::seconds(STALE_CLAIM_SECS)))
        .exec(conn)
        .await?;
    let inserted = idempotency_key::Entity::insert(idempotency_key::ActiveModel {
        id: NotSet,
        partner_id: Set(partner_id),
        idem_key: Set(key.to_owned()),
        request_hash: Set(request_hash.to_owned()),
        response_status: Set(None),
        response_body: Set(None),
        created_at: Set(now),
    })
    .exec(conn)
    .await;
    match inserted {
        Ok(_) => return Ok(Claim::Started),
        Err(err) if DbFailure::of(&err) == DbFailure::Duplicate => {}
        Err(err) => return Err(err),
    }
    let Some(row) = find(conn, partner_id, key).await? else {
        // Deleted between our insert and read (the first request failed): the caller retries.
        return Ok(Claim::InFlight);
    };
    if row.request_hash != request_hash {
        return Ok(Claim::Mismatch);
    }
    Ok(match (row.response_status, row.response_body) {
        (Some(status), Some(body)) => Claim::Replay {
            status: u16::try_from(status).unwrap_or(500),
            body,
        },
        _ => Claim::InFlight,
    })
}

async fn find(
    conn: &impl ConnectionTrait,
    partner_id: i64,
    key: &str,
) -> Result<Option<idempotency_key::Model>, DbErr> {
    idempotency_key::Entity::find()
        .filter(idempotency_key::Column::PartnerId.eq(partner_id))
        .filter(idempotency_key::Column::IdemKey.eq(key))
        .one(conn)
        .await
}

/// Stores the response of the request that claimed `key`.
pub async fn complete(
    conn: &impl ConnectionTrait,
    partner_id: i64,
    key: &str,
    status: u16,
    body: &str,
) -> Result<(), DbErr> {
    idempotency_key::Entity::update_many()
        .col_expr(
            idempotency_key::Column::ResponseStatus,
            sea_orm::sea_query::Expr::value(Some(i32::from(status))),
        )
        .col_expr(
            idempotency_key::Column::ResponseBody,
            sea_orm::sea_query::Expr::value(Some(body.to_owned())),
        )
        .filter(idempotency_key::Column::PartnerId.eq(partner_id))
        .filter(idempotency_key::Column::IdemKey.eq(key))
        .exec(conn)
        .await?;
    Ok(())
}

/// Forgets `key` (the request failed in a way worth retrying, e.g. a 5xx).
pub async fn release(conn: &impl ConnectionTrait, partner_id: i64, key: &str) -> Result<(), DbErr> {
    idempotency_key::Entity::delete_many()
        .filter(idempotency_key::Column::PartnerId.eq(partner_id))
        .filter(idempotency_key::Column::IdemKey.eq(key))
        .filter(idempotency_key::Column::ResponseStatus.is_null())
        .exec(conn)
        .await?;
    Ok(())
}

/// Deletes every key older than the time to live; returns how many.
pub async fn purge_expired(conn: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<u64, DbErr> {
    let deleted = idempotency_key::Entity::delete_many()
        .filter(idempotency_key::Column::CreatedAt.lt(now - Duration::hours(KEY_TTL_HOURS)))
        .exec(conn)
        .await?;
    Ok(deleted.rows_affected)
}
