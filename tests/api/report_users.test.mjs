// The per-user rows of a report (include=users) name each user by card number too: a school has
// several students of one name, and an admin reading a CSV must tell which is which.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expectStatus } from './support/client.mjs';
import { at, createSchool, createUser, record, useServer } from './support/fixtures.mjs';

const ctx = useServer();
const kDay = '2024-03-06';  // a Wednesday

async function usersOfDay(api, schoolId) {
  const res = expectStatus(await api.get(`/api/attendances/aggregate/school/${schoolId}?period=day&date=${kDay}&include=users`), 200);
  return new Map(res.data.users.map((row) => [row.user_id, row]));
}

test('report rows carry external_id (null without one), and a changed card number shows in the next report', async () => {
  const school = await createSchool(ctx.admin, { timezone: 'UTC' });
  const carded = await createUser(ctx.admin, school.id, { name: 'Finn Varga', external_id: 'CARD-1', enrolled_on: '2024-01-08' });
  const plain = await createUser(ctx.admin, school.id, { name: 'Finn Varga', enrolled_on: '2024-01-08' });
  await record(ctx.admin, { user_id: carded.id, type: 'checkin', timestamp: at(kDay, 8) });
  await record(ctx.admin, { user_id: carded.id, type: 'checkout', timestamp: at(kDay, 15) });

  let rows = await usersOfDay(ctx.admin, school.id);
  assert.equal(rows.get(carded.id).external_id, 'CARD-1');
  assert.equal(rows.get(plain.id).external_id, null);

  // The report above is cached; the change must not leave the old card number in it.
  expectStatus(await ctx.admin.patch(`/api/users/${carded.id}`, { user: { external_id: 'CARD-9' } }), 200);
  expectStatus(await ctx.admin.patch(`/api/users/${plain.id}`, { user: { external_id: '=CARD-2' } }), 200);
  rows = await usersOfDay(ctx.admin, school.id);
  assert.equal(rows.get(carded.id).external_id, 'CARD-9');
  assert.equal(rows.get(plain.id).external_id, '=CARD-2');

  const csv = expectStatus(await ctx.admin.get(`/api/attendances/aggregate/school/${school.id}?period=day&date=${kDay}&include=users&format=csv`), 200);
  const lines = csv.text.trimEnd().split('\r\n');
  assert.equal(lines[0], 'school_id,period,from,to,user_id,name,external_id,present,present_days,school_days,seconds,missing_checkout');
  assert.ok(lines.includes(`${school.id},day,${kDay},${kDay},${carded.id},Finn Varga,CARD-9,true,1,1,25200,false`), csv.text);
  // A card number is user text like a name: the formula guard covers it too.
  assert.ok(lines.includes(`${school.id},day,${kDay},${kDay},${plain.id},Finn Varga,'=CARD-2,false,0,1,0,false`), csv.text);
});
