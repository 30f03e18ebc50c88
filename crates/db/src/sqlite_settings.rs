//! How a SQLite database is opened, in one place: the `sqlite:` URL parsed once, and the
//! settings every kind of connection runs with (the async pool that writes, its query-only
//! read pool, the synchronous reader and the synchronous writer).

use std::path::Path;
use std::time::Duration;

use sea_orm::DbErr;
use sea_orm::sqlx::sqlite::SqliteConnectOptions;

/// The database a `sqlite:` URL names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum SqliteUrl {
    /// A database file, by the path written in the URL: other connections (the read pool,
    /// the synchronous connections, other processes) open the same file.
    File(String),
    /// An in-memory database, which only the connection that opened it sees.
    Memory,
}

impl SqliteUrl {
    /// The database of a `sqlite:` URL (`sqlite://path?query`, `sqlite:path`,
    /// `sqlite::memory:`, `...?mode=memory`); `None` for other URLs.
    pub(crate) fn parse(url: &str) -> Option<Self> {
        let rest = url.strip_prefix("sqlite:")?;
        let rest = rest.strip_prefix("//").unwrap_or(rest);
        let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
        let memory = path.is_empty()
            || path.contains(":memory:")
            || query.split('&').any(|param| param == "mode=memory");
        Some(if memory {
            Self::Memory
        } else {
            Self::File(path.to_owned())
        })
    }

    /// Creates the directory of a database file (sqlx creates the file, not its directory).
    pub(crate) fn create_parent_dir(&self) -> Result<(), DbErr> {
        let Self::File(path) = self else {
            return Ok(());
        };
        match Path::new(path).parent() {
            Some(dir) if !dir.as_os_str().is_empty() => std::fs::create_dir_all(dir).map_err(|e| {
                DbErr::Custom(format!(
                    "cannot create the database directory {}: {e}",
                    dir.display()
                ))
            }),
            _ => Ok(()),
        }
    }
}

/// The pragmas every SQLite connection runs, in this order, before those of its kind
/// ([`ConnectionSettings`]).
const PRAGMAS: [(&str, &str); 4] = [
    // WAL + synchronous = NORMAL: a commit appends to the WAL without an fsync (checkpoints
    // fsync). The database stays consistent after a crash of the process (kill -9) and loses
    // no commit then; a power loss or OS crash may roll back the last commits. FULL would
    // fsync every commit. WAL readers never block the writer nor each other.
    ("journal_mode", "WAL"),
    ("synchronous", "NORMAL"),
    ("foreign_keys", "ON"),
    // 1 MiB of page cache a connection instead of 2: the OS caches the file too, and every
    // connection's cache counts in the server's RSS.
    ("cache_size", "-1024"),
];

/// Whether a connection may write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Access {
    /// Reads and writes.
    ReadWrite,
    /// Reads only: a write through it is a bug, and fails (`PRAGMA query_only`).
    QueryOnly,
}

/// The settings of one kind of SQLite connection: [`PRAGMAS`], its busy timeout and whether it
/// may write.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ConnectionSettings {
    access: Access,
    /// How long a statement waits for another connection's lock before failing.
    busy_timeout: Duration,
}

impl ConnectionSettings {
    /// The async pool's connection, the process's writer.
    pub(crate) const POOL: Self = Self {
        access: Access::ReadWrite,
        busy_timeout: Duration::from_secs(5),
    };

    /// The async read pool's connections.
    pub(crate) const READ_POOL: Self = Self {
        access: Access::QueryOnly,
        busy_timeout: Duration::from_secs(5),
    };

    /// The synchronous reader's connections. WAL readers wait only in rare cases (recovery of
    /// a crashed writer's WAL); the wait blocks an HTTP worker, so it is kept short.
    pub(crate) const SYNC_READER: Self = Self {
        access: Access::QueryOnly,
        busy_timeout: Duration::from_millis(1000),
    };

    /// The synchronous writer's connections: `BEGIN IMMEDIATE` waits this long for another
    /// process's write transaction (within the process, sessions queue for the pool's
    /// connection first and never wait here).
    pub(crate) const SYNC_WRITER: Self = Self {
        access: Access::ReadWrite,
        busy_timeout: Duration::from_secs(5),
    };

    /// The pragmas of this kind of connection, in the order they run: `query_only` last, as
    /// it would refuse the journal mode's change.
    fn pragmas(self) -> impl Iterator<Item = (&'static str, &'static str)> {
        let query_only = (self.access == Access::QueryOnly).then_some(("query_only", "ON"));
        PRAGMAS.into_iter().chain(query_only)
    }

    /// `options` of the async driver (sqlx) with these settings.
    pub(crate) fn sqlx(self, options: SqliteConnectOptions) -> SqliteConnectOptions {
        self.pragmas().fold(
            options.busy_timeout(self.busy_timeout),
            |options, (name, value)| options.pragma(name, value),
        )
    }

    /// The statements that give a connection of the synchronous driver (rusqlite) these
    /// settings.
    pub(crate) fn sql(self) -> String {
        let mut sql = format!("PRAGMA busy_timeout = {};", self.busy_timeout.as_millis());
        for (name, value) in self.pragmas() {
            sql.push_str(&format!(" PRAGMA {name} = {value};"));
        }
        sql
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str) -> Option<SqliteUrl> {
        Some(SqliteUrl::File(path.to_owned()))
    }

    #[test]
    fn file_urls_give_their_path_and_memory_urls_none() {
        assert_eq!(
            SqliteUrl::parse("sqlite://data/clp.db?mode=rwc"),
            file("data/clp.db")
        );
        assert_eq!(SqliteUrl::parse("sqlite:///tmp/x.db"), file("/tmp/x.db"));
        assert_eq!(SqliteUrl::parse("sqlite:x.db"), file("x.db"));
        assert_eq!(SqliteUrl::parse("sqlite::memory:"), Some(SqliteUrl::Memory));
        assert_eq!(SqliteUrl::parse("sqlite://"), Some(SqliteUrl::Memory));
        assert_eq!(
            SqliteUrl::parse("sqlite://db?mode=memory&cache=shared"),
            Some(SqliteUrl::Memory)
        );
        assert_eq!(SqliteUrl::parse("postgres://localhost/test"), None);
    }

    #[test]
    fn the_parent_directory_of_a_file_is_created() {
        let root = std::env::temp_dir().join(format!("clp-dir-{}", uuid::Uuid::new_v4()));
        let url = format!("sqlite://{}/a/clp.db?mode=rwc", root.display());
        SqliteUrl::parse(&url).unwrap().create_parent_dir().unwrap();
        assert!(root.join("a").is_dir());
        let _ = std::fs::remove_dir_all(&root);
        SqliteUrl::parse("sqlite://clp.db")
            .unwrap()
            .create_parent_dir()
            .unwrap();
        SqliteUrl::Memory.create_parent_dir().unwrap();
    }

    #[test]
    fn every_connection_runs_the_same_pragmas_and_readers_are_query_only() {
        assert_eq!(
            ConnectionSettings::SYNC_WRITER.sql(),
            "PRAGMA busy_timeout = 5000; PRAGMA journal_mode = WAL; \
             PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA cache_size = -1024;"
        );
        assert_eq!(
            ConnectionSettings::SYNC_READER.sql(),
            "PRAGMA busy_timeout = 1000; PRAGMA journal_mode = WAL; \
             PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA cache_size = -1024; \
             PRAGMA query_only = ON;"
        );
    }
}
