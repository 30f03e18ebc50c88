#!/usr/bin/env bash
# The clients partners generate from the OpenAPI document, tried as a partner would:
#   1. the document, regenerated from the debug server (`clp-server openapi`) into a temp file;
#   2. a Python client from openapi-python-client (pinned, in the venv target/clients/venv),
#      every module imported, and a TypeScript client from openapi-typescript + openapi-fetch
#      (pinned devDependencies of e2e/clients), type-checked by tsc;
#   3. a fresh debug server on a free port over a new SQLite database with a bootstrap partner;
#   4. the partner flow with each client: token, create, get, certificate (en and ja, read back
#      with pdftotext), list (`q` on the new order number), cancel, and the cancelled order's
#      certificate (410 `order_cancelled`).
# Exits non-zero on any failure, including a warning of a generator (a part of the API it
# could not generate). Run by `make test-clients` (itself part of `make test`), which builds
# the server and installs poppler-utils and the certificate font first.
set -euo pipefail

cd "$(dirname "$0")/.."
root=$PWD
server=$root/target/debug/clp-server
out=$root/target/clients
venv=$out/venv
clients=$root/e2e/clients
# openapi-python-client and the runtime packages of the client it generates.
python_packages=(openapi-python-client==0.29.1 httpx==0.28.1 attrs==26.1.0 python-dateutil==2.9.0.post0)

fail() { echo "clients-test: $*" >&2; exit 1; }

[[ -x $server ]] || fail "$server is missing: run \`make build\` first"
command -v pdftotext >/dev/null || fail "pdftotext is missing: run \`make tools-pdf\`"
mkdir -p "$out"

# --- tools ------------------------------------------------------------------------------------
stamp=$venv/.clp-installed
if [[ ! -x $venv/bin/python || "$(cat "$stamp" 2>/dev/null)" != "${python_packages[*]}" ]]; then
    echo "installing ${python_packages[*]} (pip, in $venv)"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "${python_packages[@]}"
    echo "${python_packages[*]}" > "$stamp"
fi
npm_stamp=$clients/node_modules/.clp-installed
if [[ ! -f $npm_stamp || $clients/package-lock.json -nt $npm_stamp || $clients/package.json -nt $npm_stamp ]]; then
    echo "installing e2e/clients npm packages: openapi-typescript, openapi-fetch, typescript (npm ci)"
    (cd "$clients" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
    touch "$npm_stamp"
fi

# --- the document and the clients -------------------------------------------------------------
work=$(mktemp -d)
server_pid=
cleanup() {
    if [[ -n $server_pid ]]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

"$server" openapi > "$work/openapi.json"

echo "generating the Python client (openapi-python-client)"
rm -rf "$out/python"
generator_log=$work/python-generator.log
"$venv/bin/openapi-python-client" generate --path "$work/openapi.json" \
    --output-path "$out/python/clp_partner_client" --meta none \
    --config "$clients/openapi-python-client.yaml" > "$generator_log" 2>&1 \
    || { cat "$generator_log" >&2; fail "openapi-python-client failed"; }
if grep -qi 'warning\|error' "$generator_log"; then
    cat "$generator_log" >&2
    fail "openapi-python-client could not generate every operation (see above)"
fi

echo "generating the TypeScript client (openapi-typescript) and type-checking the flow (tsc)"
mkdir -p "$out/typescript"
(cd "$clients" \
    && npx --no-install openapi-typescript "$work/openapi.json" -o "$out/typescript/schema.d.ts" >/dev/null \
    && rm -rf dist && npx --no-install tsc -p tsconfig.json) \
    || fail "the TypeScript client does not build"

# --- a fresh server ---------------------------------------------------------------------------
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base_url=http://127.0.0.1:$port
client_id=clients-test
client_secret=$(python3 -c 'import secrets; print(secrets.token_hex(24))')
CLP_BIND=127.0.0.1:$port \
CLP_PUBLIC_URL=$base_url \
CLP_DATABASE_URL="sqlite://$work/clp.db?mode=rwc" \
CLP_DATA_DIR=$work/data \
CLP_OUTBOX_DIR=$work/outbox \
CLP_STATIC_DIR=$work/static \
CLP_RATE_LIMIT_PER_MIN=0 \
CLP_PARTNER_BOOTSTRAP=$client_id:$client_secret \
    "$server" serve > "$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do
    if curl -fsS "$base_url/readyz" >/dev/null 2>&1; then break; fi
    kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log" >&2; fail "the server exited"; }
    sleep 0.2
done
curl -fsS "$base_url/readyz" >/dev/null || { cat "$work/server.log" >&2; fail "the server is not ready"; }

# --- the partner flow with each client ----------------------------------------------------------
export CLP_BASE_URL=$base_url CLP_CLIENT_ID=$client_id CLP_CLIENT_SECRET=$client_secret
status=0
CLP_ORDER_NUMBER=PY-0001 PYTHONPATH=$out/python "$venv/bin/python" "$clients/python_flow.py" || status=1
CLP_ORDER_NUMBER=TS-0001 node "$clients/dist/flow.js" || status=1
if [[ $status -ne 0 ]]; then
    echo "--- server log (tail) ---" >&2
    tail -n 40 "$work/server.log" >&2
    fail "a client flow failed"
fi
echo "clients-test: the Python and TypeScript clients work"
