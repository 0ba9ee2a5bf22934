// Abuse limits (OWASP API4 unrestricted resource consumption; issue 6 item 4): header size, body
// size on every body route, a slow client, the connection and stream caps, request framing, and
// a flood from one token that never starves another. Each group runs its own server with small
// limits so the limits are reached in a few requests.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { describe as group, test } from 'node:test';
import { expectError, expectStatus } from './support/client.mjs';
import { at, createSchool, createToken, createUser, listAll, record, unique, useServer } from './support/fixtures.mjs';
import { eventually } from './support/eventually.mjs';
import { sample } from './support/metrics.mjs';
import { RawConnection, rawRequest } from './support/raw_http.mjs';
import { servedRoutes, takesBody } from './support/routes.mjs';
import { requestStream } from './support/sse.mjs';

const get = (path, headers = '') => `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n${headers}\r\n`;
// A figure of /metrics, read on a connection of its own: under these groups' short timeouts a
// pooled kept-alive connection can be closing just as the client reuses it.
async function figure(s, name, labels = {}) {
  const conn = await rawRequest(s.server.port, get('/metrics', `Authorization: Bearer ${s.server.adminToken}\r\nConnection: close\r\n`));
  await conn.waitForClose();
  assert.equal(conn.status(), 200, conn.text.slice(0, 200));
  return sample(conn.text.slice(conn.text.indexOf('\r\n\r\n') + 4), name, labels);
}
const timedOut = (s, phase) => figure(s, 'attendance_http_connections_timed_out_total', { phase });

group('header size and framing', () => {
  const s = useServer();

  for (const [what, headers] of [
    ['one 64 KiB header', `X-Padding: ${'a'.repeat(64 * 1024)}\r\n`],
    ['2,000 small headers', Array.from({ length: 2000 }, (_, i) => `X-H${i}: ${'b'.repeat(20)}\r\n`).join('')],
    ['a 64 KiB request target', null],
  ]) {
    test(`${what}: 431 or 400, the connection closed, the server still serving`, async () => {
      const request = headers === null ? get(`/api/schools?q=${'c'.repeat(64 * 1024)}`) : get('/healthz', headers);
      const conn = await rawRequest(s.server.port, request);
      await conn.waitForClose();
      assert.ok([400, 431].includes(conn.status()), `status ${conn.status()}: ${conn.text.slice(0, 200)}`);
      expectStatus(await s.admin.get('/healthz'), 200);
    });
  }

  test('a header just under the limit is served', async () => {
    const conn = await rawRequest(s.server.port, get('/healthz', `X-Padding: ${'a'.repeat(8 * 1024)}\r\nConnection: close\r\n`));
    assert.equal(conn.status(), 200, conn.text.slice(0, 200));
    conn.close();
  });

  // Each request is followed on the same connection by a GET /healthz that closes it: a second
  // request hidden in a body would show as one answer too many before the health answer.
  const kSentinel = 'GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n';
  const post = (headers, body) => `POST /api/schools HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${s.server.adminToken}\r\n`
    + `Content-Type: application/json\r\n${headers}\r\n${body}`;
  const planted = '{"school":{"name":"Smuggled"}}';
  for (const [what, request] of [
    ['a Content-Length that is not a number', () => post('Content-Length: abc\r\n', planted)],
    ['two different Content-Lengths', () => post(`Content-Length: 2\r\nContent-Length: ${planted.length}\r\n`, planted)],
    ['Content-Length beside Transfer-Encoding: chunked', () => post('Content-Length: 4\r\nTransfer-Encoding: chunked\r\n',
      `0\r\n\r\nPOST /api/schools HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${s.server.adminToken}\r\nContent-Type: application/json\r\nContent-Length: ${planted.length}\r\n\r\n${planted}`)],
    ['a transfer coding the server does not decode', () => post('Transfer-Encoding: gzip, chunked\r\n', `${planted.length.toString(16)}\r\n${planted}\r\n0\r\n\r\n`)],
    ['bad chunk framing', () => post('Transfer-Encoding: chunked\r\n', `zz\r\n${planted}\r\n0\r\n\r\n`)],
    ['a request line that is not HTTP', () => 'HELLO\r\n\r\n'],
    ['HTTP/2 preface on HTTP/1.1', () => 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'],
  ]) {
    test(`${what}: refused or closed, nothing stored, nothing smuggled`, async () => {
      const before = (await listAll(s.admin, '/api/schools')).length;
      const conn = await RawConnection.open(s.server.port);
      conn.write(request() + kSentinel);
      await conn.waitForClose();
      const statuses = [...conn.text.matchAll(/HTTP\/1\.1 (\d{3})/g)].map((m) => Number(m[1]));
      assert.ok(statuses.length <= 2, `more answers than requests: ${conn.text.slice(0, 800)}`);
      if (statuses.length > 0) assert.ok(statuses[0] >= 400 && statuses[0] < 500, `the first answer: ${conn.text.slice(0, 300)}`);
      if (statuses.length === 2) assert.equal(statuses[1], 200, 'the second answer is the health check');
      assert.equal((await listAll(s.admin, '/api/schools')).length, before, 'nothing was stored');
    });
  }
});

group('body size', () => {
  const kLimit = 4096;
  const paths = {};
  const s = useServer({ args: ['--body-limit', String(kLimit)], setup: async (c) => {
    const school = await createSchool(c.admin);
    const user = await createUser(c.admin, school.id);
    Object.assign(paths, {
      'POST /api/schools': '/api/schools', 'PATCH /api/schools/{}': `/api/schools/${school.id}`, 'PUT /api/schools/{}': `/api/schools/${school.id}`,
      'POST /api/schools/{}/closures': `/api/schools/${school.id}/closures`, 'POST /api/users': '/api/users',
      'PATCH /api/users/{}': `/api/users/${user.id}`, 'PUT /api/users/{}': `/api/users/${user.id}`, 'POST /api/attendances': '/api/attendances',
      'POST /api/attendances/batch': '/api/attendances/batch', 'POST /api/tokens': '/api/tokens',
    });
  } });

  test('every body route answers 413 past --body-limit, and nothing changes', async () => {
    const served = (await servedRoutes()).filter(takesBody);
    assert.deepEqual(served.filter((r) => !(r in paths)), [], 'a body route without a case here');
    const snapshot = async () => JSON.stringify([await listAll(s.admin, '/api/schools'), await listAll(s.admin, '/api/users'), await listAll(s.admin, '/api/tokens')]);
    const beforeAll = await snapshot();
    for (const route of served) {
      const payload = JSON.stringify({ name: unique('Big'), padding: 'p'.repeat(kLimit) });
      const res = await s.admin.request(route.split(' ')[0], paths[route], undefined, { raw: payload });
      expectError(res, 413, 'Payload Too Large');
    }
    assert.equal(await snapshot(), beforeAll);
  });

  test('a chunked body that grows past the limit is a 413 and the connection closes', async () => {
    const chunk = 'x'.repeat(1024);
    const conn = await RawConnection.open(s.server.port);
    conn.write(`POST /api/schools HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${s.server.adminToken}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`);
    for (let i = 0; i < 8 && conn.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`); i += 1);
    await conn.waitForClose();
    assert.equal(conn.status(), 413, conn.text.slice(0, 200));
  });

  test('a body just under the limit is accepted', async () => {
    const school = { name: unique('Fits'), padding: '' };
    school.padding = 'p'.repeat(kLimit - JSON.stringify({ school }).length);
    expectStatus(await s.admin.post('/api/schools', { school }), 201);
  });
});

// Sends all of `text` but its last `withheld` bytes one byte per 100 ms on an open connection,
// while another client is answered at once; returns how long after the start the server closed
// it, having answered nothing.
async function trickleUntilClosed(s, conn, text, withheld) {
  const started = Date.now();
  let sent = 0;
  const trickle = setInterval(() => {
    if (sent < text.length - withheld && conn.write(text[sent])) sent += 1;
  }, 100);
  try {
    // Another client, on a connection of its own (a pooled one may be closing under the short timeout).
    const other = await rawRequest(s.server.port, get('/healthz', 'Connection: close\r\n'));
    assert.equal(other.status(), 200);
    other.close();
    await conn.waitForClose(4_000);
  } finally {
    clearInterval(trickle);
    conn.close();
  }
  assert.equal(conn.status(), null, `answered ${conn.text.slice(0, 100)} before the rest arrived`);
  return conn.closedAt - started;
}

group('a slow client', () => {
  const s = useServer({ args: ['--header-timeout', '1'] });

  test('a header sent a byte at a time, slower than --header-timeout, is cut off while others are served', async () => {
    const before = await timedOut(s, 'header');
    const conn = await RawConnection.open(s.server.port);
    const took = await trickleUntilClosed(s, conn, get('/healthz', 'X-Slow: yes\r\n'), 2); // never the final CRLF
    assert.ok(took >= 900 && took < 3_000, `closed after ${took} ms (header timeout 1 s)`);
    // The operator sees it (the test's own idle keep-alive connections may add to it).
    assert.ok(await timedOut(s, 'header') > before, 'counted as a header timeout');
  });

  test('an idle kept-alive connection is closed after the timeout', async () => {
    const conn = await rawRequest(s.server.port, get('/healthz'));
    assert.equal(conn.status(), 200);
    const answered = Date.now();
    await conn.waitForClose(4_000);
    assert.ok(conn.closedAt - answered < 3_000, `closed ${conn.closedAt - answered} ms after the answer`);
  });
});

group('a slow body', () => {
  const s = useServer({ args: ['--body-timeout', '1'] });

  test('a body sent a byte at a time, slower than --body-timeout, is cut off and nothing is recorded', async () => {
    const name = unique('Trickled');
    const body = JSON.stringify({ school: { name } });
    const before = await timedOut(s, 'body');
    const conn = await RawConnection.open(s.server.port);
    conn.write(`POST /api/schools HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${s.server.adminToken}\r\n`
      + `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`);
    const took = await trickleUntilClosed(s, conn, body, 1); // never the last byte
    assert.ok(took >= 900 && took < 3_000, `closed after ${took} ms (body timeout 1 s)`);
    assert.equal(await timedOut(s, 'body') - before, 1, 'counted once, as a body timeout');
    const schools = await listAll(s.admin, '/api/schools');
    assert.equal(schools.filter((school) => school.name === name).length, 0);
  });

  // The same deadline holds every write of an answer: a client that asks and never reads would
  // otherwise keep its connection, and the answers' memory, for as long as it likes.
  test('a client that stops reading its answers is cut off after --body-timeout while others are served', async () => {
    const school = await createSchool(s.admin, { timezone: 'UTC' });
    const user = await createUser(s.admin, school.id);
    const png = Buffer.concat([Buffer.from('\x89PNG\r\n\x1a\n', 'latin1'), randomBytes(500 * 1024)]);
    const event = await record(s.admin, { user_id: user.id, type: 'checkin', timestamp: at('2024-05-08', 8), image: png.toString('base64') });
    // 100 pipelined GETs of the 500 KiB image: 50 MB of answers, far beyond what the two sockets'
    // buffers hold, so the server's writes stall as soon as the client stops reading.
    const requests = 100;
    const before = await timedOut(s, 'write');
    const socket = net.connect(s.server.port, '127.0.0.1');
    await new Promise((resolve, reject) => { socket.once('connect', resolve); socket.once('error', reject); });
    let received = 0;
    const closed = new Promise((resolve) => socket.once('close', resolve));
    socket.on('error', () => {});  // a reset by the server shows as the close
    socket.on('data', (chunk) => { received += chunk.length; });
    socket.pause();
    socket.write(get(event.image_url, `Authorization: Bearer ${s.server.adminToken}\r\n`).repeat(requests));
    try {
      expectStatus(await s.admin.get('/healthz'), 200);
      // Not reading until the server says it gave up on this client's write.
      await eventually('the stalled write timed out', async () => await timedOut(s, 'write') > before, 10_000);
      assert.equal(await timedOut(s, 'write') - before, 1, 'counted once, as a write timeout');
      socket.resume();
      // What was buffered before the cut arrives, then the end; never all the answers.
      const ended = await Promise.race([closed.then(() => true), new Promise((resolve) => { setTimeout(() => resolve(false), 10_000); })]);
      assert.ok(ended, `the connection was still open after the stall, ${received} bytes received`);
      assert.ok(received < requests * png.length / 2, `received ${received} of ${requests * png.length} bytes`);
    } finally {
      socket.destroy();
    }
    expectStatus(await s.admin.get('/healthz'), 200);
  });
});

group('the connection cap', () => {
  const kConnections = 6;
  const s = useServer({ args: ['--max-connections', String(kConnections)] });

  test('past --max-connections a new connection is closed unanswered; a freed slot serves again', async () => {
    const held = [];
    try {
      // Each held connection has been answered once, so the server has surely accepted it.
      for (let i = 0; i < kConnections; i += 1) {
        const conn = await rawRequest(s.server.port, get('/healthz'));
        assert.equal(conn.status(), 200, `connection ${i + 1}`);
        held.push(conn);
      }
      const extra = await RawConnection.open(s.server.port);
      extra.write(get('/healthz'));
      await extra.waitForClose();
      assert.equal(extra.status(), null, `the connection past the cap got ${extra.text.slice(0, 100)}`);
      held.pop().close();
      const deadline = Date.now() + 5_000;
      let served = null;
      while (served === null && Date.now() < deadline) {
        const conn = await rawRequest(s.server.port, get('/healthz', 'Connection: close\r\n'));
        if (conn.status() === 200) served = conn;
        else await conn.waitForClose();
      }
      assert.ok(served, 'a connection is served again once one is closed');
      served.close();
    } finally {
      for (const conn of held) conn.close();
    }
    // The operator sees the refusals (once the server has seen the slots freed and answers).
    const refused = await eventually('the metrics are served', async () => {
      try { return await figure(s, 'attendance_http_connections_refused_total'); } catch { return undefined; }
    }, 5_000);
    assert.ok(refused >= 1, `${refused} refused connections counted`);
  });
});

group('the stream cap', () => {
  const s = useServer({ args: ['--max-streams', '1'] });

  test('past --max-streams a stream is a 503 with retry-after; closing one frees its slot', async () => {
    const school = await createSchool(s.admin);
    const first = await requestStream(s.server, school.id);
    assert.equal(first.status, 200);
    try {
      const second = await requestStream(s.server, school.id);
      assert.equal(second.status, 503, second.text);
      assert.deepEqual(second.problems, []);
      assert.match(second.headers.get('retry-after') ?? '', /^[1-9]\d*$/);
    } finally {
      first.stream.close();
    }
    // The server learns that a reader left when it next writes to it: events for the school
    // make it write, until the slot is free (bounded by the deadline).
    const user = await createUser(s.admin, school.id);
    const deadline = Date.now() + 10_000;
    for (let n = 0; ; n += 1) {
      const again = await requestStream(s.server, school.id);
      if (again.status === 200) {
        again.stream.close();
        break;
      }
      assert.equal(again.status, 503);
      assert.ok(Date.now() < deadline, 'the closed stream\'s slot was never freed');
      expectStatus(await s.admin.post('/api/attendances', { attendance: { user_id: user.id, type: n % 2 === 0 ? 'checkin' : 'checkout', temperature: 36.6 } }), 201);
    }
  });
});

group('a flood from one token', () => {
  const s = useServer({ args: ['--rate-limit', '20', '--rate-burst', '20'] });

  test('while one token floods (429 with retry-after), another token\'s requests all succeed', async () => {
    const school = await createSchool(s.admin);
    const flooder = s.admin.as((await createToken(s.admin, 'school_admin', school.id)).secret);
    const other = s.admin.as((await createToken(s.admin, 'device', school.id)).secret);
    let flooding = true;
    const statuses = [];
    const flood = Promise.all(Array.from({ length: 8 }, async () => {
      for (let i = 0; i < 60 && flooding; i += 1) {
        const res = await flooder.get('/api/users');
        statuses.push(res.status);
        if (res.status === 429) {
          expectError(res, 429, 'Too Many Requests');
          assert.match(res.headers.get('retry-after') ?? '', /^[1-9]\d*$/);
        } else {
          expectStatus(res, 200);
        }
      }
    }));
    try {
      for (let i = 0; i < 15; i += 1) {
        expectStatus(await other.get('/api/users'), 200, `the other token's request ${i + 1} during the flood`);
        await new Promise((r) => { setTimeout(r, 50); });
      }
    } finally {
      flooding = false;
      await flood;
    }
    assert.ok(statuses.filter((st) => st === 429).length > 0, `the flooder was limited: ${statuses.length} requests`);
    assert.ok(statuses.filter((st) => st === 200).length >= 20, 'the flooder got its burst');
  });
});
