// Reading GET /metrics (the Prometheus text format) in tests.

// The value of one sample, e.g. sample(text, 'attendance_http_requests_total', { route: '/api/schools', method: 'GET', status: '200' }); 0 when absent.
export function sample(text, name, labels = {}) {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`).join(',');
  const prefix = wanted ? `${name}{${wanted}} ` : `${name} `;
  const line = text.split('\n').find((l) => l.startsWith(prefix));
  return line === undefined ? 0 : Number(line.slice(prefix.length));
}

