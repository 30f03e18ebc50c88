//! A full SQLite disk: writes answer 503 `unavailable` with `Retry-After` (never 500), the log
//! names the cause, nothing partial is left behind, and writes succeed again once space is freed.
//!
//! The server runs in a mount namespace of its own (`unshare`), its database on a small tmpfs
//! that the test fills through `/proc/<pid>/root`.

#![expect(clippy::unwrap_used, reason = "tests: a failure must fail the test")]

mod common;
mod flow_support;
mod reliability_support;

use std::io::Write as _;
use std::path::{Path, PathBuf};

use clp_domain::order::{Order, OrderType};
use clp_migrations::MigratorTrait as _;
use common::TestDb;
use reliability_support::{
    ScratchDb, ServerProcess, base_env, customer_token, insert_account, insert_order,
    insert_partner, order_id, order_state, with_env,
};
use sea_orm::{ConnectOptions, ConnectionTrait as _, Database, DatabaseConnection};
use serde_json::{Value, json};

/// Size of the database's disk: room for the migrated database, not much more.
const DISK_SIZE: &str = "8m";

/// Legacy orders registered one after the other once the disk is full (the first writes may
/// still fit in the space the write-ahead log already holds).
const LEGACY_ORDERS: usize = 40;

/// Fills the file system of `dir` with one file until it has no space left.
fn fill(dir: &Path) -> PathBuf {
    let path = dir.join("filler");
    let mut file = std::fs::File::create(&path).unwrap();
    let block = vec![0x5a_u8; 64 * 1024];
    loop {
        if let Err(e) = file.write_all(&block) {
            assert_eq!(e.raw_os_error(), Some(28), "ENOSPC expected: {e}");
            break;
        }
    }
    // Whatever is left is smaller than a block: take it too.
    let small = [0x5a_u8; 512];
    while file.write_all(&small).is_ok() {}
    while file.write_all(&[0x5a]).is_ok() {}
    path
}

async fn integrity(conn: &DatabaseConnection) -> String {
    let row = conn
        .query_one_raw(sea_orm::Statement::from_string(
            sea_orm::DbBackend::Sqlite,
            "PRAGMA integrity_check",
        ))
        .await
        .unwrap()
        .unwrap();
    row.try_get_by_index::<String>(0).unwrap()
}

async fn post(url: String, token: Option<&str>, body: &Value) -> (u16, Option<String>, Value) {
    let mut request = reqwest::Client::new().post(url).json(body);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let retry_after = response
        .headers()
        .get("retry-after")
        .map(|v| v.to_str().unwrap().to_owned());
    let text = response.text().await.unwrap();
    (
        status,
        retry_after,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

fn assert_storage_full(what: &str, (status, retry_after, body): &(u16, Option<String>, Value)) {
    assert_eq!(*status, 503, "{what}: {body}");
    assert_eq!(body["code"], "unavailable", "{what}: {body}");
    let retry: u64 = retry_after.as_deref().unwrap().parse().unwrap();
    assert!(retry > 0, "{what}: Retry-After {retry}");
    let text = body.to_string().to_lowercase();
    for leak in ["sqlite", "disk", "full", "13"] {
        assert!(!text.contains(leak), "{what} leaks `{leak}`: {body}");
    }
}

/// A crash-consistent copy of the server's database: the server is frozen (`SIGSTOP`) while
/// the database file and its write-ahead log are copied, then resumes. SQLite cannot open the
/// live file through `/proc/<pid>/root` (it resolves that link to `/`, outside the server's
/// mount namespace), so the checks read the copy.
async fn snapshot(server: &ServerProcess, disk: &Path) -> (tempfile::TempDir, DatabaseConnection) {
    let copy = tempfile::tempdir().unwrap();
    let signal = |name: &str| {
        let sent = std::process::Command::new("kill")
            .args([name, &server.pid.to_string()])
            .status()
            .unwrap();
        assert!(sent.success(), "kill {name}");
    };
    signal("-STOP");
    for file in ["clp.db", "clp.db-wal"] {
        if disk.join(file).exists() {
            std::fs::copy(disk.join(file), copy.path().join(file)).unwrap();
        }
    }
    signal("-CONT");
    let mut options = ConnectOptions::new(format!(
        "sqlite://{}?mode=rw",
        copy.path().join("clp.db").display()
    ));
    options.max_connections(1).sqlx_logging(false);
    let conn = Database::connect(options).await.unwrap();
    (copy, conn)
}

/// A migrated database file in `dir` holding a partner, an XDR order, [`LEGACY_ORDERS`] legacy
/// orders and the account that registers them; returns the account id and the orders.
async fn seed(dir: &Path) -> (i64, Order, Vec<Order>) {
    let mut options = ConnectOptions::new(format!(
        "sqlite://{}?mode=rwc",
        dir.join("clp.db").display()
    ));
    options.max_connections(1).sqlx_logging(false);
    let conn = Database::connect(options).await.unwrap();
    clp_migrations::Migrator::up(&conn, None).await.unwrap();
    let partner = insert_partner(&conn).await;
    let xdr = insert_order(
        &conn,
        partner,
        "SO-FULL-XDR",
        OrderType::New,
        &["XDR-EPS", "XDR-CAS", "A1"],
    )
    .await;
    let mut legacy = Vec::new();
    for i in 0..LEGACY_ORDERS {
        let number = format!("SO-FULL-L{i}");
        legacy.push(insert_order(&conn, partner, &number, OrderType::New, &["SMEX"]).await);
    }
    let account = insert_account(&conn, "owner@full.example").await;
    // A clean close folds the write-ahead log into the file.
    conn.close().await.unwrap();
    (account, xdr, legacy)
}

#[tokio::test]
async fn a_full_sqlite_disk_answers_503_with_retry_after_and_leaves_nothing_partial() {
    let scratch = ScratchDb::create(TestDb::Sqlite).await;
    let seeded = scratch.dir.path().join("seed");
    std::fs::create_dir(&seeded).unwrap();
    let (account, xdr, legacy) = seed(&seeded).await;
    let disk = scratch.dir.path().join("disk");
    std::fs::create_dir(&disk).unwrap();
    let env = with_env(
        base_env(&scratch),
        &[(
            "CLP_DATABASE_URL",
            &format!("sqlite://{}?mode=rwc", disk.join("clp.db").display()),
        )],
    );
    // In a mount namespace of its own: a small tmpfs on `disk`, the seeded database copied in.
    let mount = format!(
        "mount -t tmpfs -o size={DISK_SIZE} tmpfs '{disk}' && cp '{seed}/clp.db' '{disk}/' \
         && exec \"$@\"",
        disk = disk.display(),
        seed = seeded.display(),
    );
    let mut server = ServerProcess::start_under(
        &[
            "unshare",
            "--mount",
            "--map-root-user",
            "sh",
            "-c",
            &mount,
            "sh",
        ],
        &env,
    )
    .await;
    // The server's disk, as the test sees it.
    let disk = PathBuf::from(format!("/proc/{}/root{}", server.pid, disk.display()));
    let token = customer_token(account);

    // Before the disk fills: an activation waiting for its link.
    let (status, _, body) = post(
        server.url("/api/v1/activations"),
        Some(&token),
        &json!({"key": xdr.lines[0].registration_key.to_string()}),
    )
    .await;
    assert_eq!(status, 202, "{body}");
    let outbox = scratch.dir.path().join("outbox");
    let link = common::wait_for_link_tokens(&outbox, "owner@full.example", "/activate/verify", 1)
        .await
        .remove(0);

    let filler = fill(&disk);

    // Legacy registrations (the async pool): each is done whole or refused (a refused write
    // may leave room for a smaller one after it).
    let mut registered = Vec::new();
    let mut refused = Vec::new();
    for order in &legacy {
        let answer = post(
            server.url("/api/v1/registrations"),
            Some(&token),
            &json!({"key": order.lines[0].registration_key.to_string()}),
        )
        .await;
        match answer.0 {
            201 => registered.push(order.order_number.clone()),
            _ => {
                assert_storage_full(&format!("registration of {}", order.order_number), &answer);
                refused.push(order.clone());
            }
        }
    }
    assert!(
        !refused.is_empty(),
        "a full disk refuses some of {LEGACY_ORDERS} registrations"
    );
    // The completion of the activation (the synchronous SQLite writer).
    let verify = post(
        server.url("/api/v1/activations/verify"),
        None,
        &json!({"token": link}),
    )
    .await;
    assert_storage_full("verification", &verify);
    let output = server.output().join("\n");
    assert!(
        output.contains("disk is full"),
        "a log line names the cause:\n{output}"
    );

    // Nothing partial: the database is sound, refused writes left nothing.
    let (_copy, conn) = snapshot(&server, &disk).await;
    assert_eq!(integrity(&conn).await, "ok");
    let state = order_state(&conn, order_id(&conn, "SO-FULL-XDR").await).await;
    assert_eq!((state.registered, state.codes, state.saas), (0, 0, 0));
    for order in &refused {
        let state = order_state(&conn, order_id(&conn, &order.order_number).await).await;
        let untouched = (state.registered, state.codes);
        assert_eq!(untouched, (0, 0), "{}", order.order_number);
    }
    for number in &registered {
        let state = order_state(&conn, order_id(&conn, number).await).await;
        assert_eq!((state.registered, state.codes), (1, 1), "{number}");
    }
    conn.close().await.unwrap();

    // Space freed: the same requests succeed, whole.
    std::fs::remove_file(filler).unwrap();
    for order in &refused {
        let (status, _, body) = post(
            server.url("/api/v1/registrations"),
            Some(&token),
            &json!({"key": order.lines[0].registration_key.to_string()}),
        )
        .await;
        assert_eq!(status, 201, "{}: {body}", order.order_number);
    }
    let (status, _, body) = post(
        server.url("/api/v1/activations/verify"),
        None,
        &json!({"token": link}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let (_copy, conn) = snapshot(&server, &disk).await;
    assert_eq!(integrity(&conn).await, "ok");
    let state = order_state(&conn, order_id(&conn, "SO-FULL-XDR").await).await;
    assert_eq!((state.lines, state.registered), (3, 3));
    for order in &legacy {
        let state = order_state(&conn, order_id(&conn, &order.order_number).await).await;
        assert_eq!(
            (state.registered, state.codes),
            (1, 1),
            "{}",
            order.order_number
        );
    }
    conn.close().await.unwrap();
    server.stop().await;
}
