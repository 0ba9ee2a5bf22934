// The first admin token (README, docs/deploy.md): ATTENDANCE_ADMIN_TOKEN's token is created once
// and a revocation of it survives restarts; without the variable one token is created and shown,
// even when several processes start together on a fresh database; a start that can't listen
// uses up nothing.

import assert from 'node:assert/strict';
import net from 'node:net';
import { test } from 'node:test';
import { Api, expectStatus } from './support/client.mjs';
import { createToken, listAll } from './support/fixtures.mjs';
import { createDatabase, randomSecret, runServerCommand, startServer } from './support/server.mjs';

const kConfiguredName = 'bootstrap admin (ATTENDANCE_ADMIN_TOKEN)';
const kShownSecret = /Created an admin token; it is shown only this once:\n {2}(\S+)\n/;

async function startTogether(count, options) {
  return Promise.all(Array.from({ length: count }, () => startServer({ ...options, keepDatabase: true })));
}

async function stopAll(servers) {
  for (const server of servers) await server.stop();
}

// Runs body(database) on a fresh database, dropped afterwards whatever happens.
async function onFreshDatabase(body) {
  const database = createDatabase();
  try {
    await body(database);
  } finally {
    database.drop();
  }
}

test('a revoked ATTENDANCE_ADMIN_TOKEN stays revoked across restarts, and the server still starts', () => onFreshDatabase(async (database) => {
  const secret = randomSecret();
  const first = await startServer({ database, adminToken: secret, keepDatabase: true });
  const admin = new Api(first);
  const other = await createToken(admin, 'admin');
  const configured = (await listAll(admin, '/api/tokens')).filter((t) => t.name === kConfiguredName);
  assert.equal(configured.length, 1, 'one token for the variable');
  expectStatus(await admin.del(`/api/tokens/${configured[0].id}`), 204);
  await first.stop();

  const second = await startServer({ database, adminToken: secret, keepDatabase: true });
  try {
    expectStatus(await new Api(second).get('/api/tokens'), 401, 'the revoked secret is refused after the restart');
    const tokens = await listAll(new Api(second, other.secret), '/api/tokens');
    const again = tokens.filter((t) => t.name === kConfiguredName);
    assert.equal(again.length, 1, 'no second token for the variable');
    assert.notEqual(again[0].revoked_at, null, 'still revoked');
    assert.match(second.logs(), /ATTENDANCE_ADMIN_TOKEN is the secret of a revoked token/);
  } finally {
    await second.stop();
  }
}));

test('processes starting together with one ATTENDANCE_ADMIN_TOKEN all start, with one token for it', () => onFreshDatabase(async (database) => {
  const servers = await startTogether(3, { database, adminToken: randomSecret() });
  try {
    const tokens = await listAll(new Api(servers[0]), '/api/tokens');
    assert.equal(tokens.filter((t) => t.name === kConfiguredName).length, 1);
  } finally {
    await stopAll(servers);
  }
}));

test('processes starting together without the variable create and show one admin token between them', () => onFreshDatabase(async (database) => {
  const servers = await startTogether(3, { database, adminToken: null });
  try {
    const shown = servers.map((s) => kShownSecret.exec(s.logs())?.[1]).filter(Boolean);
    assert.equal(shown.length, 1, `one process shows a new secret, not ${shown.length}`);
    const tokens = await listAll(new Api(servers[0], shown[0]), '/api/tokens');
    assert.equal(tokens.filter((t) => t.role === 'admin').length, 1, 'one admin token in all');
  } finally {
    await stopAll(servers);
  }
}));

test('a first start that cannot listen creates no token: the next start shows one', () => onFreshDatabase(async (database) => {
  const taken = net.createServer();
  await new Promise((resolve) => taken.listen(0, '127.0.0.1', resolve));
  try {
    const failed = await runServerCommand(
      ['--host', '127.0.0.1', '--port', String(taken.address().port), '--database', database.url]);
    assert.notEqual(failed.code, 0, 'the busy port is an error');
    assert.doesNotMatch(failed.stdout, /Created an admin token/);

    const server = await startServer({ database, adminToken: null, keepDatabase: true });
    try {
      const secret = kShownSecret.exec(server.logs())?.[1];
      assert.ok(secret, `the next start shows a new secret:\n${server.logs()}`);
      expectStatus(await new Api(server, secret).get('/api/tokens'), 200);
    } finally {
      await server.stop();
    }
  } finally {
    taken.close();
  }
}));
