// /api/schools: CRUD, defaults, settings validation, body conventions, cascade deletes.

import assert from 'node:assert/strict';
import { describe as group, test } from 'node:test';
import { expectError, expectFieldError, expectStatus } from './support/client.mjs';
import { at, createSchool, createUser, listAll, record, unique, useServer } from './support/fixtures.mjs';

const ctx = useServer();

group('create', () => {
  test('a school with only a name gets the documented defaults, 201 and a location', async () => {
    const name = unique('Defaults');
    const res = expectStatus(await ctx.admin.post('/api/schools', { school: { name } }), 201);
    const s = res.data;
    assert.equal(res.headers.get('location'), `/api/schools/${s.id}`);
    assert.deepEqual(
      { name: s.name, timezone: s.timezone, school_days: s.school_days, min_daily_hours: s.min_daily_hours, min_period_ratio: s.min_period_ratio, fever_threshold: s.fever_threshold },
      { name, timezone: 'UTC', school_days: [1, 2, 3, 4, 5], min_daily_hours: 4, min_period_ratio: 0.8, fever_threshold: 38 },
    );
    const now = Date.now();
    assert.ok(Math.abs(Date.parse(s.inserted_at) - now) < 60_000, `inserted_at ${s.inserted_at} is not now`);
    assert.equal(s.updated_at, s.inserted_at);
  });

  test('all settings given are stored and shown back', async () => {
    const school = { name: unique('Full'), timezone: 'America/Sao_Paulo', school_days: [1, 3, 6], min_daily_hours: 3.5, min_period_ratio: 0.75, fever_threshold: 37.8 };
    const created = expectStatus(await ctx.admin.post('/api/schools', { school }), 201).data;
    const shown = expectStatus(await ctx.admin.get(`/api/schools/${created.id}`), 200).data;
    assert.deepEqual(shown, created);
    for (const [k, v] of Object.entries(school)) assert.deepEqual(shown[k], v, k);
  });

  test('a bare (unwrapped) body is accepted', async () => {
    const name = unique('Bare');
    const res = expectStatus(await ctx.admin.post('/api/schools', { name, timezone: 'Europe/Lisbon' }), 201);
    assert.equal(res.data.name, name);
    assert.equal(res.data.timezone, 'Europe/Lisbon');
  });

  test('id, inserted_at, updated_at and unknown fields in the body are ignored', async () => {
    const res = expectStatus(await ctx.admin.post('/api/schools', {
      school: { name: unique('Ignored'), id: 999999, inserted_at: '2001-01-01T00:00:00Z', updated_at: '2001-01-01T00:00:00Z', colour: 'blue' },
    }), 201);
    assert.notEqual(res.data.id, 999999);
    assert.notEqual(res.data.inserted_at, '2001-01-01T00:00:00Z');
    assert.ok(!('colour' in res.data));
    expectError(await ctx.admin.get('/api/schools/999999'), 404, 'Not Found');
  });

  test('name is required and must be a non-empty string', async () => {
    expectFieldError(await ctx.admin.post('/api/schools', { school: { timezone: 'UTC' } }), 'name');
    expectFieldError(await ctx.admin.post('/api/schools', { school: { name: '' } }), 'name');
    expectFieldError(await ctx.admin.post('/api/schools', { school: { name: 42 } }), 'name');
    expectFieldError(await ctx.admin.post('/api/schools', { school: { name: 'x'.repeat(201) } }), 'name');
  });

  test('a refused name gets one message, the one that says why', async () => {
    const messages = async (school) => expectStatus(await ctx.admin.post('/api/schools', { school }), 422).json.errors.name;
    assert.deepEqual(await messages({}), ["can't be blank"]);
    assert.deepEqual(await messages({ name: null }), ["can't be blank"]);
    assert.deepEqual(await messages({ name: 42 }), ['is invalid']);
    assert.deepEqual(await messages({ name: 'nul\u0000byte' }), ['must not contain control characters']);
  });

  test('an unknown time zone is a 422 on timezone', async () => {
    expectFieldError(await ctx.admin.post('/api/schools', { school: { name: unique('TZ'), timezone: 'Mars/Olympus_Mons' } }), 'timezone');
    expectFieldError(await ctx.admin.post('/api/schools', { school: { name: unique('TZ'), timezone: '' } }), 'timezone');
  });

  for (const days of [[], [0], [8], [1, 1], [1, 2, 'x'], 'weekdays']) {
    test(`school_days ${JSON.stringify(days)} is a 422 on school_days`, async () => {
      expectFieldError(await ctx.admin.post('/api/schools', { school: { name: unique('Days'), school_days: days } }), 'school_days');
    });
  }

  test('all seven days are a valid school_days', async () => {
    const s = await createSchool(ctx.admin, { school_days: [7, 6, 5, 4, 3, 2, 1] });
    assert.deepEqual([...s.school_days].sort(), [1, 2, 3, 4, 5, 6, 7]);
  });

  for (const [field, value] of [['min_daily_hours', 0], ['min_daily_hours', 25], ['min_daily_hours', -1], ['min_period_ratio', 1.5], ['min_period_ratio', -0.1], ['fever_threshold', 50], ['fever_threshold', 20], ['fever_threshold', 'hot']]) {
    test(`${field} ${JSON.stringify(value)} is a 422 on ${field}`, async () => {
      expectFieldError(await ctx.admin.post('/api/schools', { school: { name: unique('Bad'), [field]: value } }), field);
    });
  }

  test('several invalid fields are all reported at once, and nothing is stored', async () => {
    const name = unique('Many');
    const res = expectStatus(await ctx.admin.post('/api/schools', { school: { name, timezone: 'Nowhere/City', fever_threshold: 99 } }), 422);
    assert.ok(res.json.errors.timezone && res.json.errors.fever_threshold, JSON.stringify(res.json));
    const all = expectStatus(await ctx.admin.get('/api/schools?limit=1000'), 200).data;
    assert.ok(!all.some((s) => s.name === name));
  });
});

group('read', () => {
  test('GET /api/schools/{id} of a missing school is 404', async () => {
    expectError(await ctx.admin.get('/api/schools/987654321'), 404, 'Not Found');
  });

  test('the list shows a created school', async () => {
    const s = await createSchool(ctx.admin);
    const all = expectStatus(await ctx.admin.get('/api/schools?limit=1000'), 200);
    assert.deepEqual(all.data.find((x) => x.id === s.id), s);
  });
});

group('update', () => {
  for (const method of ['patch', 'put']) {
    test(`${method.toUpperCase()} changes only the fields given`, async () => {
      const s = await createSchool(ctx.admin, { timezone: 'Europe/Berlin', fever_threshold: 37.5 });
      const res = expectStatus(await ctx.admin[method](`/api/schools/${s.id}`, { school: { min_daily_hours: 5 } }), 200);
      assert.deepEqual({ ...res.data, updated_at: undefined }, { ...s, min_daily_hours: 5, updated_at: undefined });
      assert.ok(Date.parse(res.data.updated_at) >= Date.parse(s.updated_at));
      assert.deepEqual(expectStatus(await ctx.admin.get(`/api/schools/${s.id}`), 200).data, res.data);
    });
  }

  test('an update with a bare body and ignored fields', async () => {
    const s = await createSchool(ctx.admin);
    const res = expectStatus(await ctx.admin.patch(`/api/schools/${s.id}`, { name: 'Renamed', id: s.id + 1000, inserted_at: '2000-01-01T00:00:00Z', whatever: 1 }), 200);
    assert.equal(res.data.id, s.id);
    assert.equal(res.data.name, 'Renamed');
    assert.equal(res.data.inserted_at, s.inserted_at);
  });

  test('an invalid update is a 422 and changes nothing', async () => {
    const s = await createSchool(ctx.admin);
    expectFieldError(await ctx.admin.patch(`/api/schools/${s.id}`, { school: { timezone: 'Atlantis/Capital', name: 'Changed' } }), 'timezone');
    expectFieldError(await ctx.admin.put(`/api/schools/${s.id}`, { school: { school_days: [9] } }), 'school_days');
    assert.deepEqual(expectStatus(await ctx.admin.get(`/api/schools/${s.id}`), 200).data, s);
  });

  test('updating a missing school is 404', async () => {
    expectError(await ctx.admin.patch('/api/schools/987654321', { school: { name: 'x' } }), 404, 'Not Found');
    expectError(await ctx.admin.put('/api/schools/987654321', { school: { name: 'x' } }), 404, 'Not Found');
  });

  test("fever is temperature >= the school's fever_threshold", async () => {
    const s = await createSchool(ctx.admin, { fever_threshold: 37.5 });
    const u = await createUser(ctx.admin, s.id);
    const a = await record(ctx.admin, { user_id: u.id, type: 'checkin', temperature: 37.5, timestamp: at('2024-05-08', 8) });
    assert.equal(a.fever, true, '37.5 at a threshold of 37.5 is a fever');
    const b = await record(ctx.admin, { user_id: u.id, type: 'checkout', temperature: 37.4, timestamp: at('2024-05-08', 12) });
    assert.equal(b.fever, false, '37.4 at a threshold of 37.5 is not');
  });
});

group('null, control characters and whitespace in a body', () => {
  const kSettings = ['name', 'timezone', 'school_days', 'min_daily_hours', 'min_period_ratio', 'fever_threshold'];

  for (const method of ['patch', 'put']) {
    test(`${method.toUpperCase()} with null for any setting is a 422 "can't be blank" and changes nothing`, async () => {
      const s = await createSchool(ctx.admin, { timezone: 'Europe/Berlin' });
      for (const field of kSettings) {
        const res = expectStatus(await ctx.admin[method](`/api/schools/${s.id}`, { school: { [field]: null } }), 422, field);
        assert.deepEqual(res.json.errors, { [field]: ["can't be blank"] });
      }
      // A null beside valid changes: nothing of the request is applied.
      expectFieldError(await ctx.admin[method](`/api/schools/${s.id}`, { school: { name: 'Renamed', timezone: null } }), 'timezone', "can't be blank");
      assert.deepEqual(expectStatus(await ctx.admin.get(`/api/schools/${s.id}`), 200).data, s);
    });
  }

  test('a create with null for a setting is a 422 too (null is not "absent": no default for it), and stores nothing', async () => {
    const name = unique('NullCreate');
    for (const field of kSettings.filter((f) => f !== 'name')) {
      const res = expectStatus(await ctx.admin.post('/api/schools', { school: { name, [field]: null } }), 422, field);
      assert.deepEqual(res.json.errors, { [field]: ["can't be blank"] });
    }
    assert.ok(!(await listAll(ctx.admin, '/api/schools')).some((x) => x.name === name));
  });

  test('a name with any control character (tab, CR, LF, C1 too) is a 422, on create and update, and nothing changes', async () => {
    const s = await createSchool(ctx.admin);
    const prefix = unique('Ctl');
    for (const name of [`${prefix}\tTab`, `${prefix}\r`, `${prefix}\nLine`, `${prefix}\u0085`, `${prefix}\u009b2J`, `${prefix}\u0000`]) {
      const what = JSON.stringify(name);
      assert.deepEqual(expectStatus(await ctx.admin.post('/api/schools', { school: { name } }), 422, what).json.errors,
        { name: ['must not contain control characters'] });
      assert.deepEqual(expectStatus(await ctx.admin.patch(`/api/schools/${s.id}`, { school: { name } }), 422, what).json.errors,
        { name: ['must not contain control characters'] });
    }
    assert.deepEqual(expectStatus(await ctx.admin.get(`/api/schools/${s.id}`), 200).data, s);
    assert.ok(!(await listAll(ctx.admin, '/api/schools')).some((x) => x.name.startsWith(prefix)));
  });

  test('a name of Unicode whitespace only (NBSP, em space, ideographic space, BOM) is blank, and nothing changes', async () => {
    const s = await createSchool(ctx.admin);
    for (const name of ['\u00a0', '\u2003', '\u3000', '\ufeff', ' \u00a0\u200a ']) {
      const what = JSON.stringify(name);
      assert.deepEqual(expectStatus(await ctx.admin.post('/api/schools', { school: { name } }), 422, what).json.errors, { name: ["can't be blank"] });
      assert.deepEqual(expectStatus(await ctx.admin.patch(`/api/schools/${s.id}`, { school: { name } }), 422, what).json.errors, { name: ["can't be blank"] });
    }
    assert.deepEqual(expectStatus(await ctx.admin.get(`/api/schools/${s.id}`), 200).data, s);
  });

  test('a name is stored as sent: spaces around it are kept (not trimmed), as are NBSP and accents inside it', async () => {
    const name = ` ${unique('Zo\u00eb\u00a0\u014ctani')} `;
    const s = expectStatus(await ctx.admin.post('/api/schools', { school: { name } }), 201).data;
    assert.equal(s.name, name);
    assert.equal(expectStatus(await ctx.admin.get(`/api/schools/${s.id}`), 200).data.name, name);
  });
});

group('delete', () => {
  test('an empty school is deleted: 204 with no body, then 404', async () => {
    const s = await createSchool(ctx.admin);
    const res = expectStatus(await ctx.admin.del(`/api/schools/${s.id}`), 204);
    assert.equal(res.text, '');
    expectError(await ctx.admin.get(`/api/schools/${s.id}`), 404, 'Not Found');
    expectError(await ctx.admin.del(`/api/schools/${s.id}`), 404, 'Not Found');
  });

  test('a school with users is a 409 unless cascade=true, which deletes its users and attendances', async () => {
    const s = await createSchool(ctx.admin);
    const u = await createUser(ctx.admin, s.id);
    const a = await record(ctx.admin, { user_id: u.id, type: 'checkin', timestamp: at('2024-05-08', 8) });
    const res = expectStatus(await ctx.admin.del(`/api/schools/${s.id}`), 409);
    assert.equal(res.json.errors.detail, 'Conflict');
    expectStatus(await ctx.admin.get(`/api/schools/${s.id}`), 200);
    expectStatus(await ctx.admin.del(`/api/schools/${s.id}?cascade=false`), 409);
    // A value that is neither true nor false is refused, not taken as false.
    for (const odd of ['foo', 'TRUE', 'yes']) {
      expectFieldError(await ctx.admin.del(`/api/schools/${s.id}?cascade=${odd}`), 'cascade', 'must be true or false');
    }
    expectStatus(await ctx.admin.get(`/api/schools/${s.id}`), 200);
    expectStatus(await ctx.admin.del(`/api/schools/${s.id}?cascade=true`), 204);
    expectError(await ctx.admin.get(`/api/schools/${s.id}`), 404, 'Not Found');
    expectError(await ctx.admin.get(`/api/users/${u.id}`), 404, 'Not Found');
    expectError(await ctx.admin.get(`/api/attendances/${a.id}`), 404, 'Not Found');
  });

  test('deleting a school leaves other schools alone', async () => {
    const keep = await createSchool(ctx.admin);
    const keepUser = await createUser(ctx.admin, keep.id);
    const gone = await createSchool(ctx.admin);
    await createUser(ctx.admin, gone.id);
    expectStatus(await ctx.admin.del(`/api/schools/${gone.id}?cascade=true`), 204);
    expectStatus(await ctx.admin.get(`/api/schools/${keep.id}`), 200);
    expectStatus(await ctx.admin.get(`/api/users/${keepUser.id}`), 200);
  });
});

group('closures', () => {
  test('a closure\'s Location answers GET with it; deleted, or on a malformed date, it is a 404', async () => {
    const school = await createSchool(ctx.admin);
    const created = expectStatus(await ctx.admin.post(`/api/schools/${school.id}/closures`, { closure: { date: '2031-04-18', reason: 'Good Friday' } }), 201);
    const location = created.headers.get('location');
    assert.equal(location, `/api/schools/${school.id}/closures/2031-04-18`);
    assert.deepEqual(expectStatus(await ctx.admin.get(location), 200).data, { school_id: school.id, date: '2031-04-18', reason: 'Good Friday' });
    expectError(await ctx.admin.get(`/api/schools/${school.id}/closures/2031-04-19`), 404, 'Not Found');
    expectError(await ctx.admin.get(`/api/schools/${school.id}/closures/2031-4-18`), 404, 'Not Found');
    expectStatus(await ctx.admin.del(location), 204);
    expectError(await ctx.admin.get(location), 404, 'Not Found');
  });
});
