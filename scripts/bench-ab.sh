#!/usr/bin/env bash
# A/B on PostgreSQL: two clp-server builds (or one build with two database URLs), one seeded
# database, the same wrk scenarios in one run, alternating A and B so that the machine's drift
# hits both alike. What `make bench` cannot show alone: the before/after row of a change.
#
# Usage: scripts/bench-ab.sh --a BIN[,URL_QUERY] --b BIN[,URL_QUERY] [--rounds 2] [--duration 10s]
#                            [--lines 500000] [--scenarios "healthz readyz preview products verify"]
#   BIN        a clp-server binary (e.g. one built from an earlier commit into another target dir)
#   URL_QUERY  appended to the database URL, e.g. ?sslmode=disable (default: none, sqlx's
#              sslmode=prefer: TLS when the server offers it)
# Example (the issue-18 changes against the commit before them):
#   git worktree add /tmp/before 54711d4 && (cd /tmp/before && cargo build --release -p clp-api)
#   scripts/bench-ab.sh --a /tmp/before/target/release/clp-server \
#                       --b target/release/clp-server,?sslmode=disable
# Results: one JSON line a run in target/bench/ab-<date>/results.jsonl and a table on stdout.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD

A="" B="" ROUNDS=2 DURATION=10s LINES=500000 CONNECTIONS=64
SCENARIOS="healthz readyz preview products verify"
while [[ $# -gt 0 ]]; do
	case "$1" in
	--a) A=$2; shift 2 ;;
	--b) B=$2; shift 2 ;;
	--rounds) ROUNDS=$2; shift 2 ;;
	--duration) DURATION=$2; shift 2 ;;
	--lines) LINES=$2; shift 2 ;;
	--scenarios) SCENARIOS=$2; shift 2 ;;
	-h | --help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "bench-ab.sh: unknown option $1" >&2; exit 2 ;;
	esac
done
[[ -n $A && -n $B ]] || { echo "bench-ab.sh: --a and --b are required" >&2; exit 2; }
command -v wrk >/dev/null || { echo "bench-ab.sh: wrk is missing: make tools-wrk" >&2; exit 1; }

BENCH=target/release/clp-bench
[[ -x $BENCH ]] || cargo build --release -p clp-bench
PG="-h 127.0.0.1 -p 5432 -U postgres"
NAME=clp_ab_$$
RUN=$ROOT/target/bench/ab-$(date -u +%Y%m%d-%H%M%S)-$$
mkdir -p "$RUN"
PASSWORD=bench-password-1
SERVER_PID=""
cleanup() {
	[[ -n $SERVER_PID ]] && kill -TERM "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
	dropdb $PG --if-exists "$NAME" || true
}
trap cleanup EXIT

createdb $PG "$NAME"
echo "seeding $LINES lines into $NAME" >&2
"$BENCH" seed --database-url "postgres://postgres@127.0.0.1:5432/$NAME?sslmode=disable" \
	--lines "$LINES" --password "$PASSWORD" --out-dir "$RUN" >/dev/null
# Each run of verify spends its own slice of the tokens (each works once).
mapfile -t TOKENS <"$RUN/verify-tokens.txt"
SLICES=$((2 * ROUNDS))
PER_SLICE=$((${#TOKENS[@]} / SLICES))
slice=0

port=$((20000 + RANDOM % 40000))
run_side() {
	local side=$1 spec=$2 bin query
	bin=${spec%%,*}
	query=""
	[[ $spec == *,* ]] && query=${spec#*,}
	mkdir -p "$RUN/$side"
	CLP_DATABASE_URL="postgres://postgres@127.0.0.1:5432/$NAME$query" CLP_BIND="127.0.0.1:$port" \
		CLP_PUBLIC_URL="http://127.0.0.1:$port" CLP_RATE_LIMIT_PER_MIN=0 RUST_LOG=warn \
		CLP_LOG_FORMAT=json CLP_STATIC_DIR="$ROOT/frontend/dist" CLP_OUTBOX_DIR="$RUN/$side/outbox" \
		CLP_JWT_SECRET="bench-jwt-secret-$$-0123456789abcdef0123456789abcdef" \
		"$bin" serve >>"$RUN/$side/server.log" 2>&1 &
	SERVER_PID=$!
	local base=http://127.0.0.1:$port
	for _ in $(seq 1 150); do curl -sf "$base/healthz" >/dev/null && break; sleep 0.2; done
	local token
	token=$(curl -sf -H 'content-type: application/json' \
		-d "{\"login\":\"bench-products@bench.example\",\"password\":\"$PASSWORD\"}" \
		"$base/api/v1/session" | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
	for scenario in $SCENARIOS; do
		local out=$RUN/$side/$scenario-$round.json keys="" path header=()
		case $scenario in
		healthz) path=/healthz ;;
		readyz) path=/readyz ;;
		preview) path=/api/v1/preview; keys=$RUN/preview-keys.txt ;;
		products) path=/api/v1/me/products; header=(-H "Authorization: Bearer $token") ;;
		verify)
			printf '%s\n' "${TOKENS[@]:$((slice * PER_SLICE)):$PER_SLICE}" >"$RUN/$side/tokens-$round.txt"
			slice=$((slice + 1))
			"$BENCH" load --base-url "$base" --scenario verify --duration "$DURATION" \
				--password "$PASSWORD" --label verify --connections "$CONNECTIONS" \
				--keys-file "$RUN/$side/tokens-$round.txt" --out "$out" >/dev/null 2>&1 || true
			;;
		esac
		if [[ $scenario != verify ]]; then
			WRK_OUT=$out WRK_SCENARIO=$scenario WRK_KEYS=$keys WRK_CONNECTIONS=$CONNECTIONS \
				wrk -t1 -c"$CONNECTIONS" -d"$DURATION" --timeout 10s -s "$ROOT/scripts/wrk/scenario.lua" \
				"${header[@]}" "$base$path" >/dev/null 2>&1 || true
		fi
		[[ -f $out ]] && python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); d["side"]=sys.argv[2]; d["spec"]=sys.argv[3]; d["round"]=int(sys.argv[4]); print(json.dumps(d))' \
			"$out" "$side" "$spec" "$round" >>"$RUN/results.jsonl"
	done
	kill -TERM "$SERVER_PID"
	wait "$SERVER_PID" 2>/dev/null || true
	SERVER_PID=""
}

for round in $(seq 1 "$ROUNDS"); do
	echo "round $round: A" >&2
	run_side a "$A"
	echo "round $round: B" >&2
	run_side b "$B"
done

python3 - "$RUN/results.jsonl" "$A" "$B" <<'PY'
import json, sys
from collections import defaultdict
rows = [json.loads(l) for l in open(sys.argv[1])]
by = defaultdict(list)
for r in rows:
    by[(r["scenario"], r["side"])].append(r)
print(f"A = {sys.argv[2]}\nB = {sys.argv[3]}\n")
print("| scenario | A req/s (each round) | A p99 ms | B req/s (each round) | B p99 ms | B / A |")
print("|---|---|---|---|---|---|")
for scenario in dict.fromkeys(r["scenario"] for r in rows):
    a, b = by[(scenario, "a")], by[(scenario, "b")]
    fmt = lambda rs: ", ".join(f"{r['rps']:,.0f}" for r in rs)
    p99 = lambda rs: ", ".join(f"{r['p99_ms']:.1f}" for r in rs)
    mean = lambda rs: sum(r["rps"] for r in rs) / max(len(rs), 1)
    ratio = mean(b) / mean(a) if a and mean(a) else float("nan")
    print(f"| {scenario} | {fmt(a)} | {p99(a)} | {fmt(b)} | {p99(b)} | {ratio:.2f} × |")
PY
echo "raw results: $RUN" >&2
