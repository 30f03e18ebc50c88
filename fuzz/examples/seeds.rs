//! Writes the committed seed corpora under `fuzz/seeds/<target>/`: a few valid inputs made
//! with the domain's own generators (fixed RNG seed, so the output is reproducible) and
//! near-valid ones that stop at each rejection path of the parsers and of serde.
//!
//! `cd fuzz && cargo run --example seeds` (stable is fine); it replaces the three folders.

use std::fs;
use std::path::Path;

use clp_domain::{ActivationCode, RegistrationKey};
use rand::SeedableRng;
use rand::rngs::StdRng;

/// Product-line prefixes of the seeded catalog (a few of them).
const PREFIXES: [&str; 5] = ["XD", "XC", "AO", "CA", "WF"];

fn main() -> std::io::Result<()> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
    let mut rng = StdRng::seed_from_u64(0x00C1_F022);

    let keys: Vec<RegistrationKey> = PREFIXES
        .iter()
        .map(|p| RegistrationKey::generate(p, &mut rng))
        .collect::<Result<_, _>>()
        .map_err(std::io::Error::other)?;
    let codes: Vec<ActivationCode> = PREFIXES
        .iter()
        .map(|p| ActivationCode::generate(p, &mut rng))
        .collect::<Result<_, _>>()
        .map_err(std::io::Error::other)?;

    write_dir(
        &root.join("registration_key"),
        &typed_variants(keys[0].as_str(), &keys),
    )?;
    write_dir(
        &root.join("activation_code"),
        &typed_variants(codes[0].as_str(), &codes),
    )?;
    write_dir(
        &root.join("request_bodies"),
        &request_bodies(keys[0].as_str(), keys[1].as_str(), codes[0].as_str()),
    )?;
    Ok(())
}

/// Valid keys as customers type them, then one near miss per rejection path (libFuzzer
/// always tries the empty input itself).
fn typed_variants<K: std::fmt::Display>(first: &str, all: &[K]) -> Vec<(String, String)> {
    let bare: String = first.chars().filter(|&c| c != '-').collect();
    let last = first.chars().last().unwrap_or('0');
    let other_last = if last == '9' { '8' } else { '9' };
    let mut out: Vec<(String, String)> = all
        .iter()
        .enumerate()
        .map(|(i, k)| (format!("valid-{i}"), k.to_string()))
        .collect();
    out.extend([
        ("valid-lower".into(), first.to_ascii_lowercase()),
        ("valid-bare".into(), bare.clone()),
        ("valid-spaces".into(), first.replace('-', " ")),
        ("valid-underscores".into(), first.replace('-', "_")),
        ("valid-padded".into(), format!("\t {first}\r\n")),
        ("valid-nbsp".into(), first.replacen('-', "\u{a0}", 1)),
        (
            "bad-check".into(),
            format!("{}{other_last}", &first[..first.len() - 1]),
        ),
        ("bad-short".into(), first[..first.len() - 1].to_string()),
        ("bad-long".into(), format!("{first}0")),
        ("bad-prefix-digit".into(), format!("1{}", &first[1..])),
        ("bad-body-char".into(), first.replacen('-', "-*", 1)),
        ("bad-fullwidth".into(), first.replacen('-', "-\u{ff11}", 1)),
        ("bad-dots".into(), first.replace('-', ".")),
    ]);
    out
}

/// A valid body of each request DTO, then near misses (missing field, wrong type, null,
/// unknown enum value, bad date, duplicate field).
fn request_bodies(rk: &str, rk2: &str, ac: &str) -> Vec<(String, String)> {
    let order = format!(
        r#"{{"order_number":"SO-2025-000123","type":"new","purchase_date":"2025-03-28","end_customer":{{"company":"Acme Corporation","contact_name":"Jane Doe","contact_email":"jane.doe@acme.example","country":"US"}},"lines":[{{"sku":"XDR-CAS","seats":100,"term_start":"2025-04-01","term_end":"2026-03-31"}},{{"sku":"SUITE","seats":5,"term_start":"2025-04-01","term_end":"2026-03-31","components":[{{"sku":"A1","retained_ac":"{ac}"}}],"renews_ac":null}}]}}"#
    );
    let renewal = format!(
        r#"{{"order_number":"R-1","type":"renewal","purchase_date":"2025-03-28","end_customer":{{"company":"C","contact_name":"N","contact_email":"n@c.example","country":"JP"}},"lines":[{{"sku":"AO-1","seats":1,"term_start":"2025-04-01","term_end":"2026-03-31","renews_ac":"{ac}"}}]}}"#
    );
    vec![
        ("order-new".into(), order.clone()),
        ("order-renewal".into(), renewal),
        ("order-bad-date".into(), order.replace("2025-03-28", "2025-02-30")),
        ("order-bad-type".into(), order.replace(r#""type":"new""#, r#""type":"old""#)),
        ("order-negative-seats".into(), order.replace(":100,", ":-1,")),
        ("order-huge-seats".into(), order.replace(":100,", ":4294967296,")),
        ("order-float-seats".into(), order.replace(":100,", ":1.5e2,")),
        (
            "activation-signed-in".into(),
            format!(r#"{{"key":"{rk}","region":"eu"}}"#),
        ),
        (
            "activation-new-account".into(),
            format!(
                r#"{{"key":"{rk}","region":"mea","account":{{"email":"jane.doe@acme.example","password":"correct horse battery staple","full_name":"Jane Doe","company":"Acme","country":"US","language":"ja"}}}}"#
            ),
        ),
        (
            "activation-bad-region".into(),
            format!(r#"{{"key":"{rk}","region":"EU"}}"#),
        ),
        ("preview".into(), format!(r#"{{"key":"{rk}"}}"#)),
        ("preview-null-key".into(), r#"{"key":null}"#.into()),
        ("preview-number-key".into(), r#"{"key":12345}"#.into()),
        ("preview-escaped".into(), r#"{"key":"XD\u002d1234\ud83d\ude00"}"#.into()),
        ("preview-lone-surrogate".into(), r#"{"key":"\ud800"}"#.into()),
        (
            "preview-duplicate".into(),
            format!(r#"{{"key":"{rk}","key":"{rk2}"}}"#),
        ),
        ("preview-unknown-field".into(), format!(r#"{{"key":"{rk}","extra":[1,{{}}]}}"#)),
        (
            "account".into(),
            r#"{"email":"jane.doe@acme.example","password":"correct horse battery staple","full_name":"Jane Doe","company":null,"country":"US","language":"en"}"#.into(),
        ),
        (
            "account-minimal".into(),
            r#"{"email":"a@b.example","password":"p","full_name":"A"}"#.into(),
        ),
        (
            "legacy-account".into(),
            r#"{"login_id":"acme-it","password":"correct horse battery staple","email":"it@acme.example","company":"Acme Corporation","address":"1 Main St","city":"Springfield","state":"IL","postal_code":"62701","country":"US","phone":"+1 555 0100","contact_name":"Jane Doe","language":"ja"}"#.into(),
        ),
        (
            "session".into(),
            r#"{"login":"jane.doe@acme.example","password":"correct horse battery staple"}"#.into(),
        ),
        ("session-missing-password".into(), r#"{"login":"acme-it"}"#.into()),
        (
            "token".into(),
            r#"{"grant_type":"client_credentials","client_id":"fuzz-client","client_secret":"fuzz-secret-0123456789","scope":"orders:write orders:read webhooks"}"#.into(),
        ),
        (
            "webhook".into(),
            r#"{"url":"https://partner.example/clp/webhooks","events":["order.activated","line.registered","activation.expired"]}"#.into(),
        ),
        (
            "webhook-bad-event".into(),
            r#"{"url":"https://partner.example/","events":["order.created"]}"#.into(),
        ),
        ("registration".into(), format!(r#"{{"key":"{rk2}"}}"#)),
        (
            "verify".into(),
            r#"{"token":"3q2-7wAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}"#.into(),
        ),
        ("not-an-object".into(), r#"["key"]"#.into()),
        ("truncated".into(), r#"{"key":"XD-12"#.into()),
        ("deep-nesting".into(), format!("{}{}", "[".repeat(200), "]".repeat(200))),
    ]
}

/// Replaces `dir` with one file per `(name, content)`.
fn write_dir(dir: &Path, files: &[(String, String)]) -> std::io::Result<()> {
    if dir.exists() {
        fs::remove_dir_all(dir)?;
    }
    fs::create_dir_all(dir)?;
    for (name, content) in files {
        fs::write(dir.join(name), content)?;
    }
    println!("{}: {} seeds", dir.display(), files.len());
    Ok(())
}
