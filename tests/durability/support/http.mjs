// A bare keep-alive HTTP client for the write load: one socket per client (node:http with a
// keep-alive agent of one socket), a deadline per request, and failures reported as values, not
// thrown, because under a crash loop "no answer" is an expected outcome the caller must classify.
//
//   const client = new KeepAliveClient(token);
//   const res = await client.post(url, '/api/attendances', { attendance: {...} });
//   if (res.error) ...   // no answer: ECONNRESET, ECONNREFUSED, timeout ...
//   else res.status, res.json

import http from 'node:http';
import { validateResponse } from '../../api/support/openapi.mjs';

export class KeepAliveClient {
  constructor(token, { timeoutMs = 15_000 } = {}) {
    this.token = token;
    this.timeoutMs = timeoutMs;
    this.agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  }

  post(baseUrl, path, body) {
    return this.request(baseUrl, 'POST', path, body);
  }

  get(baseUrl, path) {
    return this.request(baseUrl, 'GET', path);
  }

  // Resolves to { status, headers, json, text } or { error } (a code such as ECONNRESET or TIMEOUT).
  request(baseUrl, method, path, body) {
    const url = new URL(path, baseUrl);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers = { authorization: `Bearer ${this.token}` };
    if (payload !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = Buffer.byteLength(payload);
    }
    return new Promise((resolve) => {
      let settled = false;
      const settle = (value) => {
        if (!settled) {
          settled = true;
          resolve(value);
        }
      };
      const req = http.request(url, { method, headers, agent: this.agent }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('error', (e) => settle({ error: e.code ?? e.message }));
        res.on('aborted', () => settle({ error: 'ABORTED' }));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json;
          try {
            json = text ? JSON.parse(text) : undefined;
          } catch {
            json = undefined;
          }
          settle({ status: res.statusCode, headers: res.headers, json, text, method, path: url.pathname });
        });
      });
      req.setTimeout(this.timeoutMs, () => {
        settle({ error: 'TIMEOUT' });
        req.destroy();
      });
      req.on('error', (e) => settle({ error: e.code ?? e.message }));
      req.end(payload);
    });
  }

  close() {
    this.agent.destroy();
  }
}

// Problems of a response against docs/openapi.yaml (statuses, headers, schemas); [] when it conforms.
export function specProblems(res) {
  const headers = new Headers();
  for (const [name, value] of Object.entries(res.headers)) {
    headers.set(name, Array.isArray(value) ? value.join(', ') : String(value));
  }
  return validateResponse({
    method: res.method, pathname: res.path, status: res.status, headers, json: res.json,
    bodyLength: Buffer.byteLength(res.text),
  });
}
