// The server's flags as an operator types them (README's configuration table, --help): a level
// in capitals still logs, a value out of range or unknown is a usage error (exit 2, the flag
// named) before anything starts, and 0 means "one per core" where --help says so.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Api, expectStatus } from './support/client.mjs';
import { runServerCommand, startServer } from './support/server.mjs';

const kRefused = [
  ['--log-level', 'verbose'],
  ['--log-level', 'err'],
  ['--body-limit', '-5'],
  ['--max-connections', '0'],
  ['--threads', '-3'],
  ['--db-readers', '-1'],
  ['--max-streams', '-1'],
];

for (const [flag, value] of kRefused) {
  test(`${flag} ${value} is a usage error that names the flag`, async () => {
    const result = await runServerCommand([flag, value, '--database', 'sqlite:/nonexistent/never-created.db']);
    assert.equal(result.code, 2, `exit code\n${result.stdout}${result.stderr}`);
    assert.match(result.stdout + result.stderr, new RegExp(flag), 'the message names the flag');
  });
}

test('--help exits 0', async () => {
  const result = await runServerCommand(['--help']);
  assert.equal(result.code, 0);
  assert.match(result.stdout, /--log-level/);
});

test('--log-level INFO logs at info; 0 readers, threads and aggregations are one per core', async () => {
  const server = await startServer({ threads: 0, args: ['--log-level', 'INFO', '--db-readers', '0', '--aggregate-max-running', '0'] });
  try {
    expectStatus(await new Api(server).get('/api/schools'), 200);
    // The info line follows the listening line that startServer waited for.
    const serving = /serving on 127\.0\.0\.1:\d+ with \d+ threads/;
    const deadline = Date.now() + 5_000;
    while (!serving.test(server.logs()) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    assert.match(server.logs(), serving);
  } finally {
    await server.stop();
  }
});

test('an ATTENDANCE_ADMIN_TOKEN or ATTENDANCE_METRICS_TOKEN shorter than 16 characters is refused', async () => {
  for (const name of ['ATTENDANCE_ADMIN_TOKEN', 'ATTENDANCE_METRICS_TOKEN']) {
    const result = await runServerCommand(['--database', 'sqlite:/nonexistent/never-created.db'], { env: { [name]: 'x' } });
    assert.equal(result.code, 2, `${name}: ${result.stderr}`);
    assert.match(result.stderr, new RegExp(`${name} must be at least 16 characters`));
  }
});
