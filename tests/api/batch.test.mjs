// POST /api/attendances/batch: an offline client's events, each with its own outcome, applied in
// timestamp order per user, safe to retry through client_id.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describe, expectFieldError, expectStatus } from './support/client.mjs';
import { at, createSchool, createToken, createUser, listAll, unique, useServer } from './support/fixtures.mjs';

const DAY = '2024-05-08';
const w = {};
const ctx = useServer({ setup: buildWorld });

async function buildWorld(ctx) {
  w.A = await createSchool(ctx.admin, { name: unique('Batch school') });
  w.B = await createSchool(ctx.admin, { name: unique('Other school') });
  w.tokens = {
    school_admin: (await createToken(ctx.admin, 'school_admin', w.A.id)).secret,
    device: (await createToken(ctx.admin, 'device', w.A.id)).secret,
  };
}

const userOf = (school = w.A) => createUser(ctx.admin, school.id);
const batch = (attendances, api = ctx.admin) => api.post('/api/attendances/batch', { attendances });
const eventsOf = (userId) => listAll(ctx.admin, `/api/attendances?user_id=${userId}`);
const item = (attrs) => ({ temperature: 36.6, ...attrs });

// The outcomes of a 200 batch answer, checked to be one per item in the request's order.
function outcomes(res, count) {
  expectStatus(res, 200);
  assert.equal(res.data.length, count, describe(res));
  res.data.forEach((o, i) => assert.equal(o.index, i, describe(res)));
  return res.data;
}

test('valid and invalid items each get their own outcome; failed items store nothing', async () => {
  const u = await userOf();
  const res = await batch([
    item({ user_id: u.id, type: 'checkin', timestamp: at(DAY, 8) }),
    item({ user_id: u.id, type: 'checkin', temperature: 99, timestamp: at(DAY, 9) }),
    'not an object',
    item({ user_id: u.id, type: 'checkin', timestamp: at(DAY, 10) }),
    item({ user_id: u.id, type: 'checkout', timestamp: at(DAY, 11) }),
  ]);
  const out = outcomes(res, 5);
  assert.deepEqual(out.map((o) => o.status), [201, 422, 422, 409, 201], describe(res));
  assert.ok(out[1].errors.temperature, describe(res));
  assert.equal(out[3].errors.detail, 'Conflict');
  assert.match(out[3].errors.type.join(' '), new RegExp(`\\b${out[0].data.id}\\b`));
  const stored = await eventsOf(u.id);
  assert.deepEqual(stored.map((a) => a.id).sort(), [out[0].data.id, out[4].data.id].sort());
});

test('one user\'s events are applied in timestamp order, whatever their order in the batch', async () => {
  const u = await userOf();
  const v = await userOf();
  const out = outcomes(await batch([
    item({ user_id: u.id, type: 'checkout', timestamp: at(DAY, 12) }),
    item({ user_id: v.id, type: 'checkout', timestamp: at(DAY, 17) }),
    item({ user_id: u.id, type: 'checkin', timestamp: at(DAY, 8) }),
    item({ user_id: v.id, type: 'checkin', timestamp: at(DAY, 9) }),
  ]), 4);
  assert.deepEqual(out.map((o) => o.status), [201, 201, 201, 201]);
  assert.deepEqual([out[0].data.type, out[0].data.timestamp], ['checkout', `${DAY}T12:00:00Z`]);
  const events = await listAll(ctx.admin, `/api/attendances?user_id=${u.id}`);
  assert.deepEqual(events.map((a) => a.type).sort(), ['checkin', 'checkout']);
});

test('a retry of the whole batch answers 200 with the stored events and stores nothing new', async () => {
  const u = await userOf();
  const v = await userOf();
  const key = unique('offline');
  const items = [
    item({ user_id: u.id, type: 'checkout', timestamp: at(DAY, 16), client_id: `${key}-1` }),
    item({ user_id: u.id, type: 'checkin', timestamp: at(DAY, 7), client_id: `${key}-2` }),
    item({ user_id: v.id, type: 'checkin', timestamp: at(DAY, 7, 30), client_id: `${key}-3` }),
  ];
  const first = outcomes(await batch(items), 3);
  assert.deepEqual(first.map((o) => o.status), [201, 201, 201]);
  const again = outcomes(await batch(items), 3);
  assert.deepEqual(again.map((o) => o.status), [200, 200, 200]);
  assert.deepEqual(again.map((o) => o.data), first.map((o) => o.data));
  assert.equal((await eventsOf(u.id)).length, 2);
  assert.equal((await eventsOf(v.id)).length, 1);
});

test('a client_id already stored by the single endpoint is a 200 in a batch', async () => {
  const u = await userOf();
  const client_id = unique('single');
  const single = expectStatus(await ctx.admin.post('/api/attendances',
    { attendance: item({ user_id: u.id, type: 'checkin', timestamp: at(DAY, 8), client_id }) }), 201).data;
  const out = outcomes(await batch([item({ user_id: u.id, type: 'checkin', timestamp: at(DAY, 8), client_id })]), 1);
  assert.equal(out[0].status, 200);
  assert.deepEqual(out[0].data, single);
});

test('the batch itself: not an array or more than 1000 items is a 422 on attendances; empty is fine', async () => {
  const u = await userOf();
  expectFieldError(await ctx.admin.post('/api/attendances/batch', {}), 'attendances');
  expectFieldError(await ctx.admin.post('/api/attendances/batch', { attendances: { user_id: u.id } }), 'attendances');
  const many = Array.from({ length: 1001 }, (_, i) => item({ user_id: u.id, type: 'checkin', timestamp: at(DAY, 8, 0, i % 60) }));
  expectFieldError(await batch(many), 'attendances');
  assert.equal((await eventsOf(u.id)).length, 0);
  outcomes(await batch([]), 0);
  expectStatus(await ctx.admin.post('/api/attendances/batch', undefined, { raw: '[1, 2]' }), 400);
});

test('1000 items are accepted', async () => {
  const users = await Promise.all(Array.from({ length: 4 }, () => userOf()));
  const items = [];
  for (let i = 0; i < 1000; ++i) {
    const u = users[i % 4];
    const n = Math.floor(i / 4); // 250 events per user: 125 days of checkin 08:00, checkout 16:00
    const day = new Date(Date.UTC(2023, 0, 1) + Math.floor(n / 2) * 86_400_000).toISOString().slice(0, 10);
    items.push(item({ user_id: u.id, type: n % 2 === 0 ? 'checkin' : 'checkout', timestamp: at(day, n % 2 === 0 ? 8 : 16) }));
  }
  const out = outcomes(await batch(items.reverse()), 1000);
  assert.ok(out.every((o) => o.status === 201), JSON.stringify(out.filter((o) => o.status !== 201).slice(0, 3)));
  assert.equal((await eventsOf(users[0].id)).length, 250);
});

test('a user of another school does not exist for a school_admin or device; admin reaches every school', async () => {
  const own = await userOf(w.A);
  const other = await userOf(w.B);
  for (const role of ['school_admin', 'device']) {
    const api = ctx.admin.as(w.tokens[role]);
    const out = outcomes(await batch([
      item({ user_id: other.id, type: 'checkin', timestamp: at(DAY, role === 'device' ? 9 : 8) }),
      item({ user_id: own.id, type: role === 'device' ? 'checkout' : 'checkin', timestamp: at(DAY, role === 'device' ? 9 : 8) }),
    ], api), 2);
    assert.equal(out[0].status, 422);
    assert.deepEqual(out[0].errors, { user_id: ['does not exist'] });
    assert.equal(out[1].status, 201, JSON.stringify(out));
  }
  assert.equal((await eventsOf(other.id)).length, 0);
  const out = outcomes(await batch([item({ user_id: other.id, type: 'checkin', timestamp: at(DAY, 8) })]), 1);
  assert.equal(out[0].status, 201);
});

test('a batch needs a token', async () => {
  expectStatus(await ctx.admin.post('/api/attendances/batch', { attendances: [] }, { token: null }), 401);
});

test('recorded events show up in GET /api/attendances and GET /api/attendances/:id', async () => {
  const u = await userOf();
  const out = outcomes(await batch([
    item({ user_id: u.id, type: 'checkin', timestamp: at(DAY, 8) }),
    item({ user_id: u.id, type: 'checkout', timestamp: at(DAY, 15) }),
  ]), 2);
  const listed = await listAll(ctx.admin, `/api/attendances?user_id=${u.id}`);
  assert.deepEqual(listed.map((a) => a.id).sort(), out.map((o) => o.data.id).sort());
  for (const o of out) assert.deepEqual(expectStatus(await ctx.admin.get(`/api/attendances/${o.data.id}`), 200).data, o.data);
});
