// A Server-Sent Events reader over fetch, for GET /api/schools/:id/stream. Events are parsed as
// they arrive; tests wait for the ones they expect with a deadline (never a fixed sleep).
//
//   const stream = await openStream(server, schoolId, token);     // asserts 200 + event-stream
//   const first = await stream.next();                            // { event, data, raw }
//   const fever = await stream.waitFor((e) => e.event === 'fever' && e.data.id === id);
//   stream.close();
//
// Every event's data is checked against the spec's schema for its kind (AttendanceEvent,
// FeverEvent, OccupancyEvent); an unknown event name or a non-conforming payload is recorded in
// `problems` and fails the next wait.

import assert from 'node:assert/strict';
import { validateResponse, validateSchema } from './openapi.mjs';

const kSchemas = { attendance: 'AttendanceEvent', fever: 'FeverEvent', occupancy: 'OccupancyEvent' };
export const kDefaultWaitMs = 10_000;

export class EventStream {
  constructor(response, controller, label) {
    this.response = response;
    this.controller = controller;
    this.label = label;
    this.events = [];      // every event in arrival order: { event, data, raw, at }
    this.comments = [];    // comment lines (": heartbeat")
    this.problems = [];
    this.cursor = 0;       // next() reads from here
    this.ended = false;
    this.endError = null;
    this.waiters = new Set();
    this.done = this.pump();
  }

  async pump() {
    const reader = this.response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let end;
        while ((end = buffer.indexOf('\n\n')) !== -1) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          this.parse(block);
        }
      }
    } catch (error) {
      if (error.name !== 'AbortError') this.endError = error;
    }
    this.ended = true;
    this.notify();
  }

  parse(block) {
    let event = 'message';
    const data = [];
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) this.comments.push(line);
      else if (line.startsWith('event: ')) event = line.slice(7);
      else if (line.startsWith('data: ')) data.push(line.slice(6));
      else if (line !== '') this.problems.push(`${this.label}: unexpected line ${JSON.stringify(line)}`);
    }
    if (data.length === 0) {
      this.notify();
      return;
    }
    if (data.length !== 1) this.problems.push(`${this.label}: event ${event} has ${data.length} data lines`);
    let parsed;
    try {
      parsed = JSON.parse(data.join('\n'));
    } catch {
      this.problems.push(`${this.label}: event ${event}: data is not JSON: ${data.join('\n')}`);
    }
    if (!kSchemas[event]) this.problems.push(`${this.label}: undocumented event ${JSON.stringify(event)}`);
    else if (parsed !== undefined) this.problems.push(...validateSchema(kSchemas[event], parsed).map((p) => `${this.label}: ${p}`));
    this.events.push({ event, data: parsed, raw: block, at: Date.now() });
    this.notify();
  }

  notify() {
    for (const waiter of [...this.waiters]) waiter();
  }

  // Resolves once check() returns a value other than undefined; rejects at the deadline, when the
  // stream ends first, or when an event broke the spec.
  wait(check, what, timeoutMs = kDefaultWaitMs) {
    return new Promise((resolve, reject) => {
      let timer;
      const waiter = () => {
        if (this.problems.length > 0) {
          finish();
          reject(new Error(`stream events do not conform to docs/openapi.yaml:\n  - ${this.problems.join('\n  - ')}`));
          return;
        }
        const result = check();
        if (result !== undefined) {
          finish();
          resolve(result);
        } else if (this.ended) {
          finish();
          reject(new Error(`${this.label}: the stream ended (${this.endError?.message ?? 'closed'}) before ${what}; events: ${this.summary()}`));
        }
      };
      const finish = () => {
        clearTimeout(timer);
        this.waiters.delete(waiter);
      };
      timer = setTimeout(() => {
        finish();
        reject(new Error(`${this.label}: no ${what} within ${timeoutMs} ms; events: ${this.summary()}`));
      }, timeoutMs);
      this.waiters.add(waiter);
      waiter();
    });
  }

  // The next event after the ones next() already returned (optionally the next matching one).
  next(predicate = () => true, what = 'next event', timeoutMs) {
    return this.wait(() => {
      while (this.cursor < this.events.length) {
        const e = this.events[this.cursor];
        this.cursor += 1;
        if (predicate(e)) return e;
      }
      return undefined;
    }, what, timeoutMs);
  }

  // Any event so far or to come that matches (does not move the cursor).
  waitFor(predicate, what = 'matching event', timeoutMs) {
    return this.wait(() => this.events.find(predicate), what, timeoutMs);
  }

  // Resolves when the server ends the stream.
  waitForEnd(timeoutMs = kDefaultWaitMs) {
    return this.wait(() => (this.ended ? true : undefined), 'end of stream', timeoutMs).catch((error) => {
      if (this.ended) return true;
      throw error;
    });
  }

  summary() {
    const shown = this.events.slice(-12).map((e) => `${e.event} ${JSON.stringify(e.data)}`);
    return `${this.events.length} [${shown.join(', ')}]`;
  }

  close() {
    this.controller.abort();
  }
}

// Opens the stream; returns { status, headers } and, for a 200, an EventStream (as `stream`).
export async function requestStream(server, schoolId, token = server.adminToken) {
  const controller = new AbortController();
  const headers = token ? { authorization: `Bearer ${token}` } : {};
  const path = `/api/schools/${schoolId}/stream`;
  const response = await fetch(`${server.url}${path}`, { headers, signal: controller.signal });
  const result = { status: response.status, headers: response.headers, path };
  if (response.status !== 200) {
    const text = await response.text();
    let json;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    result.json = json;
    result.text = text;
    result.problems = validateResponse({ method: 'GET', pathname: path, status: response.status, headers: response.headers, json, bodyLength: Buffer.byteLength(text) });
    return result;
  }
  // The body never ends on its own: only the status and headers are checked here.
  result.problems = validateResponse({ method: 'GET', pathname: path, status: 200, headers: response.headers, json: undefined, bodyLength: 1 });
  result.stream = new EventStream(response, controller, `stream of school ${schoolId}`);
  return result;
}

// Opens a stream that must answer 200 with a conforming event stream.
export async function openStream(server, schoolId, token = server.adminToken) {
  const result = await requestStream(server, schoolId, token);
  assert.equal(result.status, 200, `GET ${result.path}: expected 200, got ${result.status} ${result.text ?? ''}`);
  assert.deepEqual(result.problems, [], `GET ${result.path}: the response does not conform to docs/openapi.yaml`);
  return result.stream;
}
