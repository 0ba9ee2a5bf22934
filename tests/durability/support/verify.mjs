// The end-of-run checks of the durability suites: what the load's ledger says was acknowledged
// against what the database holds (through the API), the recording rules on what is stored, and
// each backend's own integrity check run directly on the database files or server.

import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { listAll } from '../../api/support/fixtures.mjs';

const run = promisify(execFile);

// Every stored attendance of the school, through GET /api/attendances (paged by id).
export function storedEvents(api, schoolId) {
  return listAll(api, `/api/attendances?school_id=${schoolId}`);
}

// Problems (strings) between the ledger (client_id -> acknowledged event) and the stored events:
// each acknowledged event stored exactly once with its id and fields, nothing stored that was not
// acknowledged, no client_id twice, and each user's events alternating within each UTC day.
export function compareWithLedger(ledger, stored) {
  const problems = [];
  const byClientId = new Map();
  const byId = new Map();
  for (const event of stored) {
    if (byId.has(event.id)) problems.push(`id ${event.id} listed twice`);
    byId.set(event.id, event);
    const key = `${event.user_id}/${event.client_id}`;
    if (event.client_id === null) problems.push(`attendance ${event.id} has no client_id (the load always sends one)`);
    else if (byClientId.has(key)) problems.push(`client_id ${event.client_id} stored twice (ids ${byClientId.get(key).id}, ${event.id})`);
    byClientId.set(key, event);
  }
  for (const [clientId, acked] of ledger) {
    const event = byId.get(acked.id);
    if (!event) {
      problems.push(`acknowledged ${clientId} (id ${acked.id}) is not stored`);
      continue;
    }
    if (event.client_id !== clientId || event.user_id !== acked.user_id || event.type !== acked.type
        || Date.parse(event.timestamp) !== Date.parse(acked.timestamp)) {
      problems.push(`id ${acked.id} holds ${JSON.stringify(event)}, acknowledged as ${clientId} ${acked.type} ${acked.timestamp}`);
    }
  }
  const acknowledgedIds = new Set([...ledger.values()].map((a) => a.id));
  for (const event of stored) {
    if (!acknowledgedIds.has(event.id)) problems.push(`stored ${event.client_id} (id ${event.id}) was never acknowledged`);
  }
  problems.push(...alternationProblems(stored));
  return problems;
}

// DESIGN section 4: within each local day (the suites' school is in UTC) a user's events go
// check-in, check-out, check-in, ..., never two at one instant.
export function alternationProblems(stored) {
  const problems = [];
  const byUserDay = new Map();
  for (const event of stored) {
    const key = `${event.user_id} ${event.timestamp.slice(0, 10)}`;
    if (!byUserDay.has(key)) byUserDay.set(key, []);
    byUserDay.get(key).push(event);
  }
  for (const [key, events] of byUserDay) {
    events.sort((a, b) => Date.parse(a.timestamp) - Date.parse(b.timestamp));
    events.forEach((event, i) => {
      const expected = i % 2 === 0 ? 'checkin' : 'checkout';
      if (event.type !== expected) problems.push(`user/day ${key}: event ${i} (id ${event.id}) is a ${event.type}, expected a ${expected}`);
      if (i > 0 && events[i - 1].timestamp === event.timestamp) problems.push(`user/day ${key}: two events at ${event.timestamp}`);
    });
  }
  return problems;
}

async function sqlite(file, sql) {
  const { stdout } = await run('sqlite3', ['-batch', file, sql], { timeout: 30_000 });
  return stdout.trim();
}

// SQLite's own checks on a database file, as they would see it: PRAGMA integrity_check is "ok",
// PRAGMA foreign_key_check lists nothing, no (user_id, client_id) twice. Returns the row count.
// With `copy`, the file and its WAL are checked on a copy, so that the next server start (not the
// sqlite3 CLI, which checkpoints the WAL on close) is what recovers the crashed original.
export async function checkSqlite(file, { copy = false } = {}) {
  let target = file;
  let scratch = null;
  if (copy) {
    scratch = mkdtempSync(path.join(tmpdir(), 'attendance-durability-check-'));
    target = path.join(scratch, 'copy.db');
    copyFileSync(file, target);
    for (const suffix of ['-wal', '-shm']) {
      if (existsSync(file + suffix)) copyFileSync(file + suffix, target + suffix);
    }
  }
  try {
    const integrity = await sqlite(target, 'PRAGMA integrity_check;');
    if (integrity !== 'ok') throw new Error(`${file}: PRAGMA integrity_check answered ${integrity}`);
    const foreign = await sqlite(target, 'PRAGMA foreign_key_check;');
    if (foreign !== '') throw new Error(`${file}: PRAGMA foreign_key_check listed ${foreign}`);
    const duplicates = await sqlite(target,
      'SELECT count(*) FROM (SELECT 1 FROM attendances WHERE client_id IS NOT NULL GROUP BY user_id, client_id HAVING count(*) > 1);');
    if (duplicates !== '0') throw new Error(`${file}: ${duplicates} (user_id, client_id) pairs stored more than once`);
    return Number(await sqlite(target, 'SELECT count(*) FROM attendances;'));
  } finally {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  }
}

async function psql(url, sql) {
  const { stdout } = await run('psql', [url, '-v', 'ON_ERROR_STOP=1', '-qtAc', sql], { timeout: 60_000 });
  return stdout.trim();
}

// PostgreSQL's checks: amcheck's bt_index_check with heapallindexed on every B-tree index of the
// service's tables (each heap row is in each index, and each index is well formed), no
// (user_id, client_id) twice. Returns { rows, indexes }.
export async function checkPostgresql(url) {
  await psql(url, 'CREATE EXTENSION IF NOT EXISTS amcheck');
  const indexes = Number(await psql(url, `
    SELECT count(bt_index_check(index => c.oid, heapallindexed => true) IS NULL)
    FROM pg_index i
    JOIN pg_class c ON c.oid = i.indexrelid
    JOIN pg_am am ON am.oid = c.relam
    WHERE am.amname = 'btree' AND c.relnamespace = 'public'::regnamespace AND c.relpersistence = 'p'`));
  if (!(indexes > 0)) throw new Error(`amcheck checked no index (${indexes})`);
  const duplicates = await psql(url,
    'SELECT count(*) FROM (SELECT 1 FROM attendances WHERE client_id IS NOT NULL GROUP BY user_id, client_id HAVING count(*) > 1) d');
  if (duplicates !== '0') throw new Error(`${duplicates} (user_id, client_id) pairs stored more than once`);
  return { rows: Number(await psql(url, 'SELECT count(*) FROM attendances')), indexes };
}
