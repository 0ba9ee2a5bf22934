// Runs the browser tests: node tests/e2e/run.mjs [test files...]
// Needs web/dist (npm ci && npm run build in web/), `npm ci` here, Debian's chromium
// (scripts/install-browser-deps.sh) and ATTENDANCE_SERVER_BIN. Without chromium the run is
// skipped (exit 77, ctest's SKIP_RETURN_CODE), except under CI (env CI set), where it fails.

import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { kChromium } from './support/browser.mjs';
import { webDist } from './support/server.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));

if (!existsSync(kChromium)) {
  const message = `${kChromium} not found: run scripts/install-browser-deps.sh`;
  if (process.env.CI) {
    console.error(`error: ${message}`);
    process.exit(1);
  }
  console.log(`skipped: ${message}`);
  process.exit(77);
}
for (const [file, hint] of [[path.join(here, 'node_modules', 'playwright-core'), `run \`npm ci\` in ${here}`],
  [path.join(webDist, 'index.html'), 'run `npm ci && npm run build` in web/']]) {
  if (!existsSync(file)) {
    console.error(`error: ${file} is missing: ${hint}`);
    process.exit(1);
  }
}

const files = process.argv.length > 2
  ? process.argv.slice(2)
  : readdirSync(here).filter((f) => f.endsWith('.test.mjs')).sort().map((f) => path.join(here, f));
const result = spawnSync(process.execPath, ['--test', '--test-concurrency=1', ...files], { stdio: 'inherit', env: process.env });
process.exit(result.status ?? 1);
