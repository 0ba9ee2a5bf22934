// Runs the end-to-end suite on one backend: node tests/api/run.mjs sqlite|postgresql
// Environment: ATTENDANCE_SERVER_BIN (the binary), ATTENDANCE_TEST_POSTGRES_URL (for postgresql).
// Without a PostgreSQL URL the postgresql run is skipped (exit 77, ctest's SKIP_RETURN_CODE),
// except under CI (env CI set), where it fails.

import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const backend = process.argv[2] ?? process.env.ATTENDANCE_TEST_BACKEND ?? 'sqlite';
if (!['sqlite', 'postgresql'].includes(backend)) {
  console.error(`usage: node run.mjs sqlite|postgresql [test files...]`);
  process.exit(2);
}
if (backend === 'postgresql' && !process.env.ATTENDANCE_TEST_POSTGRES_URL) {
  const message = 'ATTENDANCE_TEST_POSTGRES_URL is not set; start a cluster with `bash scripts/pg-test-server.sh start` and export the URL it prints';
  if (process.env.CI) {
    console.error(`error: ${message}`);
    process.exit(1);
  }
  console.log(`skipped: ${message}`);
  process.exit(77);
}
if (!existsSync(path.join(here, 'node_modules', 'ajv')) || !existsSync(path.join(here, 'node_modules', 'yaml'))) {
  console.error(`error: run \`npm ci\` in ${here} first`);
  process.exit(1);
}

const files = process.argv.length > 3
  ? process.argv.slice(3)
  : readdirSync(here).filter((f) => f.endsWith('.test.mjs')).sort().map((f) => path.join(here, f));
const result = spawnSync(process.execPath, ['--test', '--test-concurrency=1', ...files], {
  stdio: 'inherit',
  env: { ...process.env, ATTENDANCE_TEST_BACKEND: backend },
});
process.exit(result.status ?? 1);
