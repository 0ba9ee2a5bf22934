// docs/openapi.yaml itself: well formed enough to validate against, and consistent with the
// conventions (every /api operation authenticated with its 401, errors with their shapes).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { spec, validateResponse } from './support/openapi.mjs';

const operations = Object.entries(spec.paths).flatMap(([path, item]) =>
  ['get', 'post', 'put', 'patch', 'delete'].filter((m) => item[m]).map((m) => ({ path, method: m, op: item[m], item })));

test('the spec is OpenAPI 3.0.3 with a bearer scheme applied by default', () => {
  assert.equal(spec.openapi, '3.0.3');
  assert.deepEqual(spec.components.securitySchemes.bearer, { ...spec.components.securitySchemes.bearer, type: 'http', scheme: 'bearer' });
  assert.deepEqual(spec.security, [{ bearer: [] }]);
});

test('operation ids are unique', () => {
  const ids = operations.map((o) => o.op.operationId);
  assert.equal(new Set(ids).size, ids.length);
  assert.ok(ids.every(Boolean));
});

test('every /api operation documents 401, 429 and 500; /metrics 401 and 403; health routes need no token', () => {
  for (const { path, method, op } of operations) {
    if (path.startsWith('/api/')) {
      assert.ok(op.responses['401'] && op.responses['429'] && op.responses['500'], `${method} ${path}`);
      assert.equal(op.security, undefined, `${method} ${path} keeps the default security`);
    } else if (path === '/metrics') {
      assert.ok(op.responses['401'] && op.responses['403'], `${method} ${path}`);
      assert.equal(op.security, undefined, `${method} ${path} keeps the default security`);
    } else {
      assert.deepEqual(op.security, [], `${method} ${path} is public`);
    }
  }
});

test('every path parameter is declared', () => {
  for (const { path, method, op, item } of operations) {
    const declared = [...(item.parameters ?? []), ...(op.parameters ?? [])]
      .map((p) => (p.$ref ? spec.components.parameters[p.$ref.split('/').pop()] : p))
      .filter((p) => p.in === 'path').map((p) => p.name).sort();
    const inPath = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]).sort();
    assert.deepEqual(declared, inPath, `${method} ${path}`);
  }
});

test('every documented JSON response schema compiles and rejects an empty object where data is required', () => {
  const headers = new Headers({ 'content-type': 'application/json', 'x-request-id': 'r', date: 'Wed, 02 Dec 2026 05:31:00 GMT', location: '/api/x/1' });
  for (const { path, method, op } of operations) {
    for (const status of Object.keys(op.responses)) {
      const concrete = path.replace(/\{[^}]+\}/g, '1');
      const problems = validateResponse({ method: method.toUpperCase(), pathname: concrete, status: Number(status), headers, json: {}, bodyLength: 2 });
      if (status === '204') assert.ok(problems.some((p) => p.includes('expected no body')), `${method} ${path} ${status}`);
      else if (!path.endsWith('/image') || status !== '200') assert.ok(problems.length > 0, `${method} ${path} ${status}: {} must not conform`);
    }
  }
});

test('an error body conforms, and one with an extra member does not', () => {
  const headers = new Headers({ 'content-type': 'application/json', 'x-request-id': 'r', date: 'Wed, 02 Dec 2026 05:31:00 GMT' });
  const check = (json, status = 404) => validateResponse({ method: 'GET', pathname: '/api/schools/1', status, headers, json, bodyLength: 10 });
  assert.deepEqual(check({ errors: { detail: 'Not Found' } }), []);
  for (const date of [null, '2026-12-02T05:31:00Z', 'Wed, 2 Dec 2026 05:31:00 GMT', 'Wed, 02 Dec 2026 05:31:00 +0000']) {
    const dated = new Headers(headers);
    if (date === null) dated.delete('date');
    else dated.set('date', date);
    const problems = validateResponse({ method: 'GET', pathname: '/api/schools/1', status: 404, headers: dated, json: { errors: { detail: 'Not Found' } }, bodyLength: 10 });
    assert.ok(problems.some((p) => p.includes('header date')), `date ${date}: ${problems.join('; ')}`);
  }
  assert.notDeepEqual(check({ errors: { detail: 'Not Found', sql: 'SELECT' } }), []);
  assert.notDeepEqual(check({ errors: { detail: 'Not Found' }, trace: 'x' }), []);
  const conflict = { errors: { detail: 'Conflict', type: ['already checked in since 07:58:12Z (attendance 812)'] } };
  assert.deepEqual(validateResponse({ method: 'POST', pathname: '/api/attendances', status: 409, headers, json: conflict, bodyLength: 10 }), []);
  assert.deepEqual(validateResponse({ method: 'POST', pathname: '/api/attendances', status: 422, headers, json: { errors: { temperature: ['is too high'] } }, bodyLength: 10 }), []);
});

test('a school as the server renders it conforms; a drifted one does not', () => {
  const headers = new Headers({ 'content-type': 'application/json', 'x-request-id': 'r', date: 'Wed, 02 Dec 2026 05:31:00 GMT' });
  const school = { id: 1, name: 'A', timezone: 'UTC', school_days: [1, 2, 3, 4, 5], min_daily_hours: 4, min_period_ratio: 0.8, fever_threshold: 38, inserted_at: '2024-05-08T08:00:00.123456Z', updated_at: '2024-05-08T08:00:00Z' };
  const check = (data) => validateResponse({ method: 'GET', pathname: '/api/schools/1', status: 200, headers, json: { data }, bodyLength: 10 });
  assert.deepEqual(check(school), []);
  assert.notDeepEqual(check({ ...school, extra: 1 }), []);
  assert.notDeepEqual(check({ ...school, inserted_at: '2024-05-08T08:00:00+01:00' }), []);
  assert.notDeepEqual(check({ ...school, school_days: [0] }), []);
  const { timezone, ...missing } = school;
  assert.notDeepEqual(check(missing), []);
});
