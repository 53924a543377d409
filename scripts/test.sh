#!/usr/bin/env bash
# npm test — everything: typecheck, lint, unit tests, the migration check, integration
# tests against a real PostgreSQL, and end-to-end tests in Chromium.
set -uo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1
mkdir -p test-results
rm -f test-results/*.json

failed=()
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

step "typecheck" npx tsc --noEmit
step "lint" npx eslint --max-warnings=0 .
step "unit tests" npx vitest run --project unit \
  --reporter=default --reporter=json --outputFile.json=test-results/unit.json
# The check builds a scratch database from the migrations and compares it with
# schema.prisma; it runs on DATABASE_URL's server or an embedded one of its own.
step "migration check" env HOLDFAST_PG_PORT="${HOLDFAST_CHECK_PG_PORT:-54349}" HOLDFAST_DATA_DIR=.data/check-pg \
  npx tsx scripts/db-check.ts
step "integration tests" npx vitest run --project integration \
  --reporter=default --reporter=json --outputFile.json=test-results/integration.json
step "end-to-end tests" env PLAYWRIGHT_JSON_OUTPUT_NAME=test-results/e2e.json npx playwright test --reporter=list,json

FAILED_STEPS=${#failed[@]} node scripts/test-summary.mjs test-results/unit.json test-results/integration.json test-results/e2e.json
if [ ${#failed[@]} -gt 0 ]; then
  echo "✖ Failed: ${failed[*]}"
  exit 1
fi
echo "✔ All checks passed."
