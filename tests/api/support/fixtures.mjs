// Small builders for the records the suites need. Each asserts its own success.

import { after, before } from 'node:test';
import { Api, expectStatus } from './client.mjs';
import { startServer } from './server.mjs';

let counter = 0;
export function unique(prefix) {
  counter += 1;
  return `${prefix} ${process.pid}-${counter}`;
}

// One server per test file: started before the file's tests, stopped (exit 0 asserted) after.
// Returns a holder whose fields (server, admin) are set once started.
// options.setup(ctx), when given, runs right after the start (node:test does not promise that
// two top-level before hooks of a file run one after the other).
export function useServer(options = {}) {
  const ctx = {};
  before(async () => {
    ctx.server = await startServer(options);
    ctx.admin = new Api(ctx.server);
    if (options.setup) await options.setup(ctx);
  });
  after(async () => {
    if (ctx.server) await ctx.server.stop();
  });
  return ctx;
}

export async function createSchool(admin, attrs = {}) {
  const res = expectStatus(await admin.post('/api/schools', { school: { name: unique('School'), ...attrs } }), 201);
  return res.data;
}

export async function createUser(api, schoolId, attrs = {}) {
  const user = { name: unique('User'), ...attrs };
  if (schoolId !== undefined && schoolId !== null) user.school_id = schoolId;
  const res = expectStatus(await api.post('/api/users', { user }), 201);
  return res.data;
}

// Returns the created token's data, including its secret.
export async function createToken(admin, role, schoolId = null, name = unique(`${role} token`)) {
  const token = { name, role };
  if (schoolId !== null) token.school_id = schoolId;
  const res = expectStatus(await admin.post('/api/tokens', { token }), 201);
  return res.data;
}

export async function record(api, attrs, status = 201) {
  const res = expectStatus(await api.post('/api/attendances', { attendance: { temperature: 36.6, ...attrs } }), status);
  return res.data;
}

// An RFC 3339 UTC instant on a fixed past day (a Wednesday), minutes after 00:00Z.
export function at(day, hh, mm = 0, ss = 0) {
  const p = (n) => String(n).padStart(2, '0');
  return `${day}T${p(hh)}:${p(mm)}:${p(ss)}Z`;
}

// Walks every page of a list endpoint; returns all items.
export async function listAll(api, path, limit = 1000) {
  const items = [];
  let after = null;
  for (let page = 0; page < 1000; page += 1) {
    const sep = path.includes('?') ? '&' : '?';
    const res = expectStatus(await api.get(`${path}${sep}limit=${limit}${after !== null ? `&after=${after}` : ''}`), 200);
    items.push(...res.data);
    after = res.json.meta.next_after;
    if (after === null) return items;
  }
  throw new Error(`${path}: more than 1000 pages`);
}

// Everything a refused write could have changed, as the admin sees it: every school, user,
// attendance and token, and the closures of schoolId. Equal before and after: nothing changed.
export async function snapshot(admin, schoolId) {
  return {
    schools: await listAll(admin, '/api/schools'),
    users: await listAll(admin, '/api/users'),
    attendances: await listAll(admin, '/api/attendances'),
    closures: expectStatus(await admin.get(`/api/schools/${schoolId}/closures`), 200).data,
    tokens: (await listAll(admin, '/api/tokens')).map((t) => [t.id, t.name, t.revoked_at]),
  };
}

// Tiny real images (1x1), as base64.
export const kPng = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
export const kJpeg = '/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA=';
export const kWebp = 'UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==';
