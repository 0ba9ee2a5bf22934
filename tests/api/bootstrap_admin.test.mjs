// The first admin token (README, docs/deploy.md): ATTENDANCE_ADMIN_TOKEN's token is created once
// and a revocation of it survives restarts; a new value of the variable retires the tokens of its
// earlier values, in every running process, and an earlier value never retires a newer one;
// without the variable one token is created and shown, even when several processes start
// together on a fresh database; a start that can't listen uses up nothing.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import net from 'node:net';
import { test } from 'node:test';
import { Api, expectStatus } from './support/client.mjs';
import { eventually, kAtOnceMs } from './support/eventually.mjs';
import { createSchool, createToken, listAll } from './support/fixtures.mjs';
import { backend, createDatabase, randomSecret, runServerCommand, startServer } from './support/server.mjs';
import { openStream } from './support/sse.mjs';

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

// The variable's token as GET /api/tokens shows it.
async function tokenOf(api, id) {
  return expectStatus(await api.get(`/api/tokens/${id}`), 200).data;
}

// What a secret must never appear as in a log: itself or its stored hash.
function assertNoSecretIn(logs, secrets) {
  for (const secret of secrets) {
    assert.ok(!logs.includes(secret), 'a secret in the log');
    assert.ok(!logs.includes(createHash('sha256').update(secret).digest('hex')), "a secret's hash in the log");
  }
}

test('a new ATTENDANCE_ADMIN_TOKEN retires the old secret; API tokens stay; the old secret never comes back', () => onFreshDatabase(async (database) => {
  const old = randomSecret();
  const first = await startServer({ database, adminToken: old, keepDatabase: true });
  const before = new Api(first);
  const [oldToken] = expectStatus(await before.get('/api/tokens'), 200).data;
  assert.equal(oldToken.name, kConfiguredName);
  // Minted through the API before the rotation, one of them under the variable's very name:
  // only the origin marks a token as the variable's, never its name.
  const minted = await createToken(before, 'admin');
  const lookalike = await createToken(before, 'admin', null, kConfiguredName);
  await first.stop();

  const fresh = randomSecret();
  const second = await startServer({ database, adminToken: fresh, keepDatabase: true });
  let freshId;
  try {
    const admin = new Api(second);
    expectStatus(await admin.as(old).get('/api/tokens'), 401, 'the old secret is refused');
    expectStatus(await admin.get('/api/tokens'), 200, 'the new secret works');
    assert.notEqual((await tokenOf(admin, oldToken.id)).revoked_at, null, "the old secret's token is revoked");
    for (const token of [minted, lookalike]) {
      expectStatus(await admin.as(token.secret).get('/api/tokens'), 200, `${token.name} still works`);
    }
    const named = (await listAll(admin, '/api/tokens')).filter((t) => t.name === kConfiguredName);
    assert.equal(named.filter((t) => t.revoked_at === null).length, 2, 'active: the new one and the look-alike');
    freshId = Math.max(...named.map((t) => t.id));
    assert.match(second.logs(), /revoked 1 admin token\(s\) of its earlier values \(ids \d+\)/);
    assertNoSecretIn(second.logs(), [old, fresh]);
  } finally {
    await second.stop();
  }

  // Rolled back to the old secret (or a process still configured with it): it stays revoked
  // and retires nothing, the newer secret least of all.
  const third = await startServer({ database, adminToken: old, keepDatabase: true });
  try {
    const admin = new Api(third, fresh);
    expectStatus(await admin.as(old).get('/api/tokens'), 401, 'the old secret stays refused');
    expectStatus(await admin.get('/api/tokens'), 200, 'the new secret still works');
    assert.equal((await tokenOf(admin, freshId)).revoked_at, null);
    assert.match(third.logs(), /ATTENDANCE_ADMIN_TOKEN is the secret of a revoked token/);
    assert.doesNotMatch(third.logs(), /revoked \d+ admin token/);
  } finally {
    await third.stop();
  }
}));

test('a process still running with the old ATTENDANCE_ADMIN_TOKEN refuses it once another starts with a new one',
  { skip: backend() !== 'postgresql' && 'PostgreSQL only: processes on one SQLite file hear nothing of each other' },
  () => onFreshDatabase(async (database) => {
    const old = randomSecret();
    const a = await startServer({ database, adminToken: old, keepDatabase: true });
    let b;
    let stream;
    try {
      const onA = new Api(a);
      const school = await createSchool(onA);
      expectStatus(await onA.get('/api/tokens'), 200, 'A knows the old secret (and keeps it for 30 s)');
      stream = await openStream(a, school.id, old);
      await stream.next((e) => e.event === 'occupancy', 'the first occupancy');

      b = await startServer({ database, adminToken: randomSecret(), keepDatabase: true });
      await eventually('A refuses the old secret', async () => (await onA.get('/api/tokens')).status === 401);
      assert.equal(await stream.waitForEnd(kAtOnceMs), true, "A ended the old secret's stream");
      expectStatus(await new Api(a, b.adminToken).get('/api/tokens'), 200, 'A takes the new secret');
    } finally {
      stream?.close();
      await b?.stop();
      await a.stop();
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
