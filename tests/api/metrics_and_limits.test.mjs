// GET /metrics (Prometheus text format, admin token or ATTENDANCE_METRICS_TOKEN) and the
// per-token rate limits (429 with retry-after; one token's flood leaves the others served).

import assert from 'node:assert/strict';
import { describe as group, test } from 'node:test';
import { Api, expectError, expectStatus } from './support/client.mjs';
import { at, createSchool, createToken, createUser, kPng, record, useServer } from './support/fixtures.mjs';
import { sample } from './support/metrics.mjs';
import { randomSecret } from './support/server.mjs';

group('GET /metrics', () => {
  const metricsToken = randomSecret();
  const ctx = useServer({ env: { ATTENDANCE_METRICS_TOKEN: metricsToken } });

  test('an admin token reads the metrics in the text format', async () => {
    const res = expectStatus(await ctx.admin.get('/metrics'), 200);
    assert.match(res.headers.get('content-type'), /^text\/plain; version=0\.0\.4/);
    assert.match(res.text, /^# TYPE attendance_http_requests_total counter$/m);
    assert.match(res.text, /^# TYPE attendance_http_request_duration_seconds histogram$/m);
    for (const name of ['attendance_db_reads_total', 'attendance_db_write_queue', 'attendance_aggregate_cache_bytes',
      'attendance_live_open_streams', 'attendance_live_dropped_slow_readers_total', 'attendance_events_recorded_total']) {
      assert.match(res.text, new RegExp(`^${name} \\d+$`, 'm'), name);
    }
    for (const outcome of ['cache_hit', 'merged', 'started', 'completed', 'rejected', 'timed_out', 'failed', 'retried']) {
      assert.match(res.text, new RegExp(`^attendance_aggregation_outcomes_total\\{outcome="${outcome}"\\} \\d+$`, 'm'), outcome);
    }
  });

  test('the metrics token reads them too; no token is 401, another role 403', async () => {
    expectStatus(await ctx.admin.as(metricsToken).get('/metrics'), 200);
    expectError(await ctx.admin.as(null).get('/metrics'), 401, 'Unauthorized');
    expectError(await ctx.admin.as('not-a-token').get('/metrics'), 401, 'Unauthorized');
    const school = await createSchool(ctx.admin);
    const device = await createToken(ctx.admin, 'device', school.id);
    expectError(await ctx.admin.as(device.secret).get('/metrics'), 403, 'Forbidden');
    // The metrics token is not an API token.
    expectError(await ctx.admin.as(metricsToken).get('/api/schools'), 401, 'Unauthorized');
  });

  test('counters and histograms grow with requests, by matched route', async () => {
    const scraper = ctx.admin.as(metricsToken);
    const labels = { route: '/api/schools/:id', method: 'GET', status: '200' };
    const before = (await scraper.get('/metrics')).text;
    const school = await createSchool(ctx.admin);
    const user = await createUser(ctx.admin, school.id);
    for (let i = 0; i < 3; i += 1) expectStatus(await ctx.admin.get(`/api/schools/${school.id}`), 200);
    expectStatus(await ctx.admin.get('/api/nothing-here'), 404);
    await record(ctx.admin, { user_id: user.id, type: 'checkin', timestamp: at('2024-05-08', 8), image: kPng });
    // A batch's stored events count one by one; its retried item (same client_id) stores nothing.
    const batch = { attendances: [
      { user_id: user.id, type: 'checkout', temperature: 36.6, timestamp: at('2024-05-08', 15), client_id: 'm-1' },
      { user_id: user.id, type: 'checkin', temperature: 36.6, timestamp: at('2024-05-09', 8), client_id: 'm-2' },
      { user_id: user.id, type: 'checkin', temperature: 36.6, timestamp: at('2024-05-09', 8), client_id: 'm-2' },
    ] };
    expectStatus(await ctx.admin.post('/api/attendances/batch', batch), 200);
    const after = (await scraper.get('/metrics')).text;

    assert.equal(sample(after, 'attendance_http_requests_total', labels) - sample(before, 'attendance_http_requests_total', labels), 3);
    const unmatched = { route: 'unmatched', method: 'GET', status: '404' };
    assert.ok(sample(after, 'attendance_http_requests_total', unmatched) > sample(before, 'attendance_http_requests_total', unmatched));
    const count = (text) => sample(text, 'attendance_http_request_duration_seconds_count', { route: '/api/schools/:id' });
    assert.equal(count(after) - count(before), 3);
    assert.equal(sample(after, 'attendance_http_request_duration_seconds_bucket', { route: '/api/schools/:id', le: '+Inf' }), count(after));
    assert.equal(sample(after, 'attendance_events_recorded_total') - sample(before, 'attendance_events_recorded_total'), 3);
  });
});

group('per-token rate limits', () => {
  const ctx = useServer({ args: ['--rate-limit', '5', '--rate-burst', '5'] });

  test("a token past its burst gets 429 with retry-after while another token is still served", async () => {
    const flooder = new Api(ctx.server, (await createToken(ctx.admin, 'admin')).secret);
    const other = new Api(ctx.server, (await createToken(ctx.admin, 'admin')).secret);
    // Sent at once, so the bucket (5 at once, 5 per second) can't refill in between.
    const answers = await Promise.all(Array.from({ length: 10 }, () => flooder.get('/api/schools')));
    const ok = answers.filter((r) => r.status === 200).length;
    const limited = answers.filter((r) => r.status === 429);
    assert.ok(ok >= 5 && ok <= 7, `${ok} of 10 answered 200`);
    assert.equal(ok + limited.length, 10);
    for (const res of limited) {
      expectError(res, 429, 'Too Many Requests');
      assert.match(res.headers.get('retry-after'), /^[1-9]\d*$/);
    }
    expectStatus(await other.get('/api/schools'), 200);

    // After the advertised wait the flooder is served again.
    await new Promise((resolve) => { setTimeout(resolve, 1000 * Number(limited[0].headers.get('retry-after'))); });
    expectStatus(await flooder.get('/api/schools'), 200);
  });
});
