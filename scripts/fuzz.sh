#!/usr/bin/env bash
# Runs every cargo-fuzz target of fuzz/ for a bounded time and reports runs and crashes.
#
#   scripts/fuzz.sh [seconds-per-target] [target...]     (default: 60 s, every target)
#
# Each target starts from its committed seeds (fuzz/seeds/<target>) plus the corpus kept from
# earlier runs (fuzz/corpus/<target>, gitignored); new inputs go to the corpus only. A crash
# leaves its input in fuzz/artifacts/<target>/ and makes the script exit 1; the full libFuzzer
# output of each target is in target/fuzz/<target>.log. Needs the nightly toolchain.
set -euo pipefail

CARGO_FUZZ_VERSION=0.13.2
seconds=${1:-60}
shift || true

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

if ! [[ "$seconds" =~ ^[1-9][0-9]*$ ]]; then
    echo "usage: scripts/fuzz.sh [seconds-per-target] [target...]" >&2
    exit 2
fi
if ! rustup run nightly rustc --version >/dev/null 2>&1; then
    echo "ERROR: cargo-fuzz needs the nightly toolchain: rustup toolchain install nightly" >&2
    exit 2
fi
if [[ "$(cargo fuzz --version 2>/dev/null)" != "cargo-fuzz $CARGO_FUZZ_VERSION" ]]; then
    echo "installing cargo-fuzz $CARGO_FUZZ_VERSION (cargo install)"
    cargo install --quiet --locked cargo-fuzz --version "$CARGO_FUZZ_VERSION"
fi

if (($# > 0)); then
    targets=("$@")
else
    mapfile -t targets < <(cargo +nightly fuzz list)
fi

# One build of every target up front, so the time budget is spent fuzzing, not compiling.
cargo +nightly fuzz build 2>&1 | { grep -vE "^ *(Compiling|Finished|Blocking|Updating|Locking|Downloaded|Downloading)" || true; }

mkdir -p target/fuzz
crashed=()
for t in "${targets[@]}"; do
    mkdir -p "fuzz/corpus/$t"
    log="target/fuzz/$t.log"
    args=(-max_total_time="$seconds" -timeout=10 -print_final_stats=1)
    if [[ -f "fuzz/dicts/$t.dict" ]]; then
        args+=(-dict="fuzz/dicts/$t.dict")
    fi
    status=0
    cargo +nightly fuzz run "$t" "fuzz/corpus/$t" "fuzz/seeds/$t" -- "${args[@]}" >"$log" 2>&1 || status=$?

    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    if [[ -z "$runs" ]]; then
        runs=$(grep -oE '^#[0-9]+' "$log" | tail -n 1 | tr -d '#' || true)
    fi
    corpus=$(find "fuzz/corpus/$t" -type f | wc -l)
    if ((status == 0)); then
        printf '%-18s %ss  %12s runs  corpus %5s  no crash\n' "$t" "$seconds" "${runs:-?}" "$corpus"
    else
        crashed+=("$t")
        artifact=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n 1)
        printf '%-18s %ss  %12s runs  corpus %5s  CRASH (exit %s) %s\n' \
            "$t" "$seconds" "${runs:-?}" "$corpus" "$status" "${artifact:-see $log}"
        # The panic message and where it happened, without the whole libFuzzer log.
        { grep -A 1 -m 1 "panicked at" "$log" || true; grep -m 1 "^SUMMARY" "$log" || true; } | sed 's/^/    /'
        if [[ -n "$artifact" ]]; then
            echo "    reproduce: cargo +nightly fuzz run $t $artifact"
        fi
    fi
done

if ((${#crashed[@]} > 0)); then
    echo "fuzz: ${#crashed[@]} of ${#targets[@]} targets crashed: ${crashed[*]}" >&2
    exit 1
fi
echo "fuzz: ${#targets[@]} targets, ${seconds}s each, no crash"
