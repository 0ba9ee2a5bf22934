// bench/'s wrk scripts against the real server: what bench/run.sh reports is only the service's
// speed if every request it sends is one the service accepts. ingest.lua must keep every timeline
// valid at 64 connections (a 409 would be a refusal measured as a write), and the read scripts
// must only ask for what exists (a page sequence once asked for after=0, a 422). The page server
// bench/run.sh sets beside the service's pages must write the very same pages, or it would be the
// limit of some other work.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { Api } from './support/client.mjs';
import { createSchool, createUser, kPng, listAll, record } from './support/fixtures.mjs';
import { backend, repoRoot, serverBinary, startServer } from './support/server.mjs';

const kBench = path.join(repoRoot, 'bench');
const kThreads = 2;
const kConnections = 64;
// ingest.lua needs more users per wrk thread than that thread's connections (it sends a user's
// next event only once the previous one was answered).
const kUsersPerThread = kConnections / kThreads + 8;

// Runs wrk as bench/run.sh does; resolves to its counts: completed requests, non-2xx answers,
// socket errors (wrk prints those two lines only when they are not zero) and its stderr.
function runWrk(url, script, seconds, args) {
  return new Promise((resolve, reject) => {
    const child = spawn('wrk', [`-t${kThreads}`, `-c${kConnections}`, `-d${seconds}s`, '-s', path.join(kBench, script), url, '--', ...args.map(String)],
      { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => { stdout += c; });
    child.stderr.on('data', (c) => { stderr += c; });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`wrk exited with ${code}: ${stdout}${stderr}`));
      const requests = Number(/(\d+) requests in/.exec(stdout)?.[1]);
      const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(stdout)?.[1] ?? 0);
      const socketErrors = /Socket errors: (.*)/.exec(stdout)?.[1] ?? null;
      resolve({ requests, non2xx, socketErrors, stdout, stderr });
    });
  });
}

function expectClean(run, what) {
  assert.ok(run.requests > 0, `${what}: wrk completed no request\n${run.stdout}`);
  assert.equal(run.non2xx, 0, `${what}: refused requests\n${run.stdout}${run.stderr}`);
  assert.equal(run.socketErrors, null, `${what}: socket errors\n${run.stdout}`);
}

test('ingest.lua at 64 connections sends only events the service accepts, and reads ask only for what exists', async () => {
  const server = await startServer();
  try {
    const admin = new Api(server);
    const school = await createSchool(admin, { timezone: 'UTC' });
    const users = [];
    for (let i = 0; i < kThreads * kUsersPerThread; i += 1) users.push(await createUser(admin, school.id));
    const firstUser = users[0].id;
    assert.deepEqual(users.map((u) => u.id), users.map((_, i) => firstUser + i), 'the script takes consecutive user ids');

    const dayStart = (Math.floor(Date.now() / 86_400_000) - 3) * 86_400;  // midnight UTC, 3 days ago
    const ingest = await runWrk(server.url, 'ingest.lua', 2, [server.adminToken, firstUser, kUsersPerThread, dayStart]);
    expectClean(ingest, 'ingest.lua');

    const events = await listAll(admin, `/api/attendances?school_id=${school.id}`);
    // wrk stops with up to one request in flight per connection, which the server may still store.
    assert.ok(events.length >= ingest.requests && events.length <= ingest.requests + kConnections,
      `stored ${events.length}, wrk saw ${ingest.requests} answered`);
    const byUser = new Map();
    for (const e of events) {
      if (!byUser.has(e.user_id)) byUser.set(e.user_id, []);
      byUser.get(e.user_id).push(e);
    }
    for (const [user, timeline] of byUser) {
      timeline.sort((a, b) => Date.parse(a.timestamp) - Date.parse(b.timestamp));
      timeline.forEach((e, k) => assert.equal(e.type, k % 2 === 0 ? 'checkin' : 'checkout', `user ${user}, event ${k}`));
      assert.equal(new Set(timeline.map((e) => e.client_id)).size, timeline.length, `user ${user}: a client_id repeats`);
    }

    // The read scripts spread over ids 1..MAX_ID, as bench/run.sh gives them the rows it loaded.
    const ids = events.map((e) => e.id).sort((a, b) => a - b);
    let maxId = 0;
    while (maxId < ids.length && ids[maxId] === maxId + 1) maxId += 1;
    assert.ok(maxId > 200, `ids 1..${maxId} without a gap are too few for a page run`);
    expectClean(await runWrk(server.url, 'read_one.lua', 1, [server.adminToken, maxId]), 'read_one.lua');
    expectClean(await runWrk(server.url, 'read_page.lua', 1, [server.adminToken, maxId]), 'read_page.lua');
    expectClean(await runWrk(server.url, 'read_page.lua', 1, [server.adminToken, maxId, 1_000_003]), 'read_page.lua, the warm-up\'s sequence');
  } finally {
    await server.stop();
  }
});

// Starts `beast_ceiling --sqlite FILE` (built beside the server); resolves to its URL and a stop().
function startPageServer(bin, file) {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, ['0', '--sqlite', file], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const timer = setTimeout(() => reject(new Error(`beast_ceiling did not start: ${output}`)), 10_000);
    const onData = (chunk) => {
      output += chunk;
      const url = /listening on (http:\/\/[0-9.:]+)/.exec(output)?.[1];
      if (!url) return;
      clearTimeout(timer);
      const exited = new Promise((done) => child.once('exit', done));
      resolve({ url, stop: () => { child.kill('SIGTERM'); return exited; } });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', reject);
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`beast_ceiling exited with ${code}: ${output}`)); });
  });
}

test('the page server of bench/run.sh (beast_ceiling --sqlite) writes the service\'s pages byte for byte', async (t) => {
  if (backend() !== 'sqlite') return t.skip('it reads SQLite files only');
  const bin = path.join(path.dirname(serverBinary()), 'bench', 'beast_ceiling');
  if (!existsSync(bin)) return t.skip(`not built: ${bin} (ATTENDANCE_BENCH off)`);
  const server = await startServer();
  let pageServer = null;
  try {
    const admin = new Api(server);
    // Rows of every kind a page writes: fever by each school's own threshold (37.5 and the default
    // 38.0), an image, client ids absent or with text JSON escapes, instants with a millisecond or a
    // microsecond fraction or none.
    const schools = [await createSchool(admin, { timezone: 'UTC', fever_threshold: 37.5 }), await createSchool(admin, { timezone: 'UTC' })];
    const clientIds = [null, 'kiosk "north"', 'tablet\\7', 'caf\u00e9-1', 'plain-id'];
    for (let u = 0; u < 30; u += 1) {
      const user = await createUser(admin, schools[u % 2].id);
      for (let day = 10; day <= 11; day += 1) {
        const fraction = ['', '.250', '.123456'][(u + day) % 3];
        const clientId = clientIds[(u + day) % clientIds.length];
        await record(admin, {
          user_id: user.id, type: 'checkin', timestamp: `2024-05-${day}T08:00:0${u % 10}${fraction}Z`,
          temperature: [36.6, 37.5, 38.2][u % 3], ...(clientId === null ? {} : { client_id: `${clientId}-${u}-${day}` }),
          ...(u === 7 && day === 10 ? { image: kPng } : {}),
        });
        await record(admin, { user_id: user.id, type: 'checkout', timestamp: `2024-05-${day}T15:00:00Z`, temperature: 37 });
      }
    }
    const events = await listAll(admin, '/api/attendances');
    assert.equal(events.length, 120);
    assert.ok(events.some((e) => e.fever) && events.some((e) => !e.fever && e.temperature === 37.5), 'fever by each school\'s threshold');
    assert.ok(events.some((e) => e.image_url) && events.some((e) => e.client_id?.includes('"')), 'an image and an escaped client id');

    pageServer = await startPageServer(bin, server.database.url.slice('sqlite:'.length));
    const ids = events.map((e) => e.id);
    // The first page (two thirds of the rows, more after it), one across the middle, the last
    // (no next page), and an empty one past the end.
    for (const after of [ids[0], ids[55], ids[ids.length - 30], ids[ids.length - 1]]) {
      const target = `/api/attendances?limit=100&after=${after}`;
      const fromService = await (await fetch(server.url + target, { headers: { authorization: `Bearer ${server.adminToken}` } })).text();
      const fromPageServer = await (await fetch(pageServer.url + target)).text();
      assert.ok(fromService.startsWith('{"data":['), `the service's page after ${after}: ${fromService.slice(0, 200)}`);
      assert.equal(fromPageServer, fromService, `the page after ${after}`);
    }
  } finally {
    await pageServer?.stop();
    await server.stop();
  }
});
