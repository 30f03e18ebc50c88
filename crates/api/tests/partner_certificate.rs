//! The license certificate: `GET /api/v1/partner/orders/{order_number}/certificate` over a real
//! server, read back with `pdftotext` (poppler-utils; `make tools-pdf` installs it) in English
//! and Japanese, its QR code decoded with `zbarimg` (zbar-tools) from a page rendered by
//! `pdftoppm`; another partner's order is 404; a missing font is 503.

#![expect(clippy::unwrap_used, reason = "tests: a failure must fail the test")]

mod common;
mod partner_support;

use std::path::Path;
use std::process::Command;

use clp_api_types::{ErrorCode, OrderResponse};
use clp_client::Client;
use common::{TestApp, for_each_db};
use partner_support::{
    bootstrap_client, new_partner_client, sample_order, spawn_partner_app, spawn_partner_app_with,
};
use reqwest::Method;

const PUBLIC_URL: &str = "https://licenses.example.test";
const ACTIVATION_URL: &str = "https://licenses.example.test/FullRegistration?T=TM";
const JAPANESE_COMPANY: &str = "株式会社テスト商事";

/// Runs `program` with `args`; its standard output, or a failure that says how to install it.
fn run(program: &str, args: &[&str]) -> String {
    let output = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| {
            panic!("cannot run {program} ({e}): run `make tools-pdf` (poppler-utils, zbar-tools)")
        });
    assert!(
        output.status.success(),
        "{program} {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// The text of the PDF `bytes`, as `pdftotext` reads it.
fn pdf_text(dir: &Path, name: &str, bytes: &[u8]) -> String {
    let file = dir.join(name);
    std::fs::write(&file, bytes).unwrap();
    run("pdftotext", &["-enc", "UTF-8", file.to_str().unwrap(), "-"])
}

/// What the QR code on the first page of the PDF `bytes` says.
fn qr_text(dir: &Path, bytes: &[u8]) -> String {
    let file = dir.join("qr.pdf");
    std::fs::write(&file, bytes).unwrap();
    let prefix = dir.join("page");
    run(
        "pdftoppm",
        &[
            "-r",
            "150",
            "-png",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            file.to_str().unwrap(),
            prefix.to_str().unwrap(),
        ],
    );
    let png = dir.join("page.png");
    run("zbarimg", &["--quiet", "--raw", png.to_str().unwrap()])
        .trim()
        .to_owned()
}

/// `GET .../certificate` of `order_number` as `client`, in `language` when given.
async fn fetch(client: &Client, order_number: &str, language: Option<&str>) -> reqwest::Response {
    let mut request = client
        .request(
            Method::GET,
            &["partner", "orders", order_number, "certificate"],
        )
        .unwrap();
    if let Some(language) = language {
        request = request.header("accept-language", language);
    }
    request.send().await.unwrap()
}

/// A Japanese end customer's order with a renewal-free mix of products; its keys.
async fn japanese_order(client: &Client, number: &str) -> OrderResponse {
    let mut order = sample_order(number);
    order.end_customer.company = JAPANESE_COMPANY.to_owned();
    order.end_customer.contact_name = "山田 太郎".to_owned();
    order.end_customer.country = "JP".to_owned();
    client.create_order(&order, None).await.unwrap()
}

fn keys(order: &OrderResponse) -> Vec<String> {
    order
        .lines
        .iter()
        .map(|line| line.registration_key.clone().unwrap())
        .collect()
}

async fn partner_app(db: common::TestDb) -> TestApp {
    spawn_partner_app_with(db, |config| config.public_url = PUBLIC_URL.to_owned()).await
}

#[tokio::test]
async fn the_certificate_prints_every_key_the_order_and_the_address_in_english_and_japanese() {
    for_each_db(|db| async move {
        let app = partner_app(db).await;
        let client = bootstrap_client(&app).await;
        let order = japanese_order(&client, "SO-CERT.0001_A").await;
        let keys = keys(&order);
        assert_eq!(keys.len(), 3);
        let dir = tempfile::tempdir().unwrap();

        let response = fetch(&client, "SO-CERT.0001_A", Some("en-US,en;q=0.8")).await;
        assert_eq!(response.status(), 200);
        let headers = response.headers().clone();
        assert_eq!(headers["content-type"], "application/pdf");
        let disposition = headers["content-disposition"].to_str().unwrap();
        assert!(
            disposition.starts_with("attachment")
                && disposition.contains("license-certificate-SO-CERT.0001_A.pdf"),
            "{disposition}"
        );
        assert_eq!(headers["cache-control"], "no-store");
        assert_eq!(headers["content-language"], "en");
        assert!(
            headers["vary"]
                .to_str()
                .unwrap()
                .contains("Accept-Language")
        );
        let pdf = response.bytes().await.unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        let text = pdf_text(dir.path(), "en.pdf", &pdf);
        for expected in [
            "License Certificate",
            "SO-CERT.0001_A",
            "2025-03-28",
            JAPANESE_COMPANY,
            "山田 太郎",
            "jane.doe@acme.example",
            ACTIVATION_URL,
            "XDR Add-On: Cloud App Security",
            "2025-04-01 to 2026-03-31",
            "Registration key",
        ] {
            assert!(
                text.contains(expected),
                "`{expected}` missing from:\n{text}"
            );
        }
        for key in &keys {
            assert!(
                text.contains(key.as_str()),
                "key {key} missing from:\n{text}"
            );
        }
        assert_eq!(qr_text(dir.path(), &pdf), ACTIVATION_URL);

        let response = fetch(&client, "SO-CERT.0001_A", Some("ja-JP,ja;q=0.9,en;q=0.5")).await;
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["content-language"], "ja");
        let pdf = response.bytes().await.unwrap();
        let text = pdf_text(dir.path(), "ja.pdf", &pdf);
        for expected in [
            "ライセンス証書",
            "登録キー",
            "アクティベーション方法",
            "SO-CERT.0001_A",
            "2025年3月28日",
            JAPANESE_COMPANY,
            ACTIVATION_URL,
        ] {
            assert!(
                text.contains(expected),
                "`{expected}` missing from:\n{text}"
            );
        }
        for key in &keys {
            assert!(
                text.contains(key.as_str()),
                "key {key} missing from:\n{text}"
            );
        }
        assert!(!text.contains("License Certificate"), "{text}");

        // The font is embedded as a subset (a few hundred glyphs of IPA Gothic's thousands),
        // so a certificate stays small.
        assert!(pdf.len() < 200_000, "{} bytes", pdf.len());
    })
    .await;
}

#[tokio::test]
async fn without_a_language_the_certificate_is_english() {
    for_each_db(|db| async move {
        let app = partner_app(db).await;
        let client = bootstrap_client(&app).await;
        let order = client
            .create_order(&sample_order("SO-CERT-0002"), None)
            .await
            .unwrap();
        let response = fetch(&client, "SO-CERT-0002", None).await;
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["content-language"], "en");
        let dir = tempfile::tempdir().unwrap();
        let text = pdf_text(dir.path(), "c.pdf", &response.bytes().await.unwrap());
        assert!(text.contains("License Certificate") && text.contains("Acme Corporation"));
        for key in keys(&order) {
            assert!(text.contains(key.as_str()), "{key} missing from:\n{text}");
        }
    })
    .await;
}

#[tokio::test]
async fn a_long_order_runs_over_several_pages_with_every_key() {
    for_each_db(|db| async move {
        let app = partner_app(db).await;
        let client = bootstrap_client(&app).await;
        let mut order = sample_order("SO-CERT-LONG");
        order.lines = ["DDI", "SMEX", "IMSVA", "IWSVA", "A1"]
            .iter()
            .cycle()
            .take(30)
            .map(|sku| partner_support::line(sku))
            .collect();
        let created = client.create_order(&order, None).await.unwrap();
        let response = fetch(&client, "SO-CERT-LONG", Some("ja")).await;
        assert_eq!(response.status(), 200);
        let dir = tempfile::tempdir().unwrap();
        let text = pdf_text(dir.path(), "long.pdf", &response.bytes().await.unwrap());
        let pages = text.matches('\u{c}').count();
        assert!(pages >= 3, "{pages} pages:\n{text}");
        assert!(
            text.contains(&format!("{pages} / {pages} ページ")),
            "{text}"
        );
        for key in keys(&created) {
            assert_eq!(text.matches(key.as_str()).count(), 1, "{key}:\n{text}");
        }
    })
    .await;
}

#[tokio::test]
async fn only_the_partner_that_sold_the_order_gets_its_certificate() {
    for_each_db(|db| async move {
        let app = spawn_partner_app(db).await;
        let seller = bootstrap_client(&app).await;
        let order = seller
            .create_order(&sample_order("SO-CERT-0003"), None)
            .await
            .unwrap();
        let (other, _) = new_partner_client(&app, "Other Reseller", &["orders:read"]).await;
        let response = fetch(&other, "SO-CERT-0003", None).await;
        assert_eq!(response.status(), 404);
        let body = response.text().await.unwrap();
        assert!(body.contains("not_found"), "{body}");
        for key in keys(&order) {
            assert!(!body.contains(key.as_str()));
        }

        let response = fetch(&seller, "SO-NO-SUCH-ORDER", None).await;
        assert_eq!(response.status(), 404);

        let (writer, _) = new_partner_client(&app, "Write Only", &["orders:write"]).await;
        let response = fetch(&writer, "SO-CERT-0003", None).await;
        assert_eq!(response.status(), 403);

        let anonymous = partner_support::anonymous(&app);
        let response = fetch(&anonymous, "SO-CERT-0003", None).await;
        assert_eq!(response.status(), 401);
    })
    .await;
}

#[tokio::test]
async fn a_cancelled_order_has_no_certificate_but_410_order_cancelled() {
    for_each_db(|db| async move {
        let app = spawn_partner_app(db).await;
        let client = bootstrap_client(&app).await;
        let order = client
            .create_order(&sample_order("SO-CERT-0005"), None)
            .await
            .unwrap();
        assert_eq!(fetch(&client, "SO-CERT-0005", None).await.status(), 200);

        client
            .cancel_order("SO-CERT-0005", "ordered twice", None)
            .await
            .unwrap();
        for language in [None, Some("ja")] {
            let response = fetch(&client, "SO-CERT-0005", language).await;
            assert_eq!(response.status(), 410, "{language:?}");
            let problem: clp_api_types::Problem = response.json().await.unwrap();
            assert_eq!(problem.code, ErrorCode::OrderCancelled);
            let body = serde_json::to_string(&problem).unwrap();
            for key in keys(&order) {
                assert!(!body.contains(key.as_str()));
            }
        }
    })
    .await;
}

#[tokio::test]
async fn a_missing_font_is_503_and_says_nothing_of_the_keys() {
    for_each_db(|db| async move {
        let app = spawn_partner_app_with(db, |config| {
            config.certificate_font = "/nonexistent/clp/ipag.ttf".into();
        })
        .await;
        let client = bootstrap_client(&app).await;
        let order = client
            .create_order(&sample_order("SO-CERT-0004"), None)
            .await
            .unwrap();
        let response = fetch(&client, "SO-CERT-0004", Some("ja")).await;
        assert_eq!(response.status(), 503);
        assert!(response.headers().contains_key("retry-after"));
        let problem: clp_api_types::Problem = response.json().await.unwrap();
        assert_eq!(problem.code, ErrorCode::Unavailable);
        let body = serde_json::to_string(&problem).unwrap();
        for key in keys(&order) {
            assert!(!body.contains(key.as_str()));
        }
        assert!(
            !body.contains("nonexistent"),
            "the path stays in the log: {body}"
        );
    })
    .await;
}
