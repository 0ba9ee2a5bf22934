// Keyset pagination (limit, after, meta.next_after) and the list filters.

import assert from 'node:assert/strict';
import { before, describe as group, test } from 'node:test';
import { describe, expectFieldError, expectStatus } from './support/client.mjs';
import { at, createSchool, createUser, listAll, record, useServer } from './support/fixtures.mjs';

const ctx = useServer();

group('pagination', () => {
  let schools;
  before(async () => {
    schools = [];
    for (let i = 0; i < 7; i += 1) schools.push(await createSchool(ctx.admin));
  });

  test('pages of 3 walk every school once, in id order; the last page says next_after null', async () => {
    const seen = [];
    let after = null;
    const pages = [];
    do {
      const res = expectStatus(await ctx.admin.get(`/api/schools?limit=3${after !== null ? `&after=${after}` : ''}`), 200);
      assert.ok(res.data.length <= 3, describe(res));
      pages.push(res.data.length);
      seen.push(...res.data.map((s) => s.id));
      if (res.json.meta.next_after !== null) {
        assert.equal(res.json.meta.next_after, res.data.at(-1).id, 'next_after is the last id of the page');
      }
      after = res.json.meta.next_after;
    } while (after !== null && pages.length < 10);
    assert.deepEqual(seen, schools.map((s) => s.id), 'every school once, in ascending id order');
    assert.deepEqual(pages.slice(0, 3), [3, 3, 1]);
  });

  test('a page shorter than the limit has next_after null; a full page followed by more names its last id', async () => {
    const full = expectStatus(await ctx.admin.get('/api/schools?limit=5'), 200);
    assert.equal(full.data.length, 5);
    assert.equal(full.json.meta.next_after, full.data[4].id);
    const rest = expectStatus(await ctx.admin.get(`/api/schools?limit=5&after=${full.data[4].id}`), 200);
    assert.equal(rest.data.length, 2);
    assert.equal(rest.json.meta.next_after, null);
  });

  test('after the last id: an empty page with next_after null', async () => {
    const res = expectStatus(await ctx.admin.get(`/api/schools?after=${schools.at(-1).id}`), 200);
    assert.deepEqual(res.json, { data: [], meta: { next_after: null } });
  });

  test('limit=1000 is allowed', async () => {
    const res = expectStatus(await ctx.admin.get('/api/schools?limit=1000'), 200);
    assert.equal(res.data.length, 7);
    assert.equal(res.json.meta.next_after, null);
  });

  for (const bad of ['0', '1001', '-1', 'abc', '2.5']) {
    test(`limit=${bad} is a 422 on limit`, async () => {
      for (const path of ['/api/schools', '/api/users', '/api/attendances', '/api/tokens']) {
        expectFieldError(await ctx.admin.get(`${path}?limit=${bad}`), 'limit');
      }
    });
  }

  test('after=abc is a 422 on after', async () => {
    expectFieldError(await ctx.admin.get('/api/schools?after=abc'), 'after');
  });

  test('the default page size is 100', async () => {
    const s = await createSchool(ctx.admin);
    const users = [];
    for (let i = 0; i < 105; i += 10) {
      users.push(...await Promise.all(Array.from({ length: Math.min(10, 105 - i) }, () => createUser(ctx.admin, s.id))));
    }
    const ids = users.map((u) => u.id).sort((a, b) => a - b);
    const first = expectStatus(await ctx.admin.get(`/api/users?school_id=${s.id}`), 200);
    assert.equal(first.data.length, 100);
    assert.deepEqual(first.data.map((u) => u.id), ids.slice(0, 100));
    assert.equal(first.json.meta.next_after, ids[99]);
    const second = expectStatus(await ctx.admin.get(`/api/users?school_id=${s.id}&after=${ids[99]}`), 200);
    assert.deepEqual(second.data.map((u) => u.id), ids.slice(100));
    assert.equal(second.json.meta.next_after, null);
  });
});

group('filters', () => {
  const w = {};
  before(async () => {
    w.s1 = await createSchool(ctx.admin);
    w.s2 = await createSchool(ctx.admin);
    w.u1 = await createUser(ctx.admin, w.s1.id);
    w.u2 = await createUser(ctx.admin, w.s1.id);
    w.u3 = await createUser(ctx.admin, w.s2.id);
    w.events = [];
    for (const u of [w.u1, w.u2, w.u3]) {
      for (const day of ['2024-05-07', '2024-05-08', '2024-05-09']) {
        w.events.push(await record(ctx.admin, { user_id: u.id, type: 'checkin', timestamp: at(day, 8) }));
        w.events.push(await record(ctx.admin, { user_id: u.id, type: 'checkout', timestamp: at(day, 12) }));
      }
    }
  });
  const ids = (items) => items.map((x) => x.id).sort((a, b) => a - b);
  const expected = (pred) => ids(w.events.filter(pred));
  const query = async (q) => ids(await listAll(ctx.admin, `/api/attendances?${q}`));

  test('users by school_id', async () => {
    const list = await listAll(ctx.admin, `/api/users?school_id=${w.s1.id}`);
    assert.deepEqual(ids(list), ids([w.u1, w.u2]));
    assert.deepEqual(await listAll(ctx.admin, '/api/users?school_id=987654321'), []);
  });

  test('attendances by school_id, user_id and type', async () => {
    assert.deepEqual(await query(`school_id=${w.s1.id}`), expected((e) => e.school_id === w.s1.id));
    assert.deepEqual(await query(`user_id=${w.u3.id}`), expected((e) => e.user_id === w.u3.id));
    assert.deepEqual(await query(`school_id=${w.s1.id}&type=checkout`), expected((e) => e.school_id === w.s1.id && e.type === 'checkout'));
    assert.deepEqual(await query(`user_id=${w.u1.id}&type=checkin`), expected((e) => e.user_id === w.u1.id && e.type === 'checkin'));
    assert.deepEqual(await query(`school_id=${w.s2.id}&user_id=${w.u1.id}`), []);
  });

  test('attendances by from and to (RFC 3339, Z or an offset)', async () => {
    const inDay = (e, day) => e.timestamp.startsWith(day);
    assert.deepEqual(await query(`user_id=${w.u1.id}&from=2024-05-08T00:00:00Z&to=2024-05-09T00:00:00Z`), expected((e) => e.user_id === w.u1.id && inDay(e, '2024-05-08')));
    assert.deepEqual(await query(`school_id=${w.s1.id}&from=2024-05-09T00:00:00Z`), expected((e) => e.school_id === w.s1.id && inDay(e, '2024-05-09')));
    assert.deepEqual(await query(`school_id=${w.s2.id}&to=2024-05-07T10:00:00Z`), expected((e) => e.school_id === w.s2.id && e.timestamp === '2024-05-07T08:00:00Z'));
    // 10:00+02:00 is 08:00Z: only the 12:00Z check-outs are left on 2024-05-08 after 09:00Z.
    assert.deepEqual(await query(`user_id=${w.u2.id}&from=${encodeURIComponent('2024-05-08T11:00:00+02:00')}&to=${encodeURIComponent('2024-05-08T14:00:00+02:00')}`),
      expected((e) => e.user_id === w.u2.id && e.timestamp === '2024-05-08T12:00:00Z'));
  });

  test('filters combine with paging', async () => {
    const want = expected((e) => e.school_id === w.s1.id && e.type === 'checkin');
    const got = ids(await listAll(ctx.admin, `/api/attendances?school_id=${w.s1.id}&type=checkin`, 2));
    assert.deepEqual(got, want);
  });

  test('invalid filter values are a 422 on the filter', async () => {
    expectFieldError(await ctx.admin.get('/api/attendances?from=yesterday'), 'from');
    expectFieldError(await ctx.admin.get('/api/attendances?to=2024-13-01T00:00:00Z'), 'to');
    expectFieldError(await ctx.admin.get('/api/attendances?type=lunch'), 'type');
    expectFieldError(await ctx.admin.get('/api/attendances?user_id=abc'), 'user_id');
    expectFieldError(await ctx.admin.get('/api/users?school_id=abc'), 'school_id');
  });
});
