// Two attendance-server processes on one PostgreSQL database behave as one service (issue 6,
// item 1): a write through A reaches B's aggregate cache, B's live streams and B's token checks
// within a bounded wait (LISTEN/NOTIFY), A does not apply its own notice twice, and B recovers
// from losing its listening connection. PostgreSQL only (a SQLite server is alone).
//
// It also measures how long a change takes from A to B (printed as a test diagnostic, the figure
// docs/deploy.md cites): node tests/api/run.mjs postgresql tests/api/cluster.test.mjs

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, describe as group, test } from 'node:test';
import { Api, expectStatus } from './support/client.mjs';
import { at, createSchool, createToken, createUser, record } from './support/fixtures.mjs';
import { eventually, kAtOnceMs } from './support/eventually.mjs';
import { backend, createDatabase, randomSecret, startServer } from './support/server.mjs';
import { openStream } from './support/sse.mjs';

const kDay = '2024-05-08'; // a past Wednesday: its aggregate is cached

function psql(url, sql) {
  return execFileSync('psql', [url, '-v', 'ON_ERROR_STOP=1', '-qtAc', sql], { encoding: 'utf8', timeout: 30_000 }).trim();
}

// One sample of the Prometheus text (0 when absent).
function sample(text, name, labels = {}) {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`).join(',');
  const prefix = wanted ? `${name}{${wanted}} ` : `${name} `;
  const line = text.split('\n').find((l) => l.startsWith(prefix));
  return line === undefined ? 0 : Number(line.slice(prefix.length));
}

function percentile(values, p) {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

group('two processes on one PostgreSQL database', { skip: backend() !== 'postgresql' && 'PostgreSQL only' }, () => {
  let database;
  let a;
  let b;
  let adminA;
  let adminB;
  let adminToken;
  const streams = [];

  async function ready(server) {
    await eventually(`${server.url}/readyz`, async () => (await fetch(`${server.url}/readyz`)).status === 200, 10_000);
  }
  async function metrics(api) {
    return expectStatus(await api.get('/metrics'), 200).text;
  }
  async function presentOn(api, schoolId, day = kDay) {
    const res = expectStatus(await api.get(`/api/attendances/aggregate/school/${schoolId}?period=day&date=${day}`), 200);
    return res.data.present;
  }
  async function watch(server, schoolId) {
    const stream = await openStream(server, schoolId);
    streams.push(stream);
    await stream.next((e) => e.event === 'occupancy', 'the first occupancy');
    return stream;
  }
  // A school with a user enrolled before kDay.
  async function schoolWithUser() {
    const school = await createSchool(adminA);
    const user = await createUser(adminA, school.id, { enrolled_on: '2024-01-01' });
    return { school, user };
  }

  before(async () => {
    database = createDatabase();
    const shared = { ...database, drop: () => {} }; // dropped once, after both stopped
    // One ATTENDANCE_ADMIN_TOKEN for the deployment: a process started with another would retire
    // the older one (bootstrap_admin.test.mjs).
    adminToken = randomSecret();
    [a, b] = await Promise.all([startServer({ database: shared, adminToken }), startServer({ database: shared, adminToken })]);
    adminA = new Api(a);
    adminB = new Api(b);
    await Promise.all([ready(a), ready(b)]);
  });
  after(async () => {
    for (const stream of streams) stream.close();
    try {
      await Promise.all([a?.stop(), b?.stop()]);
    } finally {
      database?.drop();
    }
  });

  // Asks B for the day until B answers it from its cache (the notices of the school's creation
  // may still be arriving and drop B's first result).
  async function primeB(schoolId) {
    return eventually('B answers the day from its cache', async () => {
      const hits = sample(await metrics(adminB), 'attendance_aggregation_outcomes_total', { outcome: 'cache_hit' });
      const present = await presentOn(adminB, schoolId);
      const after = sample(await metrics(adminB), 'attendance_aggregation_outcomes_total', { outcome: 'cache_hit' });
      return after > hits ? { present } : undefined;
    });
  }

  test('a write through A changes the aggregate B had cached', async () => {
    const { school, user } = await schoolWithUser();
    assert.equal((await primeB(school.id)).present, 0);

    const checkin = await record(adminA, { user_id: user.id, type: 'checkin', timestamp: at(kDay, 8) });
    const checkout = await record(adminA, { user_id: user.id, type: 'checkout', timestamp: at(kDay, 14) });
    await eventually('B counts the user present', async () => (await presentOn(adminB, school.id)) === 1);

    assert.equal((await primeB(school.id)).present, 1);
    expectStatus(await adminA.del(`/api/attendances/${checkout.id}`), 204);
    expectStatus(await adminA.del(`/api/attendances/${checkin.id}`), 204);
    await eventually('B no longer counts the user present', async () => (await presentOn(adminB, school.id)) === 0);
  });

  test('a settings change through A reaches the school snapshot B had cached', async () => {
    const { school, user } = await schoolWithUser();
    await record(adminA, { user_id: user.id, type: 'checkin', timestamp: at(kDay, 8) });
    await record(adminA, { user_id: user.id, type: 'checkout', timestamp: at(kDay, 11) }); // 3 hours
    assert.equal((await primeB(school.id)).present, 0, 'under the 4 hours of the default');
    expectStatus(await adminA.patch(`/api/schools/${school.id}`, { school: { min_daily_hours: 2.5 } }), 200);
    await eventually('B applies the new minimum', async () => (await presentOn(adminB, school.id)) === 1);
  });

  test("B's stream shows A's check-in, fever and occupancy; A shows it once", async () => {
    const { school } = await schoolWithUser();
    const user = await createUser(adminA, school.id, { name: 'Grace Hopper' });
    const onB = await watch(b, school.id);
    const onA = await watch(a, school.id);
    const ownBefore = sample(await metrics(adminA), 'attendance_cluster_notices_received_total', { from: 'self' });

    const checkin = await record(adminA, { user_id: user.id, type: 'checkin', temperature: 38.7 });
    const event = await onB.next((e) => e.event === 'attendance' && e.data.attendance.id === checkin.id, 'the check-in on B', kAtOnceMs);
    assert.equal(event.data.action, 'recorded');
    assert.deepEqual(event.data.attendance, checkin);
    const fever = await onB.waitFor((e) => e.event === 'fever' && e.data.id === checkin.id, 'the fever on B', kAtOnceMs);
    assert.equal(fever.data.user_name, 'Grace Hopper');
    await onB.waitFor((e) => e.event === 'occupancy' && e.data.checked_in_now === 1, 'occupancy 1 on B', kAtOnceMs);

    // A heard its own notice and skipped it: its subscriber saw the check-in exactly once.
    await eventually('A hears its own notice', async () =>
      sample(await metrics(adminA), 'attendance_cluster_notices_received_total', { from: 'self' }) > ownBefore);
    await onA.waitFor((e) => e.event === 'occupancy' && e.data.checked_in_now === 1, 'occupancy 1 on A');
    const seenOnA = (kind) => onA.events.filter((e) => e.event === kind && (e.data.id ?? e.data.attendance?.id) === checkin.id);
    assert.equal(seenOnA('attendance').length, 1);
    assert.equal(seenOnA('fever').length, 1);

    const checkout = await record(adminA, { user_id: user.id, type: 'checkout' });
    await onB.next((e) => e.event === 'attendance' && e.data.attendance.id === checkout.id, 'the check-out on B', kAtOnceMs);
    await onB.next((e) => e.event === 'occupancy' && e.data.checked_in_now === 0, 'occupancy 0 on B', kAtOnceMs);
    expectStatus(await adminA.del(`/api/attendances/${checkout.id}`), 204);
    const deleted = await onB.next((e) => e.event === 'attendance' && e.data.action === 'deleted', 'the deletion on B', kAtOnceMs);
    assert.equal(deleted.data.attendance.id, checkout.id);
  });

  test('a token revoked through A is refused by B', async () => {
    const school = await createSchool(adminA);
    const token = await createToken(adminA, 'school_admin', school.id);
    const onB = adminB.as(token.secret);
    expectStatus(await onB.get(`/api/schools/${school.id}`), 200);
    const noticesBefore = sample(await metrics(adminB), 'attendance_cluster_notices_received_total', { from: 'peer' });
    expectStatus(await adminA.del(`/api/tokens/${token.id}`), 204);
    await eventually('B refuses the revoked token', async () => (await onB.get(`/api/schools/${school.id}`)).status === 401);
    await eventually('B heard of it', async () =>
      sample(await metrics(adminB), 'attendance_cluster_notices_received_total', { from: 'peer' }) > noticesBefore);
  });

  test("a token revoked through A ends B's streams opened with it", async () => {
    const school = await createSchool(adminA);
    const token = await createToken(adminA, 'school_admin', school.id);
    const revoked = await openStream(b, school.id, token.secret);
    streams.push(revoked);
    const kept = await watch(b, school.id);  // the admin's
    await revoked.next((e) => e.event === 'occupancy', 'the first occupancy');
    expectStatus(await adminA.del(`/api/tokens/${token.id}`), 204);
    assert.equal(await revoked.waitForEnd(kAtOnceMs), true, "B ended the revoked token's stream");
    assert.equal(kept.ended, false, "the admin's stream goes on");
  });

  // Changes no process announced, as if their writer died between commit and NOTIFY.
  async function unannouncedDeletionOnB() {
    const { school, user } = await schoolWithUser();
    const checkin = await record(adminA, { user_id: user.id, type: 'checkin', timestamp: at(kDay, 8) });
    const checkout = await record(adminA, { user_id: user.id, type: 'checkout', timestamp: at(kDay, 14) });
    assert.equal((await primeB(school.id)).present, 1);
    psql(database.url, `DELETE FROM attendances WHERE id IN (${checkin.id}, ${checkout.id})`);
    assert.equal(await presentOn(adminB, school.id), 1, 'B still answers from its cache');
    return { school, user };
  }

  test('B, having lost its listening connection, reconnects and drops what it may have missed', async (t) => {
    const { school, user } = await unannouncedDeletionOnB();
    const reconnectsBefore = sample(await metrics(adminB), 'attendance_cluster_reconnects_total');
    // Every listening connection of this database is killed.
    const killed = psql(database.maintenanceUrl,
      `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = 'attendance-notifications' AND datname = '${database.name}'`);
    const killedAt = Date.now();
    assert.equal(killed, '2', 'one listener per process');

    await eventually('B reconnects', async () => sample(await metrics(adminB), 'attendance_cluster_reconnects_total') > reconnectsBefore);
    await ready(b);
    t.diagnostic(`B listening and ready again ${Date.now() - killedAt} ms after its listener was terminated`);
    assert.equal(await presentOn(adminB, school.id), 0, 'B recomputed the day');

    // And notices flow again, into the cache and the stream.
    const onB = await watch(b, school.id);
    const again = await record(adminA, { user_id: user.id, type: 'checkin', timestamp: at(kDay, 9) });
    await eventually('B counts the user present again', async () => (await presentOn(adminB, school.id)) === 1);
    await onB.next((e) => e.event === 'attendance' && e.data.attendance.id === again.id, 'the check-in on B', kAtOnceMs);
  });

  test('a process that starts tells the others to drop what they cached (its previous run may have died unannounced)', async () => {
    const { school } = await unannouncedDeletionOnB();
    const c = await startServer({ database: { ...database, drop: () => {} }, adminToken });
    try {
      await eventually('B recomputes the day', async () => (await presentOn(adminB, school.id)) === 0);
    } finally {
      await c.stop();
    }
  });

  test('a notice B cannot read (a newer version) makes B drop its cache rather than guess', async () => {
    const { school } = await unannouncedDeletionOnB();
    const before = sample(await metrics(adminB), 'attendance_cluster_notices_received_total', { from: 'unreadable' });
    psql(database.url, `NOTIFY attendance_changes, '{"v":2,"from":"a-newer-process","kind":"roster"}'`);
    await eventually('B recomputes the day', async () => (await presentOn(adminB, school.id)) === 0);
    assert.equal(sample(await metrics(adminB), 'attendance_cluster_notices_received_total', { from: 'unreadable' }), before + 1);
  });

  test("an offline batch of 500 events through A reaches B's cached day (measured)", async (t) => {
    const { school } = await schoolWithUser();
    const users = await Promise.all(Array.from({ length: 10 }, () => createUser(adminA, school.id, { enrolled_on: '2024-01-01' })));
    assert.equal((await primeB(school.id)).present, 0);
    // Per user 25 visits of 10 minutes, 12 minutes apart from 07:00: 4 h 10 min in all, present.
    const items = [];
    const clock = (minutes) => at(kDay, Math.floor(minutes / 60), minutes % 60);
    for (const user of users) {
      for (let k = 0; k < 25; k += 1) {
        items.push({ user_id: user.id, type: 'checkin', temperature: 36.6, timestamp: clock(420 + k * 12) });
        items.push({ user_id: user.id, type: 'checkout', temperature: 36.6, timestamp: clock(430 + k * 12) });
      }
    }
    const res = expectStatus(await adminA.post('/api/attendances/batch', { attendances: items }), 200);
    const answeredAt = Date.now();
    assert.deepEqual(new Set(res.json.data.map((outcome) => outcome.status)), new Set([201]), 'every event recorded');
    await eventually('B counts all ten present', async () => (await presentOn(adminB, school.id)) === 10);
    t.diagnostic(`a batch of ${items.length} events through A: B's aggregate of the day right ${Date.now() - answeredAt} ms after A's 200`);
  });

  test('a change reaches B within milliseconds (measured)', async (t) => {
    const { school } = await schoolWithUser();
    const user = await createUser(adminA, school.id);
    const onB = await watch(b, school.id);
    const latencies = [];
    for (let i = 0; i < 20; i += 1) {
      const startedAt = Date.now();
      const event = await record(adminA, { user_id: user.id, type: i % 2 === 0 ? 'checkin' : 'checkout' });
      const acknowledgedAt = Date.now();
      const seen = await onB.next((e) => e.event === 'attendance' && e.data.attendance.id === event.id, `event ${i} on B`, kAtOnceMs);
      latencies.push({ acknowledged: acknowledgedAt - startedAt, seen: seen.at - startedAt, afterAck: seen.at - acknowledgedAt });
    }
    const p50 = (key) => percentile(latencies.map((l) => l[key]), 50);
    const max = (key) => Math.max(...latencies.map((l) => l[key]));
    t.diagnostic(`20 writes through A: A's 201 after p50 ${p50('acknowledged')} ms (max ${max('acknowledged')}); ` +
      `the event on B's stream after p50 ${p50('seen')} ms (max ${max('seen')}), ` +
      `that is p50 ${p50('afterAck')} ms (max ${max('afterAck')}) after A's 201`);
    assert.ok(max('seen') < kAtOnceMs);
  });
});
