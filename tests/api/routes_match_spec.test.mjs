// The router's route table (attendance-server --print-routes) and docs/openapi.yaml name the same
// routes: a route added on one side only fails here.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { specRoutes } from './support/openapi.mjs';
import { routeKey as normalise } from './support/routes.mjs';
import { runServerCommand } from './support/server.mjs';

test('--print-routes lists exactly the routes of docs/openapi.yaml', async () => {
  const { code, stdout, stderr } = await runServerCommand(['--print-routes']);
  assert.equal(code, 0, `--print-routes exited ${code}: ${stderr}`);
  const lines = stdout.split('\n').map((l) => l.trim()).filter(Boolean);
  for (const line of lines) assert.match(line, /^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) \/\S*$/, `malformed route line: ${line}`);
  const served = new Set(lines.map(normalise));
  const documented = new Set(specRoutes().map(normalise));
  const undocumented = [...served].filter((r) => !documented.has(r)).sort();
  const unserved = [...documented].filter((r) => !served.has(r)).sort();
  assert.deepEqual({ undocumented, unserved }, { undocumented: [], unserved: [] },
    'routes served but not in docs/openapi.yaml (undocumented) or documented but not served (unserved)');
  assert.equal(lines.length, served.size, 'a route is printed twice');
});

test('--print-routes does not need a database and exits at once', async () => {
  const { code } = await runServerCommand(['--print-routes', '--database', 'postgresql://nobody@127.0.0.1:1/none']);
  assert.equal(code, 0);
});
