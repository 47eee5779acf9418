#!/usr/bin/env node
// Runs the Firefox e2e tests (e2e-firefox/*.test.ts) on the already built dist/firefox and
// dist/firefox-e2e (the review tests: its shadow roots are open to the test), with
// node's test runner, one file at a time: each file starts one Firefox ESR and shares it.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const firefox = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';
if (!existsSync(firefox)) {
  console.error(`Firefox not found at ${firefox}: apt-get install firefox-esr, or set FIREFOX_PATH.`);
  process.exit(1);
}
for (const [dist, mode] of [['firefox', 'production-firefox'], ['firefox-e2e', 'e2e-firefox']]) {
  if (!existsSync(join(root, 'dist', dist, 'manifest.json'))) {
    console.error(`dist/${dist} is not built: npx vite build --mode ${mode}`);
    process.exit(1);
  }
}
const dir = join(root, 'e2e-firefox');
const files = readdirSync(dir).filter((f) => f.endsWith('.test.ts')).sort().map((f) => join('e2e-firefox', f));
const args = ['tsx', '--test', '--test-concurrency=1', '--test-reporter=spec', ...process.argv.slice(2), ...files];
const run = spawnSync('npx', args, { cwd: root, stdio: 'inherit' });
process.exit(run.status ?? 1);
