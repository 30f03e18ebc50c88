#!/usr/bin/env bash
# `make bench`: release build, bulk seed, load test, report (docs/benchmarks.md).
#
# Usage: scripts/bench.sh [--db sqlite|postgres|both] [--lines N] [--duration 10s]
#                         [--connections 64] [--no-build] [--keep] [--out docs/benchmarks.md]
#                         [--listing] [--listing-orders 1000000]
#
# For each database: seeds a fresh database (SQLite file, or PostgreSQL database
# clp_bench_<pid>, dropped afterwards) with --lines order lines (default 500,000; 100,000
# orders of 5 lines), starts target/release/clp-server on a free port and measures, in one run:
# /healthz (the ceiling), preview at 64 connections and at 1, me/products (1,000 products),
# activation requests, verify, sign-in (argon2, last: it allocates 19 MiB per hash) and the
# server's peak RSS; then seeds a 1,000-line database and measures preview at 1 connection
# again (cost growth). Also the SPA's wasm and JS sizes. Results: target/bench/run-*/ and
# docs/benchmarks.md (the part between the bench:results markers). The partner order listing:
# a page at 100 orders and at --listing-orders (1,000,000) of one partner, and their ratio
# (keyset pagination: about 1); --listing runs only that scenario.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD

DB=""
LINES=500000
DURATION=10s
CONNECTIONS=64
BUILD=1
KEEP=0
OUT=docs/benchmarks.md
LISTING_ONLY=0
LISTING_ORDERS=1000000
ARGS="$*"
while [[ $# -gt 0 ]]; do
	case "$1" in
	--db) DB=$2; shift 2 ;;
	--lines) LINES=$2; shift 2 ;;
	--duration) DURATION=$2; shift 2 ;;
	--connections) CONNECTIONS=$2; shift 2 ;;
	--no-build) BUILD=0; shift ;;
	--keep) KEEP=1; shift ;;
	--out) OUT=$2; shift 2 ;;
	--listing) LISTING_ONLY=1; shift ;;
	--listing-orders) LISTING_ORDERS=$2; shift 2 ;;
	-h | --help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "bench.sh: unknown option $1" >&2; exit 2 ;;
	esac
done

PG_HOST=127.0.0.1
PG_PORT=5432
PG_USER=postgres
pg_up() { pg_isready -q -h "$PG_HOST" -p "$PG_PORT" 2>/dev/null; }
if [[ -z $DB ]]; then
	if pg_up; then DB=both; else
		echo "WARNING: PostgreSQL does not answer at $PG_HOST:$PG_PORT: benchmarking SQLite only" >&2
		DB=sqlite
	fi
fi
case "$DB" in
sqlite) DBS=(sqlite) ;;
postgres) DBS=(postgres) ;;
both) DBS=(sqlite postgres) ;;
*) echo "bench.sh: --db must be sqlite, postgres or both" >&2; exit 2 ;;
esac

# BENCH_PROFILE=debug runs the debug binaries (a quick check of the script, not a benchmark).
PROFILE=${BENCH_PROFILE:-release}
SERVER=target/$PROFILE/clp-server
BENCH=target/$PROFILE/clp-bench
RUN=$ROOT/target/bench/run-$(date -u +%Y%m%d-%H%M%S)-$$
mkdir -p "$RUN"
PASSWORD=bench-password-1
PRODUCTS_LOGIN=bench-products@bench.example
ACTIVATOR_LOGIN=bench-activator@bench.example

SERVER_PID=""
PG_DBS=()
cleanup() {
	stop_server
	for name in "${PG_DBS[@]}"; do
		dropdb -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" --if-exists "$name" || true
	done
}
trap cleanup EXIT

log() { printf '\n== %s\n' "$*" >&2; }

free_port() {
	local port
	for _ in $(seq 1 100); do
		port=$((20000 + RANDOM % 40000))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
			echo "$port"
			return
		fi
	done
	echo "bench.sh: no free port found" >&2
	exit 1
}

# start_server URL LOGDIR: starts clp-server on a free port, sets SERVER_PID and BASE_URL.
start_server() {
	local url=$1 dir=$2 port
	port=$(free_port)
	mkdir -p "$dir/outbox"
	CLP_DATABASE_URL="$url" CLP_BIND="127.0.0.1:$port" CLP_PUBLIC_URL="http://127.0.0.1:$port" \
		CLP_RATE_LIMIT_PER_MIN=0 CLP_LOG_FORMAT=json RUST_LOG=warn \
		CLP_STATIC_DIR="$ROOT/frontend/dist" CLP_OUTBOX_DIR="$dir/outbox" \
		CLP_JWT_SECRET="bench-jwt-secret-$$-0123456789abcdef0123456789abcdef" \
		"$SERVER" serve >"$dir/server.log" 2>&1 &
	SERVER_PID=$!
	BASE_URL="http://127.0.0.1:$port"
	for _ in $(seq 1 300); do
		if curl -sf "$BASE_URL/healthz" >/dev/null 2>&1; then return; fi
		if ! kill -0 "$SERVER_PID" 2>/dev/null; then
			echo "bench.sh: clp-server exited; its log:" >&2
			cat "$dir/server.log" >&2
			exit 1
		fi
		sleep 0.2
	done
	echo "bench.sh: clp-server did not answer /healthz within 60 s" >&2
	exit 1
}

stop_server() {
	if [[ -n $SERVER_PID ]]; then
		kill -TERM "$SERVER_PID" 2>/dev/null || true
		wait "$SERVER_PID" 2>/dev/null || true
		SERVER_PID=""
	fi
}

# status_kb FIELD: a field of the server's /proc status, in kB.
status_kb() { awk -v f="$1:" '$1 == f { print $2 }' "/proc/$SERVER_PID/status"; }

# load NAME SCENARIO [ARGS...]: one load scenario, its JSON saved as NAME.json.
load() {
	local name=$1 scenario=$2
	shift 2
	# A failing scenario leaves an n/a in the report instead of stopping the run.
	"$BENCH" load --base-url "$BASE_URL" --scenario "$scenario" --duration "$DURATION" \
		--password "$PASSWORD" --label "$name" --out "$DIR/$name.json" "$@" ||
		echo "bench.sh: scenario $name failed" >&2
	# Where the memory goes: the server's peak and current RSS after each scenario.
	echo "$name VmHWM=$(status_kb VmHWM)kB VmRSS=$(status_kb VmRSS)kB" >>"$DIR/rss-steps.txt"
}

# wrk_load NAME PATH [KEYS_FILE] [HEADER]: the same kind of scenario driven by wrk (one thread,
# $CONNECTIONS connections, $DURATION; no warm-up), its JSON saved as NAME.json. wrk takes less of
# the 2 CPUs than clp-bench, so its rates are closer to what the server alone can do.
wrk_load() {
	local name=$1 path=$2 keys=${3:-} header=${4:-} url=${5:-$BASE_URL} connections=${6:-$CONNECTIONS}
	local args=(-t1 -c"$connections" -d"$DURATION" --timeout 10s -s "$ROOT/scripts/wrk/scenario.lua")
	[[ -n $header ]] && args+=(-H "$header")
	WRK_OUT="$DIR/$name.json" WRK_SCENARIO="$name" WRK_KEYS="$keys" WRK_CONNECTIONS="$connections" \
		wrk "${args[@]}" "$url$path" >"$DIR/$name.txt" 2>&1 ||
		echo "bench.sh: wrk scenario $name failed" >&2
}

# bearer LOGIN: a session token of LOGIN (for wrk's Authorization header).
bearer() {
	curl -sf -H 'content-type: application/json' \
		-d "{\"login\":\"$1\",\"password\":\"$PASSWORD\"}" "$BASE_URL/api/v1/session" |
		sed -n 's/.*"token":"\([^"]*\)".*/\1/p'
}

# new_database DB DIR NAME: a fresh database; sets URL.
new_database() {
	local db=$1 dir=$2 name=$3
	if [[ $db == sqlite ]]; then
		rm -f "$dir"/clp.db*
		URL="sqlite://$dir/clp.db?mode=rwc"
	else
		dropdb -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" --if-exists "$name"
		createdb -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" "$name"
		PG_DBS+=("$name")
		# Over loopback without TLS, as a server next to its database connects: sqlx's default
		# (sslmode=prefer) encrypts every statement, which cost an eighth to a quarter of the preview rate
		# here (docs/benchmarks.md).
		URL="postgres://$PG_USER@$PG_HOST:$PG_PORT/$name?sslmode=disable"
	fi
}

bench_database() {
	local db=$1 url
	DIR=$RUN/$db
	mkdir -p "$DIR/small"
	log "$db: seeding $LINES lines"
	new_database "$db" "$DIR" "clp_bench_$$"
	url=$URL
	printf '{"db":"%s","lines":%s,"loadavg_before":"%s"}\n' "$db" "$LINES" \
		"$(cut -d' ' -f1-3 /proc/loadavg)" >"$DIR/meta.json"
	"$BENCH" seed --database-url "$url" --lines "$LINES" --password "$PASSWORD" --out-dir "$DIR" >/dev/null

	log "$db: serving"
	start_server "$url" "$DIR"
	local rss_start
	rss_start=$(status_kb VmRSS)
	load healthz healthz --connections "$CONNECTIONS"
	load preview preview --connections "$CONNECTIONS" --keys-file "$DIR/preview-keys.txt"
	wrk_load wrk-healthz /healthz
	wrk_load wrk-preview /api/v1/preview "$DIR/preview-keys.txt"
	wrk_load wrk-products /api/v1/me/products "" "Authorization: Bearer $(bearer "$PRODUCTS_LOGIN")"
	load preview-c1 preview --connections 1 --keys-file "$DIR/preview-keys.txt"
	load products products --connections "$CONNECTIONS" --login "$PRODUCTS_LOGIN"
	load activate activate --connections "$CONNECTIONS" --login "$ACTIVATOR_LOGIN" \
		--keys-file "$DIR/activate-keys.txt"
	load verify verify --connections "$CONNECTIONS" --keys-file "$DIR/verify-tokens.txt"
	local hwm_before
	hwm_before=$(status_kb VmHWM)
	load signin signin --connections "$CONNECTIONS" --login "$PRODUCTS_LOGIN"
	printf '{"vmrss_kb_start":%s,"vmhwm_kb_before_signin":%s,"vmhwm_kb":%s}\n' \
		"$rss_start" "$hwm_before" "$(status_kb VmHWM)" >"$DIR/rss.json"
	if [[ $db == postgres ]]; then two_processes "$url"; fi
	stop_server

	log "$db: 1,000-line database (cost growth)"
	new_database "$db" "$DIR/small" "clp_bench_$$_small"
	"$BENCH" seed --database-url "$URL" --lines 1000 --account-products 0 \
		--verify-activations 0 --customers 20 --password "$PASSWORD" --out-dir "$DIR/small" >/dev/null
	start_server "$URL" "$DIR/small"
	load small-preview-c1 preview --connections 1 --keys-file "$DIR/small/preview-keys.txt"
	load small-preview preview --connections "$CONNECTIONS" --keys-file "$DIR/small/preview-keys.txt"
	stop_server

	if [[ $db == postgres ]]; then
		for name in "${PG_DBS[@]}"; do
			dropdb -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" --if-exists "$name"
		done
		PG_DBS=()
	elif [[ $KEEP == 0 ]]; then
		rm -f "$DIR"/clp.db* "$DIR"/small/clp.db*
	fi
}

# two_processes URL: a second clp-server on the same database; wrk drives preview on both at
# once with half the connections each (two-process-a/b.json), against the one-process figure of
# wrk-preview: whether anything serialises across processes (a lock, a hot row).
two_processes() {
	local url=$1 first=$BASE_URL first_pid=$SERVER_PID half=$((CONNECTIONS / 2))
	log "two clp-server processes on one database"
	start_server "$url" "$DIR/second"
	local second=$BASE_URL
	wrk_load two-process-a /api/v1/preview "$DIR/preview-keys.txt" "" "$first" "$half" &
	local a=$!
	wrk_load two-process-b /api/v1/preview "$DIR/preview-keys.txt" "" "$second" "$half"
	wait "$a"
	stop_server
	SERVER_PID=$first_pid BASE_URL=$first
}

# lighthouse_run: Lighthouse (npm, e2e/node_modules; its default mobile profile) on the landing
# page, in Debian's Chromium, against a server on a small SQLite database; lighthouse.json.
lighthouse_run() {
	local dir=$RUN/lighthouse
	mkdir -p "$dir"
	log "Lighthouse (mobile) on the landing page"
	DIR=$dir
	new_database sqlite "$dir" unused
	start_server "$URL" "$dir"
	CHROME_PATH=/usr/bin/chromium "$ROOT/e2e/node_modules/.bin/lighthouse" "$BASE_URL/" \
		--quiet --output=json --output-path="$dir/report.json" \
		--only-categories=performance,accessibility,best-practices,seo \
		--chrome-flags="--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage \
--disable-background-networking --disable-component-update --no-first-run --disable-sync --disable-quic" ||
		echo "bench.sh: lighthouse failed" >&2
	stop_server
	if [[ -f $dir/report.json ]]; then
		node -e '
			const r = require(process.argv[1]);
			const score = (c) => Math.round(r.categories[c].score * 100);
			const ms = (a) => Math.round(r.audits[a].numericValue);
			console.log(JSON.stringify({
				performance: score("performance"), accessibility: score("accessibility"),
				best_practices: score("best-practices"), seo: score("seo"),
				fcp_ms: ms("first-contentful-paint"), lcp_ms: ms("largest-contentful-paint"),
				tbt_ms: ms("total-blocking-time"), cls: r.audits["cumulative-layout-shift"].numericValue,
				transfer_bytes: r.audits["total-byte-weight"].numericValue,
			}));' "$dir/report.json" >"$RUN/lighthouse.json"
	fi
}

frontend_sizes() {
	local wasm_raw=0 wasm_gz=0 js_raw=0 js_gz=0 f
	shopt -s nullglob
	local wasm=(frontend/dist/*.wasm) js=(frontend/dist/*.js)
	if [[ ${#wasm[@]} -eq 0 ]]; then
		log "frontend/dist has no wasm: make frontend"
		make frontend >&2
		wasm=(frontend/dist/*.wasm)
		js=(frontend/dist/*.js)
	fi
	for f in "${wasm[@]}"; do
		wasm_raw=$((wasm_raw + $(stat -c %s "$f")))
		wasm_gz=$((wasm_gz + $(gzip -9c "$f" | wc -c)))
	done
	for f in "${js[@]}"; do
		js_raw=$((js_raw + $(stat -c %s "$f")))
		js_gz=$((js_gz + $(gzip -9c "$f" | wc -c)))
	done
	printf '{"wasm_raw":%s,"wasm_gz":%s,"js_raw":%s,"js_gz":%s}\n' \
		"$wasm_raw" "$wasm_gz" "$js_raw" "$js_gz" >"$RUN/frontend.json"
}

if [[ $BUILD == 1 ]]; then
	log "$PROFILE build (clp-server, clp-bench)"
	if [[ $PROFILE == release ]]; then
		cargo build --release -p clp-api -p clp-bench
	else
		cargo build -p clp-api -p clp-bench
	fi
fi
# listing_scenario DB: a page of the order listing at 100 and at $LISTING_ORDERS orders.
listing_scenario() {
	local db=$1 dir=$RUN/$db/listing small large
	mkdir -p "$dir"
	log "$db: order listing at 100 and $LISTING_ORDERS orders"
	new_database "$db" "$dir" "clp_bench_listing_small_$$"
	small=$("$BENCH" listing --database-url "$URL" --orders 100)
	new_database "$db" "$dir" "clp_bench_listing_large_$$"
	large=$("$BENCH" listing --database-url "$URL" --orders "$LISTING_ORDERS")
	printf '%s\n%s\n' "$small" "$large" >"$dir/listing.jsonl"
	python3 - "$db" "$small" "$large" <<'PY' | tee "$dir/listing.txt"
import json, sys
db, small, large = sys.argv[1], json.loads(sys.argv[2]), json.loads(sys.argv[3])
print(f"{db}: order listing page (25 orders), median of 300, at {small['orders']:,} vs {large['orders']:,} orders")
for kind in ("first_page_us", "middle_page_us", "status_page_us"):
    s, l = small[kind], large[kind]
    print(f"  {kind[:-3]:12} {s:>8} us  {l:>8} us  ratio {l / max(s, 1):.2f}")
PY
	if [[ $db == sqlite ]]; then rm -f "$dir"/clp.db*; fi
}

if [[ $LISTING_ONLY == 1 ]]; then
	for db in "${DBS[@]}"; do listing_scenario "$db"; done
	exit 0
fi

frontend_sizes
for db in "${DBS[@]}"; do
	if [[ $db == postgres ]] && ! pg_up; then
		echo "bench.sh: PostgreSQL does not answer at $PG_HOST:$PG_PORT" >&2
		exit 1
	fi
	bench_database "$db"
	listing_scenario "$db"
done

lighthouse_run

log "report ($OUT)"
dirs=()
for db in "${DBS[@]}"; do dirs+=("$RUN/$db"); done
"$BENCH" report --out "$OUT" --command "scripts/bench.sh${ARGS:+ $ARGS}" \
	--frontend "$RUN/frontend.json" --lighthouse "$RUN/lighthouse.json" "${dirs[@]}"
echo "raw results: $RUN" >&2
