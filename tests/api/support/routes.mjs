// The route table the server serves (attendance-server --print-routes), for suites that must
// cover every route: a route added to the server without a case in such a suite fails it.
//
//   const routes = await servedRoutes();   // ['GET /api/schools', 'GET /api/schools/{}', ...]

import assert from 'node:assert/strict';
import { runServerCommand } from './server.mjs';

// "GET /api/schools/{id}" and "GET /api/schools/:id" -> "GET /api/schools/{}": path parameters
// compare by position, not by name.
export function routeKey(route) {
  return route.trim().replace(/\{[^}]*\}|:[^/\s]+/g, '{}');
}

// Every served route as a routeKey, in the server's order.
export async function servedRoutes() {
  const { code, stdout, stderr } = await runServerCommand(['--print-routes']);
  assert.equal(code, 0, `--print-routes exited ${code}: ${stderr}`);
  return stdout.split('\n').map((l) => l.trim()).filter(Boolean).map(routeKey);
}

// The routes that take a request body (POST, PUT, PATCH).
export const takesBody = (key) => /^(POST|PUT|PATCH) /.test(key);
