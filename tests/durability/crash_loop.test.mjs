// SIGKILL under write load, again and again, on the backend of ATTENDANCE_TEST_BACKEND
// (DESIGN section 4: an acknowledged write survives a crash of the process the moment after the
// reply). Several keep-alive clients post valid timelines (single posts and batches, a client_id
// on every event); at moments drawn from a seeded generator the server is killed with SIGKILL,
// the database is checked as the crash left it, and a new server starts on it. Clients whose
// request was in flight send it again with the same client_ids once the new server serves.
// At the end every acknowledged event is stored exactly once with the id it was acknowledged
// with, nothing else is stored, every day still alternates, and the backend's integrity check
// passes.
//
// Environment: DURABILITY_SEED (replay a run), DURABILITY_KILLS (default 20).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backend, createDatabase } from '../api/support/server.mjs';
import { WriteLoad } from './support/load.mjs';
import { Random, seedFromEnvironment } from './support/random.mjs';
import { RestartableServer } from './support/restartable_server.mjs';
import { assertLedgerStored, setUpSchool, sqliteFileOf } from './support/scenario.mjs';
import { checkPostgresql, checkSqlite } from './support/verify.mjs';

const kKills = Number(process.env.DURABILITY_KILLS ?? 20);
const kClients = 6;
const kUsers = 24;
const kProgressDeadlineMs = 20_000;

// The database as the crash left it, with the server down: the backend's own integrity checks.
async function checkCrashedDatabase(url) {
  if (backend() === 'sqlite') return checkSqlite(sqliteFileOf(url), { copy: true });
  return (await checkPostgresql(url)).rows;
}

test(`SIGKILL under write load on ${backend()}: every acknowledged event survives, once`, { timeout: 150_000 }, async () => {
  const seed = seedFromEnvironment();
  console.log(`durability crash loop on ${backend()}: seed ${seed} (DURABILITY_SEED=${seed} replays it), ${kKills} kills`);
  const random = new Random(seed);  // the kill schedule; each client of the load has its own
  const database = createDatabase();
  const server = new RestartableServer({ databaseUrl: database.url });
  const began = Date.now();
  try {
    await server.start();
    const { api, school, users } = await setUpSchool(server, kUsers);
    const load = new WriteLoad({ server, users, clients: kClients, seed, tag: `crash${seed}` });
    load.start();

    let inFlightAtKills = 0;
    for (let kill = 1; kill <= kKills; kill += 1) {
      // The moment: after a random number of further acknowledgements, then a random few ms.
      await load.untilAcknowledged(load.acknowledged + random.int(0, 60), kProgressDeadlineMs);
      await new Promise((resolve) => setTimeout(resolve, random.int(0, 20)));
      inFlightAtKills += load.inFlight;
      await server.kill();
      const rows = await checkCrashedDatabase(database.url);
      assert.ok(rows >= load.acknowledged,
        `after kill ${kill} the database holds ${rows} attendances, fewer than the ${load.acknowledged} acknowledged`);
      await server.start();
    }
    await load.untilAcknowledged(load.acknowledged + 30, kProgressDeadlineMs);
    await load.stop();

    const stored = await assertLedgerStored(api, school, load);
    assert.ok(load.noAnswer > 0, 'no request was ever cut off by a kill: the kills did not hit the load');
    await server.stop();
    const final = backend() === 'sqlite'
      ? { rows: await checkSqlite(sqliteFileOf(database.url)) }
      : await checkPostgresql(database.url);
    assert.equal(final.rows, stored, 'rows in the database vs acknowledged events');

    const starts = server.startMs;
    console.log(`  ${kKills} kills in ${((Date.now() - began) / 1000).toFixed(1)} s; ${inFlightAtKills} requests in flight at the kills`);
    console.log(`  ${load.summary()}`);
    console.log(`  stored: ${stored} attendances, each acknowledged event once by id and client_id; integrity check ok`
      + `${final.indexes ? ` (amcheck on ${final.indexes} indexes)` : ''}`);
    console.log(`  restart to ready: median ${starts.sort((a, b) => a - b)[Math.floor(starts.length / 2)]} ms, max ${starts.at(-1)} ms`);
  } finally {
    await server.killQuietly();
    database.drop();
  }
});
