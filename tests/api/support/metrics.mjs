// Reading GET /metrics (the Prometheus text format) in tests.

import { expectStatus } from './client.mjs';

// The value of one sample, e.g. sample(text, 'attendance_http_requests_total', { route: '/api/schools', method: 'GET', status: '200' }); 0 when absent.
export function sample(text, name, labels = {}) {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`).join(',');
  const prefix = wanted ? `${name}{${wanted}} ` : `${name} `;
  const line = text.split('\n').find((l) => l.startsWith(prefix));
  return line === undefined ? 0 : Number(line.slice(prefix.length));
}

// The same, read from the server now with `api`'s token (an admin's or the metrics token).
export async function metric(api, name, labels = {}) {
  return sample(expectStatus(await api.get('/metrics'), 200).text, name, labels);
}
