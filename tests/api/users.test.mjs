// /api/users: CRUD, defaults, external_id uniqueness per school, cascade deletes.

import assert from 'node:assert/strict';
import { describe as group, test } from 'node:test';
import { expectError, expectFieldError, expectStatus } from './support/client.mjs';
import { at, createSchool, createToken, createUser, listAll, record, unique, useServer } from './support/fixtures.mjs';

const ctx = useServer();

// Today's date in an IANA time zone, as YYYY-MM-DD.
function todayIn(timeZone) {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
}

group('create', () => {
  test('a user with a name gets external_id null and enrolled_on today in the school time zone', async () => {
    // Pacific/Kiritimati (UTC+14) differs from UTC's date for 14 hours of each day.
    const s = await createSchool(ctx.admin, { timezone: 'Pacific/Kiritimati' });
    const before = todayIn('Pacific/Kiritimati');
    const name = unique('Ana');
    const res = expectStatus(await ctx.admin.post('/api/users', { user: { name, school_id: s.id } }), 201);
    const after = todayIn('Pacific/Kiritimati');
    const u = res.data;
    assert.equal(res.headers.get('location'), `/api/users/${u.id}`);
    assert.equal(u.name, name);
    assert.equal(u.school_id, s.id);
    assert.equal(u.external_id, null);
    assert.ok([before, after].includes(u.enrolled_on), `enrolled_on ${u.enrolled_on}, expected ${before} (the school's today)`);
    assert.deepEqual(expectStatus(await ctx.admin.get(`/api/users/${u.id}`), 200).data, u);
  });

  test('external_id and enrolled_on given are stored; a bare body works', async () => {
    const s = await createSchool(ctx.admin);
    const res = expectStatus(await ctx.admin.post('/api/users', { name: 'Bea', school_id: s.id, external_id: 'CARD-1', enrolled_on: '2023-09-01' }), 201);
    assert.equal(res.data.external_id, 'CARD-1');
    assert.equal(res.data.enrolled_on, '2023-09-01');
  });

  test('id, inserted_at, updated_at and unknown fields are ignored', async () => {
    const s = await createSchool(ctx.admin);
    const res = expectStatus(await ctx.admin.post('/api/users', { user: { name: 'Cid', school_id: s.id, id: 777777, inserted_at: '2000-01-01T00:00:00Z', shoe_size: 44 } }), 201);
    assert.notEqual(res.data.id, 777777);
    assert.notEqual(res.data.inserted_at, '2000-01-01T00:00:00Z');
  });

  test('an admin must give school_id', async () => {
    expectFieldError(await ctx.admin.post('/api/users', { user: { name: 'Nobody' } }), 'school_id');
  });

  test('a missing school is a 422 school_id: ["does not exist"]', async () => {
    expectFieldError(await ctx.admin.post('/api/users', { user: { name: 'Lost', school_id: 987654321 } }), 'school_id', 'does not exist');
  });

  test('name is required, non-empty, at most 200 characters', async () => {
    const s = await createSchool(ctx.admin);
    expectFieldError(await ctx.admin.post('/api/users', { user: { school_id: s.id } }), 'name');
    expectFieldError(await ctx.admin.post('/api/users', { user: { school_id: s.id, name: '' } }), 'name');
    expectFieldError(await ctx.admin.post('/api/users', { user: { school_id: s.id, name: 'y'.repeat(201) } }), 'name');
  });

  test('an invalid enrolled_on is a 422 on enrolled_on', async () => {
    const s = await createSchool(ctx.admin);
    for (const bad of ['2024-13-01', '2024-02-30', 'yesterday', '01/02/2024']) {
      expectFieldError(await ctx.admin.post('/api/users', { user: { school_id: s.id, name: 'Date', enrolled_on: bad } }), 'enrolled_on');
    }
  });

  test('external_id is unique within a school but may repeat across schools', async () => {
    const a = await createSchool(ctx.admin);
    const b = await createSchool(ctx.admin);
    await createUser(ctx.admin, a.id, { external_id: 'CARD-42' });
    expectFieldError(await ctx.admin.post('/api/users', { user: { name: 'Twin', school_id: a.id, external_id: 'CARD-42' } }), 'external_id', 'has already been taken');
    const other = await createUser(ctx.admin, b.id, { external_id: 'CARD-42' });
    assert.equal(other.external_id, 'CARD-42');
    // Several users without an external_id are fine.
    await createUser(ctx.admin, a.id);
    await createUser(ctx.admin, a.id);
  });

  test('an external_id holding an invisible character is a 422 on create and update: no look-alike of a card', async () => {
    const s = await createSchool(ctx.admin);
    const card = await createUser(ctx.admin, s.id, { external_id: 'CARD-77' });
    const usersOf = async () => (await listAll(ctx.admin, `/api/users?school_id=${s.id}`)).map((u) => [u.id, u.external_id]);
    const before = await usersOf();
    // Each reads as "CARD-77" on a screen or a printed list.
    for (const twin of ['CARD\u200b-77', 'CARD-\u00ad77', 'CARD-7\u20607', 'CARD-7\ufe0f7', 'CA\u200dRD-77']) {
      expectFieldError(await ctx.admin.post('/api/users', { user: { name: 'Twin', school_id: s.id, external_id: twin } }),
        'external_id', 'must not contain invisible characters');
    }
    const other = await createUser(ctx.admin, s.id, { external_id: 'CARD-78' });
    expectFieldError(await ctx.admin.patch(`/api/users/${other.id}`, { user: { external_id: 'CARD\u200b-77' } }),
      'external_id', 'must not contain invisible characters');
    assert.deepEqual(await usersOf(), [...before, [other.id, 'CARD-78']], 'nothing was created or changed');
    // At its edges an invisible character is trimmed as a trailing space is: the same card.
    for (const same of ['\u200bCARD-77\ufeff', '\u200fCARD-77\u200e', 'CARD-77\u00ad']) {
      expectFieldError(await ctx.admin.post('/api/users', { user: { name: 'Twin', school_id: s.id, external_id: same } }),
        'external_id', 'has already been taken');
    }
    assert.equal(card.external_id, 'CARD-77');
  });
});

group('update', () => {
  for (const method of ['patch', 'put']) {
    test(`${method.toUpperCase()} changes only the fields given`, async () => {
      const s = await createSchool(ctx.admin);
      const u = await createUser(ctx.admin, s.id, { external_id: `E-${method}`, enrolled_on: '2024-01-08' });
      const res = expectStatus(await ctx.admin[method](`/api/users/${u.id}`, { user: { name: 'New Name' } }), 200);
      assert.deepEqual({ ...res.data, updated_at: undefined }, { ...u, name: 'New Name', updated_at: undefined });
      assert.ok(Date.parse(res.data.updated_at) >= Date.parse(u.updated_at));
      assert.deepEqual(expectStatus(await ctx.admin.get(`/api/users/${u.id}`), 200).data, res.data);
    });
  }

  test('external_id can be cleared with null and set again', async () => {
    const s = await createSchool(ctx.admin);
    const u = await createUser(ctx.admin, s.id, { external_id: 'CLEAR-ME' });
    assert.equal(expectStatus(await ctx.admin.patch(`/api/users/${u.id}`, { user: { external_id: null } }), 200).data.external_id, null);
    assert.equal(expectStatus(await ctx.admin.patch(`/api/users/${u.id}`, { user: { external_id: 'AGAIN' } }), 200).data.external_id, 'AGAIN');
  });

  test('taking another user\'s external_id of the same school is a 422', async () => {
    const s = await createSchool(ctx.admin);
    await createUser(ctx.admin, s.id, { external_id: 'TAKEN' });
    const u = await createUser(ctx.admin, s.id, { external_id: 'MINE' });
    expectFieldError(await ctx.admin.patch(`/api/users/${u.id}`, { user: { external_id: 'TAKEN' } }), 'external_id', 'has already been taken');
    // Keeping one's own external_id is not a clash.
    expectStatus(await ctx.admin.patch(`/api/users/${u.id}`, { user: { external_id: 'MINE', name: 'Same Card' } }), 200);
  });

  test('invalid updates are 422 and change nothing', async () => {
    const s = await createSchool(ctx.admin);
    const u = await createUser(ctx.admin, s.id);
    expectFieldError(await ctx.admin.patch(`/api/users/${u.id}`, { user: { name: '' } }), 'name');
    expectFieldError(await ctx.admin.put(`/api/users/${u.id}`, { user: { enrolled_on: '2024-02-31' } }), 'enrolled_on');
    assert.deepEqual(expectStatus(await ctx.admin.get(`/api/users/${u.id}`), 200).data, u);
  });

  test('a missing user is 404 for GET, PATCH, PUT and DELETE', async () => {
    expectError(await ctx.admin.get('/api/users/987654321'), 404, 'Not Found');
    expectError(await ctx.admin.patch('/api/users/987654321', { user: { name: 'x' } }), 404, 'Not Found');
    expectError(await ctx.admin.put('/api/users/987654321', { user: { name: 'x' } }), 404, 'Not Found');
    expectError(await ctx.admin.del('/api/users/987654321'), 404, 'Not Found');
  });
});

group('null, control characters and whitespace in a body', () => {
  for (const method of ['patch', 'put']) {
    test(`${method.toUpperCase()} with null for name, enrolled_on or school_id is a 422 "can't be blank" and changes nothing`, async () => {
      const s = await createSchool(ctx.admin);
      const u = await createUser(ctx.admin, s.id, { external_id: unique('NULL'), enrolled_on: '2024-01-08' });
      for (const field of ['name', 'enrolled_on', 'school_id']) {
        const res = expectStatus(await ctx.admin[method](`/api/users/${u.id}`, { user: { [field]: null } }), 422, field);
        assert.deepEqual(res.json.errors, { [field]: ["can't be blank"] });
      }
      expectFieldError(await ctx.admin[method](`/api/users/${u.id}`, { user: { external_id: null, name: null } }), 'name', "can't be blank");
      assert.deepEqual(expectStatus(await ctx.admin.get(`/api/users/${u.id}`), 200).data, u);
    });
  }

  test('a create with null for enrolled_on or school_id is a 422 (null is no default), also for a school_admin', async () => {
    const s = await createSchool(ctx.admin);
    const schoolAdmin = ctx.admin.as((await createToken(ctx.admin, 'school_admin', s.id)).secret);
    const name = unique('NullCreate');
    assert.deepEqual(expectStatus(await ctx.admin.post('/api/users', { user: { name, school_id: s.id, enrolled_on: null } }), 422).json.errors,
      { enrolled_on: ["can't be blank"] });
    assert.deepEqual(expectStatus(await schoolAdmin.post('/api/users', { user: { name, school_id: null } }), 422).json.errors,
      { school_id: ["can't be blank"] });
    // Absent, school_id is still the school_admin's own school.
    expectStatus(await schoolAdmin.post('/api/users', { user: { name: unique('Absent') } }), 201);
    assert.ok(!(await listAll(ctx.admin, `/api/users?school_id=${s.id}`)).some((x) => x.name === name));
  });

  test('a name or external_id with any control character (tab, CR, LF, C1 too) is a 422, and nothing changes', async () => {
    const s = await createSchool(ctx.admin);
    const u = await createUser(ctx.admin, s.id, { external_id: unique('CTL') });
    const prefix = unique('Ctl');
    for (const [field, value] of [['name', `${prefix}\tTab`], ['name', `${prefix}\nLine`], ['name', `${prefix}\r`], ['name', `${prefix}\u0085`],
      ['name', `${prefix}\u009f`], ['external_id', 'CARD\t9'], ['external_id', 'CARD\r\n9'], ['external_id', 'CARD\u00859']]) {
      const what = `${field}: ${JSON.stringify(value)}`;
      assert.deepEqual(expectStatus(await ctx.admin.post('/api/users', { user: { name: prefix, school_id: s.id, [field]: value } }), 422, what).json.errors,
        { [field]: ['must not contain control characters'] });
      assert.deepEqual(expectStatus(await ctx.admin.patch(`/api/users/${u.id}`, { user: { [field]: value } }), 422, what).json.errors,
        { [field]: ['must not contain control characters'] });
    }
    assert.deepEqual(expectStatus(await ctx.admin.get(`/api/users/${u.id}`), 200).data, u);
    assert.ok(!(await listAll(ctx.admin, `/api/users?school_id=${s.id}`)).some((x) => x.name.startsWith(prefix)));
  });

  test('a name or external_id of Unicode whitespace only is blank, and nothing changes', async () => {
    const s = await createSchool(ctx.admin);
    const u = await createUser(ctx.admin, s.id, { external_id: unique('BLANK') });
    for (const [field, value] of [['name', '\u00a0'], ['name', '\u3000\ufeff'], ['name', '\u2002'], ['external_id', '\u00a0'], ['external_id', ' \r\n ']]) {
      const what = `${field}: ${JSON.stringify(value)}`;
      assert.deepEqual(expectStatus(await ctx.admin.post('/api/users', { user: { name: 'Blank', school_id: s.id, [field]: value } }), 422, what).json.errors,
        { [field]: ["can't be blank"] });
      assert.deepEqual(expectStatus(await ctx.admin.patch(`/api/users/${u.id}`, { user: { [field]: value } }), 422, what).json.errors,
        { [field]: ["can't be blank"] });
    }
    assert.deepEqual(expectStatus(await ctx.admin.get(`/api/users/${u.id}`), 200).data, u);
  });

  test('external_id is trimmed, as a card reader types it (a trailing CR/LF or space): both spellings are one card', async () => {
    const s = await createSchool(ctx.admin);
    const card = unique('CARD').replace(/ /g, '-');
    const u = expectStatus(await ctx.admin.post('/api/users', { user: { name: 'Reader', school_id: s.id, external_id: ` ${card}\r\n` } }), 201).data;
    assert.equal(u.external_id, card);
    assert.deepEqual(expectStatus(await ctx.admin.get(`/api/users/${u.id}`), 200).data, u);
    // Another spelling of the same card is the same card: taken, in a create and in an update.
    for (const spelling of [card, `${card} `, `\t${card}\n`, `\u00a0${card}\ufeff`]) {
      const what = JSON.stringify(spelling);
      expectFieldError(await ctx.admin.post('/api/users', { user: { name: 'Twin', school_id: s.id, external_id: spelling } }), 'external_id', 'has already been taken');
      const other = await createUser(ctx.admin, s.id);
      expectFieldError(await ctx.admin.patch(`/api/users/${other.id}`, { user: { external_id: spelling } }), 'external_id', 'has already been taken');
      assert.equal(expectStatus(await ctx.admin.get(`/api/users/${other.id}`), 200).data.external_id, null, what);
      // The holder sending its own card in another spelling keeps it, as stored.
      assert.equal(expectStatus(await ctx.admin.patch(`/api/users/${u.id}`, { user: { external_id: spelling } }), 200).data.external_id, card, what);
    }
    assert.equal((await listAll(ctx.admin, `/api/users?school_id=${s.id}`)).filter((x) => x.external_id === card).length, 1);
  });
});

group('delete', () => {
  test('a user without attendances: 204 with no body, then 404', async () => {
    const s = await createSchool(ctx.admin);
    const u = await createUser(ctx.admin, s.id);
    assert.equal(expectStatus(await ctx.admin.del(`/api/users/${u.id}`), 204).text, '');
    expectError(await ctx.admin.get(`/api/users/${u.id}`), 404, 'Not Found');
  });

  test('a user with attendances is a 409 unless cascade=true, which deletes them too', async () => {
    const s = await createSchool(ctx.admin);
    const u = await createUser(ctx.admin, s.id);
    const a = await record(ctx.admin, { user_id: u.id, type: 'checkin', timestamp: at('2024-05-08', 8) });
    const res = expectStatus(await ctx.admin.del(`/api/users/${u.id}`), 409);
    assert.equal(res.json.errors.detail, 'Conflict');
    expectStatus(await ctx.admin.get(`/api/users/${u.id}`), 200);
    expectStatus(await ctx.admin.get(`/api/attendances/${a.id}`), 200);
    expectStatus(await ctx.admin.del(`/api/users/${u.id}?cascade=true`), 204);
    expectError(await ctx.admin.get(`/api/users/${u.id}`), 404, 'Not Found');
    expectError(await ctx.admin.get(`/api/attendances/${a.id}`), 404, 'Not Found');
    const left = expectStatus(await ctx.admin.get(`/api/attendances?user_id=${u.id}`), 200);
    assert.deepEqual(left.data, []);
  });

  test('a deleted user\'s external_id can be given to a new user', async () => {
    const s = await createSchool(ctx.admin);
    const u = await createUser(ctx.admin, s.id, { external_id: 'REUSED' });
    expectStatus(await ctx.admin.del(`/api/users/${u.id}`), 204);
    await createUser(ctx.admin, s.id, { external_id: 'REUSED' });
  });
});
