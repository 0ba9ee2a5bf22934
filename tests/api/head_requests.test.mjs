// HEAD on every GET route (RFC 9110 section 9.3.2): the status and headers the GET would have,
// Content-Length included, and no body. Checked over one raw kept-alive connection, HEAD then GET
// then HEAD again, so a body sent after a HEAD's header would break the framing of the next
// response and fail here.

import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe as group, test } from 'node:test';
import { expectStatus } from './support/client.mjs';
import { at, createSchool, createUser, kPng, record, useServer } from './support/fixtures.mjs';
import { RawConnection, headerFields } from './support/raw_http.mjs';

const webRoot = mkdtempSync(path.join(tmpdir(), 'attendance-web-'));
mkdirSync(path.join(webRoot, 'assets'));
writeFileSync(path.join(webRoot, 'index.html'), '<!doctype html><title>Attendance</title>');
writeFileSync(path.join(webRoot, 'assets', 'app.js'), 'document.body.textContent = "dashboard";\n');
after(() => rmSync(webRoot, { recursive: true, force: true }));

const ctx = useServer({ args: ['--web-root', webRoot] });

// Splits what one connection received into the responses to requests of these methods, in order:
// a response to HEAD ends with its header, any other carries Content-Length bytes of body.
// `error` names the first response that does not start where the previous one ended.
function splitResponses(text, methods) {
  const responses = [];
  let offset = 0;
  for (const method of methods) {
    const end = text.indexOf('\r\n\r\n', offset);
    if (end < 0) break;
    const block = text.slice(offset, end);
    const status = /^HTTP\/1\.1 (\d{3}) /.exec(block);
    if (!status) return { responses, error: `response ${responses.length + 1} starts with ${JSON.stringify(text.slice(offset, offset + 60))}` };
    const headers = headerFields(block);
    let bodyLength = 0;
    if (method !== 'HEAD') {
      if (headers['content-length'] === undefined) return { responses, error: `the ${method} response has no content-length` };
      bodyLength = Number(headers['content-length']);
    }
    if (text.length < end + 4 + bodyLength) break;
    responses.push({ method, status: Number(status[1]), headers, body: text.slice(end + 4, end + 4 + bodyLength) });
    offset = end + 4 + bodyLength;
  }
  return { responses, rest: text.slice(offset) };
}

function request(method, target, token) {
  return `${method} ${target} HTTP/1.1\r\nHost: x\r\n${token ? `Authorization: Bearer ${token}\r\n` : ''}\r\n`;
}

// Sends the requests one after the other on one connection, each once the previous answer is
// whole; returns the answers, and asserts that nothing else was received and the connection is open.
async function exchange(requests) {
  const conn = await RawConnection.open(ctx.server.port);
  try {
    for (let i = 0; i < requests.length; i += 1) {
      const methods = requests.slice(0, i + 1).map((r) => r.method);
      assert.ok(conn.write(request(requests[i].method, requests[i].target, requests[i].token)), 'the connection is still open');
      await conn.waitFor(() => {
        const split = splitResponses(conn.text, methods);
        return split.error || split.responses.length === methods.length || conn.closed;
      }, `the answer to ${requests[i].method} ${requests[i].target}`);
      const split = splitResponses(conn.text, methods);
      assert.equal(split.error, undefined, `after ${methods.join(', ')}: ${JSON.stringify(conn.text.slice(0, 1500))}`);
      assert.equal(split.responses.length, methods.length, `the connection closed: ${JSON.stringify(conn.text.slice(0, 1500))}`);
    }
    const split = splitResponses(conn.text, requests.map((r) => r.method));
    assert.equal(split.rest, '', 'bytes after the last answer');
    assert.equal(conn.closed, false, 'the connection stays open for the next request');
    return split.responses;
  } finally {
    conn.close();
  }
}

// HEAD, GET, HEAD of one target on one connection; checks each HEAD against the GET.
// The headers a HEAD must share with its GET: all but the per-response ones. Each response has
// its own x-request-id, and its own Date, which may be a second later than the other's.
function sharedHeaders(headers, what) {
  const { 'x-request-id': id, date, ...shared } = headers;
  assert.ok(id, `${what}: x-request-id`);
  assert.ok(Math.abs(Date.parse(date) - Date.now()) < 5_000, `${what}: date ${date}`);
  return shared;
}

async function headThenGet(target, token = ctx.server.adminToken) {
  const [head, get, again] = await exchange([{ method: 'HEAD', target, token }, { method: 'GET', target, token },
    { method: 'HEAD', target, token }]);
  for (const res of [head, again]) {
    assert.equal(res.status, get.status, `HEAD ${target}: status`);
    assert.equal(res.headers['content-length'], String(Buffer.byteLength(get.body, 'latin1')), `HEAD ${target}: content-length is the GET body's`);
    assert.deepEqual(sharedHeaders(res.headers, `HEAD ${target}`), sharedHeaders(get.headers, `GET ${target}`),
      `HEAD ${target}: the GET's headers`);
  }
  return { head, get };
}

group('HEAD answers what GET would, without the body', () => {
  test('API reads, health checks, an image and the dashboard\'s files', async () => {
    const school = await createSchool(ctx.admin);
    const user = await createUser(ctx.admin, school.id);
    const event = await record(ctx.admin, { user_id: user.id, type: 'checkin', timestamp: at('2024-05-08', 8), image: kPng });
    const targets = [
      ['/api/schools', 200, /^application\/json/],
      [`/api/schools/${school.id}`, 200, /^application\/json/],
      [`/api/users?school_id=${school.id}`, 200, /^application\/json/],
      [`/api/attendances/${event.id}`, 200, /^application\/json/],
      [`/api/attendances/${event.id}/image`, 200, /^image\/png$/],
      [`/api/attendances/aggregate/school/${school.id}?period=day&date=2024-05-08`, 200, /^application\/json/],
      ['/healthz', 200, /^application\/json/],
      ['/readyz', 200, /^application\/json/],
      ['/', 200, /^text\/html/],
      ['/schools/3', 200, /^text\/html/],
      ['/assets/app.js', 200, /^text\/javascript/],
    ];
    for (const [target, status, type] of targets) {
      const { get } = await headThenGet(target);
      assert.equal(get.status, status, `GET ${target}: ${get.body.slice(0, 300)}`);
      assert.match(get.headers['content-type'], type, target);
      assert.ok(get.body.length > 0, `GET ${target} has a body`);
    }
  });

  test('errors keep their status and headers: 404, 401, 422', async () => {
    const cases = [
      ['/api/schools/999999999', ctx.server.adminToken, 404],
      ['/assets/missing.js', null, 404],
      ['/api/nothing', ctx.server.adminToken, 404],
      ['/api/schools', null, 401],
      ['/api/schools', 'not-a-token', 401],
      ['/api/schools?limit=0', ctx.server.adminToken, 422],
      ['/api/tokens/987654321', ctx.server.adminToken, 404],
    ];
    for (const [target, token, status] of cases) {
      const { head } = await headThenGet(target, token);
      assert.equal(head.status, status, `HEAD ${target}`);
      assert.match(head.headers['content-type'], /^application\/json/, `HEAD ${target}`);
      if (status === 401) assert.equal(head.headers['www-authenticate'], 'Bearer');
    }
  });

  test('a 405\'s allow lists HEAD wherever it lists GET', async () => {
    for (const [method, target, allow] of [['POST', '/api/schools/1', 'GET, HEAD, PATCH, PUT, DELETE'],
      ['DELETE', '/api/schools', 'GET, HEAD, POST'], ['POST', '/healthz', 'GET, HEAD'], ['PATCH', '/api/tokens/1', 'GET, HEAD, DELETE']]) {
      const res = expectStatus(await ctx.admin.request(method, target, method === 'DELETE' ? undefined : {}), 405);
      assert.equal(res.headers.get('allow'), allow, `${method} ${target}`);
    }
  });

  test('HEAD is counted in the request metrics under the GET\'s route', async () => {
    const school = await createSchool(ctx.admin);
    await headThenGet(`/api/schools/${school.id}`);
    const metrics = expectStatus(await ctx.admin.get('/metrics'), 200).text;
    assert.match(metrics, /^attendance_http_requests_total\{route="\/api\/schools\/:id",method="HEAD",status="200"\} [1-9]\d*$/m);
  });
});

group('HEAD of the event stream', () => {
  test('answers the stream\'s headers at once, sends no event and opens no stream', async () => {
    const school = await createSchool(ctx.admin);
    const target = `/api/schools/${school.id}/stream`;
    const started = Date.now();
    // A GET of the stream would send its first event (the occupancy) right after the header: the
    // GET /healthz after the HEAD parses only if nothing followed the HEAD's header.
    const [head, health] = await exchange([{ method: 'HEAD', target, token: ctx.server.adminToken }, { method: 'GET', target: '/healthz' }]);
    assert.ok(Date.now() - started < 3_000, 'answered at once, not after a heartbeat');
    assert.equal(head.status, 200);
    assert.match(head.headers['content-type'], /^text\/event-stream\b/);
    assert.equal(head.headers['cache-control'], 'no-store');
    assert.equal(head.headers['content-length'], undefined, 'the stream\'s body has no length, as for GET');
    assert.equal(health.status, 200);
    const metrics = expectStatus(await ctx.admin.get('/metrics'), 200).text;
    assert.match(metrics, /^attendance_live_open_streams 0$/m, 'the HEAD left no subscription');

    // The GET's header, for comparison: the same fields, but Connection: close, which only
    // delimits the events (a HEAD has none, so its connection stays usable).
    const conn = await RawConnection.open(ctx.server.port);
    try {
      conn.write(request('GET', target, ctx.server.adminToken));
      await conn.waitFor(() => conn.text.includes('\r\n\r\n'), 'the GET stream\'s header');
      const { connection, ...getHeaders } = conn.headers();
      assert.equal(connection, 'close');
      assert.deepEqual(sharedHeaders(head.headers, 'HEAD stream'), sharedHeaders(getHeaders, 'GET stream'));
    } finally {
      conn.close();
    }
  });

  test('a HEAD of an unknown school\'s stream is its 404, without a token 401', async () => {
    await headThenGet('/api/schools/999999999/stream');
    const school = await createSchool(ctx.admin);
    const { head } = await headThenGet(`/api/schools/${school.id}/stream`, null);
    assert.equal(head.status, 401);
  });
});
