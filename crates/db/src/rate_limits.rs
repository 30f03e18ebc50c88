//! Fixed-window rate limit counters in `rate_limits`, shared by every process on the database.
//!
//! A counter is one row per (bucket, window start), e.g. (`203.0.113.7:sign_in`, 12:34:00).
//! [`hit`] counts a request with one upsert that returns the new count, so two processes
//! serving the same client see one count: the unique index on `(bucket, window_start)` decides,
//! not a read-then-write. Old windows are deleted by [`delete_before`] (the sweeper).

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict, Query};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};

use crate::entities::rate_limit::{Column, Entity};

/// Counts one hit of `bucket` in the window starting at `window_start`, and returns the hits of
/// that window so far, this one included.
///
/// `window_start` must be the same value for every hit of a window (e.g. the time truncated to
/// the minute): it is part of the counter's key.
pub async fn hit(
    conn: &impl ConnectionTrait,
    bucket: &str,
    window_start: DateTime<Utc>,
) -> Result<u32, DbErr> {
    let statement = Query::insert()
        .into_table(Entity)
        .columns([Column::Bucket, Column::WindowStart, Column::Hits])
        .values([bucket.into(), window_start.into(), 1_i32.into()])
        .map_err(|e| DbErr::Custom(format!("rate limit upsert: {e}")))?
        .on_conflict(
            OnConflict::columns([Column::Bucket, Column::WindowStart])
                .value(Column::Hits, Expr::col((Entity, Column::Hits)).add(1))
                .to_owned(),
        )
        .returning_col(Column::Hits)
        .to_owned();
    let row = conn
        .query_one(&statement)
        .await?
        .ok_or_else(|| DbErr::Custom("rate limit upsert returned no row".to_owned()))?;
    let hits: i32 = row.try_get("", "hits")?;
    Ok(u32::try_from(hits).unwrap_or(0))
}

/// The hits counted for `bucket` in the window starting at `window_start` (0 when none).
pub async fn hits(
    conn: &impl ConnectionTrait,
    bucket: &str,
    window_start: DateTime<Utc>,
) -> Result<u32, DbErr> {
    let row = Entity::find()
        .filter(Column::Bucket.eq(bucket))
        .filter(Column::WindowStart.eq(window_start))
        .one(conn)
        .await?;
    Ok(row.map_or(0, |r| u32::try_from(r.hits).unwrap_or(0)))
}

/// Deletes every counter of a window that started before `cutoff`; returns how many.
pub async fn delete_before(
    conn: &impl ConnectionTrait,
    cutoff: DateTime<Utc>,
) -> Result<u64, DbErr> {
    let deleted = Entity::delete_many()
        .filter(Column::WindowStart.lt(cutoff))
        .exec(conn)
        .await?;
    Ok(deleted.rows_affected)
}
