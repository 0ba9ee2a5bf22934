// OWASP API8 (security misconfiguration): the headers of every kind of answer (API data, errors,
// images, CSV, the dashboard's page and assets), the Date of each (RFC 9110 section 6.6.1), no server banner, no CORS grant to other origins,
// no method that echoes a request, and no file outside the dashboard reachable by its path.
// (live.test.mjs checks the page's CSP in detail; support/client.mjs checks every error body for
// internals in prod mode.)

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { expectStatus } from './support/client.mjs';
import { at, createSchool, createUser, kPng, record, useServer } from './support/fixtures.mjs';
import { rawRequest } from './support/raw_http.mjs';
import { openStream } from './support/sse.mjs';

const webRoot = mkdtempSync(path.join(tmpdir(), 'attendance-web-'));
mkdirSync(path.join(webRoot, 'assets'));
writeFileSync(path.join(webRoot, 'index.html'), '<!doctype html><title>Attendance</title><script type="module" src="/assets/app.js"></script>');
writeFileSync(path.join(webRoot, 'assets', 'app.js'), 'export {};\n');
// A file beside the web root, which no path may reach.
const outside = `${path.basename(webRoot)}-secret.txt`;
writeFileSync(path.join(path.dirname(webRoot), outside), 'outside-secret');
after(() => {
  rmSync(webRoot, { recursive: true, force: true });
  rmSync(path.join(path.dirname(webRoot), outside), { force: true });
});

const w = {};
const ctx = useServer({
  args: ['--web-root', webRoot],
  setup: async (c) => {
    w.school = await createSchool(c.admin);
    w.user = await createUser(c.admin, w.school.id);
    w.event = await record(c.admin, { user_id: w.user.id, type: 'checkin', timestamp: at('2024-05-08', 8), image: kPng });
  },
});

// Headers every answer carries, whatever it is.
function expectCommonHeaders(headers, what) {
  assert.equal(headers.get('x-content-type-options'), 'nosniff', `${what}: x-content-type-options`);
  assert.match(headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/, `${what}: content-security-policy`);
  assert.equal(headers.get('x-frame-options'), 'DENY', `${what}: x-frame-options`);
  assert.equal(headers.get('referrer-policy'), 'no-referrer', `${what}: referrer-policy`);
  assert.equal(headers.get('server'), null, `${what}: a server banner`);
  assert.equal(headers.get('x-powered-by'), null, `${what}: x-powered-by`);
  assert.equal(headers.get('access-control-allow-origin'), null, `${what}: a CORS grant`);
}

const apiAnswers = async () => [
  await ctx.admin.get('/api/schools'),
  await ctx.admin.get(`/api/users/${w.user.id}`),
  await ctx.admin.post('/api/schools', { school: { name: '' } }),
  await ctx.admin.get('/api/schools/987654321'),
  await ctx.admin.get('/api/schools', { token: null }),
  await ctx.admin.request('PUT', '/api/attendances', {}),
  await ctx.admin.request('POST', '/api/schools', undefined, { raw: '{', contentType: 'application/json' }),
  await ctx.admin.get(`/api/attendances/${w.event.id}/image`),
  await ctx.admin.get(`/api/attendances/aggregate/school/${w.school.id}?format=csv`),
  await ctx.admin.get('/healthz'),
  await ctx.admin.get('/metrics'),
];

test('every API answer carries nosniff, a CSP with frame-ancestors none, DENY framing, no-referrer, and no banner', async () => {
  for (const res of await apiAnswers()) expectCommonHeaders(res.headers, `${res.request.method} ${res.request.path} -> ${res.status}`);
});

test('API answers lock down the document: default-src none, and private data is never stored by caches', async () => {
  for (const res of await apiAnswers()) {
    const what = `${res.request.method} ${res.request.path} -> ${res.status}`;
    assert.match(res.headers.get('content-security-policy'), /default-src 'none'/, what);
    const cache = res.headers.get('cache-control') ?? '';
    if (res.request.path.endsWith('/image')) assert.match(cache, /\bprivate\b/, what);
    else assert.match(cache, /\bno-store\b/, what);
  }
});

test('an image is served with the type sniffed from its bytes, whatever the upload claimed', async () => {
  const claimed = await record(ctx.admin, { user_id: w.user.id, type: 'checkout', timestamp: at('2024-05-08', 9), image: `data:text/html;base64,${kPng}` });
  const res = expectStatus(await ctx.admin.get(`/api/attendances/${claimed.id}/image`), 200);
  assert.equal(res.headers.get('content-type'), 'image/png');
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(res.headers.get('content-disposition'), null, 'shown inline as an image');
});

test('the dashboard\'s page, its assets and its routes carry the page headers and no banner', async () => {
  for (const p of ['/', '/index.html', '/assets/app.js', '/schools/3']) {
    const res = await fetch(`${ctx.server.url}${p}`);
    await res.text();
    assert.equal(res.status, 200, p);
    expectCommonHeaders(res.headers, p);
    const csp = res.headers.get('content-security-policy');
    assert.match(csp, /default-src 'self'/, p);
    assert.doesNotMatch(csp, /unsafe-eval|script-src[^;]*unsafe-inline|\*/, `${p}: scripts only from the page's origin`);
    assert.match(csp, /base-uri 'none'/, p);
  }
});

test('the answers to the server\'s own refusals (bad target, oversized header) carry no banner either', async () => {
  for (const request of ['GET /%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(64 * 1024)}\r\n\r\n`]) {
    const conn = await rawRequest(ctx.server.port, request);
    await conn.waitForClose();
    const headers = conn.headers();
    assert.ok(headers, `an answer: ${conn.text.slice(0, 100)}`);
    assert.equal(headers.server, undefined, conn.text.slice(0, 300));
    assert.equal(headers['x-content-type-options'], 'nosniff');
  }
});

// RFC 9110 section 5.6.7: "Sun, 06 Nov 1994 08:49:37 GMT".
const kImfFixdate = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d\d:\d\d:\d\d GMT$/;

// The answer to `send()` carries one Date, the server's clock while it answered: between this
// clock's readings before and after the exchange, to the second (the server runs on this machine;
// a second of slack either way for the rounding).
async function expectServerDate(what, send) {
  const before = Date.now();
  const { date, count } = await send();
  const after = Date.now();
  assert.equal(count, 1, `${what}: one Date header (got ${count})`);
  assert.match(date ?? '', kImfFixdate, `${what}: Date ${JSON.stringify(date)}`);
  const at = Date.parse(date);
  assert.ok(at >= before - 2000 && at <= after + 1000, `${what}: Date ${date}, the test's clock ${new Date(before).toUTCString()}`);
}

const fetched = (res) => ({ date: res.headers.get('date'), count: res.headers.get('date') === null ? 0 : 1 });
// The raw header block: fetch would join two Date fields into one.
async function rawDate(request) {
  const conn = await rawRequest(ctx.server.port, request);
  const end = conn.text.indexOf('\r\n\r\n');
  const fields = conn.text.slice(0, end).split('\r\n').filter((line) => /^date:/i.test(line));
  conn.close();
  return { date: fields[0]?.replace(/^date:\s*/i, ''), count: fields.length, status: conn.status() };
}

test('every kind of answer carries a Date of the server\'s clock: API, errors, files, HEAD, the stream, the server\'s own refusals', async () => {
  for (const res of await apiAnswers()) {
    const what = `${res.request.method} ${res.request.path} -> ${res.status}`;
    assert.match(res.headers.get('date') ?? '', kImfFixdate, what);
    assert.ok(Math.abs(Date.parse(res.headers.get('date')) - Date.now()) < 5000, `${what}: Date ${res.headers.get('date')}`);
  }
  await expectServerDate('GET /api/schools', async () => fetched(await ctx.admin.get('/api/schools')));
  await expectServerDate('422', async () => fetched(expectStatus(await ctx.admin.post('/api/schools', { school: { name: '' } }), 422)));
  for (const p of ['/', '/assets/app.js', '/assets/missing.js']) {
    await expectServerDate(`GET ${p}`, async () => {
      const res = await fetch(`${ctx.server.url}${p}`);
      await res.text();
      return fetched(res);
    });
  }
  const auth = `Authorization: Bearer ${ctx.server.adminToken}\r\n`;
  for (const [what, request, status] of [
    ['HEAD /api/schools', `HEAD /api/schools HTTP/1.1\r\nHost: x\r\n${auth}Connection: close\r\n\r\n`, 200],
    ['HEAD /', 'HEAD / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', 200],
    ['HEAD of the stream', `HEAD /api/schools/${w.school.id}/stream HTTP/1.1\r\nHost: x\r\n${auth}Connection: close\r\n\r\n`, 200],
    ['a bad request target', 'GET /%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', 400],
    ['an oversized header', `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(64 * 1024)}\r\n\r\n`, 400],
    ['a garbage request line', 'HELLO\r\n\r\n', 400],
    ['a body past the limit', `POST /api/schools HTTP/1.1\r\nHost: x\r\n${auth}Content-Type: application/json\r\nContent-Length: 999999999\r\n\r\n`, 413],
  ]) {
    await expectServerDate(what, async () => {
      const answer = await rawDate(request);
      assert.equal(answer.status, status, what);
      return answer;
    });
  }
  await expectServerDate('the live stream\'s header', async () => {
    const stream = await openStream(ctx.server, w.school.id);
    stream.close();
    return fetched(stream.response);
  });
});

test('no CORS: another origin\'s request and preflight get no grant', async () => {
  const origin = 'https://evil.example';
  const simple = await fetch(`${ctx.server.url}/api/schools`, { headers: { origin, authorization: `Bearer ${ctx.server.adminToken}` } });
  await simple.text();
  assert.equal(simple.headers.get('access-control-allow-origin'), null);
  assert.equal(simple.headers.get('access-control-allow-credentials'), null);
  const preflight = await fetch(`${ctx.server.url}/api/schools`, {
    method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'DELETE', 'access-control-request-headers': 'authorization' },
  });
  await preflight.text();
  assert.ok([404, 405].includes(preflight.status), `OPTIONS -> ${preflight.status}`);
  assert.equal(preflight.headers.get('access-control-allow-origin'), null);
  assert.equal(preflight.headers.get('access-control-allow-methods'), null);
});

test('TRACE and other unserved methods are refused and echo nothing back', async () => {
  const secret = ctx.server.adminToken;
  for (const method of ['TRACE', 'TRACK', 'CONNECT', 'PROPFIND', 'FOO']) {
    const target = method === 'CONNECT' ? '127.0.0.1:1' : '/api/schools';
    const conn = await rawRequest(ctx.server.port, `${method} ${target} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${secret}\r\nX-Echo: marker-7731\r\nConnection: close\r\n\r\n`);
    await conn.waitForClose();
    assert.ok(conn.status() === null || [400, 404, 405, 501].includes(conn.status()), `${method} -> ${conn.text.slice(0, 200)}`);
    assert.ok(!conn.text.includes('marker-7731') && !conn.text.includes(secret), `${method} echoed the request`);
  }
});

test('no path reaches a file outside the dashboard\'s directory', async () => {
  for (const p of [`/../${outside}`, `/assets/../../${outside}`, `/%2e%2e/${outside}`, `/assets/%2e%2e/%2e%2e/${outside}`,
    `/..%2f${outside}`, '/../../../../etc/passwd', '/assets/..%2f..%2f..%2f..%2fetc%2fpasswd', '/%2e%2e%2f%2e%2e%2fetc%2fpasswd']) {
    const conn = await rawRequest(ctx.server.port, `GET ${p} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
    await conn.waitForClose();
    assert.ok(!conn.text.includes('outside-secret') && !conn.text.includes('root:'), `${p} served a file outside the web root`);
    assert.ok(conn.status() === null || [200, 400, 404].includes(conn.status()), `${p} -> ${conn.status()}`);
  }
});
