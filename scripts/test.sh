#!/usr/bin/env bash
# `npm test`: everything a submission must pass — types, lint, unused code (knip), the security scan, and the unit,
# integration and Chromium end-to-end suites, in that order (cheapest first, so a typo fails in seconds).
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p test-results
rm -f test-results/*.json

step() { printf '\n== %s\n' "$*"; }

step "native modules for Node"; npx tsx scripts/ensureNodeAbi.ts
# Checks that need nothing from each other run two at a time, one per core (typecheck and lint keep one
# busy for about a minute each); their output is printed in order once all are done, and any failing
# stops the run. Arguments: step title, command; repeated.
at_once() {
  local out; out=$(mktemp -d)
  local titles=() pids=() statuses=() i
  while [ $# -gt 0 ]; do
    titles+=("$1")
    bash -c "$2" >"$out/${#pids[@]}" 2>&1 & pids+=($!)
    shift 2
  done
  for i in "${!pids[@]}"; do statuses[i]=0; wait "${pids[i]}" || statuses[i]=$?; done
  for i in "${!pids[@]}"; do step "${titles[i]}"; cat "$out/$i"; done
  rm -rf "$out"
  for i in "${!pids[@]}"; do if [ "${statuses[i]}" -ne 0 ]; then exit 1; fi; done
}
at_once "typecheck" "npm run --silent typecheck" "lint" "npm run --silent lint"
at_once "knip: unused files, exports and dependencies (knip.jsonc)" "npx knip --no-progress" "build" "npm run --silent build"
step "electronegativity"; npm run --silent security

status=0
for project in unit integration e2e; do
  step "vitest: $project"
  npx vitest run --project "$project" --reporter=default --reporter=json --outputFile.json="test-results/$project.json" || status=1
done
npx tsx scripts/testSummary.ts test-results/unit.json test-results/integration.json test-results/e2e.json
exit $status
