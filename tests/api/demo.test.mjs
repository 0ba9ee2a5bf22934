// The demo of the README's run command (scripts/run.sh calls scripts/demo-data.sh before the
// first start): an empty SQLite database gets one school of 500 users with 120 days of history
// and today in progress; a database that has a school is left alone; a load cut short by Ctrl-C
// removes the file it created, so the next start loads the demo again instead of skipping a
// half-loaded one.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { Api, expectStatus } from './support/client.mjs';
import { listAll } from './support/fixtures.mjs';
import { backend, createDatabase, repoRoot, serverBinary, startServer } from './support/server.mjs';

const sqliteOnly = { skip: backend() !== 'sqlite' && 'the demo is loaded into SQLite only' };
const kScript = path.join(repoRoot, 'scripts', 'demo-data.sh');
const kDay = 86_400_000;

function datagenBinary() {
  return process.env.ATTENDANCE_DATAGEN_BIN || path.join(path.dirname(serverBinary()), 'tools', 'datagen', 'attendance-datagen');
}

// Starts scripts/demo-data.sh in a process group of its own, as a terminal runs a command.
function startDemo(databaseUrl, env = {}) {
  const child = spawn('bash', [kScript, datagenBinary(), databaseUrl],
    { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c) => { stdout += c; });
  child.stderr.on('data', (c) => { stderr += c; });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, exited };
}

// Polls until condition() holds or the deadline passes; the load is waited for, not guessed at.
async function until(condition, what, deadlineMs = 60_000) {
  const end = Date.now() + deadlineMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

test('the demo fills an empty database with one school of 500 users, 120 days of history and today in progress; a second run leaves it alone', sqliteOnly, async () => {
  const database = createDatabase();
  try {
    const first = await startDemo(database.url).exited;
    assert.equal(first.code, 0, first.stderr);
    const loaded = Number(/(\d+) attendances in/.exec(first.stdout)?.[1]);
    assert.ok(loaded > 40_000, first.stdout);

    let server = await startServer({ database, keepDatabase: true });
    const admin = new Api(server);
    const schools = expectStatus(await admin.get('/api/schools'), 200).data;
    assert.equal(schools.length, 1);
    assert.equal((await listAll(admin, `/api/users?school_id=${schools[0].id}`)).length, 500);
    const events = await listAll(admin, '/api/attendances');
    assert.equal(events.length, loaded, 'the server lists what the load reported');
    const instants = events.map((e) => Date.parse(e.timestamp));
    const now = Date.now();
    const oldest = Math.min(...instants);
    assert.ok(oldest > now - 121 * kDay && oldest < now - 100 * kDay, `history starts ${new Date(oldest).toISOString()}`);
    assert.ok(instants.every((t) => t <= now), 'nothing in the future');
    // Today in progress: the school's own today has events once its school day is under way (the
    // demo's zone is chosen so that it is a school day there when one exists anywhere).
    const zone = schools[0].timezone;
    const localDate = (t) => new Intl.DateTimeFormat('en-CA', { timeZone: zone }).format(t);
    const local = Object.fromEntries(new Intl.DateTimeFormat('en-US', { timeZone: zone, weekday: 'short', hour: 'numeric', hourCycle: 'h23' })
      .formatToParts(now).map((p) => [p.type, p.value]));
    const isoWeekday = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(local.weekday) + 1;
    if (schools[0].school_days.includes(isoWeekday) && Number(local.hour) >= 9) {
      assert.ok(instants.some((t) => localDate(t) === localDate(now)), `events on ${localDate(now)} in ${zone}`);
    }
    const lastId = Math.max(...events.map((e) => e.id));
    await server.stop();

    const second = await startDemo(database.url).exited;
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stdout, /nothing generated/);
    server = await startServer({ database, keepDatabase: true });
    const again = new Api(server);
    assert.equal(expectStatus(await again.get('/api/schools'), 200).data.length, 1);
    assert.deepEqual(expectStatus(await again.get(`/api/attendances?after=${lastId}`), 200).data, [], 'no event added');
    expectStatus(await again.get(`/api/attendances/${lastId}`), 200);
    await server.stop();
  } finally {
    database.drop();
  }
});

test('a demo load cut short by Ctrl-C removes the file it created, so the next start loads the demo again', sqliteOnly, async () => {
  const database = createDatabase();
  const file = database.url.slice('sqlite:'.length);
  try {
    // A demo of about 1.3 million events: the load is still running when Ctrl-C comes.
    const demo = startDemo(database.url, { ATTENDANCE_DEMO_USERS: '3000', ATTENDANCE_DEMO_DAYS: '300' });
    await until(() => existsSync(file) && statSync(file).size + (existsSync(`${file}-wal`) ? statSync(`${file}-wal`).size : 0) > 1 << 20,
      'the load to write its first megabyte');
    process.kill(-demo.child.pid, 'SIGINT');  // the whole process group, as a terminal's Ctrl-C does
    const result = await demo.exited;
    assert.equal(result.code, 1, `${result.stdout}\n${result.stderr}`);
    assert.match(result.stdout, /\(interrupted\)/);
    assert.match(result.stderr, /the demo load did not finish: removed/);
    for (const leftover of [file, `${file}-wal`, `${file}-shm`]) assert.ok(!existsSync(leftover), `${leftover} was removed`);
  } finally {
    database.drop();
  }
});
