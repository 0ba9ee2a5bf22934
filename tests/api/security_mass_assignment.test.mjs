// OWASP API3 (broken object property level authorization): a body can set only the fields its
// input schema documents. Every field the server owns (in the spec's response schema but not in
// the route's input schema: ids, inserted_at, updated_at, a closure's school, an event's fever and
// image_url, a token's secret and revoked_at) is ignored on every create and update route; users
// never move to another school, a school_admin can't reach another school through a body, and an
// event's school is its user's. (Responses hold no undocumented property: the spec's schemas are
// closed, and support/client.mjs checks every response against them.)

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe as group, test } from 'node:test';
import { describe, expectError, expectFieldError, expectStatus } from './support/client.mjs';
import { at, createSchool, createToken, createUser, listAll, record, unique, useServer } from './support/fixtures.mjs';
import { spec } from './support/openapi.mjs';
import { servedRoutes, takesBody } from './support/routes.mjs';

const w = {};
const ctx = useServer({ setup: buildWorld });

async function buildWorld(c) {
  w.A = await createSchool(c.admin, { name: unique('Own') });
  w.B = await createSchool(c.admin, { name: unique('Other') });
  w.uA = await createUser(c.admin, w.A.id);
  w.uB = await createUser(c.admin, w.B.id);
  w.schoolAdmin = c.admin.as((await createToken(c.admin, 'school_admin', w.A.id)).secret);
  w.device = c.admin.as((await createToken(c.admin, 'device', w.A.id)).secret);
}

let day = 0;
const nextDay = () => {
  day += 1;
  return new Date(Date.UTC(2024, 0, 1) + day * 86_400_000).toISOString().slice(0, 10);
};

// Each body route: how to send a valid body (base) and read back what was stored.
const routes = {
  'POST /api/schools': { resource: 'school', schemas: ['SchoolCreateInput', 'School'], path: () => '/api/schools', base: () => ({ name: unique('S') }) },
  'PATCH /api/schools/{}': { resource: 'school', schemas: ['SchoolInput', 'School'], path: () => `/api/schools/${w.A.id}`, base: () => ({}), existing: () => `/api/schools/${w.A.id}` },
  'PUT /api/schools/{}': { resource: 'school', schemas: ['SchoolInput', 'School'], path: () => `/api/schools/${w.A.id}`, base: () => ({}), existing: () => `/api/schools/${w.A.id}` },
  'POST /api/schools/{}/closures': { resource: 'closure', schemas: ['ClosureInput', 'Closure'], path: () => `/api/schools/${w.A.id}/closures`, base: () => ({ date: nextDay() }) },
  'POST /api/users': { resource: 'user', schemas: ['UserCreateInput', 'User'], path: () => '/api/users', base: () => ({ name: unique('U'), school_id: w.A.id }) },
  'PATCH /api/users/{}': { resource: 'user', schemas: ['UserInput', 'User'], path: () => `/api/users/${w.uA.id}`, base: () => ({}), existing: () => `/api/users/${w.uA.id}` },
  'PUT /api/users/{}': { resource: 'user', schemas: ['UserInput', 'User'], path: () => `/api/users/${w.uA.id}`, base: () => ({}), existing: () => `/api/users/${w.uA.id}` },
  'POST /api/attendances': {
    resource: 'attendance', schemas: ['AttendanceInput', 'Attendance'], path: () => '/api/attendances',
    base: () => ({ user_id: w.uA.id, type: 'checkin', temperature: 36.6, timestamp: at(nextDay(), 8) }),
  },
  'POST /api/attendances/batch': {
    resource: 'attendances', batch: true, schemas: ['AttendanceInput', 'Attendance'], path: () => '/api/attendances/batch',
    base: () => ({ user_id: w.uA.id, type: 'checkin', temperature: 36.6, timestamp: at(nextDay(), 8) }),
  },
  'POST /api/tokens': { resource: 'token', schemas: ['TokenInput', 'TokenWithSecret'], path: () => '/api/tokens', base: () => ({ name: unique('T'), role: 'device', school_id: w.A.id }) },
};

function propertiesOf(name) {
  const schema = spec.components.schemas[name];
  const parts = schema.allOf ? schema.allOf.map((p) => (p.$ref ? spec.components.schemas[p.$ref.split('/').pop()] : p)) : [schema];
  return parts.flatMap((p) => Object.keys(p.properties ?? {}));
}

// The value an attacker would like each server-owned field to take.
const kPast = '2001-01-01T00:00:00Z';
const hostile = {
  id: () => 424242,
  inserted_at: () => kPast,
  updated_at: () => kPast,
  revoked_at: () => kPast,
  school_id: () => w.B.id,
  fever: () => true,
  image_url: () => '/api/attendances/1/image',
  secret: () => `chosen-${unique('secret').replace(/\W/g, '')}-0123456789abcdef`,
};

test('every body route has a mass-assignment case, and every server-owned field a hostile value', async () => {
  const served = (await servedRoutes()).filter(takesBody);
  assert.deepEqual(served.filter((r) => !(r in routes)), [], 'a body route without a case here');
  for (const r of Object.values(routes)) {
    const [input, output] = r.schemas;
    const owned = propertiesOf(output).filter((f) => !propertiesOf(input).includes(f));
    assert.deepEqual(owned.filter((f) => !(f in hostile)), [], `${output}: a server-owned field without a hostile value`);
  }
});

group('server-owned fields in a body are ignored', () => {
  for (const [route, r] of Object.entries(routes)) {
    const [input, output] = r.schemas;
    const method = route.split(' ')[0];
    test(`${route}: ${output} fields not in ${input} keep the server's values`, async () => {
      const owned = propertiesOf(output).filter((f) => !propertiesOf(input).includes(f));
      assert.ok(owned.length > 0);
      const before = r.existing ? expectStatus(await ctx.admin.get(r.existing()), 200).data : null;
      const values = Object.fromEntries(owned.map((f) => [f, hostile[f]()]));
      const fields = { ...r.base(), ...values, secret_hash: createHash('sha256').update(String(values.secret)).digest('hex') };
      const res = await ctx.admin.request(method, r.path(), r.batch ? { attendances: [fields] } : { [r.resource]: fields });
      expectStatus(res, r.batch ? 200 : (r.existing ? 200 : 201));
      const stored = r.batch ? res.data[0].data : res.data;
      assert.ok(stored, describe(res));
      for (const field of owned) {
        assert.notDeepEqual(stored[field], values[field], `${field} was taken from the body\n  ${describe(res)}`);
        if (before && field !== 'updated_at') assert.deepEqual(stored[field], before[field], `${field} changed\n  ${describe(res)}`);
      }
      for (const stamp of ['inserted_at', 'updated_at'].filter((f) => owned.includes(f) && !before)) {
        assert.ok(Math.abs(Date.parse(stored[stamp]) - Date.now()) < 300_000, `${stamp} is now: ${stored[stamp]}`);
      }
      if (owned.includes('id') && !before) expectStatus(await ctx.admin.request('GET', `${r.path().replace(/\/batch$/, '')}/424242`), [404, 405]);
      if (owned.includes('school_id')) assert.equal(stored.school_id, w.A.id, 'the path\'s school, not the body\'s');
      if (owned.includes('secret')) {
        expectError(await ctx.admin.as(values.secret).get('/api/users'), 401, 'Unauthorized');
        expectStatus(await ctx.admin.as(stored.secret).get('/api/users'), 200, 'the issued secret works: revoked_at was ignored');
      }
    });
  }

  test('a closure posted under school A with school B in its body is stored for A only', async () => {
    const date = nextDay();
    expectStatus(await w.schoolAdmin.post(`/api/schools/${w.A.id}/closures`, { closure: { date, school_id: w.B.id } }), 201);
    const ofB = expectStatus(await ctx.admin.get(`/api/schools/${w.B.id}/closures`), 200).data;
    assert.ok(!ofB.some((c) => c.date === date), 'school B got no closure');
    const ofA = expectStatus(await ctx.admin.get(`/api/schools/${w.A.id}/closures`), 200).data;
    assert.ok(ofA.some((c) => c.date === date));
  });
});

group('users never change school', () => {
  for (const method of ['PATCH', 'PUT']) {
    for (const role of ['school_admin', 'admin']) {
      test(`${role}: ${method} /api/users/{id} with another school_id is a 422 and the user stays`, async () => {
        const api = role === 'admin' ? ctx.admin : w.schoolAdmin;
        const user = await createUser(ctx.admin, w.A.id);
        const res = await api.request(method, `/api/users/${user.id}`, { user: { school_id: w.B.id, name: 'Moved' } });
        expectFieldError(res, 'school_id', "can't be changed");
        assert.deepEqual(expectStatus(await ctx.admin.get(`/api/users/${user.id}`), 200).data, user, 'nothing of the user changed');
        const ofB = await listAll(ctx.admin, `/api/users?school_id=${w.B.id}`);
        assert.ok(!ofB.some((u) => u.id === user.id));
        // Its own school_id is fine (a client echoing the record back).
        expectStatus(await api.request(method, `/api/users/${user.id}`, { user: { school_id: w.A.id } }), 200);
      });
    }
  }

  test('a school_admin can\'t create a user in another school through school_id', async () => {
    const before = await listAll(ctx.admin, `/api/users?school_id=${w.B.id}`);
    expectFieldError(await w.schoolAdmin.post('/api/users', { user: { name: unique('Planted'), school_id: w.B.id } }), 'school_id', 'does not exist');
    assert.deepEqual(await listAll(ctx.admin, `/api/users?school_id=${w.B.id}`), before);
  });
});

group('tokens and events', () => {
  test('a school_admin or device can\'t mint any token, for its own school or another, nor an admin one', async () => {
    const before = await listAll(ctx.admin, '/api/tokens');
    for (const api of [w.schoolAdmin, w.device]) {
      for (const token of [{ role: 'admin' }, { role: 'school_admin', school_id: w.A.id }, { role: 'device', school_id: w.B.id }, { role: 'school_admin', school_id: w.B.id }]) {
        expectError(await api.post('/api/tokens', { token: { name: unique('minted'), ...token } }), 403, 'Forbidden');
      }
    }
    assert.deepEqual(await listAll(ctx.admin, '/api/tokens'), before);
  });

  test('an event\'s school_id can\'t differ from its user\'s, single or in a batch, for any role', async () => {
    for (const api of [ctx.admin, w.schoolAdmin, w.device]) {
      const event = { user_id: w.uA.id, school_id: w.B.id, type: 'checkin', temperature: 36.6, timestamp: at(nextDay(), 8) };
      expectFieldError(await api.post('/api/attendances', { attendance: event }), 'school_id', "is not the user's school");
      const batch = expectStatus(await api.post('/api/attendances/batch', { attendances: [event] }), 200);
      assert.equal(batch.data[0].status, 422);
      assert.deepEqual(batch.data[0].errors.school_id, ["is not the user's school"]);
    }
    const ofB = await listAll(ctx.admin, `/api/attendances?school_id=${w.B.id}`);
    assert.deepEqual(ofB, [], 'nothing was recorded for school B');
  });

  test('a device can\'t create or change schools, users or tokens, and a refused write stores nothing', async () => {
    const snapshot = async () => JSON.stringify([await listAll(ctx.admin, '/api/schools'), await listAll(ctx.admin, '/api/users'), await listAll(ctx.admin, '/api/tokens')]);
    const before = await snapshot();
    for (const [method, path, body] of [
      ['POST', '/api/schools', { school: { name: unique('S') } }],
      ['PATCH', `/api/schools/${w.A.id}`, { school: { fever_threshold: 30 } }],
      ['POST', '/api/users', { user: { name: unique('U') } }],
      ['PATCH', `/api/users/${w.uA.id}`, { user: { name: 'Renamed by a kiosk' } }],
      ['DELETE', `/api/users/${w.uA.id}`],
      ['POST', '/api/tokens', { token: { name: unique('T'), role: 'device', school_id: w.A.id } }],
      ['POST', `/api/schools/${w.A.id}/closures`, { closure: { date: nextDay() } }],
    ]) {
      expectError(await w.device.request(method, path, body), 403, 'Forbidden');
    }
    assert.equal(await snapshot(), before);
  });

  test('an event recorded by a device belongs to the user\'s school whatever the body says', async () => {
    const event = await record(w.device, { user_id: w.uA.id, type: 'checkin', timestamp: at(nextDay(), 8), school_id: w.A.id, fever: true, id: 1 });
    assert.equal(event.school_id, w.A.id);
    assert.equal(event.fever, false);
    assert.notEqual(event.id, 1);
  });
});
