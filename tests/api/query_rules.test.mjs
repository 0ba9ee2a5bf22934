// The two rules every /api query follows: a `from`/`to` range with `to` before `from` is a 422 on
// `to` (both ends inclusive, so from == to is valid), on every list and aggregate that takes one;
// and a query key given more than once is a 422 naming it, on every /api route, before anything
// is read or written.

import assert from 'node:assert/strict';
import { describe as group, test } from 'node:test';
import { describe, expectStatus } from './support/client.mjs';
import { at, createSchool, createToken, createUser, listAll, record, useServer } from './support/fixtures.mjs';
import { spec } from './support/openapi.mjs';

const kDay = '2024-05-08';
const kClosureDay = '2024-05-10';
const w = {};
const ctx = useServer({ setup: async () => {
  w.school = await createSchool(ctx.admin);
  w.user = await createUser(ctx.admin, w.school.id);
  w.fever = await record(ctx.admin, { user_id: w.user.id, type: 'checkin', timestamp: at(kDay, 8), temperature: 38.6 });
  w.checkout = await record(ctx.admin, { user_id: w.user.id, type: 'checkout', timestamp: at(kDay, 12) });
  expectStatus(await ctx.admin.post(`/api/schools/${w.school.id}/closures`, { closure: { date: kClosureDay, reason: 'Holiday' } }), 201);
  w.token = await createToken(ctx.admin, 'device', w.school.id);
} });

function expectOnly(res, errors) {
  expectStatus(res, 422);
  assert.deepEqual(res.json, { errors }, describe(res));
}

group('a range whose to is before its from', () => {
  const school = () => w.school.id;
  // Each range of the API: its path, an instant or a day, and what from == to finds there
  // (an aggregate series needs both ends).
  const ranges = [
    { name: 'GET /api/attendances', path: () => `/api/attendances?user_id=${w.user.id}`, at: at(kDay, 8), before: `${kDay}T07:59:59.999999Z`, found: (res) => res.data.map((e) => e.id), want: () => [w.fever.id] },
    { name: 'GET /api/schools/{id}/fever_events', path: () => `/api/schools/${school()}/fever_events`, at: at(kDay, 8), before: `${kDay}T07:59:59.999999Z`, found: (res) => res.data.map((e) => e.id), want: () => [w.fever.id] },
    { name: 'GET /api/schools/{id}/closures', path: () => `/api/schools/${school()}/closures`, at: kClosureDay, before: '2024-05-09', found: (res) => res.data.map((c) => c.date), want: () => [kClosureDay] },
    { name: 'GET /api/attendances/aggregate/school/{id}', path: () => `/api/attendances/aggregate/school/${school()}`, at: kDay, before: '2024-05-07', found: (res) => res.data.series.map((p) => [p.from, p.to]), want: () => [[kDay, kDay]], bothEnds: true },
  ];
  const join = (path, query) => `${path}${path.includes('?') ? '&' : '?'}${query}`;
  const q = encodeURIComponent;

  for (const range of ranges) {
    test(`${range.name}: to before from is a 422 on to, from == to finds the one ${range.at.length > 10 ? 'instant' : 'day'}`, async () => {
      expectOnly(await ctx.admin.get(join(range.path(), `from=${q(range.at)}&to=${q(range.before)}`)), { to: ['must not be before from'] });
      const same = expectStatus(await ctx.admin.get(join(range.path(), `from=${q(range.at)}&to=${q(range.at)}`)), 200);
      assert.deepEqual(range.found(same), range.want(), describe(same));
      if (!range.bothEnds) expectStatus(await ctx.admin.get(join(range.path(), `from=${q(range.before)}`)), 200);  // one end alone has no order
    });
  }

  test('the same instant written with another offset is from == to, not before it', async () => {
    const res = expectStatus(await ctx.admin.get(`/api/attendances?user_id=${w.user.id}&from=${q(at(kDay, 8))}&to=${q(`${kDay}T10:00:00+02:00`)}`), 200);
    assert.deepEqual(res.data.map((e) => e.id), [w.fever.id]);
  });

  test('the order error comes beside the other fields\' errors', async () => {
    expectOnly(await ctx.admin.get(`/api/attendances?type=lunch&from=${q(at(kDay, 9))}&to=${q(at(kDay, 8))}`),
      { type: ['must be checkin or checkout'], to: ['must not be before from'] });
    expectOnly(await ctx.admin.get(`/api/schools/${school()}/closures?from=2024-02-30&to=${kDay}`),
      { from: ['is not a valid date (YYYY-MM-DD)'] });
  });
});

group('a query key given more than once', () => {
  // A valid value for each documented query parameter, so only the repetition is wrong.
  const values = () => ({
    limit: '5', after: '1', school_id: String(w.school.id), user_id: String(w.user.id), type: 'checkin',
    period: 'day', date: kDay, include: 'users', format: 'json', cascade: 'false',
  });
  const valueOf = (param) => {
    if (param.name === 'from' || param.name === 'to') return param.schema?.format === 'date' ? kDay : at(kDay, 8);
    const value = values()[param.name];
    assert.ok(value !== undefined, `no test value for query parameter ${param.name}`);
    return value;
  };
  const resolveParam = (p) => (p.$ref ? p.$ref.split('/').reduce((acc, part) => (part === '#' ? spec : acc[part]), null) : p);
  const concrete = (template) => template
    .replace('/api/schools/{id}/closures/{date}', `/api/schools/${w.school.id}/closures/${kClosureDay}`)
    .replace('/api/attendances/aggregate/school/{id}', `/api/attendances/aggregate/school/${w.school.id}`)
    .replace('/api/schools/{id}', `/api/schools/${w.school.id}`)
    .replace('/api/users/{id}', `/api/users/${w.user.id}`)
    .replace('/api/attendances/{id}', `/api/attendances/${w.checkout.id}`)
    .replace('/api/tokens/{id}', `/api/tokens/${w.token.id}`);
  // Bodies a write would accept, so a route that ran its handler would change something.
  const bodies = () => ({
    'POST /api/schools': { school: { name: 'Not created' } },
    'PATCH /api/schools/{id}': { school: { name: 'Not renamed' } },
    'PUT /api/schools/{id}': { school: { name: 'Not renamed' } },
    'POST /api/schools/{id}/closures': { closure: { date: '2024-06-01' } },
    'POST /api/users': { user: { name: 'Not created', school_id: w.school.id } },
    'PATCH /api/users/{id}': { user: { name: 'Not renamed' } },
    'PUT /api/users/{id}': { user: { name: 'Not renamed' } },
    'POST /api/attendances': { attendance: { user_id: w.user.id, type: 'checkin', timestamp: at(kDay, 14), temperature: 36.6 } },
    'POST /api/attendances/batch': { attendances: [{ user_id: w.user.id, type: 'checkin', timestamp: at(kDay, 15), temperature: 36.6 }] },
    'POST /api/tokens': { token: { name: 'Not issued', role: 'admin' } },
  });
  const operations = () => {
    const out = [];
    for (const [template, item] of Object.entries(spec.paths)) {
      if (!template.startsWith('/api/')) continue;
      for (const method of ['get', 'post', 'put', 'patch', 'delete']) {
        if (!item[method]) continue;
        const params = [...(item.parameters ?? []), ...(item[method].parameters ?? [])].map(resolveParam).filter((p) => p.in === 'query');
        out.push({ method: method.toUpperCase(), template, path: concrete(template), params });
      }
    }
    return out;
  };
  // Everything a handler could have changed: compared before and after the refused requests.
  const snapshot = async () => ({
    schools: await listAll(ctx.admin, '/api/schools'),
    users: await listAll(ctx.admin, '/api/users'),
    attendances: await listAll(ctx.admin, '/api/attendances'),
    tokens: await listAll(ctx.admin, '/api/tokens'),
    closures: expectStatus(await ctx.admin.get(`/api/schools/${w.school.id}/closures`), 200).data,
  });

  test('every /api operation answers 422 naming each repeated parameter, and changes nothing', async () => {
    const before = await snapshot();
    const ops = operations();
    assert.ok(ops.length >= 25, `only ${ops.length} operations found in docs/openapi.yaml`);
    for (const op of ops) {
      const body = bodies()[`${op.method} ${op.template}`];
      // A key no route reads counts too: any key given twice is a client's mistake.
      for (const [name, value] of [...op.params.map((p) => [p.name, valueOf(p)]), ['unknown', 'x']]) {
        const v = encodeURIComponent(value);
        const res = await ctx.admin.request(op.method, `${op.path}?${name}=${v}&${name}=${v}`, body, { timeoutMs: 10_000 });
        expectOnly(res, { [name]: ['must be given once'] });
      }
    }
    const two = await ctx.admin.get(`/api/attendances?school_id=${w.school.id}&type=checkin&limit=5&school_id=${w.school.id}&type=checkout`);
    expectOnly(two, { school_id: ['must be given once'], type: ['must be given once'] });
    assert.deepEqual(await snapshot(), before, 'a refused request changed something');
    // The device token was not revoked: it still lists its school's users.
    expectStatus(await ctx.admin.as(w.token.secret).get('/api/users'), 200);
  });

  test('a key compared decoded (school%5Fid is school_id) and a repeated secret-named key are refused', async () => {
    expectOnly(await ctx.admin.get(`/api/users?school_id=${w.school.id}&school%5Fid=${w.school.id}`), { school_id: ['must be given once'] });
    expectOnly(await ctx.admin.get('/api/users?token=abc&token=abc'), { token: ['must be given once'] });
    const log = ctx.server.logs();
    assert.ok(!log.includes('token=abc'), 'the access log shows a secret-named value');
    assert.ok(log.includes('token=***&token=***'), `the access log masks both values:\n${log.slice(-1500)}`);
  });

  test('every list still works with each of its parameters given once, and unknown keys given once are ignored', async () => {
    for (const op of operations().filter((o) => o.method === 'GET' && o.params.length > 0)) {
      const query = op.params
        .filter((p) => !(op.template.includes('aggregate') && ['date', 'after', 'limit'].includes(p.name)))
        .map((p) => `${p.name}=${encodeURIComponent(valueOf(p))}`).join('&');
      expectStatus(await ctx.admin.get(`${op.path}?${query}&unknown=x&other=`), 200);
    }
    const users = expectStatus(await ctx.admin.get(`/api/users?school_id=${w.school.id}&limit=5`), 200);
    assert.deepEqual(users.data.map((u) => u.id), [w.user.id]);
  });
});
