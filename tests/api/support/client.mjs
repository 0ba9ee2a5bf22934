// An HTTP client for the suites. Every response goes through the same checks before a test sees
// it: it conforms to docs/openapi.yaml (status documented for the route, headers, content type,
// JSON schema), it carries x-request-id, and in prod mode an error body holds nothing internal.
// A violation throws, naming the request and the response.
//
//   const admin = new Api(server);                    // the admin token
//   const res = await admin.post('/api/schools', { school: { name: 'A' } });
//   expectStatus(res, 201);
//   const device = admin.as(deviceSecret);

import assert from 'node:assert/strict';
import { validateResponse } from './openapi.mjs';

// Text that must never reach a client in prod mode.
const kInternals = [
  /\bSQL/i, /sqlite/i, /postgres/i, /\bSELECT\b/, /\bINSERT\b/, /\bUPDATE\s+\w+\s+SET\b/,
  /std::/, /boost::/, /\.cpp\b/, /\.hpp\b/, /what\(\)/, /exception/i, /\/work\//, /\/tmp\//, /\bsoci\b/i,
  /stack/i, /segmentation/i,
];

export function describe(res) {
  const body = res.text.length > 1500 ? `${res.text.slice(0, 1500)}...` : res.text;
  let req = '';
  if (res.request.body !== undefined) {
    req = typeof res.request.body === 'string' ? res.request.body : JSON.stringify(res.request.body);
    if (req.length > 600) req = `${req.slice(0, 600)}... (${req.length} chars)`;
  }
  return `${res.request.method} ${res.request.path}${req ? ` ${req}` : ''}\n  -> ${res.status} ${body}`;
}

export function expectStatus(res, status, note = '') {
  const ok = Array.isArray(status) ? status.includes(res.status) : res.status === status;
  if (!ok) {
    assert.fail(`expected ${Array.isArray(status) ? status.join('|') : status}${note ? ` (${note})` : ''}, got ${res.status}\n  ${describe(res)}`);
  }
  return res;
}

// Asserts the 422 body names `field`, and when `message` is given, that one of its messages is it.
export function expectFieldError(res, field, message) {
  expectStatus(res, 422, `field ${field}`);
  const messages = res.json?.errors?.[field];
  assert.ok(Array.isArray(messages) && messages.length > 0, `expected a 422 on "${field}"\n  ${describe(res)}`);
  if (message !== undefined) {
    assert.ok(messages.includes(message), `expected "${field}": ["${message}"]\n  ${describe(res)}`);
  }
  return res;
}

export function expectError(res, status, detail) {
  expectStatus(res, status);
  assert.equal(res.json?.errors?.detail, detail, describe(res));
  return res;
}

export class Api {
  // server: from startServer(); token: a secret (default the server's admin token; null for none)
  constructor(server, token = server.adminToken) {
    this.server = server;
    this.token = token;
  }

  as(token) {
    return new Api(this.server, token);
  }

  // options: headers, raw (a string or Buffer sent as is), contentType, token (overrides),
  // timeoutMs (the whole exchange, for routes that could stream forever if they answered 200)
  async request(method, path, body, options = {}) {
    const headers = { ...(options.headers ?? {}) };
    const token = options.token === undefined ? this.token : options.token;
    if (token) headers.authorization = `Bearer ${token}`;
    let payload;
    if (options.raw !== undefined) {
      payload = options.raw;
      if (options.contentType !== null) headers['content-type'] = options.contentType ?? 'application/json';
    } else if (body !== undefined) {
      payload = JSON.stringify(body);
      headers['content-type'] = 'application/json';
    }
    let response;
    let bytes;
    try {
      const signal = options.timeoutMs ? AbortSignal.timeout(options.timeoutMs) : undefined;
      response = await fetch(`${this.server.url}${path}`, { method, headers, body: payload, redirect: 'manual', signal });
      bytes = Buffer.from(await response.arrayBuffer());
    } catch (error) {
      const exit = this.server.process?.exitCode ?? this.server.process?.signalCode;
      assert.fail(`${method} ${path}: no response (${error.cause?.code ?? error.cause?.message ?? error.message})`
        + `${exit !== null && exit !== undefined ? `; the server has exited (${exit})` : ''}\n  server log tail:\n${this.server.logs?.().slice(-1500) ?? ''}`);
    }
    const text = bytes.toString('utf8');
    let json;
    if ((response.headers.get('content-type') ?? '').includes('json') && text.length > 0) {
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
    }
    const res = {
      status: response.status,
      headers: response.headers,
      bytes,
      text,
      json,
      data: json?.data,
      request: { method, path, body: options.raw !== undefined ? `<${payload.length} bytes>` : body },
    };
    const pathname = new URL(path, 'http://x').pathname;
    const problems = validateResponse({
      method, pathname, status: res.status, headers: res.headers, json, bodyLength: bytes.length,
    });
    if (!res.headers.get('x-request-id')) problems.push('no x-request-id header');
    if (res.status >= 400 && this.server.mode === 'prod') {
      if (json && 'debug' in json) problems.push('prod mode answered a "debug" member');
      for (const pattern of kInternals) {
        if (pattern.test(text)) problems.push(`prod mode error body matches ${pattern}`);
      }
    }
    if (problems.length > 0) {
      assert.fail(`response does not conform to docs/openapi.yaml or the conventions:\n  - ${problems.join('\n  - ')}\n  ${describe(res)}`);
    }
    return res;
  }

  get(path, options) { return this.request('GET', path, undefined, options); }
  post(path, body, options) { return this.request('POST', path, body, options); }
  patch(path, body, options) { return this.request('PATCH', path, body, options); }
  put(path, body, options) { return this.request('PUT', path, body, options); }
  del(path, options) { return this.request('DELETE', path, undefined, options); }
}
