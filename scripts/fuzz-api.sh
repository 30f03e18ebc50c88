#!/usr/bin/env bash
# Fuzzes the running REST API with schemathesis, driven by the server's own OpenAPI document.
#
#   scripts/fuzz-api.sh [max-examples-per-operation]        (default 30)
#
# Builds target/debug/clp-server, starts it on a free port with a fresh SQLite database in a
# temporary directory, signs in as a partner (and as a customer when the API has sign-up and
# sign-in), runs schemathesis over every operation of /api-docs/openapi.json and stops the
# server. Checks: no 5xx, and every status code, content type and body is one the document
# declares. Reports go to target/fuzz-api/ (JUnit XML, NDJSON events, server log). Exits 1 on
# any failure. FUZZ_API_SEED=<n> replays a run; the seed of each run is printed.
set -euo pipefail

SCHEMATHESIS_VERSION=4.32.5
max_examples=${1:-30}
seed=${FUZZ_API_SEED:-$(( (RANDOM << 15) | RANDOM ))}

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
venv=target/fuzz-api-venv
out=target/fuzz-api
partner_id=fuzz-client
partner_secret=fuzz-secret-0123456789

if ! [[ "$max_examples" =~ ^[1-9][0-9]*$ ]]; then
    echo "usage: scripts/fuzz-api.sh [max-examples-per-operation]" >&2
    exit 2
fi

# --- tools ------------------------------------------------------------------------------------
if [[ "$("$venv/bin/st" --version 2>/dev/null)" != "st, version $SCHEMATHESIS_VERSION" ]]; then
    echo "installing schemathesis $SCHEMATHESIS_VERSION (pip, $venv)"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
fi

# --- server -----------------------------------------------------------------------------------
rm -rf "$out"
mkdir -p "$out"
if ! cargo build -p clp-api --bin clp-server >"$out/build.log" 2>&1; then
    cat "$out/build.log" >&2
    echo "ERROR: cargo build -p clp-api --bin clp-server failed" >&2
    exit 1
fi
tmp=$(mktemp -d)
server_pid=
cleanup() {
    if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
        kill "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    rm -rf "$tmp"
}
trap cleanup EXIT

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
CLP_BIND="127.0.0.1:$port" \
CLP_PUBLIC_URL="$base" \
CLP_DATABASE_URL="sqlite://$tmp/f.db?mode=rwc" \
CLP_DATA_DIR="$tmp" \
CLP_OUTBOX_DIR="$tmp/outbox" \
CLP_RATE_LIMIT_PER_MIN=0 \
CLP_PARTNER_BOOTSTRAP="$partner_id:$partner_secret" \
CLP_LOG_FORMAT=json \
    target/debug/clp-server serve >"$out/server.log" 2>&1 &
server_pid=$!

for _ in $(seq 1 120); do
    if curl -fsS -o /dev/null "$base/healthz" 2>/dev/null; then
        break
    fi
    if ! kill -0 "$server_pid" 2>/dev/null; then
        echo "ERROR: clp-server exited during start-up; last lines of $out/server.log:" >&2
        tail -n 20 "$out/server.log" >&2
        exit 1
    fi
    sleep 0.5
done
if ! curl -fsS -o /dev/null "$base/healthz"; then
    echo "ERROR: clp-server did not answer $base/healthz within 60 s" >&2
    exit 1
fi
curl -fsS "$base/api-docs/openapi.json" -o "$out/openapi.json"

# --- credentials and test data ---------------------------------------------------------------
# A partner token; a customer session when the API has sign-up and sign-in; two orders and a
# webhook, so that some generated requests carry real registration keys, order numbers and
# webhook ids and get past the 404s into the code behind them. Writes the schemathesis config.
"$venv/bin/python" - "$base" "$partner_id" "$partner_secret" "$out/openapi.json" "$tmp/schemathesis.toml" <<'PY'
import json
import sys
import urllib.error
import urllib.request

base, partner_id, partner_secret, spec_path, config_path = sys.argv[1:]
paths = json.load(open(spec_path))["paths"]


def call(method, path, body=None, token=None):
    """Sends a JSON request; returns (status, decoded body or None)."""
    req = urllib.request.Request(base + path, method=method)
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        req.add_header("content-type", "application/json")
    if token:
        req.add_header("authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(req, data, timeout=30) as resp:
            raw = resp.read()
            return resp.status, json.loads(raw) if raw else None
    except urllib.error.HTTPError as err:
        raw = err.read()
        try:
            return err.code, json.loads(raw)
        except ValueError:
            return err.code, raw.decode(errors="replace")


def toml_str(value):
    return json.dumps(str(value))


status, token = call("POST", "/api/v1/oauth/token", {
    "grant_type": "client_credentials", "client_id": partner_id, "client_secret": partner_secret,
})
if status != 200:
    sys.exit(f"ERROR: partner token request returned {status}: {token}")
partner_token = token["access_token"]

customer_token = None
if "/api/v1/accounts" in paths and "/api/v1/session" in paths:
    login = {"login": "fuzz.customer@example.com", "password": "fuzz-Customer-Passw0rd-2026"}
    call("POST", "/api/v1/accounts", {
        "email": login["login"], "password": login["password"], "full_name": "Fuzz Customer",
        "company": "Fuzz Inc", "country": "US", "language": "en",
    })
    status, session = call("POST", "/api/v1/session", login)
    if status == 200:
        customer_token = session["token"]
    else:
        print(f"note: customer sign-in returned {status}; customer operations run unauthenticated")
else:
    print("note: no sign-up/sign-in in the API; customer operations run unauthenticated")

keys, order_numbers = [], []
term = {"term_start": "2026-01-01", "term_end": "2026-12-31"}
customer = {"company": "Fuzz Inc", "contact_name": "Fuzz Customer",
            "contact_email": "fuzz.customer@example.com", "country": "US"}
for number, skus in [("FUZZ-0001", ["XDR-CAS", "A1", "CAS"]), ("FUZZ-0002", ["SMEX", "CUP"])]:
    status, order = call("POST", "/api/v1/partner/orders", {
        "order_number": number, "type": "new", "purchase_date": "2025-12-20",
        "end_customer": customer,
        "lines": [dict(sku=sku, seats=10, **term) for sku in skus],
    }, partner_token)
    if status == 201:
        order_numbers.append(number)
        keys += [line["registration_key"] for line in order["lines"] if line.get("registration_key")]
    else:
        print(f"note: creating order {number} returned {status}: {order}")

webhook_ids = []
status, hook = call("POST", "/api/v1/partner/webhooks", {
    "url": "https://partner.example/clp/webhooks", "events": ["order.activated", "line.registered"],
}, partner_token)
if status == 201:
    webhook_ids.append(hook["id"])
else:
    print(f"note: creating a webhook returned {status}: {hook}")

lines = ["[auth.openapi.partner_bearer]", f"bearer = {toml_str(partner_token)}"]
if customer_token:
    lines += ["[auth.openapi.customer_bearer]", f"bearer = {toml_str(customer_token)}"]
# Known-good values, each used for half of the generated values of the fields they bind.
bindings = {"keys": (keys, ["body.key"]), "order_numbers": (order_numbers, ["path.order_number"]),
            "webhook_ids": (webhook_ids, ["path.id"])}
params = []
for name, (values, fields) in bindings.items():
    if values:
        lines += [f"[dictionaries.{name}]", "values = [" + ", ".join(map(toml_str, values)) + "]"]
        params += [f"{toml_str(f)} = {{ dictionary = {toml_str(name)}, probability = 0.5 }}" for f in fields]
if params:
    lines += ["[parameters]"] + params
open(config_path, "w").write("\n".join(lines) + "\n")
print(f"test data: {len(keys)} registration keys, {len(order_numbers)} orders, {len(webhook_ids)} webhooks; "
      f"customer session: {'yes' if customer_token else 'no'}")
PY

# --- schemathesis -----------------------------------------------------------------------------
echo "schemathesis $SCHEMATHESIS_VERSION against $base/api-docs/openapi.json (max $max_examples examples per operation, seed $seed)"
status=0
"$venv/bin/st" --no-color --config-file "$tmp/schemathesis.toml" run "$base/api-docs/openapi.json" \
    --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
    --max-examples "$max_examples" \
    --seed "$seed" \
    --request-timeout 10 \
    --generation-database none \
    --report junit,ndjson \
    --report-dir "$out" \
    --report-junit-path "$out/junit.xml" \
    --report-ndjson-path "$out/events.ndjson" \
    2>&1 | tee "$out/schemathesis.log" || status=$?

# --- summary ----------------------------------------------------------------------------------
# schemathesis prints "Test cases:" and on the next line "<n> generated, <m> found <k> unique failures".
counts=$(grep -A 1 '^Test cases:' "$out/schemathesis.log" | tail -n 1)
cases=$(sed -n 's/^ *\([0-9][0-9]*\) generated.*/\1/p' <<<"$counts")
failures=$(sed -n 's/.*found \([0-9][0-9]*\) unique failures.*/\1/p' <<<"$counts")
server_errors=$(grep -c '"level":"ERROR"' "$out/server.log" || true)
echo "fuzz-api: ${cases:-?} cases, ${failures:-0} unique failures, exit $status (seed $seed; report $out/junit.xml, server log $out/server.log with $server_errors error lines)"
if ((status != 0)); then
    exit 1
fi
