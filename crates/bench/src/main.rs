//! `clp-bench`: the benchmark tool of Open CLP (`make bench`, `scripts/bench.sh`).
//!
//! - `seed`: bulk-loads a realistic data set straight into the database (multi-row INSERTs in
//!   transactions) and writes the keys, tokens and credentials the load phase needs;
//! - `load`: drives a running `clp-server` at fixed concurrency and prints one JSON line of
//!   results per scenario (requests/s, p50 and p99 from an HDR histogram);
//! - `probe`: times the database work of a request without HTTP (pool size, concurrency);
//! - `report`: turns the result files of a run into the tables of `docs/benchmarks.md`.

mod load;
mod probe;
mod report;
mod report_web;
mod report_wrk;
mod seed;

use clap::{Parser, Subcommand};

/// What went wrong, for the message printed before exiting with status 1.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// The command line.
#[derive(Debug, Parser)]
#[command(
    name = "clp-bench",
    about = "Benchmarks of Open CLP: seed, load, report"
)]
struct Cli {
    /// Worker threads of the async runtime (the load generator shares the machine with the
    /// server: keep it small).
    #[arg(long, global = true, default_value_t = 2)]
    threads: usize,
    #[command(subcommand)]
    command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
enum Command {
    /// Bulk-seed a database (migrations first) and write the keys files of the load phase.
    Seed(seed::SeedArgs),
    /// Drive a running server with one scenario and print its results as JSON.
    Load(load::LoadArgs),
    /// Time the database work of a request (no HTTP) with a chosen pool size and concurrency.
    Probe(probe::ProbeArgs),
    /// Render the result files of `scripts/bench.sh` as Markdown (docs/benchmarks.md).
    Report(report::ReportArgs),
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(cli.threads.max(1))
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("clp-bench: cannot start the async runtime: {error}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let outcome = runtime.block_on(async {
        match cli.command {
            Command::Seed(args) => seed::run(args).await,
            Command::Load(args) => load::run(args).await,
            Command::Probe(args) => probe::run(args).await,
            Command::Report(args) => report::run(&args),
        }
    });
    match outcome {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("clp-bench: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}
