// What the text fields of every write refuse and keep, beyond C0/C1 controls (security_malformed
// _input and the resource suites test those): the line and paragraph separators (U+2028/U+2029,
// line breaks to JavaScript and log viewers) and the bidirectional embeddings, overrides and
// isolates (the "Trojan Source" spoofing of a name in the dashboard, a CSV or a log) are a 422
// "must not contain control characters" in each free-text field, while the marks and joiners of
// right-to-left and Indic names are stored as sent; a client_id, the Idempotency-Key standing for
// it and a token's name are "can't be blank" when blank. A refused request changes nothing.

import assert from 'node:assert/strict';
import { describe as group, test } from 'node:test';
import { describe, expectStatus } from './support/client.mjs';
import { at, createSchool, createUser, snapshot as snapshotOf, unique, useServer } from './support/fixtures.mjs';
import { RawConnection } from './support/raw_http.mjs';

const DAY = '2024-05-08';
const w = {};
const ctx = useServer({ setup: buildWorld });

async function buildWorld(c) {
  w.school = await createSchool(c.admin, { name: unique('Text school') });
  w.user = await createUser(c.admin, w.school.id, { external_id: unique('CARD') });
}

// Everything a refused request could have changed, as the admin sees it.
const snapshot = () => snapshotOf(ctx.admin, w.school.id);

const kSeparators = { 'U+2028 line separator': '\u2028', 'U+2029 paragraph separator': '\u2029' };
const kBidiControls = {
  'U+202A LRE': '\u202a', 'U+202B RLE': '\u202b', 'U+202C PDF': '\u202c', 'U+202D LRO': '\u202d', 'U+202E RLO': '\u202e',
  'U+2066 LRI': '\u2066', 'U+2067 RLI': '\u2067', 'U+2068 FSI': '\u2068', 'U+2069 PDI': '\u2069',
};
const kRefused = { ...kSeparators, ...kBidiControls };

// Each free-text field of each write: how to send a value in it, and (for the batch) where its
// answer is. Every request but the field's is valid, so a 422 is the field's alone.
const kEventBase = () => ({ user_id: w.user.id, type: 'checkin', temperature: 36.6, timestamp: at(DAY, 8) });
const kTextFields = [
  ['POST /api/schools', 'name', (v) => ctx.admin.post('/api/schools', { school: { name: v } })],
  ['PATCH /api/schools/:id', 'name', (v) => ctx.admin.patch(`/api/schools/${w.school.id}`, { school: { name: v } })],
  ['POST /api/users', 'name', (v) => ctx.admin.post('/api/users', { user: { name: v, school_id: w.school.id } })],
  ['POST /api/users', 'external_id', (v) => ctx.admin.post('/api/users', { user: { name: unique('U'), school_id: w.school.id, external_id: v } })],
  ['PATCH /api/users/:id', 'name', (v) => ctx.admin.patch(`/api/users/${w.user.id}`, { user: { name: v } })],
  ['PATCH /api/users/:id', 'external_id', (v) => ctx.admin.patch(`/api/users/${w.user.id}`, { user: { external_id: v } })],
  ['POST /api/schools/:id/closures', 'reason', (v) => ctx.admin.post(`/api/schools/${w.school.id}/closures`, { closure: { date: '2032-03-03', reason: v } })],
  ['POST /api/attendances', 'client_id', (v) => ctx.admin.post('/api/attendances', { attendance: { ...kEventBase(), client_id: v } })],
  ['POST /api/attendances/batch', 'client_id', (v) => ctx.admin.post('/api/attendances/batch', { attendances: [{ ...kEventBase(), client_id: v }] }), 'batch'],
  ['POST /api/tokens', 'name', (v) => ctx.admin.post('/api/tokens', { token: { name: v, role: 'device', school_id: w.school.id } })],
];

// The 422 errors of an answer (of its one item, for a batch).
function errorsOf(res, batch, what) {
  if (!batch) return expectStatus(res, 422, what).json.errors;
  const [item] = expectStatus(res, 200, what).data;
  assert.equal(item.status, 422, `${what}: the item is refused\n  ${describe(res)}`);
  const { detail, ...fields } = item.errors;
  return fields;
}

group('line separators and bidi controls', () => {
  test('each is a 422 "must not contain control characters" in every free-text field, inside or around the text, and nothing changes', async () => {
    const before = await snapshot();
    for (const [route, field, send, batch] of kTextFields) {
      for (const [name, char] of Object.entries(kRefused)) {
        // external_id is trimmed of edge whitespace first, and U+2028/U+2029 are whitespace:
        // there they go as a trailing LF does, so they are tested inside it only.
        for (const value of [`Ada${char}Lovelace`, `${char}Ada`, `Ada${char}`]) {
          if (field === 'external_id' && Object.values(kSeparators).includes(char) && value !== `Ada${char}Lovelace`) continue;
          const what = `${route} ${field}: ${name} in ${JSON.stringify(value)}`;
          assert.deepEqual(errorsOf(await send(value), batch, what), { [field]: ['must not contain control characters'] }, what);
        }
      }
    }
    assert.deepEqual(await snapshot(), before);
  });

  test('a "Trojan Source" name (RLO then reversed text) is refused on create and on update', async () => {
    // Displayed as "Ada exe.pdf".
    const spoof = 'Ada \u202efdp.exe\u202c';
    const s = await createSchool(ctx.admin);
    const before = await snapshot();
    for (const res of [await ctx.admin.post('/api/users', { user: { name: spoof, school_id: s.id } }),
      await ctx.admin.patch(`/api/schools/${s.id}`, { school: { name: spoof } })]) {
      assert.deepEqual(expectStatus(res, 422).json.errors, { name: ['must not contain control characters'] });
    }
    assert.deepEqual(await snapshot(), before);
  });

  test('the marks and joiners right-to-left and Indic names use (LRM, RLM, ALM, ZWNJ, ZWJ) are stored and read back as sent', async () => {
    const names = [
      `\u05d3\u05e0\u05d4 \u05dc\u05d5\u05d9\u200f (${unique('Dana')})`, // Hebrew, RLM before the Latin part
      `\u200e${unique('A-7')} \u0645\u0631\u064a\u0645`, // LRM before a Latin id in an Arabic name
      `\u061c\u0661\u0662 ${unique('ALM')}`, // ALM before Arabic-Indic digits
      `\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645 ${unique('ZWNJ')}`, // Persian, ZWNJ
      `\u0915\u094d\u200d\u0937 ${unique('ZWJ')}`, // Devanagari, ZWJ
    ];
    for (const name of names) {
      const what = JSON.stringify(name);
      const school = expectStatus(await ctx.admin.post('/api/schools', { school: { name } }), 201, what).data;
      assert.equal(school.name, name, what);
      assert.equal(expectStatus(await ctx.admin.get(`/api/schools/${school.id}`), 200).data.name, name, what);
      // An id is compared, not read: the marks around it are trimmed (users.test.mjs).
      const user = expectStatus(await ctx.admin.post('/api/users', { user: { name, school_id: school.id, external_id: `\u200f${name.length}\u200e` } }), 201, what).data;
      assert.equal(user.name, name, what);
      assert.equal(user.external_id, `${name.length}`, what);
      assert.deepEqual(expectStatus(await ctx.admin.get(`/api/users/${user.id}`), 200).data, user, what);
      const closure = expectStatus(await ctx.admin.post(`/api/schools/${school.id}/closures`, { closure: { date: '2032-04-04', reason: name } }), 201, what).data;
      assert.equal(closure.reason, name, what);
      const token = expectStatus(await ctx.admin.post('/api/tokens', { token: { name, role: 'device', school_id: school.id } }), 201, what).data;
      assert.equal(token.name, name, what);
      const event = expectStatus(await ctx.admin.post('/api/attendances', { attendance: { user_id: user.id, type: 'checkin', temperature: 36.6, timestamp: at(DAY, 8), client_id: name } }), 201, what).data;
      assert.equal(event.client_id, name, what);
    }
  });
});

group('blank client_id, Idempotency-Key and token name', () => {
  const kBlanks = ['', ' ', '   ', '\u00a0', '\u3000\ufeff', '\u2003\u200b'];

  test('a blank client_id is a 422 "can\'t be blank", alone and in a batch, and nothing is stored', async () => {
    const before = await snapshot();
    for (const [route, field, send, batch] of kTextFields.filter(([, f]) => f === 'client_id')) {
      for (const value of kBlanks) {
        const what = `${route}: ${JSON.stringify(value)}`;
        assert.deepEqual(errorsOf(await send(value), batch, what), { client_id: ["can't be blank"] }, what);
      }
    }
    assert.deepEqual(await snapshot(), before);
  });

  test('a blank token name is a 422 "can\'t be blank", and no token is minted', async () => {
    const before = await snapshot();
    for (const name of kBlanks) {
      const res = await ctx.admin.post('/api/tokens', { token: { name, role: 'device', school_id: w.school.id } });
      assert.deepEqual(expectStatus(res, 422, JSON.stringify(name)).json.errors, { name: ["can't be blank"] });
    }
    assert.deepEqual(await snapshot(), before);
  });

  test('an Idempotency-Key header given blank is a 422 on idempotency_key, and nothing is stored', async () => {
    const before = await snapshot();
    const body = JSON.stringify({ attendance: kEventBase() });
    for (const key of ['', ' ', '   ', '\t']) {
      const conn = await RawConnection.open(ctx.server.port);
      conn.write(Buffer.from(`POST /api/attendances HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${ctx.server.adminToken}\r\n`
        + `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n`
        + `Idempotency-Key:${key}\r\n\r\n${body}`));
      await conn.waitForClose(5_000);
      const what = `Idempotency-Key: ${JSON.stringify(key)}`;
      assert.equal(conn.status(), 422, `${what}\n${conn.text}`);
      assert.deepEqual(JSON.parse(conn.text.slice(conn.text.indexOf('\r\n\r\n') + 4)), { errors: { idempotency_key: ["can't be blank"] } }, what);
    }
    // Through fetch too, as a client library would send an empty key.
    const res = await ctx.admin.post('/api/attendances', { attendance: kEventBase() }, { headers: { 'Idempotency-Key': '' } });
    assert.deepEqual(expectStatus(res, 422).json.errors, { idempotency_key: ["can't be blank"] });
    assert.deepEqual(await snapshot(), before);
  });
});
