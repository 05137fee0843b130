#!/usr/bin/env bash
# `npm test`: everything a submission must pass — types, lint, unused code (knip), the security scan, and the unit,
# integration and Chromium end-to-end suites, in that order (cheapest first, so a typo fails in seconds).
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p test-results
rm -f test-results/*.json

step() { printf '\n== %s\n' "$*"; }

step "native modules for Node"; npx tsx scripts/ensureNodeAbi.ts
step "typecheck"; npm run --silent typecheck
step "lint"; npm run --silent lint
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
