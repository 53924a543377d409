#!/usr/bin/env bash
# npm test — everything: typecheck, lint, unit tests, the migration check, integration
# tests against a real PostgreSQL (and again against PostgreSQL 15 when
# HOLDFAST_PG15_URL names one, as CI does), and end-to-end tests in Chromium.
#
# Exits non-zero when any step fails or any test in any report failed;
# test/harness.int.test.ts runs this script on a fixture with one red test to prove it.
#
#   HOLDFAST_TEST_STEPS    comma-separated subset of: typecheck,lint,unit,promtool,migrations,integration,pg15,e2e
#   HOLDFAST_TEST_RESULTS  folder for the JSON reports (default test-results)
#   HOLDFAST_PROMETHEUS_RULES_DIR  the alerts.yml + alerts.test.yml to check (default ops/prometheus)
#   HOLDFAST_PROMTOOL      the promtool to run (default: promtool on PATH)
set -uo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1
results="${HOLDFAST_TEST_RESULTS:-test-results}"
steps=",${HOLDFAST_TEST_STEPS:-typecheck,lint,unit,promtool,migrations,integration,pg15,e2e},"
mkdir -p "$results"
rm -f "$results"/unit.json "$results"/integration.json "$results"/integration-pg15.json "$results"/e2e.json

failed=()
reports=()
wanted() { [[ "$steps" == *",$1,"* ]]; }
step() {
  local name="$1"; shift
  echo
  echo "▶ $name"
  local started=$SECONDS
  if "$@"; then
    echo "✔ $name ($((SECONDS - started)) s)"
  else
    echo "✖ $name failed ($((SECONDS - started)) s)"
    failed+=("$name")
  fi
}

wanted typecheck && step "typecheck" npx tsc --noEmit
wanted lint && step "lint" npx eslint --max-warnings=0 .
if wanted unit; then
  reports+=("$results/unit.json")
  step "unit tests" npx vitest run --project unit \
    --reporter=default --reporter=json --outputFile.json="$results/unit.json"
fi
# The Prometheus alerts that mirror the built-in rules (docs/operations.md#prometheus-alerts-and-grafana):
# syntax and the unit tests beside them. promtool comes from Debian's prometheus package
# (.ci/run installs it); a machine without it fails this step rather than skipping it.
promtool_rules() {
  local dir="${HOLDFAST_PROMETHEUS_RULES_DIR:-ops/prometheus}" promtool="${HOLDFAST_PROMTOOL:-promtool}"
  if ! command -v "$promtool" >/dev/null 2>&1; then
    echo "promtool not found: install Debian's prometheus package (apt-get install --no-install-recommends prometheus), or leave promtool out of HOLDFAST_TEST_STEPS" >&2
    return 1
  fi
  promtool="$(command -v "$promtool")"
  (cd "$dir" && "$promtool" check rules alerts.yml && "$promtool" test rules alerts.test.yml)
}
wanted promtool && step "promtool (alerts.yml)" promtool_rules
# The check builds a scratch database from the migrations and compares it with
# schema.prisma; it runs on DATABASE_URL's server or an embedded one of its own.
wanted migrations && step "migration check" env HOLDFAST_PG_PORT="${HOLDFAST_CHECK_PG_PORT:-54349}" HOLDFAST_DATA_DIR=.data/check-pg \
  npx tsx scripts/db-check.ts
if wanted integration; then
  reports+=("$results/integration.json")
  step "integration tests" npx vitest run --project integration \
    --reporter=default --reporter=json --outputFile.json="$results/integration.json"
fi
# "PostgreSQL 15 or newer" is a claim: CI installs Debian's PostgreSQL 15 and runs the
# integration suite on it too (a fresh database beside the one the URL names).
if wanted pg15 && [ -n "${HOLDFAST_PG15_URL:-}" ]; then
  reports+=("$results/integration-pg15.json")
  step "integration tests on PostgreSQL 15" env DATABASE_URL="$HOLDFAST_PG15_URL" npx vitest run --project integration \
    --reporter=default --reporter=json --outputFile.json="$results/integration-pg15.json"
fi
if wanted e2e; then
  reports+=("$results/e2e.json")
  step "end-to-end tests" env PLAYWRIGHT_JSON_OUTPUT_NAME="$results/e2e.json" npx playwright test --reporter=list,json
fi

if ! FAILED_STEPS=${#failed[@]} node scripts/test-summary.mjs "${reports[@]}"; then
  [ ${#failed[@]} -gt 0 ] || failed+=("test reports")
fi
if [ ${#failed[@]} -gt 0 ]; then
  echo "✖ Failed: ${failed[*]}"
  exit 1
fi
echo "✔ All checks passed."
