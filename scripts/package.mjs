// Writes store-ready zips of dist/chrome and dist/firefox into dist/packages/.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const { version } = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8'));
const out = resolve(root, 'dist', 'packages');
mkdirSync(out, { recursive: true });

for (const target of ['chrome', 'firefox']) {
  const dir = resolve(root, 'dist', target);
  if (!existsSync(resolve(dir, 'manifest.json'))) {
    console.error(`dist/${target} is missing: run npm run build first`);
    process.exit(1);
  }
  const zip = resolve(out, `local-pr-review-${target}-${version}.zip`);
  rmSync(zip, { force: true });
  // web-ext's builder writes a plain zip of any folder, so one tool serves both stores.
  execFileSync(
    'npx',
    ['web-ext', 'build', '--source-dir', dir, '--artifacts-dir', out, '--filename', `local-pr-review-${target}-${version}.zip`, '--overwrite-dest'],
    { stdio: 'inherit' },
  );
  console.log(zip);
}
