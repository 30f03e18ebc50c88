//! Pending activations and their completion, on SQLite and PostgreSQL.

#![expect(clippy::unwrap_used, reason = "tests: a failure must fail the test")]

#[path = "activation_support/mod.rs"]
mod support;

use std::collections::HashMap;

use chrono::Duration;
use clp_db::activations::{self, ActivationStatus, CompletionError};
use clp_db::holdings::load_holdings;
use clp_db::orders::find_order;
use clp_domain::conflict::Restriction;
use clp_domain::order::OrderType;
use clp_domain::region::Region;
use sea_orm::{ConnectionTrait, DbBackend, Statement, TransactionTrait};
use support::{
    LineSpec, account, date, email_verified, emails, line, mail, on_each_database, order, partner,
    pending, t0,
};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pending_activation_is_found_by_token_hash_and_by_public_id() {
    on_each_database(|db| async move {
        let partner = partner(&db.conn).await;
        let order = order(
            &db.conn,
            &db.catalog,
            partner,
            OrderType::New,
            &[line("XDR-EPS")],
        )
        .await;
        let account = account(&db.conn, "jane@acme.example", true).await;
        let created = pending(&db.conn, &order, account, "ab12", Some(Region::Jp), false).await;
        assert_eq!(created.status, ActivationStatus::Pending);

        let by_hash = activations::find_by_token_hash(&db.conn, "ab12")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(by_hash, created);
        let by_id = activations::find_by_public_id(&db.conn, created.public_id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(by_id, created);
        assert_eq!(by_id.region, Some(Region::Jp));
        assert!(
            activations::find_by_token_hash(&db.conn, "other")
                .await
                .unwrap()
                .is_none()
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn completing_an_activation_registers_every_line_and_delivers_the_products() {
    on_each_database(|db| async move {
        let partner = partner(&db.conn).await;
        let order = order(
            &db.conn,
            &db.catalog,
            partner,
            OrderType::New,
            &[line("XDR-CAS"), line("XDR-DDI"), line("CUP")],
        )
        .await;
        let account = account(&db.conn, "new@acme.example", false).await;
        pending(&db.conn, &order, account, "tok1", Some(Region::Sg), true).await;

        let now = t0() + Duration::hours(1);
        let done = activations::complete_activation(
            &db.conn,
            &db.catalog,
            "tok1",
            Some("10.0.0.1".into()),
            now,
            mail,
        )
        .await
        .unwrap();
        assert_eq!(done.activation.status, ActivationStatus::Completed);
        assert_eq!(done.region, Region::Sg);
        assert!(done.xdr_newly_enabled);
        assert_eq!(done.lines.len(), 3);
        let cas = &done.lines[0];
        assert_eq!(cas.saas_service.as_deref(), Some("cloud-app-security"));
        assert_eq!(cas.activation_codes.len(), 1);
        assert_eq!(
            done.lines[2].activation_codes.len(),
            4,
            "a suite gets one code per component"
        );

        let after = find_order(&db.conn, order.id).await.unwrap().unwrap();
        assert!(after.lines.iter().all(|l| {
            l.registration
                .as_ref()
                .is_some_and(|r| r.account_id == account)
        }));
        let holdings = load_holdings(&db.conn, account).await.unwrap().unwrap();
        assert_eq!(holdings.xdr_region, Some(Region::Sg));
        assert_eq!(holdings.activation_codes.len(), 6);
        assert_eq!(holdings.saas_instances.len(), 1);
        assert!(
            email_verified(&db.conn, account.0).await,
            "following the link verifies a new account"
        );

        let stored = activations::find_by_token_hash(&db.conn, "tok1")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(stored.status, ActivationStatus::Completed);
        assert_eq!(stored.completed_at, Some(now));

        let kinds: Vec<String> = clp_db::audit::for_order(&db.conn, order.id)
            .await
            .unwrap()
            .into_iter()
            .map(|r| r.kind.as_str().to_owned())
            .collect();
        assert_eq!(
            kinds,
            [
                "activation.verified",
                "line.registered",
                "line.registered",
                "line.registered"
            ]
        );
        let mails = emails(&db.conn).await;
        assert_eq!(mails.len(), 1);
        assert_eq!(mails[0]["template"], "activation_confirmation");
        assert_eq!(mails[0]["to"], "new@acme.example");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_completed_activation_cannot_be_completed_again() {
    on_each_database(|db| async move {
        let partner = partner(&db.conn).await;
        let order = order(
            &db.conn,
            &db.catalog,
            partner,
            OrderType::New,
            &[line("XDR-EPS")],
        )
        .await;
        let account = account(&db.conn, "jane@acme.example", true).await;
        pending(&db.conn, &order, account, "tok", None, false).await;
        activations::complete_activation(&db.conn, &db.catalog, "tok", None, t0(), mail)
            .await
            .unwrap();
        let again =
            activations::complete_activation(&db.conn, &db.catalog, "tok", None, t0(), mail).await;
        assert!(
            matches!(again, Err(CompletionError::AlreadyCompleted(_))),
            "{again:?}"
        );
        let unknown =
            activations::complete_activation(&db.conn, &db.catalog, "nope", None, t0(), mail).await;
        assert!(
            matches!(unknown, Err(CompletionError::NotFound)),
            "{unknown:?}"
        );
        assert_eq!(emails(&db.conn).await.len(), 1);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_link_activates_nothing_and_the_activation_becomes_expired() {
    on_each_database(|db| async move {
        let partner = partner(&db.conn).await;
        let order = order(
            &db.conn,
            &db.catalog,
            partner,
            OrderType::New,
            &[line("XDR-EPS")],
        )
        .await;
        let account = account(&db.conn, "jane@acme.example", true).await;
        let created = pending(&db.conn, &order, account, "tok", None, false).await;

        let late = created.expires_at + Duration::seconds(1);
        let outcome =
            activations::complete_activation(&db.conn, &db.catalog, "tok", None, late, mail).await;
        assert!(
            matches!(outcome, Err(CompletionError::Expired(_))),
            "{outcome:?}"
        );
        let stored = activations::find_by_token_hash(&db.conn, "tok")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(stored.status, ActivationStatus::Expired);
        let after = find_order(&db.conn, order.id).await.unwrap().unwrap();
        assert_eq!(after.registered_count(), 0);

        // Following it again still says expired.
        let again =
            activations::complete_activation(&db.conn, &db.catalog, "tok", None, late, mail).await;
        assert!(
            matches!(again, Err(CompletionError::Expired(_))),
            "{again:?}"
        );
        let kinds: Vec<String> = clp_db::audit::for_order(&db.conn, order.id)
            .await
            .unwrap()
            .into_iter()
            .map(|r| r.kind.as_str().to_owned())
            .collect();
        assert_eq!(kinds, ["activation.expired"]);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_saas_conflict_at_completion_rolls_everything_back_and_fails_the_activation() {
    on_each_database(|db| async move {
        let partner = partner(&db.conn).await;
        let account = account(&db.conn, "jane@acme.example", true).await;
        let first = order(
            &db.conn,
            &db.catalog,
            partner,
            OrderType::New,
            &[line("XDR-CAS")],
        )
        .await;
        let second = order(
            &db.conn,
            &db.catalog,
            partner,
            OrderType::New,
            &[line("XDR-EPS"), line("XDR-CAS")],
        )
        .await;
        // Both requested while the account held nothing; the first completion wins the service.
        pending(&db.conn, &first, account, "first", None, false).await;
        let loser = pending(&db.conn, &second, account, "second", None, false).await;
        activations::complete_activation(&db.conn, &db.catalog, "first", None, t0(), mail)
            .await
            .unwrap();

        let outcome =
            activations::complete_activation(&db.conn, &db.catalog, "second", None, t0(), mail)
                .await;
        let Err(CompletionError::Restricted {
            activation,
            conflicts,
        }) = outcome
        else {
            panic!("expected a restriction, got {outcome:?}");
        };
        assert_eq!(activation.public_id, loser.public_id);
        assert_eq!(conflicts[0].restriction(), Restriction::SaasConflict);
        let after = find_order(&db.conn, second.id).await.unwrap().unwrap();
        assert_eq!(
            after.registered_count(),
            0,
            "the XDR-EPS line was rolled back too"
        );
        let holdings = load_holdings(&db.conn, account).await.unwrap().unwrap();
        assert_eq!(holdings.activation_codes.len(), 1);
        let stored = activations::find_by_token_hash(&db.conn, "second")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(stored.status, ActivationStatus::Failed);
        assert_eq!(emails(&db.conn).await.len(), 1);

        let replay =
            activations::complete_activation(&db.conn, &db.catalog, "second", None, t0(), mail)
                .await;
        assert!(
            matches!(replay, Err(CompletionError::AlreadyFailed(_))),
            "{replay:?}"
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_region_set_meanwhile_conflicts_with_an_order_pinning_another_region() {
    on_each_database(|db| async move {
        let partner = partner(&db.conn).await;
        let account = account(&db.conn, "jane@acme.example", true).await;
        let eu = order(
            &db.conn,
            &db.catalog,
            partner,
            OrderType::New,
            &[line("XDR-DDI-EU")],
        )
        .await;
        let jp = order(
            &db.conn,
            &db.catalog,
            partner,
            OrderType::New,
            &[line("XDR-DDI-JP")],
        )
        .await;
        pending(&db.conn, &eu, account, "eu", None, false).await;
        pending(&db.conn, &jp, account, "jp", None, false).await;
        let done = activations::complete_activation(&db.conn, &db.catalog, "eu", None, t0(), mail)
            .await
            .unwrap();
        assert_eq!(done.region, Region::Eu, "the pin decides the region");

        let outcome =
            activations::complete_activation(&db.conn, &db.catalog, "jp", None, t0(), mail).await;
        let Err(CompletionError::Restricted { conflicts, .. }) = outcome else {
            panic!("expected a restriction, got {outcome:?}");
        };
        assert_eq!(conflicts[0].restriction(), Restriction::RegionConflict);
        let holdings = load_holdings(&db.conn, account).await.unwrap().unwrap();
        assert_eq!(
            holdings.xdr_region,
            Some(Region::Eu),
            "a region never changes"
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_account_keeps_its_region_when_an_unpinned_order_asks_for_another() {
    on_each_database(|db| async move {
        let partner = partner(&db.conn).await;
        let account = account(&db.conn, "jane@acme.example", true).await;
        let first = order(
            &db.conn,
            &db.catalog,
            partner,
            OrderType::New,
            &[line("XDR-EPS")],
        )
        .await;
        let second = order(
            &db.conn,
            &db.catalog,
            partner,
            OrderType::New,
            &[line("XDR-DDI")],
        )
        .await;
        pending(&db.conn, &first, account, "a", Some(Region::Au), false).await;
        pending(&db.conn, &second, account, "b", Some(Region::Uk), false).await;
        activations::complete_activation(&db.conn, &db.catalog, "a", None, t0(), mail)
            .await
            .unwrap();
        let done = activations::complete_activation(&db.conn, &db.catalog, "b", None, t0(), mail)
            .await
            .unwrap();
        assert_eq!(done.region, Region::Au);
        assert!(!done.xdr_newly_enabled);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cross_grade_extends_the_retained_code_in_the_owning_account_and_never_shortens_it() {
    on_each_database(|db| async move {
        let partner = partner(&db.conn).await;
        let owner = account(&db.conn, "owner@acme.example", true).await;
        let other = account(&db.conn, "other@acme.example", true).await;
        // The owner registered Apex One earlier (legacy flow), before the CUP purchase of
        // 2026-01-02: the retained AC, ending 2027-06-30.
        let mut a1 = line("A1");
        a1.term_end = date(2027, 6, 30);
        let earlier = order(&db.conn, &db.catalog, partner, OrderType::New, &[a1]).await;
        let registered = activations::register_legacy(
            &db.conn,
            &db.catalog,
            &earlier.lines[0].registration_key,
            owner,
            None,
            t0() - chrono::Duration::days(30),
            support::notice,
        )
        .await
        .unwrap();
        let retained = registered.line.activation_codes[0].clone();

        let cup = LineSpec {
            sku: "CUP",
            retained: vec![("A1", retained.clone())],
            renews: None,
            term_end: date(2027, 3, 31),
        };
        let mut eps = line("XDR-EPS");
        eps.term_end = date(2027, 3, 31);
        let crossgrade = order(&db.conn, &db.catalog, partner, OrderType::New, &[cup, eps]).await;

        // Into another account: the cross grade must use the owner's account.
        pending(&db.conn, &crossgrade, other, "other", None, false).await;
        let refused =
            activations::complete_activation(&db.conn, &db.catalog, "other", None, t0(), mail)
                .await;
        let Err(CompletionError::Restricted { conflicts, .. }) = refused else {
            panic!("expected a restriction, got {refused:?}");
        };
        assert_eq!(
            conflicts[0].restriction(),
            Restriction::CrossgradeAccountRequired
        );

        pending(&db.conn, &crossgrade, owner, "owner", None, false).await;
        let done =
            activations::complete_activation(&db.conn, &db.catalog, "owner", None, t0(), mail)
                .await
                .unwrap();
        let suite = &done.lines[0];
        assert_eq!(suite.activation_codes.len(), 4);
        assert!(
            suite.activation_codes.contains(&retained),
            "the retained AC is kept"
        );
        let holdings = load_holdings(&db.conn, owner).await.unwrap().unwrap();
        let held = holdings.code(&retained).unwrap();
        assert_eq!(
            held.term_end,
            date(2027, 6, 30),
            "an extension never shortens a code"
        );
        assert_eq!(held.line_id, Some(crossgrade.lines[0].id));
        assert_eq!(holdings.activation_codes.len(), 1 + 3 + 1);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_concurrent_completions_of_one_order_register_every_line_exactly_once() {
    on_each_database(|db| async move {
        let partner = partner(&db.conn).await;
        let order = order(
            &db.conn,
            &db.catalog,
            partner,
            OrderType::New,
            &[
                line("XDR-CAS"),
                line("XDR-DDI"),
                line("XDR-EPS"),
                line("SMEX"),
            ],
        )
        .await;
        let alice = account(&db.conn, "alice@acme.example", true).await;
        let bob = account(&db.conn, "bob@acme.example", true).await;
        pending(&db.conn, &order, alice, "alice", None, false).await;
        pending(&db.conn, &order, bob, "bob", None, false).await;

        let mut tasks = Vec::new();
        for i in 0..20 {
            let conn = db.conn.clone();
            let catalog = db.catalog.clone();
            let token = if i % 2 == 0 { "alice" } else { "bob" };
            tasks.push(tokio::task::spawn_local(async move {
                activations::complete_activation(&conn, &catalog, token, None, t0(), mail).await
            }));
        }
        let mut wins = Vec::new();
        let mut outcomes: HashMap<String, usize> = HashMap::new();
        for task in tasks {
            match task.await.unwrap() {
                Ok(done) => wins.push(done),
                Err(CompletionError::Db(err)) => panic!("database error in the race: {err}"),
                Err(other) => {
                    let key = match &other {
                        CompletionError::Restricted { conflicts, .. } => {
                            conflicts[0].code().to_owned()
                        }
                        other => format!("{other}"),
                    };
                    *outcomes.entry(key).or_default() += 1;
                }
            }
        }
        eprintln!("{:?}: losers {outcomes:?}", db.kind);
        assert_eq!(
            wins.len(),
            1,
            "exactly one completion wins; the others: {outcomes:?}"
        );
        let winner = wins[0].account.id;
        let after = find_order(&db.conn, order.id).await.unwrap().unwrap();
        assert!(after.lines.iter().all(|l| {
            l.registration
                .as_ref()
                .is_some_and(|r| r.account_id == winner)
        }));
        let winner_holdings = load_holdings(&db.conn, winner).await.unwrap().unwrap();
        assert_eq!(
            winner_holdings.activation_codes.len(),
            4,
            "one code per line, issued once"
        );
        assert_eq!(winner_holdings.saas_instances.len(), 1);
        let loser = if winner == alice { bob } else { alice };
        let loser_holdings = load_holdings(&db.conn, loser).await.unwrap().unwrap();
        assert!(loser_holdings.activation_codes.is_empty());
        assert!(loser_holdings.saas_instances.is_empty());
        assert_eq!(loser_holdings.xdr_region, None);
        let line_events = clp_db::audit::for_order(&db.conn, order.id)
            .await
            .unwrap()
            .into_iter()
            .filter(|r| r.kind.as_str() == "line.registered")
            .count();
        assert_eq!(line_events, 4);
        assert_eq!(emails(&db.conn).await.len(), 1);
        let loser_token = if winner == alice { "bob" } else { "alice" };
        let stored = activations::find_by_token_hash(&db.conn, loser_token)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(stored.status, ActivationStatus::Failed);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_codes_of_each_line_are_returned_with_it_in_plan_order() {
    on_each_database(|db| async move {
        let partner = partner(&db.conn).await;
        let order = order(
            &db.conn,
            &db.catalog,
            partner,
            OrderType::New,
            &[line("XDR-DDI"), line("CUP"), line("SMEX")],
        )
        .await;
        let account = account(&db.conn, "jane@acme.example", true).await;
        pending(&db.conn, &order, account, "tok", None, false).await;
        let done = activations::complete_activation(&db.conn, &db.catalog, "tok", None, t0(), mail)
            .await
            .unwrap();
        let prefixes: Vec<Vec<&str>> = done
            .lines
            .iter()
            .map(|l| l.activation_codes.iter().map(|c| c.prefix()).collect())
            .collect();
        assert_eq!(
            prefixes,
            [vec!["XD"], vec!["AO", "SM", "IM", "IW"], vec!["SM"]],
            "a suite's codes follow its components"
        );
        let holdings = load_holdings(&db.conn, account).await.unwrap().unwrap();
        for registered in &done.lines {
            for code in &registered.activation_codes {
                assert_eq!(
                    holdings.code(code).unwrap().line_id,
                    Some(registered.line_id),
                    "each code is stored with its own line"
                );
            }
        }
    })
    .await;
}

/// PostgreSQL only: a transaction that registers a line and commits while the completion waits
/// for that line's row lock (on SQLite the one writer serializes the two transactions, and the
/// completion plans without the line).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_line_registered_by_a_concurrent_transaction_stops_the_completion_and_changes_nothing() {
    on_each_database(|db| async move {
        if db.kind != support::Kind::Postgres {
            return;
        }
        let partner = partner(&db.conn).await;
        let order = order(
            &db.conn,
            &db.catalog,
            partner,
            OrderType::New,
            &[line("XDR-CAS"), line("XDR-DDI"), line("SMEX"), line("DDI")],
        )
        .await;
        let alice = account(&db.conn, "alice@acme.example", false).await;
        let bob = account(&db.conn, "bob@acme.example", true).await;
        pending(&db.conn, &order, alice, "alice", Some(Region::Us), true).await;
        let taken = order.lines[2].id;

        let other = db.conn.begin().await.unwrap();
        other
            .execute_unprepared(&format!(
                "UPDATE order_lines SET registered_account_id = {}, registered_at = now() \
                 WHERE id = {taken}",
                bob.0
            ))
            .await
            .unwrap();
        let conn = db.conn.clone();
        let catalog = db.catalog.clone();
        let completion = tokio::task::spawn_local(async move {
            activations::complete_activation(&conn, &catalog, "alice", None, t0(), mail).await
        });
        // Let the other one commit once the completion waits for the line's lock.
        wait_for_a_lock_wait(&db.conn).await;
        other.commit().await.unwrap();

        let outcome = completion.await.unwrap();
        let Err(CompletionError::Restricted { conflicts, .. }) = outcome else {
            panic!("expected a restriction, got {outcome:?}");
        };
        assert_eq!(conflicts[0].restriction(), Restriction::AlreadyRegistered);
        assert_eq!(
            conflicts[0].line_id,
            Some(taken),
            "the conflict names the line"
        );

        let after = find_order(&db.conn, order.id).await.unwrap().unwrap();
        assert_eq!(
            after.registered_count(),
            1,
            "only the other transaction's line"
        );
        let holdings = load_holdings(&db.conn, alice).await.unwrap().unwrap();
        assert!(holdings.activation_codes.is_empty());
        assert!(holdings.saas_instances.is_empty());
        assert_eq!(holdings.xdr_region, None);
        assert!(!email_verified(&db.conn, alice.0).await);
        assert!(emails(&db.conn).await.is_empty());
        let stored = activations::find_by_token_hash(&db.conn, "alice")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(stored.status, ActivationStatus::Failed);
    })
    .await;
}

/// Waits until a session of the (PostgreSQL) test database waits for a lock.
async fn wait_for_a_lock_wait(conn: &impl ConnectionTrait) {
    for _ in 0..400 {
        let row = conn
            .query_one_raw(Statement::from_string(
                DbBackend::Postgres,
                "SELECT count(*) AS n FROM pg_stat_activity \
                 WHERE datname = current_database() AND wait_event_type = 'Lock'",
            ))
            .await
            .unwrap()
            .unwrap();
        if row.try_get::<i64>("", "n").unwrap() > 0 {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    panic!("no session waits for a lock");
}

/// PostgreSQL only, like the test above: the region is set by a transaction that commits while
/// the completion waits to set it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_region_set_by_a_concurrent_transaction_is_kept_and_a_pin_on_another_conflicts() {
    on_each_database(|db| async move {
        if db.kind != support::Kind::Postgres {
            return;
        }
        let partner = partner(&db.conn).await;
        let pinned = order(
            &db.conn,
            &db.catalog,
            partner,
            OrderType::New,
            &[line("XDR-DDI-JP")],
        )
        .await;
        let unpinned = order(
            &db.conn,
            &db.catalog,
            partner,
            OrderType::New,
            &[line("XDR-EPS")],
        )
        .await;
        let jane = account(&db.conn, "jane@acme.example", false).await;
        let joe = account(&db.conn, "joe@acme.example", false).await;
        pending(&db.conn, &pinned, jane, "jane", None, true).await;
        pending(&db.conn, &unpinned, joe, "joe", Some(Region::Us), true).await;

        for (account, token) in [(jane, "jane"), (joe, "joe")] {
            let other = db.conn.begin().await.unwrap();
            other
                .execute_unprepared(&format!(
                    "UPDATE accounts SET xdr_region = 'eu' WHERE id = {}",
                    account.0
                ))
                .await
                .unwrap();
            let conn = db.conn.clone();
            let catalog = db.catalog.clone();
            let completion = tokio::task::spawn_local(async move {
                activations::complete_activation(&conn, &catalog, token, None, t0(), mail).await
            });
            wait_for_a_lock_wait(&db.conn).await;
            other.commit().await.unwrap();
            let outcome = completion.await.unwrap();
            if token == "jane" {
                let Err(CompletionError::Restricted { conflicts, .. }) = outcome else {
                    panic!("expected a restriction, got {outcome:?}");
                };
                assert_eq!(conflicts[0].restriction(), Restriction::RegionConflict);
                assert!(!email_verified(&db.conn, jane.0).await, "rolled back");
            } else {
                let done = outcome.unwrap();
                assert_eq!(done.region, Region::Eu, "the region set meanwhile is kept");
                assert!(email_verified(&db.conn, joe.0).await);
            }
            let holdings = load_holdings(&db.conn, account).await.unwrap().unwrap();
            assert_eq!(
                holdings.xdr_region,
                Some(Region::Eu),
                "a region never changes"
            );
        }
    })
    .await;
}
