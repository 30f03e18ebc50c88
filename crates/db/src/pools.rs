//! The async (sqlx) pools of a [`crate::Database`] and its migrations.
//!
//! SQLite: one connection, which serializes writers so that a read-then-write transaction
//! cannot fail with `SQLITE_BUSY`, and on a database file a read pool of query-only
//! connections. PostgreSQL: a pool of 10, a pool of [`WORKER_CONNECTIONS`] per HTTP worker
//! ([`worker_pool`]), and migrations under an advisory lock.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use clp_migrations::{Migrator, MigratorTrait as _};
use sea_orm::{ConnectOptions, ConnectionTrait as _, DatabaseConnection, DbBackend, DbErr};

use crate::sqlite_settings::{ConnectionSettings, SqliteUrl};

/// Connections of a SQLite read pool ([`open_read_pool`]): the session's account and
/// `me/activity` (the preview and `me/products` read on the synchronous reader). Each
/// connection has a worker thread and a page cache; those reads are single indexed lookups,
/// so one connection suffices (docs/benchmarks.md).
const SQLITE_READ_CONNECTIONS: u32 = 1;

/// Connections of a PostgreSQL pool.
const POSTGRES_CONNECTIONS: u32 = 10;

/// Connections of the PostgreSQL pool of one HTTP worker ([`worker_pool`]). Measured on two
/// cores with two workers and 64 clients (docs/benchmarks.md): 2 a worker held the verification
/// of activations, a transaction of a dozen statements, to 350/s; 5 gave 450/s; 10 no more
/// (400/s) and previews the same at each.
const WORKER_CONNECTIONS: u32 = 5;

/// A pooled PostgreSQL connection idle for this long is pinged before it is handed out (one
/// the server, a proxy or a firewall may have dropped). sqlx's default pings on every
/// acquire, a round trip more for each statement outside a transaction.
const PING_IF_IDLE_FOR: Duration = Duration::from_secs(30);

/// The pool of `url` (`sqlite` is its parsed SQLite URL, if it is one): every write and every
/// transaction go through it.
pub(crate) async fn open_pool(
    url: &str,
    sqlite: Option<&SqliteUrl>,
) -> Result<DatabaseConnection, DbErr> {
    let mut options = ConnectOptions::new(url);
    options
        .connect_timeout(Duration::from_secs(5))
        .acquire_timeout(Duration::from_secs(5))
        .sqlx_logging(false);
    match sqlite {
        Some(sqlite) => {
            sqlite.create_parent_dir()?;
            options
                .max_connections(1)
                .min_connections(1)
                .map_sqlx_sqlite_opts(|o| ConnectionSettings::POOL.sqlx(o))
                .map_sqlx_sqlite_pool_opts(|pool| pool.after_release(close_if_in_transaction));
        }
        None => {
            options
                .max_connections(POSTGRES_CONNECTIONS)
                .min_connections(1)
                .test_before_acquire_if_idle_for(PING_IF_IDLE_FOR);
        }
    }
    sea_orm::Database::connect(options).await
}

/// A pool of [`WORKER_CONNECTIONS`] to the PostgreSQL database of `shared` (same connection
/// options) for one HTTP worker thread: it opens no connection until the worker first needs
/// one, so that every connection is opened, and its socket registered, on the runtime of the
/// worker that uses it.
///
/// Each actix-web worker runs its own single-threaded Tokio runtime, and a socket is polled for
/// readiness by the runtime that opened it. Through one pool shared by every worker, a
/// connection opened on one runtime and used from another learns that its answer has arrived
/// only when the first one next polls its I/O driver: under load the answer waits while that
/// worker serves requests. Measured (docs/benchmarks.md): previews 2,900/s with a fifth of the
/// CPU idle, 4,200/s and no idle CPU with a pool per worker.
///
/// Must be called on the worker's runtime (the pool spawns its maintenance task there).
pub(crate) fn worker_pool(shared: &sea_orm::sqlx::PgPool) -> DatabaseConnection {
    let options = shared.connect_options().as_ref().clone();
    let pool = sea_orm::sqlx::postgres::PgPoolOptions::new()
        .max_connections(WORKER_CONNECTIONS)
        .min_connections(0)
        .acquire_timeout(Duration::from_secs(5))
        .test_before_acquire(false)
        .before_acquire(ping_if_idle)
        .connect_lazy_with(options);
    sea_orm::SqlxPostgresConnector::from_sqlx_postgres_pool(pool)
}

/// Whether a connection of a [`worker_pool`] may be handed out: yes, after a ping when it has
/// been idle for [`PING_IF_IDLE_FOR`] (a failed ping closes it and the pool opens another).
fn ping_if_idle(
    conn: &mut sea_orm::sqlx::PgConnection,
    meta: sea_orm::sqlx::pool::PoolConnectionMetadata,
) -> Pin<Box<dyn Future<Output = Result<bool, sea_orm::sqlx::Error>> + Send + '_>> {
    Box::pin(async move {
        use sea_orm::sqlx::Connection as _;
        if meta.idle_for >= PING_IF_IDLE_FOR {
            conn.ping().await?;
        }
        Ok(true)
    })
}

/// Whether a SQLite connection coming back to the pool may be used again: not when it is still
/// inside a transaction.
///
/// A `COMMIT` that fails (a full disk: `SQLITE_FULL`) leaves SQLite's transaction open, and
/// sqlx's count of open transactions with it; reused, the connection would run every later
/// transaction as a savepoint inside that one, answer their commits with success and make
/// none of them durable, while holding the write lock against every other connection. Closed
/// instead, it rolls back, and the pool opens a fresh one. A transaction dropped without
/// `commit` or `rollback` (an error path) also comes back inside its transaction, its rollback
/// queued: that connection is closed too, which rolls it back just the same.
fn close_if_in_transaction(
    conn: &mut sea_orm::sqlx::SqliteConnection,
    _: sea_orm::sqlx::pool::PoolConnectionMetadata,
) -> Pin<Box<dyn Future<Output = Result<bool, sea_orm::sqlx::Error>> + Send + '_>> {
    use sea_orm::sqlx::Connection as _;
    let reusable = !conn.is_in_transaction();
    Box::pin(std::future::ready(Ok(reusable)))
}

/// The read pool of a SQLite database file `url`: [`SQLITE_READ_CONNECTIONS`] query-only WAL
/// connections that read while the single writer writes (WAL readers never block the writer
/// nor each other, and each read sees the last commit of any process).
pub(crate) async fn open_read_pool(url: &str) -> Result<DatabaseConnection, DbErr> {
    let mut options = ConnectOptions::new(url);
    options
        .connect_timeout(Duration::from_secs(5))
        .acquire_timeout(Duration::from_secs(5))
        .max_connections(SQLITE_READ_CONNECTIONS)
        .min_connections(1)
        .sqlx_logging(false)
        .map_sqlx_sqlite_opts(|o| ConnectionSettings::READ_POOL.sqlx(o));
    sea_orm::Database::connect(options).await
}

/// Runs every pending migration on `pool` (of `url`).
///
/// On PostgreSQL the migrations run under an advisory lock, so that several processes starting
/// at once on one database (replicas of a deployment) migrate it one after the other instead
/// of failing on each other's `CREATE TABLE`.
pub(crate) async fn migrate(pool: &DatabaseConnection, url: &str) -> Result<(), DbErr> {
    if pool.get_database_backend() == DbBackend::Postgres {
        migrate_postgres_locked(url).await
    } else {
        Migrator::up(pool, None).await
    }
}

/// Key of the advisory lock held while migrating PostgreSQL (any constant shared by every
/// `clp-server`).
const MIGRATION_LOCK_KEY: i64 = 0x434c_505f_4d49_4752; // "CLP_MIGR"

/// Runs the migrations on a connection of its own holding [`MIGRATION_LOCK_KEY`]: a session
/// lock needs every statement on the one session, hence a pool of exactly one connection.
async fn migrate_postgres_locked(url: &str) -> Result<(), DbErr> {
    let mut options = ConnectOptions::new(url);
    options
        .max_connections(1)
        .min_connections(1)
        .connect_timeout(Duration::from_secs(5))
        // Waiting for another process's migrations counts as acquiring.
        .acquire_timeout(Duration::from_secs(120))
        .sqlx_logging(false);
    let session = sea_orm::Database::connect(options).await?;
    session
        .execute_unprepared(&format!("SELECT pg_advisory_lock({MIGRATION_LOCK_KEY})"))
        .await?;
    let migrated = Migrator::up(&session, None).await;
    let unlocked = session
        .execute_unprepared(&format!("SELECT pg_advisory_unlock({MIGRATION_LOCK_KEY})"))
        .await;
    // Closing the session releases the lock in any case.
    let _ = session.close().await;
    migrated?;
    unlocked.map(|_| ())
}
