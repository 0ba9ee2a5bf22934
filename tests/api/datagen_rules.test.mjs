// tools/datagen/check-rules.sh, the SQL check of a filled database against the recording rules:
// what the generator loads directly and what it sends through the API both pass it, with the
// counts the generator reported; an event slipped in behind the server's back is caught, by the
// rule it breaks.

import assert from 'node:assert/strict';
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import path from 'node:path';
import { test } from 'node:test';
import { backend, createDatabase, repoRoot, serverBinary, startServer } from './support/server.mjs';

const kScript = path.join(repoRoot, 'tools', 'datagen', 'check-rules.sh');
const datagenBinary = () => process.env.ATTENDANCE_DATAGEN_BIN
  || path.join(path.dirname(serverBinary()), 'tools', 'datagen', 'attendance-datagen');

// Runs the check; returns its exit status and its counts by name.
function checkRules(url) {
  const run = spawnSync('bash', [kScript, url], { encoding: 'utf8', timeout: 60_000 });
  const counts = Object.fromEntries(run.stdout.split('\n').filter((l) => /^\w+ \d+$/.test(l))
    .map((l) => { const [name, value] = l.split(' '); return [name, Number(value)]; }));
  return { status: run.status, counts, output: run.stdout + run.stderr };
}

// Asynchronous, so that the server's log, read by this process, keeps flowing meanwhile.
async function datagen(args) {
  const { stdout } = await promisify(execFile)(datagenBinary(), [...args, '--no-progress'], { encoding: 'utf8', timeout: 120_000 });
  return stdout;
}

// Runs one statement on the database directly, as a careless script would.
function sql(database, statement) {
  if (backend() === 'sqlite') execFileSync('sqlite3', [database.url.slice('sqlite:'.length), statement]);
  else execFileSync('psql', [database.url, '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-c', statement]);
}

const kFigures = ['events', 'days_ending_checked_in', 'without_a_named_day'];  // counts that are not rules
const violations = (counts) => Object.entries(counts).filter(([name, value]) => !kFigures.includes(name) && value !== 0);

test('a direct load passes every rule, with the events it reported; an event slipped in behind the server is caught by its rule', async () => {
  const database = createDatabase();
  try {
    const report = await datagen(['--database', database.url, '--schools', '3', '--users', '40', '--days', '30', '--seed', '9']);
    const loaded = Number(/(\d+) attendances in/.exec(report)?.[1]);
    const clean = checkRules(database.url);
    assert.equal(clean.status, 0, clean.output);
    assert.deepEqual(violations(clean.counts), []);
    assert.equal(clean.counts.events, loaded, clean.output);
    if (backend() === 'sqlite') assert.equal(clean.counts.without_a_named_day, 0, 'every generated event placed on its day');
    assert.ok(clean.counts.days_ending_checked_in > 0, 'some days miss their final check-out');

    // A second check-in a second after a check-in, and a fever no thermometer reads.
    sql(database, `INSERT INTO attendances (user_id, school_id, "timestamp", type, temperature, client_id, inserted_at)
      SELECT user_id, school_id, "timestamp" + ${backend() === 'sqlite' ? '1000000' : "interval '1 second'"}, type, temperature,
             client_id || '0', inserted_at
      FROM attendances WHERE type = 'checkin' AND id = (SELECT min(id) FROM attendances WHERE type = 'checkin')`);
    sql(database, 'UPDATE attendances SET temperature = 45 WHERE id = (SELECT max(id) FROM attendances)');
    const broken = checkRules(database.url);
    assert.equal(broken.status, 1, broken.output);
    assert.deepEqual(violations(broken.counts), [['not_alternating', 1], ['temperature_out_of_range', 1]]);
  } finally {
    database.drop();
  }
});

test('what the generator sends through the API passes every rule, each event on the local day its client id names', async () => {
  const database = createDatabase();
  const server = await startServer({ database, keepDatabase: true });  // no rate limit in tests
  try {
    const report = await datagen(['--target', server.url, '--token', server.adminToken, '--schools', '2', '--users', '30',
      '--days', '20', '--seed', '4', '--concurrency', '4']);
    const accepted = Number(/accepted (\d+), rejected 0/.exec(report)?.[1]);
    assert.ok(accepted > 500, report);
    const result = checkRules(database.url);
    assert.equal(result.status, 0, result.output);
    assert.deepEqual(violations(result.counts), []);
    assert.equal(result.counts.events, accepted);
  } finally {
    await server.stop();
    database.drop();
  }
});

test('a database it cannot read is exit 2, not a pass', () => {
  const missing = checkRules('sqlite:/nonexistent/attendance.db');
  assert.equal(missing.status, 2, missing.output);
  assert.equal(checkRules('mysql://somewhere/db').status, 2);
});
