#!/usr/bin/env bash
# Lighthouse (npm `lighthouse`, pinned in e2e/package.json) on Debian's Chromium: the landing
# page and My account must score 100 on accessibility, best practices and SEO. Prints the
# scores, and each audit that lost points; exits 1 when a score is below 100.
#
# It starts target/debug/clp-server (built by `make build`) on a throwaway SQLite database,
# serving frontend/dist (`make frontend`). My account needs a session: the script creates an
# account through the API, signs in, and Lighthouse sends the session token as an
# `Authorization: Bearer` header on every request (the server accepts it as it does the
# cookie), so the page loads signed in as a customer's browser would.
#
# Environment: CLP_LIGHTHOUSE_PORT (default 19480), CHROME_PATH (default /usr/bin/chromium),
# CLP_LIGHTHOUSE_SERVER (default target/debug/clp-server),
# CLP_LIGHTHOUSE_KEEP=1 keeps the reports and the server's log (printed at the end).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
port="${CLP_LIGHTHOUSE_PORT:-19480}"
base="http://127.0.0.1:${port}"
export CHROME_PATH="${CHROME_PATH:-/usr/bin/chromium}"
lighthouse="${root}/e2e/node_modules/.bin/lighthouse"
server="${CLP_LIGHTHOUSE_SERVER:-${root}/target/debug/clp-server}"
dist="${root}/frontend/dist"

for need in "$lighthouse" "$server" "$CHROME_PATH" "${dist}/index.html"; do
  if [[ ! -e "$need" ]]; then
    echo "lighthouse: missing ${need} (run \`make lighthouse\`, which builds and installs it)" >&2
    exit 1
  fi
done

tmp="$(mktemp -d)"
server_pid=""
cleanup() {
  if [[ -n "$server_pid" ]]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  if [[ "${CLP_LIGHTHOUSE_KEEP:-}" == 1 ]]; then
    echo "lighthouse: reports and server log kept in ${tmp}"
  else
    rm -rf "$tmp"
  fi
}
trap cleanup EXIT

CLP_BIND="127.0.0.1:${port}" \
  CLP_PUBLIC_URL="$base" \
  CLP_DATABASE_URL="sqlite://${tmp}/clp.db?mode=rwc" \
  CLP_DATA_DIR="${tmp}/data" \
  CLP_OUTBOX_DIR="${tmp}/outbox" \
  CLP_STATIC_DIR="$dist" \
  CLP_RATE_LIMIT_PER_MIN=0 \
  CLP_LOG_FORMAT=json \
  "$server" serve >"${tmp}/server.log" 2>&1 &
server_pid=$!

for _ in $(seq 1 240); do
  if curl -fsS "${base}/healthz" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "lighthouse: the server did not start:" >&2
    tail -20 "${tmp}/server.log" >&2
    exit 1
  fi
  sleep 0.5
done
curl -fsS "${base}/healthz" >/dev/null

# A customer account, signed in: its token is the session of the My account run.
email="lighthouse.$(date +%s%N)@lighthouse.example"
password="lighthouse passphrase $(date +%s%N)"
curl -fsS -o /dev/null -H 'Content-Type: application/json' \
  -d "{\"email\":\"${email}\",\"password\":\"${password}\",\"full_name\":\"Light House\",\"language\":\"en\"}" \
  "${base}/api/v1/accounts"
token="$(curl -fsS -H 'Content-Type: application/json' \
  -d "{\"login\":\"${email}\",\"password\":\"${password}\"}" \
  "${base}/api/v1/session" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>process.stdout.write(JSON.parse(s).token))')"
headers="${tmp}/headers.json"
# The token goes to a file (read by Lighthouse), never to the command line or the output.
printf '{"Authorization":"Bearer %s"}' "$token" >"$headers"

run() {
  local name="$1" url="$2"
  shift 2
  "$lighthouse" "$url" \
    --quiet \
    --only-categories=accessibility,best-practices,seo \
    --output=json --output-path="${tmp}/${name}.json" \
    --chrome-flags="--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run --disable-background-networking --disable-component-update --disable-sync" \
    "$@"
}

run landing "${base}/"
run account "${base}/account" --extra-headers="$headers"

node - "${tmp}/landing.json" "${tmp}/account.json" <<'JS'
const fs = require('node:fs');
let failed = false;
for (const file of process.argv.slice(2)) {
  const report = JSON.parse(fs.readFileSync(file, 'utf8'));
  const scores = [];
  for (const id of ['accessibility', 'best-practices', 'seo']) {
    const category = report.categories[id];
    const score = Math.round((category.score ?? 0) * 100);
    scores.push(`${id} ${score}`);
    if (score < 100) {
      failed = true;
      for (const ref of category.auditRefs) {
        const audit = report.audits[ref.id];
        if (ref.weight > 0 && audit.score !== null && audit.score < 1) {
          console.log(`  ${report.finalDisplayedUrl}: ${id}: ${audit.id}: ${audit.title}`);
          for (const item of (audit.details?.items ?? []).slice(0, 5)) {
            const what = item.node?.snippet ?? item.source?.url ?? item.description ?? item.url ?? JSON.stringify(item).slice(0, 200);
            console.log(`      ${what}`);
          }
        }
      }
    }
  }
  console.log(`lighthouse ${report.finalDisplayedUrl}: ${scores.join(', ')}`);
}
if (failed) {
  console.error('lighthouse: a score is below 100');
  process.exit(1);
}
JS
