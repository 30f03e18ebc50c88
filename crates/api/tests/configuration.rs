//! The configuration of the real `clp-server` binary, read from its environment: a bad value
//! stops every command with exit status 2 and a message naming the variable (never its value),
//! and an empty value counts as unset.

#![expect(
    clippy::expect_used,
    reason = "test helpers outside the #[test] functions fail the test on unexpected errors"
)]

use std::path::Path;
use std::process::{Command, Output};

use clap::CommandFactory as _;
use clp_api::cli::Cli;

const SERVER: &str = env!("CARGO_BIN_EXE_clp-server");

/// `clp-server ARGS` in `dir`, with `vars` and none of the developer's own `CLP_*` variables.
fn run(dir: &Path, args: &[&str], vars: &[(&str, &str)]) -> Output {
    let mut command = Command::new(SERVER);
    for (name, _) in std::env::vars() {
        if name.starts_with("CLP_") {
            command.env_remove(name);
        }
    }
    command
        .current_dir(dir)
        .args(args)
        .envs(vars.iter().copied())
        .env("RUST_LOG", "warn")
        .output()
        .expect("run clp-server")
}

#[test]
fn a_bad_value_stops_each_command_with_status_2_naming_the_variable_and_not_the_value() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let database = format!("sqlite://{}?mode=rwc", dir.path().join("clp.db").display());
    for (variable, value) in [
        ("CLP_DATABASE_URL", "mysql://root:s3cret@127.0.0.1/clp"),
        ("CLP_PUBLIC_URL", "clp.example"),
        ("CLP_VERIFICATION_TTL", "soon"),
        ("CLP_JWT_SECRET", "short-s3cret"),
        ("CLP_PARTNER_BOOTSTRAP", "no-colon-s3cret"),
        ("CLP_RATE_LIMIT_PER_MIN", "-1"),
        ("CLP_TRUST_PROXY", "maybe"),
        ("CLP_SWEEP_INTERVAL", "0s"),
        ("CLP_LOG_FORMAT", "xml"),
        ("CLP_VISION_ONE_URL", "ftp://vision.example"),
        ("CLP_XDR_CONSOLE_URLS", "mars=https://portal.mars.example"),
    ] {
        for args in [&[][..], &["serve"], &["migrate"], &["seed-demo"]] {
            let output = run(
                dir.path(),
                args,
                &[("CLP_DATABASE_URL", &database), (variable, value)],
            );
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert_eq!(
                output.status.code(),
                Some(2),
                "{variable} {args:?}: {stderr}"
            );
            assert!(
                stderr.starts_with(&format!("error: {variable}: ")),
                "{variable} {args:?}: {stderr}"
            );
            assert!(!stderr.contains("s3cret"), "{variable}: {stderr}");
        }
        let output = run(
            dir.path(),
            &["partner", "create", "--name", "Acme"],
            &[(variable, value)],
        );
        assert_eq!(output.status.code(), Some(2), "{variable} partner create");
    }
    assert!(
        !dir.path().join("clp.db").exists(),
        "a command ran on a bad configuration"
    );
}

#[test]
fn empty_variables_count_as_unset_and_the_defaults_apply() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let variables: Vec<String> = Cli::command()
        .get_arguments()
        .filter_map(|arg| arg.get_env())
        .map(|env| env.to_string_lossy().into_owned())
        .collect();
    let blank: Vec<(&str, &str)> = variables
        .iter()
        .enumerate()
        .map(|(i, name)| (name.as_str(), if i % 2 == 0 { "" } else { "  " }))
        .collect();
    let output = run(dir.path(), &["migrate"], &blank);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // CLP_DATABASE_URL and CLP_DATA_DIR took their defaults, relative to the working directory.
    assert!(dir.path().join("data/clp.db").is_file());
    let secret =
        std::fs::read_to_string(dir.path().join("data/jwt_secret")).expect("the generated secret");
    assert_eq!(secret.trim().len(), 64);
}

#[test]
fn a_stored_jwt_secret_too_short_is_a_configuration_error() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    std::fs::create_dir(dir.path().join("data")).expect("create data/");
    std::fs::write(dir.path().join("data/jwt_secret"), "short\n").expect("write the secret");
    let output = run(dir.path(), &["migrate"], &[]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.starts_with("error: CLP_JWT_SECRET: "), "{stderr}");
    assert!(!dir.path().join("data/clp.db").exists());
}
