// Malformed input on EVERY route that takes a body (OWASP API8 misconfiguration / API4 resource
// consumption): broken JSON, the wrong content type, JSON that is not an object, nesting 10,000
// deep, invalid UTF-8, raw control characters, and, for each field the spec documents for the
// route's body, values of the wrong type or format, huge numbers, NaN-like strings and very long
// strings. Each answer is a clear 4xx (400, 415 or 422 naming the field; never a 5xx), goes through
// support/client.mjs (the spec, and no internals in prod), and nothing is stored or changed.

import assert from 'node:assert/strict';
import net from 'node:net';
import { describe as group, test } from 'node:test';
import { describe, expectStatus } from './support/client.mjs';
import { at, createSchool, createToken, createUser, listAll, record, snapshot as snapshotOf, unique, useServer } from './support/fixtures.mjs';
import { spec } from './support/openapi.mjs';
import { RawConnection } from './support/raw_http.mjs';
import { servedRoutes, takesBody } from './support/routes.mjs';

const w = {};
const ctx = useServer({ setup: buildWorld });

async function buildWorld(c) {
  w.school = await createSchool(c.admin, { name: unique('Malformed') });
  w.user = await createUser(c.admin, w.school.id, { external_id: unique('CARD') });
  w.attendance = await record(c.admin, { user_id: w.user.id, type: 'checkin', timestamp: at('2024-05-08', 8) });
  w.token = await createToken(c.admin, 'device', w.school.id);
}

// A value the test sends as raw JSON text (numbers JSON.stringify can't write).
const raw = (text) => ({ raw: text });
const isRaw = (value) => value !== null && typeof value === 'object' && Object.keys(value).length === 1 && 'raw' in value;
const holdsRaw = (value) => isRaw(value) || (Array.isArray(value) && value.some(holdsRaw));
const kRawMarker = '@@raw@@';
function encode(body) {
  const texts = [];
  const json = JSON.stringify(body, (key, value) => {
    if (!isRaw(value)) return value;
    texts.push(value.raw);
    return kRawMarker;
  });
  return json.split(`"${kRawMarker}"`).map((part, i) => (i === 0 ? part : texts[i - 1] + part)).join('');
}

// Every body route: its path, the resource name wrapping the body, a valid base body (the bad
// field is added to it) and the spec schema of its fields. `item` routes carry one event in a batch.
const bodyRoutes = {
  'POST /api/schools': { path: () => '/api/schools', resource: 'school', base: () => ({ name: unique('S') }), schema: 'SchoolCreateInput' },
  'PATCH /api/schools/{}': { path: () => `/api/schools/${w.school.id}`, resource: 'school', base: () => ({}), schema: 'SchoolInput' },
  'PUT /api/schools/{}': { path: () => `/api/schools/${w.school.id}`, resource: 'school', base: () => ({}), schema: 'SchoolInput' },
  'POST /api/schools/{}/closures': { path: () => `/api/schools/${w.school.id}/closures`, resource: 'closure', base: () => ({ date: '2032-02-02' }), schema: 'ClosureInput' },
  'POST /api/users': { path: () => '/api/users', resource: 'user', base: () => ({ name: unique('U'), school_id: w.school.id }), schema: 'UserCreateInput' },
  'PATCH /api/users/{}': { path: () => `/api/users/${w.user.id}`, resource: 'user', base: () => ({}), schema: 'UserInput' },
  'PUT /api/users/{}': { path: () => `/api/users/${w.user.id}`, resource: 'user', base: () => ({}), schema: 'UserInput' },
  'POST /api/attendances': {
    path: () => '/api/attendances', resource: 'attendance', schema: 'AttendanceInput',
    base: () => ({ user_id: w.user.id, type: 'checkout', temperature: 36.6, timestamp: at('2024-05-08', 9) }),
  },
  'POST /api/attendances/batch': {
    path: () => '/api/attendances/batch', resource: 'attendances', schema: 'AttendanceInput', batch: true,
    base: () => ({ user_id: w.user.id, type: 'checkout', temperature: 36.6, timestamp: at('2024-05-08', 9) }),
  },
  'POST /api/tokens': { path: () => '/api/tokens', resource: 'token', base: () => ({ name: unique('T'), role: 'device', school_id: w.school.id }), schema: 'TokenInput' },
};

// The spec's fields of a component schema (allOf merged, refs resolved; a node's own keys, such
// as `nullable` beside an allOf, kept).
function resolveSchema(node) {
  let current = node;
  while (current?.$ref) current = spec.components.schemas[current.$ref.split('/').pop()];
  if (current?.allOf) {
    const { allOf, ...own } = current;
    return [...allOf.map(resolveSchema), own].reduce((a, b) => ({ ...a, ...b, properties: { ...a.properties, ...b.properties } }), {});
  }
  return current ?? {};
}
const fieldsOf = (name) => Object.entries(resolveSchema(spec.components.schemas[name]).properties ?? {})
  .map(([field, schema]) => [field, resolveSchema(schema)]);

const kLong = 'x'.repeat(100_000);
// Values that are not a valid `schema`, whatever the rest of the body.
function wrongValues(schema) {
  // A field the spec does not call nullable always has a value: null can't clear it.
  const values = schema.nullable ? [] : [null];
  if (schema.type === 'integer') {
    return [...values, '1', 1.5, true, [], {}, -1, 0, 'NaN', raw('99999999999999999999999'), raw('1e400'), raw('-0.5e-400')];
  }
  if (schema.type === 'number') {
    return [...values, '36.6', 'NaN', 'Infinity', '-Infinity', true, [], {}, raw('1e400'), raw('-1e400'), 1e308, -1e308];
  }
  if (schema.type === 'array') return [...values, '1,2', 5, {}, [1.5], ['1'], [1, 1], [], [8], [raw('1e400')], [[1]]];
  // NUL can't be stored on PostgreSQL (it was cut there, silently); other controls forge logs and
  // CSV lines: tab, CR and LF (base64 may be wrapped in lines, but these are not base64), C1, and
  // the line and paragraph separators; bidi overrides and isolates show text as other text.
  values.push(12345, 1.5, true, {}, ['x'], kLong, 'a\u0000b', '\u0000', 'a\u001b[2Jb', 'a\u0007', '\u007f',
    'a\tb', 'a\r\nb', 'a\nb', 'a\u0085b', '\u009b2J', 'a\u2028b', 'a\u2029b', 'a\u202eb', 'a\u202ab', 'a\u2067b');
  // Blank counts Unicode whitespace.
  if (schema.minLength) values.push('', ' ', '\u00a0\u3000');
  if (schema.enum) values.push('nope', schema.enum[0].toUpperCase(), `${schema.enum[0]} `);
  if (schema.format === 'date') values.push('2024-02-30', '2024-5-8', 'tomorrow', '2024-05-08T00:00:00Z');
  if (schema.format === 'date-time') values.push('2024-05-08T25:00:00Z', '2024-05-08 08:00', '2024-05-08T08:00:00', 'NaN', '1715155200');
  return values;
}

// Bodies that are broken whatever the route.
function brokenBodies(resource) {
  const nested = (n) => `${'['.repeat(n)}${']'.repeat(n)}`;
  const utf8 = (bytes) => Buffer.concat([Buffer.from(`{"${resource}": {"name": "`), Buffer.from(bytes), Buffer.from('"}}')]);
  return [
    ['truncated JSON', '{"oops":'],
    ['a trailing comma', '{"a": 1,}'],
    ['single quotes', "{'a': 1}"],
    ['plain words', 'hello'],
    ['form encoding sent as JSON', 'name=x&school_id=1'],
    ['JSON and garbage after it', '{} {}'],
    ['an array', '[]'],
    ['an array of objects', `[{"${resource}": {}}]`],
    ['a string', '"x"'],
    ['a number', '42'],
    ['null', 'null'],
    ['true', 'true'],
    ['10,000 nested arrays', nested(10_000)],
    ['10,000 nested objects', `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`],
    ['10,000 nested arrays inside the resource', `{"${resource}": {"name": ${nested(10_000)}}}`],
    ['invalid UTF-8 (ff fe)', utf8([0xff, 0xfe])],
    ['overlong UTF-8 (c0 af)', utf8([0xc0, 0xaf])],
    ['a UTF-8 surrogate (ed a0 80)', utf8([0xed, 0xa0, 0x80])],
    ['a truncated UTF-8 sequence (e2 82)', utf8([0xe2, 0x82])],
    ['a raw NUL byte in a string', utf8([0x00])],
    ['a raw control character in a string', utf8([0x07])],
    ['an escaped lone high surrogate', `{"${resource}": {"name": "a\\ud800b"}}`],
    ['an escaped lone low surrogate', `{"${resource}": {"name": "a\\udc00b"}}`],
    ['a byte order mark before the JSON', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{}')])],
  ];
}

const kWrongTypes = ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'application/jsonp', 'text/json', null];

// Everything a refused request could have changed, as the admin sees it.
const snapshot = () => snapshotOf(ctx.admin, w.school.id);

test('every served route that takes a body has a malformed-input case', async () => {
  const served = (await servedRoutes()).filter(takesBody);
  assert.deepEqual({
    missing: served.filter((r) => !(r in bodyRoutes)),
    stale: Object.keys(bodyRoutes).filter((r) => !served.includes(r)),
  }, { missing: [], stale: [] });
});

for (const [route, r] of Object.entries(bodyRoutes)) {
  const method = route.split(' ')[0];
  const send = (payload, contentType) => ctx.admin.request(method, r.path(), undefined, { raw: payload, contentType });
  const wrap = (fields) => (r.batch ? { attendances: [fields] } : { [r.resource]: fields });
  const isUpdate = method !== 'POST';

  group(route, () => {
    test('broken bodies are a 400 (or 422), and nothing changes', async () => {
      const before = await snapshot();
      for (const [what, payload] of brokenBodies(r.resource)) {
        const res = await send(payload);
        expectStatus(res, [400, 422], what);
        assert.ok(res.json.errors, `${what}: an errors body\n  ${describe(res)}`);
      }
      // The resource's key holding something else than an object (the batch's holds an array).
      for (const inner of ['5', '"x"', 'null', r.batch ? '{}' : '[{}]', 'true']) {
        const res = expectStatus(await send(`{"${r.resource}": ${inner}}`), 422, `${r.resource}: ${inner}`);
        assert.ok(res.json.errors[r.resource], describe(res));
      }
      expectStatus(await ctx.admin.get('/healthz'), 200);
      assert.deepEqual(await snapshot(), before);
    });

    test('a body that is not JSON by its content type is a 415, and nothing changes', async () => {
      const before = await snapshot();
      const body = JSON.stringify(wrap(r.base()));
      for (const type of kWrongTypes) {
        const res = expectStatus(await send(body, type), 415, `content-type ${type}`);
        assert.deepEqual(res.json, { errors: { detail: 'Unsupported Media Type' } });
      }
      assert.deepEqual(await snapshot(), before);
    });

    test('each documented field with a wrong type, format or size is refused naming the field, and nothing changes', async () => {
      const before = await snapshot();
      const fields = fieldsOf(r.schema);
      assert.ok(fields.length > 0, `${r.schema} documents its fields`);
      for (const [field, schema] of fields) {
        for (const value of wrongValues(schema)) {
          const what = `${field}: ${encode(value).slice(0, 60)}`;
          const res = await send(encode(wrap({ ...r.base(), [field]: value })));
          if (res.status === 400 && holdsRaw(value)) continue; // a number a double can't hold may be a parse error
          if (r.batch) {
            expectStatus(res, 200, what);
            const [item] = res.data;
            assert.equal(item.status, 422, `${what}: the item is refused\n  ${describe(res)}`);
            assert.ok(item.errors[field], `${what}: the item's errors name ${field}\n  ${describe(res)}`);
          } else {
            expectStatus(res, 422, what);
            assert.ok(res.json.errors[field], `${what}: the errors name ${field}\n  ${describe(res)}`);
          }
        }
      }
      assert.deepEqual(await snapshot(), before);
    });
  });
}

test('garbage in query strings is a 4xx or ignored, never a 5xx', async () => {
  const values = ['', 'abc', '-1', '0', '1.5', '1e400', '99999999999999999999999', '%00', '%ff', '%zz', 'a'.repeat(5000), '[]', '{"a":1}'];
  const paths = [
    '/api/schools', '/api/users', '/api/attendances', `/api/schools/${w.school.id}/closures`, `/api/schools/${w.school.id}/fever_events`,
    `/api/attendances/aggregate/school/${w.school.id}`, '/api/tokens',
  ];
  const params = ['limit', 'after', 'school_id', 'user_id', 'type', 'from', 'to', 'date', 'period', 'include', 'format', 'cascade'];
  for (const path of paths) {
    for (const param of params) {
      for (const value of values) {
        const res = await ctx.admin.get(`${path}?${param}=${value}`);
        assert.ok(res.status < 500 && [200, 400, 404, 422].includes(res.status), describe(res));
      }
    }
  }
  for (const path of [`/api/users/${w.user.id}?cascade=%zz`, `/api/schools/${w.school.id}?cascade=1e400`]) {
    assert.ok((await ctx.admin.del(path)).status < 500, path);
  }
  expectStatus(await ctx.admin.get(`/api/users/${w.user.id}`), 200, 'the user is still there');
});

test('an image given as a URL is a 422 and is never fetched (no server-side request)', async () => {
  const connections = [];
  const listener = net.createServer((socket) => {
    connections.push(socket.remoteAddress);
    socket.destroy();
  });
  await new Promise((resolve) => { listener.listen(0, '127.0.0.1', resolve); });
  try {
    const { port } = listener.address();
    for (const image of [`http://127.0.0.1:${port}/photo.png`, `https://127.0.0.1:${port}/photo.png`, `//127.0.0.1:${port}/photo.png`,
      'file:///etc/passwd', `data:image/png;base64,http://127.0.0.1:${port}/`, `data:image/png,http://127.0.0.1:${port}/photo.png`]) {
      const res = await ctx.admin.post('/api/attendances', { attendance: { user_id: w.user.id, type: 'checkout', temperature: 36.6, timestamp: at('2024-05-08', 9), image } });
      expectStatus(res, 422, image);
      assert.ok(res.json.errors.image, describe(res));
    }
    // The answers came after any fetch the server could have made: none was tried.
    assert.deepEqual(connections, []);
  } finally {
    listener.close();
  }
});

test('SQL in text is stored and read back as text; SQL in a filter is a 422', async () => {
  for (const name of ["Robert'); DROP TABLE users;--", '" OR 1=1 --', "x' UNION SELECT secret_hash FROM api_tokens --"]) {
    const user = await createUser(ctx.admin, w.school.id, { name, external_id: name.slice(0, 100) });
    assert.equal(expectStatus(await ctx.admin.get(`/api/users/${user.id}`), 200).data.name, name);
    expectStatus(await ctx.admin.del(`/api/users/${user.id}`), 204);
  }
  for (const query of ["school_id=1 OR 1=1", "user_id=1;DELETE FROM users", "type=checkin' OR '1'='1", "from=2024-01-01' OR '1'='1", "after=0 OR 1=1"]) {
    expectStatus(await ctx.admin.get(`/api/attendances?${query.replace(/ /g, '%20').replace(/;/g, '%3B')}`), 422, query);
  }
  expectStatus(await ctx.admin.get(`/api/users/${w.user.id}`), 200, 'users are all there');
});

test('a request the HTTP parser refuses is answered 400 with a request id, then the connection closes', async () => {
  const auth = `Authorization: Bearer ${ctx.server.adminToken}\r\n`;
  const cases = [
    ['a garbage request line', 'NOT HTTP AT ALL\r\n\r\n'],
    ['a negative Content-Length', `POST /api/schools HTTP/1.1\r\nHost: x\r\n${auth}Content-Type: application/json\r\nContent-Length: -5\r\n\r\n{}`],
    ['two different Content-Lengths', `POST /api/schools HTTP/1.1\r\nHost: x\r\n${auth}Content-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}`],
    ['a bad chunk size', `POST /api/schools HTTP/1.1\r\nHost: x\r\n${auth}Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n`],
    ['a NUL byte in a header', `GET /api/schools HTTP/1.1\r\nHost: x\r\n${auth}X-Odd: a\u0000b\r\n\r\n`],
  ];
  const before = await listAll(ctx.admin, '/api/schools');
  for (const [what, request] of cases) {
    const conn = await RawConnection.open(ctx.server.port);
    conn.write(Buffer.from(request, 'latin1'));
    await conn.waitForClose(5_000);
    assert.equal(conn.status(), 400, `${what}:\n${conn.text}`);
    assert.match(conn.text, /\r\nx-request-id: [0-9a-f]+\r\n/i, `${what}: a request id`);
    assert.deepEqual(JSON.parse(conn.text.slice(conn.text.indexOf('\r\n\r\n') + 4)), { errors: { detail: 'Bad Request' } }, what);
  }
  assert.deepEqual(await listAll(ctx.admin, '/api/schools'), before, 'nothing was created');
});
