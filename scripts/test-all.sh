#!/usr/bin/env bash
# The whole suite, in the order a failure is cheapest to see: types, unit tests, the three
# builds, the Firefox lint, the built extension in real Chromium, then in real Firefox ESR.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s\n' "$*"; }

step "typecheck"
npx tsc --noEmit -p tsconfig.json

step "unit tests (vitest)"
npx vitest run

step "build: chrome, firefox, e2e (chrome and firefox)"
npx vite build --mode production --logLevel warn
npx vite build --mode production-firefox --logLevel warn
npx vite build --mode e2e --logLevel warn
npx vite build --mode e2e-firefox --logLevel warn

step "firefox lint (web-ext)"
node scripts/lint-firefox.mjs

step "e2e (Playwright, Debian chromium)"
# @timing tests measure wall time and need a quiet machine: run them alone (README).
npx playwright test --grep-invert @timing "$@"

step "e2e (puppeteer over WebDriver BiDi, Debian firefox-esr)"
node scripts/test-firefox.mjs
