// OWASP API1 (broken object level authorization) and API5 (function level), generated from the
// server's route table: for EVERY route, a school_admin and a device token of school A ask for
// school B's objects (its school, user, attendance, image, closure, fever events, stream,
// aggregate, token) and for ids that do not exist. The two answers must be the same (status and
// body: another school's object is answered exactly as a missing one), with the status the role
// gets, and school B must be unchanged afterwards. A route without a case here fails the suite.
// (tokens_and_roles.test.mjs holds the matrix of each role on its own school.)

import assert from 'node:assert/strict';
import { describe as group, test } from 'node:test';
import { describe, expectStatus } from './support/client.mjs';
import { at, createSchool, createToken, createUser, kPng, listAll, record, unique, useServer } from './support/fixtures.mjs';
import { servedRoutes } from './support/routes.mjs';

const kDay = '2024-05-08';
const kClosureDay = '2031-03-03';
const kStreamTimeoutMs = 5_000;

const w = {}; // the world: schools A and B, each with a user, an attendance, a closure, a token
const ctx = useServer({ setup: buildWorld });

async function objectsOf(admin, school) {
  const user = await createUser(admin, school.id);
  const attendance = await record(admin, { user_id: user.id, type: 'checkin', timestamp: at(kDay, 8), temperature: 38.6, image: kPng });
  expectStatus(await admin.post(`/api/schools/${school.id}/closures`, { closure: { date: kClosureDay, reason: 'Holiday' } }), 201);
  const token = await createToken(admin, 'device', school.id);
  return { school: school.id, user: user.id, attendance: attendance.id, date: kClosureDay, token: token.id };
}

async function buildWorld(c) {
  w.A = await objectsOf(c.admin, await createSchool(c.admin, { name: unique('School A') }));
  w.B = await objectsOf(c.admin, await createSchool(c.admin, { name: unique('School B') }));
  // Ids nothing has: what "another school's object" must look like.
  w.missing = { school: 987654321, user: 987654322, attendance: 987654323, date: kClosureDay, token: 987654324 };
  w.tokens = {
    school_admin: (await createToken(c.admin, 'school_admin', w.A.school)).secret,
    device: (await createToken(c.admin, 'device', w.A.school)).secret,
  };
}

// Per served route: requests built from a school's objects `o` (B's, or the missing ids), and the
// status each role of school A gets (F: forbidden to the role). A list of builders tries several
// filters of one route.
const F = 403;
const cases = {
  'GET /healthz': { requests: [() => ({ path: '/healthz' })], expect: { school_admin: 200, device: 200 } },
  'GET /readyz': { requests: [() => ({ path: '/readyz' })], expect: { school_admin: 200, device: 200 } },
  'GET /metrics': { requests: [() => ({ path: '/metrics' })], expect: { school_admin: F, device: F } },

  'GET /api/schools': { requests: [(o) => ({ path: `/api/schools?after=${o.school - 1}` })], expect: { school_admin: 200, device: F }, list: true },
  'POST /api/schools': { requests: [(o) => ({ body: { school: { name: `copy of ${o.school}` } }, path: '/api/schools' })], expect: { school_admin: F, device: F } },
  'GET /api/schools/{}': { requests: [(o) => ({ path: `/api/schools/${o.school}` })], expect: { school_admin: 404, device: F } },
  'PATCH /api/schools/{}': { requests: [(o) => ({ path: `/api/schools/${o.school}`, body: { school: { name: 'Taken over', fever_threshold: 42 } } })], expect: { school_admin: 404, device: F } },
  'PUT /api/schools/{}': { requests: [(o) => ({ path: `/api/schools/${o.school}`, body: { school: { timezone: 'Asia/Tokyo' } } })], expect: { school_admin: 404, device: F } },
  'DELETE /api/schools/{}': { requests: [(o) => ({ path: `/api/schools/${o.school}?cascade=true` })], expect: { school_admin: F, device: F } },
  'GET /api/schools/{}/closures': { requests: [(o) => ({ path: `/api/schools/${o.school}/closures` })], expect: { school_admin: 404, device: F } },
  'POST /api/schools/{}/closures': { requests: [(o) => ({ path: `/api/schools/${o.school}/closures`, body: { closure: { date: '2031-04-04', reason: 'Planted' } } })], expect: { school_admin: 404, device: F } },
  'GET /api/schools/{}/closures/{}': { requests: [(o) => ({ path: `/api/schools/${o.school}/closures/${o.date}` })], expect: { school_admin: 404, device: F } },
  'DELETE /api/schools/{}/closures/{}': { requests: [(o) => ({ path: `/api/schools/${o.school}/closures/${o.date}` })], expect: { school_admin: 404, device: F } },
  'GET /api/schools/{}/stream': { requests: [(o) => ({ path: `/api/schools/${o.school}/stream` })], expect: { school_admin: 404, device: F } },
  'GET /api/schools/{}/fever_events': {
    requests: [(o) => ({ path: `/api/schools/${o.school}/fever_events` }), (o) => ({ path: `/api/schools/${o.school}/fever_events?from=2024-01-01T00:00:00Z&limit=1` })],
    expect: { school_admin: 404, device: F },
  },

  'GET /api/users': {
    requests: [(o) => ({ path: `/api/users?school_id=${o.school}` }), (o) => ({ path: `/api/users?school_id=${o.school}&after=${o.user - 1}&limit=1` })],
    expect: { school_admin: 200, device: 200 }, list: true,
  },
  'POST /api/users': { requests: [(o) => ({ path: '/api/users', body: { user: { name: 'Planted', school_id: o.school } } })], expect: { school_admin: 422, device: F } },
  'GET /api/users/{}': { requests: [(o) => ({ path: `/api/users/${o.user}` })], expect: { school_admin: 404, device: F } },
  'PATCH /api/users/{}': { requests: [(o) => ({ path: `/api/users/${o.user}`, body: { user: { name: 'Renamed' } } })], expect: { school_admin: 404, device: F } },
  'PUT /api/users/{}': { requests: [(o) => ({ path: `/api/users/${o.user}`, body: { user: { external_id: 'CARD-STOLEN' } } })], expect: { school_admin: 404, device: F } },
  'DELETE /api/users/{}': { requests: [(o) => ({ path: `/api/users/${o.user}?cascade=true` })], expect: { school_admin: 404, device: F } },

  'GET /api/attendances': {
    requests: [
      (o) => ({ path: `/api/attendances?school_id=${o.school}` }),
      (o) => ({ path: `/api/attendances?user_id=${o.user}` }),
      (o) => ({ path: `/api/attendances?school_id=${o.school}&user_id=${o.user}&type=checkin` }),
      (o) => ({ path: `/api/attendances?after=${o.attendance - 1}&limit=1&user_id=${o.user}` }),
    ],
    expect: { school_admin: 200, device: F }, list: true,
  },
  'POST /api/attendances': {
    requests: [
      (o) => ({ path: '/api/attendances', body: { attendance: { user_id: o.user, type: 'checkout', temperature: 36.6, timestamp: at(kDay, 9) } } }),
      (o) => ({ path: '/api/attendances', body: { attendance: { user_id: o.user, school_id: o.school, type: 'checkout', temperature: 36.6, timestamp: at(kDay, 9) } } }),
    ],
    expect: { school_admin: 422, device: 422 },
  },
  'POST /api/attendances/batch': {
    requests: [(o) => ({ path: '/api/attendances/batch', body: { attendances: [{ user_id: o.user, type: 'checkout', temperature: 36.6, timestamp: at(kDay, 10) }] } })],
    expect: { school_admin: 200, device: 200 },
    check: (res) => assert.deepEqual(res.data.map((item) => item.status), [422], describe(res)),
  },
  'GET /api/attendances/{}': { requests: [(o) => ({ path: `/api/attendances/${o.attendance}` })], expect: { school_admin: 404, device: F } },
  'DELETE /api/attendances/{}': { requests: [(o) => ({ path: `/api/attendances/${o.attendance}` })], expect: { school_admin: 404, device: F } },
  'GET /api/attendances/{}/image': { requests: [(o) => ({ path: `/api/attendances/${o.attendance}/image` })], expect: { school_admin: 404, device: F } },
  'GET /api/attendances/aggregate/school/{}': {
    requests: [(o) => ({ path: `/api/attendances/aggregate/school/${o.school}?period=day&date=${kDay}&include=users` }), (o) => ({ path: `/api/attendances/aggregate/school/${o.school}?format=csv` })],
    expect: { school_admin: 404, device: F },
  },

  'GET /api/tokens': { requests: [(o) => ({ path: `/api/tokens?after=${o.token - 1}` })], expect: { school_admin: F, device: F } },
  'POST /api/tokens': { requests: [(o) => ({ path: '/api/tokens', body: { token: { name: 'minted', role: 'school_admin', school_id: o.school } } })], expect: { school_admin: F, device: F } },
  'GET /api/tokens/{}': { requests: [(o) => ({ path: `/api/tokens/${o.token}` })], expect: { school_admin: F, device: F } },
  'DELETE /api/tokens/{}': { requests: [(o) => ({ path: `/api/tokens/${o.token}` })], expect: { school_admin: F, device: F } },
};

// What school B looks like to an admin: anything a leaked write would change.
async function snapshotOfB() {
  const admin = ctx.admin;
  const get = async (path) => expectStatus(await admin.get(path), 200).json;
  return {
    school: await get(`/api/schools/${w.B.school}`),
    users: await listAll(admin, `/api/users?school_id=${w.B.school}`),
    attendances: await listAll(admin, `/api/attendances?school_id=${w.B.school}`),
    closures: await get(`/api/schools/${w.B.school}/closures`),
    fevers: await listAll(admin, `/api/schools/${w.B.school}/fever_events`),
    image: (await admin.get(`/api/attendances/${w.B.attendance}/image`)).bytes.toString('base64'),
    tokens: (await listAll(admin, '/api/tokens')).map((t) => [t.id, t.school_id, t.revoked_at]),
  };
}

const methodOf = (route) => route.split(' ')[0];

test('every served route has a cross-school case, and every case is a served route', async () => {
  const served = await servedRoutes();
  const missing = served.filter((r) => !(r in cases));
  const stale = Object.keys(cases).filter((r) => !served.includes(r));
  assert.deepEqual({ missing, stale }, { missing: [], stale: [] },
    'add a case to security_object_access.test.mjs for each new route (missing), drop cases of removed ones (stale)');
});

group('another school\'s objects answer exactly like missing ones, for every route', () => {
  for (const [route, c] of Object.entries(cases)) {
    for (const role of ['school_admin', 'device']) {
      const expected = c.expect[role];
      test(`${role} of school A: ${route} on school B's objects -> ${expected}, as on missing ids`, async () => {
        const api = ctx.admin.as(w.tokens[role]);
        const before = await snapshotOfB();
        for (const build of c.requests) {
          const answers = [];
          for (const objects of [w.B, w.missing]) {
            const { path, body } = build(objects);
            answers.push(await api.request(methodOf(route), path, body, { timeoutMs: kStreamTimeoutMs }));
          }
          const [other, missing] = answers;
          expectStatus(other, expected, `${role} on school B`);
          assert.deepEqual([other.status, other.headers.get('content-type'), other.json ?? other.text],
            [missing.status, missing.headers.get('content-type'), missing.json ?? missing.text],
            `school B's object and a missing one answered differently:\n  ${describe(other)}\n  ${describe(missing)}`);
          if (c.list && other.status === 200) assert.deepEqual(other.data, [], `a list shows none of school B's rows\n  ${describe(other)}`);
          if (c.check) c.check(other);
        }
        assert.deepEqual(await snapshotOfB(), before, `${role} ${route} changed school B`);
      });
    }
  }
});

test('admin: every route that names an object answers 404 for ids that do not exist', async () => {
  // An admin reaches every school, so for it "another school" is any school: only absence is a 404.
  for (const [route, c] of Object.entries(cases).filter(([r]) => r.includes('{}'))) {
    for (const build of c.requests) {
      const { path, body } = build(w.missing);
      const res = await ctx.admin.request(methodOf(route), path, body, { timeoutMs: kStreamTimeoutMs });
      expectStatus(res, 404, route);
      assert.deepEqual(res.json, { errors: { detail: 'Not Found' } }, describe(res));
    }
  }
});

group('lists walked page by page never reach another school', () => {
  for (const role of ['school_admin', 'device']) {
    test(`${role} of school A: every page of every list holds only school A's rows`, async () => {
      const api = ctx.admin.as(w.tokens[role]);
      const lists = {
        '/api/schools?': (row) => row.id,
        '/api/users?': (row) => row.school_id,
        '/api/attendances?': (row) => row.school_id,
        [`/api/attendances?type=checkin&from=2000-01-01T00:00:00Z&`]: (row) => row.school_id,
        [`/api/schools/${w.A.school}/fever_events?`]: (row) => row.school_id,
      };
      for (const [base, schoolOf] of Object.entries(lists)) {
        const seen = [];
        let after = null;
        for (let page = 0; page < 50; page += 1) {
          const res = await api.get(`${base}limit=1${after === null ? '' : `&after=${after}`}`);
          if (res.status === 403) break; // the role may not read this list at all
          expectStatus(res, 200);
          seen.push(...res.data.map(schoolOf));
          after = res.json.meta.next_after;
          if (after === null) break;
        }
        assert.ok(seen.every((id) => id === w.A.school), `${role} ${base}: rows of schools ${[...new Set(seen)]}`);
        if (role === 'school_admin') assert.ok(seen.length > 0, `${base}: school A's own rows are listed`);
      }
    });
  }
});
