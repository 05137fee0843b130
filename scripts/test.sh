#!/usr/bin/env bash
# `npm test`: everything a submission must pass — types, lint, unused code (knip), the security scan, and the unit,
# integration and Chromium end-to-end suites, in that order (cheapest first, so a typo fails in seconds).
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p test-results
rm -f test-results/*.json

step() { printf '\n== %s\n' "$*"; }

step "native modules for Node"; npx tsx scripts/ensureNodeAbi.ts
# Typecheck and lint are independent and each keeps one core busy for about a minute: both run at once
# (one per core), their output printed in this order once both are done; either failing stops the run.
checks=$(mktemp -d)
npm run --silent typecheck >"$checks/typecheck" 2>&1 & typecheck=$!
npm run --silent lint >"$checks/lint" 2>&1 & lint=$!
typecheck_status=0; wait "$typecheck" || typecheck_status=$?
lint_status=0; wait "$lint" || lint_status=$?
step "typecheck"; cat "$checks/typecheck"
step "lint"; cat "$checks/lint"
rm -rf "$checks"
if [ "$typecheck_status" -ne 0 ] || [ "$lint_status" -ne 0 ]; then exit 1; fi
step "knip: unused files, exports and dependencies (knip.jsonc)"; npx knip --no-progress
step "build"; npm run --silent build
step "electronegativity"; npm run --silent security

status=0
for project in unit integration e2e; do
  step "vitest: $project"
  npx vitest run --project "$project" --reporter=default --reporter=json --outputFile.json="test-results/$project.json" || status=1
done
npx tsx scripts/testSummary.ts test-results/unit.json test-results/integration.json test-results/e2e.json
exit $status
