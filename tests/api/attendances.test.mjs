// /api/attendances: validation, the alternation of each local day, double scans, client_id and
// Idempotency-Key retries, images, deletes, and concurrent requests for one user.

import assert from 'node:assert/strict';
import { describe as group, test } from 'node:test';
import { describe, expectError, expectFieldError, expectStatus } from './support/client.mjs';
import { at, createSchool, createUser, kJpeg, kPng, kWebp, listAll, record, useServer } from './support/fixtures.mjs';
import { RawConnection } from './support/raw_http.mjs';

const ctx = useServer();
const DAY = '2024-05-08'; // a Wednesday in the past

let school;
async function freshUser(schoolId) {
  if (!schoolId) {
    school ??= await createSchool(ctx.admin);
    schoolId = school.id;
  }
  return createUser(ctx.admin, schoolId);
}
const post = (body, options) => ctx.admin.post('/api/attendances', { attendance: body }, options);
const isoPlus = (ms) => new Date(Date.now() + ms).toISOString();
const eventsOf = (userId) => listAll(ctx.admin, `/api/attendances?user_id=${userId}`);

// A 409 body: detail Conflict, a field at fault whose message names `ids` (one of them).
function expectConflict(res, ids = []) {
  expectStatus(res, 409);
  const { detail, ...fields } = res.json.errors;
  assert.equal(detail, 'Conflict', describe(res));
  const messages = Object.values(fields).flat();
  assert.ok(messages.length > 0, `a 409 names the field at fault\n  ${describe(res)}`);
  if (ids.length > 0) {
    assert.ok(messages.some((m) => ids.some((id) => new RegExp(`\\b${id}\\b`).test(m))),
      `the 409 names the conflicting attendance (${ids.join(' or ')})\n  ${describe(res)}`);
  }
  return res;
}

group('recording and validation', () => {
  test('a check-in answers 201, a location and the full attendance', async () => {
    const u = await freshUser();
    const res = expectStatus(await post({ user_id: u.id, type: 'checkin', temperature: 36.6, timestamp: at(DAY, 8, 0) }), 201);
    const a = res.data;
    assert.equal(res.headers.get('location'), `/api/attendances/${a.id}`);
    assert.deepEqual({ user_id: a.user_id, school_id: a.school_id, timestamp: a.timestamp, type: a.type, temperature: a.temperature, fever: a.fever, image_url: a.image_url, client_id: a.client_id },
      { user_id: u.id, school_id: u.school_id, timestamp: '2024-05-08T08:00:00Z', type: 'checkin', temperature: 36.6, fever: false, image_url: null, client_id: null });
    assert.ok(Math.abs(Date.parse(a.inserted_at) - Date.now()) < 60_000, `inserted_at ${a.inserted_at} is the time of receipt`);
    assert.deepEqual(expectStatus(await ctx.admin.get(`/api/attendances/${a.id}`), 200).data, a);
  });

  test('a bare body is accepted', async () => {
    const u = await freshUser();
    expectStatus(await ctx.admin.post('/api/attendances', { user_id: u.id, type: 'checkin', temperature: 36.5, timestamp: at(DAY, 9) }), 201);
  });

  test('without a timestamp the event is stamped now', async () => {
    const u = await freshUser();
    const before = Date.now();
    const a = await record(ctx.admin, { user_id: u.id, type: 'checkin' });
    const t = Date.parse(a.timestamp);
    assert.ok(t >= before - 5_000 && t <= Date.now() + 5_000, `timestamp ${a.timestamp} is not now`);
  });

  test('a timestamp with an offset is stored as that instant and answered in UTC', async () => {
    const u = await freshUser();
    const a = await record(ctx.admin, { user_id: u.id, type: 'checkin', timestamp: '2024-05-08T10:30:00+02:00' });
    assert.equal(a.timestamp, '2024-05-08T08:30:00Z');
  });

  test('a timestamp up to 5 minutes ahead is accepted, beyond that it is a 422 on timestamp', async () => {
    const u = await freshUser();
    expectFieldError(await post({ user_id: u.id, type: 'checkin', temperature: 36.6, timestamp: isoPlus(10 * 60_000) }), 'timestamp');
    expectFieldError(await post({ user_id: u.id, type: 'checkin', temperature: 36.6, timestamp: isoPlus(6 * 60_000) }), 'timestamp');
    expectStatus(await post({ user_id: u.id, type: 'checkin', temperature: 36.6, timestamp: isoPlus(60_000) }), 201);
  });

  test('an unparseable timestamp is a 422 on timestamp', async () => {
    const u = await freshUser();
    for (const bad of ['yesterday', '2024-05-08', '2024-05-08T25:00:00Z', 1715155200]) {
      expectFieldError(await post({ user_id: u.id, type: 'checkin', temperature: 36.6, timestamp: bad }), 'timestamp');
    }
  });

  test('temperature 28.0 and 43.0 are accepted (inclusive range)', async () => {
    const u = await freshUser();
    const a = await record(ctx.admin, { user_id: u.id, type: 'checkin', temperature: 28, timestamp: at(DAY, 8) });
    assert.equal(a.temperature, 28);
    assert.equal(a.fever, false);
    const b = await record(ctx.admin, { user_id: u.id, type: 'checkout', temperature: 43, timestamp: at(DAY, 9) });
    assert.equal(b.temperature, 43);
    assert.equal(b.fever, true);
  });

  for (const bad of [27.9, 43.1, -5, '36.6', null]) {
    test(`temperature ${JSON.stringify(bad)} is a 422 on temperature`, async () => {
      const u = await freshUser();
      expectFieldError(await post({ user_id: u.id, type: 'checkin', temperature: bad, timestamp: at(DAY, 8) }), 'temperature');
    });
  }

  test('temperature is required', async () => {
    const u = await freshUser();
    expectFieldError(await post({ user_id: u.id, type: 'checkin', timestamp: at(DAY, 8) }), 'temperature');
  });

  for (const bad of [undefined, 'lunch', 'CHECKIN', 1]) {
    test(`type ${JSON.stringify(bad)} is a 422 on type`, async () => {
      const u = await freshUser();
      expectFieldError(await post({ user_id: u.id, type: bad, temperature: 36.6, timestamp: at(DAY, 8) }), 'type');
    });
  }

  test('a missing user_id is a 422, an unknown one 422 "does not exist"', async () => {
    expectFieldError(await post({ type: 'checkin', temperature: 36.6 }), 'user_id');
    expectFieldError(await post({ user_id: 987654321, type: 'checkin', temperature: 36.6 }), 'user_id', 'does not exist');
  });

  test('school_id must be the user\'s school when given', async () => {
    const u = await freshUser();
    const other = await createSchool(ctx.admin);
    expectFieldError(await post({ user_id: u.id, school_id: other.id, type: 'checkin', temperature: 36.6, timestamp: at(DAY, 8) }), 'school_id');
    expectFieldError(await post({ user_id: u.id, school_id: 987654321, type: 'checkin', temperature: 36.6, timestamp: at(DAY, 8) }), 'school_id');
    expectStatus(await post({ user_id: u.id, school_id: u.school_id, type: 'checkin', temperature: 36.6, timestamp: at(DAY, 8) }), 201);
  });

  test('several invalid fields are reported together and nothing is stored', async () => {
    const u = await freshUser();
    const res = expectStatus(await post({ user_id: u.id, type: 'nap', temperature: 99, timestamp: at(DAY, 8) }), 422);
    assert.ok(res.json.errors.type && res.json.errors.temperature, describe(res));
    assert.deepEqual(await eventsOf(u.id), []);
  });

  test('id, inserted_at and unknown fields are ignored; fever is computed, not taken', async () => {
    const u = await freshUser();
    const a = await record(ctx.admin, { user_id: u.id, type: 'checkin', timestamp: at(DAY, 8), id: 999999, inserted_at: '2000-01-01T00:00:00Z', fever: true, mood: 'happy' });
    assert.notEqual(a.id, 999999);
    assert.notEqual(a.inserted_at, '2000-01-01T00:00:00Z');
    assert.equal(a.fever, false);
  });

  test('GET and DELETE of a missing attendance are 404', async () => {
    expectError(await ctx.admin.get('/api/attendances/987654321'), 404, 'Not Found');
    expectError(await ctx.admin.del('/api/attendances/987654321'), 404, 'Not Found');
    expectError(await ctx.admin.get('/api/attendances/987654321/image'), 404, 'Not Found');
  });
});

group('alternation within the local day', () => {
  test('a day may alternate check-in, check-out, check-in, check-out', async () => {
    const u = await freshUser();
    for (const [i, type] of ['checkin', 'checkout', 'checkin', 'checkout'].entries()) {
      await record(ctx.admin, { user_id: u.id, type, timestamp: at(DAY, 8 + i * 2) });
    }
    assert.equal((await eventsOf(u.id)).length, 4);
  });

  test('a check-out with no open check-in is a 409', async () => {
    const u = await freshUser();
    expectConflict(await post({ user_id: u.id, type: 'checkout', temperature: 36.6, timestamp: at(DAY, 8) }));
    assert.deepEqual(await eventsOf(u.id), []);
  });

  test('a second check-in while checked in is a 409 naming the open check-in', async () => {
    const u = await freshUser();
    const first = await record(ctx.admin, { user_id: u.id, type: 'checkin', timestamp: at(DAY, 7, 58, 12) });
    const res = expectConflict(await post({ user_id: u.id, type: 'checkin', temperature: 36.6, timestamp: at(DAY, 9) }), [first.id]);
    assert.ok(Array.isArray(res.json.errors.type), `the field at fault is "type"\n  ${describe(res)}`);
    assert.equal((await eventsOf(u.id)).length, 1);
  });

  test('a second check-out is a 409 naming the stored check-out', async () => {
    const u = await freshUser();
    await record(ctx.admin, { user_id: u.id, type: 'checkin', timestamp: at(DAY, 8) });
    const out = await record(ctx.admin, { user_id: u.id, type: 'checkout', timestamp: at(DAY, 12) });
    expectConflict(await post({ user_id: u.id, type: 'checkout', temperature: 36.6, timestamp: at(DAY, 13) }), [out.id]);
  });

  test('an event at the same instant as another of the user is a 409 naming it', async () => {
    const u = await freshUser();
    const a = await record(ctx.admin, { user_id: u.id, type: 'checkin', timestamp: at(DAY, 8) });
    expectConflict(await post({ user_id: u.id, type: 'checkout', temperature: 36.6, timestamp: at(DAY, 8) }), [a.id]);
  });

  test('an event inserted inside an interval that would break it is a 409', async () => {
    const u = await freshUser();
    const a = await record(ctx.admin, { user_id: u.id, type: 'checkin', timestamp: at(DAY, 8) });
    const b = await record(ctx.admin, { user_id: u.id, type: 'checkout', timestamp: at(DAY, 12) });
    expectConflict(await post({ user_id: u.id, type: 'checkin', temperature: 36.6, timestamp: at(DAY, 10) }), [a.id, b.id]);
    expectConflict(await post({ user_id: u.id, type: 'checkout', temperature: 36.6, timestamp: at(DAY, 10) }), [a.id, b.id]);
    // Before the day's first check-in, a check-out is also out of order.
    expectConflict(await post({ user_id: u.id, type: 'checkout', temperature: 36.6, timestamp: at(DAY, 7) }));
    assert.equal((await eventsOf(u.id)).length, 2);
  });

  test('a check-in left open does not carry over: the next day starts with a check-in', async () => {
    const u = await freshUser();
    await record(ctx.admin, { user_id: u.id, type: 'checkin', timestamp: at('2024-05-08', 8) });
    await record(ctx.admin, { user_id: u.id, type: 'checkin', timestamp: at('2024-05-09', 8) });
    expectConflict(await post({ user_id: u.id, type: 'checkout', temperature: 36.6, timestamp: at('2024-05-10', 8) }));
  });

  test('days are the school\'s local days, not UTC days (America/New_York)', async () => {
    const ny = await createSchool(ctx.admin, { timezone: 'America/New_York' });
    const u = await createUser(ctx.admin, ny.id);
    // 19:00 and 23:00 on May 8 in New York: one local day across two UTC days.
    const a = await record(ctx.admin, { user_id: u.id, type: 'checkin', timestamp: '2024-05-08T23:00:00Z' });
    expectConflict(await post({ user_id: u.id, type: 'checkin', temperature: 36.6, timestamp: '2024-05-09T03:00:00Z' }), [a.id]);
    // 01:00 on May 9 in New York: a new day.
    await record(ctx.admin, { user_id: u.id, type: 'checkin', timestamp: '2024-05-09T05:00:00Z' });
  });

  test('two local days within one UTC day are separate (Asia/Tokyo)', async () => {
    const tokyo = await createSchool(ctx.admin, { timezone: 'Asia/Tokyo' });
    const u = await createUser(ctx.admin, tokyo.id);
    await record(ctx.admin, { user_id: u.id, type: 'checkin', timestamp: '2024-05-08T10:00:00Z' }); // 19:00 May 8
    await record(ctx.admin, { user_id: u.id, type: 'checkin', timestamp: '2024-05-08T16:00:00Z' }); // 01:00 May 9
    // A check-out at 02:00 May 9 closes the second day's check-in.
    await record(ctx.admin, { user_id: u.id, type: 'checkout', timestamp: '2024-05-08T17:00:00Z' });
  });

  test('deleting an event that would break the day is a 409; deleting from the end is fine', async () => {
    const u = await freshUser();
    const a = await record(ctx.admin, { user_id: u.id, type: 'checkin', timestamp: at(DAY, 8) });
    const b = await record(ctx.admin, { user_id: u.id, type: 'checkout', timestamp: at(DAY, 12) });
    const c = await record(ctx.admin, { user_id: u.id, type: 'checkin', timestamp: at(DAY, 13) });
    expectConflict(await ctx.admin.del(`/api/attendances/${b.id}`), [a.id, c.id]);
    expectConflict(await ctx.admin.del(`/api/attendances/${a.id}`), [b.id]);
    assert.equal((await eventsOf(u.id)).length, 3);
    assert.equal(expectStatus(await ctx.admin.del(`/api/attendances/${c.id}`), 204).text, '');
    expectError(await ctx.admin.get(`/api/attendances/${c.id}`), 404, 'Not Found');
    expectStatus(await ctx.admin.del(`/api/attendances/${b.id}`), 204);
    expectStatus(await ctx.admin.del(`/api/attendances/${a.id}`), 204);
    assert.deepEqual(await eventsOf(u.id), []);
  });
});

group('double scans', () => {
  test('the same type within 2 minutes of the latest event is 200 with the stored event', async () => {
    const u = await freshUser();
    const first = await record(ctx.admin, { user_id: u.id, type: 'checkin', temperature: 36.6, timestamp: at(DAY, 8, 0) });
    for (const [mm, ss] of [[0, 0], [1, 0], [2, 0]]) {
      const res = expectStatus(await post({ user_id: u.id, type: 'checkin', temperature: 37.9, timestamp: at(DAY, 8, mm, ss) }), 200,
        `a repeat ${mm}:${ss} after is the same scan`);
      assert.deepEqual(res.data, first);
    }
    assert.equal((await eventsOf(u.id)).length, 1, 'a double scan stores nothing');
  });

  test('the same type more than 2 minutes after is an alternation conflict', async () => {
    const u = await freshUser();
    const first = await record(ctx.admin, { user_id: u.id, type: 'checkin', timestamp: at(DAY, 8, 0) });
    expectConflict(await post({ user_id: u.id, type: 'checkin', temperature: 36.6, timestamp: at(DAY, 8, 2, 1) }), [first.id]);
  });

  test('the same type just before the latest event is not a double scan', async () => {
    const u = await freshUser();
    const first = await record(ctx.admin, { user_id: u.id, type: 'checkin', timestamp: at(DAY, 8, 0) });
    expectConflict(await post({ user_id: u.id, type: 'checkin', temperature: 36.6, timestamp: at(DAY, 7, 59, 30) }), [first.id]);
  });

  test('a check-in just after midnight is the new day\'s first, not a double scan of the open one before', async () => {
    const u = await freshUser();
    const late = await record(ctx.admin, { user_id: u.id, type: 'checkin', timestamp: at(DAY, 23, 59, 30) });
    const next = expectStatus(await post({ user_id: u.id, type: 'checkin', temperature: 36.6, timestamp: at('2024-05-09', 0, 0, 30) }), 201);
    assert.notEqual(next.data.id, late.id);
    assert.equal((await eventsOf(u.id)).length, 2);
  });

  test('a check-out double scan answers the stored check-out', async () => {
    const u = await freshUser();
    await record(ctx.admin, { user_id: u.id, type: 'checkin', timestamp: at(DAY, 8) });
    const out = await record(ctx.admin, { user_id: u.id, type: 'checkout', timestamp: at(DAY, 12) });
    const res = expectStatus(await post({ user_id: u.id, type: 'checkout', temperature: 36.6, timestamp: at(DAY, 12, 0, 45) }), 200);
    assert.deepEqual(res.data, out);
    assert.equal((await eventsOf(u.id)).length, 2);
  });

  test('validation comes before the double scan', async () => {
    const u = await freshUser();
    await record(ctx.admin, { user_id: u.id, type: 'checkin', timestamp: at(DAY, 8) });
    expectFieldError(await post({ user_id: u.id, type: 'checkin', temperature: 50, timestamp: at(DAY, 8, 1) }), 'temperature');
  });

  test('a scan without timestamp right after one without timestamp is the same scan', async () => {
    const u = await freshUser();
    const first = await record(ctx.admin, { user_id: u.id, type: 'checkin' });
    const res = expectStatus(await post({ user_id: u.id, type: 'checkin', temperature: 36.6 }), 200);
    assert.equal(res.data.id, first.id);
  });
});

group('client_id and Idempotency-Key retries', () => {
  test('a retry with the same client_id answers 200 with the first event, even if the body changed', async () => {
    const u = await freshUser();
    const res = expectStatus(await post({ user_id: u.id, type: 'checkin', temperature: 36.6, timestamp: at(DAY, 8), client_id: 'kiosk-1-0001' }), 201);
    const first = res.data;
    assert.equal(first.client_id, 'kiosk-1-0001');
    const again = expectStatus(await post({ user_id: u.id, type: 'checkin', temperature: 36.6, timestamp: at(DAY, 8), client_id: 'kiosk-1-0001' }), 200);
    assert.deepEqual(again.data, first);
    // A body that would otherwise be a 409 (a check-out before the check-in) is still the retry.
    const changed = expectStatus(await post({ user_id: u.id, type: 'checkout', temperature: 37, timestamp: at(DAY, 7), client_id: 'kiosk-1-0001' }), 200);
    assert.deepEqual(changed.data, first);
    assert.equal((await eventsOf(u.id)).length, 1);
  });

  test('the Idempotency-Key header works as client_id', async () => {
    const u = await freshUser();
    const headers = { 'Idempotency-Key': 'idem-key-77' };
    const first = expectStatus(await post({ user_id: u.id, type: 'checkin', temperature: 36.6, timestamp: at(DAY, 8) }, { headers }), 201).data;
    assert.equal(first.client_id, 'idem-key-77');
    const again = expectStatus(await post({ user_id: u.id, type: 'checkin', temperature: 36.6, timestamp: at(DAY, 8, 30) }, { headers }), 200);
    assert.deepEqual(again.data, first);
    // The key as client_id in the body is the same retry.
    const body = expectStatus(await post({ user_id: u.id, type: 'checkout', temperature: 36.6, timestamp: at(DAY, 9), client_id: 'idem-key-77' }), 200);
    assert.deepEqual(body.data, first);
    assert.equal((await eventsOf(u.id)).length, 1);
  });

  test('an Idempotency-Key and a body client_id that differ are a 422 on client_id, and nothing is stored', async () => {
    const u = await freshUser();
    const headers = { 'Idempotency-Key': 'idem-key-88' };
    const res = expectStatus(await post({ user_id: u.id, type: 'checkin', temperature: 36.6, timestamp: at(DAY, 8), client_id: 'body-id-88' }, { headers }), 422);
    assert.deepEqual(res.json.errors, { client_id: ['does not match the Idempotency-Key header'] });
    assert.deepEqual(await eventsOf(u.id), []);
  });

  test('an Idempotency-Key equal to the body client_id is fine, and a retry with the header alone is that retry', async () => {
    const u = await freshUser();
    const headers = { 'Idempotency-Key': 'idem-key-99' };
    const first = expectStatus(await post({ user_id: u.id, type: 'checkin', temperature: 36.6, timestamp: at(DAY, 8), client_id: 'idem-key-99' }, { headers }), 201).data;
    assert.equal(first.client_id, 'idem-key-99');
    const again = expectStatus(await post({ user_id: u.id, type: 'checkin', temperature: 36.6, timestamp: at(DAY, 8) }, { headers }), 200);
    assert.deepEqual(again.data, first);
    assert.deepEqual(await eventsOf(u.id), [first]);
  });

  test('an Idempotency-Key that is not printable ASCII is a 422 and stores nothing', async () => {
    const u = await freshUser();
    const body = JSON.stringify({ attendance: { user_id: u.id, type: 'checkin', temperature: 36.6, timestamp: at(DAY, 8) } });
    // 0xC3 0x28 is not UTF-8: stored as a client_id, it would make every answer holding it unreadable JSON.
    for (const key of [Buffer.from([0x6b, 0xc3, 0x28]), Buffer.from('caf\u00e9'), Buffer.from('tab\there')]) {
      const head = `POST /api/attendances HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${ctx.server.adminToken}\r\n`
        + `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\nIdempotency-Key: `;
      const conn = await RawConnection.open(ctx.server.port);
      conn.write(Buffer.concat([Buffer.from(head), key, Buffer.from(`\r\n\r\n${body}`)]));
      await conn.waitForClose(5_000);
      assert.equal(conn.status(), 422, conn.text);
      assert.deepEqual(JSON.parse(conn.text.slice(conn.text.indexOf('\r\n\r\n') + 4)), { errors: { idempotency_key: ['must be printable ASCII'] } });
    }
    assert.deepEqual(await eventsOf(u.id), []);
  });

  test('the same client_id for another user is a new event', async () => {
    const u1 = await freshUser();
    const u2 = await freshUser();
    const a = expectStatus(await post({ user_id: u1.id, type: 'checkin', temperature: 36.6, timestamp: at(DAY, 8), client_id: 'shared-id' }), 201).data;
    const b = expectStatus(await post({ user_id: u2.id, type: 'checkin', temperature: 36.6, timestamp: at(DAY, 8), client_id: 'shared-id' }), 201).data;
    assert.notEqual(a.id, b.id);
    assert.equal(b.user_id, u2.id);
  });

  test('validation comes before the retry', async () => {
    const u = await freshUser();
    await record(ctx.admin, { user_id: u.id, type: 'checkin', timestamp: at(DAY, 8), client_id: 'valid-first' });
    expectFieldError(await post({ user_id: u.id, type: 'checkin', temperature: 12, timestamp: at(DAY, 8), client_id: 'valid-first' }), 'temperature');
  });

  test('a new client_id after the window is judged by the alternation', async () => {
    const u = await freshUser();
    const first = await record(ctx.admin, { user_id: u.id, type: 'checkin', timestamp: at(DAY, 8), client_id: 'c-1' });
    expectConflict(await post({ user_id: u.id, type: 'checkin', temperature: 36.6, timestamp: at(DAY, 9), client_id: 'c-2' }), [first.id]);
  });
});

group('images', () => {
  const image = async (attendance) => {
    const res = expectStatus(await ctx.admin.get(attendance.image_url), 200);
    return { type: res.headers.get('content-type'), bytes: res.bytes };
  };

  test('a base64 PNG is stored and served back with image/png', async () => {
    const u = await freshUser();
    const a = await record(ctx.admin, { user_id: u.id, type: 'checkin', timestamp: at(DAY, 8), image: kPng });
    assert.equal(a.image_url, `/api/attendances/${a.id}/image`);
    const got = await image(a);
    assert.equal(got.type, 'image/png');
    assert.deepEqual(got.bytes, Buffer.from(kPng, 'base64'));
  });

  test('a data: URL JPEG is served with image/jpeg', async () => {
    const u = await freshUser();
    const a = await record(ctx.admin, { user_id: u.id, type: 'checkin', timestamp: at(DAY, 8), image: `data:image/jpeg;base64,${kJpeg}` });
    const got = await image(a);
    assert.equal(got.type, 'image/jpeg');
    assert.deepEqual(got.bytes, Buffer.from(kJpeg, 'base64'));
  });

  test('a WebP is served with image/webp', async () => {
    const u = await freshUser();
    const a = await record(ctx.admin, { user_id: u.id, type: 'checkin', timestamp: at(DAY, 8), image: kWebp });
    const got = await image(a);
    assert.equal(got.type, 'image/webp');
    assert.deepEqual(got.bytes, Buffer.from(kWebp, 'base64'));
  });

  test('the content type comes from the bytes, not from what the data: URL claims', async () => {
    const u = await freshUser();
    const a = await record(ctx.admin, { user_id: u.id, type: 'checkin', timestamp: at(DAY, 8), image: `data:image/png;base64,${kJpeg}` });
    assert.equal((await image(a)).type, 'image/jpeg');
  });

  test('the same image on two attendances is served for both', async () => {
    const u = await freshUser();
    const a = await record(ctx.admin, { user_id: u.id, type: 'checkin', timestamp: at(DAY, 8), image: kPng });
    const b = await record(ctx.admin, { user_id: u.id, type: 'checkout', timestamp: at(DAY, 9), image: kPng });
    assert.deepEqual((await image(a)).bytes, (await image(b)).bytes);
  });

  test('an attendance without an image has image_url null and its image is 404', async () => {
    const u = await freshUser();
    const a = await record(ctx.admin, { user_id: u.id, type: 'checkin', timestamp: at(DAY, 8) });
    assert.equal(a.image_url, null);
    expectError(await ctx.admin.get(`/api/attendances/${a.id}/image`), 404, 'Not Found');
  });

  const notImages = {
    'text bytes': Buffer.from('hello, this is not a picture').toString('base64'),
    'a GIF': 'R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==',
    'invalid base64': '%%%not*base64%%%',
    'a data: URL of text': `data:text/plain;base64,${Buffer.from('hi').toString('base64')}`,
    'an empty string': '',
  };
  for (const [what, value] of Object.entries(notImages)) {
    test(`${what} is a 422 on image and nothing is stored`, async () => {
      const u = await freshUser();
      expectFieldError(await post({ user_id: u.id, type: 'checkin', temperature: 36.6, timestamp: at(DAY, 8), image: value }), 'image');
      assert.deepEqual(await eventsOf(u.id), []);
    });
  }

  test('an image of exactly 512 KiB is accepted, one byte more is a 422 on image', async () => {
    const png = Buffer.from(kPng, 'base64');
    const exact = Buffer.concat([png, Buffer.alloc(512 * 1024 - png.length)]);
    const over = Buffer.concat([png, Buffer.alloc(512 * 1024 + 1 - png.length)]);
    const u = await freshUser();
    const a = await record(ctx.admin, { user_id: u.id, type: 'checkin', timestamp: at(DAY, 8), image: exact.toString('base64') });
    assert.equal((await image(a)).bytes.length, 512 * 1024);
    expectFieldError(await post({ user_id: u.id, type: 'checkout', temperature: 36.6, timestamp: at(DAY, 9), image: over.toString('base64') }), 'image');
  });
});

group('concurrency', () => {
  const shuffle = (xs) => xs.map((x) => [Math.random(), x]).sort((a, b) => a[0] - b[0]).map(([, x]) => x);

  test('parallel check-ins of one user on one day: exactly one 201, the rest 409', async () => {
    const u = await freshUser();
    // 3 minutes apart, each valid alone, none a double scan of another.
    const times = shuffle(Array.from({ length: 16 }, (_, i) => at('2024-05-10', 8, i * 3)));
    const results = await Promise.all(times.map((timestamp) => post({ user_id: u.id, type: 'checkin', temperature: 36.6, timestamp })));
    const statuses = results.map((r) => r.status).sort();
    assert.equal(statuses.filter((s) => s === 201).length, 1, `statuses: ${statuses.join(',')}\n  ${results.filter((r) => r.status !== 409).map(describe).join('\n  ')}`);
    assert.equal(statuses.filter((s) => s === 409).length, times.length - 1, `statuses: ${statuses.join(',')}`);
    const stored = await eventsOf(u.id);
    assert.equal(stored.length, 1, `stored: ${JSON.stringify(stored)}`);
  });

  test('parallel check-outs after one check-in: exactly one 201', async () => {
    const u = await freshUser();
    await record(ctx.admin, { user_id: u.id, type: 'checkin', timestamp: at('2024-05-10', 7) });
    const times = shuffle(Array.from({ length: 12 }, (_, i) => at('2024-05-10', 9, i * 3)));
    const results = await Promise.all(times.map((timestamp) => post({ user_id: u.id, type: 'checkout', temperature: 36.6, timestamp })));
    const statuses = results.map((r) => r.status).sort();
    assert.deepEqual(statuses, [201, ...Array(times.length - 1).fill(409)], `statuses: ${statuses.join(',')}`);
    assert.equal((await eventsOf(u.id)).length, 2);
  });

  test('parallel retries of one client_id: one 201, the rest 200 with the same event', async () => {
    const u = await freshUser();
    const body = { user_id: u.id, type: 'checkin', temperature: 36.6, timestamp: at('2024-05-10', 8), client_id: 'burst-1' };
    const results = await Promise.all(Array.from({ length: 12 }, () => post(body)));
    const statuses = results.map((r) => r.status).sort();
    assert.deepEqual(statuses, [...Array(11).fill(200), 201], `statuses: ${statuses.join(',')}`);
    const ids = new Set(results.map((r) => r.data.id));
    assert.equal(ids.size, 1, 'every answer is the same event');
    assert.equal((await eventsOf(u.id)).length, 1);
  });

  test('parallel check-ins of different users all succeed', async () => {
    const s = await createSchool(ctx.admin);
    const users = await Promise.all(Array.from({ length: 16 }, () => createUser(ctx.admin, s.id)));
    const results = await Promise.all(users.map((u) => post({ user_id: u.id, type: 'checkin', temperature: 36.6, timestamp: at('2024-05-10', 8) })));
    assert.deepEqual(results.map((r) => r.status), Array(users.length).fill(201), results.filter((r) => r.status !== 201).map(describe).join('\n'));
    assert.equal(new Set(results.map((r) => r.data.id)).size, users.length);
  });
});
