// attendance-server --backup-to (docs/deploy.md, "Backups and restore"): a backup of the SQLite
// file taken while the server keeps recording holds every attendance acknowledged before the
// backup started, is the database of one instant (each user's events a prefix of what was
// recorded), and serves as a database of its own; a refused backup writes nothing.

import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { Api, expectStatus } from './support/client.mjs';
import { createSchool, createUser, listAll } from './support/fixtures.mjs';
import { backend, createDatabase, runServerCommand, startServer } from './support/server.mjs';

const sqliteOnly = { skip: backend() !== 'sqlite' && 'SQLite only: PostgreSQL is backed up with pg_dump' };
const kWriters = 4;
const kSeedUsers = 10;
const kSeedEventsPerUser = 100;
const kAckedBeforeBackup = 40; // acknowledged through the writers before the backup starts

// A user's k-th event: check-in and check-out in turn, 3 minutes apart, 400 a day from 01:00Z
// (400 is even: every day starts with a check-in), on days from 2024-01-01 on.
function eventOf(userId, k) {
  const day = Date.UTC(2024, 0, 1) + Math.floor(k / 400) * 86_400_000;
  const timestamp = new Date(day + 3_600_000 + (k % 400) * 180_000).toISOString().replace('.000Z', 'Z');
  return { user_id: userId, type: k % 2 === 0 ? 'checkin' : 'checkout', temperature: 36.6, timestamp };
}

// The writers' acknowledged events; reach(n) resolves once there are n.
class Tally {
  count = 0;
  waiters = [];

  add() {
    this.count += 1;
    this.waiters = this.waiters.filter(([n, resolve]) => (this.count >= n ? (resolve(), false) : true));
  }

  reach(n) {
    return new Promise((resolve) => (this.count >= n ? resolve() : this.waiters.push([n, resolve])));
  }
}

// Records a user's events one after another until stop(); acked holds each 201 answer in order.
// done rejects at the first answer that is not 201.
function startWriter(api, userId, tally) {
  const writer = { acked: [], stopping: false };
  writer.done = (async () => {
    for (let k = 0; !writer.stopping; k += 1) {
      writer.acked.push(expectStatus(await api.post('/api/attendances', { attendance: eventOf(userId, k) }), 201).data);
      tally.add();
    }
  })();
  return writer;
}

// Waits on the writers' answers until the tally reaches n; fails as soon as a writer fails.
const untilAcked = (writers, tally, n) => Promise.race([tally.reach(n), ...writers.map((w) => w.done)]);

test('a backup taken while the server records holds every acknowledged attendance and serves on its own', sqliteOnly, async () => {
  const database = createDatabase();
  const backups = mkdtempSync(path.join(tmpdir(), 'attendance-backups-'));
  const dest = path.join(backups, 'backup.db');
  const source = await startServer({ database, keepDatabase: true });
  let restored;
  try {
    const admin = new Api(source);
    const school = await createSchool(admin);
    // A thousand rows, so the copy has pages to read while the writers go on.
    const seedUsers = [];
    for (let i = 0; i < kSeedUsers; i += 1) seedUsers.push(await createUser(admin, school.id));
    const items = seedUsers.flatMap((u) => Array.from({ length: kSeedEventsPerUser }, (_, k) => eventOf(u.id, k)));
    const seeded = expectStatus(await admin.post('/api/attendances/batch', { attendances: items }), 200).data;
    assert.ok(seeded.every((o) => o.status === 201), 'every seeded event is recorded');

    const tally = new Tally();
    const writers = [];
    for (let i = 0; i < kWriters; i += 1) writers.push(startWriter(admin, (await createUser(admin, school.id)).id, tally));
    await untilAcked(writers, tally, kAckedBeforeBackup);
    const ackedBefore = [...seeded.map((o) => o.data), ...writers.flatMap((w) => w.acked)];
    const result = await runServerCommand(['--database', database.url, '--backup-to', dest]);
    // A few more after it: the server still records into the file it was backed up from.
    await untilAcked(writers, tally, tally.count + kWriters);
    for (const w of writers) w.stopping = true;
    await Promise.all(writers.map((w) => w.done));

    assert.equal(result.code, 0, `exit code\n${result.stdout}${result.stderr}`);
    const line = result.stdout.match(/^backup written: (.+), (\d+) bytes, (\d+) attendances\n$/);
    assert.ok(line, `one line with the path, size and count:\n${result.stdout}`);
    assert.equal(line[1], dest);
    assert.equal(Number(line[2]), statSync(dest).size);
    assert.deepEqual(readdirSync(backups), ['backup.db'], 'no partial file left beside it');

    restored = await startServer({ database: { url: `sqlite:${dest}`, drop() {} }, adminToken: source.adminToken });
    const copy = new Map((await listAll(new Api(restored), '/api/attendances')).map((a) => [a.id, a]));
    assert.equal(copy.size, Number(line[3]), "the count printed is the copy's");
    for (const a of ackedBefore) assert.deepEqual(copy.get(a.id), a, `attendance ${a.id}, acknowledged before the backup`);
    // The database of one instant: of each writer's events, the copy has the first ones, none skipped.
    for (const w of writers) {
      const inCopy = w.acked.filter((a) => copy.has(a.id));
      assert.deepEqual(inCopy, w.acked.slice(0, inCopy.length), "a writer's events in the copy are a prefix of its events");
    }
    const recorded = new Set([...seeded.map((o) => o.data.id), ...writers.flatMap((w) => w.acked.map((a) => a.id))]);
    assert.ok([...copy.keys()].every((id) => recorded.has(id)), 'the copy has nothing the server did not acknowledge');
    expectStatus(await new Api(restored).get(`/api/schools/${school.id}`), 200);
    // The source, not migrated or changed by the backup, has every event.
    assert.equal((await listAll(admin, '/api/attendances')).length, recorded.size);
  } finally {
    await restored?.stop();
    await source.stop();
    database.drop();
    rmSync(backups, { recursive: true, force: true });
  }
});

// Runs --backup-to and asserts a refusal: exit 2, one line on stderr matching `reason`, nothing
// on stdout, and no file added to or changed in `dir`.
async function assertRefused(url, dest, dir, reason) {
  const files = () => readdirSync(dir).map((f) => [f, readFileSync(path.join(dir, f), 'utf8')]);
  const before = files();
  const result = await runServerCommand(['--database', url, '--backup-to', dest]);
  assert.equal(result.code, 2, `exit code\n${result.stdout}${result.stderr}`);
  assert.equal(result.stderr.trim().split('\n').length, 1, `one line on stderr:\n${result.stderr}`);
  assert.match(result.stderr, reason);
  assert.equal(result.stdout, '');
  assert.deepEqual(files(), before, 'nothing written');
}

// Runs body(dir) with a fresh directory for the backups, removed afterwards.
async function inBackupsDir(body) {
  const dir = mkdtempSync(path.join(tmpdir(), 'attendance-backups-'));
  try {
    await body(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('a backup refuses an existing destination, a missing source or destination directory', sqliteOnly, () => inBackupsDir(async (dir) => {
  const server = await startServer();
  try {
    const url = server.database.url;
    writeFileSync(path.join(dir, 'yesterday.db'), "yesterday's backup");
    await assertRefused(url, path.join(dir, 'yesterday.db'), dir, /yesterday\.db already exists/);
    // Nor is the missing source created: the directory stays as it was.
    await assertRefused(`sqlite:${path.join(dir, 'missing.db')}`, path.join(dir, 'backup.db'), dir, /no database file/);
    await assertRefused(url, path.join(dir, 'no-such-dir', 'backup.db'), dir, /no-such-dir does not exist/);
  } finally {
    await server.stop();
  }
}));

test('a backup of a PostgreSQL database is refused with a pointer to pg_dump', () => inBackupsDir(async (dir) => {
  // Refused before any connection: no server needs to listen there.
  await assertRefused('postgresql://attendance@127.0.0.1:1/attendance', path.join(dir, 'backup.db'), dir, /pg_dump/);
}));

test('a copy that fails PRAGMA integrity_check is not written', sqliteOnly, () => inBackupsDir(async (dir) => {
  const server = await startServer({ keepDatabase: true });
  await server.stop(); // a clean stop: the whole database is in the main file
  const file = server.database.url.slice('sqlite:'.length);
  try {
    // The type byte of page 2, a table's b-tree page, made invalid: the online backup copies
    // pages as they are, so only the check on the copy can tell.
    const bytes = readFileSync(file);
    const pageSize = bytes.readUInt16BE(16) === 1 ? 65_536 : bytes.readUInt16BE(16);
    bytes[pageSize] = 0xff;
    writeFileSync(file, bytes);
    const result = await runServerCommand(['--database', server.database.url, '--backup-to', path.join(dir, 'backup.db')]);
    assert.equal(result.code, 1, `exit code\n${result.stdout}${result.stderr}`);
    assert.match(result.stderr, /^backup failed: .*integrity_check/);
    assert.deepEqual(readdirSync(dir), [], 'neither the backup nor a partial file');
  } finally {
    server.database.drop();
  }
}));
