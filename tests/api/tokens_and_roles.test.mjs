// API tokens (create, list without secrets, revoke at once) and the role matrix: each role
// against each route, on its own school and on another school.
//   admin         everything
//   school_admin  its own school: read/update the school (not create/delete schools), CRUD its
//                 users, attendances and closures, read its aggregates
//   device        POST /api/attendances and GET /api/users, for its own school; everything else 403
// Objects of another school answer 404 exactly as if absent; lists never show them.

import assert from 'node:assert/strict';
import { describe as group, test } from 'node:test';
import { Api, describe, expectError, expectFieldError, expectStatus } from './support/client.mjs';
import { at, createSchool, createToken, createUser, kPng, listAll, record, unique, useServer } from './support/fixtures.mjs';

const w = {}; // the world: two schools with a user and an attendance each, and the tokens
const ctx = useServer({ setup: buildWorld });

async function buildWorld(ctx) {
  const admin = ctx.admin;
  w.A = await createSchool(admin, { name: unique('Own school') });
  w.B = await createSchool(admin, { name: unique('Other school') });
  w.uA = await createUser(admin, w.A.id);
  w.uB = await createUser(admin, w.B.id);
  w.aA = await record(admin, { user_id: w.uA.id, type: 'checkin', timestamp: at('2024-05-08', 8), image: kPng });
  w.aB = await record(admin, { user_id: w.uB.id, type: 'checkin', timestamp: at('2024-05-08', 8), image: kPng });
  w.tokens = {
    admin: ctx.server.adminToken,
    school_admin: (await createToken(admin, 'school_admin', w.A.id)).secret,
    device: (await createToken(admin, 'device', w.A.id)).secret,
  };
}

const as = (role) => ctx.admin.as(w.tokens[role]);
const schoolOf = (scope) => (scope === 'own' ? w.A : w.B);
let dateCounter = 0;
const nextDate = () => {
  dateCounter += 1;
  const d = new Date(Date.UTC(2030, 0, 1) + dateCounter * 86_400_000);
  return d.toISOString().slice(0, 10);
};
// A closure of the school on a date of its own, made by the admin: { date }.
const closureOn = async (school, reason) => {
  const date = nextDate();
  expectStatus(await ctx.admin.post(`/api/schools/${school.id}/closures`, { closure: { date, reason } }), 201);
  return { date };
};

// Each case: route, scope (own|other|none), per-role expected status, and optional
// prepare(scope) -> values for path/body, and check(res, role, scope) for what the body shows.
const cases = [
  { route: 'GET /api/schools', path: () => '/api/schools?limit=1000', expect: { admin: 200, school_admin: 200, device: 403 },
    check: (res, role) => {
      const ids = res.data.map((s) => s.id);
      if (role === 'admin') assert.ok(ids.includes(w.A.id) && ids.includes(w.B.id));
      else assert.deepEqual(ids, [w.A.id], 'a school_admin lists only its own school');
    } },
  { route: 'POST /api/schools', path: () => '/api/schools', body: () => ({ school: { name: unique('New') } }), expect: { admin: 201, school_admin: 403, device: 403 } },
  ...['own', 'other'].flatMap((scope) => [
    { route: 'GET /api/schools/{id}', scope, path: () => `/api/schools/${schoolOf(scope).id}`,
      expect: { admin: 200, school_admin: scope === 'own' ? 200 : 404, device: 403 } },
    ...['PATCH', 'PUT'].map((method) => ({
      route: `${method} /api/schools/{id}`, scope, path: () => `/api/schools/${schoolOf(scope).id}`, body: () => ({ school: { min_period_ratio: 0.8 } }),
      expect: { admin: 200, school_admin: scope === 'own' ? 200 : 404, device: 403 } })),
    // The school has users, so a wrong 2xx can't happen without cascade; a fresh one for admin.
    { route: 'DELETE /api/schools/{id}', scope, prepare: async (role) => (role === 'admin' ? { id: (await createSchool(ctx.admin)).id } : { id: schoolOf(scope).id }),
      path: (p) => `/api/schools/${p.id}`, expect: { admin: 204, school_admin: 403, device: 403 } },
    { route: 'GET /api/schools/{id}/closures', scope, path: () => `/api/schools/${schoolOf(scope).id}/closures`,
      expect: { admin: 200, school_admin: scope === 'own' ? 200 : 404, device: 403 } },
    { route: 'POST /api/schools/{id}/closures', scope, prepare: async () => ({ date: nextDate() }),
      path: () => `/api/schools/${schoolOf(scope).id}/closures`, body: (p) => ({ closure: { date: p.date, reason: 'Holiday' } }),
      expect: { admin: 201, school_admin: scope === 'own' ? 201 : 404, device: 403 } },
    { route: 'GET /api/schools/{id}/closures/{date}', scope,
      prepare: () => closureOn(schoolOf(scope), 'Inset day'),
      path: (p) => `/api/schools/${schoolOf(scope).id}/closures/${p.date}`,
      expect: { admin: 200, school_admin: scope === 'own' ? 200 : 404, device: 403 },
      check: (res) => assert.equal(res.data.reason, 'Inset day') },
    { route: 'DELETE /api/schools/{id}/closures/{date}', scope,
      prepare: () => closureOn(schoolOf(scope), 'Strike'),
      path: (p) => `/api/schools/${schoolOf(scope).id}/closures/${p.date}`,
      expect: { admin: 204, school_admin: scope === 'own' ? 204 : 404, device: 403 } },
    { route: 'GET /api/users?school_id=', scope, path: () => `/api/users?school_id=${schoolOf(scope).id}&limit=1000`,
      expect: { admin: 200, school_admin: 200, device: 200 },
      check: (res, role) => {
        const ids = res.data.map((u) => u.school_id);
        if (role !== 'admin' && scope === 'other') assert.deepEqual(res.data, [], 'another school\'s users are never listed');
        else assert.ok(ids.length > 0 && ids.every((id) => id === schoolOf(scope).id));
      } },
    { route: 'GET /api/users/{id}', scope, path: () => `/api/users/${(scope === 'own' ? w.uA : w.uB).id}`,
      expect: { admin: 200, school_admin: scope === 'own' ? 200 : 404, device: 403 } },
    ...['PATCH', 'PUT'].map((method) => ({
      route: `${method} /api/users/{id}`, scope, path: () => `/api/users/${(scope === 'own' ? w.uA : w.uB).id}`, body: () => ({ user: { name: unique('Renamed') } }),
      expect: { admin: 200, school_admin: scope === 'own' ? 200 : 404, device: 403 } })),
    { route: 'DELETE /api/users/{id}', scope, prepare: async () => ({ id: (await createUser(ctx.admin, schoolOf(scope).id)).id }),
      path: (p) => `/api/users/${p.id}`, expect: { admin: 204, school_admin: scope === 'own' ? 204 : 404, device: 403 },
      after: async (p, res) => {
        if (res.status !== 204) expectStatus(await ctx.admin.get(`/api/users/${p.id}`), 200, 'a refused delete leaves the user');
      } },
    { route: 'GET /api/attendances?school_id=', scope, path: () => `/api/attendances?school_id=${schoolOf(scope).id}&limit=1000`,
      expect: { admin: 200, school_admin: 200, device: 403 },
      check: (res, role) => {
        if (role !== 'admin' && scope === 'other') assert.deepEqual(res.data, [], 'another school\'s attendances are never listed');
        else assert.ok(res.data.length > 0 && res.data.every((a) => a.school_id === schoolOf(scope).id));
      } },
    { route: 'POST /api/attendances', scope, prepare: async () => ({ user: await createUser(ctx.admin, schoolOf(scope).id) }),
      path: () => '/api/attendances', body: (p) => ({ attendance: { user_id: p.user.id, type: 'checkin', temperature: 36.6, timestamp: at('2024-05-09', 8) } }),
      expect: { admin: 201, school_admin: scope === 'own' ? 201 : 422, device: scope === 'own' ? 201 : 422 },
      check: (res, role) => {
        if (res.status === 422) assert.deepEqual(res.json.errors.user_id, ['does not exist'], 'another school\'s user is answered as absent');
        else assert.equal(res.data.school_id, schoolOf(scope).id);
      } },
    { route: 'GET /api/attendances/{id}', scope, path: () => `/api/attendances/${(scope === 'own' ? w.aA : w.aB).id}`,
      expect: { admin: 200, school_admin: scope === 'own' ? 200 : 404, device: 403 } },
    { route: 'GET /api/attendances/{id}/image', scope, path: () => `/api/attendances/${(scope === 'own' ? w.aA : w.aB).id}/image`,
      expect: { admin: 200, school_admin: scope === 'own' ? 200 : 404, device: 403 } },
    { route: 'DELETE /api/attendances/{id}', scope,
      prepare: async () => {
        const user = await createUser(ctx.admin, schoolOf(scope).id);
        return { id: (await record(ctx.admin, { user_id: user.id, type: 'checkin', timestamp: at('2024-05-09', 8) })).id };
      },
      path: (p) => `/api/attendances/${p.id}`, expect: { admin: 204, school_admin: scope === 'own' ? 204 : 404, device: 403 },
      after: async (p, res) => {
        if (res.status !== 204) expectStatus(await ctx.admin.get(`/api/attendances/${p.id}`), 200, 'a refused delete leaves the attendance');
      } },
    { route: 'GET /api/attendances/aggregate/school/{id}', scope, path: () => `/api/attendances/aggregate/school/${schoolOf(scope).id}`,
      expect: { admin: 200, school_admin: scope === 'own' ? 200 : 404, device: 403 } },
  ]),
  { route: 'GET /api/users', path: () => '/api/users?limit=1000', expect: { admin: 200, school_admin: 200, device: 200 },
    check: (res, role) => {
      const schools = new Set(res.data.map((u) => u.school_id));
      if (role === 'admin') assert.ok(schools.has(w.A.id) && schools.has(w.B.id));
      else assert.deepEqual([...schools], [w.A.id], 'only the own school\'s users are listed');
    } },
  { route: 'POST /api/users', path: () => '/api/users',
    body: (p, role) => ({ user: role === 'admin' ? { name: unique('U'), school_id: w.A.id } : { name: unique('U') } }),
    expect: { admin: 201, school_admin: 201, device: 403 },
    check: (res) => assert.equal(res.data.school_id, w.A.id, 'a school_admin\'s user goes to its own school') },
  { route: 'POST /api/users (school_id of another school)', path: () => '/api/users',
    body: () => ({ user: { name: unique('U'), school_id: w.B.id } }),
    expect: { admin: 201, school_admin: 422, device: 403 },
    check: (res) => {
      if (res.status === 422) assert.deepEqual(res.json.errors.school_id, ['does not exist']);
    } },
  { route: 'GET /api/attendances', path: () => '/api/attendances?limit=1000', expect: { admin: 200, school_admin: 200, device: 403 },
    check: (res, role) => {
      const schools = new Set(res.data.map((a) => a.school_id));
      if (role === 'admin') assert.ok(schools.has(w.A.id) && schools.has(w.B.id));
      else assert.deepEqual([...schools], [w.A.id]);
    } },
  { route: 'GET /api/tokens', path: () => '/api/tokens', expect: { admin: 200, school_admin: 403, device: 403 } },
  { route: 'POST /api/tokens', path: () => '/api/tokens', body: () => ({ token: { name: unique('minted'), role: 'admin' } }),
    expect: { admin: 201, school_admin: 403, device: 403 } },
  { route: 'GET /api/tokens/{id}', prepare: async () => createToken(ctx.admin, 'device', w.A.id),
    path: (p) => `/api/tokens/${p.id}`, expect: { admin: 200, school_admin: 403, device: 403 },
    check: (res) => assert.equal(res.data.secret, undefined, 'a shown token never carries its secret') },
  { route: 'DELETE /api/tokens/{id}', prepare: async () => createToken(ctx.admin, 'device', w.A.id),
    path: (p) => `/api/tokens/${p.id}`, expect: { admin: 204, school_admin: 403, device: 403 },
    after: async (p, res) => {
      const probe = await ctx.admin.as(p.secret).get('/api/users');
      expectStatus(probe, res.status === 204 ? 401 : 200, 'the token works until revoked');
    } },
];

group('role matrix', () => {
  for (const c of cases) {
    const [method] = c.route.split(' ');
    for (const role of ['admin', 'school_admin', 'device']) {
      const expected = c.expect[role];
      test(`${role} ${c.route}${c.scope ? ` (${c.scope} school)` : ''} -> ${expected}`, async () => {
        const prepared = c.prepare ? await c.prepare(role) : {};
        const api = as(role);
        const path = c.path(prepared);
        const body = c.body ? c.body(prepared, role) : undefined;
        const res = await api.request(method, path, body);
        expectStatus(res, expected);
        if (expected === 403) assert.deepEqual(res.json, { errors: { detail: 'Forbidden' } }, describe(res));
        if (expected === 404) assert.deepEqual(res.json, { errors: { detail: 'Not Found' } }, describe(res));
        if (c.check && (expected < 300 || expected === 422)) c.check(res, role);
        if (c.after) await c.after(prepared, res);
      });
    }
  }

  test('another school\'s object answers exactly like a missing one', async () => {
    const sa = as('school_admin');
    for (const [other, missing] of [
      [`/api/schools/${w.B.id}`, '/api/schools/987654321'],
      [`/api/users/${w.uB.id}`, '/api/users/987654321'],
      [`/api/attendances/${w.aB.id}`, '/api/attendances/987654321'],
      [`/api/attendances/${w.aB.id}/image`, '/api/attendances/987654321/image'],
    ]) {
      const a = await sa.get(other);
      const b = await sa.get(missing);
      assert.deepEqual([a.status, a.json], [b.status, b.json], `${other} vs ${missing}`);
    }
    const a = await sa.post('/api/users', { user: { name: 'X', school_id: w.B.id } });
    const b = await sa.post('/api/users', { user: { name: 'X', school_id: 987654321 } });
    assert.deepEqual([a.status, a.json], [b.status, b.json]);
  });

  test('the health routes need no token for any role', async () => {
    for (const role of ['admin', 'school_admin', 'device']) {
      expectStatus(await as(role).get('/healthz'), 200);
      expectStatus(await as(role).get('/readyz'), 200);
    }
  });
});

group('authentication', () => {
  const routes = () => [
    ['GET', '/api/schools'], ['POST', '/api/schools'], ['GET', `/api/schools/${w.A.id}`], ['PATCH', `/api/schools/${w.A.id}`],
    ['PUT', `/api/schools/${w.A.id}`], ['DELETE', `/api/schools/${w.A.id}`], ['GET', `/api/schools/${w.A.id}/closures`],
    ['POST', `/api/schools/${w.A.id}/closures`], ['DELETE', `/api/schools/${w.A.id}/closures/2030-01-01`],
    ['GET', '/api/users'], ['POST', '/api/users'], ['GET', `/api/users/${w.uA.id}`], ['PATCH', `/api/users/${w.uA.id}`],
    ['PUT', `/api/users/${w.uA.id}`], ['DELETE', `/api/users/${w.uA.id}`], ['GET', '/api/attendances'], ['POST', '/api/attendances'],
    ['GET', `/api/attendances/${w.aA.id}`], ['DELETE', `/api/attendances/${w.aA.id}`], ['GET', `/api/attendances/${w.aA.id}/image`],
    ['GET', `/api/attendances/aggregate/school/${w.A.id}`], ['GET', '/api/tokens'], ['POST', '/api/tokens'], ['DELETE', '/api/tokens/1'],
  ];
  const bodies = { POST: {}, PATCH: {}, PUT: {} };

  for (const [what, token, headers] of [
    ['no Authorization header', null, {}],
    ['an unknown bearer secret', 'definitely-not-a-real-secret-0123456789', {}],
    ['an empty bearer secret', null, { authorization: 'Bearer ' }],
    ['a Basic scheme', null, { authorization: `Basic ${Buffer.from('admin:admin').toString('base64')}` }],
  ]) {
    test(`every /api route answers 401 to ${what}`, async () => {
      const api = new Api(ctx.server, token);
      const wrong = [];
      for (const [method, path] of routes()) {
        const res = await api.request(method, path, bodies[method], { headers });
        if (res.status !== 401 || JSON.stringify(res.json) !== '{"errors":{"detail":"Unauthorized"}}') wrong.push(describe(res));
      }
      assert.deepEqual(wrong, [], 'every route answers 401 {"errors":{"detail":"Unauthorized"}}');
      // Nothing was changed by the refused requests.
      expectStatus(await ctx.admin.get(`/api/users/${w.uA.id}`), 200);
      expectStatus(await ctx.admin.get(`/api/attendances/${w.aA.id}`), 200);
    });
  }

  test('the admin secret given with a different case is refused', async () => {
    const secret = ctx.server.adminToken;
    const flipped = secret.toUpperCase() === secret ? secret.toLowerCase() : secret.toUpperCase();
    expectError(await ctx.admin.as(flipped).get('/api/schools'), 401, 'Unauthorized');
  });
});

group('tokens', () => {
  test('POST /api/tokens answers 201 with the secret once; the list never shows secrets', async () => {
    const name = unique('kiosk');
    const res = expectStatus(await ctx.admin.post('/api/tokens', { token: { name, role: 'device', school_id: w.A.id } }), 201);
    const t = res.data;
    assert.equal(res.headers.get('location'), `/api/tokens/${t.id}`);
    assert.deepEqual({ name: t.name, role: t.role, school_id: t.school_id, revoked_at: t.revoked_at }, { name, role: 'device', school_id: w.A.id, revoked_at: null });
    assert.ok(typeof t.secret === 'string' && t.secret.length >= 16);
    const list = await listAll(ctx.admin, '/api/tokens');
    const listed = list.find((x) => x.id === t.id);
    assert.ok(listed, 'the new token is listed');
    assert.ok(!('secret' in listed));
    assert.ok(!JSON.stringify(list).includes(t.secret), 'no secret anywhere in the list');
    // It works with its role's rights.
    expectStatus(await ctx.admin.as(t.secret).get('/api/users'), 200);
    expectError(await ctx.admin.as(t.secret).get('/api/schools'), 403, 'Forbidden');
  });

  test('a bare body is accepted and each token gets its own secret', async () => {
    const a = expectStatus(await ctx.admin.post('/api/tokens', { name: unique('t'), role: 'school_admin', school_id: w.A.id }), 201).data;
    const b = expectStatus(await ctx.admin.post('/api/tokens', { name: unique('t'), role: 'school_admin', school_id: w.A.id }), 201).data;
    assert.notEqual(a.secret, b.secret);
  });

  test('an admin token has no school and reaches every school', async () => {
    const t = expectStatus(await ctx.admin.post('/api/tokens', { token: { name: unique('ops'), role: 'admin' } }), 201).data;
    assert.equal(t.school_id, null);
    const other = ctx.admin.as(t.secret);
    expectStatus(await other.get(`/api/schools/${w.B.id}`), 200);
    expectStatus(await other.get('/api/tokens'), 200);
  });

  test('an admin token with a school_id is a 422 on school_id', async () => {
    expectFieldError(await ctx.admin.post('/api/tokens', { token: { name: unique('t'), role: 'admin', school_id: w.A.id } }), 'school_id');
  });

  for (const role of ['school_admin', 'device']) {
    test(`a ${role} token needs an existing school_id`, async () => {
      expectFieldError(await ctx.admin.post('/api/tokens', { token: { name: unique('t'), role } }), 'school_id');
      expectFieldError(await ctx.admin.post('/api/tokens', { token: { name: unique('t'), role, school_id: 987654321 } }), 'school_id');
    });
  }

  test('an unknown role is a 422 on role; a missing name a 422 on name', async () => {
    expectFieldError(await ctx.admin.post('/api/tokens', { token: { name: unique('t'), role: 'root' } }), 'role');
    expectFieldError(await ctx.admin.post('/api/tokens', { token: { name: unique('t') } }), 'role');
    expectFieldError(await ctx.admin.post('/api/tokens', { token: { role: 'device', school_id: w.A.id } }), 'name');
  });

  test('DELETE revokes at once: the next request with the secret is 401, the list shows revoked_at', async () => {
    const t = await createToken(ctx.admin, 'school_admin', w.A.id);
    const api = ctx.admin.as(t.secret);
    expectStatus(await api.get(`/api/schools/${w.A.id}`), 200);
    const res = expectStatus(await ctx.admin.del(`/api/tokens/${t.id}`), 204);
    assert.equal(res.text, '');
    expectError(await api.get(`/api/schools/${w.A.id}`), 401, 'Unauthorized');
    expectError(await api.get('/api/users'), 401, 'Unauthorized');
    const listed = (await listAll(ctx.admin, '/api/tokens')).find((x) => x.id === t.id);
    assert.ok(listed && listed.revoked_at !== null, `revoked_at set: ${JSON.stringify(listed)}`);
    assert.ok(Math.abs(Date.parse(listed.revoked_at) - Date.now()) < 60_000);
  });

  test('revoking a token used on a kept-alive connection takes effect on that connection too', async () => {
    const t = await createToken(ctx.admin, 'device', w.A.id);
    const api = ctx.admin.as(t.secret);
    // fetch keeps connections alive between requests; the server must check the token every time.
    for (let i = 0; i < 3; i += 1) expectStatus(await api.get('/api/users'), 200);
    expectStatus(await ctx.admin.del(`/api/tokens/${t.id}`), 204);
    for (let i = 0; i < 3; i += 1) expectError(await api.get('/api/users'), 401, 'Unauthorized');
  });

  test('revoking a missing token is 404', async () => {
    expectError(await ctx.admin.del('/api/tokens/987654321'), 404, 'Not Found');
  });

  test('the Location of a minted token answers GET with the token, never its secret; revoked, it shows revoked_at', async () => {
    const created = expectStatus(await ctx.admin.post('/api/tokens', { token: { name: unique('kiosk'), role: 'device', school_id: w.A.id } }), 201);
    const location = created.headers.get('location');
    const shown = expectStatus(await ctx.admin.get(location), 200).data;
    const { secret, ...listed } = created.data;
    assert.deepEqual(shown, listed);
    assert.ok(!JSON.stringify(shown).includes(secret));
    expectStatus(await ctx.admin.del(location), 204);
    assert.notEqual(expectStatus(await ctx.admin.get(location), 200).data.revoked_at, null);
    expectError(await ctx.admin.get('/api/tokens/987654321'), 404, 'Not Found');
  });
});
