//! Legacy registrations (one line, effective at once), on SQLite and PostgreSQL.

#[path = "activation_support/mod.rs"]
mod support;

use clp_db::activations::{self, RegistrationError};
use clp_db::holdings::load_holdings;
use clp_db::orders::find_order;
use clp_domain::RegistrationKey;
use clp_domain::conflict::Restriction;
use clp_domain::order::OrderType;
use support::{LineSpec, account, date, line, notice, on_each_database, order, partner, t0};

fn restriction(outcome: Result<activations::LegacyRegistration, RegistrationError>) -> Restriction {
    match outcome {
        Err(RegistrationError::Restricted(conflict)) => conflict.restriction(),
        other => panic!("expected a restriction, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_legacy_registration_issues_the_line_code_at_once_and_only_once() {
    on_each_database(|db| async move {
        let partner = partner(&db.conn).await;
        let account = account(&db.conn, "jane@acme.example", true).await;
        let order = order(
            &db.conn,
            &db.catalog,
            partner,
            OrderType::New,
            &[line("SMEX"), line("DDI")],
        )
        .await;
        let key = &order.lines[0].registration_key;

        let done = activations::register_legacy(
            &db.conn,
            &db.catalog,
            key,
            account,
            Some("10.0.0.9".into()),
            t0(),
            notice,
        )
        .await
        .unwrap();
        assert_eq!(done.line.sku, "SMEX");
        assert_eq!(done.line.activation_codes.len(), 1);
        assert_eq!(done.line.activation_codes[0].prefix(), "SM");
        assert!(!done.line.renewal);
        let after = find_order(&db.conn, order.id).await.unwrap().unwrap();
        assert_eq!(
            after.registered_count(),
            1,
            "only the entered key's line is registered"
        );
        assert!(after.lines[1].registration.is_none());
        let audit = clp_db::audit::for_order(&db.conn, order.id).await.unwrap();
        assert_eq!(audit.len(), 1);
        assert_eq!(audit[0].kind, "line.registered");
        assert_eq!(audit[0].client_ip.as_deref(), Some("10.0.0.9"));
        assert!(
            !audit[0].detail.to_string().contains(key.as_str()),
            "the key is never recorded"
        );

        let other = support::account(&db.conn, "bob@acme.example", true).await;
        let again =
            activations::register_legacy(&db.conn, &db.catalog, key, other, None, t0(), notice)
                .await;
        assert_eq!(restriction(again), Restriction::AlreadyRegistered);

        let unknown = RegistrationKey::generate("SM", &mut rand::rng()).unwrap();
        let outcome = activations::register_legacy(
            &db.conn,
            &db.catalog,
            &unknown,
            account,
            None,
            t0(),
            notice,
        )
        .await;
        assert!(
            matches!(outcome, Err(RegistrationError::UnknownKey)),
            "{outcome:?}"
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_key_of_an_account_based_order_is_the_wrong_flow_for_a_legacy_registration() {
    on_each_database(|db| async move {
        let partner = partner(&db.conn).await;
        let account = account(&db.conn, "jane@acme.example", true).await;
        let order = order(
            &db.conn,
            &db.catalog,
            partner,
            OrderType::New,
            &[line("SMEX"), line("XDR-EPS")],
        )
        .await;
        let outcome = activations::register_legacy(
            &db.conn,
            &db.catalog,
            &order.lines[0].registration_key,
            account,
            None,
            t0(),
            notice,
        )
        .await;
        assert_eq!(restriction(outcome), Restriction::WrongFlow);
        let after = find_order(&db.conn, order.id).await.unwrap().unwrap();
        assert_eq!(after.registered_count(), 0);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_renewal_extends_the_renewed_code_only_in_the_account_that_owns_it() {
    on_each_database(|db| async move {
        let partner = partner(&db.conn).await;
        let owner = account(&db.conn, "owner@acme.example", true).await;
        let other = account(&db.conn, "other@acme.example", true).await;
        let first = order(
            &db.conn,
            &db.catalog,
            partner,
            OrderType::New,
            &[line("SMEX")],
        )
        .await;
        let code = activations::register_legacy(
            &db.conn,
            &db.catalog,
            &first.lines[0].registration_key,
            owner,
            None,
            t0(),
            notice,
        )
        .await
        .unwrap()
        .line
        .activation_codes[0]
            .clone();

        let renewal = order(
            &db.conn,
            &db.catalog,
            partner,
            OrderType::Renewal,
            &[LineSpec {
                sku: "SMEX",
                retained: Vec::new(),
                renews: Some(code.clone()),
                term_end: date(2027, 12, 31),
            }],
        )
        .await;
        let key = &renewal.lines[0].registration_key;
        let refused =
            activations::register_legacy(&db.conn, &db.catalog, key, other, None, t0(), notice)
                .await;
        assert_eq!(restriction(refused), Restriction::RenewalAccountMismatch);

        let done =
            activations::register_legacy(&db.conn, &db.catalog, key, owner, None, t0(), notice)
                .await
                .unwrap();
        assert!(done.line.renewal);
        assert_eq!(done.line.activation_codes, vec![code.clone()]);
        let holdings = load_holdings(&db.conn, owner).await.unwrap().unwrap();
        assert_eq!(
            holdings.activation_codes.len(),
            1,
            "a renewal issues no new code"
        );
        assert_eq!(holdings.code(&code).unwrap().term_end, date(2027, 12, 31));
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_legacy_saas_line_conflicts_with_an_active_instance_of_its_service() {
    on_each_database(|db| async move {
        let partner = partner(&db.conn).await;
        let account = account(&db.conn, "jane@acme.example", true).await;
        let first = order(
            &db.conn,
            &db.catalog,
            partner,
            OrderType::New,
            &[line("CAS")],
        )
        .await;
        let second = order(
            &db.conn,
            &db.catalog,
            partner,
            OrderType::New,
            &[line("CAS")],
        )
        .await;
        let done = activations::register_legacy(
            &db.conn,
            &db.catalog,
            &first.lines[0].registration_key,
            account,
            None,
            t0(),
            notice,
        )
        .await
        .unwrap();
        assert_eq!(
            done.line.saas_service.as_deref(),
            Some("cloud-app-security")
        );
        let outcome = activations::register_legacy(
            &db.conn,
            &db.catalog,
            &second.lines[0].registration_key,
            account,
            None,
            t0(),
            notice,
        )
        .await;
        assert_eq!(restriction(outcome), Restriction::SaasConflict);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_concurrent_legacy_registrations_of_one_key_register_it_once() {
    on_each_database(|db| async move {
        let partner = partner(&db.conn).await;
        let order = order(
            &db.conn,
            &db.catalog,
            partner,
            OrderType::New,
            &[line("IMSVA")],
        )
        .await;
        let mut accounts = Vec::new();
        for i in 0..10 {
            accounts.push(account(&db.conn, &format!("user{i}@acme.example"), true).await);
        }
        let mut tasks = Vec::new();
        for account in accounts {
            let conn = db.conn.clone();
            let catalog = db.catalog.clone();
            let key = order.lines[0].registration_key.clone();
            tasks.push(tokio::spawn(async move {
                activations::register_legacy(&conn, &catalog, &key, account, None, t0(), notice)
                    .await
            }));
        }
        let mut wins = 0;
        for task in tasks {
            match task.await.unwrap() {
                Ok(_) => wins += 1,
                Err(RegistrationError::Restricted(c)) => {
                    assert_eq!(c.restriction(), Restriction::AlreadyRegistered)
                }
                Err(other) => panic!("unexpected outcome {other:?}"),
            }
        }
        assert_eq!(wins, 1);
        let codes = clp_db::audit::for_order(&db.conn, order.id).await.unwrap();
        assert_eq!(codes.len(), 1);
    })
    .await;
}
