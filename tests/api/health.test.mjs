// GET /healthz and GET /readyz: no auth; readiness follows the database.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expectStatus } from './support/client.mjs';
import { useServer } from './support/fixtures.mjs';
import { backend } from './support/server.mjs';

const ctx = useServer();

test('GET /healthz answers 200 without a token', async () => {
  const res = expectStatus(await ctx.admin.get('/healthz', { token: null }), 200);
  assert.equal(res.json.data.status, 'ok');
});

test('GET /readyz answers 200 without a token while the database answers', async () => {
  expectStatus(await ctx.admin.get('/readyz', { token: null }), 200);
});

test('health routes also answer with a (bad) token, which they ignore', async () => {
  expectStatus(await ctx.admin.get('/healthz', { token: 'not-a-token' }), 200);
  expectStatus(await ctx.admin.get('/readyz', { token: 'not-a-token' }), 200);
});

test('POST /healthz is 405 with an allow header', async () => {
  const res = expectStatus(await ctx.admin.post('/healthz', {}, { token: null }), 405);
  assert.match(res.headers.get('allow') ?? '', /GET/);
});

test('GET /readyz answers 503 once the PostgreSQL database is gone, /healthz stays 200',
  { skip: backend() !== 'postgresql' && 'PostgreSQL only: a SQLite file cannot be taken away from an open connection' },
  async () => {
    // A database of its own, so the file's other tests are not affected.
    const { startServer, createDatabase } = await import('./support/server.mjs');
    const { Api } = await import('./support/client.mjs');
    const database = createDatabase();
    const server = await startServer({ database });
    try {
      const api = new Api(server);
      expectStatus(await api.get('/readyz', { token: null }), 200);
      database.dropNow();
      const deadline = Date.now() + 15_000;
      let res;
      do {
        res = await api.get('/readyz', { token: null });
        if (res.status === 503) break;
        await new Promise((r) => setTimeout(r, 200));
      } while (Date.now() < deadline);
      expectStatus(res, 503, 'readyz within 15 s of the database being dropped');
      assert.equal(res.json.errors.detail, 'Service Unavailable');
      expectStatus(await api.get('/healthz', { token: null }), 200);
    } finally {
      await server.stop();
    }
  });
