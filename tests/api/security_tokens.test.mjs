// OWASP API2 (broken authentication), beyond tokens_and_roles.test.mjs: no secret ever reaches
// the server's output (even at --log-level trace) or an answer other than its creation;
// revocation takes effect at once for every role; the tokens of a deleted school stop working;
// secrets are read only from the Authorization header.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expectError, expectStatus } from './support/client.mjs';
import { createSchool, createToken, createUser, listAll, useServer } from './support/fixtures.mjs';

const ctx = useServer({ args: ['--log-level', 'trace'] });

test('no secret appears in the server\'s log, in any list, or in any error answer', async () => {
  const school = await createSchool(ctx.admin);
  const user = await createUser(ctx.admin, school.id);
  const tokens = [
    await createToken(ctx.admin, 'admin'),
    await createToken(ctx.admin, 'school_admin', school.id),
    await createToken(ctx.admin, 'device', school.id),
  ];
  const wrong = `att_${'Z'.repeat(43)}`;
  const answers = [];
  for (const t of tokens) {
    const api = ctx.admin.as(t.secret);
    answers.push(await api.get('/api/users'), await api.get(`/api/users/${user.id}`), await api.get('/api/tokens'),
      await api.get('/api/nothing'), await api.post('/api/users', { user: {} }));
  }
  answers.push(await ctx.admin.as(wrong).get('/api/users'));
  // A client that puts a secret in the URL by mistake: ignored, and kept out of the access log.
  answers.push(await ctx.admin.get(`/api/users?token=${tokens[1].secret}&limit=5`));
  expectStatus(await ctx.admin.del(`/api/tokens/${tokens[2].id}`), 204);
  answers.push(await ctx.admin.as(tokens[2].secret).get('/api/users'));
  answers.push(await ctx.admin.get('/api/tokens?limit=1000'));

  const secrets = [ctx.server.adminToken, wrong, ...tokens.map((t) => t.secret)];
  const logs = ctx.server.logs();
  assert.ok(logs.includes('/api/users'), 'the log has the access lines (trace level)');
  for (const secret of secrets) {
    assert.ok(!logs.includes(secret), `a secret is in the server's output: ...${secret.slice(-6)}`);
    for (const res of answers) assert.ok(!res.text.includes(secret), `${res.request.method} ${res.request.path} answered a secret`);
  }
  const listed = await listAll(ctx.admin, '/api/tokens');
  assert.ok(listed.every((t) => !('secret' in t) && !('secret_hash' in t)));
});

for (const role of ['admin', 'school_admin', 'device']) {
  test(`a revoked ${role} token is refused on its very next request, on a kept-alive connection too`, async () => {
    const school = await createSchool(ctx.admin);
    const t = await createToken(ctx.admin, role, role === 'admin' ? null : school.id);
    const api = ctx.admin.as(t.secret);
    const path = role === 'device' ? '/api/users' : `/api/schools/${school.id}`;
    expectStatus(await api.get(path), 200);
    expectStatus(await ctx.admin.del(`/api/tokens/${t.id}`), 204);
    for (const [method, p, body] of [['GET', path], ['POST', '/api/attendances', { attendance: {} }], ['GET', '/api/tokens'], ['DELETE', `/api/tokens/${t.id}`]]) {
      expectError(await api.request(method, p, body), 401, 'Unauthorized');
    }
    // Revoking it again is harmless.
    expectStatus(await ctx.admin.del(`/api/tokens/${t.id}`), [204, 404]);
  });
}

test('a revoked admin token can no longer revoke or mint tokens', async () => {
  const revoked = await createToken(ctx.admin, 'admin');
  const victim = await createToken(ctx.admin, 'admin');
  expectStatus(await ctx.admin.del(`/api/tokens/${revoked.id}`), 204);
  const api = ctx.admin.as(revoked.secret);
  expectError(await api.del(`/api/tokens/${victim.id}`), 401, 'Unauthorized');
  expectError(await api.post('/api/tokens', { token: { name: 'x', role: 'admin' } }), 401, 'Unauthorized');
  expectStatus(await ctx.admin.as(victim.secret).get('/api/tokens'), 200, 'the other admin token still works');
});

test('deleting a school revokes its tokens at once; a school created after it gets a new id', async () => {
  const school = await createSchool(ctx.admin);
  await createUser(ctx.admin, school.id);
  const schoolAdmin = ctx.admin.as((await createToken(ctx.admin, 'school_admin', school.id)).secret);
  const device = ctx.admin.as((await createToken(ctx.admin, 'device', school.id)).secret);
  expectStatus(await schoolAdmin.get(`/api/schools/${school.id}`), 200);
  expectStatus(await device.get('/api/users'), 200);
  expectStatus(await ctx.admin.del(`/api/schools/${school.id}?cascade=true`), 204);
  expectError(await schoolAdmin.get(`/api/schools/${school.id}`), 401, 'Unauthorized');
  expectError(await device.get('/api/users'), 401, 'Unauthorized');
  const next = await createSchool(ctx.admin);
  assert.ok(next.id > school.id, 'ids are never reused, so no old token can reach a new school');
  expectError(await schoolAdmin.get(`/api/schools/${next.id}`), 401, 'Unauthorized');
});

test('a secret is read only from the Authorization header', async () => {
  const secret = ctx.server.adminToken;
  for (const [path, headers] of [
    [`/api/schools?access_token=${secret}`, {}],
    [`/api/schools?token=${secret}`, {}],
    ['/api/schools', { cookie: `token=${secret}; session=${secret}` }],
    ['/api/schools', { 'x-api-key': secret }],
    ['/api/schools', { authorization: secret }],
    ['/api/schools', { authorization: `Token ${secret}` }],
    ['/api/schools', { 'proxy-authorization': `Bearer ${secret}` }],
  ]) {
    const res = await ctx.admin.get(path, { token: null, headers });
    expectError(res, 401, 'Unauthorized');
    assert.equal(res.headers.get('www-authenticate'), 'Bearer');
  }
});

test('odd Authorization headers are a 401, never a 5xx', async () => {
  for (const authorization of [
    'Bearer', 'Bearer  ', `Bearer ${'a'.repeat(257)}`, `Bearer ${'a'.repeat(8000)}`, 'Bearer \t', 'Bearer é', 'Bearer a b',
    `Bearer ${ctx.server.adminToken}x`, `Bearer ${ctx.server.adminToken.slice(0, -1)}`, 'Bearer att_', 'bearer', 'Basic Og==',
  ]) {
    expectError(await ctx.admin.get('/api/schools', { token: null, headers: { authorization } }), 401, 'Unauthorized');
  }
});
